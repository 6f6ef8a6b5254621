import { Option } from "effect"
import { isXof, type Xof, xof } from "@nelo/domain/shared/Xof"

/**
 * An amount read from a gateway, as whole francs: XOF has no minor unit, so anything but a whole
 * number without sign, decimals or exponent is refused rather than rounded (a payment of "1000.5"
 * is not a payment of 1000).
 */
export const wholeFrancs = (amount: string | number): Option.Option<Xof> => {
  if (typeof amount === "number") return isXof(amount) && amount >= 0 ? Option.some(xof(amount)) : Option.none()
  return /^(?:0|[1-9]\d{0,14})$/u.test(amount) ? Option.some(xof(Number(amount))) : Option.none()
}
