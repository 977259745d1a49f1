import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

/**
 * A token bucket of `limit` requests per second kept as arithmetic (the generic cell rate algorithm):
 * each caller reserves the next free slot and sleeps until it, so there is no refill fiber and no
 * timer per token, it follows whatever Clock is in context (TestClock included), and by any time t
 * at most `limit * (1 + t / 1 s)` requests have started.
 * @internal
 */
export const make = (limit: number): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> => {
  const interval = 1000 / limit
  // a limit under 1/s still lets its first request through at once
  const tolerance = Math.max(0, limit - 1) * interval
  let theoretical = -Infinity
  const take = Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const tat = Math.max(theoretical, now)
    const allowedAt = tat - tolerance
    theoretical = tat + interval
    return allowedAt <= now ? Effect.void : Effect.sleep(Duration.millis(allowedAt - now))
  })
  return (effect) => Effect.zipRight(take, effect)
}
