import { assert, describe, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as Bucket from "../src/internal/throttle/bucket.js"
import * as RateLimit from "../src/internal/throttle/perSecond.js"

const startTimes = (limit: number, requests: number) =>
  Effect.gen(function*() {
    const limiter = RateLimit.make(limit)
    const times: Array<number> = []
    const fiber = yield* Effect.forEach(
      Array.from({ length: requests }),
      () => limiter(Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => times.push(t)))),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.fork)
    yield* TestClock.adjust("1 hour")
    yield* Fiber.join(fiber)
    return times.sort((a, b) => a - b)
  })

describe("the shared token bucket", () => {
  it.effect("lets a full bucket through at once, then one request per 1/limit seconds", () =>
    Effect.gen(function*() {
      const times = yield* startTimes(10, 25)
      assert.deepStrictEqual(times.slice(0, 10), Array(10).fill(0))
      assert.deepStrictEqual(times.slice(10), Array.from({ length: 15 }, (_, i) => 100 * (i + 1)))
    }))

  it.effect("a limit under one per second still lets the first request through at once", () =>
    Effect.gen(function*() {
      const times = yield* startTimes(0.5, 3)
      assert.deepStrictEqual(times, [0, 2000, 4000])
    }))

  it.effect("an interrupted waiter gives its slot back: 100 interrupted at 1/s do not delay the next", () =>
    Effect.gen(function*() {
      const limiter = RateLimit.make(1)
      const started: Array<number> = []
      const record = Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => started.push(t)))
      yield* limiter(record)
      const waiting = yield* Effect.forEach(Array.from({ length: 100 }), () => Effect.fork(limiter(record)))
      yield* Effect.yieldNow()
      yield* Fiber.interruptAll(waiting)
      const next = yield* Effect.fork(limiter(record))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(next)
      assert.deepStrictEqual(started, [0, 1000])
    }))

  it.effect("an interrupted waiter gives back its own slot: the waiters after it are not crowded together", () =>
    Effect.gen(function*() {
      const limiter = RateLimit.make(1)
      const started: Array<readonly [string, number]> = []
      const record = (name: string) =>
        limiter(Effect.flatMap(Clock.currentTimeMillis, (t) => Effect.sync(() => started.push([name, t]))))
      yield* record("a")
      const b = yield* Effect.fork(record("b"))
      const c = yield* Effect.fork(record("c"))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(b)
      const d = yield* Effect.fork(record("d"))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(c)
      yield* Fiber.join(d)
      // d takes b's slot (1 s), c keeps its own (2 s): one request a second still
      assert.deepStrictEqual(started, [["a", 0], ["d", 1000], ["c", 2000]])
    }))

  it.effect("the bucket runs on the monotonic clock: the wall clock stepping back an hour does not stall it", () =>
    Effect.gen(function*() {
      const test = yield* Effect.clock
      let step = 0
      // a clock whose wall time jumps an hour back after the first reading; its monotonic time does not
      const wall = () => test.unsafeCurrentTimeMillis() - (step++ > 0 ? 3_600_000 : 0)
      const stepping: Clock.Clock = {
        [Clock.ClockTypeId]: Clock.ClockTypeId,
        unsafeCurrentTimeMillis: wall,
        currentTimeMillis: Effect.sync(wall),
        unsafeCurrentTimeNanos: () => test.unsafeCurrentTimeNanos(),
        currentTimeNanos: test.currentTimeNanos,
        sleep: (duration) => test.sleep(duration)
      }
      const limiter = RateLimit.make(1)
      const started: Array<bigint> = []
      const record = Effect.flatMap(Clock.currentTimeNanos, (t) => Effect.sync(() => started.push(t)))
      const fiber = yield* Effect.fork(
        Effect.withClock(Effect.forEach([1, 2, 3], () => limiter(record), { discard: true }), stepping)
      )
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      assert.deepStrictEqual(started.map((t) => Number(t / 1_000_000n)), [0, 1000, 2000])
    }))
})

describe("the token-bucket arithmetic both throttles share (plain numbers)", () => {
  it("bursts up to its size, then one slot per interval; a pause holds every slot; a slot given back is reused", () => {
    const bucket = Bucket.make(100, 3)
    const slots = [0, 0, 0, 0, 0].map(() => Bucket.reserve(bucket, 0))
    assert.deepStrictEqual(slots.map((s) => s.at), [0, 0, 0, 100, 200])
    Bucket.release(bucket, slots[4]!)
    assert.strictEqual(Bucket.reserve(bucket, 0).at, 200)
    const evenly = Bucket.make(1000)
    evenly.pausedUntil = 5000
    assert.deepStrictEqual([Bucket.reserve(evenly, 10).at, Bucket.reserve(evenly, 20).at], [5000, 6000])
    const unlimited = Bucket.make(0)
    assert.deepStrictEqual([Bucket.reserve(unlimited, 7).at, Bucket.reserve(unlimited, 7).at], [7, 7])
  })

  it("a slot given back is that slot, not the last one: the later ones keep their spacing", () => {
    const bucket = Bucket.make(100)
    const [a, b, c, d] = [0, 0, 0, 0].map(() => Bucket.reserve(bucket, 0))
    assert.deepStrictEqual([a!.at, b!.at, c!.at, d!.at], [0, 100, 200, 300])
    // the second and third callers stop waiting; the fourth still waits for 300
    Bucket.release(bucket, b!)
    Bucket.release(bucket, c!)
    assert.deepStrictEqual([Bucket.reserve(bucket, 10).at, Bucket.reserve(bucket, 10).at], [100, 200])
    // the next new slot comes after the fourth, never at the same time
    assert.strictEqual(Bucket.reserve(bucket, 10).at, 400)
    // the last slots given back shrink the bucket itself
    const e = Bucket.reserve(bucket, 10)
    Bucket.release(bucket, e)
    assert.strictEqual(Bucket.reserve(bucket, 10).at, e.at)
    // an idle bucket forgets the slots given back long ago: a new one is now
    const idle = Bucket.make(100)
    Bucket.reserve(idle, 0)
    Bucket.reserve(idle, 0)
    Bucket.release(idle, { at: 0, theoretical: -1000 })
    assert.strictEqual(Bucket.reserve(idle, 5000).at, 5000)
    assert.strictEqual(idle.holes.length, 0)
  })
})
