/* assay-import-dialog-private.h: what the import dialog's tests look into
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-import-dialog.h"

G_BEGIN_DECLS

#define ASSAY_TYPE_IMPORT_PROGRESS_WINDOW (assay_import_progress_window_get_type ())
G_DECLARE_FINAL_TYPE (AssayImportProgressWindow, assay_import_progress_window,
                      ASSAY, IMPORT_PROGRESS_WINDOW, AdwWindow)

#define ASSAY_TYPE_IMPORT_REPORT (assay_import_report_get_type ())
G_DECLARE_FINAL_TYPE (AssayImportReport, assay_import_report, ASSAY, IMPORT_REPORT, AdwWindow)

/* How long an import runs before the progress window shows (300 ms). */
void  _assay_import_dialog_set_show_delay (guint ms);

G_END_DECLS
