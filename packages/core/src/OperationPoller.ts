/**
 * Waiting for an operation: `waitForOperation` (an Effect that ends with the completed operation)
 * and `watchOperation` (a Stream of its progress), driven by an ordinary `Schedule`, inside a time
 * budget, honouring the server's `Retry-After`, and interruptible at every point, the request in
 * flight included.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Assistant from "./Assistant.js"
import type * as AssistantClientModule from "./AssistantClient.js"
import { AssistantClient, paginate, withRetryDeadline } from "./AssistantClient.js"
import * as AssistantError from "./AssistantError.js"
import type * as AssistantFile from "./AssistantFile.js"
import { capDelay, maxTimerMillis } from "./internal/http.js"
import * as Coordinator from "./internal/poller/coordinator.js"
import * as Loop from "./internal/poller/loop.js"
import * as Operation from "./Operation.js"

/**
 * Options of {@link waitForOperation} and {@link watchOperation}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitOptions<R = never> {
  readonly assistantName: string
  readonly operationId: string
  /** The time budget, from the first poll. Default 30 minutes; `Duration.infinity` for none. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * When to poll again; its input is the last snapshot. Default {@link defaultSchedule}. When it
   * ends, the wait ends with `WaitTimeoutError`.
   */
  readonly schedule?: Schedule.Schedule<unknown, Operation.Operation, R> | undefined
  /**
   * How long a poll still in flight when the budget runs out may take to answer. Default 30 seconds
   * (the default request timeout): a wait never outlasts `timeout + lastPollTimeout`.
   */
  readonly lastPollTimeout?: Duration.DurationInput | undefined
  /**
   * Called with each transient failure the wait rides out (a 503, a refused connection, ...), so
   * that a caller can show why no progress is coming. The last one is also on `WaitTimeoutError`.
   */
  readonly onRetry?: ((error: AssistantError.CallError) => Effect.Effect<void>) | undefined
  /**
   * For an operation your program has just started: for this long from the first poll, a 404 is
   * ridden out (an eventually consistent service may not show it at once). Default none: an id you
   * were given that is not there ends the wait with `NotFoundError` at once. `uploadFileAndWait`
   * gives its own operation 10 seconds.
   *
   * @since 0.2.0
   */
  readonly notFoundGrace?: Duration.DurationInput | undefined
  /**
   * Share polls with the other waits on this client and assistant (default `true`): the asks that
   * come while a round is in flight, or at the same instant, are answered by one round, which lists
   * the assistant's Processing operations when three or more are asked for. `false`: this wait
   * describes its operation itself, as it did before coordination.
   *
   * @since 0.2.0
   */
  readonly coordinate?: boolean | undefined
}

/**
 * The default polling policy: exponential backoff from 500 ms by 1.5x, capped at 10 seconds, each
 * delay jittered down by up to 20% so that many waiters spread out (every delay stays within the
 * cap). The first poll is always immediate.
 *
 * @since 0.1.0
 * @category schedules
 */
export const defaultSchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("500 millis", 1.5).pipe(
  Schedule.modifyDelay((_, delay) => Duration.min(delay, "10 seconds")),
  Schedule.jitteredWith({ min: 0.8, max: 1 })
)

/**
 * How long a wait on an operation the program itself just started rides out its 404s.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultNotFoundGrace: Duration.Duration = Duration.seconds(10)

/**
 * The default time budget of a wait.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = Duration.minutes(30)

/**
 * The loop of one wait on an operation, in its span: describes until a terminal snapshot, then
 * `finish`es with it.
 */
const loop = <B, E, R>(
  name: string,
  options: WaitOptions<R>,
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
    fetch: coordinate
      ? (client) => Coordinator.describeOperation(client, options.assistantName, options.operationId)
      : (client) => client.describeOperation(request),
    join: coordinate ? Coordinator.join(options.assistantName, Coordinator.operations) : undefined,
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
    timedOut: (wait) => new AssistantError.WaitTimeoutError({ operationId: options.operationId, ...wait })
  })
}

const completedOrFailed = (
  operation: Operation.Operation
): Effect.Effect<Operation.Operation, AssistantError.OperationFailedError> =>
  Operation.isFailed(operation)
    ? Effect.fail(new AssistantError.OperationFailedError({ operation }))
    : Effect.succeed(operation)

/**
 * Polls until the operation is terminal. Succeeds with the `Completed` snapshot; fails with
 * `OperationFailedError` if it `Failed`, `WaitTimeoutError` when the budget or the schedule runs
 * out, or at once with a non-transient API error (404, 401, ...). Transient failures are retried by
 * the client and never end the wait by themselves. Interrupting it cancels the sleep and aborts the
 * request in flight.
 *
 * @example
 * ```ts
 * import { OperationPoller } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const program = OperationPoller.waitForOperation({
 *   assistantName: "docs",
 *   operationId: "op-1",
 *   timeout: "5 minutes"
 * }).pipe(
 *   Effect.catchTags({
 *     OperationFailedError: (e) => Effect.logWarning(e.message),
 *     WaitTimeoutError: (e) => Effect.logWarning(e.message)
 *   })
 * )
 * ```
 *
 * @since 0.1.0
 * @category waiting
 */
export const waitForOperation = <R = never>(
  options: WaitOptions<R>
): Effect.Effect<Operation.Operation, AssistantError.WaitForOperationError, AssistantClient | R> =>
  loop("OperationPoller.waitForOperation", options, undefined, completedOrFailed)

const sameProgress = (a: Operation.Operation, b: Operation.Operation): boolean =>
  a.status === b.status &&
  Option.getEquivalence((x: number, y: number) => x === y)(a.percentComplete, b.percentComplete)

/**
 * The operation's progress as a Stream: the first snapshot, then each snapshot whose status or
 * `percentComplete` changed, ending after the terminal one (`Completed` or `Failed`: a failed
 * operation is emitted, not raised). Fails only with a non-transient API error or
 * `WaitTimeoutError`. Stopping the stream early stops the polling and aborts the request in flight.
 *
 * @example
 * ```ts
 * import { Operation, OperationPoller } from "@effect-pinecone/core"
 * import { Console, Stream } from "effect"
 *
 * const progress = OperationPoller.watchOperation({ assistantName: "docs", operationId: "op-1" }).pipe(
 *   Stream.runForEach((op) => Console.log(Operation.summary(op)))
 * )
 * ```
 *
 * @since 0.1.0
 * @category waiting
 */
export const watchOperation = <R = never>(
  options: WaitOptions<R>
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
    const onSnapshot = (op: Operation.Operation) => {
      if (previous !== undefined && sameProgress(previous, op)) return Effect.void
      previous = op
      return Effect.promise(() => emit.single(op))
    }
    return loop("OperationPoller.watchOperation", options, onSnapshot, Effect.succeed).pipe(
      Effect.matchCauseEffect({
        onSuccess: () => Effect.promise(() => emit.end()),
        onFailure: (cause) => Effect.promise(() => emit.halt(cause))
      }),
      Effect.forkScoped
    )
  })

/**
 * Options of {@link waitForOperations}.
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitManyOptions<R = never> {
  readonly assistantName: string
  readonly operationIds: Iterable<string>
  /** Describe calls in flight at once. Default 10 (all share the client's rate budget). */
  readonly concurrency?: number | undefined
  /**
   * The time budget, which also bounds each round: a round still running at the deadline is cut
   * short, and what it learnt is kept. Default 30 minutes; `Duration.infinity` for none.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** When to poll again; its input is the snapshots still processing. Default {@link defaultSchedule}. */
  readonly schedule?: Schedule.Schedule<unknown, ReadonlyArray<Operation.Operation>, R> | undefined
  /**
   * How each round looks: `"list"` pages through the assistant's `Processing` operations and describes
   * only those that left it; `"describe"` describes each pending operation; `"auto"` (default) lists
   * while at least {@link listThreshold} operations are pending. Listing stops (and every pending
   * operation is described) once its pages would outnumber the operations it saves describing, or
   * when the server's listing is unusable (a token cycle, a malformed page).
   */
  readonly strategy?: "auto" | "list" | "describe" | undefined
  /** Called after each round with the last snapshot of every operation seen so far. */
  readonly onRound?: ((snapshots: ReadonlyArray<Operation.Operation>) => Effect.Effect<void>) | undefined
  /**
   * For operations your program has just started: for this long from the first round, an operation
   * never seen yet that answers 404 stays pending instead of counting as `notFound`. Default none.
   *
   * @since 0.2.0
   */
  readonly notFoundGrace?: Duration.DurationInput | undefined
  /**
   * With `strategy: "auto"` (the default), share rounds with the other waits on this client and
   * assistant (default `true`): each round is one ask of the assistant's shared rounds (see
   * {@link WaitOptions.coordinate}). `false`, or another strategy: this wait runs its own rounds.
   *
   * @since 0.2.0
   */
  readonly coordinate?: boolean | undefined
}

/**
 * An operation whose describe answered a body that is not an `OperationModel`.
 *
 * @since 0.2.0
 * @category models
 */
export interface MalformedOutcome {
  readonly operationId: string
  readonly error: AssistantError.MalformedResponseError
}

/**
 * The outcome of {@link waitForOperations}: every id lands in exactly one list, keyed by the id that
 * was asked for.
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitManySummary {
  readonly completed: ReadonlyArray<Operation.Operation>
  readonly failed: ReadonlyArray<Operation.Operation>
  /** Still not terminal when the budget ran out (their last snapshots). */
  readonly processing: ReadonlyArray<Operation.Operation>
  /** Never answered with a snapshot (only transient failures) before the budget ran out. */
  readonly unseen: ReadonlyArray<string>
  /** Answered `NotFoundError`. */
  readonly notFound: ReadonlyArray<string>
  /** Answered with a body that is not an `OperationModel`: that operation's outcome, not the wait's. */
  readonly malformed: ReadonlyArray<MalformedOutcome>
  /** `true` when the budget (or schedule) ran out with operations still pending. */
  readonly timedOut: boolean
  /** The last transient failure the wait rode out, if any. */
  readonly lastError: Option.Option<AssistantError.CallError>
  readonly rounds: number
}

/**
 * With `strategy: "auto"`, rounds list instead of describing while at least this many operations are
 * pending: below it, one describe per operation costs no more than a list page.
 *
 * @since 0.1.0
 * @category constants
 */
export const listThreshold = 3

/**
 * Waits on many operations of one assistant at once, within the client's shared rate budget, and
 * partitions them into completed, failed, still processing, not found and malformed: a failed
 * operation does not abort the others, and running out of time (inside a round too) returns what is
 * still processing instead of failing. Fails only with an API error that concerns them all (401,
 * 403, ...) or an invalid request. A `Retry-After` reaching past the deadline ends the wait at once,
 * with the summary so far (`timedOut`, and the error as `lastError`).
 *
 * @example
 * ```ts
 * import { OperationPoller } from "@effect-pinecone/core"
 * import { Console, Effect } from "effect"
 *
 * const program = OperationPoller.waitForOperations({ assistantName: "docs", operationIds: ["op-1", "op-2"] }).pipe(
 *   Effect.flatMap((s) => Console.log(`${s.completed.length} completed, ${s.failed.length} failed`))
 * )
 * ```
 *
 * @since 0.1.0
 * @category waiting
 */
export const waitForOperations = <R = never>(
  options: WaitManyOptions<R>
): Effect.Effect<WaitManySummary, AssistantError.CallError, AssistantClient | R> =>
  Effect.gen(function*() {
    const client = yield* AssistantClient
    const { assistantName } = options
    const schedule: Schedule.Schedule<unknown, ReadonlyArray<Operation.Operation>, R> = options.schedule ??
      defaultSchedule
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const start = yield* Clock.currentTimeMillis
    const deadline = Duration.isFinite(timeout) ? start + Duration.toMillis(timeout) : Infinity
    const concurrency = options.concurrency ?? 10
    const strategy = options.strategy ?? "auto"
    const graceMillis = options.notFoundGrace === undefined
      ? 0
      : Duration.toMillis(Duration.decode(options.notFoundGrace))

    const pending = new Map<string, Operation.Operation | undefined>()
    for (const id of options.operationIds) pending.set(id, undefined)
    // operations whose status the Processing list cannot vouch for (an undocumented status)
    const describeOnly = new Set<string>()
    const completed: Array<Operation.Operation> = []
    const failed: Array<Operation.Operation> = []
    const notFound: Array<string> = []
    const malformed: Array<MalformedOutcome> = []
    const scheduleState = { value: schedule.initial }
    let listing = strategy !== "describe"
    let lastError = Option.none<AssistantError.CallError>()
    let retryAfter = 0
    let rounds = 0

    const settle = (id: string, op: Operation.Operation) => {
      if (!pending.has(id)) return
      pending.delete(id)
      describeOnly.delete(id)
      if (Operation.isCompleted(op)) completed.push(op)
      else failed.push(op)
    }
    const observe = (id: string, op: Operation.Operation) => {
      if (Operation.isTerminal(op)) return settle(id, op)
      pending.set(id, op)
      if (op.status !== "Processing") describeOnly.add(id)
    }
    const rideOut = (error: AssistantError.CallError): Effect.Effect<void, AssistantError.CallError> => {
      if (!AssistantError.isTransient(error)) return Effect.fail(error)
      lastError = Option.some(error)
      retryAfter = Math.max(
        retryAfter,
        Option.match(AssistantError.retryAfterOf(error), {
          onNone: () => 0,
          onSome: Duration.toMillis
        })
      )
      return Effect.void
    }

    // what one snapshot (or its failure) tells of one operation
    const absorb = (
      id: string,
      result: Either.Either<Operation.Operation, AssistantError.CallError>
    ): Effect.Effect<void, AssistantError.CallError> => {
      if (Either.isRight(result)) return Effect.sync(() => observe(id, result.right))
      const error = result.left
      if (error._tag === "NotFoundError" && pending.get(id) === undefined) {
        // one the program just started may not be visible yet: it stays pending for the grace
        const within = Effect.map(Clock.currentTimeMillis, (now) => now - start < graceMillis)
        return Effect.flatMap(within, (stillPending) =>
          stillPending ? Effect.void : Effect.sync(() => {
            pending.delete(id)
            describeOnly.delete(id)
            notFound.push(id)
          }))
      }
      if (error._tag === "NotFoundError" || error._tag === "MalformedResponseError") {
        pending.delete(id)
        describeOnly.delete(id)
        if (error._tag === "NotFoundError") notFound.push(id)
        else malformed.push({ operationId: id, error })
        return Effect.void
      }
      return rideOut(error)
    }
    const describeOne = (id: string) =>
      Effect.flatMap(Effect.either(client.describeOperation({ assistantName, operationId: id })), (result) =>
        absorb(id, result))

    // The assistant's Processing operations, at most `maxPages` pages of them (`complete: false` if
    // there were more): a listing that would cost as many pages as describing saves is not worth it.
    const listProcessing = (maxPages: number) =>
      Effect.map(Coordinator.processingPages(client, assistantName, maxPages), (all) => ({
        pages: all,
        complete: all.length < maxPages || Option.isNone(all[all.length - 1]!.next)
      }))

    // coordinated: the round is one ask of the assistant's shared rounds, joined by the other waits
    const sharedRound = Effect.suspend(() => {
      const ids = Array.from(pending.keys())
      return Effect.flatMap(
        Coordinator.snapshots(client, assistantName, Coordinator.operations, ids),
        (results) =>
          Effect.forEach(ids, (id) => absorb(id, results.get(id)!), { discard: true })
      )
    })

    const ownRound = Effect.gen(function*() {
      const listable = pending.size - describeOnly.size
      let toDescribe: Array<string> = Array.from(pending.keys())
      if (listing && (strategy === "list" || listable >= listThreshold)) {
        const result = yield* Effect.either(listProcessing(Math.max(1, listable - 1)))
        if (Either.isLeft(result)) {
          const error = result.left
          // a listing the server cannot serve well (a token cycle, a malformed page) is given up
          if (error._tag === "MalformedResponseError" || error._tag === "InvalidRequestError") listing = false
          else return yield* rideOut(error)
        } else {
          const seen = new Set<string>()
          for (const page of result.right.pages) {
            for (const op of page.operations) {
              if (!pending.has(op.id) || describeOnly.has(op.id)) continue
              seen.add(op.id)
              // a server that ignores the status filter lists terminal operations: they settle here
              observe(op.id, op)
            }
          }
          if (!result.right.complete) listing = false
          toDescribe = Array.from(pending.keys()).filter((id) => !seen.has(id))
        }
      }
      yield* Effect.forEach(toDescribe, describeOne, { concurrency, discard: true })
    })
    const round = strategy === "auto" && options.coordinate !== false ? sharedRound : ownRound

    const snapshots = () => [
      ...completed,
      ...failed,
      ...Array.from(pending.values()).filter((op): op is Operation.Operation => op !== undefined)
    ]

    let timedOut = false
    while (pending.size > 0) {
      rounds++
      retryAfter = 0
      const before = yield* Clock.currentTimeMillis
      const remaining = deadline - before
      const bounded = remaining > maxTimerMillis
        ? Effect.as(round, true)
        : Effect.timeoutTo(withRetryDeadline(deadline)(round), {
          duration: Duration.millis(Math.max(0, remaining)),
          onSuccess: () => true,
          onTimeout: () => false
        })
      const finished = yield* bounded
      if (options.onRound !== undefined) yield* options.onRound(snapshots())
      if (!finished) {
        timedOut = pending.size > 0
        break
      }
      if (pending.size === 0) break
      const now = yield* Clock.currentTimeMillis
      if (now + retryAfter > deadline) {
        timedOut = true
        break
      }
      const input = Array.from(pending.values()).filter((op): op is Operation.Operation => op !== undefined)
      const delay = yield* Loop.nextDelay(schedule, scheduleState, input, now, deadline)
      if (Option.isNone(delay)) {
        timedOut = true
        break
      }
      yield* Effect.sleep(capDelay(Duration.millis(Math.max(delay.value, Math.min(retryAfter, deadline - now)))))
    }
    const processing: Array<Operation.Operation> = []
    const unseen: Array<string> = []
    for (const [id, op] of pending) {
      if (op === undefined) unseen.push(id)
      else processing.push(op)
    }
    return { completed, failed, processing, unseen, notFound, malformed, timedOut, lastError, rounds }
  }).pipe(
    Effect.withSpan("OperationPoller.waitForOperations", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )

/**
 * Options of {@link uploadFileAndWait}: the upload (or, with `fileId`, the upsert) and how to wait.
 *
 * @since 0.2.0
 * @category models
 */
export interface UploadAndWaitOptions<R = never> extends AssistantClientModule.UploadFileRequest {
  /** Upsert under this id instead of uploading under a generated one. */
  readonly fileId?: string | undefined
  readonly timeout?: Duration.DurationInput | undefined
  readonly schedule?: Schedule.Schedule<unknown, Operation.Operation, R> | undefined
  readonly onRetry?: ((error: AssistantError.CallError) => Effect.Effect<void>) | undefined
  /**
   * How long a 404 of the operation the upload just started is ridden out. Default 10 seconds.
   *
   * @since 0.2.0
   */
  readonly notFoundGrace?: Duration.DurationInput | undefined
  /** Share polls with the other waits on this client and assistant (default `true`). */
  readonly coordinate?: boolean | undefined
}

/**
 * Uploads a file (or upserts it, with `fileId`) and waits until its processing ends: succeeds with the
 * file once it is `Available`; fails with `OperationFailedError` if its processing failed (the
 * operation's `error_message` in the message), `WaitTimeoutError` when the budget runs out, or the
 * upload's own typed error.
 *
 * @example
 * ```ts
 * import { FileSource, OperationPoller } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const ready = OperationPoller.uploadFileAndWait({
 *   assistantName: "docs",
 *   file: FileSource.fromBytes("notes.md", new TextEncoder().encode("# Notes")),
 *   metadata: { team: "docs" },
 *   timeout: "10 minutes"
 * })
 * ```
 *
 * @since 0.2.0
 * @category waiting
 */
export const uploadFileAndWait = <R = never>(
  options: UploadAndWaitOptions<R>
): Effect.Effect<
  AssistantFile.AssistantFile,
  AssistantClientModule.UploadError | AssistantError.OperationFailedError | AssistantError.WaitTimeoutError,
  AssistantClient | R
> =>
  Effect.gen(function*() {
    const client = yield* AssistantClient
    const { coordinate, fileId, notFoundGrace, onRetry, schedule, timeout, ...upload } = options
    const operation = fileId === undefined
      ? yield* client.uploadFile(upload)
      : yield* client.upsertFile({ ...upload, fileId })
    const done = yield* waitForOperation<R>({
      assistantName: options.assistantName,
      operationId: operation.id,
      timeout,
      schedule,
      onRetry,
      notFoundGrace: notFoundGrace ?? defaultNotFoundGrace,
      coordinate
    })
    // the file's id as the operation names it, else the id it was upserted under
    const id = Option.getOrElse(Option.orElse(done.fileId, () => operation.fileId), () => fileId ?? "")
    return yield* client.describeFile({ assistantName: options.assistantName, fileId: id })
  }).pipe(
    Effect.withSpan("OperationPoller.uploadFileAndWait", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )

/**
 * Options of {@link waitForAssistant}.
 *
 * @since 0.2.0
 * @category models
 */
export interface AssistantWaitOptions<R = never> {
  readonly name: string
  /** `"Ready"` (default): until it is Ready; `"Deleted"`: until describing it answers 404. */
  readonly until?: "Ready" | "Deleted" | undefined
  /** The time budget, from the first poll. Default 30 minutes; `Duration.infinity` for none. */
  readonly timeout?: Duration.DurationInput | undefined
  /** When to describe again; its input is the last snapshot. Default {@link defaultSchedule}. */
  readonly schedule?: Schedule.Schedule<unknown, Assistant.Assistant, R> | undefined
  /** How long a describe still in flight when the budget runs out may take. Default 30 seconds. */
  readonly lastPollTimeout?: Duration.DurationInput | undefined
  /** Called with each transient failure the wait rides out. */
  readonly onRetry?: ((error: AssistantError.CallError) => Effect.Effect<void>) | undefined
  /** Called with each snapshot described (for a progress display). */
  readonly onSnapshot?: ((assistant: Assistant.Assistant) => Effect.Effect<void>) | undefined
}

// A deleted assistant has no snapshot: the wait's loop is given this marker for the 404 it waits for.
const gone = Symbol.for("@effect-pinecone/core/OperationPoller/gone")

/**
 * Describes an assistant (on the control plane, within its `assistants` rate budget) until it is
 * `Ready`, or with `until: "Deleted"` until it is gone (describe answers 404), with the poller's
 * contract: the `Schedule`, the budget (`WaitTimeoutError`, `resource: "assistant"`, with the last
 * snapshot as `lastAssistant`), `Retry-After`, interruption, a span with its poll count.
 * `InitializationFailed` or `Failed` is `AssistantFailedError`; waiting for Ready, a 404 is the
 * `NotFoundError` it is.
 *
 * @example
 * ```ts
 * import { AssistantClient, OperationPoller } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const gone = AssistantClient.deleteAssistant({ name: "old-handbook" }).pipe(
 *   Effect.zipRight(OperationPoller.waitForAssistant({ name: "old-handbook", until: "Deleted" }))
 * )
 * ```
 *
 * @since 0.2.0
 * @category waiting
 */
export const waitForAssistant: {
  <R = never>(
    options: AssistantWaitOptions<R> & { readonly until: "Deleted" }
  ): Effect.Effect<void, AssistantError.WaitForAssistantError, AssistantClient | R>
  <R = never>(
    options: AssistantWaitOptions<R> & { readonly until?: "Ready" | undefined }
  ): Effect.Effect<Assistant.Assistant, AssistantError.WaitForAssistantError, AssistantClient | R>
  <R = never>(
    options: AssistantWaitOptions<R>
  ): Effect.Effect<Assistant.Assistant | void, AssistantError.WaitForAssistantError, AssistantClient | R>
} = <R = never>(
  options: AssistantWaitOptions<R>
): Effect.Effect<any, AssistantError.WaitForAssistantError, AssistantClient | R> => {
  const deleted = options.until === "Deleted"
  type Snapshot = Assistant.Assistant | typeof gone
  const schedule = (options.schedule ?? defaultSchedule) as Schedule.Schedule<unknown, Snapshot, R>
  return Loop.pollUntil<Snapshot, Assistant.Assistant | void, AssistantError.AssistantFailedError, R>({
    spanName: "OperationPoller.waitForAssistant",
    spanAttributes: {
      "pinecone.assistant.name": String(options.name),
      "pinecone.assistant.status": "unknown",
      "pinecone.poll.count": 0
    },
    fetch: (client) => {
      const describe = client.describeAssistant({ assistantName: options.name })
      return deleted
        ? Effect.catchTag(describe, "NotFoundError", () => Effect.succeed(gone))
        : describe
    },
    isTerminal: (a) => a === gone || (deleted ? false : Assistant.isReady(a) || Assistant.isFailed(a)),
    finish: (a) =>
      a === gone
        ? Effect.void
        : Assistant.isFailed(a)
        ? Effect.fail(new AssistantError.AssistantFailedError({ assistant: a }))
        : Effect.succeed(a),
    statusAttribute: "pinecone.assistant.status",
    status: (a) => a === gone ? "Deleted" : a.status,
    schedule,
    timeout: options.timeout ?? defaultTimeout,
    lastPollTimeout: options.lastPollTimeout ?? "30 seconds",
    onRetry: options.onRetry,
    onSnapshot: options.onSnapshot === undefined
      ? undefined
      : (a) => a === gone ? Effect.void : options.onSnapshot!(a),
    timedOut: (wait) =>
      new AssistantError.WaitTimeoutError({
        operationId: options.name,
        resource: "assistant",
        last: Option.none(),
        lastAssistant: Option.filter(wait.last, (a): a is Assistant.Assistant => a !== gone),
        lastError: wait.lastError,
        elapsed: wait.elapsed,
        polls: wait.polls
      })
  })
}

/**
 * Options of {@link createAssistantAndWait}.
 *
 * @since 0.2.0
 * @category models
 */
export interface CreateAndWaitOptions<R = never>
  extends AssistantClientModule.CreateAssistantRequest, Omit<AssistantWaitOptions<R>, "name" | "until">
{}

/**
 * Creates an assistant and waits until it is `Ready`: the assistant to upload files to.
 *
 * @example
 * ```ts
 * import { OperationPoller } from "@effect-pinecone/core"
 *
 * const ready = OperationPoller.createAssistantAndWait({ name: "handbook", instructions: "Cite the handbook." })
 * ```
 *
 * @since 0.2.0
 * @category waiting
 */
export const createAssistantAndWait = <R = never>(
  options: CreateAndWaitOptions<R>
): Effect.Effect<Assistant.Assistant, AssistantError.WaitForAssistantError, AssistantClient | R> => {
  const { instructions, lastPollTimeout, metadata, name, onRetry, onSnapshot, region, schedule, timeout } = options
  return Effect.flatMap(AssistantClient, (client) => client.createAssistant({ name, instructions, metadata, region }))
    .pipe(
      Effect.flatMap((created) =>
        Assistant.isReady(created)
          ? Effect.succeed(created)
          : waitForAssistant<R>({ name, timeout, schedule, lastPollTimeout, onRetry, onSnapshot })
      ),
      Effect.withSpan("OperationPoller.createAssistantAndWait", {
        captureStackTrace: false,
        attributes: { "pinecone.assistant.name": String(name) }
      })
    )
}

/**
 * Options of {@link waitForFile}.
 *
 * @since 0.2.0
 * @category models
 */
export interface FileWaitOptions<R = never> {
  readonly assistantName: string
  readonly fileId: string
  /** The time budget, from the first poll. Default 30 minutes; `Duration.infinity` for none. */
  readonly timeout?: Duration.DurationInput | undefined
  /** When to describe again; its input is the last snapshot. Default {@link defaultSchedule}. */
  readonly schedule?: Schedule.Schedule<unknown, AssistantFile.AssistantFile, R> | undefined
  /** How long a describe still in flight when the budget runs out may take. Default 30 seconds. */
  readonly lastPollTimeout?: Duration.DurationInput | undefined
  /** Called with each transient failure the wait rides out. */
  readonly onRetry?: ((error: AssistantError.CallError) => Effect.Effect<void>) | undefined
  /** Called with each snapshot described (for a progress display). */
  readonly onSnapshot?: ((file: AssistantFile.AssistantFile) => Effect.Effect<void>) | undefined
  /** For a file your program has just sent: how long a 404 is ridden out. Default none. */
  readonly notFoundGrace?: Duration.DurationInput | undefined
  /**
   * Share polls with the other file waits on this client and assistant (default `true`): a crowd's
   * rounds page through the assistant's files once for all of them. `false`: this wait describes
   * its file itself.
   */
  readonly coordinate?: boolean | undefined
}

// The server's message for a failed file is its operation's: the newest failed operation of the
// file among the first pages of the assistant's failed operations (best effort).
const failureOf = (client: AssistantClientModule.Service, assistantName: string, fileId: string) =>
  paginate((token) =>
    Effect.map(
      client.listOperationsPage({ assistantName, status: "Failed", limit: 100, paginationToken: token }),
      (page) => [page.operations, page.next] as const
    )
  ).pipe(
    Stream.take(1000),
    Stream.filter((op) => Option.contains(op.fileId, fileId)),
    Stream.runHead,
    Effect.orElseSucceed(() => Option.none<Operation.Operation>())
  )

/**
 * Describes a file until it is `Available` (success) or `ProcessingFailed`
 * (`FileProcessingFailedError`, with the server's message from the file's failed operation), with
 * the poller's contract: the `Schedule`, the budget (`WaitTimeoutError` with `resource: "file"`),
 * `Retry-After`, interruption, a span with its poll count. Users think in files: no operation id
 * needed.
 *
 * @example
 * ```ts
 * import { OperationPoller } from "@effect-pinecone/core"
 *
 * const ready = OperationPoller.waitForFile({ assistantName: "docs", fileId: "handbook-2026", timeout: "10 minutes" })
 * ```
 *
 * @since 0.2.0
 * @category waiting
 */
export const waitForFile = <R = never>(
  options: FileWaitOptions<R>
): Effect.Effect<AssistantFile.AssistantFile, AssistantError.WaitForFileError, AssistantClient | R> =>
  Loop.pollUntil<AssistantFile.AssistantFile, AssistantFile.AssistantFile, AssistantError.FileProcessingFailedError, R>(
    {
      spanName: "OperationPoller.waitForFile",
      spanAttributes: {
        "pinecone.assistant.name": String(options.assistantName),
        "pinecone.file.id": String(options.fileId),
        "pinecone.file.status": "unknown",
        "pinecone.poll.count": 0
      },
      fetch: options.coordinate === false
        ? (client) => client.describeFile({ assistantName: options.assistantName, fileId: options.fileId })
        : (client) => Coordinator.snapshot(client, options.assistantName, Coordinator.files, options.fileId),
      join: options.coordinate === false ? undefined : Coordinator.join(options.assistantName, Coordinator.files),
      isTerminal: (file) =>
        Option.contains(file.status, "Available") || Option.contains(file.status, "ProcessingFailed"),
      finish: (file, client) =>
        Option.contains(file.status, "ProcessingFailed")
          ? Effect.flatMap(failureOf(client, options.assistantName, file.id), (op) =>
            Effect.fail(
              new AssistantError.FileProcessingFailedError({
                fileId: file.id,
                fileName: file.name,
                errorMessage: Option.flatMap(op, (o) => o.errorMessage),
                operationId: Option.map(op, (o) => o.id)
              })
            ))
          : Effect.succeed(file),
      statusAttribute: "pinecone.file.status",
      status: (file) => Option.getOrElse(file.status, () => "unknown"),
      schedule: options.schedule ?? defaultSchedule,
      timeout: options.timeout ?? defaultTimeout,
      lastPollTimeout: options.lastPollTimeout ?? "30 seconds",
      onRetry: options.onRetry,
      onSnapshot: options.onSnapshot,
      notFoundGrace: options.notFoundGrace,
      timedOut: (wait) =>
        new AssistantError.WaitTimeoutError({
          operationId: options.fileId,
          resource: "file",
          last: Option.none(),
          lastFileStatus: Option.flatMap(wait.last, (f) => f.status),
          lastError: wait.lastError,
          elapsed: wait.elapsed,
          polls: wait.polls
        })
    }
  )
