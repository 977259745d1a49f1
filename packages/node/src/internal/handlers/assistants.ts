// The `pinecone-assistant assistants` handlers: create (and wait until Ready), list, describe, update,
// delete (and wait until gone), with a live line on a terminal and NDJSON off one.
import * as Assistant from "@effect-pinecone/core/Assistant"
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import type * as AssistantError from "@effect-pinecone/core/AssistantError"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as Display from "../output/display.js"
import { CliExit, ExitCode, exitCodeOf, sanitize } from "../output/exit.js"
import { err, isTerminal } from "../output/print.js"
import { parseMetadata } from "./files.js"
import { type Common, warnUnknown, withClient, write } from "./operations.js"

// The assistants commands use the control plane alone: a data-plane host (--host, or
// PINECONE_ASSISTANT_HOST set for the files commands) is neither used nor validated.
const controlPlane = <C extends Common>(input: C): C => ({ ...input, host: Option.none() })

const usage = (message: string) => new CliExit({ code: ExitCode.Usage, message })

const encode = Schema.encodeSync(Assistant.Assistant)

const failWith = (error: AssistantError.WaitForAssistantError | AssistantError.CallError) =>
  new CliExit({
    code: error._tag === "AssistantFailedError" ? ExitCode.OperationFailed : exitCodeOf(error),
    message: `${error._tag}: ${sanitize(error.message)}`
  })

const checkName = (name: string) => {
  const problem = Assistant.nameProblem(name)
  return problem === undefined ? Effect.void : usage(`Invalid assistant name '${sanitize(name)}': ${problem}`)
}

/** A readable summary of an assistant. @internal */
export const formatAssistant = (a: Assistant.Assistant): string => {
  const lines = [
    `assistant     ${sanitize(a.name)}`,
    `status        ${sanitize(a.status)}`,
    `host          ${sanitize(Option.getOrElse(a.host, () => "-"))}`,
    `region        ${sanitize(Option.getOrElse(a.region, () => "-"))}`,
    `created       ${Option.match(a.createdAt, { onNone: () => "-", onSome: DateTime.formatIso })}`,
    `updated       ${Option.match(a.updatedAt, { onNone: () => "-", onSome: DateTime.formatIso })}`,
    `instructions  ${Option.match(a.instructions, { onNone: () => "-", onSome: sanitize })}`,
    `metadata      ${Option.match(a.metadata, { onNone: () => "-", onSome: (m) => sanitize(JSON.stringify(m)) })}`
  ]
  return lines.join("\n")
}

/** One line of `assistants list`. @internal */
export const assistantLine = (a: Assistant.Assistant): string =>
  [
    sanitize(a.name).padEnd(32),
    sanitize(a.status).padEnd(20),
    sanitize(Option.getOrElse(a.region, () => "-")).padEnd(6),
    sanitize(Option.getOrElse(a.host, () => "-"))
  ].join(" ")

/**
 * Waits on an assistant (until Ready, or gone), showing one live line on a terminal (its status
 * and the time so far) or an NDJSON event per change off one.
 */
const follow = (
  input: {
    readonly name: string
    /** The status already shown (the create's answer): not shown again. */
    readonly shown?: string | undefined
    readonly until: "Ready" | "Deleted"
    readonly budget: Duration.Duration
    readonly tty: boolean
  }
) =>
  Effect.gen(function*() {
    const start = yield* Clock.currentTimeMillis
    const display = Display.make(input.tty)
    let status = input.until === "Ready" ? "Initializing" : "Terminating"
    let last: string | undefined = input.shown
    const line = (now: number) =>
      `${sanitize(input.name).padEnd(32)} ${sanitize(status).padEnd(20)} ${((now - start) / 1000).toFixed(1)}s`
    const redraw = Effect.flatMap(Clock.currentTimeMillis, (now) => display.draw([line(now)]))
    const onSnapshot = (a: Assistant.Assistant) => {
      status = a.status
      if (input.tty || last === a.status) return Effect.void
      last = a.status
      return write(JSON.stringify({ event: "assistant", assistant: encode(a) }) + "\n")
    }
    const wait = input.until === "Ready"
      ? Effect.asVoid(
        OperationPoller.waitForAssistant({ assistantName: input.name, timeout: input.budget, onSnapshot })
      )
      : OperationPoller.waitForAssistant({
        assistantName: input.name,
        until: "Deleted",
        timeout: input.budget,
        onSnapshot
      })
    const outcome = yield* Display.live(
      input.tty,
      redraw,
      Effect.tap(Effect.either(wait), (outcome) => {
        if (outcome._tag === "Right") status = input.until
      })
    )
    if (!input.tty && outcome._tag === "Right" && input.until === "Deleted") {
      yield* write(JSON.stringify({ event: "deleted", assistantName: input.name }) + "\n")
    }
    if (outcome._tag === "Left") return yield* failWith(outcome.left)
  })

const isTty = (json: boolean) => Effect.map(isTerminal, (tty) => !json && tty)

/** @internal */
export const create = (
  input: Common & {
    json: boolean
    name: string
    instructions: Option.Option<string>
    metadata: Option.Option<string>
    region: Option.Option<string>
    wait: boolean
    timeout: Duration.Duration
  }
) =>
  Effect.gen(function*() {
    yield* checkName(input.name)
    const budget = input.timeout
    const metadata = yield* parseMetadata(input.metadata)
    if (Option.isSome(input.region)) yield* warnUnknown("region", input.region.value, ["us", "eu"])
    const tty = yield* isTty(input.json)
    yield* withClient(
      controlPlane(input),
      Effect.gen(function*() {
        const created = yield* AssistantClient.createAssistant({
          assistantName: input.name,
          instructions: Option.getOrUndefined(input.instructions),
          metadata,
          region: Option.getOrUndefined(input.region)
        }).pipe(Effect.mapError(failWith))
        if (!tty) yield* write(JSON.stringify({ event: "created", assistant: encode(created) }) + "\n")
        if (input.wait && !Assistant.isReady(created)) {
          yield* follow({ name: input.name, shown: created.status, until: "Ready", budget, tty })
        } else if (tty) {
          yield* write(`${assistantLine(created)}\n`)
        }
        if (tty && !input.wait) {
          yield* err(`Created ${sanitize(input.name)}; it is ready when its status is Ready (--wait waits for it).\n`)
        }
      })
    )
  })

/** @internal */
export const list = (input: Common & { json: boolean }) =>
  withClient(
    controlPlane(input),
    Effect.gen(function*() {
      let count = 0
      yield* AssistantClient.listAssistants().pipe(
        Stream.runForEach((a) => {
          count++
          return write((input.json ? JSON.stringify(encode(a)) : assistantLine(a)) + "\n")
        }),
        Effect.mapError(failWith)
      )
      if (count === 0) yield* err("No assistant in this project.\n")
    })
  )

/** @internal */
export const describe = (input: Common & { json: boolean; name: string }) =>
  Effect.zipRight(
    checkName(input.name),
    withClient(
      controlPlane(input),
      AssistantClient.describeAssistant({ assistantName: input.name }).pipe(
        Effect.mapError(failWith),
        Effect.flatMap((a) => write((input.json ? JSON.stringify(encode(a)) : formatAssistant(a)) + "\n"))
      )
    )
  )

/** @internal */
export const update = (
  input: Common & { json: boolean; name: string; instructions: Option.Option<string>; metadata: Option.Option<string> }
) =>
  Effect.gen(function*() {
    yield* checkName(input.name)
    const metadata = yield* parseMetadata(input.metadata)
    if (Option.isNone(input.instructions) && metadata === undefined) {
      return yield* usage("Nothing to update: give --instructions, --metadata or both")
    }
    const updated = yield* withClient(
      controlPlane(input),
      AssistantClient.updateAssistant({
        assistantName: input.name,
        instructions: Option.getOrUndefined(input.instructions),
        metadata
      }).pipe(Effect.mapError(failWith))
    )
    yield* write(
      input.json
        ? JSON.stringify(Schema.encodeSync(Assistant.UpdateAssistantResponse)(updated)) + "\n"
        : `updated ${sanitize(input.name)}: instructions ${
          Option.match(updated.instructions, { onNone: () => "-", onSome: sanitize })
        }; metadata ${
          Option.match(updated.metadata, { onNone: () => "-", onSome: (m) => sanitize(JSON.stringify(m)) })
        }\n`
    )
  })

/** @internal */
export const remove = (input: Common & { json: boolean; name: string; wait: boolean; timeout: Duration.Duration }) =>
  Effect.gen(function*() {
    yield* checkName(input.name)
    const budget = input.timeout
    const tty = yield* isTty(input.json)
    yield* withClient(
      controlPlane(input),
      Effect.gen(function*() {
        yield* AssistantClient.deleteAssistant({ assistantName: input.name }).pipe(Effect.mapError(failWith))
        if (!tty) yield* write(JSON.stringify({ event: "deleting", assistantName: input.name }) + "\n")
        if (input.wait) yield* follow({ name: input.name, until: "Deleted", budget, tty })
        else if (tty) yield* write(`${sanitize(input.name)} is Terminating (--wait waits until it is gone)\n`)
      })
    )
  })
