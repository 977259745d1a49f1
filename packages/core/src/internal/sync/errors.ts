// The sync's own errors (its calls fail with the client's).
import * as Schema from "effect/Schema"

/** @internal */
export class SetInUseError extends Schema.TaggedError<SetInUseError>(
  "@effect-pinecone/core/AssistantSync/SetInUseError"
)("SetInUseError", {
  set: Schema.String,
  folder: Schema.String,
  otherFolder: Schema.String
}) {
  override get message(): string {
    return `The set "${this.set}" holds files synced from ${this.otherFolder}, not ${this.folder}: a delete would remove them. Name the set (--set) to sync ${this.folder} into it anyway.`
  }
}
