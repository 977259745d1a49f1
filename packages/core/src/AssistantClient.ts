/**
 * The `AssistantClient` service: typed access to the Pinecone Assistant data-plane API (2026-04).
 *
 * @since 0.1.0
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Chunk from "effect/Chunk"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Assistant from "./Assistant.js"
import * as AssistantError from "./AssistantError.js"
import * as AssistantFile from "./AssistantFile.js"
import * as FileSource from "./FileSource.js"
import * as internalClient from "./internal/client/client.js"
import * as Retry from "./internal/client/retry.js"
import * as Settings from "./internal/client/settings.js"
import * as internalTest from "./internal/client/testLayers.js"
import * as Transport from "./internal/client/transport.js"
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
 * @deprecated Hosts are discovered per assistant (leave `host` out of the options); pass a `host`
 * only to pin one, such as an emulator's URL. Kept for compatibility.
 * @since 0.1.0
 * @category constants
 */
export const defaultHost: string = Settings.defaultHost

/**
 * The control plane, where describe-assistant tells each assistant's data-plane host.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultControlHost: string = Settings.defaultControlHost

/**
 * How long a discovered host is kept before it is looked up again.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultHostTtl: Duration.Duration = Settings.defaultHostTtl

/**
 * The API version this client is written against.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion: string = Settings.defaultApiVersion

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

/**
 * The default retry policy: at most 3 retries, exponential backoff from 250 ms with full jitter
 * (each delay uniform between zero and the backoff), the backoff capped at 20 seconds.
 *
 * @since 0.1.0
 * @category retry
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, unknown> = Retry.defaultRetrySchedule

/**
 * The default longest `Retry-After` a call waits out.
 *
 * @since 0.2.0
 * @category retry
 */
export const defaultMaxRetryAfter: Duration.Duration = Retry.defaultMaxRetryAfter

/**
 * Lengthens each delay of `self` to at least the `Retry-After` of the error it is retrying, and
 * caps every delay at the longest a timer can take (past it, a timer never fires).
 *
 * @since 0.1.0
 * @category retry
 */
export const respectRetryAfter: <Out, In, R>(self: Schedule.Schedule<Out, In, R>) => Schedule.Schedule<Out, In, R> =
  Retry.respectRetryAfter

/**
 * Runs `effect` with `api-key` among the redacted header names, so that the platform's spans and
 * any rendering of the request headers show `<redacted>` instead of the key.
 *
 * @since 0.1.0
 * @category utils
 */
export const withRedactedApiKey: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> =
  Transport.withRedactedApiKey

/**
 * Runs `effect` with its calls' retries bounded by `deadline` (epoch milliseconds on the Clock): a
 * `Retry-After` reaching past it ends the call at once with its error. The pollers use it, so that
 * a wait never sleeps past its budget inside a call.
 *
 * @since 0.2.0
 * @category retry
 */
export const withRetryDeadline: (
  deadline: number
) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = Retry.withRetryDeadline

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
  Effect.flatMap(HttpClient.HttpClient, (client) => internalClient.make(options, client))

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

// The accessors: each method of the service, with the service from the context.
const accessors = Effect.serviceFunctions(AssistantClient)

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
export const describeOperation: (
  request: DescribeOperationRequest
) => Effect.Effect<Operation.Operation, AssistantError.CallError, AssistantClient> = accessors.describeOperation

/**
 * One page of an assistant's operations, with the {@link AssistantClient} in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listOperationsPage: (
  request: ListOperationsPageRequest
) => Effect.Effect<Operation.OperationList, AssistantError.CallError, AssistantClient> = accessors.listOperationsPage

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
export const describeAssistant: (
  request: DescribeAssistantRequest
) => Effect.Effect<Assistant.Assistant, AssistantError.CallError, AssistantClient> = accessors.describeAssistant

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
export const createAssistant: (
  request: CreateAssistantRequest
) => Effect.Effect<Assistant.Assistant, AssistantError.CallError, AssistantClient> = accessors.createAssistant

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
export const updateAssistant: (
  request: UpdateAssistantRequest
) => Effect.Effect<Assistant.UpdateAssistantResponse, AssistantError.CallError, AssistantClient> =
  accessors.updateAssistant

/**
 * Deletes an assistant (it is `Terminating`, then gone), with the {@link AssistantClient} in
 * context; `OperationPoller.waitForAssistant({ name, until: "Deleted" })` waits until it is gone.
 *
 * @since 0.2.0
 * @category accessors
 */
export const deleteAssistant: (
  request: DeleteAssistantRequest
) => Effect.Effect<void, AssistantError.CallError, AssistantClient> = accessors.deleteAssistant

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
export const uploadFile: (
  request: UploadFileRequest
) => Effect.Effect<Operation.Operation, UploadError, AssistantClient> = accessors.uploadFile

/**
 * Creates or replaces a file under your own id, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const upsertFile: (
  request: UpsertFileRequest
) => Effect.Effect<Operation.Operation, UploadError, AssistantClient> = accessors.upsertFile

/**
 * Deletes a file, with the {@link AssistantClient} in context: `Started` with the operation, or
 * `Deleted` at once.
 *
 * @since 0.2.0
 * @category accessors
 */
export const deleteFile: (
  request: FileRequest
) => Effect.Effect<AssistantFile.DeleteOutcome, AssistantError.CallError, AssistantClient> = accessors.deleteFile

/**
 * Describes a file, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const describeFile: (
  request: DescribeFileRequest
) => Effect.Effect<AssistantFile.AssistantFile, AssistantError.CallError, AssistantClient> = accessors.describeFile

/**
 * One page of an assistant's files, with the {@link AssistantClient} in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const listFilesPage: (
  request: ListFilesPageRequest
) => Effect.Effect<AssistantFile.AssistantFileList, AssistantError.CallError, AssistantClient> = accessors.listFilesPage

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
): Layer.Layer<AssistantClient> => Layer.succeed(AssistantClient, internalTest.makeTest(handler, options))

/**
 * The service behind {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export const makeTest: (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
) => Service = internalTest.makeTest

/**
 * One step of a script: a snapshot to answer with, or an error to fail with.
 *
 * @since 0.1.0
 * @category testing
 */
export type ScriptStep = Operation.Operation | AssistantError.CallError

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
): Layer.Layer<AssistantClient> => Layer.effect(AssistantClient, internalTest.makeScripted(scripts, options))
