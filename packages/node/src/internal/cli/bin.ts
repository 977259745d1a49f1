import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Cause from "effect/Cause"
import type * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { ExitCode } from "../exit.js"
import { redact } from "../output.js"

/** Runs a command line as the process: its exit code, Ctrl-C as 130, a bug shown in full. @internal */
export const runBin = (main: (argv: ReadonlyArray<string>) => Effect.Effect<number>): void => {
  // A reader that went away (`... | head -1`) is not a failure of the command: stop quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.Ok)
    throw error
  })
  NodeRuntime.runMain(main(process.argv), {
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      if (Exit.isSuccess(exit)) return onExit(exit.value as number)
      if (Cause.isInterruptedOnly(exit.cause)) return onExit(ExitCode.Interrupted)
      // Not an expected failure (those are exit codes 1-5): a bug, shown in full.
      process.stderr.write(redact(`internal error: ${Cause.pretty(exit.cause)}\n`))
      onExit(70)
    }
  })
}
