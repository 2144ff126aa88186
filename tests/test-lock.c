/* test-lock.c: a project stays whole whatever else opens it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POSIX drops every lock a process holds on a file when the process closes
 * any descriptor of that file. A file chooser sniffing the project is
 * enough, and then the next process to close the project used to delete
 * the WAL under the one that lost its locks. These tests do exactly that:
 * open and close the project's files beside a connection, while other
 * processes (assay-cli, and this program in a helper role) read and write.
 *
 * The helper roles: `test-lock --hold PATH` opens PATH as the app does,
 * says "ready" and waits for its standard input to close; `--write-and-die
 * PATH` commits a setting and kills itself; `--busy PATH` holds a write
 * transaction until its standard input closes; `--read-only-checks DIR`
 * runs the read-only checks (as an unprivileged user when the tests run as
 * root, since root may write anything).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-project-private.h"
#include "assay-test-run.h"

static const char *self_exe;

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;

  f->dir = g_dir_make_tmp ("assay-lock-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "team.assay", NULL);
  project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  assay_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* What a content-type sniff does: open the file, read its start, close it.
 * The close is what drops the process's POSIX locks on the file. */
static void
stray_close (const char *path,
             const char *suffix)
{
  g_autofree char *file = g_strconcat (path, suffix, NULL);
  char buffer[4096];
  int fd = open (file, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    return;
  g_assert_cmpint (read (fd, buffer, sizeof buffer), >=, 0);
  close (fd);
}

static char *
write_source_file (Fixture    *f,
                   const char *id)
{
  g_autofree char *name = g_strconcat (id, ".jsonl", NULL);
  g_autofree char *line = g_strdup_printf ("{\"id\": \"%s\", \"text\": \"A source called %s.\"}\n",
                                           id, id);
  char *path = g_build_filename (f->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, line, -1, NULL));
  return path;
}

/* Imports one source through the core, as the app's import dialog does. */
static void
import_source (Fixture      *f,
               AssayProject *project,
               const char   *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autofree char *input = write_source_file (f, id);

  assay_import_add_file (import, input, ASSAY_FORMAT_AUTO);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

/* How many sources another process sees: what a killed app leaves. */
static gint64
sources_seen_by_cli (const char *path)
{
  g_auto(AssayTestRun) r = { 0 };
  const char *at;

  assay_test_run_cli (&r, "info", "--json", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  at = strstr (r.out, "\"sources\":");
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen ("\"sources\":"), NULL, 10);
}

static void
set (AssayProject *project,
     const char   *prefix,
     int           i)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_strdup_printf ("%s%d", prefix, i);

  assay_project_set_setting (project, key, "kept", &error);
  g_assert_no_error (error);
}

static void
assert_setting (AssayProject *project,
                const char   *key,
                const char   *expected)
{
  g_autofree char *value = assay_project_dup_setting (project, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
assert_settings (const char *path,
                 const char *prefix,
                 int         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);

  g_assert_no_error (error);
  for (int i = 0; i < n; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s%d", prefix, i);
      g_autofree char *value = assay_project_dup_setting (project, key);

      g_assert_cmpstr (value, ==, "kept");
    }
}

static void
assert_sound (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_true (assay_check_project (path, &problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_test_message ("problem: %s", (char *) problems->pdata[i]);
  g_assert_cmpuint (problems->len, ==, 0);
}

static void
assert_only_files (const char         *dir,
                   const char * const *names)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_strv_contains (names, name))
      g_error ("“%s” was left beside the project", name);
}

static ino_t
inode (const char *path)
{
  struct stat st;

  g_assert_cmpint (stat (path, &st), ==, 0);
  return st.st_ino;
}

/* ---- the app holds; commands read ---- */

static void
test_app_refuses_cli_writes (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) app = NULL;
  g_autofree char *input = write_source_file (f, "late");
  g_auto(AssayTestRun) r = { 0 };

  app = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  g_assert_no_error (error);
  g_assert_false (assay_project_get_read_only (app));

  assay_test_run_cli (&r, "import", f->path, input, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, f->path));
  g_assert_nonnull (strstr (r.err, "is open in Assay"));
  assay_test_run_cli (&r, "merge", f->path, input, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "is open in Assay"));

  /* Reading is fine while the app has it. */
  assay_test_run_cli (&r, "info", "--json", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "check", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "export", f->path, "--format", "native", "-o", "-", NULL);
  g_assert_cmpint (r.status, ==, 0);

  g_clear_object (&app);
  assay_test_run_cli (&r, "import", f->path, input, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

/* The app loses its POSIX locks (a file chooser listed the project's
 * folder); commands keep reading the project, and the app keeps writing. */
static void
test_stray_close_in_app (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) app = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autofree char *input = write_source_file (f, "late");
  const char *names[] = { "team.assay", "late.jsonl", "out.jsonl", "app0.jsonl", "app1.jsonl",
                          "app2.jsonl", NULL };
  g_auto(AssayTestRun) r = { 0 };
  ino_t wal_inode;

  app = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 50; i++)
    set (app, "k", i);
  wal_inode = inode (wal);

  for (int round = 0; round < 3; round++)
    {
      stray_close (f->path, "");
      stray_close (f->path, "-wal");
      stray_close (f->path, "-shm");
      stray_close (f->path, "-lock");

      assay_test_run_cli (&r, "info", f->path, NULL);
      g_assert_cmpint (r.status, ==, 0);
      assay_test_run_cli (&r, "export", f->path, "--format", "native", "-o", out, NULL);
      g_assert_cmpint (r.status, ==, 0);
      assay_test_run_cli (&r, "check", f->path, NULL);
      g_assert_cmpint (r.status, ==, 0);
      assay_test_run_cli (&r, "import", f->path, input, NULL);
      g_assert_cmpint (r.status, ==, 1);

      /* The WAL the app writes into is still the project's, and what the
       * app commits is what anyone else reads. */
      g_assert_cmpuint (inode (wal), ==, wal_inode);
      for (int i = 50 + round * 50; i < 100 + round * 50; i++)
        set (app, "k", i);
      {
        g_autofree char *id = g_strdup_printf ("app%d", round);

        import_source (f, app, id);
      }
      g_assert_cmpint (sources_seen_by_cli (f->path), ==, round + 1);
    }

  g_clear_object (&app);
  assert_only_files (f->dir, names);
  assert_sound (f->path);
  assert_settings (f->path, "k", 200);
}

/* A command's connection loses its locks while another command writes:
 * the writer finishing must not take the WAL away. */
static void
test_stray_close_beside_writer (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayProject) check = NULL;
  AssayProjectCounts counts;
  g_auto(AssayTestRun) r = { 0 };

  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 20; i++)
    set (project, "w", i);

  for (int round = 0; round < 3; round++)
    {
      g_autofree char *id = g_strdup_printf ("src%d", round);
      g_autofree char *input = write_source_file (f, id);

      g_autofree char *own = g_strdup_printf ("own%d", round);

      stray_close (f->path, "");
      assay_test_run_cli (&r, "import", f->path, input, NULL);
      g_assert_cmpint (r.status, ==, 0);
      for (int i = 20 + round * 20; i < 40 + round * 20; i++)
        set (project, "w", i);
      import_source (f, project, own);
      g_assert_cmpint (sources_seen_by_cli (f->path), ==, 2 * (round + 1));
    }
  g_clear_object (&project);

  assert_sound (f->path);
  assert_settings (f->path, "w", 80);
  check = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_get_counts (check, &counts, &error));
  g_assert_cmpint (counts.sources, ==, 6);
}

/* Importing the project itself, or a file beside it, is refused before
 * anything reads it: a read and close outside SQLite would drop the locks
 * this process holds. The same for a template. */
static void
test_own_files_not_read (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) app = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  const char *suffixes[] = { "", "-wal", "-shm", "-lock" };
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);
  g_auto(AssayTestRun) r = { 0 };

  g_assert_no_error (error);
  set (app, "k", 0);
  g_assert_true (assay_test_holds_posix_lock (f->path));
  g_assert_true (assay_test_holds_posix_lock (shm));

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_autoptr(AssayImport) import = assay_import_new (app);
      g_autoptr(AssayTemplate) tmpl = NULL;

      assay_import_add_file (import, file, ASSAY_FORMAT_JSONL);
      g_assert_false (assay_import_run (import, NULL, &error));
      g_assert_nonnull (strstr (error->message, "open Assay project"));
      g_clear_error (&error);
      tmpl = assay_template_load_file (file, &error);
      g_assert_null (tmpl);
      g_assert_nonnull (strstr (error->message, "open Assay project"));
      g_clear_error (&error);
    }
  g_assert_true (assay_test_holds_posix_lock (f->path));
  g_assert_true (assay_test_holds_posix_lock (shm));
  g_clear_object (&app);

  /* From the command line too. */
  assay_test_run_cli (&r, "import", "--format", "jsonl", f->path, f->path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "open Assay project"));
}

/* ---- helper processes ---- */

static GSubprocess *
spawn_role (const char *role,
            const char *path)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;

  proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                           &error, self_exe, role, path, NULL);
  g_assert_no_error (error);
  return proc;
}

static void
wait_ready (GSubprocess *proc)
{
  g_autoptr(GDataInputStream) in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

  g_assert_cmpstr (line, ==, "ready");
}

static void
finish_role (GSubprocess *proc)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (proc), NULL, NULL);
  g_assert_true (g_subprocess_wait_check (proc, NULL, &error));
  g_assert_no_error (error);
}

static void
test_second_app_reads (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) holder = spawn_role ("--hold", f->path);
  g_autoptr(AssayProject) second = NULL;

  wait_ready (holder);
  second = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_get_read_only (second));
  g_assert_nonnull (strstr (assay_project_get_read_only_reason (second),
                            "open in another Assay window"));
  assert_setting (second, "held", "yes");

  /* Writing through it says read-only and names the project. */
  g_assert_false (assay_project_set_setting (second, "x", "y", &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "team.assay"));
  g_clear_error (&error);
  g_clear_object (&second);

  finish_role (holder);
  second = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  g_assert_no_error (error);
  g_assert_false (assay_project_get_read_only (second));
}

/* Two connections of one app process share its hold. */
static void
test_app_and_its_workers (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) app = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  g_autoptr(AssayProject) worker = NULL;
  g_autoptr(AssayProject) reader = NULL;
  g_autofree char *lock = g_strconcat (f->path, "-lock", NULL);
  const char *names[] = { "team.assay", NULL };

  g_assert_no_error (error);
  worker = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  reader = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  set (worker, "from-worker", 0);
  assert_setting (reader, "from-worker0", "kept");
  g_assert_true (g_file_test (lock, G_FILE_TEST_EXISTS));

  g_clear_object (&worker);
  g_clear_object (&reader);
  set (app, "from-app", 0);
  g_clear_object (&app);

  /* The last one out leaves one file. */
  assert_only_files (f->dir, names);
  assert_settings (f->path, "from-app", 1);
}

/* Reading a project whose writer was killed reads its WAL and leaves the
 * project and its WAL as they were (the wal-index beside them is SQLite's
 * scratch, rebuilt by whoever opens first). */
static void
test_reader_leaves_wal (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) writer = spawn_role ("--write-and-die", f->path);
  g_autoptr(AssayProject) reader = NULL;
  const char *suffixes[] = { "", "-wal" };
  GBytes *before[2], *after[2];

  g_subprocess_wait (writer, NULL, NULL);
  g_assert_true (g_subprocess_get_if_signaled (writer));

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
      before[i] = g_bytes_new_take (g_steal_pointer (&contents), len);
    }

  reader = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  assert_setting (reader, "last-words", "committed");
  g_clear_object (&reader);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (f->path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (file, &contents, &len, NULL));
      after[i] = g_bytes_new_take (g_steal_pointer (&contents), len);
      g_assert_true (g_bytes_equal (before[i], after[i]));
      g_bytes_unref (before[i]);
      g_bytes_unref (after[i]);
    }
}

static void
test_clean_read_leaves_one_file (Fixture       *f,
                                 gconstpointer  data)
{
  const char *names[] = { "team.assay", NULL };
  g_auto(AssayTestRun) r = { 0 };

  assay_test_run_cli (&r, "info", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "check", f->path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "agreement", f->path, NULL);
  assert_only_files (f->dir, names);
}

/* ---- messages name the project ---- */

static void
test_busy_names_project (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) busy = spawn_role ("--busy", f->path);
  g_autoptr(AssayProject) project = NULL;

  wait_ready (busy);
  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (assay_project_set_setting (project, "x", "y", &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "team.assay"));
  g_test_message ("%s", error->message);
  finish_role (busy);
}

static void
test_damage_names_project (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autofree char *contents = NULL;
  gsize len;

  /* Enough rows for the table to span pages, then garbage over the pages
   * after the schema. */
  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 400; i++)
    {
      g_autofree char *key = g_strdup_printf ("filler-%d-%s", i, "................................");

      assay_project_set_setting (project, key, key, &error);
      g_assert_no_error (error);
    }
  g_clear_object (&project);

  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 16 * 4096);
  for (gsize i = len / 2; i < len; i++)
    contents[i] = (char) (i * 37);
  g_assert_true (g_file_set_contents (f->path, contents, len, NULL));

  /* Whether the damage shows when opening or when reading, the message
   * says which project it is in. */
  project = assay_project_open (f->path, &error);
  if (project != NULL)
    _assay_project_query_int (project, "SELECT count(*) FROM settings WHERE length(value) > 0",
                              0, &error);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "team.assay"));
}

/* ---- read-only projects ---- */

static int
read_only_checks (const char *dir)
{
  g_autofree char *ro_file = g_build_filename (dir, "file", "team.assay", NULL);
  g_autofree char *ro_folder = g_build_filename (dir, "folder", "team.assay", NULL);
  const char *paths[] = { ro_file, ro_folder };
  const char *reasons[] = { "read-only", "cannot be written" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayProject) project = NULL;
      g_autofree char *folder = g_path_get_dirname (paths[i]);
      const char *names[] = { "team.assay", NULL };
      AssayProjectCounts counts;

      project = assay_project_open (paths[i], &error);
      g_assert_null (project);
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, paths[i]));
      g_clear_error (&error);

      project = assay_project_open_full (paths[i], ASSAY_PROJECT_OPEN_APP, &error);
      g_assert_no_error (error);
      g_assert_true (assay_project_get_read_only (project));
      g_assert_nonnull (strstr (assay_project_get_read_only_reason (project), reasons[i]));
      g_assert_true (assay_project_get_counts (project, &counts, &error));
      g_assert_no_error (error);
      assert_setting (project, "k0", "kept");
      g_assert_false (assay_project_set_setting (project, "k0", "changed", &error));
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_READ_ONLY);
      g_assert_nonnull (strstr (error->message, "team.assay"));
      g_clear_object (&project);
      assert_only_files (folder, names);
    }
  return 0;
}

static void
make_read_only_copy (Fixture    *f,
                     const char *sub,
                     int         file_mode,
                     int         dir_mode)
{
  g_autofree char *dir = g_build_filename (f->dir, sub, NULL);
  g_autofree char *copy = g_build_filename (dir, "team.assay", NULL);
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (f->path, &contents, &len, NULL));
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (copy, contents, len, NULL));
  g_assert_cmpint (g_chmod (copy, file_mode), ==, 0);
  g_assert_cmpint (g_chmod (dir, dir_mode), ==, 0);
}

static void
drop_privileges (gpointer data)
{
  if (geteuid () == 0 && (setgid (65534) != 0 || setuid (65534) != 0))
    _exit (77);
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *program = g_build_filename (f->dir, "test-lock", NULL);

  g_assert_no_error (error);
  set (project, "k", 0);
  g_clear_object (&project);

  /* A read-only file in a folder anyone may write; a writable file in a
   * folder nobody but its owner (root, or us) may write. */
  make_read_only_copy (f, "file", 0444, 0777);
  make_read_only_copy (f, "folder", 0666, 0555);
  g_chmod (f->dir, 0755);

  /* The unprivileged user runs a copy of this program in the test's folder:
   * the build tree may be where that user cannot go (root's home). */
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (self_exe, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (program, contents, len, NULL));
    g_assert_cmpint (g_chmod (program, 0755), ==, 0);
  }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, drop_privileges, NULL, NULL);
  proc = g_subprocess_launcher_spawn (launcher, &error, program, "--read-only-checks", f->dir,
                                      NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  if (g_subprocess_get_if_exited (proc) && g_subprocess_get_exit_status (proc) == 77)
    {
      g_test_skip ("cannot run as an unprivileged user");
      return;
    }
  g_assert_true (g_subprocess_get_successful (proc));

  {
    g_autofree char *dir = g_build_filename (f->dir, "folder", NULL);

    g_chmod (dir, 0755);
  }
}

/* ---- roles ---- */

static int
run_role (const char *role,
          const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  char c;

  if (g_str_equal (role, "--read-only-checks"))
    return read_only_checks (path);

  if (g_str_equal (role, "--hold"))
    {
      project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_APP, &error);
      g_assert_no_error (error);
      g_assert_true (assay_project_set_setting (project, "held", "yes", &error));
    }
  else if (g_str_equal (role, "--write-and-die"))
    {
      project = assay_project_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (assay_project_set_setting (project, "last-words", "committed", &error));
      kill (getpid (), SIGKILL);
    }
  else if (g_str_equal (role, "--busy"))
    {
      project = assay_project_open (path, &error);
      g_assert_no_error (error);
      g_assert_true (assay_project_begin (project, &error));
      g_assert_true (assay_project_set_setting (project, "busy", "yes", &error));
    }
  else
    return 2;

  g_print ("ready\n");
  fflush (stdout);
  while (read (0, &c, 1) > 0)
    ;
  if (g_str_equal (role, "--busy"))
    assay_project_rollback (project);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  self_exe = argv[0];
  if (argc == 3 && g_str_has_prefix (argv[1], "--") && !g_str_equal (argv[1], "--tap"))
    return run_role (argv[1], argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/lock/" name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("app-refuses-cli-writes", test_app_refuses_cli_writes);
  ADD ("stray-close-in-app", test_stray_close_in_app);
  ADD ("stray-close-beside-writer", test_stray_close_beside_writer);
  ADD ("own-files-not-read", test_own_files_not_read);
  ADD ("second-app-reads", test_second_app_reads);
  ADD ("app-and-its-workers", test_app_and_its_workers);
  ADD ("reader-leaves-wal", test_reader_leaves_wal);
  ADD ("clean-read-leaves-one-file", test_clean_read_leaves_one_file);
  ADD ("busy-names-project", test_busy_names_project);
  ADD ("damage-names-project", test_damage_names_project);
  ADD ("read-only", test_read_only);
#undef ADD

  return g_test_run ();
}
