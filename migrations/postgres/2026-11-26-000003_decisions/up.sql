-- The decisions register (rule 6): the council's and the board's decisions that adopt
-- programmes and approve twin towns and collaborations. Archived, never deleted.
CREATE TABLE decisions (
    id BIGSERIAL PRIMARY KEY,
    body TEXT NOT NULL CHECK (body IN ('council', 'executive_board', 'committee', 'company_board')),
    decided_on DATE NOT NULL,
    paragraph TEXT NOT NULL,
    diarienummer TEXT NOT NULL,
    subject TEXT NOT NULL,
    link TEXT,
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT decisions_body_date_paragraph_key UNIQUE (body, decided_on, paragraph)
);

CREATE INDEX decisions_decided_on_idx ON decisions (decided_on);
