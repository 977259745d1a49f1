// The `pinecone-assistant files` handlers, loaded only when one runs.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantFile from "@effect-pinecone/core/AssistantFile"
import * as FileSource from "@effect-pinecone/core/FileSource"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { stat } from "node:fs/promises"
import * as NodeFileSource from "../../NodeFileSource.js"
import { CliExit, ExitCode, sanitize } from "../output/exit.js"
import { err } from "../output/print.js"
import { type Job, runJobs } from "./jobs.js"
import { checkConcurrency, type Common, fail, iso, withClient, write } from "./operations.js"

const usage = (message: string) => new CliExit({ code: ExitCode.Usage, message })

/** A JSON option's value, or a usage error naming the option (exit 2). @internal */
export const parseJson = (option: string, text: string): Effect.Effect<unknown, CliExit> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) => usage(`Invalid --${option}: not JSON (${e instanceof Error ? e.message : String(e)})`)
  })

/** `--metadata`: a JSON object within the API's 16 KB, checked before anything is sent. @internal */
export const parseMetadata = (text: Option.Option<string>) =>
  Effect.gen(function*() {
    if (Option.isNone(text)) return undefined
    const value = yield* parseJson("metadata", text.value)
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

/** What upload and upsert both take. @internal */
export interface Sending extends Common {
  readonly json: boolean
  readonly assistant: string
  readonly metadata: Option.Option<string>
  readonly multimodal: boolean
  readonly wait: boolean
  readonly timeout: Duration.Duration
}

/** @internal */
export const upload = (input: Sending & { paths: ReadonlyArray<string>; concurrency: number }) =>
  Effect.gen(function*() {
    const budget = input.timeout
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
        noun: "upload",
        onInterrupt: (sent) =>
          `interrupted: ${sent.length} file(s) were sent and are stored:\n` +
          sent.map((s) => `  ${sanitize(s.label)}  ${sanitize(s.fileId)}\n`).join("") +
          `an upload run again stores them again: use files upsert (your own ids) or files sync, which send each once\n`
      })
    )
  })

/** @internal */
export const upsert = (input: Sending & { fileId: string; path: string }) =>
  Effect.gen(function*() {
    const budget = input.timeout
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
  input: Common & {
    json: boolean
    assistant: string
    fileIds: ReadonlyArray<string>
    wait: boolean
    timeout: Duration.Duration
  }
) =>
  Effect.gen(function*() {
    const budget = input.timeout
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
      filter = (yield* parseJson("filter", input.filter.value)) as AssistantFile.MetadataFilter
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
      yield* err(
        `No file of ${sanitize(input.assistant)}${filter === undefined ? "" : " matches the filter"}.\n`
      )
    }
  })

/** @internal */
export { sync } from "./sync.js"
