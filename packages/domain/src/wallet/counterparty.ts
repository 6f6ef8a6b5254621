/**
 * What a person sees of the other side of a transfer: enough to recognise them, not enough to
 * harvest numbers from a shared phone: +225 07 •• •• 03 04, and "Aya K.".
 */
export const maskPhone = (phone: string): string => {
  const national = phone.slice(4)
  return `+225 ${national.slice(0, 2)} •• •• ${national.slice(6, 8)} ${national.slice(8, 10)}`
}

export const shortName = (fullName: string): string => {
  const words = fullName.trim().split(/\s+/u).filter((word) => word.length > 0)
  if (words.length === 0) return ""
  const [first, ...rest] = words
  return rest.length === 0 ? first! : `${first} ${rest.at(-1)!.charAt(0).toUpperCase()}.`
}
