/* assay-kind-correction.c: an expert's rewrite of a candidate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One corrected text per candidate and annotator.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "text", NULL };

static gboolean
read_correction (AssayKindRecord  *record,
                 GError          **error)
{
  g_autofree char *text = NULL;
  GError *local_error = NULL;

  if (!_assay_reader_string (record->r, record->object, record->prefix, "text", TRUE, &text,
                             error))
    return FALSE;
  if (!assay_project_set_correction (record->project, record->candidate_id, record->annotator_id,
                                     text, record->stamp, &local_error))
    return _assay_kind_fail_with (record, record->object, record->prefix, local_error, error);
  return TRUE;
}

static gboolean
write_corrections (AssayKindWriter  *w,
                   gint64            source_id,
                   GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT a.ext_id, c.ext_id, r.text, r.created_at,"
                                     " r.updated_at, r.time_spent FROM corrections r"
                                     " JOIN candidates c ON c.id = r.candidate_id"
                                     " JOIN annotators a ON a.id = r.annotator_id"
                                     " WHERE c.source_id = ?1 ORDER BY c.position, a.ext_id",
                                     source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      _assay_kind_writer_begin (w, "correction", _assay_column_text (stmt, 0));
      _assay_kind_writer_column (w, "candidate", stmt, 1);
      _assay_kind_writer_column (w, "text", stmt, 2);
      _assay_kind_writer_stamp (w, stmt, 3);
      _assay_kind_writer_end (w);
    }
  return _assay_kind_writer_done (w, stmt, rc, error);
}

static void
correction_row (AssayItem    *item,
                sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));

  if (candidate != NULL)
    {
      g_free (candidate->correction);
      candidate->correction = _assay_kind_dup_text (stmt, 1);
    }
}

static gboolean
touches_correction (AssayItem          *item,
                    AssayItemCandidate *candidate)
{
  return candidate->correction != NULL;
}

static void
correction_blocks (AssayTemplate      *tmpl,
                   GPtrArray          *candidates,
                   AssayItemCandidate *candidate,
                   GPtrArray          *out)
{
  g_ptr_array_add (out, _assay_adjudication_block_new (ASSAY_BLOCK_CORRECTION, candidate->id));
}

static gboolean
holds_correction (const AssayAdjudicationBlock *block,
                  AssayItem                    *item)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, block->candidate_id);

  return candidate != NULL && candidate->correction != NULL;
}

static gboolean
same_correction (const AssayAdjudicationBlock *block,
                 AssayItem                    *x,
                 AssayItem                    *y,
                 gboolean                      exact)
{
  return g_strcmp0 (assay_item_find_candidate (x, block->candidate_id)->correction,
                    assay_item_find_candidate (y, block->candidate_id)->correction) == 0;
}

static void
clear_corrections (AssayItem *item)
{
  for (guint i = 0; i < item->candidates->len; i++)
    g_clear_pointer (&((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->correction,
                     g_free);
}

static const AssayKindStats stats = {
  "SELECT r.candidate_id, r.annotator_id, r.text, c.text FROM corrections r"
  " JOIN candidates c ON c.id = r.candidate_id ORDER BY r.candidate_id, r.annotator_id",
  "SELECT r.candidate_id, r.annotator_id, r.text, c.text"
  " FROM corrections r JOIN candidates c ON c.id = r.candidate_id WHERE c.source_id = ?1"
  " ORDER BY r.candidate_id, r.annotator_id",
  _assay_stats_row_correction,
};

static const AssayKindLoad load[] = {
  { "SELECT r.candidate_id, r.text FROM candidates c"
    " CROSS JOIN corrections r ON r.candidate_id = c.id"
    " WHERE c.source_id = ?1 AND r.annotator_id = ?2",
    correction_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
  { NULL, NULL },
};

const AssayKind _assay_kind_correction = {
  .type = "correction",
  .members = members,
  .candidate = ASSAY_KIND_CANDIDATE,
  .table = "corrections",
  .since = 1,
  .scope = ASSAY_KIND_OF_CANDIDATE,
  .key = "candidate_id, annotator_id",
  .counted = NULL,
  .present = NULL,
  .judge = ASSAY_JUDGE_CORRECTION,
  .read = read_correction,
  .write = write_corrections,
  .touches = touches_correction,
  .block = ASSAY_BLOCK_CORRECTION,
  .shown = 4,
  .blocks = correction_blocks,
  .holds = holds_correction,
  .same = same_correction,
  .clear_item = clear_corrections,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
