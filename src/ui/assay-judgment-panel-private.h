/* assay-judgment-panel-private.h: what the tests reach inside the panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-judgment-panel.h"

G_BEGIN_DECLS

/* What hovering (or focusing) the score button `value` of a criterion does:
 * the anchor of that point is shown instead of the chosen one's. A value
 * off the scale ends the preview. */
void        _assay_judgment_panel_preview_score (AssayJudgmentPanel *self,
                                                 gint64              criterion_id,
                                                 int                 value);
/* The label showing a criterion's anchor text. */
GtkLabel   *_assay_judgment_panel_get_anchor    (AssayJudgmentPanel *self,
                                                 gint64              criterion_id);
/* Whether a criterion's row is marked as missing (see show_missing). */
gboolean    _assay_judgment_panel_is_missing    (AssayJudgmentPanel *self,
                                                 gint64              criterion_id);
/* Whether the option's chip is shown as suggested. */
gboolean    _assay_judgment_panel_chip_is_suggested (AssayJudgmentPanel *self,
                                                     gint64              option_id);
/* The line under a criterion's scale that says what was suggested, or NULL
 * when it is hidden. */
const char *_assay_judgment_panel_get_suggestion (AssayJudgmentPanel *self,
                                                  gint64              criterion_id);

G_END_DECLS
