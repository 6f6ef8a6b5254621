import { Schema } from "effect"

// What can go wrong in the catalogue, named as facts; the HTTP contract gives each a status and a
// French message. Another owner's provider, category or product is simply not found.

export class ProviderNotFound extends Schema.TaggedError<ProviderNotFound>()("ProviderNotFound", {}) {}
export class CategoryNotFound extends Schema.TaggedError<CategoryNotFound>()("CategoryNotFound", {}) {}
export class ProductNotFound extends Schema.TaggedError<ProductNotFound>()("ProductNotFound", {}) {}
export class GasProductNotFound extends Schema.TaggedError<GasProductNotFound>()("GasProductNotFound", {}) {}

/** A client creating a provider, or a provider-role user creating one for somebody else. */
export class ProviderCreationForbidden extends Schema.TaggedError<ProviderCreationForbidden>()("ProviderCreationForbidden", {}) {}

/** The owner named by an admin has no account. */
export class ProviderOwnerNotFound extends Schema.TaggedError<ProviderOwnerNotFound>()("ProviderOwnerNotFound", {}) {}

/** A reorder must list each of the provider's categories exactly once. */
export class CategoryOrderMismatch extends Schema.TaggedError<CategoryOrderMismatch>()("CategoryOrderMismatch", {
  expectedIds: Schema.Array(Schema.String)
}) {}

/** Gas bottles are sold by gas depots only. */
export class NotAGasDepot extends Schema.TaggedError<NotAGasDepot>()("NotAGasDepot", {}) {}

/** A depot lists one line per brand and bottle size. */
export class GasProductDuplicate extends Schema.TaggedError<GasProductDuplicate>()("GasProductDuplicate", {}) {}

/** A new bottle's price includes its deposit: it cannot cost less than a refill. */
export class GasPricesInconsistent extends Schema.TaggedError<GasPricesInconsistent>()("GasPricesInconsistent", {}) {}

/** A stock change that would take a stock below zero (or change a stock that is not counted). */
export class StockChangeRefused extends Schema.TaggedError<StockChangeRefused>()("StockChangeRefused", {
  reason: Schema.Literals(["below_zero", "above_maximum", "not_counted"]),
  stock: Schema.NullOr(Schema.Number)
}) {}

/** A pagination cursor this API did not give out (or for another list). */
export class CursorInvalid extends Schema.TaggedError<CursorInvalid>()("CursorInvalid", {}) {}

export class CatalogueStoreUnavailable extends Schema.TaggedError<CatalogueStoreUnavailable>()("CatalogueStoreUnavailable", {
  cause: Schema.Defect()
}) {}
