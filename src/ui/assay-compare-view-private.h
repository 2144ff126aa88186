/* assay-compare-view-private.h: what the tests reach inside the compare view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-compare-view.h"

G_BEGIN_DECLS

/* The candidates on screen as A and B; FALSE when no pair is shown. */
gboolean    _assay_compare_view_get_pair      (AssayCompareView *self,
                                               gint64           *a,
                                               gint64           *b);
/* Whether the two texts stand side by side or one above the other. */
GtkOrientation _assay_compare_view_get_layout (AssayCompareView *self);

G_END_DECLS
