/**
 * What to upload: a file's bytes with its name and content type, from a path (read through
 * `@effect/platform`'s `FileSystem`, so the core stays platform-free), bytes, a `Blob` (a browser's
 * `File` too) or any `Stream` of bytes. Uploads stream the bytes: a 500 MB file is never held in
 * memory. On Node, `NodeFileSource.fromPath` (in `@effect-pinecone/node`) reads a path with Node's
 * `fs`, and `NodeAssistantClient` sends it without passing each chunk through a `Stream`: faster,
 * and with half the memory, than `fromPath` here.
 *
 * The server types an uploaded file by its name's extension: `.pdf`, `.txt`, `.md`, `.docx` and
 * `.json` are what the 2026-04 API processes; the part's `Content-Type` follows the extension.
 *
 * @since 0.2.0
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { describeCause } from "./internal/errors.js"

/**
 * A file source failed while it was read (a file that vanished, a stream that failed): the upload
 * ends with this error, and the server never receives a truncated file as complete.
 *
 * @since 0.2.0
 * @category errors
 */
export class FileSourceError extends Schema.TaggedError<FileSourceError>()("FileSourceError", {
  /** The file's name. */
  name: Schema.String,
  /** What went wrong, without the file's contents. */
  description: Schema.String
}) {
  /**
   * @since 0.2.0
   */
  override get message(): string {
    return `Could not read ${this.name}: ${this.description}`
  }
}

/**
 * A file to upload.
 *
 * @since 0.2.0
 * @category models
 */
export interface FileSource {
  /** The file name sent to the server (its extension types the file). */
  readonly name: string
  /** The part's `Content-Type`. */
  readonly contentType: string
  /** The size in bytes, when known (then the request declares its length). */
  readonly size: Option.Option<number>
  /**
   * Whether `open` can be called again for the same bytes: a path, bytes or a Blob can; a one-shot
   * Stream cannot, so an upload of it is never retried once its first byte was sent.
   */
  readonly replayable: boolean
  /** The bytes, from the start, for one attempt. */
  readonly open: () => Stream.Stream<Uint8Array, FileSourceError>
  /**
   * The file on the local disk that holds exactly these bytes, when a platform's constructor says
   * so (`NodeFileSource.fromPath` does). A client that can send such a file itself
   * (`NodeAssistantClient`, through the `nativeUploads` option of `AssistantClient`) reads it there;
   * every other client uses `open`.
   */
  readonly localFile?: LocalFile | undefined
}

/**
 * A {@link FileSource}'s file on the local disk, with the progress callbacks `withProgress` added,
 * for a client that reads the file itself.
 *
 * @since 0.2.0
 * @category models
 */
export interface LocalFile {
  /** The file's path. */
  readonly path: string
  /** Called with the bytes sent so far in an attempt, as `withProgress`'s callbacks are. */
  readonly progress: ReadonlyArray<(bytesRead: number) => Effect.Effect<void>>
}

/**
 * Options of the constructors: override the name or the content type.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options {
  readonly name?: string | undefined
  readonly contentType?: string | undefined
}

/**
 * The extensions the 2026-04 API processes, with the content type sent for each.
 *
 * @since 0.2.0
 * @category constants
 */
export const contentTypes: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  txt: "text/plain",
  md: "text/markdown",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  json: "application/json"
}

/**
 * The extension of a file name, lower case (`"Report.PDF"` -> `"pdf"`), or `""` for none.
 *
 * @since 0.2.0
 * @category utils
 */
export const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf(".")
  return dot <= 0 || dot === name.length - 1 ? "" : name.slice(dot + 1).toLowerCase()
}

/**
 * The content type for a file name: from its extension, `application/octet-stream` for others.
 *
 * @since 0.2.0
 * @category utils
 */
export const contentTypeOf = (name: string): string => contentTypes[extensionOf(name)] ?? "application/octet-stream"

/**
 * Whether the API processes files of this name's extension.
 *
 * @since 0.2.0
 * @category utils
 */
export const isSupported = (name: string): boolean => extensionOf(name) in contentTypes

const chunkSize = 64 * 1024

/**
 * Bytes already in memory.
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromBytes = (name: string, bytes: Uint8Array, options?: Options): FileSource => ({
  name: options?.name ?? name,
  contentType: options?.contentType ?? contentTypeOf(options?.name ?? name),
  size: Option.some(bytes.length),
  replayable: true,
  open: () =>
    Stream.fromIterable(
      Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) =>
        bytes.subarray(i * chunkSize, (i + 1) * chunkSize))
    )
})

/**
 * A `Blob` (a browser's `File` too: its own name is used unless `name` is given).
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromBlob = (name: string | undefined, blob: Blob, options?: Options): FileSource => {
  const own = (blob as { name?: unknown }).name
  const fileName = options?.name ?? name ?? (typeof own === "string" ? own : "file")
  return {
    name: fileName,
    contentType: options?.contentType ?? contentTypeOf(fileName),
    size: Option.some(blob.size),
    replayable: true,
    open: () =>
      Stream.fromReadableStream({
        evaluate: () => blob.stream(),
        onError: (e) => new FileSourceError({ name: fileName, description: describeCause(e) })
      })
  }
}

/**
 * A `Stream` of bytes. It is read once: an upload of it is not retried after its first byte was
 * sent. Give `size` to declare the request's length (a stream of another length then fails the
 * upload rather than sending a different file).
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromStream = <E>(
  name: string,
  stream: Stream.Stream<Uint8Array, E>,
  options?: Options & { readonly size?: number | undefined }
): FileSource => {
  const fileName = options?.name ?? name
  return {
    name: fileName,
    contentType: options?.contentType ?? contentTypeOf(fileName),
    size: Option.fromNullable(options?.size),
    replayable: false,
    open: () => Stream.mapError(stream, (e) => new FileSourceError({ name: fileName, description: describeCause(e) }))
  }
}

/**
 * A file on disk, read through the `FileSystem` in context (from `@effect/platform-node`, say), in
 * chunks as the upload sends them. Its size is read now; its name is the path's base name unless
 * given. Each attempt reads it from the start. It works on any runtime, with any `FileSystem` (a test
 * one included) and any client; on Node, `NodeFileSource.fromPath` is faster.
 *
 * @example
 * ```ts
 * import { FileSource } from "@effect-pinecone/core"
 * import * as NodeContext from "@effect/platform-node/NodeContext"
 * import { Effect } from "effect"
 *
 * const source = FileSource.fromPath("docs/handbook.pdf").pipe(Effect.provide(NodeContext.layer))
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromPath = (
  path: string,
  options?: Options
): Effect.Effect<FileSource, FileSourceError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const fileName = options?.name ?? paths.basename(path)
    const fail = (e: unknown) => new FileSourceError({ name: fileName, description: describeCause(e) })
    const info = yield* Effect.mapError(fs.stat(path), fail)
    if (info.type !== "File") return yield* fail(`${path} is not a file`)
    // opened once now, so that an unreadable file (permission denied) is found before anything is sent
    yield* Effect.mapError(Effect.scoped(fs.open(path, { flag: "r" })), fail)
    return {
      name: fileName,
      contentType: options?.contentType ?? contentTypeOf(fileName),
      size: Option.some(Number(info.size)),
      replayable: true,
      open: () => Stream.mapError(fs.stream(path, { chunkSize: FileSystem.KiB(256) }), fail)
    }
  })

/**
 * The same source, calling `onProgress` with the bytes read so far in this attempt as the upload
 * pulls each chunk (the request body is pulled as the connection takes it, so this is the bytes sent,
 * to within a chunk). A retried attempt starts again from 0.
 *
 * @example
 * ```ts
 * import { FileSource } from "@effect-pinecone/core"
 * import { Console } from "effect"
 *
 * const source = FileSource.fromBytes("notes.md", new Uint8Array(1_000_000)).pipe(
 *   FileSource.withProgress((sent) => Console.log(`${sent} bytes sent`))
 * )
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const withProgress: {
  (onProgress: (bytesRead: number) => Effect.Effect<void>): (self: FileSource) => FileSource
  (self: FileSource, onProgress: (bytesRead: number) => Effect.Effect<void>): FileSource
} = dual(2, (self: FileSource, onProgress: (bytesRead: number) => Effect.Effect<void>): FileSource => ({
  ...self,
  localFile: self.localFile === undefined
    ? undefined
    : { ...self.localFile, progress: [...self.localFile.progress, onProgress] },
  open: () =>
    Stream.suspend(() => {
      let read = 0
      return Stream.tap(self.open(), (chunk) => {
        read += chunk.length
        return onProgress(read)
      })
    })
}))
