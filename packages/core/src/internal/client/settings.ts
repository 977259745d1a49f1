// A client's options, validated once into the settings every call reads.
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as RateBudget from "../../RateBudget.js"
import * as internal from "../http.js"
import * as RateLimit from "../throttle/perSecond.js"
import * as Params from "./params.js"
import * as Retry from "./retry.js"

/** @internal */
export const defaultHost = "https://prod-1-data.ke.pinecone.io"
/** @internal */
export const defaultControlHost = "https://api.pinecone.io"
/** @internal */
export const defaultHostTtl: Duration.Duration = Duration.minutes(10)
/** @internal */
export const defaultApiVersion = "2026-04"

/** @internal */
export interface Settings {
  readonly allowInsecure: boolean
  /** The one data-plane host, when given: no discovery. */
  readonly explicitHost: string | undefined
  readonly controlHost: string
  readonly hostTtl: Duration.Duration
  readonly apiKey: string
  readonly apiVersion: string
  readonly requestTimeout: Duration.Duration
  readonly requestTimeoutMillis: number
  readonly maxRetryAfterMillis: number
  /** `maxRequestsPerSecond`'s token bucket, or nothing. */
  readonly limiter: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  readonly ownBudget: Option.Option<RateBudget.RateBudget>
  readonly nativeUploads: AssistantClient.NativeUploadEncoder | undefined
  readonly uploadTimeout: Duration.Duration | undefined
  /** With Retry-After honoured; none for `retry: false`. */
  readonly retrySchedule: Schedule.Schedule<unknown, never> | undefined
  readonly httpSpans: boolean
  readonly transformClient: AssistantClient.Options["transformClient"]
}

/** @internal */
export const settingsOf = (
  options: AssistantClient.Options
): Effect.Effect<Settings, AssistantError.InvalidRequestError> =>
  Effect.gen(function*() {
    // checked in this order: the first unusable option is the error
    const allowInsecure = options.allowInsecure === true
    const explicitHost = options.host === undefined
      ? undefined
      : yield* internal.normalizeHost(options.host, allowInsecure)
    const controlHost = yield* internal.normalizeHost(options.controlHost ?? defaultControlHost, allowInsecure)
    const hostTtl = yield* Params.positiveDuration("hostTtl", options.hostTtl ?? defaultHostTtl)
    const apiKey = yield* internal.checkHeader("apiKey", Redacted.value(options.apiKey))
    const apiVersion = yield* internal.checkHeader("apiVersion", options.apiVersion ?? defaultApiVersion)
    const requestTimeout = yield* Params.positiveDuration("requestTimeout", options.requestTimeout ?? "30 seconds")
    const maxRetryAfter = yield* Params.positiveDuration(
      "maxRetryAfter",
      options.maxRetryAfter ?? Retry.defaultMaxRetryAfter
    )
    const limit = options.maxRequestsPerSecond
    if (limit !== undefined && !(Number.isFinite(limit) && limit > 0)) {
      return yield* new AssistantError.InvalidRequestError({
        parameter: "maxRequestsPerSecond",
        reason: "must be a positive number"
      })
    }
    const uploadTimeout = options.uploadTimeout === undefined
      ? undefined
      : yield* Params.positiveDuration("uploadTimeout", options.uploadTimeout)
    return {
      allowInsecure,
      explicitHost,
      controlHost,
      hostTtl,
      apiKey,
      apiVersion,
      requestTimeout,
      requestTimeoutMillis: Duration.isFinite(requestTimeout) ? Duration.toMillis(requestTimeout) : Infinity,
      maxRetryAfterMillis: Duration.toMillis(maxRetryAfter),
      limiter: limit === undefined ? identity : RateLimit.make(limit),
      ownBudget: Option.map(
        Option.fromNullable(options.rateBudget),
        (b) => typeof b === "string" ? RateBudget.make(b) : b
      ),
      nativeUploads: options.nativeUploads,
      uploadTimeout,
      retrySchedule: options.retry === false
        ? undefined
        : Retry.respectRetryAfter(options.retry ?? Retry.defaultRetrySchedule) as Schedule.Schedule<unknown, never>,
      httpSpans: options.httpSpans === true,
      transformClient: options.transformClient
    }
  })
