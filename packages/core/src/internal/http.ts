import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AssistantError from "../AssistantError.js"
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
    : Either.left(new AssistantError.InvalidRequestError({ parameter: checked.parameter, reason: checked.reason }))

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
 * `Retry-After` as seconds or an HTTP date, relative to `now` (ms since the epoch).
 * @internal
 */
export const parseRetryAfter = (value: string | undefined, now: number): Option.Option<Duration.Duration> =>
  Option.map(Option.fromNullable(Wire.retryAfterMillis(value, now)), Duration.millis)

/** @internal */
export type Body =
  | { readonly _tag: "Complete"; readonly bytes: Uint8Array }
  | { readonly _tag: "TooLarge" }

const emptyBody: Body = { _tag: "Complete", bytes: new Uint8Array(0) }

const concat = (chunks: ReadonlyArray<Uint8Array>, size: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const out = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Collects a byte stream until it ends or passes `limit` bytes, whichever comes first; stopping early
 * interrupts the stream, which releases the connection.
 * @internal
 */
export const collectBounded = <E>(stream: Stream.Stream<Uint8Array, E>, limit: number): Effect.Effect<Body, E> =>
  Stream.runFoldWhile(
    stream,
    { chunks: [] as Array<Uint8Array>, size: 0 },
    (state) => state.size <= limit,
    (state, chunk) => {
      state.chunks.push(chunk)
      state.size += chunk.length
      return state
    }
  ).pipe(
    Effect.map((state): Body =>
      state.size > limit ? { _tag: "TooLarge" } : { _tag: "Complete", bytes: concat(state.chunks, state.size) }
    )
  )

/**
 * Reads at most `limit` bytes of a response body. A declared Content-Length over the limit is refused
 * before reading.
 * @internal
 */
export const readBounded = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Body, HttpClientError.ResponseError> => {
  const declared = response.headers["content-length"]
  const encoding = response.headers["content-encoding"]
  // With a Content-Encoding, the declared length is that of the encoded bytes, and fetch decodes
  // them: only the decoded stream can be held to the cap.
  if (declared !== undefined && (encoding === undefined || encoding.trim().toLowerCase() === "identity")) {
    const length = Number(declared)
    if (length > limit) return Effect.succeed({ _tag: "TooLarge" })
    // A declared length within the cap is read in one go (a body longer than it declared is cut
    // there by the HTTP layer); only a body of unknown length is read chunk by chunk.
    if (Number.isSafeInteger(length) && length >= 0) {
      return Effect.map(response.arrayBuffer, (buffer): Body => ({ _tag: "Complete", bytes: new Uint8Array(buffer) }))
    }
  }
  return collectBounded(response.stream, limit).pipe(
    Effect.catchIf((error) => error.reason === "EmptyBody", () => Effect.succeed(emptyBody))
  )
}

const decoder = new TextDecoder()

const parseJson = (bytes: Uint8Array): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(decoder.decode(bytes)))
  } catch (e) {
    return Either.left(e instanceof Error ? e.message : String(e))
  }
}

const textPreview = (bytes: Uint8Array, max: number): string => {
  const text = decoder.decode(bytes.length > max * 4 ? bytes.subarray(0, max * 4) : bytes)
  return text.length > max ? text.slice(0, max) : text
}

const decodeErrorResponse = Schema.decodeUnknownEither(AssistantError.ErrorResponse)

const codes: ReadonlySet<string> = new Set(AssistantError.apiErrorCodes)

/** @internal */
export interface ResponseMeta {
  readonly status: number
  readonly requestId: Option.Option<string>
  readonly retryAfter: Option.Option<Duration.Duration>
}

/**
 * The typed error for a non-2xx answer.
 * @internal
 */
export const errorFromBody = (
  meta: ResponseMeta,
  body: Body
): AssistantError.ApiError | AssistantError.UnrecognizedApiError => {
  const unrecognized = (code: Option.Option<string>, text: string) =>
    new AssistantError.UnrecognizedApiError({
      status: meta.status,
      code,
      body: text,
      requestId: meta.requestId,
      retryAfter: meta.retryAfter
    })
  if (body._tag === "TooLarge") return unrecognized(Option.none(), "")
  const json = parseJson(body.bytes)
  let parsed: ReturnType<typeof decodeErrorResponse> | undefined
  try {
    parsed = Either.isRight(json) ? decodeErrorResponse(json.right) : undefined
  } catch {
    parsed = undefined
  }
  if (parsed === undefined || Either.isLeft(parsed)) {
    return unrecognized(Option.none(), textPreview(body.bytes, 1024))
  }
  const { code, message } = parsed.right.error
  if (!codes.has(code)) return unrecognized(Option.some(code), textPreview(body.bytes, 1024))
  const ErrorClass = AssistantError.ApiErrorByCode[code as AssistantError.ApiErrorCode]
  // details as JSON.parse built them: the decoded record is a copy made by assignment, where a
  // "__proto__" key would become the copy's prototype
  const details = (json as Either.Right<unknown, unknown>).right as { error: { details?: unknown } }
  return new ErrorClass({
    status: meta.status,
    message: message.length > 0 ? message : `Pinecone answered HTTP ${meta.status} (${code})`,
    details: Option.fromNullable(details.error.details),
    requestId: meta.requestId,
    retryAfter: meta.retryAfter
  })
}

/**
 * Decodes a 2xx body, or explains why it could not.
 * @internal
 */
export type BodyDecoder<A> = (
  status: number,
  requestId: Option.Option<string>,
  body: Body
) => Either.Either<A, AssistantError.MalformedResponseError>

/**
 * A {@link BodyDecoder} for `schema`, built once per schema: it reports the first issue only.
 * @internal
 */
export const bodyDecoder = <A, I>(schema: Schema.Schema<A, I>): BodyDecoder<A> => {
  const decode = Schema.decodeUnknownEither(schema, { errors: "first" })
  return (status, requestId, body) => {
    const malformed = (reason: "NotJson" | "Schema" | "TooLarge", summary: string) =>
      Either.left(new AssistantError.MalformedResponseError({ status, reason, summary, requestId }))
    if (body._tag === "TooLarge") return malformed("TooLarge", `the body is larger than ${maxBodyBytes} bytes`)
    const json = parseJson(body.bytes)
    if (Either.isLeft(json)) return malformed("NotJson", json.left)
    const value = json.right
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      return malformed(
        "Schema",
        `expected a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`
      )
    }
    // Rendering the schema issue can recurse through whatever the server sent (deeply nested values
    // included): a failure to render is still a malformed body, never a defect.
    try {
      const decoded = decode(value)
      if (Either.isLeft(decoded)) {
        return malformed("Schema", ParseResult.TreeFormatter.formatErrorSync(decoded.left).slice(0, 1024))
      }
      return Either.right(decoded.right)
    } catch (e) {
      return malformed("Schema", `the body could not be checked: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
}

/** @internal */
export const transportError = (error: HttpClientError.HttpClientError): AssistantError.TransportError => {
  const cause = "cause" in error ? error.cause : undefined
  const why = describeCause(cause)
  const code = codeOf(cause)
  const withCode = code === undefined ? {} : { code }
  if (error._tag === "RequestError") {
    return new AssistantError.TransportError({
      reason: error.reason === "InvalidUrl" ? "InvalidUrl" : classify(cause),
      description: why ?? error.reason,
      ...withCode
    })
  }
  return new AssistantError.TransportError({ reason: "Body", description: why ?? error.reason, ...withCode })
}

// The first code along the cause chain (fetch's TypeError wraps the socket's error, which has it).
const codeOf = (cause: unknown): string | undefined => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

// A name that does not resolve (ENOTFOUND; not EAI_AGAIN, which is a resolver's passing failure)
// and a failed TLS handshake or certificate check will not mend on their own: retrying them would
// only hide a mistyped host for a whole wait.
const dnsCodes: ReadonlySet<string> = new Set(["ENOTFOUND"])
const tlsCode = /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_)/
const classify = (cause: unknown): "Transport" | "Dns" | "Tls" => {
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string") {
      if (dnsCodes.has(code)) return "Dns"
      if (tlsCode.test(code)) return "Tls"
    }
    current = (current as { cause?: unknown }).cause
  }
  return "Transport"
}

// Only the messages and codes of the cause chain are kept: never the request, whose headers hold
// the API key.
const describeCause = (cause: unknown): string | undefined => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code
    parts.push(typeof code === "string" ? `${current.message} (${code})` : current.message)
    current = (current as { cause?: unknown }).cause
  }
  const text = parts.filter((p) => p.length > 0).join(": ")
  return text.length > 0 ? text.slice(0, 500) : undefined
}

/**
 * `https://` is added to a bare host; a trailing slash or `/assistant` suffix is dropped.
 * @internal
 */
export const normalizeHost = (
  host: string,
  allowInsecure: boolean
): Either.Either<string, AssistantError.InvalidRequestError> => {
  const fail = (reason: string) => Either.left(new AssistantError.InvalidRequestError({ parameter: "host", reason }))
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
