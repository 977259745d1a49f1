// The body of an upload of a local file, for undici: fs.createReadStream's chunks go to the socket
// without passing through an Effect Stream. Measured (pnpm bench, section 6): through a Stream, each
// 256 KiB chunk outlives the young generation and the heap holds about 64 MB of them until a full
// collection; read and sent by Node alone they are collected young.
import type * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import { createReadStream } from "node:fs"
import { Readable } from "node:stream"

/** The size of a read: 256 KiB, as `FileSource.fromPath` reads (64 KiB measured the same on this path). */
export const chunkSize = 256 * 1024

const ignore = () => {}

/** `AssistantClient`'s `nativeUploads` for undici: a `Readable` as the request's raw body. */
export const encoder: AssistantClient.NativeUploadEncoder = (upload) =>
  Effect.map(Effect.runtime<never>(), (runtime) => {
    const run = Runtime.runPromise(runtime)
    async function* body(): AsyncGenerator<Uint8Array> {
      yield upload.head
      const file = createReadStream(upload.localFile.path, { highWaterMark: chunkSize })
      const chunks: AsyncIterator<Buffer> = file[Symbol.asyncIterator]()
      try {
        for (;;) {
          let next: IteratorResult<Buffer>
          try {
            next = await chunks.next()
          } catch (e) {
            await run(upload.fail(e)).catch(ignore)
            throw e
          }
          if (next.done === true) break
          // the attempt's bookkeeping (a stall's clock, the declared length, progress); a failure
          // here has already ended the attempt, and abandons the body
          await run(upload.observe(next.value.length))
          yield next.value
        }
        await run(upload.finish)
      } finally {
        file.destroy()
      }
      yield upload.tail
    }
    return Option.some(
      HttpBody.raw(Readable.from(body(), { objectMode: false }), {
        contentType: upload.contentType,
        contentLength: upload.contentLength
      })
    )
  })
