// The control plane's assistant endpoints over real sockets: our client (host discovery included)
// and Pinecone's official TypeScript SDK against the emulator, every answer validated against the
// control-plane OpenAPI document.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import { assert, describe, it } from "@effect/vitest"
import { Pinecone } from "@pinecone-database/pinecone"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { driveClock, makeValidator } from "./helpers.js"

const apiKey = "assistants-e2e-key"
const answered: Array<Emulator.ResponseEvent> = []

const Live = Layer.unwrapEffect(
  Effect.map(NodeEmulator.url, (url) => NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), controlHost: url }))
).pipe(
  Layer.provideMerge(NodeEmulator.layer({ apiKey, onResponse: (event) => answered.push(event) })),
  Layer.orDie
)

describe("assistants over real sockets", () => {
  it.effect("our client: create and wait, upload to it through discovery, list, update, delete and wait", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* emulator.reset
      const ready = yield* driveClock(
        OperationPoller.createAssistantAndWait({
          assistantName: "handbook",
          instructions: "Cite it.",
          metadata: { team: "hr" }
        })
      )
      assert.strictEqual(ready.status, "Ready")
      const file = yield* driveClock(
        OperationPoller.uploadFileAndWait({
          assistantName: "handbook",
          file: FileSource.fromBytes("guide.md", new TextEncoder().encode("# Guide"))
        })
      )
      assert.deepStrictEqual(file.status, Option.some("Available"))
      yield* AssistantClient.createAssistant({ assistantName: "second", region: "eu" })
      const names = Chunk.toReadonlyArray(yield* Stream.runCollect(AssistantClient.listAssistants({ limit: 1 })))
      assert.deepStrictEqual(names.map((a) => a.name), ["handbook", "second"])
      const updated = yield* AssistantClient.updateAssistant({
        assistantName: "handbook",
        metadata: { team: "people" }
      })
      assert.deepStrictEqual(updated.metadata, Option.some({ team: "people" }))
      yield* AssistantClient.deleteAssistant({ assistantName: "handbook" })
      yield* driveClock(OperationPoller.waitForAssistant({ assistantName: "handbook", until: "Deleted" }))
      const gone = yield* Effect.flip(AssistantClient.describeAssistant({ assistantName: "handbook" }))
      assert.strictEqual(gone._tag, "NotFoundError")
    }).pipe(Effect.provide(Live)))

  it.live("Pinecone's official SDK creates, lists, describes, updates and deletes assistants on the emulator", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* emulator.reset
      yield* emulator.setAssistantScript(new Emulator.AssistantScript({ initializingMs: 0, terminatingMs: 0 }))
      const url = yield* NodeEmulator.url
      const pc = new Pinecone({ apiKey, controllerHostUrl: `${url}/assistant` })
      const result = yield* Effect.promise(async () => {
        const created = await pc.assistants.create({
          name: "sdk-made",
          instructions: "Answer briefly.",
          metadata: { team: "sdk" },
          region: "us"
        })
        const listed = await pc.assistants.list()
        const described = await pc.assistants.describe("sdk-made")
        const updated = await pc.assistants.update({ name: "sdk-made", instructions: "Answer at length." })
        await pc.assistants.delete("sdk-made")
        const after = await pc.assistants.list()
        return { created, listed, described, updated, after }
      })
      assert.strictEqual(result.created.name, "sdk-made")
      assert.strictEqual(result.created.instructions, "Answer briefly.")
      assert.deepStrictEqual((result.listed.assistants ?? []).map((a) => a.name), ["sdk-made"])
      assert.strictEqual(result.described.status, "Ready")
      assert.strictEqual(result.described.host, url)
      assert.strictEqual(result.updated.instructions, "Answer at length.")
      assert.deepStrictEqual(result.after.assistants, [])
    }).pipe(Effect.provide(Live)))

  it.effect("every control-plane answer validates against the control OpenAPI document", () =>
    Effect.sync(() => {
      const validate = makeValidator()
      const control = answered.filter((e) => e.path.startsWith("/assistant/assistants") && e.body !== undefined)
      assert.isAtLeast(control.length, 8)
      const kinds = new Set<string>()
      for (const event of control) {
        const schema = event.status >= 400
          ? "ControlErrorResponse"
          : event.method === "PATCH"
          ? "UpdateAssistantResponse"
          : event.path === "/assistant/assistants" && event.method === "GET"
          ? "ListAssistantsResponse"
          : "Assistant"
        kinds.add(schema)
        const error = validate(schema, event.body)
        assert.isUndefined(error, `${event.method} ${event.path} ${event.status}: ${error}`)
      }
      assert.deepStrictEqual([...kinds].sort(), [
        "Assistant",
        "ControlErrorResponse",
        "ListAssistantsResponse",
        "UpdateAssistantResponse"
      ])
      // the validator is not a yes-man
      assert.isDefined(validate("ListAssistantsResponse", { assistants: [{ name: 3 }] }))
      assert.isDefined(validate("UpdateAssistantResponse", { metadata: "x" }))
    }))
})
