-- The Assay project schema as first released (version 1). Later versions are
-- reached by the migrations in assay-project.c.
--
-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- One SQLite file holds one review effort. Tables are STRICT so that a value
-- of the wrong type is refused by SQLite itself, whoever wrote the file.
-- Offsets are Unicode code points, half-open [start, end). Times are ISO 8601
-- UTC text; durations are seconds. The text of this file is compiled into the
-- core as a resource and run once when a project is created; `assay-cli check`
-- compares a project's schema against it.

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE annotators (
  id     INTEGER PRIMARY KEY,
  ext_id TEXT NOT NULL UNIQUE CHECK (length(ext_id) BETWEEN 1 AND 256),
  name   TEXT NOT NULL,
  kind   TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'model', 'adjudicator'))
) STRICT;

CREATE TABLE sources (
  id         INTEGER PRIMARY KEY,
  ext_id     TEXT NOT NULL UNIQUE CHECK (length(ext_id) BETWEEN 1 AND 256),
  title      TEXT NOT NULL,
  text       TEXT NOT NULL,
  metadata   TEXT NOT NULL DEFAULT '{}',
  created_at TEXT NOT NULL
) STRICT;

-- The text of a source with segments is their texts joined by "\n"; each
-- segment knows where it starts in that text.
CREATE TABLE segments (
  source_id  INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  idx        INTEGER NOT NULL CHECK (idx >= 0),
  speaker    TEXT,
  start_time REAL CHECK (start_time IS NULL OR start_time >= 0),
  end_time   REAL CHECK (end_time IS NULL OR end_time >= 0),
  char_start INTEGER NOT NULL CHECK (char_start >= 0),
  char_end   INTEGER NOT NULL CHECK (char_end >= char_start),
  text       TEXT NOT NULL,
  PRIMARY KEY (source_id, idx)
) STRICT, WITHOUT ROWID;

CREATE TABLE candidates (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  ext_id    TEXT NOT NULL CHECK (length(ext_id) BETWEEN 1 AND 256),
  model     TEXT NOT NULL,
  text      TEXT NOT NULL,
  prompt    TEXT,
  metadata  TEXT NOT NULL DEFAULT '{}',
  position  INTEGER NOT NULL,
  UNIQUE (source_id, ext_id)
) STRICT;

CREATE INDEX candidates_by_model ON candidates (model);

-- The task template. Label sets and criteria are rows so that judgments can
-- refer to them and statistics can group by them.
CREATE TABLE label_sets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  title       TEXT,
  description TEXT,
  scope       TEXT NOT NULL CHECK (scope IN ('candidate', 'span')),
  multi       INTEGER NOT NULL DEFAULT 0 CHECK (multi IN (0, 1)),
  position    INTEGER NOT NULL
) STRICT;

CREATE TABLE label_options (
  id           INTEGER PRIMARY KEY,
  label_set_id INTEGER NOT NULL REFERENCES label_sets (id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  title        TEXT,
  description  TEXT,
  shortcut     TEXT,
  color        TEXT,
  position     INTEGER NOT NULL,
  UNIQUE (label_set_id, name)
) STRICT;

CREATE TABLE criteria (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  title       TEXT,
  description TEXT,
  scale_min   INTEGER NOT NULL,
  scale_max   INTEGER NOT NULL CHECK (scale_max > scale_min AND scale_max - scale_min <= 10),
  weight      REAL NOT NULL DEFAULT 1 CHECK (weight >= 0),
  required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
  position    INTEGER NOT NULL
) STRICT;

CREATE TABLE criterion_anchors (
  criterion_id INTEGER NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
  value        INTEGER NOT NULL,
  text         TEXT NOT NULL,
  PRIMARY KEY (criterion_id, value)
) STRICT, WITHOUT ROWID;

-- Judgments. Each row carries its annotator, when it was made and last
-- changed, and the seconds spent on it. Label options and criteria are
-- referenced with RESTRICT: a template change cannot orphan a judgment.
CREATE TABLE labels (
  candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  option_id    INTEGER NOT NULL REFERENCES label_options (id) ON DELETE RESTRICT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  PRIMARY KEY (candidate_id, annotator_id, option_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE spans (
  id           INTEGER PRIMARY KEY,
  candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  start        INTEGER NOT NULL CHECK (start >= 0),
  end          INTEGER NOT NULL CHECK (end > start),
  option_id    INTEGER REFERENCES label_options (id) ON DELETE RESTRICT,
  note         TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0)
) STRICT;

CREATE UNIQUE INDEX spans_unique ON spans (candidate_id, annotator_id, start, end, ifnull (option_id, 0));

CREATE TABLE span_evidence (
  span_id INTEGER NOT NULL REFERENCES spans (id) ON DELETE CASCADE,
  start   INTEGER NOT NULL CHECK (start >= 0),
  end     INTEGER NOT NULL CHECK (end > start),
  PRIMARY KEY (span_id, start, end)
) STRICT, WITHOUT ROWID;

CREATE TABLE corrections (
  candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  text         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  PRIMARY KEY (candidate_id, annotator_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE scores (
  candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  criterion_id INTEGER NOT NULL REFERENCES criteria (id) ON DELETE RESTRICT,
  value        INTEGER NOT NULL,
  rationale    TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  PRIMARY KEY (candidate_id, annotator_id, criterion_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX scores_by_criterion ON scores (criterion_id);

-- Ties share a rank.
CREATE TABLE rankings (
  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  candidate_id INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  rank         INTEGER NOT NULL CHECK (rank >= 1),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  PRIMARY KEY (source_id, annotator_id, candidate_id)
) STRICT, WITHOUT ROWID;

-- Sides are kept as they were shown; one comparison per unordered pair.
CREATE TABLE comparisons (
  id           INTEGER PRIMARY KEY,
  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  candidate_a  INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  candidate_b  INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,
  winner       TEXT NOT NULL CHECK (winner IN ('a', 'b', 'tie')),
  rationale    TEXT,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  CHECK (candidate_a <> candidate_b)
) STRICT;

CREATE UNIQUE INDEX comparisons_unique
  ON comparisons (annotator_id, min (candidate_a, candidate_b), max (candidate_a, candidate_b));

-- candidate_id 0 stands for "the source as a whole", so that the primary key
-- can hold it (NULL would never be equal to NULL).
CREATE TABLE notes (
  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  candidate_id INTEGER NOT NULL DEFAULT 0,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  text         TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  PRIMARY KEY (source_id, candidate_id, annotator_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE item_status (
  source_id    INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
  annotator_id INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,
  status       TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped', 'flagged')),
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  time_spent   REAL NOT NULL DEFAULT 0 CHECK (time_spent >= 0),
  PRIMARY KEY (source_id, annotator_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX item_status_by_status ON item_status (annotator_id, status);
