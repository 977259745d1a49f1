// Waits on an assistant: until Ready (or gone, after a delete), and create-then-wait.
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Schedule from "effect/Schedule"
import * as Assistant from "../../Assistant.js"
import { AssistantClient } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import type * as OperationPoller from "../../OperationPoller.js"
import { defaultSchedule, defaultTimeout } from "./defaults.js"
import * as Loop from "./loop.js"

// A deleted assistant has no snapshot: the wait's loop is given this marker for the 404 it waits for.
const gone = Symbol.for("@effect-pinecone/core/OperationPoller/gone")

/** @internal */
export const waitForAssistant = <R = never>(
  options: OperationPoller.AssistantWaitOptions<R>
): Effect.Effect<any, AssistantError.WaitForAssistantError, AssistantClient | R> => {
  const deleted = options.until === "Deleted"
  type Snapshot = Assistant.Assistant | typeof gone
  const schedule = (options.schedule ?? defaultSchedule) as Schedule.Schedule<unknown, Snapshot, R>
  return Loop.pollUntil<Snapshot, Assistant.Assistant | void, AssistantError.AssistantFailedError, R>({
    spanName: "OperationPoller.waitForAssistant",
    spanAttributes: {
      "pinecone.assistant.name": String(options.assistantName),
      "pinecone.assistant.status": "unknown",
      "pinecone.poll.count": 0
    },
    fetch: (client) => {
      const describe = client.describeAssistant({ assistantName: options.assistantName })
      return deleted
        ? Effect.catchTag(describe, "NotFoundError", () => Effect.succeed(gone))
        : describe
    },
    isTerminal: (a) => a === gone || (deleted ? false : Assistant.isReady(a) || Assistant.isFailed(a)),
    finish: (a) =>
      a === gone
        ? Effect.void
        : Assistant.isFailed(a)
        ? Effect.fail(new AssistantError.AssistantFailedError({ assistant: a }))
        : Effect.succeed(a),
    statusAttribute: "pinecone.assistant.status",
    status: (a) => a === gone ? "Deleted" : a.status,
    schedule,
    timeout: options.timeout ?? defaultTimeout,
    lastPollTimeout: options.lastPollTimeout ?? "30 seconds",
    onRetry: options.onRetry,
    onSnapshot: options.onSnapshot === undefined
      ? undefined
      : (a) => a === gone ? Effect.void : options.onSnapshot!(a),
    timedOut: (wait) =>
      new AssistantError.WaitTimeoutError({
        target: new AssistantError.WaitedAssistant({
          assistantName: options.assistantName,
          last: Option.filter(wait.last, (a): a is Assistant.Assistant => a !== gone)
        }),
        lastError: wait.lastError,
        elapsed: wait.elapsed,
        polls: wait.polls
      })
  })
}

/** @internal */
export const createAssistantAndWait = <R = never>(
  options: OperationPoller.CreateAndWaitOptions<R>
): Effect.Effect<Assistant.Assistant, AssistantError.WaitForAssistantError, AssistantClient | R> => {
  const { assistantName, instructions, lastPollTimeout, metadata, onRetry, onSnapshot, region, schedule, timeout } =
    options
  return Effect.flatMap(
    AssistantClient,
    (client) => client.createAssistant({ assistantName, instructions, metadata, region })
  )
    .pipe(
      Effect.flatMap((created) =>
        Assistant.isReady(created)
          ? Effect.succeed(created)
          : waitForAssistant<R>({ assistantName, timeout, schedule, lastPollTimeout, onRetry, onSnapshot })
      ),
      Effect.withSpan("OperationPoller.createAssistantAndWait", {
        captureStackTrace: false,
        attributes: { "pinecone.assistant.name": String(assistantName) }
      })
    )
}
