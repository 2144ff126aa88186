/* assay-judgment-panel.h: labels, rubric scores and a note for one candidate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_JUDGMENT_PANEL (assay_judgment_panel_get_type ())
G_DECLARE_FINAL_TYPE (AssayJudgmentPanel, assay_judgment_panel, ASSAY, JUDGMENT_PANEL, GtkWidget)

void     assay_judgment_panel_set_session    (AssayJudgmentPanel *self,
                                              AssaySession       *session);
void     assay_judgment_panel_set_candidate  (AssayJudgmentPanel *self,
                                              gint64              candidate_id);
/* Toggles the candidate label whose shortcut key is `key` (one character);
 * FALSE if no candidate label has that key. */
gboolean assay_judgment_panel_activate_key   (AssayJudgmentPanel *self,
                                              const char         *key);
/* Moves the keyboard focus to the first unscored criterion (or the first);
 * while missing ones are shown, to the first required one missing. */
void     assay_judgment_panel_focus_rubric   (AssayJudgmentPanel *self);
/* Writes pending rationale and note text now. */
void     assay_judgment_panel_flush          (AssayJudgmentPanel *self);
/* After a refused submit: marks the required criteria not scored yet, each
 * until it is scored (or the item changes). */
void     assay_judgment_panel_show_missing   (AssayJudgmentPanel *self,
                                              gboolean            show);
/* Accepts a model's suggestion as the expert's own judgment and says so in
 * a toast: with `all`, every pending one on the candidate; otherwise the
 * one the focus is on (a suggested chip, or the score row of
 * `criterion_id`), or else the candidate's next one. FALSE if there was
 * none (the toast says so) or it could not be written. */
gboolean assay_judgment_panel_accept_proposal (AssayJudgmentPanel *self,
                                               gint64              criterion_id,
                                               gboolean            all);

G_END_DECLS
