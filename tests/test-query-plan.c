/* test-query-plan.c: every query the core runs finds its rows through an index
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A realistic day of work goes through the core while every SQL text it
 * runs is recorded: import, opening (with its migrations), items loaded,
 * each judgment kind saved, a merge, check, each export format, statistics
 * and the queue's search and filters. Then EXPLAIN QUERY PLAN is asked of
 * each statement. What a user feels on a large project is a judgment table
 * read in full where a few rows were wanted, so the test fails on:
 *
 *  - a full scan of a judgment table in a statement that serves one item,
 *    one record or one keystroke (loading, saving, importing, merging, the
 *    queue): those run thousands of times or on every key;
 *  - in whole-project work (exports, statistics, check, counts), a full
 *    scan of a judgment table run once per row of something else (an inner
 *    loop or a correlated subquery), which grows with the square of the
 *    project;
 *  - a temporary B-tree (a sort in memory) while loading an item;
 *  - a foreign key of a judgment table without an index that starts with
 *    it: deleting the parent row (an annotator, a label option, a
 *    candidate) would scan the whole table once per row deleted.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "assay-core.h"
#include "assay-project-private.h"
#include "assay-stats.h"

static const char * const judgment_tables[] = {
  "labels", "spans", "span_evidence", "corrections", "scores", "rankings", "comparisons",
  "notes", "item_status", NULL,
};

typedef enum
{
  PHASE_NONE   = 0,
  PHASE_BULK   = 1 << 0,  /* whole-project work: one scan is fine, nested scans are not */
  PHASE_RECORD = 1 << 1,  /* one record or keystroke at a time: no scan at all */
  PHASE_LOAD   = 1 << 2,  /* loading an item: no scan and no temporary B-tree */
} Phase;

typedef struct
{
  GMutex      lock;
  GHashTable *statements;  /* SQL text -> Phase, the strictest it ran under */
  GHashTable *runs;        /* SQL text -> times it ran in the current phase */
  Phase       phase;
  char       *bulk_file;   /* a project read whole (a merge's other side) */
} Recorder;

static Recorder recorder;

/* The workload does everything it does per record at least this often. */
#define MIN_RUNS_PER_RECORD 3

static void
record_cb (const char *file,
           const char *sql,
           gpointer    user_data)
{
  Recorder *r = user_data;
  Phase phase;

  g_mutex_lock (&r->lock);
  phase = r->phase;
  if (phase != PHASE_NONE && r->bulk_file != NULL && file != NULL &&
      g_str_equal (file, r->bulk_file))
    phase = PHASE_BULK;
  if (phase != PHASE_NONE)
    {
      Phase known = GPOINTER_TO_UINT (g_hash_table_lookup (r->statements, sql));
      guint runs = GPOINTER_TO_UINT (g_hash_table_lookup (r->runs, sql)) + 1;

      g_hash_table_insert (r->runs, g_strdup (sql), GUINT_TO_POINTER (runs));
      /* An import or a merge also does some whole-project work once (the
       * counts before and after): what runs per record runs again and again. */
      if ((phase & (PHASE_RECORD | PHASE_LOAD)) && runs < MIN_RUNS_PER_RECORD)
        phase = PHASE_BULK;
      g_hash_table_insert (r->statements, g_strdup (sql), GUINT_TO_POINTER (known | phase));
    }
  g_mutex_unlock (&r->lock);
}

static void
set_phase (Phase phase)
{
  g_mutex_lock (&recorder.lock);
  if (phase != recorder.phase)
    g_hash_table_remove_all (recorder.runs);
  recorder.phase = phase;
  g_mutex_unlock (&recorder.lock);
}

/* ---- the workload ---- */

#define N_SOURCES 120

static const char *template_json =
  "{\"label_sets\": ["
  " {\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "  {\"name\": \"supported\"}, {\"name\": \"unsupported\"}]},"
  " {\"name\": \"issues\", \"multi\": true, \"options\": ["
  "  {\"name\": \"omission\"}, {\"name\": \"padding\"}]},"
  " {\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 5},"
  "  {\"name\": \"concision\", \"min\": 1, \"max\": 5}],"
  " \"accept\": {\"rule\": \"rank\"}}";

static const char *models[] = { "atlas", "brevity", "cobalt" };

/* Sources with three candidates each, and a day of judgments by two
 * people and a model on most of them, every kind on every source. */
static GBytes *
make_jsonl (void)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < N_SOURCES; i++)
    {
      g_string_append_printf (s, "{\"id\": \"call-%u\", \"title\": \"Call %u about a refund\","
                              " \"text\": \"Agent: the refund of %u euros was sent on Monday."
                              " Customer: thank you, goodbye.\", \"candidates\": [", i, i, i);
      for (guint c = 0; c < G_N_ELEMENTS (models); c++)
        g_string_append_printf (s, "%s{\"id\": \"%c\", \"model\": \"%s\", \"text\":"
                                " \"A refund of %u euros was sent.\"}",
                                c ? ", " : "", 'a' + c, models[c], i + c);
      g_string_append (s, "]}\n");
    }
  for (guint i = 0; i < N_SOURCES; i++)
    {
      const char *who = i % 3 == 0 ? "sam" : "priya";

      if (i % 5 == 4)
        continue;
      g_string_append_printf (s,
        "{\"type\": \"labels\", \"source\": \"call-%u\", \"candidate\": \"a\", \"annotator\":"
        " \"%s\", \"labels\": {\"issues\": [\"omission\"], \"verdict\": \"accept\"}}\n"
        "{\"type\": \"span\", \"source\": \"call-%u\", \"candidate\": \"b\", \"annotator\":"
        " \"%s\", \"start\": 2, \"end\": 8, \"label\": \"unsupported\", \"note\": \"No.\","
        " \"evidence\": [{\"start\": 7, \"end\": 13}]}\n"
        "{\"type\": \"correction\", \"source\": \"call-%u\", \"candidate\": \"c\","
        " \"annotator\": \"%s\", \"text\": \"The refund was sent on Monday.\"}\n"
        "{\"type\": \"scores\", \"source\": \"call-%u\", \"candidate\": \"a\", \"annotator\":"
        " \"%s\", \"scores\": {\"faithfulness\": 4, \"concision\": {\"score\": 3,"
        " \"rationale\": \"Long.\"}}}\n"
        "{\"type\": \"ranking\", \"source\": \"call-%u\", \"annotator\": \"%s\","
        " \"ranks\": {\"a\": 1, \"b\": 3, \"c\": 2}}\n"
        "{\"type\": \"comparison\", \"source\": \"call-%u\", \"annotator\": \"%s\","
        " \"a\": \"b\", \"b\": \"a\", \"winner\": \"b\", \"rationale\": \"Right amount.\"}\n"
        "{\"type\": \"comparison\", \"source\": \"call-%u\", \"annotator\": {\"id\": \"judge\","
        " \"kind\": \"model\"}, \"a\": \"a\", \"b\": \"c\", \"winner\": \"tie\"}\n"
        "{\"type\": \"note\", \"source\": \"call-%u\", \"annotator\": \"%s\","
        " \"text\": \"Audio cuts out.\"}\n"
        "{\"type\": \"note\", \"source\": \"call-%u\", \"candidate\": \"b\", \"annotator\":"
        " \"%s\", \"text\": \"Too vague.\"}\n"
        "{\"type\": \"status\", \"source\": \"call-%u\", \"annotator\": \"%s\","
        " \"status\": \"%s\"}\n",
        i, who, i, who, i, who, i, who, i, who, i, who, i, i, who, i, who, i, who,
        i % 2 ? "done" : "in_progress");
    }
  return g_string_free_to_bytes (s);
}

static gint64
untraced_int (AssayProject *project,
              const char   *sql,
              const char   *text)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 value = 0;

  g_assert_cmpint (sqlite3_prepare_v2 (_assay_project_get_db (project), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  if (text != NULL)
    sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  return value;
}

static void
save_every_kind (AssayProject *project,
                 gint64        source,
                 gint64        annotator)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  gint64 a, b, c, verdict_set, accept, unsupported, faithfulness, span_id = 0;
  AssayRange evidence = { 7, 13 };
  gint64 ids[3];
  int ranks[3] = { 2, 1, 3 };
  Phase phase = recorder.phase;

  /* Not through set_phase(): the runs of this phase go on counting. */
  recorder.phase = PHASE_NONE;
  a = assay_project_lookup_candidate (project, source, "a");
  b = assay_project_lookup_candidate (project, source, "b");
  c = assay_project_lookup_candidate (project, source, "c");
  verdict_set = untraced_int (project, "SELECT id FROM label_sets WHERE name = ?1", "verdict");
  accept = untraced_int (project, "SELECT id FROM label_options WHERE name = ?1", "accept");
  unsupported = untraced_int (project, "SELECT id FROM label_options WHERE name = ?1",
                              "unsupported");
  faithfulness = untraced_int (project, "SELECT id FROM criteria WHERE name = ?1",
                               "faithfulness");
  recorder.phase = phase;

  ids[0] = a, ids[1] = b, ids[2] = c;
  g_assert_true (assay_project_set_labels (project, a, annotator, verdict_set, &accept, 1,
                                           &stamp, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_save_span (project, 0, b, annotator, 2, 8, unsupported, "No.",
                                          &evidence, 1, &stamp, &span_id, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_save_span (project, span_id, b, annotator, 2, 9, unsupported,
                                          "Not said.", &evidence, 1, &stamp, &span_id, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_correction (project, c, annotator, "The refund was sent.",
                                               &stamp, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_score (project, a, annotator, faithfulness, 5, "Exact.",
                                          &stamp, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_ranking (project, source, annotator, ids, ranks, 3, &stamp,
                                            &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_comparison (project, source, annotator, a, b,
                                               ASSAY_WINNER_A, "Right amount.", &stamp,
                                               &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_note (project, source, 0, annotator, "Noisy line.", &stamp,
                                         &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_note (project, source, b, annotator, "Vague.", &stamp,
                                         &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_set_status (project, source, annotator, ASSAY_STATUS_DONE, &stamp,
                                           &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_delete_span (project, span_id, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_clear_score (project, a, annotator, faithfulness, &error));
  g_assert_no_error (error);
  g_assert_true (assay_project_delete_comparison (project, annotator, a, b, &error));
  g_assert_no_error (error);
}

static void
run_workload (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *lead_path = g_build_filename (dir, "lead.assay", NULL);
  g_autofree char *copy_path = g_build_filename (dir, "expert.assay", NULL);
  g_autofree char *template_path = g_build_filename (dir, "template.json", NULL);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GBytes) jsonl = make_jsonl ();
  const AssayExportFormat * const *formats;
  gint64 priya, sam, expert;

  g_assert_true (g_file_set_contents (template_path, template_json, -1, NULL));
  tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);

  /* Creating and importing. */
  set_phase (PHASE_BULK);
  project = assay_project_create (lead_path, &error);
  g_assert_no_error (error);
  g_assert_true (assay_project_store_template (project, tmpl, &error));
  g_assert_no_error (error);
  set_phase (PHASE_RECORD);
  {
    g_autoptr(AssayImport) import = assay_import_new (project);

    assay_import_set_precheck (import, TRUE);
    assay_import_add_bytes (import, "day.jsonl", jsonl, ASSAY_FORMAT_JSONL);
    g_assert_true (assay_import_run (import, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (assay_import_get_n_sources (import), ==, N_SOURCES);
  }
  g_clear_object (&project);

  /* Opening, as the window does. */
  set_phase (PHASE_BULK);
  project = assay_project_open_full (lead_path, ASSAY_PROJECT_OPEN_APP, &error);
  g_assert_no_error (error);
  priya = assay_project_lookup_annotator (project, "priya");
  sam = assay_project_lookup_annotator (project, "sam");
  g_assert_cmpint (priya, >, 0);
  g_assert_cmpint (sam, >, 0);

  /* The queue: the list, its pages, search and filters. */
  set_phase (PHASE_RECORD);
  {
    g_autoptr(AssayQueue) queue = assay_queue_new (project, priya);
    g_autoptr(GObject) row = NULL;

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, N_SOURCES);
    row = g_list_model_get_item (G_LIST_MODEL (queue), 3);
    g_assert_nonnull (row);
    assay_queue_set_filter (queue, ASSAY_STATUS_DONE, NULL, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), >, 0);
    g_clear_object (&row);
    row = g_list_model_get_item (G_LIST_MODEL (queue), 0);
    assay_queue_set_filter (queue, -1, "brevity", NULL);
    assay_queue_set_filter (queue, ASSAY_STATUS_TODO, "cobalt", "refund mond");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), >, 0);
    assay_queue_set_filter (queue, -1, NULL, "goodb");
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, N_SOURCES);
    assay_queue_source_changed (queue, assay_queue_get_source_id (queue, 1));
    g_clear_object (&row);
    row = g_list_model_get_item (G_LIST_MODEL (queue), 1);
    g_assert_true (assay_project_get_annotator_progress (project, priya, NULL, NULL, &error));
  }

  /* Going from item to item, and the annotators of an item. */
  set_phase (PHASE_LOAD);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *ext = g_strdup_printf ("call-%u", i * 7);
      gint64 source = assay_project_lookup_source (project, ext);
      g_autoptr(AssayItem) item = assay_project_load_item (project, source, i % 2 ? priya : sam,
                                                           &error);
      g_autoptr(GPtrArray) annotators = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (item->candidates->len, ==, 3);
      /* Who judged the item (adjudication, statistics): per item, but
       * sorting its few annotators is not loading the item. */
      recorder.phase = PHASE_RECORD;
      annotators = assay_project_list_item_annotators (project, source, &error);
      g_assert_no_error (error);
      recorder.phase = PHASE_LOAD;
    }

  /* The expert's own judgments, each kind, on a few items. */
  set_phase (PHASE_RECORD);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *ext = g_strdup_printf ("call-%u", i * 11);

      save_every_kind (project, assay_project_lookup_source (project, ext), priya);
    }
  for (guint i = 1; i <= MIN_RUNS_PER_RECORD; i++)
    {
      g_autofree char *ext = g_strdup_printf ("call-%u", i);

      g_assert_true (assay_project_clear_judgments (project,
                                                    assay_project_lookup_source (project, ext),
                                                    priya, &error));
      g_assert_no_error (error);
    }

  /* Another expert works on a copy, which is merged back. */
  set_phase (PHASE_NONE);
  g_clear_object (&project);
  {
    g_autofree char *contents = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (lead_path, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (copy_path, contents, len, NULL));
  }
  set_phase (PHASE_RECORD);
  {
    g_autoptr(AssayProject) copy = assay_project_open (copy_path, &error);

    g_assert_no_error (error);
    g_assert_true (assay_project_ensure_annotator (copy, "lee", "Lee", ASSAY_ANNOTATOR_PERSON,
                                                   &expert, &error));
    for (guint i = 0; i < 6; i++)
      {
        g_autofree char *ext = g_strdup_printf ("call-%u", i * 13);

        save_every_kind (copy, assay_project_lookup_source (copy, ext), expert);
      }
  }
  project = assay_project_open_full (lead_path, ASSAY_PROJECT_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  {
    g_autoptr(AssayImport) import = assay_import_new (project);

    g_mutex_lock (&recorder.lock);
    recorder.bulk_file = g_canonicalize_filename (copy_path, NULL);
    g_mutex_unlock (&recorder.lock);
    assay_import_set_merge (import, TRUE);
    g_assert_true (assay_import_add_merge_source (import, project, copy_path, &error));
    g_assert_no_error (error);
    g_assert_true (assay_import_run (import, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (assay_import_get_n_replaced (import), >, 0);
  }

  /* Whole-project work: counts, check, every export, statistics. */
  set_phase (PHASE_BULK);
  {
    AssayProjectCounts counts;
    g_autoptr(GPtrArray) problems = NULL;
    g_autoptr(GPtrArray) listed = NULL;

    g_assert_true (assay_project_get_counts (project, &counts, &error));
    g_assert_cmpint (counts.sources, ==, N_SOURCES);
    listed = assay_project_list_models (project, &error);
    g_assert_no_error (error);
    g_clear_pointer (&listed, g_ptr_array_unref);
    listed = assay_project_dup_precheck (project, &error);
    g_assert_no_error (error);
    g_assert_true (assay_check_project (lead_path, &problems, &error));
    g_assert_no_error (error);
  }
  formats = assay_export_get_formats ();
  for (guint i = 0; formats[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("out-%s.%s", formats[i]->name,
                                               formats[i]->extension);
      g_autofree char *out = g_build_filename (dir, name, NULL);
      g_autoptr(AssayExportOptions) options = assay_export_options_new ();

      g_assert_true (assay_export_to_path (project, formats[i]->name, options, out, NULL,
                                           &error));
      g_assert_no_error (error);
    }
  {
    g_autoptr(AssayStatsData) data = assay_stats_data_load (project, NULL, &error);
    g_autoptr(AssayAgreementReport) agreement = NULL;
    g_autoptr(AssayLeaderboard) board = NULL;
    AssayStatsOptions options;

    g_assert_no_error (error);
    assay_stats_options_init (&options);
    agreement = assay_stats_compute_agreement (data, &options, NULL, &error);
    g_assert_no_error (error);
    board = assay_stats_compute_leaderboard (data, &options, NULL, &error);
    g_assert_no_error (error);
  }
  set_phase (PHASE_NONE);
}

/* ---- judging the plans ---- */

static gboolean
is_judgment_table (const char *name)
{
  return name != NULL && g_strv_contains (judgment_tables, name);
}

/* Aliases of judgment tables in a statement: "labels l" and "labels AS l". */
static GHashTable *
judgment_aliases (const char *sql)
{
  static const char * const not_aliases[] = {
    "where", "join", "on", "using", "set", "left", "inner", "cross", "natural", "group", "order",
    "limit", "union", "values", "except", "intersect", "returning", "default", "select", NULL,
  };
  GHashTable *aliases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  regex = g_regex_new ("\\b(labels|spans|span_evidence|corrections|scores|rankings|comparisons"
                       "|notes|item_status)\\b(?:\\s+(?:AS\\s+)?([A-Za-z_][A-Za-z0-9_]*))?",
                       G_REGEX_CASELESS, 0, NULL);
  g_regex_match (regex, sql, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *table = g_match_info_fetch (match, 1);
      g_autofree char *alias = g_match_info_fetch (match, 2);

      g_hash_table_insert (aliases, g_strdup (table), g_strdup (table));
      if (alias != NULL && *alias != '\0')
        {
          g_autofree char *lower = g_ascii_strdown (alias, -1);

          if (!g_strv_contains (not_aliases, lower))
            g_hash_table_insert (aliases, g_steal_pointer (&alias), g_strdup (table));
        }
      g_match_info_next (match, NULL);
    }
  return aliases;
}

typedef struct
{
  int   id;
  int   parent;
  char *detail;
} PlanRow;

static void
plan_row_free (PlanRow *row)
{
  g_free (row->detail);
  g_free (row);
}

static PlanRow *
find_row (GPtrArray *rows,
          int        id)
{
  for (guint i = 0; i < rows->len; i++)
    {
      PlanRow *row = g_ptr_array_index (rows, i);

      if (row->id == id)
        return row;
    }
  return NULL;
}

static gboolean
is_loop (const char *detail)
{
  return g_str_has_prefix (detail, "SCAN ") || g_str_has_prefix (detail, "SEARCH ");
}

/* Whether the row runs once per row of something else: an inner loop of a
 * join, or inside a correlated subquery (or under such a row). */
static gboolean
runs_per_row (GPtrArray *rows,
              guint      index)
{
  PlanRow *row = g_ptr_array_index (rows, index);

  for (guint i = 0; i < index; i++)
    {
      PlanRow *before = g_ptr_array_index (rows, i);

      if (before->parent == row->parent && is_loop (before->detail))
        return TRUE;
    }
  for (PlanRow *up = find_row (rows, row->parent); up != NULL; up = find_row (rows, up->parent))
    {
      if (g_str_has_prefix (up->detail, "CORRELATED "))
        return TRUE;
      for (guint i = 0; i < rows->len; i++)
        {
          PlanRow *other = g_ptr_array_index (rows, i);

          if (other == up)
            break;
          if (other->parent == up->parent && is_loop (other->detail) &&
              g_str_has_prefix (up->detail, "CORRELATED "))
            return TRUE;
        }
    }
  return FALSE;
}

/* Appends to `problems` what is wrong with one statement's plan. */
static void
judge_statement (sqlite3    *db,
                 const char *sql,
                 Phase       phase,
                 GString    *problems,
                 guint      *n_planned)
{
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) plan_row_free);
  g_autoptr(GHashTable) aliases = NULL;
  g_autofree char *head = g_ascii_strdown (sql, 12);

  g_strstrip (head);
  if (!g_str_has_prefix (head, "select") && !g_str_has_prefix (head, "insert") &&
      !g_str_has_prefix (head, "update") && !g_str_has_prefix (head, "delete") &&
      !g_str_has_prefix (head, "with") && !g_str_has_prefix (head, "replace"))
    return;
  /* FTS5's own statements on its shadow tables. */
  if (strstr (sql, "'main'.") != NULL)
    return;

  if (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_test_message ("not planned (%s): %s", sqlite3_errmsg (db), sql);
      return;
    }
  (*n_planned)++;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      PlanRow *row = g_new0 (PlanRow, 1);

      row->id = sqlite3_column_int (stmt, 0);
      row->parent = sqlite3_column_int (stmt, 1);
      row->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (rows, row);
    }

  aliases = judgment_aliases (sql);
  for (guint i = 0; i < rows->len; i++)
    {
      PlanRow *row = g_ptr_array_index (rows, i);
      const char *why = NULL;

      if (g_str_has_prefix (row->detail, "SCAN "))
        {
          g_auto(GStrv) words = g_strsplit (row->detail + 5, " ", 2);
          const char *table = g_hash_table_lookup (aliases, words[0]);

          if (is_judgment_table (table))
            {
              if (phase & (PHASE_RECORD | PHASE_LOAD))
                why = "a full scan of a judgment table for one item or record";
              else if (runs_per_row (rows, i))
                why = "a full scan of a judgment table once per row of another";
            }
        }
      else if (g_str_has_prefix (row->detail, "SEARCH ") && (phase & (PHASE_RECORD | PHASE_LOAD)) &&
               g_str_has_suffix (row->detail, "(annotator_id=?)"))
        {
          g_auto(GStrv) words = g_strsplit (row->detail + 7, " ", 2);

          /* Every judgment the person ever made, to find those of one item. */
          if (is_judgment_table (g_hash_table_lookup (aliases, words[0])))
            why = "a judgment table searched by annotator alone for one item or record";
        }
      if ((phase & PHASE_LOAD) && strstr (row->detail, "USE TEMP B-TREE") != NULL)
        why = "a temporary B-tree while loading an item";
      if (why != NULL)
        {
          g_string_append_printf (problems, "%s: “%s” in: %s\n", why, row->detail, sql);
          g_test_message ("%s: “%s” in: %s", why, row->detail, sql);
        }
    }
}

/* Every foreign key of a judgment table leads an index, so that deleting
 * the row it refers to finds the rows that refer to it. */
static void
check_foreign_keys (sqlite3 *db,
                    GString *problems)
{
  for (guint t = 0; judgment_tables[t] != NULL; t++)
    {
      g_autofree char *fk_sql = g_strdup_printf ("SELECT \"from\" FROM pragma_foreign_key_list"
                                                 " ('%s')", judgment_tables[t]);
      g_autoptr(sqlite3_stmt) fks = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, fk_sql, -1, &fks, NULL), ==, SQLITE_OK);
      while (sqlite3_step (fks) == SQLITE_ROW)
        {
          const char *column = (const char *) sqlite3_column_text (fks, 0);
          g_autoptr(sqlite3_stmt) lead = NULL;

          g_assert_cmpint (sqlite3_prepare_v2 (db,
                                               "SELECT count (*) FROM pragma_index_list (?1) l"
                                               " WHERE (SELECT name FROM pragma_index_xinfo"
                                               " (l.name) WHERE seqno = 0) = ?2",
                                               -1, &lead, NULL), ==, SQLITE_OK);
          sqlite3_bind_text (lead, 1, judgment_tables[t], -1, SQLITE_STATIC);
          sqlite3_bind_text (lead, 2, column, -1, SQLITE_STATIC);
          g_assert_cmpint (sqlite3_step (lead), ==, SQLITE_ROW);
          if (sqlite3_column_int (lead, 0) == 0)
            {
              g_string_append_printf (problems, "no index starts with %s.%s (a foreign key)\n",
                                      judgment_tables[t], column);
              g_test_message ("no index starts with %s.%s (a foreign key)", judgment_tables[t],
                              column);
            }
        }
    }
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (dir);
}

static void
test_plans (void)
{
  g_autofree char *dir = g_dir_make_tmp ("assay-plan-XXXXXX", NULL);
  g_autofree char *lead_path = g_build_filename (dir, "lead.assay", NULL);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  sqlite3 *db;
  guint n_planned = 0;

  g_mutex_init (&recorder.lock);
  recorder.statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  recorder.runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  _assay_project_set_trace_sql (record_cb, &recorder);
  run_workload (dir);
  _assay_project_set_trace_sql (NULL, NULL);

  db = _assay_open_connection (lead_path, SQLITE_OPEN_READONLY, &error);
  g_assert_no_error (error);

  g_hash_table_iter_init (&iter, recorder.statements);
  while (g_hash_table_iter_next (&iter, &key, &value))
    judge_statement (db, key, GPOINTER_TO_UINT (value), problems, &n_planned);
  check_foreign_keys (db, problems);
  sqlite3_close_v2 (db);

  g_test_message ("%u statements recorded, %u planned", g_hash_table_size (recorder.statements),
                  n_planned);
  /* Enough of the core ran for the test to mean something. */
  g_assert_cmpuint (n_planned, >, 100);
  /* The problems are listed above, one per line. */
  g_assert_cmpstr (problems->str, ==, "");

  g_clear_pointer (&recorder.statements, g_hash_table_unref);
  g_clear_pointer (&recorder.runs, g_hash_table_unref);
  g_clear_pointer (&recorder.bulk_file, g_free);
  remove_dir (dir);
}

/* The test's own judge, on plans it knows the answer for. */
static void
test_judge (void)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  sqlite3 *db = NULL;
  guint n = 0;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE sources (id INTEGER PRIMARY KEY);"
                                 "CREATE TABLE labels (candidate_id INTEGER, annotator_id INTEGER,"
                                 " PRIMARY KEY (candidate_id, annotator_id)) WITHOUT ROWID;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);

  judge_statement (db, "SELECT * FROM labels l WHERE l.annotator_id = ?1", PHASE_RECORD,
                   problems, &n);
  g_assert_nonnull (strstr (problems->str, "for one item or record"));
  g_string_truncate (problems, 0);

  g_assert_cmpint (sqlite3_exec (db, "CREATE INDEX labels_by_annotator ON labels (annotator_id)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  judge_statement (db, "SELECT * FROM labels l WHERE l.annotator_id = ?1", PHASE_RECORD,
                   problems, &n);
  g_assert_nonnull (strstr (problems->str, "by annotator alone"));
  g_string_truncate (problems, 0);

  judge_statement (db, "SELECT * FROM labels WHERE candidate_id = ?1", PHASE_LOAD, problems, &n);
  g_assert_cmpstr (problems->str, ==, "");

  judge_statement (db, "SELECT * FROM labels ORDER BY annotator_id", PHASE_BULK, problems, &n);
  g_assert_cmpstr (problems->str, ==, "");
  judge_statement (db, "SELECT * FROM sources WHERE id > ?1 ORDER BY -id", PHASE_LOAD, problems,
                   &n);
  g_assert_nonnull (strstr (problems->str, "temporary B-tree"));
  g_string_truncate (problems, 0);

  judge_statement (db, "SELECT s.id, (SELECT count (*) FROM labels x WHERE x.annotator_id + 0 = s.id)"
                   " FROM sources s", PHASE_BULK, problems, &n);
  g_assert_nonnull (strstr (problems->str, "once per row"));
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/query-plan/judge", test_judge);
  g_test_add_func ("/assay/query-plan/workload", test_plans);

  return g_test_run ();
}
