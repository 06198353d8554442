/**
 * What the core tells an observer (metrics, audits) as it runs. The core
 * stays transport- and library-free: it calls these plain methods and never
 * knows who listens. Every method must be cheap and must not throw.
 */
import type { ClientType, ErrorCode, ServerType } from "../../protocol/index.js";

/** One member's `sync_report`, as the server received it. */
export interface SyncReportEvent {
  sessionId: string;
  roomId: string;
  /** Member's position minus the room's timeline, ms (signed). */
  offsetMs: number;
  /** Server time the report arrived, ms since the epoch. */
  atMs: number;
  /** Cumulative counts since the member joined, when the client reports them (extension fields). */
  stalls?: number;
  correctiveSeeks?: number;
}

export interface CoreObserver {
  /** A valid inbound message of this type is about to be handled. */
  messageIn(type: ClientType): void;
  /** One frame of this type was written to one socket. */
  messageOut(type: ServerType): void;
  /** A coded error was sent to a client. */
  error(code: ErrorCode): void;
  syncReport(event: SyncReportEvent): void;
  /** A session ended (left, expired, disconnected): forget per-member state. */
  sessionEnded(sessionId: string): void;
  /** The room store refused a write; the core retries later. */
  storeWriteFailed(): void;
}

export const NO_OBSERVER: CoreObserver = {
  messageIn() {},
  messageOut() {},
  error() {},
  syncReport() {},
  sessionEnded() {},
  storeWriteFailed() {},
};
