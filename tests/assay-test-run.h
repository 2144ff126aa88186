/* assay-test-run.h: running assay-cli from a test, beside what the test does
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

/* Removes a folder and everything in it. */
void assay_test_remove_tree (const char  *dir);

G_END_DECLS
