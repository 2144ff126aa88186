/* test-salvage.c: saving what is readable of a damaged project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project with many items and judgments is damaged the way a disk or a
 * lost WAL damages one: whole pages become garbage. What the salvage saves
 * is compared with what a reader can still fetch, row by row, by primary
 * key, from the damaged file.
 */
#include "config.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-test-run.h"

#define N_SOURCES 120

typedef struct
{
  char *dir;
  char *path;      /* the project, damaged by the test that wants it so */
  char *copy;      /* where the salvage writes */
} Fixture;

static const char *
srcdir_file (const char *name)
{
  static char buffer[4096];
  const char *top = g_getenv ("ASSAY_SRCDIR");

  g_assert_nonnull (top);
  g_snprintf (buffer, sizeof buffer, "%s/%s", top, name);
  return buffer;
}

/* 120 items of 3 candidates, with the demo's template, and one reviewer's
 * labels, scores with rationales and statuses on every one: enough rows
 * that each table spans many pages. */
static void
build_project (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) bytes = NULL;
  AssayCriterion *faithfulness, *coverage;
  AssayLabelOption *accept;
  AssayLabelSet *verdict = NULL;
  gint64 annotator;

  g_assert_no_error (error);
  tmpl = assay_template_load_file (srcdir_file ("data/demo/template.json"), &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (project, tmpl, &error));
  g_clear_pointer (&tmpl, assay_template_unref);
  tmpl = assay_project_load_template (project, &error);
  g_assert_no_error (error);

  for (int i = 0; i < N_SOURCES; i++)
    {
      g_string_append_printf (jsonl, "{\"id\": \"visit-%03d\", \"title\": \"Follow-up visit %d\","
                              " \"text\": \"Patient %d reports that the cough eased after the"
                              " second week; the inhaler is used twice a day and sleep is"
                              " better. No fever since the last visit.\", \"candidates\": [",
                              i, i, i);
      for (int c = 0; c < 3; c++)
        g_string_append_printf (jsonl, "%s{\"id\": \"m%d\", \"model\": \"model-%c\", \"text\":"
                                " \"Candidate %d of visit %d: the cough eased, the inhaler is"
                                " used twice daily, sleep improved and there was no fever.\"}",
                                c ? ", " : "", c, 'a' + c, c, i);
      g_string_append (jsonl, "]}\n");
    }
  import = assay_import_new (project);
  bytes = g_bytes_new (jsonl->str, jsonl->len);
  assay_import_add_bytes (import, "visits.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (assay_project_ensure_annotator (project, "dr-lund", "Dr. Ada Lund", -1,
                                                 &annotator, &error));
  faithfulness = assay_template_find_criterion (tmpl, "faithfulness");
  coverage = assay_template_find_criterion (tmpl, "coverage");
  accept = assay_template_find_option (tmpl, "verdict", "accept", ASSAY_SCOPE_CANDIDATE,
                                       &verdict, NULL);
  g_assert_nonnull (faithfulness);
  g_assert_nonnull (coverage);
  g_assert_nonnull (accept);

  g_assert_true (assay_project_begin (project, &error));
  for (int i = 0; i < N_SOURCES; i++)
    {
      g_autofree char *ext_id = g_strdup_printf ("visit-%03d", i);
      gint64 source = assay_project_lookup_source (project, ext_id);

      for (int c = 0; c < 3; c++)
        {
          g_autofree char *cand_ext = g_strdup_printf ("m%d", c);
          g_autofree char *rationale = g_strdup_printf ("Candidate %d of visit %d keeps every "
                                                        "fact of the note and adds nothing.",
                                                        c, i);
          gint64 candidate = assay_project_lookup_candidate (project, source, cand_ext);

          g_assert_true (assay_project_set_score (project, candidate, annotator, faithfulness->id,
                                                  1 + (i + c) % 5, rationale, NULL, &error));
          g_assert_true (assay_project_set_score (project, candidate, annotator, coverage->id,
                                                  1 + (i * c) % 5, NULL, NULL, &error));
          g_assert_true (assay_project_set_labels (project, candidate, annotator, verdict->id,
                                                   &accept->id, 1, NULL, &error));
        }
      g_assert_true (assay_project_set_status (project, source, annotator, ASSAY_STATUS_DONE,
                                               NULL, &error));
    }
  g_assert_true (assay_project_commit (project, &error));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = g_dir_make_tmp ("assay-salvage-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "visits.assay", NULL);
  f->copy = g_build_filename (f->dir, "visits-saved.assay", NULL);
  build_project (f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);

      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->copy);
}

static sqlite3 *
open_raw (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

/* Every row of `sql` as one line of text, in the order returned; NULL if
 * the query fails (damage). */
static GPtrArray *
step_as_text (sqlite3_stmt *stmt)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  int rc;

  g_assert_nonnull (stmt);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (line, "%s|", sqlite3_column_type (stmt, i) == SQLITE_NULL
                                               ? "∅" : (const char *) sqlite3_column_text (stmt, i));
      g_ptr_array_add (rows, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (rows);
      return NULL;
    }
  return rows;
}

/* The rows a scan returns before it meets the damage. */
static void
scan_until_damage (sqlite3    *db,
                   const char *sql,
                   GHashTable *rows)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        g_string_append_printf (line, "%s|", sqlite3_column_type (stmt, i) == SQLITE_NULL
                                               ? "∅" : (const char *) sqlite3_column_text (stmt, i));
      g_hash_table_add (rows, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);
}

static GPtrArray *
rows_as_text (sqlite3    *db,
              const char *sql,
              gint64      bind)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (bind >= 0)
    sqlite3_bind_int64 (stmt, 1, bind);
  return step_as_text (stmt);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static AssaySalvageTable *
table_result (AssaySalvageReport *report,
              const char         *name)
{
  for (guint i = 0; i < report->tables->len; i++)
    {
      AssaySalvageTable *table = g_ptr_array_index (report->tables, i);

      if (g_str_equal (table->table, name))
        return table;
    }
  g_assert_not_reached ();
}

static void
assert_same_rows (GPtrArray *have,
                  GPtrArray *want)
{
  g_assert_nonnull (have);
  g_assert_cmpuint (have->len, ==, want->len);
  for (guint i = 0; i < want->len; i++)
    g_assert_cmpstr (g_ptr_array_index (have, i), ==, g_ptr_array_index (want, i));
}

static void
assert_sound (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  g_assert_true (assay_check_project (path, &problems, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("%s\n", (const char *) g_ptr_array_index (problems, i));
  g_assert_cmpuint (problems->len, ==, 0);
}

#define CANDIDATE_COLUMNS "id, source_id, ext_id, model, text, prompt, metadata, position"
#define SCORE_COLUMNS "candidate_id, annotator_id, criterion_id, value, rationale, created_at," \
                      " updated_at, time_spent"

/* Damaged pages in the middle of the candidates and of the scores: every
 * row a reader can still fetch is saved, exactly as it was, and nothing
 * else; a score of a candidate that was lost is left out; the copy is a
 * sound project and the damaged file is not changed. */
static void
test_damaged_pages (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySalvageReport) report = NULL;
  g_autoptr(GPtrArray) all_candidates = NULL;
  g_autoptr(GPtrArray) all_scores = NULL;
  g_autoptr(GPtrArray) all_sources = NULL;
  g_autoptr(GPtrArray) want_candidates = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) want_scores = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) readable = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) readable_candidates = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                                     g_free, NULL);
  g_autoptr(GArray) candidate_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) score_keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) problems = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint unreadable_scores = 0, orphaned_scores = 0;
  sqlite3 *db;

  db = open_raw (f->path);
  all_sources = rows_as_text (db, "SELECT * FROM sources ORDER BY id", -1);
  all_candidates = rows_as_text (db, "SELECT " CANDIDATE_COLUMNS " FROM candidates ORDER BY id",
                                 -1);
  all_scores = rows_as_text (db, "SELECT " SCORE_COLUMNS " FROM scores ORDER BY candidate_id,"
                             " annotator_id, criterion_id", -1);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (db, "SELECT id FROM candidates ORDER BY id", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      {
        gint64 id = sqlite3_column_int64 (stmt, 0);

        g_array_append_val (candidate_ids, id);
      }
    sqlite3_finalize (stmt);
    sqlite3_prepare_v2 (db, "SELECT candidate_id, annotator_id, criterion_id FROM scores"
                        " ORDER BY candidate_id, annotator_id, criterion_id", -1, &stmt, NULL);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      for (int k = 0; k < 3; k++)
        {
          gint64 value = sqlite3_column_int64 (stmt, k);

          g_array_append_val (score_keys, value);
        }
    sqlite3_finalize (stmt);
  }
  sqlite3_close (db);
  g_assert_cmpuint (all_candidates->len, ==, 3 * N_SOURCES);
  g_assert_cmpuint (all_scores->len, ==, 6 * N_SOURCES);

  /* Pages in the middle: the tables' first and last rows stay readable,
   * so the salvage has to read on both sides of the damage. */
  g_assert_cmpuint (assay_test_damage_table (f->path, "candidates"), >=, 5);
  g_assert_cmpuint (assay_test_damage_table (f->path, "scores"), >=, 5);
  before = file_checksum (f->path);

  /* What a reader can still fetch: each row by its whole primary key (a
   * lookup that reads only the pages on its path), and the rows a scan in
   * either direction returns before it meets the damage (an index b-tree
   * keeps some rows in its inner pages, which a lookup may pass by). */
  db = open_raw (f->path);
  scan_until_damage (db, "SELECT " CANDIDATE_COLUMNS " FROM candidates ORDER BY id",
                     readable);
  scan_until_damage (db, "SELECT " CANDIDATE_COLUMNS " FROM candidates ORDER BY id DESC",
                     readable);
  for (guint i = 0; i < candidate_ids->len; i++)
    {
      gint64 id = g_array_index (candidate_ids, gint64, i);
      g_autoptr(GPtrArray) row = rows_as_text (db, "SELECT " CANDIDATE_COLUMNS
                                               " FROM candidates WHERE id = ?1", id);

      if (row != NULL && row->len == 1)
        g_hash_table_add (readable, g_strdup (g_ptr_array_index (row, 0)));
    }
  scan_until_damage (db, "SELECT " SCORE_COLUMNS " FROM scores"
                     " ORDER BY candidate_id, annotator_id, criterion_id", readable);
  scan_until_damage (db, "SELECT " SCORE_COLUMNS " FROM scores"
                     " ORDER BY candidate_id DESC, annotator_id DESC, criterion_id DESC",
                     readable);
  for (guint i = 0; i < score_keys->len / 3; i++)
    {
      gint64 *key = &g_array_index (score_keys, gint64, 3 * i);
      g_autoptr(GPtrArray) row = NULL;
      sqlite3_stmt *stmt = NULL;

      sqlite3_prepare_v2 (db, "SELECT " SCORE_COLUMNS " FROM scores WHERE candidate_id = ?1"
                          " AND annotator_id = ?2 AND criterion_id = ?3", -1, &stmt, NULL);
      for (int k = 0; k < 3; k++)
        sqlite3_bind_int64 (stmt, k + 1, key[k]);
      row = step_as_text (stmt);
      if (row != NULL && row->len == 1)
        g_hash_table_add (readable, g_strdup (g_ptr_array_index (row, 0)));
    }
  sqlite3_close (db);

  /* Expected: the readable candidates, and the readable scores of those. */
  for (guint i = 0; i < all_candidates->len; i++)
    {
      const char *row = g_ptr_array_index (all_candidates, i);

      if (g_hash_table_contains (readable, row))
        {
          g_ptr_array_add (want_candidates, g_strdup (row));
          g_hash_table_add (readable_candidates,
                            g_memdup2 (&g_array_index (candidate_ids, gint64, i),
                                       sizeof (gint64)));
        }
    }
  for (guint i = 0; i < all_scores->len; i++)
    {
      const char *row = g_ptr_array_index (all_scores, i);
      gint64 candidate = g_ascii_strtoll (row, NULL, 10);

      if (!g_hash_table_contains (readable, row))
        unreadable_scores++;
      else if (!g_hash_table_contains (readable_candidates, &candidate))
        orphaned_scores++;
      else
        g_ptr_array_add (want_scores, g_strdup (row));
    }

  /* The damage took something, and left most. */
  g_assert_cmpuint (want_candidates->len, <, all_candidates->len);
  g_assert_cmpuint (want_candidates->len, >, all_candidates->len / 2);
  g_assert_cmpuint (unreadable_scores, >, 0);
  g_assert_cmpuint (orphaned_scores, >, 0);

  /* Checking finds it. */
  g_assert_true (assay_check_pages (f->path, &problems, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, >, 0);
  g_clear_pointer (&problems, g_ptr_array_unref);

  g_assert_true (assay_salvage_project (f->path, f->copy, &report, &error));
  g_assert_no_error (error);

  db = open_raw (f->copy);
  {
    g_autoptr(GPtrArray) sources = rows_as_text (db, "SELECT * FROM sources ORDER BY id", -1);
    g_autoptr(GPtrArray) candidates = rows_as_text (db, "SELECT " CANDIDATE_COLUMNS
                                                    " FROM candidates ORDER BY id", -1);
    g_autoptr(GPtrArray) scores = rows_as_text (db, "SELECT " SCORE_COLUMNS " FROM scores"
                                                " ORDER BY candidate_id, annotator_id,"
                                                " criterion_id", -1);

    assert_same_rows (sources, all_sources);
    assert_same_rows (candidates, want_candidates);
    assert_same_rows (scores, want_scores);
  }
  sqlite3_close (db);

  g_assert_cmpint (table_result (report, "sources")->saved, ==, N_SOURCES);
  g_assert_false (table_result (report, "sources")->damaged);
  g_assert_cmpint (table_result (report, "candidates")->saved, ==, want_candidates->len);
  g_assert_cmpint (table_result (report, "candidates")->unreadable, ==,
                   all_candidates->len - want_candidates->len);
  g_assert_true (table_result (report, "candidates")->damaged);
  g_assert_cmpint (table_result (report, "scores")->saved, ==, want_scores->len);
  g_assert_cmpint (table_result (report, "scores")->refused, ==, orphaned_scores);
  g_assert_true (table_result (report, "scores")->damaged);
  g_assert_cmpuint (report->n_damaged, ==, 2);
  g_assert_cmpint (report->unreadable, >, 0);

  /* The copy is sound, and opens as a project; the damaged file is as it was. */
  assert_sound (f->copy);
  g_assert_true (assay_check_pages (f->copy, &problems, NULL, &error));
  g_assert_cmpuint (problems->len, ==, 0);
  after = file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);
  {
    g_autoptr(AssayProject) project = assay_project_open (f->copy, &error);

    g_assert_no_error (error);
    g_assert_nonnull (project);
  }
}

/* A sound project is copied whole. */
static void
test_sound_project (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssaySalvageReport) report = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  AssayProjectCounts have, want;

  g_assert_true (assay_check_pages (f->path, &problems, NULL, &error));
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_true (assay_salvage_project (f->path, f->copy, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_damaged, ==, 0);
  g_assert_cmpint (report->unreadable, ==, 0);
  g_assert_cmpint (report->refused, ==, 0);
  assert_sound (f->copy);
  {
    g_autoptr(AssayProject) original = assay_project_open (f->path, &error);
    g_autoptr(AssayProject) copy = assay_project_open (f->copy, &error);

    g_assert_true (assay_project_get_counts (original, &want, &error));
    g_assert_true (assay_project_get_counts (copy, &have, &error));
    g_assert_cmpint (have.sources, ==, want.sources);
    g_assert_cmpint (have.candidates, ==, want.candidates);
    g_assert_cmpint (have.judgments, ==, want.judgments);
    g_assert_cmpint (have.status[ASSAY_STATUS_DONE], ==, N_SOURCES);
  }
}

/* The copy never goes over an existing file, nor over the project itself. */
static void
test_refuses_existing (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = file_checksum (f->path);
  g_autofree char *after = NULL;

  g_assert_false (assay_salvage_project (f->path, f->path, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (f->copy, "notes\n", -1, NULL));
  g_assert_false (assay_salvage_project (f->path, f->copy, NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_EXISTS);
  after = file_checksum (f->path);
  g_assert_cmpstr (after, ==, before);
  g_assert_true (assay_path_holds_project (f->path));
  g_assert_false (assay_path_holds_project (f->copy));
}

/* assay-cli salvage: the report, and an exit status that says rows were lost. */
static void
test_cli (Fixture       *f,
          gconstpointer  data)
{
  const char *cli = g_getenv ("ASSAY_CLI");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  const char *argv[] = { cli, "salvage", f->path, f->copy, NULL };

  g_assert_nonnull (cli);
  assay_test_damage_table (f->path, "scores");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (out, "scores"));
  g_assert_nonnull (strstr (out, "damaged"));
  g_assert_nonnull (strstr (out, "rows saved"));
  assert_sound (f->copy);

  /* Again onto the copy it made: refused, and the copy is kept. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "already exists"));
  assert_sound (f->copy);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/salvage/damaged-pages", test_damaged_pages);
  ADD ("/assay/salvage/sound-project", test_sound_project);
  ADD ("/assay/salvage/refuses-existing", test_refuses_existing);
  ADD ("/assay/salvage/cli", test_cli);

  return g_test_run ();
}
