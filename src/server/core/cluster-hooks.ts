/**
 * What the core asks of cluster mode (src/server/cluster), when it runs:
 * routing of frames whose room lives on another instance, the rooms other
 * instances hold (for `room_list`), and the sockets that come and go. The
 * core imports nothing of the cluster; without one, `hub.cluster` is null
 * and every path is the single-instance one.
 */
import type { ClientType, RoomSummary } from "../../protocol/index.js";
import type { Connection } from "./connection.js";
import type { RankedRoom } from "./room-ranking.js";
import type { AckExtra, Handler, HandlerContext } from "./handlers/context.js";

export interface ClusterHooks {
  /**
   * Runs the handler of one validated frame: directly, or after routing
   * (the room's owner may be another instance: the session then moves
   * there and the returned promise resolves once it has). Throws a
   * Refusal (`cluster_unavailable`) when the frame needs Redis and Redis
   * is unreachable.
   */
  handle(
    ctx: HandlerContext,
    conn: Connection,
    type: ClientType,
    payload: unknown,
    handler: Handler<unknown>,
  ): AckExtra | undefined | Promise<AckExtra | undefined>;
  /** Listed rooms held by other instances (the lobby mirror) in `room_list` order (room-ranking.ts), for `room_list`. */
  remoteRanking(): Iterable<RankedRoom<RoomSummary>>;
  /** The coalesced lobby push ran: these local rooms' lobby entries may have changed (null: any of them). */
  lobbyChanged(rooms: ReadonlySet<string> | null): void;
  /** A socket of this instance connected / closed. */
  socketOpened(conn: Connection): void;
  socketClosed(conn: Connection): void;
}

/** Where a Connection's frames go once its session lives on another instance. */
export interface RemoteHome {
  /** One inbound frame (limits already applied here), with its arrival time; `stalled`: read right after this process stood still (stall-watch.ts). */
  forward(text: string, at: number, stalled?: boolean): void;
  /** The socket closed. */
  closed(): void;
  /** A round trip measured on the socket (ws heartbeat), ms: the home's lead rule needs it. */
  rtt?(ms: number): void;
}
