/* assay-stats-disagreements-page.h: the items where annotators disagree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"
#include "assay-stats.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_STATS_DISAGREEMENTS_PAGE (assay_stats_disagreements_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsDisagreementsPage, assay_stats_disagreements_page, ASSAY,
                      STATS_DISAGREEMENTS_PAGE, GtkWidget)

/* Lists the disagreements of `report` (borrowed: it must outlive the page,
 * or be replaced or unset first), reading what each rater said from the
 * project at `path` a page at a time, in the core's worker thread. */
void        assay_stats_disagreements_page_set_report    (AssayStatsDisagreementsPage *self,
                                                          const char                  *path,
                                                          AssayAgreementReport        *report);
/* Marks a source's row as settled (gold set). */
void        assay_stats_disagreements_page_set_settled   (AssayStatsDisagreementsPage *self,
                                                          gint64                       source_id);
/* Focuses the source's row, if it is listed. */
gboolean    assay_stats_disagreements_page_focus_source  (AssayStatsDisagreementsPage *self,
                                                          gint64                       source_id);
gboolean    assay_stats_disagreements_page_get_busy      (AssayStatsDisagreementsPage *self);
/* The rows, in order (GtkListBoxRow), for the tests. */
GtkListBox *assay_stats_disagreements_page_get_list      (AssayStatsDisagreementsPage *self);
/* How many items are described at a time (100). */
void        assay_stats_disagreements_page_set_page_size (AssayStatsDisagreementsPage *self,
                                                          guint                        page_size);

G_END_DECLS
