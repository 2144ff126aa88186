/* test-export.c: the dataset exports (sft, preference, eval, scores)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Projects are built through the core API, exported, and each record is
 * parsed with jansson and compared with the record it must be, whole.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "assay-core.h"

typedef struct
{
  char          *dir;
  char          *path;
  AssayProject  *project;
  AssayTemplate *tmpl;      /* as stored, with row ids */
  gint64         ann, bob, lead, judge;
} Fixture;

/* The fixture's template, with the accept rule of the test case (the
 * test data) put in. */
static const char template_format[] =
  "{\"name\": \"Call review\", \"version\": \"7\","
  " \"judgments\": [\"labels\", \"correction\", \"scores\", \"ranking\", \"pairwise\"],"
  " \"system_prompt\": \"You summarise calls.\","
  " \"prompt_template\": \"Summarise {{title}} ({{ id }}):\\n\\n{{text}}\\n{{unknown}}\","
  " \"accept\": %s,"
  " \"label_sets\": ["
  "  {\"name\": \"verdict\", \"scope\": \"candidate\","
  "   \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]},"
  "  {\"name\": \"issues\", \"scope\": \"candidate\", \"multi\": true,"
  "   \"options\": [{\"name\": \"padding\"}, {\"name\": \"omission\"}]}],"
  " \"criteria\": ["
  "  {\"name\": \"faithfulness\", \"title\": \"Faithfulness\", \"description\": \"Backed by the call.\","
  "   \"min\": 1, \"max\": 5, \"weight\": 3, \"required\": true,"
  "   \"anchors\": {\"1\": \"Invented.\", \"5\": \"All supported.\"}},"
  "  {\"name\": \"concision\", \"min\": 1, \"max\": 5, \"weight\": 1}]}";

static const char rule_rank[] = "{\"rule\": \"rank\"}";
static const char rule_label[] = "{\"rule\": \"label\", \"label_set\": \"verdict\", \"label\": \"accept\"}";
static const char rule_score[] = "{\"rule\": \"score\", \"min_score\": 3.5}";

/* s1's text has a quote, a line feed, an accent and an emoji, so that
 * escaping shows in the records. */
static const char sources_jsonl[] =
  "{\"id\": \"s1\", \"title\": \"First call\","
  " \"text\": \"Café \\\"owner\\\" said:\\nsales rose 4% 🎉.\","
  " \"metadata\": {\"queue\": \"billing\"},"
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Sales rose 4%.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Sales fell.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"A café did well.\"}]}\n"
  "{\"id\": \"s2\", \"title\": \"Second\", \"text\": \"Second source.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"S2 a.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"S2 b.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"S2 c.\"}]}\n"
  "{\"id\": \"s3\", \"title\": \"Third\", \"text\": \"Third source.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"S3 a.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"S3 b.\"}]}\n";

static const char s1_user[] =
  "Summarise First call (s1):\n\nCafé \"owner\" said:\nsales rose 4% 🎉.\n{{unknown}}";

static void
import_jsonl (AssayProject *project,
              const char   *jsonl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GBytes) bytes = g_bytes_new (jsonl, strlen (jsonl));

  assay_import_add_bytes (import, "test.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run (import, NULL, &error);
  g_assert_no_error (error);
}

static void
store_template (Fixture    *f,
                const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autofree char *path = g_build_filename (f->dir, "template.json", NULL);

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  tmpl = assay_template_load_file (path, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  g_assert_no_error (error);
  g_clear_pointer (&f->tmpl, assay_template_unref);
  f->tmpl = assay_project_load_template (f->project, &error);
  g_assert_no_error (error);
}

static gint64
add_annotator (Fixture            *f,
               const char         *id,
               AssayAnnotatorKind  kind)
{
  g_autoptr(GError) error = NULL;
  gint64 row = 0;

  g_assert_true (assay_project_ensure_annotator (f->project, id, NULL, kind, &row, &error));
  g_assert_no_error (error);
  return row;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *template_json = g_strdup_printf (template_format,
                                                    data != NULL ? (const char *) data : rule_rank);

  f->dir = g_dir_make_tmp ("assay-export-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.assay", NULL);
  f->project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
  store_template (f, template_json);
  import_jsonl (f->project, sources_jsonl);
  f->ann = add_annotator (f, "ann", ASSAY_ANNOTATOR_PERSON);
  f->bob = add_annotator (f, "bob", ASSAY_ANNOTATOR_PERSON);
  f->lead = add_annotator (f, "lead", ASSAY_ANNOTATOR_ADJUDICATOR);
  f->judge = add_annotator (f, "judge", ASSAY_ANNOTATOR_MODEL);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
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
  g_clear_object (&f->project);
  g_clear_pointer (&f->tmpl, assay_template_unref);
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* ---- writing judgments ---- */

static gint64
candidate (Fixture    *f,
           const char *source,
           const char *id)
{
  gint64 s = assay_project_lookup_source (f->project, source);
  gint64 c = assay_project_lookup_candidate (f->project, s, id);

  g_assert_cmpint (c, !=, 0);
  return c;
}

static AssayStamp
stamp_at (const char *updated)
{
  AssayStamp stamp = ASSAY_STAMP_INIT;

  stamp.created_at = updated;
  stamp.updated_at = updated;
  return stamp;
}

static void
correct (Fixture    *f,
         const char *source,
         const char *cand,
         gint64      annotator,
         const char *text,
         const char *updated)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = stamp_at (updated);

  assay_project_set_correction (f->project, candidate (f, source, cand), annotator, text, &stamp,
                                &error);
  g_assert_no_error (error);
}

/* "a=1,b=2,c=2" */
static void
rank (Fixture    *f,
      const char *source,
      gint64      annotator,
      const char *ranks)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) parts = g_strsplit (ranks, ",", -1);
  guint n = g_strv_length (parts);
  g_autofree gint64 *ids = g_new0 (gint64, n);
  g_autofree int *values = g_new0 (int, n);
  AssayStamp stamp = stamp_at ("2026-11-01T10:00:00.000Z");

  for (guint i = 0; i < n; i++)
    {
      g_auto(GStrv) kv = g_strsplit (parts[i], "=", 2);

      ids[i] = candidate (f, source, kv[0]);
      values[i] = atoi (kv[1]);
    }
  assay_project_set_ranking (f->project, assay_project_lookup_source (f->project, source),
                             annotator, ids, values, n, &stamp, &error);
  g_assert_no_error (error);
}

static void
compare (Fixture     *f,
         const char  *source,
         gint64       annotator,
         const char  *a,
         const char  *b,
         AssayWinner  winner,
         const char  *rationale)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = stamp_at ("2026-11-02T10:00:00.000Z");

  assay_project_set_comparison (f->project, assay_project_lookup_source (f->project, source),
                                annotator, candidate (f, source, a), candidate (f, source, b),
                                winner, rationale, &stamp, &error);
  g_assert_no_error (error);
}

static void
label (Fixture    *f,
       const char *source,
       const char *cand,
       gint64      annotator,
       const char *set_name,
       const char *option_name)
{
  g_autoptr(GError) error = NULL;
  AssayLabelSet *set = NULL;
  AssayLabelOption *option;
  AssayStamp stamp = stamp_at ("2026-11-03T10:00:00.000Z");

  option = assay_template_find_option (f->tmpl, set_name, option_name, ASSAY_SCOPE_CANDIDATE,
                                       &set, NULL);
  g_assert_nonnull (option);
  assay_project_set_labels (f->project, candidate (f, source, cand), annotator, set->id,
                            &option->id, 1, &stamp, &error);
  g_assert_no_error (error);
}

static void
score (Fixture    *f,
       const char *source,
       const char *cand,
       gint64      annotator,
       const char *criterion,
       int         value,
       const char *rationale)
{
  g_autoptr(GError) error = NULL;
  AssayCriterion *c = assay_template_find_criterion (f->tmpl, criterion);
  AssayStamp stamp = stamp_at ("2026-11-04T10:00:00.000Z");

  stamp.time_spent = 12.5;
  g_assert_nonnull (c);
  assay_project_set_score (f->project, candidate (f, source, cand), annotator, c->id, value,
                           rationale, &stamp, &error);
  g_assert_no_error (error);
}

static void
set_status (Fixture     *f,
            const char  *source,
            gint64       annotator,
            AssayStatus  status)
{
  g_autoptr(GError) error = NULL;

  assay_project_set_status (f->project, assay_project_lookup_source (f->project, source),
                            annotator, status, NULL, &error);
  g_assert_no_error (error);
}

/* ---- exporting ---- */

static char *
export_text (Fixture            *f,
             const char         *format,
             AssayExportOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  char *text = NULL;

  assay_export_to_path (f->project, format, options, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &text, NULL, NULL));
  g_unlink (out);
  return text;
}

static GPtrArray *
parse_lines (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* Every record ends with a line feed, so the last piece is empty. */
  if (n == 0)
    return records;
  g_assert_cmpstr (lines[n - 1], ==, "");
  for (guint i = 0; i + 1 < n; i++)
    {
      json_error_t jerror;
      json_t *record = json_loads (lines[i], JSON_REJECT_DUPLICATES, &jerror);

      if (record == NULL)
        g_error ("line %u is not JSON (%s): %s", i + 1, jerror.text, lines[i]);
      g_ptr_array_add (records, record);
    }
  return records;
}

static GPtrArray *
export_records (Fixture            *f,
                const char         *format,
                AssayExportOptions *options)
{
  g_autofree char *text = export_text (f, format, options);

  return parse_lines (text);
}

static void
assert_json (json_t     *value,
             const char *expected)
{
  json_error_t jerror;
  g_autoptr(json_t) want = json_loads (expected, 0, &jerror);

  if (want == NULL)
    g_error ("bad expected JSON (%s): %s", jerror.text, expected);
  if (!json_equal (value, want))
    {
      g_autofree char *got = json_dumps (value, JSON_COMPACT | JSON_SORT_KEYS);
      g_autofree char *exp = json_dumps (want, JSON_COMPACT | JSON_SORT_KEYS);

      g_error ("records differ:\n  got  %s\n  want %s", got, exp);
    }
}

/* A string as a JSON literal, to put into an expected record. */
static char *
json_quote (const char *str)
{
  g_autoptr(json_t) value = json_string (str);

  return json_dumps (value, JSON_ENCODE_ANY);
}

static const char *
get_string (json_t     *object,
            const char *path)
{
  g_auto(GStrv) keys = g_strsplit (path, ".", -1);
  json_t *value = object;

  for (guint i = 0; keys[i] != NULL; i++)
    value = json_object_get (value, keys[i]);
  g_assert_nonnull (value);
  return json_string_value (value);
}

/* The assistant turn of an sft (messages) record. */
static const char *
gold_of (json_t *record)
{
  json_t *messages = json_object_get (record, "messages");

  return json_string_value (json_object_get (json_array_get (messages,
                                                             json_array_size (messages) - 1),
                                             "content"));
}

static AssayExportOptions *
options_with (const char *key,
              const char *value)
{
  AssayExportOptions *options = assay_export_options_new ();

  if (key != NULL)
    assay_export_options_set (options, key, value);
  return options;
}

/* ---- formats ---- */

static void
test_formats (void)
{
  static const char * const names[] = {
    "native", "sft", "preference", "dpo-openai", "eval", "openai-evals", "scores", "scores-csv",
  };
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  guint n = 0;

  for (; formats[n] != NULL; n++)
    {
      g_assert_cmpstr (formats[n]->name, ==, names[n]);
      g_assert_true (assay_export_find_format (names[n]) == formats[n]);
      g_assert_nonnull (formats[n]->description);
      g_assert_cmpstr (formats[n]->extension, ==, n == 7 ? "csv" : "jsonl");
      /* What the Export dialog lists comes from here: a title, what the
       * format holds and who reads it, free of the CLI's option names. */
      g_assert_nonnull (formats[n]->title);
      g_assert_cmpuint (strlen (formats[n]->title), >, 0);
      g_assert_nonnull (formats[n]->audience);
      g_assert_true (g_str_has_prefix (formats[n]->audience, "For "));
      g_assert_null (strstr (formats[n]->description, "--"));
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (names));
  g_assert_null (assay_export_find_format ("alpaca"));
}

static void
test_unknown_format (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);

  g_assert_false (assay_export_to_path (f->project, "alpaca", NULL, out, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "sft"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* ---- sft and the prompt ---- */

static void
test_sft_messages (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) options = NULL;
  g_autofree char *text = NULL;

  rank (f, "s1", f->ann, "a=2,b=1,c=3");
  rank (f, "s2", f->ann, "a=1,b=2,c=3");

  records = export_records (f, "sft", NULL);
  g_assert_cmpuint (records->len, ==, 2);
  assert_json (records->pdata[0],
               "{\"messages\": ["
               " {\"role\": \"system\", \"content\": \"You summarise calls.\"},"
               " {\"role\": \"user\", \"content\": \"Summarise First call (s1):\\n\\nCafé"
               " \\\"owner\\\" said:\\nsales rose 4% 🎉.\\n{{unknown}}\"},"
               " {\"role\": \"assistant\", \"content\": \"Sales fell.\"}]}");
  g_assert_cmpstr (gold_of (records->pdata[1]), ==, "S2 a.");

  /* Non-ASCII text stays UTF-8; no key beyond "messages" without provenance. */
  text = export_text (f, "sft", NULL);
  g_assert_nonnull (strstr (text, "Café"));
  g_assert_nonnull (strstr (text, "🎉"));
  g_assert_null (strstr (text, "metadata"));

  options = options_with ("provenance", "true");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "sft", options);
  assert_json (json_object_get (records->pdata[0], "metadata"),
               "{\"source\": \"s1\", \"title\": \"First call\", \"candidate\": \"b\","
               " \"model\": \"m2\", \"gold\": \"rank\", \"annotators\": [\"ann\"],"
               " \"created\": \"2026-11-01T10:00:00.000Z\", \"updated\": \"2026-11-01T10:00:00.000Z\","
               " \"template\": \"Call review\", \"template_version\": \"7\"}");
}

static void
test_sft_prompt_completion (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) options = options_with ("style", "prompt-completion");
  g_autofree char *expected = NULL;
  g_autofree char *user = NULL;

  rank (f, "s1", f->ann, "a=1,b=2");

  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpuint (json_object_size (records->pdata[0]), ==, 3);
  g_assert_cmpstr (get_string (records->pdata[0], "prompt"), ==, s1_user);
  g_assert_cmpstr (get_string (records->pdata[0], "completion"), ==, "Sales rose 4%.");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.gold"), ==, "rank");

  assay_export_options_set (options, "conversational", "true");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "sft", options);
  json_object_del (records->pdata[0], "metadata");
  user = json_quote (s1_user);
  expected = g_strdup_printf ("{\"prompt\": [{\"role\": \"system\", \"content\": \"You summarise"
                              " calls.\"}, {\"role\": \"user\", \"content\": %s}],"
                              " \"completion\": [{\"role\": \"assistant\", \"content\":"
                              " \"Sales rose 4%%.\"}]}",
                              user);
  assert_json (records->pdata[0], expected);
}

static void
test_sft_default_prompt (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;

  /* No system prompt and no prompt template: the default prompt. */
  store_template (f, "{\"name\": \"Bare\", \"judgments\": [\"ranking\"]}");
  rank (f, "s2", f->ann, "a=1,b=2");
  records = export_records (f, "sft", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  assert_json (records->pdata[0],
               "{\"messages\": ["
               " {\"role\": \"user\", \"content\": \"Summarise the following.\\n\\nSecond source.\"},"
               " {\"role\": \"assistant\", \"content\": \"S2 a.\"}]}");

  /* A template without {{text}}: the source is added after it. */
  store_template (f, "{\"name\": \"No text\", \"judgments\": [\"ranking\"],"
                  " \"prompt_template\": \"Summarise {{title}}.\"}");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "sft", NULL);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (
                     json_object_get (records->pdata[0], "messages"), 0), "content")), ==,
                   "Summarise Second.\n\nSecond source.");
}

/* ---- the gold rule ---- */

static void
test_gold_rank (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) options = options_with ("provenance", "true");

  /* s1: two annotators disagree on the first place; the mean decides:
   * a = (1 + 3) / 2 = 2, b = (2 + 1) / 2 = 1.5. */
  rank (f, "s1", f->ann, "a=1,b=2,c=3");
  rank (f, "s1", f->bob, "a=3,b=1,c=2");
  /* s2: a tie for the best mean goes to the earlier candidate. */
  rank (f, "s2", f->ann, "a=2,b=1,c=1");
  /* s3: the adjudicator's ranking outranks the others. */
  rank (f, "s3", f->ann, "a=1,b=2");
  rank (f, "s3", f->bob, "a=1,b=2");
  rank (f, "s3", f->lead, "a=2,b=1");

  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales fell.");
  assert_json (json_object_get (json_object_get (records->pdata[0], "metadata"), "annotators"),
               "[\"ann\", \"bob\"]");
  g_assert_cmpstr (gold_of (records->pdata[1]), ==, "S2 b.");
  g_assert_cmpstr (gold_of (records->pdata[2]), ==, "S3 b.");
  assert_json (json_object_get (json_object_get (records->pdata[2], "metadata"), "annotators"),
               "[\"lead\"]");
}

static void
test_gold_label (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) options = options_with ("provenance", "true");

  /* s1: c accepted by two annotators, a by one. */
  label (f, "s1", "a", f->ann, "verdict", "accept");
  label (f, "s1", "c", f->bob, "verdict", "accept");
  label (f, "s1", "c", f->judge, "verdict", "accept");
  label (f, "s1", "b", f->ann, "verdict", "reject");
  /* s2: accepted by a person, but the adjudicator rejected it and accepted
   * nothing: no gold. */
  label (f, "s2", "a", f->ann, "verdict", "accept");
  label (f, "s2", "a", f->lead, "verdict", "reject");
  /* s3: other labels do not count. */
  label (f, "s3", "a", f->ann, "issues", "padding");
  /* A ranking is not the rule here. */
  rank (f, "s3", f->ann, "a=1,b=2");

  /* The judge's vote is a proposal: by default a and c have one vote each
   * and the first candidate wins the tie. */
  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales rose 4%.");
  g_clear_pointer (&records, g_ptr_array_unref);

  /* Counted, it makes c the gold. */
  assay_export_options_set_kinds (options, ASSAY_STATS_ALL_KINDS);
  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "A café did well.");
  assert_json (json_object_get (records->pdata[0], "metadata"),
               "{\"source\": \"s1\", \"title\": \"First call\", \"candidate\": \"c\","
               " \"model\": \"m3\", \"gold\": \"label\", \"annotators\": [\"bob\", \"judge\"],"
               " \"created\": \"2026-11-03T10:00:00.000Z\", \"updated\": \"2026-11-03T10:00:00.000Z\","
               " \"template\": \"Call review\", \"template_version\": \"7\"}");
}

static void
test_gold_score (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;

  /* Weighted means (faithfulness 3, concision 1), threshold 3.5.
   * s1: a = (3*3 + 5) / 4 = 3.5, b = (3*5 + 1) / 4 = 4, c = (3*4 + 4) / 4 = 4
   *     b and c tie on 4: the earlier, b. */
  score (f, "s1", "a", f->ann, "faithfulness", 3, NULL);
  score (f, "s1", "a", f->ann, "concision", 5, NULL);
  score (f, "s1", "b", f->ann, "faithfulness", 5, NULL);
  score (f, "s1", "b", f->ann, "concision", 1, NULL);
  score (f, "s1", "c", f->ann, "faithfulness", 4, NULL);
  score (f, "s1", "c", f->ann, "concision", 4, NULL);
  /* s2: nothing reaches 3.5: a = (3*3 + 4) / 4 = 3.25. */
  score (f, "s2", "a", f->ann, "faithfulness", 3, NULL);
  score (f, "s2", "a", f->ann, "concision", 4, NULL);
  /* s3: the mean over annotators: a = (5 + 2) / 2 = 3.5 reaches it,
   * b = (3 + 3) / 2 = 3 does not. */
  score (f, "s3", "a", f->ann, "faithfulness", 5, NULL);
  score (f, "s3", "a", f->bob, "faithfulness", 2, NULL);
  score (f, "s3", "b", f->ann, "faithfulness", 3, NULL);
  score (f, "s3", "b", f->bob, "faithfulness", 3, NULL);

  records = export_records (f, "sft", NULL);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales fell.");
  g_assert_cmpstr (gold_of (records->pdata[1]), ==, "S3 a.");

  /* An adjudicator's scores replace the others': c scores 5. */
  score (f, "s1", "c", f->lead, "faithfulness", 5, NULL);
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "sft", NULL);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "A café did well.");
}

static void
test_gold_correction (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) options = options_with ("provenance", "true");

  /* A correction beats the rule's pick. */
  rank (f, "s1", f->ann, "a=1,b=2");
  correct (f, "s1", "b", f->ann, "Ann's fix.", "2026-11-05T10:00:00.000Z");
  /* Of two people's corrections, the most recent. */
  correct (f, "s2", "a", f->ann, "Ann, later.", "2026-11-06T10:00:00.000Z");
  correct (f, "s2", "b", f->bob, "Bob, earlier.", "2026-11-05T10:00:00.000Z");
  /* The adjudicator's, even if older. */
  correct (f, "s3", "a", f->ann, "Ann, latest.", "2026-11-09T10:00:00.000Z");
  correct (f, "s3", "b", f->lead, "Lead, older.", "2026-11-01T10:00:00.000Z");

  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Ann's fix.");
  assert_json (json_object_get (records->pdata[0], "metadata"),
               "{\"source\": \"s1\", \"title\": \"First call\", \"candidate\": \"b\","
               " \"model\": \"m2\", \"gold\": \"correction\", \"annotators\": [\"ann\"],"
               " \"created\": \"2026-11-05T10:00:00.000Z\", \"updated\": \"2026-11-05T10:00:00.000Z\","
               " \"template\": \"Call review\", \"template_version\": \"7\"}");
  g_assert_cmpstr (gold_of (records->pdata[1]), ==, "Ann, later.");
  g_assert_cmpstr (gold_of (records->pdata[2]), ==, "Lead, older.");
}

/* A source without candidates (a transcript imported on its own) comes
 * first: it has no gold and no record, whatever the rule, and the source
 * after it exports as before. */
static void
test_gold_no_candidates (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *path = g_build_filename (f->dir, "bare-first.assay", NULL);
  g_autofree char *template_json = g_strdup_printf (template_format, (const char *) data);

  g_clear_object (&f->project);
  f->project = assay_project_create (path, &error);
  g_assert_no_error (error);
  store_template (f, template_json);
  import_jsonl (f->project, "{\"id\": \"s0\", \"title\": \"Bare\", \"text\": \"No summary yet.\"}\n");
  import_jsonl (f->project, sources_jsonl);
  f->ann = add_annotator (f, "ann", ASSAY_ANNOTATOR_PERSON);

  /* b is the pick of every rule */
  rank (f, "s1", f->ann, "a=2,b=1,c=3");
  label (f, "s1", "b", f->ann, "verdict", "accept");
  score (f, "s1", "b", f->ann, "faithfulness", 5, NULL);
  score (f, "s1", "b", f->ann, "concision", 5, NULL);

  records = export_records (f, "sft", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales fell.");

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "eval", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "id"), ==, "s1");
  g_assert_cmpstr (get_string (records->pdata[0], "target"), ==, "Sales fell.");
}

/* ---- preference pairs ---- */

static void
test_preference_ranking (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *user = NULL;

  /* b and c tie: no pair between them. */
  rank (f, "s1", f->ann, "a=1,b=2,c=2");

  records = export_records (f, "preference", NULL);
  g_assert_cmpuint (records->len, ==, 2);
  user = json_quote (s1_user);
  expected = g_strdup_printf (
    "{\"prompt\": %s, \"chosen\": \"Sales rose 4%%.\", \"rejected\": \"Sales fell.\","
    " \"metadata\": {\"source\": \"s1\", \"annotator\": \"ann\", \"annotator_kind\": \"person\","
    "  \"origin\": [\"ranking\"], \"chosen_candidate\": \"a\", \"chosen_model\": \"m1\","
    "  \"rejected_candidate\": \"b\", \"rejected_model\": \"m2\", \"rationale\": null,"
    "  \"created\": \"2026-11-01T10:00:00.000Z\", \"updated\": \"2026-11-01T10:00:00.000Z\","
    "  \"template\": \"Call review\", \"template_version\": \"7\"}}",
    user);
  assert_json (records->pdata[0], expected);
  g_assert_cmpstr (get_string (records->pdata[1], "chosen"), ==, "Sales rose 4%.");
  g_assert_cmpstr (get_string (records->pdata[1], "rejected"), ==, "A café did well.");
}

static void
test_preference_comparison (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;

  compare (f, "s2", f->ann, "b", "a", ASSAY_WINNER_A, "B is exact.");
  compare (f, "s2", f->ann, "a", "c", ASSAY_WINNER_B, NULL);
  compare (f, "s2", f->ann, "b", "c", ASSAY_WINNER_TIE, NULL);

  records = export_records (f, "preference", NULL);
  g_assert_cmpuint (records->len, ==, 2);
  /* Sorted by the chosen candidate's position: b (1), then c (2). */
  g_assert_cmpstr (get_string (records->pdata[0], "chosen"), ==, "S2 b.");
  g_assert_cmpstr (get_string (records->pdata[0], "rejected"), ==, "S2 a.");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.rationale"), ==, "B is exact.");
  assert_json (json_object_get (json_object_get (records->pdata[0], "metadata"), "origin"),
               "[\"comparison\"]");
  g_assert_cmpstr (get_string (records->pdata[1], "chosen"), ==, "S2 c.");
  g_assert_cmpstr (get_string (records->pdata[1], "rejected"), ==, "S2 a.");
}

static void
test_preference_correction (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;

  correct (f, "s3", "b", f->bob, "S3 b, fixed.", "2026-11-05T10:00:00.000Z");
  /* A correction that changes nothing gives no pair. */
  correct (f, "s3", "a", f->bob, "S3 a.", "2026-11-05T10:00:00.000Z");

  records = export_records (f, "preference", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "chosen"), ==, "S3 b, fixed.");
  g_assert_cmpstr (get_string (records->pdata[0], "rejected"), ==, "S3 b.");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.chosen_candidate"), ==, "b");
  g_assert_true (json_is_null (json_object_get (json_object_get (records->pdata[0], "metadata"),
                                                "chosen_model")));
  assert_json (json_object_get (json_object_get (records->pdata[0], "metadata"), "origin"),
               "[\"correction\"]");
}

static void
test_preference_dedup (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;

  /* Ann's ranking and comparison agree: one pair, both origins. Bob's
   * identical pair is his own vote and stays. */
  rank (f, "s3", f->ann, "a=1,b=2");
  compare (f, "s3", f->ann, "a", "b", ASSAY_WINNER_A, "Clearer.");
  rank (f, "s3", f->bob, "a=1,b=2");

  records = export_records (f, "preference", NULL);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.annotator"), ==, "ann");
  assert_json (json_object_get (json_object_get (records->pdata[0], "metadata"), "origin"),
               "[\"ranking\", \"comparison\"]");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.rationale"), ==, "Clearer.");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.created"), ==,
                   "2026-11-01T10:00:00.000Z");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.updated"), ==,
                   "2026-11-02T10:00:00.000Z");
  g_assert_cmpstr (get_string (records->pdata[1], "metadata.annotator"), ==, "bob");
}

static void
test_preference_forms (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) conversational = options_with ("conversational", "true");
  g_autoptr(AssayExportOptions) provenance = options_with ("provenance", "true");

  rank (f, "s2", f->ann, "a=1,b=2");

  records = export_records (f, "preference", conversational);
  g_assert_cmpuint (records->len, ==, 1);
  json_object_del (records->pdata[0], "metadata");
  assert_json (records->pdata[0],
               "{\"prompt\": [{\"role\": \"system\", \"content\": \"You summarise calls.\"},"
               "  {\"role\": \"user\", \"content\": \"Summarise Second (s2):\\n\\nSecond source.\\n"
               "{{unknown}}\"}],"
               " \"chosen\": [{\"role\": \"assistant\", \"content\": \"S2 a.\"}],"
               " \"rejected\": [{\"role\": \"assistant\", \"content\": \"S2 b.\"}]}");

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "dpo-openai", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  assert_json (records->pdata[0],
               "{\"input\": {\"messages\": [{\"role\": \"system\", \"content\": \"You summarise"
               " calls.\"}, {\"role\": \"user\", \"content\": \"Summarise Second (s2):\\n\\n"
               "Second source.\\n{{unknown}}\"}]},"
               " \"preferred_output\": [{\"role\": \"assistant\", \"content\": \"S2 a.\"}],"
               " \"non_preferred_output\": [{\"role\": \"assistant\", \"content\": \"S2 b.\"}]}");

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "dpo-openai", provenance);
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.source"), ==, "s2");
}

/* ---- eval ---- */

static void
test_eval (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) provenance = options_with ("provenance", "true");
  json_t *metadata;

  rank (f, "s1", f->ann, "a=2,b=1,c=3");
  score (f, "s1", "b", f->ann, "faithfulness", 4, "One date is wrong.");
  score (f, "s1", "b", f->ann, "concision", 5, NULL);
  score (f, "s1", "a", f->bob, "faithfulness", 2, NULL);
  label (f, "s1", "b", f->bob, "verdict", "accept");

  records = export_records (f, "eval", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "id"), ==, "s1");
  g_assert_cmpstr (get_string (records->pdata[0], "target"), ==, "Sales fell.");
  assert_json (json_object_get (records->pdata[0], "input"),
               "[{\"role\": \"system\", \"content\": \"You summarise calls.\"},"
               " {\"role\": \"user\", \"content\": \"Summarise First call (s1):\\n\\nCafé"
               " \\\"owner\\\" said:\\nsales rose 4% 🎉.\\n{{unknown}}\"}]");
  metadata = json_object_get (records->pdata[0], "metadata");
  g_assert_cmpstr (get_string (metadata, "gold"), ==, "rank");
  assert_json (json_object_get (metadata, "source_metadata"), "{\"queue\": \"billing\"}");
  assert_json (json_object_get (metadata, "rubric"),
               "[{\"name\": \"faithfulness\", \"title\": \"Faithfulness\","
               "  \"description\": \"Backed by the call.\", \"min\": 1, \"max\": 5, \"weight\": 3,"
               "  \"required\": true, \"anchors\": {\"1\": \"Invented.\", \"5\": \"All supported.\"}},"
               " {\"name\": \"concision\", \"title\": null, \"description\": null, \"min\": 1,"
               "  \"max\": 5, \"weight\": 1, \"required\": false, \"anchors\": {}}]");
  assert_json (json_object_get (metadata, "candidates"),
               "[{\"id\": \"a\", \"model\": \"m1\", \"text\": \"Sales rose 4%.\","
               "  \"scores\": [{\"annotator\": \"bob\", \"criterion\": \"faithfulness\", \"score\": 2,"
               "               \"rationale\": null}],"
               "  \"labels\": [], \"ranks\": [{\"annotator\": \"ann\", \"rank\": 2}]},"
               " {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Sales fell.\","
               "  \"scores\": [{\"annotator\": \"ann\", \"criterion\": \"faithfulness\", \"score\": 4,"
               "               \"rationale\": \"One date is wrong.\"},"
               "              {\"annotator\": \"ann\", \"criterion\": \"concision\", \"score\": 5,"
               "               \"rationale\": null}],"
               "  \"labels\": [{\"annotator\": \"bob\", \"label_set\": \"verdict\", \"label\": \"accept\"}],"
               "  \"ranks\": [{\"annotator\": \"ann\", \"rank\": 1}]},"
               " {\"id\": \"c\", \"model\": \"m3\", \"text\": \"A café did well.\","
               "  \"scores\": [], \"labels\": [], \"ranks\": [{\"annotator\": \"ann\", \"rank\": 3}]}]");

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "openai-evals", NULL);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpuint (json_object_size (records->pdata[0]), ==, 2);
  g_assert_cmpstr (get_string (records->pdata[0], "ideal"), ==, "Sales fell.");
  g_assert_cmpuint (json_array_size (json_object_get (records->pdata[0], "input")), ==, 2);

  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "openai-evals", provenance);
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.candidate"), ==, "b");
}

/* ---- scores ---- */

static void
test_scores (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(AssayExportOptions) everyone = assay_export_options_new ();
  g_autoptr(AssayExportOptions) models = assay_export_options_new ();
  g_autoptr(AssayExportOptions) named = assay_export_options_new ();
  g_autofree char *csv = NULL;
  g_autofree char *people_csv = NULL;

  score (f, "s1", "b", f->ann, "concision", 5, NULL);
  score (f, "s1", "b", f->ann, "faithfulness", 4, "Says \"fell\", the call says \"rose\",\nwrong.");
  score (f, "s1", "a", f->lead, "faithfulness", 5, NULL);
  score (f, "s2", "c", f->judge, "concision", 2, "Long.");

  /* A proposal never counts as the expert's work: by default the LLM
   * judge's score is left out; chosen by kind or by name, it is in. */
  records = export_records (f, "scores", NULL);
  g_assert_cmpuint (records->len, ==, 3);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpstr (get_string (records->pdata[i], "annotator_kind"), !=, "model");
  g_clear_pointer (&records, g_ptr_array_unref);
  assay_export_options_set_kinds (models, ASSAY_STATS_MODELS);
  records = export_records (f, "scores", models);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "annotator"), ==, "judge");
  g_clear_pointer (&records, g_ptr_array_unref);
  assay_export_options_add_annotator (named, "judge");
  records = export_records (f, "scores", named);
  g_assert_cmpuint (records->len, ==, 1);
  g_clear_pointer (&records, g_ptr_array_unref);
  people_csv = export_text (f, "scores-csv", NULL);
  g_assert_null (strstr (people_csv, "judge"));

  assay_export_options_set_kinds (everyone, ASSAY_STATS_ALL_KINDS);
  records = export_records (f, "scores", everyone);
  g_assert_cmpuint (records->len, ==, 4);
  assert_json (records->pdata[0],
               "{\"source\": \"s1\", \"candidate\": \"a\", \"model\": \"m1\", \"annotator\": \"lead\","
               " \"annotator_kind\": \"adjudicator\", \"criterion\": \"faithfulness\", \"score\": 5,"
               " \"scale_min\": 1, \"scale_max\": 5, \"weight\": 3, \"rationale\": null,"
               " \"updated\": \"2026-11-04T10:00:00.000Z\","
               " \"metadata\": {\"created\": \"2026-11-04T10:00:00.000Z\", \"time_spent\": 12.5,"
               "  \"template\": \"Call review\", \"template_version\": \"7\"}}");
  /* By criterion position within a candidate and annotator. */
  g_assert_cmpstr (get_string (records->pdata[1], "criterion"), ==, "faithfulness");
  g_assert_cmpstr (get_string (records->pdata[2], "criterion"), ==, "concision");
  g_assert_cmpstr (get_string (records->pdata[3], "annotator_kind"), ==, "model");

  csv = export_text (f, "scores-csv", everyone);
  g_assert_cmpstr (csv, ==,
                   "source,candidate,model,annotator,annotator_kind,criterion,score,scale_min,"
                   "scale_max,weight,rationale,updated\r\n"
                   "s1,a,m1,lead,adjudicator,faithfulness,5,1,5,3,,2026-11-04T10:00:00.000Z\r\n"
                   "s1,b,m2,ann,person,faithfulness,4,1,5,3,\"Says \"\"fell\"\", the call says "
                   "\"\"rose\"\",\nwrong.\",2026-11-04T10:00:00.000Z\r\n"
                   "s1,b,m2,ann,person,concision,5,1,5,1,,2026-11-04T10:00:00.000Z\r\n"
                   "s2,c,m3,judge,model,concision,2,1,5,1,Long.,2026-11-04T10:00:00.000Z\r\n");
}

/* ---- filters ---- */

static guint
count_records (Fixture            *f,
               const char         *format,
               AssayExportOptions *options)
{
  g_autoptr(GPtrArray) records = export_records (f, format, options);

  return records->len;
}

static void
test_filter_status (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;

  rank (f, "s1", f->ann, "a=1,b=2");
  rank (f, "s2", f->ann, "a=1,b=2");
  rank (f, "s3", f->ann, "a=1,b=2");
  set_status (f, "s1", f->ann, ASSAY_STATUS_DONE);
  set_status (f, "s2", f->bob, ASSAY_STATUS_DONE);
  set_status (f, "s2", f->ann, ASSAY_STATUS_FLAGGED);
  set_status (f, "s3", f->ann, ASSAY_STATUS_IN_PROGRESS);

  g_assert_true (assay_export_options_add_status (options, "done", &error));
  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales rose 4%.");
  g_assert_cmpstr (gold_of (records->pdata[1]), ==, "S2 a.");

  g_assert_true (assay_export_options_add_status (options, "in_progress", &error));
  g_assert_cmpuint (count_records (f, "sft", options), ==, 3);

  g_assert_false (assay_export_options_add_status (options, "finished", &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
}

static void
test_filter_annotator (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(AssayExportOptions) unknown = assay_export_options_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);

  correct (f, "s1", "a", f->bob, "Bob's fix.", "2026-11-05T10:00:00.000Z");
  rank (f, "s1", f->ann, "a=2,b=1");
  rank (f, "s2", f->bob, "a=2,b=1");

  /* Only Ann's judgments: her ranking decides s1, Bob's correction is not seen. */
  assay_export_options_add_annotator (options, "ann");
  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales fell.");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "preference", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.annotator"), ==, "ann");

  assay_export_options_add_annotator (unknown, "nobody");
  g_assert_false (assay_export_to_path (f->project, "sft", unknown, out, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

static void
test_filter_adjudicated (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(GPtrArray) records = NULL;

  rank (f, "s1", f->ann, "a=1,b=2");
  rank (f, "s2", f->lead, "a=2,b=1");
  score (f, "s2", "a", f->ann, "concision", 3, NULL);
  score (f, "s2", "b", f->lead, "concision", 4, NULL);

  assay_export_options_set_adjudicated_only (options, TRUE);
  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "S2 b.");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "scores", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "annotator"), ==, "lead");
}

static void
test_filter_model (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(AssayExportOptions) unknown = assay_export_options_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);

  rank (f, "s1", f->ann, "a=1,b=2,c=3");
  score (f, "s1", "a", f->ann, "concision", 3, NULL);
  score (f, "s1", "b", f->ann, "concision", 4, NULL);
  score (f, "s1", "c", f->ann, "concision", 5, NULL);

  /* m2 and m3 only: a is out, so b is the best ranked and the one pair is b over c. */
  assay_export_options_add_model (options, "m2");
  assay_export_options_add_model (options, "m3");
  records = export_records (f, "sft", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (gold_of (records->pdata[0]), ==, "Sales fell.");
  g_clear_pointer (&records, g_ptr_array_unref);
  records = export_records (f, "preference", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.chosen_model"), ==, "m2");
  g_assert_cmpstr (get_string (records->pdata[0], "metadata.rejected_model"), ==, "m3");
  g_assert_cmpuint (count_records (f, "scores", options), ==, 2);

  assay_export_options_add_model (unknown, "gpt-0");
  g_assert_false (assay_export_to_path (f->project, "scores", unknown, out, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
}

static void
test_filter_label (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(AssayExportOptions) two_sets = assay_export_options_new ();
  g_autoptr(AssayExportOptions) bad = assay_export_options_new ();
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);

  score (f, "s1", "a", f->ann, "concision", 3, NULL);
  score (f, "s1", "b", f->ann, "concision", 4, NULL);
  score (f, "s2", "a", f->ann, "concision", 5, NULL);
  label (f, "s1", "b", f->ann, "verdict", "accept");
  label (f, "s2", "a", f->bob, "verdict", "reject");
  label (f, "s2", "a", f->bob, "issues", "padding");

  g_assert_true (assay_export_options_add_label (options, "verdict=accept", &error));
  records = export_records (f, "scores", options);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (get_string (records->pdata[0], "candidate"), ==, "b");

  /* Within a set any of the labels, across sets all of them. */
  g_assert_true (assay_export_options_add_label (options, "verdict=reject", &error));
  g_assert_cmpuint (count_records (f, "scores", options), ==, 2);
  g_assert_true (assay_export_options_add_label (two_sets, "verdict=reject", &error));
  g_assert_true (assay_export_options_add_label (two_sets, "issues=omission", &error));
  g_assert_cmpuint (count_records (f, "scores", two_sets), ==, 0);

  g_assert_false (assay_export_options_add_label (bad, "verdict", &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (assay_export_options_add_label (bad, "verdict=maybe", &error));
  g_assert_false (assay_export_to_path (f->project, "scores", bad, out, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
}

/* ---- splits ---- */

static char *
many_sources (guint first,
              guint n)
{
  GString *jsonl = g_string_new (NULL);

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"doc-%04u\", \"text\": \"Source number %u.\","
                            " \"candidates\": [{\"id\": \"a\", \"model\": \"m1\","
                            " \"text\": \"Summary %u.\"}],"
                            " \"judgments\": [{\"type\": \"labels\", \"candidate\": \"a\","
                            " \"annotator\": \"ann\", \"labels\": {\"verdict\": \"accept\"}}]}\n",
                            i, i, i);
  return g_string_free (jsonl, FALSE);
}

/* source id -> split name, from the files of a split export. */
static GHashTable *
read_split (Fixture            *f,
            AssayExportOptions *options,
            GHashTable         *counts)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_build_filename (f->dir, "ds.jsonl", NULL);
  g_autoptr(GPtrArray) files = NULL;
  GHashTable *assignment = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char * const *splits = assay_export_options_get_splits (options);

  files = assay_export_to_files (f->project, "sft", options, out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, g_strv_length ((char **) splits));
  for (guint i = 0; i < files->len; i++)
    {
      AssayExportFile *file = g_ptr_array_index (files, i);
      g_autofree char *expected_path = assay_export_split_path (out, splits[i]);
      g_autofree char *text = NULL;
      g_autoptr(GPtrArray) records = NULL;

      g_assert_cmpstr (file->split, ==, splits[i]);
      g_assert_cmpstr (file->path, ==, expected_path);
      g_assert_true (g_file_get_contents (file->path, &text, NULL, NULL));
      records = parse_lines (text);
      g_assert_cmpint (file->n_records, ==, records->len);
      for (guint k = 0; k < records->len; k++)
        {
          const char *source = get_string (records->pdata[k], "metadata.source");

          g_assert_cmpstr (get_string (records->pdata[k], "metadata.split"), ==, splits[i]);
          /* Whole sources: none in two files. */
          g_assert_false (g_hash_table_contains (assignment, source));
          g_hash_table_insert (assignment, g_strdup (source), g_strdup (splits[i]));
        }
      if (counts != NULL)
        g_hash_table_insert (counts, g_strdup (splits[i]), GUINT_TO_POINTER (records->len));
    }
  return assignment;
}

static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(AssayExportOptions) options = options_with ("provenance", "true");
  g_autoptr(GHashTable) first = NULL;
  g_autoptr(GHashTable) again = NULL;
  g_autoptr(GHashTable) grown = NULL;
  g_autoptr(GHashTable) reseeded = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = many_sources (0, 1000);
  g_autofree char *more = many_sources (1000, 200);
  g_autofree char *train_path = g_build_filename (f->dir, "ds.train.jsonl", NULL);
  g_autofree char *train_bytes = NULL;
  g_autofree char *train_again = NULL;
  GHashTableIter iter;
  gpointer key, value;
  guint moved = 0;
  guint n_train;

  store_template (f, "{\"name\": \"Split\", \"judgments\": [\"labels\"],"
                  " \"accept\": {\"rule\": \"label\", \"label_set\": \"verdict\", \"label\": \"accept\"},"
                  " \"label_sets\": [{\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}]}]}");
  import_jsonl (f->project, jsonl);
  g_assert_true (assay_export_options_set_split (options, "train=0.8,test=0.2", &error));
  g_assert_no_error (error);
  assay_export_options_set_seed (options, 7);

  first = read_split (f, options, counts);
  /* The union is every source with a gold summary (the fixture's s1..s3 have none). */
  g_assert_cmpuint (g_hash_table_size (first), ==, 1000);
  n_train = GPOINTER_TO_UINT (g_hash_table_lookup (counts, "train"));
  g_assert_cmpuint (n_train, >, 750);
  g_assert_cmpuint (n_train, <, 850);
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==,
                     assay_export_options_get_splits (options)[assay_export_options_split_for (
                       options, key)]);

  /* The same bytes again. */
  g_assert_true (g_file_get_contents (train_path, &train_bytes, NULL, NULL));
  again = read_split (f, options, NULL);
  g_assert_true (g_file_get_contents (train_path, &train_again, NULL, NULL));
  g_assert_cmpstr (train_bytes, ==, train_again);

  /* New sources do not move the others. */
  import_jsonl (f->project, more);
  grown = read_split (f, options, NULL);
  g_assert_cmpuint (g_hash_table_size (grown), ==, 1200);
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (g_hash_table_lookup (grown, key), ==, value);

  /* Another seed is another split. */
  assay_export_options_set_seed (options, 8);
  reseeded = read_split (f, options, NULL);
  g_hash_table_iter_init (&iter, first);
  while (g_hash_table_iter_next (&iter, &key, &value))
    moved += !g_str_equal (g_hash_table_lookup (reseeded, key), value);
  g_assert_cmpuint (moved, >, 100);
}

static void
test_split_options (void)
{
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(GError) error = NULL;
  static const char * const bad[] = {
    "train=0.8,test=0.3", "train", "train=,test=1", "train=0.5,train=0.5", "tr ain=1",
    "train=x", "train=-0.2,test=1.2", "", "a.b=1",
  };
  g_autofree char *p1 = assay_export_split_path ("/tmp/out.jsonl", "train");
  g_autofree char *p2 = assay_export_split_path ("data.v2.jsonl", "test");
  g_autofree char *p3 = assay_export_split_path ("/tmp/x.d/out", "dev");
  g_autofree char *p4 = assay_export_split_path (".hidden", "dev");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (assay_export_options_set_split (options, bad[i], &error));
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }
  g_assert_null (assay_export_options_get_splits (options)[0]);
  g_assert_cmpint (assay_export_options_split_for (options, "x"), ==, -1);

  g_assert_true (assay_export_options_set_split (options, "train=0.7, dev=0.1 ,test=0.2",
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpstr (assay_export_options_get_splits (options)[1], ==, "dev");
  g_assert_cmpstr (p1, ==, "/tmp/out.train.jsonl");
  g_assert_cmpstr (p2, ==, "data.v2.test.jsonl");
  g_assert_cmpstr (p3, ==, "/tmp/x.d/out.dev");
  g_assert_cmpstr (p4, ==, ".hidden.dev");
}

static void
test_format_options (Fixture       *f,
                     gconstpointer  data)
{
  static const struct
  {
    const char *format;
    const char *key;
    const char *value;
  } bad[] = {
    { "preference", "style", "prompt-completion" },
    { "sft", "style", "alpaca" },
    { "sft", "conversational", "true" },
    { "eval", "conversational", "true" },
    { "dpo-openai", "conversational", "true" },
  };
  g_autofree char *out = g_build_filename (f->dir, "out.jsonl", NULL);
  g_autoptr(AssayExportOptions) filtered = assay_export_options_new ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(AssayExportOptions) options = options_with (bad[i].key, bad[i].value);

      g_assert_false (assay_export_to_path (f->project, bad[i].format, options, out, NULL,
                                            &error));
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
      g_clear_error (&error);
    }

  /* The native format is the whole project. */
  assay_export_options_add_model (filtered, "m1");
  g_assert_false (assay_export_to_path (f->project, "native", filtered, out, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
}

/* ---- determinism and safety ---- */

static void
build_rich_project (Fixture *f)
{
  rank (f, "s1", f->ann, "a=1,b=2,c=2");
  rank (f, "s1", f->bob, "a=3,b=1,c=2");
  rank (f, "s2", f->lead, "b=1,a=2");
  compare (f, "s2", f->ann, "a", "c", ASSAY_WINNER_A, "Shorter, \"right\".");
  compare (f, "s3", f->bob, "a", "b", ASSAY_WINNER_TIE, NULL);
  correct (f, "s3", "b", f->bob, "S3 b,\nfixed — properly.", "2026-11-05T10:00:00.000Z");
  score (f, "s1", "a", f->ann, "faithfulness", 4, "Fine, mostly.");
  score (f, "s1", "a", f->ann, "concision", 3, NULL);
  score (f, "s2", "b", f->judge, "faithfulness", 2, "Invents a date;\r\nsee line 2.");
  label (f, "s1", "a", f->ann, "verdict", "accept");
  label (f, "s2", "b", f->bob, "issues", "padding");
  set_status (f, "s1", f->ann, ASSAY_STATUS_DONE);
}

static void
test_deterministic (Fixture       *f,
                    gconstpointer  data)
{
  const AssayExportFormat * const *formats = assay_export_get_formats ();

  build_rich_project (f);
  for (guint i = 0; formats[i] != NULL; i++)
    {
      g_autofree char *one = export_text (f, formats[i]->name, NULL);
      g_autofree char *two = export_text (f, formats[i]->name, NULL);

      g_assert_cmpstr (one, ==, two);
      if (i > 0)
        g_assert_cmpuint (strlen (one), >, 0);
    }
}

static guint
count_files (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (d) != NULL)
    n++;
  return n;
}

static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *out = g_build_filename (outdir, "data.jsonl", NULL);
  g_autofree char *missing = g_build_filename (f->dir, "no-such-dir", "data.jsonl", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(AssayExportOptions) split = assay_export_options_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;

  build_rich_project (f);
  g_assert_cmpint (g_mkdir (outdir, 0700), ==, 0);
  g_cancellable_cancel (cancellable);

  /* Cancelled: no file, and no temporary file left beside it. */
  for (guint i = 0; formats[i] != NULL; i++)
    {
      g_assert_false (assay_export_to_path (f->project, formats[i]->name, NULL, out, cancellable,
                                            &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_error (&error);
      g_assert_cmpuint (count_files (outdir), ==, 0);
    }

  /* Nor with a split. */
  g_assert_true (assay_export_options_set_split (split, "train=0.5,test=0.5", NULL));
  g_assert_null (assay_export_to_files (f->project, "sft", split, out, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (count_files (outdir), ==, 0);

  /* A file already there stays as it was. */
  g_assert_true (g_file_set_contents (out, "old\n", -1, NULL));
  g_assert_false (assay_export_to_path (f->project, "sft", NULL, out, cancellable, &error));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (out, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "old\n");
  g_assert_cmpuint (count_files (outdir), ==, 1);

  /* A directory that is not there: an error that names the file. */
  g_assert_false (assay_export_to_path (f->project, "sft", NULL, missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "data.jsonl"));
  g_clear_error (&error);

  /* Nor over the project itself. */
  g_assert_false (assay_export_to_path (f->project, "scores", NULL, f->path, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (count_records (f, "preference", NULL), >, 0);

  /* A split cannot go to standard output or a stream. */
  g_assert_null (assay_export_to_files (f->project, "sft", split, "-", NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
}

/* ---- an export stopped part-way ---- */

/* About 10 KB of native export per source: sources of 5 KB, with two
 * candidates and ann's correction (the gold of the dataset formats) each. */
static void
build_big_project (Fixture *f,
                   guint    n_sources)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) jsonl = g_string_new (NULL);

  while (text->len < 5000)
    g_string_append (text, "The caller asked about the March invoice and a refund. ");
  for (guint i = 0; i < n_sources; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"big-%u\", \"text\": \"%s\", \"candidates\": ["
                            "{\"id\": \"a\", \"model\": \"m1\", \"text\": \"%.2000s\"},"
                            " {\"id\": \"b\", \"model\": \"m2\", \"text\": \"%.1500s\"}],"
                            " \"judgments\": [{\"type\": \"correction\", \"candidate\": \"a\","
                            " \"annotator\": \"ann\", \"text\": \"%.1800s\"}]}\n",
                            i, text->str, text->str, text->str, text->str);
  import_jsonl (f->project, jsonl->str);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

typedef struct
{
  const char   *dir;
  const char   *keep;         /* the file already there */
  GCancellable *cancellable;
  char         *seen;         /* the file that was being written */
} Watch;

/* Cancels the export as soon as a file of it has something in it. */
static gpointer
watch_and_cancel (gpointer data)
{
  Watch *w = data;
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (w->seen == NULL && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GDir) d = g_dir_open (w->dir, 0, NULL);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *path = g_build_filename (w->dir, name, NULL);
          GStatBuf st;

          if (!g_str_equal (name, w->keep) && g_stat (path, &st) == 0 && st.st_size > 0)
            {
              w->seen = g_strdup (name);
              break;
            }
        }
      if (w->seen == NULL)
        g_usleep (200);
    }
  g_cancellable_cancel (w->cancellable);
  return NULL;
}

static void
test_cancel_midway (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *out = g_build_filename (outdir, "data.jsonl", NULL);
  g_autoptr(AssayExportOptions) split = assay_export_options_new ();
  AssayExportOptions *cases[] = { NULL, split };
  const char *formats[] = { "native", "sft" };

  /* 30 MB: the export is far from done when the first megabyte is out. */
  build_big_project (f, 3000);
  g_assert_cmpint (g_mkdir (outdir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (out, "old\n", -1, NULL));
  g_assert_true (assay_export_options_set_split (split, "train=0.5,test=0.5", NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) files = NULL;
      g_autofree char *kept = NULL;
      g_autofree char *listing = NULL;
      Watch watch = { outdir, "data.jsonl", cancellable, NULL };
      GThread *thread = g_thread_new ("watch", watch_and_cancel, &watch);

      files = assay_export_to_files (f->project, formats[i], cases[i], out, cancellable, &error);
      g_thread_join (thread);
      g_test_message ("%s: cancelled while writing %s", formats[i], watch.seen);

      /* It was stopped part-way, in a hidden file that says what it is. */
      g_assert_nonnull (watch.seen);
      g_assert_true (g_str_has_prefix (watch.seen, ".data."));
      g_assert_true (g_str_has_suffix (watch.seen, ".tmp"));
      g_assert_null (files);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

      /* Nothing left of it, and the file that was there is untouched. */
      listing = list_dir (outdir);
      g_assert_cmpstr (listing, ==, "data.jsonl");
      g_assert_true (g_file_get_contents (out, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, "old\n");
      g_free (watch.seen);
    }
}

/* A write that fails (a full disk: here, files may not grow past 1 MB)
 * removes every file the export had begun, and leaves the target alone. */
static void
test_disk_full (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *outdir = g_build_filename (f->dir, "out", NULL);
  g_autofree char *out = g_build_filename (outdir, "data.jsonl", NULL);
  g_autoptr(AssayExportOptions) split = assay_export_options_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *listing = NULL;
  struct rlimit limit = { 1 << 20, 1 << 20 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  build_big_project (f, 500);
  g_assert_cmpint (g_mkdir (outdir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (out, "old\n", -1, NULL));
  g_assert_true (assay_export_options_set_split (split, "train=0.5,test=0.5", NULL));

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (assay_export_to_path (f->project, "native", NULL, out, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "data.jsonl"));
  g_clear_error (&error);
  g_assert_null (assay_export_to_files (f->project, "sft", split, out, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);

  listing = list_dir (outdir);
  g_assert_cmpstr (listing, ==, "data.jsonl");
  g_assert_true (g_file_get_contents (out, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "old\n");
}

/* ---- the files pass their schemas and pandas reads them ---- */

static void
test_check_exports (Fixture       *f,
                    gconstpointer  data)
{
  static const struct
  {
    const char *format;
    const char *file;
    const char *key;
    const char *value;
  } exports[] = {
    { "sft", "sft.jsonl", NULL, NULL },
    { "sft", "sft--provenance.jsonl", "provenance", "true" },
    { "sft", "sft--pc.jsonl", "style", "prompt-completion" },
    { "sft", "sft--pc-conversational.jsonl", "conversational", "true" },
    { "preference", "preference.jsonl", NULL, NULL },
    { "preference", "preference--conversational.jsonl", "conversational", "true" },
    { "dpo-openai", "dpo-openai.jsonl", NULL, NULL },
    { "dpo-openai", "dpo-openai--provenance.jsonl", "provenance", "true" },
    { "eval", "eval.jsonl", NULL, NULL },
    { "openai-evals", "openai-evals.jsonl", NULL, NULL },
    { "openai-evals", "openai-evals--provenance.jsonl", "provenance", "true" },
    { "scores", "scores.jsonl", NULL, NULL },
    { "scores-csv", "scores-csv.csv", NULL, NULL },
  };
  const char *srcdir = g_getenv ("ASSAY_SRCDIR");
  g_autofree char *outdir = g_build_filename (f->dir, "exports", NULL);
  g_autofree char *script = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (srcdir == NULL || !g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs ASSAY_SRCDIR and /usr/bin/python3");
      return;
    }
  script = g_build_filename (srcdir, "tests", "check-exports.py", NULL);

  build_rich_project (f);
  g_assert_cmpint (g_mkdir (outdir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (exports); i++)
    {
      g_autoptr(AssayExportOptions) options = options_with (exports[i].key, exports[i].value);
      g_autofree char *out = g_build_filename (outdir, exports[i].file, NULL);

      if (g_str_has_prefix (exports[i].file, "sft--pc-"))
        assay_export_options_set (options, "style", "prompt-completion");
      assay_export_to_path (f->project, exports[i].format, options, out, NULL, &error);
      g_assert_no_error (error);
    }
  {
    g_autoptr(AssayExportOptions) options = assay_export_options_new ();
    g_autofree char *out = g_build_filename (outdir, "preference--split.jsonl", NULL);

    g_assert_true (assay_export_options_set_split (options, "train=0.5,test=0.5", NULL));
    assay_export_to_path (f->project, "preference", options, out, NULL, &error);
    g_assert_no_error (error);
  }

  {
    const char *argv[] = { "/usr/bin/python3", script, "--srcdir", srcdir, "--dir", outdir, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out_text, &err_text,
                  &status, &error);
    g_assert_no_error (error);
  }
  if (WIFEXITED (status) && WEXITSTATUS (status) == 77)
    {
      g_test_skip (err_text);
      return;
    }
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("check-exports.py failed:\n%s%s", out_text, err_text);
  g_test_message ("%s", out_text);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func, rule) \
  g_test_add ("/assay/export/" path, Fixture, rule, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/assay/export/formats", test_formats);
  g_test_add_func ("/assay/export/split-options", test_split_options);
  ADD ("unknown-format", test_unknown_format, rule_rank);
  ADD ("format-options", test_format_options, rule_rank);
  ADD ("sft/messages", test_sft_messages, rule_rank);
  ADD ("sft/prompt-completion", test_sft_prompt_completion, rule_rank);
  ADD ("sft/default-prompt", test_sft_default_prompt, rule_rank);
  ADD ("gold/rank", test_gold_rank, rule_rank);
  ADD ("gold/label", test_gold_label, rule_label);
  ADD ("gold/score", test_gold_score, rule_score);
  ADD ("gold/correction", test_gold_correction, rule_rank);
  ADD ("gold/no-candidates/rank", test_gold_no_candidates, rule_rank);
  ADD ("gold/no-candidates/label", test_gold_no_candidates, rule_label);
  ADD ("gold/no-candidates/score", test_gold_no_candidates, rule_score);
  ADD ("preference/ranking", test_preference_ranking, rule_rank);
  ADD ("preference/comparison", test_preference_comparison, rule_rank);
  ADD ("preference/correction", test_preference_correction, rule_rank);
  ADD ("preference/dedup", test_preference_dedup, rule_rank);
  ADD ("preference/forms", test_preference_forms, rule_rank);
  ADD ("eval", test_eval, rule_rank);
  ADD ("scores", test_scores, rule_rank);
  ADD ("filter/status", test_filter_status, rule_rank);
  ADD ("filter/annotator", test_filter_annotator, rule_rank);
  ADD ("filter/adjudicated-only", test_filter_adjudicated, rule_rank);
  ADD ("filter/model", test_filter_model, rule_rank);
  ADD ("filter/label", test_filter_label, rule_score);
  ADD ("split", test_split, rule_label);
  ADD ("deterministic", test_deterministic, rule_rank);
  ADD ("atomic", test_atomic, rule_rank);
  ADD ("cancel-midway", test_cancel_midway, rule_rank);
  ADD ("disk-full", test_disk_full, rule_rank);
  ADD ("check-exports", test_check_exports, rule_rank);

#undef ADD

  return g_test_run ();
}
