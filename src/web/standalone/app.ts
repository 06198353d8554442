/**
 * Page controller: one PartyClient (recreated when the display name
 * changes, since the name travels in the connection's hello), and the
 * screen for the current step: lobby, invite page or room.
 *
 * One person, one member: as the page goes away (pagehide) it keeps its
 * resume token and activity feed (storage.ts) and tells the server
 * `leaving`, so the seat is kept only briefly; a reload, or the tab opened
 * again on the party within that time, resumes that member (id, host role,
 * room, feed) before doing anything else, and a closed tab frees the seat
 * within the server's `leaving_grace_ms`.
 */
import { type ActivityEntry, type ConnectionState, PartyClient } from "../../client/index.js";
import type { ClientHelloPayload } from "../../protocol/index.js";
import type { Banner } from "./banner.js";
import { replace } from "./dom.js";
import { invitePage, roomGonePage } from "./invite-page.js";
import { setLimits } from "./limits.js";
import { type CreateOptions, Lobby } from "./lobby.js";
import { inviteBase, pagePath } from "./paths.js";
import { RoomView } from "./room-view.js";
import { keepResume, storedName, storeName, takeResume } from "./storage.js";
import { mediaTitle } from "./validate.js";

/** The server admits Jellyfin users only (started with --jellyfin-url): what this page can and cannot do about it. */
const JELLYFIN_ONLY =
  "This party server admits Jellyfin users only (it runs with --jellyfin-url), and this page cannot sign in to Jellyfin. " +
  "Start or join the party from Jellyfin's own page (where OpenSyncParty's script adds it), or ask whoever runs the server.";

/** What the page says when the server could not be used: the refusal for Jellyfin-only servers, else the error's own words (no class name). */
function serverProblem(err: unknown): { text: string; jellyfinOnly: boolean } {
  const code = err instanceof Error && "code" in err ? String(err.code) : "";
  if (code === "auth_required" || code === "auth_failed") return { text: JELLYFIN_ONLY, jellyfinOnly: true };
  return { text: err instanceof Error ? err.message : String(err), jellyfinOnly: false };
}

const CONNECTION_TEXT: Partial<Record<ConnectionState, string>> = {
  connecting: "Connecting to the party server…",
  reconnecting: "Connection lost — reconnecting…",
  closed: "Disconnected from the party server. Reload the page to try again.",
};

export class App {
  client: PartyClient | null = null;
  /** The server refused this page for good (Jellyfin users only): no reconnect hints. */
  private refusedJellyfinOnly = false;
  private clientName = "";
  private lobby: Lobby | null = null;
  private room: RoomView | null = null;
  private hello: ClientHelloPayload | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly banner: Banner,
    private readonly serverUrl: string,
  ) {
    addEventListener("pagehide", () => this.goingAway());
  }

  async start(): Promise<void> {
    const roomId = new URL(location.href).searchParams.get("room");
    const name = storedName();
    const resume = takeResume(roomId);
    if (resume) {
      // A reload of this tab: take the same member back before anything else.
      try {
        const client = await this.ensureClient(name, resume.token);
        if (client.room && client.room.id === resume.roomId) return this.showRoom(client, resume.activity);
      } catch {
        // could not resume: carry on as a new visitor
      }
    }
    if (roomId) await this.showInvite(roomId, name);
    else await this.showLobby();
  }

  /** The tab is closing or reloading: keep the token for a reload, and ask the server to hold the seat only briefly. */
  private goingAway(): void {
    const client = this.client;
    const token = client?.connection.sessionToken;
    if (!client || !token || !client.room) return;
    keepResume({ token, roomId: client.room.id, activity: [...(this.room?.activityEntries ?? [])] }, this.hello?.leaving_grace_ms);
    client.connection.send("leaving", {});
  }

  private async ensureClient(name: string, resumeToken?: string): Promise<PartyClient> {
    if (this.client && this.clientName === name) {
      await this.client.connect();
      return this.client;
    }
    const old = this.client;
    this.client = null;
    old?.close();
    const client = new PartyClient({
      url: this.serverUrl,
      ...(name ? { displayName: name } : {}),
      ...(resumeToken ? { resumeToken } : {}),
    });
    this.client = client;
    this.clientName = name;
    client.on("connection", ({ state }) => {
      if (this.client !== client) return;
      const text = CONNECTION_TEXT[state];
      if (state === "closed" && this.refusedJellyfinOnly) return;
      if (text) this.banner.set("connection", state === "closed" ? "error" : "warn", text);
      else this.banner.clear("connection");
    });
    client.on("message", (m) => {
      if (m.type !== "client_hello") return;
      this.hello = m.payload;
      setLimits(m.payload.limits);
    });
    client.on("error", (err) => {
      const problem = serverProblem(err);
      if (problem.jellyfinOnly) this.refuseJellyfinOnly(problem.text);
      else this.banner.set("server", "error", `Server error: ${problem.text}`, true);
    });
    client.on("rooms", (rooms) => this.lobby?.renderRooms(rooms));
    client.on("left", ({ reason }) => {
      this.banner.set("server", "warn", `You left the room (${reason.replace(/_/g, " ")}).`, true);
      void this.showLobby();
    });
    await client.connect();
    return client;
  }

  private async showLobby(): Promise<void> {
    this.closeRoom();
    history.replaceState(null, "", pagePath());
    document.title = "OpenSyncParty";
    this.lobby = new Lobby(
      {
        create: (o) => this.create(o),
        join: (id, name) => this.enter(id, name),
        inviteBase: () => inviteBase(this.hello),
      },
      storedName(),
    );
    replace(this.root, this.lobby.el);
    try {
      const client = await this.ensureClient(this.clientName || storedName());
      this.lobby?.renderRooms(client.rooms);
    } catch (err) {
      const problem = serverProblem(err);
      if (problem.jellyfinOnly) this.refuseJellyfinOnly(problem.text);
      else this.banner.set("server", "error", `Cannot reach the party server: ${problem.text}`);
    }
  }

  /** The server admits Jellyfin users only: reloading does not help, so no "Disconnected … reload" line and no form that can only fail. */
  private refuseJellyfinOnly(text: string): void {
    this.refusedJellyfinOnly = true;
    this.banner.clear("connection");
    this.banner.set("server", "error", text);
    this.lobby?.refuse(text);
  }

  /** An invite link: show the room (name, host, title) before asking for a name, or say at once that it is gone. */
  private async showInvite(roomId: string, name: string): Promise<void> {
    let info: Awaited<ReturnType<PartyClient["roomInfo"]>>;
    try {
      const client = await this.ensureClient(name);
      info = await client.roomInfo(roomId);
    } catch (err) {
      const gone = err instanceof Error && "code" in err && err.code === "room_not_found";
      const problem = serverProblem(err);
      const why = gone
        ? "The room has ended (everyone left) or the link is wrong. Ask for a new invite, or start your own party."
        : problem.jellyfinOnly
          ? problem.text
          : `Could not reach the party server: ${problem.text}`;
      replace(this.root, roomGonePage(roomId, why, () => void this.showLobby()));
      return;
    }
    document.title = `${info.name} · OpenSyncParty`;
    if (name && !info.password) return this.enter(roomId, name);
    replace(
      this.root,
      invitePage(info, name, {
        join: (n, password) => this.enter(roomId, n, password, true),
        toLobby: () => void this.showLobby(),
      }),
    );
  }

  private async create(o: CreateOptions): Promise<void> {
    storeName(o.displayName);
    const client = await this.ensureClient(o.displayName);
    await client.createRoom({
      name: o.roomName,
      mediaUrl: o.mediaUrl,
      mediaTitle: mediaTitle(o.mediaUrl),
      ...(o.unlisted ? { private: true } : {}),
      ...(o.password ? { password: o.password } : {}),
    });
    this.showRoom(client);
  }

  /** Joins; with `rethrow` the caller (the invite form) shows the error, else it becomes a banner. */
  private async enter(roomId: string, name: string, password?: string, rethrow = false): Promise<void> {
    storeName(name);
    try {
      const client = await this.ensureClient(name);
      await client.joinRoom(roomId, password ? { password } : {});
      this.showRoom(client);
    } catch (err) {
      if (rethrow) throw err;
      this.banner.set("server", "error", `Could not join the room: ${err instanceof Error ? err.message : String(err)}`, true);
      await this.showLobby();
    }
  }

  private showRoom(client: PartyClient, earlierActivity?: ActivityEntry[]): void {
    const room = client.room;
    if (!room) return;
    this.lobby = null;
    this.closeRoom();
    history.replaceState(null, "", pagePath(room.id));
    this.room = new RoomView(client, this.banner, () => void this.leave(), inviteBase(this.hello), earlierActivity);
    replace(this.root, this.room.el);
  }

  private async leave(): Promise<void> {
    try {
      await this.client?.leaveRoom();
    } catch (err) {
      this.banner.set("server", "error", String(err), true);
    }
    await this.showLobby();
  }

  private closeRoom(): void {
    this.room?.destroy();
    this.room = null;
  }

  /** The current room's engine and video, for tests. */
  get roomView(): RoomView | null {
    return this.room;
  }
}
