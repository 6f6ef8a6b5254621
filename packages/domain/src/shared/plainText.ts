import { Schema } from "effect"

/**
 * Text people type (names, labels, descriptions) never holds control characters: Postgres refuses
 * NUL outright, and the others only hide things from whoever reads the text later. Tabs and line
 * breaks stay allowed (a description may have paragraphs).
 */
// eslint-disable-next-line no-control-regex
export const isPlainText = Schema.isPattern(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/u, { expected: "un texte sans caractères de contrôle" })
