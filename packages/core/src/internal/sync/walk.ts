// A folder's files for a sync: each real folder entered once (a link back up, or to a folder walked
// already, is never entered again), links followed only while they stay inside the folder unless
// asked, dotfiles included (as rsync and `aws s3 sync` do), and every file left out for a reason of
// its own (a type the API does not process, a broken link) named, so that nothing disappears quietly.
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import type { Entry, SkippedFile } from "../../AssistantSync.js"
import * as FileSource from "../../FileSource.js"
import * as Globs from "./globs.js"

/** A folder's base name (the default name of its sync set). @internal */
export const baseName = (directory: string) =>
  Effect.map(Path.Path, (path) => path.basename(path.resolve(directory)) || "default")

/** The folder's absolute path. @internal */
export const absolute = (directory: string) => Effect.map(Path.Path, (path) => path.resolve(directory))

/** What a walk found. @internal */
export interface Walked {
  readonly entries: ReadonlyArray<Entry>
  /** Files (or folders, keyed by their path) under the folder that are not entries, with why. */
  readonly skipped: ReadonlyArray<SkippedFile>
  /** Include and exclude patterns that matched no file of the folder. */
  readonly unmatched: ReadonlyArray<string>
}

const byKey = (a: { readonly key: string }, b: { readonly key: string }) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0

interface Found {
  readonly key: string
  readonly path: string
}

/**
 * Walks `directory`: the real tree first, then the folders reached through links (each real folder
 * once), so that a file is keyed by its own path rather than a link's.
 * @internal
 */
export const walk = (
  directory: string,
  options: { readonly rules: Globs.Rules; readonly followLinks?: boolean | undefined }
): Effect.Effect<Walked, FileSource.FileSourceError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const failed = (description: string) => new FileSource.FileSourceError({ name: directory, description })
    const root = yield* fs.realPath(directory).pipe(Effect.mapError((e) => failed(e.message)))
    const inside = (real: string) => real === root || real.startsWith(root + path.sep)
    const visited = new Set<string>([root])
    const files: Array<Found> = []
    const skipped: Array<SkippedFile> = []
    const links: Array<{ readonly key: string; readonly path: string; readonly real: string; readonly from: string }> =
      []

    const visit = (dir: string, real: string, prefix: string): Effect.Effect<void, FileSource.FileSourceError> =>
      Effect.gen(function*() {
        const names = yield* fs.readDirectory(dir).pipe(
          Effect.mapError((e) => failed(`cannot read ${prefix === "" ? "the folder" : prefix}: ${e.message}`))
        )
        for (const name of names.sort()) {
          const key = prefix === "" ? name : `${prefix}/${name}`
          const full = path.join(dir, name)
          const target = yield* Effect.either(Effect.zip(fs.stat(full), fs.realPath(full)))
          if (target._tag === "Left") {
            skipped.push({ key, reason: "unreadable, or a link to nothing", failed: true })
            continue
          }
          const [info, realTarget] = target.right
          const isLink = realTarget !== path.join(real, name)
          if (isLink && !inside(realTarget) && options.followLinks !== true) {
            skipped.push({ key, reason: "a link that leads outside the folder (not followed)", failed: false })
            continue
          }
          if (info.type === "Directory") {
            if (isLink) links.push({ key, path: full, real: realTarget, from: real })
            else if (!visited.has(realTarget)) {
              visited.add(realTarget)
              yield* visit(full, realTarget, key)
            }
          } else if (info.type === "File") {
            files.push({ key, path: full })
          } else {
            skipped.push({ key, reason: `not a regular file (${info.type})`, failed: false })
          }
        }
      })

    yield* visit(directory, root, "")
    for (let i = 0; i < links.length; i++) {
      const link = links[i]!
      if (visited.has(link.real)) {
        const loop = link.from === link.real || link.from.startsWith(link.real + path.sep)
        skipped.push({
          key: link.key,
          reason: loop ? "a link back to a folder it is in (a loop)" : "a link to a folder walked already",
          failed: false
        })
        continue
      }
      visited.add(link.real)
      yield* visit(link.path, link.real, link.key)
    }

    const supported = files.filter((f) => {
      if (FileSource.isSupported(f.key)) return true
      // a file the rules leave out is not missed; one they take but the API cannot is named
      if (Globs.inScope(options.rules, f.key)) {
        skipped.push({ key: f.key, reason: "a type the API does not process", failed: false })
      }
      return false
    })
    const unmatched = Globs.unmatched(options.rules, supported.map((f) => f.key))
    const entries: Array<Entry> = []
    for (const f of supported.filter((f) => Globs.inScope(options.rules, f.key)).sort(byKey)) {
      const source = yield* Effect.either(FileSource.fromPath(f.path)).pipe(
        Effect.provideService(FileSystem.FileSystem, fs),
        Effect.provideService(Path.Path, path)
      )
      if (source._tag === "Right") entries.push({ key: f.key, source: source.right })
      else skipped.push({ key: f.key, reason: `unreadable: ${source.left.description}`, failed: true })
    }
    return { entries, skipped: skipped.sort(byKey), unmatched }
  })
