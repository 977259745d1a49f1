/**
 * The `AssistantClient` service: typed access to the Pinecone Assistant data-plane API (2026-04).
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Assistant from "./Assistant.js"
import type { Options } from "./AssistantClientOptions.js"
import type { ScriptStep, TestFileHandlers, TestHandler, TestListHandler } from "./AssistantClientTest.js"
import * as AssistantError from "./AssistantError.js"
import * as AssistantFile from "./AssistantFile.js"
import type {
  CreateAssistantRequest,
  DeleteAssistantRequest,
  DescribeAssistantRequest,
  DescribeFileRequest,
  DescribeOperationRequest,
  FileRequest,
  ListAssistantsPageRequest,
  ListAssistantsRequest,
  ListFilesPageRequest,
  ListFilesRequest,
  ListOperationsPageRequest,
  ListOperationsRequest,
  UpdateAssistantRequest,
  UploadError,
  UploadFileRequest,
  UpsertFileRequest
} from "./AssistantRequest.js"
import * as internalClient from "./internal/client/client.js"
import * as internalConfig from "./internal/client/config.js"
import * as internalPaginate from "./internal/client/paginate.js"
import * as Retry from "./internal/client/retry.js"
import * as internalTest from "./internal/client/testLayers.js"
import * as Transport from "./internal/client/transport.js"
import * as Operation from "./Operation.js"

/**
 * The request types, declared in the `AssistantRequest` module and exported here too.
 *
 * @since 0.1.0
 * @category models
 */
export type * from "./AssistantRequest.js"

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
 * The client's {@link Options} and their defaults, declared in the `AssistantClientOptions` module and
 * exported here too.
 *
 * @since 0.1.0
 * @category models
 */
export * from "./AssistantClientOptions.js"

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
 * The client's host discovery and the workers that serve its waits' shared polls live in the
 * `Scope`: closing it interrupts them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Effect.Effect<Service, AssistantError.InvalidRequestError, HttpClient.HttpClient | Scope.Scope> =>
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
  Layer.scoped(AssistantClient, make(options))

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
  Layer.scoped(AssistantClient, Effect.flatMap(Config.unwrap<Options>(internalConfig.options(config)), make))

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
export const maxListPages: number = internalPaginate.maxListPages

/**
 * Follows a paginated listing lazily: one page request at a time, only as the consumer pulls. An
 * empty page that still has a next token is followed; a token the server already sent in this
 * listing (A -> B -> A, or the same one twice), or more than {@link maxListPages} pages, ends the
 * stream with `MalformedResponseError` rather than looping.
 *
 * @since 0.2.0
 * @category utils
 */
export const paginate: <A, E, R>(
  page: (token: string | undefined) => Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<string>], E, R>
) => Stream.Stream<A, E | AssistantError.MalformedResponseError, R> = internalPaginate.paginate

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
  Stream.unwrap(Effect.map(AssistantClient, (client) => internalPaginate.listOperations(client, request)))

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
 * const created = AssistantClient.createAssistant({ assistantName: "handbook", instructions: "Answer from the handbook." })
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
  Stream.unwrap(Effect.map(AssistantClient, (client) => internalPaginate.listAssistants(client, request)))

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
 * context; `OperationPoller.waitForAssistant({ assistantName, until: "Deleted" })` waits until it is gone.
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
  Stream.unwrap(Effect.map(AssistantClient, (client) => internalPaginate.listFiles(client, request)))

/**
 * The handler types of the test layers, declared in the \`AssistantClientTest\` module.
 *
 * @deprecated Use \`AssistantClientTest\`'s types: the test layers' own module.
 * @since 0.1.0
 * @category testing
 */
export type { ScriptStep, TestFileHandlers, TestHandler, TestListHandler } from "./AssistantClientTest.js"

/**
 * See \`AssistantClientTest.layerTest\`.
 *
 * @deprecated Use \`AssistantClientTest.layerTest\`: the test layers' own module.
 * @since 0.1.0
 * @category testing
 */
export const layerTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
): Layer.Layer<AssistantClient> => Layer.succeed(AssistantClient, internalTest.makeTest(handler, options))

/**
 * See \`AssistantClientTest.makeTest\`.
 *
 * @deprecated Use \`AssistantClientTest.makeTest\`: the test layers' own module.
 * @since 0.1.0
 * @category testing
 */
export const makeTest: (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
) => Service = internalTest.makeTest

/**
 * See \`AssistantClientTest.layerTestScripted\`.
 *
 * @deprecated Use \`AssistantClientTest.layerTestScripted\`: the test layers' own module.
 * @since 0.1.0
 * @category testing
 */
export const layerTestScripted = (
  scripts: Readonly<Record<string, ReadonlyArray<ScriptStep>>>,
  options?: { readonly assistantName?: string }
): Layer.Layer<AssistantClient> => Layer.effect(AssistantClient, internalTest.makeScripted(scripts, options))
