// The closing line of pnpm test counts each failure once (a failed test's file is not a second one).
import { assert, it } from "@effect/vitest"
// @ts-expect-error: a plain .mjs script of the repository, without declarations
import { tally } from "../scripts/tally.mjs"

const file = (status: string, tests: ReadonlyArray<string>) => ({
  status,
  assertionResults: tests.map((s) => ({ status: s }))
})

it("one failed test is one failure; a file that did not load is one; an unhandled error is one", () => {
  const oneFailed = {
    numPassedTests: 226,
    numFailedTests: 1,
    numPendingTests: 0,
    numTodoTests: 0,
    testResults: [file("passed", ["passed"]), file("failed", ["passed", "failed"])]
  }
  assert.deepInclude(tally(oneFailed, 1), { passed: 226, failed: 1 })
  const broken = { ...oneFailed, numFailedTests: 0, testResults: [file("failed", [])] }
  assert.deepInclude(tally(broken, 1), { failed: 1 })
  const unhandled = { ...oneFailed, numFailedTests: 0, testResults: [file("passed", ["passed"])] }
  assert.deepInclude(tally(unhandled, 1), { failed: 1, unhandled: true })
  assert.deepInclude(tally(unhandled, 0), { failed: 0, unhandled: false })
})
