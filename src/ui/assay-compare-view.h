/* assay-compare-view.h: blind A/B comparison of two candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_COMPARE_VIEW (assay_compare_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayCompareView, assay_compare_view, ASSAY, COMPARE_VIEW, GtkWidget)

void     assay_compare_view_set_session (AssayCompareView *self,
                                         AssaySession     *session);
/* Records the judgment on the pair on screen and shows the next pair. */
gboolean assay_compare_view_choose      (AssayCompareView *self,
                                         AssayWinner       winner);
void     assay_compare_view_flush       (AssayCompareView *self);

G_END_DECLS
