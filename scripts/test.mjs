// `pnpm test`: typecheck, lint, run the core, node and e2e projects, then print the one-line tally that CI reads.
// `pnpm test:docs` (`--docs`): the API reference rendered in Debian's Chromium, with a tally of its own.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { tally } from "./tally.mjs"

const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: "inherit", shell: false })
  return result.status ?? 1
}

const docs = process.argv.includes("--docs")
const label = docs ? "docs" : "tests"
const report = docs ? ".vitest-docs-report.json" : ".vitest-report.json"
const steps = docs ? [] : [["pnpm", ["check"]], ["pnpm", ["lint"]]]
for (const [command, args] of steps) {
  const status = run(command, args)
  if (status !== 0) {
    console.error(`${command} ${args.join(" ")} failed with exit code ${status}`)
    console.log(`${label}: 0 passed, 1 failed`)
    process.exit(status)
  }
}

rmSync(report, { force: true })
const projects = (docs ? ["docs"] : ["core", "node", "e2e"]).flatMap((name) => ["--project", name])
const extra = process.argv.slice(2).filter((arg) => arg !== "--docs")
const status = run("pnpm", [
  "exec",
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${report}`,
  ...projects,
  ...extra
])
if (!existsSync(report)) {
  console.error("vitest wrote no JSON report")
  console.log(`${label}: 0 passed, 1 failed`)
  process.exit(status === 0 ? 1 : status)
}
const json = JSON.parse(readFileSync(report, "utf8"))
const { failed, passed, skipped, unhandled } = tally(json, status)
if (unhandled) console.error(`vitest exited ${status} with no failed test: unhandled errors`)
if (passed === 0) console.error("no test ran")
if (skipped > 0) console.error(`${skipped} tests were skipped or marked todo`)
console.log(`${label}: ${passed} passed, ${failed} failed`)
process.exit(status !== 0 || failed > 0 || passed === 0 || skipped > 0 ? 1 : 0)
