-- $1 org id, $2 token id or NULL: every token of the org (or that one), revoked ones included,
-- newest first. Columns: id, name,
-- prefix, scopes, owner, creator, creator's e-mail (NULL once the account is gone), expires,
-- last used, revoked, created.
SELECT t.id, t.name, t.token_prefix, t.scopes, t.owner, t.created_by, u.email,
       ts_to_ms(t.expires_at), ts_to_ms(t.last_used_at), ts_to_ms(t.revoked_at),
       ts_to_ms(t.created_at)
FROM api_tokens t
LEFT JOIN users u ON u.id = t.created_by
WHERE t.org_id = $1
  AND ($2::uuid IS NULL OR t.id = $2::uuid)
ORDER BY t.created_at DESC, t.id DESC
