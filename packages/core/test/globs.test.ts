import { assert, describe, it } from "@effect/vitest"
import * as Globs from "../src/internal/sync/globs.js"
import * as Plan from "../src/internal/sync/plan.js"

const keys = [
  "doc1.md",
  "doc10.md",
  "sub/data1.json",
  "sub/deep/data2.json",
  "drafts/a.md",
  "x/drafts/b.md",
  "top.json"
]
const matching = (pattern: string) => keys.filter(Globs.compile(pattern).test)

describe("sync globs, as .gitignore and rsync read them", () => {
  it("a pattern without / matches a name at any depth; with / it is anchored; ** spans folders", () => {
    assert.deepStrictEqual(matching("*.json"), ["sub/data1.json", "sub/deep/data2.json", "top.json"])
    assert.deepStrictEqual(matching("doc1*"), ["doc1.md", "doc10.md"])
    assert.deepStrictEqual(matching("drafts"), ["drafts/a.md", "x/drafts/b.md"])
    assert.deepStrictEqual(matching("/drafts"), ["drafts/a.md"])
    assert.deepStrictEqual(matching("drafts/"), ["drafts/a.md", "x/drafts/b.md"])
    assert.deepStrictEqual(matching("top.json/"), [], "a trailing / matches folders only")
    assert.deepStrictEqual(matching("sub/*.json"), ["sub/data1.json"])
    assert.deepStrictEqual(matching("sub/**/*.json"), ["sub/data1.json", "sub/deep/data2.json"])
    assert.deepStrictEqual(matching("**/*.json"), ["sub/data1.json", "sub/deep/data2.json", "top.json"])
    assert.deepStrictEqual(matching("doc?.md"), ["doc1.md"])
    assert.deepStrictEqual(matching("日本*"), [])
  })

  it("scope: an include (if any) and no exclude; patterns that matched nothing are named", () => {
    const rules = Globs.rules(["*.json", "*.pdf"], ["sub/deep/**"])
    assert.deepStrictEqual(keys.filter((k) => Globs.inScope(rules, k)), ["sub/data1.json", "top.json"])
    assert.deepStrictEqual(Globs.unmatched(rules, keys), ["*.pdf"])
    assert.isTrue(Globs.inScope(Globs.rules(), "anything/at/all.md"))
  })
})

describe("the sync plan", () => {
  const local = (key: string, sha256: string | undefined = key): Plan.LocalFile => ({
    key,
    fileId: `id-${key}`,
    sha256
  })
  const remote = (key: string, sha256 = key, status = "Available"): Plan.RemoteFile => ({
    id: `id-${key}`,
    key,
    sha256,
    status
  })
  const options: Plan.PlanOptions = {
    delete: true,
    inScope: () => true,
    deleteExcluded: false,
    protectedBy: () => undefined,
    maxDelete: undefined
  }

  it("a remote key a skipped local file protects is kept; the guard turns every delete into keep", () => {
    const plan = Plan.plan([local("a.md")], [remote("a.md"), remote("gone.md"), remote("link/x.md")], {
      ...options,
      protectedBy: (key) => key.startsWith("link/") ? "skipped (a loop)" : undefined
    })
    assert.deepStrictEqual(plan.items.map((i) => [i.key, i.action, i.reason]), [
      ["a.md", "unchanged", "unchanged"],
      ["gone.md", "delete", "removed locally"],
      ["link/x.md", "keep", "not deleted: skipped (a loop) locally"]
    ])
    assert.isUndefined(plan.guard)
    const empty = Plan.plan([], [remote("a.md")], options)
    assert.strictEqual(empty.guard?._tag, "EmptySource")
    assert.deepStrictEqual(empty.items.map((i) => i.action), ["keep"])
    assert.strictEqual(Plan.plan([], [remote("a.md")], { ...options, maxDelete: 1 }).items[0]!.action, "delete")
    assert.strictEqual(Plan.plan([], [remote("a.md")], { ...options, maxDelete: 0 }).guard?._tag, "MaxDelete")
  })
})
