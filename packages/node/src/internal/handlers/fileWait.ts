// `pinecone-assistant files wait <assistant> <file-id>...`: each file until Available or
// ProcessingFailed, a line per file on a terminal (its status and its own time), NDJSON off one,
// the exit codes of `operations wait`.
import type * as AssistantError from "@effect-pinecone/core/AssistantError"
import * as AssistantFile from "@effect-pinecone/core/AssistantFile"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as Clock from "effect/Clock"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Display from "../output/display.js"
import { CliExit, ExitCode, exitCodeOf, sanitize } from "../output/exit.js"
import { err, isTerminal } from "../output/print.js"
import { type Common, withClient, write } from "./operations.js"

interface Waited {
  readonly fileId: string
  status: string
  ended: number | undefined
  error: AssistantError.WaitForFileError | undefined
}

const encode = (file: AssistantFile.AssistantFile) => {
  const { signed_url: _, ...wire } = Schema.encodeSync(AssistantFile.AssistantFile)(file) as Record<string, unknown>
  return wire
}

// The summary (a line on a terminal, a `summary` event off one) and the exit code of `files wait`.
const finish = (items: ReadonlyArray<Waited>, tty: boolean) =>
  Effect.gen(function*() {
    const with_ = (tag: string) => items.filter((i) => i.error?._tag === tag)
    const failed = with_("FileProcessingFailedError")
    const pending = with_("WaitTimeoutError")
    const errors = items.filter((i) => i.error !== undefined && !failed.includes(i) && !pending.includes(i))
    const available = items.filter((i) => i.error === undefined)
    if (tty) {
      yield* Effect.suspend(() => {
        const lines: Array<string> = []
        lines.push(
          `files: ${available.length} available, ${failed.length} failed${
            pending.length > 0 ? `, ${pending.length} still processing` : ""
          }${errors.length > 0 ? `, ${errors.length} ${errors.length === 1 ? "error" : "errors"}` : ""}\n`
        )
        for (const i of [...failed, ...errors]) lines.push(`  ${sanitize(i.fileId)}: ${sanitize(i.error!.message)}\n`)
        return err(lines.join(""))
      })
    } else {
      yield* write(
        JSON.stringify({
          event: "summary",
          available: available.map((i) => i.fileId),
          failed: failed.map((i) => ({ fileId: i.fileId, message: sanitize(i.error!.message) })),
          processing: pending.map((i) => i.fileId),
          errors: errors.map((i) => ({ fileId: i.fileId, error: i.error!._tag }))
        }) + "\n"
      )
    }
    // the summary named each one: the exit code says the rest
    if (failed.length > 0) return yield* new CliExit({ code: ExitCode.OperationFailed, message: "" })
    if (errors.length > 0) {
      // on a terminal the summary named each; off one, stderr still says why, in one line (an
      // assistant that does not exist, say), as operations wait does
      const first = errors[0]!.error!
      return yield* new CliExit({
        code: exitCodeOf(first as AssistantError.CallError),
        message: tty ? "" : `${first._tag}: ${sanitize(first.message)}`
      })
    }
    if (pending.length > 0) {
      return yield* new CliExit({ code: ExitCode.Timeout, message: "" })
    }
  })

/** @internal */
export const wait = (
  input: Common & { json: boolean; assistant: string; fileIds: ReadonlyArray<string>; timeout: Duration.Duration }
) =>
  Effect.gen(function*() {
    for (const id of input.fileIds) {
      if (Either.isLeft(AssistantFile.validateFileId(id))) {
        return yield* new CliExit({ code: ExitCode.Usage, message: `Invalid file id '${sanitize(id)}'` })
      }
    }
    const budget = input.timeout
    const tty = !input.json && (yield* isTerminal)
    const start = yield* Clock.currentTimeMillis
    const items: Array<Waited> = input.fileIds.map((fileId) => ({
      fileId,
      status: "waiting",
      ended: undefined,
      error: undefined
    }))
    const width = Math.min(40, Math.max(...items.map((i) => sanitize(i.fileId).length)))
    const display = Display.make(tty)
    const line = (item: Waited, now: number) =>
      `${sanitize(item.fileId).padEnd(width)} ${sanitize(item.status).padEnd(17)} ${
        (((item.ended ?? now) - start) / 1000).toFixed(1)
      }s`
    const redraw = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      display.draw(items.map((item) => ({ key: item.fileId, text: line(item, now), done: item.ended !== undefined }))))
    const one = (item: Waited) =>
      OperationPoller.waitForFile({
        assistantName: input.assistant,
        fileId: item.fileId,
        timeout: budget,
        onSnapshot: (file) => {
          const status = Option.getOrElse(file.status, () =>
            "unknown")
          if (status === item.status) {
            return Effect.void
          }
          item.status = status
          return tty ? Effect.void : write(JSON.stringify({ event: "file", file: encode(file) }) + "\n")
        }
      }).pipe(
        Effect.either,
        Effect.flatMap((outcome) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => {
            item.ended = now
            if (Either.isRight(outcome)) {
              return Effect.void
            }
            item.error = outcome.left
            item.status = outcome.left._tag === "FileProcessingFailedError"
              ? "ProcessingFailed"
              : outcome.left._tag === "WaitTimeoutError"
              ? `still ${item.status}`
              : outcome.left._tag
            return tty ? Effect.void : write(
              JSON.stringify({
                event: "error",
                fileId: item.fileId,
                error: outcome.left._tag,
                message: sanitize(outcome.left.message)
              }) + "\n"
            )
          })
        )
      )
    yield* withClient(
      input,
      Display.live(tty, redraw, Effect.forEach(items, one, { concurrency: "unbounded", discard: true }))
    )
    return yield* finish(items, tty)
  })
