-- $1 a pseudonym (32 hex). Deletes the raw rows linked to that person, the rows that
-- rows_of_pseudonym.sql shows them: their user_hash, or the actor_hash of the org events they
-- caused. Daily rollups hold no pseudonym and stay.
DELETE FROM telemetry_events
WHERE user_hash = $1
   OR properties ->> 'actor_hash' = $1
