/**
 * The BASELINE: a viewer modelled on OpenWatchParty's client, from its
 * documented behaviour (shared/reference/anchors.md), not its code.
 * Clock: a ping every 10 s; offset = offset of the min-RTT sample among the
 * last 8, smoothed by an EMA with α 0.4. Commands apply at their target
 * instant (the room uses a fixed 300 ms lead); a command seeks when ≥ 1 s
 * away. Every 500 ms: deadzone 40 ms, rate = 1 ± 0.5·√drift(s) clamped
 * 0.85–2.0, hard seek ≥ 2 s. No seek-latency aim, no start-delay learning.
 */
import { positionAt, type Timeline } from "../../src/protocol/index.js";
import type { FakePlayer } from "../../test/support/fake-player.js";
import type { Link } from "./network.js";
import type { ServerMessage, SimRoomServer } from "./room-server.js";
import type { DeviceClock, SimLoop } from "./sim-loop.js";
import { makeDevice, type SimViewer, type ViewerConfig } from "./viewer.js";

const PING_INTERVAL_MS = 10_000;
const CHECK_INTERVAL_MS = 500;
const DEADZONE_S = 0.04;
const HARD_SEEK_S = 2;
const COMMAND_SEEK_S = 1;

export class BaselineViewer implements SimViewer {
  readonly clock: DeviceClock;
  readonly player: FakePlayer;
  readonly link: Link;
  readonly id: string;
  online = false;
  private readonly server: SimRoomServer;
  private offsetMs: number | null = null;
  private samples: Array<{ rttMs: number; offsetMs: number }> = [];
  private timeline: Timeline | null = null;
  private timers: unknown[] = [];
  private destroyed = false;

  constructor(loop: SimLoop, server: SimRoomServer, epochMs: number, cfg: ViewerConfig) {
    const d = makeDevice(loop, server, epochMs, cfg);
    this.clock = d.clock;
    this.player = d.player;
    this.link = d.link;
    this.server = server;
    this.id = cfg.id;
    if (cfg.isHost) {
      const send = (action: "play" | "pause" | "seek", position: number) =>
        this.link.up(() => this.server.command(this.id, action, position));
      this.player.on("user_play", (e) => send("play", e.position));
      this.player.on("user_pause", (e) => send("pause", e.position));
      this.player.on("user_seek", (e) => send("seek", e.position));
    }
    this.every(PING_INTERVAL_MS, () => this.ping());
    this.every(CHECK_INTERVAL_MS, () => this.check());
  }

  connect(): void {
    this.online = true;
    this.link.connected = true;
    this.link.up(() => this.server.join(this));
    this.ping();
  }

  disconnect(): void {
    this.online = false;
    this.link.connected = false;
    this.server.leave(this.id);
  }

  receive(msg: ServerMessage): void {
    if (msg.type === "pong") return this.onPong(msg.payload.client_ts, msg.payload.server_rx_ts);
    const next = msg.next;
    const apply = () => this.apply(next);
    if (this.offsetMs === null || !msg.prev) return apply();
    const localTarget = next.anchor_server_ts - this.offsetMs;
    this.clock.setTimeout(apply, Math.max(0, localTarget - this.clock.now()));
  }

  destroy(): void {
    this.destroyed = true;
  }

  private serverNow(): number {
    return this.clock.now() + (this.offsetMs ?? 0);
  }

  private apply(t: Timeline): void {
    this.timeline = t;
    const expected = positionAt(t, Math.max(this.serverNow(), t.anchor_server_ts));
    if (Math.abs(this.player.getPosition() - expected) >= COMMAND_SEEK_S) void this.player.seek(expected);
    if (t.play_state === "playing") void this.player.play();
    else void this.player.pause();
  }

  private check(): void {
    const t = this.timeline;
    if (!t || this.offsetMs === null || this.player.isBuffering()) return;
    if (t.play_state === "paused") {
      if (!this.player.isPaused()) void this.player.pause();
      return;
    }
    if (this.player.isPaused()) void this.player.play();
    const drift = this.player.getPosition() - positionAt(t, this.serverNow());
    if (Math.abs(drift) >= HARD_SEEK_S) {
      void this.player.seek(positionAt(t, this.serverNow()));
      void this.player.setRate(1);
    } else if (Math.abs(drift) > DEADZONE_S) {
      const rate = 1 - Math.sign(drift) * 0.5 * Math.sqrt(Math.abs(drift));
      void this.player.setRate(Math.min(2, Math.max(0.85, rate)));
    } else if (this.player.getRate() !== 1) void this.player.setRate(1);
  }

  private ping(): void {
    if (!this.online) return;
    const ts = this.clock.now();
    this.link.up(() => this.server.ping(this.id, ts));
  }

  private onPong(clientTs: number, serverTs: number): void {
    const rttMs = this.clock.now() - clientTs;
    this.samples.push({ rttMs, offsetMs: serverTs - (clientTs + rttMs / 2) });
    if (this.samples.length > 8) this.samples.shift();
    const best = this.samples.reduce((a, b) => (b.rttMs < a.rttMs ? b : a));
    this.offsetMs = this.offsetMs === null ? best.offsetMs : 0.4 * best.offsetMs + 0.6 * this.offsetMs;
  }

  private every(ms: number, fn: () => void): void {
    const run = () => {
      if (this.destroyed) return;
      fn();
      this.timers.push(this.clock.setTimeout(run, ms));
    };
    this.timers.push(this.clock.setTimeout(run, ms));
  }
}
