/* assay-kind-scores.c: a candidate's score on each criterion of the rubric
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stored a row per criterion; one native record per candidate and
 * annotator: {"scores": {"Faithfulness": {"score": 4, "rationale": "…"}}}
 * (a bare integer is read as a score without a rationale).
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "scores", NULL };

static gboolean
read_scores (AssayKindRecord  *record,
             GError          **error)
{
  const AssayJsonDoc *doc = record->r->doc;
  g_autofree char *path = _assay_reader_path (record->prefix, "scores");
  guint scores, key;

  if (!_assay_reader_container (record->r, record->object, record->prefix, "scores",
                                ASSAY_JSON_OBJECT, TRUE, &scores, error))
    return FALSE;

  key = assay_json_first_child (doc, scores);
  for (guint i = 0; i < doc->nodes[scores].n_children; i++)
    {
      static const char * const keys[] = { "score", "rationale", NULL };
      guint value = assay_json_next_sibling (doc, key);
      g_autofree char *name = assay_json_dup_string (doc, key);
      g_autofree char *crit_path = g_strdup_printf ("%s.%s", path, name);
      g_autofree char *rationale = NULL;
      AssayCriterion *criterion = assay_template_find_criterion (record->tmpl, name);
      gint64 score = 0;
      GError *local_error = NULL;

      if (criterion == NULL)
        return _assay_kind_fail (record, key, path, error,
                                 _("the template has no criterion “%s”"), name);

      if (assay_json_type (doc, value) == ASSAY_JSON_NUMBER)
        {
          if (!assay_json_get_int64 (doc, value, &score))
            return _assay_kind_fail (record, value, crit_path, error,
                                     _("a score must be an integer"));
        }
      else if (!_assay_reader_expect (record->r, value, crit_path, ASSAY_JSON_OBJECT, error) ||
               !_assay_reader_check_keys (record->r, value, crit_path, keys, error) ||
               !_assay_reader_int (record->r, value, crit_path, "score", TRUE, &score, error) ||
               !_assay_reader_string (record->r, value, crit_path, "rationale", FALSE,
                                      &rationale, error))
        return FALSE;

      if (score < criterion->min || score > criterion->max)
        return _assay_kind_fail (record, value, crit_path, error,
                                 _("the score %" G_GINT64_FORMAT " is not on the scale %d–%d"),
                                 score, criterion->min, criterion->max);

      if (!assay_project_set_score (record->project, record->candidate_id, record->annotator_id,
                                    criterion->id, (int) score, rationale, record->stamp,
                                    &local_error))
        return _assay_kind_fail_with (record, value, crit_path, local_error, error);

      key = assay_json_next_sibling (doc, value);
    }
  return TRUE;
}

static gboolean
write_scores (AssayKindWriter  *w,
              gint64            source_id,
              GError          **error)
{
  g_auto(AssayKindGroup) g = { FALSE };
  GString *b = _assay_kind_writer_buffer (w);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT a.ext_id, c.ext_id, min (s.created_at) OVER g,"
                                     " max (s.updated_at) OVER g, max (s.time_spent) OVER g,"
                                     " k.name, s.value, s.rationale"
                                     " FROM scores s JOIN candidates c ON c.id = s.candidate_id"
                                     " JOIN annotators a ON a.id = s.annotator_id"
                                     " JOIN criteria k ON k.id = s.criterion_id"
                                     " WHERE c.source_id = ?1"
                                     " WINDOW g AS (PARTITION BY s.candidate_id, s.annotator_id)"
                                     " ORDER BY c.position, a.ext_id, k.position",
                                     source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gboolean saved;

      if (!_assay_kind_group_update (w, &g, stmt, "scores", "scores", TRUE, 2))
        g_string_append_c (b, ',');
      assay_json_append_string (b, _assay_column_text (stmt, 5), -1);
      g_string_append_c (b, ':');

      saved = _assay_kind_writer_begin_inner (w);
      _assay_kind_writer_int (w, "score", sqlite3_column_int64 (stmt, 6));
      _assay_kind_writer_column (w, "rationale", stmt, 7);
      _assay_kind_writer_end_inner (w, saved);
    }
  if (!_assay_kind_writer_done (w, stmt, rc, error))
    return FALSE;
  _assay_kind_group_close (w, &g);
  return TRUE;
}

static void
score_row (AssayItem    *item,
           sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));
  AssayItemScore *score;
  gint64 *key;

  if (candidate == NULL)
    return;
  key = g_new (gint64, 1);
  *key = sqlite3_column_int64 (stmt, 1);
  score = g_new0 (AssayItemScore, 1);
  score->value = sqlite3_column_int (stmt, 2);
  score->rationale = _assay_kind_dup_text (stmt, 3);
  g_hash_table_replace (candidate->scores, key, score);
}

static gboolean
touches_scores (AssayItem          *item,
                AssayItemCandidate *candidate)
{
  return g_hash_table_size (candidate->scores) > 0;
}

/* One block per criterion. */
static void
score_blocks (AssayTemplate      *tmpl,
              GPtrArray          *candidates,
              AssayItemCandidate *candidate,
              GPtrArray          *out)
{
  for (guint i = 0; i < tmpl->criteria->len; i++)
    {
      AssayAdjudicationBlock *block = _assay_adjudication_block_new (ASSAY_BLOCK_SCORE,
                                                                     candidate->id);

      block->criterion = g_ptr_array_index (tmpl->criteria, i);
      g_ptr_array_add (out, block);
    }
}

static gboolean
holds_score (const AssayAdjudicationBlock *block,
             AssayItem                    *item)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, block->candidate_id);

  return candidate != NULL && g_hash_table_contains (candidate->scores, &block->criterion->id);
}

/* The score; the rationale only when `exact`. */
static gboolean
same_score (const AssayAdjudicationBlock *block,
            AssayItem                    *x,
            AssayItem                    *y,
            gboolean                      exact)
{
  AssayItemScore *sx = g_hash_table_lookup (assay_item_find_candidate (x, block->candidate_id)->scores,
                                            &block->criterion->id);
  AssayItemScore *sy = g_hash_table_lookup (assay_item_find_candidate (y, block->candidate_id)->scores,
                                            &block->criterion->id);

  return sx->value == sy->value && (!exact || g_strcmp0 (sx->rationale, sy->rationale) == 0);
}

static void
clear_scores (AssayItem *item)
{
  for (guint i = 0; i < item->candidates->len; i++)
    g_hash_table_remove_all (((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->scores);
}

static const AssayKindStats stats = {
  "SELECT candidate_id, annotator_id, criterion_id, value FROM scores"
  " ORDER BY candidate_id, annotator_id, criterion_id",
  "SELECT candidate_id, annotator_id, criterion_id, value FROM scores"
  " WHERE candidate_id IN (SELECT id FROM candidates WHERE source_id = ?1)"
  " ORDER BY candidate_id, annotator_id, criterion_id",
  _assay_stats_row_scores,
};

static const AssayKindLoad load[] = {
  { "SELECT s.candidate_id, s.criterion_id, s.value, s.rationale FROM candidates c"
    " CROSS JOIN scores s ON s.candidate_id = c.id"
    " WHERE c.source_id = ?1 AND s.annotator_id = ?2",
    score_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
  { "SELECT s.ext_id || '/' || c.ext_id || ' ' || k.name || '=' || r.value FROM scores r"
    " JOIN criteria k ON k.id = r.criterion_id JOIN candidates c ON c.id = r.candidate_id"
    " JOIN sources s ON s.id = c.source_id"
    " WHERE r.value < k.scale_min OR r.value > k.scale_max",
    N_("Score %s is not on its criterion’s scale") },
  { NULL, NULL },
};

const AssayKind _assay_kind_scores = {
  .type = "scores",
  .members = members,
  .candidate = ASSAY_KIND_CANDIDATE,
  .table = "scores",
  .since = 1,
  .scope = ASSAY_KIND_OF_CANDIDATE,
  .key = "candidate_id, annotator_id, criterion_id",
  .counted = "candidate_id, annotator_id",
  .present = NULL,
  .judge = ASSAY_JUDGE_SCORES,
  .read = read_scores,
  .write = write_scores,
  .touches = touches_scores,
  .block = ASSAY_BLOCK_SCORE,
  .shown = 2,
  .blocks = score_blocks,
  .holds = holds_score,
  .same = same_score,
  .clear_item = clear_scores,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
