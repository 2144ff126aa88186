/* assay-ranking-view.h: ordering a source's candidates, ties allowed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_RANKING_VIEW (assay_ranking_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayRankingView, assay_ranking_view, ASSAY, RANKING_VIEW, GtkWidget)

void assay_ranking_view_set_session (AssayRankingView *self,
                                     AssaySession     *session);

G_END_DECLS
