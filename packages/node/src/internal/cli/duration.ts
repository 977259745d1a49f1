// Durations as a person writes them on a command line (`--timeout 10m`).
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"

const units: Readonly<Record<string, number>> = {
  ms: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000
}

/**
 * A duration as a person writes it: `90s`, `10m`, `1h30m`, `10 minutes`, `1 hour 30 minutes`, `500ms`
 * or `infinity`; a bare number is seconds.
 * @internal
 */
export const parseTimeout = (text: string): Option.Option<Duration.Duration> => {
  const trimmed = text.trim().toLowerCase()
  if (trimmed === "infinity") return Option.some(Duration.infinity)
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Option.some(Duration.seconds(Number(trimmed)))
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y
  let millis = 0
  let parts = 0
  part.lastIndex = 0
  while (part.lastIndex < trimmed.length) {
    const match = part.exec(trimmed)
    if (match === null) return Option.none()
    const unit = units[match[2]!]
    if (unit === undefined) return Option.none()
    millis += Number(match[1]) * unit
    parts++
  }
  return parts === 0 || !Number.isFinite(millis) ? Option.none() : Option.some(Duration.millis(millis))
}
