// The in-memory clients of `AssistantClientTest.layerTest` and `layerTestScripted`: each request checked as
// the real client checks it (nothing handled otherwise), then answered by the test's handlers.
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as AssistantClientModule from "../../AssistantClient.js"
import type * as AssistantClientTest from "../../AssistantClientTest.js"
import * as AssistantError from "../../AssistantError.js"
import * as Operation from "../../Operation.js"
import * as internal from "../http.js"
import * as Assistants from "./assistants.js"
import * as Params from "./params.js"

type TestHandler = AssistantClientTest.TestHandler
type TestListHandler = AssistantClientTest.TestListHandler
type TestFileHandlers = AssistantClientTest.TestFileHandlers
type Service = AssistantClientModule.Service
type ScriptStep = AssistantClientTest.ScriptStep

const answer = <A, E, Req>(
  check: Either.Either<unknown, AssistantError.InvalidRequestError>,
  handler: ((request: Req) => Effect.Effect<A, E>) | undefined,
  request: Req,
  what: string
): Effect.Effect<A, E | AssistantError.CallError> =>
  Either.isLeft(check)
    ? Effect.fail(check.left)
    : handler === undefined
    ? Effect.fail(AssistantError.make("UNIMPLEMENTED", 501, `This test layer was given no ${what} handler.`))
    : Effect.suspend(() => handler(request))

/** @internal */
export const makeTest = (
  handler: TestHandler,
  options?: { readonly list?: TestListHandler | undefined; readonly files?: TestFileHandlers | undefined }
): Service => {
  const files = options?.files ?? {}
  return {
    describeAssistant: (request) =>
      answer(
        internal.encodeSegment("assistantName", request.assistantName),
        files.describeAssistant,
        request,
        "describeAssistant"
      ),
    describeOperation: (request) => answer(Params.operationPath(request), handler, request, "describe"),
    listOperationsPage: (request) => answer(Params.operationsPagePath(request), options?.list, request, "list"),
    uploadFile: (request) => answer(Params.uploadParams(request), files.uploadFile, request, "uploadFile"),
    upsertFile: (request) => answer(Params.uploadParams(request), files.upsertFile, request, "upsertFile"),
    deleteFile: (request) => answer(Params.filePath(request), files.deleteFile, request, "deleteFile"),
    describeFile: (request) => answer(Params.filePath(request), files.describeFile, request, "describeFile"),
    listFilesPage: (request) => answer(Params.filesPagePath(request), files.listFilesPage, request, "listFilesPage"),
    createAssistant: (request) =>
      answer(Assistants.createBody(request), files.createAssistant, request, "createAssistant"),
    listAssistantsPage: (request) =>
      answer(Assistants.listPath(request), files.listAssistantsPage, request, "listAssistantsPage"),
    updateAssistant: (request) =>
      answer(Assistants.updateBody(request), files.updateAssistant, request, "updateAssistant"),
    deleteAssistant: (request) =>
      answer(Assistants.checkName(request.assistantName), files.deleteAssistant, request, "deleteAssistant")
  }
}

const notFound = (what: string) => AssistantError.make("NOT_FOUND", 404, `${what} not found.`)

/** @internal */
export const makeScripted = (
  scripts: Readonly<Record<string, ReadonlyArray<ScriptStep>>>,
  options?: { readonly assistantName?: string }
): Effect.Effect<Service> =>
  Effect.sync(() => {
    const calls = new Map<string, number>()
    const next = (operationId: string): ScriptStep | undefined => {
      const script = Object.prototype.hasOwnProperty.call(scripts, operationId) ? scripts[operationId] : undefined
      if (script === undefined || script.length === 0) return undefined
      const n = calls.get(operationId) ?? 0
      calls.set(operationId, n + 1)
      return script[Math.min(n, script.length - 1)]!
    }
    const assistantMatches = (name: string) => options?.assistantName === undefined || options.assistantName === name
    return makeTest(
      (request) => {
        const step = assistantMatches(request.assistantName) ? next(request.operationId) : undefined
        if (step === undefined) return Effect.fail(notFound(`Operation ${request.operationId}`))
        return step instanceof Operation.Operation ? Effect.succeed(step) : Effect.fail(step)
      },
      {
        list: (request) => {
          if (!assistantMatches(request.assistantName)) {
            return Effect.fail(notFound(`Assistant "${request.assistantName}"`))
          }
          const operations = Object.keys(scripts)
            .map(next)
            .filter((step): step is Operation.Operation => step instanceof Operation.Operation)
            .filter((op) =>
              (request.status === undefined || op.status === request.status) &&
              (request.operationType === undefined || op.operationType === request.operationType)
            )
          return Effect.succeed(new Operation.OperationList({ operations, pagination: Option.none() }))
        }
      }
    )
  })
