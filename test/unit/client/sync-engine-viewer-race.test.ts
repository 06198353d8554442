/**
 * A viewer's change that the player already shows while its event is still
 * queued (Chromium dispatches `seeking` in a later task; an engine tick can
 * run in between). The engine must not "correct" it away first: in the
 * Jellyfin orders test a host's paused seek to 12 s was seeked back to the
 * room's 6.07 s by such a tick, and the engine's own seek was then reported
 * as the host's, so the room never moved.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { harness } from "./sync-harness.js";

const EVENT_DELAY_MS = 150; // longer than a tick (100 ms): the tick always sees the change first

describe("SyncEngine: a viewer's change shown before its event", { timeout: 30_000 }, () => {
  // Right after a new line the offset filter holds one reading, so the first tick that sees the viewer's
  // position acts on it: the Jellyfin test's host paused, got the room's answer, and seeked at once.
  it("paused: a host's seek right after the pause's answer becomes the room's command and is not seeked back", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true, player: { seekLatencyMs: 40 } });
    const play = h.playing(4);
    h.engine.setTimeline(play);
    await h.clock.advanceAsync(2000);
    h.player.userPause();
    const at = h.player.truePosition();
    const paused = h.paused(at);
    h.engine.setTimeline(paused, play); // the pause's answer
    await h.clock.advanceAsync(30);
    const seeksBefore = h.player.seeks.length;
    h.player.userSeekQueued(12, EVENT_DELAY_MS);
    await h.clock.advanceAsync(EVENT_DELAY_MS + 200);
    assert.deepEqual(h.commands, [{ action: "pause", position: at }, { action: "seek", position: 12 }]);
    assert.deepEqual(h.player.seeks.slice(seeksBefore), [], "the engine did not seek the viewer's player back to the room");
    const answer = h.paused(12, h.serverNow() + 300);
    h.engine.setTimeline(answer, paused);
    await h.clock.advanceAsync(1500);
    assert.ok(Math.abs(h.trueOffsetMs(answer)) < 20, `offset ${h.trueOffsetMs(answer)}`);
    assert.equal(h.commands.length, 2, "no other command when the queued event arrives");
    h.engine.destroy();
  });

  it("playing: a host's seek right after a new line becomes the room's command and is not seeked back", { timeout: 30_000 }, async () => {
    const h = harness({ canControl: true, player: { seekLatencyMs: 40 } });
    const first = h.playing(4);
    h.engine.setTimeline(first);
    await h.clock.advanceAsync(2000);
    const line = h.playing(h.player.truePosition()); // re-anchored where the player is (e.g. a rate change's answer)
    h.engine.setTimeline({ ...line, rate: 1.0001 }, first);
    await h.clock.advanceAsync(30);
    const seeksBefore = h.player.seeks.length;
    h.player.userSeekQueued(20, EVENT_DELAY_MS);
    await h.clock.advanceAsync(EVENT_DELAY_MS + 200);
    assert.deepEqual(h.commands, [{ action: "seek", position: 20 }]);
    assert.deepEqual(h.player.seeks.slice(seeksBefore), [], "the engine did not seek the viewer's player back to the room");
    h.engine.destroy();
  });

  it("a guest's seek is put back once, and its late event does not move the player again", { timeout: 30_000 }, async () => {
    const h = harness({ player: { seekLatencyMs: 40 } });
    const line = h.paused(6.07);
    h.engine.setTimeline(line);
    await h.clock.advanceAsync(2000);
    const seeksBefore = h.player.seeks.length;
    h.player.userSeekQueued(12, EVENT_DELAY_MS);
    await h.clock.advanceAsync(EVENT_DELAY_MS + 1000);
    assert.deepEqual(h.commands, []);
    assert.equal(h.player.seeks.length - seeksBefore, 1, `seeks: ${JSON.stringify(h.player.seeks.slice(seeksBefore))}`);
    assert.ok(Math.abs(h.trueOffsetMs(line)) < 20, `offset ${h.trueOffsetMs(line)}`);
    h.engine.destroy();
  });
});
