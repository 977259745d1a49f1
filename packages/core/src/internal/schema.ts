import * as Schema from "effect/Schema"

/**
 * An open enumeration (`x-enum`): the known literals typed, any other string decoded unchanged. The
 * union keeps the literals visible to arbitraries and JSON Schema; the cast keeps them visible to
 * the editor, since `"a" | string` would otherwise collapse to `string`.
 * @internal
 */
export const openEnum = <const Known extends ReadonlyArray<string>>(
  known: Known,
  identifier: string
): Schema.Schema<Known[number] | (string & {}), string> =>
  Schema.Union(Schema.Literal(...known), Schema.String).annotations({ identifier }) as any

/**
 * An optional wire field: the live service omits optional fields instead of sending null, so both
 * decode to None, and None encodes to an omitted field, as the live service sends it.
 * @internal
 */
export const optionalWire = <S extends Schema.Schema.Any, const Key extends string>(schema: S, key: Key) =>
  Schema.optionalWith(schema, { as: "Option", nullable: true }).pipe(Schema.fromKey(key))
