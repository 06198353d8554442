/**
 * Runs `opensyncparty mpv` once parsed: logs in to Jellyfin if asked, starts
 * the party, and owns the signals. SIGINT, SIGTERM and SIGHUP during start-up
 * undo what was started (mpv, its socket file, the room) and exit 128+n with
 * one line; once the party runs they leave the room, quit mpv and exit 0; a
 * second signal exits at once (the launcher's exit hook still stops mpv and
 * deletes its socket). Sockets that killed runs left in the temp dir are
 * removed first.
 */
import { constants } from "node:os";
import type { JellyfinSession } from "../mpv-party/jellyfin-client.js";
import type { MpvParty } from "../mpv-party/mpv-party.js";
import { removeStaleSocketFiles } from "../players/mpv/socket-files.js";
import type { JellyfinLogin, MpvCommand } from "./mpv.js";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
type Signal = (typeof SIGNALS)[number];

export async function runMpvCommand(
  { options, jellyfin }: MpvCommand,
  login: (l: JellyfinLogin) => Promise<JellyfinSession>,
): Promise<void> {
  const abort = new AbortController();
  let party: MpvParty | null = null;
  let starting = false;
  let caught: Signal | null = null;
  const code = (signal: Signal) => 128 + constants.signals[signal];
  const onSignal = (signal: Signal) => {
    if (caught !== null || !starting) process.exit(code(signal)); // second signal, or nothing started yet
    caught = signal;
    if (party) party.close().then(() => process.exit(0), () => process.exit(1));
    else abort.abort();
  };
  for (const s of SIGNALS) process.on(s, () => onSignal(s));

  if (!options.attach) await removeStaleSocketFiles();
  const { startMpvParty } = await import("../mpv-party/mpv-party.js");
  if (jellyfin) {
    const session = await login(jellyfin);
    console.log(`Logged in to Jellyfin as ${session.userName}.`);
    options.jellyfin = session;
  }
  starting = true;
  try {
    party = await startMpvParty({ ...options, signal: abort.signal });
  } catch (err) {
    if (caught === null) throw err;
    console.error(`opensyncparty: stopped by ${caught} before the party started; mpv and its socket are gone.`);
    process.exit(code(caught));
  }
  const room = party.client.room;
  console.log(`In room ${room?.id} ("${room?.name}") as ${party.client.clientId}. Others join with --room ${room?.id}.`);
  void party.ended.then((why) => console.log(`The watch party is over: ${why}. mpv stays open; quit it when you are done.`));
  await party.done;
  process.exit(0);
}
