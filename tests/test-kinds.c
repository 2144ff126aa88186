/* test-kinds.c: the judgment kinds are described once, and the description
 * matches what is stored, read and written
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <jansson.h>
#include <sqlite3.h>

#include "assay-core.h"
#include "assay-kind-private.h"
#include "assay-project-private.h"

typedef struct
{
  char         *dir;
  AssayProject *project;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("assay-kinds-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "kinds.assay", NULL);
  f->project = assay_project_create (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (assay_project_get_path (f->project));
  g_autofree char *lock = g_strconcat (path, "-lock", NULL);

  g_assert_finalize_object (f->project);
  g_unlink (path);
  g_unlink (lock);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static GPtrArray *
columns_of (sqlite3    *db,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info ('%s')", table);
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return columns;
}

static gboolean
has_column (GPtrArray  *columns,
            const char *name)
{
  return g_ptr_array_find_with_equal_func (columns, name, g_str_equal, NULL);
}

/* Every table that holds an annotator's work is some kind's table: a
 * judgment table that no description covers would be left out of clearing,
 * merging, counting and exporting. */
static void
test_every_judgment_table_is_a_kind (Fixture       *f,
                                     gconstpointer  data)
{
  sqlite3 *db = _assay_project_get_db (f->project);
  sqlite3_stmt *stmt;
  guint n_kinds, n_tables = 0;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  /* suggestions records what a model was asked (assay-suggest.c): the
   * judgments it answered with are in the kinds' tables. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT name FROM sqlite_schema WHERE type = 'table'"
                                       " AND name NOT IN ('annotators', 'suggestions')", -1,
                                       &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(GPtrArray) columns = columns_of (db, table);
      gboolean described = FALSE;

      if (!has_column (columns, "annotator_id"))
        continue;
      n_tables++;
      for (guint i = 0; i < n_kinds; i++)
        described |= g_str_equal (kinds[i]->table, table);
      if (!described)
        g_error ("the table %s holds judgments but no kind describes it", table);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_tables, ==, n_kinds);
}

/* What a description says of its table is true of the table. */
static void
test_descriptions_match_tables (Fixture       *f,
                                gconstpointer  data)
{
  sqlite3 *db = _assay_project_get_db (f->project);
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  g_assert_cmpuint (n_kinds, >=, 8);
  g_assert_cmpint (ASSAY_SCHEMA_VERSION, >=, ASSAY_BASE_SCHEMA_VERSION);

  for (guint i = 0; i < n_kinds; i++)
    {
      const AssayKind *kind = kinds[i];
      g_autoptr(GPtrArray) columns = columns_of (db, kind->table);
      g_autofree char *unique = NULL;
      const char *stamp[] = { "annotator_id", "created_at", "updated_at", "time_spent" };

      g_test_message ("kind %s", kind->type);
      g_assert_true (_assay_kind_lookup (kind->type) == kind);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (kinds[j]->type, !=, kind->type);
      for (guint j = 0; j < G_N_ELEMENTS (stamp); j++)
        g_assert_true (has_column (columns, stamp[j]));
      g_assert_true (has_column (columns, kind->scope == ASSAY_KIND_OF_SOURCE ? "source_id"
                                                                             : "candidate_id"));
      g_assert_cmpint (kind->since, >=, 1);
      g_assert_cmpint (kind->since, <=, ASSAY_SCHEMA_VERSION);
      g_assert_nonnull (kind->read);
      g_assert_nonnull (kind->write);
      g_assert_nonnull (kind->rules);

      /* The key is the table's primary key or one of its unique indexes:
       * saving the same judgment again replaces it. */
      unique = g_strdup_printf ("SELECT count(*) FROM ("
                                " SELECT group_concat (name, ', ') AS k FROM"
                                "  (SELECT name FROM pragma_table_info ('%s') WHERE pk > 0"
                                "   ORDER BY pk)"
                                " UNION ALL SELECT replace (replace (substr (sql,"
                                "   instr (sql, '(') + 1, length (sql) - instr (sql, '(') - 1),"
                                "   char (10), ''), '  ', '')"
                                "  FROM sqlite_schema WHERE type = 'index' AND tbl_name = '%s'"
                                "   AND sql LIKE 'CREATE UNIQUE%%')"
                                " WHERE trim (k) = ?",
                                kind->table, kind->table);
      {
        sqlite3_stmt *stmt;

        g_assert_cmpint (sqlite3_prepare_v2 (db, unique, -1, &stmt, NULL), ==, SQLITE_OK);
        sqlite3_bind_text (stmt, 1, kind->key, -1, SQLITE_STATIC);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        if (sqlite3_column_int (stmt, 0) != 1)
          g_error ("the key of %s (%s) is not a unique key of %s", kind->type, kind->key,
                   kind->table);
        sqlite3_finalize (stmt);
      }
    }
}

/* The native record of every kind is in the JSON schema and in the docs. */
static void
test_records_are_documented (void)
{
  const char *srcdir = g_getenv ("ASSAY_SRCDIR");
  g_autofree char *schema_path = NULL;
  g_autofree char *docs_path = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *docs = NULL;
  g_autoptr(GError) error = NULL;
  guint n_kinds;
  const AssayKind * const *kinds = _assay_kinds (&n_kinds);

  if (srcdir == NULL)
    {
      g_test_skip ("ASSAY_SRCDIR is not set");
      return;
    }
  schema_path = g_build_filename (srcdir, "data", "schemas", "assay-native.schema.json", NULL);
  docs_path = g_build_filename (srcdir, "docs", "formats.md", NULL);
  g_file_get_contents (schema_path, &schema, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (docs_path, &docs, NULL, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_kinds; i++)
    {
      g_autofree char *in_schema = g_strdup_printf ("\"const\": \"%s\"", kinds[i]->type);
      g_autofree char *in_docs = g_strdup_printf ("**%s**:", kinds[i]->type);

      g_test_message ("kind %s", kinds[i]->type);
      g_assert_nonnull (strstr (schema, in_schema));
      g_assert_nonnull (strstr (docs, in_docs));
      for (guint j = 0; kinds[i]->members[j] != NULL; j++)
        {
          g_autofree char *member = g_strdup_printf ("\"%s\"", kinds[i]->members[j]);

          g_assert_nonnull (strstr (schema, member));
        }
    }
}

/* One record of each kind: imported, loaded, counted, cleared. */
static const char native[] =
  "{\"type\":\"template\",\"name\":\"Kinds\",\"judgments\":[\"labels\",\"spans\",\"correction\","
  "\"scores\",\"ranking\",\"pairwise\"],"
  "\"label_sets\":[{\"name\":\"Verdict\",\"options\":[{\"name\":\"Accept\"},{\"name\":\"Reject\"}]},"
  "{\"name\":\"Issue\",\"scope\":\"span\",\"options\":[{\"name\":\"Omission\"}]}],"
  "\"criteria\":[{\"name\":\"Faithful\",\"min\":1,\"max\":5}]}\n"
  "{\"id\":\"s1\",\"text\":\"The patient reports a cough for two weeks.\","
  "\"candidates\":[{\"id\":\"a\",\"model\":\"m1\",\"text\":\"Cough, two weeks.\"},"
  "{\"id\":\"b\",\"model\":\"m2\",\"text\":\"A fever.\"}],"
  "\"judgments\":["
  "{\"type\":\"status\",\"annotator\":\"r1\",\"status\":\"done\"},"
  "{\"type\":\"note\",\"annotator\":\"r1\",\"text\":\"Short source.\"},"
  "{\"type\":\"correction\",\"annotator\":\"r1\",\"candidate\":\"b\",\"text\":\"A cough.\"},"
  "{\"type\":\"comparison\",\"annotator\":\"r1\",\"a\":\"a\",\"b\":\"b\",\"winner\":\"a\"},"
  "{\"type\":\"labels\",\"annotator\":\"r1\",\"candidate\":\"a\",\"labels\":{\"Verdict\":\"Accept\"}},"
  "{\"type\":\"span\",\"annotator\":\"r1\",\"candidate\":\"b\",\"start\":2,\"end\":7,"
  "\"text\":\"fever\",\"label\":\"Omission\",\"evidence\":[{\"start\":22,\"end\":27}]},"
  "{\"type\":\"scores\",\"annotator\":\"r1\",\"candidate\":\"a\",\"scores\":{\"Faithful\":5}},"
  "{\"type\":\"ranking\",\"annotator\":\"r1\",\"ranks\":{\"a\":1,\"b\":2}}]}\n";

static void
test_one_of_each (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = g_bytes_new_static (native, sizeof native - 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = NULL;
  g_autoptr(GPtrArray) who = NULL;
  g_autofree char *last = NULL;
  AssayProjectCounts counts;
  gint64 source, annotator;
  AssayItemCandidate *a, *b;

  assay_import_add_bytes (import, "kinds.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run (import, NULL, &error);
  g_assert_no_error (error);

  source = assay_project_lookup_source (f->project, "s1");
  annotator = assay_project_lookup_annotator (f->project, "r1");
  item = assay_project_load_item (f->project, source, annotator, &error);
  g_assert_no_error (error);
  a = assay_item_find_candidate (item, assay_project_lookup_candidate (f->project, source, "a"));
  b = assay_item_find_candidate (item, assay_project_lookup_candidate (f->project, source, "b"));
  g_assert_cmpint (item->status, ==, ASSAY_STATUS_DONE);
  g_assert_cmpstr (item->note, ==, "Short source.");
  g_assert_cmpstr (b->correction, ==, "A cough.");
  g_assert_cmpuint (item->comparisons->len, ==, 1);
  g_assert_cmpuint (a->labels->len, ==, 1);
  g_assert_cmpuint (b->spans->len, ==, 1);
  g_assert_cmpuint (((AssayItemSpan *) g_ptr_array_index (b->spans, 0))->evidence->len, ==, 1);
  g_assert_cmpuint (g_hash_table_size (a->scores), ==, 1);
  g_assert_cmpint (a->rank, ==, 1);
  g_assert_cmpint (b->rank, ==, 2);

  /* One native record each, as the export writes them. */
  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.judgments, ==, g_strv_length ((char **) assay_judgment_types ()));

  who = assay_project_list_item_annotators (f->project, source, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (who->len, ==, 1);
  last = assay_project_dup_last_update (f->project, source, annotator);
  g_assert_nonnull (last);

  /* Clearing goes through every kind. */
  g_assert_true (assay_project_clear_judgments (f->project, source, annotator, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_cmpint (counts.judgments, ==, 0);
  g_assert_null (assay_project_dup_last_update (f->project, source, annotator));
}

/* Any kind, through its record: what is read back, cleared and saved
 * again is what was there, times included. This is the path undo takes. */
static void
test_records_round_trip (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = g_bytes_new_static (native, sizeof native - 1);
  g_autoptr(GError) error = NULL;
  const char * const *types = assay_judgment_types ();
  gint64 source, annotator;
  AssayProjectCounts counts;

  assay_import_add_bytes (import, "kinds.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run (import, NULL, &error);
  g_assert_no_error (error);
  source = assay_project_lookup_source (f->project, "s1");
  annotator = assay_project_lookup_annotator (f->project, "r1");

  g_assert_cmpuint (g_strv_length ((char **) types), >=, 8);
  for (guint i = 0; types[i] != NULL; i++)
    {
      g_autofree char *before = NULL;
      g_autofree char *cleared = NULL;
      g_autofree char *after = NULL;
      json_t *list, *record;
      gsize k;

      g_test_message ("type %s", types[i]);
      before = assay_project_dup_records (f->project, source, annotator, types[i], 0, &error);
      g_assert_no_error (error);
      list = json_loads (before, 0, NULL);
      g_assert_cmpuint (json_array_size (list), ==, 1);
      g_assert_cmpstr (json_string_value (json_object_get (json_array_get (list, 0), "type")),
                       ==, types[i]);

      g_assert_true (assay_project_clear_records (f->project, source, annotator, types[i], 0,
                                                  &error));
      g_assert_no_error (error);
      cleared = assay_project_dup_records (f->project, source, annotator, types[i], 0, &error);
      g_assert_cmpstr (cleared, ==, "[]");

      json_array_foreach (list, k, record)
        {
          g_autofree char *text = json_dumps (record, JSON_COMPACT);

          g_assert_true (assay_project_save_record (f->project, source, annotator, text, NULL,
                                                    &error));
          g_assert_no_error (error);
        }
      json_decref (list);
      after = assay_project_dup_records (f->project, source, annotator, types[i], 0, &error);
      g_assert_cmpstr (after, ==, before);
    }
  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_cmpint (counts.judgments, ==, g_strv_length ((char **) assay_judgment_types ()));

  /* Only the named candidate's records, for kinds about a candidate. */
  {
    gint64 a = assay_project_lookup_candidate (f->project, source, "a");
    g_autofree char *on_a = NULL;
    g_autofree char *ranking = NULL;

    on_a = assay_project_dup_records (f->project, source, annotator, "correction", a, &error);
    g_assert_cmpstr (on_a, ==, "[]");
    ranking = assay_project_dup_records (f->project, source, annotator, "ranking", a, &error);
    g_assert_nonnull (strstr (ranking, "\"ranks\""));
  }

  /* A record is checked as an import checks it, and nothing is stored. */
  g_assert_false (assay_project_save_record (f->project, source, annotator,
                                             "{\"type\":\"labels\",\"candidate\":\"a\","
                                             "\"labels\":{\"Verdict\":\"Maybe\"}}",
                                             NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "has no label “Maybe”"));
  g_clear_error (&error);
  g_assert_false (assay_project_save_record (f->project, source, annotator,
                                             "{\"type\":\"mood\"}", NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_cmpint (counts.judgments, ==, g_strv_length ((char **) assay_judgment_types ()));
}

/* Records replaced in one go; a list with a record of another kind, or one
 * the template refuses, changes nothing. */
static void
test_replace_records (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = g_bytes_new_static (native, sizeof native - 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *unchanged = NULL;
  gint64 source, annotator, b;

  assay_import_add_bytes (import, "kinds.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run (import, NULL, &error);
  g_assert_no_error (error);
  source = assay_project_lookup_source (f->project, "s1");
  annotator = assay_project_lookup_annotator (f->project, "r1");
  b = assay_project_lookup_candidate (f->project, source, "b");

  g_assert_true (assay_project_replace_records (f->project, source, annotator, "correction", b,
                                                "[{\"type\":\"correction\",\"candidate\":\"b\","
                                                "\"text\":\"Two weeks of cough.\"}]",
                                                NULL, &error));
  g_assert_no_error (error);
  after = assay_project_dup_records (f->project, source, annotator, "correction", b, &error);
  g_assert_nonnull (strstr (after, "Two weeks of cough."));
  g_assert_null (strstr (after, "A cough."));

  before = g_strdup (after);
  g_assert_false (assay_project_replace_records (f->project, source, annotator, "correction", b,
                                                 "[{\"type\":\"note\",\"text\":\"x\"}]",
                                                 NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (assay_project_replace_records (f->project, source, annotator, "labels", 0,
                                                 "[{\"type\":\"labels\",\"candidate\":\"a\","
                                                 "\"labels\":{\"Verdict\":\"Maybe\"}}]",
                                                 NULL, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  unchanged = assay_project_dup_records (f->project, source, annotator, "correction", b, &error);
  g_assert_cmpstr (unchanged, ==, before);
  g_free (unchanged);
  unchanged = assay_project_dup_records (f->project, source, annotator, "labels", 0, &error);
  g_assert_nonnull (strstr (unchanged, "Accept"));
}

static void
test_unknown_type_names_the_known (Fixture       *f,
                                   gconstpointer  data)
{
  static const char line[] =
    "{\"type\":\"template\",\"name\":\"Kinds\",\"judgments\":[\"labels\"],"
    "\"label_sets\":[{\"name\":\"Verdict\",\"options\":[{\"name\":\"Accept\"}]}]}\n"
    "{\"id\":\"s1\",\"text\":\"Text.\",\"candidates\":[{\"id\":\"a\",\"model\":\"m\",\"text\":\"T.\"}],"
    "\"judgments\":[{\"type\":\"flag\",\"annotator\":\"r1\"}]}\n";
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GBytes) bytes = g_bytes_new_static (line, sizeof line - 1);
  g_autoptr(GError) error = NULL;

  assay_import_add_bytes (import, "flag.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run (import, NULL, &error);
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "flag.jsonl:2"));
  {
    g_autofree char *known = g_strjoinv (", ", (char **) assay_judgment_types ());
    g_autofree char *expected = g_strdup_printf ("(known: %s)", known);

    g_assert_nonnull (strstr (error->message, expected));
    g_assert_nonnull (strstr (error->message, "status, note, correction, comparison, labels, span, "
                                              "scores, ranking"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/kinds/every-judgment-table-is-a-kind", Fixture, NULL, fixture_set_up,
              test_every_judgment_table_is_a_kind, fixture_tear_down);
  g_test_add ("/kinds/descriptions-match-tables", Fixture, NULL, fixture_set_up,
              test_descriptions_match_tables, fixture_tear_down);
  g_test_add_func ("/kinds/records-are-documented", test_records_are_documented);
  g_test_add ("/kinds/one-of-each", Fixture, NULL, fixture_set_up, test_one_of_each,
              fixture_tear_down);
  g_test_add ("/kinds/records-round-trip", Fixture, NULL, fixture_set_up,
              test_records_round_trip, fixture_tear_down);
  g_test_add ("/kinds/replace-records", Fixture, NULL, fixture_set_up,
              test_replace_records, fixture_tear_down);
  g_test_add ("/kinds/unknown-type-names-the-known", Fixture, NULL, fixture_set_up,
              test_unknown_type_names_the_known, fixture_tear_down);

  return g_test_run ();
}
