/**
 * What the methods of `AssistantClient` take: one request type per call, and the types of an upload
 * (its errors, and the body a transport may send from the local disk itself). `AssistantClient`
 * exports each of them too.
 *
 * @since 0.2.0
 */
import type * as HttpBody from "@effect/platform/HttpBody"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Assistant from "../../Assistant.js"
import type * as AssistantError from "../../AssistantError.js"
import type * as AssistantFile from "../../AssistantFile.js"
import type * as FileSource from "../../FileSource.js"
import type * as Operation from "../../Operation.js"

/**
 * Which operation to describe.
 *
 * @since 0.1.0
 * @category models
 */
export interface DescribeOperationRequest {
  readonly assistantName: string
  readonly operationId: string
}

/**
 * Which operations to list: all of an assistant's, or those of one type and/or status.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOperationsRequest {
  readonly assistantName: string
  readonly operationType?: Operation.OperationType | undefined
  readonly status?: Operation.OperationStatus | undefined
  /** Operations per page, 1 to 100. */
  readonly limit?: number | undefined
}

/**
 * One page to fetch: a {@link ListOperationsRequest} and the token of the page (none for the first).
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOperationsPageRequest extends ListOperationsRequest {
  readonly paginationToken?: string | undefined
}

/**
 * Which assistant to describe (on the control plane).
 *
 * @since 0.2.0
 * @category models
 */
export interface DescribeAssistantRequest {
  readonly assistantName: string
}

/**
 * A file to upload into an assistant: the server gives it an id.
 *
 * @since 0.2.0
 * @category models
 */
export interface UploadFileRequest {
  readonly assistantName: string
  readonly file: FileSource.FileSource
  /** A JSON object of at most 16 KB (counted as 16,384 bytes of its UTF-8 JSON). */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
  /** Process a PDF as multimodal. */
  readonly multimodal?: boolean | undefined
}

/**
 * A file to create or replace under an id of your own (1 to 128 of `[A-Za-z0-9_-]`).
 *
 * @since 0.2.0
 * @category models
 */
export interface UpsertFileRequest extends UploadFileRequest {
  readonly fileId: string
}

/**
 * One file of an assistant.
 *
 * @since 0.2.0
 * @category models
 */
export interface FileRequest {
  readonly assistantName: string
  readonly fileId: string
}

/**
 * A file to describe; `includeUrl` asks for its signed URL (kept `Redacted`).
 *
 * @since 0.2.0
 * @category models
 */
export interface DescribeFileRequest extends FileRequest {
  readonly includeUrl?: boolean | undefined
}

/**
 * Which files to list: all of an assistant's, or those whose metadata match `filter`.
 *
 * @since 0.2.0
 * @category models
 */
export interface ListFilesRequest {
  readonly assistantName: string
  readonly filter?: AssistantFile.MetadataFilter | undefined
  /** Files per page, 1 to 100. */
  readonly limit?: number | undefined
}

/**
 * One page of files to fetch.
 *
 * @since 0.2.0
 * @category models
 */
export interface ListFilesPageRequest extends ListFilesRequest {
  readonly paginationToken?: string | undefined
}

/**
 * Every failure of an upload or upsert: those of any call, and a source that failed while read.
 *
 * @since 0.2.0
 * @category models
 */
export type UploadError = AssistantError.CallError | FileSource.FileSourceError

/**
 * One attempt's multipart body, for a client that sends a source's {@link FileSource.LocalFile}
 * itself: it sends `head`, then the file's bytes, then `tail`, and reports each chunk through
 * `observe` before sending it (which bounds a stall, counts the bytes against the declared size and
 * calls the source's progress callbacks), `finish` after the last one, and a read failure through
 * `fail`. An effect that fails (with `FileSourceError`) means the body must be abandoned: the
 * attempt has already ended with that error.
 *
 * @since 0.2.0
 * @category models
 */
export interface NativeUpload {
  /** The source uploaded. */
  readonly source: FileSource.FileSource
  /** Its file on the local disk. */
  readonly localFile: FileSource.LocalFile
  /** The multipart bytes before the file's: the `metadata` part, if any, and the file part's headers. */
  readonly head: Uint8Array
  /** The multipart bytes after the file's: the closing boundary. */
  readonly tail: Uint8Array
  /** The body's `Content-Type` (`multipart/form-data` with its boundary). */
  readonly contentType: string
  /** The body's length, when the source's size is known. */
  readonly contentLength: number | undefined
  /** To run with each chunk's size before sending it. */
  readonly observe: (bytes: number) => Effect.Effect<void, FileSource.FileSourceError>
  /** To run after the file's last chunk. */
  readonly finish: Effect.Effect<void, FileSource.FileSourceError>
  /** To run when reading the file fails, with what went wrong (its message becomes the error's description). */
  readonly fail: (cause: unknown) => Effect.Effect<never, FileSource.FileSourceError>
}

/**
 * Builds the body of an upload whose source has a {@link FileSource.LocalFile}, in the form the
 * client's transport sends without passing each chunk through a `Stream` (on Node: a `Readable` of
 * `fs.createReadStream`, for undici). `None` sends the portable `Stream` of `open` instead.
 *
 * @since 0.2.0
 * @category models
 */
export type NativeUploadEncoder = (upload: NativeUpload) => Effect.Effect<Option.Option<HttpBody.HttpBody>>

/**
 * What `createAssistant` takes: a name of 1 to 63 lower-case letters, digits and `-` (starting and
 * ending with a letter or digit), instructions and metadata of at most 16 KB each, and a region (`us`,
 * `eu`, or another the server knows; default `us`).
 *
 * @since 0.2.0
 * @category models
 */
export interface CreateAssistantRequest {
  /** The new assistant's name (as `assistantName` names it in every other call). */
  readonly assistantName: string
  readonly instructions?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
  readonly region?: Assistant.Region | undefined
}

/**
 * What `updateAssistant` takes: the new instructions, metadata or both.
 *
 * @since 0.2.0
 * @category models
 */
export interface UpdateAssistantRequest {
  readonly assistantName: string
  readonly instructions?: string | undefined
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
}

/**
 * What `deleteAssistant` takes.
 *
 * @since 0.2.0
 * @category models
 */
export interface DeleteAssistantRequest {
  readonly assistantName: string
}

/**
 * What `listAssistants` takes: the page size (1 to 100; the server's default is 50).
 *
 * @since 0.2.0
 * @category models
 */
export interface ListAssistantsRequest {
  readonly limit?: number | undefined
}

/**
 * One page of `listAssistants`.
 *
 * @since 0.2.0
 * @category models
 */
export interface ListAssistantsPageRequest extends ListAssistantsRequest {
  readonly paginationToken?: string | undefined
}
