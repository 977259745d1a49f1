import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
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
const world = (
  options: {
    dataDown?: Set<string>
    controlFailures?: number
    notFound?: string
    /** Where each assistant lives now (the test may move one). */
    hosts?: Record<string, string>
    /** Data hosts that answer every call 404 (an assistant that left them). */
    left?: Set<string>
    /** Each control-plane answer takes this long on the Clock. */
    controlLatency?: Duration.DurationInput
    /** A refused connection takes this long to be told. */
    downLatency?: Duration.DurationInput
  } = {}
) => {
  let controlFailures = options.controlFailures ?? 0
  const live = options.hosts ?? hosts
  const stub = stubHttp((recorded: Recorded) => {
    const { url } = recorded
    if (url.origin === "https://api.example") {
      if (controlFailures > 0) {
        controlFailures--
        return errorBody(503, "UNAVAILABLE")
      }
      const name = decodeURIComponent(url.pathname.split("/").pop()!)
      const host = live[name]
      if (options.controlLatency !== undefined) {
        return Effect.delay(
          Effect.sync(() =>
            live[name] === undefined
              ? errorBody(404, "NOT_FOUND", `Assistant "${name}" not found.`)
              : json({ name, status: "Ready", host: live[name], region: "us" })
          ),
          options.controlLatency
        )
      }
      return host === undefined
        ? errorBody(404, "NOT_FOUND", `Assistant "${name}" not found.`)
        : json({ name, status: "Ready", host, region: name === "manuals" ? "eu" : "us" })
    }
    if (options.dataDown?.has(url.origin)) {
      const refused = Effect.fail(
        Object.assign(new Error(`connect ECONNREFUSED ${url.host}`), { code: "ECONNREFUSED" })
      )
      return options.downLatency === undefined ? refused : Effect.delay(refused, options.downLatency)
    }
    if (options.notFound !== undefined || options.left?.has(url.origin)) {
      return errorBody(404, "NOT_FOUND", options.notFound ?? "Not found.")
    }
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

  it.effect("a 404 from a discovered host is checked once against the control plane; the host stays if it did not move", () =>
    Effect.gen(function*() {
      const item = world({ notFound: "Assistant \"docs\" not found." })
      yield* Effect.gen(function*() {
        // a host found a moment ago is not asked about again: the 404 is the operation's
        assert.strictEqual((yield* Effect.flip(describeIn("docs")))._tag, "NotFoundError")
        assert.strictEqual(item.control().length, 1)
        yield* TestClock.adjust("11 seconds")
        // ten calls meet a 404 together: one control-plane describe checks the host for all of them
        const errors = yield* Effect.forEach(Array.from({ length: 10 }), () => Effect.flip(describeIn("docs")), {
          concurrency: "unbounded"
        })
        assert.isTrue(errors.every((e) => e._tag === "NotFoundError"))
        assert.strictEqual(item.control().length, 2)
        // the host did not move: every call went to it, and it is still kept
        const data = item.requests.filter((r) => r.url.origin !== "https://api.example")
        assert.strictEqual(data.length, 11)
        assert.isTrue(data.every((r) => r.url.origin === hosts.docs))
        yield* Effect.flip(describeIn("docs"))
        assert.strictEqual(item.control().length, 2)
      }).pipe(Effect.provide(item.layer))
    }))

  it.effect("an assistant that moved is found again: the call that met the old host's 404 is sent to the new one", () =>
    Effect.gen(function*() {
      const live = { docs: "https://us-data.example" }
      const moved = world({ hosts: live, left: new Set(["https://us-data.example"]) })
      yield* Effect.gen(function*() {
        // found on its old host, which still answered then
        moved.requests.length = 0
        yield* TestClock.adjust("11 seconds")
        live.docs = "https://eu-data.example"
        const op = yield* describeIn("docs")
        assert.strictEqual(op.status, "Completed")
        const origins = moved.requests.map((r) => r.url.origin)
        assert.deepStrictEqual(origins, [
          "https://api.example",
          "https://eu-data.example"
        ], "the first lookup already finds the new host")
      }).pipe(Effect.provide(moved.layer))

      const later = { docs: "https://us-data.example" }
      const left = new Set<string>()
      const w = world({ hosts: later, left })
      yield* Effect.gen(function*() {
        yield* describeIn("docs")
        yield* TestClock.adjust("11 seconds")
        // it moves: the old host answers 404 for it from now on
        later.docs = "https://eu-data.example"
        left.add("https://us-data.example")
        const op = yield* describeIn("docs")
        assert.strictEqual(op.status, "Completed")
        assert.deepStrictEqual(w.requests.map((r) => r.url.origin), [
          "https://api.example",
          "https://us-data.example",
          "https://us-data.example",
          "https://api.example",
          "https://eu-data.example"
        ])
        // gone altogether: the call fails with its own 404, and the next one looks it up again
        yield* TestClock.adjust("11 seconds")
        delete (later as Record<string, string>).docs
        left.add("https://eu-data.example")
        const error = yield* Effect.flip(describeIn("docs"))
        assert.strictEqual(error._tag, "NotFoundError")
        assert.include(error.message, "Not found.")
        const unknown = yield* Effect.flip(describeIn("docs"))
        assert.strictEqual(unknown._tag, "NotFoundError")
        assert.include(unknown.message, "Assistant \"docs\" not found.")
      }).pipe(Effect.provide(w.layer))
    }))

  it.effect("a caller interrupted while the host is looked up leaves the lookup to the others", () =>
    Effect.gen(function*() {
      const w = world({ controlLatency: "1 second" })
      yield* Effect.gen(function*() {
        // the first caller gives up after 100 ms; the second, with no timeout, still gets its answer
        const impatient = yield* Effect.fork(Effect.timeout(describeIn("docs"), "100 millis"))
        const patient = yield* Effect.fork(describeIn("docs"))
        yield* TestClock.adjust("100 millis")
        assert.strictEqual((yield* Effect.flip(Fiber.join(impatient)))._tag, "TimeoutException")
        yield* TestClock.adjust("1 second")
        const op = yield* Fiber.join(patient)
        assert.strictEqual(op.status, "Completed")
        assert.strictEqual(w.control().length, 1)
      }).pipe(Effect.provide(w.layer))
    }))

  it.effect("a stale call's refused connection does not evict the host another call just found", () =>
    Effect.gen(function*() {
      const live = { docs: "https://us-data.example" }
      const down = new Set<string>()
      const w = world({ hosts: live, dataDown: down, downLatency: "1 second" })
      yield* Effect.gen(function*() {
        yield* describeIn("docs")
        // the assistant moves and its old host goes down: two calls still go to the old host
        live.docs = "https://eu-data.example"
        down.add("https://us-data.example")
        const early = yield* Effect.fork(Effect.flip(describeIn("docs")))
        yield* TestClock.adjust("500 millis")
        const stale = yield* Effect.fork(Effect.flip(describeIn("docs")))
        // the first refusal drops the old host; a new call finds the new one
        yield* TestClock.adjust("600 millis")
        assert.strictEqual((yield* Fiber.join(early))._tag, "TransportError")
        yield* describeIn("docs")
        assert.strictEqual(w.control().length, 2)
        // the stale call's refusal comes after: the new host is kept
        yield* TestClock.adjust("500 millis")
        assert.strictEqual((yield* Fiber.join(stale))._tag, "TransportError")
        yield* describeIn("docs")
        assert.strictEqual(w.control().length, 2, "the host found after the first refusal is kept")
      }).pipe(Effect.provide(w.layer))
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
