import { assert, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { exec } from "./helpers.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find(existsSync)

const run = (command: string, args: ReadonlyArray<string>) => exec(command, args, { cwd: root })

// Debian's Chromium, headless, with the flags that keep it off the closed network.
const browser = (profile: string, ...args: ReadonlyArray<string>) =>
  run(chromium!, [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    `--user-data-dir=${profile}`,
    ...args
  ])

/** The text a person sees on a page, after its scripts ran: tags dropped, whitespace collapsed. */
const rendered = (profile: string, page: string) =>
  Effect.map(
    browser(profile, "--virtual-time-budget=5000", "--dump-dom", `file://${root}docs/api/${page}`),
    (r) =>
      r.stdout
        .replace(/<script[\s\S]*?<\/script>/g, "")
        .replace(/<style[\s\S]*?<\/style>/g, "")
        .replace(/<[^>]+>/g, " ")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, "\"")
        .replace(/&amp;/g, "&")
        .replace(/\s+/g, " ")
  )

const files = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })

it.live(
  "the API reference, rendered in headless Chromium: the README as index, module docs, every field described, no Schema source, nothing from node_modules",
  () =>
    Effect.gen(function*() {
      assert.isDefined(chromium, "Debian's chromium is needed (bash .ci/run installs it: apt-get install chromium)")
      const docs = yield* run(process.execPath, [`${root}node_modules/typedoc/bin/typedoc`])
      assert.strictEqual(docs.code, 0, docs.stdout + docs.stderr)
      const profile = mkdtempSync(join(tmpdir(), "effect-pinecone-chromium-"))
      try {
        const index = yield* rendered(profile, "index.html")
        assert.include(index, "Upload a file and wait until it is ready")
        assert.include(index, "npm i @effect-pinecone/core @effect-pinecone/node effect@3.22")

        const operation = yield* rendered(profile, "classes/_effect-pinecone_core.Operation.Operation.html")
        assert.include(operation, "How far processing is, 0 to 100")
        assert.include(operation, "Schema.Class<Operation>")
        for (const field of ["percentComplete", "errorMessage", "completedOn", "ingestionUnits", "operationType"]) {
          assert.include(operation, field)
        }
        assert.notInclude(operation, "Inherited from")
        assert.notInclude(operation, "optionalWire(")
        assert.notInclude(operation, "transformOrFail")

        const file = yield* rendered(profile, "classes/_effect-pinecone_core.AssistantFile.AssistantFile.html")
        assert.include(file, "A temporary read-only link to the file")
        assert.notInclude(file, "Inherited from")

        const timeout = yield* rendered(profile, "classes/_effect-pinecone_core.AssistantError.WaitTimeoutError.html")
        assert.include(timeout, "The last transient failure seen")
        assert.include(timeout, "The error, for a person")
        assert.notInclude(timeout, "Inherited from")

        const module = yield* rendered(profile, "modules/_effect-pinecone_core.Operation.html")
        assert.include(module, "what Pinecone answers when asked about a background file operation")
        // each export's summary beside its name, not bare names
        assert.include(module, "decodeUnknown Decodes a parsed JSON value into an Operation")
        assert.include(module, "summary A short human-readable line")
        const sync = yield* rendered(profile, "modules/_effect-pinecone_core.AssistantSync.html")
        assert.include(sync, "syncDirectory sync of a folder's files")

        // the index: one title, and every link lands on something
        const indexHtml = readFileSync(join(root, "docs/api/index.html"), "utf8")
        assert.strictEqual(indexHtml.match(/<h1[\s>]/g)?.length, 1, "the title once")
        const hrefs = Array.from(indexHtml.matchAll(/href="([^"#]+)(?:#[^"]*)?"/g), (m) => m[1]!)
        assert.isAbove(hrefs.length, 10)
        for (const href of hrefs) {
          assert.notMatch(href, /^https?:\/\/[A-Z]+\.md$/, `a file name taken for a host: ${href}`)
          if (/^[a-z]+:/.test(href)) continue
          assert.isTrue(existsSync(join(root, "docs/api", decodeURIComponent(href))), `broken link ${href}`)
          assert.isTrue(statSync(join(root, "docs/api", decodeURIComponent(href))).isFile(), `not a page ${href}`)
        }

        for (const page of files(join(root, "docs/api")).filter((f) => f.endsWith(".html"))) {
          assert.notInclude(readFileSync(page, "utf8"), "node_modules", page)
        }

        // one screenshot, kept out of the repository, for a person to look at. TypeDoc's pages hide
        // their body until a 500 ms timer shows it: the virtual time budget lets it run before the shot
        const screenshot = join(tmpdir(), "effect-pinecone-api-operation.png")
        rmSync(screenshot, { force: true })
        yield* browser(
          profile,
          "--virtual-time-budget=5000",
          "--window-size=1280,1600",
          `--screenshot=${screenshot}`,
          `file://${root}docs/api/classes/_effect-pinecone_core.Operation.Operation.html`
        )
        assert.isAbove(statSync(screenshot).size, 10_000)
      } finally {
        rmSync(profile, { recursive: true, force: true })
      }
    }),
  300_000
)
