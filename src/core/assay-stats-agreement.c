/* assay-stats-agreement.c: agreement over the snapshot, and the disagreements it finds
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
  const LabelRow *rows = (const LabelRow *) (gpointer) data->labels->data;
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
  if (!_assay_stats_select_annotators (data, options,
                                       assay_stats_kinds_by_default (ASSAY_STATS_RATERS),
                                       ag.coder_of, &report->annotators, error))
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

