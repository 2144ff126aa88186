/* assay-export-private.h: the writers, for assay-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-export.h"

G_BEGIN_DECLS

extern const AssayExportFormat _assay_export_native;

G_END_DECLS
