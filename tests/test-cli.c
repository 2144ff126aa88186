/* test-cli.c: assay-cli as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case runs the real binary (ASSAY_CLI) in a fresh folder, feeds its
 * standard input where the command reads it, and looks at what a user sees:
 * standard output, standard error and the exit status. The promises under
 * test are those of the CLI's header: quiet on success, errors on standard
 * error, exit status 0 only when the command did all it was asked, 2 for a
 * usage error.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <sqlite3.h>

#include "assay-core.h"

/* ---- fixture ---- */

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-cli-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

/* A file in the test's folder. */
static char *
tmp_path (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* A fixture file from tests/data/cli. */
static const char *
data_path (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "data", "cli", name, NULL);
}

static char *
read_file (const char *path,
           gsize      *len)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, len, &error));
  g_assert_no_error (error);
  return contents;
}

static void
write_file (const char *path,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, len, &error));
  g_assert_no_error (error);
}

static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) src = g_file_new_for_path (from);
  g_autoptr(GFile) dst = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_copy (src, dst, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* ---- running the binary ---- */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static char *
bytes_to_string (GBytes *bytes)
{
  gsize len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;

  return g_strndup (data != NULL ? data : "", len);
}

static const char *
cli_path (void)
{
  const char *path = g_getenv ("ASSAY_CLI");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

/* Runs assay-cli with `args` in the test's folder, `input` (may be NULL)
 * on its standard input. A crash fails the test: a user must never see one. */
static void
run_cli_argv (Fixture            *f,
              const char         *input,
              Run                *r,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) in = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *joined = NULL;

  run_clear (r);
  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  joined = g_strjoinv (" ", (char **) argv->pdata + 1);

  /* Without input, standard input is /dev/null. */
  launcher = g_subprocess_launcher_new ((input != NULL ? G_SUBPROCESS_FLAGS_STDIN_PIPE : 0) |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  /* Messages are checked in their English, UTF-8 form. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The input fits in the pipe's buffer, so it is written at once; a
   * command that exits without reading it (a usage error) is no error of
   * the test's. */
  if (input != NULL)
    {
      GOutputStream *stdin_pipe = g_subprocess_get_stdin_pipe (proc);
      g_autoptr(GError) write_error = NULL;

      g_assert_cmpuint (strlen (input), <, 65536);
      if (!g_output_stream_write_all (stdin_pipe, input, strlen (input), NULL, NULL,
                                      &write_error))
        g_test_message ("writing standard input: %s", write_error->message);
      /* Nothing more: communicate closes the pipe. */
      in = g_bytes_new_static ("", 0);
    }
  g_assert_true (g_subprocess_communicate (proc, in, NULL, &out, &err, &error));
  g_assert_no_error (error);

  r->out = bytes_to_string (out);
  r->err = bytes_to_string (err);
  g_test_message ("assay-cli %s\n-> %d\nstdout: %.2000s\nstderr: %.2000s", joined,
                  g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1,
                  r->out, r->err);
  if (!g_subprocess_get_if_exited (proc))
    {
      g_test_fail_printf ("assay-cli %s was killed by signal %d", joined,
                          g_subprocess_get_term_sig (proc));
      r->status = 128 + g_subprocess_get_term_sig (proc);
      return;
    }
  r->status = g_subprocess_get_exit_status (proc);
}

static void G_GNUC_NULL_TERMINATED
run_cli_input (Fixture    *f,
               Run        *r,
               const char *input,
               ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  run_cli_argv (f, input, r, (const char * const *) args->pdata);
}

#define run_cli(f, r, ...) run_cli_input ((f), (r), NULL, __VA_ARGS__, NULL)

/* Success as the CLI promises it: exit 0 and not a word. */
static void
assert_quiet_success (Run *r)
{
  g_assert_cmpint (r->status, ==, 0);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_cmpstr (r->err, ==, "");
}

static void
assert_usage_error (Run *r)
{
  g_assert_cmpint (r->status, ==, 2);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_cmpstr (r->err, !=, "");
}

static void
assert_failure (Run *r)
{
  g_assert_cmpint (r->status, ==, 1);
  g_assert_cmpstr (r->out, ==, "");
  g_assert_cmpstr (r->err, !=, "");
}

#define assert_contains(haystack, needle) \
  G_STMT_START { \
    const char *h__ = (haystack), *n__ = (needle); \
    if (h__ == NULL || strstr (h__, n__) == NULL) \
      g_test_fail_printf ("%s:%d: “%s” does not contain “%s”", \
                          __FILE__, __LINE__, h__, n__); \
  } G_STMT_END

#define assert_not_contains(haystack, needle) \
  G_STMT_START { \
    const char *h__ = (haystack), *n__ = (needle); \
    if (h__ != NULL && strstr (h__, n__) != NULL) \
      g_test_fail_printf ("%s:%d: “%s” contains “%s”", __FILE__, __LINE__, h__, n__); \
  } G_STMT_END

/* ---- helpers on projects ---- */

static void damage (const char *path,
                    const char *sql);

static void
init_project (Fixture    *f,
              const char *name,
              const char *template_file)
{
  g_auto(Run) r = { 0 };

  if (template_file != NULL)
    run_cli (f, &r, "init", name, "--template", template_file);
  else
    run_cli (f, &r, "init", name);
  assert_quiet_success (&r);
}

static void
import_quietly (Fixture    *f,
                const char *project,
                const char *file)
{
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "import", project, file);
  assert_quiet_success (&r);
}

/* The fixture project: a template, two annotators, two sources with two
 * candidates each, and one judgment of every kind. */
static void
make_field_project (Fixture    *f,
                    const char *name)
{
  init_project (f, name, data_path ("template.json"));
  import_quietly (f, name, data_path ("project.jsonl"));
}

static json_t *
parse_json (const char *text)
{
  json_error_t error;
  json_t *json = json_loads (text, 0, &error);

  if (json == NULL)
    g_test_fail_printf ("not one JSON value (line %d, column %d: %s): %s", error.line,
                        error.column, error.text, text);
  return json;
}

/* `info --json`, parsed. */
static json_t *
info_json (Fixture    *f,
           const char *project)
{
  g_auto(Run) r = { 0 };
  const char *newline;

  run_cli (f, &r, "info", "--json", project);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  /* One object on one line. */
  newline = strchr (r.out, '\n');
  g_assert_nonnull (newline);
  g_assert_cmpstr (newline, ==, "\n");
  return parse_json (r.out);
}

static gint64
json_int_member (json_t     *object,
                 const char *key)
{
  json_t *value = json_object_get (object, key);

  if (value == NULL || !json_is_integer (value))
    {
      g_test_fail_printf ("“%s” is missing or not an integer", key);
      return -1;
    }
  return json_integer_value (value);
}

static void
assert_counts (Fixture    *f,
               const char *project,
               gint64      sources,
               gint64      candidates,
               gint64      judgments,
               gint64      annotators)
{
  g_autoptr(json_t) info = info_json (f, project);

  g_assert_cmpint (json_int_member (info, "sources"), ==, sources);
  g_assert_cmpint (json_int_member (info, "candidates"), ==, candidates);
  g_assert_cmpint (json_int_member (info, "judgments"), ==, judgments);
  g_assert_cmpint (json_int_member (info, "annotators"), ==, annotators);
}

/* The native export on standard output. */
static char *
export_native (Fixture    *f,
               const char *project)
{
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "export", project, "--format", "native", "-o", "-");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  return g_steal_pointer (&r.out);
}

/* The export's source lines, by id. */
static GHashTable *
export_sources (Fixture    *f,
                const char *project)
{
  g_autofree char *text = export_native (f, project);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *sources = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) json_decref);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      json_t *line;

      if (lines[i][0] == '\0')
        continue;
      line = parse_json (lines[i]);
      g_assert_true (json_is_object (line));
      if (json_object_get (line, "type") == NULL)
        g_hash_table_insert (sources, g_strdup (json_string_value (json_object_get (line, "id"))),
                             line);
      else
        json_decref (line);
    }
  return sources;
}

static char *
template_export (Fixture    *f,
                 const char *project)
{
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "template", "export", project, "-");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  return g_steal_pointer (&r.out);
}

static void
assert_file_unchanged (const char *path,
                       const char *before,
                       gsize       before_len)
{
  gsize len = 0;
  g_autofree char *now = read_file (path, &len);

  g_assert_cmpmem (now, len, before, before_len);
}

static void
assert_no_project_files (Fixture    *f,
                         const char *name)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->dir, G_DIR_SEPARATOR_S, name, suffixes[i], NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        g_test_fail_printf ("%s was left behind", path);
    }
}

/* ---- usage ---- */

static const char * const commands[] = {
  "init", "import", "info", "export", "template", "check",
};

static void
test_help (Fixture       *f,
           gconstpointer  data)
{
  const char * const spellings[] = { "--help", "-h", "help" };

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_auto(Run) r = { 0 };

      run_cli (f, &r, spellings[i]);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      assert_contains (r.out, "Usage");
      for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
        {
          g_autofree char *line = g_strdup_printf ("\n  %s ", commands[c]);

          assert_contains (r.out, line);
        }
    }
}

/* The summaries of the commands line up, however many bytes a
 * character of the usage line takes (“FILE…”). */
static void
test_help_aligned (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) r = { 0 };
  g_auto(GStrv) lines = NULL;
  glong column = -1;

  run_cli (f, &r, "--help");
  g_assert_cmpint (r.status, ==, 0);
  lines = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        g_autofree char *prefix = g_strdup_printf ("  %s ", commands[c]);
        const char *gap;
        glong here;

        if (!g_str_has_prefix (lines[i], prefix))
          continue;
        gap = strstr (lines[i], "   ");
        g_assert_nonnull (gap);
        while (*gap == ' ')
          gap++;
        here = g_utf8_pointer_to_offset (lines[i], gap);
        if (column < 0)
          column = here;
        else if (here != column)
          g_test_fail_printf ("“%s” has its summary at column %ld, not %ld", lines[i], here,
                              column);
      }
  g_assert_cmpint (column, >, 0);
}

static void
test_command_help (Fixture       *f,
                   gconstpointer  data)
{
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto(Run) r = { 0 };
      g_autofree char *usage = g_strdup_printf ("assay-cli [OPTION…] %s", commands[c]);

      run_cli (f, &r, commands[c], "--help");
      g_assert_cmpint (r.status, ==, 0);
      g_assert_cmpstr (r.err, ==, "");
      assert_contains (r.out, "Usage");
      assert_contains (r.out, usage);

      /* -h too, and help wins over missing arguments. */
      run_cli (f, &r, commands[c], "-h");
      g_assert_cmpint (r.status, ==, 0);
      assert_contains (r.out, usage);
    }

  /* The options a command has are in its help. */
  {
    g_auto(Run) r = { 0 };

    run_cli (f, &r, "import", "--help");
    assert_contains (r.out, "--format");
    assert_contains (r.out, "--map");
    assert_contains (r.out, "--skip-invalid");
    run_cli (f, &r, "export", "--help");
    assert_contains (r.out, "native");
    run_cli (f, &r, "info", "--help");
    assert_contains (r.out, "--json");
    run_cli (f, &r, "check", "--help");
    assert_contains (r.out, "--quiet");
  }
}

static void
test_version (Fixture       *f,
              gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "--version");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "assay-cli " PACKAGE_VERSION "\n");
  g_assert_cmpstr (r.err, ==, "");
}

static void
test_no_arguments (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  run_cli_input (f, &r, NULL, NULL);
  assert_usage_error (&r);
  assert_contains (r.err, "Usage");
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    assert_contains (r.err, commands[c]);
}

static void
test_unknown_command (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "frobnicate", "p.assay");
  assert_usage_error (&r);
  assert_contains (r.err, "frobnicate");
  assert_contains (r.err, "Usage");

  /* An option in the command's place is not a command either. */
  run_cli (f, &r, "--frobnicate");
  assert_usage_error (&r);
}

static void
test_unknown_option (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);
  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      run_cli (f, &r, commands[c], "--no-such-option", "p.assay");
      assert_usage_error (&r);
      assert_contains (r.err, "--no-such-option");
    }

  /* An option of another command is unknown here. */
  run_cli (f, &r, "info", "--skip-invalid", "p.assay");
  assert_usage_error (&r);

  /* An option that needs a value and has none. */
  run_cli (f, &r, "import", "p.assay", "--format");
  assert_usage_error (&r);
}

static void
test_missing_arguments (Fixture       *f,
                        gconstpointer  data)
{
  const char * const *cases[] = {
    (const char *[]) { "init", NULL },
    (const char *[]) { "import", NULL },
    (const char *[]) { "import", "p.assay", NULL },
    (const char *[]) { "info", NULL },
    (const char *[]) { "export", NULL },
    (const char *[]) { "template", NULL },
    (const char *[]) { "template", "export", NULL },
    (const char *[]) { "template", "export", "p.assay", NULL },
    (const char *[]) { "check", NULL },
    /* and too many */
    (const char *[]) { "init", "p.assay", "q.assay", NULL },
    (const char *[]) { "info", "p.assay", "q.assay", NULL },
    (const char *[]) { "check", "p.assay", "q.assay", NULL },
    (const char *[]) { "template", "export", "p.assay", "-", "extra", NULL },
  };

  init_project (f, "p.assay", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) r = { 0 };

      run_cli_argv (f, NULL, &r, cases[i]);
      assert_usage_error (&r);
      assert_contains (r.err, "Usage");
    }
  /* None of that made a project. */
  assert_no_project_files (f, "q.assay");
}

/* ---- init ---- */

static void
test_init_creates (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "new.assay");
  g_autofree char *sub = tmp_path (f, "sub");
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "init", "new.assay");
  assert_quiet_success (&r);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  assert_counts (f, "new.assay", 0, 0, 0, 0);

  /* Once assay-cli has let go of it, the project is one file. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  }

  run_cli (f, &r, "check", "--quiet", "new.assay");
  assert_quiet_success (&r);

  /* A project can be made in a subfolder given by path. */
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  run_cli (f, &r, "init", "sub/other.assay");
  assert_quiet_success (&r);
  assert_counts (f, "sub/other.assay", 0, 0, 0, 0);
}

/* A path SQLite would not take as a file name creates no file, so init
 * must not report success for it (think of `assay-cli init "$UNSET"`). */
static void
test_init_not_a_file_name (Fixture       *f,
                           gconstpointer  data)
{
  const char * const names[] = { "", ":memory:", "file:orchard.assay?mode=memory" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_auto(Run) r = { 0 };
      g_autofree char *files = NULL;

      run_cli (f, &r, "init", names[i]);
      /* A name SQLite would take for a memory database or a URI must either
       * be refused or create a file of exactly that name: never "succeed"
       * with nothing on disk. */
      if (r.status == 0)
        {
          g_autofree char *made = tmp_path (f, names[i]);
          g_autoptr(GError) error = NULL;
          g_autoptr(AssayProject) project = NULL;

          g_assert_cmpstr (names[i], !=, "");
          g_assert_true (g_file_test (made, G_FILE_TEST_IS_REGULAR));
          project = assay_project_open (made, &error);
          g_assert_no_error (error);
          g_clear_object (&project);
          g_unlink (made);
        }
      else
        g_assert_cmpstr (r.err, !=, "");
    }
}

static void
test_init_existing (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *project = tmp_path (f, "p.assay");
  g_autofree char *notes = tmp_path (f, "notes.txt");
  g_autofree char *before = NULL;
  g_autofree char *export_before = NULL;
  g_autofree char *export_after = NULL;
  gsize before_len = 0;
  g_auto(Run) r = { 0 };

  make_field_project (f, "p.assay");
  before = read_file (project, &before_len);
  export_before = export_native (f, "p.assay");

  run_cli (f, &r, "init", "p.assay");
  assert_failure (&r);
  assert_contains (r.err, "p.assay");
  assert_file_unchanged (project, before, before_len);
  export_after = export_native (f, "p.assay");
  g_assert_cmpstr (export_after, ==, export_before);

  /* Not only projects: no file is ever overwritten by init. */
  write_file (notes, "Only copy of the orchard notes.\n", -1);
  run_cli (f, &r, "init", "notes.txt", "--template", data_path ("template.json"));
  assert_failure (&r);
  assert_contains (r.err, "notes.txt");
  assert_file_unchanged (notes, "Only copy of the orchard notes.\n",
                         strlen ("Only copy of the orchard notes.\n"));
}

static void
test_init_template (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *template_text = read_file (data_path ("template.json"), NULL);
  g_autoptr(json_t) want = parse_json (template_text);
  g_autofree char *exported = NULL;
  g_autoptr(json_t) have = NULL;
  g_autoptr(json_t) info = NULL;
  json_t *criteria;
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "init", "t.assay", "--template", data_path ("template.json"));
  assert_quiet_success (&r);

  exported = template_export (f, "t.assay");
  have = parse_json (exported);
  g_assert_cmpstr (json_string_value (json_object_get (have, "name")), ==, "Field notes review");
  g_assert_cmpstr (json_string_value (json_object_get (have, "version")), ==, "2");
  g_assert_true (json_equal (json_object_get (have, "guidelines"),
                             json_object_get (want, "guidelines")));
  g_assert_true (json_equal (json_object_get (have, "prompt_template"),
                             json_object_get (want, "prompt_template")));
  g_assert_true (json_equal (json_object_get (have, "judgments"),
                             json_object_get (want, "judgments")));
  g_assert_true (json_equal (json_object_get (have, "label_sets"),
                             json_object_get (want, "label_sets")));
  criteria = json_object_get (have, "criteria");
  g_assert_cmpint (json_array_size (criteria), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (criteria, 0), "name")),
                   ==, "faithfulness");
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (criteria, 1), "max")),
                   ==, 3);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (json_array_get (criteria,
                                                                                        0),
                                                                        "anchors"),
                                                       "5")),
                   ==, "Every claim is in the notes.");

  info = info_json (f, "t.assay");
  g_assert_cmpstr (json_string_value (json_object_get (info, "template")), ==,
                   "Field notes review");

  /* The short option does the same. */
  run_cli (f, &r, "init", "u.assay", "-t", data_path ("template.json"));
  assert_quiet_success (&r);
  {
    g_autofree char *again = template_export (f, "u.assay");

    g_assert_cmpstr (again, ==, exported);
  }
}

static void
test_init_bad_template (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const bad[] = {
    "{\"name\": \"Broken\", ",                                         /* not JSON */
    "{\"name\": 5}",                                                    /* wrong type */
    "[1, 2, 3]",                                                        /* not an object */
    "{\"label_sets\": [{\"name\": \"x\", \"scope\": \"sideways\", \"options\": []}]}",
    "{\"criteria\": [{\"name\": \"c\", \"min\": 5, \"max\": 1}]}",     /* upside-down scale */
    "{\"criteria\": [{\"name\": \"c\", \"min\": 0, \"max\": 100}]}",   /* more than 11 points */
    "{\"label_sets\": [{\"name\": \"v\", \"options\": [{\"name\": \"a\"}]},"
    " {\"name\": \"v\", \"options\": [{\"name\": \"b\"}]}]}",           /* duplicate set */
    "",                                                                 /* empty file */
  };
  g_autofree char *template_path = tmp_path (f, "bad-template.json");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Run) r = { 0 };

      g_test_message ("template: %s", bad[i]);
      write_file (template_path, bad[i], -1);
      run_cli (f, &r, "init", "t.assay", "--template", "bad-template.json");
      assert_failure (&r);
      assert_contains (r.err, "bad-template.json");
      assert_no_project_files (f, "t.assay");
    }

  /* A template that is not there. */
  {
    g_auto(Run) r = { 0 };

    run_cli (f, &r, "init", "t.assay", "--template", "missing.json");
    assert_failure (&r);
    assert_contains (r.err, "missing.json");
    assert_no_project_files (f, "t.assay");
  }
}

/* ---- import ---- */

static void
test_import_formats (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) sources = NULL;
  json_t *source, *segments;
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "p.assay", data_path ("interview.srt"), data_path ("seminar.vtt"),
           data_path ("memo.txt"), data_path ("project.jsonl"));
  assert_quiet_success (&r);
  assert_counts (f, "p.assay", 5, 4, 9, 2);

  sources = export_sources (f, "p.assay");
  g_assert_cmpuint (g_hash_table_size (sources), ==, 5);

  /* SubRip: one segment per cue, the speaker from "Name:", tags removed,
   * a two-line cue kept together. */
  source = g_hash_table_lookup (sources, "interview");
  g_assert_nonnull (source);
  segments = json_object_get (source, "segments");
  g_assert_cmpint (json_array_size (segments), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segments, 0), "speaker")),
                   ==, "Interviewer");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segments, 1), "text")),
                   ==, "Late in March, six of them,\nfrom the co-op in Lindenfield.");
  g_assert_cmpfloat (json_real_value (json_object_get (json_array_get (segments, 1), "end")),
                     ==, 9.8);

  /* WebVTT: voice tags give the speaker, references are decoded. */
  source = g_hash_table_lookup (sources, "seminar");
  g_assert_nonnull (source);
  segments = json_object_get (source, "segments");
  g_assert_cmpint (json_array_size (segments), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segments, 0), "speaker")),
                   ==, "Prof. Adeyemi");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segments, 0), "text")),
                   ==, "Today we look at soil moisture & yield.");

  /* Plain text: the file is the text, no segments. */
  source = g_hash_table_lookup (sources, "memo");
  g_assert_nonnull (source);
  g_assert_null (json_object_get (source, "segments"));
  assert_contains (json_string_value (json_object_get (source, "text")),
                   "Twelve crates of plums");

  /* JSONL: sources with their candidates. */
  source = g_hash_table_lookup (sources, "plot-12");
  g_assert_nonnull (source);
  g_assert_cmpint (json_array_size (json_object_get (source, "candidates")), ==, 2);

  /* A transcript whose file name is taken is refused, and nothing of the
   * command is kept. */
  {
    g_autofree char *before = export_native (f, "p.assay");
    g_autofree char *after = NULL;
    g_autofree char *copy = tmp_path (f, "fresh.txt");

    copy_file (data_path ("memo.txt"), copy);
    run_cli (f, &r, "import", "p.assay", "fresh.txt", data_path ("memo.txt"));
    assert_failure (&r);
    assert_contains (r.err, "memo");
    after = export_native (f, "p.assay");
    g_assert_cmpstr (after, ==, before);
  }
}

static const char *stdin_jsonl =
  "{\"id\": \"gate-log\", \"text\": \"The east gate was locked at six.\","
  " \"candidates\": [{\"model\": \"sketch-3\", \"text\": \"Gate locked at six.\"}]}\n";

static const char *stdin_srt =
  "1\n00:00:00,500 --> 00:00:02,000\nGrower: The frost missed the lower orchard.\n\n";

static void
test_import_stdin (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GHashTable) sources = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  json_t *source;
  g_auto(Run) r = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  gboolean found_srt = FALSE;

  init_project (f, "p.assay", NULL);

  run_cli_input (f, &r, stdin_jsonl, "import", "p.assay", "--format", "jsonl", "-", NULL);
  assert_quiet_success (&r);
  assert_counts (f, "p.assay", 1, 1, 0, 0);

  run_cli_input (f, &r, stdin_srt, "import", "p.assay", "-f", "srt", "-", NULL);
  assert_quiet_success (&r);
  assert_counts (f, "p.assay", 2, 1, 0, 0);

  sources = export_sources (f, "p.assay");
  source = g_hash_table_lookup (sources, "gate-log");
  g_assert_nonnull (source);
  g_hash_table_iter_init (&iter, sources);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      json_t *segments = json_object_get (value, "segments");

      if (segments != NULL && json_array_size (segments) == 1)
        {
          g_assert_cmpstr (json_string_value (json_object_get (json_array_get (segments, 0),
                                                               "speaker")), ==, "Grower");
          found_srt = TRUE;
        }
    }
  g_assert_true (found_srt);

  /* Without --format there is no name to tell the format from: a usage
   * error, and nothing read or written. */
  before = export_native (f, "p.assay");
  run_cli_input (f, &r, "{\"id\": \"x\", \"text\": \"y\"}\n", "import", "p.assay", "-", NULL);
  assert_usage_error (&r);
  assert_contains (r.err, "--format");
  after = export_native (f, "p.assay");
  g_assert_cmpstr (after, ==, before);

  /* A bad line on standard input is reported like one in a file. */
  run_cli_input (f, &r, "\n{\"id\": 7}\n", "import", "p.assay", "--format", "jsonl", "-", NULL);
  assert_failure (&r);
  assert_contains (r.err, ":2:");
  g_clear_pointer (&after, g_free);
  after = export_native (f, "p.assay");
  g_assert_cmpstr (after, ==, before);
}

static void
test_import_format_override (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *jsonl_as_txt = tmp_path (f, "notes.txt");
  g_autofree char *txt_as_jsonl = tmp_path (f, "letter.jsonl");
  g_autofree char *no_extension = tmp_path (f, "transcript");
  g_autoptr(GHashTable) sources = NULL;
  json_t *source;
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);
  write_file (jsonl_as_txt, stdin_jsonl, -1);
  write_file (txt_as_jsonl, "Dear grower, the plums arrived bruised.\n", -1);
  write_file (no_extension, stdin_srt, -1);

  /* The extension says text, --format says JSONL: the lines are records. */
  run_cli (f, &r, "import", "p.assay", "--format", "jsonl", "notes.txt");
  assert_quiet_success (&r);
  /* The extension says JSONL, --format says text: the file is one source. */
  run_cli (f, &r, "import", "p.assay", "--format=txt", "letter.jsonl");
  assert_quiet_success (&r);
  /* No extension at all: --format is needed, and enough. */
  run_cli (f, &r, "import", "p.assay", "transcript");
  assert_failure (&r);
  assert_contains (r.err, "transcript");
  run_cli (f, &r, "import", "p.assay", "--format", "srt", "transcript");
  assert_quiet_success (&r);

  sources = export_sources (f, "p.assay");
  g_assert_cmpuint (g_hash_table_size (sources), ==, 3);
  g_assert_nonnull (g_hash_table_lookup (sources, "gate-log"));
  g_assert_null (g_hash_table_lookup (sources, "notes"));
  source = g_hash_table_lookup (sources, "letter");
  g_assert_nonnull (source);
  assert_contains (json_string_value (json_object_get (source, "text")), "plums arrived bruised");
  source = g_hash_table_lookup (sources, "transcript");
  g_assert_nonnull (source);
  g_assert_cmpint (json_array_size (json_object_get (source, "segments")), ==, 1);

  /* A format that does not exist is a usage error that lists the known. */
  run_cli (f, &r, "import", "p.assay", "--format", "csv", "notes.txt");
  assert_usage_error (&r);
  assert_contains (r.err, "csv");
  assert_contains (r.err, "jsonl");
}

static void
test_import_bad_line (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *project = tmp_path (f, "p.assay");
  g_autofree char *bad = tmp_path (f, "bad.jsonl");
  g_autofree char *info_before = NULL;
  g_autofree char *export_before = NULL;
  g_autofree char *export_after = NULL;
  g_auto(Run) r = { 0 };
  g_auto(Run) info = { 0 };

  make_field_project (f, "p.assay");
  copy_file (data_path ("bad.jsonl"), bad);
  run_cli (f, &info, "info", "--json", "p.assay");
  info_before = g_steal_pointer (&info.out);
  export_before = export_native (f, "p.assay");

  run_cli (f, &r, "import", "p.assay", "bad.jsonl");
  assert_failure (&r);
  /* FILE:LINE: what is wrong, for each bad line, and only those. */
  assert_contains (r.err, "bad.jsonl:2: ");
  assert_contains (r.err, "candidates[0].text");
  assert_contains (r.err, "bad.jsonl:4: ");
  assert_not_contains (r.err, "bad.jsonl:1:");
  assert_not_contains (r.err, "bad.jsonl:3:");

  /* One transaction: the good lines 1 and 3 are not kept either. */
  run_cli (f, &info, "info", "--json", "p.assay");
  g_assert_cmpstr (info.out, ==, info_before);
  export_after = export_native (f, "p.assay");
  g_assert_cmpstr (export_after, ==, export_before);

  /* Invalid JSON names its column too. */
  write_file (bad, "{\"id\": \"ok\", \"text\": \"fine\"}\n{\"id\": \"broken\", \"text\": }\n", -1);
  run_cli (f, &r, "import", "p.assay", "bad.jsonl");
  assert_failure (&r);
  assert_contains (r.err, "bad.jsonl:2: ");
  run_cli (f, &info, "info", "--json", "p.assay");
  g_assert_cmpstr (info.out, ==, info_before);

  /* A judgment naming a label the template does not define. */
  write_file (bad,
              "{\"type\": \"labels\", \"source\": \"plot-12\", \"candidate\": \"a\","
              " \"annotator\": \"wren@orchard.example\", \"labels\": {\"verdict\": \"maybe\"}}\n",
              -1);
  run_cli (f, &r, "import", "p.assay", "bad.jsonl");
  assert_failure (&r);
  assert_contains (r.err, "bad.jsonl:1: ");
  assert_contains (r.err, "maybe");
  run_cli (f, &info, "info", "--json", "p.assay");
  g_assert_cmpstr (info.out, ==, info_before);
}

static void
test_import_skip_invalid (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *bad = tmp_path (f, "bad.jsonl");
  g_autoptr(GHashTable) sources = NULL;
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);
  copy_file (data_path ("bad.jsonl"), bad);

  run_cli (f, &r, "import", "--skip-invalid", "p.assay", "bad.jsonl");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  assert_contains (r.err, "bad.jsonl:2: ");
  assert_contains (r.err, "bad.jsonl:4: ");
  assert_not_contains (r.err, "bad.jsonl:1:");
  assert_not_contains (r.err, "bad.jsonl:3:");

  assert_counts (f, "p.assay", 2, 2, 0, 0);
  sources = export_sources (f, "p.assay");
  g_assert_nonnull (g_hash_table_lookup (sources, "good-1"));
  g_assert_nonnull (g_hash_table_lookup (sources, "good-3"));
  g_assert_null (g_hash_table_lookup (sources, "bad-2"));
  g_assert_null (g_hash_table_lookup (sources, "bad-4"));

  /* With nothing invalid, --skip-invalid is as quiet as a plain import. */
  run_cli (f, &r, "import", "--skip-invalid", "p.assay", data_path ("memo.txt"));
  assert_quiet_success (&r);
}

static void
test_import_map (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *foreign = tmp_path (f, "foreign.jsonl");
  g_autoptr(GHashTable) sources = NULL;
  json_t *source, *candidates;
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);
  copy_file (data_path ("foreign.jsonl"), foreign);

  /* A bad mapping is a usage error. */
  run_cli (f, &r, "import", "p.assay", "foreign.jsonl", "--map", "doc_id");
  assert_usage_error (&r);
  run_cli (f, &r, "import", "p.assay", "foreign.jsonl", "--map", "colour=doc_id");
  assert_usage_error (&r);
  assert_contains (r.err, "colour");
  assert_counts (f, "p.assay", 0, 0, 0, 0);

  /* The example of docs/formats.md, as a user types it. */
  run_cli (f, &r, "import", "p.assay", "foreign.jsonl",
           "--map", "id=doc_id", "--map", "text=article", "-m", "candidates=machine_summaries");
  assert_quiet_success (&r);
  assert_counts (f, "p.assay", 2, 3, 0, 0);

  sources = export_sources (f, "p.assay");
  source = g_hash_table_lookup (sources, "wire-101");
  g_assert_nonnull (source);
  g_assert_cmpstr (json_string_value (json_object_get (source, "text")), ==,
                   "The river at Oxbury rose two metres overnight after heavy rain.");
  candidates = json_object_get (source, "candidates");
  g_assert_cmpint (json_array_size (candidates), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (candidates, 1), "text")),
                   ==, "Flooding at Oxbury.");
  /* Fields that were not mapped are kept in the metadata. */
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (source, "metadata"),
                                                       "desk")), ==, "regional");
  g_assert_nonnull (g_hash_table_lookup (sources, "wire-102"));
}

static void
test_import_verbose (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "-v", "p.assay", data_path ("project.jsonl"));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==,
                   "Imported 2 sources.\nImported 4 candidates.\nImported 9 judgments.\n"
                   "Imported 2 annotators.\n");

  /* The long option, counts of this import only, and the singular. */
  run_cli (f, &r, "import", "--verbose", "p.assay", data_path ("memo.txt"));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==,
                   "Imported 1 source.\nImported 0 candidates.\nImported 0 judgments.\n"
                   "Imported 0 annotators.\n");
}

/* Files in any order: candidates and judgments before the transcripts
 * they are about, in one import. */
static void
test_import_any_order (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *cands = tmp_path (f, "cands.jsonl");
  g_autofree char *judgments = tmp_path (f, "judgments.jsonl");
  g_autofree char *ghost = tmp_path (f, "ghost.jsonl");
  g_auto(Run) r = { 0 };

  /* The judgments come before the candidates they are about, in the same
   * file as them and in a file of their own. */
  write_file (cands,
              "{\"type\": \"note\", \"source\": \"seminar\", \"candidate\": \"short\","
              " \"annotator\": \"ana\", \"text\": \"Leaves out the yield figures.\"}\n"
              "{\"id\": \"interview\", \"candidates\": [{\"id\": \"short\", \"model\": \"m1\","
              " \"text\": \"Six growers came in March.\"}]}\n"
              "{\"id\": \"seminar\", \"candidates\": [{\"id\": \"short\", \"model\": \"m1\","
              " \"text\": \"A talk on soil.\"}]}\n", -1);
  write_file (judgments,
              "{\"type\": \"status\", \"source\": \"interview\", \"annotator\": \"ana\","
              " \"status\": \"done\"}\n"
              "{\"type\": \"note\", \"source\": \"interview\", \"candidate\": \"short\","
              " \"annotator\": \"ana\", \"text\": \"Fine.\"}\n", -1);

  init_project (f, "a.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "a.assay", "cands.jsonl", data_path ("interview.srt"),
           data_path ("seminar.vtt"));
  assert_quiet_success (&r);
  assert_counts (f, "a.assay", 2, 2, 1, 1);

  init_project (f, "b.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "b.assay", "judgments.jsonl", "cands.jsonl",
           data_path ("seminar.vtt"), data_path ("interview.srt"));
  assert_quiet_success (&r);
  assert_counts (f, "b.assay", 2, 2, 3, 1);

  init_project (f, "c.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "-v", "c.assay", data_path ("interview.srt"), "judgments.jsonl",
           "cands.jsonl", data_path ("seminar.vtt"));
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==,
                   "Imported 2 sources.\nImported 2 candidates.\nImported 3 judgments.\n"
                   "Imported 1 annotator.\n");

  /* A source that no file has: refused at its own file and line, and
   * nothing of the import kept. */
  write_file (ghost,
              "{\"id\": \"interview\", \"candidates\": [{\"id\": \"long\", \"model\": \"m2\","
              " \"text\": \"Six growers from the co-op came in late March.\"}]}\n"
              "{\"type\": \"note\", \"source\": \"interviews\", \"annotator\": \"ana\","
              " \"text\": \"Typo in the id.\"}\n", -1);
  init_project (f, "d.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "d.assay", "ghost.jsonl", data_path ("interview.srt"));
  assert_failure (&r);
  assert_contains (r.err, "ghost.jsonl:2: ");
  assert_contains (r.err, "“interviews”");
  assert_not_contains (r.err, "ghost.jsonl:1:");
  assert_counts (f, "d.assay", 0, 0, 0, 0);

  /* With --skip-invalid, the rest comes in and the line is still named. */
  run_cli (f, &r, "import", "--skip-invalid", "d.assay", "ghost.jsonl",
           data_path ("interview.srt"));
  g_assert_cmpint (r.status, ==, 0);
  assert_contains (r.err, "ghost.jsonl:2: ");
  assert_not_contains (r.err, "ghost.jsonl:1:");
  assert_counts (f, "d.assay", 1, 1, 0, 0);
}

static void
test_import_missing (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);

  run_cli (f, &r, "import", "p.assay", "absent.jsonl");
  assert_failure (&r);
  assert_contains (r.err, "absent.jsonl");

  /* One missing file among good ones: nothing is imported. */
  run_cli (f, &r, "import", "p.assay", data_path ("memo.txt"), "absent.jsonl");
  assert_failure (&r);
  assert_counts (f, "p.assay", 0, 0, 0, 0);

  /* Into a project that is not there: no project appears. */
  run_cli (f, &r, "import", "nowhere.assay", data_path ("memo.txt"));
  assert_failure (&r);
  assert_contains (r.err, "nowhere.assay");
  assert_no_project_files (f, "nowhere.assay");
}

/* ---- info ---- */

/* The number after "Label:" at the start of a line of `info`. */
static gint64
info_value (const char *out,
            const char *label)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], label))
      {
        const char *p = lines[i] + strlen (label);
        char *end = NULL;
        gint64 value;

        while (*p == ' ')
          p++;
        value = g_ascii_strtoll (p, &end, 10);
        g_assert_true (end != p);
        return value;
      }
  g_test_fail_printf ("no “%s” line in: %s", label, out);
  return -1;
}

static void
test_info_human (Fixture       *f,
                 gconstpointer  data)
{
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");
  run_cli (f, &r, "info", "field.assay");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  assert_contains (r.out, "field");
  assert_contains (r.out, "Field notes review");
  g_assert_cmpint (info_value (r.out, "Sources:"), ==, 2);
  g_assert_cmpint (info_value (r.out, "Candidates:"), ==, 4);
  g_assert_cmpint (info_value (r.out, "Judgments:"), ==, 9);
  g_assert_cmpint (info_value (r.out, "Annotators:"), ==, 2);
  /* One of the two sources is done. */
  g_assert_cmpint (info_value (r.out, "Done:"), ==, 50);
  assert_contains (r.out, "sketch-3: 2");
  assert_contains (r.out, "pith-1: 2");

  /* An empty project has zeros, and no progress line to divide by zero. */
  init_project (f, "empty.assay", NULL);
  run_cli (f, &r, "info", "empty.assay");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpint (info_value (r.out, "Sources:"), ==, 0);
  g_assert_cmpint (info_value (r.out, "Judgments:"), ==, 0);
}

static void
test_info_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(json_t) info = NULL;
  json_t *status;
  json_t *models;

  make_field_project (f, "field.assay");
  info = info_json (f, "field.assay");
  g_assert_true (json_is_object (info));
  g_assert_cmpint (json_int_member (info, "sources"), ==, 2);
  g_assert_cmpint (json_int_member (info, "candidates"), ==, 4);
  /* Two label records, a span, a correction, a scores record, a ranking,
   * a comparison, a note and a status. */
  g_assert_cmpint (json_int_member (info, "judgments"), ==, 9);
  g_assert_cmpint (json_int_member (info, "annotators"), ==, 2);

  status = json_object_get (info, "status");
  g_assert_true (json_is_object (status));
  g_assert_cmpint (json_int_member (status, "done"), ==, 1);
  g_assert_cmpint (json_int_member (status, "todo"), ==, 1);
  models = json_object_get (info, "models");
  g_assert_cmpint (json_int_member (models, "sketch-3"), ==, 2);
  g_assert_cmpint (json_int_member (models, "pith-1"), ==, 2);

  /* Counts follow the project: add a source from a transcript. */
  import_quietly (f, "field.assay", data_path ("interview.srt"));
  assert_counts (f, "field.assay", 3, 4, 9, 2);
}

static void
make_foreign_sqlite (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE recipes (name TEXT, minutes INTEGER);"
                                 "INSERT INTO recipes VALUES ('plum crumble', 45);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_info_not_a_project (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *text = tmp_path (f, "readme.assay");
  g_autofree char *other = tmp_path (f, "recipes.db");
  g_autofree char *empty = tmp_path (f, "empty.assay");
  g_autofree char *folder = tmp_path (f, "folder.assay");
  g_autofree char *other_before = NULL;
  gsize other_len = 0;
  g_auto(Run) r = { 0 };

  run_cli (f, &r, "info", "absent.assay");
  assert_failure (&r);
  assert_contains (r.err, "absent.assay");
  assert_contains (r.err, "does not exist");
  assert_no_project_files (f, "absent.assay");

  write_file (text, "These are not the projects you are looking for.\n", -1);
  run_cli (f, &r, "info", "readme.assay");
  assert_failure (&r);
  assert_contains (r.err, "readme.assay");
  assert_contains (r.err, "not an Assay project");
  assert_file_unchanged (text, "These are not the projects you are looking for.\n",
                         strlen ("These are not the projects you are looking for.\n"));

  make_foreign_sqlite (other);
  other_before = read_file (other, &other_len);
  run_cli (f, &r, "info", "--json", "recipes.db");
  assert_failure (&r);
  assert_contains (r.err, "recipes.db");
  assert_contains (r.err, "not an Assay project");
  assert_file_unchanged (other, other_before, other_len);

  write_file (empty, "", 0);
  run_cli (f, &r, "info", "empty.assay");
  assert_failure (&r);
  assert_contains (r.err, "empty.assay");
  assert_contains (r.err, "not an Assay project");
  assert_file_unchanged (empty, "", 0);

  /* A folder. */
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  run_cli (f, &r, "info", "folder.assay");
  assert_failure (&r);
  assert_contains (r.err, "folder.assay");
}

static void
test_info_too_new (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "future.assay");
  g_autofree char *before = NULL;
  g_autofree char *version = g_strdup_printf ("%d", ASSAY_SCHEMA_VERSION);
  gsize before_len = 0;
  const char *import_args[] = { "import", "future.assay", data_path ("memo.txt"), NULL };
  const char * const *cases[] = {
    (const char *[]) { "info", "future.assay", NULL },
    (const char *[]) { "info", "--json", "future.assay", NULL },
    import_args,
    (const char *[]) { "export", "future.assay", "--format", "native", "-o", "-", NULL },
    (const char *[]) { "template", "export", "future.assay", "-", NULL },
    (const char *[]) { "check", "future.assay", NULL },
  };

  make_field_project (f, "future.assay");
  damage (path, "PRAGMA user_version = 99;");
  before = read_file (path, &before_len);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) r = { 0 };

      run_cli_argv (f, NULL, &r, cases[i]);
      assert_failure (&r);
      assert_contains (r.err, "future.assay");
      assert_contains (r.err, "99");
      assert_contains (r.err, version);
      assert_file_unchanged (path, before, before_len);
    }
}

/* ---- export ---- */

static void
test_export_file (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *out_path = tmp_path (f, "out.jsonl");
  g_autofree char *written = NULL;
  g_autofree char *to_stdout = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(json_t) first = NULL;
  g_auto(Run) r = { 0 };
  guint n_sources = 0;

  make_field_project (f, "field.assay");
  run_cli (f, &r, "export", "field.assay", "--format", "native", "-o", "out.jsonl");
  assert_quiet_success (&r);
  written = read_file (out_path, NULL);

  /* The template first, then annotators, then one line per source. */
  g_assert_true (g_str_has_suffix (written, "\n"));
  lines = g_strsplit (written, "\n", -1);
  first = parse_json (lines[0]);
  g_assert_cmpstr (json_string_value (json_object_get (first, "type")), ==, "template");
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      g_autoptr(json_t) line = parse_json (lines[i]);

      if (json_object_get (line, "type") == NULL)
        n_sources++;
    }
  g_assert_cmpuint (n_sources, ==, 2);

  /* Standard output gets the same bytes. */
  run_cli (f, &r, "export", "field.assay", "-f", "native", "--output", "-");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==, written);

  /* Over an existing file: replaced. */
  write_file (out_path, "old contents\n", -1);
  run_cli (f, &r, "export", "field.assay", "--format", "native", "-o", "out.jsonl");
  assert_quiet_success (&r);
  g_clear_pointer (&to_stdout, g_free);
  to_stdout = read_file (out_path, NULL);
  g_assert_cmpstr (to_stdout, ==, written);

  /* Into a folder that does not exist: a failure that names the file. */
  run_cli (f, &r, "export", "field.assay", "--format", "native", "-o", "no/such/dir/x.jsonl");
  assert_failure (&r);
  assert_contains (r.err, "x.jsonl");

  /* Nothing is left beside the output: no temporary files. */
  {
    g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      if (!g_str_equal (name, "field.assay") && !g_str_equal (name, "out.jsonl"))
        g_test_fail_printf ("unexpected file left in the folder: %s", name);
  }
}

static void
test_export_usage (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *out_path = tmp_path (f, "out.jsonl");
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);

  run_cli (f, &r, "export", "p.assay", "-o", "out.jsonl");
  assert_usage_error (&r);
  assert_contains (r.err, "--format");
  run_cli (f, &r, "export", "p.assay", "--format", "native");
  assert_usage_error (&r);
  assert_contains (r.err, "-o");
  run_cli (f, &r, "export", "p.assay", "--format", "parquet", "-o", "out.jsonl");
  assert_usage_error (&r);
  assert_contains (r.err, "parquet");
  /* The known formats are listed. */
  assert_contains (r.err, "native");
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));

  /* Usage is checked before the project is opened. */
  run_cli (f, &r, "export", "absent.assay", "--format", "parquet", "-o", "out.jsonl");
  assert_usage_error (&r);

  /* A project that is not there is a plain failure. */
  run_cli (f, &r, "export", "absent.assay", "--format", "native", "-o", "out.jsonl");
  assert_failure (&r);
  assert_contains (r.err, "absent.assay");
  g_assert_false (g_file_test (out_path, G_FILE_TEST_EXISTS));
}

static void
test_export_roundtrip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *first_path = tmp_path (f, "first.jsonl");
  g_autofree char *second_path = tmp_path (f, "second.jsonl");
  g_autofree char *third_path = tmp_path (f, "third.jsonl");
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(json_t) info_a = NULL;
  g_autoptr(json_t) info_b = NULL;
  g_auto(Run) r = { 0 };

  /* Every judgment kind, transcripts with segments and a plain text. */
  make_field_project (f, "a.assay");
  run_cli (f, &r, "import", "a.assay", data_path ("interview.srt"), data_path ("seminar.vtt"),
           data_path ("memo.txt"));
  assert_quiet_success (&r);

  run_cli (f, &r, "export", "a.assay", "--format", "native", "-o", "first.jsonl");
  assert_quiet_success (&r);

  init_project (f, "b.assay", NULL);
  import_quietly (f, "b.assay", "first.jsonl");
  run_cli (f, &r, "export", "b.assay", "--format", "native", "-o", "second.jsonl");
  assert_quiet_success (&r);

  first = read_file (first_path, NULL);
  second = read_file (second_path, NULL);
  g_assert_cmpstr (second, ==, first);

  info_a = info_json (f, "a.assay");
  info_b = info_json (f, "b.assay");
  json_object_del (info_a, "name");
  json_object_del (info_b, "name");
  g_assert_true (json_equal (info_a, info_b));

  /* And once more, through standard input. */
  init_project (f, "c.assay", NULL);
  run_cli_input (f, &r, first, "import", "c.assay", "--format", "jsonl", "-", NULL);
  assert_quiet_success (&r);
  run_cli (f, &r, "export", "c.assay", "--format", "native", "-o", "third.jsonl");
  assert_quiet_success (&r);
  third = read_file (third_path, NULL);
  g_assert_cmpstr (third, ==, first);
}

/* An empty project exports, and what it exports imports. */
static void
test_export_roundtrip_empty (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_auto(Run) r = { 0 };

  init_project (f, "a.assay", NULL);
  run_cli (f, &r, "export", "a.assay", "--format", "native", "-o", "first.jsonl");
  assert_quiet_success (&r);

  init_project (f, "b.assay", NULL);
  run_cli (f, &r, "import", "b.assay", "first.jsonl");
  assert_quiet_success (&r);

  first = export_native (f, "a.assay");
  second = export_native (f, "b.assay");
  g_assert_cmpstr (second, ==, first);
}

/* The output named as the project itself must not replace the project. */
static void
test_export_onto_project (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "field.assay");
  g_autofree char *other = tmp_path (f, "other.assay");
  g_autofree char *before = NULL;
  gsize before_len = 0;
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");
  before = read_file (path, &before_len);

  run_cli (f, &r, "export", "field.assay", "--format", "native", "-o", "field.assay");
  g_assert_cmpint (r.status, !=, 0);
  g_assert_cmpstr (r.err, !=, "");
  assert_file_unchanged (path, before, before_len);
  assert_counts (f, "field.assay", 2, 4, 9, 2);

  /* The same file by another name (a project of its own, in case the
   * first was lost). */
  make_field_project (f, "other.assay");
  g_clear_pointer (&before, g_free);
  before = read_file (other, &before_len);
  run_cli (f, &r, "export", "other.assay", "--format", "native", "-o", "./other.assay");
  g_assert_cmpint (r.status, !=, 0);
  assert_file_unchanged (other, before, before_len);
}

static void
test_export_demo (Fixture       *f,
                  gconstpointer  data)
{
  const char *demo = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *copy = tmp_path (f, "demo.assay");
  g_autofree char *demo_before = NULL;
  g_autoptr(GHashTable) sources = NULL;
  gsize demo_len = 0;
  g_auto(Run) r = { 0 };

  g_assert_nonnull (demo);
  demo_before = read_file (demo, &demo_len);
  copy_file (demo, copy);

  run_cli (f, &r, "export", "demo.assay", "--format", "native", "-o", "demo.jsonl");
  assert_quiet_success (&r);
  sources = export_sources (f, "demo.assay");
  g_assert_cmpuint (g_hash_table_size (sources), ==, 6);
  {
    g_autoptr(json_t) info = info_json (f, "demo.assay");

    g_assert_cmpint (json_int_member (info, "sources"), ==, 6);
    g_assert_cmpint (json_int_member (info, "candidates"), >, 6);
    g_assert_cmpint (json_int_member (info, "judgments"), >, 0);
  }

  /* The demo round-trips too (without the pre-check an import runs on
   * the candidates it adds, which would add its findings). */
  init_project (f, "again.assay", NULL);
  run_cli (f, &r, "import", "--no-precheck", "again.assay", "demo.jsonl");
  assert_quiet_success (&r);
  {
    g_autofree char *first = NULL;
    g_autofree char *second = NULL;
    g_autofree char *first_path = tmp_path (f, "demo.jsonl");

    first = read_file (first_path, NULL);
    second = export_native (f, "again.assay");
    g_assert_cmpstr (second, ==, first);
  }

  run_cli (f, &r, "check", "demo.assay");
  g_assert_cmpint (r.status, ==, 0);

  /* The built demo itself was only read. */
  assert_file_unchanged (demo, demo_before, demo_len);
}

/* ---- an interrupted export ---- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The names in the test's folder, hidden ones too, sorted and joined. */
static char *
list_folder (Fixture *f)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The name of a file in the test's folder, other than the project's, that
 * has something in it: an export under way. */
static char *
find_written_file (Fixture *f)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_prefix (name, "p.assay"))
      {
        g_autofree char *path = tmp_path (f, name);
        GStatBuf st;

        if (g_stat (path, &st) == 0 && st.st_size > 0)
          return g_strdup (name);
      }
  return NULL;
}

/* A project whose native export is about 30 MB, so that an export takes a
 * while: 3000 sources of 5 KB, each with two candidates and a correction
 * (the gold of a dataset export). */
static void
make_big_project (Fixture    *f,
                  const char *name)
{
  g_autofree char *input = tmp_path (f, "big.jsonl");
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) jsonl = g_string_new (NULL);

  while (text->len < 5000)
    g_string_append (text, "The caller asked about the March invoice and a refund. ");
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"call-%u\", \"text\": \"%s\", \"candidates\": ["
                            "{\"id\": \"a\", \"model\": \"m1\", \"text\": \"%.2000s\"},"
                            " {\"id\": \"b\", \"model\": \"m2\", \"text\": \"%.1500s\"}],"
                            " \"judgments\": [{\"type\": \"correction\", \"candidate\": \"a\","
                            " \"annotator\": \"ana\", \"text\": \"%.1800s\"}]}\n",
                            i, text->str, text->str, text->str, text->str);
  write_file (input, jsonl->str, jsonl->len);
  init_project (f, name, NULL);
  import_quietly (f, name, "big.jsonl");
  g_assert_cmpint (g_unlink (input), ==, 0);
}

/* Starts `assay-cli ARGS`, waits until its export has written part of a
 * temporary file, sends `signum`, and checks how it ended: through the
 * signal (the shell reports 128 + the signal's number), with a message,
 * and with nothing left in the folder but the project. */
static void
interrupt_export (Fixture            *f,
                  int                 signum,
                  const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *temporary = NULL;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  g_ptr_array_add (argv, (gpointer) cli_path ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, f->dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  proc = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  while ((temporary = find_written_file (f)) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (500);
    }
  g_subprocess_send_signal (proc, signum);
  /* Hidden, and saying what it is, should a SIGKILL leave it. */
  g_test_message ("temporary file: %s", temporary);
  g_assert_true (g_str_has_prefix (temporary, "."));
  g_assert_true (g_str_has_suffix (temporary, ".tmp"));
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);

  if (!g_subprocess_get_if_signaled (proc))
    g_test_fail_printf ("assay-cli exited with status %d instead of ending by signal %d",
                        g_subprocess_get_exit_status (proc), signum);
  else
    g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, signum);
  g_assert_cmpstr (err, ==, "assay-cli: export interrupted; no file was written\n");

  listing = list_folder (f);
  g_assert_cmpstr (listing, ==, "p.assay");
}

/* In the child, before assay-cli runs: files cannot grow past 2 MB, as on
 * a full disk, and a write past it fails instead of killing the process. */
static void
limit_file_size (gpointer data)
{
  struct rlimit limit = { 2 << 20, 2 << 20 };

  setrlimit (RLIMIT_FSIZE, &limit);
  signal (SIGXFSZ, SIG_IGN);
}

static void
test_export_interrupted (Fixture       *f,
                         gconstpointer  data)
{
  const char * const native[] = { "export", "p.assay", "-f", "native", "-o", "out.jsonl", NULL };
  const char * const split[] = { "export", "p.assay", "-f", "sft", "--split",
                                 "train=0.5,test=0.5", "-o", "sft.jsonl", NULL };
  g_auto(Run) r = { 0 };

  make_big_project (f, "p.assay");

  interrupt_export (f, SIGINT, native);
  interrupt_export (f, SIGTERM, native);
  /* Every file of a split. */
  interrupt_export (f, SIGINT, split);
  interrupt_export (f, SIGTERM, split);

  /* A write that fails (a full disk) removes what was written, too. */
  {
    g_autoptr(GSubprocessLauncher) launcher = NULL;
    g_autoptr(GSubprocess) proc = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *err = NULL;
    g_autofree char *listing = NULL;

    launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
    g_subprocess_launcher_set_cwd (launcher, f->dir);
    g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
    g_subprocess_launcher_set_child_setup (launcher, limit_file_size, NULL, NULL);
    proc = g_subprocess_launcher_spawn (launcher, &error, cli_path (), "export", "p.assay", "-f",
                                        "sft", "--split", "train=0.5,test=0.5", "-o", "sft.jsonl",
                                        NULL);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
    g_assert_no_error (error);
    g_test_message ("stderr: %s", err);
    g_assert_true (g_subprocess_get_if_exited (proc));
    g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 1);
    assert_contains (err, "sft.");
    assert_contains (err, "File too large");
    listing = list_folder (f);
    g_assert_cmpstr (listing, ==, "p.assay");
  }

  /* The project is whole, and the export runs through when left alone. */
  run_cli (f, &r, "check", "p.assay");
  g_assert_cmpint (r.status, ==, 0);
  run_cli (f, &r, "export", "p.assay", "-f", "sft", "--split", "train=0.5,test=0.5", "-o",
           "sft.jsonl");
  assert_quiet_success (&r);
  {
    g_autofree char *listing = list_folder (f);

    g_assert_cmpstr (listing, ==, "p.assay sft.test.jsonl sft.train.jsonl");
  }
}

/* ---- merge ---- */

static const char *test_program;   /* this program, run again as a writer */

/* Run as a child of the test (see main): judges in the project named by
 * ASSAY_TEST_KILLED_WRITER, each judgment committed, and is killed with
 * SIGKILL before closing it, so the judgments stay in the -wal. */
static void
killed_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  AssayProject *project = assay_project_open (path, &error);
  gint64 annotator, source, candidate;

  if (project == NULL ||
      !assay_project_ensure_annotator (project, "ana", "Ana Ruiz", ASSAY_ANNOTATOR_PERSON,
                                       &annotator, &error))
    exit (2);
  source = assay_project_lookup_source (project, "interview");
  candidate = assay_project_lookup_candidate (project, source, "short");
  if (!assay_project_set_note (project, source, candidate, annotator, "Leaves out March.", NULL,
                               &error) ||
      !assay_project_set_status (project, source, annotator, ASSAY_STATUS_DONE, NULL, &error))
    exit (3);
  raise (SIGKILL);
}

static GBytes *
bytes_of (Fixture    *f,
          const char *name)
{
  g_autofree char *path = tmp_path (f, name);
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}

/* Work that was committed in the other project but is still in its -wal
 * (its writer was killed) is merged, and the other project and its WAL are
 * left byte for byte as they were (the -shm is a wal-index any reader may
 * rebuild). */
static void
test_merge_wal (Fixture       *f,
                gconstpointer  data)
{
  static const char * const names[] = { "other.assay", "other.assay-wal" };
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) writer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cands = tmp_path (f, "cands.jsonl");
  g_autofree char *lead = tmp_path (f, "lead.assay");
  g_autofree char *other = tmp_path (f, "other.assay");
  GBytes *before[G_N_ELEMENTS (names)];
  g_auto(Run) r = { 0 };

  write_file (cands,
              "{\"id\": \"interview\", \"candidates\": [{\"id\": \"short\", \"model\": \"m1\","
              " \"text\": \"Six growers came.\"}]}\n", -1);
  init_project (f, "lead.assay", data_path ("template.json"));
  run_cli (f, &r, "import", "lead.assay", data_path ("interview.srt"), "cands.jsonl");
  assert_quiet_success (&r);
  copy_file (lead, other);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "ASSAY_TEST_KILLED_WRITER", other, TRUE);
  writer = g_subprocess_launcher_spawn (launcher, &error, test_program, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait (writer, NULL, &error));
  g_assert_true (g_subprocess_get_if_signaled (writer));
  g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      before[i] = bytes_of (f, names[i]);
      g_assert_nonnull (before[i]);
    }
  g_assert_cmpuint (g_bytes_get_size (before[1]), >, 0);

  run_cli (f, &r, "merge", "-v", "lead.assay", "other.assay");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==, "Merged 1 annotator’s judgments on an item.\n");
  assert_counts (f, "lead.assay", 1, 1, 2, 1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GBytes) after = bytes_of (f, names[i]);

      g_assert_nonnull (after);
      g_assert_true (g_bytes_equal (before[i], after));
      g_bytes_unref (before[i]);
    }
}

/* ---- template ---- */

static void
test_template_export (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *file_path = tmp_path (f, "shared.json");
  g_autofree char *out_json = tmp_path (f, "out.json");
  g_autofree char *in_file = NULL;
  g_autoptr(json_t) json = NULL;
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");

  run_cli (f, &r, "template", "export", "field.assay", "shared.json");
  assert_quiet_success (&r);
  in_file = read_file (file_path, NULL);
  json = parse_json (in_file);
  g_assert_true (json_is_array (json_object_get (json, "label_sets")));
  g_assert_cmpint (json_array_size (json_object_get (json, "label_sets")), ==, 3);
  g_assert_true (json_is_array (json_object_get (json, "criteria")));
  g_assert_cmpint (json_array_size (json_object_get (json, "criteria")), ==, 2);

  run_cli (f, &r, "template", "export", "field.assay", "-");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpstr (r.out, ==, in_file);

  /* The export is a template init reads back as the same template. */
  run_cli (f, &r, "init", "twin.assay", "--template", "shared.json");
  assert_quiet_success (&r);
  {
    g_autofree char *twin = template_export (f, "twin.assay");

    g_assert_cmpstr (twin, ==, in_file);
  }

  /* An empty project has an empty template, still with both arrays. */
  init_project (f, "empty.assay", NULL);
  {
    g_autofree char *empty = template_export (f, "empty.assay");
    g_autoptr(json_t) ejson = parse_json (empty);

    g_assert_true (json_is_array (json_object_get (ejson, "label_sets")));
    g_assert_true (json_is_array (json_object_get (ejson, "criteria")));
  }

  /* From a project that is not there: a failure, and no file written. */
  run_cli (f, &r, "template", "export", "absent.assay", "out.json");
  assert_failure (&r);
  assert_contains (r.err, "absent.assay");
  g_assert_false (g_file_test (out_json, G_FILE_TEST_EXISTS));
}

static void
test_template_export_onto_project (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "field.assay");
  g_autofree char *before = NULL;
  gsize before_len = 0;
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");
  before = read_file (path, &before_len);

  run_cli (f, &r, "template", "export", "field.assay", "field.assay");
  g_assert_cmpint (r.status, !=, 0);
  g_assert_cmpstr (r.err, !=, "");
  assert_file_unchanged (path, before, before_len);
  assert_counts (f, "field.assay", 2, 4, 9, 2);
}

static char *
write_changed_template (Fixture    *f,
                        const char *project,
                        const char *name,
                        void      (*change) (json_t *tmpl))
{
  g_autofree char *text = template_export (f, project);
  g_autoptr(json_t) json = parse_json (text);
  g_autofree char *path = tmp_path (f, name);

  change (json);
  g_assert_cmpint (json_dump_file (json, path, JSON_INDENT (2) | JSON_PRESERVE_ORDER), ==, 0);
  return g_steal_pointer (&path);
}

static json_t *
find_named (json_t     *array,
            const char *name)
{
  for (size_t i = 0; i < json_array_size (array); i++)
    if (g_strcmp0 (json_string_value (json_object_get (json_array_get (array, i), "name")),
                   name) == 0)
      return json_array_get (array, i);
  g_test_fail_printf ("nothing named %s", name);
  return NULL;
}

static void
remove_named (json_t     *array,
              const char *name)
{
  for (size_t i = 0; i < json_array_size (array); i++)
    if (g_strcmp0 (json_string_value (json_object_get (json_array_get (array, i), "name")),
                   name) == 0)
      {
        json_array_remove (array, i);
        return;
      }
  g_test_fail_printf ("nothing named %s", name);
}

static void
change_grow (json_t *tmpl)
{
  json_t *issues = find_named (json_object_get (tmpl, "label_sets"), "issues");

  json_object_set_new (tmpl, "guidelines", json_string ("New guidelines for the spring survey."));
  json_object_set_new (tmpl, "version", json_string ("3"));
  json_array_append_new (json_object_get (issues, "options"),
                         json_pack ("{s:s, s:s}", "name", "wrong-number", "key", "n"));
}

static void
change_drop_padding (json_t *tmpl)
{
  json_t *issues = find_named (json_object_get (tmpl, "label_sets"), "issues");

  remove_named (json_object_get (issues, "options"), "padding");
}

static void
change_drop_concision (json_t *tmpl)
{
  remove_named (json_object_get (tmpl, "criteria"), "concision");
}

static void
change_drop_claims (json_t *tmpl)
{
  remove_named (json_object_get (tmpl, "label_sets"), "claims");
}

static void
test_template_import (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *changed = NULL;
  g_autofree char *text = NULL;
  g_autoptr(json_t) json = NULL;
  json_t *issues;
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");
  changed = write_changed_template (f, "field.assay", "grown.json", change_grow);

  run_cli (f, &r, "template", "import", "field.assay", "grown.json");
  assert_quiet_success (&r);

  text = template_export (f, "field.assay");
  json = parse_json (text);
  g_assert_cmpstr (json_string_value (json_object_get (json, "guidelines")), ==,
                   "New guidelines for the spring survey.");
  g_assert_cmpstr (json_string_value (json_object_get (json, "version")), ==, "3");
  issues = find_named (json_object_get (json, "label_sets"), "issues");
  g_assert_nonnull (find_named (json_object_get (issues, "options"), "wrong-number"));

  /* The judgments stayed attached. */
  assert_counts (f, "field.assay", 2, 4, 9, 2);
  run_cli (f, &r, "check", "-q", "field.assay");
  assert_quiet_success (&r);

  /* A bad template file changes nothing. */
  write_file (changed, "{\"criteria\": [{\"name\": \"x\", \"min\": 3, \"max\": 3}]}", -1);
  run_cli (f, &r, "template", "import", "field.assay", "grown.json");
  assert_failure (&r);
  assert_contains (r.err, "grown.json");
  {
    g_autofree char *after = template_export (f, "field.assay");

    g_assert_cmpstr (after, ==, text);
  }
}

static void
test_template_import_in_use (Fixture       *f,
                             gconstpointer  data)
{
  static const struct
  {
    void      (*change) (json_t *tmpl);
    const char *named;
  } cases[] = {
    { change_drop_padding, "padding" },
    { change_drop_concision, "concision" },
    { change_drop_claims, "claims" },
  };
  g_autofree char *before = NULL;
  g_autofree char *export_before = NULL;

  make_field_project (f, "field.assay");
  before = template_export (f, "field.assay");
  export_before = export_native (f, "field.assay");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *file = write_changed_template (f, "field.assay", "smaller.json",
                                                      cases[i].change);
      g_autofree char *after = NULL;
      g_auto(Run) r = { 0 };

      run_cli (f, &r, "template", "import", "field.assay", "smaller.json");
      assert_failure (&r);
      assert_contains (r.err, cases[i].named);

      after = template_export (f, "field.assay");
      g_assert_cmpstr (after, ==, before);
    }

  {
    g_autofree char *export_after = export_native (f, "field.assay");

    g_assert_cmpstr (export_after, ==, export_before);
  }
}

static void
test_template_bad_subcommand (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *t_json = tmp_path (f, "t.json");
  g_auto(Run) r = { 0 };

  init_project (f, "p.assay", NULL);
  run_cli (f, &r, "template", "publish", "p.assay", "t.json");
  assert_usage_error (&r);
  assert_contains (r.err, "publish");
  g_assert_false (g_file_test (t_json, G_FILE_TEST_EXISTS));

  /* The subcommand is not a project name. */
  run_cli (f, &r, "template", "p.assay", "export", "-");
  assert_usage_error (&r);
}

/* ---- check ---- */

static void
test_check_ok (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "field.assay");
  g_autofree char *before = NULL;
  gsize before_len = 0;
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");
  before = read_file (path, &before_len);

  run_cli (f, &r, "check", "field.assay");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "");
  assert_contains (r.out, "field.assay");
  assert_contains (r.out, "OK");

  run_cli (f, &r, "check", "--quiet", "field.assay");
  assert_quiet_success (&r);
  run_cli (f, &r, "check", "-q", "field.assay");
  assert_quiet_success (&r);

  /* Checking never changes the project. */
  assert_file_unchanged (path, before, before_len);

  /* Not a project: a failure, not a verdict. */
  run_cli (f, &r, "check", "absent.assay");
  assert_failure (&r);
  assert_contains (r.err, "absent.assay");
  run_cli (f, &r, "check", "--quiet", "absent.assay");
  assert_failure (&r);
}

static void
damage (const char *path,
        const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_test_fail_printf ("%s: %s", sql, message);
  sqlite3_free (message);
  sqlite3_close (db);
}

static void
test_check_damaged (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = tmp_path (f, "field.assay");
  g_autofree char *trigger_path = tmp_path (f, "trigger.assay");
  g_auto(Run) r = { 0 };

  make_field_project (f, "field.assay");
  damage (path, "UPDATE scores SET value = 9 WHERE criterion_id ="
                " (SELECT id FROM criteria WHERE name = 'faithfulness')");

  run_cli (f, &r, "check", "field.assay");
  assert_failure (&r);
  assert_contains (r.err, "plot-07/a");
  assert_contains (r.err, "faithfulness");
  assert_contains (r.err, "1 problem");

  /* --quiet silences the verdict, never the problems. */
  run_cli (f, &r, "check", "--quiet", "field.assay");
  assert_failure (&r);
  assert_contains (r.err, "plot-07/a");

  /* Planted code is a problem too. */
  make_field_project (f, "trigger.assay");
  damage (trigger_path, "CREATE TRIGGER evil AFTER INSERT ON sources"
                        " BEGIN DELETE FROM candidates; END;");
  run_cli (f, &r, "check", "trigger.assay");
  assert_failure (&r);
  assert_contains (r.err, "evil");
}

int
main (int    argc,
      char **argv)
{
  if (g_getenv ("ASSAY_TEST_KILLED_WRITER") != NULL)
    killed_writer (g_getenv ("ASSAY_TEST_KILLED_WRITER"));
  test_program = argv[0];

  g_test_init (&argc, &argv, NULL);
  /* A failing case (a bug it shows) must not hide the cases after it. */
  g_test_set_nonfatal_assertions ();
  /* A command may exit before it reads the input written to it. */
  signal (SIGPIPE, SIG_IGN);

#define ADD(path, func) \
  g_test_add ("/assay/cli/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("help", test_help);
  ADD ("help-aligned", test_help_aligned);
  ADD ("command-help", test_command_help);
  ADD ("version", test_version);
  ADD ("no-arguments", test_no_arguments);
  ADD ("unknown-command", test_unknown_command);
  ADD ("unknown-option", test_unknown_option);
  ADD ("missing-arguments", test_missing_arguments);
  ADD ("init/creates", test_init_creates);
  ADD ("init/not-a-file-name", test_init_not_a_file_name);
  ADD ("init/existing", test_init_existing);
  ADD ("init/template", test_init_template);
  ADD ("init/bad-template", test_init_bad_template);
  ADD ("import/formats", test_import_formats);
  ADD ("import/stdin", test_import_stdin);
  ADD ("import/format-override", test_import_format_override);
  ADD ("import/bad-line", test_import_bad_line);
  ADD ("import/skip-invalid", test_import_skip_invalid);
  ADD ("import/map", test_import_map);
  ADD ("import/verbose", test_import_verbose);
  ADD ("import/missing", test_import_missing);
  ADD ("import/any-order", test_import_any_order);
  ADD ("info/human", test_info_human);
  ADD ("info/json", test_info_json);
  ADD ("info/not-a-project", test_info_not_a_project);
  ADD ("info/too-new", test_info_too_new);
  ADD ("export/file", test_export_file);
  ADD ("export/usage", test_export_usage);
  ADD ("export/roundtrip", test_export_roundtrip);
  ADD ("export/roundtrip-empty", test_export_roundtrip_empty);
  ADD ("export/onto-project", test_export_onto_project);
  ADD ("export/demo", test_export_demo);
  ADD ("export/interrupted", test_export_interrupted);
  ADD ("merge/wal", test_merge_wal);
  ADD ("template/export", test_template_export);
  ADD ("template/export-onto-project", test_template_export_onto_project);
  ADD ("template/import", test_template_import);
  ADD ("template/import-in-use", test_template_import_in_use);
  ADD ("template/bad-subcommand", test_template_bad_subcommand);
  ADD ("check/ok", test_check_ok);
  ADD ("check/damaged", test_check_damaged);

#undef ADD

  return g_test_run ();
}
