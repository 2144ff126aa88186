/* assay-salvage.h: what can still be read of a damaged project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What became of one table of the damaged project. */
typedef struct
{
  char     *table;
  gint64    saved;       /* rows copied into the new project */
  gint64    unreadable;  /* rows the project's indexes list but SQLite could not read */
  gint64    refused;     /* rows read but left out: what they belong to was lost,
                          * or the values break the project's rules */
  gboolean  damaged;     /* reading met damage: more rows than counted may be lost */
} AssaySalvageTable;

typedef struct
{
  GPtrArray *tables;     /* (element-type AssaySalvageTable), the project's tables in order */
  gint64     saved;
  gint64     unreadable;
  gint64     refused;
  guint      n_damaged;  /* tables in which reading met damage */
} AssaySalvageReport;

void      assay_salvage_report_free (AssaySalvageReport  *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySalvageReport, assay_salvage_report_free)

/**
 * assay_salvage_project:
 * @damaged: a project SQLite can open but not read in full
 * @target: the new project to write; must not exist
 * @report: (out) (optional) (transfer full): how much was saved and skipped
 *
 * Copies every row SQLite can still read from @damaged, table by table,
 * into a new project at @target, skipping what cannot be read. @damaged is
 * only read (its -wal too, which holds its latest changes). Rows whose
 * parent was lost (a score of a candidate that could not be read) are left
 * out, and so are the turns of a transcript that lost some of them (the
 * source keeps its whole text), so that the copy is a sound project that
 * `assay-cli check` passes.
 * The copy is written completely or not at all.
 *
 * Returns: %FALSE with @error set if nothing could be read (the project's
 * header or schema is damaged) or the copy could not be written.
 */
gboolean  assay_salvage_project     (const char          *damaged,
                                     const char          *target,
                                     AssaySalvageReport **report,
                                     GError             **error);

/**
 * assay_check_pages:
 * @path: a project file
 * @problems: (out) (transfer full): what SQLite found, empty if nothing
 *
 * SQLite's quick check of every page of the project (PRAGMA quick_check),
 * through a read-only connection that is safe while the app has the project
 * open. Much faster than assay_check_project() on a large project, and it
 * finds the damage that makes a project unreadable; it does not check
 * Assay's own rules. Cancelling stops it with %G_IO_ERROR_CANCELLED.
 *
 * Returns: %FALSE with @error set if the project could not be checked.
 */
gboolean  assay_check_pages         (const char          *path,
                                     GPtrArray          **problems,
                                     GCancellable        *cancellable,
                                     GError             **error);

/**
 * assay_path_holds_project:
 * @path: a file name
 *
 * Whether @path is a file that must not be replaced by a new project: an
 * Assay project (damaged or not), or a file with a project's companions
 * (-wal, -shm, -lock) beside it, which would be taken for the new file's.
 * The file is not opened outside SQLite if this process has it open.
 */
gboolean  assay_path_holds_project  (const char          *path);

G_END_DECLS
