// Listings followed lazily, page by page, as the consumer pulls: a server cycling its tokens (or
// sending pages without end) ends the stream with MalformedResponseError instead of looping.
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type { ListAssistantsRequest, ListFilesRequest, ListOperationsRequest, Service } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"

/** @internal */
export const maxListPages = 10_000

/** @internal */
export const paginate = <A, E, R>(
  page: (token: string | undefined) => Effect.Effect<readonly [ReadonlyArray<A>, Option.Option<string>], E, R>
): Stream.Stream<A, E | AssistantError.MalformedResponseError, R> =>
  Stream.suspend(() => {
    const seen = new Set<string>()
    const malformed = (summary: string) =>
      new AssistantError.MalformedResponseError({ status: 200, reason: "Schema", summary, requestId: Option.none() })
    return Stream.paginateChunkEffect(
      undefined as string | undefined,
      (token) =>
        Effect.flatMap(page(token), ([items, next]) => {
          if (Option.isSome(next)) {
            if (seen.has(next.value) || next.value === token) {
              return Effect.fail(malformed("the next pagination token is one this listing already used"))
            }
            if (seen.size + 1 >= maxListPages) {
              return Effect.fail(malformed(`the listing has more than ${maxListPages} pages`))
            }
            seen.add(next.value)
          }
          return Effect.succeed([Chunk.unsafeFromArray(items), next] as const)
        })
    )
  })

// Every item of a listing: each page asked with the request and the token of the one before.
const every = <Request, Page extends { readonly next: Option.Option<string> }, A>(
  pageOf: (
    request: Request & { readonly paginationToken?: string | undefined }
  ) => Effect.Effect<Page, AssistantError.CallError>,
  items: (page: Page) => ReadonlyArray<A>
) =>
(request: Request): Stream.Stream<A, AssistantError.CallError> =>
  paginate((token) =>
    Effect.map(pageOf({ ...request, paginationToken: token }), (page) => [items(page), page.next] as const)
  )

/** @internal */
export const listOperations = (client: Service, request: ListOperationsRequest) =>
  every(client.listOperationsPage, (page) => page.operations)(request)

/** @internal */
export const listAssistants = (client: Service, request: ListAssistantsRequest) =>
  every(client.listAssistantsPage, (page) => page.assistants)(request)

/** @internal */
export const listFiles = (client: Service, request: ListFilesRequest) =>
  every(client.listFilesPage, (page) => page.files)(request)
