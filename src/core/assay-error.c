/* assay-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include "assay-error.h"

G_DEFINE_QUARK (assay-error-quark, assay_error)
