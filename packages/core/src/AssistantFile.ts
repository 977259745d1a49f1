/**
 * The `AssistantFile` model: a file in an assistant as the 2026-04 API describes it
 * (`AssistantFileModel`), its status, the metadata filter of list-files, and what a delete answers.
 *
 * @since 0.2.0
 */
import * as Data from "effect/Data"
import type * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as AssistantError from "./AssistantError.js"
import * as Files from "./internal/files.js"
import { openEnum, optionalWire } from "./internal/schema.js"
import type * as Operation from "./Operation.js"

/**
 * The file statuses the 2026-04 API documents (an open enumeration): `Processing` (parsed, chunked,
 * embedded), `Available` (ready), `Deleting`, `ProcessingFailed`. A deleted file answers 404.
 *
 * @since 0.2.0
 * @category models
 */
export const knownStatuses = ["Processing", "Available", "Deleting", "ProcessingFailed"] as const

/**
 * A documented file status, or any other string the server sent (kept as sent).
 *
 * @since 0.2.0
 * @category models
 */
export type FileStatus = typeof knownStatuses[number] | (string & {})

/**
 * Schema of {@link FileStatus}.
 *
 * @since 0.2.0
 * @category schemas
 */
export const FileStatus: Schema.Schema<FileStatus, string> = openEnum(knownStatuses, "FileStatus")

/**
 * A signed URL, kept `Redacted`: "anyone with the link can access the file, so treat it as
 * sensitive" (the API reference). It renders as `<redacted>` in errors, logs and spans.
 *
 * @since 0.2.0
 * @category schemas
 */
export const SignedUrl = Schema.Redacted(Schema.String)

/**
 * A file of an assistant (`AssistantFileModel` on the wire, camelCase here). Only `id` and `name`
 * are required on the wire; every other field is an `Option` (missing and null decode alike).
 *
 * @example
 * ```ts
 * import { AssistantFile } from "@effect-pinecone/core"
 * import { Option, Schema } from "effect"
 *
 * const file = Schema.decodeUnknownSync(AssistantFile.AssistantFile)({ id: "f-1", name: "handbook.pdf", status: "Available" })
 * console.log(Option.getOrElse(file.status, () => "unknown")) // "Available"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export class AssistantFile extends Schema.Class<AssistantFile>("@effect-pinecone/core/AssistantFile")({
  /** The file's identifier: one you gave (upsert) or one the server generated (upload). */
  id: Schema.String,
  /** The uploaded file's name (its extension decides how the server types it). */
  name: Schema.String,
  /** Size in bytes. */
  size: optionalWire(Schema.NonNegativeInt, "size"),
  /** The metadata given at upload: filter list-files with it. */
  metadata: optionalWire(Schema.Record({ key: Schema.String, value: Schema.Unknown }), "metadata"),
  /** When the file was uploaded. */
  createdOn: optionalWire(Schema.DateTimeUtc, "created_on"),
  /** When the file was last updated. */
  updatedOn: optionalWire(Schema.DateTimeUtc, "updated_on"),
  /** Where processing is: see {@link FileStatus}. */
  status: optionalWire(FileStatus, "status"),
  /** A temporary read-only link to the file, only when asked for (`includeUrl`); `Redacted`. */
  signedUrl: optionalWire(SignedUrl, "signed_url"),
  /** Whether the file was processed as multimodal (PDFs only). */
  multimodal: optionalWire(Schema.Boolean, "multimodal")
}) {}

/**
 * The wire form of an {@link AssistantFile} (`AssistantFileModel` JSON).
 *
 * @since 0.2.0
 * @category models
 */
export type AssistantFileModel = typeof AssistantFile.Encoded

/**
 * One page of list-files (`ListFilesResponse`).
 *
 * @since 0.2.0
 * @category models
 */
export class AssistantFileList extends Schema.Class<AssistantFileList>("@effect-pinecone/core/AssistantFileList")({
  files: Schema.optionalWith(Schema.Array(AssistantFile), { nullable: true, default: () => [] }),
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
    return Option.flatMap(this.pagination, (p) => Option.filter(p.next, (token) => token.length > 0))
  }
}

/**
 * A value a metadata field is compared with.
 *
 * @since 0.2.0
 * @category filters
 */
export type FilterValue = string | number | boolean

/**
 * The comparisons of one metadata field.
 *
 * @since 0.2.0
 * @category filters
 */
export interface FieldFilter {
  readonly $eq?: FilterValue
  readonly $ne?: FilterValue
  readonly $in?: ReadonlyArray<FilterValue>
  readonly $nin?: ReadonlyArray<FilterValue>
  readonly $gt?: number
  readonly $gte?: number
  readonly $lt?: number
  readonly $lte?: number
  readonly $exists?: boolean
}

/**
 * A metadata filter for list-files, sent JSON-encoded as `filter`: fields compared with a value
 * (`{ genre: "comedy" }` is `{ genre: { $eq: "comedy" } }`) or with operators, combined with
 * `$and` / `$or`.
 *
 * @example
 * ```ts
 * import type { AssistantFile } from "@effect-pinecone/core"
 *
 * const filter: AssistantFile.MetadataFilter = { $and: [{ team: { $eq: "docs" } }, { year: { $gte: 2025 } }] }
 * ```
 *
 * @since 0.2.0
 * @category filters
 */
export type MetadataFilter =
  | { readonly $and: ReadonlyArray<MetadataFilter> }
  | { readonly $or: ReadonlyArray<MetadataFilter> }
  | { readonly [field: string]: FilterValue | FieldFilter }

/**
 * What `deleteFile` answers: `Started` with the delete operation (HTTP 202, to wait on), or
 * `Deleted` at once (HTTP 204: the API does so for a file whose processing had failed).
 *
 * @example
 * ```ts
 * import type { AssistantFile } from "@effect-pinecone/core"
 *
 * declare const outcome: AssistantFile.DeleteOutcome
 * const text = outcome._tag === "Started" ? `deleting: ${outcome.operation.id}` : "deleted"
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export type DeleteOutcome = Data.TaggedEnum<{
  Started: { readonly operation: Operation.Operation }
  Deleted: {}
}>

/**
 * Constructors and matchers of {@link DeleteOutcome}: `DeleteOutcome.Started({ operation })`,
 * `DeleteOutcome.Deleted()`, `DeleteOutcome.$match(outcome, { Started, Deleted })`.
 *
 * @since 0.2.0
 * @category models
 */
export const DeleteOutcome = Data.taggedEnum<DeleteOutcome>()

/**
 * `true` once the file is ready for use.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isAvailable = (self: AssistantFile): boolean => Option.contains(self.status, "Available")

/**
 * The most a file's metadata may weigh: 16,384 bytes of its UTF-8 JSON.
 *
 * @since 0.2.0
 * @category constants
 */
export const maxMetadataBytes: number = Files.maxMetadataBytes

/**
 * Checks metadata as an upload would, before anything is sent: the JSON it sends (`None` for no
 * metadata), or the `InvalidRequestError` the upload would fail with (not a JSON object, or over
 * {@link maxMetadataBytes}).
 *
 * @since 0.2.0
 * @category validation
 */
export const validateMetadata: (
  metadata: unknown
) => Either.Either<Option.Option<string>, AssistantError.InvalidRequestError> = Files.checkMetadata

/**
 * Checks a file id as an upsert would (1 to 128 of `[A-Za-z0-9_-]`), before anything is sent.
 *
 * @since 0.2.0
 * @category validation
 */
export const validateFileId: (fileId: unknown) => Either.Either<string, AssistantError.InvalidRequestError> =
  Files.checkFileId
