/* assay-stats-overview-page.h: progress and the model leaderboard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"
#include "assay-stats.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_STATS_OVERVIEW_PAGE (assay_stats_overview_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsOverviewPage, assay_stats_overview_page, ASSAY,
                      STATS_OVERVIEW_PAGE, GtkWidget)

/* (element-type AssayAnnotatorProgress) (nullable): each annotator's items
 * done. */
void             assay_stats_overview_page_set_progress    (AssayStatsOverviewPage *self,
                                                            GPtrArray              *progress);
/* Shows `board` (transfer full) with the template's titles. */
void             assay_stats_overview_page_set_leaderboard (AssayStatsOverviewPage *self,
                                                            AssayLeaderboard       *board,
                                                            AssayTemplate          *tmpl);
AssayStatsKinds  assay_stats_overview_page_get_kinds       (AssayStatsOverviewPage *self);
GtkWidget       *assay_stats_overview_page_get_chart       (AssayStatsOverviewPage *self);

G_END_DECLS
