import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { Entry } from "../AssistantSync.js"
import * as FileSource from "../FileSource.js"

/** A glob (`**` any path, `*` within a segment, `?` one character) as a regular expression. @internal */
export const globToRegExp = (glob: string): RegExp => {
  let out = ""
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === "*" && glob[i + 1] === "*") {
      out += glob[i + 2] === "/" ? "(?:.*/)?" : ".*"
      i += glob[i + 2] === "/" ? 2 : 1
    } else if (c === "*") out += "[^/]*"
    else if (c === "?") out += "[^/]"
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&")
  }
  return new RegExp(`^${out}$`)
}

/** A folder's base name (the default name of its sync set). @internal */
export const baseName = (directory: string) =>
  Effect.map(Path.Path, (path) => path.basename(path.resolve(directory)) || "default")

/** The supported files of a folder, recursively, keyed by their relative path with `/`. @internal */
export const files = (
  directory: string,
  include: ReadonlyArray<string> | undefined,
  exclude: ReadonlyArray<string> | undefined
): Stream.Stream<Entry, FileSource.FileSourceError, FileSystem.FileSystem | Path.Path> =>
  Stream.unwrap(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const includes = (include ?? []).map(globToRegExp)
    const excludes = (exclude ?? []).map(globToRegExp)
    const names = yield* fs.readDirectory(directory, { recursive: true }).pipe(
      Effect.mapError((e) => new FileSource.FileSourceError({ name: directory, description: e.message }))
    )
    const keys = names.map((name) => name.split(path.sep).join("/")).filter((key) =>
      FileSource.isSupported(key) &&
      (includes.length === 0 || includes.some((r) => r.test(key))) &&
      !excludes.some((r) => r.test(key))
    ).sort()
    return Stream.fromIterable(keys).pipe(
      Stream.mapEffect((key) =>
        Effect.gen(function*() {
          const full = path.join(directory, key)
          const info = yield* Effect.either(fs.stat(full))
          if (info._tag === "Left" || info.right.type !== "File") return Option.none<Entry>()
          return Option.some<Entry>({ key, source: yield* FileSource.fromPath(full) })
        })
      ),
      Stream.filterMap(identity)
    )
  }))
