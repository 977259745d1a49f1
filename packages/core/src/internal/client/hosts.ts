// Each assistant's data-plane host, from the control plane's describe-assistant: kept for the TTL,
// looked up once however many calls ask at once, a failed lookup not kept.
//
// The lookup runs on a fiber of the client's scope, never on a caller's: a caller that times out or
// is interrupted stops waiting for it, and nobody else notices. A host is dropped only if it is still
// the one that failed (a stale call's failure cannot evict a host another call just found), and a 404
// from a host is checked against the control plane once (single flight): if the assistant moved, its
// calls go to the new host. Effect's `Cache` runs its lookup on the first caller's fiber and can only
// invalidate whatever it holds, hence this small map.
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Assistant from "../../Assistant.js"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as internal from "../http.js"
import { currentBudget } from "../throttle/budget.js"
import type { Target } from "./call.js"
import type { Settings } from "./settings.js"

/** One assistant's host: being looked up, or found. */
interface Entry {
  readonly found: Deferred.Deferred<string, AssistantError.CallError>
  /** Known once found. */
  host: string | undefined
  lookedUpAt: number
  expiresAt: number
}

/** @internal */
export interface Hosts {
  /** The assistant's host: the one kept, or a lookup (joined if one is under way). */
  readonly get: (assistantName: string) => Effect.Effect<string, AssistantError.CallError>
  /** A host learnt otherwise (a create's answer). */
  readonly set: (assistantName: string, host: string) => Effect.Effect<void>
  /** Drops the assistant's host if it is still `host` (or every host of it, without one). */
  readonly invalidate: (assistantName: string, host?: string) => Effect.Effect<void>
  /**
   * `host` answered 404: the control plane is asked again (once, however many calls ask, and not for a
   * host found less than `recheckAfter` ago). The assistant's new host if it moved.
   */
  readonly recheck: (assistantName: string, host: string) => Effect.Effect<Option.Option<string>>
}

/** A host found this recently is not asked about again on a 404. @internal */
export const recheckAfter = Duration.seconds(10)

const capacity = 10_000

const unusable = (summary: string) =>
  new AssistantError.MalformedResponseError({ status: 200, reason: "Schema", summary, requestId: Option.none() })

// The assistant's host as the control plane describes it.
const hostOf = (
  settings: Settings,
  describeAssistant: (
    request: AssistantClient.DescribeAssistantRequest
  ) => Effect.Effect<Assistant.Assistant, AssistantError.CallError>,
  assistantName: string
) =>
  Effect.flatMap(describeAssistant({ assistantName }), (assistant) =>
    Option.match(assistant.host, {
      onNone: () => Effect.fail(unusable(`assistant ${assistantName} has no host`)),
      onSome: (host) =>
        Either.match(internal.normalizeHost(host, settings.allowInsecure), {
          onLeft: (e) => Effect.fail(unusable(`the host of assistant ${assistantName} is unusable: ${e.reason}`)),
          onRight: Effect.succeed
        })
    }))

/** @internal */
export const make = (
  settings: Settings,
  describeAssistant: (
    request: AssistantClient.DescribeAssistantRequest
  ) => Effect.Effect<Assistant.Assistant, AssistantError.CallError>
): Effect.Effect<Hosts, never, Scope.Scope> =>
  Effect.map(Effect.scope, (scope) => {
    const entries = new Map<string, Entry>()
    const ttl = Duration.toMillis(settings.hostTtl)
    const recheckMillis = Duration.toMillis(recheckAfter)

    const put = (assistantName: string, entry: Entry) => {
      entries.delete(assistantName)
      // the oldest assistant is forgotten first
      if (entries.size >= capacity) entries.delete(entries.keys().next().value!)
      entries.set(assistantName, entry)
    }

    // A new lookup, in the map before it starts: the callers that come meanwhile join it.
    const lookUp = (assistantName: string, now: number) => {
      const entry: Entry = {
        found: Deferred.unsafeMake(FiberId.none),
        host: undefined,
        lookedUpAt: now,
        expiresAt: Infinity
      }
      put(assistantName, entry)
      const run = hostOf(settings, describeAssistant, assistantName).pipe(
        Effect.onExit((exit) =>
          Effect.flatMap(Clock.currentTimeMillis, (at) =>
            Effect.suspend(() => {
              if (Exit.isSuccess(exit)) {
                entry.host = exit.value
                entry.lookedUpAt = at
                entry.expiresAt = at + ttl
              } else if (entries.get(assistantName) === entry) entries.delete(assistantName)
              return Deferred.done(entry.found, exit)
            }))
        ),
        // under the client's own settings, never the first caller's budget or deadline
        Effect.locally(currentBudget, Option.none()),
        Effect.locally(internal.currentRetryDeadline, Infinity),
        Effect.forkIn(scope)
      )
      return Effect.as(run, entry)
    }

    const current = (assistantName: string, now: number): Entry | undefined => {
      const entry = entries.get(assistantName)
      return entry !== undefined && (entry.host === undefined || now < entry.expiresAt) ? entry : undefined
    }

    const get = (assistantName: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.suspend(() => {
          const entry = current(assistantName, now)
          return entry === undefined
            ? Effect.flatMap(lookUp(assistantName, now), (e) => Deferred.await(e.found))
            : entry.host === undefined
            ? Deferred.await(entry.found)
            : Effect.succeed(entry.host)
        }))

    const set = (assistantName: string, host: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const found = Deferred.unsafeMake<string, AssistantError.CallError>(FiberId.none)
          Deferred.unsafeDone(found, Effect.succeed(host))
          put(assistantName, { found, host, lookedUpAt: now, expiresAt: now + ttl })
        }))

    const invalidate = (assistantName: string, host?: string) =>
      Effect.sync(() => {
        const entry = entries.get(assistantName)
        if (entry !== undefined && (host === undefined || entry.host === host)) entries.delete(assistantName)
      })

    const recheck = (assistantName: string, host: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.suspend(() => {
          const entry = current(assistantName, now)
          // found a moment ago: a 404 from it is the item's, not a move
          if (entry !== undefined && entry.host === host && now - entry.lookedUpAt < recheckMillis) {
            return Effect.succeedNone
          }
          const asked = entry === undefined || entry.host === host ? lookUp(assistantName, now) : Effect.succeed(entry)
          return Effect.flatMap(asked, (e) =>
            Effect.map(
              Effect.option(Deferred.await(e.found)),
              Option.filter((found) => found !== host)
            ))
        }))

    return { get, set, invalidate, recheck }
  })

/** Where an assistant's data-plane calls go: its discovered host. @internal */
export const target = (hosts: Hosts, assistantName: string): Target => ({
  host: hosts.get(assistantName),
  invalidate: (host) => hosts.invalidate(assistantName, host),
  recheck: (host) => hosts.recheck(assistantName, host)
})
