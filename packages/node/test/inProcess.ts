// A command line run in-process, as the bin runs it but on a test terminal and console: what it
// printed to standard output (through the Terminal, and @effect/cli's help through Console.log) and to
// standard error (Console.error), and its exit code. The environment is only what the test gives.
import * as Terminal from "@effect/platform/Terminal"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import { format } from "node:util"

export interface Printed {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const capture = (log: (text: string) => void, error: (text: string) => void): Console.Console => {
  const unsafe: Console.UnsafeConsole = {
    assert: () => {},
    clear: () => {},
    count: () => {},
    countReset: () => {},
    debug: (...args) => log(format(...args) + "\n"),
    dir: (item) => log(format(item) + "\n"),
    dirxml: (...args) => log(format(...args) + "\n"),
    error: (...args) => error(format(...args) + "\n"),
    group: () => {},
    groupCollapsed: () => {},
    groupEnd: () => {},
    info: (...args) => log(format(...args) + "\n"),
    log: (...args) => log(format(...args) + "\n"),
    table: (data) => log(format(data) + "\n"),
    time: () => {},
    timeEnd: () => {},
    timeLog: () => {},
    trace: (...args) => error(format(...args) + "\n"),
    warn: (...args) => error(format(...args) + "\n")
  }
  const lift = <Args extends ReadonlyArray<any>>(f: (...args: Args) => void) => (...args: Args) =>
    Effect.sync(() => f(...args))
  return {
    [Console.TypeId]: Console.TypeId,
    assert: lift(unsafe.assert),
    clear: Effect.void,
    count: lift(unsafe.count),
    countReset: lift(unsafe.countReset),
    debug: lift(unsafe.debug),
    dir: lift(unsafe.dir),
    dirxml: lift(unsafe.dirxml),
    error: lift(unsafe.error),
    group: () => Effect.void,
    groupEnd: Effect.void,
    info: lift(unsafe.info),
    log: lift(unsafe.log),
    table: lift(unsafe.table),
    time: lift(unsafe.time),
    timeEnd: lift(unsafe.timeEnd),
    timeLog: lift(unsafe.timeLog),
    trace: lift(unsafe.trace),
    warn: lift(unsafe.warn),
    unsafe
  }
}

/**
 * Runs `main` on `args` in-process, off a terminal (as on pipes): `onStdout` sees standard output as it
 * grows. `env` is the whole environment the command reads.
 */
export const runInProcess = (
  main: (argv: ReadonlyArray<string>) => Effect.Effect<number, never, Terminal.Terminal>,
  args: ReadonlyArray<string>,
  options: {
    readonly env?: Record<string, string> | undefined
    readonly onStdout?: ((stdout: string) => void) | undefined
  } = {}
): Effect.Effect<Printed> =>
  Effect.suspend(() => {
    let stdout = ""
    let stderr = ""
    const write = (text: string) => {
      stdout += text
      options.onStdout?.(stdout)
    }
    const terminal = Terminal.Terminal.of({
      columns: Effect.succeed(0),
      rows: Effect.succeed(0),
      isTTY: Effect.succeed(false),
      readInput: Effect.dieMessage("no input in a test run"),
      readLine: Effect.fail(new Terminal.QuitException()),
      display: (text) => Effect.sync(() => write(text))
    })
    return main(["node", "cli", ...args]).pipe(
      Effect.provideService(Terminal.Terminal, terminal),
      Effect.withConsole(capture(write, (text) => (stderr += text))),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(options.env ?? {})))),
      Effect.map((code) => ({ code, stdout, stderr }))
    )
  })
