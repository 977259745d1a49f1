import * as Effect from "effect/Effect"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo, Socket } from "node:net"

export interface Hit {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
}

export type Handler = (req: IncomingMessage, res: ServerResponse, hit: number, server: FaultServer) => void

export interface FaultServer {
  readonly url: string
  readonly port: number
  readonly hits: Array<Hit>
  /** Bytes of response bodies written so far. */
  bytesWritten: number
  /** Resolves `true` once no connection is open (or `false` after `ms` of real time). */
  readonly allClosed: (ms: number) => Promise<boolean>
}

/** A real node:http server on 127.0.0.1 that answers with `handler`; closed with the scope. */
export const faultServer = (handler: Handler, host = "127.0.0.1") =>
  Effect.acquireRelease(
    Effect.async<{ server: Server; state: FaultServer; sockets: Set<Socket> }>((resume) => {
      const sockets = new Set<Socket>()
      const waiters = new Set<() => void>()
      const server = createServer()
      const state: FaultServer = {
        url: "",
        port: 0,
        hits: [],
        bytesWritten: 0,
        allClosed: (ms) =>
          new Promise<boolean>((resolve) => {
            if (sockets.size === 0) return resolve(true)
            const timer = setTimeout(() => {
              waiters.delete(done)
              resolve(false)
            }, ms)
            const done = () => {
              clearTimeout(timer)
              resolve(true)
            }
            waiters.add(done)
          })
      }
      server.on("connection", (socket) => {
        sockets.add(socket)
        socket.on("close", () => {
          sockets.delete(socket)
          if (sockets.size === 0) { for (const w of [...waiters]) (waiters.delete(w), w()) }
        })
      })
      server.on("request", (req, res) => {
        state.hits.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers })
        handler(req, res, state.hits.length - 1, state)
      })
      server.listen(0, host, () => {
        const { port } = server.address() as AddressInfo
        Object.assign(state, { port, url: `http://${host}:${port}` })
        resume(Effect.succeed({ server, state, sockets }))
      })
    }),
    ({ server, sockets }) =>
      Effect.async<void>((resume) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))

/** A port nothing listens on: bound, then closed. */
export const closedPort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo
    server.close(() => resume(Effect.succeed(port)))
  })
})

export const operationJson = (status: string, percent?: number) =>
  JSON.stringify({
    id: "op-1",
    operation_type: "upload_file",
    status,
    created_on: "2026-04-01T00:00:00.000Z",
    ...(percent === undefined ? {} : { percent_complete: percent }),
    ...(status === "Completed" ? { completed_on: "2026-04-01T00:01:00.000Z" } : {})
  })

export const sendJson = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), ...headers })
  res.end(body)
}

export const errorJson = (status: number, code: string, message = code) =>
  JSON.stringify({ status, error: { code, message } })

/** Writes `total` bytes in 64 KiB chunks, honouring backpressure, until done or the client goes away. */
export const stream = (res: ServerResponse, total: number, state: FaultServer) => {
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  let sent = 0
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length
      state.bytesWritten += chunk.length
      if (!res.write(chunk)) return res.once("drain", pump)
    }
    if (!res.destroyed) res.end()
  }
  res.on("close", () => undefined)
  pump()
}
