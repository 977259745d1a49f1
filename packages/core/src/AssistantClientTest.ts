/**
 * \`AssistantClient\`s for tests, with no HTTP at all: answered by handlers of your own, or playing
 * scripts of operation snapshots. Requests are validated as by the real client.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as AssistantClient from "./AssistantClient.js"
import type * as AssistantError from "./AssistantError.js"
import * as internalTest from "./internal/client/testLayers.js"
import type * as Operation from "./Operation.js"

/**
 * A handler answering describe calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestHandler = (
  request: AssistantClient.DescribeOperationRequest
) => Effect.Effect<Operation.Operation, AssistantError.CallError>

/**
 * A handler answering list calls in memory, for {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export type TestListHandler = (
  request: AssistantClient.ListOperationsPageRequest
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
    AssistantClient.Service,
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
 * An `AssistantClient` answered by `handler` (and `options.list` for list calls, `options.files`
 * for the files calls), with no HTTP at all. Requests are validated as by the real client, so an
 * invalid one fails with `InvalidRequestError` before a handler runs.
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
): Layer.Layer<AssistantClient.AssistantClient> =>
  Layer.succeed(AssistantClient.AssistantClient, internalTest.makeTest(handler, options))

/**
 * The service behind {@link layerTest}.
 *
 * @since 0.1.0
 * @category testing
 */
export const makeTest: (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
) => AssistantClient.Service = internalTest.makeTest

/**
 * One step of a script: a snapshot to answer with, or an error to fail with.
 *
 * @since 0.1.0
 * @category testing
 */
export type ScriptStep = Operation.Operation | AssistantError.CallError

/**
 * An `AssistantClient` that plays scripts: each describe of an operation id answers the next
 * step of its script, the last step repeating; an unknown id (or another assistant, when one is
 * given) answers `NotFoundError` as the API does. A list call observes every scripted operation once
 * (advancing its script, skipping error steps), filtered by type and status, on one page.
 *
 * @example
 * ```ts
 * import { AssistantClientTest, Operation } from "@effect-pinecone/core"
 *
 * declare const processing: Operation.Operation
 * declare const completed: Operation.Operation
 * const TestClient = AssistantClientTest.layerTestScripted({ "op-1": [processing, completed] })
 * ```
 *
 * @since 0.1.0
 * @category testing
 */
export const layerTestScripted = (
  scripts: Readonly<Record<string, ReadonlyArray<ScriptStep>>>,
  options?: { readonly assistantName?: string }
): Layer.Layer<AssistantClient.AssistantClient> =>
  Layer.effect(AssistantClient.AssistantClient, internalTest.makeScripted(scripts, options))
