// The same program with the official SDK: describe, then poll until done (its guides' fixed loop).
import { Pinecone } from "@pinecone-database/pinecone"

const assistant = new Pinecone({ apiKey: "key" }).assistant({ name: "docs" })

const main = async () => {
  let op = await assistant.describeOperation("op-1")
  console.log(op.status)
  while (op.status !== "Completed" && op.status !== "Failed") {
    await new Promise((resolve) => setTimeout(resolve, 2000))
    op = await assistant.describeOperation("op-1")
  }
  console.log(op.status)
}

main().catch(console.error)
