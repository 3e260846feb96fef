-- $1 a pseudonym (32 hex). The raw rows linked to that person: their user_hash, or the
-- actor_hash property of the org events they caused. Every column, by occurred_at then id.
SELECT id, event_id, surface, event, org_hash, user_hash, properties::text, schema_version,
       origin, key_id, ts_to_ms(occurred_at), ts_to_ms(received_at)
FROM telemetry_events
WHERE user_hash = $1
   OR properties ->> 'actor_hash' = $1
ORDER BY occurred_at, id
