-- Parallax project file: the current schema, the single source of truth.
-- A new project runs this whole file; an older file is brought here by the
-- ordered steps in app/storage/migrations.py (a test checks both end identical).
-- 'PRLX' marks the file as ours; user_version is the schema version.
PRAGMA application_id = 1347570776;
PRAGMA user_version = 5;

-- One article. Its text never changes after import (trigger below).
CREATE TABLE document (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',          -- the outlet
    url         TEXT NOT NULL DEFAULT '',
    published   TEXT,                              -- ISO 8601 date, if known
    text        TEXT NOT NULL,
    text_sha256 TEXT NOT NULL UNIQUE,
    meta        TEXT NOT NULL DEFAULT '{}',
    imported_at TEXT NOT NULL
) STRICT;

CREATE TRIGGER document_text_immutable
BEFORE UPDATE OF text, text_sha256 ON document
BEGIN
    SELECT RAISE(ABORT, 'document text is immutable');
END;

CREATE TABLE label (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(trim(name)) > 0),
    kind     TEXT NOT NULL CHECK (kind IN ('entity', 'claim')),
    color    TEXT NOT NULL CHECK (color GLOB '#[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]'),
    hotkey   TEXT UNIQUE,
    position INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE annotator (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0)
) STRICT;

-- A tagged stretch of one document: code-point offsets, end exclusive.
-- quote repeats the covered text so a damaged file is noticed on load.
CREATE TABLE span (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    document_id  INTEGER NOT NULL REFERENCES document (id),
    start        INTEGER NOT NULL CHECK (start >= 0),
    "end"        INTEGER NOT NULL,
    label_id     INTEGER NOT NULL REFERENCES label (id),
    annotator_id INTEGER NOT NULL REFERENCES annotator (id),
    quote        TEXT NOT NULL,
    attrs        TEXT NOT NULL DEFAULT '{}',
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    CHECK (start < "end")
) STRICT;
CREATE INDEX span_by_document ON span (document_id, start);
CREATE INDEX span_by_label ON span (label_id);

-- A typed edge between two spans, usually in different documents.
CREATE TABLE link (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('contradicts', 'supports', 'same_as', 'updates')),
    source_span_id INTEGER NOT NULL REFERENCES span (id),
    target_span_id INTEGER NOT NULL REFERENCES span (id),
    annotator_id   INTEGER NOT NULL REFERENCES annotator (id),
    note           TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    CHECK (source_span_id <> target_span_id)
) STRICT;
CREATE INDEX link_by_source ON link (source_span_id);
CREATE INDEX link_by_target ON link (target_span_id);

-- Added in version 2: dispute review.
CREATE TABLE review_session (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    reviewer   TEXT NOT NULL,
    scope      TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    closed_at  TEXT
) STRICT;

CREATE TABLE verdict (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES review_session (id),
    link_id    INTEGER NOT NULL REFERENCES link (id),
    decision   TEXT NOT NULL CHECK (decision IN ('conflict_confirmed', 'not_a_conflict',
                   'first_source_right', 'second_source_right', 'both_wrong', 'undetermined')),
    rationale  TEXT NOT NULL DEFAULT '',
    decided_at TEXT NOT NULL,
    UNIQUE (session_id, link_id)
) STRICT;

CREATE TABLE verdict_evidence (
    verdict_id INTEGER NOT NULL REFERENCES verdict (id),
    span_id    INTEGER NOT NULL REFERENCES span (id),
    PRIMARY KEY (verdict_id, span_id)
) STRICT;

-- Added in version 2: corpus search. Holds title and text folded by
-- app.textfold (case, diacritics, dotless i) with the same code-point length
-- as the originals, so a hit maps straight back onto the real text.
-- (No json_valid() CHECKs: with trusted_schema OFF, SQLite 3.40 refuses them;
-- JSON columns are written only by app/ via json.dumps.)
CREATE VIRTUAL TABLE document_search USING fts5 (
    title, text, tokenize = 'unicode61 remove_diacritics 2'
);

-- Added in version 3: small project-wide settings (e.g. rejected suggestions).
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Added in version 3: adjudication decisions. The gold layer itself is the
-- spans and links of the reserved annotator 'gold'; this records what the
-- adjudicator accepted or rejected. `item` names a candidate span or link by
-- content (see app/team/curation.py); documents by uuid, so a deleted and
-- restored document keeps its decisions.
CREATE TABLE adjudication (
    id            INTEGER PRIMARY KEY,
    document_uuid TEXT NOT NULL,
    item          TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('accepted', 'rejected')),
    decided_by    TEXT NOT NULL,
    decided_at    TEXT NOT NULL,
    UNIQUE (document_uuid, item)
) STRICT;

-- Added in version 4: events, groups of articles that report the same
-- happening (app/events/). Members by document uuid, like adjudication, so a
-- deleted and restored document keeps its event.
CREATE TABLE event (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE event_member (
    document_uuid TEXT PRIMARY KEY,
    event_id      INTEGER NOT NULL REFERENCES event (id)
) STRICT;
CREATE INDEX event_member_by_event ON event_member (event_id);

-- Added in version 5: the document list reads this index, never the table
-- (whose pages hold the texts): list order, and all a row of the list shows.
CREATE INDEX document_listing ON document (published IS NULL, published, id, title, source);
