// The wire rules of the 2026-04 API as plain functions, with no Effect in them: what a path segment,
// a pagination token, a header, a file id, a file name and metadata may be, and what a Retry-After
// says. The client wraps them in `Either` and `InvalidRequestError`; an edition on another Effect (or
// none) can share them as they are.

/** A value that can be sent, or which parameter cannot and why. @internal */
export type Checked<A> =
  | { readonly _tag: "Ok"; readonly value: A }
  | { readonly _tag: "Problem"; readonly parameter: string; readonly reason: string }

const ok = <A>(value: A): Checked<A> => ({ _tag: "Ok", value })
const problem = (parameter: string, reason: string): Checked<never> => ({ _tag: "Problem", parameter, reason })

/** The longest path parameter sent. @internal */
export const maxParameterLength = 512

// Control characters would be rejected or smuggled by the HTTP layer; "." and ".." are dot-segments
// that URL parsing removes (even percent-encoded), so they can never reach the server as a segment.
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/

/** One path segment, percent-encoded. @internal */
export const encodeSegment = (parameter: string, value: unknown): Checked<string> => {
  if (typeof value !== "string") return problem(parameter, "must be a string")
  if (value.length === 0) return problem(parameter, "must not be empty")
  if (value.length > maxParameterLength) return problem(parameter, `must be at most ${maxParameterLength} characters`)
  if (controlCharacters.test(value)) return problem(parameter, "must not contain control characters")
  if (value === "." || value === "..") return problem(parameter, `must not be "${value}"`)
  try {
    return ok(encodeURIComponent(value))
  } catch {
    return problem(parameter, "must be well-formed Unicode (it has an unpaired surrogate)")
  }
}

/**
 * A pagination token: the server issued it, so only control characters (which no server should send)
 * are refused; the query's encoding does the rest.
 * @internal
 */
export const checkToken = (value: unknown): Checked<string> => {
  if (typeof value !== "string") return problem("paginationToken", "must be a string")
  if (value.length === 0) return problem("paginationToken", "must not be empty")
  if (controlCharacters.test(value)) return problem("paginationToken", "must not contain control characters")
  return ok(value)
}

/** A page's `limit`: an integer from 1 to 100. @internal */
export const checkLimit = (limit: number): Checked<number> =>
  Number.isInteger(limit) && limit >= 1 && limit <= 100
    ? ok(limit)
    : problem("limit", "must be an integer from 1 to 100")

// A header value must be visible Latin-1 characters (spaces and tabs inside): anything else is
// refused by the HTTP layer, or worse, silently changed (fetch trims surrounding whitespace).
// eslint-disable-next-line no-control-regex
const headerValue = /^[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?$/

/** A header's value (never quoted in the reason: it may be the API key). @internal */
export const checkHeader = (parameter: string, value: string): Checked<string> =>
  headerValue.test(value) ? ok(value) : problem(
    parameter,
    value.length === 0
      ? "must not be empty"
      : value.trim() !== value
      ? "must not begin or end with whitespace"
      : "must contain only visible Latin-1 characters (no control characters, no characters past U+00FF)"
  )

const httpDate = /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/

/** `Retry-After` (seconds, or an HTTP date relative to `now` in ms since the epoch) in ms; else undefined. @internal */
export const retryAfterMillis = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed)
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined
  }
  if (httpDate.test(trimmed)) {
    const at = Date.parse(trimmed)
    return Number.isNaN(at) ? undefined : Math.max(0, at - now)
  }
  return undefined
}

/** The largest metadata the API takes: 16 KB, counted on its UTF-8 JSON. @internal */
export const maxMetadataBytes = 16 * 1024

const encoder = new TextEncoder()

/** Metadata as the JSON sent (undefined: none given). @internal */
export const checkMetadata = (metadata: unknown): Checked<string | undefined> => {
  if (metadata === undefined) return ok(undefined)
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    return problem("metadata", "must be a JSON object")
  }
  let json: string
  try {
    json = JSON.stringify(metadata)
  } catch (e) {
    return problem("metadata", `cannot be JSON-encoded: ${e instanceof Error ? e.message : String(e)}`)
  }
  const bytes = encoder.encode(json).length
  return bytes > maxMetadataBytes
    ? problem("metadata", `is ${bytes} bytes of JSON; at most ${maxMetadataBytes} are allowed`)
    : ok(json)
}

/** The API's file id: 1 to 128 of `[A-Za-z0-9_-]`. @internal */
export const fileIdPattern = /^[A-Za-z0-9_-]{1,128}$/

/** A file id (for upsert, describe, delete). @internal */
export const checkFileId = (fileId: unknown): Checked<string> =>
  typeof fileId === "string" && fileIdPattern.test(fileId)
    ? ok(fileId)
    : problem("fileId", "must be 1 to 128 characters of A-Z, a-z, 0-9, - and _")

// eslint-disable-next-line no-control-regex
const nameControls = /[\u0000-\u001f\u007f]/

/**
 * A file name for the part's `Content-Disposition`: quoted as browsers do (`"` as `%22`); control
 * characters are refused (they would break the header).
 * @internal
 */
export const checkFileName = (name: unknown): Checked<string> => {
  if (typeof name !== "string" || name.length === 0) return problem("file.name", "must not be empty")
  if (name.length > 1024) return problem("file.name", "must be at most 1024 characters")
  if (nameControls.test(name)) return problem("file.name", "must not contain control characters")
  return ok(name.replace(/"/g, "%22"))
}
