-- $1 e-mail.
SELECT consecutive_failures, ts_to_ms(locked_until)
FROM login_throttle
WHERE email = $1
