import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Who has ever sent a transfer to whom, and since when: the fan-out rule ("new receivers within
  // the hour") then reads one short index range per transfer instead of the sender's whole history,
  // which grew with every transfer. Written by the ledger in the statement that writes the
  // transfer; derived from the postings (the audit's source of truth), never the other way round.
  yield* sql`CREATE TABLE wallet.transfer_pairs (
    sender_account_id uuid NOT NULL REFERENCES wallet.accounts (id),
    receiver_account_id uuid NOT NULL REFERENCES wallet.accounts (id),
    first_at timestamptz NOT NULL,
    PRIMARY KEY (sender_account_id, receiver_account_id)
  )`
  yield* sql`CREATE INDEX transfer_pairs_by_sender_and_time ON wallet.transfer_pairs (sender_account_id, first_at)`
  yield* sql`
    INSERT INTO wallet.transfer_pairs (sender_account_id, receiver_account_id, first_at)
    SELECT sent.account_id, received.account_id, min(t.created_at)
    FROM wallet.transactions t
    JOIN wallet.postings sent ON sent.transaction_id = t.id AND sent.amount_xof < 0
    JOIN wallet.postings received ON received.transaction_id = t.id AND received.amount_xof > 0
    WHERE t.type = 'transfer'
    GROUP BY sent.account_id, received.account_id`
})
