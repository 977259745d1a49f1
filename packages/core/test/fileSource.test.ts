import * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as FileSource from "../src/FileSource.js"

// A FileSystem with one file, `docs/a.md` (5 bytes), whose opening fails when `readable` is false.
const disk = (readable: boolean) =>
  Layer.merge(
    FileSystem.layerNoop({
      stat: (path) =>
        path === "docs/a.md"
          ? Effect.succeed({ type: "File", size: FileSystem.Size(5) } as FileSystem.File.Info)
          : Effect.fail(
            new PlatformError.SystemError({
              reason: "NotFound",
              module: "FileSystem",
              method: "stat",
              pathOrDescriptor: path
            })
          ),
      open: (path) =>
        readable
          ? Effect.succeed({} as FileSystem.File)
          : Effect.fail(
            new PlatformError.SystemError({
              reason: "PermissionDenied",
              module: "FileSystem",
              method: "open",
              pathOrDescriptor: path,
              description: "EACCES: permission denied"
            })
          )
    }),
    Path.layer
  )

describe("FileSource.fromPath", () => {
  it.effect("reads the size now, and opens the file once so that an unreadable one fails before anything is sent", () =>
    Effect.gen(function*() {
      const source = yield* FileSource.fromPath("docs/a.md").pipe(Effect.provide(disk(true)))
      assert.strictEqual(source.name, "a.md")
      assert.deepStrictEqual(source.size, Option.some(5))
      const unreadable = yield* Effect.flip(FileSource.fromPath("docs/a.md").pipe(Effect.provide(disk(false))))
      assert.strictEqual(unreadable._tag, "FileSourceError")
      assert.include(unreadable.description, "permission denied")
      const missing = yield* Effect.flip(FileSource.fromPath("docs/b.md").pipe(Effect.provide(disk(true))))
      assert.strictEqual(missing.name, "b.md")
    }))
})
