/**
 * The controller: one PartyClient per page; the Jellyfin player bound to
 * the room's timeline whenever it plays the room's item (PlayingItem says
 * which item that is, whatever the order of Jellyfin's events); joiners
 * taken to the room's item; the host's item is the room's media; the panel
 * kept current. Steps aside while a Jellyfin SyncPlay group is active.
 */
import { PartyClient } from "../../client/party-client.js";
import { Html5Player } from "../../players/html5/html5-player.js";
import { ensureButtons, markButtons, removeButtons } from "./buttons.js";
import { forgetInvitedRoom } from "./invite.js";
import { itemTitle } from "./item-title.js";
import { type ApiClientLike, navigateAndPlay, watchSyncPlay } from "./jellyfin-env.js";
import { Panel } from "./panel.js";
import { panelView } from "./panel-view.js";
import { PlayerStart } from "./player-start.js";
import { PlayingItem } from "./playing-item.js";

export class JellyfinParty {
  private readonly client: PartyClient;
  private readonly panel: Panel;
  readonly playing: PlayingItem;
  private player: Html5Player | null = null;
  /** Whether Jellyfin has finished starting the player's source (its autoplay and start seek are not the viewer's). */
  private playerStart: PlayerStart | null = null;
  /** The player the sync engine currently drives. */
  private attached: Html5Player | null = null;
  private navigatingTo: string | null = null;
  /** What this member last told the room: its player plays another item than the room's (sync_report media_problem). */
  private reportedOffItem = false;
  private readonly titles = new Map<string, string | null>();
  private error: string | null = null;
  private status = "Connecting…";
  private syncPlayActive = false;
  /** The host is moving the room to the item it now plays: do not bind until the room's timeline is its own. */
  private movingRoom = false;
  /** `room:item` pairs already sent as the room's media, so a refused update is not retried on every change. */
  private readonly sentMedia = new Set<string>();
  private stopped = false;
  private readonly domObserver: MutationObserver;
  private readonly onViewShow = () => this.onView();

  constructor(
    private readonly api: ApiClientLike,
    serverUrl: string,
    private readonly userName: string,
    private invitedRoom: string | null = null,
  ) {
    this.client = new PartyClient({ url: serverUrl, displayName: userName, token: api.accessToken() ?? "" });
    this.panel = new Panel({
      create: (name) => void this.run(() => this.create(name)),
      join: (id) => void this.run(() => this.join(id)),
      leave: () => void this.run(() => this.client.leaveRoom()),
      chat: (text) => void this.run(() => this.client.sendChat(text)),
    });
    this.playing = new PlayingItem(api, () => this.onPlayingChange());
    this.client.on("connection", ({ state }) => {
      this.status = state === "open" ? `Connected as ${userName}` : `Connection: ${state}`;
      if (state === "open") this.joinInvitedRoom();
      if (state === "open" && this.reportedOffItem) this.reportOffItem(true); // the server keeps the flag in memory only
      this.update();
    });
    this.client.on("error", (e) => this.update(() => (this.error = e.message)));
    this.client.on("rooms", () => this.update());
    this.client.on("change", () => this.sync());
    this.client.on("chat", () => this.update());
    this.client.on("room", (room) => {
      if (!room) this.navigatingTo = null;
      this.sync();
    });
    watchSyncPlay(api, (active) => {
      if (this.stopped) return;
      this.syncPlayActive = active;
      this.sync();
    });
    document.addEventListener("viewshow", this.onViewShow);
    this.domObserver = new MutationObserver(() => {
      ensureButtons(() => this.toggle());
      this.playing.check();
    });
    this.domObserver.observe(document.body, { childList: true, subtree: true });
  }

  start(): void {
    this.onView();
    void this.client.connect().catch((e: unknown) => this.update(() => (this.error = String(e))));
  }

  /**
   * The user signed out (or another signed in): leaves the room (the others
   * see this member go at once, not after the resume grace), closes the
   * connection, lets go of the player and takes the panel and buttons away.
   * Idempotent.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.domObserver.disconnect();
    document.removeEventListener("viewshow", this.onViewShow);
    this.unbind();
    this.player?.destroy();
    this.playerStart?.stop();
    this.playing.stop();
    this.panel.host.remove();
    removeButtons();
    if (this.client.room && this.client.connection.state === "open") await this.client.leaveRoom().catch(() => {});
    this.client.close();
  }

  /** Opens or closes the panel (the Watch Party buttons call this). */
  toggle(): void {
    this.panel.toggle();
    this.update();
  }

  private onView(): void {
    ensureButtons(() => this.toggle());
    this.playing.check();
  }

  /** The element or the item it plays changed. */
  private onPlayingChange(): void {
    const video = this.playing.video;
    if (this.player?.media !== video) {
      this.unbind();
      this.player?.destroy();
      this.playerStart?.stop();
      this.player = video ? new Html5Player(video) : null;
      this.playerStart = video ? new PlayerStart(video, () => this.sync()) : null;
    }
    const id = this.playing.itemId;
    if (id && !this.titles.has(id)) void this.loadTitle(id);
    this.sync();
  }

  private async loadTitle(id: string): Promise<void> {
    this.titles.set(id, null);
    const userId = this.api.getCurrentUserId();
    const item = userId ? await this.api.getItem(userId, id).catch(() => null) : null;
    this.titles.set(id, item ? itemTitle(item) : null);
    this.sync();
  }

  /**
   * Binds the player to the room when it plays the room's item and Jellyfin
   * has started it (PlayerStart); the host's item becomes the room's media,
   * from where Jellyfin started it; a joiner not on the room's item is taken
   * there (once per item).
   */
  private sync(): void {
    if (this.stopped) return;
    const room = this.client.room;
    const id = this.playing.itemId;
    const started = !!this.playerStart?.started;
    // A room playing a link (made on the party page) has no item: a Jellyfin player is not on its media.
    const linkRoom = !!room && room.mediaId === null && room.mediaUrl !== null;
    const onRoomItem = !!room && !!id && !linkRoom && (room.mediaId === null || room.mediaId === id);
    if (room && this.player && onRoomItem && started && !this.syncPlayActive && !this.movingRoom) {
      if (this.attached !== this.player) this.client.attachPlayer(this.player);
      this.attached = this.player;
      // Visible in devtools (and to tests): this element is on the party's timeline.
      this.player.media.setAttribute("data-osp-bound", "");
    } else this.unbind();
    if (room && id && started && !this.syncPlayActive && this.client.isHost && !this.movingRoom) {
      const title = this.titles.get(id);
      const key = `${room.id}:${id}:${room.mediaId === id ? title : ""}`;
      const needed = room.mediaId !== id || (!!title && room.mediaTitle !== title);
      if (needed && !this.sentMedia.has(key)) {
        this.sentMedia.add(key);
        if (room.mediaId !== id) void this.run(() => this.moveRoomTo(id));
        else void this.run(() => this.client.updateSettings({ media_title: title ?? null }));
      }
    }
    const want = room?.mediaId;
    // While the item is still being worked out the player may already be on the room's item: wait for the answer.
    const resolving = this.playing.resolution.state === "resolving";
    if (room && want && id !== want && !resolving && !this.client.isHost && !this.syncPlayActive && this.navigatingTo !== want) {
      this.navigatingTo = want;
      navigateAndPlay(want);
    }
    // Playing another item on purpose (the move to the room's item was tried once): the host's list must not keep
    // this member's last "in sync"; media_problem is the protocol's word for "not playing the room's media".
    const offItem = !!room && !!id && !onRoomItem && !resolving && !this.client.isHost && (linkRoom || this.navigatingTo === want);
    if (offItem !== this.reportedOffItem) this.reportOffItem(offItem);
    markButtons(!!room);
    this.update();
  }

  private reportOffItem(off: boolean): void {
    this.reportedOffItem = off;
    if (this.client.connection.state === "open" && this.client.room) {
      this.client.connection.send("sync_report", { offset_ms: 0, rtt_ms: this.client.clock.rttMs ?? 0, media_problem: off });
    }
  }

  private unbind(): void {
    if (!this.attached) return;
    this.client.detachPlayer();
    this.attached.media.removeAttribute("data-osp-bound");
    this.attached = null;
  }

  /** The host plays another item (next episode, a room created before the item was known): the room follows, from where the host is. */
  private async moveRoomTo(itemId: string): Promise<void> {
    this.movingRoom = true;
    try {
      const player = this.player;
      await this.client.updateSettings({ media_id: itemId, media_title: this.titles.get(itemId) ?? null, start_pos: player?.getPosition() ?? 0 });
      if (player) await this.client.command(player.isPaused() ? "pause" : "play", player.getPosition());
    } finally {
      this.movingRoom = false;
      this.sync();
    }
  }

  private async create(name: string): Promise<void> {
    const player = this.player;
    const id = this.playing.itemId;
    const title = id ? this.titles.get(id) : null;
    const wasPlaying = player ? !player.isPaused() : false;
    const position = player?.getPosition() ?? 0;
    await this.client.createRoom({
      name,
      startPosition: position,
      ...(id ? { mediaId: id } : {}),
      ...(title ? { mediaTitle: title } : {}),
    });
    // A room starts paused; a host who was watching keeps watching.
    if (wasPlaying) await this.client.play(position);
  }

  private async join(roomId: string): Promise<void> {
    this.navigatingTo = null;
    await this.client.joinRoom(roomId);
  }

  private joinInvitedRoom(): void {
    const roomId = this.invitedRoom;
    if (!roomId || this.client.room) return;
    this.invitedRoom = null;
    forgetInvitedRoom();
    void this.run(() => this.join(roomId));
  }

  private async run(action: () => Promise<unknown>): Promise<void> {
    this.error = null;
    try {
      await action();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.update();
  }

  private update(mutate?: () => unknown): void {
    mutate?.();
    if (!this.panel.open || this.stopped) return;
    this.panel.render(
      panelView({
        client: this.client,
        status: this.status,
        error: this.error,
        syncPlayActive: this.syncPlayActive,
        resolution: this.playing.resolution,
        bound: !!this.attached,
        leftOnPurpose: this.reportedOffItem,
        titles: this.titles,
        userName: this.userName,
      }),
    );
  }
}
