// The data plane's request paths and query parameters, validated as the OAS says before anything is
// sent: one rule for a page's limit and token, whatever is listed.
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as Files from "../files.js"
import * as internal from "../http.js"
import * as Wire from "../wire.js"

type Checked<A> = Either.Either<A, AssistantError.InvalidRequestError>

const invalid = (parameter: string, reason: string) =>
  Either.left(new AssistantError.InvalidRequestError({ parameter, reason }))

/** A page's `limit` (1 to 100) and `pagination_token`, set on `params`. @internal */
export const pageParams = (
  params: URLSearchParams,
  request: { readonly limit?: number | undefined; readonly paginationToken?: string | undefined }
): Checked<void> =>
  Either.gen(function*() {
    if (request.limit !== undefined) {
      params.set("limit", String(yield* internal.fromChecked(Wire.checkLimit(request.limit))))
    }
    if (request.paginationToken !== undefined) {
      params.set("pagination_token", yield* internal.checkToken(request.paginationToken))
    }
  })

const withQuery = (path: string, params: URLSearchParams) => {
  const query = params.toString()
  return query === "" ? path : `${path}?${query}`
}

/** `{assistant}/{operation}` of a describe. @internal */
export const operationPath = (request: AssistantClient.DescribeOperationRequest): Checked<string> =>
  Either.flatMap(
    internal.encodeSegment("assistantName", request.assistantName),
    (assistant) => Either.map(internal.encodeSegment("operationId", request.operationId), (id) => `${assistant}/${id}`)
  )

/** `{assistant}?...` of a page of operations. @internal */
export const operationsPagePath = (request: AssistantClient.ListOperationsPageRequest): Checked<string> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const params = new URLSearchParams()
    if (request.operationType !== undefined) {
      yield* internal.encodeSegment("operationType", request.operationType)
      params.set("operation_type", request.operationType)
    }
    if (request.status !== undefined) {
      yield* internal.encodeSegment("status", request.status)
      params.set("status", request.status)
    }
    yield* pageParams(params, request)
    return withQuery(assistant, params)
  })

/** `/files/{assistant}/{file}`. @internal */
export const filePath = (request: AssistantClient.FileRequest): Checked<string> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const fileId = yield* Files.checkFileId(request.fileId)
    return `/files/${assistant}/${fileId}`
  })

/** `/files/{assistant}?...` of a page of files. @internal */
export const filesPagePath = (request: AssistantClient.ListFilesPageRequest): Checked<string> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const params = new URLSearchParams()
    if (request.filter !== undefined) {
      let json: string
      try {
        json = JSON.stringify(request.filter)
      } catch {
        return yield* invalid("filter", "cannot be JSON-encoded")
      }
      params.set("filter", json)
    }
    yield* pageParams(params, request)
    return withQuery(`/files/${assistant}`, params)
  })

/** A duration option: finite within the timer's range, or infinity. @internal */
export const positiveDuration = (parameter: string, input: Duration.DurationInput): Checked<Duration.Duration> => {
  const duration = Duration.decodeUnknown(input)
  if (
    Option.isSome(duration) &&
    (Duration.equals(duration.value, Duration.infinity) || Duration.toMillis(duration.value) <= internal.maxTimerMillis)
  ) return Either.right(duration.value)
  return invalid(parameter, `must be a duration of at most ${internal.maxTimerMillis} ms, or infinity`)
}

/**
 * An upload's (or, with `fileId`, an upsert's) metadata, file name and path, checked in that order:
 * what the client sends and what the test layer accepts.
 * @internal
 */
export const uploadParams = (
  request: AssistantClient.UploadFileRequest & { readonly fileId?: string | undefined }
): Checked<{ readonly path: string; readonly fileName: string; readonly metadata: Option.Option<string> }> =>
  Either.gen(function*() {
    const metadata = yield* Files.checkMetadata(request.metadata)
    const fileName = yield* Files.checkFileName(request.file?.name)
    const base = request.fileId === undefined
      ? `/files/${yield* internal.encodeSegment("assistantName", request.assistantName)}`
      : yield* filePath({ assistantName: request.assistantName, fileId: request.fileId })
    const query = request.multimodal === undefined ? "" : `?multimodal=${request.multimodal ? "true" : "false"}`
    return { path: `${base}${query}`, fileName, metadata }
  })
