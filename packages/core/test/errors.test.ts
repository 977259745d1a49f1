// The errors' mark and guard, and their messages' rules (internal/errors.ts), on their own.
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AssistantError from "../src/AssistantError.js"
import * as AssistantFile from "../src/AssistantFile.js"
import * as FileSource from "../src/FileSource.js"

describe("AssistantError", () => {
  it("isAssistantError tells the library's errors, decoded ones too, from anything else", () => {
    const notFound = AssistantError.make("NOT_FOUND", 404, "Operation op-1 not found.")
    const transport = new AssistantError.TransportError({ reason: "Transport", description: "refused" })
    const timedOut = new AssistantError.WaitTimeoutError({
      target: new AssistantError.WaitedOperation({ operationId: "op-1", last: Option.none() }),
      elapsed: Duration.seconds(3),
      polls: 2
    })
    for (const e of [notFound, transport, timedOut]) assert.isTrue(AssistantError.isAssistantError(e), e._tag)
    const decoded = Schema.decodeUnknownSync(AssistantError.CallError)(
      Schema.encodeSync(AssistantError.CallError)(notFound)
    )
    assert.strictEqual(decoded._tag, "NotFoundError")
    assert.isTrue(AssistantError.isAssistantError(decoded))
    assert.isFalse(AssistantError.isAssistantError(new Error("plain")))
    assert.isFalse(AssistantError.isAssistantError({ _tag: "NotFoundError" }))
    assert.isFalse(
      AssistantError.isAssistantError(new FileSource.FileSourceError({ name: "a.md", description: "gone" }))
    )
    // the mark is on the prototype: it is not a field, so encoding and equality are unchanged
    assert.isFalse(Object.getOwnPropertySymbols(notFound).includes(AssistantError.TypeId))
    assert.isTrue(AssistantError.TypeId in notFound)
  })

  it("isApiError and isAssistantError go by the library's mark, never by the tag alone", () => {
    const notFound = AssistantError.make("NOT_FOUND", 404, "Operation op-1 not found.")
    assert.isTrue(AssistantError.isApiError(notFound))
    // another library's error of the same tag and fields
    const lookalike = { _tag: "NotFoundError", status: 404, message: "nope" }
    assert.isFalse(AssistantError.isApiError(lookalike))
    assert.isFalse(AssistantError.isAssistantError(lookalike))
    class UnknownError extends Schema.TaggedError<UnknownError>()("UnknownError", { message: Schema.String }) {}
    assert.isFalse(AssistantError.isApiError(new UnknownError({ message: "from @effect/ai, say" })))
    assert.isTrue(AssistantError.isApiError(AssistantError.make("UNKNOWN", 500, "ours")))
    // not an API error, though ours
    assert.isFalse(
      AssistantError.isApiError(new AssistantError.TransportError({ reason: "Transport", description: "" }))
    )
  })

  it("messages are one line, cut short, and name what was waited on", () => {
    const body = `<html>\n${"x".repeat(500)}\n</html>`
    const unrecognized = new AssistantError.UnrecognizedApiError({
      status: 502,
      code: Option.none(),
      body,
      requestId: Option.none(),
      retryAfter: Option.none()
    })
    assert.notInclude(unrecognized.message, "\n")
    assert.isAtMost(unrecognized.message.length, 260)
    const file = new AssistantError.WaitTimeoutError({
      target: new AssistantError.WaitedFile({
        fileId: "guide",
        last: Option.some(
          Schema.decodeUnknownSync(AssistantFile.AssistantFile)({ id: "guide", name: "guide.md", status: "Processing" })
        )
      }),
      elapsed: Duration.millis(10_400),
      polls: 7
    })
    assert.strictEqual(
      file.message,
      "Gave up waiting for file guide after 10s 400ms and 7 polls (last status Processing)"
    )
    assert.isTrue(AssistantError.isTransient(new AssistantError.TransportError({ reason: "Timeout", description: "" })))
    assert.isFalse(AssistantError.isTransient(new AssistantError.TransportError({ reason: "Dns", description: "" })))
  })
})
