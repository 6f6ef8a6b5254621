/**
 * Whether the code typed is the customer's, comparing every character whatever the first
 * difference: the time an answer takes says nothing of how many digits were right.
 */
export const sameCode = (typed: string, expected: string): boolean => {
  let difference = typed.length ^ expected.length
  for (let index = 0; index < expected.length; index++) {
    difference |= (typed.charCodeAt(index) | 0) ^ expected.charCodeAt(index)
  }
  return difference === 0
}
