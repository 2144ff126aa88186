/* assay-stats-details.c: what each rater said on the disagreeing units
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Moved out of the statistics window so that the window does nothing slow:
 * reading each rater's judgments on the listed items, and the progress
 * counts, happen here, in a worker thread of the core's, on a connection
 * of its own.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-item.h"
#include "assay-stats-details.h"

/* Units named in a row's summary, and in its details. */
#define UNITS_IN_SUMMARY     2
#define UNITS_IN_DETAILS     8

typedef struct
{
  AssayStatKind  kind;
  gint64         id;
  gboolean       multi;
  char          *title;
} StatInfo;

typedef struct
{
  gint64  id;
  char   *name;
} RaterInfo;

typedef struct
{
  gint64  source_id;
  char   *title;
  double  disagreement;
  GArray *units;          /* AssayDisagreement */
} Request;

typedef struct
{
  /* in */
  char          *path;
  gboolean       with_progress;
  GArray        *stats;      /* StatInfo, by report index */
  GPtrArray     *raters;     /* RaterInfo */
  GPtrArray     *requests;   /* Request */

  /* out */
  AssayTemplate *tmpl;
  GPtrArray     *progress;   /* AssayAnnotatorProgress */
  GPtrArray     *rows;       /* AssayDisagreementDescription */
} DetailsJob;

static void
stat_info_clear (StatInfo *info)
{
  g_free (info->title);
}

static void
rater_info_free (RaterInfo *info)
{
  g_free (info->name);
  g_free (info);
}

static void
request_free (Request *request)
{
  g_free (request->title);
  g_array_unref (request->units);
  g_free (request);
}

static void
progress_free (AssayAnnotatorProgress *row)
{
  g_free (row->name);
  g_free (row);
}

static void
description_free (AssayDisagreementDescription *row)
{
  g_free (row->title);
  g_free (row->summary);
  g_free (row->details);
  g_free (row);
}

static void
details_job_free (DetailsJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->stats, g_array_unref);
  g_clear_pointer (&job->raters, g_ptr_array_unref);
  g_clear_pointer (&job->requests, g_ptr_array_unref);
  g_clear_pointer (&job->tmpl, assay_template_unref);
  g_clear_pointer (&job->progress, g_ptr_array_unref);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_free (job);
}

void
assay_stats_details_free (AssayStatsDetails *details)
{
  if (details == NULL)
    return;
  g_clear_pointer (&details->tmpl, assay_template_unref);
  g_clear_pointer (&details->progress, g_ptr_array_unref);
  g_clear_pointer (&details->items, g_ptr_array_unref);
  g_free (details);
}

const char *
assay_agreement_stat_title (const AssayAgreementStat *stat)
{
  g_return_val_if_fail (stat != NULL, NULL);

  if (stat->kind == ASSAY_STAT_RANKING)
    return _("Rankings");
  if (stat->kind == ASSAY_STAT_COMPARISON)
    return _("Comparisons");
  return stat->title != NULL && *stat->title != '\0' ? stat->title : stat->name;
}

const char *
assay_stats_annotator_name (const AssayStatsAnnotator *annotator)
{
  g_return_val_if_fail (annotator != NULL, NULL);

  return annotator->name != NULL && *annotator->name != '\0' ? annotator->name
                                                             : annotator->ext_id;
}

GArray *
assay_agreement_report_rater_order (AssayAgreementReport *report)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));

  g_return_val_if_fail (report != NULL, order);

  for (int kind = ASSAY_ANNOTATOR_PERSON; kind <= ASSAY_ANNOTATOR_ADJUDICATOR; kind++)
    for (guint i = 0; i < report->annotators->len; i++)
      if ((int) ((AssayStatsAnnotator *) g_ptr_array_index (report->annotators, i))->kind ==
          kind)
        g_array_append_val (order, i);
  return order;
}

static gboolean
judged_candidate (AssayItem          *item,
                  AssayItemCandidate *candidate)
{
  return item->status != ASSAY_STATUS_TODO || candidate->labels->len > 0 ||
         candidate->spans->len > 0 || candidate->correction != NULL ||
         g_hash_table_size (candidate->scores) > 0 || candidate->rank > 0 ||
         candidate->note != NULL;
}

static const char *
option_label (AssayLabelOption *option)
{
  return option->title != NULL && *option->title != '\0' ? option->title : option->name;
}

/* "A > C > B", "A > B = C": the rater's ranking of the source. Ranks
 * need not run from 1 without gaps; only their order counts. */
static char *
ranking_text (AssayItem *item,
              GArray    *order,
              gboolean   blind)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int last = 0;

  for (;;)
    {
      int next = G_MAXINT;

      /* the smallest rank above the last one */
      for (guint i = 0; i < item->candidates->len; i++)
        {
          AssayItemCandidate *c = g_ptr_array_index (item->candidates, i);

          if (c->rank > last && c->rank < next)
            next = c->rank;
        }
      if (next == G_MAXINT)
        break;
      for (guint i = 0; i < order->len; i++)
        {
          AssayItemCandidate *c = g_ptr_array_index (item->candidates,
                                                     g_array_index (order, guint, i));
          g_autofree char *letter = NULL;

          if (c->rank != next)
            continue;
          letter = assay_item_candidate_letter (item, blind, c->id);
          if (text->len > 0)
            g_string_append (text, last == next ? " = " : " > ");
          g_string_append (text, letter);
          last = next;
        }
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* What one rater gave on a unit, for display; NULL if they gave nothing. */
static char *
rater_value (DetailsJob              *job,
             const StatInfo          *stat,
             const AssayDisagreement *unit,
             AssayItem               *item,
             GArray                  *order)
{
  AssayItemCandidate *candidate = NULL;

  if (unit->candidate_id != 0)
    {
      candidate = assay_item_find_candidate (item, unit->candidate_id);
      if (candidate == NULL)
        return NULL;
    }

  switch (stat->kind)
    {
    case ASSAY_STAT_CRITERION:
      {
        AssayItemScore *score = g_hash_table_lookup (candidate->scores, &stat->id);

        return score != NULL ? g_strdup_printf ("%d", score->value) : NULL;
      }

    case ASSAY_STAT_LABELS:
      if (stat->multi)
        {
          for (guint i = 0; i < candidate->labels->len; i++)
            if (g_array_index (candidate->labels, gint64, i) == unit->other_id)
              return g_strdup (C_("label chosen", "yes"));
          return judged_candidate (item, candidate) ? g_strdup (C_("label chosen", "no"))
                                                    : NULL;
        }
      for (guint i = 0; i < candidate->labels->len; i++)
        {
          AssayLabelSet *set = NULL;
          AssayLabelOption *option =
            assay_template_option_by_id (job->tmpl, g_array_index (candidate->labels, gint64, i),
                                         &set);

          if (option != NULL && set != NULL && set->id == stat->id)
            return g_strdup (option_label (option));
        }
      return NULL;

    case ASSAY_STAT_SPANS:
      {
        AssayLabelOption *best = NULL;
        gint64 best_overlap = 0;

        if (!judged_candidate (item, candidate))
          return NULL;
        for (guint i = 0; i < candidate->spans->len; i++)
          {
            AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);
            AssayLabelSet *set = NULL;
            AssayLabelOption *option = assay_template_option_by_id (job->tmpl, span->option_id,
                                                                    &set);
            gint64 overlap = MIN (span->end, unit->end) - MAX (span->start, unit->start);

            if (option != NULL && set != NULL && set->id == stat->id && overlap > best_overlap)
              {
                best = option;
                best_overlap = overlap;
              }
          }
        return g_strdup (best != NULL ? option_label (best) : C_("span label", "unmarked"));
      }

    case ASSAY_STAT_RANKING:
      return ranking_text (item, order, job->tmpl->blind);

    case ASSAY_STAT_COMPARISON:
      {
        AssayItemComparison *comparison = assay_item_find_comparison (item, unit->candidate_id,
                                                                      unit->other_id);
        g_autofree char *letter = NULL;

        if (comparison == NULL)
          return NULL;
        if (comparison->winner == ASSAY_WINNER_TIE)
          return g_strdup (C_("comparison", "tie"));
        letter = assay_item_candidate_letter (item, job->tmpl->blind,
                                              comparison->winner == ASSAY_WINNER_A
                                              ? comparison->a : comparison->b);
        /* Translators: which of two candidates won a comparison, "A better" */
        return g_strdup_printf (_("%s better"), letter);
      }

    default:
      return NULL;
    }
}

/* "Faithfulness of B", "Claim support in A, “four percent”". */
static char *
unit_subject (const StatInfo          *stat,
              const AssayDisagreement *unit,
              AssayItem               *item,
              GArray                  *order,
              AssayTemplate           *tmpl)
{
  g_autofree char *letter = NULL;
  g_autofree char *other = NULL;

  if (unit->candidate_id != 0)
    letter = assay_item_candidate_letter (item, tmpl->blind, unit->candidate_id);

  switch (stat->kind)
    {
    case ASSAY_STAT_LABELS:
      if (stat->multi)
        {
          AssayLabelOption *option = assay_template_option_by_id (tmpl, unit->other_id, NULL);

          /* Translators: LABEL SET: OPTION of CANDIDATE, "Issues: Padding of C" */
          return g_strdup_printf (_("%s: %s of %s"), stat->title,
                                  option != NULL ? option_label (option) : "?", letter);
        }
      G_GNUC_FALLTHROUGH;
    case ASSAY_STAT_CRITERION:
      /* Translators: CRITERION or LABEL SET of CANDIDATE, "Faithfulness of B" */
      return g_strdup_printf (_("%s of %s"), stat->title, letter);

    case ASSAY_STAT_SPANS:
      {
        AssayItemCandidate *candidate = assay_item_find_candidate (item, unit->candidate_id);
        g_autofree char *quote = NULL;
        g_auto(GStrv) words = NULL;

        if (candidate != NULL && unit->start >= 0 && unit->end <= candidate->n_chars &&
            unit->end > unit->start)
          {
            g_autofree char *raw = g_utf8_substring (candidate->text, unit->start, unit->end);

            words = g_strsplit_set (raw, " \t\r\n", -1);
            quote = g_strjoinv (" ", words);
            g_strstrip (quote);
            if (g_utf8_strlen (quote, -1) > 40)
              {
                g_autofree char *cut = g_utf8_substring (quote, 0, 38);

                g_free (quote);
                quote = g_strconcat (g_strchomp (cut), "…", NULL);
              }
          }
        if (quote == NULL)
          return g_strdup_printf (_("%s in %s"), stat->title, letter);
        /* Translators: SPAN LABEL SET in CANDIDATE, “QUOTED WORDS” */
        return g_strdup_printf (_("%s in %s, “%s”"), stat->title, letter, quote);
      }

    case ASSAY_STAT_RANKING:
      return g_strdup (_("Ranking"));

    case ASSAY_STAT_COMPARISON:
      other = assay_item_candidate_letter (item, tmpl->blind, unit->other_id);
      /* Translators: a comparison between two candidates, "A or B" */
      return g_strdup_printf (_("%s or %s"), letter, other);

    default:
      return g_strdup (stat->title);
    }
}

/* A rater whose item could not be read keeps its place as NULL. */
static void
item_unref0 (gpointer item)
{
  if (item != NULL)
    assay_item_unref (item);
}

static int
compare_numeric_strings (gconstpointer a,
                         gconstpointer b)
{
  const char *x = *(const char * const *) a;
  const char *y = *(const char * const *) b;

  return (int) g_ascii_strtoll (x, NULL, 10) - (int) g_ascii_strtoll (y, NULL, 10);
}

static void
describe_request (DetailsJob                   *job,
                  AssayProject                 *project,
                  Request                      *request,
                  AssayDisagreementDescription *row,
                  GCancellable                 *cancellable)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (item_unref0);
  g_autoptr(GPtrArray) annotators = NULL;
  g_autoptr(GArray) order = NULL;
  g_autoptr(GString) summary = g_string_new (NULL);
  g_autoptr(GString) details = g_string_new (NULL);
  AssayItem *first = NULL;

  annotators = assay_project_list_item_annotators (project, request->source_id, NULL);
  for (guint i = 0; annotators != NULL && i < annotators->len; i++)
    if (((AssayAnnotatorInfo *) g_ptr_array_index (annotators, i))->kind ==
        ASSAY_ANNOTATOR_ADJUDICATOR)
      row->settled = TRUE;

  for (guint r = 0; r < job->raters->len; r++)
    {
      RaterInfo *rater = g_ptr_array_index (job->raters, r);
      AssayItem *item = assay_project_load_item (project, request->source_id, rater->id, NULL);

      g_ptr_array_add (items, item);
      if (first == NULL)
        first = item;
    }
  if (first == NULL)
    return;
  order = assay_item_display_order (first, job->tmpl->blind);

  for (guint u = 0; u < request->units->len && u < UNITS_IN_DETAILS; u++)
    {
      const AssayDisagreement *unit = &g_array_index (request->units, AssayDisagreement, u);
      const StatInfo *stat;
      g_autofree char *subject = NULL;
      g_autoptr(GPtrArray) distinct = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) who = g_string_new (NULL);
      g_autofree char *values = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        return;
      if (unit->stat >= job->stats->len)
        continue;
      stat = &g_array_index (job->stats, StatInfo, unit->stat);
      subject = unit_subject (stat, unit, first, order, job->tmpl);

      for (guint r = 0; r < items->len; r++)
        {
          AssayItem *item = g_ptr_array_index (items, r);
          RaterInfo *rater = g_ptr_array_index (job->raters, r);
          g_autofree char *value = NULL;
          gboolean seen = FALSE;

          if (item == NULL)
            continue;
          value = rater_value (job, stat, unit, item, order);
          if (value == NULL)
            continue;
          if (who->len > 0)
            g_string_append (who, ", ");
          /* Translators: ANNOTATOR: VALUE, in the list of who said what */
          g_string_append_printf (who, _("%s: %s"), rater->name, value);
          for (guint k = 0; k < distinct->len && !seen; k++)
            seen = g_str_equal (g_ptr_array_index (distinct, k), value);
          if (!seen)
            g_ptr_array_add (distinct, g_steal_pointer (&value));
        }
      if (stat->kind == ASSAY_STAT_CRITERION)
        g_ptr_array_sort (distinct, compare_numeric_strings);
      g_ptr_array_add (distinct, NULL);
      /* Translators: what separates differing values, "2 vs 5" */
      values = g_strjoinv (_(" vs "), (char **) distinct->pdata);

      if (u < UNITS_IN_SUMMARY)
        {
          if (summary->len > 0)
            g_string_append_c (summary, '\n');
          if (*values != '\0')
            /* Translators: WHAT: VALUES, "Faithfulness of B: 2 vs 5" */
            g_string_append_printf (summary, _("%s: %s"), subject, values);
          else
            g_string_append (summary, subject);
        }
      if (details->len > 0)
        g_string_append_c (details, '\n');
      if (who->len > 0)
        /* Translators: WHAT — WHO SAID WHAT */
        g_string_append_printf (details, _("%s — %s"), subject, who->str);
      else
        g_string_append (details, subject);
    }

  if (request->units->len > UNITS_IN_SUMMARY)
    {
      guint more = request->units->len - UNITS_IN_SUMMARY;

      g_string_append_c (summary, '\n');
      g_string_append_printf (summary, g_dngettext (GETTEXT_PACKAGE, "and %u more difference",
                                                    "and %u more differences", more), more);
    }
  if (request->units->len > UNITS_IN_DETAILS)
    {
      guint more = request->units->len - UNITS_IN_DETAILS;

      g_string_append_c (details, '\n');
      g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE, "and %u more",
                                                    "and %u more", more), more);
    }
  row->summary = g_string_free (g_steal_pointer (&summary), FALSE);
  row->details = g_string_free (g_steal_pointer (&details), FALSE);
}

/* Reads what the job asks for; FALSE with `error` set on failure. */
static gboolean
run_job (DetailsJob    *job,
         AssayProject  *project,
         GCancellable  *cancellable,
         GError       **error)
{
  job->tmpl = assay_project_load_template (project, error);
  if (job->tmpl == NULL)
    return FALSE;

  if (job->with_progress)
    {
      g_autoptr(GPtrArray) annotators = assay_project_list_annotators (project, error);

      if (annotators == NULL)
        return FALSE;
      job->progress = g_ptr_array_new_with_free_func ((GDestroyNotify) progress_free);
      for (guint i = 0; i < annotators->len; i++)
        {
          AssayAnnotatorInfo *info = g_ptr_array_index (annotators, i);
          AssayAnnotatorProgress *row;

          /* A model's statuses are proposals, not progress. */
          if (!assay_annotator_kind_counts_by_default (info->kind))
            continue;
          row = g_new0 (AssayAnnotatorProgress, 1);

          row->name = g_strdup (info->name != NULL && *info->name != '\0' ? info->name
                                                                          : info->ext_id);
          row->kind = info->kind;
          g_ptr_array_add (job->progress, row);
          if (!assay_project_get_annotator_progress (project, info->id, &row->done, &row->total,
                                                     error))
            return FALSE;
        }
    }

  job->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) description_free);
  for (guint i = 0; i < job->requests->len; i++)
    {
      Request *request = g_ptr_array_index (job->requests, i);
      AssayDisagreementDescription *row = g_new0 (AssayDisagreementDescription, 1);

      row->source_id = request->source_id;
      row->title = g_strdup (request->title);
      row->disagreement = request->disagreement;
      row->n_units = request->units->len;
      g_ptr_array_add (job->rows, row);
      describe_request (job, project, request, row, cancellable);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

static AssayStatsDetails *
job_steal_details (DetailsJob *job)
{
  AssayStatsDetails *details = g_new0 (AssayStatsDetails, 1);

  details->tmpl = g_steal_pointer (&job->tmpl);
  details->progress = g_steal_pointer (&job->progress);
  details->items = g_steal_pointer (&job->rows);
  return details;
}

static void
details_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  DetailsJob *job = task_data;
  g_autoptr(AssayProject) project = NULL;
  GError *error = NULL;

  project = assay_project_open_full (job->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  if (project == NULL || !run_job (job, project, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, job_steal_details (job), (GDestroyNotify) assay_stats_details_free);
}

/* What the worker needs, copied from the report on the calling thread. */
static DetailsJob *
job_new (AssayAgreementReport *report,
         GPtrArray            *items,
         guint                 start,
         guint                 end,
         gboolean              with_progress)
{
  DetailsJob *job = g_new0 (DetailsJob, 1);
  g_autoptr(GArray) order = NULL;

  job->with_progress = with_progress;
  job->stats = g_array_new (FALSE, TRUE, sizeof (StatInfo));
  g_array_set_clear_func (job->stats, (GDestroyNotify) stat_info_clear);
  for (guint i = 0; i < report->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, i);
      StatInfo info = { stat->kind, stat->id, stat->multi,
                        g_strdup (assay_agreement_stat_title (stat)) };

      g_array_append_val (job->stats, info);
    }
  job->raters = g_ptr_array_new_with_free_func ((GDestroyNotify) rater_info_free);
  order = assay_agreement_report_rater_order (report);
  for (guint j = 0; j < order->len; j++)
    {
      AssayStatsAnnotator *a = g_ptr_array_index (report->annotators,
                                                  g_array_index (order, guint, j));
      RaterInfo *info = g_new0 (RaterInfo, 1);

      info->id = a->id;
      info->name = g_strdup (assay_stats_annotator_name (a));
      g_ptr_array_add (job->raters, info);
    }
  job->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  for (guint i = start; items != NULL && i < end && i < items->len; i++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (items, i);
      Request *request = g_new0 (Request, 1);

      request->source_id = item->source_id;
      request->title = g_strdup (item->title != NULL && *item->title != '\0' ? item->title
                                                                            : item->ext_id);
      request->disagreement = item->disagreement;
      request->units = g_array_copy (item->units);
      g_ptr_array_add (job->requests, request);
    }
  return job;
}

void
assay_stats_describe_async (const char           *path,
                            AssayAgreementReport *report,
                            GPtrArray            *items,
                            guint                 start,
                            guint                 end,
                            gboolean              with_progress,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  DetailsJob *job;

  g_return_if_fail (path != NULL);
  g_return_if_fail (report != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, assay_stats_describe_async);
  job = job_new (report, items, start, end, with_progress);
  job->path = g_strdup (path);
  g_task_set_task_data (task, job, (GDestroyNotify) details_job_free);
  g_task_run_in_thread (task, details_thread);
}

AssayStatsDetails *
assay_stats_describe_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == assay_stats_describe_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

AssayStatsDetails *
assay_stats_describe (AssayProject          *project,
                      AssayAgreementReport  *report,
                      GPtrArray             *items,
                      guint                  start,
                      guint                  end,
                      gboolean               with_progress,
                      GCancellable          *cancellable,
                      GError               **error)
{
  DetailsJob *job;
  AssayStatsDetails *details = NULL;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (report != NULL, NULL);

  job = job_new (report, items, start, end, with_progress);
  if (run_job (job, project, cancellable, error))
    details = job_steal_details (job);
  details_job_free (job);
  return details;
}
