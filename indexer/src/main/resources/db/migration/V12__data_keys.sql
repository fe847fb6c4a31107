-- The key store of personal data (crypto-shredding): one AES-256 data key per data subject. Forgetting a
-- subject sets its key to NULL and records when; the row stays, so the subject is known as forgotten and
-- never gets a new key. No personal data is in this table: subject ids are the application's identifiers.
CREATE TABLE data_keys (
    subject      text        PRIMARY KEY,
    data_key     bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    forgotten_at timestamptz,
    CONSTRAINT data_keys_forgotten_has_no_key CHECK ((data_key IS NULL) = (forgotten_at IS NOT NULL)),
    CONSTRAINT data_keys_key_is_256_bits CHECK (data_key IS NULL OR octet_length(data_key) = 32)
);

-- A snapshot's personal fields are encrypted with its data subject's key: the stream's (NULL here) unless the
-- application named another, so that forgetting that subject erases the snapshot too.
ALTER TABLE snapshots ADD COLUMN data_subject text;
