/**
 * A file on the local disk to upload, read with Node's `fs`. Through `NodeAssistantClient`, its
 * bytes go from `fs.createReadStream` to undici without passing each chunk through an Effect
 * `Stream`: in `pnpm bench` this uploads a 200 MB file faster, and with less memory, than the portable
 * `FileSource.fromPath`. With any other `HttpClient` it streams like every source.
 *
 * @since 0.2.0
 */
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath_ from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as NodePath from "node:path"

const NodeLive = Layer.merge(NodeFileSystem.layer, NodePath_.layer)

/**
 * The file at `path` (its name is the path's base name unless `options.name` says otherwise). It is
 * opened once now, so that a file that cannot be read fails here, and its size is read now: the upload fails with `FileSourceError`, sending no truncated file as complete,
 * if the file then yields more or fewer bytes. A path is replayed from its start on each attempt.
 *
 * @example
 * ```ts
 * import { AssistantClient } from "@effect-pinecone/core"
 * import { NodeFileSource } from "@effect-pinecone/node"
 * import { Effect } from "effect"
 *
 * const program = NodeFileSource.fromPath("docs/handbook.pdf").pipe(
 *   Effect.flatMap((file) => AssistantClient.uploadFile({ assistantName: "handbook", file }))
 * )
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromPath = (
  path: string,
  options?: FileSource.Options
): Effect.Effect<FileSource.FileSource, FileSource.FileSourceError> => {
  // resolved now, so that a later change of directory reads the same file
  const resolved = NodePath.resolve(path)
  // FileSource.fromPath's checks (a file, readable, its size) on Node's FileSystem; the local path is
  // what NodeAssistantClient's undici sends from
  return FileSource.fromPath(resolved, { ...options, name: options?.name ?? NodePath.basename(path) }).pipe(
    Effect.map((source): FileSource.FileSource => ({ ...source, localFile: { path: resolved, progress: [] } })),
    Effect.provide(NodeLive)
  )
}
