// Stub the API in memory with the test layer: no HTTP, no key.
import { AssistantClientTest, Operation, OperationPoller } from "@effect-pinecone/core"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Schema } from "effect"

const snapshot = (status: string, percent: number) =>
  Schema.decodeUnknownSync(Operation.Operation)({
    id: "op-1",
    operation_type: "upload_file",
    status,
    created_on: "2026-04-01T00:00:00Z",
    percent_complete: percent
  })

const TestAssistant = AssistantClientTest.layerTestScripted({
  "op-1": [snapshot("Processing", 30), snapshot("Completed", 100)]
})

const program = OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-1" }).pipe(
  Effect.flatMap((op) => Console.log(Operation.summary(op)))
)

program.pipe(Effect.provide(TestAssistant), NodeRuntime.runMain)
