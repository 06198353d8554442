/**
 * The small interface every player adapter implements (HTML5 media element,
 * mpv over JSON IPC, fakes in tests). Adapters carry no policy: the sync
 * engine decides what to do; an adapter only reads, acts, and reports.
 *
 * Units: positions in seconds, times in ms of the local monotonic clock the
 * adapter was given (`now()`), rates as multipliers (1 = normal).
 */
export interface PlayerEvents {
  /** The viewer did something themselves (not caused by the engine). */
  /**
   * `beforeOwnPause`: the viewer's play was made before a pause of the
   * engine's whose event is still to come (a seek-bar click's pause, seek and
   * play, queued together): it did not play a player the engine had stopped.
   * `toggleKey`: made with a play/pause toggle key (Space, `k`…), which flips
   * what the viewer believes the player does, not what it shows.
   */
  user_play: { position: number; beforeOwnPause?: boolean; toggleKey?: boolean };
  user_pause: { position: number };
  user_seek: { position: number };
  user_rate: { rate: number };
  /** The player stalled for data / recovered. */
  buffering: { buffering: boolean };
  /** A seek started by anyone finished; `latencyMs` from request to ready. */
  seeked: { position: number; latencyMs: number | null };
  ended: Record<string, never>;
  /** Media loaded and the player can report positions. */
  ready: { duration: number | null };
  error: { message: string };
}

export interface SetRateOptions {
  /** The rate may move the pitch (a brief sync correction around 1×, never the room's chosen rate). */
  pitchFree?: boolean;
}

export type PlayerEventName = keyof PlayerEvents;
export type Unsubscribe = () => void;

export interface Player {
  /** Current media position, s, as precisely as the adapter can read it now. */
  getPosition(): number;
  isPaused(): boolean;
  getRate(): number;
  /** The media's duration, s, once known (null: not known yet, or live). Optional: the party reports it to the room. */
  getDuration?(): number | null;
  /** True while the player waits for data. */
  isBuffering(): boolean;
  play(): Promise<void>;
  pause(): Promise<void>;
  /** Resolves when the seek has landed (the player can play from there). */
  seek(position: number): Promise<void>;
  /**
   * Resolves with the rate actually applied (players may clamp or refuse).
   * `pitchFree`: the sync engine's correction of a room playing at 1×, which
   * may move the pitch with the rate; a player that can then applies it
   * without its pitch-preserving time-stretching (see `pitchFreeRates`).
   */
  setRate(rate: number, options?: SetRateOptions): Promise<number>;
  /**
   * True when rates set with `pitchFree` are applied by resampling, without
   * the media-clock step that entering time-stretching costs (HTML5 in
   * Chromium). Absent: `pitchFree` is ignored and every rate costs the same.
   */
  readonly pitchFreeRates?: boolean;
  /**
   * Optional. How long a rate change takes to show in getPosition(), ms
   * (mpv playing audio: its audio buffer, ≈ 200 ms). The engine then counts
   * the rate changes that have not shown yet instead of pushing the rate
   * further (src/client/sync/rate-delay.ts). Absent or 0: they show at once.
   */
  readonly rateDelayMs?: number;
  /**
   * Optional. What this kind of player typically takes from play() until
   * its media runs (its media clock's lag then), ms: the engine's start
   * delay until it measured one (an explicit `initialStartDelayMs` wins).
   */
  readonly typicalStartDelayMs?: number;
  /**
   * Optional. Reports, as `user_*` events emitted before it returns, a
   * change someone else made that the player already shows but has not
   * told yet (its event is still queued); true when it reported one. The
   * engine calls it before it reads the player to decide anything, so it
   * never "corrects" a viewer's seek away or takes it for its own.
   */
  checkUserChanges?(): boolean;
  on<E extends PlayerEventName>(event: E, listener: (data: PlayerEvents[E]) => void): Unsubscribe;
  /** Stop listening to the underlying player; idempotent. */
  destroy(): void;
}
