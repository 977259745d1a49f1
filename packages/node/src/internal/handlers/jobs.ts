// The jobs of `files upload`, `upsert` and `delete` (a live line per file on a terminal, NDJSON
// events off one): one file's job, the whole run, and its summary and exit code.
import type * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as Operation from "@effect-pinecone/core/Operation"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Display from "../output/display.js"
import { CliExit, ExitCode, exitCodeOf, keepEnd, sanitize } from "../output/exit.js"
import { err, isTerminal, terminalSize } from "../output/print.js"
import { write } from "./operations.js"

const wire = (op: Operation.Operation) => Operation.encode(op)

const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1)

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)}s`

/** Where one file is, from queued to its end. */
type Phase =
  | { readonly _tag: "Queued" }
  | { readonly _tag: "Sending"; readonly sent: number }
  | { readonly _tag: "Processing"; readonly operation: Operation.Operation }
  | { readonly _tag: "Done"; readonly operation: Option.Option<Operation.Operation>; readonly text: string }
  | { readonly _tag: "Failed"; readonly operation: Operation.Operation }
  | { readonly _tag: "Error"; readonly error: AssistantClient.UploadError }
  | { readonly _tag: "TimedOut"; readonly operation: Operation.Operation }

interface Item {
  readonly label: string
  readonly size: Option.Option<number>
  phase: Phase
  started: number
  ended: number | undefined
}

/** One progress line: the bytes sent, then the processing percent, with the time it has taken. @internal */
export const itemLine = (item: Item, now: number, labelWidth: number): string => {
  const full = sanitize(item.label)
  // a long path keeps its end (the file's name) within the column
  const label = keepEnd(full, labelWidth).padEnd(labelWidth)
  const elapsed = seconds((item.ended ?? now) - item.started)
  const phase = item.phase
  switch (phase._tag) {
    case "Queued":
      return `${label} queued`
    case "Sending": {
      const size = Option.getOrUndefined(item.size)
      const percent = size === undefined || size === 0 ? 0 : Math.floor(100 * phase.sent / size)
      return `${label} sending    ${Display.bar(percent)} ${String(percent).padStart(3)}% ${mb(phase.sent)}/${
        size === undefined ? "?" : mb(size)
      } MB ${elapsed}`
    }
    case "Processing": {
      const percent = Option.getOrElse(phase.operation.percentComplete, () => 0)
      return `${label} processing ${Display.bar(percent)} ${String(percent).padStart(3)}% ${
        sanitize(phase.operation.id)
      } ${elapsed}`
    }
    case "Done":
      // the file's id first: what a user needs next (describe, delete); then the operation's
      return `${label} ${phase.text} ${
        Option.match(phase.operation, {
          onNone: () => "",
          onSome: (op) =>
            `${Option.match(op.fileId, { onNone: () => "", onSome: (id) => `file ${sanitize(id)} ` })}${
              sanitize(op.id)
            } `
        })
      }${elapsed}`
    case "Failed":
      return `${label} failed     ${sanitize(phase.operation.id)}: ${
        sanitize(Option.getOrElse(phase.operation.errorMessage, () => "no error message"))
      }`
    case "TimedOut": {
      const percent = Option.getOrElse(phase.operation.percentComplete, () => 0)
      return `${label} still processing at ${percent}% ${sanitize(phase.operation.id)} ${elapsed}`
    }
    case "Error":
      return `${label} error      ${phase.error._tag}: ${sanitize(phase.error.message)}`
  }
}

/** One file's job: what it shows, and how it starts. @internal */
export interface Job {
  readonly label: string
  readonly size: Option.Option<number>
  /** Starts the operation; `onSent` reports the bytes sent so far. */
  readonly start: (
    onSent: (bytes: number) => Effect.Effect<void>
  ) => Effect.Effect<Option.Option<Operation.Operation>, AssistantClient.UploadError, AssistantClient.AssistantClient>
  /** What a job that needed no operation (a 204 delete) shows. */
  readonly doneText: string
}

interface RunOptions {
  readonly assistant: string
  readonly jobs: ReadonlyArray<Job>
  readonly concurrency: number
  readonly wait: boolean
  readonly budget: Duration.Duration
  readonly json: boolean
  readonly noun: string
  /**
   * What to say when the run is interrupted (Ctrl-C) after some files were sent, given their labels and
   * file ids: an upload run again would store them again.
   */
  readonly onInterrupt?:
    | ((sent: ReadonlyArray<{ readonly label: string; readonly fileId: string }>) => string)
    | undefined
}

/** What every job of a run shares. */
interface Run {
  readonly options: RunOptions
  readonly deadline: number
  readonly redraw: Effect.Effect<void>
  readonly semaphore: Effect.Semaphore
  readonly event: (body: Record<string, unknown>) => Effect.Effect<void>
}

const end = (item: Item, phase: Phase) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    item.phase = phase
    item.ended = now
  })

const settle = (item: Item, op: Operation.Operation) =>
  Operation.isFailed(op)
    ? end(item, { _tag: "Failed", operation: op })
    : end(item, { _tag: "Done", operation: Option.some(op), text: "done      " })

// A job that ended with an error: its line, and an `error` event off a terminal.
const failed = (run: Run, job: Job, item: Item, error: AssistantClient.UploadError) =>
  Effect.zipRight(
    end(item, { _tag: "Error", error }),
    run.event({ event: "error", file: job.label, error: error._tag, message: sanitize(error.message) })
  )

// Starts one job within the concurrency, reporting the bytes sent; then, with `wait`, follows its
// operation to the end.
const runOne = (run: Run, job: Job, item: Item) =>
  Effect.gen(function*() {
    let reported = -1
    const started = yield* run.semaphore.withPermits(1)(
      Effect.gen(function*() {
        item.started = yield* Clock.currentTimeMillis
        item.phase = { _tag: "Sending", sent: 0 }
        // drawn as it starts: a small file may be sent between two ticks of the display
        yield* run.redraw
        return yield* job.start((sent) => {
          item.phase = { _tag: "Sending", sent }
          // off a terminal, one event per 5% (or per MB when the size is unknown), not per chunk
          const size = Option.getOrUndefined(job.size)
          const step = size === undefined || size === 0 ? 0 : Math.floor(20 * sent / size)
          const key = size === undefined ? Math.floor(sent / 1_000_000) : step
          if (key === reported) return Effect.void
          reported = key
          return run.event({ event: "sending", file: job.label, bytesSent: sent, size: size ?? null })
        })
      })
    ).pipe(Effect.either)
    if (Either.isLeft(started)) {
      return yield* failed(run, job, item, started.left)
    }
    if (Option.isNone(started.right)) {
      yield* end(item, { _tag: "Done", operation: Option.none(), text: job.doneText })
      return yield* run.event({ event: "done", file: job.label })
    }
    const operation = started.right.value
    yield* run.event({ event: "started", file: job.label, operation: wire(operation) })
    if (!run.options.wait || Operation.isTerminal(operation)) {
      item.phase = { _tag: "Processing", operation }
      if (Operation.isTerminal(operation)) yield* settle(item, operation)
      else yield* end(item, { _tag: "Done", operation: Option.some(operation), text: "started   " })
      return
    }
    item.phase = { _tag: "Processing", operation }
    const now = yield* Clock.currentTimeMillis
    let last = operation
    const watched = yield* OperationPoller.watchOperation({
      assistantName: run.options.assistant,
      operationId: operation.id,
      timeout: Duration.millis(Math.max(0, run.deadline - now))
    }).pipe(
      Stream.runForEach((op) => {
        last = op
        item.phase = { _tag: "Processing", operation: op }
        return run.event({ event: "operation", file: job.label, operation: wire(op) })
      }),
      Effect.either
    )
    if (Either.isLeft(watched)) {
      if (watched.left._tag === "WaitTimeoutError") return yield* end(item, { _tag: "TimedOut", operation: last })
      return yield* failed(run, job, item, watched.left)
    }
    yield* settle(item, last)
  })

// The run's summary (a line on a terminal, a `summary` event off one) and its exit code.
const finish = (options: RunOptions, items: ReadonlyArray<Item>, tty: boolean) =>
  Effect.gen(function*() {
    const names = (tag: Phase["_tag"]) => items.filter((i) => i.phase._tag === tag).map((i) => i.label)
    const done = names("Done")
    const failed = items.filter((i) => i.phase._tag === "Failed")
    const errors = items.filter((i) => i.phase._tag === "Error")
    const pending = names("TimedOut")
    const summary = {
      event: "summary",
      [options.wait ? "completed" : "started"]: done,
      failed: failed.map((i) => ({
        file: i.label,
        message: i.phase._tag === "Failed"
          ? sanitize(Option.getOrElse(i.phase.operation.errorMessage, () => "no error message"))
          : ""
      })),
      errors: errors.map((i) => ({ file: i.label, error: i.phase._tag === "Error" ? i.phase.error._tag : "" })),
      processing: pending
    }
    if (tty) {
      const parts = [`${done.length} ${options.wait ? "completed" : "started"}`, `${failed.length} failed`]
      if (errors.length > 0) parts.push(`${errors.length} not sent`)
      if (pending.length > 0) parts.push(`${pending.length} still processing`)
      const detail = [
        ...(failed.length > 0 ? [`  failed: ${failed.map((i) => sanitize(i.label)).join(", ")}`] : []),
        ...(errors.length > 0 ? [`  not sent: ${errors.map((i) => sanitize(i.label)).join(", ")}`] : []),
        ...(pending.length > 0 ? [`  still processing: ${pending.map(sanitize).join(", ")}`] : [])
      ]
      yield* err(`${options.noun}: ${parts.join(", ")}\n${detail.map((d) => `${d}\n`).join("")}`)
    } else {
      yield* write(JSON.stringify(summary) + "\n")
    }
    if (failed.length > 0) {
      return yield* new CliExit({
        code: ExitCode.OperationFailed,
        message: `${failed.length} file(s) failed processing`
      })
    }
    if (errors.length > 0) {
      const first = errors[0]!.phase as Extract<Phase, { _tag: "Error" }>
      return yield* new CliExit({
        code: first.error._tag === "FileSourceError" ? ExitCode.Transport : exitCodeOf(first.error),
        message: `${errors.length} of ${items.length} failed: ${first.error._tag}: ${sanitize(first.error.message)}`
      })
    }
    if (pending.length > 0) {
      return yield* new CliExit({
        code: ExitCode.Timeout,
        message: `The wait's budget ran out with ${pending.length} still processing`
      })
    }
  })

// Interrupted: what was already sent, so that a rerun does not store it twice.
const interrupted = (options: RunOptions, items: ReadonlyArray<Item>) => {
  if (options.onInterrupt === undefined) return Effect.void
  const sent = items.flatMap((item) => {
    const phase = item.phase
    const operation = phase._tag === "Processing" || phase._tag === "Failed" || phase._tag === "TimedOut"
      ? Option.some(phase.operation)
      : phase._tag === "Done"
      ? phase.operation
      : Option.none()
    return Option.match(Option.flatMap(operation, (op) => op.fileId), {
      onNone: () => [],
      onSome: (fileId) => [{ label: item.label, fileId }]
    })
  })
  return sent.length === 0 ? Effect.void : err(options.onInterrupt(sent))
}

/**
 * Runs jobs (uploads, upserts, deletes) with at most `concurrency` starting at once, and with `wait`
 * follows each operation to its end: a live line per job on a terminal, NDJSON events otherwise.
 * @internal
 */
export const runJobs = (options: RunOptions) =>
  Effect.gen(function*() {
    const tty = !options.json && (yield* isTerminal)
    const start = yield* Clock.currentTimeMillis
    const deadline = Duration.isFinite(options.budget) ? start + Duration.toMillis(options.budget) : Infinity
    const items: Array<Item> = options.jobs.map((job) => ({
      label: job.label,
      size: job.size,
      phase: { _tag: "Queued" },
      started: start,
      ended: undefined
    }))
    // the label column leaves the rest of an 80-column line (or the terminal's) to the progress
    const columns = tty ? (yield* terminalSize({ columns: 80, rows: 24 })).columns : 120
    const width = Math.min(Math.max(12, columns - 60), Math.max(...items.map((i) => sanitize(i.label).length)))
    const display = Display.make(tty)
    const event = (body: Record<string, unknown>) => tty ? Effect.void : write(JSON.stringify(body) + "\n")
    const lines = (now: number): Array<Display.Entry> =>
      items.map((item, i) => ({
        key: String(i),
        text: itemLine(item, now, width),
        done: item.ended !== undefined
      }))
    const redraw = Effect.flatMap(Clock.currentTimeMillis, (now) => display.draw(lines(now)))
    const semaphore = yield* Effect.makeSemaphore(Math.max(1, options.concurrency))
    const run: Run = { options, deadline, redraw, semaphore, event }

    yield* Display.live(
      tty,
      redraw,
      Effect.forEach(options.jobs, (job, i) => runOne(run, job, items[i]!), { concurrency: "unbounded", discard: true })
    ).pipe(Effect.onInterrupt(() => interrupted(options, items)))

    return yield* finish(options, items, tty)
  })
