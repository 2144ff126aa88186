/* assay-stats-informative.c: which unreviewed sources would tell the
 * unseparated models apart soonest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "assay-stats.h"
#include "assay-stats-private.h"

typedef struct
{
  gint64  id;
  guint   tier;       /* 0 first */
  double  signal;     /* tier 0: larger first */
  guint64 key;        /* the seeded random order within a tier */
} Entry;

static int
compare_entries (const void *a,
                 const void *b)
{
  const Entry *x = a, *y = b;

  if (x->tier != y->tier)
    return x->tier < y->tier ? -1 : 1;
  if (x->tier == 0 && x->signal != y->signal)
    return x->signal > y->signal ? -1 : 1;
  if (x->tier == 3)
    return x->id < y->id ? -1 : x->id > y->id;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* A source's place in the random order: a hash of the seed and its id
 * alone (splitmix64's finaliser), so that it is the same on every run and
 * does not move when other sources come or go. */
static guint64
seeded_key (guint64 seed,
            gint64  id)
{
  guint64 z = seed + 0x9E3779B97F4A7C15ull * ((guint64) id + 1);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static guint
model_index (AssayStatsData *data,
             const char     *model)
{
  for (guint m = 0; m < data->models->len; m++)
    if (g_str_equal (g_ptr_array_index (data->models, m), model))
      return m;
  return NONE;
}

/* What model annotators said of one candidate: their mean rubric score on
 * 0..1 (weighted as the overall score is; NaN if none scored it) and the
 * labelled spans they marked (pre-check findings, suggested spans). */
static void
model_view (AssayStatsData *data,
            guint           c,
            double         *quality,
            guint          *findings)
{
  AssayTemplate *tmpl = data->tmpl;
  double total = 0.0, weight = 0.0;

  for (guint r = data->score_offsets[c]; r < data->score_offsets[c + 1]; r++)
    {
      const ScoreRow *row = &g_array_index (data->scores, ScoreRow, r);
      AssayCriterion *criterion;

      if (data->annotator_kinds[row->annotator] != ASSAY_ANNOTATOR_MODEL)
        continue;
      criterion = g_ptr_array_index (tmpl->criteria, row->criterion);
      if (criterion->weight <= 0.0 || criterion->max <= criterion->min)
        continue;
      total += criterion->weight * (row->value - criterion->min) /
               (double) (criterion->max - criterion->min);
      weight += criterion->weight;
    }
  *quality = weight > 0.0 ? total / weight : NAN;

  *findings = 0;
  for (guint r = data->span_offsets[c]; r < data->span_offsets[c + 1]; r++)
    {
      const SpanRow *row = &g_array_index (data->spans, SpanRow, r);

      if (data->annotator_kinds[row->annotator] == ASSAY_ANNOTATOR_MODEL)
        (*findings)++;
    }
}

GArray *
assay_stats_informative_order (AssayStatsData   *data,
                               AssayLeaderboard *board,
                               guint64           seed)
{
  g_autofree gboolean *counted = NULL;
  g_autofree guint *pair_a = NULL;
  g_autofree guint *pair_b = NULL;
  g_autofree Entry *entries = NULL;
  guint n_pairs = 0;
  GArray *order;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (board != NULL, NULL);

  /* Whose work makes a source reviewed: the annotators the board counts. */
  counted = g_new0 (gboolean, MAX (data->n_annotators, 1));
  for (guint i = 0; i < board->annotators->len; i++)
    {
      AssayStatsAnnotator *a = g_ptr_array_index (board->annotators, i);

      for (guint k = 0; k < data->n_annotators; k++)
        if (data->annotator_ids[k] == a->id)
          counted[k] = TRUE;
    }

  /* The neighbours the data does not separate yet, as snapshot models. */
  pair_a = g_new0 (guint, MAX (board->separations->len, 1));
  pair_b = g_new0 (guint, MAX (board->separations->len, 1));
  for (guint i = 0; i < board->separations->len; i++)
    {
      const AssayModelSeparation *p = &g_array_index (board->separations,
                                                      AssayModelSeparation, i);
      AssayModelStanding *better = g_ptr_array_index (board->models, p->better);
      AssayModelStanding *worse = g_ptr_array_index (board->models, p->worse);
      guint a = model_index (data, better->model), b = model_index (data, worse->model);

      if (p->separation.verdict == ASSAY_SEPARATION_SEPARATED || a == NONE || b == NONE)
        continue;
      pair_a[n_pairs] = a;
      pair_b[n_pairs] = b;
      n_pairs++;
    }

  entries = g_new0 (Entry, MAX (data->n_sources, 1));
  for (guint s = 0; s < data->n_sources; s++)
    {
      Entry *e = &entries[s];
      gboolean reviewed = FALSE, has_pair = FALSE, has_signal = FALSE;
      double signal = 0.0;

      e->id = data->source_ids[s];
      e->key = seeded_key (seed, e->id);
      for (guint i = data->source_offsets[s]; i < data->source_offsets[s + 1] && !reviewed; i++)
        {
          guint c = data->source_candidates[i];

          for (guint j = data->judged_offsets[c]; j < data->judged_offsets[c + 1]; j++)
            if (counted[data->judged[j]])
              reviewed = TRUE;
        }
      if (reviewed)
        {
          e->tier = 3;
          continue;
        }

      for (guint p = 0; p < n_pairs; p++)
        {
          double q[2] = { 0.0, 0.0 };
          guint nq[2] = { 0, 0 }, found[2] = { 0, 0 }, nc[2] = { 0, 0 };

          for (guint i = data->source_offsets[s]; i < data->source_offsets[s + 1]; i++)
            {
              guint c = data->source_candidates[i];
              guint m = data->candidate_model[c];
              guint side = m == pair_a[p] ? 0 : m == pair_b[p] ? 1 : 2;
              double quality;
              guint findings;

              if (side == 2)
                continue;
              nc[side]++;
              model_view (data, c, &quality, &findings);
              if (!isnan (quality))
                {
                  q[side] += quality;
                  nq[side]++;
                }
              found[side] += findings;
            }
          if (nc[0] == 0 || nc[1] == 0)
            continue;
          has_pair = TRUE;
          /* The models' own judges think the two differ this much here:
           * the difference of their mean scores (0..1), and of their
           * findings, scaled to 0..1 as well. */
          if (nq[0] > 0 && nq[1] > 0)
            {
              signal += fabs (q[0] / nq[0] - q[1] / nq[1]);
              has_signal = TRUE;
            }
          if (found[0] + found[1] > 0)
            {
              guint most = MAX (found[0], found[1]);

              signal += fabs ((double) found[0] - (double) found[1]) / (1.0 + most);
              has_signal = TRUE;
            }
        }
      e->tier = has_signal ? 0 : has_pair ? 1 : 2;
      e->signal = signal;
    }

  qsort (entries, data->n_sources, sizeof (Entry), compare_entries);
  order = g_array_sized_new (FALSE, FALSE, sizeof (gint64), data->n_sources);
  for (guint s = 0; s < data->n_sources; s++)
    g_array_append_val (order, entries[s].id);
  return order;
}

GArray *
assay_stats_informative_order_for_project (AssayProject  *project,
                                           guint64        seed,
                                           GCancellable  *cancellable,
                                           GError       **error)
{
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayLeaderboard) board = NULL;
  AssayStatsOptions options;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  data = assay_stats_data_load (project, cancellable, error);
  if (data == NULL)
    return NULL;
  /* The leaderboard as the statistics window shows it by default, so that
   * the pairs called unseparated here are the ones it calls so. */
  assay_stats_options_init (&options);
  board = assay_stats_compute_leaderboard (data, &options, cancellable, error);
  if (board == NULL)
    return NULL;
  return assay_stats_informative_order (data, board, seed);
}
