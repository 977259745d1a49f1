// Every line the CLIs print goes through here, to Effect's `Terminal` (standard output) and
// `Console` (standard error), so that a command runs in-process under a test terminal and console.
// Secrets the CLI was given (the API key) never reach the screen, whatever their source (a server's
// error message that echoes the key, say).
import * as Terminal from "@effect/platform/Terminal"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"

/** What a run prints through: its terminal and the secrets it keeps off the screen. */
interface Run {
  readonly terminal: Terminal.Terminal
  readonly secrets: Set<string>
}

// Set by `withOutput` for a run and shared by each of its fibers, so that the callbacks a command gives
// the core (onRound, onSnapshot, ...) print without a Terminal in their types, and a secret added by a
// command is kept off the lines its forked fibers print too.
const current = globalValue(
  Symbol.for("@effect-pinecone/node/internal/output/current"),
  () => FiberRef.unsafeMake<Run | undefined>(undefined)
)

const withRun = <A>(f: (run: Run) => Effect.Effect<A>): Effect.Effect<A> =>
  FiberRef.getWith(
    current,
    (run) => run === undefined ? Effect.dieMessage("printed outside a command line's run") : f(run)
  )

/** Runs `effect` as a command line's run: printing to the given Terminal, with secrets of its own. @internal */
export const withOutput = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R | Terminal.Terminal> =>
  Effect.flatMap(
    Terminal.Terminal,
    (terminal) => Effect.locally(effect, current, { terminal, secrets: new Set<string>() })
  )

/** Keeps `secret` off every line printed from now on in this run (values shorter than 4 characters excepted). @internal */
export const addSecret = (secret: string): Effect.Effect<void> =>
  withRun((run) =>
    Effect.sync(() => {
      if (secret.trim().length >= 4) run.secrets.add(secret.trim())
    })
  )

/** `text` with each secret of `set` replaced by `<redacted>`. @internal */
export const redactWith = (set: ReadonlySet<string>, text: string): string => {
  let out = text
  for (const secret of set) out = out.split(secret).join("<redacted>")
  return out
}

/** The run's secrets, for a printer that is not an effect (the console @effect/cli prints help to). @internal */
export const currentSecrets: Effect.Effect<ReadonlySet<string>> = withRun((run) => Effect.succeed(run.secrets))

/**
 * Writes to standard output, unbuffered and unchanged but for secrets. A failed write is dropped: there is
 * nowhere left to say it, and the bin ends a run whose reader went away (`... | head -1`).
 * @internal
 */
export const out = (text: string): Effect.Effect<void> =>
  withRun((run) => Effect.ignore(run.terminal.display(redactWith(run.secrets, text))))

/** Writes lines to standard error, unchanged but for secrets (`text` ends with its newline). @internal */
export const err = (text: string): Effect.Effect<void> =>
  withRun((run) => Console.error(redactWith(run.secrets, text.endsWith("\n") ? text.slice(0, -1) : text)))

/** Whether standard output is a terminal (a live display, colours), else NDJSON and plain text. @internal */
export const isTerminal: Effect.Effect<boolean> = withRun((run) => run.terminal.isTTY)

/** The terminal's size, or a default when it is not one. @internal */
export const terminalSize = (defaults: { readonly columns: number; readonly rows: number }) =>
  withRun((run) =>
    Effect.map(Effect.all([run.terminal.columns, run.terminal.rows]), ([columns, rows]) => ({
      columns: columns || defaults.columns,
      rows: rows || defaults.rows
    }))
  )
