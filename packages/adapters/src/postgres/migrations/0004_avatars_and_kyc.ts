import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Where the user's photo is in ObjectStorage (public). A new photo gets a new key.
  yield* sql`ALTER TABLE users.users ADD COLUMN avatar_key text`

  // The KYC review of a user: none until a document arrives, then pending until an admin decides.
  yield* sql`ALTER TABLE users.users
    ADD COLUMN kyc_status text NOT NULL DEFAULT 'none' CHECK (kyc_status IN ('none', 'pending', 'approved', 'rejected')),
    ADD COLUMN kyc_rejection_reason text,
    ADD COLUMN kyc_reviewed_at timestamptz,
    ADD CONSTRAINT users_kyc_rejection_has_reason CHECK ((kyc_status = 'rejected') = (kyc_rejection_reason IS NOT NULL))`
  yield* sql`CREATE INDEX users_kyc_pending ON users.users (id) WHERE kyc_status = 'pending'`

  // The documents themselves are private objects in ObjectStorage; this is their register.
  yield* sql`CREATE TABLE users.kyc_documents (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users.users (id),
    type text NOT NULL CHECK (type IN ('national_id', 'driving_licence', 'vehicle_registration', 'business_registration', 'selfie')),
    storage_key text NOT NULL UNIQUE,
    content_type text NOT NULL,
    size_bytes integer NOT NULL CHECK (size_bytes > 0),
    uploaded_at timestamptz NOT NULL
  )`
  yield* sql`CREATE INDEX kyc_documents_by_user ON users.kyc_documents (user_id, uploaded_at)`
})
