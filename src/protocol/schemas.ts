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

export function createPayloadSchemas(limits: SchemaLimits) {
  const position = z.number().check(z.minimum(0), z.maximum(limits.maxPositionSeconds));
  const rate = z.number().check(z.minimum(0.0625), z.maximum(16));
  const name = z.string().check(z.trim(), z.minLength(1), z.maxLength(limits.maxNameLength));
  const mediaUrl = z
    .string()
    .check(
      z.maxLength(limits.maxUrlLength),
      z.refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), "must be an http(s) URL"),
    );
  const mediaId = z.string().check(z.minLength(1), z.maxLength(128));
  const password = z.string().check(z.minLength(1), z.maxLength(limits.maxNameLength));
  const mediaTitle = z.string().check(z.maxLength(limits.maxNameLength * 2));
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
    chat_message: object({ text: z.string().check(z.trim(), z.minLength(1), z.maxLength(limits.maxChatLength)) }),
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
