/* assay-kind-ranking.c: an annotator's order of a source's candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stored a row per candidate (1 is best, ties share a rank); one native
 * record per source and annotator: {"ranks": {"c1": 1, "c2": 2}}.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "assay-kind-private.h"
#include "assay-project-private.h"
#include "assay-stats-private.h"

static const char * const members[] = { "ranks", NULL };

static gboolean
read_ranking (AssayKindRecord  *record,
              GError          **error)
{
  const AssayJsonDoc *doc = record->r->doc;
  g_autofree char *path = _assay_reader_path (record->prefix, "ranks");
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ranks = g_array_new (FALSE, FALSE, sizeof (int));
  GError *local_error = NULL;
  guint object_ranks, key;

  if (!_assay_reader_container (record->r, record->object, record->prefix, "ranks",
                                ASSAY_JSON_OBJECT, TRUE, &object_ranks, error))
    return FALSE;

  key = assay_json_first_child (doc, object_ranks);
  for (guint i = 0; i < doc->nodes[object_ranks].n_children; i++)
    {
      guint value = assay_json_next_sibling (doc, key);
      g_autofree char *id = assay_json_dup_string (doc, key);
      g_autofree char *rank_path = g_strdup_printf ("%s.%s", path, id);
      gint64 candidate_id = assay_project_lookup_candidate (record->project, record->source_id,
                                                            id);
      gint64 rank;
      int r;

      if (candidate_id == 0)
        {
          *record->unresolved = TRUE;
          return _assay_kind_fail (record, key, path, error,
                                   _("source “%s” has no candidate “%s”"), record->source_ext,
                                   id);
        }
      if (assay_json_type (doc, value) != ASSAY_JSON_NUMBER ||
          !assay_json_get_int64 (doc, value, &rank) || rank < 1 || rank > 10000)
        return _assay_kind_fail (record, value, rank_path, error,
                                 _("a rank must be a whole number from 1 (best)"));
      r = (int) rank;
      g_array_append_val (ids, candidate_id);
      g_array_append_val (ranks, r);
      key = assay_json_next_sibling (doc, value);
    }

  if (!assay_project_set_ranking (record->project, record->source_id, record->annotator_id,
                                  (gint64 *) ids->data, (int *) ranks->data, ids->len,
                                  record->stamp, &local_error))
    return _assay_kind_fail_with (record, record->object, record->prefix, local_error, error);
  return TRUE;
}

static gboolean
write_rankings (AssayKindWriter  *w,
                gint64            source_id,
                GError          **error)
{
  g_auto(AssayKindGroup) g = { FALSE };
  GString *b = _assay_kind_writer_buffer (w);
  sqlite3_stmt *stmt;
  int rc;

  stmt = _assay_kind_writer_prepare (w,
                                     "SELECT a.ext_id, NULL, min (r.created_at) OVER g,"
                                     " max (r.updated_at) OVER g, max (r.time_spent) OVER g,"
                                     " c.ext_id, r.rank"
                                     " FROM rankings r JOIN candidates c ON c.id = r.candidate_id"
                                     " JOIN annotators a ON a.id = r.annotator_id"
                                     " WHERE r.source_id = ?1"
                                     " WINDOW g AS (PARTITION BY r.annotator_id)"
                                     " ORDER BY a.ext_id, r.rank, c.position",
                                     source_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (!_assay_kind_group_update (w, &g, stmt, "ranking", "ranks", FALSE, 2))
        g_string_append_c (b, ',');
      assay_json_append_string (b, _assay_column_text (stmt, 5), -1);
      g_string_append_c (b, ':');
      assay_json_append_int (b, sqlite3_column_int64 (stmt, 6));
    }
  if (!_assay_kind_writer_done (w, stmt, rc, error))
    return FALSE;
  _assay_kind_group_close (w, &g);
  return TRUE;
}

static void
rank_row (AssayItem    *item,
          sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));

  if (candidate != NULL)
    candidate->rank = sqlite3_column_int (stmt, 1);
}

static gboolean
touches_ranking (AssayItem          *item,
                 AssayItemCandidate *candidate)
{
  return candidate->rank > 0;
}

static void
ranking_blocks (AssayTemplate      *tmpl,
                GPtrArray          *candidates,
                AssayItemCandidate *candidate,
                GPtrArray          *out)
{
  g_ptr_array_add (out, _assay_adjudication_block_new (ASSAY_BLOCK_RANKING, 0));
}

static gboolean
holds_ranking (const AssayAdjudicationBlock *block,
               AssayItem                    *item)
{
  for (guint i = 0; i < item->candidates->len; i++)
    if (((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->rank > 0)
      return TRUE;
  return FALSE;
}

/* Every candidate has the same rank (ties included). */
static gboolean
same_ranking (const AssayAdjudicationBlock *block,
              AssayItem                    *x,
              AssayItem                    *y,
              gboolean                      exact)
{
  for (guint i = 0; i < x->candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (x->candidates, i);
      AssayItemCandidate *d = assay_item_find_candidate (y, c->id);

      if (d == NULL || c->rank != d->rank)
        return FALSE;
    }
  return TRUE;
}

static void
clear_ranks (AssayItem *item)
{
  for (guint i = 0; i < item->candidates->len; i++)
    ((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->rank = 0;
}

static const AssayKindStats stats = {
  "SELECT source_id, annotator_id, candidate_id, rank FROM rankings"
  " ORDER BY source_id, annotator_id, candidate_id",
  "SELECT source_id, annotator_id, candidate_id, rank FROM rankings WHERE source_id = ?1"
  " ORDER BY source_id, annotator_id, candidate_id",
  _assay_stats_row_ranking,
};

static const AssayKindLoad load[] = {
  { "SELECT candidate_id, rank FROM rankings WHERE source_id = ?1 AND annotator_id = ?2",
    rank_row },
  { NULL, NULL },
};

static const AssayKindRule rules[] = {
  { "SELECT s.ext_id FROM rankings r JOIN candidates c ON c.id = r.candidate_id"
    " JOIN sources s ON s.id = r.source_id WHERE c.source_id <> r.source_id",
    N_("A ranking of “%s” includes a candidate of another source") },
  { NULL, NULL },
};

const AssayKind _assay_kind_ranking = {
  .type = "ranking",
  .members = members,
  .candidate = ASSAY_KIND_NO_CANDIDATE,
  .table = "rankings",
  .since = 1,
  .scope = ASSAY_KIND_OF_SOURCE,
  .key = "source_id, annotator_id, candidate_id",
  .counted = "source_id, annotator_id",
  .present = NULL,
  .judge = ASSAY_JUDGE_RANKING,
  .read = read_ranking,
  .write = write_rankings,
  .touches = touches_ranking,
  .block = ASSAY_BLOCK_RANKING,
  .shown = 5,
  .blocks = ranking_blocks,
  .holds = holds_ranking,
  .same = same_ranking,
  .clear_item = clear_ranks,
  .stats = &stats,
  .load = load,
  .rules = rules,
};
