/* assay-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ASSAY_ERROR (assay_error_quark ())

typedef enum
{
  ASSAY_ERROR_FAILED,
  ASSAY_ERROR_NOT_A_PROJECT,   /* the file is not an Assay project */
  ASSAY_ERROR_TOO_NEW,         /* written by a newer Assay */
  ASSAY_ERROR_CORRUPT,         /* damaged, or a schema that is not ours */
  ASSAY_ERROR_INVALID_INPUT,   /* a file to import, or a template, is wrong */
  ASSAY_ERROR_NOT_FOUND,
  ASSAY_ERROR_EXISTS,
  ASSAY_ERROR_DATABASE,        /* SQLite said no (disk full, locked, ...) */
  ASSAY_ERROR_BUSY,            /* another program holds the project (the app, a command) */
  ASSAY_ERROR_READ_ONLY,       /* the project cannot be changed (file, folder, or opened so) */
} AssayError;

GQuark assay_error_quark (void);

G_END_DECLS
