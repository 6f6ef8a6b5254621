import type { GasSale, PaymentMethod } from "./Order.ts"

export interface ProductItem {
  readonly productId: string
  readonly quantity: number
  readonly options: ReadonlyArray<string>
}

export interface GasItem {
  readonly gasProductId: string
  readonly quantity: number
  readonly sale: GasSale
}

export type CartItem = ProductItem | GasItem

export const isGasItem = (item: CartItem): item is GasItem => "gasProductId" in item

/** What a customer asks to order (the quote's body; an order adds how it is paid). */
export interface Cart {
  readonly providerId: string
  readonly items: ReadonlyArray<CartItem>
  readonly addressId: string
  readonly promoCode: string | null
  /** The quote answers for this method when given (cash has its own limits). */
  readonly paymentMethod: PaymentMethod | null
}

export const minimumQuantity = 1
export const maximumQuantity = 50
/** More lines than any real basket; bounds the work of one request. */
export const maximumCartLines = 30
