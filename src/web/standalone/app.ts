/**
 * Page controller: one PartyClient (recreated when the display name
 * changes, since the name travels in the connection's hello), and the
 * screen for the current step: lobby, name prompt or room.
 */
import { type ConnectionState, PartyClient } from "../../client/index.js";
import type { Banner } from "./banner.js";
import { replace } from "./dom.js";
import { Lobby } from "./lobby.js";
import { namePrompt } from "./name-prompt.js";
import { RoomView } from "./room-view.js";
import { storedName, storeName } from "./storage.js";
import { mediaTitle } from "./validate.js";

const CONNECTION_TEXT: Partial<Record<ConnectionState, string>> = {
  connecting: "Connecting to the party server…",
  reconnecting: "Connection lost — reconnecting…",
  closed: "Disconnected from the party server. Reload the page to try again.",
};

export class App {
  client: PartyClient | null = null;
  private clientName = "";
  private lobby: Lobby | null = null;
  private room: RoomView | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly banner: Banner,
    private readonly serverUrl: string,
  ) {}

  async start(): Promise<void> {
    const roomId = new URL(location.href).searchParams.get("room");
    const name = storedName();
    if (roomId && !name) {
      replace(this.root, namePrompt((n) => void this.enter(roomId, n)));
    } else if (roomId) {
      await this.enter(roomId, name);
    } else {
      await this.showLobby();
    }
  }

  private async ensureClient(name: string): Promise<PartyClient> {
    if (this.client && this.clientName === name) {
      await this.client.connect();
      return this.client;
    }
    const old = this.client;
    this.client = null;
    old?.close();
    const client = new PartyClient({ url: this.serverUrl, displayName: name || undefined });
    this.client = client;
    this.clientName = name;
    client.on("connection", ({ state }) => {
      if (this.client !== client) return;
      const text = CONNECTION_TEXT[state];
      if (text) this.banner.set("connection", state === "closed" ? "error" : "warn", text);
      else this.banner.clear("connection");
    });
    client.on("error", (err) => this.banner.set("server", "error", `Server error: ${err.message}`, true));
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
    history.replaceState(null, "", "/");
    document.title = "OpenSyncParty";
    this.lobby = new Lobby(
      {
        create: (o) => this.create(o),
        join: (id, name) => this.enter(id, name),
      },
      storedName(),
    );
    replace(this.root, this.lobby.el);
    try {
      const client = await this.ensureClient(this.clientName || storedName());
      this.lobby?.renderRooms(client.rooms);
    } catch (err) {
      this.banner.set("server", "error", `Cannot reach the party server: ${String(err)}`);
    }
  }

  private async create(o: { roomName: string; mediaUrl: string; displayName: string }): Promise<void> {
    storeName(o.displayName);
    const client = await this.ensureClient(o.displayName);
    await client.createRoom({ name: o.roomName, mediaUrl: o.mediaUrl, mediaTitle: mediaTitle(o.mediaUrl) });
    this.showRoom(client);
  }

  private async enter(roomId: string, name: string): Promise<void> {
    storeName(name);
    try {
      const client = await this.ensureClient(name);
      await client.joinRoom(roomId);
      this.showRoom(client);
    } catch (err) {
      this.banner.set("server", "error", `Could not join the room: ${err instanceof Error ? err.message : String(err)}`, true);
      await this.showLobby();
    }
  }

  private showRoom(client: PartyClient): void {
    const room = client.room;
    if (!room) return;
    this.lobby = null;
    this.closeRoom();
    history.replaceState(null, "", `/?room=${encodeURIComponent(room.id)}`);
    this.room = new RoomView(client, this.banner, () => void this.leave());
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
