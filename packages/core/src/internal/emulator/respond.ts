// How the emulator answers: ErrorResponse bodies, JSON answers reported to `onResponse`, and bounded
// request bodies.
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"

/** An `ErrorResponse` body. @internal */
export const errorBody = (status: number, code: string, message: string) => ({ status, error: { code, message } })

/** An answer the emulator sent. @internal */
export interface Answered {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: unknown
}

/** @internal */
export type Reporter = (event: Answered) => void

/**
 * Answers `body` as JSON (or empty), telling `report` what was sent.
 * @internal
 */
export const send = (report: Reporter | undefined) =>
(
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
    report?.({ method: request.method, path: request.url.split("?")[0]!, status, body })
    return body === undefined
      ? HttpServerResponse.empty({ status, headers })
      : HttpServerResponse.unsafeJson(body, { status, headers })
  })

// What is left of a body over the cap is read and dropped (up to 256 MiB, for 30 seconds at most)
// before the 4xx goes out: a server that answers while the client is still sending (or that stops
// reading, which destroys the socket) makes the client see a reset instead of the answer.
const drainFor = "30 seconds"
const maxDrainBytes = 256 * 1024 * 1024

/**
 * Reads `stream` to its end: each chunk goes to `take` while it says to go on, the rest is read and
 * dropped within the drain's bounds. True when the end was reached; a stream that fails is not.
 * @internal
 */
export const readToEnd = <E, R>(
  stream: Stream.Stream<Uint8Array, E, R>,
  take: (chunk: Uint8Array) => boolean
): Effect.Effect<boolean, never, R> => {
  const state = { taking: true, dropped: 0, ended: false }
  return Stream.runFoldWhile(stream, state, (s) => s.dropped <= maxDrainBytes, (s, chunk) => {
    if (s.taking) s.taking = take(chunk)
    else s.dropped += chunk.length
    return s
  }).pipe(
    Effect.tap(() => Effect.sync(() => (state.ended = state.dropped <= maxDrainBytes))),
    Effect.timeout(drainFor),
    Effect.ignore,
    Effect.map(() => state.ended)
  )
}

/**
 * The request body as JSON, read up to `limit` bytes, or why not.
 * @internal
 */
export const readJson = (
  limit: number
): Effect.Effect<Either.Either<unknown, string>, never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const state = { chunks: [] as Array<Uint8Array>, size: 0 }
    const read = readToEnd(request.stream, (chunk) => {
      state.size += chunk.length
      if (state.size <= limit) state.chunks.push(chunk)
      return state.size <= limit
    })
    return Effect.map(read, (ended): Either.Either<unknown, string> => {
      if (state.size > limit) return Either.left(`The request body is larger than ${limit} bytes.`)
      if (!ended) return Either.left("The request body could not be read.")
      const bytes = new Uint8Array(state.size)
      let offset = 0
      for (const chunk of state.chunks) {
        bytes.set(chunk, offset)
        offset += chunk.length
      }
      try {
        return Either.right(JSON.parse(new TextDecoder().decode(bytes)) as unknown)
      } catch {
        return Either.left("The request body is not JSON.")
      }
    })
  })
