import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as Scope from "effect/Scope"

interface Entry {
  readonly deadline: number
  readonly fiber: Fiber.RuntimeFiber<unknown, unknown>
  expired: boolean
}

/**
 * A time limit for each attempt of a client, kept by one watchdog fiber per client instead of
 * `Effect.timeout`'s two forked fibers per attempt (a timer fiber and the raced one), which cost
 * more than the rest of a describe call together. Each attempt runs in one forked child; the
 * watchdog sleeps until the earliest deadline on the Clock of the scope that made it (TestClock
 * included), interrupts the children that passed it, and parks with no timer when nothing is
 * pending. Every attempt has the same limit, so deadlines are registered in order and the first
 * pending one is always the earliest. The watchdog ends with the scope.
 * @internal
 */
export const make = (
  limit: Duration.Duration
): Effect.Effect<
  <A, E, R, E2>(effect: Effect.Effect<A, E, R>, onTimeout: () => E2) => Effect.Effect<A, E | E2, R>,
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    if (!Duration.isFinite(limit)) return (effect) => effect
    const limitMillis = Duration.toMillis(limit)
    const clock = yield* Effect.clock
    const pending = new Set<Entry>()
    let wake: (() => void) | undefined

    const parked = Effect.async<void>((resume) => {
      // an attempt may have registered after the watchdog found none pending and before it parked
      // (the fiber can yield in between): then there is nothing to wait for
      if (pending.size > 0) return resume(Effect.void)
      wake = () => {
        wake = undefined
        resume(Effect.void)
      }
      return Effect.sync(() => {
        wake = undefined
      })
    })
    const expireDue = Effect.withFiberRuntime<void>((watchdog) => {
      const now = clock.unsafeCurrentTimeMillis()
      for (const entry of pending) {
        if (entry.deadline > now) return Clock.sleep(Duration.millis(entry.deadline - now))
        pending.delete(entry)
        entry.expired = true
        entry.fiber.unsafeInterruptAsFork(watchdog.id())
      }
      return parked
    })
    yield* Effect.forkScoped(Effect.forever(expireDue))

    return <A, E, R, E2>(effect: Effect.Effect<A, E, R>, onTimeout: () => E2): Effect.Effect<A, E | E2, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Effect.fork(restore(effect)), (child) => {
          const entry: Entry = { deadline: clock.unsafeCurrentTimeMillis() + limitMillis, fiber: child, expired: false }
          pending.add(entry)
          wake?.()
          return Effect.flatMap(
            Effect.onInterrupt(restore(Fiber.await(child)), () => {
              pending.delete(entry)
              return Fiber.interrupt(child)
            }),
            (exit): Effect.Effect<A, E | E2, R> => {
              pending.delete(entry)
              return Exit.isFailure(exit) && entry.expired && Cause.isInterruptedOnly(exit.cause)
                ? Effect.fail(onTimeout())
                : exit
            }
          )
        })
      )
  })
