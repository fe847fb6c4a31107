-- Why a form of this row is missing or escaped (null: every form is faithful). The index never stops on a
-- payload: a row PostgreSQL cannot hold as it is (U+0000 in a string: jsonb and text refuse it) is still
-- indexed, its stream, version, position and payload bytes intact, the failing form left out (data) or
-- escaped (a text column, metadata), and this column says which and why.
ALTER TABLE events ADD COLUMN degraded text;
