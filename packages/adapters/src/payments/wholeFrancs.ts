import { Option } from "effect"

/**
 * An amount read from a gateway, as whole francs: XOF has no minor unit, so anything but a whole
 * number without sign, decimals or exponent is refused rather than rounded (a payment of "1000.5"
 * is not a payment of 1000).
 */
export const wholeFrancs = (amount: string | number): Option.Option<number> => {
  if (typeof amount === "number") return Number.isSafeInteger(amount) && amount >= 0 ? Option.some(amount) : Option.none()
  return /^(?:0|[1-9]\d{0,14})$/u.test(amount) ? Option.some(Number(amount)) : Option.none()
}
