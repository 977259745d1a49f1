// A sync run: list the set's remote files, hash the local ones, plan, send, wait, report. Each phase is
// a function of its own; `syncWith` strings them together.
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Client from "../../AssistantClient.js"
import { AssistantClient } from "../../AssistantClient.js"
import type * as AssistantError from "../../AssistantError.js"
import type * as AssistantFile from "../../AssistantFile.js"
import type * as AssistantSync from "../../AssistantSync.js"
import type * as Operation from "../../Operation.js"
import * as OperationPoller from "../../OperationPoller.js"
import * as RateBudget from "../../RateBudget.js"
import { SetInUseError } from "./errors.js"
import { metadataKeys, remoteMeta } from "./identity.js"
import * as Local from "./local.js"
import * as Plan from "./plan.js"

type Planned = AssistantSync.Planned
type Outcome = AssistantSync.Outcome
type FileReport = AssistantSync.FileReport
type DeleteGuard = AssistantSync.DeleteGuard
type Hashed = Local.Hashed

/** What `syncDirectory` adds to a sync: what its walk left out, for the report and the guard. @internal */
export interface Walked {
  readonly skipped: ReadonlyArray<AssistantSync.SkippedFile>
  readonly unmatchedPatterns: ReadonlyArray<string>
  /**
   * The folder the entries come from, when its set was not named: a sync that deletes refuses a set
   * holding files last synced from another folder.
   */
  readonly defaultSetOf?: string | undefined
}

/** @internal */
export const noWalk: Walked = { skipped: [], unmatchedPatterns: [] }

// A delete sync into a set it did not name, holding another folder's files, would delete them.
const checkFolder = (run: Run, remote: ReadonlyArray<AssistantFile.AssistantFile>, walked: Walked) => {
  const folder = walked.defaultSetOf
  if (folder === undefined || run.options.delete !== true) return Effect.void
  for (const file of remote) {
    const other = remoteMeta(file, metadataKeys.folder)
    if (Option.isSome(other) && other.value !== folder) {
      return Effect.fail(new SetInUseError({ set: run.set, folder, otherFolder: other.value }))
    }
  }
  return Effect.void
}

interface Run {
  readonly client: Client.Service
  readonly assistantName: string
  readonly set: string
  readonly concurrency: number
  readonly emit: (event: AssistantSync.Event) => Effect.Effect<void>
  readonly budget: RateBudget.RateBudget
  readonly options: AssistantSync.Options<any, any>
}

const runOf = (client: Client.Service, options: AssistantSync.Options<any, any>): Run => ({
  client,
  assistantName: options.assistantName,
  set: options.set ?? "default",
  concurrency: Math.max(1, options.concurrency ?? 4),
  emit: options.onEvent ?? (() => Effect.void),
  budget: options.budget === undefined
    ? RateBudget.adaptive()
    : typeof options.budget === "string"
    ? RateBudget.make(options.budget)
    : options.budget,
  options
})

// The set's remote files (one metadata filter; only the set's, whatever the server's filter let through).
const listRemote = (run: Run) =>
  Stream.runCollect(
    Client.listFiles({ assistantName: run.assistantName, filter: { [metadataKeys.set]: { $eq: run.set } }, limit: 100 })
  ).pipe(
    Effect.map((files) =>
      Chunk.toReadonlyArray(files).filter((f) => Option.contains(remoteMeta(f, metadataKeys.set), run.set))
    ),
    Effect.provideService(AssistantClient, run.client),
    RateBudget.withBudget(run.budget)
  )

// The plan of the two listings, as the public `Planned` records.
const makePlan = (
  local: Hashed,
  remote: ReadonlyArray<AssistantFile.AssistantFile>,
  options: AssistantSync.Options<any, any>,
  walked: Walked
): { readonly planned: Array<Planned>; readonly guard: Option.Option<DeleteGuard> } => {
  const remoteById = new Map(remote.map((f) => [f.id, f]))
  const skippedKeys = new Map(walked.skipped.map((s) => [s.key, s.reason]))
  const protectedBy = (key: string): string | undefined => {
    for (let at = key.length; at > 0; at = key.lastIndexOf("/", at - 1)) {
      const reason = skippedKeys.get(key.slice(0, at))
      if (reason !== undefined) return `skipped (${reason})`
    }
    return undefined
  }
  const scope = options.scope ?? (() => true)
  const { guard, items } = Plan.plan(
    local.files,
    remote.map((f) => ({
      id: f.id,
      key: Option.getOrElse(remoteMeta(f, metadataKeys.key), () => f.name),
      sha256: Option.getOrUndefined(remoteMeta(f, metadataKeys.sha256)),
      status: Option.getOrUndefined(f.status)
    })),
    {
      delete: options.delete === true,
      inScope: scope,
      deleteExcluded: options.deleteExcluded === true,
      protectedBy,
      maxDelete: options.maxDelete
    }
  )
  const planned = items.map((i): Planned => ({
    key: i.key,
    fileId: i.fileId,
    action: i.action,
    reason: i.reason,
    sha256: Option.fromNullable(i.sha256),
    remote: Option.fromNullable(remoteById.get(i.fileId))
  }))
  return { planned, guard: Option.fromNullable(guard) }
}

// Each file's outcome as it is known, and the report of them all.
const reporter = (run: Run, planned: ReadonlyArray<Planned>, walked: Walked, guard: Option.Option<DeleteGuard>) => {
  const reports = new Map<string, FileReport>()
  const finish = (p: Planned, outcome: Outcome, message: Option.Option<string>, operationId: Option.Option<string>) =>
    Effect.suspend(() => {
      const file: FileReport = { key: p.key, fileId: p.fileId, outcome, message, operationId }
      reports.set(p.fileId, file)
      return run.emit({ _tag: "Finished", file })
    })
  const report = (timedOut: boolean) =>
    Effect.map(run.budget.stats, (stats): AssistantSync.Report => {
      const files = planned.map((p) => reports.get(p.fileId)!).filter((r) => r !== undefined)
      const totals: Record<Outcome, number> = {
        unchanged: 0,
        created: 0,
        updated: 0,
        deleted: 0,
        kept: 0,
        failed: 0,
        processing: 0
      }
      for (const f of files) totals[f.outcome]++
      return {
        set: run.set,
        dryRun: run.options.dryRun === true,
        plan: planned,
        files,
        totals,
        ...walked,
        deleteGuard: guard,
        timedOut,
        budget: stats
      }
    })
  return { finish, report }
}

type Reporter = ReturnType<typeof reporter>

// Sends each create, update, retry and delete within the concurrency and the budget; returns the
// operations started, by id.
const sendAll = (run: Run, planned: ReadonlyArray<Planned>, local: Hashed, reports: Reporter) =>
  Effect.suspend(() => {
    const pending = new Map<string, Planned>()
    const started = (p: Planned, operation: Option.Option<Operation.Operation>) =>
      Option.match(operation, {
        onNone: () =>
          Effect.zipRight(
            run.emit({ _tag: "Sent", planned: p, operation }),
            reports.finish(p, "deleted", Option.none(), Option.none())
          ),
        onSome: (op) => {
          pending.set(op.id, p)
          return run.emit({ _tag: "Sent", planned: p, operation })
        }
      })
    const sending = (p: Planned) => run.emit({ _tag: "Sending", planned: p })
    const context = { assistantName: run.assistantName, set: run.set, metadata: run.options.metadata }
    const send = (p: Planned): Effect.Effect<void> =>
      Effect.zipRight(
        run.emit({ _tag: "Queued", planned: p }),
        (p.action === "delete"
          ? Effect.zipRight(
            sending(p),
            Effect.map(
              run.client.deleteFile({ assistantName: run.assistantName, fileId: p.fileId }),
              (outcome) => outcome._tag === "Started" ? Option.some(outcome.operation) : Option.none()
            )
          )
          : Effect.map(Local.upsertVerified(run.client, context, p, local, sending(p)), Option.some))
          .pipe(
            Effect.matchEffect({
              onFailure: (e) => reports.finish(p, "failed", Option.some(e.message), Option.none()),
              onSuccess: (operation) => started(p, operation)
            })
          )
      )
    const toSend = planned.filter((p) =>
      !local.failures.has(p.fileId) && (p.action === "create" || p.action === "update" || p.action === "retry" ||
        p.action === "delete")
    )
    return Effect.as(
      Effect.forEach(toSend, send, { concurrency: run.concurrency, discard: true }).pipe(
        RateBudget.withBudget(run.budget)
      ),
      pending
    )
  })

// Files unchanged but still processing: their operations join `pending`, from one listing of the
// processing ones. A file whose operation the listing does not show (or that could not be listed) is
// not known to be done: it is followed by its own status (`waitForFile`), never reported unchanged.
const followProcessing = (
  run: Run,
  planned: ReadonlyArray<Planned>,
  pending: Map<string, Planned>
): Effect.Effect<ReadonlyArray<Planned>> =>
  Effect.gen(function*() {
    const waiting = planned.filter((p) => p.action === "wait")
    if (waiting.length === 0) return []
    const processing = yield* Stream.runCollect(
      Client.listOperations({ assistantName: run.assistantName, status: "Processing", limit: 100 })
    ).pipe(
      Effect.map(Chunk.toReadonlyArray),
      Effect.orElseSucceed((): ReadonlyArray<Operation.Operation> => []),
      Effect.provideService(AssistantClient, run.client),
      RateBudget.withBudget(run.budget)
    )
    const unconfirmed: Array<Planned> = []
    for (const p of waiting) {
      const op = processing.find((o) => Option.contains(o.fileId, p.fileId))
      if (op !== undefined) pending.set(op.id, p)
      else unconfirmed.push(p)
    }
    return unconfirmed
  })

// Follows each file whose processing could not be tied to an operation, by its own status.
const awaitFiles = (run: Run, files: ReadonlyArray<Planned>, reports: Reporter) =>
  Effect.forEach(files, (p) =>
    OperationPoller.waitForFile({
      assistantName: run.assistantName,
      fileId: p.fileId,
      timeout: run.options.timeout ?? Duration.minutes(30)
    }).pipe(
      Effect.matchEffect({
        onSuccess: () => Effect.as(reports.finish(p, "unchanged", Option.none(), Option.none()), false),
        onFailure: (e) =>
          e._tag === "WaitTimeoutError"
            ? Effect.as(reports.finish(p, "processing", Option.none(), Option.none()), true)
            : Effect.as(reports.finish(p, "failed", Option.some(e.message), Option.none()), false)
      }),
      Effect.provideService(AssistantClient, run.client)
    ), { concurrency: "unbounded" }).pipe(
      Effect.map((timedOut) => timedOut.some((t) => t)),
      RateBudget.withBudget(run.budget)
    )

const doneOutcome = (p: Planned): Outcome =>
  p.action === "create" ? "created" : p.action === "delete" ? "deleted" : p.action === "wait" ? "unchanged" : "updated"

// How each operation the wait followed ended: done (as its action says), failed or still processing.
const settled = (
  summary: OperationPoller.WaitManySummary
): ReadonlyArray<readonly [string, "done" | "failed" | "processing", Option.Option<string>]> => [
  ...summary.completed.map((op) => [op.id, "done", Option.none()] as const),
  ...summary.failed.map((op) =>
    [op.id, "failed", Option.orElse(op.errorMessage, () => Option.some("processing failed"))] as const
  ),
  ...summary.processing.map((op) => [op.id, "processing", Option.none()] as const),
  ...summary.unseen.map((id) => [id, "processing", Option.none()] as const),
  ...summary.notFound.map((id) => [id, "failed", Option.some(`operation ${id} not found`)] as const),
  ...summary.malformed.map((m) => [m.operationId, "failed", Option.some(m.error.message)] as const)
]

// Waits for every operation started or followed, and reports how each ended (true: the budget ran out).
const awaitOperations = (run: Run, pending: ReadonlyMap<string, Planned>, reports: Reporter) =>
  Effect.gen(function*() {
    if (pending.size === 0) return false
    const summary = yield* OperationPoller.waitForOperations({
      assistantName: run.assistantName,
      operationIds: Array.from(pending.keys()),
      timeout: run.options.timeout ?? Duration.minutes(30),
      // the sync started these operations: a moment's 404 is not their end
      notFoundGrace: OperationPoller.defaultNotFoundGrace,
      onRound: (snapshots) => run.emit({ _tag: "Waiting", snapshots })
    }).pipe(RateBudget.withBudget(run.budget))
    yield* Effect.forEach(settled(summary), ([id, outcome, message]) =>
      Effect.suspend(() => {
        const p = pending.get(id)!
        return reports.finish(p, outcome === "done" ? doneOutcome(p) : outcome, message, Option.some(id))
      }), { discard: true })
    return summary.timedOut
  })

/** A sync of `options.entries`, with what a folder's walk left out. @internal */
export const syncWith = <E, R>(
  options: AssistantSync.Options<E, R>,
  walked: Walked
): Effect.Effect<AssistantSync.Report, AssistantError.CallError | SetInUseError | E, AssistantClient | R> =>
  Effect.gen(function*() {
    const run = runOf(yield* AssistantClient, options)
    const remote = yield* listRemote(run)
    yield* checkFolder(run, remote, walked)
    const local = yield* Local.hashEntries(run.set, options.entries, run.concurrency)
    const { guard, planned } = makePlan(local, remote, options, walked)
    yield* run.emit({ _tag: "Planned", plan: planned, ...walked, deleteGuard: guard })
    const reports = reporter(run, planned, walked, guard)
    // what needs nothing sent is settled at once
    for (const p of planned) {
      const failed = local.failures.get(p.fileId)
      if (failed !== undefined) yield* reports.finish(p, "failed", Option.some(failed), Option.none())
      else if (p.action === "unchanged") yield* reports.finish(p, "unchanged", Option.none(), Option.none())
      else if (p.action === "keep") yield* reports.finish(p, "kept", Option.none(), Option.none())
    }
    if (options.dryRun === true) return yield* reports.report(false)
    const pending = yield* sendAll(run, planned, local, reports)
    const unconfirmed = yield* followProcessing(run, planned, pending)
    const [operationsTimedOut, filesTimedOut] = yield* Effect.all([
      awaitOperations(run, pending, reports),
      awaitFiles(run, unconfirmed, reports)
    ], { concurrency: 2 })
    return yield* reports.report(operationsTimedOut || filesTimedOut)
  }).pipe(
    Effect.withSpan("AssistantSync.sync", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )
