import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Scope from "effect/Scope"

interface Entry {
  readonly deadline: number
  readonly scope: Scope.CloseableScope
  expired: boolean
}

/**
 * A FiberRef an attempt runs with, as `update` makes it from the caller's value.
 * @internal
 */
export interface Local<A> {
  readonly ref: FiberRef.FiberRef<A>
  readonly update: (value: A) => A
}

/** @internal */
export const local = <A>(ref: FiberRef.FiberRef<A>, update: (value: A) => A): Local<A> => ({ ref, update })

/**
 * What an attempt runs with besides its Scope: services added to the caller's context, and other
 * FiberRefs. They are set and restored in the attempt's own region, instead of one `Effect.locally`
 * or `provideService` each (every one of those is an acquire/use/release of its own).
 * @internal
 */
export interface Enter {
  readonly context?: ((context: Context.Context<never>) => Context.Context<never>) | undefined
  readonly locals?: ReadonlyArray<Local<any>> | undefined
}

const noLocals: ReadonlyArray<Local<any>> = []

/**
 * A time limit for each attempt of a client, kept by one watchdog fiber per client. Each attempt
 * runs on the caller's fiber with a `Scope` of its own (the client ties the request's AbortSignal
 * to it with `HttpClient.withScope`) and whatever `enter` adds, all set in one region and given back
 * to the caller when the attempt ends, however it ends. The watchdog closes the scope at the
 * attempt's deadline, the transport aborts the request, and the attempt's failure becomes
 * `onTimeout`. No fiber is forked per attempt, unlike `Effect.timeout` (two per attempt) or a forked
 * attempt (one): a fork cost a tenth of a whole describe call. The scope is also closed when the
 * attempt fails or is interrupted, which aborts whatever the transport still holds. Every attempt
 * has the same limit, so deadlines are registered in order and the first pending one is always the
 * earliest; the watchdog sleeps until it on the Clock of the scope that made it (TestClock
 * included), parks with no timer when nothing is pending, and ends with that scope.
 * @internal
 */
export const make = (
  limit: Duration.Duration
): Effect.Effect<
  <A, E, R, E2>(
    effect: Effect.Effect<A, E, R | Scope.Scope>,
    onTimeout: () => E2,
    enter?: Enter
  ) => Effect.Effect<A, E | E2, Exclude<R, Scope.Scope>>,
  never,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const limitMillis = Duration.isFinite(limit) ? Duration.toMillis(limit) : Infinity
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
    const expireDue = Effect.suspend((): Effect.Effect<void> => {
      const now = clock.unsafeCurrentTimeMillis()
      const expired: Array<Entry> = []
      let next = parked
      for (const entry of pending) {
        if (entry.deadline > now) {
          next = Clock.sleep(Duration.millis(entry.deadline - now))
          break
        }
        pending.delete(entry)
        entry.expired = true
        expired.push(entry)
      }
      if (expired.length === 0) return next
      return Effect.zipRight(
        Effect.forEach(expired, (entry) => Scope.close(entry.scope, Exit.void), { discard: true }),
        next
      )
    })
    if (limitMillis !== Infinity) yield* Effect.forkScoped(Effect.forever(expireDue))

    return <A, E, R, E2>(
      effect: Effect.Effect<A, E, R | Scope.Scope>,
      onTimeout: () => E2,
      enter?: Enter
    ): Effect.Effect<A, E | E2, Exclude<R, Scope.Scope>> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Scope.make(), (scope) =>
          Effect.withFiberRuntime<A, E | E2, Exclude<R, Scope.Scope>>((fiber) => {
            const entry: Entry = { deadline: clock.unsafeCurrentTimeMillis() + limitMillis, scope, expired: false }
            if (limitMillis !== Infinity) {
              pending.add(entry)
              wake?.()
            }
            const context = fiber.currentContext
            const locals = enter?.locals ?? noLocals
            const saved = locals.map((l) => fiber.getFiberRef(l.ref))
            let set: Effect.Effect<void> = FiberRef.set(
              FiberRef.currentContext,
              Context.add(enter?.context === undefined ? context : enter.context(context), Scope.Scope, scope)
            )
            let reset: Effect.Effect<void> = FiberRef.set(FiberRef.currentContext, context)
            locals.forEach((l, i) => {
              set = Effect.zipRight(set, FiberRef.set(l.ref, l.update(saved[i])))
              reset = Effect.zipRight(reset, FiberRef.set(l.ref, saved[i]))
            })
            // the region is uninterruptible, so the failure branch runs on interruption too
            return Effect.zipRight(
              set,
              Effect.matchCauseEffect(restore(effect as Effect.Effect<A, E, Exclude<R, Scope.Scope>>), {
                onSuccess: (a) => {
                  // the body has been read in full: nothing to abort, and the open scope is left to the GC
                  pending.delete(entry)
                  return Effect.as(reset, a)
                },
                onFailure: (cause): Effect.Effect<A, E | E2> => {
                  pending.delete(entry)
                  const failed: Effect.Effect<never, E | E2> = entry.expired && !Cause.isInterruptedOnly(cause)
                    ? Effect.fail(onTimeout())
                    : Effect.failCause(cause)
                  return Effect.zipRight(Effect.zipRight(reset, Scope.close(scope, Exit.void)), failed)
                }
              })
            )
          }))
      )
  })
