/* assay-import.h: bringing sources, candidates and judgments into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "assay-precheck.h"
#include "assay-project.h"

G_BEGIN_DECLS

typedef enum
{
  ASSAY_FORMAT_AUTO,    /* from the file name's extension */
  ASSAY_FORMAT_JSONL,
  ASSAY_FORMAT_SRT,
  ASSAY_FORMAT_VTT,
  ASSAY_FORMAT_TXT,
} AssayImportFormat;

gboolean          assay_import_format_from_string (const char        *str,
                                                   AssayImportFormat *format);
/* The format a file name's extension implies, or AUTO if it implies none. */
AssayImportFormat assay_import_format_for_path    (const char        *path);

#define ASSAY_TYPE_IMPORT (assay_import_get_type ())
G_DECLARE_FINAL_TYPE (AssayImport, assay_import, ASSAY, IMPORT, GObject)

/* Called now and then with the share of the input read so far (0 to 1):
 * from the thread that runs assay_import_run(), or on the caller's main
 * context for assay_import_run_async(). */
typedef void (*AssayImportProgress) (double   fraction,
                                     gpointer user_data);

AssayImport *assay_import_new                (AssayProject        *project);

/* Import the valid lines and report the others, instead of refusing all. */
void         assay_import_set_skip_invalid   (AssayImport         *self,
                                              gboolean             skip_invalid);
/* "FIELD=PATH": where a native field is found in a foreign JSONL line
 * (see docs/formats.md). */
gboolean     assay_import_add_map            (AssayImport         *self,
                                              const char          *spec,
                                              GError             **error);
/* Merge another expert's work: sources and candidates already in the
 * project are matched (and must be the same), the template is kept, and
 * each annotator's judgments on each source replace the project's set as a
 * whole, unless the project's set was changed later than the file's. */
void         assay_import_set_merge          (AssayImport         *self,
                                              gboolean             merge);
/* Whether the candidates the import adds are pre-checked (assay-precheck.h)
 * in the same transaction. Off unless set: `assay-cli import` and the
 * app's import turn it on. */
void         assay_import_set_precheck       (AssayImport         *self,
                                              gboolean             precheck);
/* After a run: what the pre-check of the new candidates found. */
const AssayPrecheckSummary *
             assay_import_get_precheck_summary (AssayImport       *self);
/* After a merge: (annotator, source) sets replaced, and kept because the
 * project's were newer. */
guint        assay_import_get_n_replaced     (AssayImport         *self);
guint        assay_import_get_n_kept         (AssayImport         *self);
void         assay_import_set_progress_func  (AssayImport         *self,
                                              AssayImportProgress  func,
                                              gpointer             user_data);
/* In a progress function: which input is being read, as an index into the
 * inputs in the order they were added. */
guint        assay_import_get_progress_input (AssayImport         *self);

/* Queue input. `path` "-" is standard input. AUTO takes the format from the
 * extension and fails at run time if there is none. */
void         assay_import_add_file           (AssayImport         *self,
                                              const char          *path,
                                              AssayImportFormat    format);
/* The same, named `display_name` in problems instead of by its path. */
void         assay_import_add_file_as        (AssayImport         *self,
                                              const char          *path,
                                              const char          *display_name,
                                              AssayImportFormat    format);
void         assay_import_add_bytes          (AssayImport         *self,
                                              const char          *display_name,
                                              GBytes              *bytes,
                                              AssayImportFormat    format);

/* Imports everything queued in one transaction. Without skip-invalid, any
 * problem rolls the whole import back and fails; the error lists the
 * problems, one "FILE:LINE: what is wrong" per line. */
gboolean     assay_import_run                (AssayImport         *self,
                                              GCancellable        *cancellable,
                                              GError             **error);

/* assay_import_run() in a worker thread, through a connection of its own
 * to the project's file, opened there as a writer under the project's
 * locks (docs/architecture.md, "Locks") and closed before the callback, so
 * that the caller's connection stays free. A read-only project refuses at
 * once, with its reason (ASSAY_ERROR_READ_ONLY). The files are read in the
 * worker too. The progress function is called on the thread-default main
 * context of the caller, never after the callback, and at most once for
 * each time that context runs; do not touch the import before the
 * callback. */
void         assay_import_run_async          (AssayImport         *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean     assay_import_run_finish         (AssayImport         *self,
                                              GAsyncResult        *result,
                                              GError             **error);

/* After a run: what came in, and what was refused. */
gint64       assay_import_get_n_sources      (AssayImport         *self);
gint64       assay_import_get_n_candidates   (AssayImport         *self);
gint64       assay_import_get_n_judgments    (AssayImport         *self);
gint64       assay_import_get_n_annotators   (AssayImport         *self);
/* (element-type utf8): "FILE:LINE: what is wrong", in input order. */
GPtrArray   *assay_import_get_problems       (AssayImport         *self);
/* Lines (or files) refused in total; may exceed the problems listed. */
guint        assay_import_get_n_refused      (AssayImport         *self);

G_END_DECLS
