import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import { completed, errorBody, json, type Recorded, stubHttp } from "./utils.js"

const hosts: Record<string, string> = { docs: "https://us-data.example", manuals: "https://eu-data.example" }

/**
 * A control plane (api.example) answering describe-assistant with each assistant's host, and data
 * planes answering describe-operation; `dataDown` makes a data host refuse connections.
 */
const world = (options: { dataDown?: Set<string>; controlFailures?: number; notFound?: string } = {}) => {
  let controlFailures = options.controlFailures ?? 0
  const stub = stubHttp((recorded: Recorded) => {
    const { url } = recorded
    if (url.origin === "https://api.example") {
      if (controlFailures > 0) {
        controlFailures--
        return errorBody(503, "UNAVAILABLE")
      }
      const name = decodeURIComponent(url.pathname.split("/").pop()!)
      const host = hosts[name]
      return host === undefined
        ? errorBody(404, "NOT_FOUND", `Assistant "${name}" not found.`)
        : json({ name, status: "Ready", host, region: name === "manuals" ? "eu" : "us" })
    }
    if (options.dataDown?.has(url.origin)) {
      return Effect.fail(Object.assign(new Error(`connect ECONNREFUSED ${url.host}`), { code: "ECONNREFUSED" }))
    }
    if (options.notFound !== undefined) return errorBody(404, "NOT_FOUND", options.notFound)
    return json(completed)
  })
  const layer = AssistantClient.layer({
    apiKey: Redacted.make("k"),
    controlHost: "https://api.example",
    retry: false
  }).pipe(Layer.provide(stub.layer), Layer.orDie)
  const control = () => stub.requests.filter((r) => r.url.origin === "https://api.example")
  return { requests: stub.requests, layer, control }
}

const describeIn = (assistantName: string) =>
  AssistantClient.describeOperation({ assistantName, operationId: "op-1234-abcd-5678" })

describe("host discovery", () => {
  it.effect("a burst of 50 calls for one assistant costs one control-plane lookup, and goes to its host", () =>
    Effect.gen(function*() {
      const { control, layer, requests } = world()
      yield* Effect.forEach(Array.from({ length: 50 }), () => describeIn("docs"), { concurrency: "unbounded" }).pipe(
        Effect.provide(layer)
      )
      assert.strictEqual(control().length, 1)
      assert.strictEqual(control()[0]!.url.pathname, "/assistant/assistants/docs")
      const data = requests.filter((r) => r.url.origin !== "https://api.example")
      assert.strictEqual(data.length, 50)
      assert.isTrue(data.every((r) => r.url.origin === "https://us-data.example"))
      assert.strictEqual(data[0]!.url.pathname, "/assistant/operations/docs/op-1234-abcd-5678")
    }))

  it.effect("one client serves assistants on two hosts (US and EU)", () =>
    Effect.gen(function*() {
      const { control, layer, requests } = world()
      yield* Effect.all([describeIn("docs"), describeIn("manuals"), describeIn("docs")]).pipe(Effect.provide(layer))
      assert.strictEqual(control().length, 2)
      const origins = requests.filter((r) => r.url.origin !== "https://api.example").map((r) => r.url.origin)
      assert.deepStrictEqual(origins, ["https://us-data.example", "https://eu-data.example", "https://us-data.example"])
    }))

  it.effect("the host is kept for its TTL (10 minutes), then looked up again", () =>
    Effect.gen(function*() {
      const { control, layer } = world()
      yield* Effect.gen(function*() {
        yield* describeIn("docs")
        yield* TestClock.adjust("9 minutes")
        yield* describeIn("docs")
        assert.strictEqual(control().length, 1)
        yield* TestClock.adjust("2 minutes")
        yield* describeIn("docs")
        assert.strictEqual(control().length, 2)
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a host that refuses connections is dropped: the next call looks it up again", () =>
    Effect.gen(function*() {
      const { control, layer } = world({ dataDown: new Set(["https://us-data.example"]) })
      yield* Effect.gen(function*() {
        const error = yield* Effect.flip(describeIn("docs"))
        assert.strictEqual(error._tag, "TransportError")
        yield* Effect.flip(describeIn("docs"))
        assert.strictEqual(control().length, 2)
      }).pipe(Effect.provide(layer))
    }))

  it.effect("a 404 drops the host where the endpoint's contract says it means the assistant, whatever its words", () =>
    Effect.gen(function*() {
      // describe-operation's documented 404 is the operation's: the host stays, even if the words say assistant
      const item = world({ notFound: "Assistant \"docs\" not found." })
      yield* Effect.gen(function*() {
        for (let i = 0; i < 3; i++) assert.strictEqual((yield* Effect.flip(describeIn("docs")))._tag, "NotFoundError")
        assert.strictEqual(item.control().length, 1)
      }).pipe(Effect.provide(item.layer))
      // list-files' documented 404 is "Assistant not found": the host goes, even if the words say nothing of it
      const gone = world({ notFound: "Not found." })
      yield* Effect.gen(function*() {
        const list = AssistantClient.listFilesPage({ assistantName: "docs" })
        assert.strictEqual((yield* Effect.flip(list))._tag, "NotFoundError")
        yield* Effect.flip(list)
        assert.strictEqual(gone.control().length, 2)
      }).pipe(Effect.provide(gone.layer))
    }))

  it.effect("a failed lookup is not kept; an unknown assistant is NotFoundError", () =>
    Effect.gen(function*() {
      const { control, layer } = world({ controlFailures: 1 })
      yield* Effect.gen(function*() {
        const first = yield* Effect.flip(describeIn("docs"))
        assert.strictEqual(first._tag, "UnavailableError")
        yield* describeIn("docs")
        assert.strictEqual(control().length, 2)
        const unknown = yield* Effect.flip(describeIn("ghost"))
        assert.strictEqual(unknown._tag, "NotFoundError")
      }).pipe(Effect.provide(layer))
    }))

  it.effect("an explicit host skips discovery; describeAssistant answers the Assistant", () =>
    Effect.gen(function*() {
      const stub = stubHttp((recorded) =>
        recorded.url.origin === "https://api.example"
          ? json({ name: "docs", status: "Ready", host: hosts.docs, created_at: "2026-01-01T00:00:00Z" })
          : json(completed)
      )
      const layer = AssistantClient.layer({
        apiKey: Redacted.make("k"),
        host: "https://fixed.example",
        controlHost: "https://api.example"
      }).pipe(Layer.provide(stub.layer), Layer.orDie)
      yield* describeIn("docs").pipe(Effect.provide(layer))
      assert.deepStrictEqual(stub.requests.map((r) => r.url.origin), ["https://fixed.example"])
      const assistant = yield* AssistantClient.describeAssistant({ assistantName: "docs" }).pipe(Effect.provide(layer))
      assert.strictEqual(assistant.status, "Ready")
      assert.deepStrictEqual(assistant.host, Option.some(hosts.docs))
      assert.isTrue(Option.isSome(assistant.createdAt))
    }))
})
