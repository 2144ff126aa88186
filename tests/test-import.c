/* test-import.c: bringing sources, candidates and judgments into a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every test works on a project of its own in a fresh temporary folder and
 * checks what a user would check: what the project holds afterwards (counts,
 * lookups, the native export), what an error message says (the file, the
 * line, what is wrong) and that a refused import leaves the project exactly
 * as it was.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-project-private.h"

/* A small template with one of each kind of thing judgments refer to. */
static const char *template_json =
  "{\"name\": \"Import tests\", \"version\": \"1\","
  " \"judgments\": [\"labels\", \"spans\", \"correction\", \"scores\", \"ranking\", \"pairwise\"],"
  " \"label_sets\": ["
  "  {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "    {\"name\": \"supported\"}, {\"name\": \"unsupported\"}]},"
  "  {\"name\": \"verdict\", \"scope\": \"candidate\", \"options\": ["
  "    {\"name\": \"accept\"}, {\"name\": \"reject\"}]},"
  "  {\"name\": \"issues\", \"scope\": \"candidate\", \"multi\": true, \"options\": ["
  "    {\"name\": \"padding\"}, {\"name\": \"omission\"}]}],"
  " \"criteria\": ["
  "  {\"name\": \"faithfulness\", \"min\": 1, \"max\": 5},"
  "  {\"name\": \"concision\", \"min\": 1, \"max\": 3}]}";

/* Every project starts with this source. "Café" and the emoji make code
 * point offsets differ from byte and UTF-16 offsets: the text has 28 code
 * points, 32 bytes and 29 UTF-16 units. */
static const char *base_jsonl =
  "{\"id\": \"s1\", \"text\": \"Café sales rose 4% 🎉 in May.\", \"candidates\": ["
  " {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Sales rose 4% in May.\"},"
  " {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Sales fell.\"}]}\n";

typedef struct
{
  char         *dir;
  char         *path;
  AssayProject *project;
} Fixture;

/* ---- helpers ---- */

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

static GBytes *
bytes_new (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static char *
export_native (AssayProject *project)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data;

  g_assert_true (assay_export_to_stream (project, "native", NULL, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  data = g_bytes_get_data (bytes, &len);
  g_assert_null (memchr (data, '\0', len));
  return g_strndup (data, len);
}

/* The exported line of source `id`, without its line feed. */
static char *
export_line (const char *export,
             const char *id)
{
  g_autofree char *needle = g_strdup_printf ("{\"id\":\"%s\",", id);
  const char *p = export;
  const char *end;

  while (p != NULL && !g_str_has_prefix (p, needle))
    {
      p = strchr (p, '\n');
      if (p != NULL)
        p++;
    }
  if (p == NULL || *p == '\0')
    return NULL;
  end = strchr (p, '\n');
  g_assert_nonnull (end);
  return g_strndup (p, end - p);
}

static void
get_counts (AssayProject       *project,
            AssayProjectCounts *counts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_get_counts (project, counts, &error));
  g_assert_no_error (error);
}

static void
assert_counts_equal (const AssayProjectCounts *a,
                     const AssayProjectCounts *b)
{
  g_assert_cmpint (a->sources, ==, b->sources);
  g_assert_cmpint (a->candidates, ==, b->candidates);
  g_assert_cmpint (a->annotators, ==, b->annotators);
  g_assert_cmpint (a->judgments, ==, b->judgments);
  for (guint i = 0; i < ASSAY_N_STATUSES; i++)
    g_assert_cmpint (a->status[i], ==, b->status[i]);
}

/* Rows of a query as "col|col;col|col;", NULL columns as "NULL". */
static char *
query_rows (AssayProject *project,
            const char   *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);
  int rc;

  g_assert_cmpint (sqlite3_prepare_v2 (_assay_project_get_db (project), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i ? "|" : "", v ? v : "NULL");
        }
      g_string_append_c (out, ';');
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  return g_string_free (out, FALSE);
}

/* Imports one file written into the fixture's folder. */
static gboolean
import_file (Fixture            *f,
             const char         *name,
             const char         *contents,
             AssayImportFormat   format,
             AssayImport       **out_import,
             GError            **error)
{
  g_autofree char *path = write_file (f, name, contents, -1);
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  gboolean ok;

  assay_import_add_file (import, path, format);
  ok = assay_import_run (import, NULL, error);
  if (out_import != NULL)
    *out_import = g_steal_pointer (&import);
  return ok;
}

static void
import_ok (Fixture    *f,
           const char *name,
           const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (import_file (f, name, contents, ASSAY_FORMAT_AUTO, NULL, &error));
  g_assert_no_error (error);
}

/* "FILE:LINE: " for a file of the fixture's folder, or "FILE: " for line 0. */
static char *
where (Fixture    *f,
       const char *name,
       guint       line)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);

  if (line == 0)
    return g_strdup_printf ("%s: ", path);
  return g_strdup_printf ("%s:%u: ", path, line);
}

/* Asserts that importing `contents` as file `name` is refused with a message
 * that starts with "FILE:LINE: " and holds every fragment ("{FILE}" in a
 * fragment stands for the file's path), and that the project is unchanged. */
static void
assert_refused (Fixture            *f,
                const char         *name,
                const char         *contents,
                gssize              len,
                guint               line,
                const char * const *fragments)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *path = write_file (f, name, contents, len);
  g_autofree char *prefix = where (f, name, line);
  g_autofree char *before = export_native (f->project);
  g_autofree char *after = NULL;
  AssayProjectCounts counts_before, counts_after;

  get_counts (f->project, &counts_before);
  assay_import_add_file (import, path, ASSAY_FORMAT_AUTO);
  g_assert_false (assay_import_run (import, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_test_message ("message: %s", error->message);

  if (!g_str_has_prefix (error->message, prefix))
    g_error ("“%s” does not start with “%s”", error->message, prefix);
  /* One problem, so one line of message. */
  g_assert_null (strchr (error->message, '\n'));
  for (guint i = 0; fragments[i] != NULL; i++)
    {
      g_autoptr(GString) fragment = g_string_new (fragments[i]);

      g_string_replace (fragment, "{FILE}", path, 0);
      if (strstr (error->message, fragment->str) == NULL)
        g_error ("“%s” does not contain “%s”", error->message, fragment->str);
    }

  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 1);
  g_assert_cmpuint (assay_import_get_problems (import)->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (assay_import_get_problems (import), 0), ==,
                   error->message);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 0);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 0);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 0);
  g_assert_cmpint (assay_import_get_n_annotators (import), ==, 0);

  get_counts (f->project, &counts_after);
  assert_counts_equal (&counts_before, &counts_after);
  after = export_native (f->project);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (assay_project_lookup_source (f->project, "fresh"), ==, 0);
}

/* Checks that fail the test without ending the program, so that the other
 * tests still run and report (see main): for features found broken. */
#define EXPECT(cond) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        g_test_fail_printf ("%s:%d: expected %s", __FILE__, __LINE__, #cond); \
        return; \
      } \
  } G_STMT_END

static gboolean
expect_no_error (GError *error)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    return TRUE;
  message = g_strdup (error->message);
  g_strdelimit (message, "\n", ' ');
  g_test_fail_printf ("the import failed: %s", message);
  return FALSE;
}

static gboolean
expect_contains (const char *haystack,
                 const char *needle)
{
  if (haystack != NULL && strstr (haystack, needle) != NULL)
    return TRUE;
  g_test_fail_printf ("“%s” does not contain “%s”", haystack ? haystack : "(nothing)", needle);
  return FALSE;
}

/* ---- fixture ---- */

static void
fixture_setup_empty (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-import-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.assay", NULL);
  f->project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *template_path = NULL;

  fixture_setup_empty (f, data);

  template_path = write_file (f, "template.json", template_json, -1);
  tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  g_assert_no_error (error);

  import_ok (f, "base.jsonl", base_jsonl);
  g_assert_cmpint (assay_project_lookup_source (f->project, "s1"), !=, 0);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->project);
  remove_tree (f->dir);
  g_assert_false (g_file_test (f->dir, G_FILE_TEST_EXISTS));
  g_free (f->dir);
  g_free (f->path);
}

/* ---- good native JSONL ---- */

#define METADATA \
  "{  \"z\": 1.50e3, \"big\": 12345678901234567890, \"nested\": {\"b\": [1, {\"c\": null}]," \
  " \"a\": \"Grüße \\u00e9 ✓ \\\"q\\\"\"}, \"a\" : true ,\"e\":{}  }"

#define CANDIDATE_METADATA "{\"temperature\":0.20, \"seed\": -0, \"tags\": [\"x\",\"y\"]}"

static void
test_native_text (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  gint64 source;

  g_assert_true (import_file (f, "text.jsonl",
                              "{\"id\": \"call-1\", \"title\": \"Billing call, März\","
                              " \"text\": \"Hello 🎉 there.\\nSecond line.\","
                              " \"metadata\": " METADATA ","
                              " \"candidates\": ["
                              "  {\"model\": \"m1\", \"text\": \"Hi.\", \"prompt\": \"Summarise.\","
                              "   \"metadata\": " CANDIDATE_METADATA "},"
                              "  {\"id\": \"custom\", \"model\": \"m2\", \"text\": \"Hello.\"}]}\n"
                              "{\"id\": \"bare\", \"text\": \"Only text.\"}\n",
                              ASSAY_FORMAT_AUTO, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 2);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 2);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 0);
  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 0);
  g_assert_cmpuint (assay_import_get_problems (import)->len, ==, 0);

  source = assay_project_lookup_source (f->project, "call-1");
  g_assert_cmpint (source, !=, 0);
  /* Without an id, a candidate is named after its model. */
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "m1"), !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "custom"), !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "m2"), ==, 0);

  export = export_native (f->project);
  line = export_line (export, "call-1");
  g_assert_nonnull (line);
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"call-1\",\"title\":\"Billing call, März\","
                   "\"text\":\"Hello 🎉 there.\\nSecond line.\","
                   "\"metadata\":" METADATA ","
                   "\"candidates\":["
                   "{\"id\":\"m1\",\"model\":\"m1\",\"text\":\"Hi.\",\"prompt\":\"Summarise.\","
                   "\"metadata\":" CANDIDATE_METADATA "},"
                   "{\"id\":\"custom\",\"model\":\"m2\",\"text\":\"Hello.\"}]}");

  /* The title defaults to the id; a source without metadata exports none. */
  g_clear_pointer (&line, g_free);
  line = export_line (export, "bare");
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"bare\",\"title\":\"bare\",\"text\":\"Only "
                   "text.\",\"candidates\":[]}");
}

static void
test_native_segments (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  g_autofree char *segments = NULL;
  gint64 source;

  /* "Olá, tudo bem?" has 14 code points and 15 bytes; "Fine 👍\nthanks."
   * has 14 code points, 17 bytes and 15 UTF-16 units. */
  import_ok (f, "segments.jsonl",
             "{\"id\": \"seg-1\", \"segments\": ["
             " {\"speaker\": \"Ana\", \"start\": 0, \"end\": 2.5, \"text\": \"Olá, tudo bem?\"},"
             " {\"speaker\": \"Ben\", \"start\": 2.5, \"end\": 4.125, \"text\": \"Fine "
             "👍\\nthanks.\"},"
             " {\"text\": \"[end]\"}],"
             " \"candidates\": [{\"id\": \"c\", \"model\": \"m\", \"text\": \"A greeting.\"}]}\n"
             "{\"id\": \"seg-2\", \"text\": \"One\\nTwo\", \"segments\": ["
             " {\"text\": \"One\"}, {\"text\": \"Two\", \"start\": 1, \"end\": 1}]}\n");

  source = assay_project_lookup_source (f->project, "seg-1");
  g_assert_cmpint (source, !=, 0);

  /* The text is the segments' texts joined by line feeds, and each segment
   * knows where it lies in it, in code points. */
  text = query_rows (f->project, "SELECT text FROM sources WHERE ext_id = 'seg-1'");
  g_assert_cmpstr (text, ==, "Olá, tudo bem?\nFine 👍\nthanks.\n[end];");
  segments = query_rows (f->project,
                         "SELECT g.idx, g.speaker, g.start_time, g.end_time, g.char_start,"
                         " g.char_end, g.text FROM segments g JOIN sources s ON s.id = g.source_id"
                         " WHERE s.ext_id = 'seg-1' ORDER BY g.idx");
  g_assert_cmpstr (segments, ==,
                   "0|Ana|0.0|2.5|0|14|Olá, tudo bem?;"
                   "1|Ben|2.5|4.125|15|29|Fine 👍\nthanks.;"
                   "2|NULL|NULL|NULL|30|35|[end];");

  /* The offsets are those the source's text is checked against: evidence
   * may reach the last code point of the last segment and no further. */
  {
    g_autoptr(AssayImport) import = NULL;

    g_assert_true (import_file (f, "evidence.jsonl",
                                "{\"type\": \"span\", \"source\": \"seg-1\", \"candidate\": \"c\","
                                " \"annotator\": \"p\", \"start\": 2, \"end\": 10,"
                                " \"text\": \"greeting\", \"label\": \"supported\","
                                " \"evidence\": [{\"start\": 30, \"end\": 35}, {\"start\": 20,"
                                " \"end\": 21}]}\n",
                                ASSAY_FORMAT_AUTO, &import, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_import_get_n_judgments (import), ==, 1);
  }
  {
    const char * const fragments[] = { "the evidence 30–36 does not lie within the source’s text "
                                       "(35 characters)", NULL };

    assert_refused (f, "evidence2.jsonl",
                    "{\"type\": \"span\", \"source\": \"seg-1\", \"candidate\": \"c\","
                    " \"annotator\": \"p\", \"start\": 0, \"end\": 1,"
                    " \"evidence\": [{\"start\": 30, \"end\": 36}]}\n",
                    -1, 1, fragments);
  }

  /* The export gives the segments back as they came, not the joined text. */
  export = export_native (f->project);
  line = export_line (export, "seg-1");
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line,
                                   "{\"id\":\"seg-1\",\"title\":\"seg-1\",\"segments\":["
                                   "{\"speaker\":\"Ana\",\"start\":0,\"end\":2.5,"
                                   "\"text\":\"Olá, tudo bem?\"},"
                                   "{\"speaker\":\"Ben\",\"start\":2.5,\"end\":4.125,"
                                   "\"text\":\"Fine 👍\\nthanks.\"},"
                                   "{\"text\":\"[end]\"}],\"candidates\":["));
  g_assert_null (strstr (line, "\"text\":\"Olá, tudo bem?\\nFine"));
  g_clear_pointer (&line, g_free);
  line = export_line (export, "seg-2");
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"seg-2\",\"title\":\"seg-2\",\"segments\":[{\"text\":\"One\"},"
                   "{\"start\":1,\"end\":1,\"text\":\"Two\"}],\"candidates\":[]}");
}

static void
test_native_default_ids (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  gint64 source;

  /* Two candidates share a model: both get the model name and their
   * 1-based position in the line; a model of its own keeps its name. */
  import_ok (f, "ids.jsonl",
             "{\"id\": \"d1\", \"text\": \"T.\", \"candidates\": ["
             " {\"model\": \"gpt\", \"text\": \"one\"},"
             " {\"model\": \"solo\", \"text\": \"two\"},"
             " {\"model\": \"gpt\", \"text\": \"three\"},"
             " {\"id\": \"mine\", \"model\": \"gpt\", \"text\": \"four\"}]}\n");
  source = assay_project_lookup_source (f->project, "d1");
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "gpt-1"), !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "solo"), !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "gpt-3"), !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "mine"), !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "gpt"), ==, 0);

  export = export_native (f->project);
  line = export_line (export, "d1");
  g_assert_true (strstr (line,
                         "\"candidates\":[{\"id\":\"gpt-1\",\"model\":\"gpt\",\"text\":\"one\"},"
                         "{\"id\":\"solo\",\"model\":\"solo\",\"text\":\"two\"},"
                         "{\"id\":\"gpt-3\",\"model\":\"gpt\",\"text\":\"three\"},"
                         "{\"id\":\"mine\",\"model\":\"gpt\",\"text\":\"four\"}]") != NULL);

  /* Two candidates with the same id in one line are refused. */
  {
    const char * const fragments[] = { "candidates[1]", "duplicate candidate id “x”", NULL };

    assert_refused (f, "dup-candidates.jsonl",
                    "{\"id\": \"fresh\", \"text\": \"T.\", \"candidates\": ["
                    " {\"id\": \"x\", \"model\": \"a\", \"text\": \"one\"},"
                    " {\"id\": \"x\", \"model\": \"b\", \"text\": \"two\"}]}\n",
                    -1, 1, fragments);
  }
}

/* One line of each judgment kind, some inside the source line, some on
 * lines of their own, with the three ways of naming an annotator. */
static const char *judgments_jsonl =
  "{\"type\": \"annotator\", \"id\": \"dr.osei\", \"name\": \"Dr. Ama Osei\","
  " \"kind\": \"adjudicator\"}\n"
  "{\"id\": \"call-7\", \"text\": \"Agent: refund of $64.99 issued. Customer: thanks 🙂.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"A refund of $64.99 was issued.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"The customer got $129.98 back.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"Call about a refund.\"}],"
  " \"judgments\": ["
  "  {\"type\": \"labels\", \"annotator\": \"priya\", \"candidate\": \"a\","
  "   \"labels\": {\"issues\": [\"padding\", \"omission\"], \"verdict\": \"accept\"}},"
  "  {\"type\": \"span\", \"annotator\": \"priya\", \"candidate\": \"b\", \"start\": 17,"
  "   \"end\": 30, \"text\": \"$129.98 back.\", \"label\": \"unsupported\","
  "   \"note\": \"Twice the refund.\", \"evidence\": [{\"start\": 17, \"end\": 23}]}]}\n"
  "\n"
  "{\"type\": \"correction\", \"source\": \"call-7\", \"candidate\": \"b\", \"annotator\": "
  "\"priya\","
  " \"text\": \"The customer got $64.99 back.\", \"created\": \"2026-11-24T09:15:02.250Z\","
  " \"time_spent\": 12.5}\n"
  "{\"type\": \"scores\", \"source\": \"call-7\", \"candidate\": \"a\", \"annotator\": \"priya\","
  " \"scores\": {\"faithfulness\": {\"score\": 5, \"rationale\": \"All figures match.\"},"
  " \"concision\": {\"score\": 3}}}\n"
  "{\"type\": \"scores\", \"source\": \"call-7\", \"candidate\": \"b\", \"annotator\": \"priya\","
  " \"scores\": {\"faithfulness\": 2, \"concision\": 3}}\n"
  "{\"type\": \"ranking\", \"source\": \"call-7\", \"annotator\": \"priya\","
  " \"ranks\": {\"c\": 1, \"b\": 2, \"a\": 1}}\n"
  "{\"type\": \"comparison\", \"source\": \"call-7\", \"annotator\": {\"id\": \"judge-1\","
  " \"name\": \"Judge One\", \"kind\": \"model\"}, \"a\": \"b\", \"b\": \"a\", \"winner\": \"b\","
  " \"rationale\": \"A names the right amount.\"}\n"
  "{\"type\": \"note\", \"source\": \"call-7\", \"annotator\": \"dr.osei\","
  " \"text\": \"Audio cuts out at 0:40.\"}\n"
  "{\"type\": \"note\", \"source\": \"call-7\", \"candidate\": \"c\", \"annotator\": \"dr.osei\","
  " \"text\": \"Too vague.\"}\n"
  "{\"type\": \"status\", \"source\": \"call-7\", \"annotator\": \"dr.osei\", \"status\": \"done\","
  " \"created\": \"2026-11-24T10:15:02+01:00\", \"time_spent\": 184.5}\n";

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” does not contain “%s”", haystack, needle);
}

static void
test_native_judgments (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  AssayProjectCounts counts;

  g_assert_true (import_file (f, "judgments.jsonl", judgments_jsonl, ASSAY_FORMAT_AUTO, &import,
                              &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 1);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 3);
  /* labels, span, correction, 2 × scores, ranking, comparison, 2 × note, status */
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 10);
  g_assert_cmpint (assay_import_get_n_annotators (import), ==, 3);

  get_counts (f->project, &counts);
  g_assert_cmpint (counts.sources, ==, 2);
  g_assert_cmpint (counts.judgments, ==, 10);
  g_assert_cmpint (counts.annotators, ==, 3);
  g_assert_cmpint (counts.status[ASSAY_STATUS_DONE], ==, 1);
  g_assert_cmpint (counts.status[ASSAY_STATUS_TODO], ==, 1);
  g_assert_cmpint (assay_project_lookup_annotator (f->project, "judge-1"), !=, 0);

  export = export_native (f->project);
  /* An annotator named only by id is a person whose name is the id. */
  assert_contains (export, "\n{\"type\":\"annotator\",\"id\":\"dr.osei\",\"name\":\"Dr. Ama Osei\","
                           "\"kind\":\"adjudicator\"}\n"
                           "{\"type\":\"annotator\",\"id\":\"judge-1\",\"name\":\"Judge One\","
                           "\"kind\":\"model\"}\n"
                           "{\"type\":\"annotator\",\"id\":\"priya\",\"name\":\"priya\","
                           "\"kind\":\"person\"}\n");

  line = export_line (export, "call-7");
  g_assert_nonnull (line);
  assert_contains (line, "{\"type\":\"status\",\"annotator\":\"dr.osei\",\"status\":\"done\","
                         "\"created\":\"2026-11-24T09:15:02.000Z\","
                         "\"updated\":\"2026-11-24T09:15:02.000Z\",\"time_spent\":184.5}");
  assert_contains (line, "{\"type\":\"note\",\"annotator\":\"dr.osei\","
                         "\"text\":\"Audio cuts out at 0:40.\",");
  assert_contains (line, "{\"type\":\"note\",\"annotator\":\"dr.osei\",\"candidate\":\"c\","
                         "\"text\":\"Too vague.\",");
  assert_contains (line, "{\"type\":\"correction\",\"annotator\":\"priya\",\"candidate\":\"b\","
                         "\"text\":\"The customer got $64.99 back.\","
                         "\"created\":\"2026-11-24T09:15:02.250Z\","
                         "\"updated\":\"2026-11-24T09:15:02.250Z\",\"time_spent\":12.5}");
  assert_contains (line, "{\"type\":\"comparison\",\"annotator\":\"judge-1\",\"a\":\"b\","
                         "\"b\":\"a\",\"winner\":\"b\","
                         "\"rationale\":\"A names the right amount.\",");
  /* Label sets and labels in the template's order. */
  assert_contains (line, "{\"type\":\"labels\",\"annotator\":\"priya\",\"candidate\":\"a\","
                         "\"labels\":{\"verdict\":\"accept\","
                         "\"issues\":[\"padding\",\"omission\"]},");
  assert_contains (line, "{\"type\":\"span\",\"annotator\":\"priya\",\"candidate\":\"b\","
                         "\"start\":17,\"end\":30,\"text\":\"$129.98 back.\","
                         "\"label_set\":\"claims\",\"label\":\"unsupported\","
                         "\"note\":\"Twice the refund.\",");
  assert_contains (line, ",\"evidence\":[{\"start\":17,\"end\":23}]}");
  /* The short form of a score is written in the long form. */
  assert_contains (line, "{\"type\":\"scores\",\"annotator\":\"priya\",\"candidate\":\"a\","
                         "\"scores\":{\"faithfulness\":{\"score\":5,"
                         "\"rationale\":\"All figures match.\"},\"concision\":{\"score\":3}},");
  assert_contains (line, "{\"type\":\"scores\",\"annotator\":\"priya\",\"candidate\":\"b\","
                         "\"scores\":{\"faithfulness\":{\"score\":2},"
                         "\"concision\":{\"score\":3}},");
  /* Ties stay ties; ranks go out best first. */
  assert_contains (line, "{\"type\":\"ranking\",\"annotator\":\"priya\","
                         "\"ranks\":{\"a\":1,\"c\":1,\"b\":2},");
}

static void
test_native_judgment_replaces (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  AssayProjectCounts before, after;

  import_ok (f, "first.jsonl",
             "{\"type\": \"scores\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": "
             "\"p\","
             " \"scores\": {\"faithfulness\": 2}}\n"
             "{\"type\": \"comparison\", \"source\": \"s1\", \"annotator\": \"p\", \"a\": \"a\","
             " \"b\": \"b\", \"winner\": \"a\"}\n");
  get_counts (f->project, &before);

  /* A newer file of the same annotator's work: the same items again. */
  import_ok (f, "second.jsonl",
             "{\"type\": \"scores\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": "
             "\"p\","
             " \"scores\": {\"faithfulness\": 4}}\n"
             "{\"type\": \"comparison\", \"source\": \"s1\", \"annotator\": \"p\", \"a\": \"b\","
             " \"b\": \"a\", \"winner\": \"tie\"}\n");
  get_counts (f->project, &after);
  assert_counts_equal (&before, &after);

  export = export_native (f->project);
  line = export_line (export, "s1");
  assert_contains (line, "\"scores\":{\"faithfulness\":{\"score\":4}}");
  g_assert_null (strstr (line, "\"score\":2"));
  assert_contains (line, "\"a\":\"b\",\"b\":\"a\",\"winner\":\"tie\"");
  g_assert_null (strstr (line, "\"winner\":\"a\""));
}

static void
test_template_line (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *export = NULL;

  /* The fixture has no template: the file brings its own. */
  g_assert_true (import_file (f, "with-template.jsonl",
                              "{\"type\": \"template\", \"name\": \"Inline\","
                              " \"judgments\": [\"labels\"], \"label_sets\": [{\"name\": "
                              "\"verdict\","
                              " \"scope\": \"candidate\", \"options\": [{\"name\": \"accept\"},"
                              " {\"name\": \"reject\"}]}]}\n"
                              "{\"id\": \"t1\", \"text\": \"T.\", \"candidates\": [{\"id\": \"a\","
                              " \"model\": \"m\", \"text\": \"S.\"}], \"judgments\": [{\"type\":"
                              " \"labels\", \"annotator\": \"p\", \"candidate\": \"a\", \"labels\":"
                              " {\"verdict\": \"reject\"}}]}\n",
                              ASSAY_FORMAT_AUTO, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 1);

  tmpl = assay_project_load_template (f->project, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tmpl->name, ==, "Inline");
  g_assert_nonnull (assay_template_find_label_set (tmpl, "verdict"));

  export = export_native (f->project);
  g_assert_true (g_str_has_prefix (export, "{\"type\":\"template\",\"name\":\"Inline\","));
  assert_contains (export, "\"labels\":{\"verdict\":\"reject\"}");
}

/* ---- sources that exist already ---- */

static void
test_attach_candidates (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  gint64 source = assay_project_lookup_source (f->project, "s1");

  g_assert_true (import_file (f, "attach.jsonl",
                              "{\"id\": \"s1\", \"candidates\": [{\"id\": \"c\", \"model\": \"m3\","
                              " \"text\": \"May sales: +4%.\"}], \"judgments\": [{\"type\": "
                              "\"labels\","
                              " \"annotator\": \"p\", \"candidate\": \"c\", \"labels\": "
                              "{\"verdict\":"
                              " \"accept\"}}]}\n",
                              ASSAY_FORMAT_AUTO, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 0);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 1);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 1);
  g_assert_cmpint (assay_project_lookup_source (f->project, "s1"), ==, source);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "c"), !=, 0);

  /* The source is as it was, with the new candidate after the others. */
  export = export_native (f->project);
  line = export_line (export, "s1");
  g_assert_true (g_str_has_prefix (line,
                                   "{\"id\":\"s1\",\"title\":\"s1\","
                                   "\"text\":\"Café sales rose 4% 🎉 in May.\",\"candidates\":["
                                   "{\"id\":\"a\",\"model\":\"m1\",\"text\":\"Sales rose 4% in "
                                   "May.\"},"
                                   "{\"id\":\"b\",\"model\":\"m2\",\"text\":\"Sales fell.\"},"
                                   "{\"id\":\"c\",\"model\":\"m3\",\"text\":\"May sales: +4%.\"}],"
                                   "\"judgments\":[{\"type\":\"labels\",\"annotator\":\"p\","
                                   "\"candidate\":\"c\",\"labels\":{\"verdict\":\"accept\"},"));
}

/* ---- lines that are refused ---- */

typedef struct
{
  const char *name;
  const char *file_name;
  const char *contents;
  guint       line;           /* 0: the message names the file only */
  const char *fragments[4];
} BadCase;

/* A good first line: the bad line after it must take it down too. */
#define FRESH "{\"id\": \"fresh\", \"text\": \"New source.\"}\n"

static const BadCase bad_cases[] = {
  /* "é" is one code point of two bytes: the column counts code points. */
  { "invalid-json", "bad.jsonl", FRESH "\n{\"id\": \"é\", x}\n", 3,
    { "invalid JSON at column 13", "unexpected character 'x'" } },
  { "invalid-json-eof", "bad.jsonl", FRESH "{\"id\": \"s2\", \"text\": \"x\"\n", 2,
    { "invalid JSON at column 25", "unexpected end of input" } },
  { "invalid-utf8", "bad.jsonl", FRESH "{\"id\": \"s2\", \"text\": \"caf\xe9 au lait\"}\n", 2,
    { "invalid JSON at column 26", "invalid UTF-8" } },
  { "not-an-object", "bad.jsonl", FRESH "[\"s2\", \"text\"]\n", 2,
    { "expected a JSON object, found an array" } },
  { "missing-id", "bad.jsonl", FRESH "{\"text\": \"No id.\"}\n", 2,
    { "missing required field “id”" } },
  { "id-wrong-type", "bad.jsonl", FRESH "{\"id\": 42, \"text\": \"x\"}\n", 2,
    { "id: expected a string, found a number" } },
  { "id-empty", "bad.jsonl", FRESH "{\"id\": \"\", \"text\": \"x\"}\n", 2,
    { "an id must have 1 to 256 characters" } },
  { "metadata-not-object", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"text\": \"x\", \"metadata\": [1, 2]}\n", 2,
    { "metadata: expected an object, found an array" } },
  { "unknown-field", "bad.jsonl", FRESH "{\"id\": \"s2\", \"text\": \"x\", \"summary\": "
                                        "\"y\"}\n", 2,
    { "unknown field “summary”" } },
  { "candidates-not-array", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"text\": \"x\", \"candidates\": {\"model\": \"m\", \"text\": "
          "\"y\"}}\n", 2,
    { "candidates: expected an array, found an object" } },
  { "candidate-without-model", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"text\": \"x\", \"candidates\": [{\"model\": \"m\", \"text\": \"ok\"},"
    " {\"text\": \"y\"}]}\n", 2,
    { "missing required field “candidates[1].model”" } },
  { "candidate-text-type", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"text\": \"x\", \"candidates\": [{\"model\": \"m\", \"text\": "
          "3}]}\n", 2,
    { "candidates[0].text: expected a string, found a number" } },
  { "text-disagrees-with-segments", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"text\": \"a b\", \"segments\": [{\"text\": \"a\"}, {\"text\": "
          "\"b\"}]}\n",
    2, { "“text” differs from the segments’ texts joined by line feeds" } },
  { "negative-time", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"segments\": [{\"text\": \"a\", \"start\": 0, \"end\": 1},"
    " {\"text\": \"b\", \"start\": -0.5, \"end\": 2}]}\n", 2,
    { "segments[1]: times cannot be negative" } },
  { "end-before-start", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"segments\": [{\"text\": \"a\", \"start\": 5, \"end\": 2.5}]}\n", 2,
    { "segments[0]: the segment ends before it starts" } },
  { "unknown-label", "bad.jsonl",
    FRESH "{\"type\": \"labels\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"labels\": {\"verdict\": \"maybe\"}}\n", 2,
    { "labels.verdict: the label set “verdict” has no label “maybe”" } },
  { "unknown-label-set", "bad.jsonl",
    FRESH "{\"type\": \"labels\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"labels\": {\"tone\": \"warm\"}}\n", 2,
    { "the template has no candidate label set “tone”" } },
  { "score-off-scale", "bad.jsonl",
    FRESH "{\"type\": \"scores\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"scores\": {\"faithfulness\": {\"score\": 6}}}\n", 2,
    { "scores.faithfulness: the score 6 is not on the scale 1–5" } },
  { "score-off-scale-in-source", "bad.jsonl",
    FRESH "{\"id\": \"s2\", \"text\": \"x\", \"candidates\": [{\"id\": \"c\", \"model\": \"m\","
    " \"text\": \"y\"}], \"judgments\": [{\"type\": \"note\", \"annotator\": \"p\", \"text\": "
    "\"ok\"},"
    " {\"type\": \"scores\", \"annotator\": \"p\", \"candidate\": \"c\", \"scores\":"
    " {\"concision\": 0}}]}\n", 2,
    { "judgments[1].scores.concision: the score 0 is not on the scale 1–3" } },
  { "unknown-criterion", "bad.jsonl",
    FRESH "{\"type\": \"scores\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"scores\": {\"tone\": 3}}\n", 2,
    { "the template has no criterion “tone”" } },
  /* "Sales" is [0, 5); the quoted text has four letters. */
  { "span-text-mismatch", "bad.jsonl",
    FRESH "{\"type\": \"span\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"start\": 0, \"end\": 5, \"text\": \"Sale\", \"label\": \"supported\"}\n", 2,
    { "“text” is not the candidate’s text at 0–5" } },
  /* Offsets counted in UTF-16 units would end at 29: the emoji is two. */
  { "evidence-out-of-range", "bad.jsonl",
    FRESH "{\"type\": \"span\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"start\": 0, \"end\": 5, \"text\": \"Sales\", \"label\": \"supported\","
    " \"evidence\": [{\"start\": 5, \"end\": 10}, {\"start\": 19, \"end\": 29}]}\n", 2,
    { "the evidence 19–29 does not lie within the source’s text (28 characters)" } },
  { "span-label-unknown", "bad.jsonl",
    FRESH "{\"type\": \"span\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"start\": 0, \"end\": 5, \"label\": \"accept\"}\n", 2,
    { "the template has no span label “accept”" } },
  { "unknown-judgment-type", "bad.jsonl",
    FRESH "{\"type\": \"verdict\", \"source\": \"s1\", \"annotator\": \"p\"}\n", 2,
    { "unknown judgment type “verdict”" } },
  { "unknown-annotator-kind", "bad.jsonl",
    FRESH "{\"type\": \"annotator\", \"id\": \"p\", \"name\": \"P\", \"kind\": \"robot\"}\n", 2,
    { "unknown annotator kind “robot”", "person, model, adjudicator" } },
  { "bad-iso-time", "bad.jsonl",
    FRESH "{\"type\": \"status\", \"source\": \"s1\", \"annotator\": \"p\", \"status\": \"done\","
    " \"created\": \"24/11/2026 09:15\"}\n", 2,
    { "“24/11/2026 09:15” is not an ISO 8601 time" } },
  { "unknown-status", "bad.jsonl",
    FRESH "{\"type\": \"status\", \"source\": \"s1\", \"annotator\": \"p\", \"status\": "
          "\"finished\"}\n",
    2, { "unknown status “finished”" } },
  { "comparison-winner-c", "bad.jsonl",
    FRESH "{\"type\": \"comparison\", \"source\": \"s1\", \"annotator\": \"p\", \"a\": \"a\","
    " \"b\": \"b\", \"winner\": \"c\"}\n", 2,
    { "“winner” must be “a”, “b” or “tie”, not “c”" } },
  { "ranking-unknown-candidate", "bad.jsonl",
    FRESH "{\"type\": \"ranking\", \"source\": \"s1\", \"annotator\": \"p\","
    " \"ranks\": {\"a\": 1, \"zz\": 2}}\n", 2,
    { "ranks: source “s1” has no candidate “zz”" } },
  { "judgment-unknown-candidate", "bad.jsonl",
    FRESH "{\"type\": \"correction\", \"source\": \"s1\", \"candidate\": \"q\", \"annotator\": "
          "\"p\","
    " \"text\": \"Better.\"}\n", 2,
    { "candidate: source “s1” has no candidate “q”" } },
  { "judgment-unknown-source", "bad.jsonl",
    FRESH "{\"type\": \"note\", \"source\": \"nope\", \"annotator\": \"p\", \"text\": "
          "\"Hi.\"}\n", 2,
    { "there is no source “nope” in the project" } },
  { "existing-id-with-text", "bad.jsonl", FRESH "{\"id\": \"s1\", \"text\": \"Again.\"}\n", 2,
    { "the project already has a source “s1”", "leave out “text” and “segments”" } },
  { "existing-candidate-id", "bad.jsonl",
    FRESH "{\"id\": \"s1\", \"candidates\": [{\"id\": \"a\", \"model\": \"m9\", \"text\": "
          "\"t\"}]}\n",
    2, { "source “s1” already has a candidate “a”" } },
  { "unknown-id-without-text", "bad.jsonl",
    FRESH "{\"id\": \"s9\", \"candidates\": [{\"model\": \"m\", \"text\": \"t\"}]}\n", 2,
    { "source “s9” is not in the project and the line has no “text” or “segments”" } },
  { "duplicate-id-in-file", "bad.jsonl",
    FRESH "{\"id\": \"other\", \"text\": \"o\"}\n{\"id\": \"fresh\", \"text\": \"Again.\"}\n", 3,
    { "duplicate source id “fresh” (first at {FILE}:1)" } },
  { "empty-file", "empty.jsonl", "", 0, { "the file is empty" } },
  { "blank-file", "blank.jsonl", "\n  \r\n\t\n\n", 0, { "the file is empty" } },
  { "unknown-extension", "sources.data", FRESH, 0,
    { "cannot tell the format from the file name", "--format" } },
};

static void
test_bad (Fixture       *f,
          gconstpointer  data)
{
  const BadCase *c = data;

  assert_refused (f, c->file_name, c->contents, -1, c->line, c->fragments);
}

static void
test_bad_nesting (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GString) line = NULL;
  const char * const fragments[] = {
    "invalid JSON at column 104", "nesting deeper than 64 levels", NULL
  };

  /* Refused early, without a stack overflow: the reader's limit is 64. */
  line = g_string_new (FRESH "{\"id\": \"deep\", \"text\": \"x\", \"metadata\": ");
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (line, '[');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (line, ']');
  g_string_append (line, "}\n");
  assert_refused (f, "deep.jsonl", line->str, line->len, 2, fragments);
}

static void
test_bad_nul_byte (Fixture       *f,
                   gconstpointer  data)
{
  static const char contents[] = FRESH "{\"id\": \"s2\", \"text\": \"a\0b\"}\n";
  const char * const fragments[] = { "invalid JSON at column 24", NULL };

  assert_refused (f, "nul.jsonl", contents, sizeof contents - 1, 2, fragments);
}

static void
test_bom_crlf (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;

  g_assert_true (import_file (f, "windows.jsonl",
                              "\xef\xbb\xbf{\"id\": \"w1\", \"text\": \"First.\"}\r\n"
                              "\r\n"
                              "   \t \r\n"
                              "{\"id\": \"w2\", \"segments\": [{\"text\": \"Two\"}],"
                              " \"candidates\": [{\"model\": \"m\", \"text\": \"Ends here.\"}]}\r\n"
                              "\n",
                              ASSAY_FORMAT_AUTO, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 2);
  /* The byte order mark is not part of the first id. */
  g_assert_cmpint (assay_project_lookup_source (f->project, "w1"), !=, 0);

  /* No carriage return is left at the end of a line's last value. */
  export = export_native (f->project);
  g_assert_null (strchr (export, '\r'));
  line = export_line (export, "w2");
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"w2\",\"title\":\"w2\",\"segments\":[{\"text\":\"Two\"}],"
                   "\"candidates\":[{\"id\":\"m\",\"model\":\"m\",\"text\":\"Ends here.\"}]}");

  /* Blank lines are skipped but counted: line numbers stay right. */
  {
    const char * const fragments[] = { "unknown field “txt”", NULL };

    assert_refused (f, "windows-bad.jsonl",
                    "\xef\xbb\xbf" "{\"id\": \"fresh\", \"text\": \"x\"}\r\n\r\n"
                    "{\"id\": \"w3\", \"txt\": \"x\"}\r\n",
                    -1, 3, fragments);
  }
}

/* ---- transactions ---- */

static void
test_transaction_two_files (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *good = write_file (f, "good.jsonl",
                                      "{\"id\": \"g1\", \"text\": \"One.\", \"candidates\":"
                                      " [{\"model\": \"m\", \"text\": \"1\"}]}\n"
                                      "{\"type\": \"note\", \"source\": \"s1\", \"annotator\": "
                                      "\"new\","
                                      " \"text\": \"Hi.\"}\n",
                                      -1);
  g_autofree char *bad = write_file (f, "bad.jsonl",
                                     "{\"id\": \"g2\", \"text\": \"Two.\"}\n"
                                     "{\"id\": \"g3\", \"text\": 3}\n",
                                     -1);
  g_autofree char *prefix = where (f, "bad.jsonl", 2);
  g_autofree char *before = export_native (f->project);
  g_autofree char *after = NULL;
  AssayProjectCounts counts_before, counts_after;

  get_counts (f->project, &counts_before);
  assay_import_add_file (import, good, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, bad, ASSAY_FORMAT_JSONL);
  g_assert_false (assay_import_run (import, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  assert_contains (error->message, "text: expected a string, found a number");
  g_assert_null (strstr (error->message, "good.jsonl"));

  /* Nothing of either file is kept: no source, candidate, annotator, note. */
  get_counts (f->project, &counts_after);
  assert_counts_equal (&counts_before, &counts_after);
  after = export_native (f->project);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (assay_project_lookup_source (f->project, "g1"), ==, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "g2"), ==, 0);
  g_assert_cmpint (assay_project_lookup_annotator (f->project, "new"), ==, 0);

  /* The project is still usable, and the good file alone imports. */
  g_clear_error (&error);
  {
    g_autoptr(AssayImport) again = assay_import_new (f->project);

    assay_import_add_file (again, good, ASSAY_FORMAT_AUTO);
    g_assert_true (assay_import_run (again, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_import_get_n_sources (again), ==, 1);
    g_assert_cmpint (assay_import_get_n_judgments (again), ==, 1);
  }
}

/* Two files with three bad lines among good ones. */
static void
add_mixed_inputs (Fixture     *f,
                  AssayImport *import)
{
  g_autofree char *a = write_file (f, "a.jsonl",
                                   "{\"id\": \"a1\", \"text\": \"ok\"}\n"
                                   "{\"id\": \"a2\", \"text\": \"ok\", \"candidates\": "
                                   "[{\"text\": \"t\"}]}\n"
                                   "{\"id\": \"a3\", \"text\": \"ok\", \"candidates\": "
                                   "[{\"model\": \"m\","
                                   " \"text\": \"t\"}]}\n"
                                   "{\"id\": \"a4\", \"text\": \"ok\", \"judgments\": [{\"type\":"
                                   " \"status\", \"annotator\": \"p\", \"status\": \"done\"},"
                                   " {\"type\": \"status\", \"annotator\": \"q\", \"status\": "
                                   "\"nope\"}]}\n",
                                   -1);
  g_autofree char *b = write_file (f, "b.jsonl",
                                   "not json\n"
                                   "{\"id\": \"b2\", \"text\": \"ok\"}\n",
                                   -1);

  assay_import_add_file (import, a, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, b, ASSAY_FORMAT_AUTO);
}

static void
test_all_problems_reported (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *before = export_native (f->project);
  g_autofree char *after = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *a2 = where (f, "a.jsonl", 2);
  g_autofree char *a4 = where (f, "a.jsonl", 4);
  g_autofree char *b1 = where (f, "b.jsonl", 1);

  add_mixed_inputs (f, import);
  g_assert_false (assay_import_run (import, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);

  /* One line per problem, in input order. */
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], a2));
  assert_contains (lines[0], "missing required field “candidates[0].model”");
  g_assert_true (g_str_has_prefix (lines[1], a4));
  assert_contains (lines[1], "unknown status “nope”");
  g_assert_true (g_str_has_prefix (lines[2], b1));
  assert_contains (lines[2], "invalid JSON at column 2");
  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 3);
  g_assert_cmpuint (assay_import_get_problems (import)->len, ==, 3);

  after = export_native (f->project);
  g_assert_cmpstr (before, ==, after);
}

static void
test_skip_invalid (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *a2 = where (f, "a.jsonl", 2);
  g_autofree char *a4 = where (f, "a.jsonl", 4);
  g_autofree char *b1 = where (f, "b.jsonl", 1);
  GPtrArray *problems;
  AssayProjectCounts counts;

  assay_import_set_skip_invalid (import, TRUE);
  add_mixed_inputs (f, import);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  problems = assay_import_get_problems (import);
  g_assert_cmpuint (problems->len, ==, 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), a2));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 1), a4));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 2), b1));
  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 3);

  /* The good lines are in; a refused line is gone as a whole, even the
   * part of it (source a4, its first status) that was fine. */
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 3);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 1);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 0);
  g_assert_cmpint (assay_import_get_n_annotators (import), ==, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "a1"), !=, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "a2"), ==, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "a3"), !=, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "a4"), ==, 0);
  g_assert_cmpint (assay_project_lookup_source (f->project, "b2"), !=, 0);
  g_assert_cmpint (assay_project_lookup_annotator (f->project, "p"), ==, 0);
  get_counts (f->project, &counts);
  g_assert_cmpint (counts.sources, ==, 4);
  g_assert_cmpint (counts.status[ASSAY_STATUS_DONE], ==, 0);
}

/* A refused line leaves no trace: with skip-invalid, a later valid line
 * with the same source id is not a duplicate of it. */
static void
test_skip_invalid_no_trace (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = bytes_new ("{\"id\": \"x\", \"text\": \"First try.\", \"judgments\":"
                                       " [{\"type\": \"status\", \"annotator\": \"p\","
                                       " \"status\": \"nope\"}]}\n"
                                       "{\"id\": \"x\", \"text\": \"Second try.\"}\n");
  GPtrArray *problems;

  assay_import_set_skip_invalid (import, TRUE);
  assay_import_add_bytes (import, "retry.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  problems = assay_import_get_problems (import);
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), "retry.jsonl:1: "));
  if (problems->len > 1)
    {
      g_test_fail_printf ("the valid line 2 was refused: %s",
                          (const char *) g_ptr_array_index (problems, 1));
      return;
    }
  EXPECT (assay_import_get_n_refused (import) == 1);
  EXPECT (assay_import_get_n_sources (import) == 1);
  EXPECT (assay_project_lookup_source (f->project, "x") != 0);
}

static void
test_many_problems (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;

  for (guint i = 1; i <= 60; i++)
    g_string_append_printf (contents, "{\"id\": \"m%u\", \"text\": \"t\", \"x\": 1}\n", i);
  bytes = g_string_free_to_bytes (g_steal_pointer (&contents));
  assay_import_add_bytes (import, "many.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_false (assay_import_run (import, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);

  /* All are counted; the message lists the first ones and says how many
   * more there are. */
  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 60);
  g_assert_cmpuint (assay_import_get_problems (import)->len, <, 60);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, assay_import_get_problems (import)->len + 1);
  g_assert_true (g_str_has_prefix (lines[0], "many.jsonl:1: unknown field “x”"));
  {
    g_autofree char *more = g_strdup_printf ("%u more problems",
                                             60 - assay_import_get_problems (import)->len);

    assert_contains (lines[g_strv_length (lines) - 1], more);
  }
}

/* ---- transcripts ---- */

static const char *srt_text =
  "1\r\n"
  "00:00:01,000 --> 00:00:03,500\r\n"
  "Interviewer: So where did it <i>start</i>?\r\n"
  "\r\n"
  "2\r\n"
  "00:00:04,000 --> 00:00:09,250\r\n"
  "Witness: In the harbour office,\r\n"
  "late in March.\r\n"
  "\r\n";

static const char *vtt_text =
  "WEBVTT - clinic call\n"
  "\n"
  "NOTE This note is not part of the transcript.\n"
  "\n"
  "STYLE\n"
  "::cue { color: lime }\n"
  "\n"
  "intro\n"
  "00:00:00.500 --> 00:00:02.000 align:start position:10%\n"
  "<v Dr. Osei>Good morning &amp; welcome.</v>\n"
  "\n"
  "00:00:02.000 --> 00:00:05.750\n"
  "<v.loud Ama>Thanks, doctor.\n"
  "It’s the <b>knee</b> again.\n"
  "\n";

static const char *txt_text =
  "Field notes, 3 May.\r\n"
  "The pump was repaired.\r\n"
  "\r\n";

static void
test_transcripts (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *srt = write_file (f, "harbour-interview.srt", srt_text, -1);
  g_autofree char *vtt = write_file (f, "clinic-call.vtt", vtt_text, -1);
  g_autofree char *txt = write_file (f, "field.notes.txt", txt_text, -1);
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  g_autofree char *offsets = NULL;
  gint64 clinic;

  assay_import_add_file (import, srt, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, vtt, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, txt, ASSAY_FORMAT_AUTO);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 3);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 0);

  export = export_native (f->project);
  line = export_line (export, "harbour-interview");
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"harbour-interview\",\"title\":\"harbour-interview\",\"segments\":["
                   "{\"speaker\":\"Interviewer\",\"start\":1,\"end\":3.5,"
                   "\"text\":\"So where did it start?\"},"
                   "{\"speaker\":\"Witness\",\"start\":4,\"end\":9.25,"
                   "\"text\":\"In the harbour office,\\nlate in March.\"}],\"candidates\":[]}");
  g_clear_pointer (&line, g_free);
  line = export_line (export, "clinic-call");
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"clinic-call\",\"title\":\"clinic-call\",\"segments\":["
                   "{\"speaker\":\"Dr. Osei\",\"start\":0.5,\"end\":2,"
                   "\"text\":\"Good morning & welcome.\"},"
                   "{\"speaker\":\"Ama\",\"start\":2,\"end\":5.75,"
                   "\"text\":\"Thanks, doctor.\\nIt’s the knee again.\"}],\"candidates\":[]}");
  g_clear_pointer (&line, g_free);
  /* Only the last extension goes. */
  line = export_line (export, "field.notes");
  g_assert_cmpstr (line, ==,
                   "{\"id\":\"field.notes\",\"title\":\"field.notes\","
                   "\"text\":\"Field notes, 3 May.\\nThe pump was repaired.\",\"candidates\":[]}");

  offsets = query_rows (f->project,
                        "SELECT g.char_start, g.char_end FROM segments g"
                        " JOIN sources s ON s.id = g.source_id"
                        " WHERE s.ext_id = 'clinic-call' ORDER BY g.idx");
  g_assert_cmpstr (offsets, ==, "0|23;24|60;");

  /* The same transcript again is refused, and says why. */
  {
    g_autoptr(AssayImport) again = assay_import_new (f->project);
    g_autofree char *prefix = where (f, "clinic-call.vtt", 0);
    g_autofree char *before = export_native (f->project);
    g_autofree char *after = NULL;

    assay_import_add_file (again, vtt, ASSAY_FORMAT_AUTO);
    g_assert_false (assay_import_run (again, NULL, &error));
    g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
    g_assert_true (g_str_has_prefix (error->message, prefix));
    assert_contains (error->message, "the project already has a source “clinic-call”");
    g_clear_error (&error);
    after = export_native (f->project);
    g_assert_cmpstr (before, ==, after);
  }

  /* Candidates come in afterwards, through a JSONL line naming the source. */
  {
    g_autoptr(AssayImport) more = NULL;

    g_assert_true (import_file (f, "summaries.jsonl",
                                "{\"id\": \"clinic-call\", \"candidates\": ["
                                " {\"model\": \"scribe\", \"text\": \"Knee pain again.\"}],"
                                " \"judgments\": [{\"type\": \"span\", \"annotator\": \"p\","
                                " \"candidate\": \"scribe\", \"start\": 0, \"end\": 9,"
                                " \"text\": \"Knee pain\", \"label\": \"supported\","
                                " \"evidence\": [{\"start\": 34, \"end\": 60}]}]}\n",
                                ASSAY_FORMAT_AUTO, &more, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_import_get_n_sources (more), ==, 0);
    g_assert_cmpint (assay_import_get_n_candidates (more), ==, 1);
    g_assert_cmpint (assay_import_get_n_judgments (more), ==, 1);
    clinic = assay_project_lookup_source (f->project, "clinic-call");
    g_assert_cmpint (assay_project_lookup_candidate (f->project, clinic, "scribe"), !=, 0);
  }
}

static void
test_transcript_bad (Fixture       *f,
                     gconstpointer  data)
{
  const char * const fragments[] = { "WEBVTT", NULL };

  assert_refused (f, "no-header.vtt", "00:00:01.000 --> 00:00:02.000\nHello.\n", -1, 1,
                  fragments);
  g_assert_cmpint (assay_project_lookup_source (f->project, "no-header"), ==, 0);
}

/* ---- foreign JSONL ---- */

static void
add_maps (AssayImport        *import,
          const char * const *specs)
{
  for (guint i = 0; specs[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (assay_import_add_map (import, specs[i], &error));
      g_assert_no_error (error);
    }
}

static gboolean
import_mapped (Fixture             *f,
               const char          *name,
               const char          *contents,
               const char * const  *specs,
               AssayImport        **out_import,
               GError             **error)
{
  g_autofree char *path = write_file (f, name, contents, -1);
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  gboolean ok;

  add_maps (import, specs);
  assay_import_add_file (import, path, ASSAY_FORMAT_AUTO);
  ok = assay_import_run (import, NULL, error);
  *out_import = g_steal_pointer (&import);
  return ok;
}

static void
test_map_foreign (Fixture       *f,
                  gconstpointer  data)
{
  const char * const specs[] = {
    "id=doc_id", "text=article", "candidates=machine_summaries", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  gint64 source;

  import_mapped (f, "cnn_sample.jsonl",
                 "{\"doc_id\": 7, \"article\": \"The council approved the budget.\","
                 " \"highlights\": \"Budget approved.\","
                 " \"machine_summaries\": [\"Budget passed.\", \"Council met.\"]}\n"
                 "{\"doc_id\": 8, \"article\": \"Rain is expected.\", \"highlights\": \"Rain.\","
                 " \"machine_summaries\": [\"Rain soon.\"]}\n",
                 specs, &import, &error);
  if (!expect_no_error (error))
    return;
  EXPECT (assay_import_get_n_sources (import) == 2);
  EXPECT (assay_import_get_n_candidates (import) == 3);

  /* Numeric ids are taken as written. */
  source = assay_project_lookup_source (f->project, "7");
  EXPECT (source != 0);
  EXPECT (assay_project_lookup_source (f->project, "8") != 0);
  EXPECT (assay_project_lookup_candidate (f->project, source, "machine_summaries[1]") != 0);

  /* Plain strings are candidates named after the list and the position;
   * the leftover field is kept in the metadata, as written. */
  export = export_native (f->project);
  line = export_line (export, "7");
  EXPECT (g_strcmp0 (line,
                     "{\"id\":\"7\",\"title\":\"7\",\"text\":\"The council approved the budget.\","
                     "\"metadata\":{\"highlights\": \"Budget approved.\"},\"candidates\":["
                     "{\"id\":\"machine_summaries[0]\",\"model\":\"machine_summaries[0]\","
                     "\"text\":\"Budget passed.\"},"
                     "{\"id\":\"machine_summaries[1]\",\"model\":\"machine_summaries[1]\","
                     "\"text\":\"Council met.\"}]}") == 0);
}

static void
test_map_nested (Fixture       *f,
                 gconstpointer  data)
{
  const char * const specs[] = {
    "id=meta.id", "title=meta.title", "text=body.paragraphs.1", "candidates=outputs",
    "candidates.text=summary", "candidates.model=system", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;
  gint64 source;

  import_mapped (f, "nested.jsonl",
                 "{\"meta\": {\"title\": \"Q3 call\", \"id\": \"q3\"},"
                 " \"body\": {\"paragraphs\": [\"Intro.\", \"Revenue grew 9%.\"]},"
                 " \"outputs\": [{\"system\": \"sys-a\", \"summary\": \"Growth.\", \"score\": 0.9},"
                 " {\"system\": \"sys-b\", \"summary\": \"Revenue up 9%.\"}]}\n",
                 specs, &import, &error);
  if (!expect_no_error (error))
    return;
  EXPECT (assay_import_get_n_sources (import) == 1);
  EXPECT (assay_import_get_n_candidates (import) == 2);

  source = assay_project_lookup_source (f->project, "q3");
  EXPECT (source != 0);
  EXPECT (assay_project_lookup_candidate (f->project, source, "sys-a") != 0);
  EXPECT (assay_project_lookup_candidate (f->project, source, "sys-b") != 0);

  export = export_native (f->project);
  line = export_line (export, "q3");
  if (!expect_contains (line, "{\"id\":\"q3\",\"title\":\"Q3 call\",\"text\":\"Revenue grew "
                              "9%.\","))
    return;
  /* A candidate's unmapped fields go to the candidate's metadata. */
  expect_contains (line, "{\"id\":\"sys-a\",\"model\":\"sys-a\",\"text\":\"Growth.\","
                         "\"metadata\":{\"score\": 0.9}},"
                         "{\"id\":\"sys-b\",\"model\":\"sys-b\",\"text\":\"Revenue up 9%.\"}]");
}

/* A mapped field beside fields that are not mapped. */
static void
test_map_root_and_native (Fixture       *f,
                          gconstpointer  data)
{
  const char * const specs[] = { "candidates=outputs", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  gint64 source;

  import_mapped (f, "outputs.jsonl",
                 "{\"id\": \"o1\", \"text\": \"Body.\", \"outputs\": [\"First.\", \"Second.\"]}\n",
                 specs, &import, &error);
  if (!expect_no_error (error))
    return;
  EXPECT (assay_import_get_n_sources (import) == 1);
  /* Not silently none. */
  EXPECT (assay_import_get_n_candidates (import) == 2);
  source = assay_project_lookup_source (f->project, "o1");
  EXPECT (assay_project_lookup_candidate (f->project, source, "outputs[0]") != 0);
}

/* docs/formats.md: "the fields of a line that are not mapped are kept in the
 * source's metadata, so nothing is lost", also beside a nested path. */
static void
test_map_nested_leftovers (Fixture       *f,
                           gconstpointer  data)
{
  const char * const specs[] = { "title=meta.title", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *export = NULL;
  g_autofree char *line = NULL;

  import_mapped (f, "leftovers.jsonl",
                 "{\"id\": \"n1\", \"text\": \"Body.\","
                 " \"meta\": {\"title\": \"A title\", \"lang\": \"pt-BR\"}}\n",
                 specs, &import, &error);
  if (!expect_no_error (error))
    return;
  EXPECT (assay_import_get_n_sources (import) == 1);

  export = export_native (f->project);
  line = export_line (export, "n1");
  if (!expect_contains (line, "\"title\":\"A title\"") ||
      !expect_contains (line, "\"metadata\":") ||
      !expect_contains (line, "\"lang\"") ||
      !expect_contains (line, "pt-BR"))
    return;
}

static void
test_map_bad_spec (Fixture       *f,
                   gconstpointer  data)
{
  const char * const bad[] = {
    "text", "=article", "text=", "summary=abstract", "candidates.score=s", "text=a..b",
    "text=.a", "text=a.", NULL
  };
  g_autoptr(AssayImport) import = assay_import_new (f->project);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (assay_import_add_map (import, bad[i], &error));
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
      g_test_message ("%s: %s", bad[i], error->message);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (assay_import_add_map (import, "summary=abstract", &error));
    assert_contains (error->message, "“summary” is not a field that can be mapped");
    g_clear_error (&error);
    g_assert_false (assay_import_add_map (import, "text", &error));
    assert_contains (error->message, "FIELD=PATH");
  }

  /* Refused specs left no mapping behind: a native line still imports. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GBytes) bytes = bytes_new ("{\"id\": \"n\", \"text\": \"t\"}\n");

    assay_import_add_bytes (import, "native.jsonl", bytes, ASSAY_FORMAT_JSONL);
    g_assert_true (assay_import_run (import, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_project_lookup_source (f->project, "n"), !=, 0);
  }
}

/* ---- the API ---- */

static void
test_bytes_and_counters (Fixture       *f,
                         gconstpointer  data)
{
  static const char *pasted =
    "{\"type\": \"annotator\", \"id\": \"ann\", \"name\": \"Ann\"}\n"
    "{\"id\": \"p1\", \"text\": \"One.\", \"candidates\": [{\"model\": \"x\", \"text\": \"1\"},"
    " {\"model\": \"y\", \"text\": \"2\"}]}\n"
    "{\"id\": \"p2\", \"text\": \"Two.\", \"candidates\": [{\"model\": \"x\", \"text\": \"3\"}]}\n"
    "{\"id\": \"s1\", \"candidates\": [{\"id\": \"c\", \"model\": \"x\", \"text\": \"4\"}]}\n"
    "{\"type\": \"note\", \"source\": \"p1\", \"annotator\": \"ann\", \"text\": \"Fine.\"}\n"
    "{\"type\": \"status\", \"source\": \"s1\", \"annotator\": \"bob\", \"status\": \"flagged\"}\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = bytes_new (pasted);
  AssayProjectCounts counts;

  assay_import_add_bytes (import, "pasted.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  /* What this import added, not what the project holds. */
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 2);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 4);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 2);
  g_assert_cmpint (assay_import_get_n_annotators (import), ==, 2);
  g_assert_cmpuint (assay_import_get_n_refused (import), ==, 0);

  get_counts (f->project, &counts);
  g_assert_cmpint (counts.sources, ==, 3);
  g_assert_cmpint (counts.candidates, ==, 6);
  g_assert_cmpint (counts.judgments, ==, 2);
  g_assert_cmpint (counts.annotators, ==, 2);
  g_assert_cmpint (counts.status[ASSAY_STATUS_FLAGGED], ==, 1);

  /* Bytes are named in messages by their display name. */
  {
    g_autoptr(AssayImport) bad = assay_import_new (f->project);
    g_autoptr(GBytes) bad_bytes = bytes_new ("\n{\"id\": \"s1\", \"text\": \"x\"}\n");

    assay_import_add_bytes (bad, "clipboard", bad_bytes, ASSAY_FORMAT_JSONL);
    g_assert_false (assay_import_run (bad, NULL, &error));
    g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
    g_assert_true (g_str_has_prefix (error->message, "clipboard:2: "));
    g_assert_cmpint (assay_import_get_n_sources (bad), ==, 0);
    g_clear_error (&error);
  }

  /* A transcript from bytes is named after the display name. */
  {
    g_autoptr(AssayImport) srt = assay_import_new (f->project);
    g_autoptr(GBytes) srt_bytes = bytes_new (srt_text);

    assay_import_add_bytes (srt, "dropped.srt", srt_bytes, ASSAY_FORMAT_SRT);
    g_assert_true (assay_import_run (srt, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_import_get_n_sources (srt), ==, 1);
    g_assert_cmpint (assay_project_lookup_source (f->project, "dropped"), !=, 0);
  }
}

static void
test_format_from_path (void)
{
  AssayImportFormat format = ASSAY_FORMAT_AUTO;

  g_assert_cmpint (assay_import_format_for_path ("/a/b.jsonl"), ==, ASSAY_FORMAT_JSONL);
  g_assert_cmpint (assay_import_format_for_path ("b.NDJSON"), ==, ASSAY_FORMAT_JSONL);
  g_assert_cmpint (assay_import_format_for_path ("talk.SRT"), ==, ASSAY_FORMAT_SRT);
  g_assert_cmpint (assay_import_format_for_path ("talk.vtt"), ==, ASSAY_FORMAT_VTT);
  g_assert_cmpint (assay_import_format_for_path ("notes.txt"), ==, ASSAY_FORMAT_TXT);
  g_assert_cmpint (assay_import_format_for_path ("notes.data"), ==, ASSAY_FORMAT_AUTO);
  g_assert_cmpint (assay_import_format_for_path ("dir.jsonl/notes"), ==, ASSAY_FORMAT_AUTO);
  g_assert_true (assay_import_format_from_string ("VTT", &format));
  g_assert_cmpint (format, ==, ASSAY_FORMAT_VTT);
  g_assert_false (assay_import_format_from_string ("csv", &format));
}

static void
test_cancelled (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *path = write_file (f, "c.jsonl",
                                      "{\"id\": \"c1\", \"text\": \"One.\"}\n"
                                      "{\"type\": \"note\", \"source\": \"s1\", \"annotator\": "
                                      "\"p\","
                                      " \"text\": \"x\"}\n",
                                      -1);
  g_autofree char *before = export_native (f->project);
  g_autofree char *after = NULL;

  g_cancellable_cancel (cancellable);
  assay_import_add_file (import, path, ASSAY_FORMAT_AUTO);
  g_assert_false (assay_import_run (import, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 0);

  after = export_native (f->project);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (assay_project_lookup_source (f->project, "c1"), ==, 0);

  /* The project takes a new import afterwards. */
  {
    g_autoptr(AssayImport) again = assay_import_new (f->project);

    g_clear_error (&error);
    assay_import_add_file (again, path, ASSAY_FORMAT_AUTO);
    g_assert_true (assay_import_run (again, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_project_lookup_source (f->project, "c1"), !=, 0);
  }
}

typedef struct
{
  GCancellable *cancellable;
  double        last;
  guint         calls;
} Progress;

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  Progress *p = user_data;

  g_assert_cmpfloat (fraction, >=, p->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  p->last = fraction;
  p->calls++;
  if (fraction > 0.0)
    g_cancellable_cancel (p->cancellable);
}

static void
test_cancelled_midway (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *before = export_native (f->project);
  g_autofree char *after = NULL;
  Progress progress = { cancellable, 0.0, 0 };

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (contents, "{\"id\": \"mid-%u\", \"text\": \"Text %u.\"}\n", i, i);
  bytes = g_string_free_to_bytes (g_steal_pointer (&contents));

  assay_import_set_progress_func (import, cancel_on_progress, &progress);
  assay_import_add_bytes (import, "mid.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_false (assay_import_run (import, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (progress.calls, >, 0);
  g_assert_cmpfloat (progress.last, <, 1.0);

  after = export_native (f->project);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (assay_project_lookup_source (f->project, "mid-0"), ==, 0);
}

static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTimer) timer = NULL;
  AssayProjectCounts counts;
  gint64 source;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (contents,
                              "{\"id\": \"doc-%05u\", \"title\": \"Document %u\","
                              " \"text\": \"Item %u: the quick brown fox, née Müller, jumps. 🦊\","
                              " \"metadata\": {\"n\": %u},"
                              " \"candidates\": [{\"model\": \"a\", \"text\": \"Fox %u jumps.\"},"
                              " {\"model\": \"b\", \"text\": \"A fox.\"}]",
                              i, i, i, i, i);
      if (i % 10 == 0)
        g_string_append (contents,
                         ", \"judgments\": [{\"type\": \"scores\", \"annotator\": \"bulk\","
                         " \"candidate\": \"a\", \"scores\": {\"faithfulness\": 4}}]");
      g_string_append (contents, "}\n");
    }
  bytes = g_string_free_to_bytes (g_steal_pointer (&contents));

  timer = g_timer_new ();
  assay_import_add_bytes (import, "large.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("5000 lines in %.2f s", g_timer_elapsed (timer, NULL));

  g_assert_cmpint (assay_import_get_n_sources (import), ==, 5000);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 10000);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 500);
  g_assert_cmpint (assay_import_get_n_annotators (import), ==, 1);
  get_counts (f->project, &counts);
  g_assert_cmpint (counts.sources, ==, 5001);
  g_assert_cmpint (counts.candidates, ==, 10002);
  g_assert_cmpint (counts.judgments, ==, 500);

  source = assay_project_lookup_source (f->project, "doc-04999");
  g_assert_cmpint (source, !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, source, "b"), !=, 0);
}

/* ---- several files in any order ---- */

/* Four inputs that refer to one another: a transcript and a JSONL file
 * bring sources; a file of candidates adds candidates (and a ranking) to
 * both; a file of judgments is about candidates from all three and ends
 * with the template its labels and criteria come from. */
static const char *order_names[] = { "t1.vtt", "sources.jsonl", "candidates.jsonl",
                                     "judgments.jsonl" };

static void
write_order_inputs (Fixture *f)
{
  g_autofree char *template_line = g_strdup_printf ("{\"type\": \"template\", %s\n",
                                                    template_json + 1);
  g_autofree char *judgments = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL;

  judgments = g_strconcat (
    "{\"type\": \"scores\", \"source\": \"t1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"created\": \"2026-03-01T10:00:00Z\", \"scores\": {\"faithfulness\": 4}}\n"
    "\n"
    "{\"type\": \"labels\", \"source\": \"s2\", \"candidate\": \"b\", \"annotator\": \"p\","
    " \"created\": \"2026-03-01T10:01:00Z\", \"labels\": {\"verdict\": \"reject\"}}\n"
    "{\"type\": \"comparison\", \"source\": \"s2\", \"annotator\": \"q\", \"a\": \"a\","
    " \"b\": \"b\", \"winner\": \"a\", \"created\": \"2026-03-01T10:02:00Z\"}\n"
    "{\"type\": \"status\", \"source\": \"t1\", \"annotator\": \"p\", \"status\": \"done\","
    " \"created\": \"2026-03-01T10:03:00Z\"}\n",
    template_line, NULL);
  a = write_file (f, "t1.vtt",
                  "WEBVTT\n\n00:00.000 --> 00:02.000\n<v Ana>Hello, the lift is broken.\n\n"
                  "00:02.000 --> 00:04.000\n<v Ben>I will call the engineer.\n", -1);
  b = write_file (f, "sources.jsonl",
                  "{\"id\": \"s2\", \"text\": \"Rain fell all day in Oslo.\", \"candidates\": ["
                  "{\"id\": \"a\", \"model\": \"m1\", \"text\": \"It rained in Oslo.\"}]}\n", -1);
  c = write_file (f, "candidates.jsonl",
                  "{\"id\": \"t1\", \"candidates\": [{\"id\": \"a\", \"model\": \"m1\","
                  " \"text\": \"The lift is broken.\"}, {\"id\": \"b\", \"model\": \"m2\","
                  " \"text\": \"Ben calls.\"}], \"judgments\": [{\"type\": \"ranking\","
                  " \"annotator\": \"q\", \"ranks\": {\"a\": 1, \"b\": 2},"
                  " \"created\": \"2026-03-01T09:00:00Z\"}]}\n"
                  "{\"id\": \"s2\", \"candidates\": [{\"id\": \"b\", \"model\": \"m2\","
                  " \"text\": \"Oslo was wet.\"}]}\n", -1);
  d = write_file (f, "judgments.jsonl", judgments, -1);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The native export as sorted lines: the same records, whatever the order
 * in which the sources came in. */
static char *
export_sorted (AssayProject *project)
{
  g_autofree char *export = export_native (project);
  g_auto(GStrv) lines = g_strsplit (export, "\n", -1);

  qsort (lines, g_strv_length (lines), sizeof (char *), compare_strings);
  return g_strjoinv ("\n", lines);
}

static void
progress_monotonic (double   fraction,
                    gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

/* Every order of the four files (candidates first, judgments first, the
 * transcript last, ...) imports the same records. */
static void
test_order_any (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *reference = NULL;
  guint perm[4] = { 0, 1, 2, 3 };
  guint n_orders = 0;

  write_order_inputs (f);

  /* All 24 permutations, in lexicographic order. */
  while (TRUE)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *subdir = g_strdup_printf ("%s/order-%u", f->dir, n_orders);
      g_autofree char *path = g_build_filename (subdir, "p.assay", NULL);
      g_autoptr(AssayProject) project = NULL;
      g_autoptr(AssayImport) import = NULL;
      g_autofree char *export = NULL;
      AssayProjectCounts counts;
      double last = 0.0;
      int i, j;

      g_assert_cmpint (g_mkdir (subdir, 0700), ==, 0);
      project = assay_project_create (path, &error);
      g_assert_no_error (error);
      import = assay_import_new (project);
      assay_import_set_progress_func (import, progress_monotonic, &last);
      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *file = g_build_filename (f->dir, order_names[perm[k]], NULL);

          assay_import_add_file (import, file, ASSAY_FORMAT_AUTO);
        }
      if (!assay_import_run (import, NULL, &error))
        g_error ("order %s %s %s %s: %s", order_names[perm[0]], order_names[perm[1]],
                 order_names[perm[2]], order_names[perm[3]], error->message);
      g_assert_cmpfloat (last, ==, 1.0);
      g_assert_cmpint (assay_import_get_n_sources (import), ==, 2);
      g_assert_cmpint (assay_import_get_n_candidates (import), ==, 4);
      g_assert_cmpint (assay_import_get_n_judgments (import), ==, 5);
      g_assert_cmpuint (assay_import_get_n_refused (import), ==, 0);
      get_counts (project, &counts);
      g_assert_cmpint (counts.sources, ==, 2);
      g_assert_cmpint (counts.judgments, ==, 5);

      export = export_sorted (project);
      g_assert_nonnull (strstr (export, "\"verdict\":\"reject\""));
      g_assert_nonnull (strstr (export, "\"ranks\":{\"a\":1,\"b\":2}"));
      if (reference == NULL)
        reference = g_steal_pointer (&export);
      else
        g_assert_cmpstr (export, ==, reference);
      n_orders++;

      /* The next permutation. */
      for (i = 2; i >= 0 && perm[i] > perm[i + 1]; i--)
        ;
      if (i < 0)
        break;
      for (j = 3; perm[j] < perm[i]; j--)
        ;
      { guint t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
      for (int lo = i + 1, hi = 3; lo < hi; lo++, hi--)
        { guint t = perm[lo]; perm[lo] = perm[hi]; perm[hi] = t; }
    }
  g_assert_cmpuint (n_orders, ==, 24);
}

/* Within one file too: judgments and candidates before the source lines
 * they are about. */
static void
test_order_one_file (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;

  g_assert_true (import_file (f, "reversed.jsonl",
                              "{\"type\": \"note\", \"source\": \"r1\", \"candidate\": \"x\","
                              " \"annotator\": \"p\", \"text\": \"Check the date.\"}\n"
                              "{\"id\": \"r1\", \"candidates\": [{\"id\": \"x\", \"model\": \"m\","
                              " \"text\": \"Due in May.\"}]}\n"
                              "{\"id\": \"r1\", \"text\": \"The report is due in June.\"}\n",
                              ASSAY_FORMAT_AUTO, &import, &error));
  g_assert_no_error (error);
  g_assert_cmpint (assay_import_get_n_sources (import), ==, 1);
  g_assert_cmpint (assay_import_get_n_candidates (import), ==, 1);
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 1);
}

/* A reference to a source or candidate that no input has still fails,
 * naming the file and line it is on, and nothing comes in. */
static void
test_order_missing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *before = export_native (f->project);
  g_autofree char *after = NULL;
  g_autofree char *j2 = where (f, "judgments.jsonl", 2);
  g_autofree char *j4 = where (f, "judgments.jsonl", 4);
  g_autofree char *c1 = where (f, "cands.jsonl", 1);
  g_autofree char *s2 = where (f, "srcs.jsonl", 2);
  g_autofree char *judgments = write_file (f, "judgments.jsonl",
    "{\"type\": \"note\", \"source\": \"n1\", \"annotator\": \"p\", \"text\": \"Fine.\"}\n"
    "{\"type\": \"note\", \"source\": \"ghost\", \"annotator\": \"p\", \"text\": \"Lost.\"}\n"
    "{\"type\": \"labels\", \"source\": \"n1\", \"candidate\": \"x\", \"annotator\": \"p\","
    " \"labels\": {\"verdict\": \"accept\"}}\n"
    "{\"type\": \"labels\", \"source\": \"n1\", \"candidate\": \"nobody\", \"annotator\": \"p\","
    " \"labels\": {\"verdict\": \"accept\"}}\n", -1);
  g_autofree char *cands = write_file (f, "cands.jsonl",
    "{\"id\": \"phantom\", \"candidates\": [{\"id\": \"y\", \"model\": \"m\", \"text\": \"Y.\"}]}\n"
    "{\"id\": \"n1\", \"candidates\": [{\"id\": \"x\", \"model\": \"m\", \"text\": \"X.\"}]}\n",
    -1);
  g_autofree char *srcs = write_file (f, "srcs.jsonl",
    "{\"id\": \"n1\", \"text\": \"A new source.\"}\n"
    "{\"id\": \"n2\", \"text\": 7}\n", -1);
  g_auto(GStrv) lines = NULL;

  assay_import_add_file (import, judgments, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, cands, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, srcs, ASSAY_FORMAT_AUTO);
  g_assert_false (assay_import_run (import, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);

  /* Each problem at its own file and line, in input order, though the
   * first three were found only after the last. */
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[0], j2));
  assert_contains (lines[0], "there is no source “ghost” in the project");
  g_assert_true (g_str_has_prefix (lines[1], j4));
  assert_contains (lines[1], "candidate: source “n1” has no candidate “nobody”");
  g_assert_true (g_str_has_prefix (lines[2], c1));
  assert_contains (lines[2], "source “phantom” is not in the project");
  g_assert_true (g_str_has_prefix (lines[3], s2));
  assert_contains (lines[3], "text: expected a string, found a number");

  after = export_native (f->project);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (assay_project_lookup_source (f->project, "n1"), ==, 0);

  /* With --skip-invalid, the lines that have what they refer to come in. */
  {
    g_autoptr(AssayImport) skip = assay_import_new (f->project);
    GPtrArray *problems;
    gint64 n1;

    g_clear_error (&error);
    assay_import_set_skip_invalid (skip, TRUE);
    assay_import_add_file (skip, judgments, ASSAY_FORMAT_AUTO);
    assay_import_add_file (skip, cands, ASSAY_FORMAT_AUTO);
    assay_import_add_file (skip, srcs, ASSAY_FORMAT_AUTO);
    g_assert_true (assay_import_run (skip, NULL, &error));
    g_assert_no_error (error);
    problems = assay_import_get_problems (skip);
    g_assert_cmpuint (problems->len, ==, 4);
    g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 0), j2));
    g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 1), j4));
    g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 2), c1));
    g_assert_true (g_str_has_prefix (g_ptr_array_index (problems, 3), s2));
    g_assert_cmpint (assay_import_get_n_sources (skip), ==, 1);
    g_assert_cmpint (assay_import_get_n_candidates (skip), ==, 1);
    g_assert_cmpint (assay_import_get_n_judgments (skip), ==, 2);
    n1 = assay_project_lookup_source (f->project, "n1");
    g_assert_cmpint (n1, !=, 0);
    g_assert_cmpint (assay_project_lookup_candidate (f->project, n1, "x"), !=, 0);
    g_assert_cmpint (assay_project_lookup_source (f->project, "phantom"), ==, 0);
  }
}

/* A merge whose first judgment on a set waits for a candidate from a later
 * file must still replace the project's whole set: the decision made for
 * the line put aside is taken back with it. */
static void
test_order_merge (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autofree char *rows = NULL;
  g_autofree char *judgments = write_file (f, "theirs.jsonl",
    "{\"type\": \"labels\", \"source\": \"s1\", \"candidate\": \"c\", \"annotator\": \"p\","
    " \"labels\": {\"verdict\": \"accept\"}, \"created\": \"2026-05-02T08:00:00Z\"}\n"
    "{\"type\": \"labels\", \"source\": \"s1\", \"candidate\": \"a\", \"annotator\": \"p\","
    " \"labels\": {\"verdict\": \"reject\"}, \"created\": \"2026-05-02T08:01:00Z\"}\n", -1);
  g_autofree char *cands = write_file (f, "more.jsonl",
    "{\"id\": \"s1\", \"candidates\": [{\"id\": \"c\", \"model\": \"m3\", \"text\": \"Up.\"}]}\n",
    -1);

  /* The project's older set for (p, s1): a note that the merge replaces. */
  import_ok (f, "mine.jsonl",
             "{\"type\": \"note\", \"source\": \"s1\", \"annotator\": \"p\", \"text\": \"Old.\","
             " \"created\": \"2026-05-01T08:00:00Z\"}\n");

  assay_import_set_merge (import, TRUE);
  assay_import_add_file (import, judgments, ASSAY_FORMAT_AUTO);
  assay_import_add_file (import, cands, ASSAY_FORMAT_AUTO);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assay_import_get_n_replaced (import), ==, 1);
  g_assert_cmpuint (assay_import_get_n_kept (import), ==, 0);

  rows = query_rows (f->project, "SELECT count (*) FROM notes");
  g_assert_cmpstr (rows, ==, "0;");
  g_free (rows);
  rows = query_rows (f->project,
                     "SELECT c.ext_id, o.name FROM labels l JOIN candidates c ON c.id = l.candidate_id"
                     " JOIN label_options o ON o.id = l.option_id ORDER BY c.ext_id");
  g_assert_cmpstr (rows, ==, "a|reject;c|accept;");
}

int
main (int   argc,
      char *argv[])
{
  /* Go on after a failed case and report them all: the --map cases fail
   * softly (g_test_fail) so that one broken feature hides no other. */
  g_autofree char **args = g_new0 (char *, argc + 2);
  int n_args = argc + 1;

  memcpy (args, argv, argc * sizeof (char *));
  args[argc] = (char *) "--keep-going";
  g_test_init (&n_args, &args, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/import/native/text-and-metadata", test_native_text);
  ADD ("/assay/import/native/segments", test_native_segments);
  ADD ("/assay/import/native/default-candidate-ids", test_native_default_ids);
  ADD ("/assay/import/native/judgments", test_native_judgments);
  ADD ("/assay/import/native/judgment-replaces", test_native_judgment_replaces);
  g_test_add ("/assay/import/native/template-line", Fixture, NULL, fixture_setup_empty,
              test_template_line, fixture_teardown);
  ADD ("/assay/import/native/attach-candidates", test_attach_candidates);
  ADD ("/assay/import/native/bom-crlf-blank", test_bom_crlf);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/assay/import/bad/%s", bad_cases[i].name);

      g_test_add (path, Fixture, &bad_cases[i], fixture_setup, test_bad, fixture_teardown);
    }
  ADD ("/assay/import/bad/deep-nesting", test_bad_nesting);
  ADD ("/assay/import/bad/nul-byte", test_bad_nul_byte);

  ADD ("/assay/import/transaction/two-files", test_transaction_two_files);
  ADD ("/assay/import/transaction/all-problems-reported", test_all_problems_reported);
  ADD ("/assay/import/transaction/skip-invalid", test_skip_invalid);
  ADD ("/assay/import/transaction/skip-invalid-no-trace", test_skip_invalid_no_trace);
  ADD ("/assay/import/transaction/many-problems", test_many_problems);

  g_test_add ("/assay/import/order/any-order", Fixture, NULL, fixture_setup_empty,
              test_order_any, fixture_teardown);
  ADD ("/assay/import/order/one-file", test_order_one_file);
  ADD ("/assay/import/order/missing", test_order_missing);
  ADD ("/assay/import/order/merge", test_order_merge);

  ADD ("/assay/import/transcript/srt-vtt-txt", test_transcripts);
  ADD ("/assay/import/transcript/bad", test_transcript_bad);

  ADD ("/assay/import/map/foreign", test_map_foreign);
  ADD ("/assay/import/map/nested", test_map_nested);
  ADD ("/assay/import/map/root-and-native", test_map_root_and_native);
  ADD ("/assay/import/map/nested-leftovers", test_map_nested_leftovers);
  ADD ("/assay/import/map/bad-spec", test_map_bad_spec);

  ADD ("/assay/import/api/bytes-and-counters", test_bytes_and_counters);
  g_test_add_func ("/assay/import/api/format-from-path", test_format_from_path);
  ADD ("/assay/import/api/cancelled", test_cancelled);
  ADD ("/assay/import/api/cancelled-midway", test_cancelled_midway);
  ADD ("/assay/import/api/large", test_large);

#undef ADD

  return g_test_run ();
}
