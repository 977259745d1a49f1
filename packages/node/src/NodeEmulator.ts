/**
 * The Assistant operations emulator served over HTTP with Node's `http` module.
 *
 * @since 0.1.0
 */
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { createServer } from "node:http"

/**
 * Options of {@link layer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Emulator.Options {
  /** Default 0: an ephemeral port (read the bound one with {@link url}). */
  readonly port?: number | undefined
  /** Default `127.0.0.1`. Any other address must be given explicitly. */
  readonly host?: string | undefined
}

/**
 * The emulator, listening until the layer's scope closes. Provides the `Emulator` service and the
 * `HttpServer` (whose address tells the bound port).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: Options = {}
): Layer.Layer<Emulator.Emulator | HttpServer.HttpServer, HttpServerError.ServeError> =>
  Emulator.layer(options).pipe(
    Layer.provideMerge(
      NodeHttpServer.layer(createServer, { port: options.port ?? 0, host: options.host ?? "127.0.0.1" })
    )
  )

/**
 * The emulator's base URL, such as `http://127.0.0.1:41234`: the `host` to give the client.
 *
 * @since 0.1.0
 * @category accessors
 */
export const url: Effect.Effect<string, never, HttpServer.HttpServer> = HttpServer.addressWith((address) =>
  Effect.succeed(
    address._tag === "TcpAddress"
      ? `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`
      : `unix://${address.path}`
  )
)
