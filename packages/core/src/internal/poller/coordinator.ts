// Independent waits on one client and one assistant share their polls, through a service the client
// owns: one worker per assistant, kind of resource and rate budget (an `RcMap` entry made in the
// client's scope, released when its last wait leaves). A wait offers an ask (the ids it needs a fresh
// snapshot of, and its deadline) to the worker's queue and awaits the ask's `Deferred`. The worker
// takes the asks queued when its turn comes, serves them with one round on its own fiber and answers
// each: no wait gets a snapshot older than its ask, and asks made during a round are the next round's.
//
// A round runs under the client's own settings, never a wait's: the budget of its worker (waits under
// different `RateBudget`s never share a round), no retry past the nearest deadline of the waits it
// serves, and a span of its own. Interrupting a wait marks its ask gone and nothing else; a round all
// of whose asks are gone is interrupted, which aborts its requests.
//
// A round of few waits describes them; a crowd's round (three waits joined or more) pages through the
// assistant's listing (its Processing operations, or its files) and describes only what left it or was
// not on it. A crowd's rounds gather the asks of the next 100 ms and are spaced by what a listing costs
// (100 ms a page, at most 5 s). Whether a listing pays is a bet: it goes on to a next page only while its
// pages so far, with what earlier listings saved, cost at most one page, plus one for every 20 describes
// the worker sent, more than they answered. So a worker's listings cost at most that much more than the
// describes they replace, a listing that lost is tried again later, and waits whose polls are gathered
// never poll more often than alone. A listing the server cannot serve is given up for the worker's life.
// A `Retry-After` answered to a round holds every round back until it passes; an ask whose deadline
// comes before then is answered at once with that error.
//
// `Request`/`RequestResolver` batching joins only requests made together by one fiber, not
// independent fibers asking at different moments: hence a worker with a queue.
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import * as RcMap from "effect/RcMap"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import type * as AssistantClientModule from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import type * as AssistantFile from "../../AssistantFile.js"
import type * as Operation from "../../Operation.js"
import type * as RateBudget from "../../RateBudget.js"
import { paginate } from "../client/paginate.js"
import { currentRetryDeadline } from "../http.js"
import { currentBudget } from "../throttle/budget.js"

type Client = AssistantClientModule.Service

/** A snapshot of one target, or why the round could not get one. @internal */
export type Result<A> = Either.Either<A, AssistantError.CallError>

/** What the waits of one kind poll: one target's describe, and the listing that answers many. @internal */
export interface Resource<A> {
  readonly key: "operations" | "files"
  readonly describe: (client: Client, assistantName: string, id: string) => Effect.Effect<A, AssistantError.CallError>
  readonly page: (
    client: Client,
    assistantName: string,
    token: string | undefined
  ) => Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<string>], AssistantError.CallError>
  readonly id: (a: A) => string
}

/** Operations: the listing is of the assistant's Processing ones. @internal */
export const operations: Resource<Operation.Operation> = {
  key: "operations",
  describe: (client, assistantName, operationId) => client.describeOperation({ assistantName, operationId }),
  page: (client, assistantName, token) =>
    Effect.map(
      client.listOperationsPage({ assistantName, status: "Processing", limit: 100, paginationToken: token }),
      (page) => [page.operations, page.next] as const
    ),
  id: (op) => op.id
}

/** Files: the listing is of all the assistant's files. @internal */
export const files: Resource<AssistantFile.AssistantFile> = {
  key: "files",
  describe: (client, assistantName, fileId) => client.describeFile({ assistantName, fileId }),
  page: (client, assistantName, token) =>
    Effect.map(
      client.listFilesPage({ assistantName, limit: 100, paginationToken: token }),
      (page) => [page.files, page.next] as const
    ),
  id: (file) => file.id
}

const resources: { readonly [K in Resource<unknown>["key"]]: Resource<any> } = { operations, files }

/** A listing that lost its bet may cost one more page for every this many describes. @internal */
export const describesPerPageOfBet = 20

/** From this many waits (or ids) in a round, a listing is tried before describes. @internal */
export const roundListThreshold = 3

/** A crowd's rounds start at least this long apart per page of the last listing... @internal */
export const spacingPerPage = Duration.millis(100)
/** ...and never more than this. @internal */
export const maxSpacing = Duration.seconds(5)

/** The round an ask is being served by: interrupted once none of its asks is waiting. */
interface Serving {
  live: number
  fiber: Fiber.RuntimeFiber<unknown, unknown> | undefined
}

/** One wait's request for fresh snapshots of `ids`. */
interface Ask<A> {
  readonly ids: ReadonlyArray<string>
  /** Epoch ms on the Clock (Infinity: none): the round's calls never retry past it. */
  readonly deadline: number
  readonly answer: Deferred.Deferred<ReadonlyMap<string, Result<A>>>
  /** The asking wait's span: a round for it alone runs under it, a shared round links to it. */
  readonly span: Option.Option<Tracer.AnySpan>
  gone: boolean
  serving: Serving | undefined
}

/** One worker's state: what shapes its rounds; it is the handle of the waits it serves. */
interface Worker<A> extends Handle<A> {
  readonly resource: Resource<A>
  readonly client: Client
  readonly assistantName: string
  readonly queue: Queue.Queue<Ask<A>>
  /** Waits joined (their number makes a crowd before they ask). */
  waits: number
  /** Pages of the last listing. */
  pages: number
  lastRound: number
  /** No round starts before this: a Retry-After the server answered... */
  notBefore: number
  /** ...with this error. */
  held: AssistantError.CallError | undefined
  /**
   * Ids the listings answered less the pages they cost (negative: what listings cost beyond the
   * describes they saved). A listing goes on to its next page only while this stays above the
   * allowance, so that this worker's listings cost at most one request, plus one for every
   * {@link describesPerPageOfBet} describes it sent, more than the describes they replace.
   */
  credit: number
  /** Describes this worker sent. */
  described: number
  /** The server cannot serve the listing (a token cycle, a malformed page, a 501): describes only. */
  unlistable: boolean
}

/** A wait's handle on its worker, held for the wait's life. @internal */
export interface Handle<A> {
  /** Fresh snapshots of `ids`, from the worker's next round. */
  readonly snapshots: (ids: ReadonlyArray<string>, deadline: number) => Effect.Effect<ReadonlyMap<string, Result<A>>>
}

/** The coordination of one client. @internal */
export interface Coordination {
  /** Joins the worker of `resource` for the assistant under the calling fiber's budget, for the scope's life. */
  readonly join: <A>(resource: Resource<A>, assistantName: string) => Effect.Effect<Handle<A>, never, Scope.Scope>
}

/** Where a client keeps its coordination (a user-made `Service` has none: its waits poll alone). @internal */
export const CoordinationId: unique symbol = Symbol.for("@effect-pinecone/core/Coordination") as any

/** @internal */
export const coordinationOf = (client: Client): Coordination | undefined =>
  (client as unknown as { readonly [CoordinationId]?: Coordination })[CoordinationId]

/** The client with its coordination attached. @internal */
export const attach = (client: Client, coordination: Coordination): Client =>
  Object.assign(client, { [CoordinationId]: coordination })

const answerWith = <A>(ask: Ask<A>, error: AssistantError.CallError) => {
  const failed: Result<A> = Either.left(error)
  Deferred.unsafeDone(ask.answer, Effect.succeed(new Map(ask.ids.map((id) => [id, failed]))))
}

/** @internal */
export const processingPages = (client: Client, assistantName: string, maxPages: number) =>
  paginate((token) =>
    Effect.map(
      client.listOperationsPage({ assistantName, status: "Processing", limit: 100, paginationToken: token }),
      (page) => [[page], page.next] as const
    )
  ).pipe(Stream.take(maxPages), Stream.runCollect, Effect.map((pages) => Array.from(pages)))

// How long the worker waits before a round: a crowd's round gathers what is asked within a window
// (one spacing per page), its rounds are spaced by the listing's cost; any round waits out a Retry-After.
const turnOf = <A>(w: Worker<A>, now: number) => {
  // a window is worth it only for a crowd whose listing can answer it
  if (w.waits < roundListThreshold || w.unlistable || w.credit < allowance(w)) return Math.max(0, w.notBefore - now)
  const spacing = Math.min(w.pages * Duration.toMillis(spacingPerPage), Duration.toMillis(maxSpacing))
  return Math.max(Duration.toMillis(spacingPerPage), w.lastRound + spacing - now, w.notBefore - now)
}

const holdBack = <A>(w: Worker<A>, error: AssistantError.CallError) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.sync(() => {
      const after = AssistantError.retryAfterOf(error)
      if (Option.isNone(after)) return
      const until = now + Duration.toMillis(after.value)
      if (until > w.notBefore) {
        w.notBefore = until
        w.held = error
      }
    }))

// What the listings may cost beyond the describes they saved: one page, and one more for every
// `describesPerPageOfBet` describes sent (a bet that lost is tried again, later, within 5 % of the describes).
const allowance = <A>(w: Worker<A>) => -Math.floor(w.described / describesPerPageOfBet)

// The listing's entries among `ids`, page after page while the pages so far (with the worker's credit)
// stay within the allowance, and are fewer than the ids. Left: a
// transient error, which every wait rides out. A listing the server cannot serve (a token cycle, a
// malformed page, a 501) is given up.
const listed = <A>(w: Worker<A>, ids: ReadonlySet<string>) =>
  paginate((token) =>
    Effect.map(w.resource.page(w.client, w.assistantName, token), ([items, next]) => [[items], next] as const)
  ).pipe(
    Stream.runFoldWhile(
      { byId: new Map<string, A>(), pages: 0 },
      (acc) => acc.pages < ids.size && w.credit + acc.byId.size - acc.pages >= allowance(w),
      (acc, items) => {
        for (const a of items) if (ids.has(w.resource.id(a))) acc.byId.set(w.resource.id(a), a)
        acc.pages++
        return acc
      }
    ),
    Effect.map(Option.some),
    Effect.catchIf(
      (error) => !AssistantError.isTransient(error),
      () => Effect.sync(() => (w.unlistable = true, Option.none<{ byId: Map<string, A>; pages: number }>()))
    )
  )

const round = <A>(w: Worker<A>, ids: ReadonlyArray<string>): Effect.Effect<Map<string, Result<A>>> =>
  Effect.gen(function*() {
    const results = new Map<string, Result<A>>()
    const crowd = Math.max(w.waits, ids.length)
    const listable = !w.unlistable && w.credit >= allowance(w)
    if (listable && crowd >= roundListThreshold && ids.length >= roundListThreshold) {
      const listing = yield* Effect.either(listed(w, new Set(ids)))
      if (Either.isLeft(listing)) {
        yield* holdBack(w, listing.left)
        const failed: Result<A> = Either.left(listing.left)
        for (const id of ids) results.set(id, failed)
        return results
      }
      if (Option.isSome(listing.right)) {
        const { byId, pages } = listing.right.value
        for (const id of ids) {
          const a = byId.get(id)
          if (a !== undefined) results.set(id, Either.right(a))
        }
        w.pages = Math.max(1, pages)
        w.credit += results.size - pages
      }
    }
    yield* Effect.forEach(ids, (id) =>
      results.has(id) ? Effect.void : Effect.flatMap(
        Effect.either(Effect.suspend(() => (w.described++, w.resource.describe(w.client, w.assistantName, id)))),
        (result) =>
          Effect.zipRight(
            Either.isLeft(result) ? holdBack(w, result.left) : Effect.void,
            Effect.sync(() => void results.set(id, result))
          )
      ), { concurrency: 10, discard: true })
    return results
  })

// Asks that cannot be served before their deadline, a Retry-After holding rounds back, are told so at once.
const answerHeld = <A>(w: Worker<A>, asks: ReadonlyArray<Ask<A>>): Array<Ask<A>> =>
  asks.filter((ask) => {
    if (ask.gone) return false
    if (w.held === undefined || ask.deadline >= w.notBefore) return true
    answerWith(ask, w.held)
    return false
  })

// One round: the asks queued when the worker's turn comes, served together, each answered.
const serve = <A>(w: Worker<A>, first: Ask<A>): Effect.Effect<void> =>
  Effect.gen(function*() {
    const now = yield* Clock.currentTimeMillis
    const carry = answerHeld(w, [first, ...(yield* Queue.takeAll(w.queue))])
    if (carry.length === 0) return
    const turn = turnOf(w, now)
    // the waits woken at the same instant have asked by now
    yield* turn > 0 ? Effect.sleep(Duration.millis(turn)) : Effect.yieldNow()
    const asks = answerHeld(w, [...carry, ...(yield* Queue.takeAll(w.queue))])
    if (asks.length === 0) return
    w.lastRound = yield* Clock.currentTimeMillis
    const ids = Array.from(new Set(asks.flatMap((a) => a.ids)))
    const deadline = asks.reduce((d, a) => Math.min(d, a.deadline), Infinity)
    const serving: Serving = { live: asks.length, fiber: undefined }
    for (const a of asks) a.serving = serving
    const running = round(w, ids).pipe(
      Effect.locally(currentRetryDeadline, deadline),
      // a round for one wait is that wait's poll; a shared round is a trace of its own, linked to each wait's
      asks.length === 1 && Option.isSome(asks[0]!.span)
        ? Effect.withParentSpan(asks[0]!.span.value)
        : Effect.withSpan("OperationPoller.round", {
          root: true,
          captureStackTrace: false,
          links: asks.flatMap((a) =>
            Option.isSome(a.span) ? [{ _tag: "SpanLink" as const, span: a.span.value, attributes: {} }] : []
          ),
          attributes: {
            "pinecone.assistant.name": w.assistantName,
            "pinecone.round.resource": w.resource.key,
            "pinecone.round.ids": ids.length,
            "pinecone.round.asks": asks.length
          }
        })
    )
    const fiber = yield* Effect.fork(running)
    serving.fiber = fiber
    if (serving.live === 0) yield* Fiber.interruptFork(fiber)
    const exit = yield* Fiber.await(fiber)
    for (const a of asks) {
      a.serving = undefined
      // interrupted: all its asks were gone; a defect is each wait's
      Deferred.unsafeDone(a.answer, Exit.isSuccess(exit) ? Effect.succeed(exit.value) : Effect.failCause(exit.cause))
    }
  })

type Key = readonly [Resource<unknown>["key"], string, RateBudget.RateBudget | null]

/** The coordination of `client` (given lazily: it is built with it), in the scope of the client. @internal */
export const make = (client: () => Client): Effect.Effect<Coordination, never, Scope.Scope> =>
  Effect.map(
    RcMap.make({
      lookup: ([resource, assistantName, budget]: Key) =>
        Effect.gen(function*() {
          const queue = yield* Effect.acquireRelease(Queue.unbounded<Ask<unknown>>(), Queue.shutdown)
          const w: Worker<unknown> = {
            resource: resources[resource],
            client: client(),
            assistantName,
            queue,
            waits: 0,
            pages: 1,
            lastRound: -Infinity,
            notBefore: -Infinity,
            held: undefined,
            credit: 0,
            described: 0,
            unlistable: false,
            snapshots: (ids, deadline) => ask(w, ids, deadline)
          }
          // the worker runs under the client's settings and its own budget, never those of the wait
          // that happened to start it (its lookup runs on that wait's fiber)
          yield* Effect.forever(Effect.flatMap(Queue.take(queue), (first) => serve(w, first))).pipe(
            Effect.locally(currentBudget, Option.fromNullable(budget)),
            Effect.locally(currentRetryDeadline, Infinity),
            Effect.interruptible,
            Effect.forkScoped
          )
          return w
        })
    }),
    (workers): Coordination => ({
      // no generator or closure per wait here beyond the finalizer: thousands of waits hold a handle each
      join: <A>(resource: Resource<A>, assistantName: string) =>
        Effect.flatMap(FiberRef.get(currentBudget), (budget) =>
          Effect.flatMap(
            RcMap.get(workers, Data.tuple(resource.key, assistantName, Option.getOrNull(budget)) as Key),
            (worker) => {
              const w = worker as Worker<A>
              w.waits++
              // the scope's own finalizer: Effect.addFinalizer would keep a copy of the wait's FiberRefs
              return Effect.as(
                Effect.flatMap(Effect.scope, (scope) => Scope.addFinalizer(scope, leave(w))),
                w as Handle<A>
              )
            }
          ))
    })
  )

const leave = <A>(w: Worker<A>) => Effect.sync(() => void w.waits--)

const parentSpan = Effect.serviceOption(Tracer.ParentSpan)

const ask = <A>(
  w: Worker<A>,
  ids: ReadonlyArray<string>,
  deadline: number
): Effect.Effect<ReadonlyMap<string, Result<A>>> =>
  Effect.flatMap(Effect.zip(Deferred.make<ReadonlyMap<string, Result<A>>>(), parentSpan), ([answer, span]) => {
    const a: Ask<A> = { ids, deadline, answer, span, gone: false, serving: undefined }
    return Effect.zipRight(
      Queue.offer(w.queue, a),
      Effect.onInterrupt(Deferred.await(answer), () =>
        Effect.suspend(() => {
          a.gone = true
          const serving = a.serving
          // the last wait of a round in flight gone: its requests are aborted
          if (serving !== undefined && --serving.live === 0 && serving.fiber !== undefined) {
            return Fiber.interruptFork(serving.fiber)
          }
          return Effect.void
        }))
    )
  })

/**
 * A fresh snapshot of one target from the next shared round.
 * @internal
 */
export const snapshot = <A>(
  handle: Handle<A>,
  id: string,
  deadline: number
): Effect.Effect<A, AssistantError.CallError> =>
  Effect.flatMap(
    handle.snapshots([id], deadline),
    (results) => Either.match(results.get(id)!, { onLeft: Effect.fail, onRight: Effect.succeed })
  )
