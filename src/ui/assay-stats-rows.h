/* assay-stats-rows.h: the rows of the statistics window's tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small read-only objects, one per table row, whose properties the
 * GtkColumnViews of the .ui files bind their cells to and sort by: a number
 * to sort by (undefined values sort as -G_MAXDOUBLE, last when the best
 * come first) and the text to show.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ASSAY_TYPE_STATS_MODEL_ROW (assay_stats_model_row_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsModelRow, assay_stats_model_row, ASSAY, STATS_MODEL_ROW, GObject)

/* A model on the leaderboard. Texts are Pango markup (our numbers only);
 * `model` is plain text. */
typedef struct
{
  guint        rank;
  const char  *model;
  double       overall;
  const char  *overall_markup;
  const char  *overall_tooltip;
  double       strength;
  const char  *strength_markup;
  const char  *strength_tooltip;
  double       win_rate;
  const char  *win_rate_text;
  guint64      candidates;
} AssayStatsModelRowData;

AssayStatsModelRow *assay_stats_model_row_new (const AssayStatsModelRowData *data);

#define ASSAY_TYPE_STATS_AGREEMENT_ROW (assay_stats_agreement_row_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsAgreementRow, assay_stats_agreement_row, ASSAY,
                      STATS_AGREEMENT_ROW, GObject)

/* A statistic (or an option of a multiple-choice set, or the pooled
 * rubric) in the agreement table. Every text is plain. */
typedef struct
{
  guint        position;       /* template order */
  const char  *title;
  gboolean     indent;         /* an option under its set */
  gboolean     empty;          /* nobody shares a unit: shown quietly */
  double       alpha;
  const char  *alpha_text;
  const char  *alpha_tooltip;
  const char  *band_text;      /* "Good", "Tentative", "Unreliable" or "" */
  const char  *band_css;       /* "good", ... or NULL */
  const char  *band_tooltip;
  double       kappa;
  const char  *kappa_text;
  const char  *kappa_tooltip;
  double       agreement;
  const char  *agreement_text;
  const char  *agreement_tooltip;
  guint64      units;
  const char  *units_text;     /* with its unit: "719 words" */
  const char  *units_tooltip;
  guint        raters;
  double       judge;
  const char  *judge_text;
  const char  *judge_tooltip;
  gboolean     judge_below;
  const char  *more_text;      /* the other alphas: "interval 0.44, ratio 0.45" */
  guint        stat;           /* the report's statistic, G_MAXUINT for the rubric */
  gint         option;         /* -1: the statistic itself */
  gboolean     has_pairs;
} AssayStatsAgreementRowData;

AssayStatsAgreementRow *assay_stats_agreement_row_new
                                               (const AssayStatsAgreementRowData *data);
guint                   assay_stats_agreement_row_get_stat   (AssayStatsAgreementRow *self);
gint                    assay_stats_agreement_row_get_option (AssayStatsAgreementRow *self);
gboolean                assay_stats_agreement_row_get_has_pairs (AssayStatsAgreementRow *self);
const char             *assay_stats_agreement_row_get_title  (AssayStatsAgreementRow *self);

G_END_DECLS
