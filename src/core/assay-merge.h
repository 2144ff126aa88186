/* assay-merge.h: bringing other experts' work into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-import.h"
#include "assay-project.h"

G_BEGIN_DECLS

/* Queues another expert's project (.assay) or native JSONL file on an
 * import set to merge (assay_import_set_merge). A project is read from a
 * copy, so the other file is never changed, not even migrated. */
gboolean assay_import_add_merge_source (AssayImport   *import,
                                        AssayProject  *project,
                                        const char    *path,
                                        GError       **error);

G_END_DECLS
