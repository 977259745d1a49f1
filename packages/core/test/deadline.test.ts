import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import * as Supervisor from "effect/Supervisor"
import * as TestClock from "effect/TestClock"
import * as Deadline from "../src/internal/deadline.js"

const timedOut = () => "timeout" as const

/**
 * Never answers; fails with "aborted" once the attempt's scope closes, as a transport does when its
 * request's AbortSignal aborts. It forks nothing.
 */
const hanging = (aborts: Array<string> = [], name = "") =>
  Effect.flatMap(Deferred.make<never, "aborted">(), (aborted) =>
    Effect.zipRight(
      Effect.flatMap(Scope.Scope, (scope) =>
        Scope.addFinalizer(
          scope,
          Effect.zipRight(Effect.sync(() => aborts.push(name)), Deferred.fail(aborted, "aborted"))
        )),
      Deferred.await(aborted)
    ))

/** A request on a transport honouring its signal: answers "done" after `takes` unless aborted first. */
const request = (takes: Duration.DurationInput, aborts: Array<string> = [], name = "") =>
  Effect.raceFirst(Effect.as(Effect.sleep(takes), "done" as const), hanging(aborts, name))

describe("the per-client request deadline", () => {
  it.effect("each attempt is aborted at its own deadline, started at different times, with one watchdog", () =>
    Effect.gen(function*() {
      const scope = yield* Scope.make()
      const within = yield* Deadline.make(Duration.seconds(10)).pipe(Scope.extend(scope))
      const ended: Array<[number, string]> = []
      const aborts: Array<string> = []
      const attempt = (i: number, takes: Duration.DurationInput) =>
        within(request(takes, aborts, String(i)), timedOut).pipe(
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
      // only the attempts over their limit were aborted; those that answered in time were not
      assert.deepStrictEqual(aborts.sort(), ["0", "2"])
      yield* Scope.close(scope, Exit.void)
    }))

  it.effect("a failure or defect of the attempt is kept as it is, and aborts what the attempt still holds", () =>
    Effect.gen(function*() {
      const within = yield* Deadline.make(Duration.seconds(1))
      const aborts: Array<string> = []
      const holding = <A, E>(effect: Effect.Effect<A, E>) =>
        Effect.zipRight(
          Effect.flatMap(Scope.Scope, (scope) => Scope.addFinalizer(scope, Effect.sync(() => aborts.push("held")))),
          effect
        )
      const failed = yield* within(holding(Effect.fail("boom" as const)), timedOut).pipe(Effect.flip)
      assert.strictEqual(failed, "boom")
      const died = yield* within(holding(Effect.die("bug")), timedOut).pipe(Effect.exit)
      assert.isTrue(Exit.isFailure(died) && Option.isSome(Exit.causeOption(died)))
      assert.notStrictEqual(Exit.isFailure(died) ? String(died.cause) : "", "")
      assert.deepStrictEqual(aborts, ["held", "held"])
      const succeeded = yield* within(holding(Effect.succeed(1)), timedOut)
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(succeeded, 1)
      assert.deepStrictEqual(aborts, ["held", "held"])
    }).pipe(Effect.scoped))

  it.effect("interrupting the caller aborts the attempt before the interrupt returns", () =>
    Effect.gen(function*() {
      const within = yield* Deadline.make(Duration.seconds(30))
      const aborts: Array<string> = []
      const fiber = yield* within(request("1 hour", aborts, "a"), timedOut).pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      assert.deepStrictEqual(aborts, [])
      yield* Fiber.interrupt(fiber)
      assert.deepStrictEqual(aborts, ["a"])
    }).pipe(Effect.scoped))

  it.effect("an attempt that ignores its scope is not ended by the deadline (a transport must honour its signal)", () =>
    Effect.gen(function*() {
      const within = yield* Deadline.make(Duration.seconds(1))
      const fiber = yield* within(Effect.as(Effect.sleep("1 minute"), "done"), timedOut).pipe(Effect.fork)
      yield* TestClock.adjust("2 seconds")
      assert.isTrue(Option.isNone(yield* Fiber.poll(fiber)))
      yield* TestClock.adjust("1 minute")
      assert.strictEqual(yield* Fiber.join(fiber), "done")
    }).pipe(Effect.scoped))

  it.effect("one watchdog lives as long as the scope, whatever the number of attempts; no fiber per attempt", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.track
      const alive = Effect.map(supervisor.value, (fibers) => fibers.filter((f) => f.unsafePoll() === null).length)
      yield* Effect.gen(function*() {
        const within = yield* Deadline.make(Duration.seconds(30))
        const attempts = Array.from({ length: 20 }, () => within(hanging(), timedOut))
        const fibers = yield* Effect.forEach(attempts, (attempt) => Effect.fork(attempt))
        yield* TestClock.adjust("1 second")
        // the 20 callers and the watchdog: the attempts run on their callers' fibers
        assert.strictEqual(yield* alive, 21)
        yield* TestClock.adjust("1 minute")
        const results = yield* Effect.forEach(fibers, (f) => Effect.flip(Fiber.join(f)))
        assert.deepStrictEqual(new Set(results), new Set(["timeout"]))
      }).pipe(Effect.scoped, Effect.supervised(supervisor))
      assert.strictEqual(yield* alive, 0)
    }))

  it.effect("an infinite limit forks nothing and still aborts an interrupted attempt", () =>
    Effect.gen(function*() {
      const supervisor = yield* Supervisor.track
      const aborts: Array<string> = []
      yield* Effect.gen(function*() {
        const within = yield* Deadline.make(Duration.infinity)
        const fiber = yield* within(hanging(aborts, "a"), timedOut).pipe(Effect.fork)
        yield* TestClock.adjust("12 hours")
        assert.strictEqual((yield* supervisor.value).filter((f) => f.unsafePoll() === null).length, 1)
        yield* Fiber.interrupt(fiber)
        assert.deepStrictEqual(aborts, ["a"])
      }).pipe(Effect.scoped, Effect.supervised(supervisor))
    }))

  it.effect("an attempt runs with its services and FiberRefs; the caller's are back after it, however it ends", () =>
    Effect.gen(function*() {
      class Service extends Context.Tag("test/Service")<Service, string>() {}
      const label = FiberRef.unsafeMake("caller")
      const count = FiberRef.unsafeMake(1)
      const enter: Deadline.Enter = {
        context: (context) =>
          Context.add(context, Service, `${Context.getOrElse(context, Service, () => "none")}+attempt`),
        locals: [Deadline.local(label, (l) => `${l}+attempt`), Deadline.local(count, (n) => n + 1)]
      }
      const seen = Effect.all([Effect.serviceOption(Service), FiberRef.get(label), FiberRef.get(count), Scope.Scope])
      const caller = Effect.all([Effect.serviceOption(Service), FiberRef.get(label), FiberRef.get(count)])
      const within = yield* Deadline.make(Duration.seconds(10))
      const before = yield* caller
      const inside = yield* within(seen, timedOut, enter)
      assert.deepStrictEqual(inside.slice(0, 3), [Option.some("none+attempt"), "caller+attempt", 2])
      assert.deepStrictEqual(yield* caller, before)
      const ends: Array<Effect.Effect<unknown, unknown, Scope.Scope>> = [
        Effect.fail("failed"),
        Effect.die("defect"),
        Effect.interrupt,
        hanging()
      ]
      for (const end of ends) {
        const fiber = yield* within(Effect.zipRight(seen, end), timedOut, enter).pipe(Effect.exit, Effect.fork)
        yield* TestClock.adjust("10 seconds")
        assert.isTrue(Exit.isFailure(yield* Fiber.join(fiber)))
        assert.deepStrictEqual(yield* caller, before)
      }
      // the caller's own services are the base of the attempt's, and still its own after
      const provided = yield* within(Effect.serviceOption(Service), timedOut, enter).pipe(
        Effect.provideService(Service, "outer")
      )
      assert.deepStrictEqual(provided, Option.some("outer+attempt"))
    }).pipe(Effect.scoped))
})
