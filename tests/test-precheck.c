/* test-precheck.c: what a candidate says that its source never does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The checks on text assert what an expert would see flagged (and, as
 * much, what must not be: the same figure, date or name written another
 * way). The project checks assert what is stored: spans of the model
 * annotator assay:precheck with the template's "unsupported" label and the
 * reason as the note, no duplicate on a second run, the run at import, and
 * the JSON `assay-cli precheck --json` prints.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <jansson.h>

#include "assay-core.h"
#include "assay-test-run.h"

/* The texts of the findings, joined by "|", in candidate order. */
static char *
flagged (const char         *source,
         const char * const *more,
         const char         *candidate)
{
  g_autoptr(AssayPrecheckSource) s = assay_precheck_source_new (source, more);
  g_autoptr(GPtrArray) findings = assay_precheck_source_check (s, candidate);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      AssayPrecheckFinding *f = g_ptr_array_index (findings, i);
      g_autofree char *at = g_utf8_substring (candidate, f->start, f->end);

      /* the range is the text, counted in code points */
      g_assert_cmpstr (at, ==, f->text);
      g_assert_nonnull (f->reason);
      if (i > 0)
        g_string_append_c (out, '|');
      g_string_append (out, f->text);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

#define assert_flags(source, candidate, expected) \
  G_STMT_START { \
    g_autofree char *got_ = flagged ((source), NULL, (candidate)); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

static void
test_numbers (void)
{
  /* money, however written */
  assert_flags ("The programme will cost 6,000,000 dollars.",
                "The programme will cost $6 million.", "");
  assert_flags ("The programme will cost $6 million.",
                "It costs six million dollars, or USD 6,000,000.", "");
  assert_flags ("The programme will cost 6,000,000 dollars.",
                "The programme will cost $8 million.", "$8 million");
  /* another currency is another amount */
  assert_flags ("The programme will cost 6,000,000 dollars.",
                "The programme will cost €6 million.", "€6 million");
  /* rounded or hedged */
  assert_flags ("Revenue was $6.2 million.", "Revenue was about $6 million.", "");
  assert_flags ("Revenue was $6.2 million.", "Revenue was $6 million.", "");
  assert_flags ("We surveyed 497 homes.", "They surveyed nearly 500 homes.", "");
  assert_flags ("We surveyed 497 homes.", "They surveyed 500 homes.", "500");
  /* "up to" repeats a figure; "more than" is a bound */
  assert_flags ("It lasts up to 38 hours.", "It lasts up to 40 hours.", "40 hours");
  assert_flags ("We sold 512 units.", "They sold more than 500 units.", "");
  assert_flags ("We sold 512 units.", "They sold fewer than 500 units.", "500");

  /* written numbers and digits */
  assert_flags ("Fourteen engineers finished the course.", "14 engineers finished it.", "");
  assert_flags ("14 engineers finished the course.", "Fourteen engineers finished it.", "");
  assert_flags ("We bake two hundred and fifty loaves.", "They bake 250 loaves.", "");
  assert_flags ("Revenue was four hundred twelve point six million dollars.",
                "Revenue was $412.6M.", "");
  assert_flags ("The refund is sixty-four ninety-nine.", "A refund of $64.99.", "");
  assert_flags ("Fourteen engineers finished the course.", "Sixteen engineers finished it.",
                "Sixteen");

  /* percentages */
  assert_flags ("Leaks fell by forty per cent.", "Leaks fell 40%.", "");
  assert_flags ("Leaks fell by 40%.", "Leaks fell forty percent.", "");
  assert_flags ("Leaks fell by 40%.", "Leaks fell 45%.", "45%");
  assert_flags ("Margin fell 60 basis points.", "Margin fell 0.6 points.", "");
  /* a share of two figures the source gives together */
  assert_flags ("Nine of the fourteen sites are profitable.", "64% of sites are profitable.", "");

  /* quantities with units */
  assert_flags ("Take 5 mg twice a day.", "Take five milligrams twice daily.", "");
  assert_flags ("Take 5 mg twice a day.", "Take 5 g twice daily.", "5 g");
  assert_flags ("The meeting ran for 120 minutes.", "The meeting ran for 2 hours.", "");
  assert_flags ("Use it for 28 days.", "Use it for four weeks.", "");
  assert_flags ("Use it for 28 days.", "Use it for 14 days.", "14 days");

  /* small counts: only when the source counts the same thing otherwise */
  assert_flags ("Four patients were seen.", "Three patients were seen.", "Three");
  assert_flags ("We discussed pricing, staffing and rent.", "Three topics were discussed.", "");
  assert_flags ("Take it four times a day.", "Take it three times daily.", "three");
  assert_flags ("Nine of the fourteen sites pay. We want twenty sites.", "9 sites pay.", "");
  assert_flags ("It drops three or four times a week; refunds take five to seven days.",
                "It drops 3–4 times a week.", "");
  /* scores and votes */
  assert_flags ("Riverton won 3-1.", "Riverton won 3–1.", "");
  assert_flags ("Riverton won 3-1 in front of 2 scouts.", "Riverton won 3-2.", "3-2");
  assert_flags ("The council voted 7 to 2.", "The council voted 7–2.", "");
}

static void
test_dates (void)
{
  g_autofree char *reason = NULL;

  assert_flags ("The board met on 3 March 2025.", "The board met on March 3, 2025.", "");
  assert_flags ("The board met on March 3rd.", "The board met on the third of March.", "");
  assert_flags ("The board met on 2025-03-03.", "The board met on 3 March 2025.", "");
  assert_flags ("The board met on 3 March 2025.", "The board met on 4 March 2025.", "4 March 2025");
  assert_flags ("The board met on 3 March 2025.", "The board met on 3 March 2019.", "3 March 2019");
  assert_flags ("The plant opened in 2018.", "The plant opened in 2019.", "2019");
  assert_flags ("The plant opened in March.", "The plant opened in May.", "May");
  /* the weekday of a date the source gives */
  assert_flags ("The board met on 3 March 2025.", "The board met on Monday, 3 March.", "");
  assert_flags ("The board met on 3 March 2025.", "The board met on Friday.", "Friday");
  /* times */
  assert_flags ("The call started at 15:00.", "The call started at 3 pm.", "");
  assert_flags ("The call started at 3 p.m.", "The call started at 15:00.", "");
  assert_flags ("The call started at 15:00.", "The call started at 4 pm.", "4 pm");
  assert_flags ("The alarm went off at 02:40.", "The alarm went off at 2:40 pm.", "2:40 pm");
  assert_flags ("The alarm went off at 02:40.", "The alarm went off at 2.40 am.", "");

  {
    g_autoptr(AssayPrecheckSource) s = assay_precheck_source_new ("It opened in 2018.", NULL);
    g_autoptr(GPtrArray) findings = assay_precheck_source_check (s, "It opened in 2019.");
    AssayPrecheckFinding *f;

    g_assert_cmpuint (findings->len, ==, 1);
    f = g_ptr_array_index (findings, 0);
    g_assert_cmpint (f->category, ==, ASSAY_PRECHECK_DATE);
    g_assert_cmpstr (f->reason, ==, "“2019” does not occur in the source");
  }
}

static void
test_names (void)
{
  const char *speakers[] = { "Dr. Priya Raman", "Samuel Okafor", NULL };
  g_autofree char *got = NULL;

  /* a part of a name the source gives */
  assert_flags ("Chair Dr. Erik Lund opened the meeting.", "Dr. Lund opened it.", "");
  assert_flags ("Chair Dr. Erik Lund opened the meeting.", "Erik opened it.", "");
  /* case, hyphens, possessives and accents do not matter */
  assert_flags ("the chair, erik lund, opened the meeting.", "Erik Lund opened it.", "");
  assert_flags ("Jean Luc Moreau chaired.", "Jean-Luc Moreau's meeting ran late.", "");
  assert_flags ("Zoë Brandt chaired.", "Zoe Brandt chaired.", "");
  assert_flags ("Chair Dr. Erik Lund opened the meeting.", "Dr. Maria Olsen opened it.",
                "Maria Olsen");
  assert_flags ("Chair Dr. Erik Lund opened the meeting.", "Dr. Erik Olsen opened it.", "Olsen");
  /* two people's names made into one */
  assert_flags ("Erik Lund and Anna Hansen spoke.", "Erik Hansen spoke.", "Erik Hansen");
  /* places and organisations */
  assert_flags ("The office in Bergen closed.", "The office in Oslo closed.", "Oslo");
  assert_flags ("The World Health Organization was cited.", "The WHO was cited.", "");
  assert_flags ("The WHO was cited.", "The World Health Organization was cited.", "");
  assert_flags ("The team from Norway won.", "The Norwegian team won.", "");
  /* sentence-initial words and headings are not names */
  assert_flags ("Sales rose.", "Overall, sales rose. Meanwhile costs fell.\nKey Points: none.", "");
  /* speakers of a transcript are said by the source */
  got = flagged ("Good morning. Your test shows an HbA1c of 58.", speakers,
                 "Dr. Raman told Samuel Okafor that his HbA1c was 58.");
  g_assert_cmpstr (got, ==, "");
}

/* Offsets count code points, as spans do. */
static void
test_offsets (void)
{
  g_autoptr(AssayPrecheckSource) s = assay_precheck_source_new ("Sales rose 4% in May.", NULL);
  g_autoptr(GPtrArray) findings = assay_precheck_source_check (s, "Café 🎉: sales rose 40%.");
  AssayPrecheckFinding *f;

  g_assert_cmpuint (findings->len, ==, 1);
  f = g_ptr_array_index (findings, 0);
  g_assert_cmpint (f->category, ==, ASSAY_PRECHECK_NUMBER);
  g_assert_cmpint (f->start, ==, 19);
  g_assert_cmpint (f->end, ==, 22);
  g_assert_cmpstr (f->text, ==, "40%");
}

/* ---- in a project ---- */

typedef struct
{
  char         *dir;
  char         *path;
  AssayProject *project;
} Fixture;

static const char *sources_jsonl =
  "{\"id\": \"board\", \"text\": \"The board of Halden Water met on 3 March 2025 in Bergen."
  " Dr. Erik Lund said pipes will cost 6,000,000 dollars.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"On March 3, 2025 Dr. Lund said pipes will cost"
  " $6 million.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"On 4 March 2025 Dr. Maria Olsen said pipes will"
  " cost $8 million.\"}]}\n";

static const char *more_jsonl =
  "{\"id\": \"fire\", \"text\": \"A fire broke out at 02:40 on 17 January 2025.\","
  " \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"A fire broke out at 2:40 pm in 2024.\"}]}\n";

static void
store_template (Fixture    *f,
                const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(AssayTemplate) tmpl = assay_template_load_bytes (bytes, "t.json", &error);

  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  g_assert_no_error (error);
}

static void
import_text (Fixture    *f,
             const char *jsonl,
             gboolean    precheck)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = g_bytes_new (jsonl, strlen (jsonl));

  assay_import_set_precheck (import, precheck);
  assay_import_add_bytes (import, "s.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("assay-precheck-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.assay", NULL);
  f->project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->project);
  assay_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* The precheck annotator's spans on a source, as "candidate start-end
 * label: note" lines, through the records every kind shares. */
static char *
stored_spans (Fixture    *f,
              const char *source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gint64 source_id = assay_project_lookup_source (f->project, source);
  gint64 annotator = assay_project_lookup_annotator (f->project, ASSAY_PRECHECK_ANNOTATOR);
  g_autofree char *records = NULL;
  json_t *list, *r;
  gsize i;

  if (annotator == 0)
    return g_strdup ("");
  records = assay_project_dup_records (f->project, source_id, annotator, "span", 0, &error);
  g_assert_no_error (error);
  list = json_loads (records, 0, NULL);
  json_array_foreach (list, i, r)
    g_string_append_printf (out, "%s %" JSON_INTEGER_FORMAT "-%" JSON_INTEGER_FORMAT " %s: %s\n",
                            json_string_value (json_object_get (r, "candidate")),
                            json_integer_value (json_object_get (r, "start")),
                            json_integer_value (json_object_get (r, "end")),
                            json_string_value (json_object_get (r, "label"))
                            ? json_string_value (json_object_get (r, "label")) : "(none)",
                            json_string_value (json_object_get (r, "note")));
  json_decref (list);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gint64
option_id (Fixture    *f,
           const char *set,
           const char *option)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, NULL);

  return assay_template_find_option (tmpl, set, option, ASSAY_SCOPE_SPAN, NULL, NULL)->id;
}

/* the label as the template spells it */
static const char *expected_board =
  "b 3-15 Unsupported: “4 March 2025” does not occur in the source\n"
  "b 20-31 Unsupported: “Maria Olsen” does not occur in the source\n"
  "b 53-63 Unsupported: “$8 million” does not occur in the source\n";

static void
test_store (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *created = NULL;
  g_autofree char *created_again = NULL;
  AssayPrecheckSummary summary;
  gint64 annotator, source, b;
  g_autoptr(AssayItem) item = NULL;
  AssayAnnotatorKind kind;

  store_template (f, "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                     " {\"name\": \"supported\"}, {\"name\": \"Unsupported\"}]}]}");
  import_text (f, sources_jsonl, FALSE);
  g_assert_cmpint (assay_project_lookup_annotator (f->project, ASSAY_PRECHECK_ANNOTATOR), ==, 0);

  g_assert_true (assay_project_precheck (f->project, 0, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_candidates, ==, 2);
  g_assert_cmpuint (summary.n_findings, ==, 3);
  g_assert_cmpuint (summary.n_changed, ==, 1);

  /* a model annotator, whose spans carry the label and the reason */
  annotator = assay_project_lookup_annotator (f->project, ASSAY_PRECHECK_ANNOTATOR);
  g_assert_cmpint (annotator, !=, 0);
  {
    g_autoptr(GPtrArray) annotators = assay_project_list_annotators (f->project, &error);

    g_assert_no_error (error);
    kind = ASSAY_ANNOTATOR_PERSON;
    for (guint i = 0; i < annotators->len; i++)
      {
        AssayAnnotatorInfo *a = g_ptr_array_index (annotators, i);

        if (g_str_equal (a->ext_id, ASSAY_PRECHECK_ANNOTATOR))
          kind = a->kind;
      }
    g_assert_cmpint (kind, ==, ASSAY_ANNOTATOR_MODEL);
  }
  first = stored_spans (f, "board");
  g_assert_cmpstr (first, ==, expected_board);

  /* running it again adds nothing and keeps what was there as it was */
  source = assay_project_lookup_source (f->project, "board");
  created = assay_project_dup_last_update (f->project, source, annotator);
  g_assert_true (assay_project_precheck (f->project, 0, &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (summary.n_findings, ==, 3);
  g_assert_cmpuint (summary.n_changed, ==, 0);
  again = stored_spans (f, "board");
  g_assert_cmpstr (again, ==, expected_board);
  created_again = assay_project_dup_last_update (f->project, source, annotator);
  g_assert_cmpstr (created, ==, created_again);

  /* a span of the annotator that is no finding any more goes */
  b = assay_project_lookup_candidate (f->project, source, "b");
  g_assert_true (assay_project_save_span (f->project, 0, b, annotator, 0, 2, 0, "stale", NULL, 0,
                                          NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_precheck (f->project, 0, &summary, NULL, &error));
  g_assert_cmpuint (summary.n_changed, ==, 1);
  g_clear_pointer (&again, g_free);
  again = stored_spans (f, "board");
  g_assert_cmpstr (again, ==, expected_board);

  /* the item loads them as the annotator's spans, each with its reason */
  item = assay_project_load_item (f->project, source, annotator, &error);
  g_assert_no_error (error);
  {
    AssayItemCandidate *cb = assay_item_find_candidate (item, b);
    AssayItemSpan *span;

    g_assert_cmpuint (cb->spans->len, ==, 3);
    span = g_ptr_array_index (cb->spans, 2);
    g_assert_cmpint (span->start, ==, 53);
    g_assert_cmpint (span->option_id, ==, option_id (f, "claims", "Unsupported"));
    g_assert_cmpstr (span->note, ==, "“$8 million” does not occur in the source");
  }
}

static void
test_label (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spans = NULL;

  /* by name before description; candidate label sets do not count */
  store_template (f, "{\"label_sets\": ["
                     " {\"name\": \"verdict\", \"options\": [{\"name\": \"unsupported\"}]},"
                     " {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                     "  {\"name\": \"invented\", \"description\": \"Not supported by the"
                     " source.\"}]},"
                     " {\"name\": \"facts\", \"scope\": \"span\", \"options\": ["
                     "  {\"name\": \"ok\"}, {\"name\": \"claim-unsupported\"}]}]}");
  g_assert_cmpint (assay_precheck_find_label (f->project, &error), ==,
                   option_id (f, "facts", "claim-unsupported"));
  g_assert_no_error (error);

  /* then the title, then the description */
  store_template (f, "{\"label_sets\": ["
                     " {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                     "  {\"name\": \"ok\", \"description\": \"Supported.\"},"
                     "  {\"name\": \"invented\", \"description\": \"Not supported by the"
                     " source.\"}]}]}");
  g_assert_cmpint (assay_precheck_find_label (f->project, &error), ==,
                   option_id (f, "claims", "invented"));

  import_text (f, sources_jsonl, TRUE);
  spans = stored_spans (f, "board");
  g_assert_true (g_str_has_prefix (spans, "b 3-15 invented: "));
}

/* A template without such a label: the findings are unlabelled spans. */
static void
test_no_label (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *spans = NULL;

  store_template (f, "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                     " {\"name\": \"wrong\"}, {\"name\": \"right\"}]}]}");
  g_assert_cmpint (assay_precheck_find_label (f->project, &error), ==, 0);
  g_assert_no_error (error);
  import_text (f, sources_jsonl, TRUE);
  spans = stored_spans (f, "board");
  g_assert_cmpstr (spans, ==,
                   "b 3-15 (none): “4 March 2025” does not occur in the source\n"
                   "b 20-31 (none): “Maria Olsen” does not occur in the source\n"
                   "b 53-63 (none): “$8 million” does not occur in the source\n");
}

/* An import checks the candidates it adds, and only those. */
static void
test_import (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = g_bytes_new_static (more_jsonl, strlen (more_jsonl));
  g_autofree char *board = NULL;
  g_autofree char *fire = NULL;
  AssayProjectCounts counts;

  store_template (f, "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
                     " {\"name\": \"unsupported\"}]}]}");
  import_text (f, sources_jsonl, FALSE);
  board = stored_spans (f, "board");
  g_assert_cmpstr (board, ==, "");

  assay_import_set_precheck (import, TRUE);
  assay_import_add_bytes (import, "more.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assay_import_get_precheck_summary (import)->n_candidates, ==, 1);
  g_assert_cmpuint (assay_import_get_precheck_summary (import)->n_findings, ==, 2);
  /* what the import brought is counted without the pre-check's findings */
  g_assert_cmpint (assay_import_get_n_judgments (import), ==, 0);

  fire = stored_spans (f, "fire");
  g_assert_cmpstr (fire, ==,
                   "a 20-27 unsupported: “2:40 pm” does not occur in the source\n"
                   "a 31-35 unsupported: “2024” does not occur in the source\n");
  g_clear_pointer (&board, g_free);
  board = stored_spans (f, "board");
  g_assert_cmpstr (board, ==, "");

  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_cmpint (counts.judgments, ==, 2);
}

static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *template_path = g_build_filename (f->dir, "t.json", NULL);
  g_autofree char *input = g_build_filename (f->dir, "s.jsonl", NULL);
  g_autofree char *project = g_build_filename (f->dir, "cli.assay", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.assay", NULL);
  g_auto(AssayTestRun) r = { 0 };
  g_autofree char *first_out = NULL;
  json_t *list, *item;
  const char *key;
  json_t *value;
  gsize i;

  g_assert_true (g_file_set_contents (template_path,
                                      "{\"label_sets\": [{\"name\": \"claims\","
                                      " \"scope\": \"span\","
                                      " \"options\": [{\"name\": \"unsupported\"}]}]}",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (input, sources_jsonl, -1, NULL));

  /* import pre-checks by default */
  assay_test_run_cli (&r, "init", project, "--template", template_path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "import", "--verbose", project, input, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Pre-check: 3 unsupported numbers, dates or names.\n"));

  assay_test_run_cli (&r, "precheck", project, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  list = json_loads (r.out, 0, NULL);
  g_assert_true (json_is_array (list));
  g_assert_cmpuint (json_array_size (list), ==, 3);
  json_array_foreach (list, i, item)
    {
      g_assert_cmpuint (json_object_size (item), ==, 6);
      json_object_foreach (item, key, value)
        {
          if (g_str_equal (key, "start") || g_str_equal (key, "end"))
            g_assert_true (json_is_integer (value));
          else
            g_assert_true (json_is_string (value));
        }
      g_assert_cmpstr (json_string_value (json_object_get (item, "source")), ==, "board");
      g_assert_cmpstr (json_string_value (json_object_get (item, "candidate")), ==, "b");
    }
  item = json_array_get (list, 1);
  g_assert_cmpint (json_integer_value (json_object_get (item, "start")), ==, 20);
  g_assert_cmpint (json_integer_value (json_object_get (item, "end")), ==, 31);
  g_assert_cmpstr (json_string_value (json_object_get (item, "text")), ==, "Maria Olsen");
  g_assert_cmpstr (json_string_value (json_object_get (item, "reason")), ==,
                   "“Maria Olsen” does not occur in the source");
  json_decref (list);
  first_out = g_strdup (r.out);

  /* again: nothing added */
  assay_test_run_cli (&r, "precheck", project, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, first_out);
  assay_test_run_cli (&r, "precheck", project, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "Checked 2 candidates.\n"
                              "Found 3 unsupported numbers, dates or names.\n"
                              "Changed the findings of 0 candidates.\n");

  /* import --no-precheck stores nothing of it */
  assay_test_run_cli (&r, "init", other, "--template", template_path, NULL);
  assay_test_run_cli (&r, "import", "--no-precheck", other, input, NULL);
  g_assert_cmpint (r.status, ==, 0);
  assay_test_run_cli (&r, "info", other, "--json", NULL);
  list = json_loads (r.out, 0, NULL);
  g_assert_cmpint (json_integer_value (json_object_get (list, "annotators")), ==, 0);
  g_assert_cmpint (json_integer_value (json_object_get (list, "judgments")), ==, 0);
  json_decref (list);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/precheck/numbers", test_numbers);
  g_test_add_func ("/assay/precheck/dates", test_dates);
  g_test_add_func ("/assay/precheck/names", test_names);
  g_test_add_func ("/assay/precheck/offsets", test_offsets);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/precheck/store", test_store);
  ADD ("/assay/precheck/label", test_label);
  ADD ("/assay/precheck/no-label", test_no_label);
  ADD ("/assay/precheck/import", test_import);
  ADD ("/assay/precheck/cli", test_cli);

  return g_test_run ();
}
