/* test-evidence.c: the passages that bear on a claim, and their index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <jansson.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-evidence-private.h"
#include "assay-test-run.h"

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
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *sources = NULL;

  f->dir = g_dir_make_tmp ("assay-evidence-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "p.assay", NULL);
  project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
  import = assay_import_new (project);
  sources = g_test_build_filename (G_TEST_DIST, "data", "evidence", "sources.jsonl", NULL);
  assay_import_add_file (import, sources, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  assay_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static GPtrArray *
rank (AssayProject *project,
      const char   *source,
      const char   *claim,
      guint         limit)
{
  g_autoptr(GError) error = NULL;
  gint64 id = assay_project_lookup_source (project, source);
  GPtrArray *passages;

  g_assert_cmpint (id, >, 0);
  passages = assay_evidence_rank (project, id, claim, limit, &error);
  g_assert_no_error (error);
  g_assert_nonnull (passages);
  return passages;
}

static AssayEvidencePassage *
top (GPtrArray *passages)
{
  g_assert_cmpuint (passages->len, >, 0);
  return g_ptr_array_index (passages, 0);
}

/* The text of a passage's matches, joined by "|". */
static char *
matched_words (AssayEvidencePassage *passage)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < passage->matches->len; i++)
    {
      AssayRange *r = &g_array_index (passage->matches, AssayRange, i);
      g_autofree char *word = g_utf8_substring (passage->text, r->start, r->end);

      g_assert_cmpint (r->start, >=, 0);
      g_assert_cmpint (r->end, <=, passage->end - passage->start);
      if (i > 0)
        g_string_append_c (s, '|');
      g_string_append (s, word);
    }
  return g_string_free (s, FALSE);
}

/* Every passage is the source's text at its code-point offsets. */
static void
assert_offsets (AssayProject *project,
                const char   *source,
                GPtrArray    *passages)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = NULL;

  item = assay_project_load_item (project, assay_project_lookup_source (project, source), 0,
                                  &error);
  g_assert_no_error (error);
  for (guint i = 0; i < passages->len; i++)
    {
      AssayEvidencePassage *p = g_ptr_array_index (passages, i);
      g_autofree char *expected = g_utf8_substring (item->text, p->start, p->end);

      g_assert_cmpstr (p->text, ==, expected);
      if (i > 0)
        g_assert_cmpfloat (p->score, <=,
                           ((AssayEvidencePassage *) g_ptr_array_index (passages, i - 1))->score);
    }
}

static void
test_ranking (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(GPtrArray) contract = NULL;
  g_autoptr(GPtrArray) cash = NULL;
  g_autoptr(GPtrArray) dose = NULL;
  g_autoptr(GPtrArray) follow_up = NULL;
  g_autoptr(GPtrArray) welders = NULL;
  g_autofree char *words = NULL;

  g_assert_no_error (error);

  /* "$6m" is "6,000,000", "14 September" is "September 14th": the segment
   * that says so comes first, above two that name Lisbon alone. */
  contract = rank (project, "halvorsen-q3", "Halvorsen won a $6m deal in Lisbon on 14 September",
                   5);
  g_assert_cmpstr (top (contract)->text, ==,
                   "We signed the Lisbon harbour contract on September 14th. It is worth "
                   "6,000,000 euros over three years.");
  words = matched_words (top (contract));
  g_assert_cmpstr (words, ==, "Lisbon|September 14th|6,000,000");
  g_assert_cmpuint (contract->len, >=, 3);
  assert_offsets (project, "halvorsen-q3", contract);

  /* The speaker a claim names counts. */
  cash = rank (project, "halvorsen-q3", "Oyelaran put cash at 23 million euros", 3);
  g_assert_true (g_str_has_prefix (top (cash)->text, "Cash at the end of the quarter"));

  dose = rank (project, "clinic-delacroix", "He takes 400 mg of ibuprofen two times a day", 3);
  g_assert_true (g_str_has_prefix (top (dose)->text, "Ibuprofen, 400 milligrams"));

  follow_up = rank (project, "clinic-delacroix", "The follow-up is on March 21", 3);
  g_assert_true (g_str_has_prefix (top (follow_up)->text, "I'll write a letter"));

  /* Written numbers are numbers. */
  welders = rank (project, "halvorsen-q3", "They are hiring 14 people", 3);
  g_assert_true (g_str_has_prefix (top (welders)->text, "No. There will be no layoffs"));

  /* Nothing in common: nothing. */
  g_clear_pointer (&welders, g_ptr_array_unref);
  welders = rank (project, "halvorsen-q3", "zebras", 3);
  g_assert_cmpuint (welders->len, ==, 0);
}

static void
test_numbers (void)
{
  static const struct { const char *text; const char *expected; } cases[] = {
    { "6 million", "n6000000" },
    { "6,000,000 euros", "n6000000" },
    { "$6m", "n6000000" },
    { "€6.5 million", "n6500000" },
    { "fourteen welders", "n14" },
    { "twenty-five and three hundred and forty", "n25 n340" },
    { "one of them", "" },
    { "March 3, 2024", "d0303 n2024" },
    { "the 3rd of March", "d0303" },
    { "3 March", "d0303" },
    { "may we meet on May 5", "d0505" },
    { "12.5% up", "n12p5" },
    { "about 2,000 buns", "n2000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *numbers = _assay_evidence_dump_numbers (cases[i].text);

      g_assert_cmpstr (numbers, ==, cases[i].expected);
    }
}

static void
test_sentences (void)
{
  static const struct { const char *text; const char *expected; } cases[] = {
    /* An abbreviation and an initial do not end a sentence; a question does. */
    { "Dr. Okafor met J. Reyes at noon. Was it late? Yes!", "0-32\n33-45\n46-50\n" },
    /* A line break ends one; a stop followed by a lower-case word does not. */
    { "Line one\nIt costs 3.5 euros. e.g. this one", "0-8\n9-42\n" },
    { "“Done.” Then more.", "0-7\n8-18\n" },
    { "  ", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sentences = _assay_evidence_dump_sentences (cases[i].text);

      g_assert_cmpstr (sentences, ==, cases[i].expected);
    }
}

static void
test_code_points (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(GPtrArray) praise = NULL;
  g_autoptr(GPtrArray) prices = NULL;
  g_autofree char *words = NULL;
  AssayEvidencePassage *p;

  g_assert_no_error (error);
  /* Without the accent, as a person types it. */
  praise = rank (project, "kanel-profile", "Amelie Fournier praised the buns", 3);
  p = top (praise);
  g_assert_true (g_str_has_prefix (p->text, "Then a food writer, Amélie Fournier"));
  /* After "Zoë", "Brønstad", "Tromsø", "École", "Hélène": code points, not bytes. */
  g_assert_cmpint (p->start, ==, 396);
  words = matched_words (p);
  g_assert_cmpstr (words, ==, "Amélie|Fournier|buns");
  assert_offsets (project, "kanel-profile", praise);

  prices = rank (project, "kanel-profile", "A bun now costs 3.40 euros, up from 2.10 in 2019",
                 3);
  g_assert_true (g_str_has_prefix (top (prices)->text, "Prices have risen too"));
  assert_offsets (project, "kanel-profile", prices);
}

static void
test_syntax (Fixture       *f,
             gconstpointer  data)
{
  static const char * const claims[] = {
    "\"Lisbon\" AND NOT (harbour*) NEAR(contract, 2)",
    "text:Lisbon ^contract -steel",
    "Lisbon OR",
    "{text speaker}: Lisbon",
    "Lisbon\" contract",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  gint64 id = assay_project_lookup_source (project, "halvorsen-q3");

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (claims); i++)
    {
      g_autoptr(GPtrArray) passages = rank (project, "halvorsen-q3", claims[i], 3);
      gboolean found = FALSE;

      /* Every word is a word ("steel", "text", "near" too). */
      for (guint k = 0; k < passages->len; k++)
        found |= g_str_has_prefix (((AssayEvidencePassage *) g_ptr_array_index (passages, k))->text,
                                   "We signed the Lisbon harbour");
      g_assert_true (found);
    }

  /* Syntax alone, or only common words: no passage, and no error. */
  for (guint i = 0; i < 4; i++)
    {
      static const char * const empty[] = { "\"", "*** ^ :", "", "NEAR( )" };
      g_autoptr(GPtrArray) passages = assay_evidence_rank (project, id, empty[i], 3, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (passages->len, ==, 0);
    }
  {
    /* Common words are searched when there is nothing else. */
    g_autoptr(GPtrArray) passages = rank (project, "halvorsen-q3", "and or not", 3);

    g_assert_cmpuint (passages->len, ==, 3);
  }
}

static void
test_cli_json (Fixture       *f,
               gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0, };
  g_auto(AssayTestRun) text = { 0, };
  g_auto(AssayTestRun) missing = { 0, };
  g_autoptr(json_t) root = NULL;
  json_error_t jerror;
  double last = G_MAXDOUBLE;

  assay_test_run_cli (&r, "evidence", f->path, "--source", "eastbrook-council", "--text",
                      "Fixing the bridge costs £240k, nearly double the budget", "--json",
                      "--limit", "4", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = json_loads (r.out, 0, &jerror);
  g_assert_nonnull (root);
  g_assert_true (json_is_array (root));
  g_assert_cmpuint (json_array_size (root), ==, 4);
  for (guint i = 0; i < json_array_size (root); i++)
    {
      json_t *item = json_array_get (root, i);

      g_assert_true (json_is_object (item));
      g_assert_cmpuint (json_object_size (item), ==, 4);
      g_assert_true (json_is_integer (json_object_get (item, "start")));
      g_assert_true (json_is_integer (json_object_get (item, "end")));
      g_assert_true (json_is_string (json_object_get (item, "text")));
      g_assert_true (json_is_number (json_object_get (item, "score")));
      g_assert_cmpfloat (json_number_value (json_object_get (item, "score")), <=, last);
      last = json_number_value (json_object_get (item, "score"));
    }
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (root, 0), "text")), ==,
                   "Repairs are estimated at £240,000, almost twice the amount set aside in "
                   "last year's budget.");
  /* "£" is one code point. */
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (root, 0), "start")), ==,
                   277);
  g_assert_cmpint (json_integer_value (json_object_get (json_array_get (root, 0), "end")), ==,
                   277 + 91);

  assay_test_run_cli (&text, "evidence", f->path, "--source", "eastbrook-council", "--text",
                      "bridge repairs", "--limit", "2", NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_true (g_str_has_prefix (text.out, " 1. "));
  g_assert_nonnull (strstr (text.out, "\n 2. "));
  g_assert_null (strstr (text.out, "\n 3. "));

  assay_test_run_cli (&missing, "evidence", f->path, "--source", "nowhere", "--text", "x", NULL);
  g_assert_cmpint (missing.status, ==, 1);
  g_assert_nonnull (strstr (missing.err, "nowhere"));
}

static gint64
query (const char *path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
exec (const char *path,
      const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_persist (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 n_passages;
  gint64 id;

  /* Built at import, for every source. */
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_sources"), ==, 4);
  n_passages = query (f->path, "SELECT count(*) FROM evidence_passages");
  g_assert_cmpint (n_passages, >, 60);

  {
    g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                               ASSAY_PROJECT_OPEN_READ_ONLY,
                                                               &error);
    g_autoptr(GPtrArray) passages = NULL;

    g_assert_no_error (error);
    id = assay_project_lookup_source (project, "clinic-delacroix");
    g_assert_true (assay_evidence_is_ready (project, id));
    passages = rank (project, "clinic-delacroix", "an ECG was ordered", 1);
    g_assert_true (g_str_has_prefix (top (passages)->text, "Then I want an ECG"));
  }

  /* Made under other rules: made again, once, when next needed. */
  exec (f->path, "UPDATE evidence_sources SET version = 0");
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
    g_autoptr(GPtrArray) passages = NULL;

    g_assert_no_error (error);
    g_assert_false (assay_evidence_is_ready (project, id));
    passages = rank (project, "clinic-delacroix", "an ECG was ordered", 1);
    g_assert_true (g_str_has_prefix (top (passages)->text, "Then I want an ECG"));
    g_assert_true (assay_evidence_is_ready (project, id));
  }
  /* Only the source asked for is indexed again; the others wait. */
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_sources"), ==, 1);
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_sources WHERE version = 0"),
                   ==, 0);
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_passages"), <, n_passages);

  /* A salvaged copy is indexed again from its sources. */
  {
    g_autofree char *copy = g_build_filename (f->dir, "copy.assay", NULL);
    g_autoptr(AssaySalvageReport) report = NULL;
    g_autoptr(AssayProject) project = NULL;
    g_autoptr(GPtrArray) passages = NULL;

    g_assert_true (assay_salvage_project (f->path, copy, &report, &error));
    g_assert_no_error (error);
    g_assert_cmpint (query (copy, "SELECT count(*) FROM evidence_passages"), ==, 0);
    project = assay_project_open (copy, &error);
    g_assert_no_error (error);
    passages = rank (project, "halvorsen-q3", "hiring fourteen welders", 1);
    g_assert_true (g_str_has_prefix (top (passages)->text, "No. There will be no layoffs"));
  }

  /* A source imported later is indexed as it comes in. */
  {
    static const char line[] =
      "{\"id\": \"late\", \"text\": \"A late source. It names Lisbon.\"}\n";
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
    g_autoptr(AssayImport) import = assay_import_new (project);
    g_autoptr(GBytes) bytes = g_bytes_new_static (line, strlen (line));

    assay_import_add_bytes (import, "late.jsonl", bytes, ASSAY_FORMAT_JSONL);
    g_assert_true (assay_import_run (import, NULL, &error));
    g_assert_no_error (error);
    g_assert_true (assay_evidence_is_ready (project, assay_project_lookup_source (project,
                                                                                  "late")));
  }
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  g_assert_true (assay_evidence_prepare_finish (ASSAY_PROJECT (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_read_only (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  exec (f->path, "INSERT INTO evidence_fts (evidence_fts) VALUES ('delete-all');"
                 "DELETE FROM evidence_passages; DELETE FROM evidence_sources;");

  {
    g_autoptr(AssayProject) project = assay_project_open_full (f->path,
                                                               ASSAY_PROJECT_OPEN_READ_ONLY,
                                                               &error);
    g_autoptr(GPtrArray) passages = NULL;
    gboolean done = FALSE;

    g_assert_no_error (error);
    id = assay_project_lookup_source (project, "kanel-profile");
    g_assert_false (assay_evidence_is_ready (project, id));
    passages = rank (project, "kanel-profile", "nineteen employees", 1);
    g_assert_true (g_str_has_prefix (top (passages)->text, "Today Kanel & Co. employs"));
    assert_offsets (project, "kanel-profile", passages);
    g_assert_true (assay_evidence_is_ready (project, id));

    /* In a worker, kept in memory for the caller. */
    id = assay_project_lookup_source (project, "halvorsen-q3");
    g_assert_false (assay_evidence_is_ready (project, id));
    assay_evidence_prepare_async (project, id, NULL, prepared_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (assay_evidence_is_ready (project, id));
  }
  /* Nothing was written. */
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_sources"), ==, 0);

  /* The command line reads such a project too. */
  {
    g_auto(AssayTestRun) r = { 0, };

    assay_test_run_cli (&r, "evidence", f->path, "--source", "kanel-profile", "--text",
                        "nineteen employees", "--json", "--limit", "1", NULL);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "Today Kanel & Co. employs"));
  }

  /* A project that can be written keeps what a worker builds. */
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
    gboolean done = FALSE;

    g_assert_no_error (error);
    assay_evidence_prepare_async (project, id, NULL, prepared_cb, &done);
    while (!done)
      g_main_context_iteration (NULL, TRUE);
    g_assert_true (assay_evidence_is_ready (project, id));
  }
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_sources"), ==, 1);

  /* Sources indexed one at a time (a project of an older format) keep
   * each other's index. */
  {
    g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
    g_autoptr(GPtrArray) passages = NULL;

    g_assert_no_error (error);
    passages = rank (project, "kanel-profile", "nineteen employees", 1);
    g_assert_true (g_str_has_prefix (top (passages)->text, "Today Kanel & Co. employs"));
  }
  g_assert_cmpint (query (f->path, "SELECT count(*) FROM evidence_sources"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/assay/evidence/ranking", Fixture, NULL, fixture_setup, test_ranking,
              fixture_teardown);
  g_test_add_func ("/assay/evidence/numbers", test_numbers);
  g_test_add_func ("/assay/evidence/sentences", test_sentences);
  g_test_add ("/assay/evidence/code-points", Fixture, NULL, fixture_setup, test_code_points,
              fixture_teardown);
  g_test_add ("/assay/evidence/syntax", Fixture, NULL, fixture_setup, test_syntax,
              fixture_teardown);
  g_test_add ("/assay/evidence/cli-json", Fixture, NULL, fixture_setup, test_cli_json,
              fixture_teardown);
  g_test_add ("/assay/evidence/persist", Fixture, NULL, fixture_setup, test_persist,
              fixture_teardown);
  g_test_add ("/assay/evidence/read-only", Fixture, NULL, fixture_setup, test_read_only,
              fixture_teardown);

  return g_test_run ();
}
