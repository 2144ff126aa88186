/* assay-stats-judges-page.h: can an LLM judge stand in for an expert?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"
#include "assay-stats.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_STATS_JUDGES_PAGE (assay_stats_judges_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsJudgesPage, assay_stats_judges_page, ASSAY, STATS_JUDGES_PAGE,
                      GtkWidget)

/* Calibrates every model annotator of the snapshot in a worker thread
 * (assay_stats_calibrate_async) and shows the result; a second call
 * cancels the first. NULL clears the page. */
void      assay_stats_judges_page_set_data  (AssayStatsJudgesPage *self,
                                             AssayStatsData       *data);
/* TRUE while the calibration runs ("busy" notifies). */
gboolean  assay_stats_judges_page_get_busy  (AssayStatsJudgesPage *self);
/* (transfer none) (nullable): the report on screen, for the tests. */
AssayCalibrationReport *assay_stats_judges_page_get_report (AssayStatsJudgesPage *self);

G_END_DECLS
