/* assay-export.h: datasets out of a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each format is a small, separate writer (assay-export-<name>.c) behind
 * one interface; this file finds them and writes their output safely: to a
 * temporary file beside the target, renamed into place only when complete.
 */
#pragma once

#include <gio/gio.h>

#include "assay-project.h"

G_BEGIN_DECLS

typedef struct _AssayExportOptions AssayExportOptions;

AssayExportOptions *assay_export_options_new     (void);
void                assay_export_options_free    (AssayExportOptions *options);
/* Format-specific settings, such as style=prompt-completion. */
void                assay_export_options_set     (AssayExportOptions *options,
                                                  const char         *key,
                                                  const char         *value);
const char         *assay_export_options_get     (AssayExportOptions *options,
                                                  const char         *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayExportOptions, assay_export_options_free)

/* Where a writer puts its bytes: a buffer flushed to the stream as it
 * fills, so writers append to `buf` freely. */
typedef struct
{
  GString       *buf;
  GOutputStream *out;
  GCancellable  *cancellable;
} AssayExportSink;

/* Flushes `buf` to the stream when it is large (or always, if `force`). */
gboolean            assay_export_sink_flush      (AssayExportSink    *sink,
                                                  gboolean            force,
                                                  GError            **error);

typedef struct
{
  const char *name;          /* as given to --format */
  const char *description;   /* translatable, for --help and the Export dialog */
  const char *extension;     /* of the file it writes, without the dot */
  gboolean  (*write)        (AssayProject        *project,
                             AssayExportOptions  *options,
                             AssayExportSink     *sink,
                             GError             **error);
} AssayExportFormat;

/* All formats, NULL-terminated. */
const AssayExportFormat * const *assay_export_get_formats (void);
const AssayExportFormat *assay_export_find_format        (const char *name);

/* Writes the project in `format` to `path` ("-" is standard output). A
 * file is written under a temporary name and renamed when complete, so a
 * failed or cancelled export never leaves a partial file at `path`. */
gboolean            assay_export_to_path         (AssayProject        *project,
                                                  const char          *format,
                                                  AssayExportOptions  *options,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* The same into a stream the caller owns. */
gboolean            assay_export_to_stream       (AssayProject        *project,
                                                  const char          *format,
                                                  AssayExportOptions  *options,
                                                  GOutputStream       *stream,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

G_END_DECLS
