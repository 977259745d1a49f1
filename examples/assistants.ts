// An assistant's whole life on the control plane: create it and wait until it is Ready, list the project's
// assistants, update its instructions, then delete it and wait until it is gone.
import { AssistantClient, OperationPoller } from "@effect-pinecone/core"
import { NodeAssistantClient } from "@effect-pinecone/node"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Stream } from "effect"

const [assistantName = "example-handbook"] = process.argv.slice(2)

const program = Effect.gen(function*() {
  const created = yield* OperationPoller.createAssistantAndWait({
    assistantName,
    instructions: "Answer from the handbook.",
    timeout: "5 minutes"
  })
  yield* Console.log(`${created.name} is ${created.status}`)
  const names = yield* AssistantClient.listAssistants().pipe(
    Stream.map((a) => a.name),
    Stream.runCollect
  )
  yield* Console.log(`the project has ${Array.from(names).join(", ")}`)
  yield* AssistantClient.updateAssistant({ assistantName, instructions: "Answer from the handbook, and cite it." })
  yield* AssistantClient.deleteAssistant({ assistantName })
  yield* OperationPoller.waitForAssistant({ assistantName, until: "Deleted", timeout: "5 minutes" })
  yield* Console.log(`${assistantName} is gone`)
}).pipe(
  // an assistant of that name already exists: say so in one line
  Effect.catchTag("AlreadyExistsError", (e) => Console.log(`already exists: ${e.message}`))
)

program.pipe(Effect.provide(NodeAssistantClient.layerConfig()), NodeRuntime.runMain)
