/* assay-stats-window-private.h: what the tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-stats-window.h"

G_BEGIN_DECLS

/* TRUE while a computation runs. */
gboolean    _assay_stats_window_get_busy        (AssayStatsWindow *self);
/* "computing", "error", "empty", "overview", "agreement",
 * "disagreements", "judges" or "adjudicate": what is on screen. */
const char *_assay_stats_window_get_page        (AssayStatsWindow *self);
GtkWidget  *_assay_stats_window_get_chart       (AssayStatsWindow *self);
/* NULL until the lead first adjudicates. */
GtkWidget  *_assay_stats_window_get_adjudication (AssayStatsWindow *self);
/* The disagreement list's rows, in order (GtkListBoxRow). */
GtkListBox *_assay_stats_window_get_disagreement_list (AssayStatsWindow *self);

/* The "Judges" page (AssayStatsJudgesPage). */
GtkWidget  *_assay_stats_window_get_judges_page (AssayStatsWindow *self);

/* How many items of the disagreement list are read at a time (100). */
void        _assay_stats_window_set_page_size   (AssayStatsWindow *self,
                                                 guint             page_size);

G_END_DECLS
