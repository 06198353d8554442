/**
 * A simulated viewer running the REAL ClockSync and SyncEngine on its own
 * device clock, with a FakePlayer and a link to the room server.
 */
import { ClockSync } from "../../src/client/clock-sync.js";
import { SyncEngine } from "../../src/client/sync-engine.js";
import { FakePlayer, type FakePlayerOptions } from "../../test/support/fake-player.js";
import { Link, type LinkProfile } from "./network.js";
import { type Random, seededRandom } from "./prng.js";
import type { Member, ServerMessage, SimRoomServer } from "./room-server.js";
import { DeviceClock, type SimLoop } from "./sim-loop.js";

export interface ViewerConfig {
  id: string;
  isHost: boolean;
  /** Device clock minus server clock at true time 0, ms. */
  clockOffsetMs: number;
  skewPpm: number;
  link: LinkProfile;
  player: Omit<FakePlayerOptions, "clock" | "random">;
  seed: number;
}

/** What the harness needs from a viewer, whatever its policy. */
export interface SimViewer extends Member {
  readonly clock: DeviceClock;
  readonly player: FakePlayer;
  readonly online: boolean;
  connect(): void;
  disconnect(): void;
  destroy(): void;
}

export function makeDevice(loop: SimLoop, server: SimRoomServer, epochMs: number, cfg: ViewerConfig) {
  const random: Random = seededRandom(cfg.seed);
  const clock = new DeviceClock(loop, epochMs + cfg.clockOffsetMs, cfg.skewPpm);
  const player = new FakePlayer({ clock, random, ...cfg.player });
  const link = new Link(loop, seededRandom(cfg.seed * 7 + 1), cfg.link);
  link.connected = false;
  return { clock, player, link, server };
}

export class EngineViewer implements SimViewer {
  readonly clock: DeviceClock;
  readonly player: FakePlayer;
  readonly link: Link;
  readonly id: string;
  private readonly server: SimRoomServer;
  private readonly sync: ClockSync;
  private readonly engine: SyncEngine;
  online = false;

  constructor(loop: SimLoop, server: SimRoomServer, epochMs: number, cfg: ViewerConfig) {
    const d = makeDevice(loop, server, epochMs, cfg);
    this.clock = d.clock;
    this.player = d.player;
    this.link = d.link;
    this.server = server;
    this.id = cfg.id;
    this.sync = new ClockSync({
      now: this.clock.now,
      setTimeout: this.clock.setTimeout,
      clearTimeout: this.clock.clearTimeout,
      sendPing: (ts) => this.link.up(() => this.server.ping(this.id, ts)),
    });
    this.engine = new SyncEngine({
      player: this.player,
      clock: this.sync,
      send: {
        command: (action, position) => this.link.up(() => this.server.command(this.id, action, position)),
        ready: () => {},
        report: (r) => this.link.up(() => this.server.report(this.id, r)),
      },
      canControl: () => cfg.isHost,
    });
  }

  connect(): void {
    this.online = true;
    this.link.connected = true;
    this.sync.start();
    this.link.up(() => this.server.join(this));
  }

  disconnect(): void {
    this.online = false;
    this.link.connected = false;
    this.server.leave(this.id);
  }

  receive(msg: ServerMessage): void {
    if (msg.type === "pong") this.sync.handlePong(msg.payload, this.clock.now());
    else this.engine.setTimeline(msg.next, msg.prev);
  }

  destroy(): void {
    this.engine.destroy();
    this.sync.stop();
  }
}
