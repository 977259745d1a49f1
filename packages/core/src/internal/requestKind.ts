// Which of a plan's per-minute limits a request counts against, from its method and path (after the
// host): the client's budget and the emulator's limits read it the same way. No Effect.

/** @internal */
export type RequestKind = "uploads" | "deletes" | "reads" | "assistants"

/** The control plane's requests, then every GET, DELETE, and the rest (upload, upsert). @internal */
export const requestKind = (method: string, path: string): RequestKind =>
  path.startsWith("/assistant/assistants")
    ? "assistants"
    : method === "GET"
    ? "reads"
    : method === "DELETE"
    ? "deletes"
    : "uploads"
