// The local side of a sync: the entries hashed, and each upsert labelled with the hash of the bytes
// it actually sends.
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Client from "../../AssistantClient.js"
import type * as AssistantSync from "../../AssistantSync.js"
import type * as FileSource from "../../FileSource.js"
import { FileSourceError } from "../../FileSource.js"
import type * as Operation from "../../Operation.js"
import * as Sha256 from "../sha256.js"
import { fileIdFor, metadataKeys, sha256 } from "./identity.js"
import type * as Plan from "./plan.js"

type Entry = AssistantSync.Entry
type Planned = AssistantSync.Planned

/** The local files, hashed, by id. @internal */
export interface Hashed {
  readonly files: ReadonlyArray<Plan.LocalFile>
  readonly entries: ReadonlyMap<string, Entry>
  readonly failures: Map<string, string>
}

/** The entries (the first of each key), each hashed as a stream. @internal */
export const hashEntries = <E, R>(set: string, entries: Stream.Stream<Entry, E, R>, concurrency: number) =>
  Effect.gen(function*() {
    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(entries))
    const seen = new Set<string>()
    const unique = all.filter((e) => !seen.has(e.key) && seen.add(e.key) !== undefined)
    const failures = new Map<string, string>()
    const files = yield* Effect.forEach(
      unique,
      (entry) =>
        Effect.map(Effect.either(sha256(entry.source)), (hash): Plan.LocalFile => {
          const fileId = fileIdFor(set, entry.key)
          if (Either.isLeft(hash)) failures.set(fileId, hash.left.message)
          return { key: entry.key, fileId, sha256: Either.getOrUndefined(hash) }
        }),
      { concurrency }
    )
    const byId = new Map(files.map((f, i) => [f.fileId, unique[i]!]))
    return { files, entries: byId, failures } satisfies Hashed
  })

// Upserts an entry labelled with the hash of the bytes it sends: each read of the source is hashed
// as it goes, and a read whose hash is not the label fails before the body's end, so the server
// never stores it. Such a file is hashed again and sent once more; then it is a failure.
/** @internal */
export const upsertVerified = (
  client: Client.Service,
  context: {
    readonly assistantName: string
    readonly set: string
    readonly metadata: Readonly<Record<string, unknown>> | undefined
  },
  p: Planned,
  local: Hashed,
  onFirstRead: Effect.Effect<void>
): Effect.Effect<Operation.Operation, Client.UploadError> => {
  const entry = local.entries.get(p.fileId)!
  let read = false
  // the first read is when the bytes start to leave: the budget's wait is over
  const first = Effect.suspend(() =>
    read ? Effect.void : Effect.zipRight(Effect.sync(() => (read = true)), onFirstRead)
  )
  const attempt = (label: string, retries: number): Effect.Effect<Operation.Operation, Client.UploadError> =>
    Effect.suspend(() => {
      let changed = false
      const source: FileSource.FileSource = {
        ...entry.source,
        localFile: undefined,
        open: () =>
          Stream.suspend(() => {
            const h = Sha256.make()
            const check = Effect.suspend(() => {
              if (h.hex() === label) return Effect.void
              changed = true
              return Effect.fail(
                new FileSourceError({ name: entry.source.name, description: "it changed while it was being sent" })
              )
            })
            return Stream.concat(
              Stream.drain(Stream.fromEffect(first)),
              Stream.concat(
                Stream.tap(entry.source.open(), (chunk) => Effect.sync(() => h.update(chunk))),
                Stream.drain(Stream.fromEffect(check))
              )
            )
          })
      }
      const metadata = {
        ...context.metadata,
        [metadataKeys.set]: context.set,
        [metadataKeys.key]: p.key,
        [metadataKeys.sha256]: label
      }
      return client.upsertFile({ assistantName: context.assistantName, fileId: p.fileId, file: source, metadata }).pipe(
        Effect.catchIf(
          () => changed && retries > 0,
          () => Effect.flatMap(sha256(entry.source), (next) => attempt(next, retries - 1))
        )
      )
    })
  return attempt(Option.getOrElse(p.sha256, () => ""), 1)
}
