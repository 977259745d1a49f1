import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as Operation from "@effect-pinecone/core/Operation"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

const snapshot = Schema.decodeUnknownSync(Operation.Operation)({
  id: "op-demo",
  operation_type: "upload_file",
  status: "Completed",
  created_on: "2026-04-01T12:00:00.000Z",
  completed_on: "2026-04-01T12:00:05.000Z",
  percent_complete: 100
})

const program = Effect.gen(function*() {
  const op = yield* AssistantClient.describeOperation({ assistantName: "demo", operationId: "op-demo" })
  yield* Console.log(Operation.summary(op))
  yield* AssistantClient.describeOperation({ assistantName: "demo", operationId: "op-missing" }).pipe(
    Effect.catchTag("NotFoundError", (e) => Console.log(`NotFoundError: ${e.message}`))
  )
})

program.pipe(Effect.provide(AssistantClient.layerTestScripted({ "op-demo": [snapshot] })), NodeRuntime.runMain)
