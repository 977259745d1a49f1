// A block of live lines on a terminal, redrawn in place, that never outgrows the screen: while every
// line fits it shows them all in their order; when they do not, finished lines are printed once as
// permanent lines above the block, and what is still live past the screen's height is "+N more".
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { out, terminalSize } from "./print.js"

/** @internal */
export type Line = string

/** One entry of the block: `done` lines may leave it as permanent lines. @internal */
export interface Entry {
  readonly key: string
  readonly text: Line
  readonly done: boolean
}

/** @internal */
export interface Display {
  /** Redraws the block: each line cut to the terminal's width, so that none wraps and breaks the redraw. */
  readonly draw: (entries: ReadonlyArray<Entry | Line>) => Effect.Effect<void>
}

/** What the block drew last: its live lines' count and the entries printed as permanent lines. */
interface State {
  drawn: number
  readonly settled: Set<string>
}

const frame = (state: State, entries: ReadonlyArray<Entry | Line>, columns: number, rows: number): string => {
  const width = Math.max(20, columns - 1)
  // the block keeps a line free for the cursor and one for the summary that follows it
  const room = Math.max(2, rows - 2)
  const all = entries.map((e, i) => typeof e === "string" ? { key: String(i), text: e, done: false } : e)
  let live = all.filter((e) => !state.settled.has(e.key))
  const permanent: Array<Line> = []
  if (live.length > room) {
    for (const e of live) {
      if (!e.done) continue
      state.settled.add(e.key)
      permanent.push(e.text)
    }
    live = live.filter((e) => !state.settled.has(e.key))
  }
  const shown = live.length > room
    ? [...live.slice(0, room - 1).map((e) => e.text), `+${live.length - room + 1} more`]
    : live.map((e) => e.text)
  const lines = [...permanent, ...shown]
  const up = state.drawn > 0 ? `\x1b[${state.drawn}A` : ""
  // a block that shrank clears the lines it no longer uses, and leaves the cursor after its last line
  const stale = Math.max(0, state.drawn - lines.length)
  // permanent lines stay where they are: only the live ones are redrawn next time
  state.drawn = shown.length
  return up + lines.map((l) => `\r\x1b[2K${l.length > width ? l.slice(0, width) : l}\n`).join("") +
    "\r\x1b[2K\n".repeat(stale) + (stale > 0 ? `\x1b[${stale}A` : "")
}

/** A live block on a terminal; off one (`tty` false) it draws nothing. @internal */
export const make = (tty: boolean): Display => {
  const state: State = { drawn: 0, settled: new Set() }
  // a frame is written before the next is worked out: two fibers redrawing (a ticker, an event) never
  // interleave their cursor moves
  const lock = Effect.unsafeMakeSemaphore(1)
  return {
    draw: (entries) =>
      tty
        ? lock.withPermits(1)(
          Effect.flatMap(
            terminalSize({ columns: 120, rows: 24 }),
            ({ columns, rows }) => out(frame(state, entries, columns, rows))
          )
        )
        : Effect.void
  }
}

/**
 * Runs `effect` while `redraw` runs every 100 ms on a terminal (a live line's elapsed time moves even
 * when nothing else does), then draws once more as it ends, however it ends. @internal
 */
export const live = <A, E, R>(
  tty: boolean,
  redraw: Effect.Effect<void>,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  tty
    ? Effect.flatMap(
      // forked where it can be interrupted (an acquire's fork would inherit its uninterruptibility)
      Effect.fork(Effect.forever(Effect.zipRight(redraw, Effect.sleep("100 millis")))),
      (ticker) => Effect.ensuring(effect, Effect.zipRight(Fiber.interrupt(ticker), redraw))
    )
    : effect

/** A progress bar: `[#####-----]`, `percent` of `width` filled. @internal */
export const bar = (percent: number, width = 20): string => {
  const filled = Math.round(width * Math.min(100, Math.max(0, percent)) / 100)
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`
}
