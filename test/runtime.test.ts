// The core runs on any runtime with fetch: the same client against the emulator through
// @effect/platform's FetchHttpClient as through the Node (undici) client. And a wait's spans.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { assert, describe, it } from "@effect/vitest"
import { SpanKind } from "@opentelemetry/api"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { faultServer } from "./faults/server.js"
import { driveClock } from "./helpers.js"

const apiKey = "runtime-test-key-77c1"

const clients = {
  fetch: (host: string, options: Partial<AssistantClient.Options> = {}) =>
    AssistantClient.layer({ apiKey: Redacted.make(apiKey), host, ...options }).pipe(
      Layer.provide(FetchHttpClient.layer)
    ),
  node: (host: string, options: Partial<AssistantClient.Options> = {}) =>
    NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), host, ...options }),
  "node:http": (host: string, options: Partial<AssistantClient.Options> = {}) =>
    AssistantClient.layer({ apiKey: Redacted.make(apiKey), host, ...options }).pipe(Layer.provide(NodeHttpClient.layer))
}

const create = (input: typeof Emulator.CreateOperation.Encoded) =>
  Effect.flatMap(
    Emulator.Emulator,
    (e) => Effect.orDie(e.create(Schema.decodeUnknownSync(Emulator.CreateOperation)(input)))
  )

describe("runtimes", () => {
  for (const [name, client] of Object.entries(clients)) {
    it.effect(`${name}: describe, 404, wait to completion and a failed wait against the emulator`, () =>
      Effect.gen(function*() {
        const host = yield* NodeEmulator.url
        yield* create({ assistantName: "docs", id: "op-ok", durationMs: 2000, outcome: "Completed" })
        yield* create({ assistantName: "docs", id: "op-bad", durationMs: 1000, outcome: "Failed" })
        const layer = Layer.orDie(client(host))
        const run = <A, E>(effect: Effect.Effect<A, E, AssistantClient.AssistantClient>) =>
          driveClock(Effect.provide(effect, layer))
        const first = yield* run(AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-ok" }))
        assert.strictEqual(first.status, "Processing")
        const missing = yield* run(
          Effect.flip(AssistantClient.describeOperation({ assistantName: "docs", operationId: "nope" }))
        )
        assert.strictEqual(missing._tag, "NotFoundError")
        const done = yield* run(OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-ok" }))
        assert.strictEqual(done.status, "Completed")
        const failed = yield* run(
          Effect.flip(OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-bad" }))
        )
        assert.strictEqual(failed._tag, "OperationFailedError")
      }).pipe(Effect.provide(NodeEmulator.layer({ apiKey }))))
  }
})

describe("request timeout", () => {
  for (const [name, client] of Object.entries(clients)) {
    it.effect(`${name}: a request whose headers never come is aborted at the timeout, and its socket closed`, () =>
      Effect.gen(function*() {
        // a server that reads the request and never answers
        const server = yield* faultServer(() => undefined)
        const error = yield* driveClock(
          AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-ok" }).pipe(
            Effect.flip,
            Effect.provide(Layer.orDie(client(server.url, { requestTimeout: "2 seconds", retry: false })))
          )
        )
        assert.strictEqual(error._tag, "TransportError")
        if (error._tag === "TransportError") assert.strictEqual(error.reason, "Timeout")
        assert.strictEqual(server.hits.length, 1)
        assert.isTrue(yield* Effect.promise(() => server.allClosed(5_000)))
      }).pipe(Effect.scoped))
  }
})

describe("observability", () => {
  const traced = <A, E>(effect: Effect.Effect<A, E>) =>
    Effect.suspend(() => {
      const exporter = new InMemorySpanExporter()
      const spans: Array<ReadableSpan> = []
      return driveClock(
        effect.pipe(
          // the in-memory exporter forgets its spans when the SDK shuts down: keep them before
          Effect.ensuring(Effect.sync(() => spans.push(...exporter.getFinishedSpans()))),
          Effect.provide(
            NodeSdk.layer(() => ({
              resource: { serviceName: "test" },
              spanProcessor: new SimpleSpanProcessor(exporter)
            }))
          )
        )
      ).pipe(Effect.as(spans))
    })

  it.effect("a wait is a span with one describe span per poll nested under it, each the HTTP client span, no key", () =>
    Effect.gen(function*() {
      const host = yield* NodeEmulator.url
      yield* create({ assistantName: "docs", id: "op-ok", durationMs: 3000, outcome: "Completed" })
      const spans = yield* traced(
        OperationPoller.waitForOperation({ assistantName: "docs", operationId: "op-ok" }).pipe(
          Effect.provide(clients.node(host))
        )
      )
      const wait = spans.find((s) => s.name === "OperationPoller.waitForOperation")!
      assert.isDefined(wait)
      const describes = spans.filter((s) => s.name === "AssistantClient.describeOperation")
      const polls = wait.attributes["pinecone.poll.count"] as number
      assert.isAtLeast(polls, 2)
      assert.strictEqual(describes.length, polls)
      const port = Number(new URL(host).port)
      for (const d of describes) {
        assert.strictEqual(d.parentSpanContext?.spanId, wait.spanContext().spanId)
        assert.strictEqual(d.kind, SpanKind.CLIENT)
        assert.strictEqual(d.attributes["pinecone.assistant.name"], "docs")
        assert.strictEqual(d.attributes["pinecone.operation.id"], "op-ok")
        assert.isString(d.attributes["pinecone.operation.status"])
        assert.strictEqual(d.attributes["http.request.method"], "GET")
        assert.strictEqual(d.attributes["url.full"], `${host}/assistant/operations/docs/op-ok`)
        assert.strictEqual(d.attributes["server.address"], "127.0.0.1")
        assert.strictEqual(d.attributes["server.port"], port)
        assert.strictEqual(d.attributes["http.response.status_code"], 200)
      }
      assert.strictEqual(wait.attributes["pinecone.operation.status"], "Completed")
      assert.strictEqual(wait.attributes["pinecone.assistant.name"], "docs")
      // the describe span is the client span: the platform makes none of its own
      assert.deepStrictEqual(spans.filter((s) => s.name.startsWith("http.client")), [])
      assert.notInclude(JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events])), apiKey)
    }).pipe(Effect.provide(NodeEmulator.layer({ apiKey }))))

  it.effect("httpSpans: true adds the platform's http.client span under each describe span, the key redacted", () =>
    Effect.gen(function*() {
      const host = yield* NodeEmulator.url
      yield* create({ assistantName: "docs", id: "op-done", durationMs: 0, outcome: "Completed" })
      const spans = yield* traced(
        AssistantClient.describeOperation({ assistantName: "docs", operationId: "op-done" }).pipe(
          Effect.provide(clients.node(host, { httpSpans: true }))
        )
      )
      const describe = spans.find((s) => s.name === "AssistantClient.describeOperation")!
      assert.isDefined(describe)
      const http = spans.filter((s) => s.name.startsWith("http.client"))
      assert.strictEqual(http.length, 1)
      assert.strictEqual(http[0]!.parentSpanContext?.spanId, describe.spanContext().spanId)
      assert.strictEqual(http[0]!.attributes["http.request.header.api-key"], "<redacted>")
      assert.notInclude(JSON.stringify(spans.map((s) => [s.name, s.attributes, s.events])), apiKey)
    }).pipe(Effect.provide(NodeEmulator.layer({ apiKey }))))
})
