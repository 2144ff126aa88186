/* assay-candidate-view.h: one candidate: its spans, its correction and the diff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"
#include "assay-transcript-view.h"

G_BEGIN_DECLS

typedef enum
{
  ASSAY_CANDIDATE_MODE_ORIGINAL,   /* the model's text with the span highlights */
  ASSAY_CANDIDATE_MODE_EDIT,       /* the correction, editable, with undo and redo */
  ASSAY_CANDIDATE_MODE_CHANGES,    /* word-level diff of the correction against the original */
} AssayCandidateMode;

#define ASSAY_TYPE_CANDIDATE_VIEW (assay_candidate_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayCandidateView, assay_candidate_view, ASSAY, CANDIDATE_VIEW, GtkWidget)

void     assay_candidate_view_set_session     (AssayCandidateView  *self,
                                               AssaySession        *session);
/* Where evidence is taken from when the expert links a span to the source. */
void     assay_candidate_view_set_transcript  (AssayCandidateView  *self,
                                               AssayTranscriptView *transcript);
/* Shows a candidate of the session's current item (0: none). */
void     assay_candidate_view_set_candidate   (AssayCandidateView  *self,
                                               gint64               candidate_id);
gint64   assay_candidate_view_get_candidate   (AssayCandidateView  *self);
void     assay_candidate_view_set_mode        (AssayCandidateView  *self,
                                               AssayCandidateMode   mode);
AssayCandidateMode assay_candidate_view_get_mode (AssayCandidateView *self);
/* Labels the selected text with a span label option (0: unlabelled); what
 * the number keys do. FALSE if nothing is selected. */
gboolean assay_candidate_view_mark_selection  (AssayCandidateView  *self,
                                               gint64               option_id);
/* Writes a pending correction now instead of after the typing pause. */
void     assay_candidate_view_flush           (AssayCandidateView  *self);
/* 1.0 is the default size; follows the transcript-font-scale setting. */
void     assay_candidate_view_set_font_scale  (AssayCandidateView  *self,
                                               double               scale);

/* The suggested span at the cursor while the candidate text has the
 * keyboard focus, or NULL. */
const AssayProposal *assay_candidate_view_get_proposal (AssayCandidateView *self);

G_END_DECLS
