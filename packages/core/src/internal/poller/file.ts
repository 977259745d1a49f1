// A wait on a file by id: until Available, or ProcessingFailed with the message of its operation.
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as AssistantClientModule from "../../AssistantClient.js"
import { AssistantClient } from "../../AssistantClient.js"
import * as AssistantError from "../../AssistantError.js"
import type * as AssistantFile from "../../AssistantFile.js"
import type * as Operation from "../../Operation.js"
import type * as OperationPoller from "../../OperationPoller.js"
import { paginate } from "../client/paginate.js"
import * as Coordinator from "./coordinator.js"
import { defaultSchedule, defaultTimeout } from "./defaults.js"
import * as Loop from "./loop.js"

// The server's message for a failed file is its operation's: the newest failed operation of the
// file among the first pages of the assistant's failed operations (best effort).
const failureOf = (client: AssistantClientModule.Service, assistantName: string, fileId: string) =>
  paginate((token) =>
    Effect.map(
      client.listOperationsPage({ assistantName, status: "Failed", limit: 100, paginationToken: token }),
      (page) => [page.operations, page.next] as const
    )
  ).pipe(
    Stream.take(1000),
    Stream.filter((op) => Option.contains(op.fileId, fileId)),
    Stream.runHead,
    Effect.orElseSucceed(() => Option.none<Operation.Operation>())
  )

/** @internal */
export const waitForFile = <R = never>(
  options: OperationPoller.FileWaitOptions<R>
): Effect.Effect<AssistantFile.AssistantFile, AssistantError.WaitForFileError, AssistantClient | R> =>
  Loop.pollUntil<AssistantFile.AssistantFile, AssistantFile.AssistantFile, AssistantError.FileProcessingFailedError, R>(
    {
      spanName: "OperationPoller.waitForFile",
      spanAttributes: {
        "pinecone.assistant.name": String(options.assistantName),
        "pinecone.file.id": String(options.fileId),
        "pinecone.file.status": "unknown",
        "pinecone.poll.count": 0
      },
      fetch: (client) => client.describeFile({ assistantName: options.assistantName, fileId: options.fileId }),
      coordinated: options.coordinate === false
        ? undefined
        : { resource: Coordinator.files, assistantName: options.assistantName, id: options.fileId },
      isTerminal: (file) =>
        Option.contains(file.status, "Available") || Option.contains(file.status, "ProcessingFailed"),
      finish: (file, client) =>
        Option.contains(file.status, "ProcessingFailed")
          ? Effect.flatMap(failureOf(client, options.assistantName, file.id), (op) =>
            Effect.fail(
              new AssistantError.FileProcessingFailedError({
                fileId: file.id,
                fileName: file.name,
                errorMessage: Option.flatMap(op, (o) => o.errorMessage),
                operationId: Option.map(op, (o) => o.id)
              })
            ))
          : Effect.succeed(file),
      statusAttribute: "pinecone.file.status",
      status: (file) => Option.getOrElse(file.status, () => "unknown"),
      schedule: options.schedule ?? defaultSchedule,
      timeout: options.timeout ?? defaultTimeout,
      lastPollTimeout: options.lastPollTimeout ?? "30 seconds",
      onRetry: options.onRetry,
      onSnapshot: options.onSnapshot,
      notFoundGrace: options.notFoundGrace,
      timedOut: (wait) =>
        new AssistantError.WaitTimeoutError({
          target: new AssistantError.WaitedFile({ fileId: options.fileId, last: wait.last }),
          lastError: wait.lastError,
          elapsed: wait.elapsed,
          polls: wait.polls
        })
    }
  )
