// The command handlers, loaded only when a command runs: `--help` and `--version` need none of the
// HTTP client and server code.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantError from "@effect-pinecone/core/AssistantError"
import * as Operation from "@effect-pinecone/core/Operation"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as NodeAssistantClient from "../NodeAssistantClient.js"
import * as NodeEmulator from "../NodeEmulator.js"
import { CliExit, ExitCode, exitCodeOf } from "./exit.js"

/** @internal */
export interface Common {
  readonly host: Option.Option<string>
  readonly apiKey: Option.Option<Redacted.Redacted>
  readonly apiVersion: Option.Option<string>
}

/** @internal */
export const fail = (error: AssistantError.WaitForOperationError): CliExit =>
  new CliExit({ code: exitCodeOf(error), message: `${error._tag}: ${error.message}` })

const clientLayer = (common: Common) =>
  Effect.gen(function*() {
    if (Option.isNone(common.apiKey) || Redacted.value(common.apiKey.value).trim() === "") {
      return yield* new CliExit({
        code: ExitCode.Usage,
        message: "Missing API key: pass --api-key or set PINECONE_API_KEY"
      })
    }
    return NodeAssistantClient.layer({
      apiKey: common.apiKey.value as Redacted.Redacted,
      host: Option.getOrUndefined(common.host),
      apiVersion: Option.getOrUndefined(common.apiVersion)
    }).pipe(Layer.mapError(fail))
  })

const withClient = <A, E, R>(
  common: Common,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | CliExit, Exclude<R, AssistantClient.AssistantClient>> =>
  Effect.flatMap(clientLayer(common), (layer) => Effect.provide(effect, layer))

const write = (text: string) => Effect.sync(() => process.stdout.write(text))

const iso = (dt: DateTime.Utc) => DateTime.formatIso(dt)

/** @internal */
export const formatOperation = (op: Operation.Operation): string => {
  const lines = [
    `operation  ${op.id}`,
    `status     ${op.status}`,
    `type       ${op.operationType}`,
    `file       ${Option.getOrElse(op.fileId, () => "-")}`,
    `progress   ${Option.match(op.percentComplete, { onNone: () => "-", onSome: (p) => `${p}%` })}`,
    `created    ${iso(op.createdOn)}`,
    `completed  ${Option.match(op.completedOn, { onNone: () => "-", onSome: iso })}`
  ]
  if (Option.isSome(op.ingestionUnits)) lines.push(`units      ${op.ingestionUnits.value}`)
  if (Option.isSome(op.errorMessage)) lines.push(`error      ${op.errorMessage.value}`)
  return lines.join("\n")
}

const wireJson = (op: Operation.Operation) => JSON.stringify(Operation.encode(op))

/** @internal */
export const progressLine = (op: Operation.Operation, elapsed: Duration.Duration, width = 30): string => {
  const percent = Option.getOrElse(op.percentComplete, () => 0)
  const filled = Math.round(width * percent / 100)
  const seconds = (Duration.toMillis(elapsed) / 1000).toFixed(1)
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(percent).padStart(3)}% ${op.status} ${seconds}s`
}

/** @internal */
export const parseTimeout = (text: string): Option.Option<Duration.Duration> => {
  const trimmed = text.trim()
  if (trimmed === "infinity") return Option.some(Duration.infinity)
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(trimmed)
  if (match === null) return Option.none()
  const n = Number(match[1])
  const unit = match[2] ?? "s"
  const millis = unit === "ms" ? n : unit === "s" ? n * 1000 : unit === "m" ? n * 60_000 : n * 3_600_000
  return Option.some(Duration.millis(millis))
}

/** @internal */
export const describe = (input: Common & { assistant: string; operationId: string; json: boolean }) =>
  withClient(
    input,
    AssistantClient.describeOperation({ assistantName: input.assistant, operationId: input.operationId }).pipe(
      Effect.mapError(fail),
      Effect.flatMap((op) => write((input.json ? wireJson(op) : formatOperation(op)) + "\n"))
    )
  )

/** @internal */
export const wait = (input: Common & { assistant: string; operationId: string; json: boolean; timeout: string }) =>
  Effect.gen(function*() {
    const budget = parseTimeout(input.timeout)
    if (Option.isNone(budget)) {
      return yield* new CliExit({ code: ExitCode.Usage, message: `Invalid --timeout: ${input.timeout}` })
    }
    const bar = !input.json && process.stdout.isTTY === true
    const start = yield* Clock.currentTimeMillis
    let last: Operation.Operation | undefined
    yield* OperationPoller.watchOperation({
      assistantName: input.assistant,
      operationId: input.operationId,
      timeout: budget.value
    }).pipe(
      Stream.runForEach((op) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          last = op
          return bar ? write(`\r\x1b[2K${progressLine(op, Duration.millis(now - start))}`) : write(wireJson(op) + "\n")
        })
      ),
      Effect.ensuring(bar ? write("\n") : Effect.void),
      Effect.mapError(fail),
      (effect) => withClient(input, effect)
    )
    if (last !== undefined && Operation.isFailed(last)) {
      return yield* fail(new AssistantError.OperationFailedError({ operation: last }))
    }
  })

/** @internal */
export const emulator = (input: { port: number; host: string; apiKey: string; seed: Option.Option<"demo"> }) =>
  Effect.gen(function*() {
    const url = yield* NodeEmulator.url
    yield* Effect.sync(() =>
      process.stderr.write(
        `Pinecone Assistant emulator listening on ${url}\n` +
          `  PINECONE_ASSISTANT_HOST=${url} (Api-Key as given by --api-key)\n`
      )
    )
    return yield* Effect.never
  }).pipe(
    Effect.provide(
      NodeEmulator.layer({
        port: input.port,
        host: input.host,
        apiKey: input.apiKey,
        seed: Option.getOrUndefined(input.seed)
      }).pipe(
        Layer.mapError((e) =>
          new CliExit({
            code: ExitCode.Usage,
            message: `Cannot listen on ${input.host}:${input.port}: ${String(e.cause)}`
          })
        )
      )
    )
  )
