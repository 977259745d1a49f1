// How a call is retried: the default schedule, Retry-After honoured (never past `maxRetryAfter` or
// the deadline of the wait it runs in), and which failures are worth another attempt.
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import type * as Tracer from "effect/Tracer"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import type * as FileSource from "../../FileSource.js"
import * as internal from "../http.js"

const fullJitter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>) =>
  Schedule.modifyDelayEffect(self, (_, delay) =>
    Effect.map(
      Effect.randomWith((random) => random.next),
      (r) => Duration.millis(Math.floor(r * Duration.toMillis(delay)))
    ))

const capDelay = (max: Duration.DurationInput) => <Out, In, R>(self: Schedule.Schedule<Out, In, R>) =>
  Schedule.modifyDelay(self, (_, delay) => Duration.min(delay, max))

/** @internal */
export const defaultRetrySchedule: Schedule.Schedule<unknown, unknown> = Schedule.exponential("250 millis", 2).pipe(
  capDelay("20 seconds"),
  fullJitter,
  Schedule.intersect(Schedule.recurs(3))
)

/** @internal */
export const defaultMaxRetryAfter: Duration.Duration = Duration.seconds(60)

/** @internal */
export const respectRetryAfter = <Out, In, R>(self: Schedule.Schedule<Out, In, R>): Schedule.Schedule<Out, In, R> =>
  Schedule.zipWith(self, Schedule.identity<In>(), (out, input) => [out, input] as const).pipe(
    Schedule.modifyDelay(([, input], delay) =>
      internal.capDelay(Option.match(AssistantError.retryAfterOf(input), {
        onNone: () => delay,
        onSome: (retryAfter) => Duration.max(delay, retryAfter)
      }))
    ),
    Schedule.map(([out]) => out)
  )

/** @internal */
export const withRetryDeadline = (deadline: number) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.locally(effect, internal.currentRetryDeadline, deadline)

/** What an upload's retry rule needs to know of it. @internal */
export interface UploadRetry {
  /** A POST: each attempt that reaches the server creates a file. */
  readonly create: boolean
  readonly source: FileSource.FileSource
  /** Whether a first byte was sent. */
  readonly sent: () => boolean
}

/** The retry rules of one client. @internal */
export const rules = (maxRetryAfterMillis: number) => {
  // A transient failure is retried unless its Retry-After reaches past maxRetryAfter or the
  // deadline of the wait the call runs in.
  const retryAfterAllowed = (error: AssistantError.CallError): Effect.Effect<boolean> => {
    const retryAfter = AssistantError.retryAfterOf(error)
    if (Option.isNone(retryAfter)) return Effect.succeed(true)
    const millis = Duration.toMillis(retryAfter.value)
    if (millis > maxRetryAfterMillis) return Effect.succeed(false)
    return Effect.flatMap(FiberRef.get(internal.currentRetryDeadline), (deadline) =>
      deadline === Infinity
        ? Effect.succeed(true)
        : Effect.map(Clock.currentTimeMillis, (now) => now + millis <= deadline))
  }
  const retryable = (error: AssistantError.CallError): Effect.Effect<boolean> =>
    AssistantError.isTransient(error) ? retryAfterAllowed(error) : Effect.succeed(false)
  // An upload POST creates a file each time it reaches the server: it is retried only when the
  // server certainly did not take it (a 429 or 503 answer, a connection refused). A source that
  // cannot be replayed is never retried once its first byte was sent.
  const uploadRetryable = (upload: UploadRetry) => (error: AssistantClient.UploadError): Effect.Effect<boolean> => {
    if (error._tag === "FileSourceError") return Effect.succeed(false)
    if (upload.sent() && !upload.source.replayable) return Effect.succeed(false)
    if (!upload.create) return retryable(error)
    const refused = error._tag === "TransportError" && error.reason === "Transport" && error.code === "ECONNREFUSED"
    const declined = "status" in error && (error.status === 429 || error.status === 503)
    return refused || declined ? retryAfterAllowed(error) : Effect.succeed(false)
  }
  return { retryable, uploadRetryable }
}

/** `effect` retried by `schedule` while `retryWhile`, each resend counted on the span. @internal */
export const withRetry = <A, E>(
  schedule: Schedule.Schedule<unknown, never> | undefined,
  effect: Effect.Effect<A, E>,
  span: Tracer.Span,
  retryWhile: (error: E) => Effect.Effect<boolean>
): Effect.Effect<A, E> => {
  if (schedule === undefined) return effect
  let resends = 0
  const counted = Schedule.onDecision(schedule as Schedule.Schedule<unknown, E>, (_, decision) =>
    Effect.sync(() => {
      if (ScheduleDecision.isContinue(decision)) {
        span.attribute("http.request.resend_count", ++resends)
      }
    }))
  return Effect.retry(effect, { schedule: counted, while: retryWhile })
}
