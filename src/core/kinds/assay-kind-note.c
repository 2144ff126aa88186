/* assay-kind-note.c: a free-text note on a source or one of its candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One note per source, candidate and annotator; candidate_id 0 is a note
 * on the whole source.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "text", NULL };

static gboolean
read_note (AssayKindRecord  *record,
           GError          **error)
{
  g_autofree char *text = NULL;
  GError *local_error = NULL;

  if (!_assay_reader_string (record->r, record->object, record->prefix, "text", TRUE, &text,
                             error))
    return FALSE;
  if (!assay_project_set_note (record->project, record->source_id, record->candidate_id,
                               record->annotator_id, text, record->stamp, &local_error))
    return _assay_kind_fail_with (record, record->object, record->prefix, local_error, error);
  return TRUE;
}

static gboolean
write_notes (AssayKindWriter  *w,
             gint64            source_id,
             GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT a.ext_id, n.candidate_id, n.text, n.created_at,"
                                     " n.updated_at, n.time_spent FROM notes n"
                                     " JOIN annotators a ON a.id = n.annotator_id"
                                     " LEFT JOIN candidates c ON c.id = n.candidate_id"
                                     " WHERE n.source_id = ?1"
                                     " ORDER BY coalesce (c.position, -1), a.ext_id",
                                     source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      _assay_kind_writer_begin (w, "note", _assay_column_text (stmt, 0));
      if (sqlite3_column_int64 (stmt, 1) != 0)
        _assay_kind_writer_string (w, "candidate",
                                   _assay_kind_writer_candidate (w, sqlite3_column_int64 (stmt, 1)));
      _assay_kind_writer_column (w, "text", stmt, 2);
      _assay_kind_writer_stamp (w, stmt, 3);
      _assay_kind_writer_end (w);
    }
  return _assay_kind_writer_done (w, stmt, rc, error);
}

static void
note_row (AssayItem    *item,
          sqlite3_stmt *stmt)
{
  gint64 candidate_id = sqlite3_column_int64 (stmt, 0);
  AssayItemCandidate *candidate;

  if (candidate_id == 0)
    {
      g_free (item->note);
      item->note = _assay_kind_dup_text (stmt, 1);
      return;
    }
  candidate = assay_item_find_candidate (item, candidate_id);
  if (candidate != NULL)
    {
      g_free (candidate->note);
      candidate->note = _assay_kind_dup_text (stmt, 1);
    }
}

static gboolean
touches_note (AssayItem          *item,
              AssayItemCandidate *candidate)
{
  return candidate->note != NULL;
}

static void
clear_notes (AssayItem *item)
{
  g_clear_pointer (&item->note, g_free);
  for (guint i = 0; i < item->candidates->len; i++)
    g_clear_pointer (&((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->note,
                     g_free);
}

/* A note on a candidate says its annotator judged it. */
static const AssayKindStats stats = {
  "SELECT candidate_id, annotator_id FROM notes WHERE candidate_id <> 0",
  "SELECT candidate_id, annotator_id FROM notes WHERE source_id = ?1 AND candidate_id <> 0",
  _assay_stats_row_judged,
};

static const AssayKindLoad load[] = {
  { "SELECT candidate_id, text FROM notes WHERE source_id = ?1 AND annotator_id = ?2", note_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
  { "SELECT s.ext_id FROM notes n JOIN sources s ON s.id = n.source_id WHERE n.candidate_id <> 0"
    " AND NOT EXISTS (SELECT 1 FROM candidates c WHERE c.id = n.candidate_id"
    "   AND c.source_id = n.source_id)",
    N_("A note on “%s” names a candidate that is not there") },
  { NULL, NULL },
};

const AssayKind _assay_kind_note = {
  .type = "note",
  .members = members,
  .candidate = ASSAY_KIND_CANDIDATE_OPTIONAL,
  .table = "notes",
  .since = 1,
  .scope = ASSAY_KIND_OF_SOURCE,
  .key = "source_id, candidate_id, annotator_id",
  .counted = NULL,
  .present = NULL,
  .judge = 0,
  .read = read_note,
  .write = write_notes,
  .touches = touches_note,
  .clear_item = clear_notes,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
