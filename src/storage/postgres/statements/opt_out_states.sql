-- $1 a JSON array of org ids, $2 a JSON array of user ids: the subjects of a batch of server
-- events. One row (subject, id, opted out, changed at (ms) or NULL) per subject with a stored
-- flag; a subject without one is opted in and never changed. The domain decides from these
-- (domain/telemetry/opt_out.hpp).
SELECT 'org', o.id, o.telemetry_opt_out, ts_to_ms(o.telemetry_opt_out_changed_at)
FROM organizations o
WHERE o.id IN (SELECT value::uuid FROM json_array_elements_text($1::json))
UNION ALL
SELECT 'user', p.user_id, p.telemetry_opt_out, ts_to_ms(p.telemetry_opt_out_changed_at)
FROM user_prefs p
WHERE p.user_id IN (SELECT value::uuid FROM json_array_elements_text($2::json))
