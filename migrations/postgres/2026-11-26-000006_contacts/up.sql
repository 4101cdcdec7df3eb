-- The network of contact persons (rule 7): each administration and company appoints
-- contact persons. Personal data: visible to signed-in users only; an erasure request
-- anonymises the person and keeps the history that refers to them.
CREATE TABLE contacts (
    id BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    name TEXT NOT NULL,
    title TEXT,
    email TEXT,
    phone TEXT,
    network_role TEXT,
    term_from DATE,
    term_to DATE,
    erased_at TIMESTAMP,
    archived_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX contacts_organisation_idx ON contacts (organisation_id);
