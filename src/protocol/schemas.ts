/**
 * One validator per inbound message type, built once from the server's limits.
 * Validation is synchronous and runs before any handler. Extra fields are
 * ignored (stripped) so newer clients do not break older servers.
 */
import { z } from "zod";
import { BufferingPolicies, type ClientPayloads, type ClientType, ClientTypes, PlayerActions } from "./messages.js";

export interface SchemaLimits {
  maxNameLength: number;
  maxChatLength: number;
  /** Largest media position accepted, s. */
  maxPositionSeconds: number;
  maxUrlLength: number;
}

const emptyPayload = z
  .union([z.object({}), z.null(), z.undefined()])
  .transform(() => ({}) as Record<string, never>);

export function createPayloadSchemas(limits: SchemaLimits) {
  const position = z.number().min(0).max(limits.maxPositionSeconds);
  const rate = z.number().min(0.0625).max(16);
  const name = z.string().trim().min(1).max(limits.maxNameLength);
  const mediaUrl = z
    .string()
    .max(limits.maxUrlLength)
    .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), "must be an http(s) URL");
  const mediaId = z.string().min(1).max(128);
  const password = z.string().min(1).max(limits.maxNameLength);
  const settings = z.object({
    shared_control: z.boolean().optional(),
    buffering_policy: z.enum(BufferingPolicies).optional(),
    wait_timeout_ms: z.number().int().min(0).max(600_000).optional(),
  });
  const schemas = {
    list_rooms: emptyPayload,
    create_room: z.object({
      start_pos: position.default(0),
      name,
      display_name: name.optional(),
      media_url: mediaUrl.optional(),
      media_id: mediaId.optional(),
      media_title: z.string().max(limits.maxNameLength * 2).optional(),
      private: z.boolean().optional(),
      settings: settings.optional(),
      password: password.optional(),
    }),
    join_room: z
      .union([z.object({ display_name: name.optional(), password: password.optional() }), z.null(), z.undefined()])
      .transform((p) => p ?? {}),
    player_event: z.object({ action: z.enum(PlayerActions), position, rate: rate.optional() }),
    state_update: z.object({ position, play_state: z.enum(["playing", "paused"]), rate: rate.optional() }),
    ping: z.object({ client_ts: z.number() }),
    leave_room: emptyPayload,
    chat_message: z.object({ text: z.string().trim().min(1).max(limits.maxChatLength) }),
    hello: z.object({
      display_name: name.optional(),
      token: z.string().min(1).max(4096).optional(),
      protocol: z.number().int().min(0).optional(),
    }),
    resume: z.object({ resume_token: z.string().min(1).max(256) }),
    ready: z.object({ ready: z.boolean(), position: position.optional() }),
    transfer_host: z.object({ client_id: z.string().min(1).max(64) }),
    room_settings: settings.extend({
      name: name.optional(),
      media_url: mediaUrl.nullable().optional(),
      media_id: mediaId.nullable().optional(),
      media_title: z.string().max(limits.maxNameLength * 2).nullable().optional(),
      start_pos: position.optional(),
    }),
    sync_report: z.object({
      offset_ms: z.number().min(-86_400_000).max(86_400_000),
      rtt_ms: z.number().min(0).max(600_000),
      seek_latency_ms: z.number().min(0).max(60_000).optional(),
      needs_click: z.boolean().optional(),
      // Extension (metrics): cumulative counts since the member joined the room.
      stalls: z.number().int().min(0).max(1_000_000).optional(),
      corrective_seeks: z.number().int().min(0).max(1_000_000).optional(),
    }),
    room_info: emptyPayload,
    leaving: emptyPayload,
    // ext: a member's player learned the media's duration (s)
    media_info: z.object({ duration: z.number().positive().max(limits.maxPositionSeconds) }),
  } satisfies Record<ClientType, z.ZodType>;
  return schemas;
}

export type PayloadSchemas = ReturnType<typeof createPayloadSchemas>;

const envelopeSchema = z.object({
  type: z.string().min(1).max(64),
  room: z.string().max(64).nullish(),
  client: z.string().max(64).nullish(),
  payload: z.unknown().optional(),
  ts: z.number().nullish(),
  id: z.union([z.string().max(64), z.number()]).optional(),
});

export type ParsedEnvelope = z.infer<typeof envelopeSchema>;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; details: string[] };

function details(error: z.ZodError): string[] {
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
  const r = (schemas[type] as z.ZodType).safeParse(payload);
  return r.success ? { ok: true, value: r.data as ClientPayloads[K] } : { ok: false, details: details(r.error) };
}
