import type * as AssistantError from "@effect-pinecone/core/AssistantError"
import * as Schema from "effect/Schema"

/** @internal */
export const ExitCode = {
  Ok: 0,
  OperationFailed: 1,
  Usage: 2,
  ApiError: 3,
  Timeout: 4,
  Transport: 5,
  Interrupted: 130
} as const

/** @internal */
export class CliExit extends Schema.TaggedError<CliExit>()("CliExit", {
  code: Schema.Int,
  message: Schema.String
}) {}

/** @internal */
export const exitCodeOf = (error: AssistantError.WaitForOperationError): number => {
  switch (error._tag) {
    case "OperationFailedError":
      return ExitCode.OperationFailed
    case "WaitTimeoutError":
      return ExitCode.Timeout
    case "InvalidRequestError":
      return ExitCode.Usage
    case "TransportError":
    case "MalformedResponseError":
      return ExitCode.Transport
    default:
      return ExitCode.ApiError
  }
}
