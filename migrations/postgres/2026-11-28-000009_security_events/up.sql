-- Security events: failed and throttled sign-ins and other refusals worth watching. Kept
-- apart from the audit log (the permanent record of changes): anyone can cause these, so
-- they are written at a limited rate and removed after a retention period.
CREATE TABLE security_events (
    id BIGSERIAL PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    client_ip TEXT,
    account TEXT,
    user_id BIGINT,
    request_id TEXT,
    detail TEXT NOT NULL,
    -- Events from the same client left unwritten by the rate limit since its previous row.
    suppressed INTEGER NOT NULL
);

CREATE INDEX security_events_time_idx ON security_events (occurred_at);
