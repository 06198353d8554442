/**
 * The Player adapter over mpv's JSON IPC. It reads, acts and reports; policy
 * lives in the sync engine.
 *
 * Own actions vs the viewer's: own pause/speed writes go through
 * ExpectedChanges, which matches each to the property notification it
 * causes; own seeks are matched to mpv's `seek` events by MpvSeeks. A change
 * nobody here asked for is reported as user_*. mpv's own pause at the end of
 * a file (keep-open) follows `eof-reached` and is not a viewer action.
 *
 * getPosition() is synchronous: a PositionClock extrapolates the last
 * `playback-time` notification by the playback rate.
 */
import { Emitter } from "../../client/emitter.js";
import type { Player, PlayerEventName, PlayerEvents, Unsubscribe } from "../../client/player.js";
import { ExpectedChanges } from "./expected-changes.js";
import { type MpvEvent, MpvIpc } from "./mpv-ipc.js";
import { MpvSeeks } from "./mpv-seeks.js";
import { PositionClock } from "./position-clock.js";

export interface MpvPlayerOptions {
  /** Local monotonic clock, ms (default `performance.now()`). */
  now?: () => number;
  /** Close the IPC connection on destroy() (default: true for connect(), false for attach()). */
  ownsIpc?: boolean;
}

/** mpv refuses speeds outside this range. */
const MIN_SPEED = 0.01;
const MAX_SPEED = 100;

const asNumber = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

export class MpvPlayer implements Player {
  private readonly events = new Emitter<PlayerEvents>();
  private readonly expected: ExpectedChanges;
  private readonly seeks: MpvSeeks;
  private readonly clock: PositionClock;
  private readonly now: () => number;
  private readonly cleanups: (() => void)[] = [];
  private readonly unobserves: (() => Promise<void>)[] = [];
  private readonly baselined = new Set<string>();
  private paused = true;
  private rate = 1;
  private buffering = false;
  private eofReached = false;
  private endedReported = false;
  private readyReported = false;
  private durationSeconds: number | null = null;
  private destroyed = false;
  /** Opens a macrotask after attach() resolved, so its caller can subscribe before `ready`. */
  private openGate!: () => void;
  private readonly gate = new Promise<void>((resolve) => {
    this.openGate = resolve;
  });

  private constructor(
    readonly ipc: MpvIpc,
    private readonly options: MpvPlayerOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
    this.clock = new PositionClock(this.now);
    this.seeks = new MpvSeeks(ipc, this.now);
    this.expected = new ExpectedChanges(ipc);
  }

  /** Connect to mpv's IPC socket at `ipcPath` and adapt it; the connection is closed on destroy(). */
  static async connect(ipcPath: string, options: MpvPlayerOptions = {}): Promise<MpvPlayer> {
    const ipc = await MpvIpc.connect(ipcPath);
    return MpvPlayer.attach(ipc, { ownsIpc: true, ...options });
  }

  /** Adapt an open IPC connection. `ready` comes no earlier than a macrotask after this resolves. */
  static async attach(ipc: MpvIpc, options: MpvPlayerOptions = {}): Promise<MpvPlayer> {
    const player = new MpvPlayer(ipc, options);
    await player.start();
    setImmediate(() => player.openGate());
    return player;
  }

  getPosition(): number {
    return this.clock.positionSeconds();
  }

  isPaused(): boolean {
    return this.paused;
  }

  getRate(): number {
    return this.rate;
  }

  /**
   * How long a speed change takes to show in playback-time, ms: with audio,
   * mpv applies a new speed to the audio it has not buffered yet, so about
   * its audio buffer (`ao-null-buffer` for the null output, else
   * `audio-buffer`; 200 ms by default); 0 without audio. Follows mpv's
   * `current-ao` (Player.rateDelayMs).
   */
  rateDelayMs = 0;

  getDuration(): number | null {
    return this.durationSeconds;
  }

  isBuffering(): boolean {
    return this.buffering;
  }

  play(): Promise<void> {
    return this.writePause(false);
  }

  pause(): Promise<void> {
    return this.writePause(true);
  }

  seek(position: number): Promise<void> {
    const upper = this.durationSeconds ?? Number.POSITIVE_INFINITY;
    return this.seeks.request(Math.min(Math.max(position, 0), upper));
  }

  async setRate(rate: number): Promise<number> {
    const speed = Math.min(Math.max(rate, MIN_SPEED), MAX_SPEED);
    // `set` takes a string: set_property rejects a JSON integer for a float property.
    await this.expected.write("speed", speed, ["set", "speed", String(speed)]);
    return asNumber(await this.ipc.command(["get_property", "speed"])) ?? speed;
  }

  /** Show `text` on mpv's OSD for `durationMs` (JSON IPC does not expand `${…}` in it). */
  async showText(text: string, durationMs: number): Promise<void> {
    await this.ipc.command(["show-text", text, Math.max(0, Math.round(durationMs))]);
  }

  on<E extends PlayerEventName>(event: E, listener: (data: PlayerEvents[E]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.seeks.rejectAll("player destroyed");
    this.expected.clear();
    this.events.removeAll();
    if (this.options.ownsIpc) this.ipc.close();
    else for (const unobserve of this.unobserves.splice(0)) unobserve().catch(() => {});
  }

  private writePause(paused: boolean): Promise<void> {
    return this.expected.write("pause", paused, ["set_property", "pause", paused]);
  }

  private async start(): Promise<void> {
    const ipc = this.ipc;
    this.cleanups.push(
      ipc.on("seek", () => this.seeks.onSeekEvent()),
      ipc.on("playback-restart", () => void this.onPlaybackRestart()),
      ipc.on("file-loaded", () => void this.onFileLoaded()),
      ipc.on("end-file", (e) => this.onEndFile(e)),
      ipc.onClose(() => this.onIpcClosed()),
    );
    const watch = async (name: string, handler: (value: unknown, initial: boolean) => void) => {
      const unobserve = await ipc.observe(name, (value) => {
        const initial = !this.baselined.has(name);
        this.baselined.add(name);
        handler(value, initial);
      });
      this.unobserves.push(unobserve);
    };
    await Promise.all([
      watch("pause", (v, initial) => this.onPause(v === true, initial)),
      watch("speed", (v, initial) => this.onSpeed(asNumber(v) ?? 1, initial)),
      watch("playback-time", (v) => this.onPlaybackTime(asNumber(v))),
      watch("seeking", (v) => this.clock.setSeeking(v === true)),
      watch("paused-for-cache", (v) => this.onPausedForCache(v === true)),
      watch("eof-reached", (v) => this.onEofReached(v === true)),
      watch("duration", (v) => this.onDuration(asNumber(v))),
      // The audio output comes (and goes) with an audio track playing: what a speed change waits for.
      watch("current-ao", (v) => void this.onAudioOutput(typeof v === "string" ? v : null)),
    ]);
    const loaded = await ipc.command(["get_property", "playback-time"]).then(
      () => true,
      () => false,
    );
    if (loaded) void this.onFileLoaded();
  }

  private onPause(paused: boolean, initial: boolean): void {
    this.clock.setPaused(paused);
    this.paused = paused;
    if (initial) return this.expected.baseline("pause", paused);
    if (paused) void this.refreshPosition();
    if (this.expected.consume("pause", paused)) return;
    if (paused && this.eofReached) return; // keep-open pauses at the end by itself
    const position = this.clock.positionSeconds();
    this.events.emit(paused ? "user_pause" : "user_play", { position });
  }

  private onSpeed(speed: number, initial: boolean): void {
    this.clock.setRate(speed);
    this.rate = speed;
    if (initial) return this.expected.baseline("speed", speed);
    if (!this.expected.consume("speed", speed)) this.events.emit("user_rate", { rate: speed });
  }

  private onPlaybackTime(seconds: number | null): void {
    if (seconds !== null) this.clock.report(seconds);
  }

  private onPausedForCache(stalled: boolean): void {
    if (stalled === this.buffering) return;
    this.clock.setStalled(stalled);
    this.buffering = stalled;
    this.events.emit("buffering", { buffering: stalled });
  }

  private onEofReached(eof: boolean): void {
    this.eofReached = eof;
    if (eof) this.reportEnded();
    else this.endedReported = false;
  }

  private onDuration(seconds: number | null): void {
    this.durationSeconds = seconds;
    this.clock.setLimit(seconds);
  }

  private async onPlaybackRestart(): Promise<void> {
    const restart = this.seeks.onPlaybackRestart();
    if (!restart) return;
    await this.refreshPosition();
    if (this.destroyed) return restart.settle();
    const position = this.clock.positionSeconds();
    this.events.emit("seeked", { position, latencyMs: restart.landed.latencyMs });
    if (!restart.landed.own) this.events.emit("user_seek", { position });
    restart.settle();
  }

  private async onFileLoaded(): Promise<void> {
    if (this.readyReported) return;
    this.readyReported = true;
    this.endedReported = false;
    const duration = asNumber(await this.ipc.command(["get_property", "duration"]).catch(() => null));
    this.onDuration(duration);
    await this.gate;
    if (!this.destroyed) this.events.emit("ready", { duration });
  }

  /** The audio output is `ao` (null: none): rateDelayMs is the audio it buffers ahead of what is heard. */
  private async onAudioOutput(ao: string | null): Promise<void> {
    if (ao === null) {
      this.rateDelayMs = 0;
      return;
    }
    const seconds = asNumber(await this.ipc.command(["get_property", ao === "null" ? "ao-null-buffer" : "audio-buffer"]).catch(() => null));
    this.rateDelayMs = seconds !== null && seconds > 0 ? seconds * 1000 : 0;
  }

  private onEndFile(event: MpvEvent): void {
    this.readyReported = false;
    this.seeks.rejectAll(`mpv file ended (${String(event["reason"])})`);
    if (event["reason"] === "eof") this.reportEnded();
    if (event["reason"] === "error") {
      this.events.emit("error", { message: `mpv could not play the file: ${String(event["file_error"])}` });
    }
  }

  private reportEnded(): void {
    if (this.endedReported) return;
    this.endedReported = true;
    this.events.emit("ended", {});
  }

  private onIpcClosed(): void {
    this.seeks.rejectAll("mpv connection closed");
    this.expected.clear();
    if (!this.destroyed) this.events.emit("error", { message: "mpv connection closed" });
  }

  private async refreshPosition(): Promise<void> {
    const seconds = asNumber(await this.ipc.command(["get_property", "playback-time"]).catch(() => null));
    if (seconds !== null) this.clock.report(seconds);
  }
}
