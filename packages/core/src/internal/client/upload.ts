// An upload: the multipart body streamed from the source as the transport pulls it (or sent by the
// transport itself from a local file), its declared length checked, a stall bounded by the request
// timeout (not the whole transfer), and the source's failure the upload's error.
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Tracer from "effect/Tracer"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as FileSource from "../../FileSource.js"
import { describeCause } from "../errors.js"
import * as Files from "../files.js"
import type * as Response from "./response.js"
import type { Settings } from "./settings.js"
import type { Transport } from "./transport.js"

/** What one upload sends. @internal */
export interface Upload {
  readonly source: FileSource.FileSource
  readonly fileName: string
  readonly metadata: Option.Option<string>
  readonly create: boolean
}

/** Whether an upload's first byte left (a source that cannot be replayed is then not retried). @internal */
export interface UploadState {
  sent: boolean
}

// A source of declared size must yield exactly that many bytes: otherwise the upload fails before
// the closing boundary is sent, so the server never receives a truncated file as complete. One
// counter per attempt: `add` each chunk's size as it is read, `end` after the last.
const lengthCounter = (source: FileSource.FileSource) => {
  const declared = Option.getOrUndefined(source.size)
  let seen = 0
  return {
    seen: () => seen,
    add: (bytes: number): Effect.Effect<void, FileSource.FileSourceError> =>
      Effect.suspend(() => {
        seen += bytes
        return declared !== undefined && seen > declared
          ? Effect.fail(lengthError(source, seen, declared))
          : Effect.void
      }),
    end: Effect.suspend((): Effect.Effect<void, FileSource.FileSourceError> =>
      declared !== undefined && seen !== declared ? Effect.fail(lengthError(source, seen, declared)) : Effect.void
    )
  }
}

const checkLength = (source: FileSource.FileSource) =>
<E>(
  bytes: Stream.Stream<Uint8Array, E>
): Stream.Stream<Uint8Array, E | FileSource.FileSourceError> =>
  Option.isNone(source.size) ? bytes : Stream.suspend(() => {
    const counter = lengthCounter(source)
    return Stream.concat(
      Stream.mapEffect(bytes, (chunk) => Effect.as(counter.add(chunk.length), chunk)),
      Stream.drain(Stream.fromEffect(counter.end))
    )
  })

const lengthError = (source: FileSource.FileSource, seen: number, declared: number) =>
  new FileSource.FileSourceError({
    name: source.name,
    description: seen > declared
      ? `it yielded more than the ${declared} bytes declared`
      : `it yielded ${seen} bytes, not the ${declared} declared`
  })

// What a client that sends a local file itself reports to the attempt: each chunk (a stall's clock,
// the declared length, the source's progress), the end, a read failure.
const nativeUpload = (
  source: FileSource.FileSource,
  localFile: FileSource.LocalFile,
  multipart: Files.MultipartBody,
  touch: Effect.Effect<void>,
  state: UploadState,
  failSource: (e: FileSource.FileSourceError) => Effect.Effect<boolean>
): AssistantClient.NativeUpload => {
  const counter = lengthCounter(source)
  return {
    source,
    localFile,
    head: multipart.head,
    tail: multipart.tail,
    contentType: multipart.contentType,
    contentLength: multipart.contentLength,
    observe: (bytes) =>
      counter.add(bytes).pipe(
        Effect.zipRight(Effect.sync(() => (state.sent = true))),
        Effect.zipRight(touch),
        Effect.zipRight(Effect.forEach(localFile.progress, (f) => f(counter.seen()), { discard: true })),
        Effect.tapError(failSource)
      ),
    finish: Effect.tapError(counter.end, failSource),
    fail: (cause) =>
      Effect.tapError(
        Effect.fail(new FileSource.FileSourceError({ name: source.name, description: describeCause(cause) })),
        failSource
      )
  }
}

const stallError = (settings: Settings) =>
  new AssistantError.TransportError({
    reason: "Timeout",
    description: `no byte sent or received for ${Duration.format(settings.requestTimeout)}`
  })

// An upload: the multipart body streams from the source as the transport pulls it. The request
// timeout bounds a stall (no byte sent or received for that long) and the wait for the answer
// after the last byte, not the whole transfer: a large file on a slow link is never cut off
// while it makes progress.
/** @internal */
export const uploadAttempt = <A>(
  transport: Transport,
  request: HttpClientRequest.HttpClientRequest,
  upload: Upload,
  state: UploadState,
  decode: Response.BodyDecoder<A>,
  span: Tracer.Span
): Effect.Effect<A, AssistantClient.UploadError> => {
  const { budgeted, http, readResponse, scopedUntilFailure, settings, transportFailures } = transport
  const { nativeUploads, requestTimeoutMillis } = settings
  return (
    // the budget's and the limiter's waits come first: they are not a stall of the transfer
    budgeted(request)(Effect.flatMap(
      Effect.zip(Clock.currentTimeMillis, Deferred.make<never, FileSource.FileSourceError>()),
      ([started, sourceFailed]) => {
        let last = started
        let sourceError: FileSource.FileSourceError | undefined
        const touch = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => (last = now)))
        // a source that fails ends the attempt at once with its error, whatever the transport does
        // with the broken body
        const failSource = (e: FileSource.FileSourceError) =>
          Effect.zipRight(Effect.sync(() => (sourceError = e)), Deferred.fail(sourceFailed, e))
        const multipart = Files.multipartBody(upload.source, upload.fileName, upload.metadata)
        const streamed = () =>
          HttpBody.stream(
            Files.multipartStream(
              multipart,
              upload.source.open().pipe(
                Stream.tap(() => Effect.zipRight(touch, Effect.sync(() => (state.sent = true)))),
                checkLength(upload.source),
                Stream.tapError(failSource)
              )
            ),
            multipart.contentType,
            multipart.contentLength
          )
        const localFile = upload.source.localFile
        const body: Effect.Effect<HttpBody.HttpBody> = nativeUploads === undefined || localFile === undefined
          ? Effect.sync(streamed)
          : Effect.map(
            nativeUploads(nativeUpload(upload.source, localFile, multipart, touch, state, failSource)),
            Option.getOrElse(streamed)
          )
        const stalled: Effect.Effect<never, AssistantError.TransportError> = Effect.flatMap(
          Clock.currentTimeMillis,
          (now) =>
            now - last >= requestTimeoutMillis
              ? Effect.fail(stallError(settings))
              : Effect.zipRight(Effect.sleep(Duration.millis(requestTimeoutMillis - (now - last))), stalled)
        )
        const exchange = Effect.flatMap(body, (body) => http.execute(HttpClientRequest.setBody(request, body)))
          .pipe(
            Effect.tap(() => touch),
            Effect.flatMap((response) => readResponse(response, decode, span)),
            Effect.catchTags(transportFailures),
            // a source that failed is the upload's error, whatever the transport made of it
            Effect.catchAll((e): Effect.Effect<never, AssistantClient.UploadError> => Effect.fail(sourceError ?? e))
          )
        return scopedUntilFailure(
          // the first to end, success or failure: the exchange, the source's failure, the stall. The
          // exchange is disconnected so that ending it does not wait for the transport: the scope's
          // closing aborts its request.
          Effect.raceFirst(
            Effect.disconnect(exchange),
            requestTimeoutMillis === Infinity
              ? Deferred.await(sourceFailed)
              : Effect.raceFirst(Deferred.await(sourceFailed), stalled)
          )
        )
      }
    ))
  )
}
