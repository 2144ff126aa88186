/* assay-export-dialog-private.h: what the export dialog's tests drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-export-dialog.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_EXPORT_DIALOG (assay_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (AssayExportDialog, assay_export_dialog, ASSAY, EXPORT_DIALOG, AdwWindow)

/* The dialog, not yet presented. */
AssayExportDialog *_assay_export_dialog_new         (GtkWindow         *parent,
                                                     AssayProject      *project,
                                                     AssayExportDone    done,
                                                     gpointer           user_data);
/* Exports with the dialog's current settings to `path`, as if the expert
 * had chosen it in the file chooser (which has confirmed replacing `path`
 * itself; the split's files are still confirmed by the dialog). */
void               _assay_export_dialog_export_to   (AssayExportDialog *self,
                                                     const char        *path);
/* Whether an export is running, or waits for the project's values. */
gboolean           _assay_export_dialog_is_busy     (AssayExportDialog *self);
/* Whether the project's annotators, models and labels are being read. */
gboolean           _assay_export_dialog_is_loading  (AssayExportDialog *self);
/* The file name the file chooser suggests. */
char              *_assay_export_dialog_dup_suggested_name (AssayExportDialog *self);
/* Forgets the choices kept from the last dialog. */
void               _assay_export_dialog_reset_choices (void);

G_END_DECLS
