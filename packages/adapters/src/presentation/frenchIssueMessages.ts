import { SchemaIssue } from "effect"

// Clients show these messages to people in Côte d'Ivoire: French. Effect's built-in expectations are
// English sentences with a known shape, translated here; our own schemas give French `expected` texts.
const translations: ReadonlyArray<readonly [RegExp, (...groups: Array<string>) => string]> = [
  [/^a value greater than or equal to (.+)$/u, (value) => `une valeur supérieure ou égale à ${value}`],
  [/^a value greater than (.+)$/u, (value) => `une valeur supérieure à ${value}`],
  [/^a value less than or equal to (.+)$/u, (value) => `une valeur inférieure ou égale à ${value}`],
  [/^a value less than (.+)$/u, (value) => `une valeur inférieure à ${value}`],
  [/^a value between (.+) and (.+)$/u, (low, high) => `une valeur entre ${low} et ${high}`],
  [/^a valid JSON body$/u, () => "un corps JSON valide"],
  [/^an integer$/u, () => "un nombre entier"],
  [/^a finite number$/u, () => "un nombre fini"],
  [/^a value with a length of at least (\d+)$/u, (count) => `au moins ${count} caractère(s) ou élément(s)`],
  [/^a value with a length of at most (\d+)$/u, (count) => `au plus ${count} caractère(s) ou élément(s)`],
  [/^a value with a length between (\d+) and (\d+)$/u, (low, high) => `entre ${low} et ${high} caractère(s) ou élément(s)`],
  [/^a string matching the RegExp (.+)$/u, () => "une valeur au bon format"],
  [/^a string that is a valid UUID$/u, () => "un identifiant UUID"],
  [/^string$/u, () => "une chaîne de caractères"],
  [/^number$/u, () => "un nombre"],
  [/^boolean$/u, () => "un booléen (true ou false)"],
  [/^bigint$/u, () => "un entier"],
  [/^object$/u, () => "un objet"],
  [/^array$/u, () => "une liste"],
  [/^"(.*)"$/u, (literal) => `la valeur "${literal}"`]
]

export const translateExpected = (expected: string): string => {
  for (const [pattern, render] of translations) {
    const match = pattern.exec(expected)
    if (match) return render(...match.slice(1))
  }
  // A union of literals reads `"a" | "b"`; our own `expected` annotations are already French.
  if (/^"[^"]*"(?: \| "[^"]*")+$/u.test(expected)) return `l'une des valeurs ${expected.replaceAll(" | ", ", ")}`
  return expected
}

const expectedOf = (message: string): string | undefined => {
  const match = /^Expected (.+?)(?:, got .*)?$/su.exec(message)
  return match?.[1]
}

const frenchFromEnglish = (message: string): string => {
  if (message === "Missing key") return "Champ obligatoire manquant."
  if (message.startsWith("Unexpected key") || message === "Expected no excess property") return "Champ non autorisé."
  if (message.startsWith("Invalid data") || message === "Expected a valid value") return "Valeur invalide."
  const expected = expectedOf(message)
  return expected ? `Valeur attendue : ${translateExpected(expected)}.` : message
}

const english = SchemaIssue.makeFormatterStandardSchemaV1()

export interface FieldProblem {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/** Every problem of a decoding failure, with its path and a French sentence. */
export const frenchIssueMessages = (issue: SchemaIssue.Issue): ReadonlyArray<FieldProblem> =>
  english(issue).issues.map((entry) => ({
    path: (entry.path ?? []).map((segment) => {
      const key = typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment
      return typeof key === "number" ? key : String(key)
    }),
    message: frenchFromEnglish(entry.message)
  }))
