/**
 * Party events as short lines on mpv's OSD: the same activity lines the
 * party page shows (who joined or left, who paused at which time, played,
 * jumped, changed speed, host changes, buffering waits, the media's end,
 * and why an action of ours was undone), plus chat lines and connection
 * trouble. Our own actions are not repeated: mpv shows those itself.
 */
import { watchActivity } from "../client/activity.js";
import type { PartyClient } from "../client/party-client.js";

export type ShowText = (text: string, durationMs: number) => void;

const NOTICE_MS = 3000;

/** Subscribes to the client and shows notices; returns an unsubscribe. */
export function showPartyNotices(client: PartyClient, show: ShowText): () => void {
  const stopActivity = watchActivity(client, (e) => {
    if (e.mine && e.kind !== "refused" && e.kind !== "host") return;
    show(e.kind === "refused" ? `Watch party: ${e.text}` : e.text, NOTICE_MS);
  });
  const offs = [
    client.on("room", (room) => {
      if (room) show(`Watch party "${room.name}" — ${room.participants.length} watching`, NOTICE_MS);
    }),
    client.on("notice", (n) => {
      if (n.kind === "rate_reverted") show(`Speed stays at ${n.roomRate}×: only the host can change the party's speed`, NOTICE_MS);
      else if (n.action === "seek") show("Only the host can jump here: back where everyone is", NOTICE_MS);
      else show(`Only the host can ${n.action} here: the party ${n.roomPlaying ? "keeps playing" : "stays paused"}`, NOTICE_MS);
    }),
    client.on("message", (m) => {
      if (m.type !== "wait_skipped") return;
      const name = client.room?.participants.find((p) => p.id === m.payload.client_id)?.name ?? "someone";
      show(`${name} keeps stalling: the party no longer waits for them`, NOTICE_MS);
    }),
    client.on("chat", (c) => {
      if (c.client_id !== client.clientId) show(`${c.name}: ${c.text}`, 5000);
    }),
    client.on("connection", ({ state }) => {
      if (state === "reconnecting") show("Watch party: connection lost, reconnecting…", NOTICE_MS);
    }),
  ];
  return () => {
    stopActivity();
    for (const off of offs) off();
  };
}
