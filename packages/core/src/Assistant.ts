/**
 * The `Assistant` model of the control plane (2026-04): what describe-assistant answers, notably the
 * data-plane `host` each assistant lives on.
 *
 * @since 0.2.0
 */
import * as Option from "effect/Option"
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
  updatedAt: optionalWire(Schema.DateTimeUtc, "updated_at"),
  /**
   * Guidance applied to all its responses (at most 16 KB).
   *
   * @since 0.2.0
   */
  instructions: optionalWire(Schema.String, "instructions"),
  /**
   * Metadata of your own: a JSON object of at most 16 KB.
   *
   * @since 0.2.0
   */
  metadata: optionalWire(Schema.Record({ key: Schema.String, value: Schema.Unknown }), "metadata")
}) {}

/**
 * The statuses an assistant ends a wait in: `Ready`, or a failure (`InitializationFailed`, `Failed`).
 *
 * @since 0.2.0
 * @category predicates
 */
export const isFailed = (assistant: Assistant): boolean =>
  assistant.status === "InitializationFailed" || assistant.status === "Failed"

/**
 * Whether an assistant is ready to take files and questions.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isReady = (assistant: Assistant): boolean => assistant.status === "Ready"

/**
 * One page of `GET /assistants` (`ListAssistantsResponse` on the wire): the assistants and, when
 * there are more, the token of the next page.
 *
 * @since 0.2.0
 * @category models
 */
export class AssistantList extends Schema.Class<AssistantList>("@effect-pinecone/core/AssistantList")({
  assistants: Schema.optionalWith(Schema.Array(Assistant), { nullable: true, default: () => [] }),
  pagination: Schema.optionalWith(
    Schema.Struct({ next: Schema.optionalWith(Schema.String, { as: "Option", nullable: true }) }),
    { as: "Option", nullable: true }
  )
}) {
  /**
   * The token of the next page, if any.
   *
   * @since 0.2.0
   */
  get next(): Option.Option<string> {
    return Option.flatMap(this.pagination, (p) => p.next)
  }
}

/**
 * What `PATCH /assistants/{assistant_name}` answers (`UpdateAssistantResponse` on the wire).
 *
 * @since 0.2.0
 * @category models
 */
export class UpdateAssistantResponse
  extends Schema.Class<UpdateAssistantResponse>("@effect-pinecone/core/UpdateAssistantResponse")({
    /** The assistant's name. */
    assistantName: optionalWire(Schema.String, "assistant_name"),
    /** Its instructions now. */
    instructions: optionalWire(Schema.String, "instructions"),
    /** Its metadata now. */
    metadata: optionalWire(Schema.Record({ key: Schema.String, value: Schema.Unknown }), "metadata")
  })
{}

/**
 * The rule of an assistant's name (1 to 63 lower-case letters, digits and `-`, starting and ending
 * with a letter or a digit): the reason it is refused, or undefined.
 *
 * @since 0.2.0
 * @category validation
 */
export const nameProblem = (name: string): string | undefined =>
  typeof name !== "string" || name.length < 1 || name.length > 63
    ? "must be 1 to 63 characters"
    : /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name)
    ? undefined
    : "must be lower-case letters, digits and -, starting and ending with a letter or digit"
