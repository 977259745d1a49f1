// `pinecone-assistant`: files, operations and the emulator, grouped by resource.
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import { version } from "../version.js"
import type * as Help from "./help.js"
import { emulatorCommand, operationCommands } from "./operation.js"
import { assistant, connection, json, runCli, timeout } from "./shared.js"

const files = Effect.promise(() => import("../handlers/files.js"))

const metadata = Options.text("metadata").pipe(
  Options.withPseudoName("JSON"),
  Options.optional,
  Options.withDescription("A JSON object of at most 16 KB, stored with each file")
)
const multimodal = Options.boolean("multimodal").pipe(Options.withDescription("Process PDFs as multimodal"))
const wait = Options.boolean("wait").pipe(
  Options.withDescription("Wait until processing ends (exit 1 if a file failed, 4 if the budget ran out)")
)
const concurrency = Options.integer("concurrency").pipe(
  Options.withPseudoName("N"),
  Options.withDefault(4),
  Options.withDescription("Uploads in flight at once (default 4)")
)
const fileId = Args.text({ name: "file-id" }).pipe(Args.withDescription("The file's id"))
const path = Args.text({ name: "path" }).pipe(Args.withDescription("A file to send (.pdf, .txt, .md, .docx, .json)"))

const upload = Command.make(
  "upload",
  { ...connection, json, assistant, paths: Args.atLeast(path, 1), metadata, multimodal, wait, concurrency, timeout },
  (input) => Effect.flatMap(files, (c) => c.upload(input))
).pipe(Command.withDescription("Upload files (the server gives each an id); with --wait, until they are processed"))

const upsert = Command.make(
  "upsert",
  { ...connection, json, assistant, fileId, path, metadata, multimodal, wait, timeout },
  (input) => Effect.flatMap(files, (c) => c.upsert(input))
).pipe(Command.withDescription("Create or replace a file under an id of your own (1-128 of A-Z a-z 0-9 _ -)"))

const remove = Command.make(
  "delete",
  { ...connection, json, assistant, fileIds: Args.atLeast(fileId, 1), wait, timeout },
  (input) => Effect.flatMap(files, (c) => c.remove(input))
).pipe(Command.withDescription("Delete files; with --wait, until the deletes are done"))

const describe = Command.make(
  "describe",
  {
    ...connection,
    json,
    assistant,
    fileId,
    url: Options.boolean("url").pipe(Options.withDescription("Also print the file's signed URL (sensitive)"))
  },
  (input) => Effect.flatMap(files, (c) => c.describe(input))
).pipe(Command.withDescription("Describe a file: a readable summary, or its wire JSON with --json"))

const list = Command.make(
  "list",
  {
    ...connection,
    json,
    assistant,
    filter: Options.text("filter").pipe(
      Options.withPseudoName("JSON"),
      Options.optional,
      Options.withDescription("A metadata filter, e.g. '{\"team\":{\"$eq\":\"docs\"}}'")
    )
  },
  (input) => Effect.flatMap(files, (c) => c.list(input))
).pipe(Command.withDescription("List an assistant's files (all pages), or their wire JSON with --json"))

const sync = Command.make(
  "sync",
  {
    ...connection,
    json,
    assistant,
    directory: Args.directory({ name: "dir", exists: "yes" }).pipe(Args.withDescription("The folder to mirror")),
    delete: Options.boolean("delete").pipe(
      Options.withDescription("Delete the set's remote files that have no local file (default: keep them)")
    ),
    maxDelete: Options.integer("max-delete").pipe(
      Options.withPseudoName("N"),
      Options.optional,
      Options.withDescription(
        "Delete nothing if the plan would delete more than N files (exit 2). Without it, an empty folder deletes nothing"
      )
    ),
    deleteExcluded: Options.boolean("delete-excluded").pipe(
      Options.withDescription("With --delete, also delete the set's files that --include/--exclude leave out")
    ),
    followLinks: Options.boolean("follow-links").pipe(
      Options.withDescription("Follow links that lead outside the folder (default: skip them)")
    ),
    dryRun: Options.boolean("dry-run").pipe(
      Options.withDescription("Print the plan, each file with its action and why; send nothing but reads")
    ),
    include: Options.text("include").pipe(
      Options.withPseudoName("GLOB"),
      Options.repeated,
      Options.withDescription(
        "Only files matching this glob, on both sides (repeatable; *.json matches at any depth, docs/*.md from the folder)"
      )
    ),
    exclude: Options.text("exclude").pipe(
      Options.withPseudoName("GLOB"),
      Options.repeated,
      Options.withDescription(
        "Leave out files matching this glob, on both sides: never sent, never deleted (repeatable)"
      )
    ),
    plan: Options.choice("plan", ["starter", "standard", "enterprise"]).pipe(
      Options.optional,
      Options.withDescription("Stay within a Pinecone plan's rate limits (default: adapt to the 429s received)")
    ),
    set: Options.text("set").pipe(
      Options.withPseudoName("NAME"),
      Options.optional,
      Options.withDescription("The sync set's name (default: the folder's name)")
    ),
    concurrency,
    timeout
  },
  (input) => Effect.flatMap(files, (c) => c.sync(input))
).pipe(
  Command.withDescription(
    "Make the assistant's files of this set equal to a folder: upsert new and changed files, delete removed ones with --delete"
  )
)

const assistantCommands = Effect.promise(() => import("../handlers/assistants.js"))
const assistantName = Args.text({ name: "name" }).pipe(
  Args.withDescription("The assistant's name: 1-63 of a-z 0-9 -, starting and ending with a letter or digit")
)
const instructions = Options.text("instructions").pipe(
  Options.withPseudoName("TEXT"),
  Options.optional,
  Options.withDescription("Guidance applied to all its responses (at most 16 KB)")
)
const assistantMetadata = Options.text("metadata").pipe(
  Options.withPseudoName("JSON"),
  Options.optional,
  Options.withDescription("A JSON object of at most 16 KB, stored with the assistant")
)

const createAssistant = Command.make(
  "create",
  {
    ...connection,
    json,
    name: assistantName,
    instructions,
    metadata: assistantMetadata,
    region: Options.text("region").pipe(
      Options.withPseudoName("REGION"),
      Options.optional,
      Options.withDescription("Where to deploy it: us or eu (default us)")
    ),
    wait: Options.boolean("wait").pipe(
      Options.withDescription("Wait until it is Ready (exit 1 if it failed, 4 if the budget ran out)")
    ),
    timeout
  },
  (input) => Effect.flatMap(assistantCommands, (c) => c.create(input))
).pipe(Command.withDescription("Create an assistant; with --wait, until it is Ready"))

const listAssistants = Command.make(
  "list",
  { ...connection, json },
  (input) => Effect.flatMap(assistantCommands, (c) => c.list(input))
).pipe(Command.withDescription("List the project's assistants (all pages), or their wire JSON with --json"))

const describeAssistant = Command.make(
  "describe",
  { ...connection, json, name: assistantName },
  (input) => Effect.flatMap(assistantCommands, (c) => c.describe(input))
).pipe(Command.withDescription("Describe an assistant: its status, host, region, instructions and metadata"))

const updateAssistant = Command.make(
  "update",
  { ...connection, json, name: assistantName, instructions, metadata: assistantMetadata },
  (input) => Effect.flatMap(assistantCommands, (c) => c.update(input))
).pipe(Command.withDescription("Update an assistant's instructions, metadata or both"))

const deleteAssistant = Command.make(
  "delete",
  {
    ...connection,
    json,
    name: assistantName,
    wait: Options.boolean("wait").pipe(Options.withDescription("Wait until it is gone (exit 4 if the budget ran out)")),
    timeout
  },
  (input) => Effect.flatMap(assistantCommands, (c) => c.remove(input))
).pipe(Command.withDescription("Delete an assistant and its files; with --wait, until it is gone"))

const assistantsCommand = Command.make("assistants").pipe(
  Command.withDescription("Create, list, describe, update and delete assistants"),
  Command.withSubcommands([createAssistant, listAssistants, describeAssistant, updateAssistant, deleteAssistant])
)

const fileWaitHandler = Effect.promise(() => import("../handlers/fileWait.js"))
const waitFiles = Command.make(
  "wait",
  { ...connection, json, assistant, fileIds: Args.atLeast(fileId, 1), timeout },
  (input) => Effect.flatMap(fileWaitHandler, (c) => c.wait(input))
).pipe(
  Command.withDescription(
    "Wait until files are Available, by id (exit 1 if one failed processing, 4 if the budget ran out)"
  )
)

const filesCommand = Command.make("files").pipe(
  Command.withDescription("Upload, upsert, delete, describe, list, sync and wait for an assistant's files"),
  Command.withSubcommands([upload, upsert, remove, describe, list, sync, waitFiles])
)

const operationsCommand = Command.make("operations").pipe(
  Command.withDescription("Describe, wait for, list and watch an assistant's operations"),
  Command.withSubcommands([...operationCommands])
)

const exitCodesHelp = "Exit codes: 0 done; 1 an operation or a file's processing failed; 2 usage or invalid input " +
  "(a missing API key, file or extension, metadata over 16 KB: found before anything is sent); 3 an API error " +
  "response (not found, unauthenticated, ...); 4 the wait's budget ran out; 5 transport failure or malformed response; " +
  "130 interrupted (Ctrl-C)."

/** @internal */
export const command = Command.make("pinecone-assistant").pipe(
  Command.withDescription(`Pinecone Assistant assistants, files and operations. ${exitCodesHelp}`),
  Command.withSubcommands([assistantsCommand, filesCommand, operationsCommand, emulatorCommand])
)

const operationExamples: Readonly<Record<string, ReadonlyArray<string>>> = {
  describe: ["pinecone-assistant operations describe docs op-1234 --json"],
  wait: ["pinecone-assistant operations wait docs op-1234 --timeout 10m"],
  list: ["pinecone-assistant operations list docs --status Processing"],
  watch: ["pinecone-assistant operations watch docs"]
}

/** The commands with their examples, for the help and for catching typos. @internal */
export const program: Help.Program = {
  name: "pinecone-assistant",
  version,
  common: ["--host", "--control-host", "--api-key", "--api-version", "--allow-insecure", "--max-requests-per-second"],
  footer: [exitCodesHelp, "Run pinecone-assistant <command> --help for a command's options and examples."],
  tree: {
    command,
    examples: [
      "pinecone-assistant emulator --seed demo",
      "export PINECONE_CONTROL_HOST=http://127.0.0.1:4100 PINECONE_API_KEY=local-key",
      "pinecone-assistant assistants create handbook --wait",
      "pinecone-assistant files upload handbook notes.md --wait"
    ],
    children: {
      assistants: {
        command: assistantsCommand,
        children: {
          create: {
            command: createAssistant,
            examples: [
              "pinecone-assistant assistants create handbook --instructions 'Cite the handbook.' --wait",
              "pinecone-assistant assistants create eu-docs --region eu --metadata '{\"team\":\"docs\"}'"
            ]
          },
          list: { command: listAssistants, examples: ["pinecone-assistant assistants list --json"] },
          describe: { command: describeAssistant, examples: ["pinecone-assistant assistants describe handbook"] },
          update: {
            command: updateAssistant,
            examples: ["pinecone-assistant assistants update handbook --instructions 'Be brief.'"]
          },
          delete: { command: deleteAssistant, examples: ["pinecone-assistant assistants delete old-handbook --wait"] }
        }
      },
      files: {
        command: filesCommand,
        children: {
          upload: {
            command: upload,
            examples: [
              "pinecone-assistant files upload docs handbook.pdf notes.md --wait",
              "pinecone-assistant files upload docs report.pdf --metadata '{\"team\":\"finance\"}' --json"
            ]
          },
          upsert: {
            command: upsert,
            examples: ["pinecone-assistant files upsert docs handbook-2026 handbook.md --wait"]
          },
          delete: { command: remove, examples: ["pinecone-assistant files delete docs handbook-2026 --wait"] },
          describe: { command: describe, examples: ["pinecone-assistant files describe docs handbook-2026"] },
          list: {
            command: list,
            examples: ["pinecone-assistant files list docs --filter '{\"team\":{\"$eq\":\"finance\"}}'"]
          },
          sync: {
            command: sync,
            examples: [
              "pinecone-assistant files sync docs ./handbook --dry-run",
              "pinecone-assistant files sync docs ./handbook --delete --max-delete 10 --exclude 'drafts/'"
            ]
          },
          wait: {
            command: waitFiles,
            examples: ["pinecone-assistant files wait docs handbook-2026 notes-2026 --timeout 10m"]
          }
        }
      },
      operations: {
        command: operationsCommand,
        children: Object.fromEntries(
          operationCommands.map((c: Command.Command<any, any, any, any>) => [
            Array.from(Command.getNames(c))[0]!,
            { command: c, examples: operationExamples[Array.from(Command.getNames(c))[0]!] ?? [] }
          ])
        )
      },
      emulator: {
        command: emulatorCommand,
        examples: ["pinecone-assistant emulator --seed demo --rate-limits starter"]
      }
    }
  }
}

/** `pinecone-assistant` on `argv` (as `process.argv`), resolving to the exit code. @internal */
export const main = runCli({
  name: "pinecone-assistant",
  version,
  command,
  tree: {
    assistants: { create: {}, list: {}, describe: {}, update: {}, delete: {} },
    files: { upload: {}, upsert: {}, delete: {}, describe: {}, list: {}, sync: {}, wait: {} },
    operations: { describe: {}, wait: {}, list: {}, watch: {} },
    emulator: {}
  },
  program
})
