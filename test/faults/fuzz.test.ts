// Fuzzing the decoder through the whole describe path: every generated or mutated body yields an
// Operation or a MalformedResponseError, never a defect. 10,000 bodies under `pnpm test:faults`.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FastCheck from "effect/FastCheck"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { writeFileSync } from "node:fs"

const full = process.env.FAULTS_FULL === "1"
const total = full ? 10_000 : 600

let body: string = ""
const http = HttpClient.make((request) =>
  Effect.sync(() => HttpClientResponse.fromWeb(request, new Response(body, { status: 200 })))
)
const runtime = ManagedRuntime.make(
  AssistantClient.layer({ apiKey: Redacted.make("fuzz-key"), host: "https://prod-1-data.ke.pinecone.io", retry: false })
    .pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, http)),
      Layer.orDie
    )
)

const examples = [
  {
    created_on: "2025-10-01T12:30:00.000Z",
    file_id: "my-report-2025",
    id: "op-1234-abcd-5678",
    operation_type: "upload_file",
    percent_complete: 42,
    status: "Processing"
  },
  {
    completed_on: "2025-10-01T11:32:00.000Z",
    created_on: "2025-10-01T11:30:00.000Z",
    error_message: "File processing failed: unsupported file format.",
    file_id: "invalid-file",
    id: "op-5555-eeee-9999",
    operation_type: "upload_file",
    percent_complete: 15,
    status: "Failed",
    ingestion_units: 3.5
  }
]
const keys = Object.keys(examples[1]!)

const deep = (depth: number, leaf: string) => "[".repeat(depth) + leaf + "]".repeat(depth)

/** Spec examples with a field removed, retyped, nulled, duplicated, made huge or deeply nested. */
const mutated = FastCheck.tuple(
  FastCheck.constantFrom(...examples),
  FastCheck.constantFrom(...keys),
  FastCheck.oneof(
    FastCheck.constant({ kind: "remove" as const }),
    FastCheck.constant({ kind: "null" as const }),
    FastCheck.record({ kind: FastCheck.constant("retype" as const), value: FastCheck.jsonValue() }),
    FastCheck.record({ kind: FastCheck.constant("duplicate" as const), value: FastCheck.jsonValue() }),
    FastCheck.record({
      kind: FastCheck.constant("huge" as const),
      size: FastCheck.integer({ min: 10_000, max: 300_000 })
    }),
    FastCheck.record({ kind: FastCheck.constant("deep" as const), depth: FastCheck.integer({ min: 100, max: 20_000 }) })
  )
).map(([example, key, mutation]) => {
  const copy: Record<string, unknown> = { ...example }
  switch (mutation.kind) {
    case "remove":
      delete copy[key]
      return JSON.stringify(copy)
    case "null":
      copy[key] = null
      return JSON.stringify(copy)
    case "retype":
      copy[key] = mutation.value
      return JSON.stringify(copy)
    case "duplicate":
      return JSON.stringify(copy).replace(/}$/, `,${JSON.stringify(key)}:${JSON.stringify(mutation.value)}}`)
    case "huge":
      copy[key] = "x".repeat(mutation.size)
      return JSON.stringify(copy)
    case "deep":
      return JSON.stringify(copy).replace(/}$/, `,${JSON.stringify(key)}:${deep(mutation.depth, "1")}}`)
  }
})

const bodies = FastCheck.oneof(
  { arbitrary: mutated, weight: 5 },
  { arbitrary: FastCheck.json(), weight: 2 },
  { arbitrary: FastCheck.jsonValue().map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: FastCheck.string({ unit: "binary", maxLength: 200 }), weight: 1 },
  { arbitrary: FastCheck.integer({ min: 1, max: 5_000_000 }).map((n) => deep(Math.min(n, 200_000), "0")), weight: 1 }
)

export const fuzzStats = { cases: 0, operations: 0, malformed: 0, defects: 0 }

describe("fuzzing the describe decoder", () => {
  it(`${total} generated and mutated bodies: an Operation or a MalformedResponseError, never a defect`, async () => {
    // generated in batches, and the event loop given a turn between them: a worker that only runs
    // microtasks for a minute cannot answer vitest's RPC ("Timeout calling onTaskUpdate")
    const batch = 200
    const samples: Array<string> = []
    for (let i = 0; i < total; i += batch) {
      samples.push(...FastCheck.sample(bodies, { numRuns: Math.min(batch, total - i), seed: 20260428 + i }))
      await new Promise((resolve) => setImmediate(resolve))
    }
    for (const [index, sample] of samples.entries()) {
      if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve))
      body = sample
      const exit = await runtime.runPromiseExit(
        AssistantClient.describeOperation({ assistantName: "a", operationId: "b" })
      )
      fuzzStats.cases++
      if (Exit.isSuccess(exit)) fuzzStats.operations++
      else {
        const failure = Cause.failureOption(exit.cause)
        if (failure._tag === "Some" && failure.value._tag === "MalformedResponseError") fuzzStats.malformed++
        else {
          fuzzStats.defects++
          assert.fail(
            `not an Operation nor a MalformedResponseError for ${sample.slice(0, 200)}: ${Cause.pretty(exit.cause)}`
          )
        }
      }
    }
    assert.strictEqual(fuzzStats.cases, total)
    assert.isAbove(fuzzStats.operations, 0)
    assert.isAbove(fuzzStats.malformed, 0)
    assert.strictEqual(fuzzStats.defects, 0)
  }, 300_000)
})

afterAll(async () => {
  await runtime.dispose()
  if (full) writeFileSync(".fuzz-report.json", JSON.stringify(fuzzStats))
})
