import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { simulate } from "./pollSimulation.js"

describe("the README's polling table", () => {
  it.effect(
    "the default schedule sends fewer requests than a 2 s loop from 30 s on, and notices sooner than a 5 s loop under 5 s",
    () =>
      Effect.gen(function*() {
        const table = yield* simulate(2, "poll-table-test")
        for (const row of ["30 s", "2 min", "10 min"]) {
          assert.isBelow(table[row]!["default"]!.requests, table[row]!["fixed 2 s"]!.requests, row)
        }
        for (const row of ["1 s", "5 s"]) {
          assert.isBelow(table[row]!["default"]!.noticeDelayMs, table[row]!["fixed 5 s"]!.noticeDelayMs, row)
        }
        // the default never notices later than its 10 s cap
        for (const cells of Object.values(table)) assert.isAtMost(cells["default"]!.noticeDelayMs, 10_000)
      }),
    60_000
  )
})
