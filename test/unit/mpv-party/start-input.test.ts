/** What users type for the mpv command's server and room, and how mpv's output becomes one reason. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseMpvArgs } from "../../../src/cli/mpv.js";
import { inviteServer, normalizeRoomId } from "../../../src/mpv-party/room-id.js";
import { MpvPartyError, serverWsUrl } from "../../../src/mpv-party/server-connect.js";
import { mpvProblem } from "../../../src/players/mpv/launch-mpv.js";

test("room ids: trimmed, unquoted, trailing slash dropped, invite links read, server-made ids lower-cased", { timeout: 5000 }, () => {
  const cases: [string, string][] = [
    [" k3xq9mbw2a ", "k3xq9mbw2a"],
    ["k3xq9mbw2a/", "k3xq9mbw2a"],
    ["K3XQ9MBW2A", "k3xq9mbw2a"],
    ["'k3xq9mbw2a'", "k3xq9mbw2a"],
    ["<k3xq9mbw2a>", "k3xq9mbw2a"],
    ["https://party.example/sub/?room=k3xq9mbw2a", "k3xq9mbw2a"],
    ["?room=k3xq9mbw2a", "k3xq9mbw2a"],
    // Not of the server-made shape: kept as typed (the server decides), only trimmed.
    [" My-Room ", "My-Room"],
    ["   ", ""],
  ];
  for (const [typed, id] of cases) assert.equal(normalizeRoomId(typed), id, JSON.stringify(typed));
});

test("--server: ws(s) as given; the page's http(s) address becomes its /ws; other schemes refused", { timeout: 5000 }, () => {
  const cases: [string, string][] = [
    ["ws://localhost:3001/ws", "ws://localhost:3001/ws"],
    ["wss://party.example/ws", "wss://party.example/ws"],
    ["http://localhost:3901", "ws://localhost:3901/ws"],
    ["http://localhost:3901/", "ws://localhost:3901/ws"],
    ["https://party.example/party/", "wss://party.example/party/ws"],
    ["https://party.example/party/index.html?room=abc#x", "wss://party.example/party/ws"],
    ["http://localhost:3901/ws", "ws://localhost:3901/ws"],
    [" http://localhost:3901 ", "ws://localhost:3901/ws"],
  ];
  for (const [typed, url] of cases) assert.equal(serverWsUrl(typed), url, typed);
  assert.throws(() => serverWsUrl("ftp://x/ws"), (e: Error) => e instanceof MpvPartyError && /ws:\/\/, wss:\/\/, http:\/\/ or https:\/\//.test(e.message));
  assert.throws(() => serverWsUrl("localhost:3001"), MpvPartyError);
  assert.throws(() => serverWsUrl("nonsense"), /expects a URL such as ws:\/\/localhost:3001\/ws/);
});

test("--room <invite link> without --server connects to the link's server; --server or OSP_SERVER still win", { timeout: 5000 }, () => {
  const link = "http://192.0.2.2:4555/?room=2zerppqckq";
  assert.equal(parseMpvArgs(["clip.mp4", "--room", link], {}).options.server, "ws://192.0.2.2:4555/ws");
  assert.equal(parseMpvArgs(["clip.mp4", "--room", "https://party.example/sub/?room=k3xq9mbw2a"], {}).options.server, "wss://party.example/sub/ws");
  assert.equal(parseMpvArgs(["clip.mp4", "--room", link, "--server", "ws://other:1/ws"], {}).options.server, "ws://other:1/ws");
  assert.equal(parseMpvArgs(["clip.mp4", "--room", link], { OSP_SERVER: "ws://env:2/ws" }).options.server, "ws://env:2/ws");
  assert.equal(parseMpvArgs(["clip.mp4", "--room", "2zerppqckq"], {}).options.server, "ws://localhost:3001/ws", "a bare id: the default");
  assert.equal(inviteServer("https://example.com/page"), null, "a link without ?room= names no party");
});

test("mpv's output: the line that names the problem, without its module tag or the ytdl hook's noise", { timeout: 5000 }, () => {
  const missing = "[file] Cannot open file '/x/nope.mp4': No such file or directory\nFailed to open /x/nope.mp4.\n\nExiting... (Quit)\n";
  assert.equal(mpvProblem(missing), "Cannot open file '/x/nope.mp4': No such file or directory");
  const refused =
    "[ffmpeg] tcp: Connection to tcp://127.0.0.1:1 failed: Connection refused\nFailed to open http://127.0.0.1:1/x.mp4.\n[ytdl_hook] youtube-dl failed: not found\n";
  assert.equal(mpvProblem(refused), "tcp: Connection to tcp://127.0.0.1:1 failed: Connection refused");
  assert.equal(mpvProblem("Playing: a.mkv\n"), "Playing: a.mkv");
  const earlier = "[vo/gpu] Failed to create a context\nPlaying: /x/b.mkv\nFailed to recognize file format.\n";
  assert.equal(mpvProblem(earlier), "Failed to recognize file format.", "start-up warnings before Playing: are not the file's problem");
  assert.equal(mpvProblem(""), "");
});
