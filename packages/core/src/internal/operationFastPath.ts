import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import { Operation } from "../Operation.js"

const defer = Symbol()

const optional = <A>(value: unknown, valid: (value: unknown) => value is A): Option.Option<A> | typeof defer =>
  value === undefined || value === null ? Option.none() : valid(value) ? Option.some(value) : defer

const isString = (value: unknown): value is string => typeof value === "string"

const isPercent = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= 100

const isFinite = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value)

const utc = (value: string): DateTime.Utc | typeof defer => {
  try {
    const date = DateTime.unsafeMake(value)
    return DateTime.isUtc(date) ? date : defer
  } catch {
    return defer
  }
}

const optionalUtc = (value: unknown): Option.Option<DateTime.Utc> | typeof defer => {
  if (value === undefined || value === null) return Option.none()
  if (typeof value !== "string") return defer
  const date = utc(value)
  return date === defer ? defer : Option.some(date)
}

/**
 * Decodes a well-formed `OperationModel` (a parsed JSON object) the way `Schema.decodeUnknown(Operation)`
 * does, in a fraction of its time; anything it is not sure of (a wrong type, an unparseable date, a
 * value out of range) returns `undefined`, and then the Schema decides, with its own error. Schema
 * decoding costs more than the rest of a describe call's own work, and every poll decodes; the
 * property tests check that both always agree.
 * @internal
 */
export const decodeOperation = (value: unknown): Operation | undefined => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined
  const wire = value as Record<string, unknown>
  const { created_on, id, operation_type, status } = wire
  if (typeof id !== "string" || typeof operation_type !== "string" || typeof status !== "string") return undefined
  if (typeof created_on !== "string") return undefined
  const createdOn = utc(created_on)
  const fileId = optional(wire.file_id, isString)
  const completedOn = optionalUtc(wire.completed_on)
  const percentComplete = optional(wire.percent_complete, isPercent)
  const errorMessage = optional(wire.error_message, isString)
  const ingestionUnits = optional(wire.ingestion_units, isFinite)
  if (
    createdOn === defer || fileId === defer || completedOn === defer || percentComplete === defer ||
    errorMessage === defer || ingestionUnits === defer
  ) return undefined
  return new Operation({
    id,
    operationType: operation_type,
    fileId,
    status,
    createdOn,
    completedOn,
    percentComplete,
    errorMessage,
    ingestionUnits
  }, true)
}
