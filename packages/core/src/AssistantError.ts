/**
 * Every way a call to the Assistant API can fail, as `Schema.TaggedError` classes you can
 * `Effect.catchTag`: one class per `ErrorResponse` code of the 2026-04 API, and the failures that
 * happen around it (no response, an unreadable response, a request refused before sending, and, for
 * waiting, a failed operation or an exhausted time budget).
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { Assistant } from "./Assistant.js"
import { AssistantFile } from "./AssistantFile.js"
import { type ApiError, ApiErrorByCode } from "./internal/errorResponse.js"
import * as internal from "./internal/errors.js"
import { InvalidRequestError } from "./internal/invalidRequest.js"
import { Operation } from "./Operation.js"

export * from "./internal/errorResponse.js"

const bodyLimit = 1024

/**
 * A non-2xx answer that is not an `ErrorResponse`, or whose code is not one the 2026-04 API
 * documents (an HTML 502 page from a proxy, say). Keeps at most 1 KiB of the body.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnrecognizedApiError extends Schema.TaggedError<UnrecognizedApiError>()("UnrecognizedApiError", {
  /** The HTTP status of the response. */
  status: Schema.Int,
  /** The body's `error.code`, when it had one the 2026-04 API does not document. */
  code: Schema.Option(Schema.String),
  /** The start of the body (at most 1 KiB), as text. */
  body: Schema.String.pipe(Schema.maxLength(bodyLimit)),
  /** The `x-pinecone-request-id` response header, when sent. */
  requestId: Schema.Option(Schema.String),
  /** The `Retry-After` response header, when sent. */
  retryAfter: Schema.Option(Schema.DurationFromMillis)
}) {
  /**
   * The error, for a person: what failed and why, in one line.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return internal.unrecognizedMessage(this)
  }
}

/**
 * A 2xx answer whose body is not the model the endpoint documents (an `OperationModel`, an
 * `AssistantFileModel`, an `Assistant`, a page of them): not JSON, the wrong shape, out-of-range
 * values, or larger than the 1 MiB cap.
 *
 * @since 0.1.0
 * @category errors
 */
export class MalformedResponseError extends Schema.TaggedError<MalformedResponseError>()("MalformedResponseError", {
  /** The HTTP status of the response. */
  status: Schema.Int,
  /** `NotJson`, `Schema` (JSON of the wrong shape) or `TooLarge` (over the 1 MiB cap). */
  reason: Schema.Literal("NotJson", "Schema", "TooLarge"),
  /** What was wrong, for a person: the parse error or the schema's complaint. */
  summary: Schema.String,
  /** The `x-pinecone-request-id` response header, when sent. */
  requestId: Schema.Option(Schema.String)
}) {
  /**
   * The error, for a person: what failed and why, in one line.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return internal.malformedMessage(this)
  }
}

/**
 * No usable response: connection refused or reset, DNS failure, the request timed out, or the body
 * broke off.
 *
 * @since 0.1.0
 * @category errors
 */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  /**
   * `Transport`: refused, reset or otherwise broken; `Timeout`: no complete response in time; `Body`:
   * the body broke off; `InvalidUrl`: the URL could not be built; `Dns`: the host name does not
   * resolve; `Tls`: the TLS handshake or certificate check failed. `Dns`, `Tls` and `InvalidUrl` are
   * not transient: retrying cannot help.
   */
  reason: Schema.Literal("Transport", "Timeout", "Body", "InvalidUrl", "Dns", "Tls"),
  /** The underlying failure's own text (the socket's, the resolver's), without the API key. */
  description: Schema.String,
  /**
   * The machine-readable code of the underlying failure (`ECONNREFUSED`, `ECONNRESET`, `ENOTFOUND`,
   * ...), when it had one: what code tells failures apart by, never the description's text.
   *
   * @since 0.2.0
   */
  code: Schema.optional(Schema.String)
}) {
  /**
   * The error, for a person: what failed and why, in one line.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return internal.transportMessage(this)
  }
}

/**
 * The request was refused before anything was sent: an invalid path parameter or option.
 *
 * @since 0.1.0
 * @category errors
 */
export { InvalidRequestError } from "./internal/invalidRequest.js"

/**
 * Every failure of an `AssistantClient` call (describe, list, and every call to come): an API
 * error, an unrecognized answer, a malformed body, no usable response, or a request refused before
 * sending.
 *
 * @since 0.2.0
 * @category unions
 */
export type CallError =
  | ApiError
  | UnrecognizedApiError
  | MalformedResponseError
  | TransportError
  | InvalidRequestError

/**
 * Schema of {@link CallError}.
 *
 * @since 0.2.0
 * @category unions
 */
export const CallError: Schema.Schema<CallError, any> = Schema.Union(
  ...Object.values(ApiErrorByCode),
  UnrecognizedApiError,
  MalformedResponseError,
  TransportError,
  InvalidRequestError
)

/**
 * The operation reached status `Failed`. Carries the final snapshot; the message includes the
 * server's `error_message`.
 *
 * @since 0.1.0
 * @category errors
 */
export class OperationFailedError extends Schema.TaggedError<OperationFailedError>()("OperationFailedError", {
  /** The `Failed` snapshot: its `errorMessage` says why. */
  operation: Operation
}) {
  /**
   * The error, for a person: what failed and why, in one line.
   *
   * @since 0.1.0
   */
  override get message(): string {
    const why = Option.getOrElse(this.operation.errorMessage, () => "no error message given")
    return `Operation ${this.operation.id} failed: ${why}`
  }
}

/**
 * An operation waited on, with its last snapshot.
 *
 * @since 0.2.0
 * @category errors
 */
export class WaitedOperation extends Schema.TaggedClass<WaitedOperation>()("Operation", {
  operationId: Schema.String,
  last: Schema.Option(Operation)
}) {}

/**
 * A file waited on, with its last snapshot (the file, not only its status).
 *
 * @since 0.2.0
 * @category errors
 */
export class WaitedFile extends Schema.TaggedClass<WaitedFile>()("File", {
  fileId: Schema.String,
  last: Schema.Option(AssistantFile)
}) {}

/**
 * An assistant waited on, with its last snapshot.
 *
 * @since 0.2.0
 * @category errors
 */
export class WaitedAssistant extends Schema.TaggedClass<WaitedAssistant>()("Assistant", {
  assistantName: Schema.String,
  last: Schema.Option(Assistant)
}) {}

/**
 * What a wait was waiting on, and the last snapshot of it: one typed value, told apart by `_tag`.
 *
 * @since 0.2.0
 * @category errors
 */
export const WaitTarget: Schema.Union<[typeof WaitedOperation, typeof WaitedFile, typeof WaitedAssistant]> = Schema
  .Union(WaitedOperation, WaitedFile, WaitedAssistant)

/**
 * @since 0.2.0
 * @category errors
 */
export type WaitTarget = WaitedOperation | WaitedFile | WaitedAssistant

/**
 * The wait's time budget (or its schedule) ran out before what it waited on ended. Carries what it
 * waited on with the last snapshot seen, if any (`target`), the last error the wait rode out, if any
 * (so that a wait that never reached the server says why), and the time spent.
 *
 * @since 0.1.0
 * @category errors
 */
export class WaitTimeoutError extends Schema.TaggedError<WaitTimeoutError>()("WaitTimeoutError", {
  /**
   * What was waited on (an operation, a file, an assistant) and its last snapshot.
   *
   * @since 0.2.0
   */
  target: WaitTarget,
  /** The last transient failure seen, if the wait met any. */
  lastError: Schema.optionalWith(Schema.Option(CallError), { default: () => Option.none() }),
  /** The time the wait took. */
  elapsed: Schema.DurationFromMillis,
  /** How many describes the wait sent. */
  polls: Schema.Int
}) {
  /**
   * The error, for a person: what failed and why, in one line.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return internal.waitTimeoutMessage(this)
  }
}

/**
 * The assistant waited on ended `InitializationFailed` or `Failed`.
 *
 * @since 0.2.0
 * @category errors
 */
export class AssistantFailedError extends Schema.TaggedError<AssistantFailedError>()("AssistantFailedError", {
  /** The failed snapshot. */
  assistant: Assistant
}) {
  /**
   * The error, for a person: which assistant and how it ended.
   *
   * @since 0.2.0
   */
  override get message(): string {
    return `Assistant ${this.assistant.name} is ${this.assistant.status}`
  }
}

/**
 * The file waited on ended `ProcessingFailed`. Carries the server's message when its operation
 * gave one (the 2026-04 file model has no error field: the message is its failed operation's).
 *
 * @since 0.2.0
 * @category errors
 */
export class FileProcessingFailedError
  extends Schema.TaggedError<FileProcessingFailedError>()("FileProcessingFailedError", {
    /** The file's id. */
    fileId: Schema.String,
    /** The file's name. */
    fileName: Schema.String,
    /** The failed operation's `error_message`, if it was found. */
    errorMessage: Schema.Option(Schema.String),
    /** The failed operation's id, if it was found. */
    operationId: Schema.Option(Schema.String)
  })
{
  /**
   * The error, for a person: which file, and why when the server said.
   *
   * @since 0.2.0
   */
  override get message(): string {
    return `File ${this.fileName} (${this.fileId}) failed processing: ${
      Option.getOrElse(this.errorMessage, () => "no error message given")
    }`
  }
}

/**
 * Every failure of `waitForFile`.
 *
 * @since 0.2.0
 * @category unions
 */
export type WaitForFileError = CallError | FileProcessingFailedError | WaitTimeoutError

/**
 * Every failure of `waitForAssistant` and `createAssistantAndWait`.
 *
 * @since 0.2.0
 * @category unions
 */
export type WaitForAssistantError = CallError | AssistantFailedError | WaitTimeoutError

/**
 * Every failure of `waitForOperation` and `watchOperation`.
 *
 * @since 0.1.0
 * @category unions
 */
export type WaitForOperationError = CallError | OperationFailedError | WaitTimeoutError

/**
 * Failures worth retrying: HTTP 429, 500, 502, 503, 504, the codes `UNAVAILABLE`,
 * `RESOURCE_EXHAUSTED` and `TOO_MANY_REQUESTS`, and a `TransportError` other than `Dns`, `Tls` and
 * `InvalidUrl` (a GET is idempotent).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isTransient: (error: CallError) => boolean = internal.isTransient

/**
 * The server's `Retry-After`, when the error carries one.
 *
 * @since 0.1.0
 * @category getters
 */
export const retryAfterOf = (error: unknown): Option.Option<Duration.Duration> =>
  Predicate.hasProperty(error, "retryAfter") && Option.isOption(error.retryAfter)
    ? (error.retryAfter as Option.Option<Duration.Duration>)
    : Option.none()

/**
 * The mark every error of this module carries (on its prototype), for {@link isAssistantError}.
 *
 * @since 0.2.0
 * @category type ids
 */
export const TypeId: unique symbol = internal.TypeId

/**
 * @since 0.2.0
 * @category type ids
 */
export type TypeId = typeof TypeId

/**
 * Every error of this module: what the client, the poller and the sync fail with (besides a
 * `FileSource.FileSourceError` of an upload).
 *
 * @since 0.2.0
 * @category unions
 */
export type AssistantError =
  | CallError
  | OperationFailedError
  | WaitTimeoutError
  | AssistantFailedError
  | FileProcessingFailedError

internal.markAssistantErrors([
  UnrecognizedApiError,
  MalformedResponseError,
  TransportError,
  InvalidRequestError,
  OperationFailedError,
  WaitTimeoutError,
  AssistantFailedError,
  FileProcessingFailedError
])

/**
 * Whether `u` is one of this library's errors (of any version of it loaded: the mark is a global
 * symbol), as `@effect/ai`'s `AiError.isAiError` tells its own.
 *
 * @since 0.2.0
 * @category guards
 */
export const isAssistantError = (u: unknown): u is AssistantError => Predicate.hasProperty(u, TypeId)
