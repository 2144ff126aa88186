/* assay-stats-leaderboard.c: the model leaderboard over the snapshot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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
#include "assay-stats-private.h"
#include "assay-template.h"

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
  g_clear_pointer (&board->separations, g_array_unref);
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

/* ---- separation ---- */

/* The per-source differences between models `ma` and `mb` (model indexes
 * of the snapshot): on each source where both have a score, a's minus
 * b's. The score is the overall score (the weighted criteria rescaled to
 * 0..1, weights normalised over the criteria the model has on that
 * source, as for the whole board) or the win rate on that source. */
static GArray *
source_differences (const AssayLeaderboardInput *in,
                    gboolean                     win_rate,
                    guint                        ma,
                    guint                        mb)
{
  GArray *d = g_array_new (FALSE, FALSE, sizeof (double));

  if (!win_rate)
    {
      for (gsize i = 0; i < in->n_cells;)
        {
          guint32 s = in->cells[i].source;
          double total[2] = { 0.0, 0.0 }, weight[2] = { 0.0, 0.0 };

          for (; i < in->n_cells && in->cells[i].source == s; i++)
            {
              const AssayMetricCell *cell = &in->cells[i];
              guint side = cell->model == ma ? 0 : 1;

              if ((cell->model != ma && cell->model != mb) || cell->metric >= in->n_overall ||
                  cell->count <= 0.0)
                continue;
              /* criteria are the first metrics, in order */
              g_assert (in->overall_metrics[cell->metric] == cell->metric);
              if (in->overall_weights[cell->metric] <= 0.0)
                continue;
              total[side] += in->overall_weights[cell->metric] *
                             (cell->sum / cell->count - in->overall_min[cell->metric]) /
                             (in->overall_max[cell->metric] - in->overall_min[cell->metric]);
              weight[side] += in->overall_weights[cell->metric];
            }
          if (weight[0] > 0.0 && weight[1] > 0.0)
            {
              double v = total[0] / weight[0] - total[1] / weight[1];

              g_array_append_val (d, v);
            }
        }
      return d;
    }

  for (gsize i = 0; i < in->n_pairs;)
    {
      guint32 s = in->pairs[i].source;
      double wins[2] = { 0.0, 0.0 }, games[2] = { 0.0, 0.0 };

      for (; i < in->n_pairs && in->pairs[i].source == s; i++)
        {
          const AssayPairCell *pair = &in->pairs[i];
          guint models[2] = { ma, mb };

          for (guint side = 0; side < 2; side++)
            if (pair->model_a == models[side])
              {
                wins[side] += pair->wins_a;
                games[side] += pair->n;
              }
            else if (pair->model_b == models[side])
              {
                wins[side] += pair->n - pair->wins_a;
                games[side] += pair->n;
              }
        }
      if (games[0] > 0.0 && games[1] > 0.0)
        {
          double v = wins[0] / games[0] - wins[1] / games[1];

          g_array_append_val (d, v);
        }
    }
  return d;
}

const char *
assay_separation_verdict_get_label (AssaySeparationVerdict verdict)
{
  switch (verdict)
    {
    case ASSAY_SEPARATION_SEPARATED:
      return _("Separated");
    case ASSAY_SEPARATION_NOT_SEPARATED:
      return _("Not separated");
    case ASSAY_SEPARATION_CANNOT_TELL:
    default:
      return _("Cannot tell");
    }
}

char *
assay_leaderboard_describe_separation (AssayLeaderboard *board,
                                       guint             pair)
{
  const AssayModelSeparation *p;
  const AssaySeparation *sep;
  const char *better, *worse, *score;
  double percent;

  g_return_val_if_fail (board != NULL && board->separations != NULL, NULL);
  g_return_val_if_fail (pair < board->separations->len, NULL);

  p = &g_array_index (board->separations, AssayModelSeparation, pair);
  sep = &p->separation;
  better = ((AssayModelStanding *) g_ptr_array_index (board->models, p->better))->model;
  worse = ((AssayModelStanding *) g_ptr_array_index (board->models, p->worse))->model;
  score = board->separation_score == ASSAY_RANK_OVERALL ? _("overall score") : _("win rate");
  percent = 100.0 * board->level;

  switch (sep->verdict)
    {
    case ASSAY_SEPARATION_SEPARATED:
      /* TRANSLATORS: "m1 is ahead of m2 on 12 sources: the overall score
       * differs by 0.310, 95% interval 0.200 to 0.420." */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s is ahead of %s on %u source: the %s differs by "
                                           "%.3f, %.0f%% interval %.3f to %.3f.",
                                           "%s is ahead of %s on %u sources: the %s differs by "
                                           "%.3f, %.0f%% interval %.3f to %.3f.",
                                           sep->n_sources),
                              better, worse, sep->n_sources, score, sep->difference, percent,
                              sep->low, sep->high);
    case ASSAY_SEPARATION_NOT_SEPARATED:
      /* TRANSLATORS: "m2 and m3 are not separated on 12 sources: the win
       * rate differs by 0.020, 95% interval -0.050 to 0.090. About 85 more
       * reviewed sources would separate them at this difference and
       * spread (80% power)." */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s and %s are not separated on %u sources: the %s "
                                           "differs by %.3f, %.0f%% interval %.3f to %.3f. "
                                           "About %" G_GUINT64_FORMAT " more reviewed source "
                                           "would separate them at this difference and spread "
                                           "(%.0f%% power).",
                                           "%s and %s are not separated on %u sources: the %s "
                                           "differs by %.3f, %.0f%% interval %.3f to %.3f. "
                                           "About %" G_GUINT64_FORMAT " more reviewed sources "
                                           "would separate them at this difference and spread "
                                           "(%.0f%% power).",
                                           sep->more),
                              better, worse, sep->n_sources, score, sep->difference, percent,
                              sep->low, sep->high, sep->more, 100.0 * board->separation_power);
    case ASSAY_SEPARATION_CANNOT_TELL:
    default:
      if (sep->reason == ASSAY_SEPARATION_REASON_NO_DIFFERENCE)
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Cannot tell %s and %s apart: their %s is the same "
                                             "on the %u source both have, so no number of "
                                             "sources can be estimated.",
                                             "Cannot tell %s and %s apart: their %s is the same "
                                             "on average over the %u sources both have, so no "
                                             "number of sources can be estimated.",
                                             sep->n_sources),
                                better, worse, score, sep->n_sources);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Cannot tell %s and %s apart yet: %u source has a %s "
                                           "for both, and an interval needs %d.",
                                           "Cannot tell %s and %s apart yet: %u sources have a "
                                           "%s for both, and an interval needs %d.",
                                           sep->n_sources),
                              better, worse, sep->n_sources, score, ASSAY_INTERVAL_MIN_SOURCES);
    }
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
  if (!_assay_stats_select_annotators (data, options,
                                       assay_stats_kinds_by_default (ASSAY_STATS_PERSONS),
                                       coder_of, &board->annotators, error))
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
          const RankRow *rows = (const RankRow *) (gpointer) data->rankings->data;
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

  /* Neighbours in the order: separated or not, and how many more sources. */
  board->separation_score = board->ranked_by == ASSAY_RANK_OVERALL ? ASSAY_RANK_OVERALL
                                                                   : ASSAY_RANK_WIN_RATE;
  board->separation_power = ASSAY_SEPARATION_POWER;
  board->separations = g_array_new (FALSE, TRUE, sizeof (AssayModelSeparation));
  for (guint i = 0; i + 1 < n_kept; i++)
    {
      g_autoptr(GArray) d = source_differences (&input,
                                                board->separation_score == ASSAY_RANK_WIN_RATE,
                                                order[i], order[i + 1]);
      AssayModelSeparation pair = { i, i + 1, };

      if (!assay_separation_compute ((const double *) (gpointer) d->data, d->len,
                                     board->n_samples, board->seed, board->level,
                                     board->separation_power, &pair.separation, cancellable,
                                     error))
        {
          assay_leaderboard_result_clear (&result);
          return NULL;
        }
      g_array_append_val (board->separations, pair);
    }

  assay_leaderboard_result_clear (&result);
  return g_steal_pointer (&board);
}

