/**
 * The `pinecone-operation` command line: describe and wait for Assistant operations, and run the
 * local emulator.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Config from "effect/Config"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as exit from "./internal/exit.js"
import { version } from "./internal/version.js"

/**
 * The exit codes of `pinecone-operation`: 0 completed or described; 1 the operation Failed; 2 usage
 * or invalid input (including a missing API key); 3 an API error response; 4 the wait timed out; 5
 * transport failure or malformed response; 130 interrupted.
 *
 * @since 0.1.0
 * @category constants
 */
export const ExitCode: typeof exit.ExitCode = exit.ExitCode

/**
 * The exit code for a typed error of the library.
 *
 * @since 0.1.0
 * @category exit codes
 */
export const exitCodeOf: typeof exit.exitCodeOf = exit.exitCodeOf

const commands = Effect.promise(() => import("./internal/commands.js"))

const host = Options.text("host").pipe(
  Options.withDescription("The assistant's data-plane host (or PINECONE_ASSISTANT_HOST)"),
  Options.withFallbackConfig(Config.string("PINECONE_ASSISTANT_HOST")),
  Options.optional
)
const apiKey = Options.redacted("api-key").pipe(
  Options.withDescription("The Pinecone API key (or PINECONE_API_KEY)"),
  Options.withFallbackConfig(Config.redacted("PINECONE_API_KEY")),
  Options.optional
)
const apiVersion = Options.text("api-version").pipe(
  Options.withDescription("The API version header (or PINECONE_API_VERSION; default 2026-04)"),
  Options.withFallbackConfig(Config.string("PINECONE_API_VERSION")),
  Options.optional
)
const json = Options.boolean("json").pipe(Options.withDescription("Print the wire JSON (one line per change for wait)"))
const assistant = Args.text({ name: "assistant" }).pipe(Args.withDescription("The assistant's name"))
const operationId = Args.text({ name: "operation-id" }).pipe(Args.withDescription("The operation's id"))
const timeout = Options.text("timeout").pipe(
  Options.withDescription("The time budget: 90s, 30m, 2h or infinity (default 30m)"),
  Options.withDefault("30m")
)

const describeCommand = Command.make(
  "describe",
  { host, apiKey, apiVersion, json, assistant, operationId },
  (input) => Effect.flatMap(commands, (c) => c.describe(input))
).pipe(Command.withDescription("Describe an operation: a readable summary, or its wire JSON with --json"))

const waitCommand = Command.make(
  "wait",
  { host, apiKey, apiVersion, json, assistant, operationId, timeout },
  (input) => Effect.flatMap(commands, (c) => c.wait(input))
).pipe(
  Command.withDescription(
    "Wait until an operation is terminal: a progress bar on a terminal, else (or with --json) one JSON snapshot per change"
  )
)

const emulatorCommand = Command.make(
  "emulator",
  {
    port: Options.integer("port").pipe(
      Options.withDefault(4100),
      Options.withDescription("Port, 0 to 65535 (0: any free one)")
    ),
    host: Options.text("host").pipe(
      Options.withDefault("127.0.0.1"),
      Options.withDescription("Address to bind; anything but loopback must be given explicitly")
    ),
    apiKey: Options.text("api-key").pipe(
      Options.withDefault("local-key"),
      Options.withDescription("The key to expect")
    ),
    seed: Options.choice("seed", ["demo"]).pipe(
      Options.optional,
      Options.withDescription("Create the demo operations")
    ),
    maxFileMb: Options.integer("max-file-mb").pipe(
      Options.withDefault(100),
      Options.withDescription("The largest file an upload may carry, in MB (default 100)")
    )
  },
  (input) => Effect.flatMap(commands, (c) => c.emulator(input))
).pipe(Command.withDescription("Run the local Assistant operations emulator until Ctrl-C"))

const listCommand = Command.make(
  "list",
  {
    host,
    apiKey,
    apiVersion,
    json,
    assistant,
    status: Options.text("status").pipe(
      Options.optional,
      Options.withDescription("Only this status (Processing, ...)")
    ),
    type: Options.text("type").pipe(Options.optional, Options.withDescription("Only this type (upload_file, ...)"))
  },
  (input) => Effect.flatMap(commands, (c) => c.list(input))
).pipe(Command.withDescription("List an assistant's operations (all pages), or their wire JSON with --json"))

const watchCommand = Command.make(
  "watch",
  { host, apiKey, apiVersion, json, assistant, timeout },
  (input) => Effect.flatMap(commands, (c) => c.watchAll(input))
).pipe(
  Command.withDescription(
    "Follow every processing operation of an assistant until all are terminal, then summarize (exit 1 if any failed)"
  )
)

const exitCodesHelp = "Exit codes: 0 completed or described; 1 the operation Failed; 2 usage or invalid input " +
  "(including a missing API key); 3 an API error response (not found, unauthenticated, ...); 4 the wait timed out; " +
  "5 transport failure or malformed response; 130 interrupted (Ctrl-C)."

/**
 * The command tree.
 *
 * @since 0.1.0
 * @category commands
 */
export const command = Command.make("pinecone-operation").pipe(
  Command.withDescription(`Describe and wait for Pinecone Assistant operations. ${exitCodesHelp}`),
  Command.withSubcommands([describeCommand, waitCommand, listCommand, watchCommand, emulatorCommand])
)

const cli = Command.run(command, { name: "pinecone-operation", version })

const CliLive = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer)

/**
 * Runs the command line on `argv` (as `process.argv`) and resolves to the exit code; expected
 * failures are printed as one line on stderr, never with a stack trace.
 *
 * @since 0.1.0
 * @category running
 */
export const main = (argv: ReadonlyArray<string>): Effect.Effect<number> =>
  cli(helpAnywhere(argv)).pipe(
    Effect.as(exit.ExitCode.Ok as number),
    Effect.catchIf(ValidationError.isValidationError, () => Effect.succeed(exit.ExitCode.Usage as number)),
    Effect.catchTag(
      "CliExit",
      (e) => Effect.as(Effect.sync(() => process.stderr.write(`${exit.sanitize(e.message)}\n`)), e.code)
    ),
    Effect.provide(CliLive),
    (effect) => colors() ? effect : Effect.flatMap(Effect.console, (c) => Effect.withConsole(effect, plainConsole(c)))
  )

const subcommands: ReadonlySet<string> = new Set(["describe", "wait", "list", "watch", "emulator"])

/**
 * `--help` (or `-h`) anywhere on the line shows the help of the command it follows. @effect/cli reads
 * options anywhere itself, but parses a command's own options and arguments before its built-in
 * ones, so that `describe --host URL --help` would fail on the missing arguments instead.
 *
 * @since 0.2.0
 * @category running
 */
export const helpAnywhere = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const [node, script, ...rest] = argv
  const end = rest.indexOf("--")
  const options = end === -1 ? rest : rest.slice(0, end)
  if (!options.includes("--help") && !options.includes("-h")) return argv
  const subcommand = rest[0] !== undefined && subcommands.has(rest[0]) ? [rest[0]] : []
  return [node!, script!, ...subcommand, "--help"]
}

// Help and usage errors are styled with ANSI escapes: only for a terminal, and never with NO_COLOR
// (https://no-color.org).
const colors = () => process.stdout.isTTY === true && (process.env.NO_COLOR ?? "") === ""

// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*[A-Za-z]/g
const plain = (args: ReadonlyArray<unknown>) => args.map((a) => typeof a === "string" ? a.replace(ansi, "") : a)

const plainConsole = (console: Console.Console): Console.Console => ({
  ...console,
  log: (...args) => console.log(...plain(args)),
  error: (...args) => console.error(...plain(args)),
  unsafe: {
    ...console.unsafe,
    log: (...args) => console.unsafe.log(...plain(args)),
    error: (...args) => console.unsafe.error(...plain(args))
  }
})
