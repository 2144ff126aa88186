/* assay-lock-private.h: who holds a project, in a way a stray close() cannot undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SQLite coordinates processes with POSIX record locks, and POSIX drops every
 * such lock a process holds on a file as soon as the process closes *any*
 * descriptor of that file. A file chooser sniffing the project is enough. A
 * process that has lost its locks looks absent to the others, and the next
 * one to close the project checkpoints and deletes the WAL under it.
 *
 * So every Assay process that opens a project also holds an open file
 * description lock (Linux OFD locks) on a companion file, PROJECT.assay-lock.
 * Those belong to the lock file's own description and survive any other
 * close. Two bytes of it carry the protocol (see docs/architecture.md):
 *
 *   byte 0, "holder": the app takes it exclusively for as long as it has the
 *     project open; a process that writes from the command line takes it
 *     shared. So the command line never writes beside an app, and an app
 *     opening a project that a command is changing opens it read-only.
 *   byte 1, "user": every process with a connection holds it shared. Only a
 *     process that can take it exclusively (nobody else has the project open)
 *     lets SQLite checkpoint and remove the WAL on close.
 *
 * One lock object exists per project file per process (OFD locks of two
 * descriptions in one process would conflict with each other), shared by
 * every connection the process opens on that file.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _AssayLock AssayLock;

typedef enum
{
  ASSAY_LOCK_READER,  /* reads only */
  ASSAY_LOCK_WRITER,  /* writes; refused while an app holds the project */
  ASSAY_LOCK_APP,     /* the app; falls back to a reader when it cannot hold */
} AssayLockMode;

typedef enum
{
  ASSAY_LOCK_GRANTED,         /* as asked */
  ASSAY_LOCK_APP_ELSEWHERE,   /* another process's app holds the project */
  ASSAY_LOCK_WRITER_ELSEWHERE,/* a command in another process is changing it */
  ASSAY_LOCK_UNAVAILABLE,     /* no lock file can be made (a read-only folder) */
} AssayLockState;

/* Takes the lock for `path` in `mode`. A WRITER that meets an app fails with
 * ASSAY_ERROR_BUSY; an APP that meets another holder is given a READER and
 * told why in `state`. Returns NULL only on error. A project whose folder
 * cannot hold the lock file gets a lock object that locks nothing
 * (state UNAVAILABLE). */
AssayLock *_assay_lock_acquire        (const char     *path,
                                       AssayLockMode   mode,
                                       AssayLockState *state,
                                       GError        **error);
/* The mode this reference was granted. */
AssayLockMode _assay_lock_get_mode    (AssayLock      *lock);
/* TRUE if an app in another process holds the project now. */
gboolean   _assay_lock_app_elsewhere  (AssayLock      *lock);

/* Releasing is in two steps around closing the connection: begin returns
 * TRUE if this was the process's last reference and no other process uses
 * the project, in which case the connection may checkpoint and remove the
 * WAL as it closes; end lets go (and removes the lock file when alone). */
gboolean   _assay_lock_begin_release  (AssayLock      *lock);
void       _assay_lock_end_release    (AssayLock      *lock,
                                       gboolean        alone);

/* TRUE if `path` is a file of a project this process has open (the project,
 * its -wal, -shm, -journal or lock file): such a file must never be opened
 * outside SQLite, because closing it would drop SQLite's locks. */
gboolean   _assay_lock_is_open_file   (const char     *path);

G_END_DECLS
