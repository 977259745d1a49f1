// Independent waits on one client and one assistant share their polls. Each wait asks for a fresh
// snapshot of its operation when its own Schedule says so. The first ask leads a round on its own
// fiber; the asks that come while that round is in flight (or at the same instant) are answered
// together by the next round, led by the first of them, which starts after all of them: no wait gets
// a snapshot older than its ask. A round of one or two operations describes them; from three on it
// pages through the assistant's Processing operations and describes only those that left the list
// (the choice `waitForOperations` makes), falling back to describes when the listing is unusable.
//
// Rounds run on the waits' own fibers, not on a fiber of the coordinator's: a wait alone describes
// its operation itself, exactly as before; interrupting a leader aborts its request in flight, and
// the asks it was answering ask again. A coordinator holds nothing while no wait asks.
// `Request`/`RequestResolver` batching only joins requests made together by one fiber
// (`Effect.forEach` with batching), not independent fibers asking at different moments: hence this.
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { paginate } from "../../AssistantClient.js"
import type * as AssistantError from "../../AssistantError.js"
import type * as Operation from "../../Operation.js"

type Result = Either.Either<Operation.Operation, AssistantError.CallError>

type Answer =
  | { readonly _tag: "Snapshot"; readonly result: Result }
  | { readonly _tag: "Lead" }
  | { readonly _tag: "Again" }

interface Ask {
  readonly operationId: string
  readonly answer: Deferred.Deferred<Answer>
}

interface Coordinator {
  asks: Array<Ask>
  leading: boolean
}

/** From this many operations in a round, a listing is tried before describes. @internal */
export const roundListThreshold = 3

const coordinators = new WeakMap<AssistantClientModule.Service, Map<string, Coordinator>>()

const coordinatorOf = (client: AssistantClientModule.Service, assistantName: string): Coordinator => {
  let byAssistant = coordinators.get(client)
  if (byAssistant === undefined) {
    byAssistant = new Map()
    coordinators.set(client, byAssistant)
  }
  let coordinator = byAssistant.get(assistantName)
  if (coordinator === undefined) {
    coordinator = { asks: [], leading: false }
    byAssistant.set(assistantName, coordinator)
  }
  return coordinator
}

const again: Answer = { _tag: "Again" }
const lead: Answer = { _tag: "Lead" }

// The next round's leader is the first ask waiting; with none, the coordinator is idle.
const handOver = (c: Coordinator) => {
  const next = c.asks.shift()
  if (next === undefined) c.leading = false
  else Deferred.unsafeDone(next.answer, Effect.succeed(lead))
}

/**
 * The first `maxPages` pages of the assistant's Processing operations (`waitForOperations` and the
 * rounds list them the same way).
 * @internal
 */
export const processingPages = (client: AssistantClientModule.Service, assistantName: string, maxPages: number) =>
  paginate((token) =>
    Effect.map(
      client.listOperationsPage({ assistantName, status: "Processing", limit: 100, paginationToken: token }),
      (page) => [[page], page.next] as const
    )
  ).pipe(Stream.take(maxPages), Stream.runCollect, Effect.map((pages) => Array.from(pages)))

// The assistant's Processing operations by id, from at most `maxPages` pages; None when the listing
// is unusable (the round then describes every operation).
const listProcessing = (client: AssistantClientModule.Service, assistantName: string, maxPages: number) =>
  processingPages(client, assistantName, maxPages).pipe(
    Effect.map((pages) =>
      Option.some(new Map(pages.flatMap((page) => page.operations).map((op) => [op.id, op] as const)))
    ),
    Effect.orElseSucceed(() => Option.none<Map<string, Operation.Operation>>())
  )

const round = (
  client: AssistantClientModule.Service,
  assistantName: string,
  ids: ReadonlyArray<string>
): Effect.Effect<Map<string, Result>> =>
  Effect.gen(function*() {
    // a listing is worth it while its pages stay fewer than the describes it saves
    const listed = ids.length >= roundListThreshold
      ? yield* listProcessing(client, assistantName, Math.max(1, Math.floor(ids.length / 2)))
      : Option.none<Map<string, Operation.Operation>>()
    const results = new Map<string, Result>()
    const toDescribe = ids.filter((id) => {
      const op = Option.flatMap(listed, (m) => Option.fromNullable(m.get(id)))
      if (Option.isSome(op)) results.set(id, Either.right(op.value))
      return Option.isNone(op)
    })
    yield* Effect.forEach(toDescribe, (id) =>
      Effect.map(
        Effect.either(client.describeOperation({ assistantName, operationId: id })),
        (result) => void results.set(id, result)
      ), { concurrency: 10, discard: true })
    return results
  })

// Leads a round for its own ask and every ask waiting: answers them, hands over, returns its own.
const leadRound = (
  client: AssistantClientModule.Service,
  assistantName: string,
  c: Coordinator,
  own: Ask
): Effect.Effect<Operation.Operation, AssistantError.CallError> =>
  Effect.flatMap(Effect.yieldNow(), () => {
    // the waits woken at the same instant have asked by now
    const asks = [own, ...c.asks]
    c.asks = []
    const others = asks.slice(1)
    const ids = Array.from(new Set(asks.map((a) => a.operationId)))
    return round(client, assistantName, ids).pipe(
      // a round that did not end well (interrupted, or a defect) answers nothing: the others ask again
      Effect.onExit((exit) =>
        Exit.isSuccess(exit) ? Effect.void : Effect.sync(() => {
          for (const a of others) Deferred.unsafeDone(a.answer, Effect.succeed(again))
          handOver(c)
        })
      ),
      Effect.flatMap((results) =>
        Effect.suspend(() => {
          for (const a of others) {
            Deferred.unsafeDone(a.answer, Effect.succeed({ _tag: "Snapshot", result: results.get(a.operationId)! }))
          }
          handOver(c)
          return Either.match(results.get(own.operationId)!, { onLeft: Effect.fail, onRight: Effect.succeed })
        })
      )
    )
  })

/**
 * A fresh snapshot of the operation, from the next round of the client's coordinator for the
 * assistant. Interrupted, the ask leaves its round without disturbing the others.
 * @internal
 */
export const describeOperation = (
  client: AssistantClientModule.Service,
  assistantName: string,
  operationId: string
): Effect.Effect<Operation.Operation, AssistantError.CallError> =>
  Effect.flatMap(Deferred.make<Answer>(), (answer) => {
    const c = coordinatorOf(client, assistantName)
    const ask: Ask = { operationId, answer }
    if (!c.leading) {
      c.leading = true
      return leadRound(client, assistantName, c, ask)
    }
    c.asks.push(ask)
    return Deferred.await(answer).pipe(
      Effect.onInterrupt(() =>
        Effect.flatMap(Deferred.poll(answer), (told) => {
          c.asks = c.asks.filter((a) => a !== ask)
          // told to lead, but gone before it could: the next one leads
          return Option.isNone(told)
            ? Effect.void
            : Effect.flatMap(told.value, (a) => Effect.sync(() => a._tag === "Lead" && handOver(c)))
        })
      ),
      Effect.flatMap((a) =>
        a._tag === "Snapshot"
          ? Either.match(a.result, { onLeft: Effect.fail, onRight: Effect.succeed })
          : a._tag === "Lead"
          ? leadRound(client, assistantName, c, ask)
          : describeOperation(client, assistantName, operationId)
      )
    )
  })
