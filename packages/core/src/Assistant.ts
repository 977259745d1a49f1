/**
 * The `Assistant` model of the control plane (2026-04): what describe-assistant answers, notably the
 * data-plane `host` each assistant lives on.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { openEnum, optionalWire } from "./internal/schema.js"

/**
 * The assistant statuses the 2026-04 API documents (an open enumeration).
 *
 * @since 0.2.0
 * @category models
 */
export const knownStatuses = ["Initializing", "Failed", "Ready", "Terminating", "InitializationFailed"] as const

/**
 * A documented assistant status, or any other string the server sent.
 *
 * @since 0.2.0
 * @category models
 */
export type AssistantStatus = typeof knownStatuses[number] | (string & {})

/**
 * Schema of {@link AssistantStatus}.
 *
 * @since 0.2.0
 * @category schemas
 */
export const AssistantStatus: Schema.Schema<AssistantStatus, string> = openEnum(knownStatuses, "AssistantStatus")

/**
 * The regions the 2026-04 API documents (an open enumeration).
 *
 * @since 0.2.0
 * @category models
 */
export type Region = "us" | "eu" | (string & {})

/**
 * Schema of {@link Region}.
 *
 * @since 0.2.0
 * @category schemas
 */
export const Region: Schema.Schema<Region, string> = openEnum(["us", "eu"], "Region")

/**
 * An assistant, as the control plane describes it (camelCase here).
 *
 * @since 0.2.0
 * @category models
 */
export class Assistant extends Schema.Class<Assistant>("@effect-pinecone/core/Assistant")({
  /** The assistant's name (1 to 63 lower-case alphanumerics or `-`). */
  name: Schema.String,
  /** Its operational status. */
  status: AssistantStatus,
  /** The data-plane host the assistant lives on: where its files and operations are served. */
  host: optionalWire(Schema.String, "host"),
  /** The region it is deployed in. */
  region: optionalWire(Region, "region"),
  /** When it was created. */
  createdAt: optionalWire(Schema.DateTimeUtc, "created_at"),
  /** When it was last updated. */
  updatedAt: optionalWire(Schema.DateTimeUtc, "updated_at")
}) {}
