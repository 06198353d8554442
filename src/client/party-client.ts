/**
 * The SDK's front door: connect, create or join a room, chat, control
 * playback, and attach a player that the sync engine keeps on the room's
 * timeline. Works in browsers and in Node (pass `createSocket`).
 */
import {
  type AckPayload,
  type PlayerAction,
  type RoomInfoPayload,
  type RoomSettingsPayload,
  type RoomSummary,
  type ServerMessage,
  atEnd,
  positionAt,
} from "../protocol/index.js";
import { ClockSync } from "./clock-sync.js";
import { PartyConnection } from "./connection.js";
import { Emitter } from "./emitter.js";
import { PartyError } from "./errors.js";
import { newChatNonce } from "./party/chat-nonce.js";
import type { CreateRoomOptions, PartyClientEvents, PartyClientOptions } from "./party/party-client-types.js";
import { NOT_HOST_MESSAGE, createSyncEngine, watchPlayer } from "./party/player-attachment.js";
import { createRoomPayload, requestRoomInfo, requestRoomList } from "./party/room-requests.js";
import { SentCommands } from "./party/sent-commands.js";
import type { Player } from "./player.js";
import { type RoomView, applyToRoom, roomFromState, setTimeline } from "./room-state.js";
import type { SyncEngine } from "./sync-engine.js";

export type { CreateRoomOptions, PartyClientEvents, PartyClientOptions } from "./party/party-client-types.js";
export { NOT_HOST_MESSAGE } from "./party/player-attachment.js";

export class PartyClient extends Emitter<PartyClientEvents> {
  readonly connection: PartyConnection;
  readonly clock: ClockSync;
  room: RoomView | null = null;
  rooms: RoomSummary[] = [];
  private engine: SyncEngine | null = null;
  private player: Player | null = null;
  private playerOffs: Array<() => void> = [];
  private readonly now: () => number;
  /** The line this member's unanswered commands will leave (./party/sent-commands.ts). */
  private readonly sent = new SentCommands();

  constructor(private readonly options: PartyClientOptions) {
    super();
    this.now = options.now ?? (() => performance.now());
    this.connection = new PartyConnection(options.timers && !options.timers.now ? { ...options, timers: { ...options.timers, now: this.now } } : options);
    const timers = options.timers ?? {
      setTimeout: (fn: () => void, ms: number) => globalThis.setTimeout(fn, ms),
      clearTimeout: (h: unknown) => globalThis.clearTimeout(h as number),
    };
    this.clock = new ClockSync({
      now: this.now,
      setTimeout: timers.setTimeout,
      clearTimeout: timers.clearTimeout,
      sendPing: (clientTs) => this.connection.send("ping", { client_ts: clientTs }),
    });
    this.connection.on("message", (m) => this.onMessage(m));
    this.connection.on("state", ({ state }) => {
      if (state === "open") this.clock.start();
      this.emit("connection", { state });
    });
    this.connection.on("session", ({ resumed, lost }) => void this.onSession(resumed, lost));
    this.connection.on("fatal", (err) => this.emit("error", err));
  }

  get clientId(): string {
    return this.connection.clientId;
  }

  get isHost(): boolean {
    return this.room?.hostId === this.clientId;
  }

  /** Whether this member may play, pause and seek: the host, everyone with shared control, and everyone while the host is away (disconnected, within its resume grace). */
  get canControl(): boolean {
    const room = this.room;
    if (!room) return false;
    return this.isHost || room.settings.shared_control || room.participants.some((p) => p.id === room.hostId && p.connected === false);
  }

  connect(): Promise<void> {
    return this.connection.connect();
  }

  close(): void {
    this.engine?.destroy();
    this.engine = null;
    this.clock.stop();
    this.connection.close();
  }

  listRooms(): Promise<RoomSummary[]> {
    return requestRoomList(this.connection);
  }

  async createRoom(o: CreateRoomOptions): Promise<RoomView> {
    await this.connection.request("create_room", createRoomPayload(o), "");
    return this.requireRoom();
  }

  async joinRoom(roomId: string, o: { password?: string } = {}): Promise<RoomView> {
    await this.connection.request("join_room", o.password ? { password: o.password } : {}, roomId);
    return this.requireRoom();
  }

  /** A room's name, host, title and whether it has a password, without joining; rejects with room_not_found. */
  roomInfo(roomId: string): Promise<RoomInfoPayload> {
    return requestRoomInfo(this.connection, roomId);
  }

  /**
   * Leaves the room. While the connection is down it waits for it only as
   * long as a request waits for its ack (`requestTimeoutMs`), not
   * `offlineWaitMs`: someone leaving, or a program shutting down, is not
   * kept for minutes (rejects `disconnected`; the server frees the seat when
   * the resume grace ends).
   */
  async leaveRoom(): Promise<void> {
    if (!this.room) return;
    await this.connection.request("leave_room", {}, undefined, { offlineWaitMs: this.connection.ackTimeoutMs });
    this.setRoom(null);
  }

  /** Sends a playback command; resolves with the server instant at which everyone applies it. */
  async command(action: PlayerAction, position: number, rate?: number): Promise<AckPayload> {
    let ack: AckPayload;
    const answered = this.room ? this.sent.sent(this.room.timeline, action, position, this.clock.serverNow(), rate) : () => {};
    try {
      ack = await this.connection.request("player_event", rate === undefined ? { action, position } : { action, position, rate });
    } catch (e) {
      if (e instanceof PartyError && e.code === "not_host") this.emit("refused", { action, code: e.code, message: e.message });
      throw e;
    } finally {
      answered();
    }
    const previous = this.room?.timeline;
    if (this.room && setTimeline(this.room, ack.timeline) === "timeline") this.timelineChanged();
    if (ack.timeline) {
      this.emit("command", { action, timeline: ack.timeline, previous, server_ts: this.clock.serverNow() });
    }
    return ack;
  }

  /** Plays from `position`; by default from where the room is, or from the start when the media has ended. */
  play(position = this.atEnd() ? 0 : this.expectedPosition()): Promise<AckPayload> {
    return this.command("play", position);
  }
  /** Pauses the room; without a position, on the frame this viewer's player stops on now (or the room's position). */
  pause(position?: number): Promise<AckPayload> {
    const stopped = position ?? (this.engine && this.canControl ? this.engine.pauseForCommand() : undefined);
    // A seek of ours still on its way has not moved the player yet: the room pauses where that seek goes.
    const frame = stopped === undefined || (position === undefined && this.sent.seekPending) ? this.expectedPosition() : stopped;
    return this.command("pause", frame);
  }
  seek(position: number): Promise<AckPayload> {
    return this.command("seek", position);
  }
  /** Sets the room's playback rate (a controller only): the line continues from where it is now at `rate`. */
  setRate(rate: number): Promise<AckPayload> {
    const playing = !!this.room && this.sent.timeline(this.room.timeline).play_state === "playing";
    return this.command(playing ? "play" : "pause", this.expectedPosition(), rate);
  }

  /**
   * Sends a chat line; resolves once the server took it. `nonce` (default: a
   * fresh one) names the line: a line whose answer was lost is sent again
   * under it and shown once (connection/resend.ts); pass the same nonce to send
   * a line again by hand (a Retry button). The room's echo (`chat` event)
   * carries it; once it was seen, a request that times out is not sent again and the line counts as sent. Rejects with the server's
   * coded refusal, or when the line could not be sent within `offlineWaitMs`.
   */
  async sendChat(text: string, nonce: string = newChatNonce()): Promise<void> {
    // The room's echo of the line (or a room_state after a resume that holds it) means the room has it: a request that
    // then fails "timeout" is not sent again. On a link slower than requestTimeoutMs every ack comes back after its
    // request gave up, while the echoes do arrive. (The ack, not the echo, settles the line when it comes in time, so
    // lines and commands settle in the order they were made.)
    let echoed = false;
    const off = this.connection.on("message", (msg) => {
      const lines = msg.type === "chat_message" ? [msg.payload] : msg.type === "room_state" ? (msg.payload.chat ?? []) : [];
      if (lines.some((e) => e.nonce === nonce)) echoed = true;
    });
    try {
      await this.connection.requestUntilTaken("chat_message", { text, nonce }, () => echoed);
    } finally {
      off();
    }
  }
  async transferHost(clientId: string): Promise<void> {
    await this.connection.request("transfer_host", { client_id: clientId });
  }
  /** Host only. A new `media_url` starts for everyone, paused, at `start_pos` (default 0). */
  async updateSettings(s: RoomSettingsPayload): Promise<void> {
    await this.connection.request("room_settings", s);
  }
  setReady(ready: boolean, position?: number): void {
    if (this.room) void this.connection.request("ready", position === undefined ? { ready } : { ready, position }).catch(() => {});
  }

  /**
   * Where the room's timeline is now, s (0 outside a room); never past the
   * media's duration. Counts this member's own commands not answered yet
   * (./party/sent-commands.ts), so a second click builds on the first.
   */
  expectedPosition(): number {
    return this.room ? positionAt(this.sent.timeline(this.room.timeline), this.clock.serverNow()) : 0;
  }

  /** The media's duration, s, once a player in the room reported it. */
  get mediaDuration(): number | null {
    return this.room?.timeline.duration ?? null;
  }

  /** True when the room stands at the end of its media (counting this member's commands on their way). */
  atEnd(): boolean {
    return !!this.room && atEnd(this.sent.timeline(this.room.timeline), this.clock.serverNow());
  }

  /**
   * Tells the room the media's duration (s) a player learned (`media_info`),
   * when the room does not know one as short. Ignores unknown and live (infinite) durations.
   */
  reportDuration(duration: number | null | undefined): void {
    if (!this.room || typeof duration !== "number" || !Number.isFinite(duration) || duration <= 0) return;
    const known = this.room.timeline.duration;
    // The server keeps the shortest; a member who may control the room also corrects a longer one another member reported.
    if (known !== undefined && (this.canControl ? Math.abs(duration - known) <= 0.001 : duration >= known - 0.001)) return;
    this.connection.send("media_info", { duration });
  }

  /** Puts a player under the sync engine; returns it (status, knobs). Replaces any previous player. */
  attachPlayer(player: Player): SyncEngine {
    this.detachPlayer();
    const engine = createSyncEngine(player, {
      clock: this.clock,
      sync: this.options.sync,
      canControl: () => this.canControl,
      command: (action, position, rate) => this.command(action, position, rate),
      setReady: (ready, position) => this.setReady(ready, position),
      sendReport: (r) => this.connection.send("sync_report", r),
      reportError: (e) => this.reportError(e),
    });
    this.engine = engine;
    this.player = player;
    this.playerOffs.push(
      ...watchPlayer(player, {
        reportDuration: (duration) => this.reportDuration(duration),
        userAction: (action) => {
          if (this.room && !this.canControl) this.emit("refused", { action, code: "not_host", message: NOT_HOST_MESSAGE });
        },
      }),
    );
    this.reportDuration(player.getDuration?.());
    engine.on("notice", (n) => this.emit("notice", n));
    if (this.room) engine.setTimeline(this.room.timeline, this.room.previousTimeline);
    return engine;
  }

  detachPlayer(): void {
    for (const off of this.playerOffs.splice(0)) off();
    this.player = null;
    this.engine?.destroy();
    this.engine = null;
  }

  get syncEngine(): SyncEngine | null {
    return this.engine;
  }

  private reportError(e: unknown): void {
    this.emit("error", e instanceof PartyError ? e : new PartyError("internal_error", String(e)));
  }

  private requireRoom(): RoomView {
    if (!this.room) throw new PartyError("not_in_room", "The server did not send the room's state.");
    return this.room;
  }

  private async onSession(resumed: boolean, lost: boolean): Promise<void> {
    if (resumed || !lost || !this.room) return;
    // The server forgot us (grace expired or it restarted): rejoin the same room as a new member.
    const roomId = this.room.id;
    try {
      await this.joinRoom(roomId);
    } catch {
      this.setRoom(null);
      this.emit("left", { reason: "session_lost" });
    }
  }

  private onMessage(msg: ServerMessage): void {
    this.emit("message", msg);
    switch (msg.type) {
      case "pong":
        this.clock.handlePong(msg.payload, this.now());
        this.connection.noteRoundTrip(this.now() - msg.payload.client_ts); // waits for answers follow the link's speed
        return;
      case "room_list":
        this.rooms = msg.payload;
        this.emit("rooms", msg.payload);
        return;
      case "room_state":
        this.setRoom(roomFromState(msg.room, msg.payload));
        return;
      case "room_closed":
        if (this.room && msg.room === this.room.id) {
          this.setRoom(null);
          this.emit("left", { reason: msg.payload.reason });
        }
        return;
      case "chat_message":
        if (this.room) applyToRoom(this.room, msg);
        this.emit("chat", msg.payload);
        return;
    }
    if (!this.room || msg.room !== this.room.id) return;
    const change = applyToRoom(this.room, msg);
    if (change === "timeline") this.timelineChanged();
    if (change !== "none") this.emit("change", { change, room: this.room });
  }

  private timelineChanged(): void {
    if (this.room) this.engine?.setTimeline(this.room.timeline, this.room.previousTimeline);
  }

  private setRoom(room: RoomView | null): void {
    if (room?.id !== this.room?.id) this.sent.clear();
    this.room = room;
    this.connection.roomId = room?.id ?? "";
    if (room) this.engine?.setTimeline(room.timeline, undefined);
    if (room) this.reportDuration(this.player?.getDuration?.());
    this.emit("room", room);
  }
}
