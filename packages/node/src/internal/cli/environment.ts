// The environment variables the CLIs read, in one place. They are read through Effect's `Config`, so
// that a test runs a command in-process with an environment of its own (`Effect.withConfigProvider`).
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** @internal */
export const assistantHost = Config.string("PINECONE_ASSISTANT_HOST")

/** @internal */
export const apiKey = Config.redacted("PINECONE_API_KEY")

/** @internal */
export const apiVersion = Config.string("PINECONE_API_VERSION")

/** @internal */
export const controlHost = Config.string("PINECONE_CONTROL_HOST")

/** An optional variable: unset (or unreadable) is none. @internal */
export const optional = <A>(config: Config.Config<A>): Effect.Effect<Option.Option<A>> =>
  Effect.orElseSucceed(Config.option(config), () => Option.none())

/** Colours are off when NO_COLOR is set to anything but the empty string (https://no-color.org). @internal */
export const noColor: Effect.Effect<boolean> = Effect.map(
  optional(Config.string("NO_COLOR")),
  (value) => Option.isSome(value) && value.value !== ""
)
