-- $1 new id, $2 e-mail, $3 password hash, $4 display name or NULL, $5 now (ms). No row back: the
-- address is taken (after waiting for a concurrent registration of it to commit or roll back).
INSERT INTO users (id, email, password_hash, status, display_name, created_at, updated_at)
VALUES ($1, $2, $3, 'pending', $4, ms_to_ts($5), ms_to_ts($5))
ON CONFLICT (email) DO NOTHING
RETURNING id
