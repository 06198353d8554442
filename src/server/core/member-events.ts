/**
 * Events about room members that modules further down the import graph
 * react to, so membership.ts does not import them back (the core modules
 * form a one-way graph: membership → room-views → persistence → membership
 * would otherwise close a circle through buffering). Listeners are
 * stateless functions of (hub, room, member id), registered once at module
 * load, so one registry serves every server in the process.
 */
import type { Hub } from "./hub.js";
import type { Room } from "./room.js";

type MemberListener = (hub: Hub, room: Room, clientId: string) => void;

const removedListeners: MemberListener[] = [];

/** Called for every member taken out of a room (left, disconnected for good, joined another room). */
export function onMemberRemoved(fn: MemberListener): void {
  removedListeners.push(fn);
}

export function emitMemberRemoved(hub: Hub, room: Room, clientId: string): void {
  for (const fn of removedListeners) fn(hub, room, clientId);
}
