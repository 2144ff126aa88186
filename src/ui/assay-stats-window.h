/* assay-stats-window.h: progress, the model leaderboard, agreement and
 * disagreements, for the eval lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_STATS_WINDOW (assay_stats_window_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsWindow, assay_stats_window, ASSAY, STATS_WINDOW, AdwWindow)

/* A window beside `parent` (transient for it, not modal) that computes the
 * project's statistics in a worker thread and shows them. `lead_id` and
 * `lead_name` (nullable) are the eval lead's: gold judgments set from the
 * disagreement list are the lead's (see AssayAdjudicationView). Present it
 * with gtk_window_present. */
GtkWindow *assay_stats_window_new        (GtkWindow        *parent,
                                          AssayProject     *project,
                                          const char       *lead_id,
                                          const char       *lead_name);

/* Starts computing again (the refresh button, Ctrl+R). */
void       assay_stats_window_refresh    (AssayStatsWindow *self);

/* Emits "adjudicate" for the source. Unless a handler returns TRUE, the
 * window shows its adjudication view for it, with a way back.
 *
 * Signal "adjudicate" (gint64 source_id) -> gboolean: the lead asked to
 * settle the disagreements on a source; return TRUE to handle it yourself. */
void       assay_stats_window_adjudicate (AssayStatsWindow *self,
                                          gint64            source_id);

G_END_DECLS
