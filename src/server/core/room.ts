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
import type { Clock, TimerHandle } from "./clock.js";

export interface Member {
  joinedAt: number;
  /** Join order, to pick the longest-present member deterministically. */
  seq: number;
  ready: boolean;
  /** Exempt from buffering waits after timing out, until it reports ready again. */
  waitExempt: boolean;
  sync: ParticipantSync | null;
  seekLatencyMs: number | null;
  /** Server times at which this member's stalls paused the room (for the stall cap), ms. */
  stallPauses: number[];
}

export interface Media {
  url: string | null;
  id: string | null;
  title: string | null;
}

export class Room {
  readonly members = new Map<string, Member>();
  private memberSeq = 0;
  hostId: string;
  timeline: Timeline;
  /** Members the room waits for (buffering), with their timeout timers. */
  readonly waiting = new Map<string, TimerHandle>();
  /** Members that reported a stall not yet long enough to pause the room, with their threshold timers. */
  readonly stalling = new Map<string, TimerHandle>();
  /** The room paused itself for buffering and will resume when the wait ends. */
  pausedForBuffering = false;
  readonly chat: ChatEntry[] = [];
  lastTimelineBroadcastAt = 0;
  telemetryTimer: TimerHandle | null = null;
  stateTimer: TimerHandle | null = null;
  /** A restored room nobody can resume closes when this fires. */
  emptyTimer: TimerHandle | null = null;

  constructor(
    readonly id: string,
    public name: string,
    hostId: string,
    startPosition: number,
    now: number,
    public settings: RoomSettings,
    public media: Media,
    readonly isPrivate: boolean,
    readonly createdAt: number,
  ) {
    this.hostId = hostId;
    this.timeline = { position: startPosition, play_state: "paused", rate: 1, anchor_server_ts: now };
  }

  addMember(clientId: string, now: number): void {
    this.members.set(clientId, {
      joinedAt: now,
      seq: ++this.memberSeq,
      ready: true,
      waitExempt: false,
      sync: null,
      seekLatencyMs: null,
      stallPauses: [],
    });
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
    for (const timer of this.waiting.values()) clock.clearTimeout(timer);
    this.waiting.clear();
    for (const timer of this.stalling.values()) clock.clearTimeout(timer);
    this.stalling.clear();
    for (const timer of [this.telemetryTimer, this.stateTimer, this.emptyTimer]) if (timer !== null) clock.clearTimeout(timer);
    this.telemetryTimer = this.stateTimer = this.emptyTimer = null;
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
      });
    }
    return out;
  }

  pushChat(entry: ChatEntry, keep: number): void {
    this.chat.push(entry);
    if (this.chat.length > keep) this.chat.splice(0, this.chat.length - keep);
  }
}
