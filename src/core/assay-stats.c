/* assay-stats.c: agreement and the model leaderboard of a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Loading reads each judgment table once, in primary-key order where the
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

#define NONE G_MAXUINT32

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

/* ---- the snapshot ---- */

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 set;          /* index into the template's label sets */
  guint32 option;       /* index into the set's options */
} LabelRow;

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 set;
  guint32 option;
  guint32 start;
  guint32 end;
} SpanRow;

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 criterion;    /* index into the template's criteria */
  gint32  value;
} ScoreRow;

typedef struct
{
  guint32 source;
  guint32 annotator;
  guint32 candidate;
  gint32  rank;
} RankRow;

enum
{
  OUTCOME_FIRST,        /* the candidate with the lower index won */
  OUTCOME_TIE,
  OUTCOME_SECOND,
};

typedef struct
{
  guint32 source;
  guint32 first;        /* candidate indexes, first < second */
  guint32 second;
  guint32 annotator;
  guint32 outcome;
} ComparisonRow;

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 distance;     /* word edit distance from the candidate */
  guint32 words;        /* words and punctuation marks of the candidate */
  guint64 fingerprint;  /* of the corrected text's words: equal words, equal prints */
} CorrectionRow;

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

struct _AssayStatsData
{
  gatomicrefcount ref_count;

  AssayTemplate  *tmpl;

  guint           n_annotators;
  gint64         *annotator_ids;
  char          **annotator_ext;
  char          **annotator_names;
  AssayAnnotatorKind *annotator_kinds;

  guint           n_sources;
  gint64         *source_ids;
  char          **source_ext;
  char          **source_titles;
  guint          *source_candidates;      /* candidate indexes grouped by source */
  guint          *source_offsets;         /* n_sources + 1 */

  guint           n_candidates;
  gint64         *candidate_ids;
  char          **candidate_ext;
  guint32        *candidate_source;
  guint32        *candidate_model;
  GPtrArray      *models;                 /* char *, by first appearance */

  /* Judgments, each sorted by candidate (rankings and comparisons by
   * source), with per-candidate offsets (n_candidates + 1). */
  GArray         *labels;                 /* LabelRow */
  guint          *label_offsets;
  GArray         *spans;                  /* SpanRow, labelled spans only */
  guint          *span_offsets;
  GArray         *scores;                 /* ScoreRow */
  guint          *score_offsets;
  GArray         *corrections;            /* CorrectionRow */
  guint          *correction_offsets;
  GArray         *rankings;               /* RankRow */
  GArray         *comparisons;            /* ComparisonRow */

  /* Who judged each candidate: annotator indexes, ascending. */
  guint32        *judged;
  guint          *judged_offsets;

  /* Which label sets each annotator used anywhere: n_annotators x n_sets. */
  guint8         *uses_set;

  /* Whitespace-separated words of the candidates that two or more
   * annotators judged (for span agreement): pairs of code-point offsets. */
  guint32        *words;
  guint          *word_offsets;

  guint64         n_ratings;
};

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
          stmt = _assay_project_prepare (project, "SELECT EXISTS (SELECT 1 FROM spans s"
                                         " JOIN label_options o ON o.id = s.option_id"
                                         " WHERE s.annotator_id = ?1 AND o.label_set_id = ?2)",
                                         error);
        else
          stmt = _assay_project_prepare (project, "SELECT EXISTS (SELECT 1 FROM labels l"
                                         " JOIN label_options o ON o.id = l.option_id"
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
static gboolean
select_annotators (AssayStatsData           *data,
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
      static const AssayStatsKinds kind_flags[] = {
        ASSAY_STATS_PERSONS, ASSAY_STATS_MODELS, ASSAY_STATS_ADJUDICATORS,
      };
      gboolean take;

      if (only != NULL)
        take = g_str_equal (only, data->annotator_ext[a]);
      else
        take = (kinds & kind_flags[data->annotator_kinds[a]]) != 0;

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

/* ---- agreement ---- */

typedef struct
{
  guint32           source;
  AssayDisagreement unit;
} Pending;

typedef struct
{
  AssayStatsData     *data;
  guint               n_coders;
  guint32            *coder_of;
  guint               n_sets;
  guint               n_criteria;
  GPtrArray          *stats;
  guint              *set_stat;
  guint              *criterion_stat;
  guint               ranking_stat;
  guint               comparison_stat;
  guint               correction_stat;

  AssayReliability  **set_acc;         /* per label set (the pooled binary units if multi) */
  AssayReliability ***option_acc;      /* per multi-choice set: per option */
  AssayReliability  **criterion_acc;
  AssayReliability   *rubric_acc;      /* all criteria pooled; NULL unless on one scale */
  AssayReliability   *comparison_acc;
  GArray             *pending;         /* Pending */

  /* ranking */
  GArray             *source_w;        /* AssaySourceConcordance */
  double             *tau_sum;         /* n_coders x n_coders */
  guint64            *tau_n;
  double              w_sum;
  guint64             w_n;

  /* scratch, sized by the number of coders */
  guint              *unit_coders;
  guint              *unit_codes;
  guint              *judged;          /* the coders who judged the candidate */
  guint               n_judged;
  guint8             *coder_uses;      /* n_sets x n_coders: the coder used the set somewhere */
  gint               *choice;          /* n_sets x n_coders: single-choice option, -1 none */
  GPtrArray          *chosen;          /* per set: n_options x n_coders bytes (multi-choice) */
  gint               *score;           /* n_criteria x n_coders, -1 none */
  GArray             *word_values;     /* guint: eligible x words */
  GArray             *word_cover;      /* guint: the same, the best coverage so far */
} Agreement;

static void
agreement_stat_free (AssayAgreementStat *stat)
{
  g_free (stat->name);
  g_free (stat->title);
  if (stat->has_result)
    assay_reliability_result_clear (&stat->result);
  if (stat->options != NULL)
    g_ptr_array_unref (stat->options);
  if (stat->rank_pairs != NULL)
    g_array_unref (stat->rank_pairs);
  if (stat->sources != NULL)
    g_array_unref (stat->sources);
  g_free (stat);
}

static void
option_agreement_free (AssayOptionAgreement *option)
{
  g_free (option->name);
  assay_reliability_result_clear (&option->result);
  g_free (option);
}

void
assay_disagreement_item_free (AssayDisagreementItem *item)
{
  if (item == NULL)
    return;
  g_free (item->ext_id);
  g_free (item->title);
  g_clear_pointer (&item->units, g_array_unref);
  g_free (item);
}

void
assay_agreement_report_free (AssayAgreementReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->annotators, g_ptr_array_unref);
  g_clear_pointer (&report->stats, g_ptr_array_unref);
  g_clear_pointer (&report->items, g_ptr_array_unref);
  g_clear_pointer (&report->data, assay_stats_data_unref);
  assay_reliability_result_clear (&report->rubric);
  g_free (report);
}

static void
note_disagreement (Agreement *ag,
                   guint      stat,
                   guint32    source,
                   gint64     candidate_id,
                   gint64     other_id,
                   gint64     start,
                   gint64     end,
                   double     d)
{
  Pending p;

  if (!(d > 0.0))
    return;
  p.source = source;
  p.unit.stat = stat;
  p.unit.candidate_id = candidate_id;
  p.unit.other_id = other_id;
  p.unit.start = start;
  p.unit.end = end;
  p.unit.disagreement = MIN (d, 1.0);
  g_array_append_val (ag->pending, p);
}

static AssayAgreementStat *
add_stat (Agreement     *ag,
          AssayStatKind  kind,
          gint64         id,
          const char    *name,
          const char    *title)
{
  AssayAgreementStat *stat = g_new0 (AssayAgreementStat, 1);

  stat->kind = kind;
  stat->id = id;
  stat->name = g_strdup (name);
  stat->title = g_strdup (title);
  stat->kendall_w = NAN;
  stat->tau_b = NAN;
  g_ptr_array_add (ag->stats, stat);
  return stat;
}

static void
agree_labels (Agreement *ag,
              guint      c)
{
  AssayStatsData *data = ag->data;
  const LabelRow *rows = &g_array_index (data->labels, LabelRow, 0);
  guint32 source = data->candidate_source[c];
  guint N = ag->n_coders;

  for (guint s = 0; s < ag->n_sets; s++)
    for (guint k = 0; k < N; k++)
      ag->choice[(gsize) s * N + k] = -1;

  for (guint i = data->label_offsets[c]; i < data->label_offsets[c + 1]; i++)
    {
      const LabelRow *row = &rows[i];
      guint coder = ag->coder_of[row->annotator];
      AssayLabelSet *set = g_ptr_array_index (data->tmpl->label_sets, row->set);
      gint *choice = &ag->choice[(gsize) row->set * N + coder];

      if (coder == NONE)
        continue;
      if (!set->multi)
        {
          /* Two options in a single-choice set (written by something other
           * than Assay): keep the first in template order. */
          if (*choice < 0 || (gint) row->option < *choice)
            *choice = row->option;
        }
      else
        ((guint8 *) g_ptr_array_index (ag->chosen, row->set))[(gsize) row->option * N + coder] = 1;
    }

  for (guint s = 0; s < ag->n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (data->tmpl->label_sets, s);
      guint n = 0;

      if (set->scope != ASSAY_SCOPE_CANDIDATE)
        continue;

      if (!set->multi)
        {
          for (guint k = 0; k < N; k++)
            if (ag->choice[(gsize) s * N + k] >= 0)
              {
                ag->unit_coders[n] = k;
                ag->unit_codes[n++] = ag->choice[(gsize) s * N + k];
              }
          note_disagreement (ag, ag->set_stat[s], source, data->candidate_ids[c], 0, -1, -1,
                             assay_reliability_add_unit (ag->set_acc[s], ag->unit_coders,
                                                         ag->unit_codes, n, 1));
          continue;
        }

      /* Multi-choice: the coders who judged the candidate and use this
       * set at all each rate every option, chosen (1) or not (0). */
      {
        guint8 *chosen = g_ptr_array_index (ag->chosen, s);

        for (guint j = 0; j < ag->n_judged; j++)
          if (ag->coder_uses[(gsize) s * N + ag->judged[j]])
            ag->unit_coders[n++] = ag->judged[j];

        for (guint o = 0; o < set->options->len && n >= 2; o++)
          {
            AssayLabelOption *option = g_ptr_array_index (set->options, o);
            double d;

            for (guint j = 0; j < n; j++)
              ag->unit_codes[j] = chosen[(gsize) o * N + ag->unit_coders[j]];
            d = assay_reliability_add_unit (ag->set_acc[s], ag->unit_coders, ag->unit_codes, n, 1);
            assay_reliability_add_unit (ag->option_acc[s][o], ag->unit_coders, ag->unit_codes, n,
                                        1);
            note_disagreement (ag, ag->set_stat[s], source, data->candidate_ids[c], option->id,
                               -1, -1, d);
          }
        memset (chosen, 0, (gsize) set->options->len * N);
      }
    }
}

static void
agree_scores (Agreement *ag,
              guint      c)
{
  AssayStatsData *data = ag->data;
  guint N = ag->n_coders;
  guint32 source = data->candidate_source[c];

  if (data->score_offsets[c] == data->score_offsets[c + 1])
    return;

  for (guint k = 0; k < ag->n_criteria * N; k++)
    ag->score[k] = -1;
  for (guint i = data->score_offsets[c]; i < data->score_offsets[c + 1]; i++)
    {
      const ScoreRow *row = &g_array_index (data->scores, ScoreRow, i);
      guint coder = ag->coder_of[row->annotator];
      AssayCriterion *criterion = g_ptr_array_index (data->tmpl->criteria, row->criterion);

      if (coder != NONE)
        ag->score[(gsize) row->criterion * N + coder] = row->value - criterion->min;
    }

  for (guint k = 0; k < ag->n_criteria; k++)
    {
      guint n = 0;

      for (guint j = 0; j < N; j++)
        if (ag->score[(gsize) k * N + j] >= 0)
          {
            ag->unit_coders[n] = j;
            ag->unit_codes[n++] = ag->score[(gsize) k * N + j];
          }
      note_disagreement (ag, ag->criterion_stat[k], source, data->candidate_ids[c], 0, -1, -1,
                         assay_reliability_add_unit (ag->criterion_acc[k], ag->unit_coders,
                                                     ag->unit_codes, n, 1));
      if (ag->rubric_acc != NULL)
        assay_reliability_add_unit (ag->rubric_acc, ag->unit_coders, ag->unit_codes, n, 1);
    }
}

/* Span agreement: the candidate's whitespace-separated words are the units;
 * each eligible coder gives every word the option of its span that covers
 * most of the word, or "none" (code 0). Runs of words with the same values
 * are added as one unit with a count. */
static void
agree_spans (Agreement *ag,
             guint      c)
{
  AssayStatsData *data = ag->data;
  guint N = ag->n_coders;
  guint32 source = data->candidate_source[c];
  guint n_words = data->word_offsets[c + 1] - data->word_offsets[c];
  const guint32 *words;
  g_autofree guint *slot = NULL;

  /* Only words of candidates that two raters judged are loaded: without
   * them data->words is NULL, and not to be offset. */
  if (n_words == 0 || ag->n_judged < 2)
    return;
  words = data->words + 2 * (gsize) data->word_offsets[c];

  slot = g_new (guint, N);
  for (guint s = 0; s < ag->n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (data->tmpl->label_sets, s);
      guint n = 0;
      guint *values, *cover;
      guint run_start = 0;
      gint64 bad_start = -1, bad_end = -1;
      double bad_max = 0.0;

      if (set->scope != ASSAY_SCOPE_SPAN)
        continue;

      for (guint k = 0; k < N; k++)
        slot[k] = NONE;
      for (guint j = 0; j < ag->n_judged; j++)
        if (ag->coder_uses[(gsize) s * N + ag->judged[j]])
          {
            slot[ag->judged[j]] = n;
            ag->unit_coders[n++] = ag->judged[j];
          }
      if (n < 2)
        continue;

      g_array_set_size (ag->word_values, (gsize) n * n_words);
      g_array_set_size (ag->word_cover, (gsize) n * n_words);
      values = (guint *) ag->word_values->data;
      cover = (guint *) ag->word_cover->data;
      memset (values, 0, sizeof (guint) * n * n_words);
      memset (cover, 0, sizeof (guint) * n * n_words);

      for (guint i = data->span_offsets[c]; i < data->span_offsets[c + 1]; i++)
        {
          const SpanRow *row = &g_array_index (data->spans, SpanRow, i);
          guint coder = ag->coder_of[row->annotator];
          guint lo = 0, hi = n_words;

          if (row->set != s || coder == NONE || slot[coder] == NONE)
            continue;

          /* the first word that ends after the span starts */
          while (lo < hi)
            {
              guint mid = lo + (hi - lo) / 2;

              if (words[2 * mid + 1] <= row->start)
                lo = mid + 1;
              else
                hi = mid;
            }
          for (guint w = lo; w < n_words && words[2 * w] < row->end; w++)
            {
              guint covered = MIN (row->end, words[2 * w + 1]) - MAX (row->start, words[2 * w]);
              gsize at = (gsize) slot[coder] * n_words + w;

              if (covered > cover[at])
                {
                  cover[at] = covered;
                  values[at] = row->option + 1;
                }
            }
        }

      for (guint w = 1; w <= n_words; w++)
        {
          gboolean same = w < n_words;
          double d;

          for (guint j = 0; same && j < n; j++)
            same = values[(gsize) j * n_words + w] == values[(gsize) j * n_words + w - 1];
          if (same)
            continue;

          for (guint j = 0; j < n; j++)
            ag->unit_codes[j] = values[(gsize) j * n_words + run_start];
          d = assay_reliability_add_unit (ag->set_acc[s], ag->unit_coders, ag->unit_codes, n,
                                          w - run_start);
          if (d > 0.0)
            {
              /* adjacent disagreeing runs make one passage to look at */
              if (bad_start < 0)
                bad_start = words[2 * run_start];
              bad_end = words[2 * (w - 1) + 1];
              bad_max = MAX (bad_max, d);
            }
          else if (bad_start >= 0)
            {
              note_disagreement (ag, ag->set_stat[s], source, data->candidate_ids[c], 0, bad_start,
                                 bad_end, bad_max);
              bad_start = -1;
              bad_max = 0.0;
            }
          run_start = w;
        }
      if (bad_start >= 0)
        note_disagreement (ag, ag->set_stat[s], source, data->candidate_ids[c], 0, bad_start,
                           bad_end, bad_max);
    }
}

/* Corrections are free text: a rater's value is the corrected text's
 * words, and two raters disagree when those differ. There is no
 * coefficient, only the share of pairs of raters whose corrections differ. */
static void
agree_corrections (Agreement *ag,
                   guint      c)
{
  AssayStatsData *data = ag->data;
  const CorrectionRow *rows = (const CorrectionRow *) data->corrections->data;
  guint first = data->correction_offsets[c], last = data->correction_offsets[c + 1];
  guint n = 0, differ = 0;

  for (guint i = first; i < last; i++)
    {
      if (ag->coder_of[rows[i].annotator] == NONE)
        continue;
      n++;
      for (guint j = i + 1; j < last; j++)
        if (ag->coder_of[rows[j].annotator] != NONE && rows[j].fingerprint != rows[i].fingerprint)
          differ++;
    }
  if (n >= 2)
    note_disagreement (ag, ag->correction_stat, data->candidate_source[c], data->candidate_ids[c],
                       0, -1, -1, differ / (n * (n - 1) / 2.0));
}

typedef struct
{
  guint   coder;
  guint   first;     /* rows of this coder's ranking */
  guint   last;
} RankingRange;

static gboolean
ranking_has (const RankRow *rows,
             const RankingRange *r,
             guint32 candidate,
             double *rank)
{
  guint lo = r->first, hi = r->last;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (rows[mid].candidate < candidate)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < r->last && rows[lo].candidate == candidate)
    {
      *rank = rows[lo].rank;
      return TRUE;
    }
  return FALSE;
}

static void
agree_rankings (Agreement *ag)
{
  AssayStatsData *data = ag->data;
  const RankRow *rows = (const RankRow *) data->rankings->data;
  guint n_rows = data->rankings->len;
  g_autofree RankingRange *ranges = g_new (RankingRange, MAX (ag->n_coders, 1));
  g_autoptr(GArray) matrix = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) x = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) y = g_array_new (FALSE, FALSE, sizeof (double));
  guint i = 0;

  while (i < n_rows)
    {
      guint32 source = rows[i].source;
      guint m = 0, n = 0;
      const RankingRange *base = NULL;

      /* this source's rankings, one range of rows per included coder */
      while (i < n_rows && rows[i].source == source)
        {
          guint j = i;

          while (j < n_rows && rows[j].source == source && rows[j].annotator == rows[i].annotator)
            j++;
          if (ag->coder_of[rows[i].annotator] != NONE && j - i >= 2)
            ranges[m++] = (RankingRange) { ag->coder_of[rows[i].annotator], i, j };
          i = j;
        }
      if (m < 2)
        continue;

      /* Kendall's W over the candidates every coder ranked */
      base = &ranges[0];
      g_array_set_size (matrix, 0);
      for (guint r = 0; r < m; r++)
        for (guint k = base->first; k < base->last; k++)
          {
            double rank = 0.0;
            gboolean everywhere = TRUE;

            for (guint q = 1; q < m && everywhere; q++)
              everywhere = ranking_has (rows, &ranges[q], rows[k].candidate, &rank);
            if (!everywhere)
              continue;
            ranking_has (rows, &ranges[r], rows[k].candidate, &rank);
            g_array_append_val (matrix, rank);
          }
      n = matrix->len / m;
      if (n >= 2)
        {
          double w = assay_kendall_w ((const double *) matrix->data, m, n);

          if (!isnan (w))
            {
              AssaySourceConcordance sc = { data->source_ids[source], m, n, w };

              g_array_append_val (ag->source_w, sc);
              ag->w_sum += w;
              ag->w_n++;
              note_disagreement (ag, ag->ranking_stat, source, 0, 0, -1, -1, 1.0 - w);
            }
        }

      /* tau-b for each pair of coders, over the candidates both ranked */
      for (guint a = 0; a < m; a++)
        for (guint b = a + 1; b < m; b++)
          {
            double tau;

            g_array_set_size (x, 0);
            g_array_set_size (y, 0);
            for (guint k = ranges[a].first; k < ranges[a].last; k++)
              {
                double rank_b;

                if (ranking_has (rows, &ranges[b], rows[k].candidate, &rank_b))
                  {
                    double rank_a = rows[k].rank;

                    g_array_append_val (x, rank_a);
                    g_array_append_val (y, rank_b);
                  }
              }
            tau = assay_kendall_tau_b ((const double *) x->data, (const double *) y->data, x->len);
            if (!isnan (tau))
              {
                gsize p = (gsize) ranges[a].coder * ag->n_coders + ranges[b].coder;

                ag->tau_sum[p] += tau;
                ag->tau_n[p]++;
              }
          }
    }
}

static void
agree_comparisons (Agreement *ag)
{
  AssayStatsData *data = ag->data;
  const ComparisonRow *rows = (const ComparisonRow *) data->comparisons->data;
  guint n_rows = data->comparisons->len;
  guint i = 0;

  while (i < n_rows)
    {
      guint j = i, n = 0;

      while (j < n_rows && rows[j].first == rows[i].first && rows[j].second == rows[i].second)
        {
          guint coder = ag->coder_of[rows[j].annotator];

          if (coder != NONE)
            {
              ag->unit_coders[n] = coder;
              ag->unit_codes[n++] = rows[j].outcome;
            }
          j++;
        }
      note_disagreement (ag, ag->comparison_stat, rows[i].source,
                         data->candidate_ids[rows[i].first], data->candidate_ids[rows[i].second],
                         -1, -1,
                         assay_reliability_add_unit (ag->comparison_acc, ag->unit_coders,
                                                     ag->unit_codes, n, 1));
      i = j;
    }
}

static int
compare_pending (const void *a,
                 const void *b)
{
  const Pending *x = a, *y = b;

  if (x->source != y->source)
    return x->source < y->source ? -1 : 1;
  if (x->unit.disagreement != y->unit.disagreement)
    return x->unit.disagreement > y->unit.disagreement ? -1 : 1;
  if (x->unit.stat != y->unit.stat)
    return x->unit.stat < y->unit.stat ? -1 : 1;
  if (x->unit.candidate_id != y->unit.candidate_id)
    return x->unit.candidate_id < y->unit.candidate_id ? -1 : 1;
  if (x->unit.other_id != y->unit.other_id)
    return x->unit.other_id < y->unit.other_id ? -1 : 1;
  return (x->unit.start > y->unit.start) - (x->unit.start < y->unit.start);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const AssayDisagreementItem *x = *(AssayDisagreementItem * const *) a;
  const AssayDisagreementItem *y = *(AssayDisagreementItem * const *) b;

  if (x->disagreement != y->disagreement)
    return x->disagreement > y->disagreement ? -1 : 1;
  return (x->source_id > y->source_id) - (x->source_id < y->source_id);
}

/* Groups disagreeing units by source (all of them, or one statistic's). */
static GPtrArray *
group_items (AssayStatsData *data,
             GArray         *pending,
             gint            only_stat)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) assay_disagreement_item_free);
  AssayDisagreementItem *item = NULL;

  for (guint i = 0; i < pending->len; i++)
    {
      const Pending *p = &g_array_index (pending, Pending, i);

      if (only_stat >= 0 && p->unit.stat != (guint) only_stat)
        continue;
      if (item == NULL || item->source_id != data->source_ids[p->source])
        {
          item = g_new0 (AssayDisagreementItem, 1);
          item->source_id = data->source_ids[p->source];
          item->ext_id = g_strdup (data->source_ext[p->source]);
          item->title = g_strdup (data->source_titles[p->source]);
          item->units = g_array_new (FALSE, FALSE, sizeof (AssayDisagreement));
          g_ptr_array_add (items, item);
        }
      g_array_append_val (item->units, p->unit);
      item->disagreement += p->unit.disagreement;
    }

  g_ptr_array_sort (items, compare_items);
  return items;
}

GPtrArray *
assay_agreement_report_list_disagreements (AssayAgreementReport *report,
                                           guint                 stat)
{
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  AssayStatsData *data;

  g_return_val_if_fail (report != NULL, NULL);

  /* Rebuild the flat list from the items: they hold every unit. */
  data = report->data;
  for (guint i = 0; i < report->items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);
      guint32 source = NONE;
      guint lo = 0, hi = data->n_sources;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (data->source_ids[mid] < item->source_id)
            lo = mid + 1;
          else
            hi = mid;
        }
      source = lo;
      for (guint u = 0; u < item->units->len; u++)
        {
          Pending p = { source, g_array_index (item->units, AssayDisagreement, u) };

          if (p.unit.stat == stat)
            g_array_append_val (pending, p);
        }
    }
  g_array_sort (pending, compare_pending);
  return group_items (data, pending, stat);
}

static void
agreement_clear (Agreement *ag)
{
  for (guint s = 0; s < ag->n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (ag->data->tmpl->label_sets, s);

      assay_reliability_free (ag->set_acc[s]);
      if (ag->option_acc[s] != NULL)
        {
          for (guint o = 0; o < set->options->len; o++)
            assay_reliability_free (ag->option_acc[s][o]);
          g_free (ag->option_acc[s]);
        }
    }
  for (guint k = 0; k < ag->n_criteria; k++)
    assay_reliability_free (ag->criterion_acc[k]);
  assay_reliability_free (ag->comparison_acc);
  assay_reliability_free (ag->rubric_acc);
  g_free (ag->set_acc);
  g_free (ag->option_acc);
  g_free (ag->criterion_acc);
  g_free (ag->set_stat);
  g_free (ag->criterion_stat);
  g_free (ag->coder_of);
  g_free (ag->tau_sum);
  g_free (ag->tau_n);
  g_free (ag->unit_coders);
  g_free (ag->unit_codes);
  g_free (ag->judged);
  g_free (ag->coder_uses);
  g_free (ag->choice);
  g_free (ag->score);
  g_clear_pointer (&ag->chosen, g_ptr_array_unref);
  g_clear_pointer (&ag->word_values, g_array_unref);
  g_clear_pointer (&ag->word_cover, g_array_unref);
  g_clear_pointer (&ag->pending, g_array_unref);
  g_clear_pointer (&ag->source_w, g_array_unref);
  g_clear_pointer (&ag->stats, g_ptr_array_unref);
}

AssayAgreementReport *
assay_stats_compute_agreement (AssayStatsData           *data,
                               const AssayStatsOptions  *options,
                               GCancellable             *cancellable,
                               GError                  **error)
{
  g_autoptr(AssayAgreementReport) report = NULL;
  Agreement ag = { NULL, };
  AssayTemplate *tmpl;
  guint N;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tmpl = data->tmpl;
  report = g_new0 (AssayAgreementReport, 1);
  report->data = assay_stats_data_ref (data);

  ag.data = data;
  ag.coder_of = g_new (guint32, MAX (data->n_annotators, 1));
  if (!select_annotators (data, options, ASSAY_STATS_RATERS, ag.coder_of, &report->annotators,
                          error))
    {
      g_free (ag.coder_of);
      return NULL;
    }
  N = ag.n_coders = report->annotators->len;
  ag.n_sets = tmpl->label_sets->len;
  ag.n_criteria = tmpl->criteria->len;
  ag.stats = g_ptr_array_new_with_free_func ((GDestroyNotify) agreement_stat_free);
  ag.pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  ag.set_stat = g_new0 (guint, MAX (ag.n_sets, 1));
  ag.criterion_stat = g_new0 (guint, MAX (ag.n_criteria, 1));
  ag.set_acc = g_new0 (AssayReliability *, MAX (ag.n_sets, 1));
  ag.option_acc = g_new0 (AssayReliability **, MAX (ag.n_sets, 1));
  ag.criterion_acc = g_new0 (AssayReliability *, MAX (ag.n_criteria, 1));
  ag.unit_coders = g_new (guint, MAX (N, 1));
  ag.unit_codes = g_new (guint, MAX (N, 1));
  ag.judged = g_new (guint, MAX (N, 1));
  ag.coder_uses = g_new0 (guint8, (gsize) MAX (ag.n_sets, 1) * MAX (N, 1));
  ag.choice = g_new (gint, (gsize) MAX (ag.n_sets, 1) * MAX (N, 1));
  ag.score = g_new (gint, (gsize) MAX (ag.n_criteria, 1) * MAX (N, 1));
  ag.chosen = g_ptr_array_new_with_free_func (g_free);
  ag.word_values = g_array_new (FALSE, FALSE, sizeof (guint));
  ag.word_cover = g_array_new (FALSE, FALSE, sizeof (guint));
  ag.source_w = g_array_new (FALSE, FALSE, sizeof (AssaySourceConcordance));
  ag.tau_sum = g_new0 (double, (gsize) MAX (N, 1) * MAX (N, 1));
  ag.tau_n = g_new0 (guint64, (gsize) MAX (N, 1) * MAX (N, 1));

  for (guint a = 0; a < data->n_annotators; a++)
    if (ag.coder_of[a] != NONE)
      for (guint s = 0; s < ag.n_sets; s++)
        ag.coder_uses[(gsize) s * N + ag.coder_of[a]] = data->uses_set[(gsize) a * ag.n_sets + s];

  /* One statistic per label set and criterion, in template order. */
  for (guint s = 0; s < ag.n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, s);
      AssayAgreementStat *stat;
      guint n_options = MAX (set->options->len, 1);

      ag.set_stat[s] = ag.stats->len;
      stat = add_stat (&ag, set->scope == ASSAY_SCOPE_SPAN ? ASSAY_STAT_SPANS : ASSAY_STAT_LABELS,
                       set->id, set->name, set->title);
      stat->multi = set->multi;
      g_ptr_array_add (ag.chosen, g_malloc0 ((gsize) n_options * MAX (N, 1)));
      if (set->scope == ASSAY_SCOPE_SPAN)
        ag.set_acc[s] = assay_reliability_new (N, n_options + 1, NULL);
      else if (!set->multi)
        ag.set_acc[s] = assay_reliability_new (N, n_options, NULL);
      else
        {
          ag.set_acc[s] = assay_reliability_new (N, 2, NULL);
          ag.option_acc[s] = g_new0 (AssayReliability *, n_options);
          for (guint o = 0; o < set->options->len; o++)
            ag.option_acc[s][o] = assay_reliability_new (N, 2, NULL);
        }
    }
  for (guint k = 0; k < ag.n_criteria; k++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, k);
      AssayAgreementStat *stat;
      guint n_points = criterion->max - criterion->min + 1;
      g_autofree double *values = g_new (double, n_points);

      for (guint v = 0; v < n_points; v++)
        values[v] = criterion->min + (int) v;
      ag.criterion_stat[k] = ag.stats->len;
      stat = add_stat (&ag, ASSAY_STAT_CRITERION, criterion->id, criterion->name,
                       criterion->title);
      stat->scale_min = criterion->min;
      stat->scale_max = criterion->max;
      ag.criterion_acc[k] = assay_reliability_new (N, n_points, values);
    }
  for (guint k = 1; k < ag.n_criteria; k++)
    {
      AssayCriterion *first = g_ptr_array_index (tmpl->criteria, 0);
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, k);

      if (criterion->min != first->min || criterion->max != first->max)
        break;
      if (k + 1 == ag.n_criteria)
        {
          guint n_points = first->max - first->min + 1;
          g_autofree double *values = g_new (double, n_points);

          for (guint v = 0; v < n_points; v++)
            values[v] = first->min + (int) v;
          ag.rubric_acc = assay_reliability_new (N, n_points, values);
          report->rubric_min = first->min;
          report->rubric_max = first->max;
        }
    }
  ag.ranking_stat = G_MAXUINT;
  if (data->rankings->len > 0 || (tmpl->kinds & ASSAY_JUDGE_RANKING) != 0)
    {
      ag.ranking_stat = ag.stats->len;
      add_stat (&ag, ASSAY_STAT_RANKING, 0, "rankings", NULL);
    }
  ag.comparison_stat = G_MAXUINT;
  ag.comparison_acc = assay_reliability_new (N, 3, NULL);
  if (data->comparisons->len > 0 || (tmpl->kinds & ASSAY_JUDGE_PAIRWISE) != 0)
    {
      ag.comparison_stat = ag.stats->len;
      add_stat (&ag, ASSAY_STAT_COMPARISON, 0, "comparisons", NULL);
    }
  ag.correction_stat = G_MAXUINT;
  if (data->corrections->len > 0 || (tmpl->kinds & ASSAY_JUDGE_CORRECTION) != 0)
    {
      ag.correction_stat = ag.stats->len;
      add_stat (&ag, ASSAY_STAT_CORRECTION, 0, "corrections", "Corrections");
    }

  /* One pass over the candidates. */
  for (guint c = 0; c < data->n_candidates; c++)
    {
      if ((c & 0x3fff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          agreement_clear (&ag);
          return NULL;
        }

      ag.n_judged = 0;
      for (guint i = data->judged_offsets[c]; i < data->judged_offsets[c + 1]; i++)
        if (ag.coder_of[data->judged[i]] != NONE)
          ag.judged[ag.n_judged++] = ag.coder_of[data->judged[i]];

      agree_labels (&ag, c);
      agree_scores (&ag, c);
      agree_spans (&ag, c);
      if (ag.correction_stat != G_MAXUINT)
        agree_corrections (&ag, c);
    }
  if (ag.ranking_stat != G_MAXUINT)
    agree_rankings (&ag);
  if (ag.comparison_stat != G_MAXUINT)
    agree_comparisons (&ag);

  /* The coefficients. */
  for (guint s = 0; s < ag.n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, s);
      AssayAgreementStat *stat = g_ptr_array_index (ag.stats, ag.set_stat[s]);

      stat->has_result = TRUE;
      assay_reliability_compute (ag.set_acc[s], &stat->result);
      if (ag.option_acc[s] != NULL)
        {
          stat->options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_agreement_free);
          for (guint o = 0; o < set->options->len; o++)
            {
              AssayOptionAgreement *option = g_new0 (AssayOptionAgreement, 1);

              option->name = g_strdup (((AssayLabelOption *) g_ptr_array_index (set->options,
                                                                                 o))->name);
              assay_reliability_compute (ag.option_acc[s][o], &option->result);
              g_ptr_array_add (stat->options, option);
            }
        }
    }
  for (guint k = 0; k < ag.n_criteria; k++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (ag.stats, ag.criterion_stat[k]);

      stat->has_result = TRUE;
      assay_reliability_compute (ag.criterion_acc[k], &stat->result);
    }
  if (ag.rubric_acc != NULL)
    {
      report->has_rubric = TRUE;
      assay_reliability_compute (ag.rubric_acc, &report->rubric);
    }
  if (ag.ranking_stat != G_MAXUINT)
    {
      AssayAgreementStat *stat = g_ptr_array_index (ag.stats, ag.ranking_stat);
      double tau_sum = 0.0;

      stat->kendall_w = ag.w_n > 0 ? ag.w_sum / ag.w_n : NAN;
      stat->kendall_w_sources = ag.w_n;
      stat->sources = g_array_ref (ag.source_w);
      stat->rank_pairs = g_array_new (FALSE, FALSE, sizeof (AssayRankPair));
      for (guint a = 0; a < N; a++)
        for (guint b = a + 1; b < N; b++)
          {
            gsize p = (gsize) a * N + b;
            AssayRankPair pair = { a, b, ag.tau_n[p], NAN };

            if (ag.tau_n[p] == 0)
              continue;
            pair.tau_b = ag.tau_sum[p] / ag.tau_n[p];
            tau_sum += ag.tau_sum[p];
            stat->tau_b_pairs += ag.tau_n[p];
            g_array_append_val (stat->rank_pairs, pair);
          }
      stat->tau_b = stat->tau_b_pairs > 0 ? tau_sum / stat->tau_b_pairs : NAN;
    }
  if (ag.comparison_stat != G_MAXUINT)
    {
      AssayAgreementStat *stat = g_ptr_array_index (ag.stats, ag.comparison_stat);

      stat->has_result = TRUE;
      assay_reliability_compute (ag.comparison_acc, &stat->result);
    }

  g_array_sort (ag.pending, compare_pending);
  report->items = group_items (data, ag.pending, -1);
  report->stats = g_steal_pointer (&ag.stats);
  agreement_clear (&ag);

  return g_steal_pointer (&report);
}

/* ---- the leaderboard ---- */

static void
metric_info_free (AssayMetricInfo *info)
{
  g_free (info->set);
  g_free (info->option);
  g_free (info);
}

static void
model_standing_free (AssayModelStanding *standing)
{
  g_free (standing->model);
  g_free (standing->metrics);
  g_free (standing);
}

void
assay_leaderboard_free (AssayLeaderboard *board)
{
  if (board == NULL)
    return;
  g_clear_pointer (&board->annotators, g_ptr_array_unref);
  g_clear_pointer (&board->metrics, g_ptr_array_unref);
  g_clear_pointer (&board->models, g_ptr_array_unref);
  g_free (board->wins);
  g_free (board->games);
  g_free (board->comparison_wins);
  g_free (board->comparison_games);
  g_free (board->ranking_wins);
  g_free (board->ranking_games);
  g_clear_pointer (&board->bt_unbeaten, g_ptr_array_unref);
  g_free (board);
}

static guint
add_metric (GPtrArray       *metrics,
            AssayMetricKind  kind,
            const char      *set,
            const char      *option)
{
  AssayMetricInfo *info = g_new0 (AssayMetricInfo, 1);

  info->kind = kind;
  info->set = g_strdup (set);
  info->option = g_strdup (option);
  g_ptr_array_add (metrics, info);
  return metrics->len - 1;
}

typedef struct
{
  guint    M;
  guint    K;
  double  *sum;        /* M x K */
  double  *count;
  guint8  *touched;
  GArray  *touched_list;
  double  *wins;       /* M x M */
  double  *games;
} SourceCells;

static inline void
cell_add (SourceCells *sc,
          guint        model,
          guint        metric,
          double       sum,
          double       count)
{
  gsize i = (gsize) model * sc->K + metric;

  if (!sc->touched[i])
    {
      guint v = i;

      sc->touched[i] = 1;
      g_array_append_val (sc->touched_list, v);
    }
  sc->sum[i] += sum;
  sc->count[i] += count;
}

/* Totals by origin for the report: i's wins over j, and games both ways. */
static inline void
origin_add (double *wins,
            double *games,
            guint   M,
            guint   winner,
            guint   loser,
            double  w)
{
  wins[(gsize) winner * M + loser] += w;
  wins[(gsize) loser * M + winner] += 1.0 - w;
  games[(gsize) winner * M + loser] += 1.0;
  games[(gsize) loser * M + winner] += 1.0;
}

static inline void
pair_add (SourceCells *sc,
          guint        winner,
          guint        loser,
          double       w)
{
  sc->wins[(gsize) winner * sc->M + loser] += w;
  sc->games[(gsize) winner * sc->M + loser] += 1.0;
}

typedef struct
{
  AssayModelStanding *standing;
  AssayRankBy         by;
} RankKey;

static double
rank_value (const AssayModelStanding *standing,
            AssayRankBy               by)
{
  switch (by)
    {
    case ASSAY_RANK_STRENGTH:
      return standing->strength.value;
    case ASSAY_RANK_WIN_RATE:
      return standing->win_rate.value;
    case ASSAY_RANK_OVERALL:
    case ASSAY_RANK_AUTO:
    default:
      return standing->overall.value;
    }
}

/* Best first by the chosen value, models without one last; ties broken by
 * the overall score (or, ranking by it, the strength), then the name. */
static int
compare_standings (const void *a,
                   const void *b)
{
  const RankKey *x = a, *y = b;
  AssayRankBy then = x->by == ASSAY_RANK_OVERALL ? ASSAY_RANK_STRENGTH : ASSAY_RANK_OVERALL;
  AssayRankBy keys[] = { x->by, then };

  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    {
      double vx = rank_value (x->standing, keys[k]);
      double vy = rank_value (y->standing, keys[k]);

      if (isnan (vx) != isnan (vy))
        return isnan (vx) ? 1 : -1;
      if (!isnan (vx) && vx != vy)
        return vx > vy ? -1 : 1;
    }
  return g_strcmp0 (x->standing->model, y->standing->model);
}

static const char * const rank_by_names[] = { "auto", "strength", "overall", "win-rate" };

gboolean
assay_rank_by_from_string (const char  *str,
                           AssayRankBy *rank_by)
{
  g_return_val_if_fail (str != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (rank_by_names); i++)
    if (g_str_equal (str, rank_by_names[i]))
      {
        if (rank_by != NULL)
          *rank_by = i;
        return TRUE;
      }
  return FALSE;
}

const char *
assay_rank_by_to_string (AssayRankBy rank_by)
{
  g_return_val_if_fail (rank_by < G_N_ELEMENTS (rank_by_names), NULL);

  return rank_by_names[rank_by];
}

AssayLeaderboard *
assay_stats_compute_leaderboard (AssayStatsData          *data,
                                 const AssayStatsOptions *options,
                                 GCancellable            *cancellable,
                                 GError                 **error)
{
  g_autoptr(AssayLeaderboard) board = NULL;
  g_autofree guint32 *coder_of = NULL;
  g_autofree guint *label_base = NULL;
  g_autofree guint *span_share_base = NULL;
  g_autofree guint *span_rate_base = NULL;
  g_autofree guint *set_raters = NULL;
  g_autofree guint *set_last = NULL;
  g_autofree guint *option_hits = NULL;
  g_autofree guint *option_first = NULL;
  g_autofree guint *overall_metrics = NULL;
  g_autofree double *overall_weights = NULL;
  g_autofree double *overall_min = NULL;
  g_autofree double *overall_max = NULL;
  g_autofree guint64 *judged_candidates = NULL;
  g_autofree double *cmp_wins = NULL;
  g_autofree double *cmp_games = NULL;
  g_autofree double *rank_wins = NULL;
  g_autofree double *rank_games = NULL;
  g_autofree gboolean *judged_by_counted = NULL;
  g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (AssayMetricCell));
  g_autoptr(GArray) pair_cells = g_array_new (FALSE, FALSE, sizeof (AssayPairCell));
  AssayLeaderboardInput input = { 0, };
  AssayLeaderboardResult result;
  AssayTemplate *tmpl;
  SourceCells sc = { 0, };
  guint n_sets, n_criteria, edit_metric, edit_rate_metric, total_options = 0;
  guint M, K;
  double weight_total = 0.0;
  guint cmp_cursor = 0, rank_cursor = 0;
  g_autofree RankKey *keys = NULL;
  g_autofree guint *order = NULL;
  guint n_kept = 0;
  gboolean any_pairs;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tmpl = data->tmpl;
  n_sets = tmpl->label_sets->len;
  n_criteria = tmpl->criteria->len;
  board = g_new0 (AssayLeaderboard, 1);
  board->metrics = g_ptr_array_new_with_free_func ((GDestroyNotify) metric_info_free);
  board->models = g_ptr_array_new_with_free_func ((GDestroyNotify) model_standing_free);
  board->n_samples = options != NULL && options->n_samples > 0 ? options->n_samples : 1000;
  board->seed = options != NULL ? options->seed : 0;
  board->level = options != NULL && options->level > 0.0 && options->level < 1.0 ? options->level
                                                                                : 0.95;
  board->bt_prior = options != NULL && options->bt_prior >= 0.0 ? options->bt_prior : 1.0;

  coder_of = g_new (guint32, MAX (data->n_annotators, 1));
  if (!select_annotators (data, options, ASSAY_STATS_PERSONS, coder_of, &board->annotators, error))
    return NULL;

  /* The metrics: criteria first (their index is the criterion's), then
   * candidate label rates, span label shares and rates, corrections. */
  overall_metrics = g_new (guint, MAX (n_criteria, 1));
  overall_weights = g_new (double, MAX (n_criteria, 1));
  overall_min = g_new (double, MAX (n_criteria, 1));
  overall_max = g_new (double, MAX (n_criteria, 1));
  for (guint k = 0; k < n_criteria; k++)
    weight_total += ((AssayCriterion *) g_ptr_array_index (tmpl->criteria, k))->weight;
  for (guint k = 0; k < n_criteria; k++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, k);
      AssayMetricInfo *info;

      add_metric (board->metrics, ASSAY_METRIC_SCORE, criterion->name, NULL);
      info = g_ptr_array_index (board->metrics, k);
      info->weight = weight_total > 0.0 ? criterion->weight / weight_total : 0.0;
      info->scale_min = criterion->min;
      info->scale_max = criterion->max;
      overall_metrics[k] = k;
      overall_weights[k] = info->weight;
      overall_min[k] = criterion->min;
      overall_max[k] = criterion->max;
    }
  label_base = g_new0 (guint, MAX (n_sets, 1));
  span_share_base = g_new0 (guint, MAX (n_sets, 1));
  span_rate_base = g_new0 (guint, MAX (n_sets, 1));
  option_first = g_new0 (guint, MAX (n_sets, 1));
  for (guint s = 0; s < n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, s);

      option_first[s] = total_options;
      total_options += set->options->len;
      if (set->scope != ASSAY_SCOPE_CANDIDATE)
        continue;
      label_base[s] = board->metrics->len;
      for (guint o = 0; o < set->options->len; o++)
        add_metric (board->metrics, ASSAY_METRIC_LABEL_RATE, set->name,
                    ((AssayLabelOption *) g_ptr_array_index (set->options, o))->name);
    }
  for (guint s = 0; s < n_sets; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, s);

      if (set->scope != ASSAY_SCOPE_SPAN)
        continue;
      span_share_base[s] = board->metrics->len;
      for (guint o = 0; o < set->options->len; o++)
        add_metric (board->metrics, ASSAY_METRIC_SPAN_SHARE, set->name,
                    ((AssayLabelOption *) g_ptr_array_index (set->options, o))->name);
      span_rate_base[s] = board->metrics->len;
      for (guint o = 0; o < set->options->len; o++)
        add_metric (board->metrics, ASSAY_METRIC_SPAN_RATE, set->name,
                    ((AssayLabelOption *) g_ptr_array_index (set->options, o))->name);
    }
  edit_metric = add_metric (board->metrics, ASSAY_METRIC_EDIT_DISTANCE, NULL, NULL);
  edit_rate_metric = add_metric (board->metrics, ASSAY_METRIC_EDIT_RATE, NULL, NULL);

  M = data->models->len;
  K = board->metrics->len;
  sc.M = M;
  sc.K = K;
  sc.sum = g_new0 (double, (gsize) MAX (M, 1) * K);
  sc.count = g_new0 (double, (gsize) MAX (M, 1) * K);
  sc.touched = g_new0 (guint8, (gsize) MAX (M, 1) * K);
  sc.touched_list = g_array_new (FALSE, FALSE, sizeof (guint));
  sc.wins = g_new0 (double, (gsize) MAX (M, 1) * MAX (M, 1));
  sc.games = g_new0 (double, (gsize) MAX (M, 1) * MAX (M, 1));
  set_raters = g_new0 (guint, MAX (n_sets, 1));
  set_last = g_new0 (guint, MAX (n_sets, 1));
  option_hits = g_new0 (guint, MAX (total_options, 1));
  judged_candidates = g_new0 (guint64, MAX (M, 1));
  cmp_wins = g_new0 (double, (gsize) MAX (M, 1) * MAX (M, 1));
  cmp_games = g_new0 (double, (gsize) MAX (M, 1) * MAX (M, 1));
  rank_wins = g_new0 (double, (gsize) MAX (M, 1) * MAX (M, 1));
  rank_games = g_new0 (double, (gsize) MAX (M, 1) * MAX (M, 1));

  for (guint s = 0; s < data->n_sources; s++)
    {
      if ((s & 0xfff) == 0 && g_cancellable_is_cancelled (cancellable))
        break;

      for (guint i = data->source_offsets[s]; i < data->source_offsets[s + 1]; i++)
        {
          guint c = data->source_candidates[i];
          guint m = data->candidate_model[c];
          guint n_judged = 0;
          double score_sum[64];
          guint score_n[64];
          double distance = 0.0, rate = 0.0;
          guint n_corrections = 0;

          for (guint j = data->judged_offsets[c]; j < data->judged_offsets[c + 1]; j++)
            if (coder_of[data->judged[j]] != NONE)
              n_judged++;
          if (n_judged == 0)
            continue;
          judged_candidates[m]++;

          /* scores: the candidate's mean over its raters */
          for (guint k = 0; k < n_criteria; k += 64)
            {
              guint top = MIN (n_criteria, k + 64);

              for (guint q = k; q < top; q++)
                {
                  score_sum[q - k] = 0.0;
                  score_n[q - k] = 0;
                }
              for (guint r = data->score_offsets[c]; r < data->score_offsets[c + 1]; r++)
                {
                  const ScoreRow *row = &g_array_index (data->scores, ScoreRow, r);

                  if (coder_of[row->annotator] == NONE || row->criterion < k ||
                      row->criterion >= top)
                    continue;
                  score_sum[row->criterion - k] += row->value;
                  score_n[row->criterion - k]++;
                }
              for (guint q = k; q < top; q++)
                if (score_n[q - k] > 0)
                  cell_add (&sc, m, q, score_sum[q - k] / score_n[q - k], 1.0);
            }

          /* label rates: the share of the set's raters giving each option */
          memset (set_raters, 0, sizeof (guint) * n_sets);
          for (guint q = 0; q < n_sets; q++)
            set_last[q] = NONE;
          memset (option_hits, 0, sizeof (guint) * total_options);
          for (guint r = data->label_offsets[c]; r < data->label_offsets[c + 1]; r++)
            {
              const LabelRow *row = &g_array_index (data->labels, LabelRow, r);

              if (coder_of[row->annotator] == NONE)
                continue;
              if (set_last[row->set] != row->annotator)
                {
                  set_last[row->set] = row->annotator;
                  set_raters[row->set]++;
                }
              option_hits[option_first[row->set] + row->option]++;
            }
          for (guint q = 0; q < n_sets; q++)
            {
              AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, q);

              if (set->scope != ASSAY_SCOPE_CANDIDATE || set_raters[q] == 0)
                continue;
              for (guint o = 0; o < set->options->len; o++)
                cell_add (&sc, m, label_base[q] + o,
                          (double) option_hits[option_first[q] + o] / set_raters[q], 1.0);
            }

          /* span labels: shares among the spans, and spans per rater */
          memset (option_hits, 0, sizeof (guint) * total_options);
          for (guint r = data->span_offsets[c]; r < data->span_offsets[c + 1]; r++)
            {
              const SpanRow *row = &g_array_index (data->spans, SpanRow, r);

              if (coder_of[row->annotator] != NONE)
                option_hits[option_first[row->set] + row->option]++;
            }
          for (guint q = 0; q < n_sets; q++)
            {
              AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, q);
              guint in_set = 0, raters = 0;

              if (set->scope != ASSAY_SCOPE_SPAN)
                continue;
              for (guint o = 0; o < set->options->len; o++)
                in_set += option_hits[option_first[q] + o];
              for (guint j = data->judged_offsets[c]; j < data->judged_offsets[c + 1]; j++)
                {
                  guint a = data->judged[j];

                  if (coder_of[a] != NONE && data->uses_set[(gsize) a * n_sets + q])
                    raters++;
                }
              for (guint o = 0; o < set->options->len; o++)
                {
                  if (in_set > 0)
                    cell_add (&sc, m, span_share_base[q] + o,
                              option_hits[option_first[q] + o], in_set);
                  if (raters > 0)
                    cell_add (&sc, m, span_rate_base[q] + o,
                              (double) option_hits[option_first[q] + o] / raters, 1.0);
                }
            }

          /* corrections */
          for (guint r = data->correction_offsets[c]; r < data->correction_offsets[c + 1]; r++)
            {
              const CorrectionRow *row = &g_array_index (data->corrections, CorrectionRow, r);

              if (coder_of[row->annotator] == NONE)
                continue;
              distance += row->distance;
              rate += (double) row->distance / MAX (row->words, 1u);
              n_corrections++;
            }
          if (n_corrections > 0)
            {
              cell_add (&sc, m, edit_metric, distance / n_corrections, 1.0);
              cell_add (&sc, m, edit_rate_metric, rate / n_corrections, 1.0);
            }
        }

      /* comparisons of this source, then its rankings broken into pairs */
      while (cmp_cursor < data->comparisons->len &&
             g_array_index (data->comparisons, ComparisonRow, cmp_cursor).source < s)
        cmp_cursor++;
      for (; cmp_cursor < data->comparisons->len; cmp_cursor++)
        {
          const ComparisonRow *row = &g_array_index (data->comparisons, ComparisonRow, cmp_cursor);
          guint ma, mb;

          if (row->source != s)
            break;
          ma = data->candidate_model[row->first];
          mb = data->candidate_model[row->second];
          if (coder_of[row->annotator] == NONE || ma == mb)
            continue;
          if (row->outcome == OUTCOME_FIRST)
            {
              pair_add (&sc, ma, mb, 1.0);
              origin_add (cmp_wins, cmp_games, M, ma, mb, 1.0);
            }
          else if (row->outcome == OUTCOME_SECOND)
            {
              pair_add (&sc, mb, ma, 1.0);
              origin_add (cmp_wins, cmp_games, M, mb, ma, 1.0);
            }
          else
            {
              pair_add (&sc, ma, mb, 0.5);
              origin_add (cmp_wins, cmp_games, M, ma, mb, 0.5);
            }
        }
      while (rank_cursor < data->rankings->len &&
             g_array_index (data->rankings, RankRow, rank_cursor).source < s)
        rank_cursor++;
      while (rank_cursor < data->rankings->len &&
             g_array_index (data->rankings, RankRow, rank_cursor).source == s)
        {
          const RankRow *rows = &g_array_index (data->rankings, RankRow, 0);
          guint first = rank_cursor, last = rank_cursor;

          while (last < data->rankings->len && rows[last].source == s &&
                 rows[last].annotator == rows[first].annotator)
            last++;
          rank_cursor = last;
          if (coder_of[rows[first].annotator] == NONE)
            continue;
          for (guint x = first; x < last; x++)
            for (guint y = x + 1; y < last; y++)
              {
                guint mx = data->candidate_model[rows[x].candidate];
                guint my = data->candidate_model[rows[y].candidate];

                if (mx == my)
                  continue;
                if (rows[x].rank < rows[y].rank)
                  {
                    pair_add (&sc, mx, my, 1.0);
                    origin_add (rank_wins, rank_games, M, mx, my, 1.0);
                  }
                else if (rows[x].rank > rows[y].rank)
                  {
                    pair_add (&sc, my, mx, 1.0);
                    origin_add (rank_wins, rank_games, M, my, mx, 1.0);
                  }
                else
                  {
                    pair_add (&sc, mx, my, 0.5);
                    origin_add (rank_wins, rank_games, M, mx, my, 0.5);
                  }
              }
        }

      /* flush this source's cells */
      for (guint t = 0; t < sc.touched_list->len; t++)
        {
          guint i = g_array_index (sc.touched_list, guint, t);
          AssayMetricCell cell = { s, i / K, i % K, sc.sum[i], sc.count[i] };

          g_array_append_val (cells, cell);
          sc.sum[i] = sc.count[i] = 0.0;
          sc.touched[i] = 0;
        }
      g_array_set_size (sc.touched_list, 0);
      for (guint a = 0; a < M; a++)
        for (guint b = a + 1; b < M; b++)
          {
            double n = sc.games[(gsize) a * M + b] + sc.games[(gsize) b * M + a];

            if (n > 0.0)
              {
                /* a tie was recorded once, as half a win for the first */
                double wins_a = sc.wins[(gsize) a * M + b] +
                                (sc.games[(gsize) b * M + a] - sc.wins[(gsize) b * M + a]);
                AssayPairCell pair = { s, a, b, wins_a, n };

                g_array_append_val (pair_cells, pair);
              }
            sc.wins[(gsize) a * M + b] = sc.wins[(gsize) b * M + a] = 0.0;
            sc.games[(gsize) a * M + b] = sc.games[(gsize) b * M + a] = 0.0;
          }
    }

  g_free (sc.sum);
  g_free (sc.count);
  g_free (sc.touched);
  g_array_unref (sc.touched_list);
  g_free (sc.wins);
  g_free (sc.games);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  input.n_sources = data->n_sources;
  input.n_models = M;
  input.n_metrics = K;
  input.cells = (const AssayMetricCell *) cells->data;
  input.n_cells = cells->len;
  input.pairs = (const AssayPairCell *) pair_cells->data;
  input.n_pairs = pair_cells->len;
  input.n_overall = n_criteria;
  input.overall_metrics = overall_metrics;
  input.overall_weights = overall_weights;
  input.overall_min = overall_min;
  input.overall_max = overall_max;
  input.bt_prior = board->bt_prior;
  if (!assay_leaderboard_compute (&input, board->n_samples, board->seed, board->level, &result,
                                  cancellable, error))
    return NULL;

  /* The strengths: penalised, or the MLE if it exists. */
  board->bt_exists = TRUE;
  if (board->bt_prior == 0.0 && pair_cells->len > 0)
    {
      g_autofree gboolean *unbeaten = g_new0 (gboolean, MAX (M, 1));

      board->bt_exists = assay_bradley_terry_mle_exists (M, result.wins, unbeaten);
      if (!board->bt_exists)
        {
          board->bt_unbeaten = g_ptr_array_new_with_free_func (g_free);
          for (guint m = 0; m < M; m++)
            if (unbeaten[m])
              g_ptr_array_add (board->bt_unbeaten, g_strdup (g_ptr_array_index (data->models, m)));
        }
    }

  /* Models some counted annotator judged, best first. */
  any_pairs = FALSE;
  for (guint m = 0; m < M; m++)
    any_pairs = any_pairs || !isnan (result.strength[m].value);
  board->ranked_by = options != NULL ? options->rank_by : ASSAY_RANK_AUTO;
  if (board->ranked_by == ASSAY_RANK_AUTO)
    board->ranked_by = any_pairs ? ASSAY_RANK_STRENGTH : ASSAY_RANK_OVERALL;
  board->ranked_by_strength = board->ranked_by == ASSAY_RANK_STRENGTH;
  keys = g_new0 (RankKey, MAX (M, 1));
  for (guint m = 0; m < M; m++)
    {
      AssayModelStanding *standing;
      double played = 0.0;

      for (guint j = 0; j < M; j++)
        played += result.games[(gsize) m * M + j];
      if (judged_candidates[m] == 0 && played == 0.0)
        continue;

      standing = g_new0 (AssayModelStanding, 1);
      standing->model = g_strdup (g_ptr_array_index (data->models, m));
      standing->n_candidates = judged_candidates[m];
      standing->overall = result.overall[m];
      standing->strength = result.strength[m];
      standing->win_rate = result.win_rate[m];
      standing->metrics = g_memdup2 (&result.metrics[(gsize) m * K],
                                     sizeof (AssayEstimate) * MAX (K, 1));
      /* the model index rides in `rank` until the order is known */
      standing->rank = m;
      keys[n_kept].standing = standing;
      keys[n_kept].by = board->ranked_by;
      n_kept++;
    }
  qsort (keys, n_kept, sizeof (RankKey), compare_standings);

  order = g_new (guint, MAX (n_kept, 1));
  board->wins = g_new0 (double, (gsize) MAX (n_kept, 1) * MAX (n_kept, 1));
  board->games = g_new0 (double, (gsize) MAX (n_kept, 1) * MAX (n_kept, 1));
  board->comparison_wins = g_new0 (double, (gsize) MAX (n_kept, 1) * MAX (n_kept, 1));
  board->comparison_games = g_new0 (double, (gsize) MAX (n_kept, 1) * MAX (n_kept, 1));
  board->ranking_wins = g_new0 (double, (gsize) MAX (n_kept, 1) * MAX (n_kept, 1));
  board->ranking_games = g_new0 (double, (gsize) MAX (n_kept, 1) * MAX (n_kept, 1));
  for (guint i = 0; i < n_kept; i++)
    {
      order[i] = keys[i].standing->rank;
      keys[i].standing->rank = i + 1;
      g_ptr_array_add (board->models, keys[i].standing);
    }
  for (guint i = 0; i < n_kept; i++)
    for (guint j = 0; j < n_kept; j++)
      {
        gsize from = (gsize) order[i] * M + order[j], to = (gsize) i * n_kept + j;

        board->wins[to] = result.wins[from];
        board->games[to] = result.games[from];
        board->comparison_wins[to] = cmp_wins[from];
        board->comparison_games[to] = cmp_games[from];
        board->ranking_wins[to] = rank_wins[from];
        board->ranking_games[to] = rank_games[from];
      }

  assay_leaderboard_result_clear (&result);
  return g_steal_pointer (&board);
}

/* ---- JSON ---- */

static json_t *
json_number (double value)
{
  return isfinite (value) ? json_real (value) : json_null ();
}

static json_t *
json_estimate (const AssayEstimate *e)
{
  json_t *obj = json_object ();

  json_object_set_new (obj, "value", json_number (e->value));
  json_object_set_new (obj, "low", json_number (e->low));
  json_object_set_new (obj, "high", json_number (e->high));
  json_object_set_new (obj, "n", json_number (e->n));
  json_object_set_new (obj, "sources", json_integer (e->n_sources));
  /* Why there is no interval, when there is a value. */
  if (isfinite (e->value) && !isfinite (e->low))
    json_object_set_new (obj, "no_interval",
                         json_string (e->n_sources < ASSAY_INTERVAL_MIN_SOURCES
                                      ? "too-few-sources" : "undefined"));
  return obj;
}

static json_t *
json_annotators (GPtrArray *annotators)
{
  json_t *array = json_array ();

  for (guint i = 0; i < annotators->len; i++)
    {
      AssayStatsAnnotator *a = g_ptr_array_index (annotators, i);
      json_t *obj = json_object ();

      json_object_set_new (obj, "id", json_string (a->ext_id));
      json_object_set_new (obj, "name", json_string (a->name));
      json_object_set_new (obj, "kind", json_string (assay_annotator_kind_to_string (a->kind)));
      json_array_append_new (array, obj);
    }
  return array;
}

static const char *
annotator_ext (AssayAgreementReport *report,
               guint                 index)
{
  return ((AssayStatsAnnotator *) g_ptr_array_index (report->annotators, index))->ext_id;
}

static void
json_reliability (json_t                       *obj,
                  AssayAgreementReport         *report,
                  const AssayReliabilityResult *r,
                  gboolean                      numeric,
                  gboolean                      with_pairs)
{
  json_object_set_new (obj, "units", json_integer (r->n_units));
  json_object_set_new (obj, "values", json_integer (r->n_values));
  json_object_set_new (obj, "agreement", json_number (r->agreement));
  if (numeric)
    json_object_set_new (obj, "within_one", json_number (r->within_one));
  json_object_set_new (obj, "alpha_nominal", json_number (r->alpha_nominal));
  if (numeric)
    {
      json_object_set_new (obj, "alpha_ordinal", json_number (r->alpha_ordinal));
      json_object_set_new (obj, "alpha_interval", json_number (r->alpha_interval));
      json_object_set_new (obj, "alpha_ratio", json_number (r->alpha_ratio));
    }
  json_object_set_new (obj, "fleiss_kappa", json_number (r->fleiss_kappa));
  json_object_set_new (obj, "fleiss_raters", json_integer (r->fleiss_raters));
  json_object_set_new (obj, "fleiss_units", json_integer (r->fleiss_units));
  json_object_set_new (obj, "mean_kappa", json_number (r->mean_kappa));
  if (numeric)
    json_object_set_new (obj, "mean_weighted_kappa", json_number (r->mean_weighted_kappa));

  if (with_pairs)
    {
      json_t *pairs = json_array ();

      for (guint i = 0; i < r->pairs->len; i++)
        {
          const AssayPairAgreement *p = &g_array_index (r->pairs, AssayPairAgreement, i);
          json_t *jp = json_object ();

          json_object_set_new (jp, "a", json_string (annotator_ext (report, p->coder_a)));
          json_object_set_new (jp, "b", json_string (annotator_ext (report, p->coder_b)));
          json_object_set_new (jp, "units", json_integer (p->n_units));
          json_object_set_new (jp, "agreement", json_number (p->agreement));
          json_object_set_new (jp, "kappa", json_number (p->kappa));
          if (numeric)
            {
              json_object_set_new (jp, "weighted_kappa", json_number (p->weighted_kappa));
              json_object_set_new (jp, "within_one", json_number (p->within_one));
            }
          json_array_append_new (pairs, jp);
        }
      json_object_set_new (obj, "pairs", pairs);
    }
}

static json_t *
json_per_source (AssayAgreementReport *report,
                 GArray               *sources)
{
  json_t *array = json_array ();
  AssayStatsData *data = report->data;

  for (guint i = 0; i < sources->len; i++)
    {
      AssaySourceConcordance *sc = &g_array_index (sources, AssaySourceConcordance, i);
      json_t *obj = json_object ();
      guint lo = 0, hi = data->n_sources;

      while (lo < hi)
        {
          guint mid = lo + (hi - lo) / 2;

          if (data->source_ids[mid] < sc->source_id)
            lo = mid + 1;
          else
            hi = mid;
        }
      json_object_set_new (obj, "source", json_string (data->source_ext[lo]));
      json_object_set_new (obj, "rankings", json_integer (sc->n_rankings));
      json_object_set_new (obj, "candidates", json_integer (sc->n_candidates));
      json_object_set_new (obj, "kendall_w", json_number (sc->kendall_w));
      json_array_append_new (array, obj);
    }
  return array;
}

static const char * const stat_kind_names[] = {
  "labels", "spans", "criterion", "ranking", "comparison", "correction",
};

const char *
assay_agreement_stat_unit (const AssayAgreementStat *stat)
{
  g_return_val_if_fail (stat != NULL, NULL);

  switch (stat->kind)
    {
    case ASSAY_STAT_LABELS:
      return stat->multi ? "candidate-option" : "candidate";
    case ASSAY_STAT_SPANS:
      return "word";
    case ASSAY_STAT_CRITERION:
      return "candidate";
    case ASSAY_STAT_RANKING:
      return "source";
    case ASSAY_STAT_COMPARISON:
    default:
      return "pair";
    }
}

json_t *
assay_agreement_report_to_json (AssayAgreementReport *report)
{
  json_t *root = json_object ();
  json_t *stats = json_array ();
  json_t *items = json_array ();

  g_return_val_if_fail (report != NULL, root);

  json_object_set_new (root, "annotators", json_annotators (report->annotators));
  for (guint i = 0; i < report->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, i);
      json_t *obj = json_object ();

      json_object_set_new (obj, "kind", json_string (stat_kind_names[stat->kind]));
      json_object_set_new (obj, "name", json_string (stat->name));
      if (stat->title != NULL)
        json_object_set_new (obj, "title", json_string (stat->title));
      json_object_set_new (obj, "unit", json_string (assay_agreement_stat_unit (stat)));
      if (stat->kind == ASSAY_STAT_LABELS)
        json_object_set_new (obj, "multi", json_boolean (stat->multi));
      if (stat->kind == ASSAY_STAT_CRITERION)
        {
          json_object_set_new (obj, "min", json_integer (stat->scale_min));
          json_object_set_new (obj, "max", json_integer (stat->scale_max));
        }
      if (stat->has_result)
        json_reliability (obj, report, &stat->result, stat->kind == ASSAY_STAT_CRITERION, TRUE);
      if (stat->options != NULL)
        {
          json_t *options = json_array ();

          for (guint o = 0; o < stat->options->len; o++)
            {
              AssayOptionAgreement *option = g_ptr_array_index (stat->options, o);
              json_t *jo = json_object ();

              json_object_set_new (jo, "name", json_string (option->name));
              json_reliability (jo, report, &option->result, FALSE, FALSE);
              json_array_append_new (options, jo);
            }
          json_object_set_new (obj, "options", options);
        }
      if (stat->kind == ASSAY_STAT_RANKING)
        {
          json_t *pairs = json_array ();

          json_object_set_new (obj, "kendall_w", json_number (stat->kendall_w));
          json_object_set_new (obj, "sources", json_integer (stat->kendall_w_sources));
          json_object_set_new (obj, "tau_b", json_number (stat->tau_b));
          json_object_set_new (obj, "tau_b_pairs", json_integer (stat->tau_b_pairs));
          for (guint p = 0; p < stat->rank_pairs->len; p++)
            {
              AssayRankPair *pair = &g_array_index (stat->rank_pairs, AssayRankPair, p);
              json_t *jp = json_object ();

              json_object_set_new (jp, "a",
                                   json_string (annotator_ext (report, pair->annotator_a)));
              json_object_set_new (jp, "b",
                                   json_string (annotator_ext (report, pair->annotator_b)));
              json_object_set_new (jp, "sources", json_integer (pair->n_sources));
              json_object_set_new (jp, "tau_b", json_number (pair->tau_b));
              json_array_append_new (pairs, jp);
            }
          json_object_set_new (obj, "pairs", pairs);
          json_object_set_new (obj, "per_source", json_per_source (report, stat->sources));
        }
      json_array_append_new (stats, obj);
    }
  json_object_set_new (root, "statistics", stats);
  if (report->has_rubric)
    {
      json_t *rubric = json_object ();

      json_object_set_new (rubric, "unit", json_string ("candidate-criterion"));
      json_object_set_new (rubric, "min", json_integer (report->rubric_min));
      json_object_set_new (rubric, "max", json_integer (report->rubric_max));
      json_reliability (rubric, report, &report->rubric, TRUE, TRUE);
      json_object_set_new (root, "rubric", rubric);
    }
  else
    json_object_set_new (root, "rubric", json_null ());

  for (guint i = 0; i < report->items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (report->items, i);
      json_t *obj = json_object ();
      json_t *units = json_array ();

      json_object_set_new (obj, "source", json_string (item->ext_id));
      json_object_set_new (obj, "title", json_string (item->title));
      json_object_set_new (obj, "disagreement", json_number (item->disagreement));
      for (guint u = 0; u < item->units->len; u++)
        {
          AssayDisagreement *d = &g_array_index (item->units, AssayDisagreement, u);
          AssayAgreementStat *stat = g_ptr_array_index (report->stats, d->stat);
          json_t *ju = json_object ();
          const char *ext = NULL;

          json_object_set_new (ju, "kind", json_string (stat_kind_names[stat->kind]));
          json_object_set_new (ju, "name", json_string (stat->name));
          if (d->candidate_id != 0 &&
              assay_stats_data_describe_candidate (report->data, d->candidate_id, &ext, NULL, NULL))
            json_object_set_new (ju, "candidate", json_string (ext));
          if (stat->kind == ASSAY_STAT_COMPARISON &&
              assay_stats_data_describe_candidate (report->data, d->other_id, &ext, NULL, NULL))
            json_object_set_new (ju, "other", json_string (ext));
          if (stat->kind == ASSAY_STAT_LABELS && stat->multi)
            {
              AssayLabelSet *set = assay_template_find_label_set (report->data->tmpl, stat->name);

              for (guint o = 0; set != NULL && o < set->options->len; o++)
                {
                  AssayLabelOption *option = g_ptr_array_index (set->options, o);

                  if (option->id == d->other_id)
                    json_object_set_new (ju, "option", json_string (option->name));
                }
            }
          if (d->start >= 0)
            {
              json_object_set_new (ju, "start", json_integer (d->start));
              json_object_set_new (ju, "end", json_integer (d->end));
            }
          json_object_set_new (ju, "disagreement", json_number (d->disagreement));
          json_array_append_new (units, ju);
        }
      json_object_set_new (obj, "units", units);
      json_array_append_new (items, obj);
    }
  json_object_set_new (root, "disagreements", items);

  return root;
}

/* {"win_rate": rows of the row model's share won (null without games),
 *  "comparisons": rows of games} */
static json_t *
json_matrix (const double *wins,
             const double *games,
             guint         n)
{
  json_t *obj = json_object ();
  json_t *rates = json_array ();
  json_t *counts = json_array ();

  for (guint i = 0; i < n; i++)
    {
      json_t *row = json_array ();
      json_t *grow = json_array ();

      for (guint j = 0; j < n; j++)
        {
          double g = games[(gsize) i * n + j];

          json_array_append_new (row, g > 0.0 ? json_real (wins[(gsize) i * n + j] / g)
                                              : json_null ());
          json_array_append_new (grow, json_real (g));
        }
      json_array_append_new (rates, row);
      json_array_append_new (counts, grow);
    }
  json_object_set_new (obj, "win_rate", rates);
  json_object_set_new (obj, "comparisons", counts);
  return obj;
}

static const char * const metric_kind_names[] = {
  "score", "label_rate", "span_share", "span_rate", "edit_distance", "edit_rate",
};

json_t *
assay_leaderboard_to_json (AssayLeaderboard *board)
{
  json_t *root = json_object ();
  json_t *criteria = json_array ();
  json_t *models = json_array ();
  json_t *names = json_array ();
  json_t *matrix = json_object ();
  guint n;

  g_return_val_if_fail (board != NULL, root);

  n = board->models->len;
  json_object_set_new (root, "annotators", json_annotators (board->annotators));
  json_object_set_new (root, "samples", json_integer (board->n_samples));
  json_object_set_new (root, "seed", json_integer ((json_int_t) board->seed));
  json_object_set_new (root, "level", json_real (board->level));
  json_object_set_new (root, "bradley_terry_prior", json_real (board->bt_prior));
  {
    json_t *bt = json_object ();

    json_object_set_new (bt, "prior", json_real (board->bt_prior));
    json_object_set_new (bt, "estimate", json_string (board->bt_prior > 0.0
                                                      ? "penalised" : "maximum-likelihood"));
    json_object_set_new (bt, "exists", json_boolean (board->bt_exists));
    if (board->bt_unbeaten != NULL)
      {
        json_t *unbeaten = json_array ();

        for (guint i = 0; i < board->bt_unbeaten->len; i++)
          json_array_append_new (unbeaten, json_string (g_ptr_array_index (board->bt_unbeaten,
                                                                           i)));
        json_object_set_new (bt, "unbeaten", unbeaten);
      }
    json_object_set_new (root, "bradley_terry", bt);
  }
  json_object_set_new (root, "ranked_by", json_string (assay_rank_by_to_string (board->ranked_by)));
  json_object_set_new (root, "interval_min_sources", json_integer (ASSAY_INTERVAL_MIN_SOURCES));
  for (guint k = 0; k < board->metrics->len; k++)
    {
      AssayMetricInfo *info = g_ptr_array_index (board->metrics, k);
      json_t *obj;

      if (info->kind != ASSAY_METRIC_SCORE)
        continue;
      obj = json_object ();
      json_object_set_new (obj, "name", json_string (info->set));
      json_object_set_new (obj, "min", json_integer (info->scale_min));
      json_object_set_new (obj, "max", json_integer (info->scale_max));
      json_object_set_new (obj, "weight", json_real (info->weight));
      json_array_append_new (criteria, obj);
    }
  json_object_set_new (root, "criteria", criteria);

  for (guint i = 0; i < n; i++)
    {
      AssayModelStanding *standing = g_ptr_array_index (board->models, i);
      json_t *obj = json_object ();
      json_t *jcriteria = json_object ();
      json_t *jlabels = json_object ();
      json_t *jspans = json_object ();
      json_t *jcorrections = json_object ();

      json_object_set_new (obj, "rank", json_integer (standing->rank));
      json_object_set_new (obj, "model", json_string (standing->model));
      json_object_set_new (obj, "candidates", json_integer (standing->n_candidates));
      json_object_set_new (obj, "strength", json_estimate (&standing->strength));
      json_object_set_new (obj, "win_rate", json_estimate (&standing->win_rate));
      json_object_set_new (obj, "overall", json_estimate (&standing->overall));
      for (guint k = 0; k < board->metrics->len; k++)
        {
          AssayMetricInfo *info = g_ptr_array_index (board->metrics, k);
          json_t *set;

          switch (info->kind)
            {
            case ASSAY_METRIC_SCORE:
              json_object_set_new (jcriteria, info->set, json_estimate (&standing->metrics[k]));
              break;
            case ASSAY_METRIC_LABEL_RATE:
              set = json_object_get (jlabels, info->set);
              if (set == NULL)
                json_object_set_new (jlabels, info->set, set = json_object ());
              json_object_set_new (set, info->option, json_estimate (&standing->metrics[k]));
              break;
            case ASSAY_METRIC_SPAN_SHARE:
            case ASSAY_METRIC_SPAN_RATE:
              {
                json_t *option;

                set = json_object_get (jspans, info->set);
                if (set == NULL)
                  json_object_set_new (jspans, info->set, set = json_object ());
                option = json_object_get (set, info->option);
                if (option == NULL)
                  json_object_set_new (set, info->option, option = json_object ());
                json_object_set_new (option,
                                     info->kind == ASSAY_METRIC_SPAN_SHARE ? "share"
                                                                           : "per_candidate",
                                     json_estimate (&standing->metrics[k]));
              }
              break;
            case ASSAY_METRIC_EDIT_DISTANCE:
            case ASSAY_METRIC_EDIT_RATE:
            default:
              json_object_set_new (jcorrections, metric_kind_names[info->kind],
                                   json_estimate (&standing->metrics[k]));
              break;
            }
        }
      json_object_set_new (obj, "criteria", jcriteria);
      json_object_set_new (obj, "labels", jlabels);
      json_object_set_new (obj, "spans", jspans);
      json_object_set_new (obj, "corrections", jcorrections);
      json_array_append_new (models, obj);
      json_array_append_new (names, json_string (standing->model));
    }
  json_object_set_new (root, "models", models);

  {
    json_t *all = json_matrix (board->wins, board->games, n);

    json_object_set_new (matrix, "models", names);
    json_object_set (matrix, "win_rate", json_object_get (all, "win_rate"));
    json_object_set (matrix, "comparisons", json_object_get (all, "comparisons"));
    json_decref (all);
    json_object_set_new (matrix, "from_comparisons",
                         json_matrix (board->comparison_wins, board->comparison_games, n));
    json_object_set_new (matrix, "from_rankings",
                         json_matrix (board->ranking_wins, board->ranking_games, n));
    json_object_set_new (root, "matrix", matrix);
  }

  return root;
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
