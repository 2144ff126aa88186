/* assay-transcript-view.h: the source, read-only, with evidence highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_TRANSCRIPT_VIEW (assay_transcript_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayTranscriptView, assay_transcript_view, ASSAY, TRANSCRIPT_VIEW, GtkWidget)

/* Follows the session's item ("item-changed"). */
void     assay_transcript_view_set_session        (AssayTranscriptView *self,
                                                   AssaySession        *session);
/* Highlights evidence ranges (code points into the source text, AssayRange)
 * and scrolls the first into view; NULL or empty clears. */
void     assay_transcript_view_show_evidence      (AssayTranscriptView *self,
                                                   GArray              *ranges);
/* The selected text as a range of the source text; FALSE if nothing of the
 * source is selected. */
gboolean assay_transcript_view_get_selection      (AssayTranscriptView *self,
                                                   AssayRange          *range);
/* Opens the find bar (Ctrl+F). */
void     assay_transcript_view_start_search       (AssayTranscriptView *self);
/* 1.0 is the default size; follows the transcript-font-scale setting. */
void     assay_transcript_view_set_font_scale     (AssayTranscriptView *self,
                                                   double               scale);

G_END_DECLS
