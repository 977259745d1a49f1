import { assert, describe, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { decodeOperation } from "../src/internal/operationFastPath.js"
import * as Operation from "../src/Operation.js"

const decode = Schema.decodeUnknownEither(Operation.Operation)
const equivalence = Schema.equivalence(Operation.Operation)
const toWire = (op: Operation.Operation): Record<string, unknown> => JSON.parse(JSON.stringify(Operation.encode(op)))

const wireKeys = [
  "id",
  "operation_type",
  "file_id",
  "status",
  "created_on",
  "completed_on",
  "percent_complete",
  "error_message",
  "ingestion_units",
  "extra"
] as const

// Values a server could put in any field: the JSON types, edge numbers, and strings that are or are
// almost dates.
const anyWireValue = FastCheck.oneof(
  FastCheck.constant(null),
  FastCheck.jsonValue({ maxDepth: 2 }),
  FastCheck.string(),
  FastCheck.double({ noNaN: true, noDefaultInfinity: true }),
  FastCheck.integer({ min: -5, max: 105 }),
  FastCheck.constantFrom(
    "2026-04-01",
    "2026-04-01T00:00:00",
    "2026-04-01T00:00:00+02:00",
    "2026-02-30T00:00:00Z",
    "2026-13-01T00:00:00Z",
    "not a date",
    "",
    "0",
    "1e3",
    "Processing",
    0.5,
    100.0000001,
    Number.MAX_SAFE_INTEGER + 2
  )
)

// A valid wire value with some fields removed (None) or replaced by anything.
const mutatedWire = FastCheck.tuple(
  Arbitrary.make(Operation.Operation),
  FastCheck.dictionary(FastCheck.constantFrom(...wireKeys), FastCheck.option(anyWireValue, { nil: undefined }))
).map(([op, changes]) => {
  const wire = toWire(op)
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete wire[key]
    else wire[key] = value
  }
  return JSON.parse(JSON.stringify(wire)) as unknown
})

describe("the Operation decoding fast path", () => {
  it.prop("takes every valid wire value, with the Schema's result", [Arbitrary.make(Operation.Operation)], ([op]) => {
    const wire = toWire(op)
    const fast = decodeOperation(wire)
    const slow = decode(wire)
    assert.isTrue(fast instanceof Operation.Operation)
    assert.isTrue(Either.isRight(slow))
    if (fast === undefined || Either.isLeft(slow)) return
    assert.isTrue(equivalence(fast, slow.right))
    assert.deepStrictEqual(Operation.encode(fast), Operation.encode(slow.right))
  }, { fastCheck: { numRuns: 1_000 } })

  it.prop("on any value, leaves it to the Schema or agrees with it", [mutatedWire], ([wire]) => {
    const fast = decodeOperation(wire)
    if (fast === undefined) return
    const slow = decode(wire)
    assert.isTrue(Either.isRight(slow), `the fast path took what the Schema refuses: ${JSON.stringify(wire)}`)
    if (Either.isRight(slow)) {
      assert.isTrue(equivalence(fast, slow.right), JSON.stringify(wire))
      assert.deepStrictEqual(Operation.encode(fast), Operation.encode(slow.right))
    }
  }, { fastCheck: { numRuns: 5_000 } })

  it("leaves every non-object, and every object the Schema refuses, to the Schema", () => {
    for (const value of [null, [], "op", 1, true, [{ id: "op-1" }]]) assert.isUndefined(decodeOperation(value))
    const base = { id: "op-1", operation_type: "upload_file", status: "Processing", created_on: "2026-04-01T00:00:00Z" }
    assert.isTrue(decodeOperation(base) instanceof Operation.Operation)
    for (
      const change of [
        { id: 1 },
        { status: null },
        { created_on: "not a date" },
        { created_on: undefined },
        { percent_complete: 101 },
        { percent_complete: 1.5 },
        { completed_on: 5 },
        { ingestion_units: "3" }
      ]
    ) {
      const wire = { ...base, ...change }
      assert.isUndefined(decodeOperation(wire), JSON.stringify(change))
      assert.isTrue(Either.isLeft(decode(wire)), JSON.stringify(change))
    }
  })
})
