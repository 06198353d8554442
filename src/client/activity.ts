/**
 * Who did what in the room, as short lines every client can show the same
 * way (the party page's feed, mpv's OSD, the Jellyfin panel): joins and
 * leaves, drops and returns, play / pause (at which media time) / seek (to
 * which time) / speed changes with who did them, host changes, buffering
 * waits and their end, the media's end, media changes, and actions of ours that were
 * refused, with why. Built only from what the server already says: every
 * relayed `player_event` carries `by`, `client_left` and `host_changed` say
 * who and why, `participants_update` lists names, readiness and waits.
 * Isomorphic, no DOM.
 */
import type { Participant, ServerMessage, Timeline } from "../protocol/index.js";
import type { PartyClient } from "./party-client.js";

export type ActivityKind =
  | "join"
  | "leave"
  | "connection"
  | "play"
  | "pause"
  | "seek"
  | "rate"
  | "host"
  | "wait"
  | "ended"
  | "media"
  | "refused";

export interface ActivityEntry {
  kind: ActivityKind;
  /** When it happened: server clock, ms since the epoch. */
  at: number;
  /** Who did it: a member id, "server" for the room itself, or null. */
  by: string | null;
  /** True when it was this viewer. */
  mine: boolean;
  /** One line for people, e.g. "Ana paused at 12:34". */
  text: string;
}

/** Media time as `m:ss` or `h:mm:ss`. */
export function formatMediaTime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, "0");
  return `${h > 0 ? `${h}:` : ""}${mm}:${String(s % 60).padStart(2, "0")}`;
}

const LEFT_TEXT: Record<string, string> = {
  left: "left",
  disconnected: "disconnected",
  expired: "did not come back",
  joined_other_room: "went to another room",
};

/** Calls `onEntry` for each thing that happens in the client's room; returns an unsubscribe. */
export function watchActivity(client: PartyClient, onEntry: (e: ActivityEntry) => void): () => void {
  // Whoever is in the room when we start watching is not news.
  let known = new Map<string, Participant>((client.room?.participants ?? []).map((p) => [p.id, p]));
  let announcedLeft = new Set<string>();
  const nameOf = (id: string) => (id === client.clientId ? "You" : (known.get(id)?.name ?? "Someone"));
  const emit = (kind: ActivityKind, at: number, by: string | null, text: string) =>
    onEntry({ kind, at, by, mine: by !== null && by === client.clientId, text });

  const onTimeline = (by: string, at: number, action: string, next: Timeline, prev: Timeline | undefined, reason?: string) => {
    const who = by === "server" ? "The room" : nameOf(by);
    const pos = formatMediaTime(next.position);
    if (reason === "ended") return emit("ended", at, by, `The video ended at ${pos}`);
    if (reason === "media") {
      const title = client.room?.mediaTitle ?? client.room?.mediaUrl ?? "new media";
      return emit("media", at, by, `${who} changed the media to ${title}${next.position > 0 ? `, starting at ${pos}` : ""}`);
    }
    if (reason === "buffering" && action === "pause") return emit("wait", at, by, `Paused at ${pos}: someone is buffering`);
    if (reason === "buffering") return emit("wait", at, by, `Everyone is ready: playing from ${pos}`);
    if (reason === "buffering_timeout") return emit("wait", at, by, `Stopped waiting for buffering; playing on from ${pos}`);
    if (prev && prev.rate !== next.rate) emit("rate", at, by, `${who} changed the speed to ${next.rate}×`);
    if (action === "pause") emit("pause", at, by, `${who} paused at ${pos}`);
    else if (action === "play") emit("play", at, by, `${who} played from ${pos}`);
    else if (action === "seek") emit("seek", at, by, `${who} jumped to ${pos}`);
  };

  const onMessage = (m: ServerMessage) => {
    const room = client.room;
    if (!room || m.room !== room.id) return;
    const at = m.server_ts;
    switch (m.type) {
      case "player_event":
        return onTimeline(m.payload.by, at, m.payload.action, m.payload.timeline, room.timeline, m.payload.reason);
      case "client_left":
        announcedLeft.add(m.payload.client_id);
        return emit("leave", at, m.payload.client_id, `${nameOf(m.payload.client_id)} ${LEFT_TEXT[m.payload.reason] ?? "left"}`);
      case "host_changed": {
        const who = m.payload.host_id === client.clientId ? "You are" : `${nameOf(m.payload.host_id)} is`;
        return emit("host", at, m.payload.host_id, `${who} now the host`);
      }
      case "participants_update":
        return onParticipants(m.payload.participants ?? [], m.payload.waiting_for ?? [], at);
    }
  };

  const onParticipants = (list: Participant[], waitingFor: string[], at: number) => {
    const next = new Map(list.map((p) => [p.id, p]));
    const waitedBefore = new Set(client.room?.waitingFor ?? []);
    for (const [id, p] of next) {
      const before = known.get(id);
      if (!before) {
        if (id !== client.clientId) emit("join", at, id, `${p.name} joined`);
      } else if (before.connected && !p.connected) {
        emit("connection", at, id, `${p.name} lost the connection, reconnecting…`);
      } else if (!before.connected && p.connected) {
        emit("connection", at, id, `${p.name} is back`);
      }
      if (waitingFor.includes(id) && !waitedBefore.has(id)) emit("wait", at, id, `Waiting for ${p.name} (buffering)`);
      if (!waitingFor.includes(id) && waitedBefore.has(id)) emit("wait", at, id, `${p.name} is ready again`);
    }
    for (const [id, p] of known) {
      if (!next.has(id) && !announcedLeft.has(id)) emit("leave", at, id, `${p.name} left`);
    }
    known = next;
    announcedLeft = new Set();
  };

  const offs = [
    // Runs before the room view applies the message, so `client.room` still shows what it replaces.
    client.on("message", onMessage),
    client.on("room", (room) => {
      known = new Map((room?.participants ?? []).map((p) => [p.id, p]));
    }),
    client.on("command", (c) =>
      onTimeline(client.clientId, c.server_ts, c.action, c.timeline, c.previous),
    ),
    client.on("refused", (r) => emit("refused", client.clock.serverNow(), client.clientId, r.message)),
  ];
  return () => {
    for (const off of offs) off();
  };
}
