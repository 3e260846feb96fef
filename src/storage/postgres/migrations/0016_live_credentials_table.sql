-- The check that every authenticated use case folds into its first statement reads
-- `live_credentials`. As a UNION ALL view over sessions and personal API tokens (0014) it cost the
-- access-token read 4 % (its plan initialises both branches for every execution; docs/
-- performance.md): it becomes a table of the live ids, kept by the writes to its two sources in
-- their own transactions, so the check is one primary-key probe again. Same name, same columns:
-- the statements that read it do not change. (SQLite keeps the view: its plans cost nothing.)
DROP VIEW live_credentials;

CREATE TABLE live_credentials (
  id      uuid PRIMARY KEY,
  user_id uuid NOT NULL
);

INSERT INTO live_credentials (id, user_id)
SELECT id, user_id FROM sessions WHERE revoked_at IS NULL
UNION ALL
SELECT id, user_id FROM api_tokens WHERE revoked_at IS NULL AND user_id IS NOT NULL;

-- A session or personal token is listed while it is not revoked (an org token, without user_id,
-- never is); a deletion, including a cascade from its user, removes it.
CREATE FUNCTION live_credentials_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    DELETE FROM live_credentials WHERE id = OLD.id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.revoked_at IS NULL AND NEW.user_id IS NOT NULL THEN
    INSERT INTO live_credentials (id, user_id) VALUES (NEW.id, NEW.user_id);
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER sessions_live_credentials
AFTER INSERT OR DELETE OR UPDATE OF revoked_at, user_id ON sessions
FOR EACH ROW EXECUTE FUNCTION live_credentials_follow();

CREATE TRIGGER api_tokens_live_credentials
AFTER INSERT OR DELETE OR UPDATE OF revoked_at, user_id ON api_tokens
FOR EACH ROW EXECUTE FUNCTION live_credentials_follow();
