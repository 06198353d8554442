/**
 * Drives the standalone page the way a person does, on the `<video>` element
 * itself (a seek, a pause, a resume), and reads what the room did.
 */
import type { Page } from "playwright-core";
import type { PartyServer } from "../../src/server/index.js";

/** Sets `currentTime` on the page's <video>, as dragging its scrubber does. */
export function seekVideo(page: Page, position: number): Promise<void> {
  return page.evaluate((p) => {
    (document.querySelector("video") as HTMLVideoElement).currentTime = p;
  }, position);
}

/** Pauses the page's <video> (its own pause control); returns the frame it stopped on, s. */
export function pauseVideo(page: Page): Promise<number> {
  return page.evaluate(() => {
    const v = document.querySelector("video") as HTMLVideoElement;
    v.pause();
    return v.currentTime;
  });
}

export function playVideo(page: Page): Promise<void> {
  return page.evaluate(() => void (document.querySelector("video") as HTMLVideoElement).play().catch(() => {}));
}

export function videoTime(page: Page): Promise<number> {
  return page.evaluate(() => (document.querySelector("video") as HTMLVideoElement).currentTime);
}

/** Counts the room-wide pauses and plays the server itself ordered (buffering waits), with their epoch times. */
export function countServerCommands(server: PartyServer): { pauses: number[]; plays: number[] } {
  const out = { pauses: [] as number[], plays: [] as number[] };
  const hub = server.core.hub;
  const broadcast = hub.broadcast.bind(hub);
  hub.broadcast = ((room, type, payload, opts) => {
    const p = payload as { by?: string; action?: string };
    if (type === "player_event" && p.by === "server") (p.action === "pause" ? out.pauses : out.plays).push(Date.now());
    return broadcast(room, type, payload, opts);
  }) as typeof hub.broadcast;
  return out;
}
