/* assay-test-run.h: what tests do beside the app: run assay-cli, look at
 * locks, damage a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   status;   /* the exit status; a crash fails the test */
  char *out;
  char *err;
} AssayTestRun;

void assay_test_run_clear  (AssayTestRun *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssayTestRun, assay_test_run_clear)

/* Runs $ASSAY_CLI with the arguments, in the test's environment with
 * messages in English, and waits for it. */
void assay_test_run_cli    (AssayTestRun *r,
                            const char   *first,
                            ...) G_GNUC_NULL_TERMINATED;

/* Whether this process holds a POSIX record lock on `path` (from
 * /proc/locks), as SQLite does on an open project and on its -shm: an
 * open and close of the file elsewhere in the process drops them. */
gboolean assay_test_holds_posix_lock (const char *path);

/* Overwrites the middle leaf page of `table` with garbage, as a failing
 * disk or a lost WAL does; returns how many leaf pages the table had. */
guint    assay_test_damage_table (const char *path,
                                  const char *table);

/* Removes a folder and everything in it. */
void assay_test_remove_tree (const char  *dir);

G_END_DECLS
