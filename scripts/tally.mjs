// The closing tally of a vitest JSON report: each failure counted once. A file whose tests failed is
// counted by its tests; a file that failed with no failed test of its own (it did not load, say) counts
// as one; and vitest exiting non-zero with nothing counted (an unhandled error: a worker that timed out
// its RPC, an error thrown outside any test) counts as one, so that the line never says "0 failed" on a
// failing run.
export const tally = (json, status) => {
  const brokenFiles =
    (json.testResults ?? []).filter((file) =>
      file.status === "failed" && !(file.assertionResults ?? []).some((test) => test.status === "failed")
    ).length
  const counted = json.numFailedTests + brokenFiles
  return {
    passed: json.numPassedTests,
    failed: status !== 0 && counted === 0 ? 1 : counted,
    unhandled: status !== 0 && counted === 0,
    skipped: json.numPendingTests + json.numTodoTests
  }
}
