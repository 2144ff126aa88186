/* assay-adjudication-view.h: every annotator's judgments on one source,
 * side by side, and the gold judgment the eval lead sets from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_ADJUDICATION_VIEW (assay_adjudication_view_get_type ())
G_DECLARE_FINAL_TYPE (AssayAdjudicationView, assay_adjudication_view, ASSAY, ADJUDICATION_VIEW,
                      GtkWidget)

/* Gold judgments are written under the annotator "gold:<lead_id>" named
 * "<lead_name> (gold)", of kind adjudicator, never under the lead's own. */
GtkWidget *assay_adjudication_view_new        (AssayProject          *project,
                                               const char            *lead_id,
                                               const char            *lead_name);
/* Shows every annotator's judgments on the source and its gold, read in a
 * worker thread (AssayAdjudicationView:loading is TRUE meanwhile); a source
 * that cannot be read is shown as such in the view. Returns TRUE. */
gboolean   assay_adjudication_view_set_source (AssayAdjudicationView *self,
                                               gint64                 source_id,
                                               GError               **error);
gboolean   assay_adjudication_view_get_loading (AssayAdjudicationView *self);

/* Signal "changed": gold judgments were saved. */

G_END_DECLS
