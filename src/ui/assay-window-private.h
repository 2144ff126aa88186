/* assay-window-private.h: what the window's tests reach without a file chooser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-window.h"

G_BEGIN_DECLS

/* What the New Project chooser does with the file picked: checks it, then
 * asks for the template (an AdwMessageDialog) and creates the project. */
void  _assay_window_new_project_at (AssayWindow *self,
                                    GFile       *chosen);
/* What the Save Readable Copy chooser does with the file picked. */
void  _assay_window_salvage_to     (AssayWindow *self,
                                    GFile       *chosen);
/* TRUE while a project is being opened in this window or its queue read,
 * in a worker; once FALSE, the item to resume is on screen (or the
 * identity dialog, the damaged page or an error). */
gboolean _assay_window_get_opening (AssayWindow *self);
/* The annotator id offered for a name: "Dr. Ada Lund" → "dr-ada-lund". */
char *_assay_window_id_from_name   (const char  *name);

G_END_DECLS
