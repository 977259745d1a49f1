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
  /** The per-minute limits in force, per kind of request (a plan's), or none. */
  readonly setRateLimits: (limits: RateLimitsInput) => void
  /**
   * Counts one request of `kind` at `now` against its limit (a sliding minute): `None` if it is let
   * through, else the seconds to wait before one would be.
   */
  readonly rateLimited: (kind: keyof RateLimitsInput, now: number) => Option.Option<number>
}

/** Requests per minute of each kind; a kind left out is not limited. @internal */
export interface RateLimitsInput {
  readonly uploads?: number | undefined
  readonly deletes?: number | undefined
  readonly reads?: number | undefined
  readonly assistants?: number | undefined
}

/** @internal */
export const makeFaults = (initialLimits: RateLimitsInput = {}): FaultState => {
  let faults: FaultsInput = {}
  let limits = initialLimits
  const accepted: Record<keyof RateLimitsInput, Array<number>> = { uploads: [], deletes: [], reads: [], assistants: [] }
  const clearWindows = () => {
    for (const kind of Object.keys(accepted) as Array<keyof RateLimitsInput>) accepted[kind] = []
  }
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
      limits = initialLimits
      clearWindows()
    },
    setRateLimits: (next) => {
      limits = next
      clearWindows()
    },
    rateLimited: (kind, now) => {
      const limit = limits[kind]
      if (limit === undefined) return Option.none()
      const recent = accepted[kind].filter((t) => t > now - 60_000)
      accepted[kind] = recent
      if (recent.length < limit) {
        recent.push(now)
        return Option.none()
      }
      return Option.some(Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000)))
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
