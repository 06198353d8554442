/**
 * A room: members, host, the playback timeline, settings, media and chat.
 * Plain state plus derived views; the handlers change it.
 */
import type {
  ChatEntry,
  Participant,
  ParticipantSync,
  RoomSettings,
  RoomSummary,
  Timeline,
} from "../../protocol/index.js";
import { reanchor, withDuration } from "../../protocol/index.js";
import type { Clock, TimerHandle } from "./clock.js";

/** How many of a member's latest chat nonces a room remembers to take a resend once: well past a reconnect's worth of one member's lines. */
const CHAT_NONCES_PER_MEMBER = 64;
/** How many members' nonces a room keeps (the ones who sent a line longest ago are forgotten first). */
const CHAT_NONCE_MEMBERS = 256;

export interface Member {
  joinedAt: number;
  /** Join order, to pick the longest-present member deterministically. */
  seq: number;
  ready: boolean;
  /** Exempt from buffering waits after timing out, until it reports ready again. */
  waitExempt: boolean;
  sync: ParticipantSync | null;
  seekLatencyMs: number | null;
  /** The member's browser refused to start playback until the viewer clicks (sync_report `needs_click`). */
  needsClick: boolean;
  /** The member's media does not load or play (sync_report `media_problem`); cleared by new media. */
  mediaProblem: boolean;
  /** Server times at which this member's stalls paused the room (for the stall cap), ms; null until its first (most members never stall). */
  stallPauses: number[] | null;
}

export interface Media {
  url: string | null;
  id: string | null;
  title: string | null;
}

/** Cancels each timer of `timers` (a room's waiting or stalling map; null: none). */
export function clearTimers(timers: ReadonlyMap<string, TimerHandle> | null, clock: Pick<Clock, "clearTimeout">): void {
  if (timers !== null) for (const timer of timers.values()) clock.clearTimeout(timer);
}

export class Room {
  readonly members = new Map<string, Member>();
  private memberSeq = 0;
  hostId: string;
  private line: Timeline;
  /**
   * Members the room waits for (buffering), with their timeout timers; null
   * until the room first waits and again after a user command (most rooms
   * never wait: two empty Maps per room were a part of what each connection
   * holds, and clearing one makes a new table). Made by waitTimers().
   */
  waiting: Map<string, TimerHandle> | null = null;
  /** Members that reported a stall not yet long enough to pause the room, with their threshold timers; null as `waiting` is. Made by stallTimers(). */
  stalling: Map<string, TimerHandle> | null = null;
  /** The room paused itself for buffering and will resume when the wait ends. */
  pausedForBuffering = false;
  readonly chat: ChatEntry[] = [];
  /**
   * Per member (client id), the nonces of its last CHAT_NONCES_PER_MEMBER
   * lines, oldest first, so a resend is taken once (chat_message `nonce`);
   * per member so that one member's flood cannot push out another's. Kept
   * apart from `chat` because the history may be shorter, or off. Null until
   * a line with a nonce arrives.
   */
  private chatNonces: Map<string, Set<string>> | null = null;
  lastTimelineBroadcastAt = 0;
  telemetryTimer: TimerHandle | null = null;
  /** A participants_update for members' own changes, due when the last one is MEMBER_CHANGE_COALESCE_MS old (room-views.ts). */
  memberChangeTimer: TimerHandle | null = null;
  /** When the last participants_update for members' own changes went out, ms (server time). */
  memberChangeAt = Number.NEGATIVE_INFINITY;
  stateTimer: TimerHandle | null = null;
  /** Fires when a playing timeline reaches the media's duration (media-end.ts). */
  endTimer: TimerHandle | null = null;
  /** The timeline `endTimer` was armed for (media-end.ts keeps the timer while this is still the room's line). */
  endTimerLine: Timeline | null = null;
  /** A restored room nobody can resume closes when this fires. */
  emptyTimer: TimerHandle | null = null;
  /** Hash of the password joiners must give (join_room `password`); a password room is never listed. */
  passwordHash: string | null = null;

  constructor(
    readonly id: string,
    public name: string,
    hostId: string,
    startPosition: number,
    now: number,
    public settings: RoomSettings,
    public media: Media,
    /** Left out of `room_list` (create_room `private`): reachable by invite link only. */
    readonly unlisted: boolean,
    readonly createdAt: number,
  ) {
    this.hostId = hostId;
    this.line = { position: startPosition, play_state: "paused", rate: 1, anchor_server_ts: now };
  }

  /**
   * The room's playback line. Every timeline set here keeps the media
   * duration the room knows (unless it carries its own, as a restored
   * snapshot does) and is clamped to it, so no command, report or restore
   * can put the room past the end.
   */
  get timeline(): Timeline {
    return this.line;
  }
  set timeline(t: Timeline) {
    this.line = withDuration(t, t.duration ?? this.line.duration ?? null);
  }

  /** The media's duration, s, when a member's player reported it. */
  get mediaDuration(): number | null {
    return this.line.duration ?? null;
  }

  /** Whether the known duration came from a member who may control the room (media-end.ts learnMediaDuration). */
  durationByController = false;

  /** Sets (or, with null, forgets) the media duration; the line is re-anchored at `now` and clamped. */
  setMediaDuration(duration: number | null, now: number, byController = false): void {
    this.line = withDuration(reanchor(this.line, now), duration);
    this.durationByController = duration !== null && byController;
  }

  /** Not in `room_list`: unlisted, or behind a password (the seed client can only join listed, open rooms). */
  get isPrivate(): boolean {
    return this.unlisted || this.passwordHash !== null;
  }

  addMember(clientId: string, now: number): void {
    this.members.set(clientId, {
      joinedAt: now,
      seq: ++this.memberSeq,
      ready: true,
      waitExempt: false,
      sync: null,
      seekLatencyMs: null,
      needsClick: false,
      mediaProblem: false,
      stallPauses: null,
    });
  }

  /** `waiting`, made on first use. */
  waitTimers(): Map<string, TimerHandle> {
    if (this.waiting === null) this.waiting = new Map();
    return this.waiting;
  }

  /** `stalling`, made on first use. */
  stallTimers(): Map<string, TimerHandle> {
    if (this.stalling === null) this.stalling = new Map();
    return this.stalling;
  }

  /** The member present longest, excluding `except`, preferring connected ones. */
  longestPresent(except: string, isConnected: (id: string) => boolean): string | null {
    let best: [string, Member] | null = null;
    let bestConnected = false;
    for (const entry of this.members) {
      if (entry[0] === except) continue;
      const c = isConnected(entry[0]);
      if (!best || (c && !bestConnected) || (c === bestConnected && entry[1].seq < best[1].seq)) {
        best = entry;
        bestConnected = c;
      }
    }
    return best ? best[0] : null;
  }

  /** Cancels every timer the room holds (buffering waits, broadcasts, the empty-room close). */
  stopTimers(clock: Pick<Clock, "clearTimeout">): void {
    clearTimers(this.waiting, clock);
    this.waiting = null;
    clearTimers(this.stalling, clock);
    this.stalling = null;
    for (const timer of [this.telemetryTimer, this.stateTimer, this.emptyTimer, this.endTimer, this.memberChangeTimer]) {
      if (timer !== null) clock.clearTimeout(timer);
    }
    this.telemetryTimer = this.stateTimer = this.emptyTimer = this.endTimer = this.memberChangeTimer = null;
  }

  summary(): RoomSummary {
    return { id: this.id, name: this.name, count: this.members.size, media_title: this.media.title };
  }

  participants(sessionInfo: (id: string) => { name: string; connected: boolean; userId: string | null }): Participant[] {
    const out: Participant[] = [];
    for (const [id, m] of this.members) {
      const s = sessionInfo(id);
      out.push({
        id,
        name: s.name,
        is_host: id === this.hostId,
        connected: s.connected,
        ready: m.ready,
        joined_at: m.joinedAt,
        sync: m.sync,
        user_id: s.userId,
        ...(m.needsClick ? { needs_click: true } : {}),
        ...(m.mediaProblem ? { media_problem: true } : {}),
      });
    }
    return out;
  }

  /** Adds a chat line, keeping the newest `keep`; a line with a nonce is remembered (tookChat). */
  pushChat(entry: ChatEntry, keep: number): void {
    this.chat.push(entry);
    if (this.chat.length > keep) this.chat.splice(0, this.chat.length - keep);
    if (entry.nonce !== undefined) this.rememberChat(entry.client_id, entry.nonce);
  }

  /** Stored lines back in the room (a restart, a cluster take-over), nonces remembered. */
  restoreChat(entries: readonly ChatEntry[]): void {
    this.chat.push(...entries);
    for (const e of entries) if (e.nonce !== undefined) this.rememberChat(e.client_id, e.nonce);
  }

  /** Whether `clientId` already sent a line with `nonce` (one of its last CHAT_NONCES_PER_MEMBER such lines). */
  tookChat(clientId: string, nonce: string): boolean {
    return this.chatNonces?.get(clientId)?.has(nonce) ?? false;
  }

  private rememberChat(clientId: string, nonce: string): void {
    this.chatNonces ??= new Map();
    let mine = this.chatNonces.get(clientId);
    if (mine) this.chatNonces.delete(clientId); // re-inserted: the member who sent last is forgotten last
    else mine = new Set();
    this.chatNonces.set(clientId, mine);
    mine.add(nonce);
    if (mine.size > CHAT_NONCES_PER_MEMBER) mine.delete(mine.values().next().value as string);
    if (this.chatNonces.size > CHAT_NONCE_MEMBERS) this.chatNonces.delete(this.chatNonces.keys().next().value as string);
  }
}
