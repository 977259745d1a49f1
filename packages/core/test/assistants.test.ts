// The assistants lifecycle against the in-memory emulator on the TestClock: create, list, describe,
// update, delete; waiting until Ready or gone; validation before sending; retried creates and deletes;
// host discovery; the control plane's own rate budget.
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Assistant from "../src/Assistant.js"
import * as AssistantClient from "../src/AssistantClient.js"
import * as Emulator from "../src/Emulator.js"
import * as FileSource from "../src/FileSource.js"
import { isTheOneAskedFor } from "../src/internal/client/assistants.js"
import * as OperationPoller from "../src/OperationPoller.js"
import * as RateBudget from "../src/RateBudget.js"
import { drive } from "./utils.js"

interface Sent {
  readonly method: string
  readonly path: string
  readonly status: number
}

/**
 * An emulator in memory, and a client on it that finds hosts through the control plane; `lose`
 * makes the transport lose the answer of the first request it matches (the server did its work, the
 * client sees a gateway's 502); `refuse` answers the first request it matches with a 429 without
 * passing it on (the server did nothing).
 */
const setup = (options: {
  readonly lose?: ((request: { method: string; url: string }) => boolean) | undefined
  readonly refuse?: ((request: { method: string; url: string }) => boolean) | undefined
  readonly client?: Partial<AssistantClient.Options> | undefined
} = {}) =>
  Effect.gen(function*() {
    const answers: Array<Sent> = []
    const emulator = yield* Emulator.make({
      onResponse: (e) => answers.push({ method: e.method, path: e.path, status: e.status })
    })
    const base = Emulator.makeHttpClient(emulator)
    let lost = false
    let refused = false
    const transport = HttpClient.make((request) => {
      if (!refused && options.refuse !== undefined && options.refuse(request)) {
        refused = true
        return Effect.succeed(HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify({ status: 429, error: { code: "TOO_MANY_REQUESTS", message: "Slow down." } }), {
            status: 429,
            headers: { "content-type": "application/json", "retry-after": "1" }
          })
        ))
      }
      return Effect.map(base.execute(request), (response) => {
        if (lost || options.lose === undefined || !options.lose(request)) return response
        lost = true
        return HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify({ status: 502, error: { code: "UNKNOWN", message: "answer lost" } }), {
            status: 502,
            headers: { "content-type": "application/json" }
          })
        )
      })
    })
    const client = yield* AssistantClient.make({
      apiKey: Redacted.make(emulator.apiKey),
      controlHost: "http://127.0.0.1",
      ...options.client
    }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, transport)))
    return { emulator, client, answers }
  })

const on = (client: AssistantClient.Service) => Effect.provideService(AssistantClient.AssistantClient, client)

describe("assistants", () => {
  it.scoped("create (Initializing), wait until Ready, list, describe, update, delete and wait until gone", () =>
    Effect.gen(function*() {
      const { answers, client } = yield* setup()
      const created = yield* on(client)(
        AssistantClient.createAssistant({
          assistantName: "handbook",
          instructions: "Cite the handbook.",
          metadata: { team: "people" },
          region: "eu"
        })
      )
      assert.strictEqual(created.status, "Initializing")
      assert.deepStrictEqual(created.region, Option.some("eu"))
      const ready = yield* drive(on(client)(OperationPoller.waitForAssistant({ assistantName: "handbook" })))
      assert.strictEqual(ready.status, "Ready")
      assert.deepStrictEqual(ready.instructions, Option.some("Cite the handbook."))
      assert.deepStrictEqual(ready.metadata, Option.some({ team: "people" }))

      for (const name of ["a-second", "b-third"]) {
        yield* on(client)(AssistantClient.createAssistant({ assistantName: name }))
      }
      const listed = yield* on(client)(Stream.runCollect(AssistantClient.listAssistants({ limit: 1 })))
      assert.deepStrictEqual(Chunk.toReadonlyArray(listed).map((a) => a.name), ["a-second", "b-third", "handbook"])
      assert.strictEqual(
        answers.filter((a) => a.method === "GET" && a.path === "/assistant/assistants").length,
        3,
        "one page request per assistant at limit 1"
      )

      const updated = yield* on(client)(
        AssistantClient.updateAssistant({ assistantName: "handbook", instructions: "Be brief." })
      )
      assert.deepStrictEqual(updated.assistantName, Option.some("handbook"))
      assert.deepStrictEqual(updated.instructions, Option.some("Be brief."))
      assert.deepStrictEqual(updated.metadata, Option.some({ team: "people" }))

      yield* on(client)(AssistantClient.deleteAssistant({ assistantName: "handbook" }))
      const terminating = yield* on(client)(AssistantClient.describeAssistant({ assistantName: "handbook" }))
      assert.strictEqual(terminating.status, "Terminating")
      yield* drive(on(client)(OperationPoller.waitForAssistant({ assistantName: "handbook", until: "Deleted" })))
      const after = yield* on(client)(Effect.flip(AssistantClient.describeAssistant({ assistantName: "handbook" })))
      assert.strictEqual(after._tag, "NotFoundError")
    }))

  it.scoped("createAssistantAndWait; a created assistant's host is cached (no lookup), a deleted one's leaves", () =>
    Effect.gen(function*() {
      const { answers, client } = yield* setup()
      const ready = yield* drive(on(client)(OperationPoller.createAssistantAndWait({ assistantName: "kb" })))
      assert.strictEqual(ready.status, "Ready")
      const describes = () => answers.filter((a) => a.method === "GET" && a.path === "/assistant/assistants/kb").length
      const before = describes()
      yield* on(client)(
        AssistantClient.uploadFile({
          assistantName: "kb",
          file: FileSource.fromBytes("a.md", new TextEncoder().encode("a"))
        })
      )
      assert.strictEqual(describes(), before, "the upload found its host in the cache")
      yield* on(client)(AssistantClient.deleteAssistant({ assistantName: "kb" }))
      const upload = yield* on(client)(Effect.flip(
        AssistantClient.uploadFile({
          assistantName: "kb",
          file: FileSource.fromBytes("b.md", new TextEncoder().encode("b"))
        })
      ))
      assert.strictEqual(describes(), before + 1, "after the delete the host is looked up again")
      assert.strictEqual(upload._tag, "NotFoundError")
    }))

  it.scoped("InitializationFailed is AssistantFailedError; a budget spent while Initializing is WaitTimeoutError", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      yield* emulator.setAssistantScript(
        new Emulator.AssistantScript({ name: "broken", initializingMs: 1000, outcome: "InitializationFailed" })
      )
      const failed = yield* drive(
        on(client)(Effect.flip(OperationPoller.createAssistantAndWait({ assistantName: "broken" })))
      )
      assert.strictEqual(failed._tag, "AssistantFailedError")
      assert.include(failed.message, "Assistant broken is InitializationFailed")
      yield* emulator.setAssistantScript(new Emulator.AssistantScript({ name: "slow", initializingMs: 3_600_000 }))
      const timedOut = yield* drive(
        on(client)(
          Effect.flip(OperationPoller.createAssistantAndWait({ assistantName: "slow", timeout: "10 seconds" }))
        ),
        "1 second"
      )
      assert.strictEqual(timedOut._tag, "WaitTimeoutError")
      if (timedOut._tag === "WaitTimeoutError") {
        const target = timedOut.target
        assert.strictEqual(target._tag, "Assistant")
        if (target._tag === "Assistant") {
          assert.strictEqual(target.assistantName, "slow")
          assert.deepStrictEqual(Option.map(target.last, (a) => a.status), Option.some("Initializing"))
        }
        assert.include(timedOut.message, "Gave up waiting for assistant slow")
      }
      // waiting for Ready, an assistant that is not there is the NotFoundError it is
      const missing = yield* on(client)(Effect.flip(OperationPoller.waitForAssistant({ assistantName: "nobody" })))
      assert.strictEqual(missing._tag, "NotFoundError")
    }))

  it.scoped("validation before sending: name, instructions and metadata sizes, region, update with nothing", () =>
    Effect.gen(function*() {
      const { answers, client } = yield* setup()
      const cases: ReadonlyArray<readonly [AssistantClient.CreateAssistantRequest, string]> = [
        [{ assistantName: "" }, "assistantName"],
        [{ assistantName: "Upper" }, "assistantName"],
        [{ assistantName: "-dash" }, "assistantName"],
        [{ assistantName: "dash-" }, "assistantName"],
        [{ assistantName: "a".repeat(64) }, "assistantName"],
        [{ assistantName: "under_score" }, "assistantName"],
        [{ assistantName: "ok", instructions: "x".repeat(16 * 1024 + 1) }, "instructions"],
        [{ assistantName: "ok", metadata: { note: "x".repeat(16 * 1024) } }, "metadata"],
        [{ assistantName: "ok", region: "e\nu" }, "region"]
      ]
      for (const [request, parameter] of cases) {
        const error = yield* on(client)(Effect.flip(AssistantClient.createAssistant(request)))
        assert.strictEqual(error._tag, "InvalidRequestError", JSON.stringify(request).slice(0, 80))
        if (error._tag === "InvalidRequestError") assert.strictEqual(error.parameter, parameter)
      }
      const nothing = yield* on(client)(Effect.flip(AssistantClient.updateAssistant({ assistantName: "ok" })))
      assert.strictEqual(nothing._tag, "InvalidRequestError")
      const badDelete = yield* on(client)(Effect.flip(AssistantClient.deleteAssistant({ assistantName: "Bad" })))
      assert.strictEqual(badDelete._tag, "InvalidRequestError")
      assert.strictEqual(answers.length, 0, "nothing was sent")
      // an open region is passed through
      const other = yield* on(client)(AssistantClient.createAssistant({ assistantName: "ap", region: "ap-southeast" }))
      assert.deepStrictEqual(other.region, Option.some("ap-southeast"))
      assert.isUndefined(Assistant.nameProblem("a-1"))
    }))

  it.scoped("a create whose answer was lost is resolved by describing it; someone else's assistant is AlreadyExists", () =>
    Effect.gen(function*() {
      const lose = (r: { method: string; url: string }) =>
        r.method === "POST" && r.url.endsWith("/assistant/assistants")
      const { answers, client } = yield* setup({ lose })
      const created = yield* drive(
        on(client)(
          AssistantClient.createAssistant({ assistantName: "kb", instructions: "Be brief.", metadata: { a: 1 } })
        )
      )
      assert.strictEqual(created.name, "kb")
      const posts = answers.filter((a) => a.method === "POST").map((a) => a.status)
      assert.deepStrictEqual(posts, [200, 409], "the retry met the first attempt's assistant")

      // someone else's assistant of that name: the first attempt met it (its 409 lost), the retry too
      const lost = yield* setup({ lose })
      yield* lost.emulator.createAssistant("taken")
      const conflict = yield* drive(
        on(lost.client)(Effect.flip(AssistantClient.createAssistant({ assistantName: "taken", instructions: "Mine." })))
      )
      assert.strictEqual(conflict._tag, "AlreadyExistsError", "a first attempt's 409 is not resolved away")

      // a first attempt refused for certain (a 429), then a 409: an identical assistant someone else made
      const refused = yield* setup({ refuse: (r) => r.method === "POST" && r.url.endsWith("/assistant/assistants") })
      yield* refused.emulator.createAssistant("twin")
      const twin = yield* drive(
        on(refused.client)(Effect.flip(AssistantClient.createAssistant({ assistantName: "twin" })))
      )
      assert.strictEqual(twin._tag, "AlreadyExistsError", "a retry after a definite 429 does not claim the assistant")
    }))

  it("absent, null and empty instructions are the same instructions when a retried create is resolved", () => {
    const existing = (instructions: string | undefined) =>
      new Assistant.Assistant({
        name: "kb",
        status: "Ready",
        instructions: Option.fromNullable(instructions),
        metadata: Option.none(),
        host: Option.none(),
        region: Option.none(),
        createdAt: Option.none(),
        updatedAt: Option.none()
      } as any)
    for (const stored of [undefined, ""]) {
      for (const asked of [undefined, "", null as unknown as string]) {
        assert.isTrue(isTheOneAskedFor(existing(stored), { instructions: asked }), `${stored} vs ${asked}`)
      }
      assert.isFalse(isTheOneAskedFor(existing(stored), { instructions: "Be brief." }))
    }
    assert.isFalse(isTheOneAskedFor(existing("Be brief."), {}))
  })

  it.scoped("a retried delete that meets 404 succeeds; a first delete of an unknown assistant is NotFoundError", () =>
    Effect.gen(function*() {
      const { answers, client, emulator } = yield* setup({ lose: (r) => r.method === "DELETE" })
      yield* emulator.createAssistant("kb")
      yield* drive(on(client)(AssistantClient.deleteAssistant({ assistantName: "kb" })))
      assert.deepStrictEqual(answers.filter((a) => a.method === "DELETE").map((a) => a.status), [200, 200])
      yield* drive(on(client)(OperationPoller.waitForAssistant({ assistantName: "kb", until: "Deleted" })))
      const plain = yield* setup()
      const missing = yield* on(plain.client)(Effect.flip(AssistantClient.deleteAssistant({ assistantName: "nobody" })))
      assert.strictEqual(missing._tag, "NotFoundError")
    }))

  it.scoped("the control plane has its own budget: a wait on an assistant spends no file reads", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      yield* emulator.setAssistantScript(new Emulator.AssistantScript({ initializingMs: 60_000 }))
      const budget = RateBudget.make("starter")
      yield* drive(
        on(client)(OperationPoller.createAssistantAndWait({ assistantName: "kb", schedule: undefined })).pipe(
          RateBudget.withBudget(budget)
        ),
        "1 second"
      )
      const stats = yield* budget.stats
      assert.isAbove(stats.assistants.sent, 1)
      assert.strictEqual(stats.reads.sent, 0)
      assert.deepStrictEqual(stats.assistants.perMinute, Option.some(40))
      assert.strictEqual(stats.assistants.tooManyRequests, 0)
    }))
})
