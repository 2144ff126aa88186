/* test-judgments.c: writing judgments through the core, as the app does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-project-private.h"

typedef struct
{
  char          *dir;
  char          *path;
  AssayProject  *project;
  AssayTemplate *tmpl;
  gint64         source, other_source;
  gint64         a, b, c, foreign;   /* candidates; `foreign` belongs to other_source */
  gint64         expert;
} Fixture;

static const char *template_json =
  "{\"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "  {\"name\": \"supported\"}, {\"name\": \"unsupported\"}]},"
  " {\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]},"
  " {\"name\": \"issues\", \"multi\": true, \"options\": [{\"name\": \"padding\"},"
  "  {\"name\": \"omission\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 5}]}";

/* "Café" has an accented letter so that code-point offsets differ from
 * byte offsets; the emoji is outside the BMP. */
static const char *sources_jsonl =
  "{\"id\": \"s1\", \"text\": \"Café owner: sales rose 4% 🎉 in May.\", \"candidates\": ["
  "  {\"id\": \"a\", \"model\": \"m1\", \"text\": \"Sales at the café rose 4%.\"},"
  "  {\"id\": \"b\", \"model\": \"m2\", \"text\": \"Sales rose 40% in May.\"},"
  "  {\"id\": \"c\", \"model\": \"m3\", \"text\": \"A café did well.\"}]}\n"
  "{\"id\": \"s2\", \"text\": \"Other.\", \"candidates\": [{\"id\": \"x\", \"model\": \"m1\","
  "  \"text\": \"Other.\"}]}\n";

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *template_path = NULL;

  f->dir = g_dir_make_tmp ("assay-judgments-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "j.assay", NULL);
  f->project = assay_project_create (f->path, &error);
  g_assert_no_error (error);

  template_path = g_build_filename (f->dir, "t.json", NULL);
  g_assert_true (g_file_set_contents (template_path, template_json, -1, NULL));
  f->tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (f->project, f->tmpl, &error));

  import = assay_import_new (f->project);
  bytes = g_bytes_new_static (sources_jsonl, strlen (sources_jsonl));
  assay_import_add_bytes (import, "s.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  f->source = assay_project_lookup_source (f->project, "s1");
  f->other_source = assay_project_lookup_source (f->project, "s2");
  f->a = assay_project_lookup_candidate (f->project, f->source, "a");
  f->b = assay_project_lookup_candidate (f->project, f->source, "b");
  f->c = assay_project_lookup_candidate (f->project, f->source, "c");
  f->foreign = assay_project_lookup_candidate (f->project, f->other_source, "x");
  g_assert_cmpint (f->a * f->b * f->c * f->foreign, !=, 0);
  g_assert_cmpint (assay_project_lookup_candidate (f->project, f->source, "x"), ==, 0);

  g_assert_true (assay_project_ensure_annotator (f->project, "dr.osei", "Dr. Osei",
                                                 ASSAY_ANNOTATOR_PERSON, &f->expert, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_clear_object (&f->project);
  g_clear_pointer (&f->tmpl, assay_template_unref);
  d = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Reads back through a second connection: what is there is committed. */
static char *
query_fresh (Fixture    *f,
             const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) other = assay_project_open (f->path, &error);
  sqlite3 *db;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);
  int rc;

  g_assert_no_error (error);
  db = _assay_project_get_db (other);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
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

static gint64
option_id (Fixture    *f,
           const char *set,
           const char *name,
           AssayLabelScope scope)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, NULL);
  AssayLabelOption *option = assay_template_find_option (tmpl, set, name, scope, NULL, NULL);

  g_assert_nonnull (option);
  return option->id;
}

static gint64
set_id (Fixture    *f,
        const char *name)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, NULL);

  return assay_template_find_label_set (tmpl, name)->id;
}

static void
test_labels (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 accept = option_id (f, "verdict", "accept", ASSAY_SCOPE_CANDIDATE);
  gint64 reject = option_id (f, "verdict", "reject", ASSAY_SCOPE_CANDIDATE);
  gint64 padding = option_id (f, "issues", "padding", ASSAY_SCOPE_CANDIDATE);
  gint64 omission = option_id (f, "issues", "omission", ASSAY_SCOPE_CANDIDATE);
  gint64 two[] = { accept, reject };
  gint64 both[] = { padding, omission };
  g_autofree char *rows = NULL;

  g_assert_true (assay_project_set_labels (f->project, f->a, f->expert, set_id (f, "verdict"),
                                           &accept, 1, NULL, &error));
  g_assert_no_error (error);
  /* Choosing again replaces: a single-choice set holds one label. */
  g_assert_true (assay_project_set_labels (f->project, f->a, f->expert, set_id (f, "verdict"),
                                           &reject, 1, NULL, &error));
  g_assert_true (assay_project_set_labels (f->project, f->a, f->expert, set_id (f, "issues"),
                                           both, 2, NULL, &error));
  rows = query_fresh (f, "SELECT o.name FROM labels l JOIN label_options o ON o.id = l.option_id"
                         " ORDER BY o.name");
  g_assert_cmpstr (rows, ==, "omission;padding;reject;");

  /* Two labels of a single-choice set, or a label of another set, are refused. */
  g_assert_false (assay_project_set_labels (f->project, f->a, f->expert, set_id (f, "verdict"),
                                            two, 2, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (assay_project_set_labels (f->project, f->a, f->expert, set_id (f, "verdict"),
                                            &padding, 1, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* An empty choice clears the set. */
  g_assert_true (assay_project_set_labels (f->project, f->a, f->expert, set_id (f, "issues"),
                                           NULL, 0, NULL, &error));
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM labels");
  g_assert_cmpstr (rows, ==, "1;");
}

static void
test_spans (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 unsupported = option_id (f, "claims", "unsupported", ASSAY_SCOPE_SPAN);
  AssayRange evidence[] = { { 0, 10 }, { 12, 27 } };
  AssayRange too_far = { 30, 60 };
  gint64 span = 0, again = 0;
  g_autofree char *rows = NULL;

  /* "40%" in "Sales rose 40% in May." is [11, 14). */
  g_assert_true (assay_project_save_span (f->project, 0, f->b, f->expert, 11, 14, unsupported,
                                          "The call says 4%.", evidence, 2, NULL, &span, &error));
  g_assert_no_error (error);
  g_assert_cmpint (span, >, 0);
  rows = query_fresh (f, "SELECT p.start, p.end, p.note, substr (c.text, p.start + 1, p.end - p.start),"
                         " (SELECT group_concat (start || '-' || end) FROM span_evidence"
                         "  WHERE span_id = p.id) FROM spans p JOIN candidates c"
                         " ON c.id = p.candidate_id");
  g_assert_cmpstr (rows, ==, "11|14|The call says 4%.|40%|0-10,12-27;");

  /* The same range and label is the same span: its note is updated. */
  g_assert_true (assay_project_save_span (f->project, 0, f->b, f->expert, 11, 14, unsupported,
                                          "Changed.", NULL, 0, NULL, &again, &error));
  g_assert_cmpint (again, ==, span);
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*), max (note) FROM spans");
  g_assert_cmpstr (rows, ==, "1|Changed.;");
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM span_evidence");
  g_assert_cmpstr (rows, ==, "0;");

  /* Offsets count code points: the source "Café owner: sales rose 4% 🎉 in
   * May." has 35 of them (and more bytes); evidence up to 35 is fine. */
  {
    AssayRange whole = { 0, 35 };

    g_assert_true (assay_project_save_span (f->project, span, f->b, f->expert, 11, 14,
                                            unsupported, NULL, &whole, 1, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_assert_false (assay_project_save_span (f->project, 0, f->b, f->expert, 11, 14, unsupported,
                                           NULL, &too_far, 1, NULL, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (assay_project_save_span (f->project, 0, f->b, f->expert, 20, 40, unsupported,
                                           NULL, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* A candidate label is not a span label. */
  g_assert_false (assay_project_save_span (f->project, 0, f->b, f->expert, 0, 5,
                                           option_id (f, "verdict", "accept",
                                                      ASSAY_SCOPE_CANDIDATE),
                                           NULL, NULL, 0, NULL, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (assay_project_delete_span (f->project, span, &error));
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM spans");
  g_assert_cmpstr (rows, ==, "0;");
}

static void
test_correction_and_stamps (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AssayStamp first = { "2026-05-01T10:00:00.000Z", "2026-05-01T10:00:00.000Z", 30 };
  AssayStamp later = { NULL, "2026-05-02T09:00:00.000Z", -1 };
  g_autofree char *rows = NULL;

  g_assert_true (assay_project_set_correction (f->project, f->b, f->expert,
                                               "Sales rose 4% in May.", &first, &error));
  /* A later edit keeps when the correction was made and the time spent. */
  g_assert_true (assay_project_set_correction (f->project, f->b, f->expert,
                                               "Café sales rose 4% in May.", &later, &error));
  g_assert_no_error (error);
  rows = query_fresh (f, "SELECT text, created_at, updated_at, time_spent FROM corrections");
  g_assert_cmpstr (rows, ==, "Café sales rose 4% in May.|2026-05-01T10:00:00.000Z|"
                             "2026-05-02T09:00:00.000Z|30.0;");

  /* The original stays as it was. */
  g_free (rows);
  rows = query_fresh (f, "SELECT text FROM candidates WHERE ext_id = 'b'");
  g_assert_cmpstr (rows, ==, "Sales rose 40% in May.;");

  g_assert_true (assay_project_set_correction (f->project, f->b, f->expert, NULL, NULL, &error));
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM corrections");
  g_assert_cmpstr (rows, ==, "0;");
}

static void
test_scores (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 criterion;
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, NULL);
  g_autofree char *rows = NULL;

  criterion = assay_template_find_criterion (tmpl, "faithfulness")->id;
  g_assert_true (assay_project_set_score (f->project, f->b, f->expert, criterion, 2,
                                          "Wrong percentage.", NULL, &error));
  g_assert_true (assay_project_set_score (f->project, f->b, f->expert, criterion, 1, "",
                                          NULL, &error));
  g_assert_no_error (error);
  rows = query_fresh (f, "SELECT value, rationale FROM scores");
  g_assert_cmpstr (rows, ==, "1|NULL;");

  g_assert_false (assay_project_set_score (f->project, f->b, f->expert, criterion, 6, NULL, NULL,
                                           &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "1–5"));
  g_clear_error (&error);

  g_assert_true (assay_project_clear_score (f->project, f->b, f->expert, criterion, &error));
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM scores");
  g_assert_cmpstr (rows, ==, "0;");
}

static void
test_ranking (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[] = { f->a, f->b, f->c };
  int ranks[] = { 1, 3, 1 };
  gint64 two[] = { f->b, f->c };
  int two_ranks[] = { 1, 2 };
  gint64 bad[] = { f->a, f->foreign };
  int bad_ranks[] = { 1, 2 };
  g_autofree char *rows = NULL;

  g_assert_true (assay_project_set_ranking (f->project, f->source, f->expert, ids, ranks, 3,
                                            NULL, &error));
  g_assert_no_error (error);
  rows = query_fresh (f, "SELECT c.ext_id, r.rank FROM rankings r JOIN candidates c"
                         " ON c.id = r.candidate_id ORDER BY c.ext_id");
  g_assert_cmpstr (rows, ==, "a|1;b|3;c|1;");

  /* A new ranking replaces the old one, dropping candidates left out. */
  g_assert_true (assay_project_set_ranking (f->project, f->source, f->expert, two, two_ranks, 2,
                                            NULL, &error));
  g_free (rows);
  rows = query_fresh (f, "SELECT c.ext_id, r.rank FROM rankings r JOIN candidates c"
                         " ON c.id = r.candidate_id ORDER BY c.ext_id");
  g_assert_cmpstr (rows, ==, "b|1;c|2;");

  g_assert_false (assay_project_set_ranking (f->project, f->source, f->expert, bad, bad_ranks, 2,
                                             NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  /* And the refused ranking changed nothing. */
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM rankings");
  g_assert_cmpstr (rows, ==, "2;");
}

static void
test_comparison (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  g_assert_true (assay_project_set_comparison (f->project, f->source, f->expert, f->a, f->b,
                                               ASSAY_WINNER_A, "A keeps the figure.", NULL,
                                               &error));
  /* The same pair shown the other way round replaces the first judgment. */
  g_assert_true (assay_project_set_comparison (f->project, f->source, f->expert, f->b, f->a,
                                               ASSAY_WINNER_TIE, NULL, NULL, &error));
  g_assert_no_error (error);
  rows = query_fresh (f, "SELECT ca.ext_id, cb.ext_id, p.winner, p.rationale FROM comparisons p"
                         " JOIN candidates ca ON ca.id = p.candidate_a"
                         " JOIN candidates cb ON cb.id = p.candidate_b");
  g_assert_cmpstr (rows, ==, "b|a|tie|NULL;");

  /* Deleting takes the pair in either order (undo in the app does this). */
  g_assert_true (assay_project_delete_comparison (f->project, f->expert, f->a, f->b, &error));
  g_assert_no_error (error);
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM comparisons");
  g_assert_cmpstr (rows, ==, "0;");

  g_assert_false (assay_project_set_comparison (f->project, f->source, f->expert, f->a, f->a,
                                                ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (assay_project_set_comparison (f->project, f->source, f->expert, f->a,
                                                f->foreign, ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
}

static void
test_notes_and_status (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  AssayProjectCounts counts;
  g_autofree char *rows = NULL;

  g_assert_true (assay_project_set_note (f->project, f->source, 0, f->expert,
                                         "Ask the lead about the percentage.", NULL, &error));
  g_assert_true (assay_project_set_note (f->project, f->source, f->c, f->expert,
                                         "Too vague.", NULL, &error));
  g_assert_true (assay_project_set_status (f->project, f->source, f->expert, ASSAY_STATUS_FLAGGED,
                                           NULL, &error));
  g_assert_no_error (error);
  rows = query_fresh (f, "SELECT candidate_id = 0, text FROM notes ORDER BY candidate_id");
  g_assert_cmpstr (rows, ==, "1|Ask the lead about the percentage.;0|Too vague.;");

  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_cmpint (counts.status[ASSAY_STATUS_FLAGGED], ==, 1);
  g_assert_cmpint (counts.status[ASSAY_STATUS_TODO], ==, 1);
  g_assert_cmpint (counts.judgments, ==, 3);

  /* An empty note removes it; a note on another source's candidate is refused. */
  g_assert_true (assay_project_set_note (f->project, f->source, f->c, f->expert, "", NULL,
                                         &error));
  g_assert_false (assay_project_set_note (f->project, f->source, f->foreign, f->expert, "x",
                                          NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_free (rows);
  rows = query_fresh (f, "SELECT count(*) FROM notes");
  g_assert_cmpstr (rows, ==, "1;");
}

static void
test_annotators (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = 0, again = 0;
  g_autofree char *rows = NULL;

  g_assert_true (assay_project_ensure_annotator (f->project, "judge-1", NULL, -1, &id, &error));
  g_assert_true (assay_project_ensure_annotator (f->project, "judge-1", "Lumen",
                                                 ASSAY_ANNOTATOR_MODEL, &again, &error));
  g_assert_cmpint (id, ==, again);
  g_assert_cmpint (assay_project_lookup_annotator (f->project, "judge-1"), ==, id);
  rows = query_fresh (f, "SELECT ext_id, name, kind FROM annotators ORDER BY ext_id");
  g_assert_cmpstr (rows, ==, "dr.osei|Dr. Osei|person;judge-1|Lumen|model;");

  g_assert_false (assay_project_ensure_annotator (f->project, "", NULL, -1, &id, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/judgments/labels", test_labels);
  ADD ("/assay/judgments/spans", test_spans);
  ADD ("/assay/judgments/correction-and-stamps", test_correction_and_stamps);
  ADD ("/assay/judgments/scores", test_scores);
  ADD ("/assay/judgments/ranking", test_ranking);
  ADD ("/assay/judgments/comparison", test_comparison);
  ADD ("/assay/judgments/notes-and-status", test_notes_and_status);
  ADD ("/assay/judgments/annotators", test_annotators);

  return g_test_run ();
}
