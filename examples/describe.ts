// Describe one operation; a missing one is handled as a typed NotFoundError.
// PINECONE_API_KEY=... PINECONE_ASSISTANT_HOST=... pnpm tsx --conditions=source examples/describe.ts docs op-1
import { AssistantClient, Operation } from "@effect-pinecone/core"
import { NodeAssistantClient } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect } from "effect"

const [assistantName = "demo", operationId = "op-done"] = process.argv.slice(2)

const program = AssistantClient.describeOperation({ assistantName, operationId }).pipe(
  Effect.flatMap((op) => Console.log(Operation.summary(op))),
  Effect.catchTag("NotFoundError", (e) => Console.log(`not found: ${e.message}`))
)

program.pipe(Effect.provide(NodeAssistantClient.layerConfig()), NodeRuntime.runMain)
