/**
 * Running out of file descriptors is a clean refusal, never EMFILE: a
 * `serve` process with a low open-file limit caps its connections below
 * it and answers the rest with `server_full`, staying healthy.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { startServe } from "../support/serve-process.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

function hasPrlimit(): boolean {
  try {
    execFileSync("prlimit", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

test("with 400 descriptors, floods of 200 then 300 connections are refused past the cap (server_full, or closed at accept), and the server stays up", { timeout: 120_000 }, async (t) => {
  if (!hasPrlimit()) {
    if (process.env.CI === "true") throw new Error("prlimit (util-linux) is needed for this test");
    t.skip("prlimit not installed");
    return;
  }
  const server = await startServe(t, ["--data-file", "none", "--max-connections-per-ip", "0"], 30_000, ["prlimit", "--nofile=400:400"]);
  const listening = server.logs.find((l) => l.msg === "OpenSyncParty listening")!;
  assert.equal(listening.fd_limit, 400);
  const cap = Number(listening.max_connections);
  assert.ok(cap < 400, `the cap (${cap}) is below the descriptor limit`);

  const wave = (n: number) =>
    Promise.all(
      Array.from({ length: n }, async () => {
        let c: TestClient;
        try {
          c = await TestClient.connect(t, server.url, { awaitHello: false, handshakeTimeoutMs: 20_000 });
        } catch {
          return "dropped"; // Node's own cap below the descriptor limit closed it before the handshake, or never took it
        }
        const first = await waitFor(() => c.messages.find((m) => m.type === "client_hello" || m.type === "error"), "a hello or a refusal", 20_000);
        return first.type === "client_hello" ? "in" : String(first.payload.code);
      }),
    );
  // Within the descriptor budget every connection over the cap is told why.
  const first = await wave(200);
  assert.equal(first.filter((r) => r === "in").length, cap, "exactly the cap got in");
  assert.equal(first.filter((r) => r === "server_full").length, 200 - cap, `the rest got server_full: ${[...new Set(first)].join(", ")}`);
  // A flood beyond the descriptors: nobody else gets in, and nothing breaks.
  const second = await wave(300);
  assert.deepEqual([...new Set(second)].filter((r) => r !== "server_full" && r !== "dropped"), [], "only refusals");
  const health = await fetch(`${server.httpUrl}/health`);
  assert.equal(health.status, 200);
  assert.equal(server.child.exitCode, null, "still running");
  assert.ok(!server.stderr.includes("EMFILE") && !server.logs.some((l) => JSON.stringify(l).includes("EMFILE")), "no EMFILE anywhere");
});
