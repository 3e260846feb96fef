-- $1 id, $2 hash, $3 prefix, $4 name, $5 scopes, $6 user (personal) or NULL, $7 org or NULL,
-- $8 owner (org tokens) or NULL, $9 creator, $10 expires (ms) or NULL, $11 created (ms).
INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner,
                        created_by, expires_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6::uuid, $7::uuid, $8::text, $9, ms_to_ts($10::bigint),
        ms_to_ts($11))
