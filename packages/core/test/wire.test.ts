// The wire rules on their own: plain functions, no Effect.
import { assert, describe, it } from "@effect/vitest"
import * as Wire from "../src/internal/wire.js"

const reason = <A>(checked: Wire.Checked<A>) => checked._tag === "Problem" ? checked.reason : undefined

describe("the wire rules", () => {
  it("a path segment is percent-encoded, or refused with the parameter named", () => {
    assert.deepStrictEqual(Wire.encodeSegment("assistantName", "a b/é"), { _tag: "Ok", value: "a%20b%2F%C3%A9" })
    for (const bad of ["", ".", "..", "a\u0000b", "x".repeat(513), "\ud800", 42]) {
      const checked = Wire.encodeSegment("assistantName", bad)
      assert.strictEqual(checked._tag, "Problem", String(bad))
      if (checked._tag === "Problem") assert.strictEqual(checked.parameter, "assistantName")
    }
  })

  it("a token, a limit, a header", () => {
    assert.deepStrictEqual(Wire.checkToken("abc=="), { _tag: "Ok", value: "abc==" })
    assert.strictEqual(reason(Wire.checkToken("a\nb")), "must not contain control characters")
    assert.deepStrictEqual(Wire.checkLimit(100), { _tag: "Ok", value: 100 })
    for (const limit of [0, 101, 1.5]) assert.strictEqual(Wire.checkLimit(limit)._tag, "Problem")
    assert.strictEqual(reason(Wire.checkHeader("apiKey", " k")), "must not begin or end with whitespace")
    assert.strictEqual(Wire.checkHeader("apiKey", "pcsk_1\u0100")._tag, "Problem")
    assert.strictEqual(Wire.checkHeader("apiKey", "pcsk_1 2")._tag, "Ok")
  })

  it("Retry-After in seconds or as an HTTP date, else nothing", () => {
    const now = Date.parse("2026-04-01T00:00:00Z")
    assert.strictEqual(Wire.retryAfterMillis(" 7 ", now), 7000)
    assert.strictEqual(Wire.retryAfterMillis("Wed, 01 Apr 2026 00:00:30 GMT", now), 30_000)
    assert.strictEqual(Wire.retryAfterMillis("Tue, 31 Mar 2026 00:00:00 GMT", now), 0)
    for (const bad of [undefined, "", "-1", "1.5", "soon", "99999999999999999999"]) {
      assert.isUndefined(Wire.retryAfterMillis(bad, now), String(bad))
    }
  })

  it("metadata, file ids and file names", () => {
    assert.deepStrictEqual(Wire.checkMetadata(undefined), { _tag: "Ok", value: undefined })
    assert.deepStrictEqual(Wire.checkMetadata({ team: "docs" }), { _tag: "Ok", value: "{\"team\":\"docs\"}" })
    assert.strictEqual(reason(Wire.checkMetadata([1])), "must be a JSON object")
    assert.match(reason(Wire.checkMetadata({ big: "é".repeat(9000) }))!, /^is \d+ bytes of JSON; at most 16384/)
    assert.strictEqual(Wire.checkFileId("handbook-2026_v2")._tag, "Ok")
    for (const id of ["", "a/b", "x".repeat(129), 7]) assert.strictEqual(Wire.checkFileId(id)._tag, "Problem")
    assert.deepStrictEqual(Wire.checkFileName("say \"hi\".md"), { _tag: "Ok", value: "say %22hi%22.md" })
    assert.strictEqual(reason(Wire.checkFileName("a\rb.md")), "must not contain control characters")
  })
})
