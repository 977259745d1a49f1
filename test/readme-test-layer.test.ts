// readme.test.ts: npx vitest run readme.test.ts
import { AssistantClient, AssistantClientTest, Operation, OperationPoller } from "@effect-pinecone/core"
import { assert, it } from "@effect/vitest"
import { Effect, Fiber, Schema, TestClock } from "effect"

const snapshot = (status: string, percent: number) =>
  Schema.decodeUnknownSync(Operation.Operation)({
    id: "op-1",
    operation_type: "upload_file",
    status,
    created_on: "2026-04-01T00:00:00Z",
    percent_complete: percent
  })

// Each describe of op-1 answers the next snapshot; the last one repeats; other ids are NotFoundError.
const TestAssistant = AssistantClientTest.layerTestScripted({
  "op-1": [snapshot("Processing", 10), snapshot("Processing", 60), snapshot("Completed", 100)]
})

it.effect("waits until the upload is processed", () =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-1" }))
    yield* TestClock.adjust("1 minute")
    const done = yield* Fiber.join(fiber)
    assert.strictEqual(done.status, "Completed")
  }).pipe(Effect.provide(TestAssistant)))

it.effect("an unknown operation is NotFoundError", () =>
  Effect.gen(function*() {
    const error = yield* Effect.flip(AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-2" }))
    assert.strictEqual(error._tag, "NotFoundError")
  }).pipe(Effect.provide(TestAssistant)))
