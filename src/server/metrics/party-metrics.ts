/**
 * The server's Prometheus metrics (prom-client), on a registry of its own
 * so several servers in one process (tests, embedding) do not collide.
 * Fed by the core through CoreObserver and by the WebSocket gateway
 * through GatewayMetrics; room and connection gauges are read at scrape
 * time. Every series is described in docs/metrics.md.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { CloseCodes, type ClientType, type ErrorCode, type ServerType } from "../../protocol/index.js";
import type { CoreStats } from "../core/core.js";
import type { CoreObserver, SyncReportEvent } from "../core/observer.js";
import type { GatewayMetrics } from "../transport/metrics.js";
import { collectProcessMetrics } from "./process-metrics.js";
import { SyncQuality } from "./sync-quality.js";

const P = "opensyncparty_";
/** Close codes kept as their own label value; any other code a peer sends is counted as "other" (bounded cardinality). */
const KNOWN_CLOSE_CODES = new Set<number>([...Object.values(CloseCodes), 1005, 1006]);
/** |offset| buckets, s: from one video frame to "clearly broken". */
const OFFSET_BUCKETS_S = [0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 1, 2, 5];

export class PartyMetrics implements CoreObserver, GatewayMetrics {
  readonly registry = new Registry();
  /** Valid inbound messages since the last scrape, by type: fed to the counter at scrape time (see sentSinceScrape). */
  private readonly receivedSinceScrape = new Map<ClientType, number>();
  /** Frames and their bytes since the last scrape: two additions per frame instead of two prom-client inc() calls. */
  private framesSinceScrape = 0;
  private bytesSinceScrape = 0;
  /** Frames written since the last scrape, by type: a plain count on the per-recipient path, fed to the counter at scrape time. */
  private readonly sentSinceScrape = new Map<ServerType, number>();
  private readonly errors: Counter<"code">;
  private readonly opened: Counter;
  private readonly closedByCode: Counter<"code">;
  private readonly rejected: Counter<"status">;
  private readonly storeFailures: Counter;
  private readonly sync: SyncQuality;

  constructor(stats: () => CoreStats) {
    const registers = [this.registry];
    collectProcessMetrics(this.registry);
    const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
      new Counter<L>({ name: P + name, help, labelNames, registers });
    const received = this.receivedSinceScrape;
    new Counter<"type">({
      name: `${P}messages_received_total`,
      help: "Valid inbound messages, by type",
      labelNames: ["type"],
      registers,
      collect() {
        for (const [type, n] of received) this.inc({ type }, n);
        received.clear();
      },
    });
    const sent = this.sentSinceScrape;
    new Counter<"type">({
      name: `${P}messages_sent_total`,
      help: "Frames written to sockets, by type (one per recipient)",
      labelNames: ["type"],
      registers,
      collect() {
        for (const [type, n] of sent) this.inc({ type }, n);
        sent.clear();
      },
    });
    this.errors = counter("errors_total", "Coded errors sent to clients, by code", ["code"]);
    this.opened = counter("connections_opened_total", "WebSocket connections accepted");
    this.closedByCode = counter("connections_closed_total", "WebSocket connections closed, by close code", ["code"]);
    this.rejected = counter("upgrades_rejected_total", "WebSocket upgrades refused, by HTTP status", ["status"]);
    const self = this;
    new Counter({
      name: `${P}frames_received_total`,
      help: "WebSocket frames received",
      registers,
      collect() {
        this.inc(self.framesSinceScrape);
        self.framesSinceScrape = 0;
      },
    });
    new Counter({
      name: `${P}received_bytes_total`,
      help: "Bytes received in WebSocket frames",
      registers,
      collect() {
        this.inc(self.bytesSinceScrape);
        self.bytesSinceScrape = 0;
      },
    });
    this.storeFailures = counter("store_write_failures_total", "Room store writes that failed (retried later)");
    this.sync = new SyncQuality({
      offset: new Histogram({
        name: `${P}sync_offset_seconds`,
        help: "|offset| of members from the room's timeline, per sync_report, s",
        buckets: OFFSET_BUCKETS_S,
        registers,
      }),
      outOfSyncSeconds: counter("sync_out_of_sync_seconds_total", "Member-seconds spent more than 100 ms from the timeline"),
      stalls: counter("player_stalls_total", "Player stalls reported by members"),
      correctiveSeeks: counter("sync_corrective_seeks_total", "Seeks members' sync engines made to correct drift"),
    });
    const gauge = (name: string, help: string, read: (s: CoreStats) => number) =>
      new Gauge({
        name: P + name,
        help,
        registers,
        collect() {
          this.set(read(stats()));
        },
      });
    gauge("connections", "Open WebSocket connections", (s) => s.connections);
    gauge("sessions", "Sessions, including those within their resume grace", (s) => s.sessions);
    gauge("rooms", "Open rooms", (s) => s.rooms);
    gauge("room_members", "Members across all rooms", (s) => s.members);
    gauge("store_ok", "1 while the room store accepts writes, 0 while they fail", (s) => (s.storeOk ? 1 : 0));
  }

  /** Cluster mode: `opensyncparty_redis_up`, read at scrape time. */
  watchRedis(up: () => boolean): void {
    new Gauge({
      name: `${P}redis_up`,
      help: "Cluster mode: 1 while this instance reaches Redis (and its heartbeat is current), 0 while not",
      registers: [this.registry],
      collect() {
        this.set(up() ? 1 : 0);
      },
    });
  }

  // ── CoreObserver ──
  /** Called once per inbound message: one Map update, fed to prom-client at scrape time. */
  messageIn(type: ClientType): void {
    this.receivedSinceScrape.set(type, (this.receivedSinceScrape.get(type) ?? 0) + 1);
  }
  /** Called once per recipient of every frame: kept to one Map update (labelled inc() hashes its labels each call). */
  messageOut(type: ServerType): void {
    this.sentSinceScrape.set(type, (this.sentSinceScrape.get(type) ?? 0) + 1);
  }
  error(code: ErrorCode): void {
    this.errors.inc({ code });
  }
  syncReport(event: SyncReportEvent): void {
    this.sync.report(event);
  }
  sessionEnded(sessionId: string): void {
    this.sync.forget(sessionId);
  }
  storeWriteFailed(): void {
    this.storeFailures.inc();
  }

  // ── GatewayMetrics ──
  connectionOpened(): void {
    this.opened.inc();
  }
  connectionClosed(code: number): void {
    this.closedByCode.inc({ code: KNOWN_CLOSE_CODES.has(code) ? String(code) : "other" });
  }
  upgradeRejected(status: number): void {
    this.rejected.inc({ status: String(status) });
  }
  frameReceived(bytes: number): void {
    this.framesSinceScrape++;
    this.bytesSinceScrape += bytes;
  }
}
