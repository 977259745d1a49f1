// The sync plan: two listings in (the local files with their hashes, the set's remote files), one
// action per file out, with the reason a person reads in a dry run, and the delete guard. Plain
// functions, no Effect: this is the part of a sync that decides what is deleted.
import type { Action } from "../../AssistantSync.js"

/** A local file of the set, hashed. @internal */
export interface LocalFile {
  readonly key: string
  readonly fileId: string
  /** Undefined when it could not be read. */
  readonly sha256: string | undefined
}

/** A remote file of the set, as its metadata tells it. @internal */
export interface RemoteFile {
  readonly id: string
  readonly key: string
  readonly sha256: string | undefined
  readonly status: string | undefined
}

/** @internal */
export type { Action }

/** @internal */
export interface Item {
  readonly key: string
  readonly fileId: string
  readonly action: Action
  readonly reason: string
  readonly sha256: string | undefined
  readonly remote: RemoteFile | undefined
}

/** Why no file was deleted although the plan had some to delete. @internal */
export interface Guard {
  readonly _tag: "MaxDelete" | "EmptySource"
  /** How many files the plan would have deleted. */
  readonly wouldDelete: number
  readonly message: string
}

/** @internal */
export interface PlanOptions {
  readonly delete: boolean
  /** Whether a key is within the include/exclude rules. */
  readonly inScope: (key: string) => boolean
  /** Delete remote files the rules leave out, too (rsync's --delete-excluded). */
  readonly deleteExcluded: boolean
  /** Why a remote key must be kept although no local file has it (a file the walk could not read). */
  readonly protectedBy: (key: string) => string | undefined
  /** Delete nothing when the plan would delete more. Undefined: no limit, but the empty-source rule. */
  readonly maxDelete: number | undefined
}

const compare = (local: LocalFile, remote: RemoteFile | undefined): { action: Action; reason: string } => {
  if (remote === undefined) return { action: "create", reason: "new" }
  if (remote.sha256 !== local.sha256) return { action: "update", reason: "content changed" }
  switch (remote.status) {
    case "ProcessingFailed":
      return { action: "retry", reason: "processing failed" }
    case "Processing":
      return { action: "wait", reason: "unchanged, still processing" }
    case "Deleting":
      return { action: "update", reason: "being deleted" }
    default:
      return { action: "unchanged", reason: "unchanged" }
  }
}

/**
 * The plan: each local file in scope compared with its remote one; each remote file without a local
 * one deleted only when `delete` is on, its key is in scope (or `deleteExcluded`), nothing protects
 * it, and the guard lets the deletes through.
 * @internal
 */
export const plan = (
  local: ReadonlyArray<LocalFile>,
  remote: ReadonlyArray<RemoteFile>,
  options: PlanOptions
): { readonly items: ReadonlyArray<Item>; readonly guard: Guard | undefined } => {
  const byId = new Map(remote.map((r) => [r.id, r]))
  const items: Array<Item> = []
  const localIds = new Set<string>()
  for (const file of local) {
    if (!options.inScope(file.key) || localIds.has(file.fileId)) continue
    localIds.add(file.fileId)
    const other = byId.get(file.fileId)
    const { action, reason } = file.sha256 === undefined
      ? { action: "unchanged" as const, reason: "unreadable" }
      : compare(file, other)
    items.push({ key: file.key, fileId: file.fileId, action, reason, sha256: file.sha256, remote: other })
  }
  const orphans = remote.filter((r) => !localIds.has(r.id))
  let deletes = 0
  for (const r of orphans) {
    const kept = (reason: string) => ({ action: "keep" as const, reason })
    const protectedReason = options.protectedBy(r.key)
    const { action, reason } = !options.inScope(r.key) && !options.deleteExcluded
      ? kept("outside the filter")
      : protectedReason !== undefined
      ? kept(`not deleted: ${protectedReason} locally`)
      : !options.delete
      ? kept("removed locally; delete is off")
      : { action: "delete" as const, reason: "removed locally" }
    if (action === "delete") deletes++
    items.push({ key: r.key, fileId: r.id, action, reason, sha256: r.sha256, remote: r })
  }
  const guard = guardOf(deletes, local.length, options.maxDelete)
  if (guard === undefined) return { items, guard }
  return {
    items: items.map((i) =>
      i.action === "delete" ? { ...i, action: "keep", reason: `not deleted: ${guard.message}` } : i
    ),
    guard
  }
}

const guardOf = (deletes: number, localCount: number, maxDelete: number | undefined): Guard | undefined => {
  if (deletes === 0) return undefined
  if (maxDelete !== undefined) {
    return deletes > maxDelete
      ? {
        _tag: "MaxDelete",
        wouldDelete: deletes,
        message: `the plan would delete ${deletes} files, more than maxDelete ${maxDelete}`
      }
      : undefined
  }
  return localCount === 0
    ? {
      _tag: "EmptySource",
      wouldDelete: deletes,
      message: `the local side has no file (an empty or unmounted folder?) and the plan would delete ${deletes}`
    }
    : undefined
}
