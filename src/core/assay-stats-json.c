/* assay-stats-json.c: the statistics as JSON
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
    case ASSAY_STAT_CORRECTION:
      return "candidate";
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

/* Neighbours in the order, as docs/statistics.md ("Separation") shows. */
static json_t *
json_separation (AssayLeaderboard *board)
{
  json_t *root = json_object ();
  json_t *pairs = json_array ();

  json_object_set_new (root, "method", json_string ("paired-bootstrap"));
  json_object_set_new (root, "score",
                       json_string (assay_rank_by_to_string (board->separation_score)));
  json_object_set_new (root, "level", json_real (board->level));
  json_object_set_new (root, "power", json_real (board->separation_power));
  for (guint i = 0; board->separations != NULL && i < board->separations->len; i++)
    {
      const AssayModelSeparation *pair = &g_array_index (board->separations,
                                                         AssayModelSeparation, i);
      const AssaySeparation *sep = &pair->separation;
      const char *reason = assay_separation_reason_to_string (sep->reason);
      json_t *obj = json_object ();
      const AssayModelStanding *better = g_ptr_array_index (board->models, pair->better);
      const AssayModelStanding *worse = g_ptr_array_index (board->models, pair->worse);

      json_object_set_new (obj, "better", json_string (better->model));
      json_object_set_new (obj, "worse", json_string (worse->model));
      json_object_set_new (obj, "verdict",
                           json_string (assay_separation_verdict_to_string (sep->verdict)));
      json_object_set_new (obj, "separated", sep->verdict == ASSAY_SEPARATION_CANNOT_TELL
                           ? json_null ()
                           : json_boolean (sep->verdict == ASSAY_SEPARATION_SEPARATED));
      json_object_set_new (obj, "reason", reason != NULL ? json_string (reason) : json_null ());
      json_object_set_new (obj, "sources", json_integer (sep->n_sources));
      json_object_set_new (obj, "difference", json_number (sep->difference));
      json_object_set_new (obj, "sd", json_number (sep->sd));
      json_object_set_new (obj, "low", json_number (sep->low));
      json_object_set_new (obj, "high", json_number (sep->high));
      json_object_set_new (obj, "sources_needed", isfinite (sep->needed)
                           ? json_integer ((json_int_t) MIN (ceil (sep->needed - 1e-9),
                                                             (double) G_MAXINT64 / 2))
                           : json_null ());
      json_object_set_new (obj, "more_sources",
                           sep->verdict == ASSAY_SEPARATION_NOT_SEPARATED
                           ? json_integer ((json_int_t) MIN (sep->more, (guint64) G_MAXINT64))
                           : json_null ());
      json_array_append_new (pairs, obj);
    }
  json_object_set_new (root, "pairs", pairs);
  return root;
}

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

  json_object_set_new (root, "separation", json_separation (board));
  return root;
}

