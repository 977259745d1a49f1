// `pnpm test:faults`: the full fault matrix, the 10,000-body fuzz run and the security checks; then
// the summary table, printed. With `--write` (`pnpm test:faults --write`), RELIABILITY.md is written from
// this run's own results too: a test run leaves the work tree as it found it.
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"

for (const file of [".faults-report.json", ".fuzz-report.json"]) rmSync(file, { force: true })
const started = Date.now()
const vitest = spawnSync("pnpm", ["exec", "vitest", "run", "test/faults"], {
  stdio: "inherit",
  env: { ...process.env, FAULTS_FULL: "1" }
})
const seconds = ((Date.now() - started) / 1000).toFixed(0)
if (!existsSync(".faults-report.json") || !existsSync(".fuzz-report.json")) {
  console.error("the fault suite wrote no report")
  process.exit(vitest.status || 1)
}
const { rows } = JSON.parse(readFileSync(".faults-report.json", "utf8"))
const fuzz = JSON.parse(readFileSync(".fuzz-report.json", "utf8"))
const asExpected = rows.filter((r) => r.outcome === r.expected && r.elapsedMs <= r.maxElapsedMs).length
const leaks = rows.reduce((n, r) => n + r.fibersLeft + (r.socketsLeft ? 1 : 0), 0)
const keyLeaks = rows.reduce((n, r) => n + r.keyLeaks, 0)
const maxElapsed = Math.max(...rows.map((r) => r.elapsedMs))

const summary = [
  "| rows run | outcomes as expected | max elapsed (client clock) | leaks found (fibers, sockets) | API key leaks | fuzz cases | defects |",
  "| --- | --- | --- | --- | --- | --- | --- |",
  `| ${rows.length} | ${asExpected} | ${
    (maxElapsed / 1000).toFixed(1)
  } s | ${leaks} | ${keyLeaks} | ${fuzz.cases} | ${fuzz.defects} |`
].join("\n")

const detail = [
  "| fault | call | expected | outcome | elapsed | bound |",
  "| --- | --- | --- | --- | --- | --- |",
  ...rows.map((r) =>
    `| ${r.row} | ${r.api} | ${r.expected} | ${r.outcome} | ${(r.elapsedMs / 1000).toFixed(2)} s | ${
      (r.maxElapsedMs / 1000).toFixed(1)
    } s |`
  )
].join("\n")

console.log(`\n${summary}\n`)
const write = process.argv.includes("--write")
if (!write) console.log("RELIABILITY.md left as it is (pnpm test:faults --write writes it from this run)")
if (write) {
  writeFileSync(
    "RELIABILITY.md",
    `# Reliability

Written by \`pnpm test:faults --write\` from its own results (this run took ${seconds} s of wall time). Do not edit by hand.

Each row runs against a real \`node:http\` server on 127.0.0.1 that misbehaves on purpose, through the Node (undici)
client with a 2 s request timeout, the default retry policy and, for waits, a 10 s budget with a 2 s last-poll
allowance. Elapsed times are on the client's clock (the TestClock, moved forward while real socket I/O happens), so
they are the library's own timing decisions, not this machine's speed. After each row: no fiber of the library still
running, no socket left open on the server, and the recognisable API key found in none of \`String(error)\`,
\`JSON.stringify(error)\`, \`Cause.pretty\`, Debug-level logs or the OpenTelemetry spans. The fuzz run decodes
${fuzz.cases} generated and mutated bodies (random JSON, spec examples with fields removed, retyped, nulled,
duplicated, made huge or nested thousands deep): ${fuzz.operations} decoded to an Operation, ${fuzz.malformed} to
a MalformedResponseError, ${fuzz.defects} defects.

## Summary

${summary}

## Rows

${detail}

## Found and fixed

- A \`Retry-After\` of a billion seconds (or an HTTP date in year 9999) made a call sleep for decades, and past
  2^31-1 ms Effect's timer never fires: now a \`Retry-After\` over \`maxRetryAfter\` (default 60 s), or past a wait's
  deadline, ends the call at once with its typed error (\`retryAfter\` kept), and no delay of the library passes the
  timer maximum (rows "429 with Retry-After: 1000000000", "503 with Retry-After as a date in year 9999";
  \`packages/core/test/hardening.test.ts\`).
- A gzip body decoded by fetch was held to the cap on its encoded length: 64 KiB on the wire, 64 MiB accepted. A body
  with a \`Content-Encoding\` is now read as a stream and capped on its decoded bytes (row "gzip body").
- A \`__proto__\` key in \`ErrorResponse.details\` became the prototype of \`details\`: details are kept as
  \`JSON.parse\` built them (row "ErrorResponse whose details carry a __proto__ key").
- A TLS failure or a name that does not resolve was retried like any transport error, and a wait against a mistyped
  host showed nothing for its whole budget: both are now \`TransportError\` \`Tls\`/\`Dns\`, not transient, and end a
  wait at once (row "TLS handshake fails").
- A body nested tens of thousands of arrays deep made decoding overflow the stack while the schema issue was being
  rendered: a defect instead of a \`MalformedResponseError\`. Decoding now refuses a non-object body at once and turns
  any failure to render into a \`MalformedResponseError\` (regression test in \`packages/core/test/AssistantClient.test.ts\`).
`
  )
}
const ok = vitest.status === 0 && asExpected === rows.length && leaks === 0 && keyLeaks === 0 && fuzz.defects === 0
console.log(`faults: ${ok ? rows.length + 1 : asExpected} passed, ${ok ? 0 : rows.length - asExpected + 1} failed`)
process.exit(ok ? 0 : 1)
