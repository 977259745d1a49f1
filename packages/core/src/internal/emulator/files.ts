// The emulator's files and assistants: uploads parsed with multipasta (bounded, any filename),
// files whose status follows their operation, and list-files with the metadata filter.
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as AssistantError from "../../AssistantError.js"
import * as AssistantFile from "../../AssistantFile.js"
import type * as Emulator from "../../Emulator.js"
import * as FileSource from "../../FileSource.js"
import * as Operation from "../../Operation.js"
import { fileIdPattern } from "../files.js"
import type { FaultState } from "./faults.js"
import { readUpload } from "./multipart.js"
import type { Store } from "./operations.js"
import { errorBody, type Reporter, send } from "./respond.js"
import { guarded, type Handler, param, query } from "./routes.js"

/** How a file's processing goes. @internal */
export interface ProcessingScript {
  readonly durationMs: number
  readonly outcome: "Completed" | "Failed"
  readonly failAtPercent?: number | undefined
  readonly errorMessage?: string | undefined
}

/** A stored file: what `Emulator.storedFiles` shows, and when and by which operation it changed. @internal */
export interface StoredFile extends Emulator.StoredFile {
  readonly createdAt: number
  readonly updatedAt: number
  /** The operation that processes (or deletes) it. */
  readonly operationId: string
  readonly deleting: boolean
  /** How its processing ended, once its operation is evicted: the file keeps what it decided. */
  settled?: "Available" | "ProcessingFailed" | "Deleted"
}

/** @internal */
export interface FilesDeps {
  readonly apiKey: string
  readonly store: Store
  readonly faults: FaultState
  readonly report: Reporter | undefined
  readonly files: FileState
  readonly maxFileBytes: number
}

/** The files of every assistant, and which assistants exist. @internal */
export interface FileState {
  readonly assistants: Set<string>
  readonly byAssistant: Map<string, Map<string, StoredFile>>
  scripts: Map<string, ProcessingScript>
  defaultScript: ProcessingScript
  seq: number
}

/**
 * What an evicted operation decided for its file: Available, ProcessingFailed, or (a delete) gone.
 * @internal
 */
export const settle = (state: FileState, assistantName: string, operation: Operation.Operation): void => {
  for (const file of state.byAssistant.get(assistantName)?.values() ?? []) {
    if (file.operationId !== operation.id) continue
    file.settled = file.deleting
      ? (operation.status === "Completed" ? "Deleted" : "Available")
      : operation.status === "Failed"
      ? "ProcessingFailed"
      : "Available"
  }
}

/** @internal */
export const makeFileState = (): FileState => ({
  assistants: new Set(),
  byAssistant: new Map(),
  scripts: new Map(),
  defaultScript: { durationMs: 2000, outcome: "Completed" },
  seq: 0
})

/** How the next uploads process: of a file of `fileName`, or of any file. @internal */
export const setScript = (state: FileState, script: ProcessingScript, fileName?: string) => {
  const { durationMs, errorMessage, failAtPercent, outcome } = script
  const rule = { durationMs, outcome, failAtPercent, errorMessage }
  if (fileName === undefined) state.defaultScript = rule
  else state.scripts.set(fileName, rule)
}

/** The files an assistant holds; a file whose delete completed is gone, as the API's 404 says. @internal */
export const storedFiles = (state: FileState, store: Store) => (assistantName: string) =>
  Effect.map(
    Effect.forEach(Array.from(state.byAssistant.get(assistantName)?.values() ?? []), (f) =>
      Effect.map(
        store.describe(assistantName, f.operationId),
        (op): Option.Option<Emulator.StoredFile> =>
          f.deleting && Option.exists(op, (o) => o.status === "Completed")
            ? Option.none()
            : Option.some({
              id: f.id,
              name: f.name,
              size: f.size,
              crc32: f.crc32,
              metadata: f.metadata,
              multimodal: f.multimodal
            })
      )),
    (found) => found.flatMap((f) => Option.isSome(f) ? [f.value] : [])
  )

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** @internal */
export const crc32 = (crc: number, bytes: Uint8Array): number => {
  let c = crc ^ 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

/** A metadata filter, as list-files applies it. @internal */
export const matches = (metadata: Record<string, unknown> | undefined, filter: unknown): boolean => {
  if (typeof filter !== "object" || filter === null) return false
  const meta = metadata ?? {}
  return Object.entries(filter as Record<string, unknown>).every(([key, condition]) => {
    if (key === "$and") return Array.isArray(condition) && condition.every((f) => matches(metadata, f))
    if (key === "$or") return Array.isArray(condition) && condition.some((f) => matches(metadata, f))
    const has = Object.prototype.hasOwnProperty.call(meta, key)
    const value = has ? meta[key] : undefined
    if (typeof condition !== "object" || condition === null || Array.isArray(condition)) return value === condition
    return Object.entries(condition as Record<string, unknown>).every(([op, operand]) => {
      switch (op) {
        case "$eq":
          return value === operand
        case "$ne":
          return value !== operand
        case "$in":
          return Array.isArray(operand) && operand.includes(value)
        case "$nin":
          return Array.isArray(operand) && !operand.includes(value)
        case "$gt":
          return typeof value === "number" && typeof operand === "number" && value > operand
        case "$gte":
          return typeof value === "number" && typeof operand === "number" && value >= operand
        case "$lt":
          return typeof value === "number" && typeof operand === "number" && value < operand
        case "$lte":
          return typeof value === "number" && typeof operand === "number" && value <= operand
        case "$exists":
          return has === operand
        default:
          return false
      }
    })
  })
}

const encodeFile = Schema.encodeSync(AssistantFile.AssistantFile)

// What the handlers share: the replies, the assistant check, a file's view and wire form.
const api = (deps: FilesDeps) => {
  const reply = send(deps.report)
  const invalid = (message: string) => reply(400, errorBody(400, "INVALID_ARGUMENT", message))
  const notFound = (message: string) => reply(404, errorBody(404, "NOT_FOUND", message))
  const apiFailure = (e: AssistantError.ApiError) =>
    reply(e.status, errorBody(e.status, AssistantError.codeOf(e), e.message))
  // every 202 carries the Location of its operation, as the API's does
  const accepted = (assistantName: string, op: Operation.Operation) =>
    reply(202, Operation.encode(op), {
      location: `/operations/${encodeURIComponent(assistantName)}/${encodeURIComponent(op.id)}`
    })
  const knownAssistant = (name: string) => deps.files.assistants.has(name) || deps.store.hasAssistant(name)

  // A file's status follows its operation: Processing -> Available or ProcessingFailed; a delete
  // makes it Deleting, then gone.
  const view = (file: StoredFile, assistantName: string) =>
    Effect.map(deps.store.describe(assistantName, file.operationId), (op) => {
      const status = Option.match(op, {
        onNone: () => file.settled === "ProcessingFailed" ? "ProcessingFailed" : "Available",
        onSome: (op) =>
          file.deleting
            ? "Deleting"
            : op.status === "Completed"
            ? "Available"
            : op.status === "Failed"
            ? "ProcessingFailed"
            : "Processing"
      })
      const gone = file.settled === "Deleted" || (file.deleting && Option.exists(op, (o) => o.status === "Completed"))
      return { status, gone }
    })

  // the wire JSON is the model's own encoding: what the client decodes is what the emulator wrote
  const wire = (file: StoredFile, status: string, includeUrl: boolean, origin: string) =>
    encodeFile(
      new AssistantFile.AssistantFile({
        id: file.id,
        name: file.name,
        size: Option.some(file.size),
        metadata: Option.fromNullable(file.metadata),
        createdOn: Option.some(DateTime.unsafeMake(file.createdAt)),
        updatedOn: Option.some(DateTime.unsafeMake(file.updatedAt)),
        status: Option.some(status),
        signedUrl: includeUrl
          ? Option.some(Redacted.make(`${origin}/_emulator/signed/${encodeURIComponent(file.id)}?sig=emulated`))
          : Option.none(),
        multimodal: Option.some(file.multimodal)
      })
    )

  const originOf = (request: HttpServerRequest.HttpServerRequest) => `http://${request.headers.host ?? "127.0.0.1"}`

  const find = (assistantName: string, fileId: string) =>
    Effect.gen(function*() {
      const file = deps.files.byAssistant.get(assistantName)?.get(fileId)
      if (file === undefined) return Option.none()
      const { gone, status } = yield* view(file, assistantName)
      if (gone) {
        deps.files.byAssistant.get(assistantName)?.delete(fileId)
        return Option.none()
      }
      return Option.some({ file, status })
    })

  const missingFile = (fileId: string) => notFound(`File with id ${fileId} not found in provided assistant`)

  return { deps, reply, invalid, notFound, apiFailure, accepted, knownAssistant, wire, originOf, find, missingFile }
}

type Api = ReturnType<typeof api>

// Stores an upload or upsert and starts its processing.
const store = (
  a: Api,
  assistantName: string,
  fileId: string | undefined,
  operationType: "upload_file" | "upsert_file"
) => {
  const { accepted, apiFailure, deps, invalid, knownAssistant, notFound } = a
  return Effect.gen(function*() {
    if (!knownAssistant(assistantName)) return yield* notFound(`Assistant "${assistantName}" not found.`)
    const search = yield* query
    if (Either.isLeft(search)) return yield* invalid(search.left)
    const multimodal = search.right.get("multimodal") === "true"
    const upload = yield* Effect.either(readUpload(deps.maxFileBytes, crc32))
    if (upload._tag === "Left") {
      const error = upload.left
      return yield* invalid(
        error._tag === "TooLarge"
          ? `The file is larger than the maximum of ${deps.maxFileBytes} bytes.`
          : error._tag === "NotMultipart"
          ? "The request body must be multipart/form-data."
          : `The multipart body could not be parsed (${error.reason}).`
      )
    }
    const { badMetadata, file, metadata } = upload.right
    if (file === undefined) return yield* invalid("The request has no file part.")
    if (!FileSource.isSupported(file.name)) {
      return yield* invalid(
        `Uploaded file can only be a pdf, txt, md, docx or json file (got "${file.name}").`
      )
    }
    if (
      badMetadata || (metadata !== undefined &&
        (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)))
    ) {
      return yield* invalid("metadata must be a JSON object.")
    }
    const now = yield* Clock.currentTimeMillis
    const files = deps.files.byAssistant.get(assistantName) ?? new Map<string, StoredFile>()
    deps.files.byAssistant.set(assistantName, files)
    const id = fileId ?? `file-${(++deps.files.seq).toString(36)}-${Math.random().toString(36).slice(2, 10)}`
    const script = deps.files.scripts.get(file.name) ?? deps.files.defaultScript
    const op = yield* deps.store.create({
      assistantName,
      operationType,
      fileId: id,
      durationMs: script.durationMs,
      outcome: script.outcome,
      failAtPercent: script.failAtPercent,
      errorMessage: script.errorMessage
    }).pipe(Effect.either)
    if (op._tag === "Left") return yield* apiFailure(op.left)
    const previous = files.get(id)
    files.set(id, {
      id,
      name: file.name,
      size: file.size,
      crc32: file.crc.toString(16).padStart(8, "0"),
      metadata: metadata as Record<string, unknown> | undefined,
      multimodal,
      createdAt: previous?.createdAt ?? now,
      updatedAt: now,
      operationId: op.right.id,
      deleting: false
    })
    return yield* accepted(assistantName, op.right)
  })
}

const upload = (a: Api): Handler => {
  return Effect.flatMap(
    param("assistant"),
    (assistantName) => store(a, assistantName, undefined, "upload_file")
  )
}

const upsert = (a: Api): Handler => {
  const { invalid } = a
  return Effect.gen(function*() {
    const assistantName = yield* param("assistant")
    const fileId = yield* param("file")
    if (!fileIdPattern.test(fileId)) {
      return yield* invalid("assistant_file_id must be 1-128 characters of A-Z, a-z, 0-9, - and _.")
    }
    return yield* store(a, assistantName, fileId, "upsert_file")
  })
}

const describe = (a: Api): Handler => {
  const { find, invalid, knownAssistant, missingFile, notFound, originOf, reply, wire } = a
  return Effect.gen(function*() {
    const assistantName = yield* param("assistant")
    const fileId = yield* param("file")
    if (!knownAssistant(assistantName)) return yield* notFound(`Assistant "${assistantName}" not found.`)
    const found = yield* find(assistantName, fileId)
    if (Option.isNone(found)) return yield* missingFile(fileId)
    const request = yield* HttpServerRequest.HttpServerRequest
    const search = yield* query
    if (Either.isLeft(search)) return yield* invalid(search.left)
    const includeUrl = search.right.get("include_url") === "true"
    return yield* reply(200, wire(found.value.file, found.value.status, includeUrl, originOf(request)))
  })
}

const remove = (a: Api): Handler => {
  const { accepted, apiFailure, deps, find, knownAssistant, missingFile, notFound, reply } = a
  return Effect.gen(function*() {
    const assistantName = yield* param("assistant")
    const fileId = yield* param("file")
    if (!knownAssistant(assistantName)) return yield* notFound(`Assistant "${assistantName}" not found.`)
    const found = yield* find(assistantName, fileId)
    if (Option.isNone(found)) return yield* missingFile(fileId)
    const files = deps.files.byAssistant.get(assistantName)!
    // a file whose processing failed is deleted at once: 204, as the API does
    if (found.value.status === "ProcessingFailed") {
      files.delete(fileId)
      return yield* reply(204, undefined)
    }
    const op = yield* deps.store.create({
      assistantName,
      operationType: "delete_file",
      fileId,
      durationMs: 1000,
      outcome: "Completed"
    }).pipe(Effect.either)
    if (op._tag === "Left") return yield* apiFailure(op.left)
    files.set(fileId, { ...found.value.file, operationId: op.right.id, deleting: true })
    return yield* accepted(assistantName, op.right)
  })
}

const list = (a: Api): Handler => {
  const { deps, find, invalid, knownAssistant, notFound, originOf, reply, wire } = a
  return Effect.gen(function*() {
    const assistantName = yield* param("assistant")
    if (!knownAssistant(assistantName)) return yield* notFound(`Assistant "${assistantName}" not found.`)
    const request = yield* HttpServerRequest.HttpServerRequest
    const search = yield* query
    if (Either.isLeft(search)) return yield* invalid(search.left)
    const params = search.right
    const limitText = params.get("limit")
    const limit = limitText === null ? 100 : Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return yield* invalid("limit must be an integer from 1 to 100.")
    }
    let filter: unknown = undefined
    const filterText = params.get("filter")
    if (filterText !== null) {
      try {
        filter = JSON.parse(filterText)
      } catch {
        return yield* invalid("filter must be JSON.")
      }
    }
    const token = params.get("pagination_token")
    const after = token === null ? "" : decodeCursor(token)
    if (after === undefined) return yield* invalid("Invalid pagination token.")
    const all = Array.from(deps.files.byAssistant.get(assistantName)?.keys() ?? []).sort()
    const page: Array<unknown> = []
    let next: string | undefined
    for (const id of all) {
      if (id <= after) continue
      const found = yield* find(assistantName, id)
      if (Option.isNone(found)) continue
      if (filter !== undefined && !matches(found.value.file.metadata, filter)) continue
      if (page.length === limit) {
        next = encodeCursor(all[all.indexOf(id) - 1] ?? "")
        break
      }
      page.push(wire(found.value.file, found.value.status, false, originOf(request)))
    }
    return yield* reply(200, { files: page, ...(next === undefined ? {} : { pagination: { next } }) })
  })
}

/** The files endpoints. @internal */
export const routes = (deps: FilesDeps): HttpRouter.HttpRouter => {
  const a = api(deps)
  const guard = guarded(deps)
  return HttpRouter.empty.pipe(
    HttpRouter.get("/assistant/files/:assistant", guard(list(a))),
    HttpRouter.post("/assistant/files/:assistant", guard(upload(a))),
    HttpRouter.get("/assistant/files/:assistant/:file", guard(describe(a))),
    HttpRouter.put("/assistant/files/:assistant/:file", guard(upsert(a))),
    HttpRouter.del("/assistant/files/:assistant/:file", guard(remove(a)))
  )
}

const encodeCursor = (id: string) => btoa(`after-file:${encodeURIComponent(id)}`)
const decodeCursor = (token: string): string | undefined => {
  try {
    const text = atob(token)
    return text.startsWith("after-file:") ? decodeURIComponent(text.slice("after-file:".length)) : undefined
  } catch {
    return undefined
  }
}
