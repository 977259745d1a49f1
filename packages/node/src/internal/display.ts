// A block of live lines on a terminal, redrawn in place: one per file, in a stable order.
import { writeOut } from "./output.js"

/** @internal */
export type Line = string

/** @internal */
export class Display {
  private drawn = 0
  constructor(readonly tty: boolean) {}

  /** Redraws the block: each line cut to the terminal's width, so that none wraps and breaks the redraw. */
  draw(lines: ReadonlyArray<Line>): void {
    if (!this.tty) return
    const columns = Math.max(40, (process.stdout.columns || 120) - 1)
    const up = this.drawn > 0 ? `\x1b[${this.drawn}A` : ""
    // a block that shrank clears the lines it no longer uses, and leaves the cursor after its last line
    const stale = Math.max(0, this.drawn - lines.length)
    this.drawn = lines.length
    writeOut(
      up + lines.map((l) => `\r\x1b[2K${l.length > columns ? l.slice(0, columns) : l}\n`).join("") +
        "\r\x1b[2K\n".repeat(stale) + (stale > 0 ? `\x1b[${stale}A` : "")
    )
  }
}
