// What the errors say to a person (one line each, bodies and summaries cut short) and which of them
// are worth retrying: the rules behind AssistantError's classes.
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import type * as AssistantError from "../AssistantError.js"

/** The mark of the library's errors, a global symbol: the same for every copy of the library loaded. @internal */
export const TypeId: AssistantError.TypeId = Symbol.for("@effect-pinecone/core/AssistantError") as AssistantError.TypeId

/** Puts the mark on each class's prototype (not a field: encoding is unchanged). @internal */
export const markAssistantErrors = (classes: ReadonlyArray<{ readonly prototype: object }>): void => {
  for (const error of classes) Object.defineProperty(error.prototype, TypeId, { value: TypeId })
}

/** A failure's message for a person (never the file's bytes): a string as it is, else its `message`. @internal */
export const describeCause = (e: unknown): string => {
  if (typeof e === "string") return e
  // a file system's error (@effect/platform's SystemError) in words, not `NotFound: FileSystem.stat (...)`
  const system = e as { readonly _tag?: unknown; readonly reason?: unknown } | null
  if (system?._tag === "SystemError" && typeof system.reason === "string" && system.reason in systemReasons) {
    return systemReasons[system.reason]!
  }
  const message = (e as { message?: unknown } | null)?.message
  return message === undefined ? String(e) : String(message)
}

const systemReasons: Readonly<Record<string, string>> = {
  NotFound: "no such file",
  PermissionDenied: "permission denied",
  AlreadyExists: "it already exists",
  BadResource: "not a file that can be read",
  Busy: "the file is busy",
  InvalidData: "the file's data is invalid",
  TimedOut: "reading it timed out",
  WouldBlock: "reading it would block"
}

/** `text` on one line, at most `max` characters. @internal */
export const oneLine = (text: string, max: number): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}

/** @internal */
export const unrecognizedMessage = (e: AssistantError.UnrecognizedApiError): string => {
  const code = Option.match(e.code, { onNone: () => "", onSome: (c) => ` with unrecognized code ${c}` })
  const body = e.body.length === 0 ? "" : `: ${oneLine(e.body, 200)}`
  return `Pinecone answered HTTP ${e.status}${code}${body}`
}

/** @internal */
export const malformedMessage = (e: AssistantError.MalformedResponseError): string => {
  const what = e.reason === "NotJson"
    ? "a body that is not JSON"
    : e.reason === "TooLarge"
    ? "a body over the size cap"
    : "a body that does not match the expected schema"
  return `Pinecone answered HTTP ${e.status} with ${what}: ${oneLine(e.summary, 400)}`
}

/** @internal */
export const transportMessage = (e: AssistantError.TransportError): string => {
  switch (e.reason) {
    case "Timeout":
      return `Request to Pinecone timed out: ${e.description}`
    case "Dns":
      return `Cannot resolve the Pinecone host: ${e.description}`
    case "Tls":
      return `TLS connection to the Pinecone host failed: ${e.description}`
    default:
      return `Request to Pinecone failed (${e.reason}): ${e.description}`
  }
}

const noSnapshot = "no snapshot was received"

/** @internal */
export const waitTimeoutMessage = (e: AssistantError.WaitTimeoutError): string => {
  const t = e.target
  const [what, id, last] = t._tag === "Assistant"
    ? [
      "assistant",
      t.assistantName,
      Option.match(t.last, { onNone: () => noSnapshot, onSome: (a) => `last status ${a.status}` })
    ]
    : t._tag === "File"
    ? [
      "file",
      t.fileId,
      Option.match(Option.flatMap(t.last, (f) => f.status), {
        onNone: () => noSnapshot,
        onSome: (status) => `last status ${status}`
      })
    ]
    : [
      "operation",
      t.operationId,
      Option.match(t.last, {
        onNone: () => noSnapshot,
        onSome: (op) =>
          `last status ${op.status}${
            Option.match(op.percentComplete, { onNone: () => "", onSome: (p) => ` at ${p}%` })
          }`
      })
    ]
  const error = Option.match(e.lastError, {
    onNone: () => "",
    onSome: (error) => `; last error ${error._tag}: ${oneLine(error.message, 200)}`
  })
  return `Gave up waiting for ${what} ${id} after ${
    Duration.format(Duration.millis(Math.round(Duration.toMillis(e.elapsed))))
  } and ${e.polls} polls (${last}${error})`
}

const transientStatuses: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/** @internal */
export const isTransient = (error: AssistantError.CallError): boolean => {
  switch (error._tag) {
    case "TransportError":
      return error.reason === "Transport" || error.reason === "Timeout" || error.reason === "Body"
    case "InvalidRequestError":
    case "MalformedResponseError":
      return false
    case "UnavailableError":
    case "ResourceExhaustedError":
    case "TooManyRequestsError":
      return true
    default:
      return transientStatuses.has(error.status)
  }
}
