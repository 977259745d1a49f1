// The one AssistantClient service: settings validated once, the transport decorated once, and each
// resource's endpoints wired to one `call`; its host discovery and the coordination of its waits are
// services of its scope.
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import type * as AssistantClient from "../../AssistantClient.js"
import type * as AssistantError from "../../AssistantError.js"
import * as Coordinator from "../poller/coordinator.js"
import * as Assistants from "./assistants.js"
import * as Call from "./call.js"
import * as Files from "./files.js"
import * as Hosts from "./hosts.js"
import * as Operations from "./operations.js"
import * as Settings from "./settings.js"
import * as Transport from "./transport.js"

/** @internal */
export const make = (
  options: AssistantClient.Options,
  client: HttpClient.HttpClient
): Effect.Effect<AssistantClient.Service, AssistantError.InvalidRequestError, Scope.Scope> =>
  Effect.gen(function*() {
    const settings = yield* Settings.settingsOf(options)
    const call = Call.make(Transport.make(settings, client))
    const control = Call.fixed(settings.controlHost)
    const describeAssistant = Assistants.describe(call, control)
    const hosts = yield* Hosts.make(settings, describeAssistant)
    // one host for every call when given; else each assistant's own
    const explicit = settings.explicitHost === undefined ? undefined : Call.fixed(settings.explicitHost)
    const data = (assistantName: string) => explicit ?? Hosts.target(hosts, assistantName)
    const coordination = yield* Coordinator.make(() => service)
    const service: AssistantClient.Service = Coordinator.attach({
      describeAssistant,
      ...Operations.endpoints(call, data),
      ...Files.endpoints(call, data),
      ...Assistants.endpoints(call, control, hosts, settings.allowInsecure, describeAssistant)
    }, coordination)
    return service
  })
