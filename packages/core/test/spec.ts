import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

export const specDir = fileURLToPath(new URL("../../../spec/", import.meta.url))

/** The whole 2026-04 data-plane OpenAPI document (a vendored copy of ../shared/spec). */
export const loadOpenApi = (): any => parse(readFileSync(`${specDir}assistant_data_2026-04.oas.yaml`, "utf8"))

/** The OpenAPI fragment of the describe-operation reference page. */
export const loadDescribePage = (): any => {
  const page = readFileSync(`${specDir}describe_operation-2026-04.md`, "utf8")
  const match = /````yaml[^\n]*\n([\s\S]*?)````/.exec(page)
  if (match === null) throw new Error("no OpenAPI fragment in the describe page")
  return parse(match[1]!)
}

/** Every example of the describe 200 response, by name. */
export const operationExamples = (): Record<string, unknown> => {
  const doc = loadDescribePage()
  const examples = doc.paths["/operations/{assistant_name}/{operation_id}"].get.responses["200"].content[
    "application/json"
  ].examples
  return Object.fromEntries(Object.entries(examples).map(([name, e]: [string, any]) => [name, e.value]))
}

/** Every ErrorResponse example of the describe page. */
export const errorExamples = (): Array<{ status: number; body: any }> => {
  const doc = loadDescribePage()
  const responses = doc.paths["/operations/{assistant_name}/{operation_id}"].get.responses
  return Object.entries(responses).filter(([status]) => status !== "200").flatMap(([status, r]: [string, any]) =>
    Object.values(r.content["application/json"].examples).map((e: any) => ({ status: Number(status), body: e.value }))
  )
}
