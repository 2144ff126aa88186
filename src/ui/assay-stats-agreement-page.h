/* assay-stats-agreement-page.h: inter-annotator agreement
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"
#include "assay-stats.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_STATS_AGREEMENT_PAGE (assay_stats_agreement_page_get_type ())
G_DECLARE_FINAL_TYPE (AssayStatsAgreementPage, assay_stats_agreement_page, ASSAY,
                      STATS_AGREEMENT_PAGE, GtkWidget)

/* Shows `report` (borrowed: it must outlive the page, or be replaced or
 * unset first) with the template's titles. */
void assay_stats_agreement_page_set_report (AssayStatsAgreementPage *self,
                                            AssayAgreementReport    *report,
                                            AssayTemplate           *tmpl);

/* Whose judgments the page asks for ("kinds" notifies when the expert
 * changes it): the default, people, or people and LLM judges. */
AssayStatsKinds assay_stats_agreement_page_get_kinds (AssayStatsAgreementPage *self);

G_END_DECLS
