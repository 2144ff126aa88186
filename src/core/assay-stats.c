/* assay-stats.c: the snapshot the statistics of a project work on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Agreement is computed in assay-stats-agreement.c, the leaderboard in
 * assay-stats-leaderboard.c, their JSON in assay-stats-json.c. Loading reads each judgment table once, in primary-key order where the
 * table has one that starts with the candidate (or source), and turns row
 * ids into dense indexes, so that the statistics walk flat arrays grouped by
 * candidate. Nothing is allocated per rating; the per-unit work uses scratch
 * arrays sized by the number of annotators.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-diff.h"
#include "assay-json.h"
#include "assay-project-private.h"
#include "assay-stats.h"
#include "assay-kind-private.h"
#include "assay-stats-private.h"
#include "assay-template.h"


/* ---- options ---- */

void
assay_stats_options_init (AssayStatsOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->n_samples = 1000;
  options->level = 0.95;
  options->bt_prior = 1.0;
}

AssayStatsKinds
assay_stats_kinds_of (AssayAnnotatorKind kind)
{
  static const AssayStatsKinds flags[] = {
    ASSAY_STATS_PERSONS, ASSAY_STATS_MODELS, ASSAY_STATS_ADJUDICATORS,
  };

  g_return_val_if_fail (kind <= ASSAY_ANNOTATOR_ADJUDICATOR, 0);
  return flags[kind];
}

AssayStatsKinds
assay_stats_kinds_by_default (AssayStatsKinds eligible)
{
  AssayStatsKinds kinds = 0;

  for (int k = ASSAY_ANNOTATOR_PERSON; k <= ASSAY_ANNOTATOR_ADJUDICATOR; k++)
    if (assay_annotator_kind_counts_by_default (k))
      kinds |= assay_stats_kinds_of (k);
  return kinds & eligible;
}

gboolean
assay_stats_kinds_from_string (const char      *str,
                               AssayStatsKinds *kinds)
{
  g_auto(GStrv) parts = NULL;
  AssayStatsKinds result = 0;

  g_return_val_if_fail (str != NULL, FALSE);

  parts = g_strsplit (str, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = g_strstrip (parts[i]);

      if (g_str_equal (part, "all"))
        result |= ASSAY_STATS_ALL_KINDS;
      else if (g_str_equal (part, "people") || g_str_equal (part, "persons") ||
               g_str_equal (part, "person"))
        result |= ASSAY_STATS_PERSONS;
      else if (g_str_equal (part, "models") || g_str_equal (part, "model"))
        result |= ASSAY_STATS_MODELS;
      else if (g_str_equal (part, "adjudicators") || g_str_equal (part, "adjudicator"))
        result |= ASSAY_STATS_ADJUDICATORS;
      else
        return FALSE;
    }
  if (result == 0)
    return FALSE;
  if (kinds != NULL)
    *kinds = result;
  return TRUE;
}


/* Maps row ids to dense indexes: an array when the ids are dense, as
 * INTEGER PRIMARY KEYs usually are, a hash table otherwise. */
typedef struct
{
  gint64      min_id;
  gint64      span;
  guint32    *dense;
  GHashTable *sparse;   /* gint64 * (into `ids`) -> index + 1 */
} IdMap;

static void
id_map_init (IdMap        *map,
             const gint64 *ids,
             guint         n)
{
  gint64 min_id = G_MAXINT64, max_id = G_MININT64;

  memset (map, 0, sizeof *map);
  for (guint i = 0; i < n; i++)
    {
      min_id = MIN (min_id, ids[i]);
      max_id = MAX (max_id, ids[i]);
    }
  if (n == 0)
    return;

  map->min_id = min_id;
  if ((guint64) (max_id - min_id) < 8 * (guint64) n + 4096)
    {
      map->span = max_id - min_id + 1;
      map->dense = g_new (guint32, map->span);
      memset (map->dense, 0xff, sizeof (guint32) * map->span);
      for (guint i = 0; i < n; i++)
        map->dense[ids[i] - min_id] = i;
    }
  else
    {
      map->sparse = g_hash_table_new (g_int64_hash, g_int64_equal);
      for (guint i = 0; i < n; i++)
        g_hash_table_insert (map->sparse, (gpointer) &ids[i], GUINT_TO_POINTER (i + 1));
    }
}

static inline guint32
id_map_lookup (const IdMap *map,
               gint64       id)
{
  if (map->dense != NULL)
    {
      if (id < map->min_id || id - map->min_id >= map->span)
        return NONE;
      return map->dense[id - map->min_id];
    }
  if (map->sparse != NULL)
    {
      guint v = GPOINTER_TO_UINT (g_hash_table_lookup (map->sparse, &id));

      return v == 0 ? NONE : v - 1;
    }
  return NONE;
}

static void
id_map_clear (IdMap *map)
{
  g_clear_pointer (&map->dense, g_free);
  g_clear_pointer (&map->sparse, g_hash_table_unref);
}


AssayStatsData *
assay_stats_data_ref (AssayStatsData *data)
{
  g_return_val_if_fail (data != NULL, NULL);

  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

void
assay_stats_data_unref (AssayStatsData *data)
{
  if (data == NULL || !g_atomic_ref_count_dec (&data->ref_count))
    return;

  g_clear_pointer (&data->tmpl, assay_template_unref);
  for (guint i = 0; i < data->n_annotators; i++)
    {
      g_free (data->annotator_ext[i]);
      g_free (data->annotator_names[i]);
    }
  g_free (data->annotator_ids);
  g_free (data->annotator_ext);
  g_free (data->annotator_names);
  g_free (data->annotator_kinds);
  for (guint i = 0; i < data->n_sources; i++)
    {
      g_free (data->source_ext[i]);
      g_free (data->source_titles[i]);
    }
  g_free (data->source_ids);
  g_free (data->source_ext);
  g_free (data->source_titles);
  g_free (data->source_candidates);
  g_free (data->source_offsets);
  for (guint i = 0; i < data->n_candidates; i++)
    g_free (data->candidate_ext[i]);
  g_free (data->candidate_ids);
  g_free (data->candidate_ext);
  g_free (data->candidate_source);
  g_free (data->candidate_model);
  g_clear_pointer (&data->models, g_ptr_array_unref);
  g_clear_pointer (&data->labels, g_array_unref);
  g_clear_pointer (&data->spans, g_array_unref);
  g_clear_pointer (&data->scores, g_array_unref);
  g_clear_pointer (&data->corrections, g_array_unref);
  g_clear_pointer (&data->rankings, g_array_unref);
  g_clear_pointer (&data->comparisons, g_array_unref);
  g_free (data->label_offsets);
  g_free (data->span_offsets);
  g_free (data->score_offsets);
  g_free (data->correction_offsets);
  g_free (data->judged);
  g_free (data->judged_offsets);
  g_free (data->uses_set);
  g_free (data->words);
  g_free (data->word_offsets);
  g_free (data);
}

guint64
assay_stats_data_get_n_ratings (AssayStatsData *data)
{
  g_return_val_if_fail (data != NULL, 0);

  return data->n_ratings;
}

gboolean
assay_stats_data_describe_candidate (AssayStatsData  *data,
                                     gint64           candidate_id,
                                     const char     **ext_id,
                                     const char     **source_ext_id,
                                     const char     **model)
{
  guint lo = 0, hi;

  g_return_val_if_fail (data != NULL, FALSE);

  /* candidate_ids ascend */
  hi = data->n_candidates;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (data->candidate_ids[mid] < candidate_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= data->n_candidates || data->candidate_ids[lo] != candidate_id)
    return FALSE;

  if (ext_id != NULL)
    *ext_id = data->candidate_ext[lo];
  if (source_ext_id != NULL)
    *source_ext_id = data->source_ext[data->candidate_source[lo]];
  if (model != NULL)
    *model = g_ptr_array_index (data->models, data->candidate_model[lo]);
  return TRUE;
}

/* Steps a statement to its end, calling `row` for each row. */
typedef gboolean (*RowFunc) (sqlite3_stmt *stmt,
                             gpointer      user_data);

static gboolean
for_each_row (AssayProject  *project,
              sqlite3_stmt  *stmt,
              RowFunc        row,
              gpointer       user_data,
              GCancellable  *cancellable,
              GError       **error)
{
  int rc;
  guint n = 0;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row (stmt, user_data);
      if ((++n & 0xffff) == 0 && g_cancellable_is_cancelled (cancellable))
        {
          sqlite3_reset (stmt);
          return !g_cancellable_set_error_if_cancelled (cancellable, error);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
  return TRUE;
}

typedef struct
{
  AssayStatsData *data;
  IdMap           annotators;
  IdMap           sources;
  IdMap           candidates;
  GHashTable     *options;      /* option row id -> (set << 16 | option) + 1 */
  GHashTable     *criteria;     /* criterion row id -> index + 1 */
  GHashTable     *model_index;  /* model name -> index + 1 */
  GArray         *ids;          /* scratch while loading a table */
  GPtrArray      *strings_a;
  GPtrArray      *strings_b;
  GArray         *sources_of;   /* candidate -> source id, while loading */
  guint64        *judged_masks; /* per candidate, when there are 64 annotators or fewer */
  GArray         *judged_keys;  /* candidate << 32 | annotator, otherwise */
  gint64          only_source;  /* 0: every source */
} Loader;

static inline void
mark_judged (Loader  *loader,
             guint32  candidate,
             guint32  annotator)
{
  if (candidate == NONE || annotator == NONE)
    return;
  if (loader->judged_masks != NULL)
    loader->judged_masks[candidate] |= G_GUINT64_CONSTANT (1) << annotator;
  else
    {
      guint64 key = ((guint64) candidate << 32) | annotator;

      g_array_append_val (loader->judged_keys, key);
    }
}

static gboolean
row_annotator (sqlite3_stmt *stmt,
               gpointer      user_data)
{
  Loader *loader = user_data;
  gint64 id = sqlite3_column_int64 (stmt, 0);
  AssayAnnotatorKind kind = ASSAY_ANNOTATOR_PERSON;
  gint64 kind_value;

  assay_annotator_kind_from_string (_assay_column_text (stmt, 3), &kind);
  kind_value = kind;
  g_array_append_val (loader->ids, id);
  g_ptr_array_add (loader->strings_a, g_strdup (_assay_column_text (stmt, 1)));
  g_ptr_array_add (loader->strings_b, g_strdup (_assay_column_text (stmt, 2)));
  /* the kinds ride in the scratch array of source ids until they are copied */
  g_array_append_val (loader->sources_of, kind_value);
  return TRUE;
}

static gboolean
row_source (sqlite3_stmt *stmt,
            gpointer      user_data)
{
  Loader *loader = user_data;
  gint64 id = sqlite3_column_int64 (stmt, 0);

  g_array_append_val (loader->ids, id);
  g_ptr_array_add (loader->strings_a, g_strdup (_assay_column_text (stmt, 1)));
  g_ptr_array_add (loader->strings_b, g_strdup (_assay_column_text (stmt, 2)));
  return TRUE;
}

static gboolean
row_candidate (sqlite3_stmt *stmt,
               gpointer      user_data)
{
  Loader *loader = user_data;
  AssayStatsData *data = loader->data;
  gint64 id = sqlite3_column_int64 (stmt, 0);
  gint64 source_id = sqlite3_column_int64 (stmt, 1);
  const char *model = _assay_column_text (stmt, 3);
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (loader->model_index, model));

  if (index == 0)
    {
      g_ptr_array_add (data->models, g_strdup (model));
      index = data->models->len;
      g_hash_table_insert (loader->model_index, g_ptr_array_index (data->models, index - 1),
                           GUINT_TO_POINTER (index));
    }

  g_array_append_val (loader->ids, id);
  g_array_append_val (loader->sources_of, source_id);
  g_ptr_array_add (loader->strings_a, g_strdup (_assay_column_text (stmt, 2)));
  g_ptr_array_add (loader->strings_b, GUINT_TO_POINTER (index - 1));
  return TRUE;
}

gboolean
_assay_stats_row_labels (sqlite3_stmt *stmt,
                         gpointer      user_data)
{
  Loader *loader = user_data;
  gint64 option_id = sqlite3_column_int64 (stmt, 2);
  LabelRow row;
  guint code;

  row.candidate = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 0));
  row.annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));
  mark_judged (loader, row.candidate, row.annotator);
  code = GPOINTER_TO_UINT (g_hash_table_lookup (loader->options, &option_id));
  if (row.candidate == NONE || row.annotator == NONE || code == 0)
    return TRUE;

  row.set = (code - 1) >> 16;
  row.option = (code - 1) & 0xffff;
  if (((AssayLabelSet *) g_ptr_array_index (loader->data->tmpl->label_sets, row.set))->scope !=
      ASSAY_SCOPE_CANDIDATE)
    return TRUE;
  loader->data->uses_set[(gsize) row.annotator * loader->data->tmpl->label_sets->len + row.set] = 1;
  g_array_append_val (loader->data->labels, row);
  loader->data->n_ratings++;
  return TRUE;
}

gboolean
_assay_stats_row_spans (sqlite3_stmt *stmt,
                        gpointer      user_data)
{
  Loader *loader = user_data;
  SpanRow row;
  guint code = 0;

  row.candidate = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 0));
  row.annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));
  mark_judged (loader, row.candidate, row.annotator);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    {
      gint64 option_id = sqlite3_column_int64 (stmt, 4);

      code = GPOINTER_TO_UINT (g_hash_table_lookup (loader->options, &option_id));
    }
  if (row.candidate == NONE || row.annotator == NONE || code == 0)
    return TRUE;

  row.set = (code - 1) >> 16;
  row.option = (code - 1) & 0xffff;
  if (((AssayLabelSet *) g_ptr_array_index (loader->data->tmpl->label_sets, row.set))->scope !=
      ASSAY_SCOPE_SPAN)
    return TRUE;
  row.start = (guint32) MIN (sqlite3_column_int64 (stmt, 2), G_MAXUINT32);
  row.end = (guint32) MIN (sqlite3_column_int64 (stmt, 3), G_MAXUINT32);
  loader->data->uses_set[(gsize) row.annotator * loader->data->tmpl->label_sets->len + row.set] = 1;
  g_array_append_val (loader->data->spans, row);
  loader->data->n_ratings++;
  return TRUE;
}

gboolean
_assay_stats_row_scores (sqlite3_stmt *stmt,
                         gpointer      user_data)
{
  Loader *loader = user_data;
  gint64 criterion_id = sqlite3_column_int64 (stmt, 2);
  ScoreRow row;
  guint index;
  AssayCriterion *criterion;

  row.candidate = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 0));
  row.annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));
  mark_judged (loader, row.candidate, row.annotator);
  index = GPOINTER_TO_UINT (g_hash_table_lookup (loader->criteria, &criterion_id));
  if (row.candidate == NONE || row.annotator == NONE || index == 0)
    return TRUE;

  row.criterion = index - 1;
  row.value = sqlite3_column_int (stmt, 3);
  criterion = g_ptr_array_index (loader->data->tmpl->criteria, row.criterion);
  /* A value off the scale (the scale changed since) is not comparable. */
  if (row.value < criterion->min || row.value > criterion->max)
    return TRUE;
  g_array_append_val (loader->data->scores, row);
  loader->data->n_ratings++;
  return TRUE;
}

gboolean
_assay_stats_row_ranking (sqlite3_stmt *stmt,
                          gpointer      user_data)
{
  Loader *loader = user_data;
  RankRow row;

  row.source = id_map_lookup (&loader->sources, sqlite3_column_int64 (stmt, 0));
  row.annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));
  row.candidate = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 2));
  row.rank = sqlite3_column_int (stmt, 3);
  mark_judged (loader, row.candidate, row.annotator);
  if (row.source == NONE || row.annotator == NONE || row.candidate == NONE)
    return TRUE;
  g_array_append_val (loader->data->rankings, row);
  loader->data->n_ratings++;
  return TRUE;
}

gboolean
_assay_stats_row_comparison (sqlite3_stmt *stmt,
                             gpointer      user_data)
{
  Loader *loader = user_data;
  ComparisonRow row;
  guint32 a, b;
  const char *winner = _assay_column_text (stmt, 4);

  row.source = id_map_lookup (&loader->sources, sqlite3_column_int64 (stmt, 0));
  row.annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));
  a = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 2));
  b = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 3));
  mark_judged (loader, a, row.annotator);
  mark_judged (loader, b, row.annotator);
  if (row.source == NONE || row.annotator == NONE || a == NONE || b == NONE || a == b)
    return TRUE;

  /* Sides as shown do not matter: name the pair in candidate order. */
  row.first = MIN (a, b);
  row.second = MAX (a, b);
  if (g_strcmp0 (winner, "tie") == 0)
    row.outcome = OUTCOME_TIE;
  else if ((g_strcmp0 (winner, "a") == 0) == (a < b))
    row.outcome = OUTCOME_FIRST;
  else
    row.outcome = OUTCOME_SECOND;
  g_array_append_val (loader->data->comparisons, row);
  loader->data->n_ratings++;
  return TRUE;
}

/* FNV-1a over the text's words, one space between them: two corrections
 * that differ only in spacing have the same print. */
static guint64
words_fingerprint (const char *text)
{
  guint64 hash = G_GUINT64_CONSTANT (14695981039346656037);
  gboolean gap = FALSE, started = FALSE;

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        {
          gap = started;
          continue;
        }
      if (gap)
        {
          hash = (hash ^ ' ') * G_GUINT64_CONSTANT (1099511628211);
          gap = FALSE;
        }
      hash = (hash ^ *p) * G_GUINT64_CONSTANT (1099511628211);
      started = TRUE;
    }
  return hash;
}

gboolean
_assay_stats_row_correction (sqlite3_stmt *stmt,
                             gpointer      user_data)
{
  Loader *loader = user_data;
  CorrectionRow row;
  const char *corrected = _assay_column_text (stmt, 2);
  const char *original = _assay_column_text (stmt, 3);

  row.candidate = id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 0));
  row.annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));
  mark_judged (loader, row.candidate, row.annotator);
  if (row.candidate == NONE || row.annotator == NONE || corrected == NULL || original == NULL)
    return TRUE;
  row.distance = assay_word_edit_distance (original, corrected);
  row.words = assay_diff_count_words (original);
  row.fingerprint = words_fingerprint (corrected);
  g_array_append_val (loader->data->corrections, row);
  return TRUE;
}

gboolean
_assay_stats_row_judged (sqlite3_stmt *stmt,
                         gpointer      user_data)
{
  Loader *loader = user_data;

  mark_judged (loader, id_map_lookup (&loader->candidates, sqlite3_column_int64 (stmt, 0)),
               id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1)));
  return TRUE;
}

gboolean
_assay_stats_row_status (sqlite3_stmt *stmt,
                         gpointer      user_data)
{
  Loader *loader = user_data;
  AssayStatsData *data = loader->data;
  guint32 source = id_map_lookup (&loader->sources, sqlite3_column_int64 (stmt, 0));
  guint32 annotator = id_map_lookup (&loader->annotators, sqlite3_column_int64 (stmt, 1));

  if (source == NONE || annotator == NONE)
    return TRUE;
  for (guint i = data->source_offsets[source]; i < data->source_offsets[source + 1]; i++)
    mark_judged (loader, data->source_candidates[i], annotator);
  return TRUE;
}

static void
append_words (AssayStatsData *data,
              GArray         *words,
              const char     *text)
{
  guint32 offset = 0;
  gint64 start = -1;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), offset++)
    {
      gboolean space = g_unichar_isspace (g_utf8_get_char (p));

      if (!space && start < 0)
        start = offset;
      else if (space && start >= 0)
        {
          guint32 pair[2] = { (guint32) start, offset };

          g_array_append_vals (words, pair, 2);
          start = -1;
        }
    }
  if (start >= 0)
    {
      guint32 pair[2] = { (guint32) start, offset };

      g_array_append_vals (words, pair, 2);
    }
}

typedef struct
{
  Loader *loader;
  GArray *words;
} WordsLoader;

static gboolean
row_candidate_text (sqlite3_stmt *stmt,
                    gpointer      user_data)
{
  WordsLoader *wl = user_data;
  AssayStatsData *data = wl->loader->data;
  guint32 c = id_map_lookup (&wl->loader->candidates, sqlite3_column_int64 (stmt, 0));

  if (c == NONE)
    return TRUE;
  /* offsets are filled in order: candidates come by ascending id */
  if (data->judged_offsets[c + 1] - data->judged_offsets[c] >= 2)
    append_words (data, wl->words, _assay_column_text (stmt, 1));
  data->word_offsets[c + 1] = wl->words->len / 2;
  return TRUE;
}

static int
compare_u64 (const void *a,
             const void *b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

  return (x > y) - (x < y);
}

static int
compare_comparisons (const void *a,
                     const void *b)
{
  const ComparisonRow *x = a, *y = b;

  if (x->source != y->source)
    return x->source < y->source ? -1 : 1;
  if (x->first != y->first)
    return x->first < y->first ? -1 : 1;
  if (x->second != y->second)
    return x->second < y->second ? -1 : 1;
  return (x->annotator > y->annotator) - (x->annotator < y->annotator);
}

/* Offsets of the rows of each candidate in an array sorted by candidate
 * (the candidate is every row type's first field). */
static guint *
candidate_offsets (GArray *rows,
                   guint   n_candidates)
{
  guint *offsets = g_new0 (guint, n_candidates + 1);

  for (guint i = 0; i < rows->len; i++)
    {
      gsize size = g_array_get_element_size (rows);
      guint32 candidate = *(const guint32 *) (rows->data + (gsize) i * size);

      offsets[candidate + 1]++;
    }
  for (guint c = 0; c < n_candidates; c++)
    offsets[c + 1] += offsets[c];
  return offsets;
}

/* The statement over every source, or the one over loader->only_source,
 * which has the source's id as ?1. Both are string literals. */
static sqlite3_stmt *
prepare_rows (AssayProject  *project,
              Loader        *loader,
              const char    *every_source,
              const char    *one_source,
              GError       **error)
{
  sqlite3_stmt *stmt;

  if (loader->only_source == 0)
    return _assay_project_prepare (project, every_source, error);
  stmt = _assay_project_prepare (project, one_source, error);
  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, loader->only_source);
  return stmt;
}

/* Which sets the annotators of one source use anywhere in the project:
 * loading one source sees only its own rows. Only multi-choice and span
 * sets are asked about; nothing else reads uses_set. */
static gboolean
load_uses_set (AssayProject  *project,
               Loader        *loader,
               GError       **error)
{
  AssayStatsData *data = loader->data;
  guint n_sets = data->tmpl->label_sets->len;
  g_autofree guint8 *seen = g_new0 (guint8, MAX (data->n_annotators, 1));

  for (guint i = 0; i < data->judged_offsets[data->n_candidates]; i++)
    seen[data->judged[i]] = 1;

  for (guint a = 0; a < data->n_annotators; a++)
    for (guint s = 0; seen[a] && s < n_sets; s++)
      {
        AssayLabelSet *set = g_ptr_array_index (data->tmpl->label_sets, s);
        guint8 *uses = &data->uses_set[(gsize) a * n_sets + s];
        sqlite3_stmt *stmt;
        int rc;

        if (*uses || (set->scope == ASSAY_SCOPE_CANDIDATE && !set->multi))
          continue;
        if (set->scope == ASSAY_SCOPE_SPAN)
          /* The set's few options first, then the annotator's rows with
           * each (an index on both): not all of the annotator's rows. */
          stmt = _assay_project_prepare (project, "SELECT EXISTS (SELECT 1 FROM label_options o"
                                         " CROSS JOIN spans s ON s.option_id = o.id"
                                         " WHERE s.annotator_id = ?1 AND o.label_set_id = ?2)",
                                         error);
        else
          stmt = _assay_project_prepare (project, "SELECT EXISTS (SELECT 1 FROM label_options o"
                                         " CROSS JOIN labels l ON l.option_id = o.id"
                                         " WHERE l.annotator_id = ?1 AND o.label_set_id = ?2)",
                                         error);
        if (stmt == NULL)
          return FALSE;
        sqlite3_bind_int64 (stmt, 1, data->annotator_ids[a]);
        sqlite3_bind_int64 (stmt, 2, set->id);
        rc = sqlite3_step (stmt);
        if (rc == SQLITE_ROW)
          *uses = sqlite3_column_int (stmt, 0) != 0;
        sqlite3_reset (stmt);
        if (rc != SQLITE_ROW)
          return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
      }
  return TRUE;
}

static gboolean
load_tables (AssayProject   *project,
             Loader         *loader,
             GCancellable   *cancellable,
             GError        **error)
{
  AssayStatsData *data = loader->data;
  guint n_sets = data->tmpl->label_sets->len;

  /* annotators */
  loader->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  loader->strings_a = g_ptr_array_new ();
  loader->strings_b = g_ptr_array_new ();
  loader->sources_of = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (!for_each_row (project,
                     _assay_project_prepare (project, "SELECT id, ext_id, name, kind"
                                             " FROM annotators ORDER BY id", error),
                     row_annotator, loader, cancellable, error))
    return FALSE;
  data->n_annotators = loader->ids->len;
  data->annotator_ids = (gint64 *) g_array_free (g_steal_pointer (&loader->ids), FALSE);
  data->annotator_ext = (char **) g_ptr_array_free (g_steal_pointer (&loader->strings_a), FALSE);
  data->annotator_names = (char **) g_ptr_array_free (g_steal_pointer (&loader->strings_b), FALSE);
  data->annotator_kinds = g_new (AssayAnnotatorKind, MAX (data->n_annotators, 1));
  for (guint i = 0; i < data->n_annotators; i++)
    data->annotator_kinds[i] = g_array_index (loader->sources_of, gint64, i);
  g_array_set_size (loader->sources_of, 0);
  id_map_init (&loader->annotators, data->annotator_ids, data->n_annotators);
  data->uses_set = g_new0 (guint8, (gsize) MAX (data->n_annotators, 1) * MAX (n_sets, 1));

  /* sources */
  loader->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  loader->strings_a = g_ptr_array_new ();
  loader->strings_b = g_ptr_array_new ();
  if (!for_each_row (project,
                     prepare_rows (project, loader, "SELECT id, ext_id, title FROM sources"
                                   " ORDER BY id",
                                   "SELECT id, ext_id, title FROM sources WHERE id = ?1", error),
                     row_source, loader, cancellable, error))
    return FALSE;
  data->n_sources = loader->ids->len;
  data->source_ids = (gint64 *) g_array_free (g_steal_pointer (&loader->ids), FALSE);
  data->source_ext = (char **) g_ptr_array_free (g_steal_pointer (&loader->strings_a), FALSE);
  data->source_titles = (char **) g_ptr_array_free (g_steal_pointer (&loader->strings_b), FALSE);
  id_map_init (&loader->sources, data->source_ids, data->n_sources);

  /* candidates, without their texts */
  loader->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  loader->strings_a = g_ptr_array_new ();
  loader->strings_b = g_ptr_array_new ();
  if (!for_each_row (project,
                     prepare_rows (project, loader, "SELECT id, source_id, ext_id, model"
                                   " FROM candidates ORDER BY id",
                                   "SELECT id, source_id, ext_id, model FROM candidates"
                                   " WHERE source_id = ?1 ORDER BY id", error),
                     row_candidate, loader, cancellable, error))
    return FALSE;
  data->n_candidates = loader->ids->len;
  data->candidate_ids = (gint64 *) g_array_free (g_steal_pointer (&loader->ids), FALSE);
  data->candidate_ext = (char **) g_ptr_array_free (g_steal_pointer (&loader->strings_a), FALSE);
  data->candidate_source = g_new (guint32, MAX (data->n_candidates, 1));
  data->candidate_model = g_new (guint32, MAX (data->n_candidates, 1));
  data->source_offsets = g_new0 (guint, data->n_sources + 1);
  data->source_candidates = g_new (guint, MAX (data->n_candidates, 1));
  for (guint c = 0; c < data->n_candidates; c++)
    {
      data->candidate_source[c] = id_map_lookup (&loader->sources,
                                                 g_array_index (loader->sources_of, gint64, c));
      data->candidate_model[c] = GPOINTER_TO_UINT (g_ptr_array_index (loader->strings_b, c));
      g_assert (data->candidate_source[c] != NONE);
      data->source_offsets[data->candidate_source[c] + 1]++;
    }
  g_clear_pointer (&loader->strings_b, g_ptr_array_unref);
  for (guint s = 0; s < data->n_sources; s++)
    data->source_offsets[s + 1] += data->source_offsets[s];
  {
    g_autofree guint *fill = g_memdup2 (data->source_offsets,
                                        sizeof (guint) * (data->n_sources + 1));

    for (guint c = 0; c < data->n_candidates; c++)
      data->source_candidates[fill[data->candidate_source[c]]++] = c;
  }
  id_map_init (&loader->candidates, data->candidate_ids, data->n_candidates);

  if (data->n_annotators <= 64)
    loader->judged_masks = g_new0 (guint64, MAX (data->n_candidates, 1));
  else
    loader->judged_keys = g_array_new (FALSE, FALSE, sizeof (guint64));

  /* judgments: what each kind brings (assay-kind-private.h) */
  {
    guint n_kinds;
    const AssayKind * const *kinds = _assay_kinds (&n_kinds);

    for (guint i = 0; i < n_kinds; i++)
      {
        const AssayKindStats *stats = _assay_kind_stats (kinds[i], project);

        if (stats != NULL &&
            !for_each_row (project,
                           prepare_rows (project, loader, stats->every_source, stats->one_source,
                                         error),
                           stats->row, loader, cancellable, error))
          return FALSE;
      }
  }

  /* g_array_sort, not qsort: an empty array's data is NULL, which qsort
   * must not be given even with no elements (every project without
   * comparisons). */
  g_array_sort (data->comparisons, compare_comparisons);
  data->label_offsets = candidate_offsets (data->labels, data->n_candidates);
  data->span_offsets = candidate_offsets (data->spans, data->n_candidates);
  data->score_offsets = candidate_offsets (data->scores, data->n_candidates);
  data->correction_offsets = candidate_offsets (data->corrections, data->n_candidates);

  /* who judged what */
  data->judged_offsets = g_new0 (guint, data->n_candidates + 1);
  if (loader->judged_masks != NULL)
    {
      guint total = 0;

      for (guint c = 0; c < data->n_candidates; c++)
        total += __builtin_popcountll (loader->judged_masks[c]);
      data->judged = g_new (guint32, MAX (total, 1));
      total = 0;
      for (guint c = 0; c < data->n_candidates; c++)
        {
          for (guint a = 0; a < data->n_annotators; a++)
            if (loader->judged_masks[c] & (G_GUINT64_CONSTANT (1) << a))
              data->judged[total++] = a;
          data->judged_offsets[c + 1] = total;
        }
    }
  else
    {
      GArray *keys = loader->judged_keys;
      guint n = 0;

      g_array_sort (keys, compare_u64);
      data->judged = g_new (guint32, MAX (keys->len, 1));
      for (guint i = 0; i < keys->len; i++)
        {
          guint64 key = g_array_index (keys, guint64, i);

          if (i > 0 && key == g_array_index (keys, guint64, i - 1))
            continue;
          data->judged[n++] = (guint32) key;
          data->judged_offsets[(key >> 32) + 1]++;
        }
      for (guint c = 0; c < data->n_candidates; c++)
        data->judged_offsets[c + 1] += data->judged_offsets[c];
    }

  if (loader->only_source != 0 && !load_uses_set (project, loader, error))
    return FALSE;

  /* Words of the candidates that span agreement may look at. */
  data->word_offsets = g_new0 (guint, data->n_candidates + 1);
  for (guint s = 0; s < n_sets; s++)
    if (((AssayLabelSet *) g_ptr_array_index (data->tmpl->label_sets, s))->scope ==
        ASSAY_SCOPE_SPAN)
      {
        WordsLoader wl = { loader, g_array_new (FALSE, FALSE, sizeof (guint32)) };
        gboolean ok;

        ok = for_each_row (project,
                           prepare_rows (project, loader, "SELECT id, text FROM candidates"
                                         " ORDER BY id",
                                         "SELECT id, text FROM candidates WHERE source_id = ?1"
                                         " ORDER BY id", error),
                           row_candidate_text, &wl, cancellable, error);
        data->words = (guint32 *) g_array_free (wl.words, FALSE);
        if (!ok)
          return FALSE;
        break;
      }

  return TRUE;
}

static AssayStatsData *
load_data (AssayProject  *project,
           gint64         only_source,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  Loader loader = { NULL, };
  gboolean ok;

  if (!assay_project_begin_read (project, error))
    return NULL;

  tmpl = assay_project_load_template (project, error);
  if (tmpl == NULL)
    {
      assay_project_end_read (project);
      return NULL;
    }

  data = g_new0 (AssayStatsData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  data->tmpl = g_steal_pointer (&tmpl);
  data->models = g_ptr_array_new_with_free_func (g_free);
  data->labels = g_array_new (FALSE, FALSE, sizeof (LabelRow));
  data->spans = g_array_new (FALSE, FALSE, sizeof (SpanRow));
  data->scores = g_array_new (FALSE, FALSE, sizeof (ScoreRow));
  data->corrections = g_array_new (FALSE, FALSE, sizeof (CorrectionRow));
  data->rankings = g_array_new (FALSE, FALSE, sizeof (RankRow));
  data->comparisons = g_array_new (FALSE, FALSE, sizeof (ComparisonRow));

  loader.data = data;
  loader.only_source = only_source;
  loader.options = g_hash_table_new (g_int64_hash, g_int64_equal);
  loader.criteria = g_hash_table_new (g_int64_hash, g_int64_equal);
  loader.model_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint s = 0; s < data->tmpl->label_sets->len; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (data->tmpl->label_sets, s);

      for (guint o = 0; o < set->options->len && o < 0xffff; o++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, o);

          g_hash_table_insert (loader.options, &option->id, GUINT_TO_POINTER (((s << 16) | o) + 1));
        }
    }
  for (guint c = 0; c < data->tmpl->criteria->len; c++)
    {
      AssayCriterion *criterion = g_ptr_array_index (data->tmpl->criteria, c);

      g_hash_table_insert (loader.criteria, &criterion->id, GUINT_TO_POINTER (c + 1));
    }

  ok = load_tables (project, &loader, cancellable, error);
  assay_project_end_read (project);

  id_map_clear (&loader.annotators);
  id_map_clear (&loader.sources);
  id_map_clear (&loader.candidates);
  g_hash_table_unref (loader.options);
  g_hash_table_unref (loader.criteria);
  g_hash_table_unref (loader.model_index);
  if (loader.ids != NULL)
    g_array_unref (loader.ids);
  if (loader.strings_a != NULL)
    g_ptr_array_free (loader.strings_a, TRUE);
  if (loader.strings_b != NULL)
    g_ptr_array_free (loader.strings_b, TRUE);
  g_clear_pointer (&loader.sources_of, g_array_unref);
  g_clear_pointer (&loader.judged_masks, g_free);
  g_clear_pointer (&loader.judged_keys, g_array_unref);

  if (!ok)
    return NULL;
  return g_steal_pointer (&data);
}

AssayStatsData *
assay_stats_data_load (AssayProject  *project,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return load_data (project, 0, cancellable, error);
}

AssayStatsData *
_assay_stats_data_load_source (AssayProject  *project,
                               gint64         source_id,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autoptr(AssayStatsData) data = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = load_data (project, source_id, cancellable, error);
  if (data != NULL && data->n_sources == 0)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("There is no source %" G_GINT64_FORMAT " in the project"), source_id);
      return NULL;
    }
  return g_steal_pointer (&data);
}

gboolean
_assay_stats_data_uses_set (AssayStatsData *data,
                            gint64          annotator_id,
                            gint64          set_id)
{
  for (guint a = 0; a < data->n_annotators; a++)
    if (data->annotator_ids[a] == annotator_id)
      for (guint s = 0; s < data->tmpl->label_sets->len; s++)
        if (((AssayLabelSet *) g_ptr_array_index (data->tmpl->label_sets, s))->id == set_id)
          return data->uses_set[(gsize) a * data->tmpl->label_sets->len + s] != 0;
  return FALSE;
}

/* ---- who counts ---- */

static void
stats_annotator_free (AssayStatsAnnotator *annotator)
{
  g_free (annotator->ext_id);
  g_free (annotator->name);
  g_free (annotator);
}

/* Fills coder_of (annotator index -> dense coder index, or NONE) and the
 * list of annotators that take part, in coder order. */
gboolean
_assay_stats_select_annotators (AssayStatsData           *data,
                                const AssayStatsOptions  *options,
                                AssayStatsKinds           default_kinds,
                                guint32                  *coder_of,
                                GPtrArray               **annotators_out,
                                GError                  **error)
{
  AssayStatsKinds kinds = options != NULL && options->kinds != 0 ? options->kinds : default_kinds;
  const char *only = options != NULL ? options->annotator : NULL;
  GPtrArray *annotators = g_ptr_array_new_with_free_func ((GDestroyNotify) stats_annotator_free);
  gboolean found = FALSE;

  for (guint a = 0; a < data->n_annotators; a++)
    {
      gboolean take;

      if (only != NULL)
        take = g_str_equal (only, data->annotator_ext[a]);
      else
        take = (kinds & assay_stats_kinds_of (data->annotator_kinds[a])) != 0;

      coder_of[a] = NONE;
      if (take)
        {
          AssayStatsAnnotator *annotator = g_new0 (AssayStatsAnnotator, 1);

          annotator->id = data->annotator_ids[a];
          annotator->ext_id = g_strdup (data->annotator_ext[a]);
          annotator->name = g_strdup (data->annotator_names[a]);
          annotator->kind = data->annotator_kinds[a];
          coder_of[a] = annotators->len;
          g_ptr_array_add (annotators, annotator);
          found = TRUE;
        }
    }

  if (only != NULL && !found)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND,
                   _("There is no annotator “%s” in the project"), only);
      g_ptr_array_unref (annotators);
      return FALSE;
    }

  *annotators_out = annotators;
  return TRUE;
}

/* ---- for the app ---- */

typedef struct
{
  char                 *path;
  AssayStatsOptions     agreement_options;
  char                 *agreement_annotator;
  AssayStatsOptions     leaderboard_options;
  char                 *leaderboard_annotator;
  AssayAgreementReport *agreement;
  AssayLeaderboard     *leaderboard;
} ComputeTask;

static void
compute_task_free (ComputeTask *task)
{
  g_free (task->path);
  g_free (task->agreement_annotator);
  g_free (task->leaderboard_annotator);
  assay_agreement_report_free (task->agreement);
  assay_leaderboard_free (task->leaderboard);
  g_free (task);
}

static void
compute_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ComputeTask *ct = task_data;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  GError *error = NULL;

  project = assay_project_open_full (ct->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  if (project != NULL)
    data = assay_stats_data_load (project, cancellable, &error);
  if (data != NULL)
    ct->agreement = assay_stats_compute_agreement (data, &ct->agreement_options, cancellable,
                                                   &error);
  if (ct->agreement != NULL)
    ct->leaderboard = assay_stats_compute_leaderboard (data, &ct->leaderboard_options,
                                                       cancellable, &error);
  if (ct->leaderboard == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
assay_stats_compute_async (const char               *path,
                           const AssayStatsOptions  *agreement_options,
                           const AssayStatsOptions  *leaderboard_options,
                           GCancellable             *cancellable,
                           GAsyncReadyCallback       callback,
                           gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  ComputeTask *ct;

  g_return_if_fail (path != NULL);

  ct = g_new0 (ComputeTask, 1);
  ct->path = g_strdup (path);
  assay_stats_options_init (&ct->agreement_options);
  assay_stats_options_init (&ct->leaderboard_options);
  if (agreement_options != NULL)
    {
      ct->agreement_options = *agreement_options;
      ct->agreement_annotator = g_strdup (agreement_options->annotator);
      ct->agreement_options.annotator = ct->agreement_annotator;
    }
  if (leaderboard_options != NULL)
    {
      ct->leaderboard_options = *leaderboard_options;
      ct->leaderboard_annotator = g_strdup (leaderboard_options->annotator);
      ct->leaderboard_options.annotator = ct->leaderboard_annotator;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_stats_compute_async);
  g_task_set_task_data (task, ct, (GDestroyNotify) compute_task_free);
  g_task_run_in_thread (task, compute_thread);
}

gboolean
assay_stats_compute_finish (GAsyncResult           *result,
                            AssayAgreementReport  **agreement,
                            AssayLeaderboard      **leaderboard,
                            GError                **error)
{
  ComputeTask *ct;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  ct = g_task_get_task_data (G_TASK (result));
  if (agreement != NULL)
    *agreement = g_steal_pointer (&ct->agreement);
  if (leaderboard != NULL)
    *leaderboard = g_steal_pointer (&ct->leaderboard);
  return TRUE;
}
