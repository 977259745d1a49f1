import * as Emulator from "@effect-pinecone/core/Emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { spawn } from "node:child_process"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { fileURLToPath } from "node:url"
import { main } from "../src/internal/cli/operation.js"
import * as NodeEmulator from "../src/NodeEmulator.js"
import { runInProcess } from "./inProcess.js"

const apiKey = "cli-test-key-5a1e"
const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the CLI in-process, off a terminal; `onStdout` may act on the emulator as the output grows. */
const run = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  onStdout?: (stdout: string, emulator?: Emulator.Service) => void
): Effect.Effect<Run> =>
  Effect.flatMap(Effect.serviceOption(Emulator.Emulator), (emulator) =>
    Effect.map(
      runInProcess(main, args, {
        env,
        onStdout: (stdout) => onStdout?.(stdout, emulator._tag === "Some" ? emulator.value : undefined)
      }),
      (printed) => ({ ...printed, signal: null })
    ))

/** Runs the CLI's bin as a child process; `onStdout` may act on it (say, interrupt it). */
const spawned = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  onStdout?: (child: ReturnType<typeof spawn>, emulator?: Emulator.Service) => void
) =>
  Effect.flatMap(Effect.serviceOption(Emulator.Emulator), (emulator) =>
    Effect.async<Run>((resume) => {
      const child = spawn(process.execPath, ["--conditions=source", "--import", "tsx", bin, ...args], {
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      let stdout = ""
      let stderr = ""
      child.stdout!.on("data", (d) => {
        stdout += d
        onStdout?.(child, emulator._tag === "Some" ? emulator.value : undefined)
      })
      child.stderr!.on("data", (d) => (stderr += d))
      child.on("close", (code, signal) => resume(Effect.succeed({ code, signal, stdout, stderr })))
      return Effect.sync(() => child.kill("SIGKILL"))
    }))

const create = (input: typeof Emulator.CreateOperation.Encoded) =>
  Effect.flatMap(
    Emulator.Emulator,
    (e) => Effect.orDie(e.create(Schema.decodeUnknownSync(Emulator.CreateOperation)(input)))
  )

const withEmulator = <A, E>(f: (common: ReadonlyArray<string>) => Effect.Effect<A, E, Emulator.Emulator>) =>
  Effect.gen(function*() {
    const host = yield* NodeEmulator.url
    return yield* f(["--host", host, "--api-key", apiKey])
  }).pipe(Effect.provide(NodeEmulator.layer({ apiKey })))

/**
 * Ends the given operations through the emulator when the child first prints: the test drives the
 * emulator's state instead of racing its clock.
 */
const finishOnFirstOutput = (
  ops: ReadonlyArray<readonly [id: string, outcome?: "Completed" | "Failed", message?: string]>
) => {
  let done = false
  return (_: unknown, emulator?: Emulator.Service) => {
    if (done || emulator === undefined) return
    done = true
    for (const [id, outcome, message] of ops) {
      Effect.runFork(emulator.finish("docs", id, outcome ?? "Completed", message))
    }
  }
}

/** An expected failure is one line on stderr: no stack trace, no key. */
const assertOneLine = (result: Run, prefix: string) => {
  const lines = result.stderr.trim().split("\n")
  assert.strictEqual(lines.length, 1, result.stderr)
  assert.isTrue(lines[0]!.startsWith(prefix), result.stderr)
  assert.notInclude(result.stderr, apiKey)
  assert.notMatch(result.stderr, /\n\s+at /)
}

describe("pinecone-operation", () => {
  it.live("--help lists the commands and the exit codes; --version prints the version", () =>
    Effect.gen(function*() {
      const help = yield* run(["--help"])
      assert.strictEqual(help.code, 0)
      for (const text of ["describe", "wait", "emulator", "Exit codes", "--api-key", "--timeout", "--json"]) {
        assert.include(help.stdout, text)
      }
      const version = yield* run(["--version"])
      assert.strictEqual(version.code, 0)
      // the version alone on its line, no blank line after it; a usage error likewise
      assert.strictEqual(version.stdout, "0.1.0\n")
      const usage = yield* run(["wait", "docs", "op-1", "--timeout", "soon"])
      assert.strictEqual(usage.code, 2, usage.stderr)
      assert.isFalse(usage.stderr.endsWith("\n\n"), JSON.stringify(usage.stderr))
    }), 30_000)

  it.live(
    "describe: a summary (exit 0), or the wire JSON with --json, options before or after the arguments",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* create({ assistantName: "docs", id: "op-done", durationMs: 0, outcome: "Completed", fileId: "f.pdf" })
          const text = yield* run(["describe", "docs", "op-done", ...common])
          assert.strictEqual(text.code, 0, text.stderr)
          assert.match(text.stdout, /status\s+Completed/)
          assert.match(text.stdout, /file\s+f\.pdf/)
          const after = yield* run(["describe", "docs", "op-done", ...common, "--json"])
          const before = yield* run(["describe", "--json", ...common, "docs", "op-done"])
          for (const r of [after, before]) {
            assert.strictEqual(r.code, 0, r.stderr)
            const body = JSON.parse(r.stdout)
            assert.strictEqual(body.id, "op-done")
            assert.strictEqual(body.status, "Completed")
            assert.strictEqual(body.file_id, "f.pdf")
          }
        })
      ),
    30_000
  )

  it.live(
    "exit 3 for an API error, 2 for a missing key or invalid input, 5 for a transport failure",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          const notFound = yield* run(["describe", "docs", "op-nope", ...common])
          assert.strictEqual(notFound.code, 3)
          assertOneLine(notFound, "NotFoundError:")
          const wrongKey = yield* run(["describe", "docs", "op-nope", "--host", common[1]!, "--api-key", "wrong-key"])
          assert.strictEqual(wrongKey.code, 3)
          assertOneLine(wrongKey, "UnauthenticatedError:")
          const noKey = yield* run(["describe", "docs", "op-1", "--host", common[1]!])
          assert.strictEqual(noKey.code, 2)
          assertOneLine(noKey, "Missing API key")
          const envKey = yield* run(["describe", "docs", "op-nope"], {
            PINECONE_API_KEY: apiKey,
            PINECONE_ASSISTANT_HOST: common[1]!
          })
          assert.strictEqual(envKey.code, 3)
          const invalid = yield* run(["describe", "docs", "..", ...common])
          assert.strictEqual(invalid.code, 2)
          assertOneLine(invalid, "InvalidRequestError:")
          const usage = yield* run(["describe", "docs", ...common])
          assert.strictEqual(usage.code, 2)
          const badKey = yield* run(["describe", "docs", "op-1", "--host", common[1]!, "--api-key", `${apiKey}\r`])
          assert.strictEqual(badKey.code, 2)
          assertOneLine(badKey, "InvalidRequestError: Invalid apiKey")
          const emptyVersion = yield* run(["describe", "docs", "op-1", ...common, "--api-version", ""])
          assert.strictEqual(emptyVersion.code, 2)
          assertOneLine(emptyVersion, "InvalidRequestError: Invalid apiVersion")
          const refused = yield* run(["describe", "docs", "op-1", "--host", "http://127.0.0.1:1", "--api-key", apiKey])
          assert.strictEqual(refused.code, 5)
          assertOneLine(refused, "TransportError:")
        })
      ),
    60_000
  )

  it.live("exit 5 for a malformed response", () =>
    Effect.gen(function*() {
      const server = createServer((_, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{\"id\": 42")
      })
      const port = yield* Effect.async<number>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
      })
      const result = yield* run(["describe", "docs", "op-1", "--host", `http://127.0.0.1:${port}`, "--api-key", apiKey])
        .pipe(
          Effect.ensuring(Effect.sync(() => server.close()))
        )
      assert.strictEqual(result.code, 5)
      assertOneLine(result, "MalformedResponseError:")
    }), 30_000)

  it.live(
    "wait: one JSON snapshot per change when stdout is not a terminal, ending on Completed (exit 0)",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          // an hour long: the test ends it through the emulator once the first snapshot is out, so a slow
          // start cannot find it already complete
          yield* create({ assistantName: "docs", id: "op-run", durationMs: 3_600_000, outcome: "Completed" })
          const result = yield* run(["wait", "docs", "op-run", ...common], {}, finishOnFirstOutput([["op-run"]]))
          assert.strictEqual(result.code, 0, result.stderr)
          const lines = result.stdout.trim().split("\n").map((line) => JSON.parse(line))
          assert.isAtLeast(lines.length, 2)
          assert.strictEqual(lines[lines.length - 1].status, "Completed")
          const keys = lines.map((l) => `${l.status}/${l.percent_complete}`)
          assert.strictEqual(new Set(keys).size, keys.length)
        })
      ),
    30_000
  )

  it.live(
    "wait: exit 1 when the operation Failed, 4 when the budget runs out",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* create({
            assistantName: "docs",
            id: "op-bad",
            durationMs: 1000,
            outcome: "Failed",
            failAtPercent: 30,
            errorMessage: "bad scan"
          })
          yield* create({ assistantName: "docs", id: "op-long", durationMs: 600_000, outcome: "Completed" })
          const failed = yield* run(["wait", "docs", "op-bad", ...common, "--json"])
          assert.strictEqual(failed.code, 1)
          assertOneLine(failed, "OperationFailedError:")
          assert.include(failed.stderr, "bad scan")
          const last = JSON.parse(failed.stdout.trim().split("\n").pop()!)
          assert.strictEqual(last.status, "Failed")
          const timedOut = yield* run(["wait", "docs", "op-long", "--timeout", "1s", ...common])
          assert.strictEqual(timedOut.code, 4)
          assertOneLine(timedOut, "WaitTimeoutError:")
          const badTimeout = yield* run(["wait", "docs", "op-long", "--timeout", "soon", ...common])
          assert.strictEqual(badTimeout.code, 2)
        })
      ),
    60_000
  )

  it.live(
    "list: every page as lines or NDJSON, with filters; watch: a summary, exit 1 if any failed",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* create({ assistantName: "docs", id: "w-ok", durationMs: 3_600_000, outcome: "Completed" })
          yield* create({ assistantName: "docs", id: "w-bad", durationMs: 3_600_000, outcome: "Completed" })
          yield* create({
            assistantName: "docs",
            id: "w-old",
            durationMs: 0,
            outcome: "Completed",
            operationType: "delete_file"
          })
          const processing = yield* run(["list", "--status", "Processing", "docs", "--json", ...common])
          assert.deepStrictEqual(processing.stdout.trim().split("\n").map((l) => JSON.parse(l).id).sort(), [
            "w-bad",
            "w-ok"
          ])
          const watch = yield* run(
            ["watch", "docs", ...common],
            {},
            finishOnFirstOutput([["w-ok"], ["w-bad", "Failed", "bad scan"]])
          )
          assert.strictEqual(watch.code, 1, watch.stderr)
          assert.include(watch.stderr, "1 completed, 1 failed")
          assert.include(watch.stderr, "w-bad failed: bad scan")
          const last = watch.stdout.trim().split("\n").map((l) => JSON.parse(l))
          assert.deepStrictEqual(
            new Set(last.filter((o) => o.status !== "Processing").map((o) => o.id)),
            new Set(["w-ok", "w-bad"])
          )
          const lines = yield* run(["list", "docs", ...common])
          assert.strictEqual(lines.code, 0, lines.stderr)
          assert.strictEqual(lines.stdout.trim().split("\n").length, 3)
          const filtered = yield* run(["list", "docs", "--type", "delete_file", "--json", ...common])
          assert.strictEqual(filtered.code, 0, filtered.stderr)
          assert.deepStrictEqual(filtered.stdout.trim().split("\n").map((l) => JSON.parse(l).id), ["w-old"])
          const missing = yield* run(["list", "ghost", ...common])
          assert.strictEqual(missing.code, 3)
        })
      ),
    60_000
  )

  it.live("Ctrl-C during wait stops at once with exit 130", () =>
    withEmulator((common) =>
      Effect.gen(function*() {
        yield* create({ assistantName: "docs", id: "op-long", durationMs: 600_000, outcome: "Completed" })
        let sent = false
        const result = yield* spawned(["wait", "docs", "op-long", ...common], {}, (child) => {
          if (!sent) {
            sent = true
            child.kill("SIGINT")
          }
        })
        assert.strictEqual(result.code, 130)
        assert.strictEqual(result.stderr, "")
      })
    ), 30_000)

  it.live(
    "a reader that goes away (| head -1) ends the command quietly, exit 0",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          // far more than a pipe holds, so that writes are still going when head exits
          for (let i = 0; i < 2000; i++) {
            yield* create({ assistantName: "docs", id: `op-${i}`, durationMs: 0, outcome: "Completed" })
          }
          const cli = [process.execPath, "--conditions=source", "--import", "tsx", bin, "list", "docs", ...common]
            .map((a) => `'${a}'`).join(" ")
          const result = yield* shell(`${cli} | head -1; echo "cli exit \${PIPESTATUS[0]}" >&2`)
          assert.strictEqual(result.stdout.trim().split("\n").length, 1)
          assert.include(result.stderr, "cli exit 0")
          assert.notInclude(result.stderr, "EPIPE")
          assert.notMatch(result.stderr, /\n\s+at /)
        })
      ),
    60_000
  )

  it.live("emulator --port 70000: exit 2 with one line, no stack trace", () =>
    Effect.gen(function*() {
      const result = yield* run(["emulator", "--port", "70000"])
      assert.strictEqual(result.code, 2)
      assertOneLine(result, "Invalid --port 70000")
    }), 30_000)

  it.live(
    "a server message with newlines, ESC and BEL reaches stderr as one escaped line",
    () =>
      Effect.gen(function*() {
        const hostile = "first line\nsecond line\u001b[31m red\u0007 bell"
        const server = createServer((_, res) => {
          res.writeHead(404, { "content-type": "application/json" })
          res.end(JSON.stringify({ status: 404, error: { code: "NOT_FOUND", message: hostile } }))
        })
        const port = yield* Effect.async<number>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
        })
        const result = yield* run([
          "describe",
          "docs",
          "op-1",
          "--host",
          `http://127.0.0.1:${port}`,
          "--api-key",
          apiKey
        ])
          .pipe(Effect.ensuring(Effect.sync(() => server.close())))
        assert.strictEqual(result.code, 3)
        assertOneLine(result, "NotFoundError:")
        assert.notMatch(result.stderr, /[\u0007\u001b]/)
        assert.include(result.stderr, "first line second line\\x1b[31m red\\x07 bell")
      }),
    30_000
  )

  it.live(
    "--help has no ANSI escapes on a pipe, nor on a terminal with NO_COLOR; it has them on a terminal",
    () =>
      Effect.gen(function*() {
        const piped = yield* run(["--help"])
        assert.notMatch(piped.stdout, /\u001b\[/)
        assert.include(piped.stdout, "describe")
        const cli = [process.execPath, "--conditions=source", "--import", "tsx", bin, "--help"].map((a) => `'${a}'`)
          .join(" ")
        const noColor = yield* shell(`script -qec "${cli}" /dev/null`, { NO_COLOR: "1" })
        assert.include(noColor.stdout, "describe")
        assert.notMatch(noColor.stdout, /\u001b\[/)
        const colored = yield* shell(`script -qec "${cli}" /dev/null`)
        assert.match(colored.stdout, /\u001b\[/)
      }),
    60_000
  )

  it.live(
    "options and --help anywhere on the line; --completions and --wizard work",
    () =>
      withEmulator((common) =>
        Effect.gen(function*() {
          yield* create({ assistantName: "docs", id: "op-done", durationMs: 0, outcome: "Completed" })
          const mixed = yield* run([
            "describe",
            common[0]!,
            common[1]!,
            "docs",
            "--json",
            "op-done",
            ...common.slice(2)
          ])
          assert.strictEqual(mixed.code, 0, mixed.stderr)
          assert.strictEqual(JSON.parse(mixed.stdout).id, "op-done")
          const helpAfterValue = yield* run(["describe", "--host", "http://x", "--help"])
          assert.strictEqual(helpAfterValue.code, 0, helpAfterValue.stderr)
          assert.include(helpAfterValue.stdout, "USAGE")
          const helpAfterArgs = yield* run(["wait", "docs", "op-1", "--timeout", "5s", "--help"])
          assert.strictEqual(helpAfterArgs.code, 0, helpAfterArgs.stderr)
          assert.include(helpAfterArgs.stdout, "--timeout")
          const completions = yield* run(["--completions", "bash"])
          assert.strictEqual(completions.code, 0, completions.stderr)
          assert.include(completions.stdout, "complete -F")
          // the wizard waits for answers: seen starting, then stopped
          const wizard = yield* spawned(["--wizard"], {}, (child) => child.kill("SIGINT"))
          assert.include(wizard.stdout, "Wizard Mode")
        })
      ),
    60_000
  )

  it.live(
    "wait shows the failure it rides out as it happens (NDJSON event), and its timeout says why",
    () =>
      Effect.gen(function*() {
        const server = createServer((_, res) => {
          res.writeHead(503, { "content-type": "application/json" })
          res.end(JSON.stringify({ status: 503, error: { code: "UNAVAILABLE", message: "down for maintenance" } }))
        })
        const port = yield* Effect.async<number>((resume) => {
          server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
        })
        const result = yield* run([
          "wait",
          "docs",
          "op-1",
          "--timeout",
          "3s",
          "--host",
          `http://127.0.0.1:${port}`,
          "--api-key",
          apiKey
        ]).pipe(Effect.ensuring(Effect.sync(() => server.close())))
        assert.strictEqual(result.code, 4, result.stderr)
        const events = result.stdout.trim().split("\n").map((l) => JSON.parse(l))
        assert.deepStrictEqual(events[0], {
          event: "retry",
          error: "UnavailableError",
          message: "down for maintenance"
        })
        assertOneLine(result, "WaitTimeoutError:")
        assert.include(result.stderr, "down for maintenance")
      }),
    30_000
  )
})

/** Runs a shell command line (for pipes and pseudo-terminals). */
const shell = (line: string, env: Record<string, string> = {}) =>
  Effect.async<Run>((resume) => {
    const child = spawn("bash", ["-c", line], {
      env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout!.on("data", (d) => (stdout += d))
    child.stderr!.on("data", (d) => (stderr += d))
    child.on("close", (code, signal) => resume(Effect.succeed({ code, signal, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })
