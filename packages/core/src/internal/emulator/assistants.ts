// The emulator's control plane for assistants (create, list, describe, update, delete), as the
// 2026-04 control OAS says: a created assistant is Initializing for a scripted time, then Ready (or
// InitializationFailed/Failed as scripted); a deleted one is Terminating for a while, then 404. Its
// data plane (files, operations) is served at its host, the emulator itself, from its creation.
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Assistant from "../../Assistant.js"
import type { FaultState } from "./faults.js"
import { errorBody, readJson, type Reporter, send } from "./respond.js"
import { guarded, type Handler, param, type Query, query } from "./routes.js"

/** How the next assistants' lives go (of the assistant `name`, or any). @internal */
export interface AssistantScript {
  readonly initializingMs: number
  readonly terminatingMs: number
  readonly outcome: "Ready" | "InitializationFailed" | "Failed"
}

interface Stored {
  readonly name: string
  instructions: string | undefined
  metadata: Record<string, unknown> | undefined
  readonly region: string
  readonly createdAt: number
  updatedAt: number
  readonly script: AssistantScript
  deletedAt: number | undefined
}

/** The assistants the control plane knows, and the scripts of the next ones. @internal */
export interface AssistantState {
  readonly byName: Map<string, Stored>
  readonly scripts: Map<string, AssistantScript>
  defaultScript: AssistantScript
}

/** @internal */
export const makeAssistantState = (): AssistantState => ({
  byName: new Map(),
  scripts: new Map(),
  defaultScript: { initializingMs: 2000, terminatingMs: 2000, outcome: "Ready" }
})

/** An assistant that is there at once, Ready (the emulator's own `createAssistant`, the seed). @internal */
export const addReady = (state: AssistantState, name: string, now: number) => {
  if (state.byName.has(name) && state.byName.get(name)!.deletedAt === undefined) return
  state.byName.set(name, {
    name,
    instructions: undefined,
    metadata: undefined,
    region: "us",
    createdAt: now,
    updatedAt: now,
    script: { initializingMs: 0, terminatingMs: state.defaultScript.terminatingMs, outcome: "Ready" },
    deletedAt: undefined
  })
}

const statusAt = (a: Stored, now: number): string | undefined =>
  a.deletedAt !== undefined
    ? now >= a.deletedAt + a.script.terminatingMs ? undefined : "Terminating"
    : now < a.createdAt + a.script.initializingMs
    ? "Initializing"
    : a.script.outcome

/** The assistant of `name` as the control plane shows it at `now`, if it is there. @internal */
export const view = (state: AssistantState, name: string, now: number, host: string) => {
  const a = state.byName.get(name)
  const status = a === undefined ? undefined : statusAt(a, now)
  if (a === undefined || status === undefined) return Option.none()
  return Option.some(
    Schema.encodeSync(Assistant.Assistant)(
      new Assistant.Assistant({
        name: a.name,
        status,
        host: Option.some(host),
        region: Option.some(a.region),
        createdAt: Option.some(DateTime.unsafeMake(a.createdAt)),
        updatedAt: Option.some(DateTime.unsafeMake(a.updatedAt)),
        instructions: Option.fromNullable(a.instructions),
        metadata: Option.fromNullable(a.metadata)
      })
    )
  )
}

const Name = Schema.String.pipe(
  Schema.minLength(1),
  Schema.maxLength(63),
  Schema.pattern(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { message: () => "Invalid assistant name." })
)
// 16 KB of UTF-8, as the API counts them (not UTF-16 units: 6,000 × 日 is 18,000 bytes)
const utf8 = new TextEncoder()
const Instructions = Schema.NullOr(
  Schema.String.pipe(
    Schema.filter((text) => utf8.encode(text).length <= 16 * 1024, {
      message: () => "instructions must be at most 16 KB of UTF-8"
    })
  )
)
const Metadata = Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown }))

/** What `POST /assistant/assistants` takes. @internal */
export const CreateBody = Schema.Struct({
  name: Name,
  instructions: Schema.optional(Instructions),
  metadata: Schema.optional(Metadata),
  region: Schema.optional(Schema.String)
})

/** What `PATCH /assistant/assistants/{name}` takes. @internal */
export const UpdateBody = Schema.Struct({
  instructions: Schema.optional(Instructions),
  metadata: Schema.optional(Metadata)
})

/** How assistants of `script.name` (or every one) initialize and terminate. @internal */
export const setScript = (
  state: AssistantState,
  script: AssistantScript & { readonly name?: string | undefined }
) => {
  const { initializingMs, outcome, terminatingMs } = script
  if (script.name === undefined) state.defaultScript = { initializingMs, outcome, terminatingMs }
  else state.scripts.set(script.name, { initializingMs, outcome, terminatingMs })
}

/** @internal */
export interface AssistantDeps {
  readonly apiKey: string
  readonly faults: FaultState
  readonly report: Reporter | undefined
  readonly maxRequestBodyBytes: number
  readonly state: AssistantState
  /** Whether the data plane knows an assistant the control plane was not told of (operations seeded for it). */
  readonly knownElsewhere: (name: string) => boolean
  readonly dataPlane: { readonly add: (name: string) => void; readonly remove: (name: string) => void }
}

const originOf = (request: HttpServerRequest.HttpServerRequest) => `http://${request.headers.host ?? "127.0.0.1"}`

const bytesOf = (value: unknown) => utf8.encode(JSON.stringify(value)).length

// A JSON body decoded by `schema`, or a 400 naming each problem.
const bodyOf =
  (maxBytes: number, invalid: (message: string) => Handler) =>
  <A, I>(schema: Schema.Schema<A, I>, f: (input: A) => Handler): Handler =>
    Effect.flatMap(readJson(maxBytes), (json) => {
      if (Either.isLeft(json)) return invalid(json.left)
      const input = Schema.decodeUnknownEither(schema)(json.right)
      return Either.isLeft(input)
        ? invalid(
          ParseResult.ArrayFormatter.formatErrorSync(input.left).map((i) => `${i.path.join(".")}: ${i.message}`).join(
            "; "
          )
        )
        : f(input.right)
    })

// One page of the assistants: the names after the cursor, in order, 50 by default.
const pageOf = (
  state: AssistantState,
  query: Query,
  now: number,
  origin: string
): Either.Either<unknown, string> => {
  const limitText = query.get("limit")
  const limit = limitText === null ? 50 : Number(limitText)
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return Either.left("limit must be 1 to 100.")
  const token = query.get("pagination_token")
  const after = token === null ? "" : decodeCursor(token)
  if (after === undefined) return Either.left("Invalid pagination token.")
  const names = Array.from(state.byName.keys()).filter((n) => n > after).sort()
  const shown = names.flatMap((n) => Option.toArray(view(state, n, now, origin)))
  const page = shown.slice(0, limit)
  const next = shown.length > limit ? encodeCursor(page[page.length - 1]!.name) : undefined
  return Either.right({ assistants: page, ...(next === undefined ? {} : { pagination: { next } }) })
}

/** The control plane's five assistant endpoints. @internal */
export const routes = (deps: AssistantDeps): HttpRouter.HttpRouter => {
  const reply = send(deps.report)
  const guard = guarded(deps)
  const invalid = (message: string) => reply(400, errorBody(400, "INVALID_ARGUMENT", message))
  const notFound = (name: string) => reply(404, errorBody(404, "NOT_FOUND", `Assistant "${name}" not found.`))
  const body = bodyOf(deps.maxRequestBodyBytes, invalid)
  const tooLarge = (metadata: unknown) => metadata !== undefined && metadata !== null && bytesOf(metadata) > 16 * 1024

  // an assistant the data plane knows of but the control plane was not told of is Ready
  const known = (name: string, now: number) => {
    const stored = deps.state.byName.get(name)
    if (stored === undefined && deps.knownElsewhere(name)) addReady(deps.state, name, now)
  }

  const create: Handler = body(CreateBody, (input) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      known(input.name, now)
      if (tooLarge(input.metadata)) return yield* invalid("metadata must be at most 16 KB.")
      const existing = deps.state.byName.get(input.name)
      if (existing !== undefined && statusAt(existing, now) !== undefined) {
        return yield* reply(409, errorBody(409, "ALREADY_EXISTS", `Assistant "${input.name}" already exists.`))
      }
      const script = deps.state.scripts.get(input.name) ?? deps.state.defaultScript
      deps.state.byName.set(input.name, {
        name: input.name,
        instructions: input.instructions ?? undefined,
        metadata: input.metadata ?? undefined,
        region: input.region ?? "us",
        createdAt: now,
        updatedAt: now,
        script,
        deletedAt: undefined
      })
      deps.dataPlane.add(input.name)
      const request = yield* HttpServerRequest.HttpServerRequest
      return yield* reply(200, Option.getOrThrow(view(deps.state, input.name, now, originOf(request))))
    }))

  const list: Handler = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const search = yield* query
    if (Either.isLeft(search)) return yield* invalid(search.left)
    const page = pageOf(deps.state, search.right, yield* Clock.currentTimeMillis, originOf(request))
    return yield* Either.match(page, { onLeft: invalid, onRight: (body) => reply(200, body) })
  })

  const describe: Handler = Effect.gen(function*() {
    const name = yield* param("assistant")
    const now = yield* Clock.currentTimeMillis
    known(name, now)
    const request = yield* HttpServerRequest.HttpServerRequest
    return yield* Option.match(view(deps.state, name, now, originOf(request)), {
      onNone: () => notFound(name),
      onSome: (wire) => reply(200, wire)
    })
  })

  const update: Handler = body(UpdateBody, (input) =>
    Effect.gen(function*() {
      const name = yield* param("assistant")
      const now = yield* Clock.currentTimeMillis
      known(name, now)
      const a = deps.state.byName.get(name)
      if (a === undefined || statusAt(a, now) === undefined || a.deletedAt !== undefined) return yield* notFound(name)
      if (tooLarge(input.metadata)) return yield* invalid("metadata must be at most 16 KB.")
      if (input.instructions !== undefined) a.instructions = input.instructions ?? undefined
      if (input.metadata !== undefined) a.metadata = input.metadata ?? undefined
      a.updatedAt = now
      return yield* reply(200, {
        assistant_name: name,
        ...(a.instructions === undefined ? {} : { instructions: a.instructions }),
        ...(a.metadata === undefined ? {} : { metadata: a.metadata })
      })
    }))

  const remove: Handler = Effect.gen(function*() {
    const name = yield* param("assistant")
    const now = yield* Clock.currentTimeMillis
    known(name, now)
    const a = deps.state.byName.get(name)
    if (a === undefined || statusAt(a, now) === undefined) return yield* notFound(name)
    if (a.deletedAt === undefined) a.deletedAt = now
    // its data plane goes at once; the control plane shows it Terminating for a while
    deps.dataPlane.remove(name)
    return yield* reply(200, undefined)
  })

  return HttpRouter.empty.pipe(
    HttpRouter.post("/assistant/assistants", guard(create)),
    HttpRouter.get("/assistant/assistants", guard(list)),
    HttpRouter.get("/assistant/assistants/:assistant", guard(describe)),
    HttpRouter.patch("/assistant/assistants/:assistant", guard(update)),
    HttpRouter.del("/assistant/assistants/:assistant", guard(remove))
  )
}

const encodeCursor = (name: string) => btoa(`after-assistant:${encodeURIComponent(name)}`)
const decodeCursor = (token: string): string | undefined => {
  try {
    const text = atob(token)
    return text.startsWith("after-assistant:") ? decodeURIComponent(text.slice("after-assistant:".length)) : undefined
  } catch {
    return undefined
  }
}
