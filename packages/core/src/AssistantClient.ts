/**
 * The `AssistantClient` service: typed access to the Pinecone Assistant data-plane API (2026-04).
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import * as Cache from "effect/Cache"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import { constTrue, identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import * as Assistant from "./Assistant.js"
import * as AssistantError from "./AssistantError.js"
import * as AssistantFile from "./AssistantFile.js"
import * as FileSource from "./FileSource.js"
import * as Assistants from "./internal/client/assistants.js"
import * as Files from "./internal/files.js"
import * as internal from "./internal/http.js"
import * as Budget from "./internal/rateBudget.js"
import * as RateLimit from "./internal/rateLimiter.js"
import { requestKind } from "./internal/requestKind.js"
import { version } from "./internal/version.js"
import * as Operation from "./Operation.js"
import * as RateBudget from "./RateBudget.js"

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
  /** To run when reading the file fails, with what went wrong. */
  readonly fail: (description: string) => Effect.Effect<never, FileSource.FileSourceError>
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
  readonly name: string
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
  readonly name: string
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
  readonly name: string
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

/**
 * The service: every method fails only with the typed errors of {@link AssistantError}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /**
   * `GET /assistant/operations/{assistant_name}/{operation_id}`, with transient failures retried.
   */
  readonly describeOperation: (
    request: DescribeOperationRequest
  ) => Effect.Effect<Operation.Operation, AssistantError.CallError>
  /**
   * `GET /assistant/operations/{assistant_name}`: one page, with the same errors, retries and rate
   * budget as `describeOperation`.
   */
  readonly listOperationsPage: (
    request: ListOperationsPageRequest
  ) => Effect.Effect<Operation.OperationList, AssistantError.CallError>
  /**
   * `POST /assistant/files/{assistant_name}`: the operation of the 202 answer. Retried only when the
   * server certainly did not take the file (a 429 or 503 answer, a connection refused): never after
   * a timeout or a reset mid-body, which could leave two files. For blind retries, upsert with an id
   * of your own.
   */
  readonly uploadFile: (request: UploadFileRequest) => Effect.Effect<Operation.Operation, UploadError>
  /** `PUT /assistant/files/{assistant_name}/{assistant_file_id}`: idempotent, retried like describe. */
  readonly upsertFile: (request: UpsertFileRequest) => Effect.Effect<Operation.Operation, UploadError>
  /** `DELETE /assistant/files/{assistant_name}/{assistant_file_id}`: started (202) or deleted at once (204). */
  readonly deleteFile: (request: FileRequest) => Effect.Effect<AssistantFile.DeleteOutcome, AssistantError.CallError>
  /** `GET /assistant/files/{assistant_name}/{assistant_file_id}`. */
  readonly describeFile: (
    request: DescribeFileRequest
  ) => Effect.Effect<AssistantFile.AssistantFile, AssistantError.CallError>
  /**
   * The control plane's `GET /assistant/assistants/{assistant_name}`: the assistant, with the
   * data-plane host it lives on.
   */
  readonly describeAssistant: (
    request: DescribeAssistantRequest
  ) => Effect.Effect<Assistant.Assistant, AssistantError.CallError>
  /** `GET /assistant/files/{assistant_name}`: one page. */
  readonly listFilesPage: (
    request: ListFilesPageRequest
  ) => Effect.Effect<AssistantFile.AssistantFileList, AssistantError.CallError>
  /**
   * The control plane's `POST /assistant/assistants`: the new assistant, `Initializing` (wait for it
   * with `OperationPoller.waitForAssistant`). Retried like describe: a retry that meets
   * `ALREADY_EXISTS` after a first attempt the server may have taken describes the assistant and
   * succeeds if it is the one asked for (same instructions, metadata and region).
   *
   * @since 0.2.0
   */
  readonly createAssistant: (
    request: CreateAssistantRequest
  ) => Effect.Effect<Assistant.Assistant, AssistantError.CallError>
  /**
   * The control plane's `GET /assistant/assistants`: one page.
   *
   * @since 0.2.0
   */
  readonly listAssistantsPage: (
    request: ListAssistantsPageRequest
  ) => Effect.Effect<Assistant.AssistantList, AssistantError.CallError>
  /**
   * The control plane's `PATCH /assistant/assistants/{assistant_name}`.
   *
   * @since 0.2.0
   */
  readonly updateAssistant: (
    request: UpdateAssistantRequest
  ) => Effect.Effect<Assistant.UpdateAssistantResponse, AssistantError.CallError>
  /**
   * The control plane's `DELETE /assistant/assistants/{assistant_name}`: accepted (the assistant is
   * `Terminating`, then gone). Idempotent: a retry that meets `NOT_FOUND` after a first attempt
   * succeeds.
   *
   * @since 0.2.0
   */
  readonly deleteAssistant: (request: DeleteAssistantRequest) => Effect.Effect<void, AssistantError.CallError>
}

/**
 * The Assistant API client service.
 *
 * @since 0.1.0
 * @category tags
 */
export class AssistantClient extends Context.Tag("@effect-pinecone/core/AssistantClient")<AssistantClient, Service>() {}

/**
 * The default data-plane host (US). The EU host is `https://prod-eu-data.ke.pinecone.io`; the
 * control plane's describe-assistant returns the host of each assistant.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultHost = "https://prod-1-data.ke.pinecone.io"

/**
 * The control plane, where describe-assistant tells each assistant's data-plane host.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultControlHost = "https://api.pinecone.io"

/**
 * How long a discovered host is kept before it is looked up again.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultHostTtl: Duration.Duration = Duration.minutes(10)

/**
 * The API version this client is written against.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion = "2026-04"

/**
 * Options of {@link make} and {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Sent as `Api-Key`; never rendered in an error, log or span. */
  readonly apiKey: Redacted.Redacted
  /**
   * The data-plane host of every call (a bare host gets `https://`): no discovery. Default none: the
   * host of each assistant is found with the control plane's describe-assistant, cached per
   * assistant for `hostTtl`, looked up once however many calls ask at the same moment, and dropped
   * when that host stops answering (refused, DNS) or says the assistant does not exist. One client
   * then serves assistants on several hosts (US and EU).
   */
  readonly host?: string | undefined
  /** The control plane. Default {@link defaultControlHost}. */
  readonly controlHost?: string | undefined
  /** How long a discovered host is kept. Default {@link defaultHostTtl}. */
  readonly hostTtl?: Duration.DurationInput | undefined
  /** Sent as `X-Pinecone-Api-Version`. Default {@link defaultApiVersion}. */
  readonly apiVersion?: string | undefined
  /**
   * Time allowed for one attempt, body included. Default 30 seconds. At the limit the request is
   * aborted through its `AbortSignal` and the attempt fails with `TransportError` `Timeout`. Every
   * `@effect/platform` client (fetch, undici, node:http) and `Emulator.makeHttpClient` honour the
   * signal; an `HttpClient` of your own must too, or its attempts are not cut off.
   */
  readonly requestTimeout?: Duration.DurationInput | undefined
  /**
   * How transient failures are retried (its input is the error), or `false` for never. Default
   * {@link defaultRetrySchedule}. Whatever the schedule, a retry never comes sooner than the
   * server's `Retry-After`, and no delay is longer than the longest a timer can take (about 24.8 days).
   */
  readonly retry?: Schedule.Schedule<unknown, AssistantError.CallError> | false | undefined
  /**
   * The longest `Retry-After` the client waits out. Default 60 seconds. A server asking for longer
   * (or, inside a wait, for longer than the wait's remaining budget) ends the call at once with its
   * typed error, `retryAfter` on it, so that the caller can decide.
   */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /** A budget shared by every request of this client (token bucket: bursts up to the limit). */
  readonly maxRequestsPerSecond?: number | undefined
  /**
   * Per-kind budgets (uploads, deletes, reads per minute) for every request of this client: a plan's
   * name (`"starter"`, ...) or a {@link RateBudget.RateBudget}. Default none. `RateBudget.withBudget`
   * sets one for the calls of an effect instead.
   */
  readonly rateBudget?: RateBudget.RateBudget | RateBudget.Plan | undefined
  /** Allow plain `http://` to a host that is not loopback. Default `false`. */
  readonly allowInsecure?: boolean | undefined
  /**
   * Also record `@effect/platform`'s `http.client` span for each attempt, as a child of the call's
   * span. Default `false`: the call's span is the client span and carries the HTTP attributes itself
   * (method, URL, server, status code, resend count), which spares a second span per request.
   */
  readonly httpSpans?: boolean | undefined
  /**
   * The longest an upload or upsert may take in all, attempts included. Default none: the request
   * timeout bounds only a stall (no byte sent or received for that long), so a large file on a slow
   * link is never cut off while it makes progress.
   */
  readonly uploadTimeout?: Duration.DurationInput | undefined
  /**
   * Wraps the `HttpClient` every call of this client uses (after the base URL and headers are set),
   * to add a header, log, or route requests: `transformClient: HttpClient.tapRequest(Console.log)`.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /**
   * How this client's transport sends a file that is on the local disk itself. `NodeAssistantClient`
   * sets it for undici, which then reads a `NodeFileSource.fromPath` source with `fs.createReadStream`
   * (faster, and with less memory, than chunks passed through a `Stream`). Leave it unset with any
   * other `HttpClient`: every source then streams from its `open`.
   */
  readonly nativeUploads?: NativeUploadEncoder | undefined
}

const fullJitter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>) =>
  Schedule.modifyDelayEffect(self, (_, delay) =>
    Effect.map(
      Effect.randomWith((random) => random.next),
      (r) => Duration.millis(Math.floor(r * Duration.toMillis(delay)))
    ))

const capDelay = (max: Duration.DurationInput) => <Out, In, R>(self: Schedule.Schedule<Out, In, R>) =>
  Schedule.modifyDelay(self, (_, delay) => Duration.min(delay, max))

/**
 * The default retry policy: at most 3 retries, exponential backoff from 250 ms with full jitter
 * (each delay uniform between zero and the backoff), the backoff capped at 20 seconds.
 *
 * @since 0.1.0
 * @category retry
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("250 millis", 2).pipe(
  capDelay("20 seconds"),
  fullJitter,
  Schedule.intersect(Schedule.recurs(3))
)

/**
 * The default longest `Retry-After` a call waits out.
 *
 * @since 0.2.0
 * @category retry
 */
export const defaultMaxRetryAfter: Duration.Duration = Duration.seconds(60)

/**
 * Lengthens each delay of `self` to at least the `Retry-After` of the error it is retrying, and
 * caps every delay at the longest a timer can take (past it, a timer never fires).
 *
 * @since 0.1.0
 * @category retry
 */
export const respectRetryAfter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>): Schedule.Schedule<Out, In, R> =>
  Schedule.zipWith(self, Schedule.identity<In>(), (out, input) => [out, input] as const).pipe(
    Schedule.modifyDelay(([, input], delay) =>
      internal.capDelay(Option.match(AssistantError.retryAfterOf(input), {
        onNone: () => delay,
        onSome: (retryAfter) => Duration.max(delay, retryAfter)
      }))
    ),
    Schedule.map(([out]) => out)
  )

/**
 * Runs `effect` with `api-key` among the redacted header names, so that the platform's spans and
 * any rendering of the request headers show `<redacted>` instead of the key.
 *
 * @since 0.1.0
 * @category utils
 */
export const withRedactedApiKey = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, internal.redactApiKey)

/**
 * Runs `effect` with its calls' retries bounded by `deadline` (epoch milliseconds on the Clock): a
 * `Retry-After` reaching past it ends the call at once with its error. The pollers use it, so that
 * a wait never sleeps past its budget inside a call.
 *
 * @since 0.2.0
 * @category retry
 */
export const withRetryDeadline = (deadline: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(effect, internal.currentRetryDeadline, deadline)

const validateRequest = (
  request: DescribeOperationRequest
): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.flatMap(
    internal.encodeSegment("assistantName", request.assistantName),
    (assistant) => Either.map(internal.encodeSegment("operationId", request.operationId), (id) => `${assistant}/${id}`)
  )

const validateList = (
  request: ListOperationsPageRequest
): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const params = new URLSearchParams()
    if (request.operationType !== undefined) {
      yield* internal.encodeSegment("operationType", request.operationType)
      params.set("operation_type", request.operationType)
    }
    if (request.status !== undefined) {
      yield* internal.encodeSegment("status", request.status)
      params.set("status", request.status)
    }
    if (request.limit !== undefined) {
      if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 100) {
        return yield* Either.left(
          new AssistantError.InvalidRequestError({ parameter: "limit", reason: "must be an integer from 1 to 100" })
        )
      }
      params.set("limit", String(request.limit))
    }
    if (request.paginationToken !== undefined) {
      params.set("pagination_token", yield* internal.checkToken(request.paginationToken))
    }
    const query = params.toString()
    return query === "" ? assistant : `${assistant}?${query}`
  })

const positiveDuration = (
  parameter: string,
  input: Duration.DurationInput
): Either.Either<Duration.Duration, AssistantError.InvalidRequestError> => {
  const duration = Duration.decodeUnknown(input)
  if (
    Option.isSome(duration) &&
    (Duration.equals(duration.value, Duration.infinity) || Duration.toMillis(duration.value) <= internal.maxTimerMillis)
  ) return Either.right(duration.value)
  return Either.left(
    new AssistantError.InvalidRequestError({
      parameter,
      reason: `must be a duration of at most ${internal.maxTimerMillis} ms, or infinity`
    })
  )
}

const filePath = (request: FileRequest): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const fileId = yield* Files.checkFileId(request.fileId)
    return `/files/${assistant}/${fileId}`
  })

const validateListFiles = (
  request: ListFilesPageRequest
): Either.Either<string, AssistantError.InvalidRequestError> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const params = new URLSearchParams()
    if (request.filter !== undefined) {
      let json: string
      try {
        json = JSON.stringify(request.filter)
      } catch {
        return yield* Either.left(
          new AssistantError.InvalidRequestError({ parameter: "filter", reason: "cannot be JSON-encoded" })
        )
      }
      params.set("filter", json)
    }
    if (request.limit !== undefined) {
      if (!Number.isInteger(request.limit) || request.limit < 1 || request.limit > 100) {
        return yield* Either.left(
          new AssistantError.InvalidRequestError({ parameter: "limit", reason: "must be an integer from 1 to 100" })
        )
      }
      params.set("limit", String(request.limit))
    }
    if (request.paginationToken !== undefined) {
      params.set("pagination_token", yield* internal.checkToken(request.paginationToken))
    }
    const query = params.toString()
    return query === "" ? `/files/${assistant}` : `/files/${assistant}?${query}`
  })

// A discovered host is dropped when it stops answering or says the assistant is not there.
const movedAway = (error: AssistantError.CallError | FileSource.FileSourceError): boolean =>
  (error._tag === "TransportError" &&
    (error.reason === "Dns" || (error.reason === "Transport" && error.code === "ECONNREFUSED"))) ||
  (error._tag === "NotFoundError" && /assistant/i.test(error.message))

interface Upload {
  readonly source: FileSource.FileSource
  readonly fileName: string
  readonly metadata: Option.Option<string>
  readonly create: boolean
}

interface UploadState {
  sent: boolean
}

interface CallSpec<A> {
  readonly name: string
  /** The assistant the call concerns: its host is where the call goes (unless `control`). */
  readonly assistantName: string
  /** A control-plane call. */
  readonly control?: boolean | undefined
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"
  /** A JSON body. */
  readonly body?: unknown
  /** After `/assistant`, query included. */
  readonly path: Either.Either<string, AssistantError.InvalidRequestError>
  readonly decode: internal.BodyDecoder<A>
  readonly attributes: Record<string, string>
  readonly annotate?: ((span: Tracer.Span, a: A) => void) | undefined
  readonly upload?: Upload | undefined
  /** What a failure after retries becomes, knowing how many attempts were made. */
  readonly recover?:
    | ((error: AssistantError.CallError, attempts: number) => Effect.Effect<A, AssistantError.CallError>)
    | undefined
}

// A source of declared size must yield exactly that many bytes: otherwise the upload fails before
// the closing boundary is sent, so the server never receives a truncated file as complete. One
// counter per attempt: `add` each chunk's size as it is read, `end` after the last.
const lengthCounter = (source: FileSource.FileSource) => {
  const declared = Option.getOrUndefined(source.size)
  let seen = 0
  return {
    seen: () => seen,
    add: (bytes: number): Effect.Effect<void, FileSource.FileSourceError> =>
      Effect.suspend(() => {
        seen += bytes
        return declared !== undefined && seen > declared
          ? Effect.fail(lengthError(source, seen, declared))
          : Effect.void
      }),
    end: Effect.suspend((): Effect.Effect<void, FileSource.FileSourceError> =>
      declared !== undefined && seen !== declared ? Effect.fail(lengthError(source, seen, declared)) : Effect.void
    )
  }
}

const checkLength = (source: FileSource.FileSource) =>
<E>(
  bytes: Stream.Stream<Uint8Array, E>
): Stream.Stream<Uint8Array, E | FileSource.FileSourceError> =>
  Option.isNone(source.size) ? bytes : Stream.suspend(() => {
    const counter = lengthCounter(source)
    return Stream.concat(
      Stream.mapEffect(bytes, (chunk) => Effect.as(counter.add(chunk.length), chunk)),
      Stream.drain(Stream.fromEffect(counter.end))
    )
  })

const lengthError = (source: FileSource.FileSource, seen: number, declared: number) =>
  new FileSource.FileSourceError({
    name: source.name,
    description: seen > declared
      ? `it yielded more than the ${declared} bytes declared`
      : `it yielded ${seen} bytes, not the ${declared} declared`
  })

// What a client that sends a local file itself reports to the attempt: each chunk (a stall's clock,
// the declared length, the source's progress), the end, a read failure.
const nativeUpload = (
  source: FileSource.FileSource,
  localFile: FileSource.LocalFile,
  multipart: Files.MultipartBody,
  touch: Effect.Effect<void>,
  state: UploadState,
  failSource: (e: FileSource.FileSourceError) => Effect.Effect<boolean>
): NativeUpload => {
  const counter = lengthCounter(source)
  return {
    source,
    localFile,
    head: multipart.head,
    tail: multipart.tail,
    contentType: multipart.contentType,
    contentLength: multipart.contentLength,
    observe: (bytes) =>
      counter.add(bytes).pipe(
        Effect.zipRight(Effect.sync(() => (state.sent = true))),
        Effect.zipRight(touch),
        Effect.zipRight(Effect.forEach(localFile.progress, (f) => f(counter.seen()), { discard: true })),
        Effect.tapError(failSource)
      ),
    finish: Effect.tapError(counter.end, failSource),
    fail: (description) =>
      Effect.tapError(Effect.fail(new FileSource.FileSourceError({ name: source.name, description })), failSource)
  }
}

// Redirects are never followed: they would carry the Api-Key to another host. undici does not
// follow them; fetch does unless told otherwise.
const refuseRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.serviceOption(FetchHttpClient.RequestInit),
    (init) =>
      Effect.provideService(effect, FetchHttpClient.RequestInit, { ...Option.getOrUndefined(init), redirect: "manual" })
  )

/**
 * Builds the service on the `HttpClient` in context. Fails with `InvalidRequestError` for an
 * unusable option: a host that is not a URL (or plain `http://` to a non-loopback host without
 * `allowInsecure`), an API key or version a header cannot carry, a duration out of range.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, AssistantError.InvalidRequestError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const allowInsecure = options.allowInsecure === true
    const explicitHost = options.host === undefined
      ? undefined
      : yield* internal.normalizeHost(options.host, allowInsecure)
    const controlHost = yield* internal.normalizeHost(options.controlHost ?? defaultControlHost, allowInsecure)
    const hostTtl = yield* positiveDuration("hostTtl", options.hostTtl ?? defaultHostTtl)
    const apiKey = yield* internal.checkHeader("apiKey", Redacted.value(options.apiKey))
    const apiVersion = yield* internal.checkHeader("apiVersion", options.apiVersion ?? defaultApiVersion)
    const requestTimeout = yield* positiveDuration("requestTimeout", options.requestTimeout ?? "30 seconds")
    const maxRetryAfter = Duration.toMillis(
      yield* positiveDuration("maxRetryAfter", options.maxRetryAfter ?? defaultMaxRetryAfter)
    )
    const limit = options.maxRequestsPerSecond
    if (limit !== undefined && !(Number.isFinite(limit) && limit > 0)) {
      return yield* new AssistantError.InvalidRequestError({
        parameter: "maxRequestsPerSecond",
        reason: "must be a positive number"
      })
    }
    const limiter: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = limit === undefined
      ? identity
      : RateLimit.make(limit)
    const ownBudget = Option.map(
      Option.fromNullable(options.rateBudget),
      (b) => typeof b === "string" ? RateBudget.make(b) : b
    )
    // each request of a plan's kind draws on the budget in context or the client's own; the control
    // plane's requests have a kind of their own, so that a wait on an assistant never spends the
    // files' reads
    const kindOf = (request: HttpClientRequest.HttpClientRequest): RateBudget.Kind =>
      requestKind(request.method, request.url.slice(request.url.indexOf("/assistant/")))
    const budget = (request: HttpClientRequest.HttpClientRequest) => Budget.budgeted(ownBudget, kindOf(request))
    const decodeOperation = internal.bodyDecoder(Operation.Operation)
    const decodeOperationList = internal.bodyDecoder(Operation.OperationList)
    const decodeFile = internal.bodyDecoder(AssistantFile.AssistantFile)
    const decodeAssistant = internal.bodyDecoder(Assistant.Assistant)
    const decodeFileList = internal.bodyDecoder(AssistantFile.AssistantFileList)
    // 202: the delete operation started; 204: deleted at once (a file whose processing had failed)
    const decodeDelete: internal.BodyDecoder<AssistantFile.DeleteOutcome> = (status, requestId, body) =>
      status === 204
        ? Either.right(AssistantFile.DeleteOutcome.Deleted())
        : Either.map(
          decodeOperation(status, requestId, body),
          (operation) => AssistantFile.DeleteOutcome.Started({ operation })
        )
    const requestTimeoutMillis = Duration.isFinite(requestTimeout) ? Duration.toMillis(requestTimeout) : Infinity
    const nativeUploads = options.nativeUploads
    const uploadTimeout = options.uploadTimeout === undefined
      ? undefined
      : yield* positiveDuration("uploadTimeout", options.uploadTimeout)
    const retrySchedule = options.retry === false
      ? undefined
      : respectRetryAfter(options.retry ?? defaultRetrySchedule)
    const httpSpans = options.httpSpans === true

    const attributesByHost = new Map<string, ReadonlyArray<readonly [string, string | number]>>()
    const serverAttributes = (host: string) => {
      let attributes = attributesByHost.get(host)
      if (attributes === undefined) {
        const url = new URL(host)
        attributes = [
          ["server.address", url.hostname],
          ["server.port", url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port)],
          ["url.scheme", url.protocol.slice(0, -1)]
        ]
        if (attributesByHost.size < 1000) attributesByHost.set(host, attributes)
      }
      return attributes
    }

    const httpClient = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(
          HttpClientRequest.setHeaders({
            "Api-Key": apiKey,
            "X-Pinecone-Api-Version": apiVersion,
            "User-Agent": `effect-pinecone/${version}`
          }),
          HttpClientRequest.acceptJson
        )
      ),
      options.transformClient ?? identity,
      HttpClient.transform((effect) => {
        const redacted = refuseRedirects(withRedactedApiKey(effect))
        return httpSpans ? redacted : Effect.locally(redacted, HttpClient.currentTracerDisabledWhen, constTrue)
      }),
      // the request's AbortSignal is tied to each attempt's Scope: closing it aborts the request
      HttpClient.withScope
    )

    const timeoutError = () =>
      new AssistantError.TransportError({
        reason: "Timeout",
        description: `no complete response within ${Duration.format(requestTimeout)}`
      })

    const readResponse = <A>(
      response: HttpClientResponse.HttpClientResponse,
      decode: internal.BodyDecoder<A>,
      span: Tracer.Span
    ): Effect.Effect<A, AssistantError.CallError | HttpClientError.ResponseError> => {
      span.attribute("http.response.status_code", response.status)
      return Effect.flatMap(internal.readBounded(response, internal.maxBodyBytes), (body): Effect.Effect<
        A,
        AssistantError.CallError
      > => {
        const requestId = Option.fromNullable(response.headers[internal.requestIdHeader])
        if (response.status >= 200 && response.status < 300) return decode(response.status, requestId, body)
        return Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.fail(internal.errorFromBody({
            status: response.status,
            requestId,
            retryAfter: internal.parseRetryAfter(response.headers["retry-after"], now)
          }, body)))
      })
    }

    // One attempt: the request and its bounded body under the request timeout, in a Scope of its
    // own, inside the shared rate budget (waiting for a token does
    // not count against the timeout).
    // The attempt's Scope ties its request's AbortSignal (HttpClient.withScope): closed when the attempt
    // fails or is interrupted (a timeout included), which aborts whatever the transport still holds.
    // After a success the body has been read in full: aborting then costs undici more than it saves
    // (measured: about a sixth of a loopback call at 32 in flight), so the scope is left to the GC.
    const scopedUntilFailure = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>): Effect.Effect<A, E> =>
      Effect.acquireUseRelease(
        Scope.make(),
        (scope) => Scope.extend(effect, scope),
        (scope, exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void
      )

    // no platform error leaves the client: no response, or a body that broke off, is TransportError
    const transportFailures = {
      RequestError: (e: HttpClientError.RequestError) => Effect.fail(internal.transportError(e)),
      ResponseError: (e: HttpClientError.ResponseError) => Effect.fail(internal.transportError(e))
    }

    // A GET or DELETE: the request and its bounded body under the request timeout.
    const attempt = <A>(
      request: HttpClientRequest.HttpClientRequest,
      decode: internal.BodyDecoder<A>,
      span: Tracer.Span
    ): Effect.Effect<A, AssistantError.CallError> =>
      budget(request)(limiter(
        httpClient.execute(request).pipe(
          Effect.flatMap((response) => readResponse(response, decode, span)),
          Effect.catchTags(transportFailures),
          Effect.timeoutFail({ duration: requestTimeout, onTimeout: timeoutError }),
          scopedUntilFailure
        )
      ))

    const stallError = () =>
      new AssistantError.TransportError({
        reason: "Timeout",
        description: `no byte sent or received for ${Duration.format(requestTimeout)}`
      })

    // An upload: the multipart body streams from the source as the transport pulls it. The request
    // timeout bounds a stall (no byte sent or received for that long) and the wait for the answer
    // after the last byte, not the whole transfer: a large file on a slow link is never cut off
    // while it makes progress.
    const uploadAttempt = <A>(
      request: HttpClientRequest.HttpClientRequest,
      upload: Upload,
      state: UploadState,
      decode: internal.BodyDecoder<A>,
      span: Tracer.Span
    ): Effect.Effect<A, UploadError> =>
      // the budget's and the limiter's waits come first: they are not a stall of the transfer
      budget(request)(limiter(Effect.flatMap(
        Effect.zip(Clock.currentTimeMillis, Deferred.make<never, FileSource.FileSourceError>()),
        ([started, sourceFailed]) => {
          let last = started
          let sourceError: FileSource.FileSourceError | undefined
          const touch = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => (last = now)))
          // a source that fails ends the attempt at once with its error, whatever the transport does
          // with the broken body
          const failSource = (e: FileSource.FileSourceError) =>
            Effect.zipRight(Effect.sync(() => (sourceError = e)), Deferred.fail(sourceFailed, e))
          const multipart = Files.multipartBody(upload.source, upload.fileName, upload.metadata)
          const streamed = () =>
            HttpBody.stream(
              Files.multipartStream(
                multipart,
                upload.source.open().pipe(
                  Stream.tap(() => Effect.zipRight(touch, Effect.sync(() => (state.sent = true)))),
                  checkLength(upload.source),
                  Stream.tapError(failSource)
                )
              ),
              multipart.contentType,
              multipart.contentLength
            )
          const localFile = upload.source.localFile
          const body: Effect.Effect<HttpBody.HttpBody> = nativeUploads === undefined || localFile === undefined
            ? Effect.sync(streamed)
            : Effect.map(
              nativeUploads(nativeUpload(upload.source, localFile, multipart, touch, state, failSource)),
              Option.getOrElse(streamed)
            )
          const stalled: Effect.Effect<never, AssistantError.TransportError> = Effect.flatMap(
            Clock.currentTimeMillis,
            (now) =>
              now - last >= requestTimeoutMillis
                ? Effect.fail(stallError())
                : Effect.zipRight(Effect.sleep(Duration.millis(requestTimeoutMillis - (now - last))), stalled)
          )
          const exchange = Effect.flatMap(body, (body) => httpClient.execute(HttpClientRequest.setBody(request, body)))
            .pipe(
              Effect.tap(() => touch),
              Effect.flatMap((response) => readResponse(response, decode, span)),
              Effect.catchTags(transportFailures),
              // a source that failed is the upload's error, whatever the transport made of it
              Effect.catchAll((e): Effect.Effect<never, UploadError> => Effect.fail(sourceError ?? e))
            )
          return scopedUntilFailure(
            // the first to end, success or failure: the exchange, the source's failure, the stall. The
            // exchange is disconnected so that ending it does not wait for the transport: the scope's
            // closing aborts its request.
            Effect.raceFirst(
              Effect.disconnect(exchange),
              requestTimeoutMillis === Infinity
                ? Deferred.await(sourceFailed)
                : Effect.raceFirst(Deferred.await(sourceFailed), stalled)
            )
          )
        }
      )))

    // A transient failure is retried unless its Retry-After reaches past maxRetryAfter or the
    // deadline of the wait the call runs in.
    const retryAfterAllowed = (error: AssistantError.CallError): Effect.Effect<boolean> => {
      const retryAfter = AssistantError.retryAfterOf(error)
      if (Option.isNone(retryAfter)) return Effect.succeed(true)
      const millis = Duration.toMillis(retryAfter.value)
      if (millis > maxRetryAfter) return Effect.succeed(false)
      return Effect.flatMap(FiberRef.get(internal.currentRetryDeadline), (deadline) =>
        deadline === Infinity
          ? Effect.succeed(true)
          : Effect.map(Clock.currentTimeMillis, (now) => now + millis <= deadline))
    }
    const retryable = (error: AssistantError.CallError): Effect.Effect<boolean> =>
      AssistantError.isTransient(error) ? retryAfterAllowed(error) : Effect.succeed(false)

    // An upload POST creates a file each time it reaches the server: it is retried only when the
    // server certainly did not take it (a 429 or 503 answer, a connection refused). A source that
    // cannot be replayed is never retried once its first byte was sent.
    const uploadRetryable = (upload: Upload, state: UploadState) => (error: UploadError): Effect.Effect<boolean> => {
      if (error._tag === "FileSourceError") return Effect.succeed(false)
      if (state.sent && !upload.source.replayable) return Effect.succeed(false)
      if (!upload.create) return retryable(error)
      const refused = error._tag === "TransportError" && error.reason === "Transport" &&
        error.code === "ECONNREFUSED"
      const declined = "status" in error && (error.status === 429 || error.status === 503)
      return refused || declined ? retryAfterAllowed(error) : Effect.succeed(false)
    }

    const withRetry = <A, E extends AssistantError.CallError | FileSource.FileSourceError>(
      effect: Effect.Effect<A, E>,
      span: Tracer.Span,
      retryWhile: (error: E) => Effect.Effect<boolean>
    ): Effect.Effect<A, E> => {
      if (retrySchedule === undefined) return effect
      let resends = 0
      const counted = Schedule.onDecision(retrySchedule as Schedule.Schedule<unknown, E>, (_, decision) =>
        Effect.sync(() => {
          if (ScheduleDecision.isContinue(decision)) {
            span.attribute("http.request.resend_count", ++resends)
          }
        }))
      return Effect.retry(effect, { schedule: counted, while: retryWhile })
    }

    // One call: the request validated (nothing sent otherwise), its attempts retried, in a span.
    const call = <A, E extends AssistantError.CallError | FileSource.FileSourceError = AssistantError.CallError>(
      spec: CallSpec<A>
    ): Effect.Effect<A, E | AssistantError.CallError> =>
      Effect.useSpan(spec.name, { kind: "client", captureStackTrace: false, attributes: spec.attributes }, (span) => {
        if (Either.isLeft(spec.path)) {
          return Effect.fail(spec.path.left as E)
        }
        const path = spec.path.right
        span.attribute("http.request.method", spec.method)
        const discovered = spec.control !== true && explicitHost === undefined
        const base: Effect.Effect<string, AssistantError.CallError> = spec.control === true
          ? Effect.succeed(controlHost)
          : explicitHost !== undefined
          ? Effect.succeed(explicitHost)
          : Effect.tapError(hosts.get(spec.assistantName), () =>
            hosts.invalidate(spec.assistantName))
        return Effect.flatMap(
          Effect.zip(base, FiberRef.get(HttpClient.currentTracerPropagation)),
          ([host, propagate]) => {
            span.attribute("url.full", `${host}/assistant${path}`)
            for (const [key, value] of serverAttributes(host)) {
              span.attribute(key, value)
            }
            // without the platform's span, the trace context goes out from the call's span (unless
            // tracing is off, when the span is a no-op that must not propagate)
            const request = HttpClientRequest.make(spec.method)(`${host}/assistant${path}`).pipe(
              propagate && !httpSpans && !Context.get(span.context, Tracer.DisablePropagation)
                ? HttpClientRequest.setHeaders(HttpTraceContext.toHeaders(span))
                : identity,
              spec.body === undefined ? identity : HttpClientRequest.bodyUnsafeJson(spec.body)
            )
            const upload = spec.upload
            const recover = spec.recover
            const attempts: Effect.Effect<A, E> = upload === undefined
              ? recover === undefined
                ? withRetry(attempt(request, spec.decode, span), span, retryable) as Effect.Effect<A, E>
                : Effect.suspend(() => {
                  let tries = 0
                  const counted = Effect.zipRight(
                    Effect.sync(() =>
                      tries++
                    ),
                    attempt(request, spec.decode, span)
                  )
                  return Effect.catchAll(
                    withRetry(counted, span, retryable),
                    (error) => recover(error, tries)
                  ) as Effect.Effect<A, E>
                })
              : Effect.suspend(() => {
                const state: UploadState = { sent: false }
                const once = uploadAttempt(request, upload, state, spec.decode, span)
                const retried = withRetry(once, span, uploadRetryable(upload, state))
                return (uploadTimeout === undefined
                  ? retried
                  : Effect.timeoutFail(retried, {
                    duration: uploadTimeout,
                    onTimeout: () =>
                      new AssistantError.TransportError({
                        reason: "Timeout",
                        description: `the upload took longer than ${Duration.format(uploadTimeout)}`
                      })
                  })) as Effect.Effect<A, E>
              })
            // a host that stopped answering, or that says the assistant does not exist, is looked up again
            const invalidating = discovered
              ? Effect.tapError(
                attempts,
                (error) => movedAway(error) ? hosts.invalidate(spec.assistantName) : Effect.void
              )
              : attempts
            const parented = Effect.withParentSpan(invalidating, span) as Effect.Effect<A, E>
            const annotate = spec.annotate
            return annotate === undefined ? parented : Effect.map(parented, (a) => {
              annotate(span, a)
              return a
            })
          }
        )
      })

    const describeAssistant = (request: DescribeAssistantRequest) =>
      call<Assistant.Assistant>({
        name: "AssistantClient.describeAssistant",
        method: "GET",
        control: true,
        assistantName: String(request.assistantName),
        path: Either.map(internal.encodeSegment("assistantName", request.assistantName), (a) => `/assistants/${a}`),
        decode: decodeAssistant,
        attributes: { "pinecone.assistant.name": String(request.assistantName) }
      })

    // Each assistant's host, looked up once per TTL however many calls ask at once; a failed lookup
    // is not kept.
    const hosts = yield* Cache.makeWith({
      capacity: 10_000,
      lookup: (assistantName: string) =>
        Effect.flatMap(describeAssistant({ assistantName }), (assistant) =>
          Option.match(assistant.host, {
            onNone: () =>
              Effect.fail(
                new AssistantError.MalformedResponseError({
                  status: 200,
                  reason: "Schema",
                  summary: `assistant ${assistantName} has no host`,
                  requestId: Option.none()
                })
              ),
            onSome: (host) =>
              Either.match(internal.normalizeHost(host, allowInsecure), {
                onLeft: (e) =>
                  Effect.fail(
                    new AssistantError.MalformedResponseError({
                      status: 200,
                      reason: "Schema",
                      summary: `the host of assistant ${assistantName} is unusable: ${e.reason}`,
                      requestId: Option.none()
                    })
                  ),
                onRight: Effect.succeed
              })
          })),
      // a failed lookup is also dropped at once by the call that made it (a zero TTL still holds for
      // the instant it was made in)
      timeToLive: (exit) => Exit.isSuccess(exit) ? hostTtl : Duration.zero
    })

    const describeOperation = (request: DescribeOperationRequest) =>
      call<Operation.Operation>({
        name: "AssistantClient.describeOperation",
        assistantName: String(request.assistantName),
        method: "GET",
        path: Either.map(validateRequest(request), (p) => `/operations/${p}`),
        decode: decodeOperation,
        attributes: {
          "pinecone.assistant.name": String(request.assistantName),
          "pinecone.operation.id": String(request.operationId)
        },
        annotate: (span, op) => span.attribute("pinecone.operation.status", op.status)
      })

    const listOperationsPage = (request: ListOperationsPageRequest) =>
      call<Operation.OperationList>({
        name: "AssistantClient.listOperationsPage",
        assistantName: String(request.assistantName),
        method: "GET",
        path: Either.map(validateList(request), (p) => `/operations/${p}`),
        decode: decodeOperationList,
        attributes: { "pinecone.assistant.name": String(request.assistantName) }
      })

    const sendFile = (
      name: string,
      method: "POST" | "PUT",
      request: UploadFileRequest & { readonly fileId?: string },
      path: Either.Either<string, AssistantError.InvalidRequestError>
    ) => {
      const spec = Either.gen(function*() {
        const metadata = yield* Files.checkMetadata(request.metadata)
        const fileName = yield* Files.checkFileName(request.file?.name)
        const base = yield* path
        const query = request.multimodal === undefined ? "" : `?multimodal=${request.multimodal ? "true" : "false"}`
        return {
          path: `${base}${query}`,
          upload: { source: request.file, fileName, metadata, create: method === "POST" }
        }
      })
      return call<Operation.Operation, UploadError>({
        name,
        assistantName: String(request.assistantName),
        method,
        path: Either.map(spec, (s) => s.path),
        decode: decodeOperation,
        attributes: {
          "pinecone.assistant.name": String(request.assistantName),
          ...(request.fileId === undefined ? {} : { "pinecone.file.id": String(request.fileId) })
        },
        annotate: (span, op) => span.attribute("pinecone.operation.id", op.id),
        ...(Either.isRight(spec) ? { upload: spec.right.upload } : {})
      })
    }

    const uploadFile = (request: UploadFileRequest) =>
      sendFile(
        "AssistantClient.uploadFile",
        "POST",
        request,
        Either.map(internal.encodeSegment("assistantName", request.assistantName), (a) => `/files/${a}`)
      )

    const upsertFile = (request: UpsertFileRequest) =>
      sendFile("AssistantClient.upsertFile", "PUT", request, filePath(request))

    const deleteFile = (request: FileRequest) =>
      call<AssistantFile.DeleteOutcome>({
        name: "AssistantClient.deleteFile",
        assistantName: String(request.assistantName),
        method: "DELETE",
        path: filePath(request),
        decode: decodeDelete,
        attributes: {
          "pinecone.assistant.name": String(request.assistantName),
          "pinecone.file.id": String(request.fileId)
        }
      })

    const describeFile = (request: DescribeFileRequest) =>
      call<AssistantFile.AssistantFile>({
        name: "AssistantClient.describeFile",
        assistantName: String(request.assistantName),
        method: "GET",
        path: Either.map(filePath(request), (p) => request.includeUrl === true ? `${p}?include_url=true` : p),
        decode: decodeFile,
        attributes: {
          "pinecone.assistant.name": String(request.assistantName),
          "pinecone.file.id": String(request.fileId)
        },
        annotate: (span, file) => Option.map(file.status, (status) => span.attribute("pinecone.file.status", status))
      })

    const listFilesPage = (request: ListFilesPageRequest) =>
      call<AssistantFile.AssistantFileList>({
        name: "AssistantClient.listFilesPage",
        assistantName: String(request.assistantName),
        method: "GET",
        path: validateListFiles(request),
        decode: decodeFileList,
        attributes: { "pinecone.assistant.name": String(request.assistantName) }
      })

    const decodeAssistantList = internal.bodyDecoder(Assistant.AssistantList)
    const decodeUpdate = internal.bodyDecoder(Assistant.UpdateAssistantResponse)
    const decodeNothing: internal.BodyDecoder<void> = () => Either.void
    const assistantPath = (name: string) => Either.map(Assistants.checkName(name), (n) => `/assistants/${n}`)

    const createAssistant = (request: CreateAssistantRequest) => {
      const body = Assistants.createBody(request)
      return call<Assistant.Assistant>({
        name: "AssistantClient.createAssistant",
        method: "POST",
        control: true,
        assistantName: String(request.name),
        path: Either.map(body, () => "/assistants"),
        body: Either.getOrUndefined(body),
        decode: decodeAssistant,
        attributes: { "pinecone.assistant.name": String(request.name) },
        // names are unique: a retry meeting ALREADY_EXISTS may meet the first attempt's assistant
        recover: (error, attempts) =>
          error._tag === "AlreadyExistsError" && attempts > 1
            ? Effect.flatMap(
              describeAssistant({ assistantName: request.name }),
              (assistant) =>
                Assistants.isTheOneAskedFor(assistant, request) ? Effect.succeed(assistant) : Effect.fail(error)
            )
            : Effect.fail(error)
      }).pipe(
        // its host is known now: no lookup for the calls that follow
        Effect.tap((assistant) =>
          Option.match(
            Option.flatMap(assistant.host, (h) => Either.getRight(internal.normalizeHost(h, allowInsecure))),
            {
              onNone: () => Effect.void,
              onSome: (host) => hosts.set(assistant.name, host)
            }
          )
        )
      )
    }

    const listAssistantsPage = (request: ListAssistantsPageRequest) =>
      call<Assistant.AssistantList>({
        name: "AssistantClient.listAssistantsPage",
        method: "GET",
        control: true,
        assistantName: "",
        path: Assistants.listPath(request),
        decode: decodeAssistantList,
        attributes: {}
      })

    const updateAssistant = (request: UpdateAssistantRequest) => {
      const body = Assistants.updateBody(request)
      return call<Assistant.UpdateAssistantResponse>({
        name: "AssistantClient.updateAssistant",
        method: "PATCH",
        control: true,
        assistantName: String(request.name),
        path: Either.flatMap(body, () => assistantPath(request.name)),
        body: Either.getOrUndefined(body),
        decode: decodeUpdate,
        attributes: { "pinecone.assistant.name": String(request.name) }
      })
    }

    const deleteAssistant = (request: DeleteAssistantRequest) =>
      call<void>({
        name: "AssistantClient.deleteAssistant",
        method: "DELETE",
        control: true,
        assistantName: String(request.name),
        path: assistantPath(request.name),
        decode: decodeNothing,
        attributes: { "pinecone.assistant.name": String(request.name) },
        // idempotent: a retry meeting NOT_FOUND found the first attempt's work done
        recover: (error, attempts) => error._tag === "NotFoundError" && attempts > 1 ? Effect.void : Effect.fail(error)
      }).pipe(Effect.ensuring(hosts.invalidate(String(request.name))))

    return AssistantClient.of({
      describeAssistant,
      describeOperation,
      listOperationsPage,
      uploadFile,
      upsertFile,
      deleteFile,
      describeFile,
      listFilesPage,
      createAssistant,
      listAssistantsPage,
      updateAssistant,
      deleteAssistant
    })
  })

/**
 * A layer of {@link AssistantClient} from options; needs an `HttpClient` (the core never picks a
 * platform: use `@effect-pinecone/node` or `FetchHttpClient.layer`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options
): Layer.Layer<AssistantClient, AssistantError.InvalidRequestError, HttpClient.HttpClient> =>
  Layer.effect(AssistantClient, make(options))

// A missing key says which variable and what to do, in a person's words (Config.redacted's own
// message for a missing value is itself redacted).
const apiKeyConfig: Config.Config<Redacted.Redacted> = Config.option(Config.redacted("PINECONE_API_KEY")).pipe(
  Config.mapOrFail((key) =>
    Option.match(key, {
      onSome: Either.right,
      onNone: () =>
        Either.left(
          ConfigError.MissingData(
            ["PINECONE_API_KEY"],
            "PINECONE_API_KEY is not set: export your Pinecone API key (against the emulator: local-key)"
          )
        )
    })
  )
)

/**
 * {@link Options} read from `Config`: by default `PINECONE_API_KEY` (required, redacted),
 * `PINECONE_ASSISTANT_HOST` and `PINECONE_API_VERSION`. Any option can be given as a `Config` of
 * its own instead.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config: Partial<Config.Config.Wrap<Options>> = {}
): Layer.Layer<AssistantClient, AssistantError.InvalidRequestError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    AssistantClient,
    Effect.flatMap(
      Config.unwrap<Options>({
        apiKey: apiKeyConfig,
        host: Config.string("PINECONE_ASSISTANT_HOST").pipe(Config.option, Config.map(Option.getOrUndefined)),
        controlHost: Config.string("PINECONE_CONTROL_HOST").pipe(Config.withDefault(defaultControlHost)),
        apiVersion: Config.string("PINECONE_API_VERSION").pipe(Config.withDefault(defaultApiVersion)),
        ...config
      } as Config.Config.Wrap<Options>),
      make
    )
  )

/**
 * Describes an operation with the {@link AssistantClient} in context.
 *
 * @example
 * ```ts
 * import { AssistantClient } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const program = AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-1" }).pipe(
 *   Effect.catchTag("NotFoundError", () => Effect.succeed(undefined))
 * )
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const describeOperation = (
  request: DescribeOperationRequest
): Effect.Effect<Operation.Operation, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.describeOperation(request))

/**
 * One page of an assistant's operations, with the {@link AssistantClient} in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listOperationsPage = (
  request: ListOperationsPageRequest
): Effect.Effect<Operation.OperationList, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.listOperationsPage(request))

/**
 * The most pages one listing follows: past it, the listing ends with `MalformedResponseError`
 * rather than run on (100 operations a page: a million operations).
 *
 * @since 0.2.0
 * @category constants
 */
export const maxListPages = 10_000

/**
 * Follows a paginated listing lazily: one page request at a time, only as the consumer pulls. An
 * empty page that still has a next token is followed; a token the server already sent in this
 * listing (A -> B -> A, or the same one twice), or more than {@link maxListPages} pages, ends the
 * stream with `MalformedResponseError` rather than looping.
 *
 * @since 0.2.0
 * @category utils
 */
export const paginate = <A, E, R>(
  page: (token: string | undefined) => Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<string>], E, R>
): Stream.Stream<A, E | AssistantError.MalformedResponseError, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    const malformed = (summary: string) =>
      new AssistantError.MalformedResponseError({ status: 200, reason: "Schema", summary, requestId: Option.none() })
    return Stream.paginateChunkEffect(
      undefined as string | undefined,
      (token) =>
        Effect.flatMap(page(token), ([items, next]) => {
          if (Option.isSome(next)) {
            if (seen.has(next.value) || next.value === token) {
              return Effect.fail(malformed("the next pagination token is one this listing already used"))
            }
            if (seen.size + 1 >= maxListPages) {
              return Effect.fail(malformed(`the listing has more than ${maxListPages} pages`))
            }
            seen.add(next.value)
          }
          return Effect.succeed([Chunk.unsafeFromArray(items), next] as const)
        })
    )
  })

/**
 * Every operation of an assistant (optionally of one type and/or status) as a Stream that follows
 * the pagination lazily (see {@link paginate}: a server cycling its tokens cannot make it loop).
 *
 * @example
 * ```ts
 * import { AssistantClient } from "@effect-pinecone/core"
 * import { Stream } from "effect"
 *
 * const processing = AssistantClient.listOperations({ assistantName: "docs", status: "Processing" }).pipe(
 *   Stream.runCollect
 * )
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const listOperations = (
  request: ListOperationsRequest
): Stream.Stream<Operation.Operation, AssistantError.CallError, AssistantClient> =>
  Stream.unwrap(Effect.map(AssistantClient, (client) =>
    paginate((token) =>
      Effect.map(
        client.listOperationsPage({ ...request, paginationToken: token }),
        (page) => [page.operations, page.next] as const
      )
    )))

/**
 * Describes an assistant on the control plane, with the {@link AssistantClient} in context: its
 * status and the data-plane host it lives on.
 *
 * @since 0.2.0
 * @category accessors
 */
export const describeAssistant = (
  request: DescribeAssistantRequest
): Effect.Effect<Assistant.Assistant, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.describeAssistant(request))

/**
 * Creates an assistant with the {@link AssistantClient} in context: it starts `Initializing`
 * (`OperationPoller.createAssistantAndWait` waits until it is `Ready`).
 *
 * @example
 * ```ts
 * import { AssistantClient } from "@effect-pinecone/core"
 *
 * const created = AssistantClient.createAssistant({ name: "handbook", instructions: "Answer from the handbook." })
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const createAssistant = (
  request: CreateAssistantRequest
): Effect.Effect<Assistant.Assistant, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.createAssistant(request))

/**
 * One page of the project's assistants, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const listAssistantsPage = (
  request: ListAssistantsPageRequest = {}
): Effect.Effect<Assistant.AssistantList, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.listAssistantsPage(request))

/**
 * Every assistant of the project as a Stream that follows the pagination lazily (see
 * {@link paginate}).
 *
 * @since 0.2.0
 * @category accessors
 */
export const listAssistants = (
  request: ListAssistantsRequest = {}
): Stream.Stream<Assistant.Assistant, AssistantError.CallError, AssistantClient> =>
  Stream.unwrap(Effect.map(AssistantClient, (client) =>
    paginate((token) =>
      Effect.map(
        client.listAssistantsPage({ ...request, paginationToken: token }),
        (page) => [page.assistants, page.next] as const
      )
    )))

/**
 * Updates an assistant's instructions and/or metadata, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const updateAssistant = (
  request: UpdateAssistantRequest
): Effect.Effect<Assistant.UpdateAssistantResponse, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.updateAssistant(request))

/**
 * Deletes an assistant (it is `Terminating`, then gone), with the {@link AssistantClient} in
 * context; `OperationPoller.waitForAssistant({ name, until: "Deleted" })` waits until it is gone.
 *
 * @since 0.2.0
 * @category accessors
 */
export const deleteAssistant = (
  request: DeleteAssistantRequest
): Effect.Effect<void, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.deleteAssistant(request))

/**
 * Uploads a file with the {@link AssistantClient} in context: the operation processing it.
 *
 * @example
 * ```ts
 * import { AssistantClient, FileSource, OperationPoller } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const program = AssistantClient.uploadFile({
 *   assistantName: "docs",
 *   file: FileSource.fromBytes("notes.txt", new TextEncoder().encode("hello"))
 * }).pipe(
 *   Effect.flatMap((op) => OperationPoller.waitForOperation({ assistantName: "docs", operationId: op.id }))
 * )
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const uploadFile = (
  request: UploadFileRequest
): Effect.Effect<Operation.Operation, UploadError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.uploadFile(request))

/**
 * Creates or replaces a file under your own id, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const upsertFile = (
  request: UpsertFileRequest
): Effect.Effect<Operation.Operation, UploadError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.upsertFile(request))

/**
 * Deletes a file, with the {@link AssistantClient} in context: `Started` with the operation, or
 * `Deleted` at once.
 *
 * @since 0.2.0
 * @category accessors
 */
export const deleteFile = (
  request: FileRequest
): Effect.Effect<AssistantFile.DeleteOutcome, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.deleteFile(request))

/**
 * Describes a file, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const describeFile = (
  request: DescribeFileRequest
): Effect.Effect<AssistantFile.AssistantFile, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.describeFile(request))

/**
 * One page of an assistant's files, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const listFilesPage = (
  request: ListFilesPageRequest
): Effect.Effect<AssistantFile.AssistantFileList, AssistantError.CallError, AssistantClient> =>
  Effect.flatMap(AssistantClient, (client) => client.listFilesPage(request))

/**
 * Every file of an assistant (optionally those matching a metadata filter) as a lazy Stream, with the
 * guarantees of {@link paginate}.
 *
 * @since 0.2.0
 * @category accessors
 */
export const listFiles = (
  request: ListFilesRequest
): Stream.Stream<AssistantFile.AssistantFile, AssistantError.CallError, AssistantClient> =>
  Stream.unwrap(Effect.map(AssistantClient, (client) =>
    paginate((token) =>
      Effect.map(
        client.listFilesPage({ ...request, paginationToken: token }),
        (page) => [page.files, page.next] as const
      )
    )))

/**
 * A handler answering describe calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestHandler = (
  request: DescribeOperationRequest
) => Effect.Effect<Operation.Operation, AssistantError.CallError>

/**
 * A handler answering list calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestListHandler = (
  request: ListOperationsPageRequest
) => Effect.Effect<Operation.OperationList, AssistantError.CallError>

/**
 * Handlers answering the files calls in memory, for {@link layerTest}: each one not given answers
 * `UnimplementedError`.
 *
 * @since 0.2.0
 * @category testing
 */
export type TestFileHandlers = Partial<
  Pick<
    Service,
    | "uploadFile"
    | "upsertFile"
    | "deleteFile"
    | "describeFile"
    | "listFilesPage"
    | "describeAssistant"
    | "createAssistant"
    | "listAssistantsPage"
    | "updateAssistant"
    | "deleteAssistant"
  >
>

/**
 * An {@link AssistantClient} answered by `handler` (and `options.list` for list calls, `options.files`
 * for the files calls), with no HTTP at all. Requests are validated as by the real client, so an
 * invalid one fails with `InvalidRequestError` before a handler runs.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
): Layer.Layer<AssistantClient> => Layer.succeed(AssistantClient, makeTest(handler, options))

const validateUpload = (request: UploadFileRequest & { readonly fileId?: string }) =>
  Either.gen(function*() {
    yield* internal.encodeSegment("assistantName", request.assistantName)
    if (request.fileId !== undefined) yield* Files.checkFileId(request.fileId)
    yield* Files.checkMetadata(request.metadata)
    yield* Files.checkFileName(request.file?.name)
  })

const answer = <A, E, Req>(
  check: Either.Either<unknown, AssistantError.InvalidRequestError>,
  handler: ((request: Req) => Effect.Effect<A, E>) | undefined,
  request: Req,
  what: string
): Effect.Effect<A, E | AssistantError.CallError> =>
  Either.isLeft(check)
    ? Effect.fail(check.left)
    : handler === undefined
    ? Effect.fail(AssistantError.make("UNIMPLEMENTED", 501, `This test layer was given no ${what} handler.`))
    : Effect.suspend(() => handler(request))

/**
 * The service behind {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export const makeTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
): Service => {
  const files = options?.files ?? {}
  return AssistantClient.of({
    describeAssistant: (request) =>
      answer(
        internal.encodeSegment("assistantName", request.assistantName),
        files.describeAssistant,
        request,
        "describeAssistant"
      ),
    describeOperation: (request) => answer(validateRequest(request), handler, request, "describe"),
    listOperationsPage: (request) => answer(validateList(request), options?.list, request, "list"),
    uploadFile: (request) => answer(validateUpload(request), files.uploadFile, request, "uploadFile"),
    upsertFile: (request) => answer(validateUpload(request), files.upsertFile, request, "upsertFile"),
    deleteFile: (request) => answer(filePath(request), files.deleteFile, request, "deleteFile"),
    describeFile: (request) => answer(filePath(request), files.describeFile, request, "describeFile"),
    listFilesPage: (request) => answer(validateListFiles(request), files.listFilesPage, request, "listFilesPage"),
    createAssistant: (request) =>
      answer(Assistants.createBody(request), files.createAssistant, request, "createAssistant"),
    listAssistantsPage: (request) =>
      answer(Assistants.listPath(request), files.listAssistantsPage, request, "listAssistantsPage"),
    updateAssistant: (request) =>
      answer(Assistants.updateBody(request), files.updateAssistant, request, "updateAssistant"),
    deleteAssistant: (request) =>
      answer(Assistants.checkName(request.name), files.deleteAssistant, request, "deleteAssistant")
  })
}

/**
 * One step of a script: a snapshot to answer with, or an error to fail with.
 *
 * @since 0.1.0
 * @category testing
 */
export type ScriptStep = Operation.Operation | AssistantError.CallError

const notFound = (what: string) => AssistantError.make("NOT_FOUND", 404, `${what} not found.`)

/**
 * An {@link AssistantClient} that plays scripts: each describe of an operation id answers the next
 * step of its script, the last step repeating; an unknown id (or another assistant, when one is
 * given) answers `NotFoundError` as the API does. A list call observes every scripted operation once
 * (advancing its script, skipping error steps), filtered by type and status, on one page.
 *
 * @example
 * ```ts
 * import { AssistantClient, Operation } from "@effect-pinecone/core"
 *
 * declare const processing: Operation.Operation
 * declare const completed: Operation.Operation
 * const TestClient = AssistantClient.layerTestScripted({ "op-1": [processing, completed] })
 * ```
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTestScripted = (
  scripts: Readonly<Record<string, ReadonlyArray<ScriptStep>>>,
  options?: { readonly assistantName?: string }
): Layer.Layer<AssistantClient> =>
  Layer.effect(
    AssistantClient,
    Effect.sync(() => {
      const calls = new Map<string, number>()
      const next = (operationId: string): ScriptStep | undefined => {
        const script = Object.prototype.hasOwnProperty.call(scripts, operationId) ? scripts[operationId] : undefined
        if (script === undefined || script.length === 0) return undefined
        const n = calls.get(operationId) ?? 0
        calls.set(operationId, n + 1)
        return script[Math.min(n, script.length - 1)]!
      }
      const assistantMatches = (name: string) => options?.assistantName === undefined || options.assistantName === name
      return makeTest(
        (request) => {
          const step = assistantMatches(request.assistantName) ? next(request.operationId) : undefined
          if (step === undefined) return Effect.fail(notFound(`Operation ${request.operationId}`))
          return step instanceof Operation.Operation ? Effect.succeed(step) : Effect.fail(step)
        },
        {
          list: (request) => {
            if (!assistantMatches(request.assistantName)) {
              return Effect.fail(notFound(`Assistant "${request.assistantName}"`))
            }
            const operations = Object.keys(scripts)
              .map(next)
              .filter((step): step is Operation.Operation => step instanceof Operation.Operation)
              .filter((op) =>
                (request.status === undefined || op.status === request.status) &&
                (request.operationType === undefined || op.operationType === request.operationType)
              )
            return Effect.succeed(new Operation.OperationList({ operations, pagination: Option.none() }))
          }
        }
      )
    })
  )
