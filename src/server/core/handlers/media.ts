/** media_info: a member's player tells the room what it learned about the media (its duration). */
import type { ClientPayloads } from "../../../protocol/index.js";
import { learnMediaDuration } from "../media-end.js";
import { persist } from "../room-views.js";
import { armMediaEnd, broadcastState } from "../timeline-commands.js";
import { type Handler, requireRoom } from "./context.js";

/**
 * Any member may report (the first player to learn the duration is often a
 * guest's); what a member who may not control the room can change is limited
 * (learnMediaDuration). When the room's duration changes, everyone gets the
 * re-anchored timeline (with `duration`) in a `state_update`, and a playing
 * room is paused at the end when it gets there.
 */
export const mediaInfo: Handler<ClientPayloads["media_info"]> = (ctx, p) => {
  const { hub } = ctx;
  const room = requireRoom(ctx);
  const byController = room.hostId === ctx.session.id || room.settings.shared_control;
  if (!learnMediaDuration(hub, room, p.duration, byController)) return undefined;
  persist(hub, room);
  broadcastState(hub, room, { by: "" });
  armMediaEnd(hub, room);
  return undefined;
};
