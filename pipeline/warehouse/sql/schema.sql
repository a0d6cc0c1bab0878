-- Warehouse contract (see ../shared/SPEC.md). Column descriptions: pipeline/warehouse/dictionary.yaml.

CREATE TABLE reports (
    report_id      VARCHAR PRIMARY KEY,   -- first 12 hex digits of the file's SHA-256
    source_file    VARCHAR NOT NULL,
    original_name  VARCHAR NOT NULL,
    regency        VARCHAR NOT NULL,      -- display name, unique across area types: 'Muara Enim', 'Kota Bandung', 'Provinsi Jawa Barat'
    area_type      VARCHAR CHECK (area_type IN ('kabupaten','kota','provinsi')),
    area_code      VARCHAR,               -- Kemendagri code, e.g. '16.03' (kabupaten/kota) or '16' (provinsi)
    province       VARCHAR,
    agency         VARCHAR,
    report_year    INTEGER NOT NULL,
    period         VARCHAR NOT NULL CHECK (period IN ('annual','Q1','Q2','Q3','Q4','S1','S2')),
    sha256         VARCHAR NOT NULL UNIQUE,
    n_lines        INTEGER NOT NULL,
    encoding       VARCHAR NOT NULL,
    source_kind    VARCHAR NOT NULL DEFAULT 'text' CHECK (source_kind IN ('text','pdf')),
    text_file      VARCHAR,               -- for a PDF: the extracted text under data/curated/text/ that source_line counts in
    n_pages        INTEGER,               -- for a PDF: its page count
    coverage       VARCHAR,               -- JSON: headline indicators yielded / missing
    parsed_at      TIMESTAMP NOT NULL,
    detection      VARCHAR,               -- why regency / year / period were detected as they were
    n_tables       INTEGER,
    n_observations INTEGER,
    n_conflicts    INTEGER,
    n_warnings     INTEGER
);

CREATE TABLE observations (
    obs_id       BIGINT PRIMARY KEY,
    report_id    VARCHAR NOT NULL REFERENCES reports (report_id),
    regency      VARCHAR NOT NULL,
    indicator    VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    scope_level  VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    period       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL CHECK (kind IN ('actual','target','achievement')),
    value        DOUBLE NOT NULL,
    unit         VARCHAR NOT NULL CHECK (unit IN ('percent','rupiah','persons','count','cases')),
    source_file  VARCHAR NOT NULL,
    source_line  INTEGER NOT NULL,
    source_page  INTEGER,                 -- 1-based PDF page; NULL for text files
    source_text  VARCHAR NOT NULL,
    method       VARCHAR NOT NULL CHECK (method IN ('table','narrative','derived','curated')),
    status       VARCHAR NOT NULL CHECK (status IN ('ok','conflict','mismatch','suspect')),
    status_reason VARCHAR,                -- why a value is suspect / a mismatch, in words
    definition   VARCHAR,
    formula      VARCHAR,
    note         VARCHAR,
    label        VARCHAR,
    section      VARCHAR NOT NULL,
    table_id     VARCHAR,
    decimals     INTEGER NOT NULL,
    confirmed    BOOLEAN NOT NULL,
    n_agreeing   INTEGER NOT NULL,
    section_rank INTEGER NOT NULL,
    method_rank  INTEGER NOT NULL
);

CREATE TABLE conflicts (
    conflict_id  BIGINT PRIMARY KEY,
    report_id    VARCHAR NOT NULL REFERENCES reports (report_id),
    regency      VARCHAR NOT NULL,
    indicator    VARCHAR NOT NULL,
    scope        VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    period       VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    n_candidates INTEGER NOT NULL,
    n_values     INTEGER NOT NULL,
    chosen_value DOUBLE NOT NULL,
    "values"     DOUBLE[] NOT NULL,
    lines        INTEGER[] NOT NULL,
    candidates   VARCHAR NOT NULL,        -- JSON: value, line, method, section, status, text
    reason       VARCHAR NOT NULL
);

CREATE TABLE budget_lines (
    report_id         VARCHAR NOT NULL REFERENCES reports (report_id),
    regency           VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    period            VARCHAR NOT NULL,
    level             VARCHAR NOT NULL,   -- total, subtotal, belanja, programme, activity, sub_activity, goal
    code              VARCHAR,
    name              VARCHAR NOT NULL,
    programme         VARCHAR,
    parent            VARCHAR,
    pagu              DOUBLE,
    realisasi         DOUBLE,
    absorption_stated DOUBLE,
    absorption_computed DOUBLE,
    remaining         DOUBLE,
    source_file       VARCHAR NOT NULL,
    source_line       INTEGER NOT NULL,
    source_page  INTEGER,
    source_text       VARCHAR NOT NULL,
    method            VARCHAR NOT NULL,
    section           VARCHAR NOT NULL,
    table_id          VARCHAR
);

CREATE TABLE indicator_rows (
    report_id           VARCHAR NOT NULL REFERENCES reports (report_id),
    regency             VARCHAR NOT NULL,
    table_id            VARCHAR NOT NULL,
    section             VARCHAR NOT NULL,
    goal                VARCHAR,
    indicator_text      VARCHAR NOT NULL,
    canonical_indicator VARCHAR,
    unit_text           VARCHAR,
    year                INTEGER NOT NULL,
    period              VARCHAR NOT NULL,
    target_text         VARCHAR,
    target_value        DOUBLE,
    actual_text         VARCHAR,
    actual_value        DOUBLE,
    achievement_text    VARCHAR,
    achievement_value   DOUBLE,
    category            VARCHAR,
    source_file         VARCHAR NOT NULL,
    source_line         INTEGER NOT NULL,
    source_page  INTEGER,
    source_text         VARCHAR NOT NULL
);

CREATE TABLE training_courses (
    report_id    VARCHAR NOT NULL REFERENCES reports (report_id),
    regency      VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    course       VARCHAR NOT NULL,
    packages     DOUBLE,
    participants DOUBLE,
    passed       DOUBLE,
    certified    DOUBLE,
    funding      VARCHAR,
    method       VARCHAR NOT NULL,
    source_file  VARCHAR NOT NULL,
    source_line  INTEGER NOT NULL,
    source_page  INTEGER,
    source_text  VARCHAR NOT NULL
);

CREATE TABLE context_values (
    report_id       VARCHAR NOT NULL REFERENCES reports (report_id),
    regency         VARCHAR NOT NULL,     -- the regency whose report quotes the figure
    geography       VARCHAR NOT NULL,     -- the place the figure is about
    geography_level VARCHAR NOT NULL,     -- province, national, regency, city
    indicator       VARCHAR NOT NULL,
    year            INTEGER NOT NULL,
    period          VARCHAR NOT NULL,
    value           DOUBLE NOT NULL,
    unit            VARCHAR NOT NULL,
    method          VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_line     INTEGER NOT NULL,
    source_page  INTEGER,
    source_text     VARCHAR NOT NULL
);

CREATE TABLE tables_found (
    report_id    VARCHAR NOT NULL REFERENCES reports (report_id),
    table_id     VARCHAR NOT NULL,
    encoding     VARCHAR NOT NULL,        -- tsv, pipe, html, flat
    line_start   INTEGER NOT NULL,
    line_end     INTEGER NOT NULL,
    n_rows       INTEGER NOT NULL,
    n_header_rows INTEGER NOT NULL,
    n_columns    INTEGER NOT NULL,
    header       VARCHAR,                 -- column labels joined with ' | '
    year_columns VARCHAR,                 -- years named in the header
    caption      VARCHAR,
    section      VARCHAR NOT NULL,
    notes        VARCHAR
);

CREATE TABLE warnings (
    report_id   VARCHAR,                  -- NULL when the file could not be read at all
    source_file VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL CHECK (severity IN ('error','warning','info')),
    code        VARCHAR NOT NULL,
    message     VARCHAR NOT NULL,
    source_line INTEGER,
    source_page INTEGER
);

CREATE TABLE indicators (
    indicator   VARCHAR PRIMARY KEY,
    unit        VARCHAR NOT NULL,
    better      VARCHAR,
    headline    BOOLEAN NOT NULL,
    title_en    VARCHAR NOT NULL,
    title_id    VARCHAR NOT NULL,
    short_en    VARCHAR NOT NULL,
    short_id    VARCHAR NOT NULL,
    description_en VARCHAR NOT NULL,
    description_id VARCHAR NOT NULL
);

CREATE TABLE build_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
