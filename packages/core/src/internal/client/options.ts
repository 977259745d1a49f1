/**
 * How an \`AssistantClient\` is configured: its \`Options\` and their defaults. \`AssistantClient\`
 * exports each of them too.
 *
 * @since 0.2.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Duration from "effect/Duration"
import type * as Redacted from "effect/Redacted"
import type * as Schedule from "effect/Schedule"
import type * as AssistantError from "../../AssistantError.js"
import type * as RateBudget from "../../RateBudget.js"
import type { NativeUploadEncoder } from "./requests.js"
import * as Retry from "./retry.js"
import * as Settings from "./settings.js"

/**
 * The control plane, where describe-assistant tells each assistant's data-plane host.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultControlHost: string = Settings.defaultControlHost

/**
 * How long a discovered host is kept before it is looked up again.
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultHostTtl: Duration.Duration = Settings.defaultHostTtl

/**
 * The API version this client is written against.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultApiVersion: string = Settings.defaultApiVersion

/**
 * Options of `AssistantClient.make` and `AssistantClient.layer`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Sent as `Api-Key`; never rendered in an error, log or span. */
  readonly apiKey: Redacted.Redacted
  /**
   * The data-plane host of every call (a bare host gets `https://`): no discovery. Default none: the
   * host of each assistant is found with the control plane's describe-assistant, cached per
   * assistant for `hostTtl`, looked up once however many calls ask at the same moment, and dropped
   * when that host stops answering (refused, DNS) or answers 404 where the API's 404 means the
   * assistant is not there (a listing, an upload or upsert). One client
   * then serves assistants on several hosts (US and EU).
   */
  readonly host?: string | undefined
  /** The control plane. Default {@link defaultControlHost}. */
  readonly controlHost?: string | undefined
  /** How long a discovered host is kept. Default {@link defaultHostTtl}. */
  readonly hostTtl?: Duration.DurationInput | undefined
  /** Sent as `X-Pinecone-Api-Version`. Default {@link defaultApiVersion}. */
  readonly apiVersion?: string | undefined
  /**
   * Time allowed for one attempt, body included. Default 30 seconds. At the limit the request is
   * aborted through its `AbortSignal` and the attempt fails with `TransportError` `Timeout`. Every
   * `@effect/platform` client (fetch, undici, node:http) and `Emulator.makeHttpClient` honour the
   * signal; an `HttpClient` of your own must too, or its attempts are not cut off.
   */
  readonly requestTimeout?: Duration.DurationInput | undefined
  /**
   * How transient failures are retried (its input is the error), or `false` for never. Default
   * {@link defaultRetrySchedule}. Whatever the schedule, a retry never comes sooner than the
   * server's `Retry-After`, and no delay is longer than the longest a timer can take (about 24.8 days).
   */
  readonly retry?: Schedule.Schedule<unknown, AssistantError.CallError> | false | undefined
  /**
   * The longest `Retry-After` the client waits out. Default 60 seconds. A server asking for longer
   * (or, inside a wait, for longer than the wait's remaining budget) ends the call at once with its
   * typed error, `retryAfter` on it, so that the caller can decide.
   */
  readonly maxRetryAfter?: Duration.DurationInput | undefined
  /** A budget shared by every request of this client (token bucket: bursts up to the limit). */
  readonly maxRequestsPerSecond?: number | undefined
  /**
   * Per-kind budgets (uploads, deletes, reads per minute) for every request of this client: a plan's
   * name (`"starter"`, ...) or a {@link RateBudget.RateBudget}. Default none. `RateBudget.withBudget`
   * sets one for the calls of an effect instead.
   */
  readonly rateBudget?: RateBudget.RateBudget | RateBudget.Plan | undefined
  /** Allow plain `http://` to a host that is not loopback. Default `false`. */
  readonly allowInsecure?: boolean | undefined
  /**
   * Also record `@effect/platform`'s `http.client` span for each attempt, as a child of the call's
   * span. Default `false`: the call's span is the client span and carries the HTTP attributes itself
   * (method, URL, server, status code, resend count), which spares a second span per request.
   */
  readonly httpSpans?: boolean | undefined
  /**
   * The longest an upload or upsert may take in all, attempts included. Default none: the request
   * timeout bounds only a stall (no byte sent or received for that long), so a large file on a slow
   * link is never cut off while it makes progress.
   */
  readonly uploadTimeout?: Duration.DurationInput | undefined
  /**
   * Wraps the `HttpClient` every call of this client uses (after the base URL and headers are set),
   * to add a header, log, or route requests: `transformClient: HttpClient.tapRequest(Console.log)`.
   */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /**
   * How this client's transport sends a file that is on the local disk itself. `NodeAssistantClient`
   * sets it for undici, which then reads a `NodeFileSource.fromPath` source with `fs.createReadStream`
   * (faster, and with less memory, than chunks passed through a `Stream`). Leave it unset with any
   * other `HttpClient`: every source then streams from its `open`.
   */
  readonly nativeUploads?: NativeUploadEncoder | undefined
}

/**
 * The default retry policy: at most 3 retries, exponential backoff from 250 ms with full jitter
 * (each delay uniform between zero and the backoff), the backoff capped at 20 seconds.
 *
 * @since 0.1.0
 * @category retry
 */
export const defaultRetrySchedule: Schedule.Schedule<unknown, unknown> = Retry.defaultRetrySchedule

/**
 * The default longest `Retry-After` a call waits out.
 *
 * @since 0.2.0
 * @category retry
 */
export const defaultMaxRetryAfter: Duration.Duration = Retry.defaultMaxRetryAfter
