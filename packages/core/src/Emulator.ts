/**
 * A local emulator of the Assistant API (2026-04): the data plane's operations and files and the
 * control plane's assistants, built on `@effect/platform`'s HTTP server abstractions:
 * platform-independent, served by `@effect-pinecone/node`'s `NodeEmulator` (or any platform's
 * `HttpServer`). It answers as the API does (the same schemas as the client), runs operations, file
 * processing and assistants' lifecycles on its own clock, enforces a plan's rate limits if asked, and
 * injects faults on request.
 *
 * Control endpoints (no API key needed):
 * - `POST /_emulator/operations` creates an operation: `{ assistantName, id?, operationType?, fileId?,
 *   durationMs, outcome: "Completed" | "Failed", failAtPercent?, errorMessage? }` -> 201 OperationModel
 * - `POST /_emulator/operations/{assistant}/{id}/finish` ends a processing operation now:
 *   `{ outcome: "Completed" | "Failed", errorMessage? }` -> 200 OperationModel (tests drive the
 *   emulator's state this way rather than racing its clock)
 * - `GET /_emulator/operations` lists every operation of every assistant
 * - `POST /_emulator/faults` sets faults: `{ latencyMs?, rateLimitEveryNth?, retryAfterSeconds?,
 *   failNext?: { count, status, code } }` -> 200 with the faults in force
 * - `POST /_emulator/rate-limits` enforces a plan's limits per minute (`{ plan }`, or `{ uploads?,
 *   deletes?, reads?, assistants? }`; `{}` lifts them) -> 204
 * - `POST /_emulator/assistants` creates a Ready assistant: `{ name }` -> 201
 * - `POST /_emulator/assistants/script` sets how assistants initialize and terminate (`{ name?,
 *   initializingMs, terminatingMs?, outcome? }`; without a name, every assistant) -> 204
 * - `POST /_emulator/files/processing` sets how the next uploads process (`ProcessingScript`) -> 204
 * - `GET /_emulator/files/{assistant}` lists the files held, with their size and CRC-32
 * - `DELETE /_emulator` forgets every operation and fault -> 204
 *
 * Requests are routed with `@effect/platform`'s `HttpRouter`; the state and the routes of each
 * resource live in their own internal module.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import type * as AssistantError from "./AssistantError.js"
import * as App from "./internal/emulator/app.js"
import * as Assistants from "./internal/emulator/assistants.js"
import * as Faults_ from "./internal/emulator/faults.js"
import * as Files from "./internal/emulator/files.js"
import * as InMemory from "./internal/emulator/inMemory.js"
import * as Operations from "./internal/emulator/operations.js"
import { send } from "./internal/emulator/respond.js"
import * as Routes from "./internal/emulator/routes.js"
import * as Operation from "./Operation.js"
import * as RateBudget from "./RateBudget.js"

/**
 * What `POST /_emulator/operations` takes.
 *
 * @since 0.1.0
 * @category schemas
 */
export class CreateOperation extends Schema.Class<CreateOperation>("@effect-pinecone/core/Emulator/CreateOperation")({
  assistantName: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(512)),
  id: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(512))),
  operationType: Schema.optional(Operation.OperationType),
  fileId: Schema.optional(Schema.String.pipe(Schema.maxLength(512))),
  durationMs: Schema.Int.pipe(Schema.between(0, 7 * 24 * 60 * 60 * 1000)),
  outcome: Schema.Literal("Completed", "Failed"),
  failAtPercent: Schema.optional(Schema.Int.pipe(Schema.between(0, 100))),
  errorMessage: Schema.optional(Schema.String.pipe(Schema.maxLength(4096))),
  /** Start the operation this long ago (so that it may already be finished). */
  startedAgoMs: Schema.optional(Schema.Int.pipe(Schema.between(0, 30 * 24 * 60 * 60 * 1000)))
}) {}

/**
 * What `POST /_emulator/faults` takes. Faults apply to the API endpoints, not the control ones.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Faults extends Schema.Class<Faults>("@effect-pinecone/core/Emulator/Faults")({
  /** Delay every API answer by this much. */
  latencyMs: Schema.optional(Schema.Int.pipe(Schema.between(0, 120_000))),
  /** Answer every n-th API request with 429 `TOO_MANY_REQUESTS`. */
  rateLimitEveryNth: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
  /** The `Retry-After` (seconds) sent with injected 429 and 5xx answers. */
  retryAfterSeconds: Schema.optional(Schema.Int.pipe(Schema.between(0, 3600))),
  /** Answer the next `count` API requests with this status and code. */
  failNext: Schema.optional(Schema.Struct({
    count: Schema.Int.pipe(Schema.between(1, 1_000_000)),
    status: Schema.Int.pipe(Schema.between(400, 599)),
    code: Schema.String
  }))
}) {}

/**
 * What `POST /_emulator/files/processing` takes: how the processing of the next uploads goes (of a
 * file of `fileName`, or of any file).
 *
 * @since 0.2.0
 * @category schemas
 */
export class ProcessingScript
  extends Schema.Class<ProcessingScript>("@effect-pinecone/core/Emulator/ProcessingScript")({
    fileName: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(1024))),
    durationMs: Schema.Int.pipe(Schema.between(0, 7 * 24 * 60 * 60 * 1000)),
    outcome: Schema.Literal("Completed", "Failed"),
    failAtPercent: Schema.optional(Schema.Int.pipe(Schema.between(0, 100))),
    errorMessage: Schema.optional(Schema.String.pipe(Schema.maxLength(4096)))
  })
{}

/**
 * What `POST /_emulator/rate-limits` takes: a plan's limits, or limits per minute of your own (a
 * kind left out is not limited; `{}` lifts them all).
 *
 * @since 0.2.0
 * @category schemas
 */
export class RateLimits extends Schema.Class<RateLimits>("@effect-pinecone/core/Emulator/RateLimits")({
  plan: Schema.optional(Schema.Literal("starter", "standard", "enterprise")),
  uploads: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
  deletes: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
  reads: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000))),
  assistants: Schema.optional(Schema.Int.pipe(Schema.between(1, 1_000_000)))
}) {}

/**
 * A file the emulator holds: its bytes are not kept, their size and CRC-32 are.
 *
 * @since 0.2.0
 * @category models
 */
export interface StoredFile {
  readonly id: string
  readonly name: string
  readonly size: number
  /** CRC-32 of the bytes received, 8 hex digits. */
  readonly crc32: string
  readonly metadata: Record<string, unknown> | undefined
  readonly multimodal: boolean
}

/**
 * Options of the emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The key clients must send as `Api-Key`. Default `"local-key"`. */
  readonly apiKey?: string | undefined
  /** Operations to create at start: `"demo"` for the demo set. */
  readonly seed?: "demo" | undefined
  /** At most this many operations are kept; the oldest finished ones are evicted. Default 10,000. */
  readonly maxOperations?: number | undefined
  /** The largest file an upload may carry. Default 100 MB (the API's largest, for PDFs on Standard). */
  readonly maxFileBytes?: number | undefined
  /**
   * Enforce a plan's per-minute limits (uploads and upserts, deletes, reads), answering 429
   * `TOO_MANY_REQUESTS` with `Retry-After` past them, as the service does: a plan's name or limits of
   * your own. Default none. `POST /_emulator/rate-limits` changes them.
   */
  readonly rateLimits?: RateBudget.Limits | RateBudget.Plan | undefined
  /** Called with every answer the API endpoints send (for tests that validate them). */
  readonly onResponse?: ((event: ResponseEvent) => void) | undefined
  /**
   * How an assistant created through the control plane lives: `Initializing` for `initializingMs`
   * (default 2 s), then `Ready`; a deleted one `Terminating` for `terminatingMs` (default 2 s), then
   * 404. `setAssistantScript` and `POST /_emulator/assistants/script` change it.
   *
   * @since 0.2.0
   */
  readonly assistantScript?: AssistantScript | undefined
}

/**
 * How the next assistants created through the control plane live (of the assistant `name`, or any):
 * `Initializing` for `initializingMs`, then `outcome`; `Terminating` for `terminatingMs` after a
 * delete, then gone.
 *
 * @since 0.2.0
 * @category schemas
 */
export class AssistantScript extends Schema.Class<AssistantScript>("@effect-pinecone/core/Emulator/AssistantScript")({
  name: Schema.optional(Schema.String),
  initializingMs: Schema.Int.pipe(Schema.between(0, 86_400_000)),
  terminatingMs: Schema.optionalWith(Schema.Int.pipe(Schema.between(0, 86_400_000)), { default: () => 2000 }),
  outcome: Schema.optionalWith(Schema.Literal("Ready", "InitializationFailed", "Failed"), {
    default: () => "Ready" as const
  })
}) {}

/**
 * An answer the emulator sent.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseEvent {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly body: unknown
}

/**
 * The emulator's state and its HTTP app.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  readonly apiKey: string
  readonly create: (input: CreateOperation) => Effect.Effect<Operation.Operation, AssistantError.ApiError>
  readonly describe: (assistantName: string, operationId: string) => Effect.Effect<Option.Option<Operation.Operation>>
  readonly list: (assistantName: string) => Effect.Effect<ReadonlyArray<Operation.Operation>>
  /** Ends a processing operation now with `outcome`, at the progress it had reached. */
  readonly finish: (
    assistantName: string,
    operationId: string,
    outcome: "Completed" | "Failed",
    errorMessage?: string
  ) => Effect.Effect<Option.Option<Operation.Operation>>
  /** Creates an assistant, Ready at once (uploads to an unknown one answer 404, as the API does). */
  readonly createAssistant: (name: string) => Effect.Effect<void>
  /**
   * How the next assistants created through the control plane live (of `script.name`, or any).
   *
   * @since 0.2.0
   */
  readonly setAssistantScript: (script: AssistantScript) => Effect.Effect<void>
  /** How the processing of the next uploads goes: of a file of this name, or (no name) of any file. */
  readonly setProcessing: (script: ProcessingScript, fileName?: string) => Effect.Effect<void>
  /** The files an assistant holds: their name, size and CRC-32 (the bytes are not kept). */
  readonly storedFiles: (assistantName: string) => Effect.Effect<ReadonlyArray<StoredFile>>
  readonly setFaults: (faults: Faults) => Effect.Effect<void>
  /** The per-minute limits in force from now on (none: `{}`); the counts start again. */
  readonly setRateLimits: (limits: RateBudget.Limits | RateBudget.Plan) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
  readonly size: Effect.Effect<number>
  readonly app: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
}

/**
 * @since 0.1.0
 * @category tags
 */
export class Emulator extends Context.Tag("@effect-pinecone/core/Emulator")<Emulator, Service>() {}

/**
 * The largest request body the control endpoints read.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxRequestBodyBytes = 64 * 1024

/**
 * The operations of `--seed demo`, in assistant `demo`.
 *
 * @since 0.1.0
 * @category constants
 */
export const demoSeed: ReadonlyArray<typeof CreateOperation.Encoded> = [
  { assistantName: "demo", id: "op-upload-5s", fileId: "handbook.pdf", durationMs: 5000, outcome: "Completed" },
  {
    assistantName: "demo",
    id: "op-fail-40",
    fileId: "scan.tiff",
    durationMs: 5000,
    outcome: "Failed",
    failAtPercent: 40,
    errorMessage: "File processing failed: unsupported file format."
  },
  {
    assistantName: "demo",
    id: "op-done",
    operationType: "delete_file",
    fileId: "old-report.pdf",
    durationMs: 1500,
    outcome: "Completed",
    startedAgoMs: 60_000
  }
]

const limitsOf = (limits: RateBudget.Limits | RateBudget.Plan | undefined): RateBudget.Limits =>
  typeof limits === "string" ? RateBudget.plans[limits] : limits ?? {}

// What a reset forgets besides the operations: files, assistants, scripts and faults.
const forget = (
  state: {
    readonly faults: Faults_.FaultState
    readonly files: Files.FileState
    readonly assistants: Assistants.AssistantState
    readonly removed: Set<string>
  },
  options: Options
) => {
  const { assistants, faults, files, removed } = state
  faults.reset()
  files.byAssistant.clear()
  files.assistants.clear()
  files.scripts.clear()
  files.defaultScript = Files.makeFileState().defaultScript
  assistants.byName.clear()
  removed.clear()
  assistants.scripts.clear()
  assistants.defaultScript = options.assistantScript ?? Assistants.makeAssistantState().defaultScript
}

// An assistant made or deleted through the control plane, on the data plane.
const dataPlaneOf = (files: Files.FileState, operations: Operations.Store, removed: Set<string>) => ({
  add: (name: string) => void (removed.delete(name), files.assistants.add(name)),
  // a deleted assistant's operations go with it: one created again under its name starts empty
  remove: (name: string) => {
    removed.add(name)
    files.assistants.delete(name)
    files.byAssistant.delete(name)
    operations.dropAssistant(name)
  }
})

/**
 * Builds an emulator (state and HTTP app); serve `app` with any `HttpServer`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const apiKey = options.apiKey ?? "local-key"
    const files = Files.makeFileState()
    const operations = Operations.makeStore(
      options.maxOperations ?? 10_000,
      (assistantName, operation) => Files.settle(files, assistantName, operation)
    )
    const assistants = Assistants.makeAssistantState()
    if (options.assistantScript !== undefined) assistants.defaultScript = options.assistantScript
    // an assistant created through the control endpoint exists for the operation routes too
    // an assistant deleted through the control plane is gone from the data plane, operations included
    const removed = new Set<string>()
    const store: Operations.Store = {
      ...operations,
      hasAssistant: (name) => !removed.has(name) && (operations.hasAssistant(name) || files.assistants.has(name))
    }
    const faults = Faults_.makeFaults(limitsOf(options.rateLimits))
    const deps: Routes.Deps = { apiKey, store, faults, report: options.onResponse, maxRequestBodyBytes }
    for (const input of options.seed === "demo" ? demoSeed : []) {
      yield* Effect.orDie(store.create(Schema.decodeUnknownSync(CreateOperation)(input)))
    }
    const createAssistant = (name: string) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          removed.delete(name)
          files.assistants.add(name)
          Assistants.addReady(assistants, name, now)
        }))
    if (options.seed === "demo") yield* createAssistant("demo")
    const setAssistantScript = (script: AssistantScript) => Effect.sync(() => Assistants.setScript(assistants, script))
    const setProcessing = (script: ProcessingScript | Files.ProcessingScript, fileName?: string) =>
      Effect.sync(() => Files.setScript(files, script, fileName))
    const storedFiles = Files.storedFiles(files, store)

    const reset = Effect.zipRight(
      store.reset,
      Effect.sync(() => forget({ faults, files, assistants, removed }, options)).pipe(
        Effect.zipRight(options.seed === "demo" ? createAssistant("demo") : Effect.void)
      )
    )

    const reply = send(deps.report)
    const router = HttpRouter.concatAll(
      Routes.operations(deps),
      Files.routes({ ...deps, files, maxFileBytes: options.maxFileBytes ?? 100 * 1024 * 1024 }),
      Assistants.routes({
        ...deps,
        state: assistants,
        knownElsewhere: store.hasAssistant,
        dataPlane: dataPlaneOf(files, operations, removed)
      }),
      HttpRouter.post(
        "/_emulator/assistants/script",
        Routes.jsonBody(deps)(AssistantScript, (input) =>
          Effect.zipRight(setAssistantScript(input), reply(204, undefined)))
      )(HttpRouter.empty),
      Routes.control(deps, { create: CreateOperation, faults: Faults, reset }),
      Routes.rateLimitsControl(deps, {
        schema: RateLimits,
        set: (input) =>
          Effect.sync(() => faults.setRateLimits(input.plan === undefined ? input : limitsOf(input.plan)))
      }),
      Routes.filesControl(deps, {
        processing: ProcessingScript,
        setProcessing: (script) => setProcessing(script, script.fileName),
        createAssistant,
        storedFiles
      })
    )
    const app = yield* App.serve(deps, router)

    return Emulator.of({
      apiKey,
      create: store.create,
      describe: store.describe,
      list: store.list,
      finish: store.finish,
      createAssistant,
      setAssistantScript,
      setProcessing,
      storedFiles,
      setFaults: (next) => Effect.sync(() => faults.set(next)),
      setRateLimits: (limits) => Effect.sync(() => faults.setRateLimits(limitsOf(limits))),
      reset,
      size: store.size,
      app
    })
  })

/**
 * An `HttpClient` answered by the emulator's app in memory: no socket, and the emulator runs on the
 * caller's clock (the TestClock in a test). Give the client any host; only the path is used.
 *
 * @example
 * ```ts
 * import { AssistantClient, Emulator } from "@effect-pinecone/core"
 * import * as HttpClient from "@effect/platform/HttpClient"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const InMemory = Layer.unwrapEffect(
 *   Effect.map(Emulator.make({ seed: "demo" }), (emulator) =>
 *     AssistantClient.layer({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" }).pipe(
 *       Layer.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator)))
 *     ))
 * )
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpClient = (emulator: Service): HttpClient.HttpClient => InMemory.httpClient(emulator.app)

/**
 * Serves an emulator on the `HttpServer` in context and provides it as a service.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<Emulator, never, HttpServer.HttpServer> =>
  Layer.scoped(
    Emulator,
    Effect.gen(function*() {
      const emulator = yield* make(options)
      yield* HttpServer.serveEffect(emulator.app)
      return emulator
    })
  )
