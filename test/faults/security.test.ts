// Path parameters reach the server as exactly one segment each, decoded back to the original, or are
// refused before anything is sent; plain http:// to a non-loopback host is refused unless allowed.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { faultServer, operationJson, sendJson } from "./server.js"

export const hostileNames = [
  "a/b",
  "../../etc/passwd",
  "..",
  ".",
  "%2F",
  "a%2Fb",
  "q?x=1",
  "frag#ment",
  "with space",
  "ünïcødé-名前-🚀",
  "cr\rlf\n",
  "nul\u0000byte",
  "tab\there",
  "\\back\\slash",
  ";semi=colon",
  "plus+sign&amp",
  "x".repeat(512),
  "x".repeat(513)
]

describe("path parameters against a real server", () => {
  it.scoped("each is refused with nothing sent, or arrives as exactly one segment, decoded to the original", () =>
    Effect.gen(function*() {
      const server = yield* faultServer((_, res) => sendJson(res, 200, operationJson("Completed", 100)))
      const layer = NodeAssistantClient.layer({ apiKey: Redacted.make("k"), host: server.url, retry: false })
      let refused = 0
      let sent = 0
      for (const name of hostileNames) {
        for (
          const request of [{ assistantName: name, operationId: "op-1" }, { assistantName: "docs", operationId: name }]
        ) {
          const before = server.hits.length
          const exit = yield* AssistantClient.describeOperation(request).pipe(Effect.provide(layer), Effect.exit)
          if (Exit.isFailure(exit)) {
            const failure = Cause.failureOption(exit.cause)
            assert.strictEqual(
              failure._tag === "Some" && failure.value._tag,
              "InvalidRequestError",
              JSON.stringify(name)
            )
            assert.strictEqual(server.hits.length, before, `nothing sent for ${JSON.stringify(name)}`)
            refused++
          } else {
            assert.strictEqual(server.hits.length, before + 1)
            const raw = server.hits[before]!.url
            assert.notInclude(raw, "?")
            const segments = raw.split("/")
            assert.strictEqual(segments.length, 5, raw)
            assert.deepStrictEqual(segments.slice(0, 3), ["", "assistant", "operations"])
            assert.strictEqual(decodeURIComponent(segments[3]!), request.assistantName)
            assert.strictEqual(decodeURIComponent(segments[4]!), request.operationId)
            sent++
          }
        }
      }
      assert.isAbove(refused, 0)
      assert.isAbove(sent, 0)
    }))

  it.effect("plain http:// to a non-loopback host is refused unless explicitly allowed", () =>
    Effect.gen(function*() {
      const build = (options: Partial<AssistantClient.Options>) =>
        Layer.build(NodeAssistantClient.layer({ apiKey: Redacted.make("k"), ...options })).pipe(
          Effect.scoped,
          Effect.exit
        )
      const refused = yield* build({ host: "http://10.1.2.3:8080" })
      assert.isTrue(Exit.isFailure(refused))
      assert.isTrue(Exit.isSuccess(yield* build({ host: "http://10.1.2.3:8080", allowInsecure: true })))
      assert.isTrue(Exit.isSuccess(yield* build({ host: "http://127.0.0.1:8080" })))
      assert.isTrue(Exit.isSuccess(yield* build({ host: "https://prod-1-data.ke.pinecone.io" })))
    }))
})
