// An upload's multipart body, read with multipasta (the parser under @effect/platform's Multipart)
// but with the part's Content-Disposition parsed here: multipasta's parameter grammar stops at
// U+00FF, so a filename in any other script (RFC 7578 sends it as UTF-8) made the part nameless.
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import * as MP from "multipasta"
import { readToEnd } from "./respond.js"

/**
 * A `Content-Disposition` header's name and filename: quoted strings (UTF-8, `\` escapes) or tokens,
 * and `filename*` (RFC 5987: `UTF-8''percent-encoded`), which wins over `filename`. Undefined when
 * the header is not `form-data`.
 * @internal
 */
export const parseDisposition = (
  header: string
): { readonly name: string; readonly filename: string | undefined } | undefined => {
  const semi = header.indexOf(";")
  const type = (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase()
  if (type !== "form-data") return undefined
  const params: Record<string, string> = {}
  const param = /;\s*([!#$%&'*+.^\w`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)\s*/gsy
  param.lastIndex = semi === -1 ? header.length : semi
  while (param.lastIndex < header.length) {
    const match = param.exec(header)
    if (match === null) break
    const raw = match[2]!
    params[match[1]!.toLowerCase()] = raw.startsWith("\"") ? raw.slice(1, -1).replace(/\\(.)/gs, "$1") : raw
  }
  let filename = params.filename
  const extended = params["filename*"]
  if (extended !== undefined) {
    const quote = extended.indexOf("''")
    try {
      filename = decodeURIComponent(quote === -1 ? extended : extended.slice(quote + 2))
    } catch {
      // a malformed extended value leaves the plain one
    }
  }
  return { name: params.name ?? "", filename }
}

/** Why an upload's body could not be read. @internal */
export type UploadFailure =
  | { readonly _tag: "NotMultipart" }
  | { readonly _tag: "Malformed"; readonly reason: string }
  | { readonly _tag: "TooLarge" }

/** What was read of an upload. @internal */
export interface Upload {
  readonly file: { readonly name: string; readonly size: number; readonly crc: number } | undefined
  readonly metadata: unknown
  readonly badMetadata: boolean
}

const metadataLimit = 64 * 1024

/**
 * Reads an upload's body: the `file` part (its size and CRC-32, never held whole) and the `metadata`
 * field (or a part with a filename, as the official SDK sends it), within `maxFileBytes`.
 * @internal
 */
export const readUpload = (
  maxFileBytes: number,
  crc32: (crc: number, bytes: Uint8Array) => number
): Effect.Effect<Upload, UploadFailure, HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const contentType = request.headers["content-type"] ?? ""
    if (!/^multipart\/form-data\s*(;|$)/i.test(contentType)) {
      return yield* Effect.fail({ _tag: "NotMultipart" } as const)
    }
    if (!/;\s*boundary=/i.test(contentType)) {
      return yield* Effect.fail({ _tag: "Malformed", reason: "no boundary in Content-Type" } as const)
    }
    let file: { name: string; size: number; crc: number } | undefined
    let metadataText: string | undefined
    let failure: UploadFailure | undefined
    let done = false
    const partOf = (info: MP.PartInfo) => {
      const header = info.headers["content-disposition"]
      return parseDisposition(Array.isArray(header) ? header[0] ?? "" : header ?? "")
    }
    const parser = MP.make({
      headers: { "content-type": contentType },
      maxParts: 16,
      maxFieldSize: metadataLimit,
      maxTotalSize: maxFileBytes + 4 * metadataLimit,
      isFile: (info) => {
        const part = partOf(info)
        return part !== undefined && (part.filename !== undefined || part.name === "file")
      },
      onField: (info, value) => {
        if (partOf(info)?.name === "metadata") metadataText = MP.decodeField(info, value)
      },
      onFile: (info) => {
        const part = partOf(info)!
        if (part.name === "metadata") {
          let text = ""
          return (chunk) => {
            if (chunk === null) metadataText = text
            else if (text.length <= metadataLimit) text += new TextDecoder().decode(chunk)
          }
        }
        if (part.name !== "file") return () => {}
        const current = { name: part.filename ?? "", size: 0, crc: 0 }
        file = current
        return (chunk) => {
          if (chunk === null) return
          current.size += chunk.length
          if (current.size > maxFileBytes) failure ??= { _tag: "TooLarge" }
          else current.crc = crc32(current.crc, chunk)
        }
      },
      onError: (error) => {
        failure ??= error._tag === "ReachedLimit" && error.limit !== "MaxParts"
          ? { _tag: "TooLarge" }
          : { _tag: "Malformed", reason: error._tag }
      },
      onDone: () => {
        done = true
      }
    })
    // past a failure (too large, malformed) the rest is read and dropped, so that the 400 reaches the client
    const ended = yield* readToEnd(request.stream, (chunk) => {
      parser.write(chunk)
      return failure === undefined
    })
    if (!ended) failure ??= { _tag: "Malformed", reason: "unreadable body" }
    if (failure === undefined) parser.end()
    if (failure !== undefined) return yield* Effect.fail(failure)
    if (!done) return yield* Effect.fail({ _tag: "Malformed", reason: "EndNotReached" } as const)
    let metadata: unknown = undefined
    let badMetadata = false
    if (metadataText !== undefined) {
      try {
        metadata = JSON.parse(metadataText)
      } catch {
        badMetadata = true
      }
    }
    return { file, metadata, badMetadata }
  })
