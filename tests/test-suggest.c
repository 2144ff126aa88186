/* test-suggest.c: model suggestions against a scripted endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case starts tests/chat-server.py, a Chat Completions endpoint whose
 * answers depend on a marker in the candidate's text (see its header), and
 * runs the real `assay-cli suggest` against it, or the core's async call.
 * It checks what the endpoint was sent, what the project holds afterwards
 * (judgments of the model annotator, the suggestions rows and their
 * reasons), what the user sees on standard error, and the exit status.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <jansson.h>
#include <sqlite3.h>

#include "assay-core.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"
#include "assay-test-run.h"

#define KEY "sk-test-0123456789abcdef"

static const char template_json[] =
  "{\"name\": \"Call summary review\", \"version\": \"3\","
  " \"judgments\": [\"labels\", \"spans\", \"scores\"],"
  " \"guidelines\": \"Judge each summary against the call only; the Zephyr rule applies.\","
  " \"label_sets\": ["
  "  {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "    {\"name\": \"unsupported\", \"description\": \"The call never says this.\"},"
  "    {\"name\": \"contradicted\", \"description\": \"The call says the opposite.\"}]},"
  "  {\"name\": \"verdict\", \"scope\": \"candidate\", \"options\": ["
  "    {\"name\": \"accept\", \"description\": \"Fit to file as it is.\"},"
  "    {\"name\": \"reject\", \"description\": \"Would mislead a colleague.\"}]},"
  "  {\"name\": \"issues\", \"scope\": \"candidate\", \"multi\": true, \"options\": ["
  "    {\"name\": \"padding\", \"description\": \"Says little in many words.\"},"
  "    {\"name\": \"no-outcome\", \"description\": \"Leaves out how the call ended.\"}]}],"
  " \"criteria\": ["
  "  {\"name\": \"faithfulness\", \"description\": \"Every claim is backed by the call.\","
  "   \"min\": 1, \"max\": 5, \"anchors\": {\"1\": \"Several claims are plainly false.\","
  "   \"5\": \"Every claim can be found in the call.\"}}]}\n";

typedef struct
{
  char        *dir;
  char        *path;
  char        *log;
  char        *endpoint;
  GSubprocess *server;
} Fixture;

static void
write_file (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
start_server (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  const char *python = g_getenv ("ASSAY_PYTHON");
  const char *script = g_getenv ("ASSAY_CHAT_SERVER");

  g_assert_nonnull (python);
  g_assert_nonnull (script);
  f->server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, python, script,
                                "--log", f->log, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (f->server));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  f->endpoint = g_strdup_printf ("http://127.0.0.1:%s/v1", line);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-suggest-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "p.assay", NULL);
  f->log = g_build_filename (f->dir, "requests.jsonl", NULL);
  write_file (f->log, "");
  start_server (f);
  g_setenv ("ASSAY_TEST_KEY", KEY, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_subprocess_force_exit (f->server);
  g_subprocess_wait (f->server, NULL, NULL);
  g_clear_object (&f->server);
  assay_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->log);
  g_free (f->endpoint);
}

/* A project with the template and `jsonl` imported. */
static void
make_project (Fixture    *f,
              const char *jsonl)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autofree char *tmpl = g_build_filename (f->dir, "template.json", NULL);
  g_autofree char *data = g_build_filename (f->dir, "data.jsonl", NULL);

  write_file (tmpl, template_json);
  write_file (data, jsonl);
  assay_test_run_cli (&r, "init", f->path, "--template", tmpl, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "import", f->path, data, NULL);
  g_assert_cmpint (r.status, ==, 0);
}

static void
suggest (Fixture      *f,
         AssayTestRun *r)
{
  assay_test_run_cli (r, "suggest", f->path, "--endpoint", f->endpoint, "--model", "tiny",
                      "--api-key-env", "ASSAY_TEST_KEY", "--timeout", "1", "--concurrency", "4",
                      NULL);
}

/* Every request the server got, in order. */
static json_t *
requests (Fixture *f)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  json_t *all = json_array ();

  g_assert_true (g_file_get_contents (f->log, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      json_error_t error;
      json_t *request;

      if (*lines[i] == '\0')
        continue;
      request = json_loads (lines[i], 0, &error);
      g_assert_nonnull (request);
      json_array_append_new (all, request);
    }
  return all;
}

/* The requests about the candidate whose text contains `marker`. */
static guint
count_requests (json_t     *all,
                const char *marker)
{
  guint n = 0;
  size_t i;
  json_t *request;

  json_array_foreach (all, i, request)
    {
      json_t *messages = json_object_get (json_object_get (request, "body"), "messages");
      const char *user = json_string_value (json_object_get (json_array_get (messages, 1),
                                                             "content"));

      if (strstr (user, marker) != NULL)
        n++;
    }
  return n;
}

/* The request about the candidate whose text contains `marker` (the first). */
static json_t *
request_for (json_t     *all,
             const char *marker)
{
  size_t i;
  json_t *request;

  json_array_foreach (all, i, request)
    {
      json_t *messages = json_object_get (json_object_get (request, "body"), "messages");
      const char *user = json_string_value (json_object_get (json_array_get (messages, 1),
                                                             "content"));

      if (strstr (user, marker) != NULL)
        return request;
    }
  g_error ("no request about “%s”", marker);
}

static gint64
query_int (Fixture    *f,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                             ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  sqlite3_stmt *stmt;
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_assay_project_get_db (project), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (Fixture    *f,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                             ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (_assay_project_get_db (project), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* Rows of the model's judgments on candidate `cand` of source `src`. */
static gint64
model_rows (Fixture    *f,
            const char *table,
            const char *src,
            const char *cand)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT count(*) FROM %s j JOIN candidates c ON c.id = j.candidate_id"
    " JOIN sources s ON s.id = c.source_id JOIN annotators a ON a.id = j.annotator_id"
    " WHERE a.ext_id = 'model:tiny' AND s.ext_id = '%s' AND c.ext_id = '%s'",
    table, src, cand);

  return query_int (f, sql);
}

static char *
suggestion_column (Fixture    *f,
                   const char *column,
                   const char *src,
                   const char *cand)
{
  g_autofree char *sql = g_strdup_printf (
    "SELECT g.%s FROM suggestions g JOIN candidates c ON c.id = g.candidate_id"
    " JOIN sources s ON s.id = c.source_id WHERE s.ext_id = '%s' AND c.ext_id = '%s'",
    column, src, cand);

  return query_text (f, sql);
}

static gboolean
file_contains (const char *path,
               const char *needle)
{
  g_autofree char *data = NULL;
  gsize length;

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  return memmem (data, length, needle, strlen (needle)) != NULL;
}

/* ---- cases ---- */

static const char good_data[] =
  "{\"id\": \"call-1\", \"title\": \"Double charge\", \"segments\": ["
  "  {\"speaker\": \"Agent\", \"text\": \"Thanks for calling, this is Priya.\"},"
  "  {\"speaker\": \"Customer\", \"text\": \"I was charged twice in March.\"}],"
  " \"candidates\": [{\"id\": \"a\", \"model\": \"m1\","
  "   \"text\": \"The customer was charged twice in March.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Priya  took a\\ncall about billing.\"}]}\n"
  "{\"id\": \"call-2\", \"text\": \"The parcel arrived late and damaged.\","
  " \"candidates\": [{\"id\": \"a\", \"model\": \"m1\", \"text\": \"The parcel came late.\"}]}\n";

static void
test_request_and_store (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autoptr(json_t) all = NULL;
  json_t *request, *body, *schema, *props;
  const char *system, *user;
  g_autofree char *model = NULL;
  g_autofree char *prompt_version = NULL;
  g_autofree char *wal = NULL;

  make_project (f, good_data);
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "3 answered, 0 already present, 0 failed"));
  /* Progress on standard error, the last count always shown. */
  g_assert_nonnull (strstr (r.err, "suggest: 3 of 3 candidates\n"));
  g_assert_cmpstr (r.out, ==, "");
  g_assert_null (strstr (r.err, KEY));

  all = requests (f);
  g_assert_cmpuint (json_array_size (all), ==, 3);
  request = request_for (all, "The customer was charged twice in March.");
  g_assert_cmpstr (json_string_value (json_object_get (request, "path")), ==,
                   "/v1/chat/completions");
  g_assert_cmpstr (json_string_value (json_object_get (request, "auth")), ==, "Bearer " KEY);
  body = json_object_get (request, "body");
  g_assert_cmpstr (json_string_value (json_object_get (body, "model")), ==, "tiny");

  /* The system message carries the guidelines, the scale with its anchors,
   * and every option's name and description. */
  system = json_string_value (json_object_get (json_array_get (json_object_get (body, "messages"),
                                                               0), "content"));
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (body, "messages"), 0), "role")), ==, "system");
  g_assert_nonnull (strstr (system, "the Zephyr rule applies"));
  g_assert_nonnull (strstr (system, "1 to 5"));
  g_assert_nonnull (strstr (system, "Several claims are plainly false."));
  g_assert_nonnull (strstr (system, "Every claim can be found in the call."));
  g_assert_nonnull (strstr (system, "accept: Fit to file as it is."));
  g_assert_nonnull (strstr (system, "no-outcome: Leaves out how the call ended."));
  g_assert_nonnull (strstr (system, "unsupported: The call never says this."));
  g_assert_nonnull (strstr (system, "contradicted: The call says the opposite."));

  /* The user message: the source with its speakers, then the candidate. */
  user = json_string_value (json_object_get (json_array_get (json_object_get (body, "messages"),
                                                             1), "content"));
  g_assert_nonnull (strstr (user, "Customer: I was charged twice in March."));
  g_assert_nonnull (strstr (user, "Double charge"));
  g_assert_nonnull (strstr (user, "The customer was charged twice in March."));

  /* Structured output: one property per criterion and label set, and spans. */
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (body, "response_format"),
                                                       "type")), ==, "json_schema");
  g_assert_true (json_is_true (json_object_get (json_object_get (json_object_get (
    body, "response_format"), "json_schema"), "strict")));
  schema = json_object_get (json_object_get (json_object_get (body, "response_format"),
                                             "json_schema"), "schema");
  props = json_object_get (schema, "properties");
  g_assert_cmpuint (json_object_size (props), ==, 4);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (props, "faithfulness"),
                                                       "type")), ==, "integer");
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (props, "faithfulness"),
                                                        "minimum")), ==, 1);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (props, "faithfulness"),
                                                        "maximum")), ==, 5);
  g_assert_cmpuint (json_array_size (json_object_get (json_object_get (props, "verdict"),
                                                      "enum")), ==, 2);
  g_assert_cmpstr (json_string_value (json_object_get (json_object_get (props, "issues"),
                                                       "type")), ==, "array");
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (json_object_get (
    json_object_get (props, "issues"), "items"), "enum"), 1)), ==, "no-outcome");
  g_assert_cmpstr (json_string_value (json_array_get (json_object_get (json_object_get (
    json_object_get (json_object_get (json_object_get (props, "spans"), "items"), "properties"),
    "label"), "enum"), 0)), ==, "unsupported");
  g_assert_true (json_is_false (json_object_get (schema, "additionalProperties")));
  g_assert_cmpuint (json_array_size (json_object_get (schema, "required")), ==, 4);

  /* Stored as the model annotator's judgments, with their provenance. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM annotators WHERE ext_id = 'model:tiny'"
                                 " AND kind = 'model' AND name = 'tiny'"), ==, 1);
  g_assert_cmpint (model_rows (f, "scores", "call-1", "a"), ==, 1);
  g_assert_cmpint (model_rows (f, "labels", "call-1", "a"), ==, 2);
  g_assert_cmpint (model_rows (f, "spans", "call-1", "a"), ==, 1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scores WHERE value = 1"), ==, 3);
  /* The quote "The customer was" is at 0..16; "Priya took a" matches
   * "Priya  took a\ncall" with its white space as it stands. */
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM spans WHERE start = 0 AND end = 16"), ==,
                   1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM spans WHERE start = 0 AND end = 13"), ==,
                   1);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suggestions WHERE error IS NULL"
                                 " AND attempts = 1 AND template_version = '3'"), ==, 3);
  model = suggestion_column (f, "model", "call-1", "a");
  g_assert_cmpstr (model, ==, "served-tiny");
  prompt_version = suggestion_column (f, "prompt_version", "call-1", "a");
  g_assert_true (g_str_has_prefix (prompt_version, "1-"));

  /* The key is nowhere in the project. */
  wal = g_strconcat (f->path, "-wal", NULL);
  g_assert_false (file_contains (f->path, KEY));
  g_assert_false (file_contains (wal, KEY));
}

static void
test_kinds_option (Fixture       *f,
                   gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autoptr(json_t) all = NULL;
  json_t *props;

  make_project (f, good_data);
  assay_test_run_cli (&r, "suggest", f->path, "--endpoint", f->endpoint, "--model", "tiny",
                      "--kinds", "scores", "--limit", "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  all = requests (f);
  /* --limit counts sources: call-1 has two candidates. */
  g_assert_cmpuint (json_array_size (all), ==, 2);
  /* No key given, none sent. */
  g_assert_true (json_is_null (json_object_get (json_array_get (all, 0), "auth")));
  props = json_object_get (json_object_get (json_object_get (json_object_get (
    json_object_get (json_array_get (all, 0), "body"), "response_format"), "json_schema"),
    "schema"), "properties");
  g_assert_cmpuint (json_object_size (props), ==, 1);
  g_assert_nonnull (json_object_get (props, "faithfulness"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM labels"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM scores"), ==, 2);

  assay_test_run_cli (&r, "suggest", f->path, "--endpoint", f->endpoint, "--model", "tiny",
                      "--kinds", "verdicts", NULL);
  g_assert_cmpint (r.status, ==, 2);
}

static const char bad_data[] =
  "{\"id\": \"call-1\", \"text\": \"The customer was charged twice in March.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Charged twice. [[malformed]]\"},"
  "  {\"id\": \"b\", \"model\": \"m1\", \"text\": \"Charged twice. [[off-scale]]\"},"
  "  {\"id\": \"c\", \"model\": \"m1\", \"text\": \"Charged twice. [[unknown]]\"},"
  "  {\"id\": \"d\", \"model\": \"m1\", \"text\": \"Charged twice. [[extra]]\"},"
  "  {\"id\": \"e\", \"model\": \"m1\", \"text\": \"Charged twice. [[500]]\"},"
  "  {\"id\": \"f\", \"model\": \"m1\", \"text\": \"Charged twice in March.\"},"
  "  {\"id\": \"g\", \"model\": \"m1\", \"text\": \"Charged twice. [[missing]]\"}]}\n";

static void
test_invalid_answers (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autoptr(json_t) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GPtrArray) failures = NULL;
  const char *cands[] = { "a", "b", "c", "d", "e", "g" };
  const char *reasons[] = {
    "call-1/a: the answer is not valid JSON",
    "call-1/b: the score 6 for “faithfulness” is off its scale (1 to 5)",
    "call-1/c: “no-such-option” is not an option of “verdict”",
    "call-1/d: the answer has an unexpected member “confidence”",
    "call-1/e: HTTP 500 Internal Server Error: the model fell over (after 5 attempts)",
    "call-1/g: the answer has no score for “faithfulness”",
  };
  g_autofree char *reason = NULL;

  make_project (f, bad_data);
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    g_assert_nonnull (strstr (r.err, reasons[i]));
  g_assert_null (strstr (r.err, "call-1/f:"));
  g_assert_nonnull (strstr (r.err, "1 answered, 0 already present, 6 failed"));

  /* 429 and 5xx are tried again, at most five times in all; an answer
   * that breaks the schema is not. */
  all = requests (f);
  g_assert_cmpuint (count_requests (all, "[[500]]"), ==, 5);
  g_assert_cmpuint (count_requests (all, "[[malformed]]"), ==, 1);

  /* Nothing of an invalid answer is stored; its reason is. */
  for (guint i = 0; i < G_N_ELEMENTS (cands); i++)
    {
      g_assert_cmpint (model_rows (f, "scores", "call-1", cands[i]), ==, 0);
      g_assert_cmpint (model_rows (f, "labels", "call-1", cands[i]), ==, 0);
      g_assert_cmpint (model_rows (f, "spans", "call-1", cands[i]), ==, 0);
    }
  g_assert_cmpint (model_rows (f, "scores", "call-1", "f"), ==, 1);
  reason = suggestion_column (f, "error", "call-1", "b");
  g_assert_cmpstr (reason, ==, "the score 6 for “faithfulness” is off its scale (1 to 5)");
  g_clear_pointer (&reason, g_free);
  reason = suggestion_column (f, "attempts", "call-1", "e");
  g_assert_cmpstr (reason, ==, "5");

  /* The app reads the reasons through the core. */
  project = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  failures = assay_suggest_dup_failures (project,
                                         assay_project_lookup_candidate (
                                           project, assay_project_lookup_source (project,
                                                                                 "call-1"),
                                           "c"),
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (failures->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (failures, 0), ==,
                   "model:tiny: “no-such-option” is not an option of “verdict”");
  g_clear_pointer (&failures, g_ptr_array_unref);
  failures = assay_suggest_dup_failures (project,
                                         assay_project_lookup_candidate (
                                           project, assay_project_lookup_source (project,
                                                                                 "call-1"),
                                           "f"),
                                         &error);
  g_assert_cmpuint (failures->len, ==, 0);
}

static const char retry_data[] =
  "{\"id\": \"call-1\", \"text\": \"The customer was charged twice in March.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Charged twice. [[429]]\"},"
  "  {\"id\": \"b\", \"model\": \"m1\", \"text\": \"Charged twice. [[500-once]]\"},"
  "  {\"id\": \"c\", \"model\": \"m1\", \"text\": \"Charged twice. [[slow]]\"},"
  "  {\"id\": \"d\", \"model\": \"m1\", \"text\": \"Charged twice. [[drop]]\"},"
  "  {\"id\": \"e\", \"model\": \"m1\", \"text\": \"Charged twice. [[fenced]]\"}]}\n";

static double
request_time (json_t     *all,
              const char *marker,
              guint       nth)
{
  size_t i;
  json_t *request;

  json_array_foreach (all, i, request)
    {
      json_t *messages = json_object_get (json_object_get (request, "body"), "messages");
      const char *user = json_string_value (json_object_get (json_array_get (messages, 1),
                                                             "content"));

      if (strstr (user, marker) != NULL && nth-- == 0)
        return json_real_value (json_object_get (request, "time"));
    }
  g_assert_not_reached ();
}

static void
test_retries (Fixture       *f,
              gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autoptr(json_t) all = NULL;
  const char *markers[] = { "[[429]]", "[[500-once]]", "[[slow]]", "[[drop]]" };
  const char *cands[] = { "a", "b", "c", "d" };

  make_project (f, retry_data);
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "5 answered, 0 already present, 0 failed"));
  /* An answer fenced as Markdown code is read inside its fence. */
  g_assert_cmpint (model_rows (f, "scores", "call-1", "e"), ==, 1);

  all = requests (f);
  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    {
      g_autofree char *attempts = suggestion_column (f, "attempts", "call-1", cands[i]);

      g_assert_cmpuint (count_requests (all, markers[i]), ==, 2);
      g_assert_cmpstr (attempts, ==, "2");
      g_assert_cmpint (model_rows (f, "scores", "call-1", cands[i]), ==, 1);
    }
  /* Retry-After: 1 is honoured. */
  g_assert_cmpfloat (request_time (all, "[[429]]", 1) - request_time (all, "[[429]]", 0), >=,
                     0.95);
  /* The slow answer (good, but after 3 s) was given up after --timeout 1:
   * a second request was made, and it is the one stored. */
  g_assert_cmpfloat (request_time (all, "[[slow]]", 1) - request_time (all, "[[slow]]", 0), >=,
                     0.95);
}

static const char resume_data[] =
  "{\"id\": \"call-1\", \"text\": \"The customer was charged twice in March.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Charged twice in March.\"},"
  "  {\"id\": \"b\", \"model\": \"m1\", \"text\": \"Charged twice. [[malformed]]\"}]}\n"
  "{\"id\": \"call-2\", \"text\": \"The parcel arrived late.\","
  " \"candidates\": [{\"id\": \"a\", \"model\": \"m1\", \"text\": \"The parcel came late.\"}]}\n";

static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autoptr(json_t) all = NULL;
  gint64 judgments;

  make_project (f, resume_data);
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 1);
  judgments = query_int (f, "SELECT (SELECT count(*) FROM labels) + (SELECT count(*) FROM scores)"
                            " + (SELECT count(*) FROM spans)");
  g_assert_cmpint (judgments, ==, 8);

  /* Only the failed candidate is asked again; nothing is stored twice. */
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "0 answered, 2 already present, 1 failed"));
  g_assert_nonnull (strstr (r.err, "call-1/b: the answer is not valid JSON"));
  all = requests (f);
  g_assert_cmpuint (json_array_size (all), ==, 4);
  g_assert_cmpuint (count_requests (all, "[[malformed]]"), ==, 2);
  g_assert_cmpint (query_int (f, "SELECT (SELECT count(*) FROM labels) +"
                                 " (SELECT count(*) FROM scores) + (SELECT count(*) FROM spans)"),
                   ==, judgments);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suggestions"), ==, 3);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM annotators"), ==, 1);

  /* Another model is another annotator, and starts from the beginning. */
  assay_test_run_cli (&r, "suggest", f->path, "--endpoint", f->endpoint, "--model", "other one",
                      "--status", "todo", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "2 answered, 0 already present, 1 failed "
                                   "(annotator model:other-one)"));
}

static const char unplaced_data[] =
  "{\"id\": \"call-1\", \"text\": \"The customer was charged twice in March.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Charged twice in March. [[unplaced]]\"}]}\n";

static void
test_unplaced_quote (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autofree char *note = NULL;

  make_project (f, unplaced_data);
  suggest (f, &r);
  /* The answer stands; the span it could not place is left out and said. */
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "warning: call-1/a: 1 quote not found in the candidate: "
                                   "“words the candidate never wrote”"));
  g_assert_cmpint (model_rows (f, "spans", "call-1", "a"), ==, 1);
  g_assert_cmpint (model_rows (f, "scores", "call-1", "a"), ==, 1);
  note = suggestion_column (f, "note", "call-1", "a");
  g_assert_nonnull (strstr (note, "words the candidate never wrote"));
  g_assert_null (suggestion_column (f, "error", "call-1", "a"));
}

static void
test_native_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autofree char *first = g_build_filename (f->dir, "first.jsonl", NULL);
  g_autofree char *second = g_build_filename (f->dir, "second.jsonl", NULL);
  g_autofree char *copy = g_build_filename (f->dir, "copy.assay", NULL);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  make_project (f, good_data);
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 0);

  assay_test_run_cli (&r, "export", f->path, "--format", "native", "-o", first, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (first, &a, NULL, NULL));
  g_assert_nonnull (strstr (a, "{\"type\":\"annotator\",\"id\":\"model:tiny\",\"name\":\"tiny\","
                               "\"kind\":\"model\"}"));
  g_assert_nonnull (strstr (a, "\"suggestion\":{\"prompt_version\":\"1-"));
  g_assert_nonnull (strstr (a, "\"model\":\"served-tiny\",\"seconds\":"));

  /* The records with their provenance pass the native format's schema. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *schema = g_build_filename (g_getenv ("ASSAY_SRCDIR"), "data", "schemas",
                                                "assay-native.schema.json", NULL);
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status;
    const char *check =
      "import json, os, sys\n"
      "import jsonschema\n"
      "s = json.load(open(sys.argv[1]))\n"
      "t = json.load(open(os.path.join(os.path.dirname(sys.argv[1]),"
      " 'assay-template.schema.json')))\n"
      "r = jsonschema.RefResolver.from_schema(s, store={t['$id']: t})\n"
      "v = jsonschema.Draft202012Validator(s, resolver=r)\n"
      "n = 0\n"
      "for line in open(sys.argv[2]):\n"
      "    for e in v.iter_errors(json.loads(line)):\n"
      "        print(e.message); n += 1\n"
      "sys.exit(1 if n else 0)\n";
    const char *argv[] = { g_getenv ("ASSAY_PYTHON"), "-c", check, schema, first, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                  &error);
    g_assert_no_error (error);
    g_test_message ("%s%s", out, err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }

  assay_test_run_cli (&r, "init", copy, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "import", copy, first, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "export", copy, "--format", "native", "-o", second, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (second, &b, NULL, NULL));
  g_assert_cmpstr (a, ==, b);

  /* What came in keeps the run resumable: nothing is asked again. */
  g_free (f->path);
  f->path = g_strdup (copy);
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "0 answered, 3 already present, 0 failed"));
}

static void
test_refused_while_app_holds (Fixture       *f,
                              gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) app = NULL;

  make_project (f, good_data);
  app = assay_project_open_full (f->path, ASSAY_PROJECT_OPEN_APP, &error);
  g_assert_no_error (error);
  g_assert_false (assay_project_get_read_only (app));
  suggest (f, &r);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "is open in Assay"));
  g_clear_object (&app);
  g_autoptr(json_t) all = requests (f);
  g_assert_cmpuint (json_array_size (all), ==, 0);
}

static void
test_missing_key (Fixture       *f,
                  gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0 };

  make_project (f, good_data);
  assay_test_run_cli (&r, "suggest", f->path, "--endpoint", f->endpoint, "--model", "tiny",
                      "--api-key-env", "ASSAY_TEST_NO_SUCH_KEY", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "ASSAY_TEST_NO_SUCH_KEY"));
  assay_test_run_cli (&r, "suggest", f->path, "--endpoint", "ftp://example.org", "--model",
                      "tiny", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not an http or https address"));

  /* Nobody listens there: said at once, not after each candidate's retries. */
  {
    g_autoptr(GSocketListener) listener = g_socket_listener_new ();
    g_autoptr(GError) error = NULL;
    g_autofree char *endpoint = NULL;
    guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
    gint64 started;

    g_assert_no_error (error);
    g_socket_listener_close (listener);
    endpoint = g_strdup_printf ("http://127.0.0.1:%u/v1", port);
    started = g_get_monotonic_time ();
    assay_test_run_cli (&r, "suggest", f->path, "--endpoint", endpoint, "--model", "tiny", NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "Could not reach http://127.0.0.1:"));
    g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM suggestions"), ==, 0);
    g_assert_cmpint (query_int (f, "SELECT count(*) FROM annotators"), ==, 0);
  }
}

static const char hang_data[] =
  "{\"id\": \"call-1\", \"text\": \"The customer was charged twice in March.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Charged twice in March.\"},"
  "  {\"id\": \"b\", \"model\": \"m1\", \"text\": \"Charged twice. [[hang]]\"},"
  "  {\"id\": \"c\", \"model\": \"m1\", \"text\": \"Charged in March.\"}]}\n";

typedef struct
{
  GCancellable       *cancellable;
  GMainLoop          *loop;
  guint               n_progress;
  gboolean            notified;
  AssaySuggestReport *report;
  GError             *error;
} AsyncRun;

static void
async_progress (guint       done,
                guint       total,
                const char *source_ext_id,
                const char *candidate_ext_id,
                const char *failure,
                gpointer    data)
{
  AsyncRun *run = data;

  g_assert_cmpuint (total, ==, 3);
  g_assert_null (failure);
  g_assert_cmpstr (candidate_ext_id, !=, "b");
  run->n_progress = done;
  /* The two that answer are in; the third hangs: stop. */
  if (done == 2)
    g_cancellable_cancel (run->cancellable);
}

static void
async_notify (gpointer data)
{
  ((AsyncRun *) data)->notified = TRUE;
}

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      data)
{
  AsyncRun *run = data;

  run->report = assay_suggest_run_finish (ASSAY_PROJECT (object), result, &run->error);
  g_main_loop_quit (run->loop);
}

static void
test_async_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssaySuggestOptions) options = NULL;
  AsyncRun run = { NULL };
  gint64 started;

  make_project (f, hang_data);
  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  options = assay_suggest_options_new (f->endpoint, "tiny");
  assay_suggest_options_set_concurrency (options, 3);
  run.cancellable = g_cancellable_new ();
  run.loop = g_main_loop_new (NULL, FALSE);
  started = g_get_monotonic_time ();
  assay_suggest_run_async (project, options, async_progress, &run, async_notify,
                           run.cancellable, async_done, &run);
  g_main_loop_run (run.loop);

  /* Stopped at once, not after the hanging request's timeout. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 20 * G_USEC_PER_SEC);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (run.report);
  g_assert_cmpuint (run.n_progress, ==, 2);
  g_assert_true (run.notified);
  g_clear_error (&run.error);

  /* What was answered is stored whole; the cut-off one not at all. */
  g_clear_object (&project);
  g_assert_cmpint (model_rows (f, "scores", "call-1", "a"), ==, 1);
  g_assert_cmpint (model_rows (f, "scores", "call-1", "c"), ==, 1);
  g_assert_cmpint (model_rows (f, "scores", "call-1", "b"), ==, 0);
  g_assert_cmpint (model_rows (f, "labels", "call-1", "b"), ==, 0);
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suggestions"), ==, 2);

  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);
}

static void
test_async_report (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssaySuggestOptions) options = NULL;
  AsyncRun run = { NULL };

  make_project (f, resume_data);
  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  options = assay_suggest_options_new (f->endpoint, "tiny");
  assay_suggest_options_add_source (options, "call-2");
  run.loop = g_main_loop_new (NULL, FALSE);
  assay_suggest_run_async (project, options, NULL, NULL, NULL, NULL, async_done, &run);
  g_main_loop_run (run.loop);
  g_assert_no_error (run.error);
  g_assert_cmpuint (run.report->n_answered, ==, 1);
  g_assert_cmpuint (run.report->n_failed, ==, 0);
  g_assert_cmpstr (run.report->annotator, ==, "model:tiny");
  assay_suggest_report_free (run.report);
  g_main_loop_unref (run.loop);
}

/* The statements a run makes of its own find their rows through indexes
 * (tests/test-query-plan.c holds the rest of the core to the same rule). */
static GMutex traced_lock;

static void
trace_sql (const char *file,
           const char *sql,
           gpointer    data)
{
  static const char * const ours[] = {
    "suggestions", "item_status t", "FROM segments WHERE", "FROM candidates WHERE source_id",
    "SELECT title, text FROM sources", "SELECT kind FROM annotators", NULL
  };

  for (guint i = 0; ours[i] != NULL; i++)
    if (strstr (sql, ours[i]) != NULL)
      {
        g_mutex_lock (&traced_lock);
        g_hash_table_add (data, g_strdup (sql));
        g_mutex_unlock (&traced_lock);
        return;
      }
}

static void
test_query_plans (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GHashTable) traced = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(AssayTestRun) r = { 0 };
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  GHashTableIter iter;
  gpointer sql;
  sqlite3 *db;

  make_project (f, resume_data);
  _assay_project_set_trace_sql (trace_sql, traced);
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
      g_autoptr(AssaySuggestOptions) options = assay_suggest_options_new (f->endpoint, "tiny");
      g_autoptr(GPtrArray) failures = NULL;
      AsyncRun run = { NULL };

      g_assert_no_error (error);
      if (round == 1)
        assay_suggest_options_set_status (options, "todo");
      run.loop = g_main_loop_new (NULL, FALSE);
      assay_suggest_run_async (project, options, NULL, NULL, NULL, NULL, async_done, &run);
      g_main_loop_run (run.loop);
      g_main_loop_unref (run.loop);
      g_assert_no_error (run.error);
      g_assert_cmpuint (run.report->n_failed, ==, 1);
      assay_suggest_report_free (run.report);
      failures = assay_suggest_dup_failures (project, 2, &error);
      g_assert_no_error (error);
      {
        g_autoptr(AssayExportOptions) export_options = assay_export_options_new ();

        g_assert_true (assay_export_to_path (project, "native", export_options, out, NULL,
                                             &error));
        g_assert_no_error (error);
      }
    }
  _assay_project_set_trace_sql (NULL, NULL);
  g_assert_cmpuint (g_hash_table_size (traced), >=, 8);

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_hash_table_iter_init (&iter, traced);
  while (g_hash_table_iter_next (&iter, &sql, NULL))
    {
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
      sqlite3_stmt *stmt;

      g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *detail = (const char *) sqlite3_column_text (stmt, 3);

          if (g_str_has_prefix (detail, "SCAN ") && !g_str_equal (detail, "SCAN CONSTANT ROW"))
            g_error ("%s\nscans: %s", (const char *) sql, detail);
        }
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
}

static void
test_sigint (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) proc = NULL;
  g_autofree char *err = NULL;

  make_project (f, hang_data);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  proc = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("ASSAY_CLI"), "suggest",
                                      f->path, "--endpoint", f->endpoint, "--model", "tiny",
                                      "--concurrency", "3", NULL);
  g_assert_no_error (error);
  /* Wait for the two quick answers to be stored. */
  for (int i = 0; i < 600 && query_int (f, "SELECT count(*) FROM suggestions") < 2; i++)
    g_usleep (50000);
  g_subprocess_send_signal (proc, SIGINT);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (proc));
  g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGINT);
  g_assert_nonnull (strstr (err, "interrupted after 2 of 3 candidates"));
  g_assert_cmpint (query_int (f, "SELECT count(*) FROM suggestions"), ==, 2);
  g_assert_cmpint (model_rows (f, "scores", "call-1", "b"), ==, 0);
}

/* ---- the pieces ---- */

static void
test_find_quote (void)
{
  gint64 start, end;

  g_assert_true (_assay_suggest_find_quote ("Zoë paid €40 twice.", "€40 twice", &start, &end));
  g_assert_cmpint (start, ==, 9);
  g_assert_cmpint (end, ==, 18);
  g_assert_true (_assay_suggest_find_quote ("paid\n  €40\ttwice", " paid €40 twice ", &start,
                                            &end));
  g_assert_cmpint (start, ==, 0);
  g_assert_cmpint (end, ==, 16);
  g_assert_false (_assay_suggest_find_quote ("paid €40 twice", "paid €50", &start, &end));
  g_assert_false (_assay_suggest_find_quote ("paid", "  ", &start, &end));
}

static void
test_annotator_id (void)
{
  const char *cases[][2] = {
    { "llama3.1:8b", "model:llama3.1:8b" },
    { "Qwen/Qwen2.5-7B-Instruct", "model:Qwen/Qwen2.5-7B-Instruct" },
    { "  my  model\n", "model:my-model" },
    { "", "model:unnamed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = assay_suggest_annotator_for_model (cases[i][0]);

      g_assert_cmpstr (id, ==, cases[i][1]);
    }
}

static void
test_retry_after (void)
{
  g_assert_cmpint (_assay_suggest_parse_retry_after ("7"), ==, 7);
  g_assert_cmpint (_assay_suggest_parse_retry_after (" 0 "), ==, 0);
  g_assert_cmpint (_assay_suggest_parse_retry_after (NULL), ==, -1);
  g_assert_cmpint (_assay_suggest_parse_retry_after ("soon"), ==, -1);
  g_assert_cmpint (_assay_suggest_parse_retry_after ("Wed, 21 Oct 2015 07:28:00 GMT"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  /* The endpoint is on this machine: no proxy of the environment may stand
   * between (and libproxy, GIO's default resolver, is C++ that the
   * sanitizer build cannot follow). The assay-cli runs inherit this. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/suggest/find-quote", test_find_quote);
  g_test_add_func ("/assay/suggest/annotator-id", test_annotator_id);
  g_test_add_func ("/assay/suggest/retry-after", test_retry_after);
#define ADD(path, func) \
  g_test_add ("/assay/suggest/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("request-and-store", test_request_and_store);
  ADD ("kinds-option", test_kinds_option);
  ADD ("invalid-answers", test_invalid_answers);
  ADD ("retries", test_retries);
  ADD ("resume", test_resume);
  ADD ("unplaced-quote", test_unplaced_quote);
  ADD ("native-round-trip", test_native_round_trip);
  ADD ("refused-while-app-holds", test_refused_while_app_holds);
  ADD ("missing-key", test_missing_key);
  ADD ("async-cancel", test_async_cancel);
  ADD ("async-report", test_async_report);
  ADD ("sigint", test_sigint);
  ADD ("query-plans", test_query_plans);
#undef ADD

  return g_test_run ();
}
