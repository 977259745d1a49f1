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

// What is left of a body over the cap is read and dropped (up to 64 times the cap, for a few seconds
// at most) before the 400 goes out: a server that answers while the client is still sending makes
// the client see a reset instead of the answer.
const drainFor = "5 seconds"

/**
 * The request body as JSON, read up to `limit` bytes, or why not.
 * @internal
 */
export const readJson = (
  limit: number
): Effect.Effect<Either.Either<unknown, string>, never, HttpServerRequest.HttpServerRequest> =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const state = { chunks: [] as Array<Uint8Array>, size: 0, ended: false }
    const read = Stream.runFoldWhile(request.stream, state, (s) => s.size <= limit * 64, (s, chunk) => {
      s.size += chunk.length
      if (s.size <= limit) s.chunks.push(chunk)
      return s
    }).pipe(
      Effect.tap(() => Effect.sync(() => (state.ended = true))),
      Effect.timeout(drainFor),
      Effect.ignore
    )
    return Effect.map(read, (): Either.Either<unknown, string> => {
      if (state.size > limit) return Either.left(`The request body is larger than ${limit} bytes.`)
      if (!state.ended) return Either.left("The request body could not be read.")
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
