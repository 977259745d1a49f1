// The operation commands (`describe`, `wait`, `list`, `watch`) and the emulator's, shared by
// `pinecone-operation` (at its top level, as since 0.1.0) and `pinecone-assistant operations`.
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { version } from "../version.js"
import { assistant, connection, json, runCli, timeout } from "./shared.js"

const commands = Effect.promise(() => import("../handlers/operations.js"))

const operationId = Args.text({ name: "operation-id" }).pipe(Args.withDescription("The operation's id"))

const describeCommand = Command.make(
  "describe",
  { ...connection, json, assistant, operationId },
  (input) => Effect.flatMap(commands, (c) => c.describe(input))
).pipe(Command.withDescription("Describe an operation: a readable summary, or its wire JSON with --json"))

const waitCommand = Command.make(
  "wait",
  { ...connection, json, assistant, operationId, timeout },
  (input) => Effect.flatMap(commands, (c) => c.wait(input))
).pipe(
  Command.withDescription(
    "Wait until an operation is terminal: a progress bar on a terminal, else (or with --json) one JSON snapshot per change"
  )
)

const listCommand = Command.make(
  "list",
  {
    ...connection,
    json,
    assistant,
    status: Options.text("status").pipe(
      Options.withPseudoName("STATUS"),
      Options.optional,
      Options.withDescription("Only this status: Processing, Completed or Failed")
    ),
    type: Options.text("type").pipe(
      Options.withPseudoName("TYPE"),
      Options.optional,
      Options.withDescription("Only this type: upload_file, upsert_file, update_file_metadata or delete_file")
    )
  },
  (input) => Effect.flatMap(commands, (c) => c.list(input))
).pipe(Command.withDescription("List an assistant's operations (all pages), or their wire JSON with --json"))

const watchCommand = Command.make(
  "watch",
  { ...connection, json, assistant, timeout },
  (input) => Effect.flatMap(commands, (c) => c.watchAll(input))
).pipe(
  Command.withDescription(
    "Follow every processing operation of an assistant until all are terminal, then summarize (exit 1 if any failed)"
  )
)

/** @internal */
export const emulatorCommand = Command.make(
  "emulator",
  {
    port: Options.integer("port").pipe(
      Options.withPseudoName("PORT"),
      Options.withDefault(4100),
      Options.withDescription("Port, 0 to 65535 (0: any free one; default 4100)")
    ),
    host: Options.text("host").pipe(
      Options.withPseudoName("ADDRESS"),
      Options.withDefault("127.0.0.1"),
      Options.withDescription("Address to bind (default 127.0.0.1); anything but loopback must be given explicitly")
    ),
    apiKey: Options.text("api-key").pipe(
      Options.withPseudoName("KEY"),
      Options.withDefault("local-key"),
      Options.withDescription("The key to expect (default local-key)")
    ),
    seed: Options.choice("seed", ["demo"]).pipe(
      Options.optional,
      Options.withDescription("Create the demo operations")
    ),
    maxFileMb: Options.integer("max-file-mb").pipe(
      Options.withPseudoName("MB"),
      Options.withDefault(100),
      Options.withDescription("The largest file an upload may carry, in MB (default 100)")
    ),
    rateLimits: Options.choice("rate-limits", ["starter", "standard", "enterprise"]).pipe(
      Options.optional,
      Options.withDescription(
        "Enforce a plan's per-minute limits with 429 and Retry-After: starter (5 uploads, 5 deletes, 100 reads), " +
          "standard (20/20/300) or enterprise (300/300/6000); default none"
      )
    )
  },
  (input) => Effect.flatMap(commands, (c) => c.emulator(input))
).pipe(Command.withDescription("Run the local Assistant emulator until Ctrl-C"))

/** @internal */
export const operationCommands = [describeCommand, waitCommand, listCommand, watchCommand] as const

/** @internal */
export const exitCodesHelp = "Exit codes: 0 completed or described; 1 the operation Failed; 2 usage or invalid input " +
  "(including a missing API key); 3 an API error response (not found, unauthenticated, ...); 4 the wait timed out; " +
  "5 transport failure or malformed response; 130 interrupted (Ctrl-C)."

/** @internal */
export const command = Command.make("pinecone-operation").pipe(
  Command.withDescription(`Describe and wait for Pinecone Assistant operations. ${exitCodesHelp}`),
  Command.withSubcommands([...operationCommands, emulatorCommand])
)

/** `pinecone-operation` on `argv` (as `process.argv`), resolving to the exit code. @internal */
export const main = runCli({
  name: "pinecone-operation",
  version,
  command,
  tree: { describe: {}, wait: {}, list: {}, watch: {}, emulator: {} }
})
