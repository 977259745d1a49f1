/**
 * Waiting: for an operation (`waitForOperation`, an Effect that ends with the completed operation;
 * `watchOperation`, a Stream of its progress; `uploadFileAndWait`), for many (`waitForOperations`),
 * for a file by id (`waitForFile`) and for an assistant (`waitForAssistant`,
 * `createAssistantAndWait`). Each is driven by an ordinary `Schedule`, inside a time budget,
 * honouring the server's `Retry-After`, interruptible at every point (the request in flight
 * included), and shares its polls with the other waits on the same client and assistant.
 *
 * @since 0.1.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as Stream from "effect/Stream"
import type * as Assistant from "./Assistant.js"
import type * as AssistantClientModule from "./AssistantClient.js"
import type { AssistantClient } from "./AssistantClient.js"
import type * as AssistantError from "./AssistantError.js"
import type * as AssistantFile from "./AssistantFile.js"
import * as internalAssistant from "./internal/poller/assistant.js"
import * as defaults from "./internal/poller/defaults.js"
import * as internalFile from "./internal/poller/file.js"
import * as internalMany from "./internal/poller/many.js"
import * as internalOperation from "./internal/poller/operation.js"
import type * as Operation from "./Operation.js"

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
   * Called with each snapshot of the operation as it is received (for a progress display), as
   * `waitForFile` and `waitForAssistant` take it.
   *
   * @since 0.2.0
   */
  readonly onSnapshot?: ((operation: Operation.Operation) => Effect.Effect<void>) | undefined
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
export const defaultSchedule: Schedule.Schedule<unknown, unknown> = defaults.defaultSchedule

/**
 * How long a wait on an operation the program itself just started rides out its 404s.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultNotFoundGrace: Duration.Duration = defaults.defaultNotFoundGrace

/**
 * The default time budget of a wait.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultTimeout: Duration.Duration = defaults.defaultTimeout

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
export const waitForOperation: <R = never>(
  options: WaitOptions<R>
) => Effect.Effect<Operation.Operation, AssistantError.WaitForOperationError, AssistantClient | R> =
  internalOperation.waitForOperation

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
export const watchOperation: <R = never>(
  options: WaitOptions<R>
) => Stream.Stream<
  Operation.Operation,
  AssistantError.CallError | AssistantError.WaitTimeoutError,
  AssistantClient | R
> = internalOperation.watchOperation

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
export const listThreshold: number = defaults.listThreshold

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
export const waitForOperations: <R = never>(
  options: WaitManyOptions<R>
) => Effect.Effect<WaitManySummary, AssistantError.CallError, AssistantClient | R> = internalMany.waitForOperations

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
  /**
   * How long a poll still in flight when the budget runs out may take to answer. Default 30 seconds,
   * as for every wait.
   *
   * @since 0.2.0
   */
  readonly lastPollTimeout?: Duration.DurationInput | undefined
  /**
   * Called with each snapshot of the upload's operation as it is received.
   *
   * @since 0.2.0
   */
  readonly onSnapshot?: ((operation: Operation.Operation) => Effect.Effect<void>) | undefined
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
 * file once it is `Available` (after its operation completes, the file itself is followed until it
 * says so, within the same budget); fails with `OperationFailedError` if its processing failed (the
 * operation's `error_message` in the message), `FileProcessingFailedError` if the file says so after
 * its operation completed, `WaitTimeoutError` when the budget runs out, or the upload's own typed
 * error (`MalformedResponseError` for an operation that names no file).
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
export const uploadFileAndWait: <R = never>(
  options: UploadAndWaitOptions<R>
) => Effect.Effect<
  AssistantFile.AssistantFile,
  | AssistantClientModule.UploadError
  | AssistantError.OperationFailedError
  | AssistantError.FileProcessingFailedError
  | AssistantError.WaitTimeoutError,
  AssistantClient | R
> = internalOperation.uploadFileAndWait

/**
 * Options of {@link waitForAssistant}.
 *
 * @since 0.2.0
 * @category models
 */
export interface AssistantWaitOptions<R = never> {
  readonly assistantName: string
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

/**
 * Describes an assistant (on the control plane, within its `assistants` rate budget) until it is
 * `Ready`, or with `until: "Deleted"` until it is gone (describe answers 404), with the poller's
 * contract: the `Schedule`, the budget (`WaitTimeoutError` whose `target` is a `WaitedAssistant` with
 * the last snapshot), `Retry-After`, interruption, a span with its poll count.
 * `InitializationFailed` or `Failed` is `AssistantFailedError`; waiting for Ready, a 404 is the
 * `NotFoundError` it is.
 *
 * @example
 * ```ts
 * import { AssistantClient, OperationPoller } from "@effect-pinecone/core"
 * import { Effect } from "effect"
 *
 * const gone = AssistantClient.deleteAssistant({ assistantName: "old-handbook" }).pipe(
 *   Effect.zipRight(OperationPoller.waitForAssistant({ assistantName: "old-handbook", until: "Deleted" }))
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
} = internalAssistant.waitForAssistant

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
 * const ready = OperationPoller.createAssistantAndWait({ assistantName: "handbook", instructions: "Cite the handbook." })
 * ```
 *
 * @since 0.2.0
 * @category waiting
 */
export const createAssistantAndWait: <R = never>(
  options: CreateAndWaitOptions<R>
) => Effect.Effect<Assistant.Assistant, AssistantError.WaitForAssistantError, AssistantClient | R> =
  internalAssistant.createAssistantAndWait

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

/**
 * Describes a file until it is `Available` (success) or `ProcessingFailed`
 * (`FileProcessingFailedError`, with the server's message from the file's failed operation), with
 * the poller's contract: the `Schedule`, the budget (`WaitTimeoutError` whose `target` is a `WaitedFile`),
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
export const waitForFile: <R = never>(
  options: FileWaitOptions<R>
) => Effect.Effect<AssistantFile.AssistantFile, AssistantError.WaitForFileError, AssistantClient | R> =
  internalFile.waitForFile
