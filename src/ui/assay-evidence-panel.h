/* assay-evidence-panel.h: the transcript passages that bear on a claim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "assay-core.h"
#include "assay-session.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_EVIDENCE_PANEL (assay_evidence_panel_get_type ())
G_DECLARE_FINAL_TYPE (AssayEvidencePanel, assay_evidence_panel, ASSAY, EVIDENCE_PANEL, GtkWidget)

void          assay_evidence_panel_set_session   (AssayEvidencePanel *self,
                                                  AssaySession       *session);
/* Ranks the passages of the current item's source against `claim` (NULL
 * clears the list): at once when the source's passages are indexed,
 * otherwise once a worker has indexed them. */
void          assay_evidence_panel_set_claim     (AssayEvidencePanel *self,
                                                  const char         *claim);
/* The passages shown, best first; NULL past the end. */
guint         assay_evidence_panel_get_n_passages (AssayEvidencePanel *self);
const AssayEvidencePassage *
              assay_evidence_panel_get_passage   (AssayEvidencePanel *self,
                                                  guint               index);
/* Moves the keyboard focus to the best passage; FALSE if there is none. */
gboolean      assay_evidence_panel_focus_first   (AssayEvidencePanel *self);

G_END_DECLS
