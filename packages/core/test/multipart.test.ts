import { assert, describe, it } from "@effect/vitest"
import { parseDisposition } from "../src/internal/emulator/multipart.js"

describe("the emulator's Content-Disposition parser", () => {
  it("reads UTF-8 quoted names, escapes and RFC 5987 filename*, which wins", () => {
    assert.deepStrictEqual(parseDisposition(`form-data; name="file"; filename="日本語.md"`), {
      name: "file",
      filename: "日本語.md"
    })
    assert.deepStrictEqual(parseDisposition(`form-data; name=file; filename="a \\"b\\".md"`), {
      name: "file",
      filename: `a "b".md`
    })
    assert.deepStrictEqual(
      parseDisposition(`form-data; name="file"; filename="x.md"; filename*=UTF-8''%F0%9F%93%84%20n.txt`),
      { name: "file", filename: "📄 n.txt" }
    )
    assert.deepStrictEqual(parseDisposition(`form-data; name="metadata"`), { name: "metadata", filename: undefined })
    assert.isUndefined(parseDisposition(`attachment; filename="a.md"`))
  })
})
