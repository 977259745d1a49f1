// InvalidRequestError, in a module of its own: the wire checks make it, and the models they validate
// (AssistantFile) must not depend on AssistantError at run time.
import * as Schema from "effect/Schema"

/**
 * The request was refused before anything was sent: an invalid path parameter or option.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequestError extends Schema.TaggedError<InvalidRequestError>()("InvalidRequestError", {
  /** The parameter or option refused (`fileId`, `metadata`, `apiKey`, ...). */
  parameter: Schema.String,
  /** Why, for a person. */
  reason: Schema.String
}) {
  /**
   * The error, for a person: what failed and why, in one line.
   *
   * @since 0.1.0
   */
  override get message(): string {
    return `Invalid ${this.parameter}: ${this.reason}`
  }
}
