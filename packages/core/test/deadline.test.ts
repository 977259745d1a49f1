import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Supervisor from "effect/Supervisor"
import * as TestClock from "effect/TestClock"
import * as Deadline from "../src/internal/deadline.js"

const timedOut = () => "timeout" as const

describe("the per-client request deadline", () => {
  it.effect("each attempt fails at its own deadline, started at different times, with one watchdog", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const within = yield* Deadline.make(Duration.seconds(10)).pipe(Scope.extend(scope))
      const ended: Array<[number, string]> = []
      const attempt = (i: number, takes: Duration.DurationInput) =>
        within(Effect.as(Effect.sleep(takes), "done"), timedOut).pipe(
          Effect.either,
          Effect.flatMap((result) =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (t) => Effect.sync(() => ended.push([i, `${Either.merge(result)}@${t}`]))
            )
          ),
          Effect.fork
        )
      const fibers = [yield* attempt(0, "1 hour"), yield* attempt(1, "3 seconds")]
      yield* TestClock.adjust("4 seconds")
      fibers.push(yield* attempt(2, "1 hour"), yield* attempt(3, "9 seconds"))
      yield* TestClock.adjust("1 minute")
      yield* Fiber.joinAll(fibers)
      assert.deepStrictEqual(ended.sort((a, b) => a[0] - b[0]).map(([, e]) => e), [
        "timeout@10000",
        "done@3000",
        "timeout@14000",
        "done@13000"
      ])
      yield* Scope.close(scope, Exit.void)
    }))

  it.effect("a failure or defect of the attempt is kept as it is, not turned into a timeout", () =>
    Effect.gen(function*() {
      const within = yield* Deadline.make(Duration.seconds(1))
      const failed = yield* within(Effect.fail("boom" as const), timedOut).pipe(Effect.flip)
      assert.strictEqual(failed, "boom")
      const died = yield* within(Effect.die("bug"), timedOut).pipe(Effect.exit)
      assert.isTrue(Exit.isFailure(died) && Option.isSome(Exit.causeOption(died)))
      assert.notStrictEqual(Exit.isFailure(died) ? String(died.cause) : "", "")
    }).pipe(Effect.scoped))

  it.effect("interrupting the caller interrupts the attempt, whose finalizer has run when the interrupt returns", () =>
    Effect.gen(function*() {
      const within = yield* Deadline.make(Duration.seconds(30))
      let released = false
      const fiber = yield* within(
        Effect.never.pipe(Effect.ensuring(Effect.sync(() => (released = true)))),
        timedOut
      ).pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(fiber)
      assert.isTrue(released)
    }).pipe(Effect.scoped))

  it.effect("one watchdog lives as long as the scope, whatever the number of attempts; none is left after", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.track
      const alive = Effect.map(supervisor.value, (fibers) => fibers.filter((f) => f.unsafePoll() === null).length)
      yield* Effect.gen(function*() {
        const within = yield* Deadline.make(Duration.seconds(30))
        yield* Effect.forEach(Array.from({ length: 20 }, (_, i) => i), (i) => within(Effect.succeed(i), timedOut), {
          concurrency: "unbounded"
        })
        yield* TestClock.adjust("1 minute")
        assert.strictEqual(yield* alive, 1)
      }).pipe(Effect.scoped, Effect.supervised(supervisor))
      assert.strictEqual(yield* alive, 0)
    }))

  it.effect("an infinite limit forks nothing", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.track
      yield* Effect.gen(function*() {
        const within = yield* Deadline.make(Duration.infinity)
        const fiber = yield* within(Effect.never, timedOut).pipe(Effect.fork)
        yield* TestClock.adjust("1 day")
        assert.strictEqual((yield* supervisor.value).filter((f) => f.unsafePoll() === null).length, 1)
        yield* Fiber.interrupt(fiber)
      }).pipe(Effect.scoped, Effect.supervised(supervisor))
    }))
})
