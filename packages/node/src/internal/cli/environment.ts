// The environment variables the CLIs read, in one place. They are read through Effect's `Config`, so
// that a test runs a command in-process with an environment of its own (`Effect.withConfigProvider`).
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

// A variable set to the empty string (or blanks) counts as unset, as in most shells' tools
// (`PINECONE_ASSISTANT_HOST= cmd` means "no host"), not as a value to validate.
const set = (name: string) =>
  Config.string(name).pipe(
    Config.mapOrFail((value) =>
      value.trim() === "" ? Either.left(ConfigError.MissingData([name], `${name} is empty`)) : Either.right(value)
    )
  )

/** @internal */
export const assistantHost = set("PINECONE_ASSISTANT_HOST")

/** @internal */
export const apiKey = Config.map(set("PINECONE_API_KEY"), Redacted.make)

/** @internal */
export const apiVersion = set("PINECONE_API_VERSION")

/** @internal */
export const controlHost = set("PINECONE_CONTROL_HOST")

/** An optional variable: unset (or unreadable) is none. @internal */
export const optional = <A>(config: Config.Config<A>): Effect.Effect<Option.Option<A>> =>
  Effect.orElseSucceed(Config.option(config), () => Option.none())

/** Colours are off when NO_COLOR is set to anything but the empty string (https://no-color.org). @internal */
export const noColor: Effect.Effect<boolean> = Effect.map(
  optional(Config.string("NO_COLOR")),
  (value) => Option.isSome(value) && value.value !== ""
)
