/**
 * One builder for every outbound frame. A broadcast is serialized once and
 * the same string goes to every recipient.
 */
import type { ServerPayloads, ServerType } from "../../protocol/index.js";

/**
 * Serializes a server message. `ts` is the sender's timestamp for relayed
 * messages and the server's own time otherwise; `server_ts` is always the
 * server's time when the frame was built.
 */
export function encode<K extends ServerType>(
  type: K,
  room: string,
  client: string,
  payload: ServerPayloads[K],
  serverTs: number,
  ts: number = serverTs,
): string {
  return JSON.stringify({ type, room, client, payload, ts, server_ts: serverTs });
}
