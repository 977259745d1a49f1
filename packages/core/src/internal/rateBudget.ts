import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import type * as AssistantError from "../AssistantError.js"
import type * as RateBudget from "../RateBudget.js"

/** The budget the calls of the current fiber draw on, set by `RateBudget.withBudget`. @internal */
export const currentBudget: FiberRef.FiberRef<Option.Option<RateBudget.RateBudget>> = FiberRef.unsafeMake(
  Option.none()
)

interface KindState {
  perMinute: number | undefined
  // the next free slot (the generic cell rate algorithm with no burst: requests evenly spaced)
  next: number
  pausedUntil: number
  sent: number
  tooManyRequests: number
  // when the requests of the last minute succeeded, to learn a limit from the first 429
  successes: Array<number>
  // learning a limit from the first 429: requests of the same minute still answered with success
  // during its pause were let through too, and raise the limit learnt
  learning: boolean
}

const window = 60_000

/** @internal */
export const make = (limits: RateBudget.Limits, adapt: boolean): RateBudget.RateBudget => {
  const state = (perMinute: number | undefined): KindState => ({
    perMinute: perMinute !== undefined && Number.isFinite(perMinute) && perMinute > 0 ? perMinute : undefined,
    next: -Infinity,
    pausedUntil: -Infinity,
    sent: 0,
    tooManyRequests: 0,
    successes: [],
    learning: false
  })
  const kinds: Record<RateBudget.Kind, KindState> = {
    uploads: state(limits.uploads),
    deletes: state(limits.deletes),
    reads: state(limits.reads),
    assistants: state(limits.assistants)
  }
  const take = (kind: RateBudget.Kind) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const k = kinds[kind]
      if (now >= k.pausedUntil) k.learning = false
      const at = Math.max(now, k.pausedUntil, k.perMinute === undefined ? -Infinity : k.next)
      if (k.perMinute !== undefined) k.next = at + window / k.perMinute
      k.sent++
      if (at <= now) return Effect.void
      // a caller interrupted before its slot gives it back
      return Effect.onInterrupt(Effect.sleep(Duration.millis(at - now)), () =>
        Effect.sync(() => {
          k.sent--
          if (k.perMinute !== undefined) k.next -= window / k.perMinute
        }))
    })
  const observe = (kind: RateBudget.Kind, error: Option.Option<AssistantError.CallError>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.sync(() => {
        const k = kinds[kind]
        k.successes = k.successes.filter((t) => t > now - window)
        if (Option.isNone(error)) {
          k.successes.push(now)
          if (k.learning && now < k.pausedUntil && k.perMinute !== undefined) k.perMinute++
          return
        }
        const e = error.value
        if (!("status" in e) || e.status !== 429) return
        k.tooManyRequests++
        // requests in flight together meet the same limit: only the first 429 of a pause adapts
        const adapted = now < k.pausedUntil
        const retryAfter = "retryAfter" in e ? Option.map(e.retryAfter, Duration.toMillis) : Option.none()
        k.pausedUntil = Math.max(k.pausedUntil, now + Option.getOrElse(retryAfter, () => 1000))
        if (!adapt || adapted) return
        k.learning = k.perMinute === undefined
        k.perMinute = k.perMinute === undefined
          ? Math.max(1, k.successes.length)
          : Math.max(1, k.perMinute * 0.9)
        k.next = Math.max(k.next, k.pausedUntil)
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
  return { take, observe, stats }
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
      const b = budget.value
      return Effect.zipRight(
        b.take(kind),
        Effect.tapBoth(effect, {
          onFailure: (e) => b.observe(kind, Option.some(e as unknown as AssistantError.CallError)),
          onSuccess: () => b.observe(kind, Option.none())
        })
      )
    })
