import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import type * as AssistantError from "../../AssistantError.js"
import type * as RateBudget from "../../RateBudget.js"
import * as Bucket from "./bucket.js"
import { slot } from "./wait.js"

/** @internal */
export const TypeId: RateBudget.TypeId = Symbol.for("@effect-pinecone/core/RateBudget") as RateBudget.TypeId

/** How calls draw on a budget: its slots and what they met (not part of the public interface). */
interface Protocol {
  readonly take: (kind: RateBudget.Kind) => Effect.Effect<void>
  readonly observe: (kind: RateBudget.Kind, error: Option.Option<AssistantError.CallError>) => Effect.Effect<void>
}

const ProtocolId = Symbol.for("@effect-pinecone/core/RateBudget/protocol")

const protocolOf = (budget: RateBudget.RateBudget): Protocol =>
  (budget as unknown as { readonly [ProtocolId]: Protocol })[ProtocolId]

/** The budget the calls of the current fiber draw on, set by `RateBudget.withBudget`. @internal */
export const currentBudget: FiberRef.FiberRef<Option.Option<RateBudget.RateBudget>> = globalValue(
  Symbol.for("@effect-pinecone/core/currentBudget"),
  () => FiberRef.unsafeMake<Option.Option<RateBudget.RateBudget>>(Option.none())
)

interface KindState {
  perMinute: number | undefined
  // the slots: requests evenly spaced (no burst), held back by a pause
  readonly bucket: Bucket.Bucket
  sent: number
  tooManyRequests: number
  // when the requests of the last minute succeeded, to learn a limit from the first 429
  successes: Array<number>
  // learning a limit from the first 429: requests of the same minute still answered with success
  // during its pause were let through too, and raise the limit learnt
  learning: boolean
}

const window = 60_000

// a limit per minute as the ms between two requests; none: only pauses hold requests back
const spacing = (perMinute: number | undefined) => perMinute === undefined ? 0 : window / perMinute

/** @internal */
export const make = (limits: RateBudget.Limits, adapt: boolean): RateBudget.RateBudget => {
  const state = (perMinute: number | undefined): KindState => {
    const limit = perMinute !== undefined && Number.isFinite(perMinute) && perMinute > 0 ? perMinute : undefined
    return {
      perMinute: limit,
      bucket: Bucket.make(spacing(limit)),
      sent: 0,
      tooManyRequests: 0,
      successes: [],
      learning: false
    }
  }
  const kinds: Record<RateBudget.Kind, KindState> = {
    uploads: state(limits.uploads),
    deletes: state(limits.deletes),
    reads: state(limits.reads),
    assistants: state(limits.assistants)
  }
  const take = (kind: RateBudget.Kind) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const k = kinds[kind]
      if (now >= k.bucket.pausedUntil) k.learning = false
      k.sent++
      // a caller interrupted before its slot gives it back
      return slot(k.bucket, now, () => k.sent--)
    })
  const observe = (kind: RateBudget.Kind, error: Option.Option<AssistantError.CallError>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.sync(() => {
        const k = kinds[kind]
        k.successes = k.successes.filter((t) => t > now - window)
        if (Option.isNone(error)) {
          k.successes.push(now)
          if (k.learning && now < k.bucket.pausedUntil && k.perMinute !== undefined) {
            k.perMinute++
            Bucket.respace(k.bucket, spacing(k.perMinute))
          }
          return
        }
        const e = error.value
        if (!("status" in e) || e.status !== 429) return
        k.tooManyRequests++
        // requests in flight together meet the same limit: only the first 429 of a pause adapts
        const adapted = now < k.bucket.pausedUntil
        const retryAfter = "retryAfter" in e ? Option.map(e.retryAfter, Duration.toMillis) : Option.none()
        k.bucket.pausedUntil = Math.max(k.bucket.pausedUntil, now + Option.getOrElse(retryAfter, () => 1000))
        if (!adapt || adapted) return
        k.learning = k.perMinute === undefined
        k.perMinute = k.perMinute === undefined
          ? Math.max(1, k.successes.length)
          : Math.max(1, k.perMinute * 0.9)
        Bucket.respace(k.bucket, spacing(k.perMinute))
      }))
  const stats = Effect.sync(() => {
    const of = (k: KindState): RateBudget.KindStats => ({
      sent: k.sent,
      tooManyRequests: k.tooManyRequests,
      perMinute: Option.fromNullable(k.perMinute)
    })
    return {
      uploads: of(kinds.uploads),
      deletes: of(kinds.deletes),
      reads: of(kinds.reads),
      assistants: of(kinds.assistants)
    }
  })
  const budget: RateBudget.RateBudget = { [TypeId]: TypeId, stats }
  return Object.assign(budget, { [ProtocolId]: { take, observe } satisfies Protocol })
}

/**
 * Runs one request of `kind` inside the budget of the fiber (or the client's own): its slot first,
 * then the request, whose outcome the budget is told.
 * @internal
 */
export const budgeted =
  (fallback: Option.Option<RateBudget.RateBudget>, kind: RateBudget.Kind) =>
  <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(FiberRef.get(currentBudget), (current) => {
      const budget = Option.orElse(current, () => fallback)
      if (Option.isNone(budget)) return effect
      const b = protocolOf(budget.value)
      return Effect.zipRight(
        b.take(kind),
        Effect.tapBoth(effect, {
          onFailure: (e) => b.observe(kind, Option.some(e as unknown as AssistantError.CallError)),
          onSuccess: () => b.observe(kind, Option.none())
        })
      )
    })
