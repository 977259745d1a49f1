// A response as the client reads it: the body bounded (the cap holds on decoded bytes), decoded with
// a model's Schema, or mapped to the error its status and ErrorResponse say (Retry-After and the
// request id kept); a failure with no response as TransportError, keeping its cause's code.
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as AssistantError from "../../AssistantError.js"
import * as internal from "../http.js"
import * as Wire from "../wire.js"

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
    if (body._tag === "TooLarge") return malformed("TooLarge", `the body is larger than ${internal.maxBodyBytes} bytes`)
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
