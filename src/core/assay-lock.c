/* assay-lock.c: who holds a project, in a way a stray close() cannot undo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See assay-lock-private.h for the protocol and docs/architecture.md for why.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "assay-error.h"
#include "assay-lock-private.h"

#define HOLDER_BYTE 0
#define USER_BYTE   1

/* How long an opener waits for a process that is closing the project (and
 * checkpointing it) to let go. */
#define CLOSE_WAIT_USEC (30 * G_USEC_PER_SEC)

typedef struct
{
  dev_t  dev;
  ino_t  ino;
  char  *path;        /* the project, as first opened */
  char  *lock_path;
  int    fd;          /* the lock file, or -1 when none could be made */
  guint  n_refs[3];   /* by AssayLockMode */
  short  holder;      /* what this process holds on HOLDER_BYTE */
} Entry;

struct _AssayLock
{
  Entry         *entry;
  AssayLockMode  mode;
};

static GMutex registry_mutex;
static GPtrArray *registry;   /* of Entry */

static int
set_lock (int   fd,
          short type,
          off_t start)
{
#ifdef F_OFD_SETLK
  struct flock fl = { 0 };

  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = 1;
  return fcntl (fd, F_OFD_SETLK, &fl);
#else
# error "Assay needs open file description locks (F_OFD_SETLK)"
#endif
}

/* The type of a lock another description holds that conflicts with taking
 * `type` at `start`, or F_UNLCK. */
static short
conflicting_lock (int   fd,
                  short type,
                  off_t start)
{
  struct flock fl = { 0 };

  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = start;
  fl.l_len = 1;
  if (fcntl (fd, F_OFD_GETLK, &fl) != 0)
    return F_UNLCK;
  return fl.l_type;
}

static guint
entry_refs (Entry *e)
{
  return e->n_refs[ASSAY_LOCK_READER] + e->n_refs[ASSAY_LOCK_WRITER] + e->n_refs[ASSAY_LOCK_APP];
}

static void
entry_free (Entry *e)
{
  if (e->fd >= 0)
    close (e->fd);
  g_free (e->path);
  g_free (e->lock_path);
  g_free (e);
}

static Entry *
find_entry (dev_t dev,
            ino_t ino)
{
  for (guint i = 0; registry != NULL && i < registry->len; i++)
    {
      Entry *e = g_ptr_array_index (registry, i);

      if (e->dev == dev && e->ino == ino)
        return e;
    }
  return NULL;
}

/* Opens the lock file and takes the user byte shared. The file may be
 * removed by the last process to close the project, between our open and
 * our lock: then the lock is on a file nobody else will see, so check that
 * the name still leads to what we locked, and start again if not. */
static gboolean
open_lock_file (Entry       *e,
                mode_t       mode,
                GError     **error)
{
  gint64 deadline = g_get_monotonic_time () + CLOSE_WAIT_USEC;

  for (;;)
    {
      struct stat fst, pst;
      int fd;

      fd = open (e->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
      if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
        fd = open (e->lock_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
      if (fd < 0)
        {
          /* A folder nobody may write: the project can only be read, and
           * nobody can change it under us without the same rights. */
          e->fd = -1;
          return TRUE;
        }
      if (fstat (fd, &fst) != 0 || !S_ISREG (fst.st_mode))
        {
          close (fd);
          e->fd = -1;
          return TRUE;
        }

      if (set_lock (fd, F_RDLCK, USER_BYTE) != 0)
        {
          int saved = errno;

          close (fd);
          if (saved != EAGAIN && saved != EACCES && saved != EINTR)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_DATABASE,
                           _("Could not lock “%s”: %s"), e->lock_path, g_strerror (saved));
              return FALSE;
            }
          /* Another process is closing the project; it lets go shortly. */
          if (g_get_monotonic_time () > deadline)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_BUSY,
                           _("“%s” is still being closed by another program"), e->path);
              return FALSE;
            }
          g_usleep (5000);
          continue;
        }

      if (stat (e->lock_path, &pst) == 0 && pst.st_dev == fst.st_dev && pst.st_ino == fst.st_ino)
        {
          e->fd = fd;
          return TRUE;
        }
      close (fd);
    }
}

static short
wanted_holder (Entry *e)
{
  if (e->n_refs[ASSAY_LOCK_APP] > 0)
    return F_WRLCK;
  if (e->n_refs[ASSAY_LOCK_WRITER] > 0)
    return F_RDLCK;
  return F_UNLCK;
}

AssayLock *
_assay_lock_acquire (const char     *path,
                     AssayLockMode   mode,
                     AssayLockState *state,
                     GError        **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_mutex);
  struct stat st;
  Entry *e;
  AssayLock *lock;
  gboolean created = FALSE;
  AssayLockState granted = ASSAY_LOCK_GRANTED;

  g_return_val_if_fail (path != NULL, NULL);

  if (stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, ASSAY_ERROR, saved == ENOENT ? ASSAY_ERROR_NOT_FOUND : ASSAY_ERROR_DATABASE,
                   _("Could not open “%s”: %s"), path, g_strerror (saved));
      return NULL;
    }

  e = find_entry (st.st_dev, st.st_ino);
  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->dev = st.st_dev;
      e->ino = st.st_ino;
      e->path = g_strdup (path);
      e->lock_path = g_strconcat (path, "-lock", NULL);
      e->holder = F_UNLCK;
      if (!open_lock_file (e, st.st_mode & 0666, error))
        {
          entry_free (e);
          return NULL;
        }
      if (registry == NULL)
        registry = g_ptr_array_new ();
      g_ptr_array_add (registry, e);
      created = TRUE;
    }

  if (e->fd < 0)
    {
      if (mode == ASSAY_LOCK_WRITER)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY,
                       _("“%s” cannot be changed: its lock file “%s” cannot be created"),
                       path, e->lock_path);
          goto refused;
        }
      if (mode == ASSAY_LOCK_APP)
        {
          mode = ASSAY_LOCK_READER;
          granted = ASSAY_LOCK_UNAVAILABLE;
        }
    }
  else if (mode == ASSAY_LOCK_WRITER && e->holder == F_UNLCK)
    {
      if (set_lock (e->fd, F_RDLCK, HOLDER_BYTE) != 0)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_BUSY,
                       _("“%s” is open in Assay. Close it there to change it from the command "
                         "line; commands that only read it (info, export, agreement, leaderboard, "
                         "check) work while it is open."),
                       path);
          goto refused;
        }
      e->holder = F_RDLCK;
    }
  else if (mode == ASSAY_LOCK_APP && e->holder != F_WRLCK)
    {
      if (set_lock (e->fd, F_WRLCK, HOLDER_BYTE) == 0)
        e->holder = F_WRLCK;
      else
        {
          short other = conflicting_lock (e->fd, F_WRLCK, HOLDER_BYTE);

          mode = ASSAY_LOCK_READER;
          granted = other == F_RDLCK ? ASSAY_LOCK_WRITER_ELSEWHERE : ASSAY_LOCK_APP_ELSEWHERE;
        }
    }

  e->n_refs[mode]++;
  lock = g_new0 (AssayLock, 1);
  lock->entry = e;
  lock->mode = mode;
  if (state != NULL)
    *state = granted;
  return lock;

refused:
  if (created)
    {
      g_ptr_array_remove (registry, e);
      entry_free (e);
    }
  return NULL;
}

AssayLockMode
_assay_lock_get_mode (AssayLock *lock)
{
  return lock->mode;
}

gboolean
_assay_lock_app_elsewhere (AssayLock *lock)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_mutex);
  Entry *e = lock->entry;

  if (e->fd < 0 || e->holder == F_WRLCK)
    return FALSE;
  return conflicting_lock (e->fd, F_RDLCK, HOLDER_BYTE) == F_WRLCK;
}

gboolean
_assay_lock_begin_release (AssayLock *lock)
{
  Entry *e = lock->entry;
  short want;

  /* Held until _assay_lock_end_release, so that no connection of this
   * process opens between the decision and the close. */
  g_mutex_lock (&registry_mutex);

  g_assert (e->n_refs[lock->mode] > 0);
  e->n_refs[lock->mode]--;
  if (e->fd < 0)
    return FALSE;

  want = wanted_holder (e);
  if (want != e->holder && set_lock (e->fd, want, HOLDER_BYTE) == 0)
    e->holder = want;

  if (entry_refs (e) > 0)
    return FALSE;

  /* Every process with a connection holds the user byte shared: if we can
   * take it alone, nobody else has the project open. */
  return set_lock (e->fd, F_WRLCK, USER_BYTE) == 0;
}

void
_assay_lock_end_release (AssayLock *lock,
                         gboolean   alone)
{
  Entry *e = lock->entry;

  if (entry_refs (e) == 0)
    {
      if (alone)
        {
          struct stat fst, pst;

          /* Only the file we hold: openers check the name after locking. */
          if (fstat (e->fd, &fst) == 0 && stat (e->lock_path, &pst) == 0 &&
              fst.st_dev == pst.st_dev && fst.st_ino == pst.st_ino)
            unlink (e->lock_path);
        }
      g_ptr_array_remove (registry, e);
      entry_free (e);
    }
  g_free (lock);
  g_mutex_unlock (&registry_mutex);
}

static gboolean
same_inode (const char  *path,
            const struct stat *st)
{
  struct stat other;

  return stat (path, &other) == 0 && other.st_dev == st->st_dev && other.st_ino == st->st_ino;
}

gboolean
_assay_lock_is_open_file (const char *path)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&registry_mutex);
  static const char * const suffixes[] = { "-wal", "-shm", "-journal", "-lock" };
  struct stat st;

  if (registry == NULL || stat (path, &st) != 0)
    return FALSE;

  for (guint i = 0; i < registry->len; i++)
    {
      Entry *e = g_ptr_array_index (registry, i);

      if (e->dev == st.st_dev && e->ino == st.st_ino)
        return TRUE;
      for (guint j = 0; j < G_N_ELEMENTS (suffixes); j++)
        {
          g_autofree char *companion = g_strconcat (e->path, suffixes[j], NULL);

          if (same_inode (companion, &st))
            return TRUE;
        }
    }
  return FALSE;
}
