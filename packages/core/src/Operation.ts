/**
 * The `Operation` model: what Pinecone answers when asked about a background file operation
 * (upload, upsert, metadata update or delete), decoded from and encoded back to the 2026-04 wire
 * format (`OperationModel`).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { openEnum, optionalWire } from "./internal/schema.js"

/**
 * The statuses the 2026-04 API documents. The enumeration is open (`x-enum`): Pinecone may add
 * values without a new API version.
 *
 * @since 0.1.0
 * @category models
 */
export const knownStatuses = ["Processing", "Completed", "Failed"] as const

/**
 * The operation types the 2026-04 API documents (an open enumeration).
 *
 * @since 0.1.0
 * @category models
 */
export const knownOperationTypes = ["upload_file", "upsert_file", "update_file_metadata", "delete_file"] as const

/**
 * A documented status, or any other string the server sent (kept as sent).
 *
 * @since 0.1.0
 * @category models
 */
export type OperationStatus = typeof knownStatuses[number] | (string & {})

/**
 * A documented operation type, or any other string the server sent (kept as sent).
 *
 * @since 0.1.0
 * @category models
 */
export type OperationType = typeof knownOperationTypes[number] | (string & {})

/**
 * Schema of {@link OperationStatus}: known values are typed literals, unknown ones decode unchanged.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OperationStatus: Schema.Schema<OperationStatus, string> = openEnum(knownStatuses, "OperationStatus")

/**
 * Schema of {@link OperationType}: known values are typed literals, unknown ones decode unchanged.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OperationType: Schema.Schema<OperationType, string> = openEnum(knownOperationTypes, "OperationType")

/**
 * Progress as the API defines it: an integer percentage from 0 to 100.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PercentComplete = Schema.Int.pipe(Schema.between(0, 100)).annotations({ identifier: "PercentComplete" })

/**
 * An Assistant operation (`OperationModel` on the wire, camelCase here).
 *
 * @example
 * ```ts
 * import { Operation } from "@effect-pinecone/core"
 * import { Schema } from "effect"
 *
 * const op = Schema.decodeUnknownSync(Operation.Operation)({
 *   id: "op-1",
 *   operation_type: "upload_file",
 *   status: "Processing",
 *   created_on: "2025-10-01T12:30:00.000Z",
 *   percent_complete: 42
 * })
 * console.log(Operation.isTerminal(op)) // false
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export class Operation extends Schema.Class<Operation>("@effect-pinecone/core/Operation")({
  /** The operation's identifier (`id`), as the 202 of an upload, upsert or delete names it. */
  id: Schema.String,
  /** What the operation does (`operation_type`): `upload_file`, `upsert_file`, `update_file_metadata` or `delete_file`; other values are kept as sent. */
  operationType: Schema.propertySignature(OperationType).pipe(Schema.fromKey("operation_type")),
  /** The file it works on (`file_id`), when the server says. */
  fileId: optionalWire(Schema.String, "file_id"),
  /** `Processing`, then `Completed` or `Failed` (`status`); an unknown value is kept and is not terminal. */
  status: OperationStatus,
  /** When the operation started (`created_on`). */
  createdOn: Schema.propertySignature(Schema.DateTimeUtc).pipe(Schema.fromKey("created_on")),
  /** When it ended (`completed_on`): `None` while processing. */
  completedOn: optionalWire(Schema.DateTimeUtc, "completed_on"),
  /** How far processing is, 0 to 100 (`percent_complete`): an `Option`, read it with `Option.getOrElse(op.percentComplete, () => 0)`. */
  percentComplete: optionalWire(PercentComplete, "percent_complete"),
  /** Why a `Failed` operation failed (`error_message`), in the server's words. */
  errorMessage: optionalWire(Schema.String, "error_message"),
  /** The ingestion units the operation consumed (`ingestion_units`), once completed. */
  ingestionUnits: optionalWire(Schema.Finite, "ingestion_units")
}) {}

/**
 * The wire form of an {@link Operation} (the API's `OperationModel` JSON).
 *
 * @since 0.1.0
 * @category models
 */
export type OperationModel = typeof Operation.Encoded

/**
 * Decodes a parsed JSON value into an {@link Operation}.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeUnknown = Schema.decodeUnknown(Operation)

/**
 * Encodes an {@link Operation} to its wire JSON (`OperationModel`), omitting absent fields.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encode = Schema.encodeSync(Operation)

/**
 * `true` when the operation finished, successfully or not. An unknown status is not terminal.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTerminal = (self: Operation): boolean => self.status === "Completed" || self.status === "Failed"

/**
 * `true` when the operation finished successfully.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isCompleted = (self: Operation): boolean => self.status === "Completed"

/**
 * `true` when the operation failed; see `errorMessage` for why.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isFailed = (self: Operation): boolean => self.status === "Failed"

/**
 * `true` when the status is one the 2026-04 API documents.
 *
 * @since 0.1.0
 * @category predicates
 */
export const hasKnownStatus = (self: Operation): boolean =>
  (knownStatuses as ReadonlyArray<string>).includes(self.status)

/**
 * A short human-readable line: `op-1 upload_file Processing 42%`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const summary = (self: Operation): string => {
  const percent = Option.match(self.percentComplete, { onNone: () => "", onSome: (p) => ` ${p}%` })
  return `${self.id} ${self.operationType} ${self.status}${percent}`
}

/**
 * One page of `GET /operations/{assistant_name}` (`OperationList` on the wire): the operations and,
 * when there are more, the token of the next page.
 *
 * @since 0.1.0
 * @category models
 */
export class OperationList extends Schema.Class<OperationList>("@effect-pinecone/core/OperationList")({
  operations: Schema.optionalWith(Schema.Array(Operation), { nullable: true, default: () => [] }),
  pagination: Schema.optionalWith(
    Schema.Struct({ next: Schema.optionalWith(Schema.String, { as: "Option", nullable: true }) }),
    { as: "Option", nullable: true }
  )
}) {
  /**
   * The token of the next page, if any.
   *
   * @since 0.1.0
   */
  get next(): Option.Option<string> {
    return Option.flatMap(this.pagination, (p) => Option.filter(p.next, (token) => token.length > 0))
  }
}
