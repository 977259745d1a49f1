/**
 * The body Pinecone sends with every error status, its codes, and the error class for each code of
 * the 2026-04 API (`NOT_FOUND` -> `NotFoundError`, ...). `AssistantError` exports all of them too,
 * beside the failures that happen around an answer.
 *
 * @since 0.2.0
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { markAssistantErrors, TypeId } from "./errors.js"

/**
 * The error codes of the 2026-04 `ErrorResponse` (an open enumeration on the wire).
 *
 * @since 0.1.0
 * @category codes
 */
export const apiErrorCodes = [
  "OK",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "QUOTA_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "UNAUTHENTICATED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "FORBIDDEN",
  "TOO_MANY_REQUESTS"
] as const

/**
 * A documented `ErrorResponse` code.
 *
 * @since 0.1.0
 * @category codes
 */
export type ApiErrorCode = typeof apiErrorCodes[number]

/**
 * The body Pinecone sends with every error status (shared by the client and the emulator).
 *
 * @since 0.1.0
 * @category schemas
 */
export class ErrorResponse extends Schema.Class<ErrorResponse>("@effect-pinecone/core/ErrorResponse")({
  /** The HTTP status the body repeats. */
  status: Schema.Int,
  /** The error: its `code` (`NOT_FOUND`, ...), `message` and optional `details`. */
  error: Schema.Struct({
    code: Schema.String,
    message: Schema.String,
    details: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.Unknown }), { exact: true })
  })
}) {}

/**
 * What every API error class carries.
 *
 * @since 0.1.0
 * @category fields
 */
export const apiErrorFields = {
  /** The HTTP status of the response. */
  status: Schema.Int,
  /** The server's own message. */
  message: Schema.String,
  /** `error.details` of the body, when sent. */
  details: Schema.Option(Schema.Unknown),
  /** The `x-pinecone-request-id` response header, when sent: quote it to Pinecone support. */
  requestId: Schema.Option(Schema.String),
  /** The `Retry-After` response header (seconds or an HTTP date), when sent. */
  retryAfter: Schema.Option(Schema.DurationFromMillis)
}

const apiError = <const Tag extends string>(tag: Tag) => <Self>() => Schema.TaggedError<Self>()(tag, apiErrorFields)

/** @since 0.1.0 @category api errors */
export class OkError extends apiError("OkError")<OkError>() {}
/** @since 0.1.0 @category api errors */
export class UnknownError extends apiError("UnknownError")<UnknownError>() {}
/** @since 0.1.0 @category api errors */
export class InvalidArgumentError extends apiError("InvalidArgumentError")<InvalidArgumentError>() {}
/** @since 0.1.0 @category api errors */
export class DeadlineExceededError extends apiError("DeadlineExceededError")<DeadlineExceededError>() {}
/** @since 0.1.0 @category api errors */
export class QuotaExceededError extends apiError("QuotaExceededError")<QuotaExceededError>() {}
/** @since 0.1.0 @category api errors */
export class NotFoundError extends apiError("NotFoundError")<NotFoundError>() {}
/** @since 0.1.0 @category api errors */
export class AlreadyExistsError extends apiError("AlreadyExistsError")<AlreadyExistsError>() {}
/** @since 0.1.0 @category api errors */
export class PermissionDeniedError extends apiError("PermissionDeniedError")<PermissionDeniedError>() {}
/** @since 0.1.0 @category api errors */
export class UnauthenticatedError extends apiError("UnauthenticatedError")<UnauthenticatedError>() {}
/** @since 0.1.0 @category api errors */
export class ResourceExhaustedError extends apiError("ResourceExhaustedError")<ResourceExhaustedError>() {}
/** @since 0.1.0 @category api errors */
export class FailedPreconditionError extends apiError("FailedPreconditionError")<FailedPreconditionError>() {}
/** @since 0.1.0 @category api errors */
export class AbortedError extends apiError("AbortedError")<AbortedError>() {}
/** @since 0.1.0 @category api errors */
export class OutOfRangeError extends apiError("OutOfRangeError")<OutOfRangeError>() {}
/** @since 0.1.0 @category api errors */
export class UnimplementedError extends apiError("UnimplementedError")<UnimplementedError>() {}
/** @since 0.1.0 @category api errors */
export class InternalError extends apiError("InternalError")<InternalError>() {}
/** @since 0.1.0 @category api errors */
export class UnavailableError extends apiError("UnavailableError")<UnavailableError>() {}
/** @since 0.1.0 @category api errors */
export class DataLossError extends apiError("DataLossError")<DataLossError>() {}
/** @since 0.1.0 @category api errors */
export class ForbiddenError extends apiError("ForbiddenError")<ForbiddenError>() {}
/** @since 0.1.0 @category api errors */
export class TooManyRequestsError extends apiError("TooManyRequestsError")<TooManyRequestsError>() {}

/**
 * The error class for each documented code: `NOT_FOUND` -> `NotFoundError`, and so on.
 *
 * @since 0.1.0
 * @category api errors
 */
export const ApiErrorByCode = {
  OK: OkError,
  UNKNOWN: UnknownError,
  INVALID_ARGUMENT: InvalidArgumentError,
  DEADLINE_EXCEEDED: DeadlineExceededError,
  QUOTA_EXCEEDED: QuotaExceededError,
  NOT_FOUND: NotFoundError,
  ALREADY_EXISTS: AlreadyExistsError,
  PERMISSION_DENIED: PermissionDeniedError,
  UNAUTHENTICATED: UnauthenticatedError,
  RESOURCE_EXHAUSTED: ResourceExhaustedError,
  FAILED_PRECONDITION: FailedPreconditionError,
  ABORTED: AbortedError,
  OUT_OF_RANGE: OutOfRangeError,
  UNIMPLEMENTED: UnimplementedError,
  INTERNAL: InternalError,
  UNAVAILABLE: UnavailableError,
  DATA_LOSS: DataLossError,
  FORBIDDEN: ForbiddenError,
  TOO_MANY_REQUESTS: TooManyRequestsError
} as const satisfies Record<ApiErrorCode, unknown>

/**
 * The API error for `code`, with no details, request id or `Retry-After` unless given: the one
 * constructor the test layers and the emulator share.
 *
 * @example
 * ```ts
 * import { AssistantError } from "@effect-pinecone/core"
 *
 * const error = AssistantError.make("NOT_FOUND", 404, "Operation op-1 not found.")
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const make = (
  code: ApiErrorCode,
  status: number,
  message: string,
  options?: {
    readonly details?: unknown
    readonly requestId?: string | undefined
    readonly retryAfter?: Duration.Duration | undefined
  }
): ApiError =>
  new ApiErrorByCode[code]({
    status,
    message,
    details: options?.details === undefined ? Option.none() : Option.some(options.details),
    requestId: Option.fromNullable(options?.requestId),
    retryAfter: Option.fromNullable(options?.retryAfter)
  })

/**
 * An `ErrorResponse` with a documented code.
 *
 * @since 0.1.0
 * @category api errors
 */
export type ApiError = InstanceType<typeof ApiErrorByCode[ApiErrorCode]>

/**
 * Schema of {@link ApiError} (all 19 classes).
 *
 * @since 0.1.0
 * @category api errors
 */
export const ApiError: Schema.Schema<ApiError, Schema.Schema.Encoded<typeof ApiErrorByCode[ApiErrorCode]>> = Schema
  .Union(...Object.values(ApiErrorByCode))

const apiErrorTags: ReadonlySet<string> = new Set(Object.values(ApiErrorByCode).map((c) => c._tag))

/**
 * Whether `u` is one of this library's API errors: it carries the library's mark (`AssistantError.TypeId`) and the
 * tag of one of the 19 classes. Another library's `{ _tag: "NotFoundError" }` is not.
 *
 * @since 0.1.0
 * @category refinements
 */
export const isApiError = (u: unknown): u is ApiError =>
  Predicate.hasProperty(u, TypeId) && Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" &&
  apiErrorTags.has(u._tag)

/**
 * The code an API error class stands for: `codeOf(new NotFoundError(...)) === "NOT_FOUND"`.
 *
 * @since 0.1.0
 * @category api errors
 */
export const codeOf = (error: ApiError): ApiErrorCode => codeByTag.get(error._tag)!

const codeByTag: ReadonlyMap<string, ApiErrorCode> = new Map(
  (Object.entries(ApiErrorByCode) as Array<[ApiErrorCode, { readonly _tag: string }]>).map((
    [code, c]
  ) => [c._tag, code])
)

markAssistantErrors(Object.values(ApiErrorByCode))
