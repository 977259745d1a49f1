// One wait's loop, whatever is waited on (an operation, an assistant): poll, step the caller's
// Schedule with the last snapshot, never past the deadline, ride out transient failures (never
// sooner than Retry-After), end on a terminal snapshot or with WaitTimeoutError.
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import type * as Tracer from "effect/Tracer"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { AssistantClient, withRetryDeadline } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import { maxTimerMillis } from "../http.js"

// Before any snapshot the schedule has no input to step on: transient failures are then spaced by
// this much (or the server's Retry-After, if longer).
const noSnapshotDelay = Duration.seconds(1)

/**
 * Steps `schedule` with `input` at `now` and returns the delay until the next poll, in whole
 * milliseconds (so that jitter cannot make the clock drift off the deadline) and never past the
 * deadline, so that the last poll happens at it; `None` once the deadline or the schedule is over.
 */
/** @internal */
export const nextDelay = <In, R>(
  schedule: Schedule.Schedule<unknown, In, R>,
  state: { value: unknown },
  input: In,
  now: number,
  deadline: number
): Effect.Effect<Option.Option<number>, never, R> => {
  if (now >= deadline) return Effect.succeed(Option.none())
  return Effect.map(schedule.step(now, input, state.value), ([next, , decision]) => {
    if (ScheduleDecision.isDone(decision)) return Option.none()
    state.value = next
    const delay = Math.max(0, Math.round(ScheduleIntervals.start(decision.intervals) - now))
    return Option.some(Math.min(delay, deadline - now, maxTimerMillis))
  })
}

/** What one wait polls, and how it reads a snapshot. @internal */
export interface Poll<A, R> {
  /** One poll (its span's parent is set around it). */
  readonly fetch: (client: AssistantClientModule.Service) => Effect.Effect<A, AssistantError.CallError>
  readonly isTerminal: (snapshot: A) => boolean
  /** The span attribute set to each snapshot's status, and the status. */
  readonly statusAttribute: string
  readonly status: (snapshot: A) => string
  readonly schedule: Schedule.Schedule<unknown, A, R>
  readonly timeout: Duration.DurationInput
  readonly lastPollTimeout: Duration.DurationInput
  readonly onRetry: ((error: AssistantError.CallError) => Effect.Effect<void>) | undefined
  readonly onSnapshot: ((snapshot: A) => Effect.Effect<void>) | undefined
  /**
   * For this long from the first poll, a 404 is ridden out like a transient failure: what the
   * program itself just started may not be visible yet on an eventually consistent service.
   */
  readonly notFoundGrace?: Duration.DurationInput | undefined
  readonly timedOut: (wait: {
    readonly last: Option.Option<A>
    readonly lastError: Option.Option<AssistantError.CallError>
    readonly elapsed: Duration.Duration
    readonly polls: number
  }) => AssistantError.WaitTimeoutError
}

/** A wait's loop, or any step of it. */
type Loop<A, R> = Effect.Effect<A, AssistantError.CallError | AssistantError.WaitTimeoutError, AssistantClient | R>

/**
 * Polls until a terminal snapshot, written without generators or finalizers: a wait parked between
 * polls holds only its state and one continuation, so that thousands of them stay small. The
 * wait's span gets its poll count and last status as they change.
 * @internal
 */
export const pollUntil = <A, R>(config: Poll<A, R>, span: Tracer.Span): Loop<A, R> =>
  Effect.flatMap(AssistantClient, (client) =>
    Effect.flatMap(Clock.currentTimeMillis, (start) => {
      const schedule = config.schedule
      const timeout = Duration.decode(config.timeout)
      const lastPollMillis = Duration.toMillis(Duration.decode(config.lastPollTimeout))
      const deadline = Duration.isFinite(timeout) ? start + Duration.toMillis(timeout) : Infinity
      const scheduleState = { value: schedule.initial }
      let last = Option.none<A>()
      let lastError = Option.none<AssistantError.CallError>()
      let polls = 0

      const timedOut = (now: number) =>
        config.timedOut({ last, lastError, elapsed: Duration.millis(now - start), polls })
      const failTimedOut = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(timedOut(now)))

      // The wait's span is the parent of each poll's span only while that poll runs: a wait parked
      // between polls then keeps no context of its own (it costs kilobytes per parked fiber). Its
      // retries never wait out a Retry-After past the deadline.
      const fetch = Effect.suspend(() =>
        Effect.either(
          Effect.withParentSpan(config.fetch(client), span).pipe(
            deadline === Infinity ? (effect) => effect : withRetryDeadline(deadline)
          )
        )
      )
      const poll = (now: number) => {
        const allowed = Math.max(0, deadline - now) + lastPollMillis
        return allowed > maxTimerMillis
          ? fetch
          : Effect.flatMap(
            Effect.timeoutOption(fetch, Duration.millis(allowed)),
            Option.match({ onNone: () => failTimedOut, onSome: Effect.succeed })
          )
      }

      const sleepThenPoll = (retryAfter: Option.Option<Duration.Duration>) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          const delay: Effect.Effect<Option.Option<number>, never, R> = Option.isSome(last)
            ? nextDelay(schedule, scheduleState, last.value, now, deadline)
            : Effect.succeed(
              now >= deadline
                ? Option.none()
                : Option.some(Math.min(Duration.toMillis(noSnapshotDelay), deadline - now))
            )
          return Effect.flatMap(delay, (next) => {
            if (Option.isNone(next)) return Effect.fail(timedOut(now))
            // A server Retry-After lengthens the delay, still never past the deadline.
            const wait = Option.isNone(retryAfter)
              ? next.value
              : Math.min(Math.max(next.value, Duration.toMillis(retryAfter.value)), deadline - now, maxTimerMillis)
            return Effect.zipRight(Effect.sleep(Duration.millis(wait)), step)
          })
        })

      // A transient failure is ridden out, unless the server asks to wait past the deadline: then
      // the wait cannot succeed in its budget, and gives up at once (the error, with its
      // retryAfter, is the WaitTimeoutError's lastError).
      const graceMillis = config.notFoundGrace === undefined
        ? 0
        : Duration.toMillis(Duration.decode(config.notFoundGrace))
      const afterError = (error: AssistantError.CallError): Loop<A, R> =>
        error._tag === "NotFoundError" && graceMillis > 0 && Option.isNone(last)
          ? Effect.flatMap(
            Clock.currentTimeMillis,
            (now): Loop<A, R> => now - start < graceMillis ? rideOut(error) : Effect.fail(error)
          )
          : AssistantError.isTransient(error)
          ? rideOut(error)
          : Effect.fail(error)
      const rideOut = (error: AssistantError.CallError): Loop<A, R> => {
        lastError = Option.some(error)
        const retryAfter = AssistantError.retryAfterOf(error)
        const next = Effect.flatMap(Clock.currentTimeMillis, (now): Loop<A, R> =>
          Option.isSome(retryAfter) && now + Duration.toMillis(retryAfter.value) > deadline
            ? Effect.fail(timedOut(now))
            : sleepThenPoll(retryAfter))
        return config.onRetry === undefined ? next : Effect.zipRight(config.onRetry(error), next)
      }

      const afterPoll = (result: Either.Either<A, AssistantError.CallError>): Loop<A, R> => {
        if (Either.isLeft(result)) {
          return afterError(result.left)
        }
        const snapshot = result.right
        last = Option.some(snapshot)
        span.attribute(config.statusAttribute, config.status(snapshot))
        const next = config.isTerminal(snapshot) ? Effect.succeed(snapshot) : sleepThenPoll(Option.none())
        return config.onSnapshot === undefined ? next : Effect.zipRight(config.onSnapshot(snapshot), next)
      }

      const step: Loop<A, R> = Effect.suspend(() => {
        polls++
        span.attribute("pinecone.poll.count", polls)
        return Effect.flatMap(Effect.flatMap(Clock.currentTimeMillis, poll), afterPoll)
      })
      return step
    }))
