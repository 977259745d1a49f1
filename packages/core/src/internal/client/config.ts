// The options of \`AssistantClient.layerConfig\`, read from the environment by default.
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type { Options } from "../../AssistantClient.js"
import * as Settings from "./settings.js"

// A missing key says which variable and what to do, in a person's words (Config.redacted's own
// message for a missing value is itself redacted).
const apiKeyConfig: Config.Config<Redacted.Redacted> = Config.option(Config.redacted("PINECONE_API_KEY")).pipe(
  Config.mapOrFail((key) =>
    Option.match(key, {
      onSome: Either.right,
      onNone: () =>
        Either.left(
          ConfigError.MissingData(
            ["PINECONE_API_KEY"],
            "PINECONE_API_KEY is not set: export your Pinecone API key (against the emulator: local-key)"
          )
        )
    })
  )
)

/** The variables read by default, each option given as a \`Config\` replacing its own. @internal */
export const options = (config: Partial<Config.Config.Wrap<Options>>): Config.Config.Wrap<Options> =>
  ({
    apiKey: apiKeyConfig,
    host: Config.string("PINECONE_ASSISTANT_HOST").pipe(Config.option, Config.map(Option.getOrUndefined)),
    controlHost: Config.string("PINECONE_CONTROL_HOST").pipe(Config.withDefault(Settings.defaultControlHost)),
    apiVersion: Config.string("PINECONE_API_VERSION").pipe(Config.withDefault(Settings.defaultApiVersion)),
    ...config
  }) as Config.Config.Wrap<Options>
