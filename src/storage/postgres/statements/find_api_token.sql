-- $1 token hash (SHA-256 hex). The token stored under it, revoked and expired ones included (the
-- domain decides): id, user (personal), org, owner, creator, scopes, expiry, last use, revoked.
SELECT id, user_id, org_id, owner, created_by, scopes,
       ts_to_ms(expires_at), ts_to_ms(last_used_at), revoked_at IS NOT NULL
FROM api_tokens
WHERE token_hash = $1
