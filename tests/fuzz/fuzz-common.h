/* fuzz-common.h: what every fuzz target does before its first input
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A critical or a warning from the readers means untrusted input reached a
 * precondition: a bug, so it aborts and libFuzzer keeps the input. (Run
 * with G_SLICE=always-malloc: GLib 2.74 reads it before main, and without
 * it slice allocations hide leaks from the sanitizer.) */
static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

/* Aborts with a message: a property that must hold did not. */
#define fuzz_assert(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("%s:%d: fuzz assertion failed: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

/* A private folder for the files a target writes for every input: on
 * tmpfs (/dev/shm) unless TMPDIR says otherwise, so that writing and
 * syncing them costs next to nothing. */
static inline char *
fuzz_make_dir (const char *name)
{
  const char *base = g_getenv ("TMPDIR");
  char *path;

  if (base == NULL && g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    base = "/dev/shm";
  if (base == NULL)
    base = g_get_tmp_dir ();
  path = g_strdup_printf ("%s/%s-XXXXXX", base, name);
  if (g_mkdtemp (path) == NULL)
    abort ();
  return path;
}

/* Removes the folder and the files in it, at exit. */
static inline void
fuzz_remove_dir (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      char *file = g_build_filename (path, name, NULL);

      unlink (file);
      g_free (file);
    }
  g_dir_close (dir);
  rmdir (path);
}

/* Writes the file in place, without g_file_set_contents' sync and rename. */
static inline void
fuzz_write_file (const char *path,
                 const void *data,
                 gsize       len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0 || (len > 0 && write (fd, data, len) != (gssize) len) || close (fd) != 0)
    abort ();
}
