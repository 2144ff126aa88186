/* assay-export-dialog.h: writing datasets out of the project, as `assay-cli export` does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"

G_BEGIN_DECLS

/* How the dialog ended. `summary` is one line of plain text for a toast
 * ("Wrote 5 records to calls.sft.jsonl"), or NULL when nothing was written;
 * escape it before it goes into a toast title, which is markup. */
typedef void (*AssayExportDone) (const char *summary,
                                 gpointer    user_data);

/* Shows the Export dialog, modal over `parent`: a format, its options,
 * filters and a split, then a file to write. The export runs in the core's
 * worker (assay_export_to_files_async) on a connection of its own, so the
 * expert may keep working in the project.
 * `done` is called once, when the dialog closes. The choices made are kept
 * for the next time, as long as the app runs. */
void  assay_export_dialog_present (GtkWindow       *parent,
                                   AssayProject    *project,
                                   AssayExportDone  done,
                                   gpointer         user_data);

G_END_DECLS
