/**
 * Reading a stored room back: a snapshot text is parsed and its shape checked
 * before the core restores it, so one damaged row (a disk error, a hand edit,
 * a file from another program) costs that room only — never the start-up of
 * the server and every other room. Fields the shape does not name are kept
 * (a newer server's additions survive a round trip through an older one).
 */
import * as z from "zod/mini";
import { BufferingPolicies } from "../../protocol/index.js";
import type { RoomSnapshot } from "./room-store.js";

const finite = z.number().check(z.refine(Number.isFinite, "must be a finite number"));
const text = z.string();
const nullableText = z.nullable(z.string());

const member = z.looseObject({
  id: text,
  name: text,
  resumeToken: text,
  joinedAt: finite,
  userId: nullableText,
  canCreate: z.boolean(),
  canJoin: z.boolean(),
  extended: z.optional(z.boolean()),
});

const snapshot = z.looseObject({
  id: z.string().check(z.minLength(1)),
  name: text,
  hostId: text,
  timeline: z.looseObject({
    position: finite,
    play_state: z.enum(["playing", "paused"]),
    rate: z.number().check(z.positive()),
    anchor_server_ts: finite,
    duration: z.optional(z.number().check(z.positive())),
  }),
  settings: z.looseObject({
    shared_control: z.boolean(),
    buffering_policy: z.enum(BufferingPolicies),
    wait_timeout_ms: finite,
  }),
  media: z.looseObject({ url: nullableText, id: nullableText, title: nullableText }),
  isPrivate: z.boolean(),
  passwordHash: z.optional(nullableText),
  createdAt: finite,
  chat: z.array(z.looseObject({ id: text, client_id: text, name: text, text, server_ts: finite })),
  members: z.array(member),
});

export type SnapshotRead = { ok: true; snapshot: RoomSnapshot } | { ok: false; reason: string };

/** Parses one stored snapshot text and checks its shape; `reason` names the first problems found (JSON error or field paths). */
export function readSnapshot(json: string): SnapshotRead {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message})` };
  }
  const r = snapshot.safeParse(raw);
  if (r.success) return { ok: true, snapshot: r.data as RoomSnapshot };
  const issues = r.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  return { ok: false, reason: issues.join("; ") };
}
