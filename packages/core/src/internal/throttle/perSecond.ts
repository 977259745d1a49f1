import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Bucket from "./bucket.js"
import { slot } from "./wait.js"

/**
 * A token bucket of `limit` requests per second kept as arithmetic (the generic cell rate algorithm):
 * each caller reserves the next free slot and sleeps until it, so there is no refill fiber and no
 * timer per token, it follows whatever Clock is in context (TestClock included), and by any time t
 * at most `limit * (1 + t / 1 s)` requests have started. Time is the Clock's monotonic reading
 * (`currentTimeNanos`), so a step of the wall clock cannot stall it. A caller interrupted while it
 * waits for its slot gives the slot back.
 *
 * Effect's own `RateLimiter` is not used: it needs a Scope and a refill fiber per limiter (so `make`
 * of the client would need a Scope again), and rounds the interval up to whole milliseconds.
 * @internal
 */
export const make = (limit: number): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> => {
  // a limit under 1/s still lets its first request through at once
  const bucket = Bucket.make(1000 / limit, Math.max(1, limit))
  const take = Effect.flatMap(Clock.currentTimeNanos, (nanos) => slot(bucket, Number(nanos) / 1e6))
  return (effect) => Effect.zipRight(take, effect)
}
