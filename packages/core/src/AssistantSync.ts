/**
 * Keep an assistant's files equal to a set of local files (a folder, say), idempotently and within
 * the plan's rate limits. Each local file has a stable id derived from its key (a readable slug and
 * a hash of the key), and each synced file carries metadata naming its set, its key and the SHA-256
 * of its content, so that a second run sends nothing for what is already there: stopped at any point
 * and run again, a sync resends no file whose content was already sent, and waits for what is still
 * processing. Only the set's own files are ever touched.
 *
 * @since 0.3.0
 */
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as Path from "@effect/platform/Path"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Client from "./AssistantClient.js"
import { AssistantClient } from "./AssistantClient.js"
import type * as AssistantError from "./AssistantError.js"
import type * as AssistantFile from "./AssistantFile.js"
import type * as FileSource from "./FileSource.js"
import * as Sha256 from "./internal/sha256.js"
import * as Walk from "./internal/walk.js"
import type * as Operation from "./Operation.js"
import * as OperationPoller from "./OperationPoller.js"
import * as RateBudget from "./RateBudget.js"

/**
 * A local file of the set: `key` is its relative path (`guides/setup.md`), `source` its bytes.
 *
 * @since 0.3.0
 * @category models
 */
export interface Entry {
  readonly key: string
  readonly source: FileSource.FileSource
}

/**
 * The metadata keys a synced file carries (beside the user's own).
 *
 * @since 0.3.0
 * @category constants
 */
export const metadataKeys = { set: "sync_set", key: "sync_key", sha256: "sync_sha256" } as const

/**
 * What the plan does with one file: `create`, `update` (content changed), `retry` (its processing
 * had failed), `wait` (unchanged, still processing), `unchanged`, `delete` (no local file, with
 * `delete`), `keep` (no local file, `delete` off).
 *
 * @since 0.3.0
 * @category models
 */
export type Action = "create" | "update" | "retry" | "wait" | "unchanged" | "delete" | "keep"

/**
 * One file of the plan.
 *
 * @since 0.3.0
 * @category models
 */
export interface Planned {
  /** The local key; for a remote file without a local one, the key its metadata names. */
  readonly key: string
  readonly fileId: string
  readonly action: Action
  readonly sha256: Option.Option<string>
  readonly remote: Option.Option<AssistantFile.AssistantFile>
}

/**
 * How one file ended: `unchanged`, `created`, `updated`, `deleted`, `kept` (no local file, `delete`
 * off), `failed` (with the operation's `error_message`, or the call's error) or `processing` (still,
 * when the wait's budget ran out).
 *
 * @since 0.3.0
 * @category models
 */
export type Outcome = "unchanged" | "created" | "updated" | "deleted" | "kept" | "failed" | "processing"

/**
 * @since 0.3.0
 * @category models
 */
export interface FileReport {
  readonly key: string
  readonly fileId: string
  readonly outcome: Outcome
  readonly message: Option.Option<string>
  readonly operationId: Option.Option<string>
}

/**
 * What a sync did: the plan, each file's outcome, the totals, and the budget's figures.
 *
 * @since 0.3.0
 * @category models
 */
export interface Report {
  readonly set: string
  readonly dryRun: boolean
  readonly plan: ReadonlyArray<Planned>
  readonly files: ReadonlyArray<FileReport>
  readonly totals: Readonly<Record<Outcome, number>>
  readonly timedOut: boolean
  readonly budget: Readonly<Record<RateBudget.Kind, RateBudget.KindStats>>
}

/**
 * What a sync tells as it goes (for a progress display).
 *
 * @since 0.3.0
 * @category models
 */
export type Event =
  | { readonly _tag: "Planned"; readonly plan: ReadonlyArray<Planned> }
  | { readonly _tag: "Sending"; readonly planned: Planned }
  | { readonly _tag: "Sent"; readonly planned: Planned; readonly operation: Option.Option<Operation.Operation> }
  | { readonly _tag: "Waiting"; readonly snapshots: ReadonlyArray<Operation.Operation> }
  | { readonly _tag: "Finished"; readonly file: FileReport }

/**
 * Options of {@link sync}.
 *
 * @since 0.3.0
 * @category models
 */
export interface Options<E = never, R = never> {
  readonly assistantName: string
  readonly entries: Stream.Stream<Entry, E, R>
  /** The set's name: only files of this set are touched. Default `"default"`. */
  readonly set?: string | undefined
  /** Delete the set's remote files that have no local one. Default `false`. */
  readonly delete?: boolean | undefined
  /** Plan only: read, send nothing. Default `false`. */
  readonly dryRun?: boolean | undefined
  /** Files hashed and sent at once. Default 4. */
  readonly concurrency?: number | undefined
  /** The wait's budget. Default 30 minutes. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Metadata of your own, merged into each file's (within 16 KB). */
  readonly metadata?: Readonly<Record<string, unknown>> | undefined
  /** The per-kind rate budget: a plan's name or a budget. Default: adaptive (learns from 429s). */
  readonly budget?: RateBudget.RateBudget | RateBudget.Plan | undefined
  readonly onEvent?: ((event: Event) => Effect.Effect<void>) | undefined
}

const hex = (text: string) => {
  const h = Sha256.make()
  h.update(new TextEncoder().encode(text))
  return h.hex()
}

/**
 * The file id of a key in a set: a readable slug of the key and 16 hex digits of the SHA-256 of set
 * and key, within the API's rule (1 to 128 of `[A-Za-z0-9_-]`): two keys that slug alike (`a b.md`
 * and `a-b.md`) get distinct ids.
 *
 * @since 0.3.0
 * @category identity
 */
export const fileIdFor = (set: string, key: string): string => {
  const slug = key.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100) || "file"
  return `${slug}-${hex(`${set}\n${key}`).slice(0, 16)}`
}

/**
 * The SHA-256 of a source's bytes, read as a stream.
 *
 * @since 0.3.0
 * @category identity
 */
export const sha256 = (source: FileSource.FileSource): Effect.Effect<string, FileSource.FileSourceError> =>
  Effect.suspend(() => {
    const h = Sha256.make()
    return Effect.map(Stream.runForEach(source.open(), (chunk) => Effect.sync(() => h.update(chunk))), () => h.hex())
  })

const remoteMeta = (file: AssistantFile.AssistantFile, key: string): Option.Option<string> =>
  Option.flatMap(file.metadata, (m) => typeof m[key] === "string" ? Option.some(m[key] as string) : Option.none())

/**
 * Plans and applies a sync: lists the set's remote files (one metadata filter), hashes the local
 * ones, upserts what is new, changed or failed, deletes (with `delete`) what has no local file, then
 * waits for every operation with `waitForOperations`. A failed file is in the report, not an
 * error; the sync fails only when it cannot go on (the listing's error: unauthenticated, assistant
 * not found, ...) or the entries' stream fails.
 *
 * @since 0.3.0
 * @category syncing
 */
export const sync = <E = never, R = never>(
  options: Options<E, R>
): Effect.Effect<Report, AssistantError.CallError | E, AssistantClient | R> =>
  Effect.gen(function*() {
    const client = yield* AssistantClient
    const set = options.set ?? "default"
    const concurrency = Math.max(1, options.concurrency ?? 4)
    const emit = options.onEvent ?? (() => Effect.void)
    const budget = options.budget === undefined
      ? RateBudget.adaptive()
      : typeof options.budget === "string"
      ? RateBudget.make(options.budget)
      : options.budget
    const assistantName = options.assistantName

    const remoteFiles = yield* Stream.runCollect(
      Client.listFiles({ assistantName, filter: { [metadataKeys.set]: { $eq: set } }, limit: 100 })
    ).pipe(Effect.provideService(AssistantClient, client), RateBudget.withBudget(budget))
    // only the set's files, whatever the server's filter let through
    const remote = new Map(
      Chunk.toReadonlyArray(remoteFiles).filter((f) => Option.contains(remoteMeta(f, metadataKeys.set), set)).map((
        f
      ) => [f.id, f])
    )

    const entries = Chunk.toReadonlyArray(yield* Stream.runCollect(options.entries))
    const seen = new Set<string>()
    const local: Array<Entry> = []
    for (const entry of entries) {
      if (seen.has(entry.key)) continue
      seen.add(entry.key)
      local.push(entry)
    }

    const failures = new Map<string, string>()
    const planned: Array<Planned> = yield* Effect.forEach(local, (entry) =>
      Effect.map(Effect.either(sha256(entry.source)), (hash): Planned => {
        const fileId = fileIdFor(set, entry.key)
        const file = Option.fromNullable(remote.get(fileId))
        if (Either.isLeft(hash)) {
          failures.set(fileId, hash.left.message)
          return { key: entry.key, fileId, action: "unchanged", sha256: Option.none(), remote: file }
        }
        const action: Action = Option.match(file, {
          onNone: () =>
            "create",
          onSome: (f) =>
            !Option.contains(remoteMeta(f, metadataKeys.sha256), hash.right)
              ? "update"
              : Option.contains(f.status, "ProcessingFailed")
              ? "retry"
              : Option.contains(f.status, "Processing")
              ? "wait"
              : Option.contains(f.status, "Deleting")
              ? "update"
              : "unchanged"
        })
        return { key: entry.key, fileId, action, sha256: Option.some(hash.right), remote: file }
      }), { concurrency })
    const localIds = new Set(planned.map((p) =>
      p.fileId
    ))
    for (const f of remote.values()) {
      if (localIds.has(f.id)) continue
      planned.push({
        key: Option.getOrElse(remoteMeta(f, metadataKeys.key), () => f.name),
        fileId: f.id,
        action: options.delete === true ? "delete" : "keep",
        sha256: remoteMeta(f, metadataKeys.sha256),
        remote: Option.some(f)
      })
    }
    yield* emit({ _tag: "Planned", plan: planned })

    const reports = new Map<string, FileReport>()
    const finish = (p: Planned, outcome: Outcome, message: Option.Option<string>, operationId: Option.Option<string>) =>
      Effect.suspend(() => {
        const file: FileReport = { key: p.key, fileId: p.fileId, outcome, message, operationId }
        reports.set(p.fileId, file)
        return emit({ _tag: "Finished", file })
      })
    const report = (timedOut: boolean) =>
      Effect.map(budget.stats, (stats): Report => {
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
        return { set, dryRun: options.dryRun === true, plan: planned, files, totals, timedOut, budget: stats }
      })

    for (const p of planned) {
      const failed = failures.get(p.fileId)
      if (failed !== undefined) yield* finish(p, "failed", Option.some(failed), Option.none())
      else if (p.action === "unchanged") yield* finish(p, "unchanged", Option.none(), Option.none())
      else if (p.action === "keep") yield* finish(p, "kept", Option.none(), Option.none())
    }
    if (options.dryRun === true) return yield* report(false)

    // the plan already holds each entry's id: no second hash of every key
    const byId = new Map(local.map((e, i) => [planned[i]!.fileId, e]))
    const pending = new Map<string, Planned>()
    const send = (p: Planned): Effect.Effect<void> =>
      Effect.gen(function*() {
        yield* emit({ _tag: "Sending", planned: p })
        if (p.action === "delete") {
          const outcome = yield* Effect.either(client.deleteFile({ assistantName, fileId: p.fileId }))
          if (Either.isLeft(outcome)) {
            return yield* finish(p, "failed", Option.some(outcome.left.message), Option.none())
          }
          if (outcome.right._tag === "Deleted") {
            yield* emit({ _tag: "Sent", planned: p, operation: Option.none() })
            return yield* finish(p, "deleted", Option.none(), Option.none())
          }
          pending.set(outcome.right.operation.id, p)
          return yield* emit({ _tag: "Sent", planned: p, operation: Option.some(outcome.right.operation) })
        }
        const entry = byId.get(p.fileId)!
        const metadata = {
          ...options.metadata,
          [metadataKeys.set]: set,
          [metadataKeys.key]: p.key,
          [metadataKeys.sha256]: Option.getOrElse(p.sha256, () => "")
        }
        const op = yield* Effect.either(
          client.upsertFile({ assistantName, fileId: p.fileId, file: entry.source, metadata })
        )
        if (Either.isLeft(op)) return yield* finish(p, "failed", Option.some(op.left.message), Option.none())
        pending.set(op.right.id, p)
        yield* emit({ _tag: "Sent", planned: p, operation: Option.some(op.right) })
      })
    const toSend = planned.filter((p) =>
      !failures.has(p.fileId) && (p.action === "create" || p.action === "update" || p.action === "retry" ||
        p.action === "delete")
    )
    yield* Effect.forEach(toSend, send, { concurrency, discard: true }).pipe(RateBudget.withBudget(budget))

    // files unchanged but still processing: their operations, from one listing of the processing ones
    const waiting = planned.filter((p) => p.action === "wait")
    if (waiting.length > 0) {
      const processing = yield* Stream.runCollect(
        Client.listOperations({ assistantName, status: "Processing", limit: 100 })
      ).pipe(
        Effect.map(Chunk.toReadonlyArray),
        Effect.orElseSucceed((): ReadonlyArray<Operation.Operation> => []),
        Effect.provideService(AssistantClient, client),
        RateBudget.withBudget(budget)
      )
      for (const p of waiting) {
        const op = processing.find((o) => Option.contains(o.fileId, p.fileId))
        if (op !== undefined) pending.set(op.id, p)
        else yield* finish(p, "unchanged", Option.none(), Option.none())
      }
    }

    if (pending.size === 0) return yield* report(false)
    const summary = yield* OperationPoller.waitForOperations({
      assistantName,
      operationIds: Array.from(pending.keys()),
      timeout: options.timeout ?? Duration.minutes(30),
      onRound: (snapshots) => emit({ _tag: "Waiting", snapshots })
    }).pipe(RateBudget.withBudget(budget))
    const done = (p: Planned): Outcome =>
      p.action === "create"
        ? "created"
        : p.action === "delete"
        ? "deleted"
        : p.action === "wait"
        ? "unchanged"
        : "updated"
    for (const op of summary.completed) {
      yield* finish(pending.get(op.id)!, done(pending.get(op.id)!), Option.none(), Option.some(op.id))
    }
    for (const op of summary.failed) {
      yield* finish(
        pending.get(op.id)!,
        "failed",
        Option.orElse(op.errorMessage, () => Option.some("processing failed")),
        Option.some(op.id)
      )
    }
    for (const op of summary.processing) {
      yield* finish(pending.get(op.id)!, "processing", Option.none(), Option.some(op.id))
    }
    for (const id of summary.unseen) {
      yield* finish(pending.get(id)!, "processing", Option.none(), Option.some(id))
    }
    for (const id of summary.notFound) {
      yield* finish(pending.get(id)!, "failed", Option.some(`operation ${id} not found`), Option.some(id))
    }
    for (const m of summary.malformed) {
      yield* finish(pending.get(m.operationId)!, "failed", Option.some(m.error.message), Option.some(m.operationId))
    }
    return yield* report(summary.timedOut)
  }).pipe(
    Effect.withSpan("AssistantSync.sync", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )

/**
 * Options of {@link syncDirectory}: those of {@link sync}, with a folder for the entries.
 *
 * @since 0.3.0
 * @category models
 */
export interface DirectoryOptions extends Omit<Options, "entries" | "set"> {
  readonly directory: string
  /** The set's name. Default: the folder's base name. */
  readonly set?: string | undefined
  /** Globs (`**`, `*`, `?`) a key must match one of. Default: every file of a supported type. */
  readonly include?: ReadonlyArray<string> | undefined
  /** Globs of keys to leave out. */
  readonly exclude?: ReadonlyArray<string> | undefined
}

/**
 * The files of a folder, recursively, as entries keyed by their relative path (with `/`), read
 * through the `FileSystem` in context; only the types the API processes, filtered by the globs.
 *
 * @since 0.3.0
 * @category syncing
 */
export const directoryEntries = (
  directory: string,
  options?: Pick<DirectoryOptions, "include" | "exclude">
): Stream.Stream<Entry, FileSource.FileSourceError, FileSystem.FileSystem | Path.Path> =>
  Walk.files(directory, options?.include, options?.exclude)

/**
 * {@link sync} of a folder's files: the set is the folder's name unless given.
 *
 * @example
 * ```ts
 * import { AssistantSync } from "@effect-pinecone/core"
 * import { Console, Effect } from "effect"
 *
 * const program = AssistantSync.syncDirectory({ assistantName: "docs", directory: "./handbook", delete: true }).pipe(
 *   Effect.flatMap((report) => Console.log(report.totals))
 * )
 * ```
 *
 * @since 0.3.0
 * @category syncing
 */
export const syncDirectory = (
  options: DirectoryOptions
): Effect.Effect<
  Report,
  AssistantError.CallError | FileSource.FileSourceError,
  AssistantClient | FileSystem.FileSystem | Path.Path
> =>
  Effect.flatMap(Walk.baseName(options.directory), (name) =>
    sync({
      ...options,
      set: options.set ?? name,
      entries: directoryEntries(options.directory, options)
    }))
