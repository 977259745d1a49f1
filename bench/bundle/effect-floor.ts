// The floor: Effect, @effect/platform's FetchHttpClient and a three-field Schema class, with a retry and a
// timeout, and nothing of effect-pinecone. What any Effect program that does this job starts from.
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

class Snapshot extends Schema.Class<Snapshot>("Snapshot")({
  id: Schema.String,
  createdOn: Schema.DateTimeUtc,
  percent: Schema.optionalWith(Schema.Int, { as: "Option", nullable: true })
}) {}

const program = Effect.flatMap(
  HttpClient.HttpClient,
  (client) =>
    Effect.flatMap(
      client.get("https://prod-1-data.ke.pinecone.io"),
      (r) => Effect.flatMap(r.json, Schema.decodeUnknown(Snapshot))
    )
).pipe(
  Effect.retry({ times: 3 }),
  Effect.timeout("30 seconds")
)

Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer))).then(console.log, console.error)
