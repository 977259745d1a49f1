// A browser program: describe an operation, then wait for it, with FetchHttpClient.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

const Client = AssistantClient.layer({ apiKey: Redacted.make("key"), host: "https://prod-1-data.ke.pinecone.io" }).pipe(
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  const op = yield* AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-1" })
  console.log(op.status)
  const done = yield* OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-1" })
  console.log(done.status)
})

Effect.runPromise(program.pipe(Effect.provide(Client))).catch(console.error)
