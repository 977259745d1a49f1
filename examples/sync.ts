// Keep an assistant's files equal to a folder: the plan first (a dry run), then the sync, which sends only what
// changed and deletes (with --delete's guard) only files of its own set.
import { AssistantSync } from "@effect-pinecone/core"
import { NodeAssistantClient } from "@effect-pinecone/node"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect } from "effect"

const [assistantName = "demo", directory = "."] = process.argv.slice(2)

const program = Effect.gen(function*() {
  const options = { assistantName, directory, include: ["*.md"], delete: true }
  const plan = yield* AssistantSync.syncDirectory({ ...options, dryRun: true })
  for (const p of plan.plan) yield* Console.log(`${p.action.padEnd(9)} ${p.key}  (${p.reason})`)
  const report = yield* AssistantSync.syncDirectory(options)
  const t = report.totals
  yield* Console.log(`${t.created} created, ${t.updated} updated, ${t.deleted} deleted, ${t.unchanged} unchanged`)
  if (report.skipped.length > 0) yield* Console.log(`skipped: ${report.skipped.map((s) => s.key).join(", ")}`)
}).pipe(
  Effect.catchTag("SetInUseError", (e) => Console.log(e.message))
)

program.pipe(Effect.provide(NodeAssistantClient.layerConfig()), Effect.provide(NodeContext.layer), NodeRuntime.runMain)
