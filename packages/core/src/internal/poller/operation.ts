// A wait on one operation: `waitForOperation`, `watchOperation` and `uploadFileAndWait`, each the
// loop of internal/poller/loop.ts with its snapshots from the coordinator's shared rounds.
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { AssistantClient } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import type * as AssistantFile from "../../AssistantFile.js"
import * as Operation from "../../Operation.js"
import type * as OperationPoller from "../../OperationPoller.js"
import * as Coordinator from "./coordinator.js"
import { defaultNotFoundGrace, defaultSchedule, defaultTimeout } from "./defaults.js"
import * as File from "./file.js"
import * as Loop from "./loop.js"

/**
 * The loop of one wait on an operation, in its span: describes until a terminal snapshot, then
 * `finish`es with it.
 */
const loop = <B, E, R>(
  name: string,
  options: OperationPoller.WaitOptions<R>,
  onSnapshot: ((operation: Operation.Operation) => Effect.Effect<void>) | undefined,
  finish: (operation: Operation.Operation) => Effect.Effect<B, E>
) => {
  const request = { assistantName: options.assistantName, operationId: options.operationId }
  const coordinate = options.coordinate !== false
  return Loop.pollUntil<Operation.Operation, B, E, R>({
    spanName: name,
    spanAttributes: {
      "pinecone.assistant.name": String(options.assistantName),
      "pinecone.operation.id": String(options.operationId),
      "pinecone.operation.status": "unknown",
      "pinecone.poll.count": 0
    },
    fetch: (client) => client.describeOperation(request),
    coordinated: coordinate
      ? { resource: Coordinator.operations, assistantName: options.assistantName, id: options.operationId }
      : undefined,
    isTerminal: Operation.isTerminal,
    finish,
    statusAttribute: "pinecone.operation.status",
    status: (op) => op.status,
    schedule: options.schedule ?? defaultSchedule,
    timeout: options.timeout ?? defaultTimeout,
    lastPollTimeout: options.lastPollTimeout ?? "30 seconds",
    onRetry: options.onRetry,
    onSnapshot,
    notFoundGrace: options.notFoundGrace,
    timedOut: ({ last, ...wait }) =>
      new AssistantError.WaitTimeoutError({
        target: new AssistantError.WaitedOperation({ operationId: options.operationId, last }),
        ...wait
      })
  })
}

const completedOrFailed = (
  operation: Operation.Operation
): Effect.Effect<Operation.Operation, AssistantError.OperationFailedError> =>
  Operation.isFailed(operation)
    ? Effect.fail(new AssistantError.OperationFailedError({ operation }))
    : Effect.succeed(operation)

/** @internal */
export const waitForOperation = <R = never>(
  options: OperationPoller.WaitOptions<R>
): Effect.Effect<Operation.Operation, AssistantError.WaitForOperationError, AssistantClient | R> =>
  loop("OperationPoller.waitForOperation", options, options.onSnapshot, completedOrFailed)

const sameProgress = (a: Operation.Operation, b: Operation.Operation): boolean =>
  a.status === b.status &&
  Option.getEquivalence((x: number, y: number) => x === y)(a.percentComplete, b.percentComplete)

/** @internal */
export const watchOperation = <R = never>(
  options: OperationPoller.WaitOptions<R>
): Stream.Stream<
  Operation.Operation,
  AssistantError.CallError | AssistantError.WaitTimeoutError,
  AssistantClient | R
> =>
  Stream.asyncScoped<
    Operation.Operation,
    AssistantError.CallError | AssistantError.WaitTimeoutError,
    AssistantClient | R
  >((emit) => {
    let previous: Operation.Operation | undefined
    const own = options.onSnapshot
    const onSnapshot = (op: Operation.Operation) => {
      const told = own === undefined ? Effect.void : own(op)
      if (previous !== undefined && sameProgress(previous, op)) return told
      previous = op
      return Effect.zipRight(told, Effect.promise(() => emit.single(op)))
    }
    return loop("OperationPoller.watchOperation", options, onSnapshot, Effect.succeed).pipe(
      Effect.matchCauseEffect({
        onSuccess: () => Effect.promise(() => emit.end()),
        onFailure: (cause) => Effect.promise(() => emit.halt(cause))
      }),
      Effect.forkScoped
    )
  })

/** @internal */
export const uploadFileAndWait = <R = never>(
  options: OperationPoller.UploadAndWaitOptions<R>
): Effect.Effect<
  AssistantFile.AssistantFile,
  | AssistantClientModule.UploadError
  | AssistantError.OperationFailedError
  | AssistantError.FileProcessingFailedError
  | AssistantError.WaitTimeoutError,
  AssistantClient | R
> =>
  Effect.gen(function*() {
    const client = yield* AssistantClient
    const start = yield* Clock.currentTimeMillis
    const { coordinate, fileId, lastPollTimeout, notFoundGrace, onRetry, onSnapshot, schedule, timeout, ...upload } =
      options
    const operation = fileId === undefined
      ? yield* client.uploadFile(upload)
      : yield* client.upsertFile({ ...upload, fileId })
    const done = yield* waitForOperation<R>({
      assistantName: options.assistantName,
      operationId: operation.id,
      timeout,
      schedule,
      lastPollTimeout,
      onRetry,
      onSnapshot,
      notFoundGrace: notFoundGrace ?? defaultNotFoundGrace,
      coordinate
    })
    // the file's id as the operation names it, else the id it was upserted under
    const id = Option.orElse(Option.orElse(done.fileId, () => operation.fileId), () => Option.fromNullable(fileId))
    if (Option.isNone(id)) {
      return yield* Effect.fail(
        new AssistantError.MalformedResponseError({
          status: 200,
          reason: "Schema",
          summary: `operation ${operation.id} completed but names no file`,
          requestId: Option.none()
        })
      )
    }
    // the operation is done; the file is followed until Available too, within what is left of the budget
    const total = Duration.decode(timeout ?? defaultTimeout)
    const left = Duration.isFinite(total)
      ? Duration.millis(Math.max(0, Duration.toMillis(total) - ((yield* Clock.currentTimeMillis) - start)))
      : total
    return yield* File.waitForFile({
      assistantName: options.assistantName,
      fileId: id.value,
      timeout: left,
      lastPollTimeout,
      onRetry,
      notFoundGrace: notFoundGrace ?? defaultNotFoundGrace,
      coordinate
    })
  }).pipe(
    Effect.withSpan("OperationPoller.uploadFileAndWait", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )
