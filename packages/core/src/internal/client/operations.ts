// The data plane's operation endpoints: describe, and one page of a listing.
import type * as AssistantClient from "../../AssistantClient.js"
import * as Operation from "../../Operation.js"
import type { Call, Target } from "./call.js"
import * as Params from "./params.js"
import * as Response from "./response.js"

/** @internal */
export const decodeOperation = Response.bodyDecoder(Operation.Operation)
const decodeOperationList = Response.bodyDecoder(Operation.OperationList)

/** @internal */
export const endpoints = (call: Call, data: (assistantName: string) => Target) => ({
  describeOperation: (request: AssistantClient.DescribeOperationRequest) =>
    call<Operation.Operation>({
      name: "AssistantClient.describeOperation",
      target: data(String(request.assistantName)),
      method: "GET",
      path: Params.operationPath(request),
      decode: decodeOperation,
      attributes: {
        "pinecone.assistant.name": String(request.assistantName),
        "pinecone.operation.id": String(request.operationId)
      },
      annotate: (span, op) => span.attribute("pinecone.operation.status", op.status)
    }),
  listOperationsPage: (request: AssistantClient.ListOperationsPageRequest) =>
    call<Operation.OperationList>({
      name: "AssistantClient.listOperationsPage",
      target: data(String(request.assistantName)),
      method: "GET",
      path: Params.operationsPagePath(request),
      decode: decodeOperationList,
      attributes: { "pinecone.assistant.name": String(request.assistantName) }
    })
})
