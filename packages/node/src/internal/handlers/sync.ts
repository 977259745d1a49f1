// `pinecone-assistant files sync`: the plan named file by file (a dry run lists every action and its
// reason), warnings for patterns that matched nothing, the files skipped, the delete guard's exit 2.
import * as AssistantSync from "@effect-pinecone/core/AssistantSync"
import * as Operation from "@effect-pinecone/core/Operation"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Display from "../output/display.js"
import { CliExit, ExitCode, keepEnd, sanitize } from "../output/exit.js"
import { err, isTerminal } from "../output/print.js"
import { checkConcurrency, type Common, fail, withClient, write } from "./operations.js"

const usage = (message: string) => new CliExit({ code: ExitCode.Usage, message })

/** What `files sync` takes. @internal */
export interface SyncInput extends Common {
  readonly json: boolean
  readonly assistant: string
  readonly directory: string
  readonly delete: boolean
  readonly deleteExcluded: boolean
  readonly maxDelete: Option.Option<number>
  readonly followLinks: boolean
  readonly dryRun: boolean
  readonly include: ReadonlyArray<string>
  readonly exclude: ReadonlyArray<string>
  readonly plan: Option.Option<"starter" | "standard" | "enterprise">
  readonly set: Option.Option<string>
  readonly concurrency: number
  readonly timeout: Duration.Duration
}

/** One line of the plan as a dry run prints it: the action, the key, and why. @internal */
export const planLine = (p: AssistantSync.Planned): string =>
  `${p.action.padEnd(9)} ${sanitize(p.key)}  (${sanitize(p.reason)})`

/** Names, at most `max` of them, then how many more. @internal */
export const someNames = (names: ReadonlyArray<string>, max = 10): string =>
  names.slice(0, max).join(", ") + (names.length > max ? `, +${names.length - max} more` : "")

const patternWarning = (input: SyncInput, pattern: string) =>
  `warning: ${input.include.includes(pattern) ? "--include" : "--exclude"} '${sanitize(pattern)}' matched no file`

const guardMessage = (input: SyncInput, guard: AssistantSync.DeleteGuard) =>
  guard._tag === "MaxDelete"
    ? `Deleted nothing: the plan would delete ${guard.wouldDelete} files, more than --max-delete ${
      Option.getOrElse(input.maxDelete, () => 0)
    }; the rest of the sync ran (raise --max-delete to allow it)`
    : `Deleted nothing: ${
      sanitize(input.directory)
    } has no file to sync, and the plan would delete all ${guard.wouldDelete} files of the set; pass --max-delete ${guard.wouldDelete} if that is what you mean`

// What a sync shows as it goes: the plan, then a live line per file sent on a terminal; NDJSON
// events off one.
const renderer = (input: SyncInput, tty: boolean) => {
  const display = Display.make(tty)
  // the files sent, in the order they were: live while in flight, then done
  const inFlight = new Map<string, { readonly key: string; text: string; done: boolean }>()
  const show = (fileId: string, text: string, done = false) => {
    const entry = inFlight.get(fileId)
    if (entry === undefined) inFlight.set(fileId, { key: fileId, text, done })
    else {
      entry.text = text
      entry.done = done
    }
  }
  const event = (body: Record<string, unknown>) => tty ? Effect.void : write(JSON.stringify(body) + "\n")
  const redraw = Effect.suspend(() => display.draw(Array.from(inFlight.values())))
  // a long key keeps its end, so that the file's name and its outcome stay within 80 columns
  const label = (key: string) => keepEnd(sanitize(key), 40).padEnd(40)
  const planned = (e: Extract<AssistantSync.Event, { _tag: "Planned" }>) =>
    Effect.gen(function*() {
      for (const pattern of e.unmatchedPatterns) {
        yield* err(`${patternWarning(input, pattern)}\n`)
        yield* event({ event: "warning", pattern, message: patternWarning(input, pattern) })
      }
      const counts = new Map<string, number>()
      for (const p of e.plan) counts.set(p.action, (counts.get(p.action) ?? 0) + 1)
      const text = Array.from(counts, ([action, n]) => `${n} ${action}`).join(", ") || "nothing"
      if (!tty) {
        return yield* event({
          event: "plan",
          files: e.plan.map((p) => ({ key: p.key, fileId: p.fileId, action: p.action, reason: p.reason })),
          skipped: e.skipped,
          deleteGuard: Option.getOrNull(e.deleteGuard)
        })
      }
      yield* Effect.suspend(() => {
        const lines: Array<string> = []
        if (input.dryRun) lines.push(e.plan.map((p) => `${planLine(p)}\n`).join(""))
        lines.push(`plan: ${text}${input.dryRun ? " (dry run: nothing sent)" : ""}\n`)
        return write(lines.join(""))
      })
    })
  const onEvent = (e: AssistantSync.Event): Effect.Effect<void> => {
    switch (e._tag) {
      case "Planned":
        return planned(e)
      case "Queued":
        show(e.planned.fileId, `${label(e.planned.key)} queued`)
        return Effect.zipRight(redraw, event({ event: "queued", key: e.planned.key, fileId: e.planned.fileId }))
      case "Sending":
        show(e.planned.fileId, `${label(e.planned.key)} ${e.planned.action === "delete" ? "deleting" : "sending"}`)
        return Effect.zipRight(redraw, event({ event: "sending", key: e.planned.key, fileId: e.planned.fileId }))
      case "Sent":
        show(
          e.planned.fileId,
          `${label(e.planned.key)} processing ${
            Option.match(e.operation, { onNone: () => "", onSome: (op) => sanitize(op.id) })
          }`
        )
        return Effect.zipRight(
          redraw,
          event({
            event: "sent",
            key: e.planned.key,
            fileId: e.planned.fileId,
            operation: Option.getOrNull(Option.map(e.operation, Operation.encode))
          })
        )
      case "Waiting":
        return Effect.void
      case "Finished":
        if (inFlight.has(e.file.fileId)) {
          show(
            e.file.fileId,
            `${label(e.file.key)} ${e.file.outcome}${
              Option.match(e.file.message, { onNone: () => "", onSome: (m) => `: ${sanitize(m)}` })
            }`,
            true
          )
        }
        return Effect.zipRight(
          redraw,
          event({
            event: "file",
            key: e.file.key,
            fileId: e.file.fileId,
            outcome: e.file.outcome,
            message: Option.getOrNull(e.file.message)
          })
        )
    }
  }
  return onEvent
}

/** @internal */
export const sync = (input: SyncInput) =>
  Effect.gen(function*() {
    const budget = input.timeout
    yield* checkConcurrency(input.concurrency)
    if (Option.exists(input.maxDelete, (n) => n < 0)) {
      return yield* usage(`Invalid --max-delete ${Option.getOrElse(input.maxDelete, () => 0)}: must be 0 or more`)
    }
    if (input.deleteExcluded && !input.delete) return yield* usage("--delete-excluded needs --delete")
    // a guard on deletes that will not happen is a mistake worth saying
    if (Option.isSome(input.maxDelete) && !input.delete) return yield* usage("--max-delete needs --delete")
    const tty = !input.json && (yield* isTerminal)
    const onEvent = renderer(input, tty)
    const report = yield* AssistantSync.syncDirectory({
      assistantName: input.assistant,
      directory: input.directory,
      set: Option.getOrUndefined(input.set),
      include: input.include.length > 0 ? input.include : undefined,
      exclude: input.exclude,
      delete: input.delete,
      deleteExcluded: input.deleteExcluded,
      maxDelete: Option.getOrUndefined(input.maxDelete),
      followLinks: input.followLinks,
      dryRun: input.dryRun,
      concurrency: input.concurrency,
      timeout: budget,
      budget: Option.getOrUndefined(input.plan),
      onEvent
    }).pipe(
      Effect.catchTag(
        "FileSourceError",
        (e) => Effect.fail(usage(`Cannot read ${sanitize(e.name)}: ${sanitize(e.description)}`))
      ),
      // another folder of the same name owns the set: nothing was sent or deleted
      Effect.catchTag("SetInUseError", (e) => Effect.fail(usage(sanitize(e.message)))),
      Effect.mapError((e) => e._tag === "CliExit" ? e : fail(e)),
      Effect.provide(NodeContext.layer),
      (effect) => withClient(input, effect)
    )
    yield* summarize(report, tty)
    return yield* exitOf(input, report)
  })

const summarize = (report: AssistantSync.Report, tty: boolean) => {
  const t = report.totals
  const failed = report.files.filter((f) => f.outcome === "failed")
  const pending = report.files.filter((f) => f.outcome === "processing")
  if (!tty) {
    return write(
      JSON.stringify({
        event: "summary",
        set: report.set,
        dryRun: report.dryRun,
        totals: report.totals,
        skipped: report.skipped,
        unmatchedPatterns: report.unmatchedPatterns,
        deleteGuard: Option.getOrNull(report.deleteGuard),
        tooManyRequests: report.budget.uploads.tooManyRequests + report.budget.deletes.tooManyRequests +
          report.budget.reads.tooManyRequests
      }) + "\n"
    )
  }
  return Effect.suspend(() => {
    const lines: Array<string> = []
    // the counts that are not zero, so that the line fits 80 columns
    const counts = [
      [t.created, "created"],
      [t.updated, "updated"],
      [t.deleted, "deleted"],
      [t.unchanged, "unchanged"],
      [t.kept, "kept"],
      [t.failed, "failed"],
      [t.processing, "still processing"],
      [report.skipped.length, "skipped"]
    ] as const
    const said = counts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`)
    lines.push(`sync ${keepEnd(sanitize(report.set), 30)}: ${said.length === 0 ? "nothing to do" : said.join(", ")}\n`)
    for (const f of failed) {
      lines.push(`  failed: ${sanitize(f.key)}: ${sanitize(Option.getOrElse(f.message, () => ""))}\n`)
    }
    if (pending.length > 0) lines.push(`  still processing: ${someNames(pending.map((f) => sanitize(f.key)))}\n`)
    if (report.skipped.length > 0) {
      lines.push(`  skipped: ${someNames(report.skipped.map((s) => `${sanitize(s.key)} (${s.reason})`))}\n`)
    }
    return err(lines.join(""))
  })
}

const exitOf = (input: SyncInput, report: AssistantSync.Report) => {
  if (Option.isSome(report.deleteGuard)) return Effect.fail(usage(guardMessage(input, report.deleteGuard.value)))
  const failed = report.files.filter((f) => f.outcome === "failed").length
  if (failed > 0) {
    return Effect.fail(new CliExit({ code: ExitCode.OperationFailed, message: `${failed} file(s) failed` }))
  }
  // a file left out for an error (unreadable, a link to nothing) makes the sync partial, as rsync's 23
  const unread = report.skipped.filter((s) => s.failed).length
  if (unread > 0) {
    return Effect.fail(
      new CliExit({
        code: ExitCode.OperationFailed,
        message: `${unread} file(s) could not be read: the sync is partial`
      })
    )
  }
  const pending = report.files.filter((f) => f.outcome === "processing").length
  if (pending > 0) {
    return Effect.fail(
      new CliExit({ code: ExitCode.Timeout, message: `The wait's budget ran out with ${pending} still processing` })
    )
  }
  return Effect.void
}
