// What the client and the emulator share about HTTP itself: the body cap, an AbortSignal as an
// Effect, the redacted header name, the timers' range and the wait's retry deadline, the request-id
// header, the wire rules as the client's Either, and a host made a base URL. A response's reading is
// internal/client/response.ts.
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import type * as AssistantError from "../AssistantError.js"
import { InvalidRequestError } from "./invalidRequest.js"
import * as Wire from "./wire.js"

/** @internal */
export const maxBodyBytes = 1024 * 1024

/**
 * Fails with `onAbort(reason)` once `signal` aborts, as fetch and undici fail a request in flight.
 * Raced against a transport of our own, it makes that transport honour its signal.
 * @internal
 */
export const abortedBy = <E>(signal: AbortSignal, onAbort: (reason: unknown) => E): Effect.Effect<never, E> =>
  Effect.async<never, E>((resume) => {
    const abort = () => resume(Effect.fail(onAbort(signal.reason)))
    if (signal.aborted) return abort()
    signal.addEventListener("abort", abort, { once: true })
    return Effect.sync(() => signal.removeEventListener("abort", abort))
  })

/** @internal */
export const redactApiKey = (names: ReadonlyArray<string | RegExp>): ReadonlyArray<string | RegExp> =>
  names.includes("api-key") ? names : [...names, "api-key"]

/**
 * The longest delay a timer can take: past it, Effect's timer never fires (and Node's fires at once).
 * Every delay of the library is capped to it.
 * @internal
 */
export const maxTimerMillis = 2 ** 31 - 1

/**
 * The deadline (epoch milliseconds on the Clock) of the wait a call runs in: a `Retry-After` past it
 * is not waited out.
 * @internal
 */
export const currentRetryDeadline: FiberRef.FiberRef<number> = globalValue(
  Symbol.for("@effect-pinecone/core/currentRetryDeadline"),
  () => FiberRef.unsafeMake(Infinity)
)

/** @internal */
export const capDelay = (delay: Duration.Duration): Duration.Duration =>
  Duration.lessThanOrEqualTo(delay, Duration.millis(maxTimerMillis)) ? delay : Duration.millis(maxTimerMillis)

/** @internal */
export const requestIdHeader = "x-pinecone-request-id"

/** A wire rule's answer as the client's: the value, or `InvalidRequestError`. @internal */
export const fromChecked = <A>(checked: Wire.Checked<A>): Either.Either<A, AssistantError.InvalidRequestError> =>
  checked._tag === "Ok"
    ? Either.right(checked.value)
    : Either.left(new InvalidRequestError({ parameter: checked.parameter, reason: checked.reason }))

/** One path segment, percent-encoded, or why it cannot be sent. @internal */
export const encodeSegment = (
  parameter: string,
  value: unknown
): Either.Either<string, AssistantError.InvalidRequestError> => fromChecked(Wire.encodeSegment(parameter, value))

/** A pagination token as a query parameter. @internal */
export const checkToken = (value: unknown): Either.Either<string, AssistantError.InvalidRequestError> =>
  fromChecked(Wire.checkToken(value))

/** A value to send as a header, or why it cannot be. @internal */
export const checkHeader = (
  parameter: string,
  value: string
): Either.Either<string, AssistantError.InvalidRequestError> => fromChecked(Wire.checkHeader(parameter, value))

/**
 * `https://` is added to a bare host; a trailing slash or `/assistant` suffix is dropped.
 * @internal
 */
export const normalizeHost = (
  host: string,
  allowInsecure: boolean
): Either.Either<string, AssistantError.InvalidRequestError> => {
  const fail = (reason: string) => Either.left(new InvalidRequestError({ parameter: "host", reason }))
  const trimmed = host.trim()
  if (trimmed.length === 0) return fail("must not be empty")
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return fail(`"${trimmed}" is not a URL`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return fail(`unsupported scheme ${url.protocol}`)
  if (url.username !== "" || url.password !== "") return fail("must not carry credentials")
  if (url.search !== "" || url.hash !== "") return fail("must not have a query or fragment")
  if (url.protocol === "http:" && !allowInsecure && !isLoopback(url.hostname)) {
    return fail(`plain http:// is only allowed to a loopback host (set allowInsecure to override): ${url.host}`)
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/assistant$/, "")
  return Either.right(`${url.origin}${path}`)
}

const isLoopback = (hostname: string): boolean => {
  const h = hostname.replace(/^\[|\]$/g, "").toLowerCase()
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)
}
