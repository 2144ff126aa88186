/* assay-candidate-view-private.h: what the tests reach inside the view
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-candidate-view.h"

G_BEGIN_DECLS

/* The text view of a mode: the original with its spans, the correction
 * editor, or the changes. */
GtkTextView *_assay_candidate_view_get_text_view    (AssayCandidateView *self,
                                                     AssayCandidateMode  mode);
/* The popover that edits a span (label, note, evidence). */
GtkPopover  *_assay_candidate_view_get_span_popover (AssayCandidateView *self);
/* The span the cursor is on (outlined), 0 if none. */
gint64       _assay_candidate_view_get_current_span (AssayCandidateView *self);

/* How many suggested spans are drawn dashed under the text. */
guint _assay_candidate_view_get_n_suggested_spans (AssayCandidateView *self);

G_END_DECLS
