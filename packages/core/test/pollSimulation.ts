import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import * as AssistantClientTest from "../src/AssistantClientTest.js"
import * as Operation from "../src/Operation.js"
import * as OperationPoller from "../src/OperationPoller.js"

/** The simulated operation lengths of the README's table. */
export const rows = [
  { label: "1 s", duration: Duration.seconds(1) },
  { label: "5 s", duration: Duration.seconds(5) },
  { label: "30 s", duration: Duration.seconds(30) },
  { label: "2 min", duration: Duration.minutes(2) },
  { label: "10 min", duration: Duration.minutes(10) }
] as const

export const policies = {
  default: OperationPoller.defaultSchedule,
  "fixed 2 s": Schedule.spaced("2 seconds"),
  "fixed 5 s": Schedule.spaced("5 seconds")
} as const

export type PolicyName = keyof typeof policies

export interface Cell {
  readonly requests: number
  readonly noticeDelayMs: number
}

const wire = (id: string, done: boolean) =>
  Schema.decodeUnknownSync(Operation.Operation)({
    id,
    operation_type: "upload_file",
    status: done ? "Completed" : "Processing",
    created_on: "2026-04-01T00:00:00.000Z"
  })

/**
 * For each row and policy: `samples` operations whose completion time is drawn uniformly within
 * +-10% of the row's length (seeded), each waited on from t = 0 on the TestClock. Reports the mean
 * number of describe requests and the mean delay between the server's completion and the poll that
 * saw it.
 */
export const simulate = (samples: number, seed = "poll-table") =>
  Effect.gen(function*() {
    const completion = new Map<string, number>()
    const requests = new Map<string, number>()
    const noticed = new Map<string, number>()
    const layer = AssistantClientTest.layerTest(({ operationId }) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        requests.set(operationId, (requests.get(operationId) ?? 0) + 1)
        const done = now >= completion.get(operationId)!
        if (done && !noticed.has(operationId)) noticed.set(operationId, now)
        return wire(operationId, done)
      })
    )
    const fibers: Array<Fiber.RuntimeFiber<unknown, unknown>> = []
    for (const row of rows) {
      for (let s = 0; s < samples; s++) {
        const at = Duration.toMillis(row.duration) * (0.9 + 0.2 * (yield* Random.next))
        for (const name of Object.keys(policies) as Array<PolicyName>) {
          const id = `${row.label}|${name}|${s}`
          completion.set(id, at)
          fibers.push(
            yield* OperationPoller.waitForOperation({
              assistantName: "sim",
              operationId: id,
              schedule: policies[name],
              timeout: "1 hour",
              // the table is the cost of one wait's policy, alone
              coordinate: false
            }).pipe(Effect.provide(layer), Effect.fork)
          )
        }
      }
    }
    yield* TestClock.adjust("20 minutes")
    yield* Fiber.joinAll(fibers)
    const table: Record<string, Record<string, Cell>> = {}
    for (const row of rows) {
      table[row.label] = {}
      for (const name of Object.keys(policies) as Array<PolicyName>) {
        let r = 0
        let d = 0
        for (let s = 0; s < samples; s++) {
          const id = `${row.label}|${name}|${s}`
          r += requests.get(id)!
          d += noticed.get(id)! - completion.get(id)!
        }
        table[row.label]![name] = { requests: r / samples, noticeDelayMs: d / samples }
      }
    }
    return table
  }).pipe(Effect.withRandom(Random.make(seed)), Effect.provide(TestContext.TestContext))

export const renderTable = (table: Record<string, Record<string, Cell>>, samples: number): string => {
  const names = Object.keys(policies) as Array<PolicyName>
  const header = `| operation finishes after | ${names.map((n) => `${n}: requests`).join(" | ")} | ${
    names.map((n) => `${n}: noticed after`).join(" | ")
  } |`
  const rule = `|${" --- |".repeat(1 + names.length * 2)}`
  const lines = rows.map((row) => {
    const cells = table[row.label]!
    return `| ${row.label} | ${names.map((n) => cells[n]!.requests.toFixed(1)).join(" | ")} | ${
      names.map((n) => `${(cells[n]!.noticeDelayMs / 1000).toFixed(2)} s`).join(" | ")
    } |`
  })
  return [
    header,
    rule,
    ...lines,
    "",
    `Mean of ${samples} simulated operations per row (completion uniform within ±10% of the row's length), each waited on from its start on the TestClock; "noticed after" is the time between the server's completion and the poll that saw it.`
  ].join("\n")
}
