/** Prometheus text exposition of the core's gauges and the transport's counters. */
import type { CoreStats } from "../core/core.js";
import type { StoreHealth } from "../store/store-health.js";

export class Metrics {
  framesIn = 0;
  bytesIn = 0;
  connectionsTotal = 0;
  upgradesRejected = 0;

  render(stats: CoreStats, store: Pick<StoreHealth, "ok" | "failuresTotal">): string {
    const lines = [
      ["opensyncparty_connections", "gauge", "Open WebSocket connections", stats.connections],
      ["opensyncparty_sessions", "gauge", "Sessions, including those within their resume grace", stats.sessions],
      ["opensyncparty_rooms", "gauge", "Open rooms", stats.rooms],
      ["opensyncparty_room_members", "gauge", "Members across all rooms", stats.members],
      ["opensyncparty_frames_received_total", "counter", "Text and binary frames received", this.framesIn],
      ["opensyncparty_bytes_received_total", "counter", "Bytes received in frames", this.bytesIn],
      ["opensyncparty_connections_total", "counter", "Connections accepted since start", this.connectionsTotal],
      ["opensyncparty_upgrades_rejected_total", "counter", "WebSocket upgrades refused", this.upgradesRejected],
      ["opensyncparty_store_ok", "gauge", "1 while the room store accepts writes, 0 while they fail", store.ok ? 1 : 0],
      ["opensyncparty_store_write_failures_total", "counter", "Room store writes that failed", store.failuresTotal],
    ] as const;
    return lines.map(([n, t, h, v]) => `# HELP ${n} ${h}\n# TYPE ${n} ${t}\n${n} ${v}\n`).join("");
  }
}
