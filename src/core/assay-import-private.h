/* assay-import-private.h: inputs that are written while the import reads them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-import.h"

G_BEGIN_DECLS

/* Writes native JSONL into `out`, line after line; the import reads each
 * line as it comes, so the input is never held whole. Called from the
 * thread that runs the import, once for a first pass over the input and
 * once to import it; both calls must write the same lines. */
typedef gboolean (*AssayImportProducer) (GOutputStream  *out,
                                         GCancellable   *cancellable,
                                         gpointer        user_data,
                                         GError        **error);

/* Queues such an input, named `display_name` in problems. `destroy` frees
 * `user_data` when the import is finalized. Lines of a produced input are
 * not put aside: each must name only sources and candidates that are in
 * the project or earlier in the input. */
void _assay_import_add_producer (AssayImport         *self,
                                 const char          *display_name,
                                 AssayImportProducer  func,
                                 gpointer             user_data,
                                 GDestroyNotify       destroy);

G_END_DECLS
