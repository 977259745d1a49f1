// `pnpm bench`: every figure of BENCHMARKS.md, measured in this one run. Comparisons are ratios taken
// in the same run against the same loopback emulator (a separate process), since absolute times on a
// shared 2-core machine drift. Nothing here is typed by hand into BENCHMARKS.md.
import * as AssistantClient from "@effect-pinecone/core/AssistantClient"
import * as AssistantClientTest from "@effect-pinecone/core/AssistantClientTest"
import * as AssistantSync from "@effect-pinecone/core/AssistantSync"
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as FileSource from "@effect-pinecone/core/FileSource"
import * as Operation from "@effect-pinecone/core/Operation"
import * as OperationPoller from "@effect-pinecone/core/OperationPoller"
import * as RateBudget from "@effect-pinecone/core/RateBudget"
import * as NodeAssistantClient from "@effect-pinecone/node/NodeAssistantClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Pinecone } from "@pinecone-database/pinecone"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as RateLimiter from "effect/RateLimiter"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import { build } from "esbuild"
import { execFileSync, spawn } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { request as undiciRequest } from "undici"
import * as Transport from "../packages/core/src/internal/client/transport.js"
import * as RateLimitInternal from "../packages/core/src/internal/throttle/perSecond.js"

const root = fileURLToPath(new URL("..", import.meta.url))
const apiKey = "bench-key"
const lines: Array<string> = []
const out = (line = "") => {
  console.log(line)
  lines.push(line)
}
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
const gc = () => (globalThis as { gc?: () => void }).gc?.()

// --- the emulator, in its own process -----------------------------------------------------------
const startEmulator = (extra: ReadonlyArray<string> = []) =>
  new Promise<{ url: string; stop: () => void }>((resolve, reject) => {
    const child = spawn(process.execPath, [
      `${root}packages/node/dist/bin.js`,
      "emulator",
      "--port",
      "0",
      "--api-key",
      apiKey,
      ...extra
    ], {
      stdio: ["ignore", "ignore", "pipe"]
    })
    let text = ""
    child.stderr.on("data", (d) => {
      text += d
      const match = /listening on (http:\/\/[^\s]+)/.exec(text)
      if (match) resolve({ url: match[1]!, stop: () => child.kill("SIGTERM") })
    })
    child.on("exit", (code) => reject(new Error(`emulator exited ${code}: ${text}`)))
  })

// --- 1. per-call cost --------------------------------------------------------------------------
type Caller = {
  readonly name: string
  readonly call: () => Promise<unknown>
  readonly batch?: (n: number, concurrency: number) => Promise<void>
}

const timeCalls = async (caller: Caller, n: number, concurrency: number) => {
  const start = performance.now()
  if (caller.batch) await caller.batch(n, concurrency)
  else {
    let next = 0
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next++ < n) await caller.call()
    }))
  }
  return (performance.now() - start) / n
}

const perCall = async (url: string) => {
  const headers = { "Api-Key": apiKey, "X-Pinecone-Api-Version": "2026-04", Accept: "application/json" }
  const target = `${url}/assistant/operations/bench/op-bench`
  await fetch(`${url}/_emulator/operations`, {
    method: "POST",
    body: JSON.stringify({
      assistantName: "bench",
      id: "op-bench",
      durationMs: 0,
      outcome: "Completed",
      fileId: "f.pdf"
    })
  })
  const sdk = new Pinecone({ apiKey }).assistant({ name: "bench", host: `${url}/assistant` })
  const runtime = ManagedRuntime.make(NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), host: url }))
  const describe = AssistantClient.describeOperation({ assistantName: "bench", operationId: "op-bench" })
  await runtime.runPromise(describe)
  const platform = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const platformGet = Effect.flatMap(
    HttpClient.HttpClient,
    (client) => Effect.flatMap(client.get(target, { headers }), (response) => Effect.map(response.text, JSON.parse))
  )
  const callers: Array<Caller> = [
    { name: "raw fetch + JSON.parse", call: async () => JSON.parse(await (await fetch(target, { headers })).text()) },
    {
      name: "undici request + JSON.parse",
      call: async () => JSON.parse(await (await undiciRequest(target, { headers })).body.text())
    },
    { name: "official SDK 9.0.0 (assistant.describeOperation)", call: () => sdk.describeOperation("op-bench") },
    { name: "effect-pinecone, one runPromise per call", call: () => runtime.runPromise(describe) },
    {
      name: "effect-pinecone, inside one Effect program",
      call: () => runtime.runPromise(describe),
      batch: (n, concurrency) =>
        runtime.runPromise(Effect.forEach(Array.from({ length: n }), () => describe, { concurrency, discard: true }))
    },
    {
      name: "for comparison: @effect/platform's HttpClient (undici) + JSON.parse alone, one runPromise per call",
      call: () => platform.runPromise(platformGet)
    },
    {
      name: "for comparison: the same inside one Effect program (the floor of any Effect client)",
      call: () => platform.runPromise(platformGet),
      batch: (n, concurrency) =>
        platform.runPromise(
          Effect.forEach(Array.from({ length: n }), () => platformGet, { concurrency, discard: true })
        )
    }
  ]
  const results: Record<string, Record<number, Array<number>>> = {}
  for (const concurrency of [1, 32]) {
    const n = concurrency === 1 ? 1000 : 2000
    for (const caller of callers) await timeCalls(caller, 300, concurrency) // warm-up
    for (let round = 0; round < 5; round++) {
      // the order turns each round, so that no client always follows the same one
      for (const caller of [...callers.slice(round % callers.length), ...callers.slice(0, round % callers.length)]) {
        gc()
        ;((results[caller.name] ??= {})[concurrency] ??= []).push(await timeCalls(caller, n, concurrency))
      }
    }
  }
  await runtime.dispose()
  await platform.dispose()
  const base = (c: number) => median(results[callers[0]!.name]![c]!)
  out("| client | sequential: requests/s | time per call vs raw fetch | 32 in flight: requests/s | vs raw fetch |")
  out("| --- | --- | --- | --- | --- |")
  for (const caller of callers) {
    const seq = median(results[caller.name]![1]!)
    const par = median(results[caller.name]![32]!)
    out(
      `| ${caller.name} | ${fmt(1000 / seq)} | ${(seq / base(1)).toFixed(2)}x | ${fmt(1000 / par)} | ${
        (par / base(32)).toFixed(2)
      }x |`
    )
  }
  const ratio = (i: number, c: number) => median(results[callers[i]!.name]![c]!) / base(c)
  const row = (c: number) => ({ sdk: ratio(2, c), perCall: ratio(3, c), inside: ratio(4, c), floor: ratio(6, c) })
  return { sequential: row(1), inFlight: row(32) }
}

// --- 1b. where the time of a describe goes ----------------------------------------------------------
const breakdown = async () => {
  // An in-process transport that answers every request with the emulator's body: no sockets, so the
  // rows show the CPU cost of each piece without the loopback's noise.
  const body = JSON.stringify({
    id: "op-bench",
    operation_type: "upload_file",
    status: "Completed",
    file_id: "f.pdf",
    created_on: "2026-04-01T00:00:00.000Z",
    completed_on: "2026-04-01T00:00:01.000Z",
    percent_complete: 100,
    error_message: null,
    ingestion_units: 3
  })
  const transport = HttpClient.make((request) =>
    Effect.sync(() =>
      HttpClientResponse.fromWeb(
        request,
        new Response(body, { headers: { "content-type": "application/json", "content-length": String(body.length) } })
      )
    )
  )
  const transportLayer = Layer.succeed(HttpClient.HttpClient, transport)
  const runtime = ManagedRuntime.make(
    Layer.merge(
      transportLayer,
      AssistantClient.layer({ apiKey: Redacted.make(apiKey), host: "http://127.0.0.1:1" }).pipe(
        Layer.provide(transportLayer)
      )
    )
  )
  const headers = { "Api-Key": apiKey, "X-Pinecone-Api-Version": "2026-04", Accept: "application/json" }
  const get = transport.get("http://127.0.0.1:1/assistant/operations/bench/op-bench", { headers })
  const oneGo = Effect.flatMap(get, (r) => r.arrayBuffer)
  const scopedGet = Effect.flatMap(
    HttpClient.withScope(transport).get("http://127.0.0.1:1/assistant/operations/bench/op-bench", { headers }),
    (r) => r.arrayBuffer
  )
  const scopedOneGo = Effect.scoped(scopedGet)
  const scopedUntilFailure = Effect.acquireUseRelease(
    Scope.make(),
    (scope) => Scope.extend(scopedGet, scope),
    (scope, exit) => Exit.isFailure(exit) ? Scope.close(scope, exit) : Effect.void
  )
  const text = (b: ArrayBuffer) => JSON.parse(new TextDecoder().decode(b))
  const decode = Schema.decodeUnknown(Operation.Operation)
  const variants: Array<[string, Effect.Effect<unknown, unknown, AssistantClient.AssistantClient>]> = [
    ["platform call with its http.client span, body read in one go (as describe reads it)", oneGo],
    [
      "the same, body read as a Stream (what describe does for an encoded or undeclared-length body)",
      Effect.flatMap(get, (r) => Stream.runFoldWhile(r.stream, 0, (n) => n < 1 << 20, (n, c) => n + c.length))
    ],
    [
      "+ the platform's span off (describe's own span is the client span)",
      Effect.locally(oneGo, HttpClient.currentTracerDisabledWhen, () => true)
    ],
    [
      "+ the request's AbortSignal tied to a Scope per attempt, closed after every attempt (Effect.scoped)",
      scopedOneGo
    ],
    [
      "+ the same Scope closed only when the attempt fails (acquireUseRelease + Scope.extend: what describe does)",
      scopedUntilFailure
    ],
    ["+ Effect.timeoutFail per attempt", Effect.timeoutFail(oneGo, { duration: "30 seconds", onTimeout: () => "t" })],
    [
      "+ Effect.retry({ schedule, while }) per call",
      Effect.retry(oneGo, { schedule: Schedule.recurs(3), while: () => true })
    ],
    ["+ a span", Effect.withSpan(oneGo, "describe", { attributes: { a: "docs", b: "op-1" } })],
    [
      "+ the key among the redacted header names and redirects refused (Effect.locallyWith + provideService)",
      Transport.withRedactedApiKey(
        Effect.provideService(oneGo, FetchHttpClient.RequestInit, { redirect: "manual" })
      )
    ],
    ["+ JSON.parse and Schema decode (built once)", Effect.flatMap(oneGo, (b) => decode(text(b)))],
    [
      "all of describeOperation, on the same transport",
      AssistantClient.describeOperation({ assistantName: "bench", operationId: "op-bench" })
    ]
  ]
  const times = new Map<string, Array<number>>()
  for (let round = 0; round < 7; round++) {
    for (const [name, effect] of variants) {
      await runtime.runPromise(Effect.forEach(Array.from({ length: 200 }), () => effect, { discard: true }))
      gc()
      const start = performance.now()
      await runtime.runPromise(Effect.forEach(Array.from({ length: 2000 }), () => effect, { discard: true }))
      times.set(name, [...(times.get(name) ?? []), (performance.now() - start) / 2000])
    }
  }
  await runtime.dispose()
  const base = median(times.get(variants[0]![0])!)
  out("| variant (in-process transport, 2,000 sequential calls, median of 7 rounds) | µs per call | vs the first row |")
  out("| --- | --- | --- |")
  for (const [name] of variants) {
    const t = median(times.get(name)!)
    out(`| ${name} | ${fmt(t * 1000)} | ${t >= base ? "+" : ""}${fmt((t - base) * 1000)} µs |`)
  }
}

const rateLimiters = async () => {
  // 1,500 requests offered at once to a limit of 1,000 per second: a token bucket that starts full
  // lets 1,000 through at once and the other 500 at 1,000/s, so the ideal is 0.5 s.
  const limit = 1000
  const offered = 1500
  const timeOffered = (limiter: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>) =>
    Effect.suspend(() => {
      const start = performance.now()
      return Effect.forEach(Array.from({ length: offered }), () => limiter(Effect.void), {
        concurrency: "unbounded",
        discard: true
      }).pipe(Effect.map(() => (performance.now() - start) / 1000))
    })
  const effectLimiter = await Effect.runPromise(
    Effect.scoped(Effect.flatMap(RateLimiter.make({ limit, interval: "1 second" }), timeOffered))
  )
  const ours = await Effect.runPromise(timeOffered(RateLimitInternal.make(limit)))
  const beyond = offered - limit
  out(
    `| ${fmt(offered)} requests offered at once, limit ${
      fmt(limit)
    }/s (ideal: 0.5 s) | wall time | rate beyond the first ${fmt(limit)} |`
  )
  out("| --- | --- | --- |")
  out(
    `| effect's RateLimiter, token-bucket (a refill fiber sleeping once per token; before) | ${
      effectLimiter.toFixed(1)
    } s | ${fmt(beyond / effectLimiter)}/s |`
  )
  out(`| the client's token bucket kept as arithmetic (GCRA; now) | ${ours.toFixed(1)} s | ${fmt(beyond / ours)}/s |`)
}

// --- 2. decode throughput ----------------------------------------------------------------------
const decodeThroughput = () => {
  const text = JSON.stringify({
    completed_on: "2025-10-01T12:35:00.000Z",
    created_on: "2025-10-01T12:30:00.000Z",
    file_id: "my-report-2025",
    id: "op-1234-abcd-5678",
    operation_type: "upload_file",
    percent_complete: 100,
    status: "Completed",
    ingestion_units: 50
  })
  const decode = Schema.decodeUnknownSync(Operation.Operation)
  const n = 200_000
  const time = (f: () => unknown) => {
    for (let i = 0; i < 20_000; i++) f()
    const start = performance.now()
    for (let i = 0; i < n; i++) f()
    return n / ((performance.now() - start) / 1000)
  }
  const parse = median([1, 2, 3].map(() => time(() => JSON.parse(text))))
  const both = median([1, 2, 3].map(() => time(() => decode(JSON.parse(text)))))
  out("| step | operations/s |")
  out("| --- | --- |")
  out(`| JSON.parse alone | ${fmt(parse)} |`)
  out(
    `| JSON.parse + Schema decode to Operation (what every describe does) | ${fmt(both)} (${
      (parse / both).toFixed(1)
    }x the time of JSON.parse) |`
  )
}

// --- 3. scale of waiting -----------------------------------------------------------------------
/** A clock running `factor` times faster than the wall: emulator and clients share it. */
const fastClock = (factor: number): Clock.Clock => {
  const t0 = Date.now()
  const now = () => t0 + (Date.now() - t0) * factor
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: now,
    currentTimeMillis: Effect.sync(now),
    unsafeCurrentTimeNanos: () => BigInt(Math.round(now() * 1e6)),
    currentTimeNanos: Effect.sync(() => BigInt(Math.round(now() * 1e6))),
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const timer = setTimeout(() => resume(Effect.void), Duration.toMillis(duration) / factor)
        return Effect.sync(() => clearTimeout(timer))
      })
  }
}

const memory = async () => {
  const waiters = Number(process.env.BENCH_WAITERS ?? 10_000)
  // memory: 10,000 waits parked between polls; the floors on the test layer
  // every poll answers a fresh snapshot built from one decoded template (no Schema work per poll,
  // whose garbage would count in the peak RSS as if the waits held it)
  const template = Schema.decodeUnknownSync(Operation.Operation)({
    id: "op",
    operation_type: "upload_file",
    status: "Processing",
    created_on: "2026-04-01T00:00:00.000Z"
  })
  const layer = AssistantClientTest.layerTest(({ operationId }) =>
    Effect.sync(() => new Operation.Operation({ ...template, id: operationId }, true))
  )
  // the parked waits measured are the client's own (the test layer polls alone), with and without
  // coordination: a transport answering every describe Processing and every listing empty
  const parkedWaits = async (coordinate: boolean) => {
    let described = 0
    const processingBody = JSON.stringify(Operation.encode(template))
    const transport = HttpClient.make((request) =>
      Effect.sync(() => {
        const listing = new URL(request.url).pathname.split("/").length === 4
        if (!listing) described++
        return HttpClientResponse.fromWeb(
          request,
          new Response(listing ? "{\"operations\":[],\"pagination\":null}" : processingBody, {
            status: 200,
            headers: { "content-type": "application/json" }
          })
        )
      })
    )
    const client = AssistantClient.layer({ apiKey: Redacted.make("k"), host: "http://127.0.0.1", retry: false }).pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, transport)),
      Layer.orDie
    )
    const memoryRuntime = ManagedRuntime.make(client)
    await memoryRuntime.runPromise(Effect.void)
    gc()
    const before = process.memoryUsage()
    let peakRss = before.rss
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5)
    // forked one after the other: forEach with unbounded concurrency would add a fiber of its own per wait
    const fibers = await memoryRuntime.runPromise(
      Effect.forEach(
        Array.from({ length: waiters }, (_, i) => `op-${i}`),
        (operationId) =>
          Effect.forkDaemon(
            OperationPoller.waitForOperation({
              assistantName: "mem",
              operationId,
              timeout: "1 hour",
              schedule: Schedule.spaced("10 minutes"),
              coordinate
            })
          )
      )
    )
    // every wait had its first snapshot and parked until its next poll (10 minutes away)
    while (described < waiters) await new Promise((resolve) => setTimeout(resolve, 20))
    await new Promise((resolve) => setTimeout(resolve, 300))
    gc()
    const parked = process.memoryUsage()
    peakRss = Math.max(peakRss, parked.rss)
    clearInterval(sampler)
    await memoryRuntime.runPromise(Effect.forEach(fibers, (f) => f.interruptAsFork(f.id()), { discard: true }))
    await memoryRuntime.dispose()
    return { heap: (parked.heapUsed - before.heapUsed) / waiters, rss: (peakRss - before.rss) / waiters }
  }
  const aloneWaits = await parkedWaits(false)
  const sharedWaits = await parkedWaits(true)
  const heapPerWait = sharedWaits.heap
  const heapPerWaitAlone = aloneWaits.heap
  const rssPerWait = sharedWaits.rss

  // the floor: a bare Effect fiber sleeping, and the same 10,000 operations in one waitForOperations
  const floorRuntime = ManagedRuntime.make(layer)
  await floorRuntime.runPromise(Effect.void)
  const heapOf = async (start: () => Promise<() => Promise<unknown>>) => {
    gc()
    const base = process.memoryUsage().heapUsed
    const stop = await start()
    await new Promise((resolve) => setTimeout(resolve, 300))
    gc()
    const used = (process.memoryUsage().heapUsed - base) / waiters
    await stop()
    return used
  }
  const sleepFloor = await heapOf(async () => {
    const fibers = await floorRuntime.runPromise(
      Effect.forEach(Array.from({ length: waiters }), () => Effect.forkDaemon(Effect.sleep("1 hour")))
    )
    return () => floorRuntime.runPromise(Effect.forEach(fibers, (f) => f.interruptAsFork(f.id()), { discard: true }))
  })
  const spanFloor = await heapOf(async () => {
    const fibers = await floorRuntime.runPromise(
      Effect.forEach(
        Array.from({ length: waiters }),
        () =>
          Effect.forkDaemon(
            Effect.useSpan("wait", { captureStackTrace: false, attributes: { a: "mem", b: "op" } }, () =>
              Effect.sleep("1 hour"))
          )
      )
    )
    return () => floorRuntime.runPromise(Effect.forEach(fibers, (f) => f.interruptAsFork(f.id()), { discard: true }))
  })
  const manyPerOperation = await heapOf(async () => {
    let firstRound: () => void = () => undefined
    const parkedAfterFirstRound = new Promise<void>((resolve) => (firstRound = resolve))
    const fiber = await floorRuntime.runPromise(Effect.forkDaemon(OperationPoller.waitForOperations({
      assistantName: "mem",
      operationIds: Array.from({ length: waiters }, (_, i) => `op-${i}`),
      strategy: "describe",
      concurrency: 100,
      timeout: "1 hour",
      onRound: () => Effect.sync(firstRound)
    })))
    await parkedAfterFirstRound
    return () => floorRuntime.runPromise(fiber.interruptAsFork(fiber.id()))
  })
  await floorRuntime.dispose()

  return { heapPerWait, heapPerWaitAlone, rssPerWait, sleepFloor, spanFloor, manyPerOperation }
}

/** A section's table, printed by a fresh process running only that section. */
const sectionInChild = (
  section: string,
  args: ReadonlyArray<string> = [],
  nodeFlags: ReadonlyArray<string> = ["--conditions=source"]
) =>
  execFileSync(
    process.execPath,
    [...nodeFlags, "--expose-gc", "--import", "tsx", `${root}bench/run.ts`, section, ...args],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
  ).trim().split("\n")

/** The memory figures, measured in a fresh process so that RSS growth is not hidden by earlier sections. */
// The library as it ships (compiled by tsc): run from source, tsx's keepNames gives every named
// closure a property of its own, a quarter of a kilobyte each, which a user's program does not have.
const memoryInChild = () => {
  execFileSync(process.execPath, [`${root}node_modules/typescript/bin/tsc`, "-b", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit"
  })
  return JSON.parse(sectionInChild("memory", [], []).pop()!) as Awaited<ReturnType<typeof memory>>
}

/** `count` operations of assistant "scale", op-0..., finishing at random within 60 s. */
const seedOperations = (emulator: Emulator.Service, count: number) =>
  Effect.forEach(Array.from({ length: count }, (_, i) => `op-${i}`), (id) =>
    Effect.orDie(emulator.create(
      new Emulator.CreateOperation({
        assistantName: "scale",
        id,
        durationMs: Math.floor(Math.random() * 60_000),
        outcome: "Completed"
      })
    )), { discard: true })

/** Starts `effect` at random within the first 10 s, as a server's requests arrive. */
const startWithin10s = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.zipRight(Effect.sleep(Duration.millis(Math.floor(Math.random() * 10_000))), effect)

/** Runs `effect` on the TestClock, a second of the clock at a time, until it ends. */
const onTestClock = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    let exit = fiber.unsafePoll()
    while (exit === null) {
      yield* TestClock.adjust("1 second")
      exit = fiber.unsafePoll()
    }
    return yield* exit
  })

// requests: 10,000 waits on emulator operations finishing within 60 s of emulator time
const traffic = async (waiters: number, maxRequestsPerSecond: number | undefined, coordinate = true) => {
  const clock = fastClock(2)
  let requests = 0
  const program = Effect.gen(function*() {
    const emulator = yield* Emulator.make({ apiKey, maxOperations: waiters })
    yield* seedOperations(emulator, waiters)
    const http = Emulator.makeHttpClient(emulator).pipe(HttpClient.tapRequest(() => Effect.sync(() => requests++)))
    const client = AssistantClient.layer({
      apiKey: Redacted.make(apiKey),
      host: "http://127.0.0.1:1",
      maxRequestsPerSecond
    }).pipe(
      Layer.provide(Layer.succeed(HttpClient.HttpClient, http))
    )
    const start = yield* Clock.currentTimeMillis
    yield* Effect.forEach(
      Array.from({ length: waiters }, (_, i) => `op-${i}`),
      (operationId) =>
        startWithin10s(
          OperationPoller.waitForOperation({ assistantName: "scale", operationId, timeout: "1 hour", coordinate })
        ),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.provide(client))
    return (yield* Clock.currentTimeMillis) - start
  })
  const elapsed = await Effect.runPromise(Effect.withClock(program, clock))
  return { requests, elapsed }
}

// The same waits on the emulator enforcing the Starter plan's limits (100 reads a minute), with the
// Starter budget, in memory on the TestClock (hours of the clock in seconds of the wall).
const starterTraffic = (waiters: number) =>
  Effect.gen(function*() {
    const statuses: Array<number> = []
    const times: Array<number> = []
    const emulator = yield* Emulator.make({
      apiKey,
      maxOperations: waiters,
      rateLimits: "starter",
      onResponse: (e) => statuses.push(e.status)
    })
    yield* seedOperations(emulator, waiters)
    const http = HttpClient.tapRequest(
      Emulator.makeHttpClient(emulator),
      () => Effect.map(Clock.currentTimeMillis, (t) => void times.push(t))
    )
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(apiKey), host: "http://127.0.0.1:1" }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, http))
    )
    yield* onTestClock(
      Effect.forEach(
        Array.from({ length: waiters }, (_, i) => `op-${i}`),
        (operationId) =>
          startWithin10s(
            OperationPoller.waitForOperation({ assistantName: "scale", operationId, timeout: Duration.infinity })
          ),
        { concurrency: "unbounded", discard: true }
      ).pipe(
        RateBudget.withBudget(RateBudget.make("starter")),
        Effect.provideService(AssistantClient.AssistantClient, client)
      )
    )
    // the busiest minute (any 60 s window starting at a request)
    let busiest = 0
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j]! <= times[i]! - 60_000) j++
      busiest = Math.max(busiest, i - j + 1)
    }
    return {
      requests: statuses.length,
      tooMany: statuses.filter((s) => s === 429).length,
      minutes: (times.at(-1)! - times[0]!) / 60_000,
      busiest
    }
  }).pipe(Effect.provide(TestContext.TestContext))

// 1,000 files processing for up to 60 s, each waited on by its own waitForFile started at random
// within the first 10 s, in memory on the TestClock: the reads the waits cost.
const fileWaits = (files: number, coordinate: boolean) =>
  Effect.gen(function*() {
    let reads = 0
    let waiting = false
    const emulator = yield* Emulator.make({
      apiKey,
      onResponse: (e) => void (waiting && e.method === "GET" && reads++)
    })
    yield* emulator.createAssistant("docs")
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(apiKey), host: "http://127.0.0.1" }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator)))
    )
    const ids = Array.from({ length: files }, (_, i) => `file-${i}`)
    for (const id of ids) {
      yield* emulator.setProcessing(
        new Emulator.ProcessingScript({ durationMs: Math.floor(Math.random() * 60_000), outcome: "Completed" }),
        `${id}.md`
      )
      yield* Effect.orDie(client.upsertFile({
        assistantName: "docs",
        fileId: id,
        file: FileSource.fromBytes(`${id}.md`, new TextEncoder().encode(`# ${id}\n`))
      }))
    }
    waiting = true
    yield* onTestClock(
      Effect.forEach(
        ids,
        (fileId) => startWithin10s(OperationPoller.waitForFile({ assistantName: "docs", fileId, coordinate })),
        { concurrency: "unbounded", discard: true }
      ).pipe(Effect.provideService(AssistantClient.AssistantClient, client))
    )
    return reads
  }).pipe(Effect.provide(TestContext.TestContext))

// requests: 5 waits of 60 s spaced 2 s, beside 1,000 older operations processing all along (a
// listing of the assistant's Processing operations then never reaches the waits' own), on the TestClock
const besideOld = (coordinate: boolean) =>
  Effect.gen(function*() {
    let requests = 0
    const emulator = yield* Emulator.make({ apiKey, onResponse: () => void requests++ })
    yield* emulator.setFaults(new Emulator.Faults({ latencyMs: 100 }))
    const create = (id: string) =>
      Effect.orDie(emulator.create(
        new Emulator.CreateOperation({ assistantName: "old", id, durationMs: 86_400_000, outcome: "Completed" })
      ))
    for (let i = 0; i < 1000; i++) yield* create(`old-${i}`)
    for (let i = 0; i < 5; i++) yield* create(`new-${i}`)
    const client = yield* AssistantClient.make({ apiKey: Redacted.make(apiKey), host: "http://127.0.0.1" }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, Emulator.makeHttpClient(emulator)))
    )
    requests = 0
    const fiber = yield* Effect.fork(
      Effect.forEach(Array.from({ length: 5 }, (_, i) => i), (i) =>
        Effect.delay(
          Effect.exit(OperationPoller.waitForOperation({
            assistantName: "old",
            operationId: `new-${i}`,
            schedule: Schedule.spaced("1 second"),
            timeout: "60 seconds",
            coordinate
          })),
          Duration.seconds(2 * i)
        ), { concurrency: "unbounded" }).pipe(Effect.provideService(AssistantClient.AssistantClient, client))
    )
    for (let t = 0; t < 75_000; t += 100) yield* TestClock.adjust("100 millis")
    yield* fiber.await
    return requests
  }).pipe(Effect.scoped, Effect.provide(TestContext.TestContext))

const scale = async () => {
  const waiters = Number(process.env.BENCH_WAITERS ?? 10_000)
  const oldShared = await Effect.runPromise(besideOld(true))
  const oldAlone = await Effect.runPromise(besideOld(false))
  const { heapPerWait, heapPerWaitAlone, manyPerOperation, rssPerWait, sleepFloor, spanFloor } = memoryInChild()
  const free = await traffic(waiters, undefined)
  const alone = await traffic(waiters, undefined, false)
  const limited = await traffic(waiters, 1000)
  const starter = await Effect.runPromise(Effect.scoped(starterTraffic(waiters)))
  const fileCount = Math.min(1000, waiters)
  const [fileReads, fileReadsAlone] = await Effect.runPromise(
    Effect.scoped(Effect.all([fileWaits(fileCount, true), fileWaits(fileCount, false)]))
  )
  out(`| figure | value | goal |`)
  out(`| --- | --- | --- |`)
  const beyond = heapPerWait - spanFloor
  out(
    `| heap per parked waitForOperation sharing its polls (10,000 at once on one client, after GC; the library as compiled) | ${
      fmt(heapPerWait)
    } B (${fmt(beyond)} B beyond a fiber sleeping in a span) | at most 2 KiB beyond a fiber sleeping in a span: ${
      beyond <= 2048 ? "held" : "NOT held"
    } |`
  )
  out(
    `| the same with coordinate: false (what coordination itself costs a parked wait: ${
      fmt(heapPerWait - heapPerWaitAlone)
    } B) | ${fmt(heapPerWaitAlone)} B (${fmt(heapPerWaitAlone - spanFloor)} B beyond the span floor) | |`
  )
  out(
    `| peak RSS growth per waiting operation (10,000 waitForOperation fibers, their first describes included) | ${
      fmt(rssPerWait)
    } B | under 2 KiB: ${rssPerWait <= 2048 ? "held" : "NOT held"} |`
  )
  out(`| for comparison: heap per bare Effect daemon fiber sleeping (Effect's own floor) | ${fmt(sleepFloor)} B | |`)
  out(
    `| for comparison: the same fiber sleeping inside a span (the floor of a traced wait) | ${fmt(spanFloor)} B | |`
  )
  out(`| heap per operation in one waitForOperations of 10,000 ids | ${fmt(manyPerOperation)} B | under 2 KiB |`)
  out(
    `| requests for 10,000 waits sharing their polls (the default), operations finishing within 60 s, no rate limit | ${
      fmt(free.requests)
    } (${(free.requests / waiters).toFixed(2)} per operation; all done after ${
      (free.elapsed / 1000).toFixed(1)
    } s of emulator time) | at most 1.1 per operation: ${free.requests / waiters <= 1.1 ? "held" : "NOT held"} |`
  )
  out(
    `| the same with coordinate: false (each wait describes on its own) | ${fmt(alone.requests)} (${
      (alone.requests / waiters).toFixed(2)
    } per operation; all done after ${(alone.elapsed / 1000).toFixed(1)} s) | |`
  )
  out(
    `| the same with maxRequestsPerSecond: 1000 | ${fmt(limited.requests)} (${
      (limited.requests / waiters).toFixed(1)
    } per operation; all done after ${(limited.elapsed / 1000).toFixed(1)} s; ${
      fmt(limited.requests / (limited.elapsed / 1000))
    } requests/s on average) | at most 1000/s: ${
      limited.requests / (limited.elapsed / 1000) <= 1000 ? "held" : "NOT held"
    } |`
  )
  out(
    `| the same with \`RateBudget.make("starter")\` against the emulator enforcing Starter's 100 reads a minute (on the TestClock) | ${
      fmt(starter.requests)
    } (${
      (starter.requests / waiters).toFixed(2)
    } per operation; ${starter.tooMany} answered 429; at most ${starter.busiest} requests in any minute; all done after ${
      starter.minutes.toFixed(1)
    } min) | every wait completes, 0 429s, at most 100 a minute: ${
      starter.tooMany === 0 && starter.busiest <= 100 ? "held" : "NOT held"
    } |`
  )
  out(
    `| reads for ${
      fmt(fileCount)
    } \`waitForFile\` calls (files processing within 60 s, waits started within 10 s, on the TestClock) | ${
      fmt(fileReads)
    } (${(fileReads / fileCount).toFixed(2)} per file); with coordinate: false ${fmt(fileReadsAlone)} (${
      (fileReadsAlone / fileCount).toFixed(2)
    } per file) | |`
  )
  out(
    `| requests for 5 waits of 60 s spaced 2 s beside 1,000 older operations processing (on the TestClock) | ${
      fmt(oldShared)
    } sharing their polls; ${
      fmt(oldAlone)
    } with coordinate: false | shared at most alone + 1 + 5 % (the listing's bet): ${
      oldShared <= oldAlone + 1 + Math.floor(oldAlone / 20) ? "held" : "NOT held"
    } |`
  )
  return { rssPerWait, heapPerWait }
}

// --- 3b. many operations: list rounds versus describe rounds -------------------------------------
const manyOperations = async () => {
  const ids = Array.from({ length: 300 }, (_, i) => `op-${i}`)
  const count = async (strategy: "list" | "describe") => {
    let requests = 0
    const program = Effect.gen(function*() {
      const emulator = yield* Emulator.make({ apiKey })
      for (const id of ids) {
        yield* Effect.orDie(emulator.create(
          new Emulator.CreateOperation({
            assistantName: "many",
            id,
            durationMs: 5_000 + Math.floor(Math.random() * 55_000),
            outcome: "Completed"
          })
        ))
      }
      const http = Emulator.makeHttpClient(emulator).pipe(HttpClient.tapRequest(() => Effect.sync(() => requests++)))
      const client = AssistantClient.layer({ apiKey: Redacted.make(apiKey), host: "http://127.0.0.1:1" }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, http))
      )
      const summary = yield* OperationPoller.waitForOperations({ assistantName: "many", operationIds: ids, strategy })
        .pipe(
          Effect.provide(client)
        )
      if (summary.completed.length !== ids.length) throw new Error("not all completed")
    })
    await Effect.runPromise(Effect.withClock(program, fastClock(20)))
    return requests
  }
  const listed = await count("list")
  const described = await count("describe")
  out("| waiting on 300 operations finishing within 5-60 s | requests sent |")
  out("| --- | --- |")
  out(`| describe-based rounds (one describe per pending operation) | ${fmt(described)} |`)
  out(
    `| list-based rounds (pages of Processing, then one describe per finished operation) | ${fmt(listed)} (${
      (described / listed).toFixed(1)
    }x fewer) |`
  )
}

// --- 4. start-up -------------------------------------------------------------------------------
const startup = () => {
  const time = (args: Array<string>) =>
    median(Array.from({ length: 7 }, () => {
      const start = performance.now()
      execFileSync(process.execPath, args, { stdio: "ignore" })
      return performance.now() - start
    }))
  const node = time(["-e", "0"])
  const help = time([`${root}packages/node/dist/pinecone-operation.mjs`, "--help"])
  const unbundled = time([`${root}packages/node/dist/bin.js`, "--help"])
  out("| command | wall time (median of 7) |")
  out("| --- | --- |")
  out(`| \`node -e 0\` | ${fmt(node)} ms |`)
  out(
    `| \`pinecone-operation --help\` (the package's bin: the CLI bundled into one file) | ${fmt(help)} ms (${
      (help / node).toFixed(1)
    }x node -e 0) |`
  )
  out(
    `| the same CLI loaded as separate modules (before profiling: Node resolves and loads a few hundred) | ${
      fmt(unbundled)
    } ms (${(unbundled / node).toFixed(1)}x) |`
  )
  return help
}

// --- 5. bundle size ----------------------------------------------------------------------------
const bundles = async () => {
  const bundle = async (entry: string, platform: "browser" | "node") => {
    const result = await build({
      entryPoints: [`${root}bench/bundle/${entry}`],
      bundle: true,
      minify: true,
      format: "esm",
      platform,
      write: false,
      treeShaking: true,
      conditions: ["source"],
      logLevel: "silent"
    })
    const code = result.outputFiles[0]!.contents
    return { min: code.length, gzip: gzipSync(code).length }
  }
  const ours = await bundle("effect-pinecone.ts", "browser")
  const floor = await bundle("effect-floor.ts", "browser")
  const sdk = await bundle("official-sdk.ts", "node")
  out("| program: describe, then poll until done | minified | minified + gzip |")
  out("| --- | --- | --- |")
  out(
    `| effect-pinecone with FetchHttpClient (esbuild --platform=browser) | ${fmt(ours.min / 1024, 1)} KiB | ${
      fmt(ours.gzip / 1024, 1)
    } KiB |`
  )
  out(
    `| for comparison: Effect + FetchHttpClient + one Schema class, retry and timeout, no effect-pinecone (the floor) | ${
      fmt(floor.min / 1024, 1)
    } KiB | ${fmt(floor.gzip / 1024, 1)} KiB |`
  )
  out(
    `| official SDK 9.0.0 (esbuild --platform=node: it needs node's \`stream\`, so it does not bundle for the browser) | ${
      fmt(sdk.min / 1024, 1)
    } KiB | ${fmt(sdk.gzip / 1024, 1)} KiB |`
  )
  return { ours: ours.gzip, sdk: sdk.gzip }
}

/** Section 1 alone (`node bench/run.ts percall`), for profiling. */
const perCallOnly = async () => {
  execFileSync("pnpm", ["build"], { cwd: root, stdio: "ignore" })
  const emulator = await startEmulator()
  try {
    console.log(JSON.stringify(await perCall(emulator.url)))
  } finally {
    emulator.stop()
  }
}

// --- 6. uploading a large file from disk ---------------------------------------------------------
const uploadMb = 200

/** One upload of `path` to the emulator at `url` by `client`, in this (fresh) process: ms and RSS growth. */
const uploadChild = async (client: string, url: string, path: string) => {
  // every module loaded before the baseline, so that only the upload's own memory is counted
  const { FileSource } = await import("@effect-pinecone/core")
  const { NodeFileSource } = await import("@effect-pinecone/node")
  const NodeContext = await import("@effect/platform-node/NodeContext")
  const { createReadStream, statSync } = await import("node:fs")
  const { Readable } = await import("node:stream")
  gc()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  let peakBuffers = 0
  const sampler = setInterval(() => {
    const memory = process.memoryUsage()
    peak = Math.max(peak, memory.rss)
    peakBuffers = Math.max(peakBuffers, memory.arrayBuffers)
  }, 5)
  const start = performance.now()
  if (client === "node" || client === "portable") {
    const source = client === "node" ? NodeFileSource.fromPath(path) : FileSource.fromPath(path)
    const program = Effect.flatMap(source, (file) => AssistantClient.uploadFile({ assistantName: "bench", file }))
    await Effect.runPromise(
      program.pipe(
        Effect.provide(NodeAssistantClient.layer({ apiKey: Redacted.make(apiKey), host: url })),
        Effect.provide(NodeContext.layer)
      ) as Effect.Effect<unknown>
    )
  } else if (client === "undici") {
    const boundary = "bench-boundary-1234567890"
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`
    )
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    async function* body() {
      yield head
      for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 })) yield chunk as Buffer
      yield tail
    }
    const response = await undiciRequest(`${url}/assistant/files/bench`, {
      method: "POST",
      headers: {
        "Api-Key": apiKey,
        "X-Pinecone-Api-Version": "2026-04",
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": String(head.length + statSync(path).size + tail.length)
      },
      body: Readable.from(body())
    })
    await response.body.text()
    if (response.statusCode !== 202) throw new Error(`undici upload: ${response.statusCode}`)
  } else {
    const sdk = new Pinecone({ apiKey }).assistant({ name: "bench", host: `${url}/assistant` })
    await sdk.uploadFile({ path })
  }
  const ms = performance.now() - start
  clearInterval(sampler)
  console.log(
    JSON.stringify({ ms, rssGrowthMb: (peak - baseline) / 1024 / 1024, buffersMb: peakBuffers / 1024 / 1024 })
  )
}

const uploads = async () => {
  const { mkdtempSync, rmSync } = await import("node:fs")
  const { tmpdir } = await import("node:os")
  const dir = mkdtempSync(`${tmpdir()}/effect-pinecone-bench-`)
  const path = `${dir}/big.pdf`
  // a generated file, written in 1 MiB pieces (never whole in this process)
  const { openSync, writeSync, closeSync } = await import("node:fs")
  const fd = openSync(path, "w")
  const piece = Buffer.alloc(1024 * 1024)
  for (let i = 0; i < uploadMb; i++) {
    piece.fill(i & 0xff)
    writeSync(fd, piece)
  }
  closeSync(fd)
  const emulator = await startEmulator(["--max-file-mb", String(uploadMb + 10)])
  try {
    await fetch(`${emulator.url}/_emulator/assistants`, { method: "POST", body: JSON.stringify({ name: "bench" }) })
    const clients: Array<[string, string]> = [
      ["node", "effect-pinecone, `NodeFileSource.fromPath` (Node reads the file; undici sends it)"],
      ["portable", "effect-pinecone, `FileSource.fromPath` (through `FileSystem` and a `Stream`)"],
      ["undici", "undici"],
      ["sdk", "official SDK 9.0.0 (path upload)"]
    ]
    type Run = { ms: number; rssGrowthMb: number; buffersMb: number }
    const measure = (rounds: number, which: ReadonlyArray<[string, string]>, nodeFlags: ReadonlyArray<string> = []) => {
      const runs: Record<string, Array<Run>> = {}
      for (let round = 0; round < rounds; round++) {
        for (const [client] of which) {
          const lines = sectionInChild("upload-child", [client, emulator.url, path], [
            "--conditions=source",
            ...nodeFlags
          ])
          ;(runs[client] ??= []).push(JSON.parse(lines.pop()!))
        }
      }
      return runs
    }
    const table = (title: string, which: ReadonlyArray<[string, string]>, runs: Record<string, Array<Run>>) => {
      const undiciMs = median(runs.undici!.map((r) => r.ms))
      out(`| ${title} | MB/s | vs undici | peak RSS growth | peak ArrayBuffer memory |`)
      out("| --- | --- | --- | --- | --- |")
      for (const [client, label] of which) {
        const ms = median(runs[client]!.map((r) => r.ms))
        const rss = median(runs[client]!.map((r) => r.rssGrowthMb))
        const buffers = median(runs[client]!.map((r) => r.buffersMb))
        out(
          `| ${label} | ${fmt(uploadMb / (ms / 1000))} | ${(undiciMs / ms).toFixed(2)}x | ${fmt(rss)} MB | ${
            fmt(buffers)
          } MB |`
        )
      }
      return undiciMs
    }
    const runs = measure(5, clients)
    const undiciMs = table(`${uploadMb} MB file from disk (median of 5, a fresh process each)`, clients, runs)
    const ours = runs.node!
    out()
    out(
      `Goal: RSS growth under 32 MB (${fmt(median(ours.map((r) => r.rssGrowthMb)))} MB) and at least 0.9x undici's ` +
        `throughput (${(undiciMs / median(ours.map((r) => r.ms))).toFixed(2)}x), for \`NodeFileSource.fromPath\`. ` +
        `Each run's RSS growth: ${ours.map((r) => fmt(r.rssGrowthMb)).join(", ")} MB; undici's: ${
          runs.undici!.map((r) => fmt(r.rssGrowthMb)).join(", ")
        } MB.`
    )
    out()
    out("The peak ArrayBuffer memory is the same 32 MB for `NodeFileSource.fromPath` and for undici: the file's read")
    out("buffers, which die once sent and wait for V8's young-generation collection, started when dead buffers reach")
    out("32 MB. The 32 MB goal sits on that floor. Through a `Stream`, buffers outlive the young generation and wait")
    out("for a full collection instead.")
  } finally {
    emulator.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

const main = async () => {
  const started = Date.now()
  execFileSync("pnpm", ["build"], { cwd: root, stdio: "ignore" })
  const emulator = await startEmulator()
  try {
    out("## 1. Per-call cost of describeOperation against the emulator (loopback)")
    out()
    out(
      "Median of 5 rounds of 1,000 sequential calls (2,000 with 32 in flight), the clients' order turning each round, after 300"
    )
    out("calls of warm-up each.")
    out()
    const ratios = await perCall(emulator.url)
    out()
    out("### Where the time goes")
    out()
    out("Each row adds one piece of what describe does to a bare platform call, measured in this run on an in-process")
    out("transport (no sockets, so the rows are CPU cost without the loopback's noise): every piece is one of Effect's")
    out("or @effect/platform's own combinators.")
    out()
    // in a fresh process, so that the heap of the clients above does not add its collections to the rows
    for (const line of sectionInChild("breakdown")) out(line)
    out()
    await rateLimiters()
    out()
    const x = (n: number) => `${n.toFixed(2)}x`
    out(
      "Guard: describe inside one Effect program within 1.35x raw fetch's time per call, sequential and with 32 in flight,"
    )
    out(
      "with the pipeline written in Effect's own combinators (scoped attempt under `Effect.timeoutFail`, `Effect.retry`,"
    )
    out(
      "Schema decoding). Before the simplification (the hand-written watchdog, context regions, retry driver and decoding"
    )
    out("fast path; the committed run of 5361645): 1.03x sequential and 1.11x with 32 in flight.")
    out()
    out(
      "| time per call vs raw fetch | one runPromise per call | inside one program | guard (1.35x) | official SDK | platform floor |"
    )
    out("| --- | --- | --- | --- | --- | --- |")
    for (const [name, r] of [["sequential", ratios.sequential], ["32 in flight", ratios.inFlight]] as const) {
      out(
        `| ${name} | ${x(r.perCall)} | ${x(r.inside)} | ${r.inside <= 1.35 ? "held" : "NOT held"} | ${x(r.sdk)} | ${
          x(r.floor)
        } |`
      )
    }
    out()
  } finally {
    emulator.stop()
  }
  out("## 2. Decode throughput")
  out()
  decodeThroughput()
  out()
  out("## 3. Scale of waiting")
  out()
  out(
    "Memory: 10,000 `waitForOperation` fibers of one client parked between polls (a stub transport answers). Requests: 10,000 waits on emulator"
  )
  out(
    "operations (in-process, no sockets) finishing at random within 60 s, each wait started at random within the first"
  )
  out(
    "10 s, on a clock running 2x faster than the wall. Waits on one client and assistant share their polls by default"
  )
  out("(`coordinate: false` turns it off); the rows below measure both.")
  out()
  await scale()
  out()
  await manyOperations()
  out()
  out("## 4. Start-up")
  out()
  startup()
  out()
  out("## 5. Bundle size")
  out()
  const size = await bundles()
  out()
  out(`Goal: no bigger than the official SDK's bundle (${(size.ours / size.sdk).toFixed(2)}x).`)
  out()
  out("## 6. Uploading a large file")
  out()
  out("A generated file uploaded from disk to the emulator (another process, loopback) through `NodeAssistantClient`:")
  out("effect-pinecone's multipart body from each kind of source, next to raw undici streaming the same multipart body")
  out(
    "(`fs.createReadStream`, 64 KiB reads) and the official SDK's path upload (which reads the whole file into memory"
  )
  out(
    "first). `NodeFileSource.fromPath`'s chunks go from `fs.createReadStream` to undici; `FileSource.fromPath`'s pass"
  )
  out(
    "through `FileSystem` and a `Stream`, where each 256 KiB chunk outlives V8's young generation and waits for a full"
  )
  out("collection.")
  out()
  await uploads()
  out()
  out("## 7. Syncing 1,000 files within the Starter plan's limits")
  out()
  out("`AssistantSync.sync` of 1,000 small files against the emulator enforcing the Starter preset (5 uploads, 5")
  out("deletes, 100 reads a minute; 429 with Retry-After past them), in memory on the TestClock. Goal: at least 0.9x")
  out("of the limit, and no 429 once the budget has adapted.")
  out()
  await syncBench()
  out()

  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  writeFileSync(
    `${root}BENCHMARKS.md`,
    `# Benchmarks

Written by \`pnpm bench\` from its own output (this run: ${seconds} s, Node ${process.version}, ${
      readFileSync("/proc/cpuinfo", "utf8").match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU"
    }, 2 cores). Every comparison is a ratio measured in this same run against the same loopback emulator. Do not edit
by hand.

${lines.join("\n")}
`
  )
}

// 1,000 files synced against the emulator enforcing the Starter plan's limits, in memory on the
// TestClock (about 200 minutes of the clock in a few seconds of the wall).
const syncBench = async () => {
  const row = (budget: "starter" | undefined) =>
    Effect.gen(function*() {
      const statuses: Array<number> = []
      const emulator = yield* Emulator.make({ rateLimits: "starter", onResponse: (e) => statuses.push(e.status) })
      yield* emulator.createAssistant("docs")
      yield* emulator.setProcessing(new Emulator.ProcessingScript({ durationMs: 2000, outcome: "Completed" }))
      const putTimes: Array<number> = []
      const http = HttpClient.tapRequest(Emulator.makeHttpClient(emulator), (request) =>
        request.method === "PUT"
          ? Effect.map(Clock.currentTimeMillis, (t) => void putTimes.push(t))
          : Effect.void)
      const client = yield* AssistantClient.make({ apiKey: Redacted.make(emulator.apiKey), host: "http://127.0.0.1" })
        .pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, http)))
      const entries = Stream.range(0, 999).pipe(
        Stream.map((i) => ({
          key: `docs/page-${i}.md`,
          source: FileSource.fromBytes(`page-${i}.md`, new TextEncoder().encode(`# Page ${i}\n`))
        }))
      )
      const report = yield* onTestClock(
        AssistantSync.sync({ assistantName: "docs", entries, budget, timeout: "6 hours" }).pipe(
          Effect.provideService(AssistantClient.AssistantClient, client)
        )
      )
      const accepted = putTimes.length
      const minutes = (putTimes.at(-1)! - putTimes[0]!) / 60_000
      return {
        created: report.totals.created,
        failed: report.totals.failed,
        perMinute: (report.totals.created - 1) / minutes,
        tooMany: statuses.filter((s) => s === 429).length,
        requestsPerFile: statuses.length / 1000,
        puts: accepted
      }
    }).pipe(Effect.provide(TestContext.TestContext))
  out(
    "| budget | files created | failed | uploads per minute (ratio of Starter's 5) | 429s received | requests per file |"
  )
  out("| --- | --- | --- | --- | --- | --- |")
  for (
    const [name, budget] of [["`budget: \"starter\"` (the preset)", "starter"], [
      "none (adaptive: learns from the 429s)",
      undefined
    ]] as const
  ) {
    const r = await Effect.runPromise(Effect.scoped(row(budget)))
    out(
      `| ${name} | ${r.created} | ${r.failed} | ${r.perMinute.toFixed(2)} (${
        (r.perMinute / 5).toFixed(2)
      }x) | ${r.tooMany} | ${r.requestsPerFile.toFixed(2)} |`
    )
  }
}

const only = process.argv[2]
const selected = only === "memory"
  ? memory().then((figures) => console.log(JSON.stringify(figures)))
  : only === "scale"
  ? scale().then(() => undefined)
  : only === "traffic"
  ? traffic(Number(process.env.BENCH_WAITERS ?? 10_000), undefined, process.argv[3] !== "alone").then((r) =>
    console.log(JSON.stringify(r))
  )
  : only === "starter"
  ? Effect.runPromise(Effect.scoped(starterTraffic(Number(process.env.BENCH_WAITERS ?? 10_000)))).then((r) =>
    console.log(JSON.stringify(r))
  )
  : only === "files"
  ? Effect.runPromise(Effect.scoped(Effect.all([fileWaits(1000, true), fileWaits(1000, false)]))).then((r) =>
    console.log(JSON.stringify(r))
  )
  : only === "many"
  ? manyOperations()
  : only === "bundle"
  ? bundles().then(() => undefined)
  : only === "percall"
  ? perCallOnly()
  : only === "breakdown"
  ? breakdown()
  : only === "upload-child"
  ? uploadChild(process.argv[3]!, process.argv[4]!, process.argv[5]!)
  : only === "uploads"
  ? uploads()
  : only === "sync"
  ? syncBench()
  : main()

selected.then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
