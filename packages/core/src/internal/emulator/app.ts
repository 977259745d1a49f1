// The emulator's HTTP app: the routes, a 405 (with `Allow`) for a known path asked with another
// method (HEAD included), a 404 for the rest, and a 400 for a path that is not valid percent-encoding.
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import { errorBody, send } from "./respond.js"
import * as Routes from "./routes.js"

/** The emulator's app, served by the router. @internal */
export const serve = (
  deps: Routes.Deps,
  router: HttpRouter.HttpRouter
): Effect.Effect<Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>> =>
  Effect.gen(function*() {
    const reply = send(deps.report)
    // Path parameters may be up to 512 characters (the client's limit), longer than the router's default.
    const routed = yield* Effect.locally(HttpRouter.toHttpApp(router), HttpRouter.currentRouterConfig, {
      maxParamLength: 4096
    })
    // the methods each route's path answers: a known path asked with another (HEAD included) is a 405
    const known = Chunk.toReadonlyArray(router.routes).map((route) => ({
      method: route.method,
      pattern: new RegExp(`^${route.path.replace(/:[^/]+/g, "[^/]+")}$`)
    }))
    const notFound = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const path = request.url.split("?")[0]!
      const allowed = Array.from(new Set(known.filter((r) => r.pattern.test(path)).map((r) => r.method)))
      const answer = allowed.length > 0
        ? reply(
          405,
          errorBody(405, "INVALID_ARGUMENT", `${request.method} is not allowed on ${path}; use ${allowed.join(", ")}.`),
          { allow: allowed.join(", ") }
        )
        : reply(404, errorBody(404, "NOT_FOUND", `No route for ${request.method} ${path}.`))
      // an unknown API path still passes the API's checks first, as the service's would
      return path.startsWith("/assistant/") ? Routes.guarded(deps)(answer) : answer
    })
    const app = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const path = request.url.split("?")[0]!.split("#")[0]!
      try {
        path.split("/").forEach((segment) => decodeURIComponent(segment))
      } catch {
        return reply(400, errorBody(400, "INVALID_ARGUMENT", "The path is not valid percent-encoding."))
      }
      // the router would serve HEAD as GET; the API answers no HEAD
      return request.method === "HEAD" ? notFound : routed.pipe(Effect.catchTag("RouteNotFound", () => notFound))
    }) as Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>

    return app
  })
