/**
 * The room: the video, participants with sync status, chat, invite link and
 * controls, kept current from the client's events.
 */
import type { PartyClient } from "../../client/index.js";
import type { Banner } from "./banner.js";
import { ActivityFeed, EndedBox } from "./activity.js";
import { ChatPanel } from "./chat.js";
import { Controls } from "./controls.js";
import { button, h } from "./dom.js";
import { invitePanel } from "./invite.js";
import { type AttachedMedia, attachMedia } from "./media.js";
import { ParticipantList } from "./participants.js";

export class RoomView {
  readonly el: HTMLElement;
  readonly video = h("video", { id: "video", controls: true, playsinline: true, preload: "auto" });
  private readonly title = h("h1", { class: "room-title" });
  private readonly mediaLine = h("p", { class: "muted media-title" });
  private readonly myStatus = h("p", { class: "my-status", "aria-live": "polite" });
  private readonly participants = new ParticipantList();
  private readonly chat: ChatPanel;
  private readonly controls: Controls;
  private readonly activity: ActivityFeed;
  private readonly ended: EndedBox;
  private media: AttachedMedia | null = null;
  private loadingUrl: string | null = null;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly client: PartyClient,
    private readonly banner: Banner,
    onLeave: () => void,
  ) {
    const onError = (e: unknown) => banner.set("server", "error", e instanceof Error ? e.message : String(e), true);
    this.chat = new ChatPanel((text) => client.sendChat(text).catch(onError));
    this.controls = new Controls(client, onError);
    this.activity = new ActivityFeed(client);
    this.ended = new EndedBox(client, onError);
    const room = client.room;
    this.el = h(
      "main",
      { class: "room" },
      h("header", { class: "room-head" }, h("div", {}, this.title, this.mediaLine), button("Leave room", onLeave, { id: "btn-leave" })),
      h("div", { class: "stage" }, h("div", { class: "player" }, this.video, this.myStatus, this.ended.el), this.controls.el),
      h(
        "aside",
        { class: "side" },
        h("section", { class: "card", "aria-labelledby": "people-title" }, h("h2", { id: "people-title" }, "Watching"), this.participants.el, room && invitePanel(room.id)),
        this.activity.el,
        this.chat.el,
      ),
    );
    this.offs.push(
      client.on("change", () => this.render()),
      client.on("chat", (entry) => this.chat.add(entry)),
      client.on("room", () => this.render(true)),
    );
    this.render(true);
  }

  private render(full = false): void {
    const room = this.client.room;
    if (!room) return;
    this.title.textContent = room.name;
    this.mediaLine.textContent = room.mediaTitle ?? room.mediaUrl ?? "No media";
    document.title = `${room.name} · OpenSyncParty`;
    this.participants.render(room.participants, {
      selfId: this.client.clientId,
      isHost: this.client.isHost,
      waitingFor: room.waitingFor,
      transferHost: (id) => void this.client.transferHost(id).catch((e: unknown) => this.banner.set("server", "error", String(e), true)),
    });
    this.controls.render();
    this.ended.render();
    if (full) this.chat.reset(room.chat);
    if (room.mediaUrl && room.mediaUrl !== this.loadingUrl) void this.load(room.mediaUrl);
  }

  private async load(url: string): Promise<void> {
    this.loadingUrl = url;
    this.media?.destroy();
    this.media = null;
    this.controls.setEngine(null);
    this.banner.set("media", "info", "Loading media…");
    try {
      const media = await attachMedia(this.client, this.video, url, (message) =>
        this.banner.set("media", "error", `Media error: ${message}`, true),
      );
      if (this.loadingUrl !== url) return media.destroy();
      this.media = media;
      this.controls.setEngine(media.engine);
      this.offs.push(media.engine.on("status", (s) => (this.myStatus.textContent = `Sync: ${s.state}`)));
      this.banner.clear("media");
    } catch (err) {
      this.banner.set("media", "error", err instanceof Error ? err.message : String(err), true);
    }
  }

  destroy(): void {
    for (const off of this.offs.splice(0)) off();
    this.activity.destroy();
    this.media?.destroy();
    this.media = null;
    this.video.removeAttribute("src");
    this.video.load();
  }
}
