/**
 * The controller: one PartyClient per page, the Jellyfin player bound to
 * it (re-bound whenever Jellyfin replaces its <video>), joiners taken to
 * the room's item, and the panel kept current. Steps aside while a
 * Jellyfin SyncPlay group is active instead of fighting it.
 */
import { PartyClient } from "../../client/party-client.js";
import { Html5Player } from "../../players/html5/html5-player.js";
import { ensureButtons } from "./buttons.js";
import { type ApiClientLike, currentVideo, navigateAndPlay, playingItemId, watchSyncPlay } from "./jellyfin-env.js";
import { Panel, type PanelView } from "./panel.js";

export class JellyfinParty {
  private readonly client: PartyClient;
  private readonly panel: Panel;
  private player: Html5Player | null = null;
  /** The player the sync engine currently drives. */
  private attached: Html5Player | null = null;
  private navigatingTo: string | null = null;
  private itemId: string | null = null;
  private itemTitle: string | null = null;
  private error: string | null = null;
  private status = "Connecting…";
  private syncPlayActive = false;

  constructor(
    private readonly api: ApiClientLike,
    serverUrl: string,
    private readonly userName: string,
  ) {
    this.client = new PartyClient({ url: serverUrl, displayName: userName, token: api.accessToken() ?? "" });
    this.panel = new Panel({
      create: (name) => void this.run(() => this.create(name)),
      join: (id) => void this.run(() => this.join(id)),
      leave: () => void this.run(() => this.client.leaveRoom()),
      chat: (text) => void this.run(() => this.client.sendChat(text)),
    });
    this.client.on("connection", ({ state }) => this.update(() => (this.status = state === "open" ? `Connected as ${userName}` : `Connection: ${state}`)));
    this.client.on("error", (e) => this.update(() => (this.error = e.message)));
    this.client.on("rooms", () => this.update());
    this.client.on("change", () => this.update());
    this.client.on("chat", () => this.update());
    this.client.on("room", (room) => {
      if (room) this.followRoomMedia();
      else {
        this.client.detachPlayer();
        this.attached = null;
      }
      this.update();
    });
    watchSyncPlay(api, (active) => {
      this.syncPlayActive = active;
      this.bind();
      this.update();
    });
    document.addEventListener("viewshow", () => this.onView());
    new MutationObserver(() => this.bind()).observe(document.body, { childList: true, subtree: true });
  }

  start(): void {
    this.onView();
    void this.client.connect().catch((e: unknown) => this.update(() => (this.error = String(e))));
  }

  /** Opens or closes the panel (the Watch Party buttons call this). */
  toggle(): void {
    this.panel.toggle();
    this.update();
  }

  private onView(): void {
    ensureButtons(() => this.toggle());
    this.bind();
  }

  /** Binds the current <video> to the party, or re-binds after Jellyfin replaced it. */
  private bind(): void {
    const video = this.syncPlayActive ? null : currentVideo();
    if (video && this.player?.media === video) return;
    if (!video && !this.player) return;
    this.player?.media.removeAttribute("data-osp-bound");
    this.player?.destroy();
    this.client.detachPlayer();
    this.attached = null;
    this.player = video ? new Html5Player(video) : null;
    if (video) void this.refreshItem().then(() => this.followRoomMedia());
  }

  private async refreshItem(): Promise<void> {
    const id = await playingItemId(this.api);
    if (id === this.itemId) return;
    this.itemId = id;
    this.itemTitle = null;
    const userId = this.api.getCurrentUserId();
    if (id && userId) {
      const item = await this.api.getItem(userId, id).catch(() => null);
      this.itemTitle = item ? [item.SeriesName, item.Name].filter(Boolean).join(" – ") : null;
    }
    this.update();
  }

  /**
   * Puts the player under the room's timeline when it shows the room's item;
   * otherwise takes this browser to that item (once per item).
   */
  private followRoomMedia(): void {
    const room = this.client.room;
    if (!room || this.syncPlayActive) return;
    const want = room.mediaId;
    if (this.player && (!want || this.itemId === want)) {
      if (this.attached !== this.player) this.client.attachPlayer(this.player);
      this.attached = this.player;
      // Visible in devtools (and to tests): this element is on the party's timeline.
      this.player.media.setAttribute("data-osp-bound", "");
      return;
    }
    if (want && this.navigatingTo !== want) {
      this.navigatingTo = want;
      navigateAndPlay(want);
    }
  }

  private async create(name: string): Promise<void> {
    const player = this.player;
    if (player) this.itemId = await playingItemId(this.api);
    const wasPlaying = player ? !player.isPaused() : false;
    const position = player?.getPosition() ?? 0;
    await this.client.createRoom({
      name,
      startPosition: position,
      ...(this.itemId ? { mediaId: this.itemId } : {}),
      ...(this.itemTitle ? { mediaTitle: this.itemTitle } : {}),
    });
    // A room starts paused; a host who was watching keeps watching.
    if (wasPlaying) await this.client.play(position);
  }

  private async join(roomId: string): Promise<void> {
    this.navigatingTo = null;
    await this.client.joinRoom(roomId);
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
    if (!this.panel.open) return;
    const room = this.client.room;
    const view: PanelView = {
      status: this.syncPlayActive ? "Paused while a Jellyfin SyncPlay group is active" : this.status,
      error: this.error,
      rooms: this.client.rooms,
      room: room
        ? { name: room.name, mediaTitle: room.mediaTitle, participants: room.participants, chat: room.chat, selfId: this.client.clientId, waitingFor: room.waitingFor }
        : null,
      defaultRoomName: `${this.userName}'s party`,
      canCreate: !this.syncPlayActive,
    };
    this.panel.render(view);
  }
}
