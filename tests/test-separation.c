/* test-separation.c: which models the data separates, how many more
 * sources would separate the others, the queue's "most informative first",
 * and model annotators' proposals left out of what counts as the experts'
 * work
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fictional harbour-log project: four models (kestrel, lantern, marlin,
 * nimbus) summarise twelve logs that one expert, Inès, scored for quality
 * (1 to 5, one criterion, so a model's overall score is (score - 1) / 4):
 * kestrel 5 everywhere, marlin 3, nimbus 1, and lantern 3 + d with d = (1,
 * -1, 1, 0, 1, -1, 1, 0, 1, -1, 0, 0) over the logs. The ranking is kestrel,
 * lantern, marlin, nimbus; kestrel-lantern and marlin-nimbus are clearly
 * separated, lantern-marlin is not.
 *
 * lantern - marlin by hand: per-log differences d / 4; mean 2 / 48 =
 * 0.041667; sample SD sqrt ((8 - 12 / 36) / 11) / 4 = 0.208712. At alpha
 * 0.05 and power 0.8, z = 1.959964 + 0.841621 = 2.801585, and a paired
 * comparison needs (2.801585 * 0.208712 / 0.041667)^2 = 196.94, so 197
 * sources: 185 more than the 12 reviewed.
 *
 * Seven open logs nobody reviewed: an LLM judge ("tide-judge") scored
 * lantern and marlin on open-1 (4 vs 3), open-3 (5 vs 2) and open-5 (2 vs
 * 4), kestrel and lantern on open-2 (a separated pair: no help), nothing on
 * open-4; the pre-check marked two unsupported claims in lantern's summary
 * of open-6; open-7 has only kestrel and nimbus. The judge also marked
 * every open log "done", which is a proposal, not a review.
 */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>
#include <jansson.h>

#include "assay-core.h"
#include "assay-separation.h"
#include "assay-stats.h"
#include "assay-test-run.h"

static const int lantern_delta[12] = { 1, -1, 1, 0, 1, -1, 1, 0, 1, -1, 0, 0 };
static const char * const models[4] = { "kestrel", "lantern", "marlin", "nimbus" };

typedef struct
{
  char         *dir;
  char         *path;
  AssayProject *project;
} Fixture;

static void
append_candidates (GString    *out,
                   const char *only)
{
  gboolean first = TRUE;

  g_string_append (out, ", \"candidates\": [");
  for (guint m = 0; m < 4; m++)
    {
      if (only != NULL && strstr (only, models[m]) == NULL)
        continue;
      g_string_append_printf (out, "%s{\"id\": \"%c\", \"model\": \"%s\","
                              " \"text\": \"Alpha beta gamma delta from %s.\"}",
                              first ? "" : ", ", 'a' + m, models[m], models[m]);
      first = FALSE;
    }
  g_string_append (out, "]");
}

static void
append_score (GString    *out,
              gboolean   *first,
              char        candidate,
              const char *annotator,
              int         score)
{
  g_string_append_printf (out, "%s{\"type\": \"scores\", \"candidate\": \"%c\","
                          " \"annotator\": \"%s\", \"scores\": {\"quality\": %d}}",
                          *first ? "" : ", ", candidate, annotator, score);
  *first = FALSE;
}

static char *
build_project (void)
{
  GString *out = g_string_new (NULL);
  /* open-N: lantern (b) and marlin (c) as the judge scored them, 0 none */
  static const struct { char cand_a; int a; char cand_b; int b; } judged[6] = {
    { 'b', 4, 'c', 3 }, { 'a', 5, 'b', 1 }, { 'b', 5, 'c', 2 }, { 0, 0, 0, 0 },
    { 'b', 2, 'c', 4 }, { 0, 0, 0, 0 },
  };

  g_string_append (out,
                   "{\"type\": \"template\", \"name\": \"Harbour log review\", \"version\": \"1\","
                   " \"judgments\": [\"scores\", \"spans\"], \"label_sets\": [{\"name\":"
                   " \"claims\", \"scope\": \"span\", \"options\": [{\"name\": \"unsupported\"}]}],"
                   " \"criteria\": [{\"name\": \"quality\", \"min\": 1, \"max\": 5}]}\n"
                   "{\"type\": \"annotator\", \"id\": \"ines\", \"name\": \"Inès Halvorsen\","
                   " \"kind\": \"person\"}\n"
                   "{\"type\": \"annotator\", \"id\": \"tide-judge\", \"name\": \"Tide Judge\","
                   " \"kind\": \"model\"}\n"
                   "{\"type\": \"annotator\", \"id\": \"assay:precheck\", \"name\": \"Pre-check\","
                   " \"kind\": \"model\"}\n");
  for (guint i = 0; i < 12; i++)
    {
      const int scores[4] = { 5, 3 + lantern_delta[i], 3, 1 };
      gboolean first = TRUE;

      g_string_append_printf (out, "{\"id\": \"log-%02u\", \"title\": \"Harbour log %u\","
                              " \"text\": \"Tug %u docked at pier %u.\"", i + 1, i + 1, i + 1,
                              i + 2);
      append_candidates (out, NULL);
      g_string_append (out, ", \"judgments\": [");
      for (guint m = 0; m < 4; m++)
        append_score (out, &first, 'a' + m, "ines", scores[m]);
      g_string_append (out, ", {\"type\": \"status\", \"annotator\": \"ines\","
                            " \"status\": \"done\"}]}\n");
    }
  for (guint i = 0; i < 6; i++)
    {
      gboolean first = TRUE;

      g_string_append_printf (out, "{\"id\": \"open-%u\", \"title\": \"Open log %u\","
                              " \"text\": \"Ferry %u left at dawn.\"", i + 1, i + 1, i + 1);
      append_candidates (out, NULL);
      g_string_append (out, ", \"judgments\": [");
      if (judged[i].cand_a != 0)
        {
          append_score (out, &first, judged[i].cand_a, "tide-judge", judged[i].a);
          append_score (out, &first, judged[i].cand_b, "tide-judge", judged[i].b);
        }
      if (i == 5)
        {
          g_string_append (out, "{\"type\": \"span\", \"candidate\": \"b\", \"annotator\":"
                                " \"assay:precheck\", \"start\": 0, \"end\": 5, \"label\":"
                                " \"unsupported\"}, {\"type\": \"span\", \"candidate\": \"b\","
                                " \"annotator\": \"assay:precheck\", \"start\": 6, \"end\": 10,"
                                " \"label\": \"unsupported\"}");
          first = FALSE;
        }
      g_string_append_printf (out, "%s{\"type\": \"status\", \"annotator\": \"tide-judge\","
                              " \"status\": \"done\"}]}\n", first ? "" : ", ");
    }
  g_string_append (out, "{\"id\": \"open-7\", \"title\": \"Open log 7\","
                        " \"text\": \"A barge waited.\"");
  append_candidates (out, "kestrel nimbus");
  g_string_append (out, "}\n");
  return g_string_free (out, FALSE);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *jsonl = build_project ();
  g_autoptr(GBytes) bytes = g_bytes_new (jsonl, strlen (jsonl));

  f->dir = g_dir_make_tmp ("assay-separation-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "harbour.assay", NULL);
  f->project = assay_project_create (f->path, &error);
  g_assert_no_error (error);
  import = assay_import_new (f->project);
  assay_import_add_bytes (import, "harbour.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
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

static void
assert_close (double actual,
              double expected,
              double tolerance)
{
  if (!(fabs (actual - expected) <= tolerance))
    g_error ("expected %.6f, got %.6f", expected, actual);
}

/* ---- the pure statistics ---- */

static void
test_normal_quantile (void)
{
  assert_close (assay_normal_quantile (0.975), 1.959963985, 1e-9);
  assert_close (assay_normal_quantile (0.8), 0.841621234, 1e-9);
  assert_close (assay_normal_quantile (0.5), 0.0, 1e-12);
  assert_close (assay_normal_quantile (0.025), -1.959963985, 1e-9);
}

static void
test_separation_cases (void)
{
  static const double few[] = { 0.3, 0.1, 0.2 };
  static const double level[] = { 0.5, -0.5, 0.25, -0.25, 0.0, 0.0 };
  static const double clear[] = { 0.5, 0.4, 0.6, 0.5, 0.45, 0.55 };
  g_autoptr(GError) error = NULL;
  AssaySeparation sep;

  /* Three sources: no interval, so no verdict. */
  g_assert_true (assay_separation_compute (few, 3, 200, 0, 0.95, 0.8, &sep, NULL, &error));
  g_assert_cmpint (sep.verdict, ==, ASSAY_SEPARATION_CANNOT_TELL);
  g_assert_cmpint (sep.reason, ==, ASSAY_SEPARATION_REASON_TOO_FEW_SOURCES);
  g_assert_true (isnan (sep.needed));
  assert_close (sep.difference, 0.2, 1e-12);

  /* No difference on average: no number of sources would do. */
  g_assert_true (assay_separation_compute (level, 6, 200, 0, 0.95, 0.8, &sep, NULL, &error));
  g_assert_cmpint (sep.verdict, ==, ASSAY_SEPARATION_CANNOT_TELL);
  g_assert_cmpint (sep.reason, ==, ASSAY_SEPARATION_REASON_NO_DIFFERENCE);
  g_assert_cmpuint (sep.more, ==, 0);

  /* Six sources all well above 0. */
  g_assert_true (assay_separation_compute (clear, 6, 500, 0, 0.95, 0.8, &sep, NULL, &error));
  g_assert_cmpint (sep.verdict, ==, ASSAY_SEPARATION_SEPARATED);
  g_assert_cmpfloat (sep.low, >, 0.0);
  g_assert_cmpuint (sep.more, ==, 0);
  g_assert_cmpstr (assay_separation_verdict_to_string (sep.verdict), ==, "separated");
}

/* ---- the leaderboard ---- */

static json_t *
find_pair (json_t     *pairs,
           const char *better)
{
  for (guint i = 0; i < json_array_size (pairs); i++)
    {
      json_t *pair = json_array_get (pairs, i);

      if (g_strcmp0 (json_string_value (json_object_get (pair, "better")), better) == 0)
        return pair;
    }
  g_error ("no pair below %s", better);
}

static double
num (json_t     *obj,
     const char *key)
{
  json_t *value = json_object_get (obj, key);

  g_assert_true (json_is_number (value));
  return json_number_value (value);
}

static void
test_leaderboard_core (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) stats = assay_stats_data_load (f->project, NULL, &error);
  g_autoptr(AssayLeaderboard) board = NULL;
  const AssayModelSeparation *middle;
  AssayStatsOptions options;
  g_autofree char *sentence = NULL;

  g_assert_no_error (error);
  assay_stats_options_init (&options);
  board = assay_stats_compute_leaderboard (stats, &options, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (board->ranked_by, ==, ASSAY_RANK_OVERALL);
  g_assert_cmpint (board->separation_score, ==, ASSAY_RANK_OVERALL);
  g_assert_cmpuint (board->models->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr (((AssayModelStanding *) g_ptr_array_index (board->models, i))->model, ==,
                     models[i]);
  g_assert_cmpuint (board->separations->len, ==, 3);

  middle = &g_array_index (board->separations, AssayModelSeparation, 1);
  g_assert_cmpuint (middle->better, ==, 1);
  g_assert_cmpuint (middle->worse, ==, 2);
  g_assert_cmpint (middle->separation.verdict, ==, ASSAY_SEPARATION_NOT_SEPARATED);
  g_assert_cmpuint (middle->separation.n_sources, ==, 12);
  assert_close (middle->separation.difference, 2.0 / 48.0, 1e-12);
  assert_close (middle->separation.sd, sqrt ((8.0 - 12.0 / 36.0) / 11.0) / 4.0, 1e-12);
  assert_close (middle->separation.needed, 196.9355, 1e-3);
  g_assert_cmpuint (middle->separation.more, ==, 185);
  g_assert_cmpfloat (middle->separation.low, <, 0.0);
  g_assert_cmpfloat (middle->separation.high, >, 0.0);

  sentence = assay_leaderboard_describe_separation (board, 1);
  g_assert_nonnull (strstr (sentence, "lantern and marlin are not separated on 12 sources"));
  g_assert_nonnull (strstr (sentence, "About 185 more reviewed sources"));
}

static void
test_leaderboard_json (Fixture       *f,
                       gconstpointer  data)
{
  g_auto(AssayTestRun) r = { 0, };
  g_autoptr(json_t) root = NULL;
  g_auto(AssayTestRun) text = { 0, };
  json_error_t json_error;
  json_t *separation, *pairs, *top, *middle, *bottom;

  g_clear_object (&f->project);
  assay_test_run_cli (&r, "leaderboard", f->path, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = json_loads (r.out, 0, &json_error);
  g_assert_nonnull (root);

  /* Only Inès counts: the judge's and the pre-check's work is proposals. */
  g_assert_cmpuint (json_array_size (json_object_get (root, "annotators")), ==, 1);

  separation = json_object_get (root, "separation");
  g_assert_cmpstr (json_string_value (json_object_get (separation, "method")), ==,
                   "paired-bootstrap");
  g_assert_cmpstr (json_string_value (json_object_get (separation, "score")), ==, "overall");
  assert_close (num (separation, "power"), 0.8, 1e-12);
  assert_close (num (separation, "level"), 0.95, 1e-12);
  pairs = json_object_get (separation, "pairs");
  g_assert_cmpuint (json_array_size (pairs), ==, 3);

  top = find_pair (pairs, "kestrel");
  g_assert_cmpstr (json_string_value (json_object_get (top, "worse")), ==, "lantern");
  g_assert_cmpstr (json_string_value (json_object_get (top, "verdict")), ==, "separated");
  g_assert_true (json_is_true (json_object_get (top, "separated")));
  g_assert_true (json_is_null (json_object_get (top, "more_sources")));
  g_assert_cmpfloat (num (top, "low"), >, 0.0);
  /* (2 - d) / 4: five 0.25, three 0.75, four 0.5 */
  assert_close (num (top, "difference"), 5.5 / 12.0, 1e-9);

  middle = find_pair (pairs, "lantern");
  g_assert_cmpstr (json_string_value (json_object_get (middle, "worse")), ==, "marlin");
  g_assert_cmpstr (json_string_value (json_object_get (middle, "verdict")), ==, "not-separated");
  g_assert_true (json_is_false (json_object_get (middle, "separated")));
  g_assert_true (json_is_null (json_object_get (middle, "reason")));
  g_assert_cmpint (json_integer_value (json_object_get (middle, "sources")), ==, 12);
  assert_close (num (middle, "difference"), 2.0 / 48.0, 1e-9);
  assert_close (num (middle, "sd"), 0.208712, 1e-6);
  g_assert_cmpfloat (num (middle, "low"), <, 0.0);
  g_assert_cmpfloat (num (middle, "high"), >, 0.0);
  g_assert_cmpint (json_integer_value (json_object_get (middle, "sources_needed")), ==, 197);
  g_assert_cmpint (json_integer_value (json_object_get (middle, "more_sources")), ==, 185);

  /* marlin always 0.5 above nimbus: no spread, a zero-width interval */
  bottom = find_pair (pairs, "marlin");
  g_assert_cmpstr (json_string_value (json_object_get (bottom, "verdict")), ==, "separated");
  assert_close (num (bottom, "low"), 0.5, 1e-12);
  assert_close (num (bottom, "high"), 0.5, 1e-12);

  assay_test_run_cli (&text, "leaderboard", f->path, NULL);
  g_assert_cmpint (text.status, ==, 0);
  g_assert_nonnull (strstr (text.out, "Separation of neighbours"));
  g_assert_nonnull (strstr (text.out, "Not separated: lantern and marlin are not separated on 12 "
                                      "sources"));
  g_assert_nonnull (strstr (text.out, "About 185 more reviewed sources would separate them"));
  g_assert_nonnull (strstr (text.out, "Separated: kestrel is ahead of lantern on 12 sources"));
}

/* ---- the queue ---- */

static void
test_queue_informative (Fixture       *f,
                        gconstpointer  data)
{
  /* Where the judge and the pre-check see lantern and marlin differ most
   * first: open-3 (0.75), open-6 (2 findings to none: 2 / 3), open-5 (0.5),
   * open-1 (0.25); then open-2 and open-4 (both models, no proposal on
   * them) in the seeded order, then open-7 (neither), then the reviewed
   * logs as imported. */
  static const char * const first[] = { "open-3", "open-6", "open-5", "open-1" };
  g_autoptr(AssayQueue) queue = NULL;
  g_autoptr(AssayQueue) again = NULL;
  gint64 ines = assay_project_lookup_annotator (f->project, "ines");
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);

  queue = assay_queue_new (f->project, ines);
  g_assert_cmpint (assay_queue_get_order (queue), ==, ASSAY_QUEUE_ORDER_IMPORTED);
  g_assert_cmpint (assay_queue_get_source_id (queue, 0), ==,
                   assay_project_lookup_source (f->project, "log-01"));

  assay_queue_set_order (queue, ASSAY_QUEUE_ORDER_INFORMATIVE);
  g_assert_cmpint (assay_queue_get_order (queue), ==, ASSAY_QUEUE_ORDER_INFORMATIVE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 19);
  for (guint i = 0; i < 19; i++)
    {
      g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), i);

      g_ptr_array_add (order, g_strdup (assay_queue_row_get_ext_id (row)));
      g_assert_cmpuint (assay_queue_find (queue, assay_queue_row_get_source_id (row)), ==, i);
    }
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    g_assert_cmpstr (g_ptr_array_index (order, i), ==, first[i]);
  g_assert_true ((g_str_equal (g_ptr_array_index (order, 4), "open-2") &&
                  g_str_equal (g_ptr_array_index (order, 5), "open-4")) ||
                 (g_str_equal (g_ptr_array_index (order, 4), "open-4") &&
                  g_str_equal (g_ptr_array_index (order, 5), "open-2")));
  g_assert_cmpstr (g_ptr_array_index (order, 6), ==, "open-7");
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *id = g_strdup_printf ("log-%02u", i + 1);

      g_assert_cmpstr (g_ptr_array_index (order, 7 + i), ==, id);
    }

  /* The seed is fixed: the same order every time. */
  again = assay_queue_new (f->project, ines);
  assay_queue_set_order (again, ASSAY_QUEUE_ORDER_INFORMATIVE);
  for (guint i = 0; i < 19; i++)
    {
      g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (again), i);

      g_assert_cmpstr (assay_queue_row_get_ext_id (row), ==, g_ptr_array_index (order, i));
    }

  /* Filters keep the order. */
  assay_queue_set_filter (queue, -1, "lantern", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 18);
  {
    g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), 0);

    g_assert_cmpstr (assay_queue_row_get_ext_id (row), ==, "open-3");
  }

  /* And back. */
  assay_queue_set_order (queue, ASSAY_QUEUE_ORDER_IMPORTED);
  g_assert_cmpint (assay_queue_get_source_id (queue, 0), ==,
                   assay_project_lookup_source (f->project, "log-01"));
}

/* ---- what counts ---- */

static void
test_proposals_left_out (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(AssayTestRun) info = { 0, };
  g_auto(AssayTestRun) people = { 0, };
  g_auto(AssayTestRun) everyone = { 0, };
  g_auto(AssayTestRun) judges = { 0, };
  g_auto(AssayTestRun) bad = { 0, };
  g_autoptr(json_t) root = NULL;
  AssayProjectCounts counts;
  g_autoptr(GError) error = NULL;
  json_error_t json_error;
  guint lines;

  /* Progress: the judge's "done" on the seven open logs is not progress;
   * only Inès's twelve are. */
  g_assert_true (assay_project_get_counts (f->project, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpint (counts.status[ASSAY_STATUS_DONE], ==, 12);
  g_assert_cmpint (counts.status[ASSAY_STATUS_TODO], ==, 7);
  g_clear_object (&f->project);

  assay_test_run_cli (&info, "info", "--json", f->path, NULL);
  g_assert_cmpint (info.status, ==, 0);
  root = json_loads (info.out, 0, &json_error);
  g_assert_nonnull (root);
  g_assert_cmpint (json_integer_value (json_object_get (json_object_get (root, "status"),
                                                        "done")), ==, 12);

  /* Exports: 48 scores by Inès; the judge's 8 only when chosen. */
  assay_test_run_cli (&people, "export", f->path, "--format", "scores", "-o", "-", NULL);
  g_assert_cmpint (people.status, ==, 0);
  lines = 0;
  for (const char *p = people.out; (p = strchr (p, '\n')) != NULL; p++)
    lines++;
  g_assert_cmpuint (lines, ==, 48);
  g_assert_null (strstr (people.out, "tide-judge"));

  assay_test_run_cli (&everyone, "export", f->path, "--format", "scores", "-o", "-",
                      "--annotators", "all", NULL);
  g_assert_cmpint (everyone.status, ==, 0);
  lines = 0;
  for (const char *p = everyone.out; (p = strchr (p, '\n')) != NULL; p++)
    lines++;
  g_assert_cmpuint (lines, ==, 56);

  assay_test_run_cli (&judges, "export", f->path, "--format", "scores", "-o", "-",
                      "--annotators", "models", NULL);
  g_assert_cmpint (judges.status, ==, 0);
  lines = 0;
  for (const char *p = judges.out; (p = strchr (p, '\n')) != NULL; p++)
    lines++;
  g_assert_cmpuint (lines, ==, 8);
  g_assert_null (strstr (judges.out, "\"ines\""));

  assay_test_run_cli (&bad, "export", f->path, "--format", "scores", "-o", "-",
                      "--annotators", "robots", NULL);
  g_assert_cmpint (bad.status, ==, 2);
  g_assert_nonnull (strstr (bad.err, "robots"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/assay/separation/normal-quantile", test_normal_quantile);
  g_test_add_func ("/assay/separation/cases", test_separation_cases);
  g_test_add ("/assay/separation/leaderboard", Fixture, NULL, fixture_setup,
              test_leaderboard_core, fixture_teardown);
  g_test_add ("/assay/separation/json", Fixture, NULL, fixture_setup, test_leaderboard_json,
              fixture_teardown);
  g_test_add ("/assay/separation/queue-informative", Fixture, NULL, fixture_setup,
              test_queue_informative, fixture_teardown);
  g_test_add ("/assay/separation/proposals-left-out", Fixture, NULL, fixture_setup,
              test_proposals_left_out, fixture_teardown);
  return g_test_run ();
}
