import assert from "node:assert/strict";
import { test } from "node:test";
import { SentCommands } from "../../../../src/client/party/sent-commands.js";
import type { Timeline } from "../../../../src/protocol/index.js";

const room: Timeline = { position: 5, play_state: "paused", rate: 1, anchor_server_ts: 1000, duration: 30 };

test("sent-commands: the projection holds while any command is unanswered, then the room's line is back", { timeout: 5_000 }, () => {
  const sent = new SentCommands();
  assert.equal(sent.timeline(room), room);
  const first = sent.sent(room, "seek", 15, 2000);
  assert.equal(sent.seekPending, true);
  assert.deepEqual(sent.timeline(room), { ...room, position: 15, anchor_server_ts: 2000 });
  const second = sent.sent(room, "play", 25, 2100);
  assert.deepEqual(sent.timeline(room), { ...room, position: 25, play_state: "playing", anchor_server_ts: 2100 });
  first();
  first(); // idempotent
  assert.equal(sent.pending, true);
  assert.equal(sent.seekPending, false, "the seek was answered, the play is not");
  assert.equal(sent.timeline(room).position, 25, "the latest command's line until every answer is in");
  second();
  assert.equal(sent.pending, false);
  assert.equal(sent.timeline(room), room);
});

test("sent-commands: a seek keeps play state and rate, a rate change is kept, positions stay within the media", { timeout: 5_000 }, () => {
  const sent = new SentCommands();
  const playing: Timeline = { ...room, play_state: "playing", rate: 1.5 };
  sent.sent(playing, "seek", 99, 3000);
  assert.deepEqual(sent.timeline(playing), { ...playing, position: 30, anchor_server_ts: 3000 });
  sent.sent(playing, "pause", 12, 3100, 2);
  assert.deepEqual(sent.timeline(playing), { ...playing, position: 12, play_state: "paused", rate: 2, anchor_server_ts: 3100 });
});

test("sent-commands: clear() forgets the projection and answers sent before it", { timeout: 5_000 }, () => {
  const sent = new SentCommands();
  const old = sent.sent(room, "seek", 20, 2000);
  sent.clear();
  assert.equal(sent.timeline(room), room);
  const next = sent.sent(room, "seek", 10, 2500);
  old(); // an answer from before clear() does not end the new projection
  assert.equal(sent.timeline(room).position, 10);
  next();
  assert.equal(sent.timeline(room), room);
});
