import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative, resolve } from "node:path"
import { describe, expect, it } from "vitest"

// The hexagon's rules, checked on every test run so a wrong import fails the build:
// the domain imports only `effect` core modules and its own files; adapters never import apps;
// an app never imports another app.
const root = resolve(import.meta.dirname, "..")

const sourceFiles = (directory: string): Array<string> =>
  readdirSync(directory).flatMap((name) => {
    const path = join(directory, name)
    if (name === "node_modules") return []
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(?:ts|mts|js|mjs)$/u.test(name) ? [path] : []
  })

const importSpecifiers = (file: string): Array<string> => {
  const text = readFileSync(file, "utf8")
  const pattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|(?:^|\n)\s*import\s*["']([^"']+)["']/gu
  return [...text.matchAll(pattern)].map((match) => match[1] ?? match[2] ?? match[3]!).filter(Boolean)
}

const violations = (directory: string, isAllowed: (specifier: string, file: string) => boolean) =>
  sourceFiles(join(root, directory)).flatMap((file) =>
    importSpecifiers(file)
      .filter((specifier) => !isAllowed(specifier, file))
      .map((specifier) => `${relative(root, file)} imports ${specifier}`)
  )

const resolvesInside = (specifier: string, file: string, directory: string) =>
  specifier.startsWith(".") && resolve(file, "..", specifier).startsWith(join(root, directory))

describe("architecture boundaries", () => {
  it("the domain imports only effect core modules and its own files", () => {
    expect(violations("packages/domain/src", (specifier, file) =>
      specifier === "effect" || resolvesInside(specifier, file, "packages/domain/src"))).toEqual([])
  })

  it("adapters import no app", () => {
    expect(violations("packages/adapters/src", (specifier, file) =>
      !specifier.startsWith("@nelo/http") && !specifier.startsWith("@nelo/worker") && !specifier.startsWith("@nelo/cli") &&
      !(specifier.startsWith(".") && resolve(file, "..", specifier).startsWith(join(root, "apps"))))).toEqual([])
  })

  for (const app of ["http", "worker", "cli"]) {
    it(`apps/${app} imports no other app`, () => {
      expect(violations(`apps/${app}/src`, (specifier, file) => {
        const otherApps = ["http", "worker", "cli"].filter((other) => other !== app)
        if (otherApps.some((other) => specifier.startsWith(`@nelo/${other}`))) return false
        return !specifier.startsWith(".") || resolvesInside(specifier, file, `apps/${app}/src`)
      })).toEqual([])
    })
  }

  it("the checker itself sees imports (it would not pass on an empty scan)", () => {
    expect(importSpecifiers(join(root, "packages/domain/src/geo/seedCity.ts"))).toContain("effect")
    expect(sourceFiles(join(root, "packages/domain/src")).length).toBeGreaterThan(5)
  })
})
