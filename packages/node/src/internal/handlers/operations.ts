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
import * as NodeAssistantClient from "../../NodeAssistantClient.js"
import * as NodeEmulator from "../../NodeEmulator.js"
import * as Environment from "../cli/environment.js"
import * as Display from "../output/display.js"
import { CliExit, ExitCode, exitCodeOf, sanitize } from "../output/exit.js"
import { addSecret, err, isTerminal, out } from "../output/print.js"

/** @internal */
export interface Common {
  readonly host: Option.Option<string>
  readonly apiKey: Option.Option<Redacted.Redacted>
  readonly apiVersion: Option.Option<string>
  readonly controlHost?: Option.Option<string>
  readonly allowInsecure?: boolean
  readonly maxRequestsPerSecond?: Option.Option<number>
}

/** @internal */
export const fail = (error: AssistantError.WaitForOperationError): CliExit =>
  new CliExit({ code: exitCodeOf(error), message: `${error._tag}: ${sanitize(error.message)}` })

const clientLayer = (common: Common) =>
  Effect.gen(function*() {
    // pinecone-operation has no --control-host: the variable alone
    const fromEnvironment = yield* Environment.optional(Environment.controlHost)
    if (Option.isNone(common.apiKey) || Redacted.value(common.apiKey.value).trim() === "") {
      return yield* new CliExit({
        code: ExitCode.Usage,
        message: "Missing API key: pass --api-key or set PINECONE_API_KEY"
      })
    }
    yield* addSecret(Redacted.value(common.apiKey.value))
    const controlHost = Option.getOrUndefined(
      Option.orElse(common.controlHost ?? Option.none(), () => fromEnvironment)
    )
    yield* checkHost("--host", Option.getOrUndefined(common.host), common.allowInsecure === true)
    yield* checkHost("--control-host", controlHost, common.allowInsecure === true)
    const rate = Option.getOrUndefined(common.maxRequestsPerSecond ?? Option.none())
    if (rate !== undefined && !(rate > 0)) {
      return yield* new CliExit({ code: ExitCode.Usage, message: `Invalid --max-requests-per-second ${rate}` })
    }
    return NodeAssistantClient.layer({
      apiKey: common.apiKey.value as Redacted.Redacted,
      host: Option.getOrUndefined(common.host),
      controlHost,
      apiVersion: Option.getOrUndefined(common.apiVersion),
      allowInsecure: common.allowInsecure,
      maxRequestsPerSecond: rate
    }).pipe(Layer.mapError(fail))
  })

const loopback = (hostname: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(hostname)

/**
 * A host the CLI can tell is wrong before sending: a loopback address without a scheme (the client
 * would try TLS on a plain port), or plain http:// elsewhere without --allow-insecure.
 * @internal
 */
export const checkHost = (flag: string, host: string | undefined, allowInsecure: boolean) => {
  if (host === undefined || host.trim() === "") return Effect.void
  const trimmed = host.trim()
  const usage = (message: string) => Effect.fail(new CliExit({ code: ExitCode.Usage, message }))
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    const hostname = trimmed.replace(/[:/].*$/, "")
    return loopback(hostname) || trimmed.startsWith("[::1]")
      ? usage(`Invalid ${flag} ${sanitize(trimmed)}: no scheme (did you mean http://${sanitize(trimmed)}?)`)
      : Effect.void
  }
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return usage(`Invalid ${flag} ${sanitize(trimmed)}: not a URL`)
  }
  return url.protocol === "http:" && !allowInsecure && !loopback(url.hostname)
    ? usage(
      `Refusing plain http:// to ${
        sanitize(url.host)
      } (${flag}): the API key would travel unencrypted; use https://, or pass --allow-insecure`
    )
    : Effect.void
}

/** @internal */
export const withClient = <A, E, R>(
  common: Common,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | CliExit, Exclude<R, AssistantClient.AssistantClient>> =>
  Effect.flatMap(clientLayer(common), (layer) => Effect.provide(effect, layer))

/** @internal */
export const write = out

/** A time as ISO 8601, as the CLIs print it. @internal */
export const iso = (dt: DateTime.Utc) => DateTime.formatIso(dt)

/** @internal */
export const formatOperation = (op: Operation.Operation): string => {
  const lines = [
    `operation  ${sanitize(op.id)}`,
    `status     ${sanitize(op.status)}`,
    `type       ${sanitize(op.operationType)}`,
    `file       ${sanitize(Option.getOrElse(op.fileId, () => "-"))}`,
    `progress   ${Option.match(op.percentComplete, { onNone: () => "-", onSome: (p) => `${p}%` })}`,
    `created    ${iso(op.createdOn)}`,
    `completed  ${Option.match(op.completedOn, { onNone: () => "-", onSome: iso })}`
  ]
  if (Option.isSome(op.ingestionUnits)) lines.push(`units      ${op.ingestionUnits.value}`)
  if (Option.isSome(op.errorMessage)) lines.push(`error      ${sanitize(op.errorMessage.value)}`)
  return lines.join("\n")
}

const wireJson = (op: Operation.Operation) => JSON.stringify(Operation.encode(op))

/** @internal */
export const progressLine = (op: Operation.Operation, elapsed: Duration.Duration, width = 30): string => {
  const percent = Option.getOrElse(op.percentComplete, () => 0)
  const seconds = (Duration.toMillis(elapsed) / 1000).toFixed(1)
  return `${Display.bar(percent, width)} ${String(percent).padStart(3)}% ${sanitize(op.status)} ${seconds}s`
}

/** A warning on stderr: a value outside an open enumeration is sent anyway. @internal */
export const warnUnknown = (option: string, value: string, known: ReadonlyArray<string>) => {
  if (known.includes(value)) return Effect.void
  // the API's values are case-sensitive: a known one in another case is the likely meaning
  const cased = known.find((k) => k.toLowerCase() === value.toLowerCase())
  return err(
    `warning: --${option} ${sanitize(value)} is not one of ${known.join(", ")}${
      cased === undefined ? "" : ` (did you mean ${cased}?)`
    }; sending it anyway\n`
  )
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
export const wait = (
  input: Common & { assistant: string; operationId: string; json: boolean; timeout: Duration.Duration }
) =>
  Effect.gen(function*() {
    const budget = input.timeout
    const bar = !input.json && (yield* isTerminal)
    const start = yield* Clock.currentTimeMillis
    let last: Operation.Operation | undefined
    // why no progress is coming (a 503, a refused connection) is shown as it happens, not only at
    // the end of the budget
    const onRetry = (error: AssistantError.CallError) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const why = `${error._tag}: ${sanitize(error.message)}`
        if (!bar) {
          return write(JSON.stringify({ event: "retry", error: error._tag, message: sanitize(error.message) }) + "\n")
        }
        const progress = last === undefined
          ? "waiting for a first answer"
          : progressLine(last, Duration.millis(now - start))
        return write(`\r\x1b[2K${progress} (retrying after ${why.slice(0, 160)})`)
      })
    yield* OperationPoller.watchOperation({
      assistantName: input.assistant,
      operationId: input.operationId,
      timeout: budget,
      onRetry
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
export const emulator = (
  input: {
    port: number
    host: string
    apiKey: string
    seed: Option.Option<"demo">
    maxFileMb: number
    rateLimits?: Option.Option<"starter" | "standard" | "enterprise">
  }
) =>
  !Number.isInteger(input.port) || input.port < 0 || input.port > 65535
    ? Effect.fail(new CliExit({ code: ExitCode.Usage, message: `Invalid --port ${input.port}: must be 0 to 65535` }))
    : !Number.isInteger(input.maxFileMb) || input.maxFileMb < 1 || input.maxFileMb > 100_000
    ? Effect.fail(new CliExit({ code: ExitCode.Usage, message: `Invalid --max-file-mb ${input.maxFileMb}` }))
    : Effect.gen(function*() {
      const url = yield* NodeEmulator.url
      yield* err(
        `Pinecone Assistant emulator listening on ${url}\n` +
          // it serves both planes: every variable a command reads, one line each (each fits 80 columns)
          `  export PINECONE_CONTROL_HOST=${url}\n` +
          `  export PINECONE_ASSISTANT_HOST=${url}\n` +
          `  export PINECONE_API_KEY=${sanitize(input.apiKey)}\n` +
          Option.match(input.rateLimits ?? Option.none(), {
            onNone: () => "",
            onSome: (plan) => `  enforcing the ${plan} plan's limits per minute (429 with Retry-After past them)\n`
          })
      )
      return yield* Effect.never
    }).pipe(
      Effect.provide(
        NodeEmulator.layer({
          port: input.port,
          host: input.host,
          apiKey: input.apiKey,
          seed: Option.getOrUndefined(input.seed),
          maxFileBytes: input.maxFileMb * 1024 * 1024,
          rateLimits: Option.getOrUndefined(input.rateLimits ?? Option.none())
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

/** @internal */
export const list = (
  input: Common & { assistant: string; json: boolean; status: Option.Option<string>; type: Option.Option<string> }
) =>
  Effect.gen(function*() {
    if (Option.isSome(input.status)) yield* warnUnknown("status", input.status.value, Operation.knownStatuses)
    if (Option.isSome(input.type)) yield* warnUnknown("type", input.type.value, Operation.knownOperationTypes)
    let count = 0
    yield* AssistantClient.listOperations({
      assistantName: input.assistant,
      status: Option.getOrUndefined(input.status),
      operationType: Option.getOrUndefined(input.type)
    }).pipe(
      Stream.runForEach((op) => {
        count++
        return write((input.json ? wireJson(op) : listLine(op)) + "\n")
      }),
      Effect.mapError(fail)
    )
    if (count === 0) {
      const which = [Option.getOrUndefined(input.status), Option.getOrUndefined(input.type)].filter((x) =>
        x !== undefined
      )
      yield* err(
        `No operation of ${sanitize(input.assistant)}${
          which.length > 0 ? ` matches ${which.map(sanitize).join(", ")}` : ""
        }.\n`
      )
    }
  }).pipe((effect) => withClient(input, effect))

/** @internal */
export const listLine = (op: Operation.Operation): string =>
  [
    sanitize(op.id).padEnd(24),
    sanitize(op.status).padEnd(11),
    sanitize(op.operationType).padEnd(21),
    Option.match(op.percentComplete, { onNone: () => "   -", onSome: (p) => `${String(p).padStart(3)}%` }),
    sanitize(Option.getOrElse(op.fileId, () => "-"))
  ].join(" ")

/** @internal */
export const watchAll = (input: Common & { assistant: string; json: boolean; timeout: Duration.Duration }) =>
  Effect.gen(function*() {
    const budget = input.timeout
    const tty = !input.json && (yield* isTerminal)
    const processing = yield* AssistantClient.listOperations({ assistantName: input.assistant, status: "Processing" })
      .pipe(Stream.runCollect, Effect.mapError(fail))
    const ids = Array.from(processing, (op) => op.id)
    if (ids.length === 0) {
      yield* err(`No operation of ${input.assistant} is processing.\n`)
      return
    }
    const start = yield* Clock.currentTimeMillis
    const printed = new Map<string, string>()
    // each operation's own time: from the start of the watch to the round that saw it end
    const ended = new Map<string, number>()
    const display = Display.make(tty)
    const summary = yield* OperationPoller.waitForOperations({
      assistantName: input.assistant,
      operationIds: ids,
      timeout: budget,
      onRound: (snapshots) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => {
          for (const op of snapshots) if (Operation.isTerminal(op) && !ended.has(op.id)) ended.set(op.id, now)
          if (tty) {
            return display.draw(snapshots.map((op) => ({
              key: op.id,
              text: `${sanitize(op.id).padEnd(24)} ${
                progressLine(op, Duration.millis((ended.get(op.id) ?? now) - start))
              }`,
              done: ended.has(op.id)
            })))
          }
          const changed = snapshots.filter((op) => {
            const key = `${op.status}/${Option.getOrElse(op.percentComplete, () => -1)}`
            if (printed.get(op.id) === key) return false
            printed.set(op.id, key)
            return true
          })
          return write(changed.map((op) => wireJson(op) + "\n").join(""))
        })
    }).pipe(Effect.mapError(fail))
    const parts = [`${summary.completed.length} completed`, `${summary.failed.length} failed`]
    if (summary.processing.length + summary.unseen.length > 0) {
      parts.push(`${summary.processing.length + summary.unseen.length} still processing`)
    }
    if (summary.notFound.length > 0) parts.push(`${summary.notFound.length} not found`)
    if (summary.malformed.length > 0) parts.push(`${summary.malformed.length} malformed`)
    if (summary.timedOut && Option.isSome(summary.lastError)) {
      const e = summary.lastError.value
      parts.push(`last error ${e._tag}: ${sanitize(e.message).slice(0, 200)}`)
    }
    yield* Effect.suspend(() => {
      const lines: Array<string> = []
      lines.push(`${parts.join(", ")}\n`)
      const pending = [...summary.processing.map((op) => op.id), ...summary.unseen]
      if (pending.length > 0) lines.push(`  still processing: ${pending.map(sanitize).join(", ")}\n`)
      for (const op of summary.failed) {
        lines.push(
          `  ${sanitize(op.id)} failed: ${sanitize(Option.getOrElse(op.errorMessage, () => "no error message"))}\n`
        )
      }
      return err(lines.join(""))
    })
    // the summary named each failure: the exit code says the rest
    if (summary.failed.length > 0) return yield* new CliExit({ code: ExitCode.OperationFailed, message: "" })
    if (summary.timedOut) {
      return yield* new CliExit({
        code: ExitCode.Timeout,
        message: "The wait timed out with operations still processing"
      })
    }
  }).pipe((effect) => withClient(input, effect))

/** @internal */
export const checkConcurrency = (n: number) =>
  Number.isInteger(n) && n >= 1 && n <= 256
    ? Effect.void
    : new CliExit({ code: ExitCode.Usage, message: `Invalid --concurrency ${n}: must be 1 to 256` })
