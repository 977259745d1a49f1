// The request paths and query parameters, validated as the OAS says before anything is sent: one rule
// for a page's limit and token, whatever is listed. The query is given to HttpClientRequest's own
// parameter functions (`setUrlParams`), never concatenated into the URL.
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

/** Query parameters, in the order sent. @internal */
export type Query = ReadonlyArray<readonly [string, string]>

/** A request's path after `/assistant` (its segments encoded) and its query parameters. @internal */
export interface Route {
  readonly path: string
  readonly query: Query
}

/** @internal */
export const route = (path: string, query: Query = []): Route => ({ path, query })

/** A page's `limit` (1 to 100) and `pagination_token`. @internal */
export const pageParams = (
  request: { readonly limit?: number | undefined; readonly paginationToken?: string | undefined }
): Checked<Query> =>
  Either.gen(function*() {
    const query: Array<readonly [string, string]> = []
    if (request.limit !== undefined) {
      query.push(["limit", String(yield* internal.fromChecked(Wire.checkLimit(request.limit)))])
    }
    if (request.paginationToken !== undefined) {
      query.push(["pagination_token", yield* internal.checkToken(request.paginationToken)])
    }
    return query
  })

/** `/operations/{assistant}/{operation}` of a describe. @internal */
export const operationPath = (request: AssistantClient.DescribeOperationRequest): Checked<Route> =>
  Either.flatMap(
    internal.encodeSegment("assistantName", request.assistantName),
    (assistant) =>
      Either.map(internal.encodeSegment("operationId", request.operationId), (id) =>
        route(`/operations/${assistant}/${id}`))
  )

/** `/operations/{assistant}?...` of a page of operations. @internal */
export const operationsPagePath = (request: AssistantClient.ListOperationsPageRequest): Checked<Route> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const query: Array<readonly [string, string]> = []
    if (request.operationType !== undefined) {
      yield* internal.encodeSegment("operationType", request.operationType)
      query.push(["operation_type", request.operationType])
    }
    if (request.status !== undefined) {
      yield* internal.encodeSegment("status", request.status)
      query.push(["status", request.status])
    }
    return route(`/operations/${assistant}`, [...query, ...(yield* pageParams(request))])
  })

/** `/files/{assistant}/{file}`. @internal */
export const filePath = (request: AssistantClient.FileRequest, query: Query = []): Checked<Route> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const fileId = yield* Files.checkFileId(request.fileId)
    return route(`/files/${assistant}/${fileId}`, query)
  })

/** `/files/{assistant}?...` of a page of files. @internal */
export const filesPagePath = (request: AssistantClient.ListFilesPageRequest): Checked<Route> =>
  Either.gen(function*() {
    const assistant = yield* internal.encodeSegment("assistantName", request.assistantName)
    const query: Array<readonly [string, string]> = []
    if (request.filter !== undefined) {
      let json: string
      try {
        json = JSON.stringify(request.filter)
      } catch {
        return yield* invalid("filter", "cannot be JSON-encoded")
      }
      query.push(["filter", json])
    }
    return route(`/files/${assistant}`, [...query, ...(yield* pageParams(request))])
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
): Checked<{ readonly route: Route; readonly fileName: string; readonly metadata: Option.Option<string> }> =>
  Either.gen(function*() {
    const metadata = yield* Files.checkMetadata(request.metadata)
    const fileName = yield* Files.checkFileName(request.file?.name)
    const query: Query = request.multimodal === undefined ? [] : [["multimodal", request.multimodal ? "true" : "false"]]
    const target = request.fileId === undefined
      ? route(`/files/${yield* internal.encodeSegment("assistantName", request.assistantName)}`, query)
      : yield* filePath({ assistantName: request.assistantName, fileId: request.fileId }, query)
    return { route: target, fileName, metadata }
  })
