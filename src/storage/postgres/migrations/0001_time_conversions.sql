-- Conversions between the Unix milliseconds the domain speaks (core::TimePoint; to_ms/from_ms in
-- the SQLite codec) and the timestamptz columns of this schema.
--
-- This migration takes the place of SQLite's 0001, which creates `schema_migrations`: on
-- PostgreSQL the migrator creates that ledger itself (CREATE TABLE IF NOT EXISTS, under its
-- advisory lock, with a timestamptz applied_at) before it reads the current version, so a
-- migration creating it again would fail. Keeping a 0001 here keeps the numbers of the later
-- files equal to their SQLite counterparts (0002 accounts … 0006 telemetry).
--
-- Every time in this schema is a timestamptz holding whole milliseconds. The repositories keep
-- binding and reading int64 milliseconds: they write `ms_to_ts($n)` where SQLite had `?`, and
-- `ts_to_ms(column)` where SQLite read the integer column. Both are exact and do not depend on
-- the session's TimeZone or DateStyle, so no timestamp text is ever parsed in C++.

-- Milliseconds since 1970-01-01T00:00:00Z to the instant. Whole seconds and the millisecond rest
-- are converted apart: `to_timestamp(ms / 1000.0)` alone goes through a double and drifts by
-- microseconds far from 1970. The sum does not depend on the time zone (the interval has no day
-- or month part), hence IMMUTABLE although timestamptz + interval is only STABLE in general.
CREATE FUNCTION ms_to_ts(ms bigint)
RETURNS timestamptz
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
RETURN to_timestamp(ms / 1000) + (ms % 1000) * INTERVAL '1 millisecond';

-- The instant to milliseconds since the epoch, rounded down like std::chrono::floor (only
-- matters for values written by hand with sub-millisecond digits). extract() returns numeric
-- since PostgreSQL 14: no floating point on this side.
CREATE FUNCTION ts_to_ms(ts timestamptz)
RETURNS bigint
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
RETURN floor(extract(epoch FROM ts) * 1000)::bigint;
