// Every line the CLIs print goes through here: secrets the CLI was given (the API key) never reach
// the screen, whatever their source (a server's error message that echoes the key, say).
import * as Effect from "effect/Effect"

const secrets = new Set<string>()

/** Keeps `secret` off every line printed from now on (values shorter than 4 characters excepted). @internal */
export const addSecret = (secret: string): void => {
  if (secret.trim().length >= 4) secrets.add(secret.trim())
}

/** `text` with each known secret replaced by `<redacted>`. @internal */
export const redact = (text: string): string => {
  let out = text
  for (const secret of secrets) out = out.split(secret).join("<redacted>")
  return out
}

/** Writes to standard output, unbuffered and unchanged but for secrets. @internal */
export const writeOut = (text: string): void => {
  process.stdout.write(redact(text))
}

/** Writes to standard error, unchanged but for secrets. @internal */
export const writeErr = (text: string): void => {
  process.stderr.write(redact(text))
}

/** @internal */
export const out = (text: string) => Effect.sync(() => writeOut(text))

/** @internal */
export const err = (text: string) => Effect.sync(() => writeErr(text))

/** Whether standard output is a terminal (a live display, colours), else NDJSON and plain text. @internal */
export const isTerminal = (): boolean => process.stdout.isTTY === true

/** The terminal's size, or a default when it is not one. @internal */
export const terminalSize = (defaults: { readonly columns: number; readonly rows: number }) => ({
  columns: process.stdout.columns || defaults.columns,
  rows: process.stdout.rows || defaults.rows
})
