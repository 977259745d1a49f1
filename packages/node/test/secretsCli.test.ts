// What the CLI must never print: the API key (whatever echoes it: a server's error message) and a
// signed URL the user did not ask for. And an unreadable file among the arguments is a usage error
// found before anything is sent.
import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { chmodSync } from "node:fs"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { folder, run, withEmulator } from "./cliHelpers.js"

const key = "pcsk_live_Zq81SECRETkey0042"
const signedUrl = "https://storage.example/files/a.md?X-Goog-Signature=SIGNED0SECRET"
const file = {
  id: "f1",
  name: "a.md",
  metadata: null,
  created_on: "2026-12-01T00:00:00Z",
  updated_on: "2026-12-01T00:00:00Z",
  status: "Available",
  size: 1,
  multimodal: false,
  signed_url: signedUrl
}

/** A server that echoes the key in every error, and sends signed URLs nobody asked for. */
const server = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly close: () => void }>((resume) => {
    const s = createServer((req: IncomingMessage, res) => {
      req.resume()
      const path = (req.url ?? "").split("?")[0]!
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" })
        res.end(JSON.stringify(body))
      }
      if (req.headers["x-test-mode"] === "urls" || req.headers["api-key"] === "urls-key-0001") {
        if (req.method === "GET" && path === "/assistant/files/docs/f1") return json(200, file)
        if (req.method === "GET" && path === "/assistant/files/docs") return json(200, { files: [file] })
      }
      json(401, {
        status: 401,
        error: { code: "UNAUTHENTICATED", message: `Invalid API key ${String(req.headers["api-key"])}; check it` }
      })
    })
    s.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`,
        close: () => s.close()
      })))
  }),
  (s) => Effect.sync(() => s.close())
)

describe("pinecone-assistant never prints what it was not asked to", () => {
  it.live(
    "a server error echoing the API key: upload, list, sync and describe print <redacted>, on a terminal and off",
    () =>
      Effect.gen(function*() {
        const { url } = yield* server
        const dir = yield* folder({ "a.md": "# a" })
        const common = ["--host", url, "--api-key", key]
        const commands: ReadonlyArray<ReadonlyArray<string>> = [
          ["files", "upload", "docs", join(dir, "a.md")],
          ["files", "list", "docs"],
          ["files", "sync", "docs", dir],
          ["files", "describe", "docs", "f1"],
          ["operations", "describe", "docs", "op-1"]
        ]
        for (const command of commands) {
          for (const mode of [{}, { tty: true }, { json: true }] as const) {
            const args = "json" in mode ? [...command, "--json", ...common] : [...command, ...common]
            const result = yield* run(args, { tty: "tty" in mode })
            const printed = result.stdout + result.stderr
            assert.notStrictEqual(result.code, 0, `${args.join(" ")}: ${printed}`)
            assert.include(printed, "Invalid API key", `${command.join(" ")}: ${printed}`)
            assert.notInclude(printed, key, `${command.join(" ")} printed the key: ${printed}`)
            assert.include(printed, "<redacted>")
          }
        }
        // the same key from the environment
        const viaEnv = yield* run(["files", "list", "docs", "--host", url], { env: { PINECONE_API_KEY: key } })
        assert.notInclude(viaEnv.stdout + viaEnv.stderr, key)
        assert.include(viaEnv.stderr, "<redacted>")
      }).pipe(Effect.scoped),
    120_000
  )

  it.live(
    "a signed URL the server sends unasked is not printed by describe --json or list --json; --url prints it",
    () =>
      Effect.gen(function*() {
        const { url } = yield* server
        const common = ["--host", url, "--api-key", "urls-key-0001"]
        const describe = yield* run(["files", "describe", "docs", "f1", "--json", ...common])
        assert.strictEqual(describe.code, 0, describe.stderr)
        assert.strictEqual(JSON.parse(describe.stdout).id, "f1")
        assert.notInclude(describe.stdout, "SIGNED0SECRET")
        const list = yield* run(["files", "list", "docs", "--json", ...common])
        assert.strictEqual(list.code, 0, list.stderr)
        assert.strictEqual(JSON.parse(list.stdout.trim()).id, "f1")
        assert.notInclude(list.stdout, "SIGNED0SECRET")
        const plain = yield* run(["files", "describe", "docs", "f1", ...common])
        assert.notInclude(plain.stdout, "SIGNED0SECRET")
        const asked = yield* run(["files", "describe", "docs", "f1", "--json", "--url", ...common])
        assert.strictEqual(JSON.parse(asked.stdout).signed_url, signedUrl)
      }).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "an unreadable file among the arguments is exit 2 before anything is sent",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const dir = yield* folder({ "ok.md": "# ok", "locked.md": "# locked" })
          chmodSync(join(dir, "locked.md"), 0o000)
          chmodSync(dir, 0o755)
          const args = ["files", "upload", "docs", join(dir, "ok.md"), join(dir, "locked.md"), ...common]
          // root reads any file: the CLI runs as nobody there, as a user would meet the case
          const result = yield* run(args, process.getuid?.() === 0 ? { uid: 65534 } : {})
          assert.strictEqual(result.code, 2, result.stderr)
          assert.include(result.stderr, "Cannot read")
          assert.include(result.stderr, "locked.md")
          const stored = yield* Effect.flatMap(Emulator.Emulator, (e) => e.storedFiles("docs"))
          assert.strictEqual(stored.length, 0, "nothing was sent")
        })
      ).pipe(Effect.scoped),
    60_000
  )
})
