// The emulator's operations: their state, how they progress on the emulator's clock, and list pages.
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as AssistantError from "../../AssistantError.js"
import * as Operation from "../../Operation.js"
import type { Query } from "./routes.js"

/** What an operation is created from (the decoded `CreateOperation`). @internal */
export interface OperationInput {
  readonly assistantName: string
  readonly id?: string | undefined
  readonly operationType?: Operation.OperationType | undefined
  readonly fileId?: string | undefined
  readonly durationMs: number
  readonly outcome: "Completed" | "Failed"
  readonly failAtPercent?: number | undefined
  readonly errorMessage?: string | undefined
  readonly startedAgoMs?: number | undefined
}

interface Stored {
  readonly input: OperationInput
  readonly assistantName: string
  readonly id: string
  readonly startedAt: number
  readonly seq: number
  /** Set when a control call ended the operation ahead of its script. */
  ended?: {
    readonly at: number
    readonly outcome: "Completed" | "Failed"
    readonly percent: number
    readonly errorMessage: string | undefined
  }
}

const scriptedFailPercent = (input: OperationInput) => input.failAtPercent ?? 50

const finishTime = (op: Stored): number =>
  op.ended?.at ?? (op.input.outcome === "Completed"
    ? op.startedAt + op.input.durationMs
    : op.startedAt + Math.round(op.input.durationMs * scriptedFailPercent(op.input) / 100))

const progressAt = (op: Stored, now: number): number => {
  const { input } = op
  const elapsed = Math.max(0, now - op.startedAt)
  const percent = input.durationMs === 0 ? 100 : Math.min(100, Math.floor(100 * elapsed / input.durationMs))
  return input.outcome === "Failed" ? Math.min(percent, scriptedFailPercent(input)) : percent
}

const snapshotAt = (op: Stored, now: number): Operation.Operation => {
  const common = {
    id: op.id,
    operationType: op.input.operationType ?? "upload_file",
    fileId: Option.fromNullable(op.input.fileId),
    createdOn: DateTime.unsafeMake(op.startedAt),
    ingestionUnits: Option.none<number>(),
    errorMessage: Option.none<string>()
  }
  const end = finishTime(op)
  if (now < end) {
    return new Operation.Operation({
      ...common,
      status: "Processing",
      completedOn: Option.none(),
      percentComplete: Option.some(progressAt(op, now))
    })
  }
  const completedOn = Option.some(DateTime.unsafeMake(end))
  const outcome = op.ended?.outcome ?? op.input.outcome
  return outcome === "Completed"
    ? new Operation.Operation({
      ...common,
      status: "Completed",
      completedOn,
      percentComplete: Option.some(100),
      ingestionUnits: Option.some(Math.max(1, Math.round((end - op.startedAt) / 100)) / 10)
    })
    : new Operation.Operation({
      ...common,
      status: "Failed",
      completedOn,
      percentComplete: Option.some(op.ended?.percent ?? scriptedFailPercent(op.input)),
      errorMessage: Option.some(
        op.ended?.errorMessage ?? op.input.errorMessage ?? "File processing failed: unsupported file format."
      )
    })
}

const encodeToken = (seq: number): string => btoa(`after:${seq}`).replace(/=+$/, "")

const decodeToken = (token: string): number | undefined => {
  try {
    const match = /^after:(\d{1,15})$/.exec(atob(token))
    return match === null ? undefined : Number(match[1])
  } catch {
    return undefined
  }
}

/** The operations store. @internal */
export interface Store {
  readonly create: (input: OperationInput) => Effect.Effect<Operation.Operation, AssistantError.ApiError>
  readonly describe: (assistantName: string, operationId: string) => Effect.Effect<Option.Option<Operation.Operation>>
  readonly finish: (
    assistantName: string,
    operationId: string,
    outcome: "Completed" | "Failed",
    errorMessage?: string
  ) => Effect.Effect<Option.Option<Operation.Operation>>
  readonly list: (assistantName: string) => Effect.Effect<ReadonlyArray<Operation.Operation>>
  readonly listAll: Effect.Effect<ReadonlyArray<Operation.Operation>>
  readonly listPage: (assistantName: string, query: Query) => Effect.Effect<Either.Either<unknown, string>>
  readonly hasAssistant: (assistantName: string) => boolean
  /** Forgets an assistant's operations (it was deleted). */
  readonly dropAssistant: (assistantName: string) => void
  readonly reset: Effect.Effect<void>
  readonly size: Effect.Effect<number>
}

// One page of an assistant's operations. Tokens are cursors ("after the operation created n-th"),
// so they stay valid while operations are created, finish or are evicted.
const pageOf = (
  stored: ReadonlyMap<string, Stored> | undefined,
  query: Query,
  now: number
): Either.Either<unknown, string> => {
  const limitText = query.get("limit")
  const limit = limitText === null ? 100 : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return Either.left("limit must be an integer from 1 to 100.")
  }
  let after = 0
  const token = query.get("pagination_token")
  if (token !== null) {
    const decoded = decodeToken(token)
    if (decoded === undefined) return Either.left("Invalid pagination token.")
    after = decoded
  }
  const status = query.get("status")
  const operationType = query.get("operation_type")
  const ops = Array.from(stored?.values() ?? [])
    .filter((op) => op.seq > after)
    .sort((a, b) => a.seq - b.seq)
    .map((op) => [op, snapshotAt(op, now)] as const)
    .filter(([, snap]) =>
      (status === null || snap.status === status) &&
      (operationType === null || snap.operationType === operationType)
    )
  const page = ops.slice(0, limit)
  const more = ops.length > limit
  return Either.right({
    operations: page.map(([, snap]) => Operation.encode(snap)),
    ...(more ? { pagination: { next: encodeToken(page[page.length - 1]![0].seq) } } : {})
  })
}

/** @internal */
export const makeStore = (
  maxOperations: number,
  /** Told each operation evicted, as it ended: what it decided must outlive it. */
  onEvict?: (assistantName: string, operation: Operation.Operation) => void
): Store => {
  const assistants = new Map<string, Map<string, Stored>>()
  let total = 0
  let seq = 0

  const evictOne = (now: number): boolean => {
    let oldest: Stored | undefined
    for (const ops of assistants.values()) {
      for (const op of ops.values()) {
        if (finishTime(op) <= now && (oldest === undefined || op.seq < oldest.seq)) oldest = op
      }
    }
    if (oldest === undefined) return false
    const ops = assistants.get(oldest.assistantName)!
    ops.delete(oldest.id)
    onEvict?.(oldest.assistantName, snapshotAt(oldest, now))
    if (ops.size === 0) assistants.delete(oldest.assistantName)
    total--
    return true
  }

  const create = (input: OperationInput) =>
    Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<Operation.Operation, AssistantError.ApiError> => {
      const ops = assistants.get(input.assistantName)
      const id = input.id ?? `op-${(seq + 1).toString(36)}-${Math.random().toString(36).slice(2, 10)}`
      if (ops?.has(id)) {
        return Effect.fail(AssistantError.make("ALREADY_EXISTS", 409, `Operation ${id} already exists.`))
      }
      if (total >= maxOperations && !evictOne(now)) {
        return Effect.fail(
          AssistantError.make("RESOURCE_EXHAUSTED", 429, `The emulator keeps at most ${maxOperations} operations.`)
        )
      }
      const stored: Stored = {
        input,
        assistantName: input.assistantName,
        id,
        startedAt: now - (input.startedAgoMs ?? 0),
        seq: ++seq
      }
      const target = ops ?? new Map<string, Stored>()
      target.set(id, stored)
      assistants.set(input.assistantName, target)
      total++
      return Effect.succeed(snapshotAt(stored, now))
    })

  const describe = (assistantName: string, operationId: string) =>
    Effect.map(
      Clock.currentTimeMillis,
      (now) =>
        Option.map(Option.fromNullable(assistants.get(assistantName)?.get(operationId)), (op) => snapshotAt(op, now))
    )

  // Ends a processing operation now with `outcome`, at the progress it had reached: tests drive the
  // emulator's state this way instead of racing its clock. A finished one is left as it is.
  const finish = (assistantName: string, operationId: string, outcome: "Completed" | "Failed", errorMessage?: string) =>
    Effect.map(
      Clock.currentTimeMillis,
      (now) =>
        Option.map(Option.fromNullable(assistants.get(assistantName)?.get(operationId)), (op) => {
          if (now < finishTime(op)) op.ended = { at: now, outcome, percent: progressAt(op, now), errorMessage }
          return snapshotAt(op, now)
        })
    )

  const list = (assistantName: string) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const ops = assistants.get(assistantName)
      return ops === undefined ? [] : Array.from(ops.values(), (op) => snapshotAt(op, now))
    })

  const listPage = (assistantName: string, query: Query) =>
    Effect.map(Clock.currentTimeMillis, (now) => pageOf(assistants.get(assistantName), query, now))

  return {
    create,
    describe,
    finish,
    list,
    listAll: Effect.suspend(() =>
      Effect.map(Effect.forEach(Array.from(assistants.keys()), list), (lists) => lists.flat())
    ),
    listPage,
    hasAssistant: (assistantName) => assistants.has(assistantName),
    dropAssistant: (assistantName) => {
      total -= assistants.get(assistantName)?.size ?? 0
      assistants.delete(assistantName)
    },
    reset: Effect.sync(() => {
      assistants.clear()
      total = 0
    }),
    size: Effect.sync(() => total)
  }
}
