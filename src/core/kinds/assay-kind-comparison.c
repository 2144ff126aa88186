/* assay-kind-comparison.c: which of two candidates is better
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One comparison per unordered pair and annotator, its sides kept as they
 * were shown.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "a", "b", "winner", "rationale", NULL };

static gboolean
read_comparison (AssayKindRecord  *record,
                 GError          **error)
{
  g_autofree char *winner_text = NULL;
  g_autofree char *rationale = NULL;
  GError *local_error = NULL;
  gint64 a = 0, b = 0;
  AssayWinner winner;

  if (!_assay_kind_candidate_ref (record, "a", &a, error) ||
      !_assay_kind_candidate_ref (record, "b", &b, error) ||
      !_assay_reader_string (record->r, record->object, record->prefix, "winner", TRUE,
                             &winner_text, error) ||
      !_assay_reader_string (record->r, record->object, record->prefix, "rationale", FALSE,
                             &rationale, error))
    return FALSE;
  if (!assay_winner_from_string (winner_text, &winner))
    return _assay_kind_fail (record, assay_json_object_get (record->r->doc, record->object,
                                                            "winner"),
                             record->prefix, error,
                             _("“winner” must be “a”, “b” or “tie”, not “%s”"), winner_text);
  if (!assay_project_set_comparison (record->project, record->source_id, record->annotator_id,
                                     a, b, winner, rationale, record->stamp, &local_error))
    return _assay_kind_fail_with (record, record->object, record->prefix, local_error, error);
  return TRUE;
}

static gboolean
write_comparisons (AssayKindWriter  *w,
                   gint64            source_id,
                   GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT a.ext_id, ca.ext_id, cb.ext_id, p.winner,"
                                     " p.rationale, p.created_at, p.updated_at, p.time_spent"
                                     " FROM comparisons p"
                                     " JOIN annotators a ON a.id = p.annotator_id"
                                     " JOIN candidates ca ON ca.id = p.candidate_a"
                                     " JOIN candidates cb ON cb.id = p.candidate_b"
                                     " WHERE p.source_id = ?1"
                                     " ORDER BY a.ext_id, min (ca.position, cb.position),"
                                     " max (ca.position, cb.position)",
                                     source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      _assay_kind_writer_begin (w, "comparison", _assay_column_text (stmt, 0));
      _assay_kind_writer_column (w, "a", stmt, 1);
      _assay_kind_writer_column (w, "b", stmt, 2);
      _assay_kind_writer_column (w, "winner", stmt, 3);
      _assay_kind_writer_column (w, "rationale", stmt, 4);
      _assay_kind_writer_stamp (w, stmt, 5);
      _assay_kind_writer_end (w);
    }
  return _assay_kind_writer_done (w, stmt, rc, error);
}

static void
comparison_row (AssayItem    *item,
                sqlite3_stmt *stmt)
{
  AssayItemComparison *comparison = g_new0 (AssayItemComparison, 1);

  comparison->a = sqlite3_column_int64 (stmt, 0);
  comparison->b = sqlite3_column_int64 (stmt, 1);
  if (!assay_winner_from_string (_assay_column_text (stmt, 2), &comparison->winner))
    comparison->winner = ASSAY_WINNER_TIE;
  comparison->rationale = _assay_kind_dup_text (stmt, 3);
  g_ptr_array_add (item->comparisons, comparison);
}

static gboolean
touches_comparison (AssayItem          *item,
                    AssayItemCandidate *candidate)
{
  for (guint i = 0; i < item->comparisons->len; i++)
    {
      AssayItemComparison *comparison = g_ptr_array_index (item->comparisons, i);

      if (comparison->a == candidate->id || comparison->b == candidate->id)
        return TRUE;
    }
  return FALSE;
}

/* One block per pair, in display order, so that letters run A, B, C. */
static void
comparison_blocks (AssayTemplate      *tmpl,
                   GPtrArray          *candidates,
                   AssayItemCandidate *candidate,
                   GPtrArray          *out)
{
  for (guint i = 0; i < candidates->len; i++)
    for (guint j = i + 1; j < candidates->len; j++)
      {
        AssayAdjudicationBlock *block = _assay_adjudication_block_new (ASSAY_BLOCK_COMPARISON, 0);

        block->a = ((AssayItemCandidate *) g_ptr_array_index (candidates, i))->id;
        block->b = ((AssayItemCandidate *) g_ptr_array_index (candidates, j))->id;
        g_ptr_array_add (out, block);
      }
}

static gboolean
holds_comparison (const AssayAdjudicationBlock *block,
                  AssayItem                    *item)
{
  return assay_item_find_comparison (item, block->a, block->b) != NULL;
}

/* The winner, whichever side each candidate was shown on. */
static gboolean
same_comparison (const AssayAdjudicationBlock *block,
                 AssayItem                    *x,
                 AssayItem                    *y,
                 gboolean                      exact)
{
  AssayItemComparison *p = assay_item_find_comparison (x, block->a, block->b);
  AssayItemComparison *q = assay_item_find_comparison (y, block->a, block->b);

  return assay_adjudication_winner (p) == assay_adjudication_winner (q) &&
         (!exact || g_strcmp0 (p->rationale, q->rationale) == 0);
}

static void
clear_comparisons (AssayItem *item)
{
  g_ptr_array_set_size (item->comparisons, 0);
}

static const AssayKindStats stats = {
  "SELECT source_id, annotator_id, candidate_a, candidate_b, winner FROM comparisons",
  "SELECT source_id, annotator_id, candidate_a, candidate_b, winner FROM comparisons"
  " WHERE source_id = ?1",
  _assay_stats_row_comparison,
};

static const AssayKindLoad load[] = {
  { "SELECT candidate_a, candidate_b, winner, rationale FROM comparisons"
    " WHERE source_id = ?1 AND annotator_id = ?2 ORDER BY id",
    comparison_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
  { "SELECT s.ext_id FROM comparisons p JOIN candidates a ON a.id = p.candidate_a"
    " JOIN candidates b ON b.id = p.candidate_b JOIN sources s ON s.id = p.source_id"
    " WHERE a.source_id <> p.source_id OR b.source_id <> p.source_id",
    N_("A comparison on “%s” includes a candidate of another source") },
  { NULL, NULL },
};

const AssayKind _assay_kind_comparison = {
  .type = "comparison",
  .members = members,
  .candidate = ASSAY_KIND_NO_CANDIDATE,
  .table = "comparisons",
  .since = 1,
  .scope = ASSAY_KIND_OF_SOURCE,
  .key = "annotator_id, min (candidate_a, candidate_b), max (candidate_a, candidate_b)",
  .counted = NULL,
  .present = NULL,
  .judge = ASSAY_JUDGE_PAIRWISE,
  .read = read_comparison,
  .write = write_comparisons,
  .touches = touches_comparison,
  .block = ASSAY_BLOCK_COMPARISON,
  .shown = 6,
  .blocks = comparison_blocks,
  .holds = holds_comparison,
  .same = same_comparison,
  .clear_item = clear_comparisons,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
