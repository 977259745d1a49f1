// What the pinecone-assistant tests share: the CLI run in-process (as on pipes) or as a child process
// (under a pseudo-terminal, or as another user), the screen a terminal shows, an emulator and
// temporary folders.
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { main } from "../src/internal/cli/assistant.js"
import * as NodeEmulator from "../src/NodeEmulator.js"
import { runInProcess } from "./inProcess.js"

export const apiKey = "assistant-cli-key-7f2c"
export const bin = fileURLToPath(new URL("../src/assistantBin.ts", import.meta.url))

export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`

export interface RunOptions {
  readonly tty?: boolean
  /** Run as this user (and group) id: root can make a file only another user cannot read. */
  readonly uid?: number
  /** Run through the bin, as a child process on pipes. */
  readonly spawn?: boolean
  /** The pseudo-terminal's size (default: script's, 80 x 24 or the caller's). */
  readonly size?: { readonly rows: number; readonly columns: number }
  readonly env?: Record<string, string>
  readonly onOutput?: (output: string, emulator: Emulator.Service | undefined) => void
}

/**
 * Runs `pinecone-assistant`: in-process off a terminal (as on pipes, where it prints NDJSON), or as a
 * child process under a pseudo-terminal made by `script` (`tty`: stdout and stderr are the one screen),
 * as another user (`uid`), or through the bin (`spawn`). `onOutput` may act on what it printed so far.
 */
export const run = (
  args: ReadonlyArray<string>,
  options: RunOptions = {}
): Effect.Effect<Run> =>
  options.tty || options.spawn || options.uid !== undefined
    ? runChild(args, options)
    : Effect.flatMap(Effect.serviceOption(Emulator.Emulator), (emulator) =>
      runInProcess(main, args, {
        env: options.env,
        onStdout: (stdout) => options.onOutput?.(stdout, emulator._tag === "Some" ? emulator.value : undefined)
      }))

const runChild = (args: ReadonlyArray<string>, options: RunOptions) =>
  Effect.flatMap(Effect.serviceOption(Emulator.Emulator), (emulator) =>
    Effect.async<Run>((resume) => {
      const node = [process.execPath, "--conditions=source", "--import", "tsx", bin, ...args]
      const child = options.tty
        ? spawn("script", [
          "-qec",
          (options.size === undefined ? "" : `stty rows ${options.size.rows} cols ${options.size.columns}; `) +
          node.map(quote).join(" "),
          "/dev/null"
        ], {
          env: { PATH: process.env.PATH ?? "", TERM: "xterm", ...options.env },
          stdio: ["ignore", "pipe", "pipe"]
        })
        : spawn(node[0]!, node.slice(1), {
          env: { PATH: process.env.PATH ?? "", ...(options.uid === undefined ? {} : { HOME: "/tmp" }), ...options.env },
          stdio: ["ignore", "pipe", "pipe"],
          ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid })
        })
      let stdout = ""
      let stderr = ""
      child.stdout!.on("data", (d) => {
        stdout += d
        options.onOutput?.(stdout, emulator._tag === "Some" ? emulator.value : undefined)
      })
      child.stderr!.on("data", (d) => (stderr += d))
      child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
      return Effect.sync(() => child.kill("SIGKILL"))
    }))

/**
 * The screen a terminal shows after `output`, scrollback included: carriage returns, erase-line and
 * cursor-up applied, as the person at the terminal sees the progress lines. With `rows`, the cursor
 * cannot go above the screen's top, as on a real terminal of that height: a redraw taller than the
 * screen leaves its copies in the scrollback.
 */
export const screen = (output: string, rows = Infinity): ReadonlyArray<string> => {
  const lines: Array<string> = [""]
  let row = 0
  let col = 0
  // eslint-disable-next-line no-control-regex
  const tokens = output.match(/\u001b\[[0-9;]*[A-Za-z]|\r|\n|[^\u001b\r\n]+/g) ?? []
  for (const token of tokens) {
    if (token === "\r") col = 0
    else if (token === "\n") {
      row++
      col = 0
      if (lines[row] === undefined) lines[row] = ""
    } else if (token.startsWith("\u001b[")) {
      const n = Number(token.slice(2, -1) || "1")
      const command = token.at(-1)
      if (command === "A") row = Math.max(0, lines.length - rows, row - n)
      else if (command === "K") lines[row] = n === 2 ? "" : lines[row]!.slice(0, col)
    } else {
      const line = lines[row]!.padEnd(col)
      lines[row] = line.slice(0, col) + token + line.slice(col + token.length)
      col += token.length
    }
  }
  return lines.map((l) => l.trimEnd()).filter((l) => l !== "")
}

export const withEmulator = <A, E, R>(
  f: (common: ReadonlyArray<string>) => Effect.Effect<A, E, R>,
  options: Emulator.Options = {}
) =>
  Effect.gen(function*() {
    const host = yield* NodeEmulator.url
    yield* Effect.flatMap(Emulator.Emulator, (e) => e.createAssistant("docs"))
    return yield* f(["--host", host, "--api-key", apiKey])
  }).pipe(Effect.provide(NodeEmulator.layer({ ...options, apiKey })))

export const folder = (files: Record<string, string | Uint8Array>) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const dir = mkdtempSync(join(tmpdir(), "pinecone-assistant-cli-"))
      for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
      return dir
    }),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

export const processing = (script: typeof Emulator.ProcessingScript.Encoded) =>
  Effect.flatMap(
    Emulator.Emulator,
    (e) => e.setProcessing(new Emulator.ProcessingScript(script), script.fileName)
  )
