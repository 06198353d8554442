/**
 * The room: the video (with the autoplay prompt), participants with sync
 * status, chat, invite link, controls and, for the host, "Change media";
 * kept current from the client's events. Media failures are probed and
 * named (probe.ts).
 */
import type { ActivityEntry, PartyClient, SyncStatus } from "../../client/index.js";
import { AutoplayPrompt } from "./autoplay.js";
import type { Banner } from "./banner.js";
import { ActivityFeed, EndedBox } from "./activity.js";
import { ChatPanel } from "./chat.js";
import { Controls } from "./controls.js";
import { button, h } from "./dom.js";
import { failureText } from "./failures.js";
import { invitePanel } from "./invite.js";
import { loopbackMediaWarning } from "./loopback-warning.js";
import { applyLimits } from "./limits.js";
import { type AttachedMedia, attachMedia } from "./media.js";
import { mediaForm } from "./media-form.js";
import { ParticipantList } from "./participants.js";
import { probeMedia } from "./probe.js";
import { myStatusWord } from "./status-words.js";

export class RoomView {
  readonly el: HTMLElement;
  readonly video = h("video", { id: "video", controls: true, playsinline: true, preload: "auto" });
  private readonly title = h("h1", { class: "room-title" });
  private readonly mediaLine = h("p", { class: "muted media-title" });
  private readonly myStatus = h("p", { class: "my-status", "aria-live": "polite" });
  /** For the host: the room's media is a loopback link friends cannot reach (loopback-warning.ts). */
  private readonly inviteWarning = h("p", { id: "invite-warning", class: "form-warning", role: "status" });
  private readonly participants = new ParticipantList();
  private readonly chat: ChatPanel;
  private readonly controls: Controls;
  private readonly prompt: AutoplayPrompt;
  private readonly changeMedia: HTMLDetailsElement;
  private readonly activity: ActivityFeed;
  private readonly ended: EndedBox;
  private media: AttachedMedia | null = null;
  private loadingUrl: string | null = null;
  private status: SyncStatus | null = null;
  private mediaProblem = false;
  private readonly offs: Array<() => void> = [];

  constructor(
    private readonly client: PartyClient,
    private readonly banner: Banner,
    onLeave: () => void,
    private readonly inviteBase: URL,
    earlierActivity: readonly ActivityEntry[] = [],
  ) {
    const onError = (e: unknown, what = "Your action") => banner.set("server", "error", failureText(what, e), true);
    this.chat = new ChatPanel((text, nonce) => client.sendChat(text, nonce));
    this.controls = new Controls(client, onError);
    this.prompt = new AutoplayPrompt(this.video, () => this.startFromClick(), (needsClick) => this.reportNeedsClick(needsClick));
    this.changeMedia = mediaForm((c) =>
      client.updateSettings({ media_url: c.mediaUrl, media_title: c.mediaTitle, start_pos: c.startSeconds }), inviteBase,
    ) as HTMLDetailsElement;
    this.activity = new ActivityFeed(client, earlierActivity);
    this.ended = new EndedBox(client, onError);
    const room = client.room;
    this.el = h(
      "main",
      { class: "room" },
      h("header", { class: "room-head" }, h("div", {}, this.title, this.mediaLine), button("Leave room", onLeave, { id: "btn-leave" })),
      h(
        "div",
        { class: "stage" },
        h("div", { class: "player" }, this.video, this.prompt.el, this.prompt.unmute, this.myStatus, this.ended.el),
        this.controls.el,
        this.changeMedia,
      ),
      h(
        "aside",
        { class: "side" },
        h("section", { class: "card", "aria-labelledby": "people-title" }, h("h2", { id: "people-title" }, "Watching"), this.participants.el, room && invitePanel(room.id, inviteBase), this.inviteWarning),
        this.activity.el,
        this.chat.el,
      ),
    );
    applyLimits(this.el);
    this.offs.push(
      client.on("change", () => this.render()),
      client.on("chat", (entry) => this.chat.add(entry)),
      client.on("room", () => this.render(true)),
      client.on("connection", ({ state }) => {
        // The server keeps the flag in memory only: say it again on a new connection (a restart).
        if (state === "open" && this.mediaProblem) this.reportMediaProblem(true);
        this.render();
      }),
    );
    this.render(true);
  }

  /** The word under the video; the same word is my row in the member list. */
  get myWord(): string {
    return myStatusWord({
      connection: this.client.connection.state,
      needsClick: this.prompt.visible,
      mediaProblem: this.mediaProblem,
      status: this.status,
    });
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
      transferHost: (id) => void this.client.transferHost(id).catch((e: unknown) => this.banner.set("server", "error", failureText("Making them host", e), true)),
    });
    this.renderMyWord();
    this.controls.render();
    this.changeMedia.hidden = !this.client.isHost;
    const warning = this.client.isHost && room.mediaUrl ? loopbackMediaWarning(room.mediaUrl, this.inviteBase) : null;
    this.inviteWarning.textContent = warning ?? "";
    this.inviteWarning.hidden = !warning;
    this.ended.render();
    if (full) this.chat.reset(room.chat);
    if (room.mediaUrl && room.mediaUrl !== this.loadingUrl) void this.load(room.mediaUrl);
    else if (!room.mediaUrl && this.loadingUrl) this.unload(room.mediaTitle ?? room.mediaId ?? "other media");
  }

  /** The room's media has no URL this page can play (a Jellyfin item): the old video must not follow its timeline. */
  private unload(what: string): void {
    this.loadingUrl = null;
    this.media?.destroy();
    this.media = null;
    this.status = null;
    this.controls.setEngine(null);
    this.prompt.hide();
    this.mediaProblem = true;
    this.reportMediaProblem(true);
    this.banner.set("media", "error", `Not synced: the room now plays ${what}, which has no link this page can play.`, true);
    this.renderMyWord();
  }

  /** The line under the video and my row in the list: one word, updated together. */
  private renderMyWord(): void {
    const word = this.myWord;
    this.myStatus.textContent = `You: ${word}`;
    this.myStatus.dataset.word = word;
    this.participants.setWord(this.client.clientId, word);
  }

  private async load(url: string): Promise<void> {
    this.loadingUrl = url;
    this.media?.destroy();
    this.media = null;
    this.status = null;
    if (this.mediaProblem) this.reportMediaProblem(false);
    this.mediaProblem = false;
    this.prompt.hide();
    this.controls.setEngine(null);
    this.banner.set("media", "info", "Loading media…");
    try {
      const media = await attachMedia(this.client, this.video, url, {
        onError: (message) => void this.failed(url, message),
        onAutoplayBlocked: () => {
          if (this.loadingUrl === url) this.prompt.show();
        },
      });
      if (this.loadingUrl !== url) return media.destroy();
      this.media = media;
      this.controls.setEngine(media.engine);
      this.offs.push(
        media.engine.on("status", (s) => {
          if (this.media !== media) return;
          this.status = s;
          this.renderMyWord();
        }),
      );
      // The engine may have said its first status while attaching (the clock was already synced, as after a
      // media change), before this listener existed; it says the next only when the state changes.
      this.status = media.engine.status();
      this.banner.clear("media");
      this.render();
    } catch (err) {
      await this.failed(url, err instanceof Error ? err.message : String(err));
    }
  }

  /** Names why the media failed (probing it), shows it, and opens "Change media" for the host. */
  private async failed(url: string, fallback: string): Promise<void> {
    if (this.loadingUrl !== url) return;
    this.mediaProblem = true;
    this.reportMediaProblem(true);
    this.render();
    this.banner.set("media", "error", `Media problem: ${fallback}`, true);
    const problem = await probeMedia(url).catch(() => null);
    if (this.loadingUrl !== url) return;
    const text = problem ? problem.message : fallback;
    this.banner.set("media", "error", `Media problem: ${text}${this.client.isHost ? " You can change the room's media below." : ""}`, true);
    if (this.client.isHost) this.changeMedia.open = true;
  }

  /** Runs inside the prompt's click: starts the player if the room plays (the gesture lets it). */
  private startFromClick(): void {
    const room = this.client.room;
    if (this.media && room?.timeline.play_state === "playing") void this.media.player.play().catch(() => this.prompt.show());
  }

  private reportNeedsClick(needsClick: boolean): void {
    this.client.connection.send("sync_report", {
      offset_ms: this.status?.offsetMs ?? 0,
      rtt_ms: this.client.clock.rttMs ?? 0,
      needs_click: needsClick,
    });
    this.renderMyWord();
  }

  /** Tells the room this viewer's media does not load (or loads again): the others see "media problem" on its row. */
  private reportMediaProblem(problem: boolean): void {
    this.client.connection.send("sync_report", { offset_ms: 0, rtt_ms: this.client.clock.rttMs ?? 0, media_problem: problem });
  }

  /** The activity feed's lines, oldest first: kept across a reload. */
  get activityEntries(): readonly ActivityEntry[] {
    return this.activity.entries;
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
