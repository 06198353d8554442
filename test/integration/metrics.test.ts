/**
 * /metrics as Prometheus scrapes it: the text passes the official Python
 * client's text-format parser (test/support/prometheus-parser.ts), every
 * family has HELP and TYPE and every histogram cumulative buckets; it
 * carries process and event-loop series, counts messages, errors and
 * closes, and its sync-quality series move when a member reports offsets.
 * A token or a separate port keeps it private.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Family, parsePrometheusText, requirePrometheusParser } from "../support/prometheus-parser.js";
import { startServer } from "../support/server.js";
import { waitFor } from "../support/wait-for.js";
import { TestClient } from "../support/ws-client.js";

/** One scrape: sample name → its samples (across label sets). */
type Scrape = Map<string, Family["samples"]>;

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(url, { headers });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
  const families = await parsePrometheusText(await res.text());
  const samples: Scrape = new Map();
  for (const f of families) {
    assert.ok(f.help.length > 0, `${f.name} has HELP`);
    assert.notEqual(f.type, "unknown", `${f.name} has a TYPE`);
    for (const x of f.samples) samples.set(x.name, [...(samples.get(x.name) ?? []), x]);
    if (f.type === "histogram") assertCumulative(f);
  }
  return samples;
}

/** Per label set, bucket counts never decrease with `le`, and the +Inf bucket equals _count. */
function assertCumulative(f: Family): void {
  const groups = new Map<string, Array<[number, number]>>();
  for (const x of f.samples.filter((x) => x.name.endsWith("_bucket"))) {
    const { le, ...rest } = x.labels;
    const key = JSON.stringify(rest);
    groups.set(key, [...(groups.get(key) ?? []), [le === "+Inf" ? Number.POSITIVE_INFINITY : Number(le), Number(x.value)]]);
  }
  for (const [key, buckets] of groups) {
    buckets.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i]![1] >= buckets[i - 1]![1], `${f.name}${key} buckets are cumulative`);
    const count = f.samples.find((x) => x.name === `${f.name}_count` && JSON.stringify(x.labels) === key);
    assert.equal(Number(count?.value), buckets.at(-1)![1], `${f.name}${key}: +Inf bucket = _count`);
  }
}

function value(s: Scrape, name: string, labels: Record<string, string> = {}): number {
  const samples = s.get(name);
  assert.ok(samples, `no ${name} in /metrics`);
  const found = samples.find((m) => Object.entries(labels).every(([k, v]) => m.labels[k] === v));
  return found ? Number(found.value) : 0;
}

test("/metrics parses as Prometheus text and its sync-quality series move with members' reports", { timeout: 30_000 }, async (t) => {
  if (!requirePrometheusParser(t)) return;
  const server = await startServer(t);
  const metricsUrl = `${server.httpUrl}/metrics`;
  const before = await scrape(metricsUrl);
  for (const name of ["process_cpu_user_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds", "nodejs_heap_size_used_bytes"]) {
    assert.ok(before.has(name), `${name} is exported`);
  }
  assert.equal(value(before, "opensyncparty_sync_offset_seconds_count"), 0);

  const member = await TestClient.connect(t, server.url);
  member.send("create_room", { name: "Metrics" });
  const state = await member.next("room_state");
  const startedAt = Date.now();
  member.send("sync_report", { offset_ms: -250, rtt_ms: 40 }, state.room);
  await waitFor(async () => value(await scrape(metricsUrl), "opensyncparty_sync_offset_seconds_count") === 1, "the first report counted");
  // The first report arrived before this instant; the second is sent at least 50 ms later.
  const firstCountedAt = Date.now();
  await waitFor(() => Date.now() - firstCountedAt > 50, "50 ms to pass between the two reports");
  member.send("sync_report", { offset_ms: 30, rtt_ms: 40, stalls: 2, corrective_seeks: 1 }, state.room);
  member.sendRaw("{not json");
  await member.error("bad_json");
  const after = await waitFor(async () => {
    const m = await scrape(metricsUrl);
    return value(m, "opensyncparty_sync_offset_seconds_count") === 2 ? m : null;
  }, "the second report counted");
  const elapsedS = (Date.now() - startedAt) / 1000;

  const bucket = (le: string) => value(after, "opensyncparty_sync_offset_seconds_bucket", { le });
  assert.equal(bucket("0.025"), 0, "neither |offset| is ≤ 25 ms");
  assert.equal(bucket("0.05"), 1, "|30 ms| lands in the 50 ms bucket");
  assert.equal(bucket("0.4"), 2, "|−250 ms| lands in the 400 ms bucket");
  const sum = value(after, "opensyncparty_sync_offset_seconds_sum");
  assert.ok(Math.abs(sum - 0.28) < 1e-9, `sum of |offset| is 0.28 s, got ${sum}`);
  const outOfSync = value(after, "opensyncparty_sync_out_of_sync_seconds_total");
  assert.ok(outOfSync >= 0.05 && outOfSync <= elapsedS, `out of sync between the two reports: ${outOfSync} s`);
  assert.equal(value(after, "opensyncparty_player_stalls_total"), 2);
  assert.equal(value(after, "opensyncparty_sync_corrective_seeks_total"), 1);
  assert.equal(value(after, "opensyncparty_messages_received_total", { type: "sync_report" }), 2);
  assert.equal(value(after, "opensyncparty_messages_received_total", { type: "create_room" }), 1);
  // Counted between scrapes and added at each: still totals after the earlier scrapes (create_room, 2 reports, bad JSON, …).
  assert.ok(value(after, "opensyncparty_frames_received_total") >= 4);
  assert.ok(value(after, "opensyncparty_received_bytes_total") >= "{not json".length + 3 * 40);
  assert.ok(value(after, "opensyncparty_messages_sent_total", { type: "room_state" }) >= 1);
  assert.equal(value(after, "opensyncparty_errors_total", { code: "bad_json" }), 1);
  assert.equal(value(after, "opensyncparty_rooms"), 1);
  assert.equal(value(after, "opensyncparty_room_members"), 1);
  assert.equal(value(after, "opensyncparty_connections_opened_total"), 1);

  member.ws.close(1000, "bye");
  await member.waitClosed();
  await waitFor(async () => value(await scrape(metricsUrl), "opensyncparty_connections_closed_total", { code: "1000" }) === 1, "the close counted by code");
});

test("metricsToken keeps /metrics behind a bearer token", { timeout: 15_000 }, async (t) => {
  if (!requirePrometheusParser(t)) return;
  const token = "s3cret-metrics-token";
  const server = await startServer(t, { metricsToken: token });
  assert.equal((await fetch(`${server.httpUrl}/metrics`)).status, 401);
  assert.equal((await fetch(`${server.httpUrl}/metrics`, { headers: { authorization: "Bearer wrong-token-of-any-length" } })).status, 401);
  const samples = await scrape(`${server.httpUrl}/metrics`, { authorization: `Bearer ${token}` });
  assert.equal(value(samples, "opensyncparty_rooms"), 0);
});

test("metricsPort serves /metrics on its own listener and not on the public port", { timeout: 15_000 }, async (t) => {
  if (!requirePrometheusParser(t)) return;
  const server = await startServer(t, { metricsPort: 0, metricsHost: "127.0.0.1" });
  assert.equal((await fetch(`${server.httpUrl}/metrics`)).status, 404);
  assert.ok(server.metricsUrl);
  assert.notEqual(new URL(server.metricsUrl).port, new URL(server.httpUrl).port);
  const samples = await scrape(server.metricsUrl);
  assert.equal(value(samples, "opensyncparty_connections"), 0);
  assert.equal((await fetch(new URL("/health", server.metricsUrl))).status, 404);
});

test("a scrape reads no per-handle series: process_open_fds follows the sockets, the O(connections) handle lists are gone", { timeout: 30_000 }, async (t) => {
  if (!requirePrometheusParser(t)) return;
  const server = await startServer(t);
  const metricsUrl = `${server.httpUrl}/metrics`;
  const before = await scrape(metricsUrl);
  for (const name of ["nodejs_active_handles", "nodejs_active_handles_total", "nodejs_active_resources", "nodejs_active_resources_total"]) {
    assert.ok(!before.has(name), `${name} (one libuv handle listed per socket, twice per scrape) is not exported`);
  }
  assert.ok(before.has("nodejs_active_requests_total"), "the cheap default series stay");
  if (process.platform !== "linux") return;
  const fdsBefore = value(before, "process_open_fds");
  assert.ok(fdsBefore > 0, `process_open_fds is read: ${fdsBefore}`);
  // Server and clients share this process: each connection holds at least its server-side descriptor.
  const clients = await Promise.all(Array.from({ length: 20 }, () => TestClient.connect(t, server.url)));
  const fdsAfter = value(await scrape(metricsUrl), "process_open_fds");
  assert.ok(fdsAfter >= fdsBefore + clients.length, `20 more connections: process_open_fds ${fdsBefore} → ${fdsAfter}`);
});
