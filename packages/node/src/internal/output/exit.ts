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
  /** A bug: a defect, shown in full (sysexits EX_SOFTWARE). */
  Internal: 70,
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

// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * Text from a server or a user, made safe for one line of a terminal: whitespace runs (newlines
 * included) collapse to one space, and every other control character (ESC, BEL, ...) is shown as an
 * escape instead of acting on the terminal.
 * @internal
 */
export const sanitize = (text: string): string =>
  text.replace(/\s+/g, " ").trim().replace(
    controls,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`
  )

/**
 * `text` within `width` columns, shortened from the left (`…` and its end): a long path keeps the file's name,
 * and what follows it on the line stays on screen.
 * @internal
 */
export const keepEnd = (text: string, width: number): string =>
  text.length > width ? `…${text.slice(text.length - width + 1)}` : text
