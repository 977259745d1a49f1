// The emulator's peak RSS growth while it takes one 100 MB upload: it keeps the file's size and CRC, never its
// bytes. The emulator serves from this process; a child process sends the multipart body, 1 MiB at a time. Prints
// one JSON line: the growth in MiB and the upload's HTTP status. Run by test/emulatorBodies.test.ts.
import * as Emulator from "@effect-pinecone/core/Emulator"
import * as NodeEmulator from "@effect-pinecone/node/NodeEmulator"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"

const apiKey = "rss-key"

const client = (url: string) => `
  const chunk = new Uint8Array(1024 * 1024).fill(97)
  const boundary = "b0undary"
  const encode = (s) => new TextEncoder().encode(s)
  const head = encode("--" + boundary + "\\r\\nContent-Disposition: form-data; name=\\"file\\"; filename=\\"big.txt\\"\\r\\n" +
    "Content-Type: text/plain\\r\\n\\r\\n")
  const tail = encode("\\r\\n--" + boundary + "--\\r\\n")
  let n = 0
  const body = new ReadableStream({
    pull(c) {
      if (n === 0) c.enqueue(head)
      if (n < 100) c.enqueue(chunk)
      else { c.enqueue(tail); c.close() }
      n++
    }
  })
  fetch(${JSON.stringify(url)} + "/assistant/files/docs", {
    method: "POST",
    headers: { "api-key": ${JSON.stringify(apiKey)}, "x-pinecone-api-version": "2026-04",
      "content-type": "multipart/form-data; boundary=" + boundary },
    body,
    duplex: "half"
  }).then((r) => process.exit(r.status === 202 ? 0 : 1), () => process.exit(2))
`

const program = Effect.gen(function*() {
  const url = yield* NodeEmulator.url
  const emulator = yield* Emulator.Emulator
  yield* emulator.createAssistant("docs")
  globalThis.gc?.()
  const held = () => {
    const m = process.memoryUsage()
    return m.heapUsed + m.arrayBuffers
  }
  const heldBefore = held()
  const before = process.memoryUsage().rss
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5)
  const code = yield* Effect.async<number | null>((resume) => {
    const child = spawn(process.execPath, ["-e", client(url)], { stdio: "inherit" })
    child.on("exit", (status) => resume(Effect.succeed(status)))
  })
  clearInterval(sampler)
  // what the emulator still holds once the upload is over, in its heap and buffers (the RSS peak also
  // counts garbage not yet collected, and freed memory the allocator keeps)
  // a few collections, with turns of the loop between them: buffers are let go as their sockets close
  for (let i = 0; i < 5; i++) {
    yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 20)))
    globalThis.gc?.()
  }
  const retained = held() - heldBefore
  const [stored] = yield* emulator.storedFiles("docs")
  console.log(JSON.stringify({
    rssGrowthMiB: (peak - before) / 1024 / 1024,
    retainedMiB: retained / 1024 / 1024,
    accepted: code === 0,
    size: stored?.size
  }))
})

Effect.runPromise(program.pipe(Effect.provide(NodeEmulator.layer({ apiKey })), Effect.scoped))
