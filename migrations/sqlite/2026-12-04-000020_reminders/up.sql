-- Reminders of the annual report sent by e-mail to an organisation's contact persons: one of
-- each kind (opened, week_before, overdue) per report. A server claims a reminder by
-- inserting its row ('sending') before it sends, so that two servers on one database never
-- send it twice; the row then says what became of it and to whom it went (the coordinator's
-- overview: who was reminded when).
CREATE TABLE reminders (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    report_id BIGINT NOT NULL REFERENCES reports (id),
    kind TEXT NOT NULL CHECK (kind IN ('opened', 'week_before', 'overdue')),
    status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'no_recipients')),
    recipients TEXT NOT NULL,
    error TEXT,
    attempted_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    UNIQUE (report_id, kind)
);
