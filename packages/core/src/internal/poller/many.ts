// `waitForOperations`: many operations of one assistant in rounds (its own, or asks of the
// coordinator's shared rounds), partitioned into completed, failed, processing, unseen, not found
// and malformed.
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import { AssistantClient, withRetryDeadline } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as Operation from "../../Operation.js"
import type * as OperationPoller from "../../OperationPoller.js"
import { capDelay, maxTimerMillis } from "../http.js"
import * as Coordinator from "./coordinator.js"
import { defaultSchedule, defaultTimeout, listThreshold } from "./defaults.js"
import * as Loop from "./loop.js"

/** @internal */
export const waitForOperations = <R = never>(
  options: OperationPoller.WaitManyOptions<R>
): Effect.Effect<OperationPoller.WaitManySummary, AssistantError.CallError, AssistantClient | R> =>
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
    const malformed: Array<OperationPoller.MalformedOutcome> = []
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
      Effect.flatMap(
        Effect.either(client.describeOperation({ assistantName, operationId: id })),
        (result) => absorb(id, result)
      )

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
        (results) => Effect.forEach(ids, (id) => absorb(id, results.get(id)!), { discard: true })
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
