// What both command lines share: the connection options, how help is shown and how a run ends.
import * as Args from "@effect/cli/Args"
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import type * as Terminal from "@effect/platform/Terminal"
import * as Cause from "effect/Cause"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as exit from "../output/exit.js"
import { currentSecrets, err, isTerminal, redactWith, terminalSize, withOutput } from "../output/print.js"
import { parseTimeout } from "./duration.js"
import * as Environment from "./environment.js"
import * as Help from "./help.js"

/** @internal */
export const host = Options.text("host").pipe(
  Options.withPseudoName("URL"),
  Options.withDescription("The assistant's data-plane host (or PINECONE_ASSISTANT_HOST; default: found per assistant)"),
  Options.withFallbackConfig(Environment.assistantHost),
  Options.optional
)

/** @internal */
export const apiKey = Options.redacted("api-key").pipe(
  Options.withPseudoName("KEY"),
  Options.withDescription("The Pinecone API key (or PINECONE_API_KEY)"),
  Options.withFallbackConfig(Environment.apiKey),
  Options.optional
)

/** @internal */
export const apiVersion = Options.text("api-version").pipe(
  Options.withPseudoName("VERSION"),
  Options.withDescription("The API version header (or PINECONE_API_VERSION; default 2026-04)"),
  Options.withFallbackConfig(Environment.apiVersion),
  Options.optional
)

/** @internal */
export const controlHost = Options.text("control-host").pipe(
  Options.withPseudoName("URL"),
  Options.withDescription(
    "The control plane, where each assistant's host is found (or PINECONE_CONTROL_HOST; default https://api.pinecone.io)"
  ),
  Options.withFallbackConfig(Environment.controlHost),
  Options.optional
)

/** @internal */
export const allowInsecure = Options.boolean("allow-insecure").pipe(
  Options.withDescription("Allow plain http:// to a host that is not loopback")
)

/** @internal */
export const maxRequestsPerSecond = Options.integer("max-requests-per-second").pipe(
  Options.withPseudoName("N"),
  Options.withDescription("A budget shared by every request of this run (default: none)"),
  Options.optional
)

/** The connection options of `pinecone-assistant`'s commands. @internal */
export const connection = { host, controlHost, apiKey, apiVersion, allowInsecure, maxRequestsPerSecond }

/** @internal */
export const json = Options.boolean("json").pipe(Options.withDescription("Print JSON: one line per event"))

/** @internal */
export const assistant = Args.text({ name: "assistant" }).pipe(Args.withDescription("The assistant's name"))

/** `--timeout`, parsed by the option itself: a duration that cannot be read is a usage error before any handler runs. @internal */
export const timeout = Options.text("timeout").pipe(
  Options.withPseudoName("DURATION"),
  Options.withDescription("The time budget: 90s, 10m, 1h30m, 10 minutes or infinity (default 30m)"),
  Options.withDefault("30m"),
  Options.mapEffect((text) =>
    Option.match(parseTimeout(text), {
      onNone: () =>
        Effect.fail(
          ValidationError.invalidValue(
            HelpDoc.p(
              `Invalid --timeout '${
                exit.sanitize(text)
              }': use a duration such as 90s, 10m, 1h30m, 10 minutes or infinity`
            )
          )
        ),
      onSome: Effect.succeed
    })
  )
)

// Help and usage errors are styled with ANSI escapes: only for a terminal, and never with NO_COLOR
// (https://no-color.org).
const colors = Effect.zipWith(isTerminal, Environment.noColor, (tty, noColor) => tty && !noColor)

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g

// @effect/cli describes every primitive ("A user-defined piece of text."): the placeholder already
// says what an option takes, so those lines are dropped, with the blank line after them.
const boilerplate =
  /^[ \t]*(?:\u001b\[[0-9;]*m)*(?:A user-defined piece of text(?: that is confidential)?\.|An integer\.|A true or false value\.|This setting is optional\.|This option can be set from environment variables\.)(?:\u001b\[[0-9;]*m)*\n\n?/gm

/**
 * The help text as a person reads it: a subcommand's usage lines start with the program and the
 * commands leading to it (@effect/cli prints only the last name), without the generic lines.
 */
const helpText = (text: string, usagePrefix: string): string => {
  const plain = text.replace(boilerplate, "")
  return usagePrefix === "" ? plain : plain.replace(/^((?:\u001b\[[0-9;]*m)*)\$ /gm, `$1$$ ${usagePrefix} `)
}

const mapConsole = (console: Console.Console, f: (text: string) => string): Console.Console => {
  const map = (args: ReadonlyArray<unknown>) => args.map((a) => typeof a === "string" ? f(a) : a)
  return {
    ...console,
    log: (...args) => console.log(...map(args)),
    error: (...args) => console.error(...map(args)),
    unsafe: {
      ...console.unsafe,
      log: (...args) => console.unsafe.log(...map(args)),
      error: (...args) => console.unsafe.error(...map(args))
    }
  }
}

/**
 * `--help` (or `-h`) anywhere on the line shows the help of the command it follows: the leading
 * subcommand names are kept, everything else is dropped. @effect/cli reads options anywhere itself,
 * but parses a command's own options and arguments before its built-in ones, so that
 * `describe --host URL --help` would fail on the missing arguments instead.
 * @internal
 */
export const helpAnywhere = (
  argv: ReadonlyArray<string>,
  tree: CommandTree
): { readonly argv: ReadonlyArray<string>; readonly path: ReadonlyArray<string> } => {
  const [node, script, ...rest] = argv
  const end = rest.indexOf("--")
  const options = end === -1 ? rest : rest.slice(0, end)
  if (!options.includes("--help") && !options.includes("-h")) return { argv, path: [] }
  const path: Array<string> = []
  let level: CommandTree | undefined = tree
  for (const word of rest) {
    const next: CommandTree | undefined = level?.[word]
    if (next === undefined) break
    path.push(word)
    level = next
  }
  return { argv: [node!, script!, ...path, "--help"], path }
}

/** The subcommand names of a command line, nested. @internal */
export interface CommandTree {
  readonly [name: string]: CommandTree
}

// The terminal is the caller's: the bin's is Node's, a test's is its own.
const CliLive = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)

/**
 * Runs a command line on `argv` (as `process.argv`) and resolves to the exit code; expected failures
 * are printed as one line on stderr, never with a stack trace, and a bug (a defect) in full, as exit
 * code 70. It prints through the `Terminal` it is given and the current `Console` only, so that it
 * runs in-process in a test.
 * @internal
 */
export const runCli = <Name extends string, A>(options: {
  readonly name: Name
  readonly version: string
  readonly command: Command.Command<Name, CliApp.CliApp.Environment, exit.CliExit, A>
  readonly tree: CommandTree
  /** The program's own help and typo checks (else @effect/cli's help). */
  readonly program?: Help.Program | undefined
}) => {
  const cli = Command.run(options.command, { name: options.name, version: options.version })
  return (argv: ReadonlyArray<string>): Effect.Effect<number, never, Terminal.Terminal> =>
    Effect.gen(function*() {
      const { argv: args, path } = helpAnywhere(argv, options.tree)
      const program = options.program
      if (program !== undefined) {
        const width = Math.min((yield* terminalSize({ columns: 80, rows: 24 })).columns, 100)
        if (argv.length <= 2 || args.includes("--help")) {
          yield* Console.log(Help.render(program, argv.length <= 2 ? [] : path, width).trimEnd())
          return exit.ExitCode.Ok as number
        }
        const wrong = Help.misspelt(program, argv.slice(2))
        if (wrong !== undefined) {
          yield* err(`${exit.sanitize(wrong)}\n`)
          return exit.ExitCode.Usage as number
        }
      }
      const prefix = path.length === 0 ? "" : [options.name, ...path.slice(0, -1)].join(" ")
      const styled = yield* colors
      const secrets = yield* currentSecrets
      return yield* cli(args).pipe(
        Effect.as(exit.ExitCode.Ok as number),
        Effect.catchIf(ValidationError.isValidationError, () => Effect.succeed(exit.ExitCode.Usage as number)),
        Effect.catchTag(
          "CliExit",
          // an empty message: the command's own summary said why
          (e) => e.message === "" ? Effect.succeed(e.code) : Effect.as(err(`${exit.sanitize(e.message)}\n`), e.code)
        ),
        Effect.provide(CliLive),
        (effect) =>
          Effect.flatMap(Effect.console, (c) =>
            Effect.withConsole(
              effect,
              mapConsole(c, (text) => {
                // @effect/cli's own texts (the version, a usage error) end in a newline that the Console adds
                // again: one line, not a line and a blank one
                const help = helpText(text.endsWith("\n") ? text.slice(0, -1) : text, prefix)
                return redactWith(secrets, styled ? help : help.replace(ansi, ""))
              })
            ))
      )
    }).pipe(
      // not an expected failure (those are exit codes 1-5): a bug, shown in full
      Effect.catchAllCause((cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.failCause(cause)
          : Effect.as(err(`internal error: ${Cause.pretty(cause)}\n`), exit.ExitCode.Internal as number)
      ),
      withOutput
    )
}
