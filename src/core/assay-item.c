/* assay-item.c: one source with its candidates and one annotator's judgments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-item.h"
#include "assay-project-private.h"

typedef struct
{
  AssayItem       item;
  gatomicrefcount ref_count;
} AssayItemReal;

G_DEFINE_BOXED_TYPE (AssayItem, assay_item, assay_item_ref, assay_item_unref)

static void
segment_free (AssayItemSegment *segment)
{
  g_free (segment->speaker);
  g_free (segment);
}

static void
span_free (AssayItemSpan *span)
{
  g_free (span->note);
  g_array_unref (span->evidence);
  g_free (span);
}

static void
score_free (AssayItemScore *score)
{
  g_free (score->rationale);
  g_free (score);
}

static void
candidate_free (AssayItemCandidate *candidate)
{
  g_free (candidate->ext_id);
  g_free (candidate->model);
  g_free (candidate->text);
  g_free (candidate->prompt);
  g_array_unref (candidate->labels);
  g_ptr_array_unref (candidate->spans);
  g_free (candidate->correction);
  g_hash_table_unref (candidate->scores);
  g_free (candidate->note);
  g_free (candidate);
}

static void
comparison_free (AssayItemComparison *comparison)
{
  g_free (comparison->rationale);
  g_free (comparison);
}

AssayItem *
assay_item_ref (AssayItem *item)
{
  g_return_val_if_fail (item != NULL, NULL);
  g_atomic_ref_count_inc (&((AssayItemReal *) item)->ref_count);
  return item;
}

void
assay_item_unref (AssayItem *item)
{
  g_return_if_fail (item != NULL);
  if (!g_atomic_ref_count_dec (&((AssayItemReal *) item)->ref_count))
    return;

  g_free (item->ext_id);
  g_free (item->title);
  g_free (item->text);
  g_free (item->metadata);
  g_ptr_array_unref (item->segments);
  g_ptr_array_unref (item->candidates);
  g_free (item->note);
  g_ptr_array_unref (item->comparisons);
  g_free ((AssayItemReal *) item);
}

static AssayItem *
item_new (void)
{
  AssayItemReal *real = g_new0 (AssayItemReal, 1);

  g_atomic_ref_count_init (&real->ref_count);
  real->item.segments = g_ptr_array_new_with_free_func ((GDestroyNotify) segment_free);
  real->item.candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  real->item.comparisons = g_ptr_array_new_with_free_func ((GDestroyNotify) comparison_free);
  return &real->item;
}

AssayItemCandidate *
assay_item_find_candidate (AssayItem *item,
                           gint64     candidate_id)
{
  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, i);

      if (candidate->id == candidate_id)
        return candidate;
    }
  return NULL;
}

AssayItemComparison *
assay_item_find_comparison (AssayItem *item,
                            gint64     a,
                            gint64     b)
{
  for (guint i = 0; i < item->comparisons->len; i++)
    {
      AssayItemComparison *comparison = g_ptr_array_index (item->comparisons, i);

      if ((comparison->a == a && comparison->b == b) || (comparison->a == b && comparison->b == a))
        return comparison;
    }
  return NULL;
}

static char *
dup_text (sqlite3_stmt *stmt,
          int           col)
{
  return g_strdup (_assay_column_text (stmt, col));
}

/* Runs `sql` with ?1 = source and ?2 = annotator, calling `row` per row. */
static gboolean
each_row (AssayProject  *project,
          const char    *sql,
          AssayItem     *item,
          void         (*row) (AssayItem *item, sqlite3_stmt *stmt),
          GError       **error)
{
  sqlite3_stmt *stmt = _assay_project_prepare (project, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->source_id);
  sqlite3_bind_int64 (stmt, 2, item->annotator_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    row (item, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
  return TRUE;
}

static void
segment_row (AssayItem    *item,
             sqlite3_stmt *stmt)
{
  AssayItemSegment *segment = g_new0 (AssayItemSegment, 1);

  segment->speaker = dup_text (stmt, 0);
  segment->start = sqlite3_column_type (stmt, 1) == SQLITE_NULL ? -1
                                                                : sqlite3_column_double (stmt, 1);
  segment->end = sqlite3_column_type (stmt, 2) == SQLITE_NULL ? -1
                                                              : sqlite3_column_double (stmt, 2);
  segment->char_start = sqlite3_column_int64 (stmt, 3);
  segment->char_end = sqlite3_column_int64 (stmt, 4);
  g_ptr_array_add (item->segments, segment);
}

static void
candidate_row (AssayItem    *item,
               sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = g_new0 (AssayItemCandidate, 1);

  candidate->id = sqlite3_column_int64 (stmt, 0);
  candidate->ext_id = dup_text (stmt, 1);
  candidate->model = dup_text (stmt, 2);
  candidate->text = dup_text (stmt, 3);
  candidate->prompt = dup_text (stmt, 4);
  candidate->n_chars = sqlite3_column_int64 (stmt, 5);
  candidate->position = sqlite3_column_int (stmt, 6);
  candidate->labels = g_array_new (FALSE, FALSE, sizeof (gint64));
  candidate->spans = g_ptr_array_new_with_free_func ((GDestroyNotify) span_free);
  candidate->scores = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify) score_free);
  g_ptr_array_add (item->candidates, candidate);
}

static void
label_row (AssayItem    *item,
           sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));
  gint64 option = sqlite3_column_int64 (stmt, 1);

  if (candidate != NULL)
    g_array_append_val (candidate->labels, option);
}

static void
span_row (AssayItem    *item,
          sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 1));
  AssayItemSpan *span;

  if (candidate == NULL)
    return;
  span = g_new0 (AssayItemSpan, 1);
  span->id = sqlite3_column_int64 (stmt, 0);
  span->option_id = sqlite3_column_int64 (stmt, 2);
  span->start = sqlite3_column_int64 (stmt, 3);
  span->end = sqlite3_column_int64 (stmt, 4);
  span->note = dup_text (stmt, 5);
  span->evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  g_ptr_array_add (candidate->spans, span);
}

static void
evidence_row (AssayItem    *item,
              sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));
  gint64 span_id = sqlite3_column_int64 (stmt, 1);

  if (candidate == NULL)
    return;
  for (guint i = 0; i < candidate->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

      if (span->id == span_id)
        {
          AssayRange range = { sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3) };

          g_array_append_val (span->evidence, range);
          return;
        }
    }
}

static void
correction_row (AssayItem    *item,
                sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));

  if (candidate != NULL)
    {
      g_free (candidate->correction);
      candidate->correction = dup_text (stmt, 1);
    }
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
  score->rationale = dup_text (stmt, 3);
  g_hash_table_replace (candidate->scores, key, score);
}

static void
rank_row (AssayItem    *item,
          sqlite3_stmt *stmt)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (item, sqlite3_column_int64 (stmt, 0));

  if (candidate != NULL)
    candidate->rank = sqlite3_column_int (stmt, 1);
}

static void
note_row (AssayItem    *item,
          sqlite3_stmt *stmt)
{
  gint64 candidate_id = sqlite3_column_int64 (stmt, 0);

  if (candidate_id == 0)
    {
      g_free (item->note);
      item->note = dup_text (stmt, 1);
    }
  else
    {
      AssayItemCandidate *candidate = assay_item_find_candidate (item, candidate_id);

      if (candidate != NULL)
        {
          g_free (candidate->note);
          candidate->note = dup_text (stmt, 1);
        }
    }
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
  comparison->rationale = dup_text (stmt, 3);
  g_ptr_array_add (item->comparisons, comparison);
}

static void
status_row (AssayItem    *item,
            sqlite3_stmt *stmt)
{
  if (!assay_status_from_string (_assay_column_text (stmt, 0), &item->status))
    item->status = ASSAY_STATUS_TODO;
  item->time_spent = sqlite3_column_double (stmt, 1);
}

AssayItem *
assay_project_load_item (AssayProject  *project,
                         gint64         source_id,
                         gint64         annotator_id,
                         GError       **error)
{
  g_autoptr(AssayItem) item = item_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  stmt = _assay_project_prepare (project,
                                 "SELECT ext_id, title, text, length (text), metadata FROM sources"
                                 " WHERE id = ?",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, source_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item->ext_id = dup_text (stmt, 0);
      item->title = dup_text (stmt, 1);
      item->text = dup_text (stmt, 2);
      item->n_chars = sqlite3_column_int64 (stmt, 3);
      item->metadata = dup_text (stmt, 4);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND, _("The item is not in the project"));
      else
        _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
      return NULL;
    }

  item->source_id = source_id;
  item->annotator_id = annotator_id;
  item->status = ASSAY_STATUS_TODO;

  if (!each_row (project,
                 "SELECT speaker, start_time, end_time, char_start, char_end FROM segments"
                 " WHERE source_id = ?1 AND ?2 IS NOT NULL ORDER BY idx",
                 item, segment_row, error) ||
      !each_row (project,
                 "SELECT id, ext_id, model, text, prompt, length (text), position FROM candidates"
                 " WHERE source_id = ?1 AND ?2 IS NOT NULL ORDER BY position, id",
                 item, candidate_row, error) ||
      !each_row (project,
                 "SELECT l.candidate_id, l.option_id FROM candidates c"
                 " CROSS JOIN label_options o CROSS JOIN labels l"
                 " ON l.candidate_id = c.id AND l.option_id = o.id"
                 " WHERE c.source_id = ?1 AND l.annotator_id = ?2"
                 " ORDER BY c.position, c.id, o.position",
                 item, label_row, error) ||
      !each_row (project,
                 "SELECT p.id, p.candidate_id, coalesce (p.option_id, 0), p.start, p.end, p.note"
                 " FROM candidates c CROSS JOIN spans p ON p.candidate_id = c.id"
                 " WHERE c.source_id = ?1 AND p.annotator_id = ?2"
                 " ORDER BY c.position, c.id, p.start, p.end",
                 item, span_row, error) ||
      !each_row (project,
                 "SELECT p.candidate_id, e.span_id, e.start, e.end FROM candidates c"
                 " CROSS JOIN spans p ON p.candidate_id = c.id"
                 " CROSS JOIN span_evidence e ON e.span_id = p.id"
                 " WHERE c.source_id = ?1 AND p.annotator_id = ?2 ORDER BY c.position, c.id,"
                 " p.start, p.end, ifnull (p.option_id, 0), p.id, e.start",
                 item, evidence_row, error) ||
      !each_row (project,
                 "SELECT r.candidate_id, r.text FROM candidates c"
                 " CROSS JOIN corrections r ON r.candidate_id = c.id"
                 " WHERE c.source_id = ?1 AND r.annotator_id = ?2",
                 item, correction_row, error) ||
      !each_row (project,
                 "SELECT s.candidate_id, s.criterion_id, s.value, s.rationale FROM candidates c"
                 " CROSS JOIN scores s ON s.candidate_id = c.id"
                 " WHERE c.source_id = ?1 AND s.annotator_id = ?2",
                 item, score_row, error) ||
      !each_row (project,
                 "SELECT candidate_id, rank FROM rankings WHERE source_id = ?1"
                 " AND annotator_id = ?2",
                 item, rank_row, error) ||
      !each_row (project,
                 "SELECT candidate_id, text FROM notes WHERE source_id = ?1 AND annotator_id = ?2",
                 item, note_row, error) ||
      !each_row (project,
                 "SELECT candidate_a, candidate_b, winner, rationale FROM comparisons"
                 " WHERE source_id = ?1 AND annotator_id = ?2 ORDER BY id",
                 item, comparison_row, error) ||
      !each_row (project,
                 "SELECT status, time_spent FROM item_status WHERE source_id = ?1"
                 " AND annotator_id = ?2",
                 item, status_row, error))
    return NULL;

  return g_steal_pointer (&item);
}

/* FNV-1a: small, and the same on every machine and every run, which the
 * blind order must be. */
static guint32
stable_hash (const char *a,
             const char *b)
{
  guint32 h = 2166136261u;

  for (const char *p = a; *p; p++)
    h = (h ^ (guint8) *p) * 16777619u;
  h = (h ^ 0x1f) * 16777619u;
  for (const char *p = b; *p; p++)
    h = (h ^ (guint8) *p) * 16777619u;
  return h;
}

typedef struct
{
  guint   index;
  guint32 key;
} OrderEntry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const OrderEntry *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return (int) x->index - (int) y->index;
}

GArray *
assay_item_display_order (AssayItem *item,
                          gboolean   blind)
{
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (OrderEntry));
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, i);
      OrderEntry entry = { i, blind ? stable_hash (item->ext_id, candidate->ext_id) : 0 };

      g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);
  for (guint i = 0; i < entries->len; i++)
    g_array_append_val (order, g_array_index (entries, OrderEntry, i).index);
  return order;
}

char *
assay_candidate_letter_for_position (guint position)
{
  if (position < 26)
    return g_strdup_printf ("%c", 'A' + position);
  return g_strdup_printf ("%u", position + 1);
}

char *
assay_item_candidate_letter (AssayItem *item,
                             gboolean   blind,
                             gint64     candidate_id)
{
  g_autoptr(GArray) order = NULL;

  g_return_val_if_fail (item != NULL, NULL);

  order = assay_item_display_order (item, blind);
  for (guint i = 0; i < order->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates,
                                                         g_array_index (order, guint, i));

      if (candidate->id == candidate_id)
        return assay_candidate_letter_for_position (i);
    }
  return g_strdup ("?");
}

gboolean
assay_item_next_pair (AssayItem *item,
                      gboolean   blind,
                      gint64    *a,
                      gint64    *b)
{
  g_autoptr(GArray) order = assay_item_display_order (item, blind);

  for (guint i = 0; i < order->len; i++)
    for (guint j = i + 1; j < order->len; j++)
      {
        AssayItemCandidate *x = g_ptr_array_index (item->candidates, g_array_index (order, guint, i));
        AssayItemCandidate *y = g_ptr_array_index (item->candidates, g_array_index (order, guint, j));

        if (assay_item_find_comparison (item, x->id, y->id) != NULL)
          continue;
        /* Which side a candidate lands on must not hint at its order. */
        if (blind && (stable_hash (x->ext_id, y->ext_id) & 1))
          {
            *a = y->id;
            *b = x->id;
          }
        else
          {
            *a = x->id;
            *b = y->id;
          }
        return TRUE;
      }
  return FALSE;
}

char *
assay_format_timestamp (double seconds)
{
  gint64 total;

  if (seconds < 0 || !isfinite (seconds))
    return g_strdup ("");
  total = (gint64) seconds;
  if (total >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", total / 3600,
                            (int) (total / 60 % 60), (int) (total % 60));
  return g_strdup_printf ("%02d:%02d", (int) (total / 60), (int) (total % 60));
}

void
assay_annotator_info_free (AssayAnnotatorInfo *info)
{
  g_free (info->ext_id);
  g_free (info->name);
  g_free (info);
}

static GPtrArray *
list_annotators (AssayProject  *project,
                 const char    *sql,
                 gint64         source_id,
                 GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              assay_annotator_info_free);
  sqlite3_stmt *stmt = _assay_project_prepare (project, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;
  if (source_id != 0)
    sqlite3_bind_int64 (stmt, 1, source_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayAnnotatorInfo *info = g_new0 (AssayAnnotatorInfo, 1);
      AssayAnnotatorKind kind;

      info->id = sqlite3_column_int64 (stmt, 0);
      info->ext_id = dup_text (stmt, 1);
      info->name = dup_text (stmt, 2);
      info->kind = assay_annotator_kind_from_string (_assay_column_text (stmt, 3), &kind)
                     ? kind : ASSAY_ANNOTATOR_PERSON;
      g_ptr_array_add (list, info);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
      return NULL;
    }
  return g_steal_pointer (&list);
}

#define ANNOTATOR_ORDER \
  " ORDER BY CASE a.kind WHEN 'person' THEN 0 WHEN 'model' THEN 1 ELSE 2 END, a.ext_id"

GPtrArray *
assay_project_list_item_annotators (AssayProject  *project,
                                    gint64         source_id,
                                    GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  return list_annotators (project,
                          "SELECT a.id, a.ext_id, a.name, a.kind FROM annotators a"
                          " WHERE a.id IN ("
                          "  SELECT annotator_id FROM item_status WHERE source_id = ?1"
                          "   AND status <> 'todo'"
                          "  UNION SELECT annotator_id FROM rankings WHERE source_id = ?1"
                          "  UNION SELECT annotator_id FROM comparisons WHERE source_id = ?1"
                          "  UNION SELECT annotator_id FROM notes WHERE source_id = ?1"
                          "  UNION SELECT l.annotator_id FROM labels l JOIN candidates c"
                          "   ON c.id = l.candidate_id WHERE c.source_id = ?1"
                          "  UNION SELECT p.annotator_id FROM spans p JOIN candidates c"
                          "   ON c.id = p.candidate_id WHERE c.source_id = ?1"
                          "  UNION SELECT r.annotator_id FROM corrections r JOIN candidates c"
                          "   ON c.id = r.candidate_id WHERE c.source_id = ?1"
                          "  UNION SELECT s.annotator_id FROM scores s JOIN candidates c"
                          "   ON c.id = s.candidate_id WHERE c.source_id = ?1)"
                          ANNOTATOR_ORDER,
                          source_id, error);
}

GPtrArray *
assay_project_list_annotators (AssayProject  *project,
                               GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  return list_annotators (project, "SELECT a.id, a.ext_id, a.name, a.kind FROM annotators a"
                                   ANNOTATOR_ORDER,
                          0, error);
}
