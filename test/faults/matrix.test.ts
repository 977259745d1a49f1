// The fault matrix: a real node:http server on 127.0.0.1 misbehaving on purpose, against
// describeOperation and waitForOperation through the Node (undici) client. Each row asserts the exact
// outcome, an upper bound on the elapsed time (on the client's clock), that no fiber of the library is
// left running and no socket left open, and that the API key shows up in no rendering, log or span.
// `pnpm test` runs the rows marked fast; `pnpm test:faults` (FAULTS_FULL=1) runs them all.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Supervisor from "effect/Supervisor"
import * as TestClock from "effect/TestClock"
import { writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { gzipSync } from "node:zlib"
import { driveClock } from "../helpers.js"
import {
  closedPort,
  errorJson,
  type FaultServer,
  faultServer,
  type Handler,
  operationJson,
  sendJson,
  stream
} from "./server.js"

export const apiKey = "pcsk_FAULTS_9d8e7f_SECRET_KEY"
const full = process.env.FAULTS_FULL === "1"
const target = { assistantName: "docs", operationId: "op-1" }
const requestTimeout = 2_000
const waitTimeout = 10_000
const lastPollTimeout = 2_000

type Outcome = string // an error tag, or "Ok:<status>"

interface Row {
  readonly name: string
  readonly fast?: boolean
  /** A handler, or "refused" for a port nothing listens on. */
  readonly handler: Handler | "refused"
  readonly describe: Outcome
  readonly wait: Outcome
  /** Upper bounds of the elapsed time, in ms of the client's clock. */
  readonly maxElapsed: { readonly describe: number; readonly wait: number }
  readonly check?: (server: FaultServer | undefined, api: "describe" | "wait") => void
  /** Reach the server as `https://` (it speaks plain HTTP: the TLS handshake fails). */
  readonly https?: boolean
}

// Every retried failure of describe: 4 attempts of at most the request timeout, plus backoff (<= 1.75 s).
const retriedBound = 4 * requestTimeout + 1_750 + 500
const waitBound = waitTimeout + lastPollTimeout + 500
// Answered at once, with no retry: the server saw one request (asserted for these rows), and the
// driven clock moved at most two steps while it went over the loopback (steps wait for the event
// loop's turns, not for this machine's speed).
const atOnce = 100

// The "other host" of the redirect row: same machine, another origin (localhost instead of 127.0.0.1).
const redirectTarget = { port: 0, hits: 0 }
const redirectServer = createServer((_, res) => {
  redirectTarget.hits++
  sendJson(res, 200, operationJson("Completed", 100))
})
beforeAll(() =>
  new Promise<void>((resolve) =>
    redirectServer.listen(0, "127.0.0.1", () => {
      redirectTarget.port = (redirectServer.address() as AddressInfo).port
      resolve()
    })
  )
)
afterAll(() => new Promise<void>((resolve) => redirectServer.close(() => resolve())))

// 64 MiB of spaces: valid JSON whitespace, gzipped to under 128 KiB; made when its row first runs,
// not at import (a fast-rows run never needs it)
let bomb: Buffer | undefined
const gzipBomb = () => (bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)))

const rows: ReadonlyArray<Row> = [
  {
    name: "connection refused",
    fast: true,
    handler: "refused",
    describe: "TransportError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "connection reset before headers",
    fast: true,
    handler: (req) => req.socket.destroy(),
    describe: "TransportError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "reset mid-body",
    handler: (_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "400" })
      res.write(operationJson("Processing").slice(0, 40), () => res.destroy())
    },
    describe: "TransportError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "headers never sent (request timeout)",
    fast: true,
    handler: () => undefined,
    describe: "TransportError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "body trickled slower than the timeout",
    handler: (_, res) => {
      res.writeHead(200, { "content-type": "application/json" })
      const body = operationJson("Completed")
      let i = 0
      const timer = setInterval(() => {
        if (res.destroyed || i >= body.length) return clearInterval(timer), res.destroyed || res.end()
        res.write(body[i++])
      }, 25)
      res.on("close", () => clearInterval(timer))
    },
    describe: "TransportError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "Content-Length longer than the body",
    handler: (req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" })
      res.write(operationJson("Completed"), () => req.socket.end())
    },
    describe: "TransportError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "2xx body of 50 MiB, declared",
    fast: true,
    handler: (_, res, __, state) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": String(50 * 1024 * 1024) })
      stream(res, 50 * 1024 * 1024, state)
    },
    describe: "MalformedResponseError",
    wait: "MalformedResponseError",
    maxElapsed: { describe: requestTimeout, wait: requestTimeout },
    check: (server) => assert.isBelow(server!.bytesWritten, 16 * 1024 * 1024)
  },
  {
    name: "2xx body of 50 MiB, chunked",
    handler: (_, res, __, state) => {
      res.writeHead(200, { "content-type": "application/json" })
      stream(res, 50 * 1024 * 1024, state)
    },
    describe: "MalformedResponseError",
    wait: "MalformedResponseError",
    maxElapsed: { describe: requestTimeout, wait: requestTimeout },
    check: (server) => assert.isBelow(server!.bytesWritten, 16 * 1024 * 1024)
  },
  {
    name: "invalid JSON",
    fast: true,
    handler: (_, res) => sendJson(res, 200, "{\"id\": \"op-1\", "),
    describe: "MalformedResponseError",
    wait: "MalformedResponseError",
    maxElapsed: { describe: atOnce, wait: atOnce }
  },
  {
    name: "JSON of the wrong shape",
    handler: (_, res) => sendJson(res, 200, JSON.stringify({ id: 7, status: ["Completed"] })),
    describe: "MalformedResponseError",
    wait: "MalformedResponseError",
    maxElapsed: { describe: atOnce, wait: atOnce }
  },
  {
    name: "HTML 502 page",
    fast: true,
    handler: (_, res) => {
      res.writeHead(502, { "content-type": "text/html" })
      res.end("<html><body><h1>502 Bad Gateway</h1></body></html>")
    },
    describe: "UnrecognizedApiError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "503 with Retry-After in seconds, then 200",
    fast: true,
    handler: (_, res, hit) =>
      hit === 0
        ? sendJson(res, 503, errorJson(503, "UNAVAILABLE"), { "retry-after": "3" })
        : sendJson(res, 200, operationJson("Completed", 100)),
    describe: "Ok:Completed",
    wait: "Ok:Completed",
    maxElapsed: { describe: 3_500, wait: 3_500 },
    check: (server) => assert.strictEqual(server!.hits.length, 2)
  },
  {
    name: "429 with Retry-After as an HTTP date, then 200",
    handler: (_, res, hit) =>
      hit === 0
        ? sendJson(res, 429, errorJson(429, "TOO_MANY_REQUESTS"), {
          "retry-after": new Date(Math.ceil(Date.now() / 1000) * 1000 + 4_000).toUTCString()
        })
        : sendJson(res, 200, operationJson("Completed", 100)),
    describe: "Ok:Completed",
    wait: "Ok:Completed",
    maxElapsed: { describe: 6_000, wait: 6_000 }
  },
  {
    name: "429 storm longer than the retry budget",
    fast: true,
    handler: (_, res) => sendJson(res, 429, errorJson(429, "TOO_MANY_REQUESTS"), { "retry-after": "1" }),
    describe: "TooManyRequestsError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: retriedBound, wait: waitBound }
  },
  {
    name: "ErrorResponse with an unknown code",
    handler: (_, res) => sendJson(res, 418, errorJson(418, "TEAPOT")),
    describe: "UnrecognizedApiError",
    wait: "UnrecognizedApiError",
    maxElapsed: { describe: atOnce, wait: atOnce }
  },
  {
    name: "200 with status Queued forever",
    handler: (_, res) => sendJson(res, 200, operationJson("Queued")),
    describe: "Ok:Queued",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: atOnce, wait: waitBound }
  },
  {
    name: "percent_complete going backwards",
    handler: (_, res, hit) =>
      sendJson(res, 200, hit < 3 ? operationJson("Processing", 60 - 20 * hit) : operationJson("Completed", 100)),
    describe: "Ok:Processing",
    wait: "Ok:Completed",
    maxElapsed: { describe: atOnce, wait: 5_000 }
  },
  {
    name: "429 with Retry-After: 1000000000 (seconds)",
    fast: true,
    handler: (_, res) => sendJson(res, 429, errorJson(429, "TOO_MANY_REQUESTS"), { "retry-after": "1000000000" }),
    describe: "TooManyRequestsError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: 1_000, wait: 1_000 }
  },
  {
    name: "503 with Retry-After as a date in year 9999",
    handler: (_, res) =>
      sendJson(res, 503, errorJson(503, "UNAVAILABLE"), { "retry-after": "Fri, 31 Dec 9999 23:59:59 GMT" }),
    describe: "UnavailableError",
    wait: "WaitTimeoutError",
    maxElapsed: { describe: 1_000, wait: 1_000 }
  },
  {
    name: "gzip body: 64 KiB sent, 64 MiB decoded",
    handler: (_, res) => {
      res.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": String(gzipBomb().length)
      })
      res.end(gzipBomb())
    },
    describe: "MalformedResponseError",
    wait: "MalformedResponseError",
    maxElapsed: { describe: atOnce, wait: atOnce }
  },
  {
    name: "ErrorResponse whose details carry a __proto__ key",
    handler: (_, res) => {
      res.writeHead(404, { "content-type": "application/json" })
      res.end(`{"status":404,"error":{"code":"NOT_FOUND","message":"gone","details":{"__proto__":{"x":1}}}}`)
    },
    describe: "NotFoundError",
    wait: "NotFoundError",
    maxElapsed: { describe: atOnce, wait: atOnce }
  },
  {
    name: "TLS handshake fails (https:// to a plain HTTP server)",
    fast: true,
    https: true,
    handler: (_, res) => sendJson(res, 200, operationJson("Completed", 100)),
    describe: "TransportError",
    wait: "TransportError",
    maxElapsed: { describe: 1_000, wait: 1_000 }
  },
  {
    name: "redirect to another host",
    fast: true,
    handler: (req, res) => {
      res.writeHead(302, { location: `http://localhost:${redirectTarget.port}${req.url}` })
      res.end()
    },
    describe: "UnrecognizedApiError",
    wait: "UnrecognizedApiError",
    maxElapsed: { describe: atOnce, wait: atOnce },
    check: () => assert.strictEqual(redirectTarget.hits, 0)
  }
]

export interface RowResult {
  readonly row: string
  readonly api: "describe" | "wait"
  readonly expected: Outcome
  readonly outcome: Outcome
  readonly elapsedMs: number
  readonly maxElapsedMs: number
  readonly fibersLeft: number
  readonly socketsLeft: boolean
  readonly keyLeaks: number
}

export const results: Array<RowResult> = []

const outcomeOf = (exit: Exit.Exit<{ status: string }, { _tag: string }>): Outcome =>
  Exit.match(exit, {
    onSuccess: (op) => `Ok:${op.status}`,
    onFailure: (cause) => {
      const failure = Cause.failureOption(cause)
      return failure._tag === "Some" ? failure.value._tag : `Defect: ${Cause.pretty(cause).split("\n")[0]}`
    }
  })

const runRow = (row: Row, api: "describe" | "wait") =>
  Effect.gen(function*() {
    yield* TestClock.setTime(Date.now())
    const server = row.handler === "refused" ? undefined : yield* faultServer(row.handler)
    const url = server?.url ?? `http://127.0.0.1:${yield* closedPort}`
    const host = row.https === true ? url.replace(/^http:/, "https:") : url
    const logs: Array<string> = []
    const exporter = new InMemorySpanExporter()
    const spans: Array<ReadableSpan> = []
    const supervisor = yield* Supervisor.track
    const client = NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), host, requestTimeout })
    const call: Effect.Effect<{ status: string }, { _tag: string }, AssistantClient.AssistantClient> =
      api === "describe"
        ? AssistantClient.describeOperation(target)
        : OperationPoller.waitForOperation({ ...target, timeout: waitTimeout, lastPollTimeout })
    const start = yield* Clock.currentTimeMillis
    const exit = yield* driveClock(
      call.pipe(
        Effect.tapErrorCause((cause) => Effect.logDebug("row failed", cause)),
        Effect.provide(client),
        Effect.supervised(supervisor),
        // the in-memory exporter forgets its spans when the SDK shuts down: keep them before
        Effect.ensuring(Effect.sync(() => spans.push(...exporter.getFinishedSpans()))),
        Effect.provide(
          NodeSdk.layer(() => ({
            resource: { serviceName: "faults" },
            spanProcessor: new SimpleSpanProcessor(exporter)
          }))
        ),
        Effect.provide(
          Logger.replace(
            Logger.defaultLogger,
            Logger.make(({ message, cause }) => logs.push(`${String(message)} ${Cause.pretty(cause)}`))
          )
        ),
        Logger.withMinimumLogLevel(LogLevel.All),
        Effect.exit
      ),
      "50 millis",
      100_000
    )
    const elapsedMs = (yield* Clock.currentTimeMillis) - start
    const fibersLeft = (yield* supervisor.value).filter((fiber) => fiber.unsafePoll() === null).length
    const socketsLeft = server === undefined ? false : !(yield* Effect.promise(() => server.allClosed(5_000)))
    const renderings = [
      ...logs,
      ...spans.map((span) => JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events })),
      ...Exit.match(exit, {
        onSuccess: () => [],
        onFailure: (cause) => {
          const error = Cause.squash(cause)
          return [String(error), JSON.stringify(error), Cause.pretty(cause)]
        }
      })
    ]
    const keyLeaks = renderings.filter((text) => text.includes(apiKey)).length
    const result: RowResult = {
      row: row.name,
      api,
      expected: row[api],
      outcome: outcomeOf(exit),
      elapsedMs,
      maxElapsedMs: row.maxElapsed[api],
      fibersLeft,
      socketsLeft,
      keyLeaks
    }
    results.push(result)
    assert.strictEqual(result.outcome, result.expected, `${row.name} / ${api}`)
    assert.isAtMost(elapsedMs, row.maxElapsed[api], `${row.name} / ${api}: elapsed`)
    if (row.maxElapsed[api] === atOnce && server !== undefined) {
      assert.strictEqual(server.hits.length, 1, `${row.name} / ${api}: answered at once, one request`)
    }
    assert.strictEqual(fibersLeft, 0, `${row.name} / ${api}: fibers left`)
    assert.isFalse(socketsLeft, `${row.name} / ${api}: sockets left open`)
    assert.strictEqual(keyLeaks, 0, `${row.name} / ${api}: key leaked`)
    assert.isAbove(spans.length, 0, "spans were recorded")
    row.check?.(server, api)
  }).pipe(Effect.scoped)

describe(`fault matrix (${full ? "full" : "fast rows"})`, () => {
  for (const row of rows.filter((r) => full || r.fast === true)) {
    for (const api of ["describe", "wait"] as const) {
      it.effect(`${row.name} / ${api}: ${row[api]}`, () => runRow(row, api), 60_000)
    }
  }
})

afterAll(() => {
  if (full) writeFileSync(".faults-report.json", JSON.stringify({ rows: results }, null, 2))
})
