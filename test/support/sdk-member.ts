/** An SDK PartyClient over a real Node WebSocket, connected and clock-synced, closed on teardown. */
import { PartyClient } from "../../src/client/index.js";
import { nodeWebSocket } from "../../src/client/node-socket.js";
import type { PartyClientOptions } from "../../src/client/party/party-client-types.js";
import { FakePlayer } from "./fake-player.js";
import { realClock } from "./real-clock.js";
import { waitFor } from "./wait-for.js";

/** `options`: the test's own PartyClient options (timeouts, backoff) besides the URL, name and socket. */
export async function sdkMember(
  t: { after(fn: () => void): void },
  url: string,
  name: string,
  timeoutMs = 15_000,
  options: Omit<PartyClientOptions, "url" | "displayName" | "createSocket"> = {},
): Promise<PartyClient> {
  const client = new PartyClient({ ...options, url, displayName: name, createSocket: nodeWebSocket });
  t.after(() => client.close());
  await client.connect();
  await waitFor(() => client.clock.synced, `${name} clock sync`, timeoutMs);
  return client;
}

/** A FakePlayer on the real clock attached to `client` (the sync engine drives it). */
export function attachFakePlayer(client: PartyClient): FakePlayer {
  const player = new FakePlayer({ clock: realClock, seekLatencyMs: 30, startDelayMs: 0 });
  client.attachPlayer(player);
  return player;
}
