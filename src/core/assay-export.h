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
#include "assay-stats.h"
#include "assay-template.h"

G_BEGIN_DECLS

typedef struct _AssayExportOptions AssayExportOptions;

AssayExportOptions *assay_export_options_new     (void);
void                assay_export_options_free    (AssayExportOptions *options);
/* Format-specific settings: style=prompt-completion (sft),
 * conversational=true (sft prompt-completion, preference), provenance=true
 * (sft messages, dpo-openai, openai-evals). */
void                assay_export_options_set     (AssayExportOptions *options,
                                                  const char         *key,
                                                  const char         *value);
const char         *assay_export_options_get     (AssayExportOptions *options,
                                                  const char         *key);

/* Filters narrow the project before a dataset format reads it. Each may be
 * given several times; see docs/formats.md, "Exports". What they name is
 * checked against the project when the export runs. */

/* Only sources that some annotator gave this review status. */
gboolean            assay_export_options_add_status    (AssayExportOptions  *options,
                                                        const char          *status,
                                                        GError             **error);
/* Only this annotator's judgments (by annotator id). */
void                assay_export_options_add_annotator (AssayExportOptions  *options,
                                                        const char          *annotator);
/* Only candidates of this model. */
void                assay_export_options_add_model     (AssayExportOptions  *options,
                                                        const char          *model);
/* "SET=OPTION": only candidates that were given this label. */
gboolean            assay_export_options_add_label     (AssayExportOptions  *options,
                                                        const char          *spec,
                                                        GError             **error);
/* Only judgments by annotators of these kinds. 0, the default, is
 * assay_stats_kinds_by_default (ASSAY_STATS_ALL_KINDS): people and
 * adjudicators, never a model annotator's proposals; except that
 * annotators named with assay_export_options_add_annotator() count
 * whatever their kind when no kinds are set. */
void                assay_export_options_set_kinds     (AssayExportOptions  *options,
                                                        AssayStatsKinds      kinds);
/* Only judgments by annotators of kind adjudicator. */
void                assay_export_options_set_adjudicated_only (AssayExportOptions *options,
                                                               gboolean            adjudicated_only);
/* "train=0.8,test=0.2": whole sources go to one split each, by a hash of
 * the seed and the source id, and each split to a file of its own. */
gboolean            assay_export_options_set_split     (AssayExportOptions  *options,
                                                        const char          *spec,
                                                        GError             **error);
void                assay_export_options_set_seed      (AssayExportOptions  *options,
                                                        guint64              seed);
/* The split names, in the order given (NULL-terminated; empty without a split). */
const char * const *assay_export_options_get_splits    (AssayExportOptions  *options);
/* Which split a source goes to: an index into the splits, or -1 without a split. */
int                 assay_export_options_split_for     (AssayExportOptions  *options,
                                                        const char          *source_id);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayExportOptions, assay_export_options_free)

/* Where a writer puts its bytes: a buffer flushed to the stream as it
 * fills, so writers append to `buf` freely. When a split is exported, the
 * sink switches `buf`, `out` and `n_records` between the split files as
 * the writer moves from source to source, so a writer must read `buf`
 * afresh for each source rather than keep it. */
typedef struct
{
  GString       *buf;
  GOutputStream *out;
  GCancellable  *cancellable;
  gint64         n_records;     /* records written to `out`; writers count them */
  /*< private >*/
  gboolean       count_lines;   /* the writer does not count: one record per line */
  guint          part;
  guint          n_parts;
  gpointer       parts;
} AssayExportSink;

/* Flushes `buf` to the stream when it is large (or always, if `force`). */
gboolean            assay_export_sink_flush      (AssayExportSink    *sink,
                                                  gboolean            force,
                                                  GError            **error);

typedef enum
{
  ASSAY_EXPORT_FORMAT_COUNTS_RECORDS = 1 << 0, /* the writer counts its records */
  ASSAY_EXPORT_FORMAT_FILTERS        = 1 << 1, /* takes filters and splits */
  ASSAY_EXPORT_FORMAT_GOLD           = 1 << 2, /* one record per source with a gold summary */
  ASSAY_EXPORT_FORMAT_STYLE          = 1 << 3, /* takes style */
  ASSAY_EXPORT_FORMAT_CONVERSATIONAL = 1 << 4, /* takes conversational */
  ASSAY_EXPORT_FORMAT_PROVENANCE     = 1 << 5, /* takes provenance */
} AssayExportFormatFlags;

/* A format as the CLI and the Export dialog present it: everything they
 * say about a format comes from here (translate the texts with _()). */
typedef struct
{
  const char *name;          /* as given to --format */
  const char *description;   /* what it holds, one sentence, translatable */
  const char *extension;     /* of the file it writes, without the dot */
  gboolean  (*write)        (AssayProject        *project,
                             AssayExportOptions  *options,
                             AssayExportSink     *sink,
                             GError             **error);
  AssayExportFormatFlags flags;
  const char *title;         /* a short name for lists, translatable */
  const char *audience;      /* who reads it ("For Inspect AI."), translatable */
} AssayExportFormat;

/* All formats, NULL-terminated. */
const AssayExportFormat * const *assay_export_get_formats (void);
const AssayExportFormat *assay_export_find_format        (const char *name);

/* Whether `options` suit `format`: filters and a split only for the
 * dataset formats, a style only for sft, and so on. */
gboolean            assay_export_format_check_options (const AssayExportFormat  *format,
                                                       AssayExportOptions       *options,
                                                       GError                  **error);

/* How the project's template chooses a source's gold summary, in words,
 * for `assay-cli export -v` and the Export dialog. */
char               *assay_export_describe_gold_rule (AssayProject  *project,
                                                     GError       **error);

/* One file an export wrote. */
typedef struct
{
  char   *path;
  char   *split;       /* NULL without a split */
  gint64  n_records;
} AssayExportFile;

void                assay_export_file_free       (AssayExportFile    *file);

/* Writes the project in `format` to `path` ("-" is standard output). A
 * file is written under a temporary name beside it (".NAME.XXXXXX.tmp")
 * and renamed when complete; a failed or cancelled export removes its
 * temporary files before it returns, and leaves `path` as it was. With a
 * split, one file per split is written, named by inserting the split's
 * name before the extension (out.jsonl: out.train.jsonl, out.test.jsonl);
 * they are renamed into place only when all are complete. */
gboolean            assay_export_to_path         (AssayProject        *project,
                                                  const char          *format,
                                                  AssayExportOptions  *options,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* The same, returning what was written: (element-type AssayExportFile). */
GPtrArray          *assay_export_to_files        (AssayProject        *project,
                                                  const char          *format,
                                                  AssayExportOptions  *options,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GError             **error);
/* assay_export_to_files() in a worker thread, through a read-only
 * connection of its own to the project's file (a reader under the
 * project's locks, closed before the callback), so that the caller's
 * connection stays free (the expert goes on judging). Takes `options`.
 * Cancelling removes every temporary file before the callback runs. */
void                assay_export_to_files_async  (AssayProject        *project,
                                                  const char          *format,
                                                  AssayExportOptions  *options,
                                                  const char          *path,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
/* (element-type AssayExportFile) (transfer container): the files written. */
GPtrArray          *assay_export_to_files_finish (GAsyncResult        *result,
                                                  GError             **error);
/* For an application that quits while exports run, whose main loop will
 * not run their callbacks again: cancels the exports started with
 * `cancellable` and blocks until their workers have stopped, their
 * temporary files removed and their connections closed. */
void                assay_export_cancel_and_wait (GCancellable        *cancellable);

/* What an export can be narrowed to, for the Export dialog's lists: read
 * in a worker thread through a read-only connection of its own, because
 * listing a large project's models takes a while. */
typedef struct
{
  GPtrArray     *annotators;  /* (element-type AssayAnnotatorInfo): every annotator */
  GPtrArray     *models;      /* (element-type AssayModelCount) */
  AssayTemplate *tmpl;        /* NULL if the template could not be read */
  char          *gold_rule;   /* assay_export_describe_gold_rule(), or NULL */
  char          *problem;     /* why a list is missing, or NULL */
} AssayExportChoices;

void                assay_export_choices_free    (AssayExportChoices  *choices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayExportChoices, assay_export_choices_free)
void                assay_export_read_choices_async  (AssayProject        *project,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* (transfer full): the lists, or NULL if the project could not be read. */
AssayExportChoices *assay_export_read_choices_finish (GAsyncResult        *result,
                                                      GError             **error);
/* The path of a split's file: "out.jsonl" and "train" give "out.train.jsonl". */
char               *assay_export_split_path      (const char          *path,
                                                  const char          *split);
/* The same into a stream the caller owns (not with a split). */
gboolean            assay_export_to_stream       (AssayProject        *project,
                                                  const char          *format,
                                                  AssayExportOptions  *options,
                                                  GOutputStream       *stream,
                                                  GCancellable        *cancellable,
                                                  GError             **error);

G_END_DECLS
