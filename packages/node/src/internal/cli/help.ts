// `pinecone-assistant`'s help, laid out for an 80-column terminal from the commands' own
// definitions (@effect/cli's HelpDoc): the root and each group list their commands with one-line
// descriptions and the common options once; a command shows its arguments, its own options (optional
// ones in brackets), the common options by name, and examples. The same tree answers which options a
// command takes, so that a typo is caught before @effect/cli reads it as a path.
import * as AutoCorrect from "@effect/cli/AutoCorrect"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"

/** A command of the tree: its definition, examples, and its subcommands. @internal */
export interface HelpNode {
  readonly command: Command.Command<any, any, any, any>
  readonly examples?: ReadonlyArray<string>
  readonly children?: Readonly<Record<string, HelpNode>>
}

const spanText = (span: Span.Span): string => {
  switch (span._tag) {
    case "Text":
    case "URI":
      return span.value
    case "Sequence":
      return spanText(span.left) + spanText(span.right)
    default:
      return spanText(span.value)
  }
}

/** The paragraphs of a doc, in order. */
const paragraphs = (doc: HelpDoc.HelpDoc): Array<string> => {
  switch (doc._tag) {
    case "Paragraph":
    case "Header":
      return [spanText(doc.value)]
    case "Sequence":
      return [...paragraphs(doc.left), ...paragraphs(doc.right)]
    case "Enumeration":
      return doc.elements.flatMap(paragraphs)
    case "DescriptionList":
      return doc.definitions.flatMap(([term, desc]) => [spanText(term), ...paragraphs(desc)])
    case "Empty":
      return []
  }
}

interface Section {
  readonly paragraphs: Array<string>
  readonly list: Array<readonly [string, Array<string>]>
}

/** The doc's sections by header (DESCRIPTION, ARGUMENTS, OPTIONS, ...). */
const sections = (doc: HelpDoc.HelpDoc): Map<string, Section> => {
  const out = new Map<string, Section>()
  let current: Section = { paragraphs: [], list: [] }
  const walk = (d: HelpDoc.HelpDoc): void => {
    switch (d._tag) {
      case "Header":
        current = { paragraphs: [], list: [] }
        out.set(spanText(d.value), current)
        return
      case "Sequence":
        walk(d.left)
        walk(d.right)
        return
      case "Paragraph":
        current.paragraphs.push(spanText(d.value))
        return
      case "DescriptionList":
        for (const [term, desc] of d.definitions) current.list.push([spanText(term), paragraphs(desc)])
        return
      case "Enumeration":
        d.elements.forEach(walk)
        return
      case "Empty":
        return
    }
  }
  walk(doc)
  return out
}

// what @effect/cli says of every primitive: the placeholder and the brackets say it already
const boilerplate =
  /^(A user-defined piece of text( that is confidential)?\.|An integer\.|A true or false value\.|This setting is optional\.|This option can be set from environment variables\.|An existing directory\.|One of the following: .*|This option may be repeated zero or more times\.|This argument must be repeated at least \d+ times?\.)$/

/** An option of a command: its usage (`--include GLOB`), whether it repeats, and what it does. @internal */
export interface OptionHelp {
  readonly name: string
  readonly usage: string
  readonly repeated: boolean
  readonly description: string
}

// @effect/cli's own options (--help is said once, at the top)
const builtIns: ReadonlySet<string> = new Set(["--completions", "--log-level", "-h,", "(-h,", "--wizard", "--version"])

const docOf = (node: HelpNode) => sections(Command.getHelp(node.command, CliConfig.defaultConfig))

/** The options a command declares (not @effect/cli's built-in ones). @internal */
export const optionsOf = (node: HelpNode): ReadonlyArray<OptionHelp> =>
  (docOf(node).get("OPTIONS")?.list ?? []).filter(([term]) => !builtIns.has(term.split(" ")[0]!)).map(
    ([term, desc]) => {
      const usage = term.replace(/\.\.\.$/, "")
      return {
        name: usage.split(" ")[0]!,
        usage,
        repeated: desc.some((p) => p.startsWith("This option may be repeated")),
        description: desc.filter((p) => !boilerplate.test(p)).join(" ")
      }
    }
  )

/** A command's one-line description: the first sentence of its own. @internal */
export const summaryOf = (node: HelpNode): string => {
  const text = docOf(node).get("DESCRIPTION")?.paragraphs.join(" ") ?? ""
  // the first clause: up to a sentence's end, a colon, a parenthesis or ", or"/", then"
  const cut = text.search(/[.:;] | \(|, (or|then|with) /)
  return cut === -1 ? text : text.slice(0, cut)
}

/** `text` in lines of at most `width`, the first after `first`, the others indented by `indent`. */
export const wrap = (
  text: string | ReadonlyArray<string>,
  width: number,
  indent: number,
  first = ""
): Array<string> => {
  const lines: Array<string> = []
  let line = first
  let start = true
  // an array's items are kept whole (a usage line's `[--api-key KEY]`)
  const words = typeof text === "string" ? text.split(/\s+/).filter((w) => w !== "") : text
  for (const word of words) {
    const room = width - line.length
    if (!start && word.length + 1 > room) {
      lines.push(line)
      line = " ".repeat(indent) + word
    } else line += (start ? "" : " ") + word
    start = false
  }
  lines.push(line)
  return lines
}

const table = (rows: ReadonlyArray<readonly [string, string]>, width: number): Array<string> => {
  const left = Math.min(26, Math.max(...rows.map(([term]) => term.length)) + 4)
  return rows.flatMap(([term, text]) =>
    term.length + 4 > left
      ? [`  ${term}`, ...wrap(text, width, left, " ".repeat(left))]
      : wrap(text, width, left, `  ${term}`.padEnd(left))
  )
}

/** @internal */
export interface Program {
  readonly name: string
  readonly version: string
  readonly tree: HelpNode
  /** The options every command takes, shown once at the top level. */
  readonly common: ReadonlyArray<string>
  readonly footer: ReadonlyArray<string>
}

const commandsOf = (node: HelpNode, prefix: string): Array<readonly [string, string]> =>
  Object.entries(node.children ?? {}).flatMap(([name, child]) =>
    child.children === undefined
      ? [[`${prefix}${name}`, summaryOf(child)] as const]
      : commandsOf(child, `${prefix}${name} `)
  )

/**
 * The help of the command at `path` (`[]` for the program), at most `width` columns wide.
 * @internal
 */
export const render = (program: Program, path: ReadonlyArray<string>, width = 80): string => {
  let node = program.tree
  for (const name of path) node = node.children?.[name] ?? node
  const full = [program.name, ...path].join(" ")
  const out: Array<string> = []
  const examples = node.examples ?? []
  if (node.children !== undefined) {
    const about = docOf(node).get("DESCRIPTION")?.paragraphs.join(" ") ?? ""
    out.push(
      ...wrap(
        path.length === 0 ? summaryOf(node) : about,
        width,
        0,
        `${full}${path.length === 0 ? ` ${program.version}` : ""}: `
      ),
      ""
    )
    out.push(`Usage: ${full} <command> [options]`, "", "Commands:")
    out.push(...table(commandsOf(node, ""), width))
    const common = commonOf(program)
    out.push("", "Common options (every command that calls the API takes them):")
    out.push(...table(common.map((o) => [o.usage, o.description]), width))
    out.push("", ...program.footer.flatMap((p) => [...wrap(p, width, 0), ""]))
  } else {
    const sectionsOf = docOf(node)
    // `<path> 1+` as a person writes it: `<path>...`
    const args = (sectionsOf.get("ARGUMENTS")?.list ?? []).map(([term, desc]) =>
      [term.replace(/ \d+\+$/, "..."), desc] as const
    )
    // the emulator has a --host and an --api-key of its own: common means the same option
    const shared = commonOf(program)
    const isCommon = (o: OptionHelp) => shared.some((c) => c.usage === o.usage && c.description === o.description)
    const own = optionsOf(node).filter((o) => !isCommon(o))
    const takesCommon = optionsOf(node).some(isCommon)
    const usage = [
      full,
      ...own.map((o) => o.repeated ? `[${o.usage}]...` : `[${o.usage}]`),
      ...args.map(([term]) => term)
    ]
    out.push(...wrap(usage, width, 4, "Usage: "))
    out.push("", ...wrap(sectionsOf.get("DESCRIPTION")?.paragraphs.join(" ") ?? "", width, 0))
    if (args.length > 0) {
      out.push("", "Arguments:")
      out.push(...table(args.map(([term, desc]) => [term, desc.filter((p) => !boilerplate.test(p)).join(" ")]), width))
    }
    if (own.length > 0) {
      out.push("", "Options:")
      out.push(...table(own.map((o) => [o.repeated ? `${o.usage}...` : o.usage, o.description]), width))
    }
    if (takesCommon) {
      out.push("", ...wrap(`Common options: ${program.common.join(", ")} (see ${program.name} --help).`, width, 2))
    }
  }
  if (examples.length > 0) {
    out.push(node.children === undefined ? "" : "", "Examples:")
    for (const e of examples) out.push(...wrap(e, width, 6, "  $ "))
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n"
}

const commonOf = (program: Program) => optionsOf(firstLeaf(program.tree)).filter((o) => program.common.includes(o.name))

const firstLeaf = (node: HelpNode): HelpNode => {
  const first = Object.values(node.children ?? {})[0]
  return first === undefined ? node : firstLeaf(first)
}

const closest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  const best =
    candidates.map((c) => [c, AutoCorrect.levensteinDistance(word, c, CliConfig.defaultConfig)] as const).sort((x, y) =>
      x[1] - y[1]
    )[0]
  return best !== undefined && best[1] <= Math.max(2, Math.floor(word.length / 3)) ? best[0] : undefined
}

const always = ["--help", "-h", "--version", "--log-level", "--completions", "--wizard"]

/**
 * What is wrong with a command line that @effect/cli would misread: an unknown command at its level,
 * or an option the command does not take (it would be read as a positional argument, a path say),
 * each with the nearest name. Undefined when the line is well formed as far as names go.
 * @internal
 */
export const misspelt = (program: Program, args: ReadonlyArray<string>): string | undefined => {
  let node = program.tree
  const path: Array<string> = [program.name]
  let i = 0
  while (node.children !== undefined) {
    const word = args[i]
    if (word === undefined || word.startsWith("-")) return undefined
    const next = node.children[word]
    if (next === undefined) {
      const names = Object.keys(node.children)
      const guess = closest(word, names)
      return `Unknown command ${path.join(" ")} ${word}${guess === undefined ? "" : ` (did you mean ${guess}?)`}; ${
        path.join(" ")
      } has: ${names.join(", ")}`
    }
    path.push(word)
    node = next
    i++
  }
  const options = optionsOf(node)
  const known = [...options.map((o) => o.name), ...always]
  const takesValue = new Set(options.filter((o) => o.usage.includes(" ")).map((o) => o.name))
  for (; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") return undefined
    if (!arg.startsWith("-") || arg === "-") continue
    const name = arg.split("=")[0]!
    if (known.includes(name)) {
      if (takesValue.has(name) && !arg.includes("=")) i++
      continue
    }
    const guess = closest(name, known.filter((k) => k.startsWith("--")))
    return `Unknown option ${name} for ${path.join(" ")}${guess === undefined ? "" : ` (did you mean ${guess}?)`}`
  }
  return undefined
}
