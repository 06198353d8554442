/**
 * Party events as short lines on mpv's OSD: who joined or left, who
 * paused, played or seeked, chat lines, connection trouble.
 */
import type { PartyClient } from "../client/party-client.js";
import type { Participant } from "../protocol/index.js";

export type ShowText = (text: string, durationMs: number) => void;

const NOTICE_MS = 3000;

function formatTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, "0");
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
}

/** Subscribes to the client and shows notices; returns an unsubscribe. */
export function showPartyNotices(client: PartyClient, show: ShowText): () => void {
  let known = new Map<string, Participant>();
  const nameOf = (id: string) => known.get(id)?.name ?? "someone";
  const offs = [
    client.on("room", (room) => {
      known = new Map((room?.participants ?? []).map((p) => [p.id, p]));
      if (room) show(`Watch party "${room.name}" — ${room.participants.length} watching`, NOTICE_MS);
    }),
    client.on("change", ({ change, room }) => {
      if (change !== "participants") return;
      const next = new Map(room.participants.map((p) => [p.id, p]));
      for (const [id, p] of next) if (!known.has(id) && id !== client.clientId) show(`${p.name} joined`, NOTICE_MS);
      for (const [id, p] of known) if (!next.has(id)) show(`${p.name} left`, NOTICE_MS);
      known = next;
    }),
    client.on("message", (m) => {
      if (m.type !== "player_event" || m.payload.by === client.clientId) return;
      const who = m.payload.by === "server" ? "The party" : nameOf(m.payload.by);
      const why = m.payload.reason === "buffering" ? " (waiting for someone to buffer)" : "";
      if (m.payload.reason === "rate") return show(`${who} set the speed to ${m.payload.timeline.rate}×`, NOTICE_MS);
      const what = m.payload.action === "seek" ? `seeked to ${formatTime(m.payload.position)}` : `${m.payload.action === "play" ? "played" : "paused"}`;
      show(`${who} ${what}${why}`, NOTICE_MS);
    }),
    client.on("notice", (n) => {
      if (n.kind === "rate_reverted") show(`Speed stays at ${n.roomRate}×: only the host can change the party's speed`, NOTICE_MS);
    }),
    client.on("message", (m) => {
      if (m.type === "wait_skipped") show(`${nameOf(m.payload.client_id)} keeps stalling: the party no longer waits for them`, NOTICE_MS);
    }),
    client.on("chat", (c) => {
      if (c.client_id !== client.clientId) show(`${c.name}: ${c.text}`, 5000);
    }),
    client.on("connection", ({ state }) => {
      if (state === "reconnecting") show("Watch party: connection lost, reconnecting…", NOTICE_MS);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
