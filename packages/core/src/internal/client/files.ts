// The data plane's file endpoints: upload, upsert, delete, describe, and one page of a listing.
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as AssistantClient from "../../AssistantClient.js"
import * as AssistantFile from "../../AssistantFile.js"
import type * as Operation from "../../Operation.js"
import type { Call, Target } from "./call.js"
import { decodeOperation } from "./operations.js"
import * as Params from "./params.js"
import * as Response from "./response.js"

const decodeFile = Response.bodyDecoder(AssistantFile.AssistantFile)
const decodeFileList = Response.bodyDecoder(AssistantFile.AssistantFileList)
// 202: the delete operation started; 204: deleted at once (a file whose processing had failed)
const decodeDelete: Response.BodyDecoder<AssistantFile.DeleteOutcome> = (status, requestId, body) =>
  status === 204
    ? Either.right(AssistantFile.DeleteOutcome.Deleted())
    : Either.map(decodeOperation(status, requestId, body), (operation) =>
      AssistantFile.DeleteOutcome.Started({ operation }))

const fileAttributes = (request: { readonly assistantName: string; readonly fileId?: string | undefined }) => ({
  "pinecone.assistant.name": String(request.assistantName),
  ...(request.fileId === undefined ? {} : { "pinecone.file.id": String(request.fileId) })
})

/** @internal */
export const endpoints = (call: Call, data: (assistantName: string) => Target) => {
  const sendFile = (
    name: string,
    method: "POST" | "PUT",
    request: AssistantClient.UploadFileRequest & { readonly fileId?: string }
  ) => {
    const spec = Params.uploadParams(request)
    return call<Operation.Operation, AssistantClient.UploadError>({
      name,
      target: data(String(request.assistantName)),
      method,
      // POST and PUT: the OAS's 404 is "Assistant not found" for both
      path: Either.map(spec, (s) => s.route),
      decode: decodeOperation,
      attributes: fileAttributes(request),
      annotate: (span, op) => span.attribute("pinecone.operation.id", op.id),
      ...(Either.isRight(spec)
        ? {
          upload: {
            source: request.file,
            fileName: spec.right.fileName,
            metadata: spec.right.metadata,
            create: method === "POST"
          }
        }
        : {})
    })
  }
  return {
    uploadFile: (request: AssistantClient.UploadFileRequest) => sendFile("AssistantClient.uploadFile", "POST", request),
    upsertFile: (request: AssistantClient.UpsertFileRequest) => sendFile("AssistantClient.upsertFile", "PUT", request),
    deleteFile: (request: AssistantClient.FileRequest) =>
      call<AssistantFile.DeleteOutcome>({
        name: "AssistantClient.deleteFile",
        target: data(String(request.assistantName)),
        method: "DELETE",
        path: Params.filePath(request),
        decode: decodeDelete,
        attributes: fileAttributes(request)
      }),
    describeFile: (request: AssistantClient.DescribeFileRequest) =>
      call<AssistantFile.AssistantFile>({
        name: "AssistantClient.describeFile",
        target: data(String(request.assistantName)),
        method: "GET",
        path: Params.filePath(request, request.includeUrl === true ? [["include_url", "true"]] : []),
        decode: decodeFile,
        attributes: fileAttributes(request),
        annotate: (span, file) => Option.map(file.status, (status) => span.attribute("pinecone.file.status", status))
      }),
    listFilesPage: (request: AssistantClient.ListFilesPageRequest) =>
      call<AssistantFile.AssistantFileList>({
        name: "AssistantClient.listFilesPage",
        target: data(String(request.assistantName)),
        method: "GET",
        path: Params.filesPagePath(request),
        decode: decodeFileList,
        attributes: { "pinecone.assistant.name": String(request.assistantName) }
      })
  }
}
