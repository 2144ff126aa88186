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
#include "assay-kind-private.h"
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
  g_hash_table_unref (item->records);
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
  real->item.records = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
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
      !_assay_kinds_load_item (project, item, error))
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

const char *
assay_item_get_records (AssayItem  *item,
                        const char *type)
{
  const char *records;

  g_return_val_if_fail (item != NULL, NULL);

  records = g_hash_table_lookup (item->records, type);
  return records != NULL ? records : "[]";
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

GPtrArray *
assay_project_list_item_annotators (AssayProject  *project,
                                    gint64         source_id,
                                    GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  return list_annotators (project, _assay_kinds_annotators_sql (project), source_id, error);
}

GPtrArray *
assay_project_list_annotators (AssayProject  *project,
                               GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  return list_annotators (project, "SELECT a.id, a.ext_id, a.name, a.kind FROM annotators a"
                                   ASSAY_ANNOTATOR_ORDER,
                          0, error);
}
