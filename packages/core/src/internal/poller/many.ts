// `waitForOperations`: many operations of one assistant in rounds (its own, or asks of the
// coordinator's shared rounds), partitioned into completed, failed, processing, unseen, not found
// and malformed. The wait's state is one `Many`; each concept (what a snapshot tells, a round of
// its own, the loop of rounds, the summary) is a function of it.
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { AssistantClient } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as Operation from "../../Operation.js"
import type * as OperationPoller from "../../OperationPoller.js"
import { withRetryDeadline } from "../client/retry.js"
import { capDelay, maxTimerMillis } from "../http.js"
import * as Coordinator from "./coordinator.js"
import { defaultSchedule, defaultTimeout, listThreshold } from "./defaults.js"
import * as Loop from "./loop.js"

interface Many<R> {
  readonly options: OperationPoller.WaitManyOptions<R>
  readonly client: AssistantClientModule.Service
  readonly start: number
  readonly deadline: number
  readonly graceMillis: number
  /** Every id not settled yet, with its last snapshot (none before the first). */
  readonly pending: Map<string, Operation.Operation | undefined>
  /** Operations whose status the Processing list cannot vouch for (an undocumented status). */
  readonly describeOnly: Set<string>
  readonly completed: Array<Operation.Operation>
  readonly failed: Array<Operation.Operation>
  readonly notFound: Array<string>
  readonly malformed: Array<OperationPoller.MalformedOutcome>
  /** Whether this wait's own rounds still list (a listing the server cannot serve is given up). */
  listing: boolean
  lastError: Option.Option<AssistantError.CallError>
  /** The longest Retry-After met in the current round, in milliseconds. */
  retryAfter: number
  rounds: number
}

const drop = <R>(m: Many<R>, id: string) => {
  m.pending.delete(id)
  m.describeOnly.delete(id)
}

const observe = <R>(m: Many<R>, id: string, op: Operation.Operation) => {
  if (Operation.isTerminal(op)) {
    if (!m.pending.has(id)) return
    drop(m, id)
    if (Operation.isCompleted(op)) m.completed.push(op)
    else m.failed.push(op)
    return
  }
  m.pending.set(id, op)
  if (op.status !== "Processing") m.describeOnly.add(id)
}

const rideOut = <R>(m: Many<R>, error: AssistantError.CallError): Effect.Effect<void, AssistantError.CallError> => {
  if (!AssistantError.isTransient(error)) return Effect.fail(error)
  m.lastError = Option.some(error)
  m.retryAfter = Math.max(
    m.retryAfter,
    Option.match(AssistantError.retryAfterOf(error), { onNone: () => 0, onSome: Duration.toMillis })
  )
  return Effect.void
}

// What one snapshot (or its failure) tells of one operation.
const absorb = <R>(
  m: Many<R>,
  id: string,
  result: Either.Either<Operation.Operation, AssistantError.CallError>
): Effect.Effect<void, AssistantError.CallError> => {
  if (Either.isRight(result)) return Effect.sync(() => observe(m, id, result.right))
  const error = result.left
  if (error._tag === "NotFoundError" && m.pending.get(id) === undefined) {
    // one the program just started may not be visible yet: it stays pending for the grace
    return Effect.flatMap(
      Clock.currentTimeMillis,
      (now) =>
        now - m.start < m.graceMillis ? Effect.void : Effect.sync(() => {
          drop(m, id)
          m.notFound.push(id)
        })
    )
  }
  if (error._tag === "NotFoundError" || error._tag === "MalformedResponseError") {
    drop(m, id)
    if (error._tag === "NotFoundError") m.notFound.push(id)
    else m.malformed.push({ operationId: id, error })
    return Effect.void
  }
  return rideOut(m, error)
}

// Coordinated: the round is one ask of the assistant's shared rounds, joined by the other waits.
const sharedRound = <R>(m: Many<R>, worker: Coordinator.Handle<Operation.Operation>) =>
  Effect.suspend(() => {
    const ids = Array.from(m.pending.keys())
    return Effect.flatMap(
      worker.snapshots(ids, m.deadline),
      (results) => Effect.forEach(ids, (id) => absorb(m, id, results.get(id)!), { discard: true })
    )
  })

type Listing =
  | { readonly _tag: "NotListed" }
  | { readonly _tag: "Listed"; readonly seen: ReadonlySet<string> }
  | { readonly _tag: "RodeOut" }

// The Processing listing of a round of its own, the ids it answered observed. A listing that would
// cost as many pages as describing saves is not worth it: at most `listable - 1` pages, and one cut
// short, or one the server cannot serve well (a token cycle, a malformed page), is not tried again.
const listed = <R>(m: Many<R>): Effect.Effect<Listing, AssistantError.CallError> =>
  Effect.gen(function*() {
    const strategy = m.options.strategy ?? "auto"
    const listable = m.pending.size - m.describeOnly.size
    if (!m.listing || (strategy !== "list" && listable < listThreshold)) return { _tag: "NotListed" } as const
    const maxPages = Math.max(1, listable - 1)
    const result = yield* Effect.either(Coordinator.processingPages(m.client, m.options.assistantName, maxPages))
    if (Either.isLeft(result)) {
      const error = result.left
      if (error._tag === "MalformedResponseError" || error._tag === "InvalidRequestError") {
        m.listing = false
        return { _tag: "NotListed" } as const
      }
      yield* rideOut(m, error)
      return { _tag: "RodeOut" } as const
    }
    const pages = result.right
    const seen = new Set<string>()
    for (const page of pages) {
      for (const op of page.operations) {
        if (!m.pending.has(op.id) || m.describeOnly.has(op.id)) continue
        seen.add(op.id)
        // a server that ignores the status filter lists terminal operations: they settle here
        observe(m, op.id, op)
      }
    }
    if (pages.length >= maxPages && Option.isSome(pages[pages.length - 1]!.next)) m.listing = false
    return { _tag: "Listed", seen } as const
  })

// A round of its own: the listing (when worth it), then a describe of each pending operation it did
// not answer.
const ownRound = <R>(m: Many<R>) =>
  Effect.flatMap(listed(m), (listing) => {
    if (listing._tag === "RodeOut") return Effect.void
    const toDescribe = Array.from(m.pending.keys()).filter((id) =>
      listing._tag === "NotListed" || !listing.seen.has(id)
    )
    return Effect.forEach(
      toDescribe,
      (id) =>
        Effect.flatMap(
          Effect.either(m.client.describeOperation({ assistantName: m.options.assistantName, operationId: id })),
          (result) => absorb(m, id, result)
        ),
      { concurrency: m.options.concurrency ?? 10, discard: true }
    )
  })

const snapshots = <R>(m: Many<R>) => [
  ...m.completed,
  ...m.failed,
  ...Array.from(m.pending.values()).filter((op): op is Operation.Operation => op !== undefined)
]

// Rounds until nothing is pending or the budget (or schedule) runs out; true when it ran out.
const rounds = <R>(
  m: Many<R>,
  worker: Coordinator.Handle<Operation.Operation> | undefined
): Effect.Effect<boolean, AssistantError.CallError, R> =>
  Effect.gen(function*() {
    const schedule: Schedule.Schedule<unknown, ReadonlyArray<Operation.Operation>, R> = m.options.schedule ??
      defaultSchedule
    const scheduleState = { value: schedule.initial }
    const round = worker === undefined ? ownRound(m) : sharedRound(m, worker)
    while (m.pending.size > 0) {
      m.rounds++
      m.retryAfter = 0
      const remaining = m.deadline - (yield* Clock.currentTimeMillis)
      // a round still running at the deadline is cut short, and what it learnt is kept
      const finished = yield* remaining > maxTimerMillis
        ? Effect.as(round, true)
        : Effect.timeoutTo(withRetryDeadline(m.deadline)(round), {
          duration: Duration.millis(Math.max(0, remaining)),
          onSuccess: () => true,
          onTimeout: () => false
        })
      if (m.options.onRound !== undefined) yield* m.options.onRound(snapshots(m))
      if (!finished) return m.pending.size > 0
      if (m.pending.size === 0) return false
      const now = yield* Clock.currentTimeMillis
      if (now + m.retryAfter > m.deadline) return true
      const input = Array.from(m.pending.values()).filter((op): op is Operation.Operation => op !== undefined)
      const delay = yield* Loop.nextDelay(schedule, scheduleState, input, now, m.deadline)
      if (Option.isNone(delay)) return true
      yield* Effect.sleep(
        capDelay(Duration.millis(Math.max(delay.value, Math.min(m.retryAfter, m.deadline - now))))
      )
    }
    return false
  })

const summary = <R>(m: Many<R>, timedOut: boolean): OperationPoller.WaitManySummary => {
  const processing: Array<Operation.Operation> = []
  const unseen: Array<string> = []
  for (const [id, op] of m.pending) {
    if (op === undefined) unseen.push(id)
    else processing.push(op)
  }
  const { completed, failed, lastError, malformed, notFound } = m
  return { completed, failed, processing, unseen, notFound, malformed, timedOut, lastError, rounds: m.rounds }
}

/** @internal */
export const waitForOperations = <R = never>(
  options: OperationPoller.WaitManyOptions<R>
): Effect.Effect<OperationPoller.WaitManySummary, AssistantError.CallError, AssistantClient | R> =>
  Effect.gen(function*() {
    const client = yield* AssistantClient
    const start = yield* Clock.currentTimeMillis
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const m: Many<R> = {
      options,
      client,
      start,
      deadline: Duration.isFinite(timeout) ? start + Duration.toMillis(timeout) : Infinity,
      graceMillis: options.notFoundGrace === undefined ? 0 : Duration.toMillis(Duration.decode(options.notFoundGrace)),
      pending: new Map(Array.from(options.operationIds, (id) => [id, undefined] as const)),
      describeOnly: new Set(),
      completed: [],
      failed: [],
      notFound: [],
      malformed: [],
      listing: options.strategy !== "describe",
      lastError: Option.none(),
      retryAfter: 0,
      rounds: 0
    }
    const coordination = (options.strategy ?? "auto") === "auto" && options.coordinate !== false
      ? Coordinator.coordinationOf(client)
      : undefined
    const timedOut = coordination === undefined
      ? yield* rounds(m, undefined)
      : yield* Effect.scoped(
        Effect.flatMap(coordination.join(Coordinator.operations, options.assistantName), (worker) => rounds(m, worker))
      )
    return summary(m, timedOut)
  }).pipe(
    Effect.withSpan("OperationPoller.waitForOperations", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )
