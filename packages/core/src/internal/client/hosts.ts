// Each assistant's data-plane host, from the control plane's describe-assistant: cached for the
// TTL, looked up once however many calls ask at once, a failed lookup not kept. The lookup is given
// the describe to use, so that the cache and the calls that read it do not depend on each other.
import * as Cache from "effect/Cache"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import type * as Assistant from "../../Assistant.js"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import * as internal from "../http.js"
import type { Target } from "./call.js"
import type { Settings } from "./settings.js"

/** @internal */
export type Hosts = Cache.Cache<string, string, AssistantError.CallError>

const unusable = (summary: string) =>
  new AssistantError.MalformedResponseError({ status: 200, reason: "Schema", summary, requestId: Option.none() })

/** @internal */
export const make = (
  settings: Settings,
  describeAssistant: (
    request: AssistantClient.DescribeAssistantRequest
  ) => Effect.Effect<Assistant.Assistant, AssistantError.CallError>
): Effect.Effect<Hosts> =>
  Cache.makeWith({
    capacity: 10_000,
    lookup: (assistantName: string) =>
      Effect.flatMap(describeAssistant({ assistantName }), (assistant) =>
        Option.match(assistant.host, {
          onNone: () => Effect.fail(unusable(`assistant ${assistantName} has no host`)),
          onSome: (host) =>
            Either.match(internal.normalizeHost(host, settings.allowInsecure), {
              onLeft: (e) => Effect.fail(unusable(`the host of assistant ${assistantName} is unusable: ${e.reason}`)),
              onRight: Effect.succeed
            })
        })),
    // a failed lookup is also dropped at once by the call that made it (a zero TTL still holds for
    // the instant it was made in)
    timeToLive: (exit) => Exit.isSuccess(exit) ? settings.hostTtl : Duration.zero
  })

/** Where an assistant's data-plane calls go: its discovered host. @internal */
export const target = (hosts: Hosts, assistantName: string): Target => ({
  host: hosts.get(assistantName),
  invalidate: hosts.invalidate(assistantName)
})
