// The poller's defaults, shared by the public module and the waits.
import * as Duration from "effect/Duration"
import * as Schedule from "effect/Schedule"

/** @internal */
export const defaultSchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("500 millis", 1.5).pipe(
  Schedule.modifyDelay((_, delay) => Duration.min(delay, "10 seconds")),
  Schedule.jitteredWith({ min: 0.8, max: 1 })
)

/** @internal */
export const defaultNotFoundGrace: Duration.Duration = Duration.seconds(10)

/** @internal */
export const defaultTimeout: Duration.Duration = Duration.minutes(30)

/** @internal */
export const listThreshold = 3
