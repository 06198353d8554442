/**
 * The server process stands still (SIGSTOP, as a suspended VM or a laptop
 * lid does) while a member seeks. Before: the SDK told the member "timeout"
 * after 10 s, and when the server woke it read the seek that had waited in
 * the kernel and moved everyone to it, long after. Now a command read after
 * a stall is refused `server_stalled` (src/server/core/stall-watch.ts):
 * given up by its sender, it does not apply; still awaited, the SDK sends it
 * again, fresh, and it applies — what the member was told is what happened.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { startServe } from "../support/serve-process.js";
import { attachFakePlayer, sdkMember } from "../support/sdk-member.js";
import { waitFor } from "../support/wait-for.js";

test("a seek that waited through a server stall applies only if its sender still waits for it", { timeout: 150_000 }, async (t) => {
  const server = await startServe(t, []);
  const pid = server.child.pid!;
  t.after(() => {
    try {
      process.kill(pid, "SIGCONT");
    } catch {}
  });
  const options = { backoff: { initialDelayMs: 100, maxDelayMs: 1000 } };
  const host = await sdkMember(t, server.url, "Ana", 15_000, options);
  const guest = await sdkMember(t, server.url, "Ben", 15_000, options);
  const room = await host.createRoom({ name: "Stall", mediaUrl: "https://media.example/film.mp4" });
  await guest.joinRoom(room.id);
  const hostPlayer = attachFakePlayer(host);
  const guestPlayer = attachFakePlayer(guest);
  await host.play(5);
  await waitFor(() => guest.room?.timeline.play_state === "playing", "Ben sees play", 15_000);
  const together = async (what: string) => {
    let gapMs = Number.POSITIVE_INFINITY;
    await waitFor(() => {
      gapMs = Math.abs(guestPlayer.getPosition() - hostPlayer.getPosition()) * 1000;
      return gapMs < 50;
    }, what, 30_000).catch((e: unknown) => assert.fail(`${String(e)}: ${gapMs.toFixed(0)} ms apart`));
    return gapMs;
  };
  const marker = async (text: string) => {
    await host.sendChat(text);
    await waitFor(() => guest.room?.chat.some((e) => e.text === text), `Ben reads "${text}"`, 30_000);
  };

  // 1. Stopped longer than the SDK waits: Ana is told "timeout", and the seek must not apply on waking.
  process.kill(pid, "SIGSTOP");
  let stoppedAt = Date.now();
  const given = await host.seek(600).then(
    () => "acked",
    (e: { code?: string }) => e.code,
  );
  assert.equal(given, "timeout", "the server was stopped: no answer");
  await waitFor(() => Date.now() - stoppedAt >= 12_000, "a 12 s stop", 20_000);
  process.kill(pid, "SIGCONT");
  await marker("awake");
  assert.ok(host.room!.timeline.position < 100, `the seek Ana was told had failed did not apply: ${JSON.stringify(host.room!.timeline)}`);
  const gap1 = await together("players together after the first stop");

  // 2. Stopped shorter than the SDK waits: the seek is sent again when refused, applies, and Ana is told so.
  process.kill(pid, "SIGSTOP");
  stoppedAt = Date.now();
  const seek = host.seek(300);
  await waitFor(() => Date.now() - stoppedAt >= 4_000, "a 4 s stop", 10_000);
  process.kill(pid, "SIGCONT");
  const ack = await seek;
  assert.equal(ack.timeline?.position, 300, "the seek applied once the server was back");
  await waitFor(() => guest.room?.timeline.position === 300, "Ben has the seek", 15_000);
  const gap2 = await together("players together after the second stop");
  t.diagnostic(`players ${gap1.toFixed(1)} ms apart after a 12 s stop, ${gap2.toFixed(1)} ms after a 4 s stop`);
});
