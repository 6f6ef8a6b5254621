import { Schema } from "effect"
import {
  CategoryNotFound,
  CategoryOrderMismatch,
  CursorInvalid,
  GasPricesInconsistent,
  GasProductDuplicate,
  GasProductNotFound,
  NotAGasDepot,
  ProductNotFound,
  ProviderCreationForbidden,
  ProviderNotFound,
  ProviderOwnerNotFound,
  StockChangeRefused
} from "@nelo/domain/catalogue/errors"
import { catalogueMessages, cursorInvalidFieldMessage } from "@nelo/domain/catalogue/messages"
import { OptionGroupInvalid } from "@nelo/domain/catalogue/productRules"
import { IntBetween } from "../shared/bounded.ts"
import { problem } from "../shared/problem.ts"
import { FieldProblem } from "../shared/problems.ts"

// The catalogue's errors as the API answers them: status, stable code, French message. Another
// owner's provider, category, product or bottle is answered exactly like one that does not exist.

export const ProviderNotFoundProblem = problem(ProviderNotFound, { status: 404, codes: ["not_found"], message: catalogueMessages.ProviderNotFound })

export const CategoryNotFoundProblem = problem(CategoryNotFound, { status: 404, codes: ["not_found"], message: catalogueMessages.CategoryNotFound })

export const ProductNotFoundProblem = problem(ProductNotFound, { status: 404, codes: ["not_found"], message: catalogueMessages.ProductNotFound })

export const GasProductNotFoundProblem = problem(GasProductNotFound, { status: 404, codes: ["not_found"], message: catalogueMessages.GasProductNotFound })

export const ProviderCreationForbiddenProblem = problem(ProviderCreationForbidden, {
  status: 403,
  codes: ["forbidden"],
  message: catalogueMessages.ProviderCreationForbidden
})

export const ProviderOwnerNotFoundProblem = problem(ProviderOwnerNotFound, { status: 422, codes: ["owner_not_found"], message: catalogueMessages.ProviderOwnerNotFound })

export const CategoryOrderMismatchProblem = problem(CategoryOrderMismatch, {
  status: 422,
  codes: ["category_order_mismatch"],
  message: catalogueMessages.CategoryOrderMismatch,
  // The ids stay on the server: the app reloads the menu to learn them.
  fromBody: () => new CategoryOrderMismatch({ expectedIds: [] })
})

export const NotAGasDepotProblem = problem(NotAGasDepot, { status: 422, codes: ["not_a_gas_depot"], message: catalogueMessages.NotAGasDepot })

export const GasProductDuplicateProblem = problem(GasProductDuplicate, { status: 409, codes: ["gas_product_duplicate"], message: catalogueMessages.GasProductDuplicate })

export const GasPricesInconsistentProblem = problem(GasPricesInconsistent, { status: 422, codes: ["gas_prices_inconsistent"], message: catalogueMessages.GasPricesInconsistent })

const stockCodes = { below_zero: "stock_below_zero", above_maximum: "stock_above_maximum", not_counted: "stock_not_counted" } as const
const stockReasons = { stock_below_zero: "below_zero", stock_above_maximum: "above_maximum", stock_not_counted: "not_counted" } as const

/** A stock change that would leave the stock out of 0..maximum, or adjust one that is not counted. */
export const StockChangeRefusedProblem = problem(StockChangeRefused, {
  status: 409,
  codes: ["stock_below_zero", "stock_above_maximum", "stock_not_counted"],
  code: (error) => stockCodes[error.reason],
  /** The stock as it is (null: not counted). */
  members: { stock: Schema.NullOr(IntBetween(0, 2_147_483_647)) },
  message: catalogueMessages.StockChangeRefused,
  fromBody: (body) => new StockChangeRefused({ reason: stockReasons[body.code], stock: body.stock })
})

export const OptionGroupInvalidProblem = problem(OptionGroupInvalid, {
  status: 422,
  codes: ["option_group_invalid"],
  /** Which rule the group breaks. */
  members: { reason: OptionGroupInvalid.fields.reason },
  message: catalogueMessages.OptionGroupInvalid,
  fromBody: (body) => new OptionGroupInvalid({ groupId: "", reason: body.reason })
})

const cursorField = { path: ["query", "cursor"], message: cursorInvalidFieldMessage }

/**
 * A cursor this API did not give out, or one of another list: a 400 like any bad query parameter,
 * naming the field, so that the app starts again from the first page.
 */
export const CursorInvalidProblem = problem(CursorInvalid, {
  status: 400,
  codes: ["invalid_request"],
  members: { errors: Schema.Array(FieldProblem).pipe(Schema.check(Schema.isMaxLength(1))) },
  toMembers: () => ({ errors: [cursorField] }),
  message: catalogueMessages.CursorInvalid,
  fromBody: () => new CursorInvalid()
})
