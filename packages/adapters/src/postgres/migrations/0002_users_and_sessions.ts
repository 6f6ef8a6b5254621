import { Effect } from "effect"
import { SqlClient } from "effect/sql"

export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The phone check is E.164 in general: which countries are accepted is the domain's rule.
  yield* sql`CREATE TABLE users.users (
    id uuid PRIMARY KEY,
    phone text NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{6,14}$'),
    full_name text NOT NULL,
    email text,
    language text NOT NULL CHECK (language IN ('fr', 'en')),
    roles text[] NOT NULL CHECK (
      cardinality(roles) > 0
      AND array_position(roles, NULL) IS NULL
      AND roles <@ ARRAY['client', 'provider', 'driver', 'admin']::text[]
    ),
    referral_code text NOT NULL,
    referred_by uuid REFERENCES users.users (id) CONSTRAINT users_not_self_referred CHECK (referred_by <> id),
    password_hash text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    -- Named because the user repository tells a taken phone from a taken code by constraint name.
    CONSTRAINT users_phone_unique UNIQUE (phone),
    CONSTRAINT users_referral_code_unique UNIQUE (referral_code)
  )`
  // Finds whom a user referred, and keeps deleting a user from scanning the table for referrals.
  yield* sql`CREATE INDEX users_referred_by ON users.users (referred_by) WHERE referred_by IS NOT NULL`

  // One row per signed-in device. Rows are kept after revocation: the reason explains a sign-out.
  yield* sql`CREATE TABLE auth.sessions (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users.users (id),
    device_label text NOT NULL,
    created_at timestamptz NOT NULL,
    last_used_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_reason text,
    CONSTRAINT sessions_revocation_has_reason CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL))
  )`
  yield* sql`CREATE INDEX sessions_active_by_user ON auth.sessions (user_id) WHERE revoked_at IS NULL`

  // Refresh tokens by keyed digest only: a copy of this table does not let anyone refresh.
  // A used row stays so that presenting it again is recognised as reuse.
  yield* sql`CREATE TABLE auth.refresh_tokens (
    digest text PRIMARY KEY,
    session_id uuid NOT NULL REFERENCES auth.sessions (id) ON DELETE CASCADE,
    issued_at timestamptz NOT NULL,
    used_at timestamptz
  )`
  yield* sql`CREATE INDEX refresh_tokens_session ON auth.refresh_tokens (session_id)`
})
