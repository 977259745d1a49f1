// The token-bucket arithmetic both throttles share, as plain numbers (no Effect): the generic cell
// rate algorithm. Each caller reserves the next free slot (its theoretical arrival time, less the
// burst the bucket tolerates) and waits until it; there is no refill fiber and no timer per token.
// A pause (a 429's Retry-After) holds every slot back until it ends.

/** @internal */
export interface Bucket {
  /** Milliseconds between two requests (0: no limit, only pauses). */
  interval: number
  /** How far ahead of its slot a request may go: `(burst - 1) * interval`. */
  tolerance: number
  /** The theoretical arrival time of the next request. */
  theoretical: number
  /** No request before this time. */
  pausedUntil: number
}

/** A bucket of one request per `interval` ms, with bursts of up to `burst` requests. @internal */
export const make = (interval: number, burst = 1): Bucket => ({
  interval,
  tolerance: Math.max(0, burst - 1) * interval,
  theoretical: -Infinity,
  pausedUntil: -Infinity
})

/** Reserves the next slot at `now`: the time it is at (`now` or later). @internal */
export const reserve = (bucket: Bucket, now: number): number => {
  const tat = Math.max(bucket.theoretical, now, bucket.pausedUntil)
  bucket.theoretical = tat + bucket.interval
  return Math.max(now, bucket.pausedUntil, tat - bucket.tolerance)
}

/** Gives back a slot reserved and not used (its caller stopped waiting). @internal */
export const release = (bucket: Bucket): void => {
  bucket.theoretical -= bucket.interval
}

/** A new spacing, from the next slot on. @internal */
export const respace = (bucket: Bucket, interval: number): void => {
  bucket.interval = interval
}
