/* test-template.c: reading, storing and sharing task templates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-core.h"

typedef struct
{
  char         *dir;
  AssayProject *project;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("assay-template-XXXXXX", NULL);
  path = g_build_filename (f->dir, "t.assay", NULL);
  f->project = assay_project_create (path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->project);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

/* Writes `json` to a file in the fixture's folder and loads it. */
static AssayTemplate *
load_text (Fixture     *f,
           const char  *json,
           GError     **error)
{
  g_autofree char *path = g_build_filename (f->dir, "template.json", NULL);

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return assay_template_load_file (path, error);
}

#define BASE_TEMPLATE \
  "{\"name\": \"Call review\", \"version\": \"2\",\n" \
  " \"judgments\": [\"labels\", \"spans\", \"scores\"],\n" \
  " \"guidelines\": \"Judge against the call only.\",\n" \
  " \"prompt_template\": \"Summarise:\\n\\n{{text}}\",\n" \
  " \"blind\": true,\n" \
  " \"accept\": {\"rule\": \"score\", \"min_score\": 3.5},\n" \
  " \"label_sets\": [\n" \
  "  {\"name\": \"claims\", \"scope\": \"span\", \"options\": [\n" \
  "    {\"name\": \"supported\", \"key\": \"1\", \"color\": \"#2ec27e\"},\n" \
  "    {\"name\": \"unsupported\", \"key\": \"2\", \"color\": \"#e5a50a\"}]},\n" \
  "  {\"name\": \"issues\", \"multi\": true, \"options\": [\n" \
  "    {\"name\": \"padding\", \"key\": \"p\"}, {\"name\": \"omission\", \"key\": \"o\"}]}],\n" \
  " \"criteria\": [\n" \
  "  {\"name\": \"faithfulness\", \"min\": 1, \"max\": 5, \"weight\": 0.4, \"required\": true,\n" \
  "   \"anchors\": {\"1\": \"Mostly wrong.\", \"5\": \"All supported.\"}}]}\n"

static void
test_read (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = load_text (f, BASE_TEMPLATE, &error);
  AssayLabelSet *set;
  AssayCriterion *criterion;
  gboolean ambiguous;

  g_assert_no_error (error);
  g_assert_cmpstr (tmpl->name, ==, "Call review");
  g_assert_cmpstr (tmpl->version, ==, "2");
  g_assert_cmpint (tmpl->kinds, ==, ASSAY_JUDGE_LABELS | ASSAY_JUDGE_SPANS | ASSAY_JUDGE_SCORES);
  g_assert_true (tmpl->blind);
  g_assert_cmpstr (tmpl->prompt_template, ==, "Summarise:\n\n{{text}}");
  g_assert_cmpint (tmpl->accept.rule, ==, ASSAY_ACCEPT_SCORE);
  g_assert_cmpfloat (tmpl->accept.min_score, ==, 3.5);

  set = assay_template_find_label_set (tmpl, "issues");
  g_assert_nonnull (set);
  g_assert_true (set->multi);
  g_assert_cmpint (set->scope, ==, ASSAY_SCOPE_CANDIDATE);
  g_assert_cmpuint (set->options->len, ==, 2);

  g_assert_nonnull (assay_template_find_option (tmpl, NULL, "unsupported", ASSAY_SCOPE_SPAN, NULL,
                                                &ambiguous));
  g_assert_false (ambiguous);
  g_assert_null (assay_template_find_option (tmpl, NULL, "unsupported", ASSAY_SCOPE_CANDIDATE,
                                             NULL, NULL));

  criterion = assay_template_find_criterion (tmpl, "faithfulness");
  g_assert_nonnull (criterion);
  g_assert_cmpfloat (criterion->weight, ==, 0.4);
  g_assert_true (criterion->required);
  g_assert_cmpstr (assay_criterion_get_anchor (criterion, 5), ==, "All supported.");
  g_assert_null (assay_criterion_get_anchor (criterion, 3));
  g_assert_null (assay_criterion_get_anchor (criterion, 9));
}

/* Stored and loaded back, then written as JSON: the same document. */
static void
test_store_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = load_text (f, BASE_TEMPLATE, &error);
  g_autoptr(AssayTemplate) back = NULL;
  g_autoptr(json_t) a = NULL;
  g_autoptr(json_t) b = NULL;

  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  g_assert_no_error (error);
  back = assay_project_load_template (f->project, &error);
  g_assert_no_error (error);

  a = assay_template_to_json (tmpl);
  b = assay_template_to_json (back);
  g_assert_true (json_equal (a, b));
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (json_object_get (b, "criteria"), 0), "max")), ==, 5);
}

/* A template shared as a file (template export, the first line of a native
 * export) and read again keeps its numbers exactly, however many digits
 * they were written with: else moving a project could move the threshold
 * that picks the gold summaries. Found by tests/fuzz/fuzz-template. */
static void
test_numbers_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayTemplate) again = NULL;
  g_autoptr(json_t) json = NULL;
  g_autofree char *text = NULL;
  AssayCriterion *c, *c_again;

  tmpl = load_text (f, "{\"judgments\": [\"scores\"],"
                       " \"accept\": {\"rule\": \"score\", \"min_score\": 3.777777777777777777777},"
                       " \"criteria\": [{\"name\": \"overall\", \"max\": 7,"
                       "                  \"weight\": 0.1234567890123456789}]}", &error);
  g_assert_no_error (error);
  json = assay_template_to_json (tmpl);
  text = assay_json_dumps_compact (json);
  again = load_text (f, text, &error);
  g_assert_no_error (error);

  g_assert_cmpfloat (again->accept.min_score, ==, tmpl->accept.min_score);
  c = g_ptr_array_index (tmpl->criteria, 0);
  c_again = g_ptr_array_index (again->criteria, 0);
  g_assert_cmpfloat (c_again->weight, ==, c->weight);
  /* kept to the 15 significant digits that the file then shows */
  g_assert_cmpfloat (tmpl->accept.min_score, ==, 3.77777777777778);
  g_assert_cmpfloat (c->weight, ==, 0.123456789012346);
  g_assert_nonnull (strstr (text, "3.77777777777778"));
}

static void
test_demo_template (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_getenv ("ASSAY_SRCDIR"), "data", "demo",
                                            "template.json", NULL);
  g_autoptr(AssayTemplate) tmpl = assay_template_load_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tmpl->criteria->len, ==, 4);
  for (guint i = 0; i < tmpl->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, i);

      /* The demo promises an anchor on every point of every scale. */
      for (int v = criterion->min; v <= criterion->max; v++)
        g_assert_nonnull (assay_criterion_get_anchor (criterion, v));
    }
  g_assert_nonnull (assay_template_find_option (tmpl, "claims", "contradicted",
                                                ASSAY_SCOPE_SPAN, NULL, NULL));
}

static const struct
{
  const char *json;
  const char *expected;   /* in the message, after "FILE:" */
} bad_templates[] = {
  { "{\"name\": \"x\",\n \"label_sets\": [{\"name\": \"a\", \"options\": [\n"
    "  {\"name\": \"o\", \"color\": \"green\"}]}]}",
    ":3: label_sets[0].options[0].color: expected a colour" },
  { "{\"label_sets\": [{\"name\": \"a\", \"options\": [{\"name\": \"o\"}, {\"name\": \"o\"}]}]}",
    ":1: label_sets[0].options[1]: the option “o” occurs twice" },
  { "{\"label_sets\": [{\"name\": \"a\", \"options\": [{\"name\": \"o\"}]},\n"
    "  {\"name\": \"a\", \"options\": [{\"name\": \"p\"}]}]}",
    ":2: label_sets[1]: the label set “a” occurs twice" },
  { "{\"label_sets\": [{\"name\": \"a\", \"options\": [{\"name\": \"o\", \"key\": \"1\"}]},\n"
    "  {\"name\": \"b\", \"options\": [{\"name\": \"p\", \"key\": \"1\"}]}]}",
    "the key “1” is given to both “o” and “p”" },
  { "{\"judgments\": [\"labels\", \"vibes\"]}", "judgments[1]: unknown judgment kind “vibes”" },
  { "{\"criteria\": [{\"name\": \"c\", \"min\": 5, \"max\": 1}]}", "criteria[0]: the scale 5–1" },
  { "{\"criteria\": [{\"name\": \"c\", \"min\": 1, \"max\": 30}]}", "at most 11 points" },
  { "{\"criteria\": [{\"name\": \"c\", \"anchors\": {\"7\": \"x\"}}]}",
    "criteria[0].anchors.7: an anchor must be named by a point of the scale (1 to 5)" },
  { "{\"criteria\": [{\"name\": \"c\", \"weight\": -1}]}", "a weight cannot be negative" },
  { "{\"label_sets\": [{\"name\": \"a\", \"scope\": \"paragraph\", \"options\": [{\"name\": \"o\"}]}]}",
    "label_sets[0].scope: expected “candidate” or “span”, found “paragraph”" },
  { "{\"label_sets\": [{\"name\": \"a\", \"options\": []}]}", "needs at least one option" },
  { "{\"name\": \"x\", \"colour\": \"red\"}", ":1: unknown field “colour”" },
  { "{\"name\": 3}", ":1: name: expected a string, found a number" },
  { "{\"name\": \"x\",\n\n \"blind\": yes}", ":3: invalid JSON" },
  { "[1, 2]", ":1: expected an object, found an array" },
  { "{\"label_sets\": [{\"name\": \"\", \"options\": [{\"name\": \"o\"}]}]}",
    "a name must have 1 to 128 characters" },
  { "{\"label_sets\": [{\"name\": \"a\", \"options\": [{\"name\": \"o\", \"key\": \"ab\"}]}]}",
    "a shortcut key must be exactly one character" },
  { "{\"accept\": {\"rule\": \"vote\"}}", "accept.rule: expected “rank”, “label” or “score”" },
  { "{\"accept\": {\"rule\": \"score\"}}", "the “score” rule needs “min_score”" },
  { "{\"accept\": {\"rule\": \"label\", \"label_set\": \"verdict\", \"label\": \"ok\"}}",
    "the template has no candidate label “ok” in “verdict”" },
};

static void
test_bad (Fixture       *f,
          gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_templates); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(AssayTemplate) tmpl = load_text (f, bad_templates[i].json, &error);

      g_assert_null (tmpl);
      g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
      if (strstr (error->message, bad_templates[i].expected) == NULL ||
          strstr (error->message, "template.json:") == NULL)
        g_error ("template %u: expected “%s” in “%s”", i, bad_templates[i].expected,
                 error->message);
    }
}

/* A project with one source, one candidate and judgments that use the
 * base template's labels and criterion. */
static void
add_judgments (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  const char *jsonl =
    "{\"id\": \"s\", \"text\": \"The call went well.\", \"candidates\": [{\"id\": \"a\","
    " \"model\": \"m\", \"text\": \"It went well.\"}], \"judgments\": ["
    "{\"type\": \"labels\", \"candidate\": \"a\", \"annotator\": \"ann\","
    " \"labels\": {\"issues\": [\"padding\", \"omission\"]}},"
    "{\"type\": \"span\", \"candidate\": \"a\", \"annotator\": \"ann\", \"start\": 0,"
    " \"end\": 2, \"label\": \"supported\"},"
    "{\"type\": \"scores\", \"candidate\": \"a\", \"annotator\": \"ann\","
    " \"scores\": {\"faithfulness\": 4}}]}\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (jsonl, strlen (jsonl));

  assay_import_add_bytes (import, "j.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_refused (Fixture     *f,
                const char  *json,
                const char  *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = load_text (f, json, &error);
  g_autoptr(AssayTemplate) before = assay_project_load_template (f->project, NULL);
  g_autoptr(AssayTemplate) after = NULL;
  g_autoptr(json_t) a = NULL;
  g_autoptr(json_t) b = NULL;

  g_assert_no_error (error);
  g_assert_false (assay_project_store_template (f->project, tmpl, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  if (strstr (error->message, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, error->message);

  /* Refused means unchanged. */
  after = assay_project_load_template (f->project, NULL);
  a = assay_template_to_json (before);
  b = assay_template_to_json (after);
  g_assert_true (json_equal (a, b));
}

static void
test_replace_guards_judgments (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = load_text (f, BASE_TEMPLATE, &error);

  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  add_judgments (f);

  /* Dropping a label a judgment uses. */
  assert_refused (f,
                  "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                  "{\"name\": \"unsupported\"}]}, {\"name\": \"issues\", \"multi\": true,"
                  " \"options\": [{\"name\": \"padding\"}, {\"name\": \"omission\"}]}],"
                  " \"criteria\": [{\"name\": \"faithfulness\"}]}",
                  "removes or moves the label “supported” of “claims”, which 1 judgment uses");
  /* Dropping a criterion with scores. */
  assert_refused (f,
                  "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                  "{\"name\": \"supported\"}]}, {\"name\": \"issues\", \"multi\": true,"
                  " \"options\": [{\"name\": \"padding\"}, {\"name\": \"omission\"}]}]}",
                  "removes the criterion “faithfulness”, which 1 score uses");
  /* Shrinking a scale under an existing score. */
  assert_refused (f,
                  "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                  "{\"name\": \"supported\"}]}, {\"name\": \"issues\", \"multi\": true,"
                  " \"options\": [{\"name\": \"padding\"}, {\"name\": \"omission\"}]}],"
                  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 3}]}",
                  "gives “faithfulness” the scale 1–3");
  /* Making a set single-choice while a judgment holds two of its labels. */
  assert_refused (f,
                  "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                  "{\"name\": \"supported\"}]}, {\"name\": \"issues\", \"multi\": false,"
                  " \"options\": [{\"name\": \"padding\"}, {\"name\": \"omission\"}]}],"
                  " \"criteria\": [{\"name\": \"faithfulness\"}]}",
                  "makes “issues” single-choice");
}

/* Options kept by name keep their identity: judgments stay attached when
 * a template changes titles, colours, order, or adds options. */
static void
test_replace_keeps_identity (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = load_text (f, BASE_TEMPLATE, &error);
  g_autoptr(AssayTemplate) changed = NULL;
  g_autoptr(AssayTemplate) back = NULL;
  AssayProjectCounts before, after;
  AssayLabelOption *old_option, *new_option;

  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  add_judgments (f);
  g_assert_true (assay_project_get_counts (f->project, &before, &error));
  g_clear_pointer (&tmpl, assay_template_unref);
  tmpl = assay_project_load_template (f->project, &error);

  changed = load_text (f,
                       "{\"name\": \"Call review\", \"version\": \"3\","
                       " \"label_sets\": [{\"name\": \"issues\", \"title\": \"Issues\","
                       "  \"multi\": true, \"options\": [{\"name\": \"omission\", \"color\": \"#c01c28\"},"
                       "  {\"name\": \"padding\"}, {\"name\": \"misattribution\"}]},"
                       " {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                       "  {\"name\": \"supported\", \"title\": \"Supported by the call\"},"
                       "  {\"name\": \"unsupported\"}, {\"name\": \"contradicted\"}]}],"
                       " \"criteria\": [{\"name\": \"faithfulness\", \"max\": 7},"
                       "  {\"name\": \"concision\"}]}",
                       &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (f->project, changed, &error));
  g_assert_no_error (error);

  g_assert_true (assay_project_get_counts (f->project, &after, &error));
  g_assert_cmpint (after.judgments, ==, before.judgments);

  back = assay_project_load_template (f->project, &error);
  old_option = assay_template_find_option (tmpl, "claims", "supported", ASSAY_SCOPE_SPAN, NULL,
                                           NULL);
  new_option = assay_template_find_option (back, "claims", "supported", ASSAY_SCOPE_SPAN, NULL,
                                           NULL);
  g_assert_cmpint (old_option->id, ==, new_option->id);
  g_assert_cmpstr (new_option->title, ==, "Supported by the call");
  g_assert_cmpstr (back->version, ==, "3");
  /* New order is the template's order. */
  g_assert_cmpstr (((AssayLabelSet *) g_ptr_array_index (back->label_sets, 0))->name, ==,
                   "issues");
  g_assert_cmpuint (back->criteria->len, ==, 2);
  g_assert_cmpint (assay_template_find_criterion (back, "faithfulness")->max, ==, 7);
}

/* An empty project has an empty template that asks for every kind. */
static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, &error);

  g_assert_no_error (error);
  g_assert_null (tmpl->name);
  g_assert_cmpint (tmpl->kinds, ==, ASSAY_JUDGE_ALL);
  g_assert_cmpuint (tmpl->label_sets->len, ==, 0);
  g_assert_cmpuint (tmpl->criteria->len, ==, 0);
}


/* A template held in memory (the app's bundled ones) is read as a file
 * is, and its errors name it and the line. */
static void
test_bytes (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) good = g_bytes_new_static ("\xef\xbb\xbf" BASE_TEMPLATE,
                                               strlen ("\xef\xbb\xbf" BASE_TEMPLATE));
  static const char broken_text[] = "{\"name\": \"x\",\n\"judgments\": [,\n]}";
  g_autoptr(GBytes) broken = g_bytes_new_static (broken_text, strlen (broken_text));
  g_autoptr(AssayTemplate) tmpl = assay_template_load_bytes (good, "standard.json", &error);
  g_autoptr(AssayTemplate) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (tmpl->name, ==, "Call review");

  none = assay_template_load_bytes (broken, "standard.json", &error);
  g_assert_null (none);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_true (g_str_has_prefix (error->message, "standard.json:2: invalid JSON"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/template/read", test_read);
  ADD ("/assay/template/store-round-trip", test_store_round_trip);
  ADD ("/assay/template/numbers-round-trip", test_numbers_round_trip);
  ADD ("/assay/template/demo", test_demo_template);
  ADD ("/assay/template/bad", test_bad);
  ADD ("/assay/template/replace-guards-judgments", test_replace_guards_judgments);
  ADD ("/assay/template/replace-keeps-identity", test_replace_keeps_identity);
  ADD ("/assay/template/empty", test_empty);
  ADD ("/assay/template/bytes", test_bytes);

  return g_test_run ();
}
