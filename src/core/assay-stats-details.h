/* assay-stats-details.h: what the statistics window shows beside the reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The agreement report says which units disagree; this reads, in a worker
 * thread with its own connection, what each rater said on them, worded for
 * a reader ("Faithfulness of B: 2 vs 5"), with candidates named by the
 * core's one rule (assay_item_candidate_letter: the Review tabs' letters,
 * shuffled per item in a blind project), and each annotator's progress.
 */
#pragma once

#include <gio/gio.h>

#include "assay-stats.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef struct
{
  char               *name;       /* the display name, or the id */
  AssayAnnotatorKind  kind;
  gint64              done;       /* items marked done */
  gint64              total;
} AssayAnnotatorProgress;

typedef struct
{
  gint64    source_id;
  char     *title;        /* the source's title, or its id */
  double    disagreement;
  guint     n_units;
  char     *summary;      /* a line per unit, the first two, then "and 3 more differences" */
  char     *details;      /* a line per unit (up to eight) with who said what */
  gboolean  settled;      /* an adjudicator has judged the source */
} AssayDisagreementDescription;

typedef struct
{
  AssayTemplate *tmpl;
  GPtrArray     *progress;   /* AssayAnnotatorProgress; NULL unless asked for */
  GPtrArray     *items;      /* AssayDisagreementDescription, in the order asked for */
} AssayStatsDetails;

/* Describes items[start] to items[end - 1] (AssayDisagreementItem, from
 * `report`, e.g. assay_agreement_report_list_disagreements) as the raters
 * of `report` judged them, reading the project at `path` in a worker
 * thread; with `with_progress`, the progress of each annotator whose work
 * counts (assay_annotator_kind_counts_by_default: not models). What the
 * worker needs is copied from `report` before this returns. */
void               assay_stats_describe_async   (const char            *path,
                                                 AssayAgreementReport  *report,
                                                 GPtrArray             *items,
                                                 guint                  start,
                                                 guint                  end,
                                                 gboolean               with_progress,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
/* (transfer full): free with assay_stats_details_free. */
AssayStatsDetails *assay_stats_describe_finish  (GAsyncResult          *result,
                                                 GError               **error);
/* The same, in the calling thread, on an open project. */
AssayStatsDetails *assay_stats_describe         (AssayProject          *project,
                                                 AssayAgreementReport  *report,
                                                 GPtrArray             *items,
                                                 guint                  start,
                                                 guint                  end,
                                                 gboolean               with_progress,
                                                 GCancellable          *cancellable,
                                                 GError               **error);
void               assay_stats_details_free     (AssayStatsDetails     *details);

/* A statistic's name on screen: its title, or "Rankings", "Comparisons". */
const char        *assay_agreement_stat_title   (const AssayAgreementStat *stat);
/* An annotator's name on screen; the raters of a report in the order every
 * list of them is shown: people, then LLM judges, then adjudicators. */
const char        *assay_stats_annotator_name   (const AssayStatsAnnotator *annotator);
GArray            *assay_agreement_report_rater_order (AssayAgreementReport *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayStatsDetails, assay_stats_details_free)

G_END_DECLS
