// `pnpm test`: typecheck, lint, run every vitest project, then print the one-line tally that CI reads.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit", shell: false })
  return result.status ?? 1
}

const report = ".vitest-report.json"
const steps = [["pnpm", ["check"]], ["pnpm", ["lint"]]]
for (const [command, args] of steps) {
  const status = run(command, args)
  if (status !== 0) {
    console.error(`${command} ${args.join(" ")} failed with exit code ${status}`)
    console.log("tests: 0 passed, 1 failed")
    process.exit(status)
  }
}

rmSync(report, { force: true })
const extra = process.argv.slice(2)
const status = run("pnpm", [
  "exec",
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...extra
])
if (!existsSync(report)) {
  console.error("vitest wrote no JSON report")
  console.log("tests: 0 passed, 1 failed")
  process.exit(status === 0 ? 1 : status)
}
const json = JSON.parse(readFileSync(report, "utf8"))
const passed = json.numPassedTests
// vitest exits non-zero for unhandled errors too (a worker that timed out its RPC, an error thrown
// outside any test), which the report counts nowhere: each run that failed so counts as one failure,
// so that the closing line never says "0 failed" on a failing run.
const counted = json.numFailedTests + (json.numRuntimeErrorTestSuites ?? 0) + json.numFailedTestSuites
const failed = status !== 0 && counted === 0 ? 1 : counted
if (status !== 0 && counted === 0) console.error(`vitest exited ${status} with no failed test: unhandled errors`)
const skipped = json.numPendingTests + json.numTodoTests
if (passed === 0) console.error("no test ran")
if (skipped > 0) console.error(`${skipped} tests were skipped or marked todo`)
console.log(`tests: ${passed} passed, ${failed} failed`)
process.exit(status !== 0 || failed > 0 || passed === 0 || skipped > 0 ? 1 : 0)
