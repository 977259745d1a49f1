// The `pinecone-assistant files` handlers, loaded only when one runs.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantFile from "@effect-pinecone/core/AssistantFile"
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as Operation from "@effect-pinecone/core/Operation"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { stat } from "node:fs/promises"
import * as NodeFileSource from "../NodeFileSource.js"
import { checkConcurrency, type Common, fail, timeoutOption, withClient, write } from "./commands.js"
import { Display, type Entry } from "./display.js"
import { CliExit, ExitCode, exitCodeOf, sanitize } from "./exit.js"
import { isTerminal, terminalSize, writeErr } from "./output.js"

const usage = (message: string) => new CliExit({ code: ExitCode.Usage, message })

/** `--metadata`: a JSON object within the API's 16 KB, checked before anything is sent. @internal */
export const parseMetadata = (text: Option.Option<string>) =>
  Effect.gen(function*() {
    if (Option.isNone(text)) return undefined
    let value: unknown
    try {
      value = JSON.parse(text.value)
    } catch (e) {
      return yield* usage(`Invalid --metadata: not JSON (${e instanceof Error ? e.message : String(e)})`)
    }
    const checked = AssistantFile.validateMetadata(value)
    if (Either.isLeft(checked)) return yield* usage(`Invalid --metadata: ${checked.left.message}`)
    return value as Record<string, unknown>
  })

/** A local file to send, refused (exit 2) when missing, not a file, or of a type the API does not process. */
const localSource = (path: string, assistant: string) =>
  Effect.gen(function*() {
    const folder = yield* Effect.promise(() => stat(path).then((s) => s.isDirectory(), () => false))
    if (folder) {
      return yield* usage(
        `${sanitize(path)} is a folder: to send its files, use pinecone-assistant files sync ${sanitize(assistant)} ${
          sanitize(path)
        }`
      )
    }
    // read by Node itself: the client's undici sends it straight from fs.createReadStream
    const source = yield* NodeFileSource.fromPath(path).pipe(
      Effect.mapError((e) => usage(`Cannot read ${sanitize(path)}: ${sanitize(e.description)}`))
    )
    if (!FileSource.isSupported(source.name)) {
      return yield* usage(
        `Unsupported file type: ${sanitize(source.name)} (the API processes .${
          Object.keys(FileSource.contentTypes).join(", .")
        })`
      )
    }
    return source
  })

const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1)

const bar = (percent: number, width = 20) => {
  const filled = Math.round(width * Math.min(100, Math.max(0, percent)) / 100)
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`
}

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)}s`

const wire = (op: Operation.Operation) => Operation.encode(op)

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
  const label = (full.length > labelWidth ? `…${full.slice(full.length - labelWidth + 1)}` : full).padEnd(labelWidth)
  const elapsed = seconds((item.ended ?? now) - item.started)
  const phase = item.phase
  switch (phase._tag) {
    case "Queued":
      return `${label} queued`
    case "Sending": {
      const size = Option.getOrUndefined(item.size)
      const percent = size === undefined || size === 0 ? 0 : Math.floor(100 * phase.sent / size)
      return `${label} sending    ${bar(percent)} ${String(percent).padStart(3)}% ${mb(phase.sent)}/${
        size === undefined ? "?" : mb(size)
      } MB ${elapsed}`
    }
    case "Processing": {
      const percent = Option.getOrElse(phase.operation.percentComplete, () => 0)
      return `${label} processing ${bar(percent)} ${String(percent).padStart(3)}% ${
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

interface Job {
  readonly label: string
  readonly size: Option.Option<number>
  /** Starts the operation; `onSent` reports the bytes sent so far. */
  readonly start: (
    onSent: (bytes: number) => Effect.Effect<void>
  ) => Effect.Effect<Option.Option<Operation.Operation>, AssistantClient.UploadError, AssistantClient.AssistantClient>
  /** What a job that needed no operation (a 204 delete) shows. */
  readonly doneText: string
}

/**
 * Runs jobs (uploads, upserts, deletes) with at most `concurrency` starting at once, and with `wait`
 * follows each operation to its end: a live line per job on a terminal, NDJSON events otherwise.
 */
const runJobs = (options: {
  readonly assistant: string
  readonly jobs: ReadonlyArray<Job>
  readonly concurrency: number
  readonly wait: boolean
  readonly budget: Duration.Duration
  readonly json: boolean
  readonly noun: string
}) =>
  Effect.gen(function*() {
    const tty = !options.json && isTerminal()
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
    const columns = tty ? terminalSize({ columns: 80, rows: 24 }).columns : 120
    const width = Math.min(Math.max(12, columns - 60), Math.max(...items.map((i) => sanitize(i.label).length)))
    const display = new Display(tty)
    const event = (body: Record<string, unknown>) => tty ? Effect.void : write(JSON.stringify(body) + "\n")
    const lines = (now: number): Array<Entry> =>
      items.map((item, i) => ({
        key: String(i),
        text: itemLine(item, now, width),
        done: item.ended !== undefined
      }))
    const redraw = Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => display.draw(lines(now))))
    const semaphore = yield* Effect.makeSemaphore(Math.max(1, options.concurrency))
    const end = (item: Item, phase: Phase) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        item.phase = phase
        item.ended = now
      })

    const runOne = (job: Job, item: Item) =>
      Effect.gen(function*() {
        let reported = -1
        const started = yield* semaphore.withPermits(1)(
          Effect.gen(function*() {
            item.started = yield* Clock.currentTimeMillis
            item.phase = { _tag: "Sending", sent: 0 }
            // drawn as it starts: a small file may be sent between two ticks of the display
            yield* redraw
            return yield* job.start((sent) => {
              item.phase = { _tag: "Sending", sent }
              // off a terminal, one event per 5% (or per MB when the size is unknown), not per chunk
              const size = Option.getOrUndefined(job.size)
              const step = size === undefined || size === 0 ? 0 : Math.floor(20 * sent / size)
              const key = size === undefined ? Math.floor(sent / 1_000_000) : step
              if (key === reported) return Effect.void
              reported = key
              return event({ event: "sending", file: job.label, bytesSent: sent, size: size ?? null })
            })
          })
        ).pipe(Effect.either)
        if (Either.isLeft(started)) {
          yield* end(item, { _tag: "Error", error: started.left })
          return yield* event({
            event: "error",
            file: job.label,
            error: started.left._tag,
            message: sanitize(started.left.message)
          })
        }
        if (Option.isNone(started.right)) {
          yield* end(item, { _tag: "Done", operation: Option.none(), text: job.doneText })
          return yield* event({ event: "done", file: job.label })
        }
        const operation = started.right.value
        yield* event({ event: "started", file: job.label, operation: wire(operation) })
        if (!options.wait || Operation.isTerminal(operation)) {
          item.phase = { _tag: "Processing", operation }
          if (Operation.isTerminal(operation)) yield* settle(item, operation)
          else yield* end(item, { _tag: "Done", operation: Option.some(operation), text: "started   " })
          return
        }
        item.phase = { _tag: "Processing", operation }
        const now = yield* Clock.currentTimeMillis
        let last = operation
        const watched = yield* OperationPoller.watchOperation({
          assistantName: options.assistant,
          operationId: operation.id,
          timeout: Duration.millis(Math.max(0, deadline - now))
        }).pipe(
          Stream.runForEach((op) => {
            last = op
            item.phase = { _tag: "Processing", operation: op }
            return event({ event: "operation", file: job.label, operation: wire(op) })
          }),
          Effect.either
        )
        if (Either.isLeft(watched)) {
          if (watched.left._tag === "WaitTimeoutError") return yield* end(item, { _tag: "TimedOut", operation: last })
          yield* end(item, { _tag: "Error", error: watched.left })
          return yield* event({
            event: "error",
            file: job.label,
            error: watched.left._tag,
            message: sanitize(watched.left.message)
          })
        }
        yield* settle(item, last)
      })

    const settle = (item: Item, op: Operation.Operation) =>
      Operation.isFailed(op)
        ? end(item, { _tag: "Failed", operation: op })
        : end(item, { _tag: "Done", operation: Option.some(op), text: "done      " })

    const ticker = yield* Effect.fork(
      tty ? Effect.forever(Effect.zipRight(redraw, Effect.sleep("100 millis"))) : Effect.void
    )
    yield* Effect.forEach(options.jobs, (job, i) => runOne(job, items[i]!), { concurrency: "unbounded", discard: true })
      .pipe(Effect.ensuring(Effect.zipRight(ticker.interruptAsFork(ticker.id()), redraw)))

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
      yield* Effect.sync(() =>
        writeErr(`${options.noun}: ${parts.join(", ")}\n${detail.map((d) => `${d}\n`).join("")}`)
      )
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

/** @internal */
export const upload = (
  input: Common & {
    json: boolean
    assistant: string
    paths: ReadonlyArray<string>
    metadata: Option.Option<string>
    multimodal: boolean
    wait: boolean
    concurrency: number
    timeout: string
  }
) =>
  Effect.gen(function*() {
    const budget = yield* timeoutOption(input.timeout)
    yield* checkConcurrency(input.concurrency)
    const metadata = yield* parseMetadata(input.metadata)
    const sources = yield* Effect.forEach(input.paths, (path) => localSource(path, input.assistant))
    const jobs = sources.map((source, i): Job => ({
      label: input.paths[i]!,
      size: source.size,
      doneText: "uploaded",
      start: (onSent) =>
        Effect.map(
          AssistantClient.uploadFile({
            assistantName: input.assistant,
            file: FileSource.withProgress(source, onSent),
            metadata,
            multimodal: input.multimodal || undefined
          }),
          Option.some
        )
    }))
    yield* withClient(
      input,
      runJobs({
        assistant: input.assistant,
        jobs,
        concurrency: input.concurrency,
        wait: input.wait,
        budget,
        json: input.json,
        noun: "upload"
      })
    )
  })

/** @internal */
export const upsert = (
  input: Common & {
    json: boolean
    assistant: string
    fileId: string
    path: string
    metadata: Option.Option<string>
    multimodal: boolean
    wait: boolean
    timeout: string
  }
) =>
  Effect.gen(function*() {
    const budget = yield* timeoutOption(input.timeout)
    if (Either.isLeft(AssistantFile.validateFileId(input.fileId))) {
      return yield* usage(`Invalid file id '${sanitize(input.fileId)}': use 1 to 128 of A-Z, a-z, 0-9, - and _`)
    }
    const metadata = yield* parseMetadata(input.metadata)
    const source = yield* localSource(input.path, input.assistant)
    yield* withClient(
      input,
      runJobs({
        assistant: input.assistant,
        jobs: [{
          label: input.path,
          size: source.size,
          doneText: "upserted",
          start: (onSent) =>
            Effect.map(
              AssistantClient.upsertFile({
                assistantName: input.assistant,
                fileId: input.fileId,
                file: FileSource.withProgress(source, onSent),
                metadata,
                multimodal: input.multimodal || undefined
              }),
              Option.some
            )
        }],
        concurrency: 1,
        wait: input.wait,
        budget,
        json: input.json,
        noun: "upsert"
      })
    )
  })

/** @internal */
export const remove = (
  input: Common & { json: boolean; assistant: string; fileIds: ReadonlyArray<string>; wait: boolean; timeout: string }
) =>
  Effect.gen(function*() {
    const budget = yield* timeoutOption(input.timeout)
    yield* withClient(
      input,
      runJobs({
        assistant: input.assistant,
        jobs: input.fileIds.map((fileId): Job => ({
          label: fileId,
          size: Option.none(),
          doneText: "deleted   ",
          start: () =>
            Effect.map(
              AssistantClient.deleteFile({ assistantName: input.assistant, fileId }),
              (outcome) => outcome._tag === "Started" ? Option.some(outcome.operation) : Option.none()
            )
        })),
        concurrency: 4,
        wait: input.wait,
        budget,
        json: input.json,
        noun: "delete"
      })
    )
  })

const iso = (dt: DateTime.Utc) => DateTime.formatIso(dt)

/** @internal */
export const formatFile = (file: AssistantFile.AssistantFile, url: boolean): string => {
  const lines = [
    `file        ${sanitize(file.id)}`,
    `name        ${sanitize(file.name)}`,
    `status      ${sanitize(Option.getOrElse(file.status, () => "-"))}`,
    `size        ${Option.match(file.size, { onNone: () => "-", onSome: (n) => `${n} bytes` })}`,
    `created     ${Option.match(file.createdOn, { onNone: () => "-", onSome: iso })}`,
    `updated     ${Option.match(file.updatedOn, { onNone: () => "-", onSome: iso })}`,
    `multimodal  ${Option.match(file.multimodal, { onNone: () => "-", onSome: String })}`,
    `metadata    ${Option.match(file.metadata, { onNone: () => "-", onSome: (m) => sanitize(JSON.stringify(m)) })}`
  ]
  if (url) {
    lines.push(`url         ${Option.match(file.signedUrl, { onNone: () => "-", onSome: (u) => Redacted.value(u) })}`)
  }
  return lines.join("\n")
}

const encodeWire = Schema.encodeSync(AssistantFile.AssistantFile)

/** A file's wire JSON; its signed URL (a bearer secret) only when the user asked for it. */
const encodeFile = (file: AssistantFile.AssistantFile, url = false) => {
  const { signed_url, ...rest } = encodeWire(file) as { signed_url?: unknown } & Record<string, unknown>
  return url && signed_url !== undefined ? { ...rest, signed_url } : rest
}

/** @internal */
export const describe = (input: Common & { json: boolean; assistant: string; fileId: string; url: boolean }) =>
  withClient(
    input,
    AssistantClient.describeFile({ assistantName: input.assistant, fileId: input.fileId, includeUrl: input.url }).pipe(
      Effect.mapError(fail),
      Effect.flatMap((file) =>
        write((input.json ? JSON.stringify(encodeFile(file, input.url)) : formatFile(file, input.url)) + "\n")
      )
    )
  )

/** @internal */
export const fileLine = (file: AssistantFile.AssistantFile): string =>
  [
    sanitize(file.id).padEnd(36),
    sanitize(Option.getOrElse(file.status, () => "-")).padEnd(16),
    Option.match(file.size, { onNone: () => "-", onSome: (n) => `${n}` }).padStart(10),
    sanitize(file.name)
  ].join(" ")

/** @internal */
export const list = (input: Common & { json: boolean; assistant: string; filter: Option.Option<string> }) =>
  Effect.gen(function*() {
    let filter: AssistantFile.MetadataFilter | undefined
    if (Option.isSome(input.filter)) {
      try {
        filter = JSON.parse(input.filter.value)
      } catch (e) {
        return yield* usage(`Invalid --filter: not JSON (${e instanceof Error ? e.message : String(e)})`)
      }
      if (typeof filter !== "object" || filter === null || Array.isArray(filter)) {
        return yield* usage("Invalid --filter: must be a JSON object such as '{\"team\":{\"$eq\":\"docs\"}}'")
      }
    }
    let count = 0
    yield* AssistantClient.listFiles({ assistantName: input.assistant, filter }).pipe(
      Stream.runForEach((file) => {
        count++
        return write((input.json ? JSON.stringify(encodeFile(file)) : fileLine(file)) + "\n")
      }),
      Effect.mapError(fail),
      (effect) => withClient(input, effect)
    )
    if (count === 0) {
      yield* Effect.sync(() =>
        writeErr(
          `No file of ${sanitize(input.assistant)}${filter === undefined ? "" : " matches the filter"}.\n`
        )
      )
    }
  })

/** @internal */
export { sync } from "./syncCommand.js"
