import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import type * as Terminal from "@effect/platform/Terminal"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { ExitCode } from "../output/exit.js"

/**
 * Runs a command line as the process, on Node's terminal: its exit code, Ctrl-C as 130. The one place
 * besides Node's own layers that touches `process.stdout` and `process.stderr`.
 * @internal
 */
export const runBin = (
  main: (argv: ReadonlyArray<string>) => Effect.Effect<number, never, Terminal.Terminal>
): void => {
  // A reader that went away (`... | head -1`) is not a failure of the command: stop quietly.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(ExitCode.Ok)
    throw error
  })
  NodeRuntime.runMain(Effect.provide(main(process.argv), NodeTerminal.layer), {
    disableErrorReporting: true,
    teardown: (exit, onExit) => {
      if (Exit.isSuccess(exit)) return onExit(exit.value as number)
      if (Cause.isInterruptedOnly(exit.cause)) return onExit(ExitCode.Interrupted)
      // main prints its own defects: this is one of the layer's
      process.stderr.write(`internal error: ${Cause.pretty(exit.cause)}\n`)
      onExit(ExitCode.Internal)
    }
  })
}
