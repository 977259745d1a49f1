// The files requests: their validation and their streamed multipart body.
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AssistantError from "../AssistantError.js"
import type * as FileSource from "../FileSource.js"
import { fromChecked } from "./http.js"
import * as Wire from "./wire.js"

/** The largest metadata the API takes: 16 KB, counted on its UTF-8 JSON. @internal */
export const maxMetadataBytes = Wire.maxMetadataBytes

const encoder = new TextEncoder()

/** The metadata as the JSON sent, or why it cannot be sent. @internal */
export const checkMetadata = (
  metadata: unknown
): Either.Either<Option.Option<string>, AssistantError.InvalidRequestError> =>
  Either.map(fromChecked(Wire.checkMetadata(metadata)), Option.fromNullable)

/** The API's file id: 1 to 128 of `[A-Za-z0-9_-]`. @internal */
export const fileIdPattern = Wire.fileIdPattern

/** A file id for upsert, as the API requires. @internal */
export const checkFileId = (fileId: unknown): Either.Either<string, AssistantError.InvalidRequestError> =>
  fromChecked(Wire.checkFileId(fileId))

/** A file name for the part's `Content-Disposition`, quoted as browsers do. @internal */
export const checkFileName = (name: unknown): Either.Either<string, AssistantError.InvalidRequestError> =>
  fromChecked(Wire.checkFileName(name))

/**
 * A multipart body around one file: its content type, its length (when the file's size is known),
 * and the bytes before and after the file's.
 * @internal
 */
export interface MultipartBody {
  readonly contentType: string
  readonly contentLength: number | undefined
  readonly head: Uint8Array
  readonly tail: Uint8Array
}

const randomBoundary = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `effect-pinecone-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`
}

/**
 * The `multipart/form-data` body of an upload: the `metadata` field (a part without a filename) if
 * any, then the `file` part, whose bytes go between `head` and `tail`.
 * @platform's `Multipart` module parses multipart bodies but does not encode one as a stream, and
 * `HttpBody.formData` needs the whole file as a Blob: hence this small encoder.
 * @internal
 */
export const multipartBody = (
  source: FileSource.FileSource,
  fileName: string,
  metadataJson: Option.Option<string>
): MultipartBody => {
  const boundary = randomBoundary()
  const metadataPart = Option.match(metadataJson, {
    onNone: () => "",
    onSome: (json) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\nContent-Type: application/json\r\n\r\n${json}\r\n`
  })
  // UTF-8 as it is (RFC 7578); a quote or line break escaped as browsers do (WHATWG), so that no name
  // can end the header
  const quoted = fileName.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")
  const head = encoder.encode(
    `${metadataPart}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted}"\r\n` +
      `Content-Type: ${source.contentType}\r\n\r\n`
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: Option.match(source.size, {
      onNone: () => undefined,
      onSome: (size) => head.length + size + tail.length
    }),
    head,
    tail
  }
}

/**
 * The whole body as a stream: `head`, the file's bytes as the transport pulls them, `tail`.
 * @internal
 */
export const multipartStream = <E>(
  body: MultipartBody,
  bytes: Stream.Stream<Uint8Array, E>
): Stream.Stream<Uint8Array, E> =>
  Stream.concat(Stream.succeed(body.head), Stream.concat(bytes, Stream.succeed(body.tail)))
