/**
 * `AssistantClient` for Node: the core client on `@effect/platform-node`'s undici HttpClient.
 *
 * @since 0.1.0
 */
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import type * as AssistantError from "@effect-pinecone/core/AssistantError"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as NativeUpload from "./internal/nativeUpload.js"

/**
 * `AssistantClient.layer` with Node's undici-based `HttpClient` provided. A `NodeFileSource.fromPath`
 * file is sent by undici straight from `fs.createReadStream` (the `nativeUploads` option).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: AssistantClient.Options
): Layer.Layer<AssistantClient.AssistantClient, AssistantError.InvalidRequestError> =>
  AssistantClient.layer({ nativeUploads: NativeUpload.encoder, ...options }).pipe(
    Layer.provide(NodeHttpClient.layerUndici)
  )

/**
 * `AssistantClient.layerConfig` (`PINECONE_API_KEY`, `PINECONE_ASSISTANT_HOST`,
 * `PINECONE_CONTROL_HOST`, `PINECONE_API_VERSION`) with Node's undici-based `HttpClient` provided,
 * and `nativeUploads` as in {@link layer}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  config?: Partial<Config.Config.Wrap<AssistantClient.Options>>
): Layer.Layer<AssistantClient.AssistantClient, AssistantError.InvalidRequestError | ConfigError.ConfigError> =>
  AssistantClient.layerConfig({ nativeUploads: Config.succeed(NativeUpload.encoder), ...config }).pipe(
    Layer.provide(NodeHttpClient.layerUndici)
  )
