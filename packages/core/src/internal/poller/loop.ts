// One wait's loop, whatever is waited on (an operation, a file, an assistant): poll, step the
// caller's Schedule with the last snapshot, never past the deadline, ride out transient failures
// (never sooner than Retry-After), end on a terminal snapshot or with WaitTimeoutError.
//
// Thousands of waits park at once, so a parked wait is kept small: its state is one object, the
// steps are module functions taking it (no closures built per wait), and the wait's span and its
// hold on its coordinator's worker are let go by one `Effect.onExit` (each finalizer costs a fiber
// about a kilobyte of frames while it sleeps).
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import * as Scope from "effect/Scope"
import type * as Tracer from "effect/Tracer"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { AssistantClient } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import { withRetryDeadline } from "../client/retry.js"
import { maxTimerMillis } from "../http.js"
import * as Coordinator from "./coordinator.js"

// Before any snapshot the schedule has no input to step on: transient failures are then spaced by
// this much (or the server's Retry-After, if longer).
const noSnapshotMillis = 1000

/**
 * Steps `schedule` with `input` at `now` and returns the delay until the next poll, in whole
 * milliseconds (so that jitter cannot make the clock drift off the deadline) and never past the
 * deadline, so that the last poll happens at it; `None` once the deadline or the schedule is over.
 * @internal
 */
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

/** What one wait polls, how it reads a snapshot, and how it ends. @internal */
export interface Poll<A, B, E, R> {
  readonly spanName: string
  readonly spanAttributes: Record<string, unknown>
  /** One poll (the wait's span is its parent while it runs), when the wait polls alone. */
  readonly fetch: (client: AssistantClientModule.Service) => Effect.Effect<A, AssistantError.CallError>
  readonly isTerminal: (snapshot: A) => boolean
  /** What the terminal snapshot makes of the wait (inside its span). */
  readonly finish: (snapshot: A, client: AssistantClientModule.Service) => Effect.Effect<B, E>
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
  /**
   * The shared rounds that answer this wait's polls instead of `fetch`, for a client that coordinates:
   * the wait holds its worker for its life.
   */
  readonly coordinated?:
    | { readonly resource: Coordinator.Resource<A>; readonly assistantName: string; readonly id: string }
    | undefined
  readonly timedOut: (wait: {
    readonly last: Option.Option<A>
    readonly lastError: Option.Option<AssistantError.CallError>
    readonly elapsed: Duration.Duration
    readonly polls: number
  }) => AssistantError.WaitTimeoutError
}

/** A wait's loop, or any step of it. */
type Loop<B, E, R> = Effect.Effect<B, E | AssistantError.CallError | AssistantError.WaitTimeoutError, R>

/** One wait's state: all a parked wait holds besides its fiber and span. */
interface Wait<A, B, E, R> {
  readonly config: Poll<A, B, E, R>
  readonly span: Tracer.Span
  readonly client: AssistantClientModule.Service
  readonly start: number
  readonly deadline: number
  readonly lastPollMillis: number
  readonly graceMillis: number
  /** One poll: the client's describe, or an ask of the shared rounds. */
  fetch: Effect.Effect<A, AssistantError.CallError>
  /** The schedule's state (the name `nextDelay` reads). */
  value: unknown
  last: Option.Option<A>
  lastError: Option.Option<AssistantError.CallError>
  polls: number
  /** `step` of this wait, built once. */
  next: Loop<B, E, R>
}

const timedOut = <A, B, E, R>(w: Wait<A, B, E, R>, now: number) =>
  w.config.timedOut({ last: w.last, lastError: w.lastError, elapsed: Duration.millis(now - w.start), polls: w.polls })

// The wait's span is the parent of each poll's span only while that poll runs: a wait parked between
// polls then keeps no context of its own. Its retries never wait out a Retry-After past the deadline;
// a poll still in flight at the deadline gets `lastPollTimeout` more.
const poll = <A, B, E, R>(
  w: Wait<A, B, E, R>,
  now: number
): Effect.Effect<Either.Either<A, AssistantError.CallError>, AssistantError.WaitTimeoutError> => {
  const fetch = Effect.either(
    Effect.withParentSpan(w.fetch, w.span).pipe(
      w.deadline === Infinity ? (effect) => effect : withRetryDeadline(w.deadline)
    )
  )
  const allowed = Math.max(0, w.deadline - now) + w.lastPollMillis
  return allowed > maxTimerMillis ? fetch : Effect.flatMap(
    Effect.timeoutOption(fetch, Duration.millis(allowed)),
    Option.match({
      onNone: () => Effect.flatMap(Clock.currentTimeMillis, (at) => Effect.fail(timedOut(w, at))),
      onSome: Effect.succeed
    })
  )
}

const step = <A, B, E, R>(w: Wait<A, B, E, R>): Loop<B, E, R> => {
  w.polls++
  w.span.attribute("pinecone.poll.count", w.polls)
  return Effect.flatMap(
    Effect.flatMap(Clock.currentTimeMillis, (now) => poll(w, now)),
    (result) => afterPoll(w, result)
  )
}

const afterPoll = <A, B, E, R>(
  w: Wait<A, B, E, R>,
  result: Either.Either<A, AssistantError.CallError>
): Loop<B, E, R> => {
  if (Either.isLeft(result)) return afterError(w, result.left)
  const snapshot = result.right
  w.last = Option.some(snapshot)
  w.span.attribute(w.config.statusAttribute, w.config.status(snapshot))
  const next = w.config.isTerminal(snapshot) ? w.config.finish(snapshot, w.client) : sleepThenPoll(w, Option.none())
  return w.config.onSnapshot === undefined ? next : Effect.zipRight(w.config.onSnapshot(snapshot), next)
}

// A transient failure is ridden out, unless the server asks to wait past the deadline: then the wait
// cannot succeed in its budget, and gives up at once (the error, with its retryAfter, is the
// WaitTimeoutError's lastError).
const afterError = <A, B, E, R>(w: Wait<A, B, E, R>, error: AssistantError.CallError): Loop<B, E, R> =>
  error._tag === "NotFoundError" && w.graceMillis > 0 && Option.isNone(w.last)
    ? Effect.flatMap(
      Clock.currentTimeMillis,
      (now): Loop<B, E, R> => now - w.start < w.graceMillis ? rideOut(w, error) : Effect.fail(error)
    )
    : AssistantError.isTransient(error)
    ? rideOut(w, error)
    : Effect.fail(error)

const rideOut = <A, B, E, R>(w: Wait<A, B, E, R>, error: AssistantError.CallError): Loop<B, E, R> => {
  w.lastError = Option.some(error)
  const retryAfter = AssistantError.retryAfterOf(error)
  const next = Effect.flatMap(
    Clock.currentTimeMillis,
    (now): Loop<B, E, R> =>
      Option.isSome(retryAfter) && now + Duration.toMillis(retryAfter.value) > w.deadline
        ? Effect.fail(timedOut(w, now))
        : sleepThenPoll(w, retryAfter)
  )
  return w.config.onRetry === undefined ? next : Effect.zipRight(w.config.onRetry(error), next)
}

const sleepThenPoll = <A, B, E, R>(
  w: Wait<A, B, E, R>,
  retryAfter: Option.Option<Duration.Duration>
): Loop<B, E, R> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const delay: Effect.Effect<Option.Option<number>, never, R> = Option.isSome(w.last)
      ? nextDelay(w.config.schedule, w, w.last.value, now, w.deadline)
      : Effect.succeed(now >= w.deadline ? Option.none() : Option.some(Math.min(noSnapshotMillis, w.deadline - now)))
    return Effect.flatMap(delay, (next): Loop<B, E, R> => {
      if (Option.isNone(next)) return Effect.fail(timedOut(w, now))
      // A server Retry-After lengthens the delay, still never past the deadline.
      const millis = Option.isNone(retryAfter)
        ? next.value
        : Math.min(Math.max(next.value, Duration.toMillis(retryAfter.value)), w.deadline - now, maxTimerMillis)
      return Effect.zipRight(Effect.sleep(Duration.millis(millis)), w.next)
    })
  })

// What useSpan does when the span ends, here beside the worker's release in one finalizer.
const end = (span: Tracer.Span, held: Scope.CloseableScope | undefined, exit: Exit.Exit<unknown, unknown>) =>
  Effect.flatMap(
    FiberRef.get(FiberRef.currentTracerTimingEnabled),
    (timing) =>
      Effect.flatMap(Clock.currentTimeNanos, (now) => {
        if (span.status._tag !== "Ended") span.end(timing ? now : BigInt(0), exit)
        return held === undefined ? Effect.void : Scope.close(held, exit)
      })
  )

/**
 * Polls until a terminal snapshot, in a span of its own that gets its poll count and last status as
 * they change; ends with `finish` of that snapshot.
 * @internal
 */
export const pollUntil = <A, B, E, R>(config: Poll<A, B, E, R>): Loop<B, E, AssistantClient | R> =>
  Effect.flatMap(AssistantClient, (client) =>
    Effect.flatMap(Clock.currentTimeMillis, (start) =>
      Effect.flatMap(
        Effect.makeSpan(config.spanName, { captureStackTrace: false, attributes: config.spanAttributes }),
        (span) => {
          const timeout = Duration.decode(config.timeout)
          const w: Wait<A, B, E, R> = {
            config,
            span,
            client,
            start,
            deadline: Duration.isFinite(timeout) ? start + Duration.toMillis(timeout) : Infinity,
            lastPollMillis: Duration.toMillis(Duration.decode(config.lastPollTimeout)),
            graceMillis: config.notFoundGrace === undefined
              ? 0
              : Duration.toMillis(Duration.decode(config.notFoundGrace)),
            fetch: Effect.dieMessage("not joined"),
            value: config.schedule.initial,
            last: Option.none(),
            lastError: Option.none(),
            polls: 0,
            next: Effect.dieMessage("not started")
          }
          w.next = Effect.suspend(() => step(w))
          const coordination = config.coordinated === undefined ? undefined : Coordinator.coordinationOf(client)
          if (coordination === undefined) {
            // built at each poll, not kept: a parked wait holds no call's effects
            w.fetch = Effect.suspend(() => config.fetch(client))
            return Effect.onExit(w.next, (exit) => end(span, undefined, exit))
          }
          const { assistantName, id, resource } = config.coordinated!
          return Effect.flatMap(Scope.make(), (held) =>
            Effect.onExit(
              Effect.flatMap(Scope.extend(coordination.join(resource, assistantName), held), (handle) => {
                // built at each poll, not kept: a parked wait holds no ask's effects
                w.fetch = Effect.suspend(() => Coordinator.snapshot(handle, id, w.deadline))
                return w.next
              }),
              (exit) => end(span, held, exit)
            ))
        }
      )))
