-- $1 e-mail.
DELETE FROM login_throttle
WHERE email = $1
