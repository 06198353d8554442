/**
 * One validator per inbound message type, built once from the server's limits.
 * Validation is synchronous and runs before any handler. Extra fields are
 * ignored (stripped) so newer clients do not break older servers.
 */
import { BufferingPolicies, type ClientPayloads, type ClientType, ClientTypes, PlayerActions } from "./messages.js";
import * as z from "zod/mini";
import { object } from "./zod.js";

export interface SchemaLimits {
  maxNameLength: number;
  maxChatLength: number;
  /** Largest media position accepted, s. */
  maxPositionSeconds: number;
  maxUrlLength: number;
}

const emptyPayload = z.pipe(
  z.union([object({}), z.null(), z.undefined()]),
  z.transform(() => ({}) as Record<string, never>),
);

/** A UTF-16 surrogate without its pair: not text (it cannot be encoded as UTF-8; receivers show garbage or fail). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
/**
 * Characters that are invisible or move other text about, none of which a
 * name needs: C0/C1 controls, the bidirectional embeddings, overrides and
 * isolates (U+202A–U+202E, U+2066–U+2069: "U+202E" spoofs a name by showing
 * it reversed), the marks U+200E/U+200F/U+061C, zero-width space U+200B,
 * word joiner U+2060 and U+FEFF. Zero-width (non-)joiners stay: scripts and
 * emoji sequences need them.
 */
const NAME_INVISIBLES = /\p{Cc}|[\u200B\u200E\u200F\u061C\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/gu;
/** What does not show by itself: spaces, controls, format characters (zero-width ones, joiners, bidi marks), combining marks. */
const NOT_SHOWN = /\s|\p{Cc}|\p{Cf}|\p{M}/gu;
const wellFormed = z.refine<string>((s) => !LONE_SURROGATE.test(s), "contains an unpaired UTF-16 surrogate");
const visible = z.refine<string>((s) => s.replace(NOT_SHOWN, "") !== "", "has no visible character");
/**
 * Control characters a chat line does not keep: all but tab and line feed
 * (a CR of a CRLF goes too). They show as nothing or as boxes, and each
 * costs six bytes in JSON (\u0001): a line of them made every join's
 * room_state six times the chat's size.
 */
const CHAT_CONTROLS = /(?![\t\n])\p{Cc}/gu;
const noControls = z.refine<string>((s) => !/\p{Cc}/u.test(s), "contains a control character");

export function createPayloadSchemas(limits: SchemaLimits) {
  const position = z.number().check(z.minimum(0), z.maximum(limits.maxPositionSeconds));
  const rate = z.number().check(z.minimum(0.0625), z.maximum(16));
  // Room and display names: invisible and reordering characters removed, then trimmed; something must show.
  const name = z
    .string()
    .check(
      wellFormed,
      z.overwrite((s) => s.replace(NAME_INVISIBLES, "")),
      z.trim(),
      z.minLength(1, { abort: true }),
      visible,
      z.maxLength(limits.maxNameLength),
    );
  // Ids, URLs and passwords are used as sent, so what cannot be text or hides in them is refused, not removed
  // (URL.canParse drops tabs and line breaks, and an unpaired surrogate leaves the server as U+FFFD).
  const mediaUrl = z
    .string()
    .check(
      z.maxLength(limits.maxUrlLength),
      wellFormed,
      noControls,
      z.refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), "must be an http(s) URL"),
    );
  const mediaId = z.string().check(z.minLength(1), z.maxLength(128), wellFormed, noControls);
  const password = z.string().check(z.minLength(1), z.maxLength(limits.maxNameLength), wellFormed);
  // The media's title shows (lobby rows, room_info, the activity feed, mpv's OSD): cleaned like a name; "" is no title.
  const mediaTitle = z
    .string()
    .check(wellFormed, z.overwrite((s) => s.replace(NAME_INVISIBLES, "")), z.trim(), z.maxLength(limits.maxNameLength * 2));
  const count = z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1_000_000)));
  const settings = object({
    shared_control: z.optional(z.boolean()),
    buffering_policy: z.optional(z.enum(BufferingPolicies)),
    wait_timeout_ms: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(600_000))),
  });
  const schemas = {
    list_rooms: emptyPayload,
    create_room: object({
      start_pos: z._default(position, 0),
      name,
      display_name: z.optional(name),
      media_url: z.optional(mediaUrl),
      media_id: z.optional(mediaId),
      media_title: z.optional(mediaTitle),
      private: z.optional(z.boolean()),
      settings: z.optional(settings),
      password: z.optional(password),
    }),
    join_room: z.pipe(
      z.union([object({ display_name: z.optional(name), password: z.optional(password) }), z.null(), z.undefined()]),
      z.transform((p) => p ?? {}),
    ),
    player_event: object({ action: z.enum(PlayerActions), position, rate: z.optional(rate) }),
    state_update: object({ position, play_state: z.enum(["playing", "paused"]), rate: z.optional(rate) }),
    ping: object({ client_ts: z.number() }),
    leave_room: emptyPayload,
    // A chat line keeps its own characters (line breaks, right-to-left marks); it must be text and show something.
    chat_message: object({
      text: z
        .string()
        .check(
          wellFormed,
          z.overwrite((s) => s.replace(CHAT_CONTROLS, "")),
          z.trim(),
          z.minLength(1, { abort: true }),
          visible,
          z.maxLength(limits.maxChatLength),
        ),
      // ext: the sender's id for the line, so a resend after a lost answer is taken once.
      nonce: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/))),
    }),
    hello: object({
      display_name: z.optional(name),
      token: z.optional(z.string().check(z.minLength(1), z.maxLength(4096))),
      protocol: z.optional(z.number().check(z.int(), z.minimum(0))),
    }),
    resume: object({ resume_token: z.string().check(z.minLength(1), z.maxLength(256)) }),
    ready: object({ ready: z.boolean(), position: z.optional(position) }),
    transfer_host: object({ client_id: z.string().check(z.minLength(1), z.maxLength(64)) }),
    room_settings: z.extend(settings, {
      name: z.optional(name),
      media_url: z.optional(z.nullable(mediaUrl)),
      media_id: z.optional(z.nullable(mediaId)),
      media_title: z.optional(z.nullable(mediaTitle)),
      start_pos: z.optional(position),
    }),
    sync_report: object({
      offset_ms: z.number().check(z.minimum(-86_400_000), z.maximum(86_400_000)),
      rtt_ms: z.number().check(z.minimum(0), z.maximum(600_000)),
      seek_latency_ms: z.optional(z.number().check(z.minimum(0), z.maximum(60_000))),
      needs_click: z.optional(z.boolean()),
      // Extension (metrics): cumulative counts since the member joined the room.
      stalls: count,
      corrective_seeks: count,
      // ext: the member's media does not load (shown to the room as participants[].media_problem)
      media_problem: z.optional(z.boolean()),
    }),
    room_info: emptyPayload,
    leaving: emptyPayload,
    // ext: a member's player learned the media's duration (s)
    media_info: object({ duration: z.number().check(z.positive(), z.maximum(limits.maxPositionSeconds)) }),
  } satisfies Record<ClientType, z.ZodMiniType>;
  return schemas;
}

export type PayloadSchemas = ReturnType<typeof createPayloadSchemas>;

const envelopeSchema = object({
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  room: z.nullish(z.string().check(z.maxLength(64))),
  client: z.nullish(z.string().check(z.maxLength(64))),
  payload: z.optional(z.unknown()),
  ts: z.nullish(z.number()),
  id: z.optional(z.union([z.string().check(z.maxLength(64)), z.number()])),
});

export type ParsedEnvelope = z.infer<typeof envelopeSchema>;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; details: string[] };

function details(error: z.core.$ZodError): string[] {
  return error.issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
}

export function validateEnvelope(raw: unknown): ValidationResult<ParsedEnvelope> {
  const r = envelopeSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, details: details(r.error) };
}

const clientTypeSet: ReadonlySet<string> = new Set(Object.values(ClientTypes));
export function isClientType(t: string): t is ClientType {
  return clientTypeSet.has(t);
}

export function validatePayload<K extends ClientType>(
  schemas: PayloadSchemas,
  type: K,
  payload: unknown,
): ValidationResult<ClientPayloads[K]> {
  const r = (schemas[type] as z.ZodMiniType).safeParse(payload);
  return r.success ? { ok: true, value: r.data as ClientPayloads[K] } : { ok: false, details: details(r.error) };
}
