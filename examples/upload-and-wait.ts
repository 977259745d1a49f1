import { OperationPoller } from "@effect-pinecone/core"
import { NodeAssistantClient, NodeFileSource } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Option } from "effect"

const [assistantName = "demo", path = "package.json"] = process.argv.slice(2)

// Upload a file from disk (streamed, never held in memory) and wait until the assistant can use it.
const program = Effect.gen(function*() {
  const file = yield* NodeFileSource.fromPath(path)
  const ready = yield* OperationPoller.uploadFileAndWait({ assistantName, file, metadata: { source: "example" } })
  yield* Console.log(`${ready.name} is ${Option.getOrElse(ready.status, () => "?")} as ${ready.id}`)
}).pipe(
  Effect.catchTags({
    OperationFailedError: (e) => Console.error(`processing failed: ${e.message}`),
    WaitTimeoutError: (e) => Console.error(e.message)
  })
)

program.pipe(Effect.provide(NodeAssistantClient.layerConfig()), NodeRuntime.runMain)
