/* assay-cli-private.h: what the commands of assay-cli share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "assay-core.h"

G_BEGIN_DECLS

#define EXIT_USAGE 2

/* "assay-cli: message" on standard error. */
void          assay_cli_print_error   (const char    *message);
/* Prints the error, frees it and returns EXIT_FAILURE. */
int           assay_cli_fail          (GError        *error);
/* Parses a command's options; on --help prints and exits 0, on a usage
 * error (or fewer than min_args or more than max_args arguments, -1 for no
 * limit) prints the message and the usage and exits 2. argv[0] is the
 * command's name. */
void          assay_cli_parse_options (const char    *command,
                                       const char    *args,
                                       const char    *summary,
                                       const char    *description,
                                       GOptionEntry  *entries,
                                       int           *argc,
                                       char        ***argv,
                                       int            min_args,
                                       int            max_args);
/* Opens a project or exits with its error. */
/* For a command that writes, and for one that only reads. Both exit with
 * the error when the project cannot be opened. */
AssayProject *assay_cli_open_project  (const char    *path);
AssayProject *assay_cli_open_project_read_only (const char *path);

/* SIGINT, SIGTERM and SIGHUP cancel `cancellable` while watched (on the
 * main context) and the first one is kept, so that a long command stops
 * cleanly and then ends as the signal would have ended it. */
typedef struct
{
  GCancellable *cancellable;
  int           signal;       /* the first signal received, or 0 */
  guint         sources[3];
} AssayCliInterrupt;

void          assay_cli_interrupt_watch   (AssayCliInterrupt *interrupt,
                                           GCancellable      *cancellable);
void          assay_cli_interrupt_unwatch (AssayCliInterrupt *interrupt);
/* Ends the process by the signal received (the shell's status is 130 for
 * SIGINT, 143 for SIGTERM); returns 128 + the signal if it survives. */
int           assay_cli_interrupt_reraise (AssayCliInterrupt *interrupt);

/* Commands that live in files of their own. */
int           assay_cli_export        (int            argc,
                                       char         **argv);
int           assay_cli_merge         (int            argc,
                                       char         **argv);
int           assay_cli_agreement     (int            argc,
                                       char         **argv);
int           assay_cli_leaderboard   (int            argc,
                                       char         **argv);
int           assay_cli_salvage       (int            argc,
                                       char         **argv);
int           assay_cli_calibrate     (int            argc,
                                        char         **argv);
int           assay_cli_suggest       (int            argc,
                                       char         **argv);
int           assay_cli_evidence      (int            argc,
                                       char         **argv);
int           assay_cli_precheck      (int            argc,
                                       char         **argv);

G_END_DECLS
