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
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Assistant from "./Assistant.js"
import * as AssistantError from "./AssistantError.js"
import * as AssistantFile from "./AssistantFile.js"
import * as internalClient from "./internal/client/client.js"
import * as internalConfig from "./internal/client/config.js"
import type { Options } from "./internal/client/options.js"
import * as internalPaginate from "./internal/client/paginate.js"
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
} from "./internal/client/requests.js"
import * as Operation from "./Operation.js"

/**
 * The request types, declared in the `AssistantRequest` module and exported here too.
 *
 * @since 0.1.0
 * @category models
 */
export type * from "./internal/client/requests.js"

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
export * from "./internal/client/options.js"

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
 * Every operation of an assistant (optionally of one type and/or status) as a Stream that follows
 * the pagination lazily, one page at a time as it is pulled: a token the server already sent in this listing, or more
 * than 10,000 pages, ends it with `MalformedResponseError` rather than looping.
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
 * Every assistant of the project as a Stream that follows the pagination lazily (as
 * {@link listOperations} does).
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
 * guarantees of {@link listOperations}.
 *
 * @since 0.2.0
 * @category accessors
 */
export const listFiles = (
  request: ListFilesRequest
): Stream.Stream<AssistantFile.AssistantFile, AssistantError.CallError, AssistantClient> =>
  Stream.unwrap(Effect.map(AssistantClient, (client) => internalPaginate.listFiles(client, request)))
