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
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { AssistantClient } from "./AssistantClient.js"
import type * as AssistantError from "./AssistantError.js"
import type * as AssistantFile from "./AssistantFile.js"
import type * as FileSource from "./FileSource.js"
import type * as Errors from "./internal/sync/errors.js"
import * as Globs from "./internal/sync/globs.js"
import * as Identity from "./internal/sync/identity.js"
import * as Run from "./internal/sync/run.js"
import * as Walk from "./internal/sync/walk.js"
import type * as Operation from "./Operation.js"
import type * as RateBudget from "./RateBudget.js"

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
export const metadataKeys: typeof Identity.metadataKeys = Identity.metadataKeys

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
  /**
   * Skipped for an error (unreadable, a link to nothing): the sync is partial, and the CLI exits 1.
   * `false` for what is left out by design (a link outside the folder or back into it, a type the API
   * does not process), which stays a warning.
   *
   * @since 0.2.0
   */
  readonly failed: boolean
}

/**
 * A `syncDirectory` with `delete` and the default set (the folder's base name) met files of that set
 * last synced from another folder (`a/docs` and `b/docs` are both "docs"): nothing was sent or
 * deleted. Name the set (`set`, the CLI's `--set`) to sync into it anyway.
 *
 * @since 0.2.0
 * @category errors
 */
export { SetInUseError } from "./internal/sync/errors.js"

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

/**
 * The file id of a key in a set: a readable slug of the key and 16 hex digits of the SHA-256 of set
 * and key, within the API's rule (1 to 128 of `[A-Za-z0-9_-]`): two keys that slug alike (`a b.md`
 * and `a-b.md`) get distinct ids.
 *
 * @since 0.2.0
 * @category identity
 */
export const fileIdFor: (set: string, key: string) => string = Identity.fileIdFor

/**
 * The SHA-256 of a source's bytes, read as a stream.
 *
 * @since 0.2.0
 * @category identity
 */
export const sha256: (source: FileSource.FileSource) => Effect.Effect<string, FileSource.FileSourceError> =
  Identity.sha256

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
): Effect.Effect<Report, AssistantError.CallError | E, AssistantClient | R> =>
  // entries not from a folder: no folder to tell another's apart from, and so no SetInUseError
  Run.syncWith(options, Run.noWalk).pipe(Effect.catchTag("SetInUseError", Effect.die))

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
  AssistantError.CallError | FileSource.FileSourceError | Errors.SetInUseError,
  AssistantClient | FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function*() {
    const name = yield* Walk.baseName(options.directory)
    const folder = yield* Walk.absolute(options.directory)
    const rules = Globs.rules(options.include, options.exclude)
    const walked = yield* Walk.walk(options.directory, { rules, followLinks: options.followLinks })
    return yield* Run.syncWith({
      ...options,
      set: options.set ?? name,
      // each file names the folder it came from, so that another folder of the same name is told apart
      metadata: { ...options.metadata, [Identity.metadataKeys.folder]: folder },
      scope: (key) => Globs.inScope(rules, key),
      entries: Stream.fromIterable(walked.entries)
    }, {
      skipped: walked.skipped,
      unmatchedPatterns: walked.unmatched,
      defaultSetOf: options.set === undefined ? folder : undefined
    })
  })
