import * as HttpClient from "@effect/platform/HttpClient"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as AssistantClient from "../src/AssistantClient.js"
import * as AssistantError from "../src/AssistantError.js"
import * as AssistantSync from "../src/AssistantSync.js"
import * as Emulator from "../src/Emulator.js"
import * as FileSource from "../src/FileSource.js"
import * as RateBudget from "../src/RateBudget.js"
import { drive } from "./utils.js"

interface Sent {
  readonly method: string
  readonly path: string
  readonly status: number
}

/** An emulator in memory on the TestClock, a client on it, and every answer it sent. */
const setup = (
  options: Emulator.Options = {},
  gate: (request: { method: string }) => Effect.Effect<void> = () => Effect.void
) =>
  Effect.gen(function*() {
    const answers: Array<Sent> = []
    const emulator = yield* Emulator.make({
      ...options,
      onResponse: (e) => answers.push({ method: e.method, path: e.path, status: e.status })
    })
    yield* emulator.createAssistant("docs")
    yield* emulator.setProcessing(new Emulator.ProcessingScript({ durationMs: 2000, outcome: "Completed" }))
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
      .pipe(
        Effect.provide(
          Layer.succeed(HttpClient.HttpClient, HttpClient.tapRequest(Emulator.makeHttpClient(emulator), gate))
        )
      )
    const writes = () => answers.filter((a) => a.method !== "GET")
    return { emulator, client, answers, writes }
  })

const text = (s: string) => new TextEncoder().encode(s)
const entries = (files: Record<string, string>) =>
  Stream.fromIterable(
    Object.entries(files).map(([key, content]) => ({ key, source: FileSource.fromBytes(key, text(content)) }))
  )

const folder = (n: number) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`docs/page-${i}.md`, `# Page ${i}\n`]))

const run = (client: AssistantClient.Service, options: Omit<AssistantSync.Options, "assistantName">) =>
  drive(
    AssistantSync.sync({ assistantName: "docs", ...options }).pipe(
      Effect.provideService(AssistantClient.AssistantClient, client)
    )
  )

describe("AssistantSync", () => {
  it.scoped("a file still processing whose operation cannot be confirmed is followed, never reported unchanged", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: 20_000, outcome: "Failed", errorMessage: "bad scan" }),
        "docs/a.md"
      )
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: 20_000, outcome: "Completed" }),
        "docs/b.md"
      )
      const files = entries({ "docs/a.md": "# A\n", "docs/b.md": "# B\n" })
      // the first sync starts both and stops waiting at once
      yield* run(client, { entries: files, timeout: "1 millis" })
      // the second finds both still processing; the operations listing fails
      const noListing: AssistantClient.Service = {
        ...client,
        listOperationsPage: () => Effect.fail(AssistantError.make("UNAVAILABLE", 503, "listing down"))
      }
      const report = yield* run(noListing, { entries: files })
      const outcome = (key: string) => report.files.find((f) => f.key === key)!
      assert.deepStrictEqual(report.plan.map((p) => p.action), ["wait", "wait"])
      assert.strictEqual(outcome("docs/a.md").outcome, "failed")
      // the server's words live on the failed operation, which the listing cannot fetch here
      assert.include(Option.getOrElse(outcome("docs/a.md").message, () => ""), "docs/a.md")
      assert.strictEqual(outcome("docs/b.md").outcome, "unchanged")
      // with a budget too short to see them end, they are still processing, not unchanged
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: 60_000, outcome: "Completed" }),
        "docs/c.md"
      )
      const more = entries({ "docs/c.md": "# C\n" })
      yield* run(client, { entries: more, timeout: "1 millis", set: "c" })
      const short = yield* run(noListing, { entries: more, timeout: "5 seconds", set: "c" })
      assert.strictEqual(short.files[0]!.outcome, "processing")
      assert.isTrue(short.timedOut)
    }))

  it.scoped("50 files synced, then 3 changed, 2 removed, 1 added: exactly 4 upserts and 2 deletes", () =>
    Effect.gen(function*() {
      const { client, writes } = yield* setup()
      const files = folder(50)
      const first = yield* run(client, { entries: entries(files), set: "handbook" })
      assert.strictEqual(first.totals.created, 50)
      assert.strictEqual(writes().length, 50)
      assert.isTrue(writes().every((w) => w.method === "PUT" && w.status === 202))

      const again = yield* run(client, { entries: entries(files), set: "handbook" })
      assert.strictEqual(again.totals.unchanged, 50)
      assert.strictEqual(writes().length, 50, "an unchanged folder sends nothing")

      const next: Record<string, string> = { ...files }
      for (const i of [1, 2, 3]) next[`docs/page-${i}.md`] = `# Page ${i}, revised\n`
      delete next["docs/page-10.md"]
      delete next["docs/page-11.md"]
      next["docs/new.md"] = "# New\n"
      const before = writes().length
      const changed = yield* run(client, { entries: entries(next), set: "handbook", delete: true })
      const sent = writes().slice(before)
      assert.strictEqual(sent.filter((w) => w.method === "PUT").length, 4)
      assert.strictEqual(sent.filter((w) => w.method === "DELETE").length, 2)
      assert.strictEqual(sent.length, 6, "nothing else is written")
      assert.deepInclude(changed.totals, { created: 1, updated: 3, deleted: 2, unchanged: 45, failed: 0 })
    }))

  it.scoped("only the set's files are touched; keys that slug alike get distinct ids; a dry run sends nothing", () =>
    Effect.gen(function*() {
      const { client, emulator, writes } = yield* setup()
      const outside = yield* client.upsertFile({
        assistantName: "docs",
        fileId: "hand-made",
        file: FileSource.fromBytes("hand.md", text("# mine"))
      })
      const other = yield* run(client, { entries: entries({ "a.md": "a" }), set: "other-set" })
      assert.strictEqual(other.totals.created, 1)
      const mine = yield* run(client, { entries: entries({ "a b.md": "1", "a-b.md": "2" }), set: "mine" })
      const ids = mine.files.map((f) => f.fileId)
      assert.strictEqual(new Set(ids).size, 2)
      assert.isTrue(ids.every((id) => id.startsWith("a-b-md-") && /^[A-Za-z0-9_-]{1,128}$/.test(id)))
      const before = writes().length
      // an empty local side deletes nothing unless maxDelete says how many may go
      const guarded = yield* run(client, { entries: entries({}), set: "mine", delete: true })
      assert.deepStrictEqual(guarded.plan.map((p) => p.action), ["keep", "keep"])
      assert.deepStrictEqual(
        Option.map(guarded.deleteGuard, (g) => [g._tag, g.wouldDelete]),
        Option.some(["EmptySource", 2])
      )
      assert.strictEqual(writes().length, before, "the guard writes nothing")
      const dry = yield* run(client, { entries: entries({}), set: "mine", delete: true, dryRun: true, maxDelete: 2 })
      assert.deepStrictEqual(dry.plan.map((p) => p.action), ["delete", "delete"])
      assert.strictEqual(writes().length, before, "a dry run writes nothing")
      const deleted = yield* run(client, { entries: entries({}), set: "mine", delete: true, maxDelete: Infinity })
      assert.strictEqual(deleted.totals.deleted, 2, JSON.stringify(deleted.files))
      const stored = (yield* emulator.storedFiles("docs")).map((f) => f.id).sort()
      assert.deepStrictEqual(stored, ["hand-made", AssistantSync.fileIdFor("other-set", "a.md")].sort())
      assert.isTrue(Option.isSome(outside.fileId) || outside.id.length > 0)
    }))

  it.scoped("a file that fails processing is reported with its message and retried by the next run", () =>
    Effect.gen(function*() {
      const { client, emulator, writes } = yield* setup()
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: 1000, outcome: "Failed", errorMessage: "Scanned page unreadable" }),
        "bad.md"
      )
      const files = { "good.md": "ok", "bad.md": "scan" }
      const first = yield* run(client, { entries: entries(files) })
      const bad = first.files.find((f) => f.key === "bad.md")!
      assert.strictEqual(bad.outcome, "failed")
      assert.deepStrictEqual(bad.message, Option.some("Scanned page unreadable"))
      assert.strictEqual(first.totals.created, 1)
      yield* emulator.setProcessing(new Emulator.ProcessingScript({ durationMs: 1000, outcome: "Completed" }), "bad.md")
      const before = writes().length
      const second = yield* run(client, { entries: entries(files) })
      assert.deepStrictEqual(second.plan.find((p) => p.key === "bad.md")!.action, "retry")
      assert.strictEqual(second.files.find((f) => f.key === "bad.md")!.outcome, "updated")
      assert.strictEqual(writes().slice(before).length, 1, "only the failed file is sent again")
    }))

  it.scoped("a run interrupted halfway and started again sends no file twice, and waits for what is processing", () =>
    Effect.gen(function*() {
      // the 11th upsert of the first run never leaves: the run is interrupted there
      let puts = 0
      let open = false
      const { answers, client } = yield* setup(
        {},
        (request) => request.method === "PUT" && !open && ++puts > 10 ? Effect.never : Effect.void
      )
      const files = folder(20)
      const fiber = yield* Effect.fork(
        AssistantSync.sync({ assistantName: "docs", entries: entries(files), concurrency: 1 }).pipe(
          Effect.provideService(AssistantClient.AssistantClient, client)
        )
      )
      for (let i = 0; i < 1000 && puts <= 10; i++) yield* TestClock.adjust("10 millis")
      yield* Fiber.interrupt(fiber)
      open = true
      const accepted = answers.filter((a) => a.method === "PUT" && a.status === 202).length
      assert.strictEqual(accepted, 10)
      const second = yield* run(client, { entries: entries(files) })
      const accepts = answers.filter((a) => a.method === "PUT" && a.status === 202).map((a) => a.path)
      assert.strictEqual(accepts.length, 20, "each file was accepted once over both runs")
      assert.strictEqual(new Set(accepts).size, 20)
      assert.strictEqual(second.totals.created, 20 - accepted)
      assert.strictEqual(second.totals.unchanged, accepted)
      assert.strictEqual(second.totals.failed + second.totals.processing, 0)
    }))

  it.scoped(
    "against the Starter preset's limits: the Starter budget gets no 429; an adaptive one converges without failing a file",
    () =>
      Effect.gen(function*() {
        const limited = yield* setup({ rateLimits: "starter" })
        const starter = RateBudget.make("starter")
        const planned = yield* run(limited.client, { entries: entries(folder(12)), budget: starter })
        assert.strictEqual(planned.totals.created, 12, JSON.stringify(planned.files))
        assert.strictEqual(limited.answers.filter((a) => a.status === 429).length, 0)

        const fresh = yield* setup({ rateLimits: "starter" })
        const adaptive = yield* run(fresh.client, { entries: entries(folder(12)) })
        assert.strictEqual(adaptive.totals.created, 12, JSON.stringify(adaptive.totals))
        assert.isAbove(adaptive.budget.uploads.tooManyRequests, 0)
        // it learnt a limit at or under the plan's 5 a minute from the first 429s
        const learnt = Option.getOrThrow(adaptive.budget.uploads.perMinute)
        assert.isTrue(learnt >= 1 && learnt <= 5, String(learnt))
      }),
    120_000
  )
})

const sha = (s: string) => Effect.runSync(AssistantSync.sha256(FileSource.fromBytes("x.md", text(s))))

/** A source whose bytes are `versions[n]` on its n-th read (the last one after that). */
const changing = (key: string, versions: ReadonlyArray<string>) => {
  let reads = 0
  const source = FileSource.fromStream(
    key,
    Stream.suspend(() => Stream.make(text(versions[Math.min(reads++, versions.length - 1)]!))),
    { size: text(versions[0]!).length }
  )
  return { key, source }
}

describe("AssistantSync: never delete what the user meant to keep", () => {
  const kb: Record<string, string> = Object.fromEntries([
    ...Array.from({ length: 26 }, (_, i) => [`doc${i}.md`, `# ${i}`]),
    ...Array.from({ length: 3 }, (_, i) => [`sub/data${i}.json`, `{"n":${i}}`])
  ])
  const json = (key: string) => key.endsWith(".json")

  it.scoped("a scope scopes both sides: what it leaves out is kept, never compared or deleted", () =>
    Effect.gen(function*() {
      const { client, emulator, writes } = yield* setup()
      yield* run(client, { entries: entries(kb), set: "kb" })
      const before = writes().length
      const onlyJson: Record<string, string> = Object.fromEntries(Object.entries(kb).filter(([k]) => json(k)))
      const scoped = yield* run(client, { entries: entries(onlyJson), set: "kb", delete: true, scope: json })
      assert.strictEqual(writes().length, before, "nothing written")
      assert.deepInclude(scoped.totals, { unchanged: 3, kept: 26, deleted: 0 })
      const kept = scoped.plan.filter((p) => p.action === "keep")
      assert.strictEqual(kept.length, 26)
      assert.isTrue(kept.every((p) => p.reason === "outside the filter"), kept.map((p) => p.reason).join())
      // the whole folder passed, but a scope that leaves out the Markdown: not one .md is sent or deleted
      const all = yield* run(client, { entries: entries(kb), set: "kb", delete: true, scope: json })
      assert.deepInclude(all.totals, { unchanged: 3, kept: 26 })
      assert.strictEqual(writes().length, before)
      assert.strictEqual((yield* emulator.storedFiles("docs")).length, 29)
      // deleteExcluded (rsync's --delete-excluded) is the way to delete them, and only with delete on
      const excluded = yield* run(client, {
        entries: entries(onlyJson),
        set: "kb",
        delete: true,
        deleteExcluded: true,
        scope: json
      })
      assert.deepInclude(excluded.totals, { deleted: 26, unchanged: 3 })
    }))

  it.scoped("the delete guard: over maxDelete nothing is deleted, the rest still runs; reasons name each action", () =>
    Effect.gen(function*() {
      const { client, emulator, writes } = yield* setup()
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: 500, outcome: "Failed", errorMessage: "bad scan" }),
        "c.md"
      )
      yield* run(client, { entries: entries({ "a.md": "a", "b.md": "b", "c.md": "c", "d.md": "d", "e.md": "e" }) })
      const before = writes().length
      const next = { "a.md": "a", "b.md": "b2", "c.md": "c", "new.md": "n" }
      const guarded = yield* run(client, { entries: entries(next), delete: true, maxDelete: 1 })
      const sent = writes().slice(before)
      assert.strictEqual(sent.filter((w) => w.method === "DELETE").length, 0, "nothing deleted")
      assert.strictEqual(sent.filter((w) => w.method === "PUT").length, 3, "b updated, c retried, new created")
      const guard = Option.getOrThrow(guarded.deleteGuard)
      assert.deepStrictEqual([guard._tag, guard.wouldDelete], ["MaxDelete", 2])
      assert.include(guard.message, "2 files, more than maxDelete 1")
      const reasons = Object.fromEntries(guarded.plan.map((p) => [p.key, `${p.action}: ${p.reason}`]))
      assert.deepStrictEqual(reasons, {
        "a.md": "unchanged: unchanged",
        "b.md": "update: content changed",
        "c.md": "retry: processing failed",
        "new.md": "create: new",
        "d.md": `keep: not deleted: ${guard.message}`,
        "e.md": `keep: not deleted: ${guard.message}`
      })
      assert.deepInclude(guarded.totals, { kept: 2, deleted: 0 })
      const off = yield* run(client, { entries: entries(next), dryRun: true })
      assert.deepStrictEqual(
        off.plan.filter((p) => p.action === "keep").map((p) => p.reason),
        ["removed locally; delete is off", "removed locally; delete is off"]
      )
      const within = yield* run(client, { entries: entries(next), delete: true, maxDelete: 2 })
      assert.deepInclude(within.totals, { deleted: 2 })
      assert.isTrue(Option.isNone(within.deleteGuard))
    }))

  it.scoped("a file changed after the plan is stored under the hash of the bytes sent, and a revert is sent again", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      // read once for the plan ("old!"), then every send reads "new!" (the same size)
      const first = yield* drive(
        AssistantSync.sync({
          assistantName: "docs",
          entries: Stream.make(changing("page.md", ["old!", "new!"]))
        }).pipe(Effect.provideService(AssistantClient.AssistantClient, client))
      )
      assert.strictEqual(first.totals.created, 1, JSON.stringify(first.files))
      const stored = (yield* emulator.storedFiles("docs"))[0]!
      assert.strictEqual(stored.size, 4)
      const { crc32 } = yield* Effect.promise(() => import("../src/internal/emulator/files.js"))
      assert.strictEqual(stored.crc32, crc32(0, text("new!")).toString(16).padStart(8, "0"))
      assert.strictEqual(stored.metadata?.[AssistantSync.metadataKeys.sha256], sha("new!"), "the label is the bytes'")
      // reverted: the next run sees a change and sends it
      const reverted = yield* run(client, { entries: entries({ "page.md": "old!" }) })
      assert.strictEqual(reverted.totals.updated, 1)
      const after = (yield* emulator.storedFiles("docs"))[0]!
      assert.strictEqual(after.crc32, crc32(0, text("old!")).toString(16).padStart(8, "0"))
      assert.strictEqual(after.metadata?.[AssistantSync.metadataKeys.sha256], sha("old!"))
    }))

  it.scoped("a file that keeps changing while sent is a failure, and nothing is stored under a label that lies", () =>
    Effect.gen(function*() {
      const { client, emulator } = yield* setup()
      const report = yield* run(client, { entries: Stream.make(changing("live.md", ["v1!", "v2!", "v3!", "v4!"])) })
      const file = report.files[0]!
      assert.strictEqual(file.outcome, "failed")
      assert.include(Option.getOrElse(file.message, () => ""), "changed while it was being sent")
      assert.strictEqual((yield* emulator.storedFiles("docs")).length, 0)
    }))
})

describe("AssistantSync events", () => {
  it.scoped("a file waiting for the rate budget is Queued; Sending comes when its bytes leave", () =>
    Effect.gen(function*() {
      const { client } = yield* setup()
      const seen: Array<readonly [string, string, number]> = []
      yield* run(client, {
        entries: entries({ "a.md": "a", "b.md": "b", "c.md": "c" }),
        budget: "starter",
        concurrency: 3,
        onEvent: (e) =>
          e._tag === "Queued" || e._tag === "Sending"
            ? Effect.flatMap(
              TestClock.currentTimeMillis,
              (now) => Effect.sync(() => seen.push([e._tag, e.planned.key, now]))
            )
            : Effect.void
      })
      const at = (tag: string, key: string) => seen.find(([t, k]) => t === tag && k === key)![2]
      const queued = ["a.md", "b.md", "c.md"].map((k) => at("Queued", k))
      const sending = ["a.md", "b.md", "c.md"].map((k) => at("Sending", k)).sort((x, y) => x - y)
      assert.strictEqual(new Set(queued).size, 1, "all queued at once")
      // Starter: 5 uploads a minute, spaced evenly: 12 s between two sends
      assert.isAtLeast(sending[2]! - sending[0]!, 2 * 12_000 - 1, JSON.stringify(seen))
      for (const k of ["a.md", "b.md", "c.md"]) assert.isAtMost(at("Queued", k), at("Sending", k))
    }))
})
