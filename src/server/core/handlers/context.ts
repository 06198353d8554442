/** What every handler receives, and the refusal it throws to answer with a coded error. */
import type { AckPayload, ErrorCode } from "../../../protocol/index.js";
import type { ParsedEnvelope } from "../../../protocol/schemas.js";
import type { Hub } from "../hub.js";
import type { Room } from "../room.js";
import type { Session } from "../session.js";

export interface HandlerContext {
  hub: Hub;
  session: Session;
  envelope: ParsedEnvelope;
  /** The connection the frame came on: `rebind` moves it onto another (resumed) session. */
  connection: { rebind(target: Session): void };
  /** The frame's text as received (cluster mode forwards it to the instance that owns the room). */
  raw?: string;
  /** Cluster mode: the id create_room gives the new room (already claimed for this instance). */
  newRoomId?: string;
}

/** Extra fields for the sender's `ack`, or nothing. */
export type AckExtra = Omit<AckPayload, "id"> | undefined;

export type Handler<P> = (ctx: HandlerContext, payload: P) => AckExtra | undefined | Promise<AckExtra | undefined>;

export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extra: { retry_after_ms?: number } = {},
  ) {
    super(message ?? code);
  }
}

export function refuse(code: ErrorCode, message?: string): never {
  throw new Refusal(code, message);
}

/** The room this connection is in; the envelope may name it or leave it empty. */
export function requireRoom(ctx: HandlerContext): Room {
  const { session, envelope, hub } = ctx;
  if (!session.roomId) refuse("not_in_room");
  if (envelope.room && envelope.room !== session.roomId) {
    refuse("wrong_room", `This connection is in room ${session.roomId}, not ${envelope.room}.`);
  }
  const room = hub.rooms.get(session.roomId);
  if (!room) refuse("not_in_room");
  return room;
}

export function requireIdentity(ctx: HandlerContext) {
  const identity = ctx.session.identity;
  if (!identity) refuse("auth_required");
  return identity;
}

export function requireHost(ctx: HandlerContext, room: Room): void {
  if (room.hostId !== ctx.session.id) refuse("not_host");
}
