/**
 * Keep an assistant's files equal to a set of local files (a folder, say), idempotently and within
 * the plan's rate limits. Each local file has a stable id derived from its key (a readable slug and
 * a hash of the key), and each synced file carries metadata naming its set, its key and the SHA-256
 * of its content, so that a second run sends nothing for what is already there: stopped at any point
 * and run again, a sync resends no file whose content was already sent, and waits for what is still
 * processing. Only the set's own files are ever touched.
 *
 * @since 0.2.0
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
import { FileSourceError } from "./FileSource.js"
import * as Sha256 from "./internal/sha256.js"
import * as Globs from "./internal/sync/globs.js"
import * as Plan from "./internal/sync/plan.js"
import * as Walk from "./internal/sync/walk.js"
import type * as Operation from "./Operation.js"
import * as OperationPoller from "./OperationPoller.js"
import * as RateBudget from "./RateBudget.js"

/**
 * A local file of the set: `key` is its relative path (`guides/setup.md`), `source` its bytes.
 *
 * @since 0.2.0
 * @category models
 */
export interface Entry {
  readonly key: string
  readonly source: FileSource.FileSource
}

/**
 * The metadata keys a synced file carries (beside the user's own).
 *
 * @since 0.2.0
 * @category constants
 */
export const metadataKeys = { set: "sync_set", key: "sync_key", sha256: "sync_sha256" } as const

/**
 * What the plan does with one file: `create`, `update` (content changed), `retry` (its processing
 * had failed), `wait` (unchanged, still processing), `unchanged`, `delete` (no local file, with
 * `delete`), `keep` (no local file, `delete` off).
 *
 * @since 0.2.0
 * @category models
 */
export type Action = "create" | "update" | "retry" | "wait" | "unchanged" | "delete" | "keep"

/**
 * One file of the plan.
 *
 * @since 0.2.0
 * @category models
 */
export interface Planned {
  /** The local key; for a remote file without a local one, the key its metadata names. */
  readonly key: string
  readonly fileId: string
  readonly action: Action
  /**
   * Why, in a person's words: `new`, `content changed`, `processing failed`, `unchanged, still
   * processing`, `unchanged`, `removed locally`, `outside the filter`, `removed locally; delete is
   * off`, or `not deleted: ...` (the delete guard, or a local file that could not be read).
   *
   * @since 0.2.0
   */
  readonly reason: string
  readonly sha256: Option.Option<string>
  readonly remote: Option.Option<AssistantFile.AssistantFile>
}

/**
 * A local file that is not part of the sync although the rules take it in: a type the API does not
 * process, a link that leads outside the folder or back into it, an unreadable file. The remote file
 * of such a key is never deleted.
 *
 * @since 0.2.0
 * @category models
 */
export interface SkippedFile {
  readonly key: string
  readonly reason: string
}

/**
 * Why a sync deleted nothing although its plan had files to delete: more than `maxDelete`
 * (`MaxDelete`), or no local file at all with no `maxDelete` given (`EmptySource`: an empty or
 * unmounted folder must never empty an assistant). The rest of the sync still ran.
 *
 * @since 0.2.0
 * @category models
 */
export interface DeleteGuard {
  readonly _tag: "MaxDelete" | "EmptySource"
  /** How many files the plan would have deleted. */
  readonly wouldDelete: number
  readonly message: string
}

/**
 * How one file ended: `unchanged`, `created`, `updated`, `deleted`, `kept` (no local file, `delete`
 * off), `failed` (with the operation's `error_message`, or the call's error) or `processing` (still,
 * when the wait's budget ran out).
 *
 * @since 0.2.0
 * @category models
 */
export type Outcome = "unchanged" | "created" | "updated" | "deleted" | "kept" | "failed" | "processing"

/**
 * @since 0.2.0
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
 * @since 0.2.0
 * @category models
 */
export interface Report {
  readonly set: string
  readonly dryRun: boolean
  readonly plan: ReadonlyArray<Planned>
  readonly files: ReadonlyArray<FileReport>
  readonly totals: Readonly<Record<Outcome, number>>
  /**
   * Local files the rules take in but that were not synced, with why.
   *
   * @since 0.2.0
   */
  readonly skipped: ReadonlyArray<SkippedFile>
  /**
   * Include and exclude patterns that matched no local file (a typo, usually).
   *
   * @since 0.2.0
   */
  readonly unmatchedPatterns: ReadonlyArray<string>
  /**
   * Set when the delete guard kept every file the plan would have deleted.
   *
   * @since 0.2.0
   */
  readonly deleteGuard: Option.Option<DeleteGuard>
  readonly timedOut: boolean
  readonly budget: Readonly<Record<RateBudget.Kind, RateBudget.KindStats>>
}

/**
 * What a sync tells as it goes (for a progress display).
 *
 * @since 0.2.0
 * @category models
 */
export type Event =
  | {
    readonly _tag: "Planned"
    readonly plan: ReadonlyArray<Planned>
    readonly skipped: ReadonlyArray<SkippedFile>
    readonly unmatchedPatterns: ReadonlyArray<string>
    readonly deleteGuard: Option.Option<DeleteGuard>
  }
  /** Waiting for its turn (the concurrency, the rate budget). */
  | { readonly _tag: "Queued"; readonly planned: Planned }
  /** An upsert's first bytes leave, or a delete is asked. */
  | { readonly _tag: "Sending"; readonly planned: Planned }
  | { readonly _tag: "Sent"; readonly planned: Planned; readonly operation: Option.Option<Operation.Operation> }
  | { readonly _tag: "Waiting"; readonly snapshots: ReadonlyArray<Operation.Operation> }
  | { readonly _tag: "Finished"; readonly file: FileReport }

/**
 * Options of {@link sync}.
 *
 * @since 0.2.0
 * @category models
 */
export interface Options<E = never, R = never> {
  readonly assistantName: string
  readonly entries: Stream.Stream<Entry, E, R>
  /** The set's name: only files of this set are touched. Default `"default"`. */
  readonly set?: string | undefined
  /**
   * Delete the set's remote files that have no local one (and are in scope). Default `false`.
   */
  readonly delete?: boolean | undefined
  /**
   * Which keys this sync covers, on both sides: an entry outside it is not sent, and a remote file
   * outside it is neither compared nor deleted (it is kept, "outside the filter"). Default: every key.
   * `syncDirectory` passes its include/exclude globs here.
   *
   * @since 0.2.0
   */
  readonly scope?: ((key: string) => boolean) | undefined
  /**
   * With `delete`, also delete the set's remote files outside `scope` (as rsync's
   * `--delete-excluded`). Default `false`.
   *
   * @since 0.2.0
   */
  readonly deleteExcluded?: boolean | undefined
  /**
   * The delete guard: when the plan would delete more than this many files, it deletes none (the
   * rest of the sync still runs, and the report's `deleteGuard` says so). Without it, a `delete`
   * sync whose entries are empty deletes nothing: give `maxDelete` (say `Infinity`) to empty a set.
   *
   * @since 0.2.0
   */
  readonly maxDelete?: number | undefined
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
 * @since 0.2.0
 * @category identity
 */
export const fileIdFor = (set: string, key: string): string => {
  const slug = key.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 100) || "file"
  return `${slug}-${hex(`${set}\n${key}`).slice(0, 16)}`
}

/**
 * The SHA-256 of a source's bytes, read as a stream.
 *
 * @since 0.2.0
 * @category identity
 */
export const sha256 = (source: FileSource.FileSource): Effect.Effect<string, FileSource.FileSourceError> =>
  Effect.suspend(() => {
    const h = Sha256.make()
    return Effect.map(Stream.runForEach(source.open(), (chunk) => Effect.sync(() => h.update(chunk))), () => h.hex())
  })

const remoteMeta = (file: AssistantFile.AssistantFile, key: string): Option.Option<string> =>
  Option.flatMap(file.metadata, (m) => typeof m[key] === "string" ? Option.some(m[key] as string) : Option.none())

/** What `syncDirectory` adds to a sync: what its walk left out, for the report and the guard. */
interface Walked {
  readonly skipped: ReadonlyArray<SkippedFile>
  readonly unmatchedPatterns: ReadonlyArray<string>
}

const noWalk: Walked = { skipped: [], unmatchedPatterns: [] }

/**
 * Plans and applies a sync: lists the set's remote files (one metadata filter), hashes the local
 * ones, upserts what is new, changed or failed, deletes (with `delete`, within `scope` and the
 * delete guard) what has no local file, then waits for every operation with `waitForOperations`.
 * Each upsert's bytes are hashed as they are sent: a file that changed after it was planned is never
 * stored under its old hash (it is hashed and sent again once, then reported failed). A failed file
 * is in the report, not an error; the sync fails only when it cannot go on (the listing's error:
 * unauthenticated, assistant not found, ...) or the entries' stream fails.
 *
 * @since 0.2.0
 * @category syncing
 */
export const sync = <E = never, R = never>(
  options: Options<E, R>
): Effect.Effect<Report, AssistantError.CallError | E, AssistantClient | R> => syncWith(options, noWalk)

const syncWith = <E, R>(
  options: Options<E, R>,
  walked: Walked
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
    const remote = Chunk.toReadonlyArray(remoteFiles).filter((f) =>
      Option.contains(remoteMeta(f, metadataKeys.set), set)
    )
    const local = yield* hashEntries(set, options.entries, concurrency)
    const { guard, planned } = makePlan(local, remote, options, walked)
    yield* emit({ _tag: "Planned", plan: planned, ...walked, deleteGuard: guard })

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
        return {
          set,
          dryRun: options.dryRun === true,
          plan: planned,
          files,
          totals,
          ...walked,
          deleteGuard: guard,
          timedOut,
          budget: stats
        }
      })

    for (const p of planned) {
      const failed = local.failures.get(p.fileId)
      if (failed !== undefined) yield* finish(p, "failed", Option.some(failed), Option.none())
      else if (p.action === "unchanged") yield* finish(p, "unchanged", Option.none(), Option.none())
      else if (p.action === "keep") yield* finish(p, "kept", Option.none(), Option.none())
    }
    if (options.dryRun === true) return yield* report(false)

    const pending = new Map<string, Planned>()
    const started = (p: Planned, operation: Option.Option<Operation.Operation>) =>
      Option.match(operation, {
        onNone: () =>
          Effect.zipRight(
            emit({ _tag: "Sent", planned: p, operation }),
            finish(p, "deleted", Option.none(), Option.none())
          ),
        onSome: (op) => {
          pending.set(op.id, p)
          return emit({ _tag: "Sent", planned: p, operation })
        }
      })
    const sending = (p: Planned) => emit({ _tag: "Sending", planned: p })
    const send = (p: Planned): Effect.Effect<void> =>
      Effect.zipRight(
        emit({ _tag: "Queued", planned: p }),
        (p.action === "delete"
          ? Effect.zipRight(
            sending(p),
            Effect.map(
              client.deleteFile({ assistantName, fileId: p.fileId }),
              (outcome) => outcome._tag === "Started" ? Option.some(outcome.operation) : Option.none()
            )
          )
          : Effect.map(
            upsertVerified(client, { assistantName, set, metadata: options.metadata }, p, local, sending(p)),
            Option.some
          ))
          .pipe(
            Effect.matchEffect({
              onFailure: (e) => finish(p, "failed", Option.some(e.message), Option.none()),
              onSuccess: (operation) => started(p, operation)
            })
          )
      )
    const toSend = planned.filter((p) =>
      !local.failures.has(p.fileId) && (p.action === "create" || p.action === "update" || p.action === "retry" ||
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
      // the sync started these operations: a moment's 404 is not their end
      notFoundGrace: OperationPoller.defaultNotFoundGrace,
      onRound: (snapshots) => emit({ _tag: "Waiting", snapshots })
    }).pipe(RateBudget.withBudget(budget))
    yield* Effect.forEach(settled(summary), ([id, outcome, message]) =>
      Effect.suspend(() => {
        const p = pending.get(id)!
        return finish(p, outcome === "done" ? doneOutcome(p) : outcome, message, Option.some(id))
      }), { discard: true })
    return yield* report(summary.timedOut)
  }).pipe(
    Effect.withSpan("AssistantSync.sync", {
      captureStackTrace: false,
      attributes: { "pinecone.assistant.name": String(options.assistantName) }
    })
  )

interface Hashed {
  readonly files: ReadonlyArray<Plan.LocalFile>
  readonly entries: ReadonlyMap<string, Entry>
  readonly failures: Map<string, string>
}

// The entries (the first of each key), each hashed as a stream.
const hashEntries = <E, R>(set: string, entries: Stream.Stream<Entry, E, R>, concurrency: number) =>
  Effect.gen(function*() {
    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(entries))
    const seen = new Set<string>()
    const unique = all.filter((e) => !seen.has(e.key) && seen.add(e.key) !== undefined)
    const failures = new Map<string, string>()
    const files = yield* Effect.forEach(
      unique,
      (entry) =>
        Effect.map(Effect.either(sha256(entry.source)), (hash): Plan.LocalFile => {
          const fileId = fileIdFor(set, entry.key)
          if (Either.isLeft(hash)) failures.set(fileId, hash.left.message)
          return { key: entry.key, fileId, sha256: Either.getOrUndefined(hash) }
        }),
      { concurrency }
    )
    const byId = new Map(files.map((f, i) => [f.fileId, unique[i]!]))
    return { files, entries: byId, failures } satisfies Hashed
  })

// The plan of the two listings, as the public `Planned` records.
const makePlan = (
  local: Hashed,
  remote: ReadonlyArray<AssistantFile.AssistantFile>,
  options: Options<any, any>,
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

// Upserts an entry labelled with the hash of the bytes it sends: each read of the source is hashed
// as it goes, and a read whose hash is not the label fails before the body's end, so the server
// never stores it. Such a file is hashed again and sent once more; then it is a failure.
const upsertVerified = (
  client: Client.Service,
  context: {
    readonly assistantName: string
    readonly set: string
    readonly metadata: Readonly<Record<string, unknown>> | undefined
  },
  p: Planned,
  local: Hashed,
  onFirstRead: Effect.Effect<void>
): Effect.Effect<Operation.Operation, Client.UploadError> => {
  const entry = local.entries.get(p.fileId)!
  let read = false
  // the first read is when the bytes start to leave: the budget's wait is over
  const first = Effect.suspend(() =>
    read ? Effect.void : Effect.zipRight(Effect.sync(() => (read = true)), onFirstRead)
  )
  const attempt = (label: string, retries: number): Effect.Effect<Operation.Operation, Client.UploadError> =>
    Effect.suspend(() => {
      let changed = false
      const source: FileSource.FileSource = {
        ...entry.source,
        localFile: undefined,
        open: () =>
          Stream.suspend(() => {
            const h = Sha256.make()
            const check = Effect.suspend(() => {
              if (h.hex() === label) return Effect.void
              changed = true
              return Effect.fail(
                new FileSourceError({ name: entry.source.name, description: "it changed while it was being sent" })
              )
            })
            return Stream.concat(
              Stream.drain(Stream.fromEffect(first)),
              Stream.concat(
                Stream.tap(entry.source.open(), (chunk) => Effect.sync(() => h.update(chunk))),
                Stream.drain(Stream.fromEffect(check))
              )
            )
          })
      }
      const metadata = {
        ...context.metadata,
        [metadataKeys.set]: context.set,
        [metadataKeys.key]: p.key,
        [metadataKeys.sha256]: label
      }
      return client.upsertFile({ assistantName: context.assistantName, fileId: p.fileId, file: source, metadata }).pipe(
        Effect.catchIf(
          () => changed && retries > 0,
          () => Effect.flatMap(sha256(entry.source), (next) => attempt(next, retries - 1))
        )
      )
    })
  return attempt(Option.getOrElse(p.sha256, () => ""), 1)
}

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

/**
 * Options of {@link syncDirectory}: those of {@link sync}, with a folder for the entries.
 *
 * @since 0.2.0
 * @category models
 */
export interface DirectoryOptions extends Omit<Options, "entries" | "set" | "scope"> {
  readonly directory: string
  /** The set's name. Default: the folder's base name. */
  readonly set?: string | undefined
  /**
   * Globs a key (the file's path under the folder, with `/`) must match one of. Default: every file
   * of a supported type. As in `.gitignore`: a pattern without `/` matches a file or folder name at
   * any depth (`*.json` matches `sub/data.json`), one with `/` is anchored at the folder (`docs/*.md`),
   * `**` spans folders, a trailing `/` matches folders only. The rules scope both sides: a remote
   * file they leave out is kept, never compared or deleted.
   */
  readonly include?: ReadonlyArray<string> | undefined
  /** Globs of keys to leave out, on both sides (see `include`). */
  readonly exclude?: ReadonlyArray<string> | undefined
  /**
   * Follow links that lead outside the folder. Default `false`: such a link is skipped (and its key
   * never deleted remotely). Links inside the folder are followed; each real folder is walked once,
   * so a link back up (`loop -> .`) is skipped, never a hang.
   *
   * @since 0.2.0
   */
  readonly followLinks?: boolean | undefined
}

/**
 * The files of a folder, recursively, as entries keyed by their relative path (with `/`), read
 * through the `FileSystem` in context; only the types the API processes, filtered by the globs.
 * Dotfiles are included (as rsync and `aws s3 sync` include them): exclude `.*` to leave them out.
 *
 * @since 0.2.0
 * @category syncing
 */
export const directoryEntries = (
  directory: string,
  options?: Pick<DirectoryOptions, "include" | "exclude" | "followLinks">
): Stream.Stream<Entry, FileSource.FileSourceError, FileSystem.FileSystem | Path.Path> =>
  Stream.unwrap(
    Effect.map(
      Walk.walk(directory, {
        rules: Globs.rules(options?.include, options?.exclude),
        followLinks: options?.followLinks
      }),
      (walked) => Stream.fromIterable(walked.entries)
    )
  )

/**
 * {@link sync} of a folder's files: the set is the folder's name unless given, and the include and
 * exclude globs are the sync's `scope`, so that what they leave out is never deleted.
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
 * @since 0.2.0
 * @category syncing
 */
export const syncDirectory = (
  options: DirectoryOptions
): Effect.Effect<
  Report,
  AssistantError.CallError | FileSource.FileSourceError,
  AssistantClient | FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function*() {
    const name = yield* Walk.baseName(options.directory)
    const rules = Globs.rules(options.include, options.exclude)
    const walked = yield* Walk.walk(options.directory, { rules, followLinks: options.followLinks })
    return yield* syncWith({
      ...options,
      set: options.set ?? name,
      scope: (key) => Globs.inScope(rules, key),
      entries: Stream.fromIterable(walked.entries)
    }, { skipped: walked.skipped, unmatchedPatterns: walked.unmatched })
  })
