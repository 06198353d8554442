/**
 * A socket of this instance whose session lives on another instance (its
 * home): frames go there over the bus, except pings, which are answered
 * here from this instance's cluster clock (relaying them would add the
 * Redis hop to one direction only and bias clock offsets). While the link
 * is being re-homed (its home died) frames wait here, in order. A frame
 * Redis did not take (frozen, or down mid-publish) is refused here with
 * `cluster_unavailable`, so its sender hears within Redis' command timeout.
 */
import type { Connection } from "../core/connection.js";
import type { RemoteHome } from "../core/cluster-hooks.js";
import type { Hub } from "../core/hub.js";
import type { Bus } from "./bus.js";

export class GatewayLink implements RemoteHome {
  private homeId: string | null;
  /** Session id at the home (differs from the socket key after a resume) and its room, as last seen in frames. */
  client: string;
  room: string | null = null;
  private waiting: Array<[string, number, boolean]> = [];
  /** The socket closed (possibly while a new home was being found: then nobody is bound to it). */
  isClosed = false;

  constructor(
    readonly conn: Connection,
    home: string,
    private readonly hub: Hub,
    private readonly bus: Bus,
    private readonly self: string,
    private readonly available: () => boolean,
    private readonly retryAfterMs: number,
    private readonly onClosed: (link: GatewayLink) => void,
    /** Told of every change of `home` (the router counts links per home: peer-count.ts). */
    private readonly onHomeChanged: (link: GatewayLink, from: string | null, to: string | null) => void = () => {},
  ) {
    this.homeId = home;
    this.client = conn.session.id;
  }

  /** The home instance; null while a new one is being found. */
  get home(): string | null {
    return this.homeId;
  }

  set home(to: string | null) {
    const from = this.homeId;
    if (from === to) return;
    this.homeId = to;
    this.onHomeChanged(this, from, to);
  }

  /** `stalled`: read right after this process stood still (core/stall-watch.ts), so it may have waited since the last tick. */
  forward(text: string, at: number, stalled = false): void {
    if (text.includes('"ping"') && this.answerPing(text, at)) return;
    if (this.home === null) {
      this.waiting.push([text, at, stalled]);
      return;
    }
    if (!this.available()) return this.refuse(text);
    // Redis frozen or gone mid-publish: the user is told now (the home drops the frame if it comes later: bus-inbound.ts).
    const s = stalled ? this.hub.stall.lastTickAt : this.hub.now();
    this.bus.publish(this.home, { t: "in", c: this.conn.key, g: this.self, d: text, at, s }, () => {
      if (!this.isClosed) this.refuse(text, false);
    });
  }

  /** The link has a home again: the frames that waited go there. */
  setHome(home: string): void {
    this.home = home;
    const waiting = this.waiting;
    this.waiting = [];
    for (const [text, at, stalled] of waiting) this.forward(text, at, stalled);
  }

  /** Frames that waited for a home that turned out to be here: handed back to the caller. */
  takeWaiting(): Array<[string, number, boolean]> {
    const w = this.waiting;
    this.waiting = [];
    return w;
  }

  rtt(ms: number): void {
    if (this.home !== null && this.available()) this.bus.publish(this.home, { t: "rtt", c: this.conn.key, g: this.self, ms });
  }

  closed(): void {
    this.isClosed = true;
    if (this.home !== null) this.bus.publish(this.home, { t: "closed", c: this.conn.key, g: this.self });
    this.onClosed(this);
  }

  private answerPing(text: string, at: number): boolean {
    let msg: { type?: unknown; id?: unknown; payload?: { client_ts?: unknown } };
    try {
      msg = JSON.parse(text);
    } catch {
      return false;
    }
    const clientTs = msg.payload?.client_ts;
    if (msg.type !== "ping" || typeof clientTs !== "number") return false;
    this.hub.send(this.conn.session, "pong", { client_ts: clientTs, server_rx_ts: at, server_tx_ts: this.hub.now() }, this.room ?? "");
    return true;
  }

  /** `always`: also a frame without an id (a report) gets a ref-less refusal. */
  private refuse(text: string, always = true): void {
    let ref: unknown;
    try {
      ref = (JSON.parse(text) as { id?: unknown }).id;
    } catch {}
    if (!always && typeof ref !== "string" && typeof ref !== "number") return;
    this.hub.error(this.conn.session, "cluster_unavailable", {
      retry_after_ms: this.retryAfterMs,
      ...(typeof ref === "string" || typeof ref === "number" ? { ref } : {}),
    });
  }
}
