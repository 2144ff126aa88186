/* assay-import-dialog.h: bringing files into the project, with progress and a report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"

G_BEGIN_DECLS

/* How an import ended. `imported` is TRUE when something new is in the
 * project: reload the queue (assay_queue_reload). `summary`, when not NULL,
 * is one line of plain text for a toast ("Imported 12 items, 48 summaries
 * and 3 judgments", "Import cancelled; nothing was imported"); escape it
 * before it goes into a toast title, which is markup. */
typedef void (*AssayImportDone) (gboolean    imported,
                                 const char *summary,
                                 gpointer    user_data);

/* Asks for files (JSONL, SRT, WebVTT, plain text) and imports them. `done`
 * is called once, also when the expert cancels the file chooser. */
void  assay_import_dialog_run       (GtkWindow        *parent,
                                     AssayProject     *project,
                                     AssayImportDone   done,
                                     gpointer          user_data);
/* Imports these files without asking (drag and drop, tests). The import
 * runs in the core's worker (assay_import_run_async), on a connection of
 * its own, into `project` unless it is read-only; a progress window appears if
 * it takes more than a moment; a refused import shows the report, from
 * which the expert can import the valid lines. */
void  assay_import_dialog_run_files (GtkWindow        *parent,
                                     AssayProject     *project,
                                     GFile           **files,
                                     guint             n_files,
                                     AssayImportDone   done,
                                     gpointer          user_data);

G_END_DECLS
