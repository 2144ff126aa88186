/* assay-stats-calibrate.c: how far a judge (an LLM, or one person) can
 * stand in for the experts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One pass over the snapshot, source by source, collects for every
 * candidate label set and criterion the units (candidates, or
 * candidate-options of a multiple-choice set) with each rater's value:
 * the experts', the gold's and each judge's. The judge is then compared
 * with each expert, with the experts' consensus and with the gold, by the
 * same coefficients as the agreement report (AssayReliability with two
 * coders); the experts' own agreement is the ceiling, with a percentile
 * bootstrap over sources (assay_bootstrap) of their mean pairwise alpha.
 * docs/statistics.md, "Judge calibration", defines every number.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-json.h"
#include "assay-project-private.h"
#include "assay-stats.h"
#include "assay-stats-private.h"
#include "assay-template.h"

/* Krippendorff (2004, §11.4): the lowest alpha that supports even
 * tentative conclusions. */
#define CALIBRATION_RELIABLE_ALPHA 0.667

/* ---- small statistics on real values ---- */

static int
compare_index_value (const void *a,
                     const void *b,
                     void       *user_data)
{
  const double *v = user_data;
  double x = v[*(const guint *) a], y = v[*(const guint *) b];

  return (x > y) - (x < y);
}

/* Mid-ranks: tied values share the mean of the ranks they span. */
static void
mid_ranks (const double *v,
           guint         n,
           double       *ranks)
{
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  guint i = 0;

  for (guint k = 0; k < n; k++)
    order[k] = k;
  g_qsort_with_data (order, n, sizeof (guint), compare_index_value, (gpointer) v);
  while (i < n)
    {
      guint j = i + 1;

      while (j < n && v[order[j]] == v[order[i]])
        j++;
      for (guint k = i; k < j; k++)
        ranks[order[k]] = (i + j + 1) / 2.0;   /* ranks i+1 .. j, averaged */
      i = j;
    }
}

static double
pearson (const double *x,
         const double *y,
         guint         n)
{
  double mx = 0.0, my = 0.0, sxy = 0.0, sxx = 0.0, syy = 0.0;

  if (n < 2)
    return NAN;
  for (guint i = 0; i < n; i++)
    {
      mx += x[i];
      my += y[i];
    }
  mx /= n;
  my /= n;
  for (guint i = 0; i < n; i++)
    {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
  if (!(sxx > 0.0) || !(syy > 0.0))
    return NAN;
  return sxy / sqrt (sxx * syy);
}

double
_assay_spearman_rho (const double *x,
                     const double *y,
                     guint         n)
{
  g_autofree double *rx = NULL;
  g_autofree double *ry = NULL;

  if (n < 2)
    return NAN;
  rx = g_new (double, n);
  ry = g_new (double, n);
  mid_ranks (x, n, rx);
  mid_ranks (y, n, ry);
  return pearson (rx, ry, n);
}

/* Two coders, unit weights: the sums the interval alpha needs, so that a
 * bootstrap replicate can weight them by source. */
enum
{
  SUM_UNITS,            /* units */
  SUM_D2,               /* sum of (x - y)^2 */
  SUM_V,                /* sum of x + y */
  SUM_V2,               /* sum of x^2 + y^2 */
  N_INTERVAL_SUMS,
};

/* alpha = 1 - (n - 1) D / (n S - V^2), with n = 2 units the number of
 * values, D the sum of squared differences within units, V and S the sum
 * and the sum of squares of all values: Krippendorff's interval alpha when
 * every unit has the same two coders (docs/statistics.md). */
static double
interval_alpha_from_sums (const double *sums)
{
  double n = 2.0 * sums[SUM_UNITS];
  double spread = n * sums[SUM_V2] - sums[SUM_V] * sums[SUM_V];

  if (n < 2.0 || !(spread > 1e-12 * MAX (1.0, n * sums[SUM_V2])))
    return NAN;
  return 1.0 - (n - 1.0) * sums[SUM_D2] / spread;
}

/* Nominal alpha, two coders: 1 - (n - 1) * 2 * disagreeing units /
 * (n^2 - sum over values of n_c^2). sums: units, disagreeing units, then
 * n_c for each of the n_codes values. */
static double
nominal_alpha_from_sums (const double *sums,
                         guint         n_codes)
{
  double n = 2.0 * sums[0];
  double expected = n * n;

  for (guint c = 0; c < n_codes; c++)
    expected -= sums[2 + c] * sums[2 + c];
  if (n < 2.0 || !(expected > 0.5))
    return NAN;
  return 1.0 - (n - 1.0) * 2.0 * sums[1] / expected;
}

double
_assay_interval_alpha_2 (const double *x,
                         const double *y,
                         guint         n)
{
  double sums[N_INTERVAL_SUMS] = { 0, };

  for (guint i = 0; i < n; i++)
    {
      sums[SUM_UNITS] += 1.0;
      sums[SUM_D2] += (x[i] - y[i]) * (x[i] - y[i]);
      sums[SUM_V] += x[i] + y[i];
      sums[SUM_V2] += x[i] * x[i] + y[i] * y[i];
    }
  return interval_alpha_from_sums (sums);
}

/* 1 - mean (x - y)^2 / ((mean x - mean y)^2 + var x + var y), population
 * variances: the observed mean squared difference over the one expected if
 * the two were paired at random from their own marginals. */
double
_assay_quadratic_kappa_2 (const double *x,
                          const double *y,
                          guint         n)
{
  double mx = 0.0, my = 0.0, vx = 0.0, vy = 0.0, d2 = 0.0, expected;

  if (n == 0)
    return NAN;
  for (guint i = 0; i < n; i++)
    {
      mx += x[i];
      my += y[i];
      d2 += (x[i] - y[i]) * (x[i] - y[i]);
    }
  mx /= n;
  my /= n;
  for (guint i = 0; i < n; i++)
    {
      vx += (x[i] - mx) * (x[i] - mx);
      vy += (y[i] - my) * (y[i] - my);
    }
  expected = (mx - my) * (mx - my) + vx / n + vy / n;
  if (!(expected > 1e-12))
    return NAN;
  return 1.0 - (d2 / n) / expected;
}

/* ---- collecting units ---- */

/* One unit both sides of a comparison rated: the source, then the two
 * values (for criteria, points above the scale's minimum). */
typedef struct
{
  guint32 source;
  double  x;
  double  y;
} Obs;

typedef struct
{
  AssayStatKind kind;
  guint         index;        /* label set or criterion index in the template */
  gboolean      multi;
  gboolean      interval;
  guint         n_codes;
  GArray      **pairs;        /* per pair of experts (a < b): Obs, x = a, y = b */
  GArray      **refs;         /* per judge: n_experts + 2 (consensus, gold) arrays of Obs,
                               * x the judge */

  /* for the bootstrap: one cell per source and pair of experts */
  guint         n_sums;
  GArray       *cell_pair;    /* guint per cell */
  GArray       *cell_source;  /* guint32 per cell */
  GArray       *cell_sums;    /* double, n_sums per cell */
  guint         n_sources;    /* sources with a cell */
} StatAcc;

typedef struct
{
  AssayStatsData *data;
  guint           n_experts;
  guint           n_judges;
  guint           n_pairs;
  guint32        *expert_of;  /* annotator index -> expert, or NONE */
  guint32        *judge_of;
  guint32        *gold_of;
  GArray         *stats;      /* StatAcc */

  /* scratch */
  double         *ev;         /* n_experts values of a unit, NaN for none */
  double         *jv;         /* n_judges */
  double          gv;         /* the gold, NaN for none (or when adjudicators differ) */
  guint          *votes;      /* per code, for the majority label */
} Calibration;

#define N_REFS(cal) ((cal)->n_experts + 2)
#define REF_CONSENSUS(cal) ((cal)->n_experts)
#define REF_GOLD(cal) ((cal)->n_experts + 1)

static void
obs_add (GArray  *array,
         guint32  source,
         double   x,
         double   y)
{
  Obs o = { source, x, y };

  g_array_append_val (array, o);
}

/* The unit's values are in cal->ev, gv and jv: adds what each comparison
 * needs. */
static void
add_unit (Calibration *cal,
          StatAcc     *acc,
          guint32      source)
{
  guint E = cal->n_experts;
  double consensus = NAN;
  guint n_expert_values = 0;

  for (guint e = 0; e < E; e++)
    if (!isnan (cal->ev[e]))
      n_expert_values++;

  if (n_expert_values > 0)
    {
      if (acc->interval)
        {
          double sum = 0.0;

          for (guint e = 0; e < E; e++)
            if (!isnan (cal->ev[e]))
              sum += cal->ev[e];
          consensus = sum / n_expert_values;
        }
      else
        {
          /* the majority label; a tie for the most votes is no consensus */
          guint *votes = cal->votes;
          guint best = 0, n_best = 0;

          memset (votes, 0, sizeof (guint) * acc->n_codes);
          for (guint e = 0; e < E; e++)
            if (!isnan (cal->ev[e]))
              votes[(guint) cal->ev[e]]++;
          for (guint c = 0; c < acc->n_codes; c++)
            if (votes[c] > best)
              {
                best = votes[c];
                n_best = 1;
                consensus = c;
              }
            else if (votes[c] == best && best > 0)
              n_best++;
          if (n_best != 1)
            consensus = NAN;
        }
    }

  for (guint a = 0, p = 0; a < E; a++)
    for (guint b = a + 1; b < E; b++, p++)
      if (!isnan (cal->ev[a]) && !isnan (cal->ev[b]))
        obs_add (acc->pairs[p], source, cal->ev[a], cal->ev[b]);

  for (guint j = 0; j < cal->n_judges; j++)
    {
      GArray **refs = acc->refs + (gsize) j * N_REFS (cal);

      if (isnan (cal->jv[j]))
        continue;
      for (guint e = 0; e < E; e++)
        if (!isnan (cal->ev[e]))
          obs_add (refs[e], source, cal->jv[j], cal->ev[e]);
      if (!isnan (consensus))
        obs_add (refs[REF_CONSENSUS (cal)], source, cal->jv[j], consensus);
      if (!isnan (cal->gv))
        obs_add (refs[REF_GOLD (cal)], source, cal->jv[j], cal->gv);
    }
}

static void
clear_values (Calibration *cal)
{
  for (guint e = 0; e < cal->n_experts; e++)
    cal->ev[e] = NAN;
  for (guint j = 0; j < cal->n_judges; j++)
    cal->jv[j] = NAN;
  cal->gv = NAN;
}

/* Puts an annotator's value where its role says. Two adjudicators who
 * differ leave the unit without gold; a value given twice by one rater
 * (a single-choice set with two options, written by another tool) keeps
 * the lower code, as the agreement report does. */
static void
set_value (Calibration *cal,
           guint32      annotator,
           double       value,
           gboolean    *gold_conflict)
{
  double *slot = NULL;

  if (cal->expert_of[annotator] != NONE)
    slot = &cal->ev[cal->expert_of[annotator]];
  else if (cal->judge_of[annotator] != NONE)
    slot = &cal->jv[cal->judge_of[annotator]];
  else if (cal->gold_of[annotator] != NONE)
    {
      if (!isnan (cal->gv) && cal->gv != value)
        *gold_conflict = TRUE;
      if (isnan (cal->gv))
        cal->gv = value;
      return;
    }
  if (slot != NULL && (isnan (*slot) || value < *slot))
    *slot = value;
}

static void
collect_candidate (Calibration *cal,
                   guint        c)
{
  AssayStatsData *data = cal->data;
  AssayTemplate *tmpl = data->tmpl;
  guint32 source = data->candidate_source[c];
  guint n_sets = tmpl->label_sets->len;

  for (guint k = 0; k < cal->stats->len; k++)
    {
      StatAcc *acc = &g_array_index (cal->stats, StatAcc, k);
      gboolean gold_conflict = FALSE;

      if (acc->kind == ASSAY_STAT_CRITERION)
        {
          AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, acc->index);

          clear_values (cal);
          for (guint i = data->score_offsets[c]; i < data->score_offsets[c + 1]; i++)
            {
              const ScoreRow *row = &g_array_index (data->scores, ScoreRow, i);

              if (row->criterion == acc->index)
                set_value (cal, row->annotator, row->value - criterion->min, &gold_conflict);
            }
          if (gold_conflict)
            cal->gv = NAN;
          add_unit (cal, acc, source);
        }
      else if (!acc->multi)
        {
          clear_values (cal);
          for (guint i = data->label_offsets[c]; i < data->label_offsets[c + 1]; i++)
            {
              const LabelRow *row = &g_array_index (data->labels, LabelRow, i);

              if (row->set == acc->index)
                set_value (cal, row->annotator, row->option, &gold_conflict);
            }
          if (gold_conflict)
            cal->gv = NAN;
          add_unit (cal, acc, source);
        }
      else
        {
          AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, acc->index);

          /* One yes/no unit per option, rated by everyone who judged the
           * candidate and uses the set somewhere. */
          for (guint o = 0; o < set->options->len; o++)
            {
              gold_conflict = FALSE;
              clear_values (cal);
              for (guint i = data->judged_offsets[c]; i < data->judged_offsets[c + 1]; i++)
                {
                  guint32 a = data->judged[i];
                  gboolean chosen = FALSE;

                  if (!data->uses_set[(gsize) a * n_sets + acc->index])
                    continue;
                  for (guint r = data->label_offsets[c]; r < data->label_offsets[c + 1]; r++)
                    {
                      const LabelRow *row = &g_array_index (data->labels, LabelRow, r);

                      if (row->annotator == a && row->set == acc->index && row->option == o)
                        chosen = TRUE;
                    }
                  set_value (cal, a, chosen ? 1.0 : 0.0, &gold_conflict);
                }
              if (gold_conflict)
                cal->gv = NAN;
              add_unit (cal, acc, source);
            }
        }
    }
}

/* ---- the ceiling: cells for the bootstrap ---- */

static void
cell_sums_add (StatAcc     *acc,
               double      *sums,
               const Obs   *o)
{
  sums[0] += 1.0;
  if (acc->interval)
    {
      sums[SUM_D2] += (o->x - o->y) * (o->x - o->y);
      sums[SUM_V] += o->x + o->y;
      sums[SUM_V2] += o->x * o->x + o->y * o->y;
    }
  else
    {
      if (o->x != o->y)
        sums[1] += 1.0;
      sums[2 + (guint) o->x] += 1.0;
      sums[2 + (guint) o->y] += 1.0;
    }
}

/* The observations of a pair come in source order (the pass goes source
 * by source): one cell per run of a source. */
static void
build_cells (Calibration *cal,
             StatAcc     *acc)
{
  g_autofree guint8 *seen = g_new0 (guint8, MAX (cal->data->n_sources, 1));

  acc->n_sums = acc->interval ? N_INTERVAL_SUMS : 2 + acc->n_codes;
  acc->cell_pair = g_array_new (FALSE, FALSE, sizeof (guint));
  acc->cell_source = g_array_new (FALSE, FALSE, sizeof (guint32));
  acc->cell_sums = g_array_new (FALSE, TRUE, sizeof (double));

  for (guint p = 0; p < cal->n_pairs; p++)
    {
      GArray *obs = acc->pairs[p];

      for (guint i = 0; i < obs->len; i++)
        {
          const Obs *o = &g_array_index (obs, Obs, i);
          guint n_cells = acc->cell_pair->len;

          if (i == 0 || o->source != g_array_index (obs, Obs, i - 1).source)
            {
              g_array_append_val (acc->cell_pair, p);
              g_array_append_val (acc->cell_source, o->source);
              g_array_set_size (acc->cell_sums, (gsize) (n_cells + 1) * acc->n_sums);
              n_cells++;
              if (!seen[o->source])
                {
                  seen[o->source] = 1;
                  acc->n_sources++;
                }
            }
          cell_sums_add (acc, &g_array_index (acc->cell_sums, double,
                                              (gsize) (n_cells - 1) * acc->n_sums), o);
        }
    }
}

/* The mean over pairs of experts of their alpha, each source's cells
 * counted `weights[source]` times (all 1: the point estimate). */
static double
mean_pair_alpha (Calibration   *cal,
                 StatAcc       *acc,
                 const guint32 *weights,
                 double        *totals)
{
  double sum = 0.0;
  guint n = 0;

  memset (totals, 0, sizeof (double) * cal->n_pairs * acc->n_sums);
  for (guint i = 0; i < acc->cell_pair->len; i++)
    {
      guint p = g_array_index (acc->cell_pair, guint, i);
      double w = weights != NULL ? weights[g_array_index (acc->cell_source, guint32, i)] : 1.0;
      const double *sums = &g_array_index (acc->cell_sums, double, (gsize) i * acc->n_sums);

      if (w == 0.0)
        continue;
      for (guint s = 0; s < acc->n_sums; s++)
        totals[(gsize) p * acc->n_sums + s] += w * sums[s];
    }
  for (guint p = 0; p < cal->n_pairs; p++)
    {
      const double *t = totals + (gsize) p * acc->n_sums;
      double alpha = acc->interval ? interval_alpha_from_sums (t)
                                   : nominal_alpha_from_sums (t, acc->n_codes);

      if (isfinite (alpha))
        {
          sum += alpha;
          n++;
        }
    }
  return n > 0 ? sum / n : NAN;
}

typedef struct
{
  Calibration *cal;
  gsize        per_stat;      /* doubles of scratch per statistic */
} Replicate;

static void
replicate_ceilings (const guint32 *weights,
                    double        *out,
                    gpointer       scratch,
                    gpointer       user_data)
{
  Replicate *rep = user_data;
  Calibration *cal = rep->cal;

  for (guint k = 0; k < cal->stats->len; k++)
    out[k] = mean_pair_alpha (cal, &g_array_index (cal->stats, StatAcc, k), weights, scratch);
}

/* ---- comparing ---- */

static void
calibration_agreement_clear (AssayCalibrationAgreement *a)
{
  g_clear_pointer (&a->confusion, g_free);
}

/* One comparison: the judge (x) against a reference (y). `integral`: the
 * reference's values are points of the scale or options, so the agreement
 * report's coefficients apply as they are. */
static void
compare (StatAcc                   *acc,
         GArray                    *obs,
         gboolean                   integral,
         AssayCalibrationAgreement *out)
{
  guint n = obs->len;
  g_autofree double *x = g_new (double, MAX (n, 1));
  g_autofree double *y = g_new (double, MAX (n, 1));

  memset (out, 0, sizeof *out);
  out->n_units = n;
  out->alpha = out->kappa = out->rho = out->bias = NAN;
  for (guint i = 0; i < n; i++)
    {
      x[i] = g_array_index (obs, Obs, i).x;
      y[i] = g_array_index (obs, Obs, i).y;
    }

  if (integral)
    {
      g_autofree double *values = g_new (double, acc->n_codes);
      g_autoptr(AssayReliability) r = NULL;
      AssayReliabilityResult result;

      for (guint v = 0; v < acc->n_codes; v++)
        values[v] = v;
      r = assay_reliability_new (2, acc->n_codes, acc->interval ? values : NULL);
      out->confusion = g_new0 (guint64, (gsize) acc->n_codes * acc->n_codes);
      for (guint i = 0; i < n; i++)
        {
          const guint coders[2] = { 0, 1 };
          const guint codes[2] = { (guint) x[i], (guint) y[i] };

          assay_reliability_add_unit (r, coders, codes, 2, 1);
          out->confusion[(gsize) codes[0] * acc->n_codes + codes[1]]++;
        }
      assay_reliability_compute (r, &result);
      out->alpha = acc->interval ? result.alpha_interval : result.alpha_nominal;
      if (result.pairs->len > 0)
        {
          const AssayPairAgreement *pair = &g_array_index (result.pairs, AssayPairAgreement, 0);

          out->kappa = acc->interval ? pair->weighted_kappa : pair->kappa;
        }
      assay_reliability_result_clear (&result);
    }
  else
    {
      out->alpha = _assay_interval_alpha_2 (x, y, n);
      out->kappa = _assay_quadratic_kappa_2 (x, y, n);
    }

  if (acc->interval && n > 0)
    {
      double d = 0.0;

      for (guint i = 0; i < n; i++)
        d += x[i] - y[i];
      out->bias = d / n;
      out->rho = _assay_spearman_rho (x, y, n);
    }
}

static void
calibration_stat_free (AssayCalibrationStat *stat)
{
  g_free (stat->name);
  g_free (stat->title);
  g_strfreev (stat->code_names);
  for (guint e = 0; e < stat->n_experts; e++)
    calibration_agreement_clear (&stat->experts[e]);
  g_free (stat->experts);
  calibration_agreement_clear (&stat->consensus);
  calibration_agreement_clear (&stat->gold);
  g_free (stat);
}

static void
judge_calibration_free (AssayJudgeCalibration *judge)
{
  g_clear_pointer (&judge->stats, g_ptr_array_unref);
  g_free (judge->judge->ext_id);
  g_free (judge->judge->name);
  g_free (judge->judge);
  g_free (judge);
}

void
assay_calibration_report_free (AssayCalibrationReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->experts, g_ptr_array_unref);
  g_clear_pointer (&report->gold, g_ptr_array_unref);
  g_clear_pointer (&report->judges, g_ptr_array_unref);
  g_free (report);
}

static void
calibration_clear (Calibration *cal)
{
  for (guint k = 0; cal->stats != NULL && k < cal->stats->len; k++)
    {
      StatAcc *acc = &g_array_index (cal->stats, StatAcc, k);

      for (guint p = 0; p < cal->n_pairs; p++)
        g_array_unref (acc->pairs[p]);
      for (guint r = 0; r < cal->n_judges * N_REFS (cal); r++)
        g_array_unref (acc->refs[r]);
      g_free (acc->pairs);
      g_free (acc->refs);
      g_clear_pointer (&acc->cell_pair, g_array_unref);
      g_clear_pointer (&acc->cell_source, g_array_unref);
      g_clear_pointer (&acc->cell_sums, g_array_unref);
    }
  g_clear_pointer (&cal->stats, g_array_unref);
  g_free (cal->expert_of);
  g_free (cal->judge_of);
  g_free (cal->gold_of);
  g_free (cal->ev);
  g_free (cal->jv);
  g_free (cal->votes);
}

/* Drops the judge from a list of experts or adjudicators, renumbering. */
static void
drop_judge (GPtrArray *annotators,
            guint32   *role_of,
            guint      n_annotators,
            guint32   *judge_of)
{
  for (guint a = 0; a < n_annotators; a++)
    if (judge_of[a] != NONE && role_of[a] != NONE)
      {
        guint32 gone = role_of[a];

        g_ptr_array_remove_index (annotators, gone);
        role_of[a] = NONE;
        for (guint b = 0; b < n_annotators; b++)
          if (role_of[b] != NONE && role_of[b] > gone)
            role_of[b]--;
      }
}

static AssayStatsAnnotator *
annotator_copy (const AssayStatsAnnotator *a)
{
  AssayStatsAnnotator *copy = g_new0 (AssayStatsAnnotator, 1);

  copy->id = a->id;
  copy->ext_id = g_strdup (a->ext_id);
  copy->name = g_strdup (a->name);
  copy->kind = a->kind;
  return copy;
}

static void
decide (AssayCalibrationStat *stat)
{
  stat->verdict = ASSAY_CALIBRATION_UNDECIDED;
  if (!isfinite (stat->ceiling.value))
    stat->reason = ASSAY_CALIBRATION_NO_EXPERT_PAIR;
  else if (!isfinite (stat->agreement))
    stat->reason = ASSAY_CALIBRATION_NO_COMMON_UNIT;
  else if (stat->ceiling.n_sources < ASSAY_INTERVAL_MIN_SOURCES)
    stat->reason = ASSAY_CALIBRATION_TOO_FEW_SOURCES;
  else if (!isfinite (stat->ceiling.low))
    stat->reason = ASSAY_CALIBRATION_NO_INTERVAL;
  else
    {
      stat->reason = ASSAY_CALIBRATION_DECIDED;
      stat->verdict = stat->agreement >= stat->ceiling.low ? ASSAY_CALIBRATION_STANDS_IN
                                                           : ASSAY_CALIBRATION_FALLS_SHORT;
    }
}

AssayCalibrationReport *
assay_stats_compute_calibration (AssayStatsData           *data,
                                 const AssayStatsOptions  *options,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  g_autoptr(AssayCalibrationReport) report = NULL;
  g_autoptr(GPtrArray) judges = NULL;
  Calibration cal = { NULL, };
  AssayStatsOptions judge_options, expert_options, gold_options;
  AssayTemplate *tmpl;
  guint n_stats, n_samples;
  g_autofree double *low = NULL;
  g_autofree double *high = NULL;
  g_autofree guint *n_defined = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  tmpl = data->tmpl;
  report = g_new0 (AssayCalibrationReport, 1);
  assay_stats_options_init (&judge_options);
  if (options != NULL)
    judge_options = *options;
  report->n_samples = judge_options.n_samples > 0 ? judge_options.n_samples : 1000;
  report->seed = judge_options.seed;
  report->level = judge_options.level > 0.0 && judge_options.level < 1.0 ? judge_options.level
                                                                         : 0.95;
  judge_options.kinds = ASSAY_STATS_MODELS;
  expert_options = judge_options;
  expert_options.annotator = NULL;
  expert_options.kinds = ASSAY_STATS_PERSONS;
  gold_options = expert_options;
  gold_options.kinds = ASSAY_STATS_ADJUDICATORS;

  cal.data = data;
  cal.expert_of = g_new (guint32, MAX (data->n_annotators, 1));
  cal.judge_of = g_new (guint32, MAX (data->n_annotators, 1));
  cal.gold_of = g_new (guint32, MAX (data->n_annotators, 1));
  if (!_assay_stats_select_annotators (data, &judge_options, ASSAY_STATS_MODELS, cal.judge_of,
                                       &judges, error) ||
      !_assay_stats_select_annotators (data, &expert_options, ASSAY_STATS_PERSONS, cal.expert_of,
                                       &report->experts, error) ||
      !_assay_stats_select_annotators (data, &gold_options, ASSAY_STATS_ADJUDICATORS, cal.gold_of,
                                       &report->gold, error))
    {
      calibration_clear (&cal);
      return NULL;
    }
  drop_judge (report->experts, cal.expert_of, data->n_annotators, cal.judge_of);
  drop_judge (report->gold, cal.gold_of, data->n_annotators, cal.judge_of);

  cal.n_experts = report->experts->len;
  cal.n_judges = judges->len;
  cal.n_pairs = cal.n_experts * (cal.n_experts - (cal.n_experts > 0)) / 2;
  cal.ev = g_new (double, MAX (cal.n_experts, 1));
  cal.jv = g_new (double, MAX (cal.n_judges, 1));
  cal.stats = g_array_new (FALSE, TRUE, sizeof (StatAcc));

  /* candidate label sets, then criteria, in template order */
  for (guint s = 0; s < tmpl->label_sets->len; s++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, s);
      StatAcc acc = { ASSAY_STAT_LABELS, s, set->multi, FALSE, 0, };

      if (set->scope != ASSAY_SCOPE_CANDIDATE || set->options->len == 0)
        continue;
      acc.n_codes = set->multi ? 2 : set->options->len;
      g_array_append_val (cal.stats, acc);
    }
  for (guint k = 0; k < tmpl->criteria->len; k++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, k);
      StatAcc acc = { ASSAY_STAT_CRITERION, k, FALSE, TRUE, 0, };

      acc.n_codes = criterion->max - criterion->min + 1;
      g_array_append_val (cal.stats, acc);
    }
  n_stats = cal.stats->len;
  {
    guint max_codes = 1;

    for (guint k = 0; k < n_stats; k++)
      max_codes = MAX (max_codes, g_array_index (cal.stats, StatAcc, k).n_codes);
    cal.votes = g_new (guint, max_codes);
  }
  for (guint k = 0; k < n_stats; k++)
    {
      StatAcc *acc = &g_array_index (cal.stats, StatAcc, k);

      acc->pairs = g_new (GArray *, MAX (cal.n_pairs, 1));
      for (guint p = 0; p < cal.n_pairs; p++)
        acc->pairs[p] = g_array_new (FALSE, FALSE, sizeof (Obs));
      acc->refs = g_new (GArray *, MAX (cal.n_judges * N_REFS (&cal), 1));
      for (guint r = 0; r < cal.n_judges * N_REFS (&cal); r++)
        acc->refs[r] = g_array_new (FALSE, FALSE, sizeof (Obs));
    }

  /* One pass, source by source, so that each pair's units come grouped by
   * source for the bootstrap. */
  for (guint s = 0; s < data->n_sources; s++)
    {
      if ((s & 0xfff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          calibration_clear (&cal);
          return NULL;
        }
      for (guint i = data->source_offsets[s]; i < data->source_offsets[s + 1]; i++)
        collect_candidate (&cal, data->source_candidates[i]);
    }

  /* The ceiling: the experts' mean pairwise alpha and its interval. */
  {
    Replicate rep = { &cal, 0 };
    gsize scratch = 0;

    for (guint k = 0; k < n_stats; k++)
      {
        StatAcc *acc = &g_array_index (cal.stats, StatAcc, k);

        build_cells (&cal, acc);
        scratch = MAX (scratch, (gsize) MAX (cal.n_pairs, 1) * acc->n_sums);
      }
    rep.per_stat = scratch;
    low = g_new (double, MAX (n_stats, 1));
    high = g_new (double, MAX (n_stats, 1));
    n_defined = g_new0 (guint, MAX (n_stats, 1));
    n_samples = cal.n_pairs > 0 ? report->n_samples : 0;
    if (!assay_bootstrap (data->n_sources, n_samples, report->seed, n_stats,
                          scratch * sizeof (double), replicate_ceilings, &rep, report->level,
                          low, high, n_defined, cancellable, error))
      {
        calibration_clear (&cal);
        return NULL;
      }
  }

  report->judges = g_ptr_array_new_with_free_func ((GDestroyNotify) judge_calibration_free);
  for (guint j = 0; j < cal.n_judges; j++)
    {
      AssayJudgeCalibration *jc = g_new0 (AssayJudgeCalibration, 1);

      jc->judge = annotator_copy (g_ptr_array_index (judges, j));
      jc->stats = g_ptr_array_new_with_free_func ((GDestroyNotify) calibration_stat_free);
      g_ptr_array_add (report->judges, jc);

      for (guint k = 0; k < n_stats; k++)
        {
          StatAcc *acc = &g_array_index (cal.stats, StatAcc, k);
          GArray **refs = acc->refs + (gsize) j * N_REFS (&cal);
          AssayCalibrationStat *stat = g_new0 (AssayCalibrationStat, 1);
          g_autofree double *totals = g_new (double, MAX (cal.n_pairs, 1) * acc->n_sums);
          double sum = 0.0;
          guint n = 0;
          double ceiling;

          stat->kind = acc->kind;
          stat->multi = acc->multi;
          stat->n_codes = acc->n_codes;
          stat->code_names = g_new0 (char *, acc->n_codes + 1);
          if (acc->kind == ASSAY_STAT_CRITERION)
            {
              AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, acc->index);

              stat->id = criterion->id;
              stat->name = g_strdup (criterion->name);
              stat->title = g_strdup (criterion->title);
              stat->scale_min = criterion->min;
              stat->scale_max = criterion->max;
              for (guint c = 0; c < acc->n_codes; c++)
                stat->code_names[c] = g_strdup_printf ("%d", criterion->min + (int) c);
            }
          else
            {
              AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, acc->index);

              stat->id = set->id;
              stat->name = g_strdup (set->name);
              stat->title = g_strdup (set->title);
              for (guint c = 0; c < acc->n_codes; c++)
                stat->code_names[c] = acc->multi
                  ? g_strdup (c == 0 ? "no" : "yes")
                  : g_strdup (((AssayLabelOption *) g_ptr_array_index (set->options, c))->name);
            }

          stat->n_experts = cal.n_experts;
          stat->experts = g_new0 (AssayCalibrationAgreement, MAX (cal.n_experts, 1));
          for (guint e = 0; e < cal.n_experts; e++)
            {
              compare (acc, refs[e], TRUE, &stat->experts[e]);
              if (isfinite (stat->experts[e].alpha))
                {
                  sum += stat->experts[e].alpha;
                  n++;
                }
            }
          stat->agreement = n > 0 ? sum / n : NAN;
          /* a mean score is not a point of the scale; a majority label is */
          compare (acc, refs[REF_CONSENSUS (&cal)], !acc->interval, &stat->consensus);
          stat->has_gold = report->gold->len > 0;
          if (stat->has_gold)
            compare (acc, refs[REF_GOLD (&cal)], TRUE, &stat->gold);

          ceiling = mean_pair_alpha (&cal, acc, NULL, totals);
          stat->ceiling.value = ceiling;
          stat->ceiling.low = NAN;
          stat->ceiling.high = NAN;
          stat->ceiling.n = cal.n_pairs;
          stat->ceiling.n_sources = acc->n_sources;
          stat->ceiling.n_replicates = n_defined[k];
          if (isfinite (ceiling) && acc->n_sources >= ASSAY_INTERVAL_MIN_SOURCES)
            {
              stat->ceiling.low = low[k];
              stat->ceiling.high = high[k];
            }
          decide (stat);
          g_ptr_array_add (jc->stats, stat);
        }
    }

  calibration_clear (&cal);
  return g_steal_pointer (&report);
}

const char *
assay_calibration_stat_level (const AssayCalibrationStat *stat)
{
  g_return_val_if_fail (stat != NULL, NULL);

  return stat->kind == ASSAY_STAT_CRITERION ? "interval" : "nominal";
}

/* Two decimals, or three where two would show the judge's agreement equal
 * to an end of the interval it is compared with. */
static int
sentence_digits (const AssayCalibrationStat *stat)
{
  double a = round (stat->agreement * 100.0);

  if (a == round (stat->ceiling.low * 100.0) || a == round (stat->ceiling.high * 100.0))
    return 3;
  return 2;
}

char *
assay_calibration_stat_describe (const AssayCalibrationStat *stat,
                                 const AssayStatsAnnotator  *judge)
{
  const char *who, *what;
  int d;

  g_return_val_if_fail (stat != NULL, NULL);
  g_return_val_if_fail (judge != NULL, NULL);

  who = judge->name != NULL && *judge->name != '\0' ? judge->name : judge->ext_id;
  what = stat->title != NULL && *stat->title != '\0' ? stat->title : stat->name;

  switch (stat->reason)
    {
    case ASSAY_CALIBRATION_NO_EXPERT_PAIR:
      return g_strdup_printf (_("Whether %s can stand in for an expert on “%s” cannot be told: "
                                "no two experts judged the same items, so there is no ceiling "
                                "to compare with."), who, what);
    case ASSAY_CALIBRATION_NO_COMMON_UNIT:
      return g_strdup_printf (_("Whether %s can stand in for an expert on “%s” cannot be told: "
                                "its agreement with the experts is undefined (no items in "
                                "common, or no variation)."), who, what);
    case ASSAY_CALIBRATION_TOO_FEW_SOURCES:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Whether %s can stand in for an expert on “%s” "
                                           "cannot be told yet: the experts’ own interval needs "
                                           "two experts on items of %u or more sources (there "
                                           "is %u).",
                                           "Whether %s can stand in for an expert on “%s” "
                                           "cannot be told yet: the experts’ own interval needs "
                                           "two experts on items of %u or more sources (there "
                                           "are %u).", stat->ceiling.n_sources),
                              who, what, ASSAY_INTERVAL_MIN_SOURCES, stat->ceiling.n_sources);
    case ASSAY_CALIBRATION_NO_INTERVAL:
      return g_strdup_printf (_("Whether %s can stand in for an expert on “%s” cannot be told: "
                                "the experts’ own agreement has no interval."), who, what);
    case ASSAY_CALIBRATION_DECIDED:
    default:
      break;
    }

  d = sentence_digits (stat);

  if (stat->verdict == ASSAY_CALIBRATION_STANDS_IN)
    {
      g_autofree char *sentence = NULL;

      if (stat->agreement > stat->ceiling.high)
        sentence = g_strdup_printf (_("%s can stand in for an expert on “%s”: its agreement "
                                      "with the experts (alpha %.*f) is above the experts’ own "
                                      "interval (%.*f to %.*f)."), who, what, d, stat->agreement,
                                    d, stat->ceiling.low, d, stat->ceiling.high);
      else
        sentence = g_strdup_printf (_("%s can stand in for an expert on “%s”: its agreement "
                                      "with the experts (alpha %.*f) is within the experts’ own "
                                      "interval (%.*f to %.*f)."), who, what, d, stat->agreement,
                                    d, stat->ceiling.low, d, stat->ceiling.high);
      /* Standing in for experts who do not agree is no recommendation. */
      if (stat->ceiling.value < CALIBRATION_RELIABLE_ALPHA)
        return g_strdup_printf (_("%s But the experts agree too little on it for either to be "
                                  "relied on (their alpha is below %.3f)."), sentence,
                                CALIBRATION_RELIABLE_ALPHA);
      return g_steal_pointer (&sentence);
    }
  return g_strdup_printf (_("%s cannot stand in for an expert on “%s”: its agreement with the "
                            "experts (alpha %.*f) is below the experts’ own interval "
                            "(%.*f to %.*f)."), who, what, d, stat->agreement, d,
                          stat->ceiling.low, d, stat->ceiling.high);
}

/* ---- JSON ---- */

static json_t *
json_number (double value)
{
  return isfinite (value) ? json_real (value) : json_null ();
}

static json_t *
json_annotator (const AssayStatsAnnotator *a)
{
  json_t *obj = json_object ();

  json_object_set_new (obj, "id", json_string (a->ext_id));
  json_object_set_new (obj, "name", json_string (a->name));
  json_object_set_new (obj, "kind", json_string (assay_annotator_kind_to_string (a->kind)));
  return obj;
}

static json_t *
json_annotators (GPtrArray *annotators)
{
  json_t *array = json_array ();

  for (guint i = 0; i < annotators->len; i++)
    json_array_append_new (array, json_annotator (g_ptr_array_index (annotators, i)));
  return array;
}

static json_t *
json_agreement (const AssayCalibrationStat      *stat,
                const AssayCalibrationAgreement *a)
{
  json_t *obj = json_object ();

  json_object_set_new (obj, "units", json_integer ((json_int_t) a->n_units));
  json_object_set_new (obj, "alpha", json_number (a->alpha));
  json_object_set_new (obj, "kappa", json_number (a->kappa));
  if (stat->kind == ASSAY_STAT_CRITERION)
    {
      json_object_set_new (obj, "rho", json_number (a->rho));
      json_object_set_new (obj, "bias", json_number (a->bias));
    }
  if (a->confusion != NULL)
    {
      json_t *rows = json_array ();

      for (guint r = 0; r < stat->n_codes; r++)
        {
          json_t *row = json_array ();

          for (guint c = 0; c < stat->n_codes; c++)
            json_array_append_new (row, json_integer ((json_int_t)
                                                      a->confusion[(gsize) r * stat->n_codes + c]));
          json_array_append_new (rows, row);
        }
      json_object_set_new (obj, "confusion", rows);
    }
  else
    json_object_set_new (obj, "confusion", json_null ());
  return obj;
}

static const char *
verdict_name (AssayCalibrationVerdict verdict)
{
  switch (verdict)
    {
    case ASSAY_CALIBRATION_STANDS_IN:
      return "stands-in";
    case ASSAY_CALIBRATION_FALLS_SHORT:
      return "falls-short";
    case ASSAY_CALIBRATION_UNDECIDED:
    default:
      return "undecided";
    }
}

static const char *
reason_name (AssayCalibrationReason reason)
{
  switch (reason)
    {
    case ASSAY_CALIBRATION_NO_EXPERT_PAIR:
      return "no-expert-pair";
    case ASSAY_CALIBRATION_NO_COMMON_UNIT:
      return "no-common-unit";
    case ASSAY_CALIBRATION_TOO_FEW_SOURCES:
      return "too-few-sources";
    case ASSAY_CALIBRATION_NO_INTERVAL:
      return "no-interval";
    case ASSAY_CALIBRATION_DECIDED:
    default:
      return NULL;
    }
}

json_t *
assay_calibration_report_to_json (AssayCalibrationReport *report)
{
  json_t *root, *judges;

  g_return_val_if_fail (report != NULL, NULL);

  root = json_object ();
  json_object_set_new (root, "experts", json_annotators (report->experts));
  json_object_set_new (root, "gold", json_annotators (report->gold));
  json_object_set_new (root, "samples", json_integer (report->n_samples));
  json_object_set_new (root, "seed", json_integer ((json_int_t) report->seed));
  json_object_set_new (root, "level", json_real (report->level));
  judges = json_array ();
  for (guint j = 0; j < report->judges->len; j++)
    {
      AssayJudgeCalibration *jc = g_ptr_array_index (report->judges, j);
      json_t *judge = json_annotator (jc->judge);
      json_t *stats = json_array ();

      for (guint k = 0; k < jc->stats->len; k++)
        {
          AssayCalibrationStat *stat = g_ptr_array_index (jc->stats, k);
          json_t *obj = json_object ();
          json_t *experts = json_object ();
          json_t *codes = json_array ();
          json_t *ceiling = json_object ();
          g_autofree char *sentence = assay_calibration_stat_describe (stat, jc->judge);

          json_object_set_new (obj, "kind", json_string (stat->kind == ASSAY_STAT_CRITERION
                                                         ? "criterion" : "labels"));
          json_object_set_new (obj, "name", json_string (stat->name));
          json_object_set_new (obj, "title", stat->title != NULL ? json_string (stat->title)
                                                                 : json_null ());
          json_object_set_new (obj, "level", json_string (assay_calibration_stat_level (stat)));
          json_object_set_new (obj, "unit", json_string (stat->multi ? "candidate-option"
                                                                     : "candidate"));
          if (stat->kind == ASSAY_STAT_CRITERION)
            {
              json_object_set_new (obj, "min", json_integer (stat->scale_min));
              json_object_set_new (obj, "max", json_integer (stat->scale_max));
            }
          else
            json_object_set_new (obj, "multi", json_boolean (stat->multi));
          for (guint c = 0; c < stat->n_codes; c++)
            json_array_append_new (codes, json_string (stat->code_names[c]));
          json_object_set_new (obj, "codes", codes);
          for (guint e = 0; e < report->experts->len; e++)
            json_object_set_new (experts,
                                 ((AssayStatsAnnotator *) g_ptr_array_index (report->experts,
                                                                             e))->ext_id,
                                 json_agreement (stat, &stat->experts[e]));
          json_object_set_new (obj, "experts", experts);
          json_object_set_new (obj, "consensus", json_agreement (stat, &stat->consensus));
          json_object_set_new (obj, "gold", stat->has_gold ? json_agreement (stat, &stat->gold)
                                                           : json_null ());
          json_object_set_new (obj, "agreement", json_number (stat->agreement));
          json_object_set_new (ceiling, "value", json_number (stat->ceiling.value));
          json_object_set_new (ceiling, "low", json_number (stat->ceiling.low));
          json_object_set_new (ceiling, "high", json_number (stat->ceiling.high));
          json_object_set_new (ceiling, "pairs", json_integer ((json_int_t) stat->ceiling.n));
          json_object_set_new (ceiling, "sources", json_integer (stat->ceiling.n_sources));
          json_object_set_new (obj, "ceiling", ceiling);
          json_object_set_new (obj, "verdict", json_string (verdict_name (stat->verdict)));
          json_object_set_new (obj, "reason", reason_name (stat->reason) != NULL
                                              ? json_string (reason_name (stat->reason))
                                              : json_null ());
          json_object_set_new (obj, "sentence", json_string (sentence));
          json_array_append_new (stats, obj);
        }
      json_object_set_new (judge, "statistics", stats);
      json_array_append_new (judges, judge);
    }
  json_object_set_new (root, "judges", judges);
  return root;
}

/* ---- for the app ---- */

typedef struct
{
  AssayStatsData    *data;
  AssayStatsOptions  options;
  char              *annotator;
}
CalibrateTask;

static void
calibrate_task_free (CalibrateTask *ct)
{
  assay_stats_data_unref (ct->data);
  g_free (ct->annotator);
  g_free (ct);
}

static void
calibrate_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CalibrateTask *ct = task_data;
  GError *error = NULL;
  AssayCalibrationReport *report;

  report = assay_stats_compute_calibration (ct->data, &ct->options, cancellable, &error);
  if (report == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) assay_calibration_report_free);
}

void
assay_stats_calibrate_async (AssayStatsData           *data,
                             const AssayStatsOptions  *options,
                             GCancellable             *cancellable,
                             GAsyncReadyCallback       callback,
                             gpointer                  user_data)
{
  g_autoptr(GTask) task = NULL;
  CalibrateTask *ct;

  g_return_if_fail (data != NULL);

  ct = g_new0 (CalibrateTask, 1);
  ct->data = assay_stats_data_ref (data);
  assay_stats_options_init (&ct->options);
  if (options != NULL)
    {
      ct->options = *options;
      ct->annotator = g_strdup (options->annotator);
      ct->options.annotator = ct->annotator;
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_stats_calibrate_async);
  g_task_set_task_data (task, ct, (GDestroyNotify) calibrate_task_free);
  g_task_run_in_thread (task, calibrate_thread);
}

AssayCalibrationReport *
assay_stats_calibrate_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
