/* assay-test-run.c: what tests do beside the app: run assay-cli, look at
 * locks, damage a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "assay-test-run.h"

void
assay_test_run_clear (AssayTestRun *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

void
assay_test_run_cli (AssayTestRun *r,
                    const char   *first,
                    ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  const char *cli = g_getenv ("ASSAY_CLI");
  const char *arg;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  assay_test_run_clear (r);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &r->out, &r->err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (proc))
    g_error ("assay-cli %s was killed by signal %d", first, g_subprocess_get_term_sig (proc));
  r->status = g_subprocess_get_exit_status (proc);
  {
    /* at most 2000 characters of each, cut between characters (TAP wants
     * valid UTF-8) */
    g_autofree char *out = g_utf8_substring (r->out, 0, MIN (g_utf8_strlen (r->out, -1), 2000));
    g_autofree char *err = g_utf8_substring (r->err, 0, MIN (g_utf8_strlen (r->err, -1), 2000));

    g_test_message ("assay-cli %s -> %d\n%s%s", first, r->status, out, err);
  }
}

void
assay_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        assay_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

/* Whether this process holds a POSIX record lock on `path`, as SQLite
 * does on the project (its shared lock) and on the -shm file (its
 * "dead man switch") for as long as a connection is open. */
gboolean
assay_test_holds_posix_lock (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  struct stat st;
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());

  g_assert_cmpint (stat (path, &st), ==, 0);
  g_assert_true (g_file_get_contents ("/proc/locks", &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (lines[i], " ", -1);
      g_autoptr(GPtrArray) words = g_ptr_array_new ();
      g_auto(GStrv) device = NULL;

      for (guint j = 0; fields[j] != NULL; j++)
        if (*fields[j] != '\0')
          g_ptr_array_add (words, fields[j]);
      /* "1: POSIX  ADVISORY  READ 1234 08:02:5678 1073741826 1073742335" */
      if (words->len < 6 || !g_str_equal (words->pdata[1], "POSIX") ||
          !g_str_equal (words->pdata[4], pid))
        continue;
      device = g_strsplit (words->pdata[5], ":", 3);
      if (g_strv_length (device) == 3 &&
          g_ascii_strtoull (device[2], NULL, 10) == (guint64) st.st_ino)
        return TRUE;
    }
  return FALSE;
}

guint
assay_test_damage_table (const char *path,
                         const char *table)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GArray) leaves = g_array_new (FALSE, FALSE, sizeof (gint64));
  gint64 page, page_size;
  guint8 garbage[65536];
  int fd;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno FROM dbstat WHERE name = ?1"
                                       " AND pagetype = 'leaf' ORDER BY pageno", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      page = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (leaves, page);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA page_size", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page_size = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  g_assert_cmpuint (leaves->len, >=, 2);
  g_assert_cmpint (page_size, <=, (gint64) sizeof garbage);
  page = g_array_index (leaves, gint64, leaves->len / 2);
  memset (garbage, 0xa5, sizeof garbage);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, page_size, (page - 1) * page_size), ==, page_size);
  close (fd);
  return leaves->len;
}
