/* assay-leaderboard-chart.h: models' estimates with their intervals, drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "assay-stats.h"

G_BEGIN_DECLS

/* What the chart plots for each model. */
typedef enum
{
  ASSAY_LEADERBOARD_CHART_OVERALL,    /* the weighted rubric score, on the criteria's scale */
  ASSAY_LEADERBOARD_CHART_STRENGTH,   /* the Bradley-Terry log-strength */
} AssayLeaderboardChartMeasure;

#define ASSAY_TYPE_LEADERBOARD_CHART_MEASURE (assay_leaderboard_chart_measure_get_type ())
GType assay_leaderboard_chart_measure_get_type (void) G_GNUC_CONST;

#define ASSAY_TYPE_LEADERBOARD_CHART (assay_leaderboard_chart_get_type ())
G_DECLARE_FINAL_TYPE (AssayLeaderboardChart, assay_leaderboard_chart, ASSAY, LEADERBOARD_CHART,
                      GtkWidget)

GtkWidget *assay_leaderboard_chart_new         (void);
/* Copies what it draws from `board` (best first, as ranked); NULL empties
 * the chart. */
void       assay_leaderboard_chart_set_leaderboard (AssayLeaderboardChart        *self,
                                                    AssayLeaderboard             *board);
void       assay_leaderboard_chart_set_measure (AssayLeaderboardChart        *self,
                                                AssayLeaderboardChartMeasure  measure);
AssayLeaderboardChartMeasure
           assay_leaderboard_chart_get_measure (AssayLeaderboardChart        *self);
/* The text a screen reader gets for the chart: every model and its numbers. */
const char *assay_leaderboard_chart_get_description (AssayLeaderboardChart   *self);

/* The overall score is computed on 0..1; when every criterion of the
 * board shares one scale (1..5, say), it reads better on that scale.
 * Returns TRUE and the scale then, else FALSE with 0 and 1. */
gboolean   assay_leaderboard_chart_get_overall_scale (AssayLeaderboard       *board,
                                                      double                 *min,
                                                      double                 *max);

G_END_DECLS
