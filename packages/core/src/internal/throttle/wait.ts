// The one wait of both throttles: a slot reserved on the Clock in context (TestClock included), slept
// until, and given back when its caller is interrupted before it, so that later callers are not kept
// waiting for requests that will never be sent.
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Bucket from "./bucket.js"

/** Waits for `bucket`'s next slot, `now` being the clock's reading in ms; `onRelease` runs if it is given back. @internal */
export const slot = (bucket: Bucket.Bucket, now: number, onRelease?: () => void): Effect.Effect<void> => {
  const slot = Bucket.reserve(bucket, now)
  if (slot.at <= now) return Effect.void
  return Effect.onInterrupt(Effect.sleep(Duration.millis(slot.at - now)), () =>
    Effect.sync(() => {
      Bucket.release(bucket, slot)
      onRelease?.()
    }))
}
