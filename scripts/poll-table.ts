// Computes the README's polling table (requests sent and time to notice completion, default schedule
// versus fixed 2 s and 5 s loops) on the TestClock, and writes it between the README's markers.
import * as Effect from "effect/Effect"
import { readFileSync, writeFileSync } from "node:fs"
import { renderTable, simulate } from "../packages/core/test/pollSimulation.js"

const samples = 12
const table = await Effect.runPromise(simulate(samples))
const rendered = renderTable(table, samples)
console.log(rendered)
const readme = readFileSync("README.md", "utf8")
const start = "<!-- poll-table:start -->"
const end = "<!-- poll-table:end -->"
const from = readme.indexOf(start)
const to = readme.indexOf(end)
if (from < 0 || to < 0) throw new Error("README.md has no poll-table markers")
writeFileSync("README.md", `${readme.slice(0, from + start.length)}\n${rendered}\n${readme.slice(to)}`)
