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
  /** Slots given back before the last one (their theoretical times, ascending): the next callers take them first. */
  readonly holes: Array<number>
}

/** A slot reserved: when its caller may go, and its place in the bucket (to give it back). @internal */
export interface Slot {
  readonly at: number
  readonly theoretical: number
}

/** A bucket of one request per `interval` ms, with bursts of up to `burst` requests. @internal */
export const make = (interval: number, burst = 1): Bucket => ({
  interval,
  tolerance: Math.max(0, burst - 1) * interval,
  theoretical: -Infinity,
  pausedUntil: -Infinity,
  holes: []
})

const at = (bucket: Bucket, now: number, theoretical: number): Slot => ({
  at: Math.max(now, bucket.pausedUntil, theoretical - bucket.tolerance),
  theoretical
})

/** Reserves the next free slot at `now`: the earliest one given back, else a new one after the last. @internal */
export const reserve = (bucket: Bucket, now: number): Slot => {
  if (bucket.holes.length > 0) {
    // an idle bucket's new slot is as early as any given back
    if (bucket.theoretical > now) return at(bucket, now, bucket.holes.shift()!)
    bucket.holes.length = 0
  }
  const theoretical = Math.max(bucket.theoretical, now, bucket.pausedUntil)
  bucket.theoretical = theoretical + bucket.interval
  return at(bucket, now, theoretical)
}

// float sums of the interval: equal within this
const same = (a: number, b: number) => Math.abs(a - b) < 1e-6

/**
 * Gives back a slot reserved and not used (its caller stopped waiting): that slot, not the last one, so
 * that the requests already waiting for the later slots stay spaced.
 * @internal
 */
export const release = (bucket: Bucket, slot: Slot): void => {
  if (!same(slot.theoretical + bucket.interval, bucket.theoretical)) {
    const i = bucket.holes.findIndex((h) => h > slot.theoretical)
    bucket.holes.splice(i === -1 ? bucket.holes.length : i, 0, slot.theoretical)
    return
  }
  bucket.theoretical = slot.theoretical
  // the last slot given back: the holes just before it are the end of the bucket now
  while (
    bucket.holes.length > 0 && same(bucket.holes[bucket.holes.length - 1]! + bucket.interval, bucket.theoretical)
  ) {
    bucket.theoretical = bucket.holes.pop()!
  }
}

/** A new spacing, from the next slot on. @internal */
export const respace = (bucket: Bucket, interval: number): void => {
  bucket.interval = interval
}
