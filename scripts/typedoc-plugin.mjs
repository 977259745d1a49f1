// TypeDoc plugin for a reference a person can learn from:
// - the index (the README) does not repeat the project's title;
// - a namespace re-exported by `export * as Operation from "./Operation.js"` shows the module's own doc
//   comment (the first comment of its file), not only the `@since` of the re-export;
// - a class built on `Schema.Class` or `Schema.TaggedError` lists its own fields (with their doc
//   comments), not the members it inherits from effect (`ast`, `fields`, `pipe`, ...), and its
//   hierarchy names the base instead of printing the whole `Schema.Class(...)` call.
import { Comment, CommentTag, Converter, ReflectionKind, RendererEvent, UnknownType } from "typedoc"
import ts from "typescript"

const leadingComment = (sourceFile) => {
  const match = /^\s*\/\*\*([\s\S]*?)\*\//.exec(sourceFile.text)
  if (match === null) return undefined
  const lines = match[1].split("\n").map((line) => line.replace(/^\s*\* ?/, ""))
  const text = lines.join("\n").trim()
  const at = text.search(/^@/m)
  const summary = (at === -1 ? text : text.slice(0, at)).trim()
  const tags = at === -1 ? [] : text.slice(at).split(/\n(?=@)/).map((tag) => {
    const [, name, body] = /^(@\w+)\s*([\s\S]*)$/.exec(tag.trim())
    return new CommentTag(name, [{ kind: "text", text: body.trim() }])
  })
  return summary === "" ? undefined : new Comment([{ kind: "text", text: summary }], tags)
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  // the index page is titled with the project's name already: the README's own title would repeat it
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    const first = event.project.readme?.[0]
    if (first?.kind === "text") first.text = first.text.replace(/^#\s+[^\n]*\n+/, "")
  })

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Namespace)) return
    let symbol = context.getSymbolFromReflection(reflection)
    if (symbol === undefined) return
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = context.checker.getAliasedSymbol(symbol)
    const file = symbol.declarations?.find(ts.isSourceFile)
    if (file === undefined) return
    const comment = leadingComment(file)
    if (comment !== undefined) reflection.comment = comment
  })

  // after TypeDoc resolved inheritance (priority -100: last)
  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const project = context.project
    const ours = (reflection) =>
      project.getSymbolIdFromReflection(reflection)?.packageName?.startsWith("@effect-pinecone/") === true
    for (const cls of project.getReflectionsByKind(ReflectionKind.Class)) {
      const inherited = (cls.children ?? []).filter((child) => child.inheritedFrom !== undefined)
      if (!inherited.some((child) => !ours(child))) continue
      const heritage = inherited[0].inheritedFrom.toString()
      const base = /^Schema\.(\w+)/.exec(heritage)?.[0] ??
        (cls.name.endsWith("Error") ? "Schema.TaggedError" : undefined)
      if (base === undefined) continue
      // the intersection of the fields' type literals is replaced: its literals leave the project with it
      for (const type of cls.extendedTypes ?? []) {
        for (const part of type.type === "intersection" ? type.types : [type]) {
          if (part.type === "reflection") project.removeReflection(part.declaration)
        }
      }
      cls.extendedTypes = [new UnknownType(`${base}<${cls.name}>`)]
      for (const child of [...(cls.children ?? [])]) {
        if (child.kindOf(ReflectionKind.Constructor)) {
          child.inheritedFrom = undefined
          for (const signature of child.signatures ?? []) signature.inheritedFrom = undefined
        } else if (child.inheritedFrom !== undefined && !ours(child)) {
          project.removeReflection(child)
        } else {
          child.inheritedFrom = undefined
          // the initializer is the field's schema (`= Schema.String`), not a default value
          child.defaultValue = undefined
        }
      }
    }
  }, -100)
}
