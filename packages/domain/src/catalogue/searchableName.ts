/**
 * A name as search compares it: lower case, accents and other combining marks removed ("Café
 * Chez Tantie Akissi" → "cafe chez tantie akissi"), runs of spaces collapsed. Stored beside the name
 * so the database searches and sorts on it without an unaccent function of its own.
 */
export const searchableName = (name: string): string =>
  name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/gu, " ").trim()
