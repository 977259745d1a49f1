// Include and exclude rules as people know them from .gitignore and rsync: plain functions over keys
// (relative paths with `/`), no Effect.

/** One compiled pattern. @internal */
export interface Glob {
  readonly pattern: string
  readonly test: (key: string) => boolean
}

const toRegExp = (glob: string): RegExp => {
  let out = ""
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/"
      out += slash ? "(?:.*/)?" : ".*"
      i += slash ? 2 : 1
    } else if (c === "*") out += "[^/]*"
    else if (c === "?") out += "[^/]"
    else out += c.replace(/[.+^${}()|[\]\\]/g, "\\$&")
  }
  return new RegExp(`^${out}$`, "u")
}

/**
 * A pattern as `.gitignore` reads it: without a `/` (a trailing one aside) it matches a file or
 * folder name at any depth (`*.json` matches `sub/data1.json`, `drafts` every file under a `drafts`
 * folder); with one it is anchored at the folder's root (`docs/*.md`, `/top.md`); `**` spans folders,
 * `*` and `?` stay within a name; a trailing `/` matches folders only. A pattern that matches a folder
 * matches every file under it.
 * @internal
 */
export const compile = (pattern: string): Glob => {
  const dirOnly = pattern.endsWith("/")
  const body = pattern.replace(/^\/+/, "").replace(/\/+$/, "")
  const anchored = pattern.replace(/\/+$/, "").includes("/")
  const re = toRegExp(body)
  return {
    pattern,
    test: (key) => {
      const segments = key.split("/")
      const last = dirOnly ? segments.length - 1 : segments.length
      for (let i = 0; i < last; i++) {
        if (anchored ? re.test(segments.slice(0, i + 1).join("/")) : re.test(segments[i]!)) return true
      }
      return false
    }
  }
}

/** The include and exclude rules of a sync. @internal */
export interface Rules {
  readonly includes: ReadonlyArray<Glob>
  readonly excludes: ReadonlyArray<Glob>
}

/** @internal */
export const rules = (include: ReadonlyArray<string> = [], exclude: ReadonlyArray<string> = []): Rules => ({
  includes: include.map(compile),
  excludes: exclude.map(compile)
})

/** Whether a key is in scope: it matches an include (when there are any) and no exclude. @internal */
export const inScope = (r: Rules, key: string): boolean =>
  (r.includes.length === 0 || r.includes.some((g) => g.test(key))) && !r.excludes.some((g) => g.test(key))

/** The patterns that match none of `keys`: worth a warning, as a typo usually is. @internal */
export const unmatched = (r: Rules, keys: Iterable<string>): ReadonlyArray<string> => {
  const left = new Set([...r.includes, ...r.excludes])
  for (const key of keys) {
    for (const g of left) if (g.test(key)) left.delete(g)
    if (left.size === 0) break
  }
  return Array.from(left, (g) => g.pattern)
}
