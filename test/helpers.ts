import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import type * as Emulator from "@effect-pinecone/core/Emulator"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import type * as HttpServer from "@effect/platform/HttpServer"
import { Ajv } from "ajv"
import addFormatsModule from "ajv-formats"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

export const apiKey = "local-key-e2e"

/** Every answer the emulators of this test file sent. */
export const sent: Array<Emulator.ResponseEvent> = []

export const EmulatorLive = NodeEmulator.layer({ apiKey, onResponse: (event) => sent.push(event) })

/** The Node client pointed at the emulator of `EmulatorLive`. */
export const clientFor = (options: Partial<AssistantClient.Options> = {}) =>
  Layer.unwrapEffect(
    Effect.map(
      NodeEmulator.url,
      (host) => NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), host, ...options })
    )
  ).pipe(Layer.orDie)

export const TestLive = (options: Partial<AssistantClient.Options> = {}) =>
  clientFor(options).pipe(Layer.provideMerge(EmulatorLive), Layer.orDie) as Layer.Layer<
    AssistantClient.AssistantClient | Emulator.Emulator | HttpServer.HttpServer
  >

/**
 * Runs `effect` while moving the TestClock forward in small steps: the emulator and the client share
 * the TestClock, and real socket I/O happens between the steps. Each step first waits for one turn
 * of the event loop (`setImmediate` runs after its I/O phase, no timer involved), so that the virtual
 * time spent on a loopback exchange is counted in turns of the loop, not in how fast this machine
 * spins: a time bound on the virtual clock then holds on a busy machine as on an idle one.
 */
const nextTurn = Effect.async<void>((resume) => {
  const immediate = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(immediate))
})

export const driveClock = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  step: Duration.DurationInput = "100 millis",
  maxSteps = 20_000
) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < maxSteps; i++) {
      const exit = fiber.unsafePoll()
      if (exit !== null) {
        return yield* Exit.matchEffect(exit, { onFailure: Effect.failCause, onSuccess: Effect.succeed })
      }
      yield* nextTurn
      yield* TestClock.adjust(step)
    }
    yield* Fiber.interrupt(fiber)
    return yield* Effect.dieMessage(`not done after ${maxSteps} steps of ${step}`)
  })

const specDir = fileURLToPath(new URL("../spec/", import.meta.url))

/** A validator of a response body against the 2026-04 OpenAPI document's response schemas. */
export const makeValidator = () => {
  const doc = parse(readFileSync(`${specDir}assistant_data_2026-04.oas.yaml`, "utf8"))
  const control = parse(readFileSync(`${specDir}assistant_control_2026-04.oas.yaml`, "utf8"))
  // OpenAPI 3.0 `nullable: true` is JSON Schema's `type: [t, "null"]`.
  const convert = (node: any): any => {
    if (Array.isArray(node)) return node.map(convert)
    if (node === null || typeof node !== "object") return node
    const out: any = {}
    for (const [k, v] of Object.entries(node)) {
      if (k === "nullable" || k === "example" || k === "examples" || k.startsWith("x-")) continue
      out[k] = convert(v)
    }
    if (node.nullable === true && typeof node.type === "string") out.type = [node.type, "null"]
    return out
  }
  const ajv = new Ajv({ strict: false, allErrors: true })
  const addFormats = (addFormatsModule as any).default ?? addFormatsModule
  addFormats(ajv)
  ajv.addFormat("int32", true)
  ajv.addFormat("double", true)
  ajv.addSchema({ $id: "oas", components: convert(doc.components) })
  ajv.addSchema({ $id: "control", components: convert(control.components) })
  const compile = (name: string, id = "oas") => ajv.compile({ $ref: `${id}#/components/schemas/${name}` })
  const validators = {
    OperationModel: compile("OperationModel"),
    OperationList: compile("OperationList"),
    ErrorResponse: compile("ErrorResponse"),
    AssistantFileModel: compile("AssistantFileModel"),
    ListFilesResponse: compile("ListFilesResponse"),
    Assistant: compile("Assistant", "control"),
    ListAssistantsResponse: compile("ListAssistantsResponse", "control"),
    UpdateAssistantResponse: compile("UpdateAssistantResponse", "control"),
    ControlErrorResponse: compile("ErrorResponse", "control")
  }
  return (schema: keyof typeof validators, body: unknown): string | undefined => {
    const validate = validators[schema]
    return validate(body) ? undefined : ajv.errorsText(validate.errors)
  }
}

/**
 * Runs a command in a child process and collects its output, without blocking this worker (a worker
 * blocked for a minute cannot answer vitest's RPC). Interrupted, the child is killed.
 */
export const exec = (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}
) =>
  Effect.async<{ code: number | null; stdout: string; stderr: string }>((resume) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d) => (stdout += d))
    child.stderr.on("data", (d) => (stderr += d))
    child.on("close", (code) => resume(Effect.succeed({ code, stdout, stderr })))
    return Effect.sync(() => child.kill("SIGKILL"))
  })
