/* assay-ranking-view-private.h: what the tests reach inside the ranking view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-ranking-view.h"

G_BEGIN_DECLS

/* What dropping the row of `candidate_id` on the row of `target_id` does:
 * the row goes before the target (or after it, when `after`). */
void        _assay_ranking_view_drop     (AssayRankingView *self,
                                          gint64            candidate_id,
                                          gint64            target_id,
                                          gboolean          after);
/* The row of a candidate. */
GtkWidget  *_assay_ranking_view_get_row  (AssayRankingView *self,
                                          gint64            candidate_id);
/* The candidates in the order on screen. */
GArray     *_assay_ranking_view_get_order (AssayRankingView *self);

G_END_DECLS
