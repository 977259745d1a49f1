// The emulator's injected faults: which API request is answered with which error.
import * as Option from "effect/Option"

/** The faults in force (the decoded `Faults`). @internal */
export interface FaultsInput {
  readonly latencyMs?: number | undefined
  readonly rateLimitEveryNth?: number | undefined
  readonly retryAfterSeconds?: number | undefined
  readonly failNext?: { readonly count: number; readonly status: number; readonly code: string } | undefined
}

/** An injected answer. @internal */
export interface Injected {
  readonly status: number
  readonly code: string
  readonly headers: Record<string, string>
}

/** @internal */
export interface FaultState {
  readonly set: (faults: FaultsInput) => void
  readonly reset: () => void
  readonly latencyMs: () => number
  /** Counts one API request and says whether a fault answers it. */
  readonly next: () => Option.Option<Injected>
}

/** @internal */
export const makeFaults = (): FaultState => {
  let faults: FaultsInput = {}
  let requests = 0
  let failLeft = 0
  const retryAfter = (status: number): Record<string, string> =>
    status === 429 || status >= 500 ? { "retry-after": String(faults.retryAfterSeconds ?? 1) } : {}
  return {
    set: (next) => {
      faults = next
      requests = 0
      failLeft = next.failNext?.count ?? 0
    },
    reset: () => {
      faults = {}
      requests = 0
      failLeft = 0
    },
    latencyMs: () => faults.latencyMs ?? 0,
    next: () => {
      requests++
      if (failLeft > 0 && faults.failNext !== undefined) {
        failLeft--
        const { code, status } = faults.failNext
        return Option.some({ status, code, headers: retryAfter(status) })
      }
      if (faults.rateLimitEveryNth !== undefined && requests % faults.rateLimitEveryNth === 0) {
        return Option.some({ status: 429, code: "TOO_MANY_REQUESTS", headers: retryAfter(429) })
      }
      return Option.none()
    }
  }
}
