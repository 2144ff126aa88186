/* assay-merge.h: bringing other experts' work into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-import.h"
#include "assay-project.h"

G_BEGIN_DECLS

/* Queues another expert's project (.assay) or native JSONL file on an
 * import set to merge (assay_import_set_merge). A project is opened
 * read-only here (an error if it cannot be) and read through SQLite when
 * the import runs, committed changes in its -wal included; it is never
 * changed, not even migrated or checkpointed, and its export is streamed
 * into the import rather than held. */
gboolean assay_import_add_merge_source (AssayImport   *import,
                                        AssayProject  *project,
                                        const char    *path,
                                        GError       **error);

G_END_DECLS
