import foundation from "./0001_foundation.ts"
import usersAndSessions from "./0002_users_and_sessions.ts"
import pinsAndAddresses from "./0003_pins_and_addresses.ts"
import avatarsAndKyc from "./0004_avatars_and_kyc.ts"
import catalogue from "./0005_catalogue.ts"
import wallet from "./0006_wallet.ts"
import transferPairs from "./0007_transfer_pairs.ts"
import outflowPostings from "./0008_outflow_postings.ts"
import unfrozenAt from "./0009_unfrozen_at.ts"
import postingsIndex from "./0010_postings_index.ts"
import orders from "./0011_orders.ts"
import devices from "./0012_devices.ts"
import orderFeeds from "./0013_order_feeds.ts"
import gatewayRefunds from "./0014_gateway_refunds.ts"
import drivers from "./0015_drivers.ts"
import deliveryCodes from "./0016_delivery_codes.ts"
import deliveries from "./0017_deliveries.ts"
import ratings from "./0018_ratings.ts"
import deliveryTrails from "./0019_delivery_trails.ts"
import earnings from "./0020_earnings.ts"
import ownAccountKinds from "./0021_own_account_kinds.ts"
import payouts from "./0022_payouts.ts"
import statements from "./0023_statements.ts"
import driverCash from "./0024_driver_cash.ts"
import refundRequests from "./0025_refund_requests.ts"

// Migrations are TypeScript modules listed here, in order. The migrator only runs ids above the
// highest one applied, so a new migration always takes the next number: never insert below the top.
export const migrations = {
  "0001_foundation": foundation,
  "0002_users_and_sessions": usersAndSessions,
  "0003_pins_and_addresses": pinsAndAddresses,
  "0004_avatars_and_kyc": avatarsAndKyc,
  "0005_catalogue": catalogue,
  "0006_wallet": wallet,
  "0007_transfer_pairs": transferPairs,
  "0008_outflow_postings": outflowPostings,
  "0009_unfrozen_at": unfrozenAt,
  "0010_postings_index": postingsIndex,
  "0011_orders": orders,
  "0012_devices": devices,
  "0013_order_feeds": orderFeeds,
  "0014_gateway_refunds": gatewayRefunds,
  "0015_drivers": drivers,
  "0016_delivery_codes": deliveryCodes,
  "0017_deliveries": deliveries,
  "0018_ratings": ratings,
  "0019_delivery_trails": deliveryTrails,
  "0020_earnings": earnings,
  "0021_own_account_kinds": ownAccountKinds,
  "0022_payouts": payouts,
  "0023_statements": statements,
  "0024_driver_cash": driverCash,
  "0025_refund_requests": refundRequests
}
