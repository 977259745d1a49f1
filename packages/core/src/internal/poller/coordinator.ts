// Independent waits on one client and one assistant share their polls. Each wait asks for a fresh
// snapshot when its own Schedule says so. The first ask leads a round on its own fiber; the asks
// that come while that round waits for its turn or is in flight are answered together by the next
// round, led by the first of them, which starts after all of them: no wait gets a snapshot older than
// its ask. A round of few waits describes them; a crowd's round pages through the assistant's listing
// (its Processing operations, or its files) and describes only what left it or was not on it.
//
// A listing of L pages answers every wait in the crowd, but only the asks gathered when it starts:
// in a crowd (three independent waits or more), a round gathers the asks of the next 100 ms, and rounds are
// spaced by what a listing costs (L x 100 ms, at most 5 s), so that a round answers many asks for
// its pages. A `Retry-After` answered to a round holds every round back until
// it passes: a 429 storm slows the waits once, not once per wait.
//
// Rounds run on the waits' own fibers, not on a fiber of the coordinator's: a wait alone describes
// its target itself, exactly as before; interrupting a leader aborts its request in flight, and the
// asks it was answering ask again. `Request`/`RequestResolver` batching joins only requests made
// together by one fiber (`Effect.forEach` with batching), not independent fibers asking at different
// moments: hence this.
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { paginate } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import type * as AssistantFile from "../../AssistantFile.js"
import type * as Operation from "../../Operation.js"

type Client = AssistantClientModule.Service

/** A snapshot of one target, or why the round could not get one. @internal */
export type Result<A> = Either.Either<A, AssistantError.CallError>

/** What the waits of one kind poll: one target's describe, and the listing that answers many. @internal */
export interface Resource<A> {
  readonly key: string
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

type Answer<A> =
  | { readonly _tag: "Snapshot"; readonly results: ReadonlyMap<string, Result<A>> }
  | { readonly _tag: "Lead" }
  | { readonly _tag: "Again" }

interface Ask<A> {
  readonly ids: ReadonlyArray<string>
  readonly answer: Deferred.Deferred<Answer<A>>
}

interface Coordinator<A> {
  readonly resource: Resource<A>
  asks: Array<Ask<A>>
  leading: boolean
  /** Waits that joined (their size makes a crowd before they ask). */
  waits: number
  /** Pages of the last listing (a lower bound when it was cut short). */
  pages: number
  lastRound: number
  /** No round starts before this: a Retry-After the server answered. */
  notBefore: number
  /** The server's listing proved unusable (a token cycle, a malformed page): describes only. */
  unlistable: boolean
}

/** From this many waits (or ids) in a round, a listing is tried before describes. @internal */
export const roundListThreshold = 3

/** A crowd's rounds start at least this long apart per page of the last listing... @internal */
export const spacingPerPage = Duration.millis(100)
/** ...and never more than this. @internal */
export const maxSpacing = Duration.seconds(5)

const coordinators = new WeakMap<Client, Map<string, Coordinator<any>>>()

const coordinatorOf = <A>(client: Client, assistantName: string, resource: Resource<A>): Coordinator<A> => {
  let byKey = coordinators.get(client)
  if (byKey === undefined) {
    byKey = new Map()
    coordinators.set(client, byKey)
  }
  const key = `${resource.key}\u0000${assistantName}`
  let coordinator = byKey.get(key)
  if (coordinator === undefined) {
    coordinator = {
      resource,
      asks: [],
      leading: false,
      waits: 0,
      pages: 1,
      lastRound: -Infinity,
      notBefore: -Infinity,
      unlistable: false
    }
    byKey.set(key, coordinator)
  }
  return coordinator
}

const again: Answer<never> = { _tag: "Again" }
const lead: Answer<never> = { _tag: "Lead" }

// The next round's leader is the first ask waiting; with none, the coordinator is idle.
const handOver = <A>(c: Coordinator<A>) => {
  const next = c.asks.shift()
  if (next === undefined) {
    c.leading = false
    // a crowd gone: the next one tries the listing again
    if (c.waits === 0) c.unlistable = false
  } else Deferred.unsafeDone(next.answer, Effect.succeed(lead))
}

/**
 * The first `maxPages` pages of the assistant's Processing operations (`waitForOperations` and the
 * rounds list them the same way).
 * @internal
 */
export const processingPages = (client: Client, assistantName: string, maxPages: number) =>
  paginate((token) =>
    Effect.map(
      client.listOperationsPage({ assistantName, status: "Processing", limit: 100, paginationToken: token }),
      (page) => [[page], page.next] as const
    )
  ).pipe(Stream.take(maxPages), Stream.runCollect, Effect.map((pages) => Array.from(pages)))

const crowdOf = <A>(c: Coordinator<A>, asks: ReadonlyArray<Ask<A>>) =>
  Math.max(c.waits, asks.reduce((n, a) => n + a.ids.length, 0))

// How long a round led now waits for its turn: a crowd's round gathers what is asked within a window
// (one spacing per page), and its rounds are spaced by the listing's cost; any round waits out a
// Retry-After.
const turnOf = <A>(c: Coordinator<A>, now: number) => {
  // a window is worth it only for independent waits whose listing can answer them
  if (c.waits < roundListThreshold || c.unlistable) return Math.max(0, c.notBefore - now)
  const spacing = Math.min(c.pages * Duration.toMillis(spacingPerPage), Duration.toMillis(maxSpacing))
  return Math.max(Duration.toMillis(spacingPerPage), c.lastRound + spacing - now, c.notBefore - now)
}

const holdBack = <A>(c: Coordinator<A>, error: AssistantError.CallError) =>
  Effect.flatMap(Clock.currentTimeMillis, (now) =>
    Effect.sync(() => {
      const after = AssistantError.retryAfterOf(error)
      if (Option.isSome(after)) c.notBefore = Math.max(c.notBefore, now + Duration.toMillis(after.value))
    }))

// The listing's entries by id, from at most `maxPages` pages (a listing that would cost more pages
// than the describes it saves is cut short). Left: a transient error, which every wait rides out.
const listed = <A>(client: Client, assistantName: string, c: Coordinator<A>, maxPages: number) =>
  paginate((token) =>
    Effect.map(c.resource.page(client, assistantName, token), ([items, next]) => [[items], next] as const)
  ).pipe(
    Stream.take(maxPages),
    Stream.runFold({ byId: new Map<string, A>(), pages: 0 }, (acc, items) => {
      for (const a of items) acc.byId.set(c.resource.id(a), a)
      acc.pages++
      return acc
    }),
    Effect.map((acc) => {
      c.pages = Math.max(1, acc.pages)
      return Option.some(acc.byId)
    }),
    // a listing the server cannot serve (a token cycle, a malformed page, a 501) is given up: the
    // describes then tell each wait its own error
    Effect.catchIf(
      (error) => !AssistantError.isTransient(error),
      () => Effect.sync(() => (c.unlistable = true, Option.none<Map<string, A>>()))
    )
  )

const round = <A>(
  client: Client,
  assistantName: string,
  c: Coordinator<A>,
  ids: ReadonlyArray<string>,
  crowd: number
): Effect.Effect<Map<string, Result<A>>> =>
  Effect.gen(function*() {
    const results = new Map<string, Result<A>>()
    // a listing is worth it while its pages stay fewer than the describes it saves
    const list = !c.unlistable && crowd >= roundListThreshold && ids.length >= Math.max(roundListThreshold, c.pages)
    if (list) {
      const listing = yield* Effect.either(listed(client, assistantName, c, Math.max(1, ids.length)))
      if (Either.isLeft(listing)) {
        yield* holdBack(c, listing.left)
        const failed: Result<A> = Either.left(listing.left)
        for (const id of ids) results.set(id, failed)
        return results
      }
      if (Option.isSome(listing.right)) {
        for (const id of ids) {
          const a = listing.right.value.get(id)
          if (a !== undefined) results.set(id, Either.right(a))
        }
      }
    }
    yield* Effect.forEach(ids, (id) =>
      results.has(id) ? Effect.void : Effect.flatMap(
        Effect.either(c.resource.describe(client, assistantName, id)),
        (result) =>
          Effect.zipRight(
            Either.isLeft(result) ? holdBack(c, result.left) : Effect.void,
            Effect.sync(() => void results.set(id, result))
          )
      ), { concurrency: 10, discard: true })
    return results
  })

const answerAll = <A>(asks: ReadonlyArray<Ask<A>>, answer: Answer<A>) => {
  for (const a of asks) Deferred.unsafeDone(a.answer, Effect.succeed(answer))
}

// Leads a round for its own ask and every ask waiting when its turn comes: answers them, hands over,
// returns its own results.
const leadRound = <A>(
  client: Client,
  assistantName: string,
  c: Coordinator<A>,
  own: Ask<A>
): Effect.Effect<ReadonlyMap<string, Result<A>>> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const turn = turnOf(c, now)
    // interrupted while waiting for its turn, before it took the others' asks: the next one leads
    const wait = turn > 0
      ? Effect.onInterrupt(Effect.sleep(Duration.millis(turn)), () => Effect.sync(() => handOver(c)))
      : Effect.yieldNow() // the waits woken at the same instant have asked by now
    return Effect.zipRight(
      wait,
      Effect.flatMap(Clock.currentTimeMillis, (start) => {
        const others = c.asks
        c.asks = []
        c.lastRound = start
        const ids = Array.from(new Set([...own.ids, ...others.flatMap((a) => a.ids)]))
        return round(client, assistantName, c, ids, crowdOf(c, [own, ...others])).pipe(
          Effect.onExit((exit) =>
            Effect.sync(() => {
              // a round that did not end well (interrupted, or a defect) answers nothing: the others ask again
              answerAll(others, Exit.isSuccess(exit) ? { _tag: "Snapshot", results: exit.value } : again)
              handOver(c)
            })
          )
        )
      })
    )
  })

/**
 * Fresh snapshots of `ids`, from the next round of the client's coordinator of `resource` for the
 * assistant. Interrupted, the ask leaves its round without disturbing the others.
 * @internal
 */
export const snapshots = <A>(
  client: Client,
  assistantName: string,
  resource: Resource<A>,
  ids: ReadonlyArray<string>
): Effect.Effect<ReadonlyMap<string, Result<A>>> =>
  Effect.flatMap(Deferred.make<Answer<A>>(), (answer) => {
    const c = coordinatorOf(client, assistantName, resource)
    const ask: Ask<A> = { ids, answer }
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
          ? Effect.succeed(a.results)
          : a._tag === "Lead"
          ? leadRound(client, assistantName, c, ask)
          : snapshots(client, assistantName, resource, ids)
      )
    )
  })

/**
 * A fresh snapshot of one target from the next shared round.
 * @internal
 */
export const snapshot = <A>(
  client: Client,
  assistantName: string,
  resource: Resource<A>,
  id: string
): Effect.Effect<A, AssistantError.CallError> =>
  Effect.flatMap(
    snapshots(client, assistantName, resource, [id]),
    (results) => Either.match(results.get(id)!, { onLeft: Effect.fail, onRight: Effect.succeed })
  )

/**
 * Joins a wait to the crowd of the client's coordinator of `resource` for the assistant, so that
 * rounds are shaped for all who wait, not only those asking at that instant; returns its leave.
 * @internal
 */
export const join = <B>(assistantName: string, resource: Resource<B>) => (client: Client): () => void => {
  const c = coordinatorOf(client, assistantName, resource)
  c.waits++
  return () => void c.waits--
}

/**
 * A fresh snapshot of the operation, from the next shared round.
 * @internal
 */
export const describeOperation = (
  client: Client,
  assistantName: string,
  operationId: string
): Effect.Effect<Operation.Operation, AssistantError.CallError> =>
  snapshot(client, assistantName, operations, operationId)
