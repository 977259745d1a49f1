// A synced file's identity: its id from its set and key, the SHA-256 of its bytes, and the metadata
// that names them.
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AssistantFile from "../../AssistantFile.js"
import type * as FileSource from "../../FileSource.js"
import * as Sha256 from "../sha256.js"

/** @internal */
export const metadataKeys = {
  set: "sync_set",
  key: "sync_key",
  sha256: "sync_sha256",
  /** The folder a `syncDirectory` sent the file from (its absolute path). */
  folder: "sync_folder"
} as const

const hex = (text: string) => {
  const h = Sha256.make()
  h.update(new TextEncoder().encode(text))
  return h.hex()
}

/** @internal */
export const fileIdFor = (set: string, key: string): string => {
  const slug = key.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100) || "file"
  return `${slug}-${hex(`${set}\n${key}`).slice(0, 16)}`
}

/** @internal */
export const sha256 = (source: FileSource.FileSource): Effect.Effect<string, FileSource.FileSourceError> =>
  Effect.suspend(() => {
    const h = Sha256.make()
    return Effect.map(Stream.runForEach(source.open(), (chunk) => Effect.sync(() => h.update(chunk))), () => h.hex())
  })

/** A string field of a remote file's metadata. @internal */
export const remoteMeta = (file: AssistantFile.AssistantFile, key: string): Option.Option<string> =>
  Option.flatMap(file.metadata, (m) => typeof m[key] === "string" ? Option.some(m[key] as string) : Option.none())
