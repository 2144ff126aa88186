/* bench-stats.c: agreement and the leaderboard over a million ratings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two measurements:
 *  1. in memory: a million ratings streamed into the agreement accumulators,
 *     and a million scores reduced to per-source cells for the leaderboard
 *     with its 1000-sample bootstrap and Bradley-Terry fits;
 *  2. through a project of realistic shape (sources with four candidates,
 *     two experts and an LLM judge giving labels, spans, scores, rankings
 *     and comparisons; about a million judgment rows), timing the load, the
 *     agreement report and the leaderboard separately.
 *
 * Usage: bench-stats [--sources N] [--keep DIR]
 */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-project-private.h"
#include "assay-stats.h"

static double
seconds_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1e6;
}

/* ---- in memory ---- */

static void
bench_memory (void)
{
  const guint n_coders = 4, n_units = 250000;
  const double values[] = { 1, 2, 3, 4, 5 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree guint *truth = g_new (guint, n_units);
  g_autofree guint *codes = g_new (guint, (gsize) n_units * n_coders);
  g_autoptr(AssayReliability) r = NULL;
  AssayReliabilityResult result;
  gint64 start;
  double t_agree, t_board;

  /* 250,000 units x 4 coders = 1,000,000 scores on 1-5, close to a true
   * value, with a tenth missing */
  for (guint u = 0; u < n_units; u++)
    {
      truth[u] = g_rand_int_range (rand, 0, 5);
      for (guint c = 0; c < n_coders; c++)
        {
          int v = (int) truth[u] + g_rand_int_range (rand, -1, 2);

          codes[(gsize) u * n_coders + c] = g_rand_int_range (rand, 0, 10) == 0 ? G_MAXUINT
                                                                                : CLAMP (v, 0, 4);
        }
    }

  start = g_get_monotonic_time ();
  r = assay_reliability_new (n_coders, 5, values);
  for (guint u = 0; u < n_units; u++)
    {
      guint coders[4], unit[4], n = 0;

      for (guint c = 0; c < n_coders; c++)
        if (codes[(gsize) u * n_coders + c] != G_MAXUINT)
          {
            coders[n] = c;
            unit[n++] = codes[(gsize) u * n_coders + c];
          }
      assay_reliability_add_unit (r, coders, unit, n, 1);
    }
  assay_reliability_compute (r, &result);
  t_agree = seconds_since (start);
  printf ("memory: agreement over %u units x %u coders (1,000,000 ratings, 10%% missing): "
          "%.3f s (alpha interval %.3f, %u pairs)\n", n_units, n_coders, t_agree,
          result.alpha_interval, result.pairs->len);
  assay_reliability_result_clear (&result);

  /* the leaderboard: 1,000,000 scores on 20,000 sources x 5 models x 2
   * criteria (five raters each), reduced to cells, 1000 bootstrap samples;
   * plus 10 comparisons per source for Bradley-Terry */
  {
    const guint n_sources = 20000, n_models = 5, n_criteria = 2;
    g_autoptr(GArray) cells = g_array_new (FALSE, FALSE, sizeof (AssayMetricCell));
    g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (AssayPairCell));
    const guint overall[] = { 0, 1 };
    const double weights[] = { 0.6, 0.4 }, lo[] = { 1, 1 }, hi[] = { 5, 5 };
    AssayLeaderboardInput input = { 0, };
    AssayLeaderboardResult board;
    guint64 n_ratings = 0;

    start = g_get_monotonic_time ();
    for (guint s = 0; s < n_sources; s++)
      {
        for (guint m = 0; m < n_models; m++)
          for (guint k = 0; k < n_criteria; k++)
            {
              double sum = 0.0;

              for (guint rater = 0; rater < 5; rater++)
                {
                  sum += 1 + MIN (4, (m + g_rand_int_range (rand, 0, 3)));
                  n_ratings++;
                }
              {
                AssayMetricCell cell = { s, m, k, sum / 5.0, 1 };

                g_array_append_val (cells, cell);
              }
            }
        for (guint a = 0; a < n_models; a++)
          for (guint b = a + 1; b < n_models; b++)
            {
              AssayPairCell p = { s, a, b, g_rand_int_range (rand, 0, 10) < (int) (5 + b - a) ? 1.0
                                                                                             : 0.0,
                                  1 };

              g_array_append_val (pairs, p);
            }
      }
    input.n_sources = n_sources;
    input.n_models = n_models;
    input.n_metrics = n_criteria;
    input.cells = (const AssayMetricCell *) cells->data;
    input.n_cells = cells->len;
    input.pairs = (const AssayPairCell *) pairs->data;
    input.n_pairs = pairs->len;
    input.n_overall = 2;
    input.overall_metrics = overall;
    input.overall_weights = weights;
    input.overall_min = lo;
    input.overall_max = hi;
    input.bt_prior = 1.0;
    g_assert_true (assay_leaderboard_compute (&input, 1000, 0, 0.95, &board, NULL, NULL));
    t_board = seconds_since (start);
    printf ("memory: leaderboard over %" G_GUINT64_FORMAT " scores and %u comparisons on %u "
            "sources, 1000 bootstrap samples with Bradley-Terry: %.3f s (%u threads)\n",
            n_ratings, pairs->len, n_sources, t_board, g_get_num_processors ());
    printf ("        strength of model 4: %.3f [%.3f, %.3f]\n", board.strength[4].value,
            board.strength[4].low, board.strength[4].high);
    assay_leaderboard_result_clear (&board);
  }
}

/* ---- through a project ---- */

static const char *template_json =
  "{\"judgments\": [\"labels\", \"spans\", \"correction\", \"scores\", \"ranking\", \"pairwise\"],"
  " \"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "  {\"name\": \"supported\"}, {\"name\": \"unsupported\"}, {\"name\": \"contradicted\"}]},"
  " {\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]},"
  " {\"name\": \"issues\", \"multi\": true, \"options\": [{\"name\": \"omission\"},"
  "  {\"name\": \"padding\"}, {\"name\": \"wrong-number\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 5, \"weight\": 0.5},"
  "  {\"name\": \"coverage\", \"min\": 1, \"max\": 5, \"weight\": 0.3},"
  "  {\"name\": \"concision\", \"min\": 1, \"max\": 5, \"weight\": 0.2}]}";

static const char *vocabulary[] = {
  "the", "grower", "said", "rows", "scab", "copper", "sprayed", "twice", "april", "trees",
  "blight", "cut", "back", "monday", "sales", "rose", "percent", "in", "may", "orchard",
};

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static sqlite3_stmt *
prepare_or_die (sqlite3    *db,
                const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  return stmt;
}

static void
step_or_die (sqlite3_stmt *stmt)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    g_error ("insert: %s", sqlite3_errmsg (sqlite3_db_handle (stmt)));
  sqlite3_reset (stmt);
}

/* Builds the project; returns the number of judgment rows written. */
static guint64
build_project (const char *path,
               guint       n_sources)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_create (path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  g_autofree char *template_path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  static const char *models[] = { "atlas-7b", "quill-mini", "scribe-xl", "brevity-2" };
  gint64 raters[3];
  gint64 verdict_ids[2], issue_ids[3], claim_ids[3], criterion_ids[3];
  sqlite3 *db;
  sqlite3_stmt *label, *span, *score, *rank, *cmp;
  guint64 rows = 0;
  const char *now = "2026-11-24T09:00:00.000Z";

  g_assert_no_error (error);
  template_path = g_build_filename (g_get_tmp_dir (), "bench-stats-template.json", NULL);
  g_assert_true (g_file_set_contents (template_path, template_json, -1, NULL));
  tmpl = assay_template_load_file (template_path, &error);
  g_assert_no_error (error);
  g_unlink (template_path);
  g_assert_true (assay_project_store_template (project, tmpl, &error));
  assay_template_unref (g_steal_pointer (&tmpl));
  tmpl = assay_project_load_template (project, &error);
  g_assert_no_error (error);

  for (guint s = 0; s < n_sources; s++)
    {
      g_string_append_printf (jsonl, "{\"id\": \"s%u\", \"text\": \"Field notes %u.\", "
                              "\"candidates\": [", s, s);
      for (guint m = 0; m < 4; m++)
        {
          guint words = 30 + g_rand_int_range (rand, 0, 60);

          g_string_append_printf (jsonl, "%s{\"id\": \"c%u\", \"model\": \"%s\", \"text\": \"",
                                  m == 0 ? "" : ", ", m, models[m]);
          for (guint w = 0; w < words; w++)
            g_string_append_printf (jsonl, "%s%s", w == 0 ? "" : " ",
                                    vocabulary[g_rand_int_range (rand, 0,
                                                                 G_N_ELEMENTS (vocabulary))]);
          g_string_append (jsonl, ".\"}");
        }
      g_string_append (jsonl, "]}\n");
    }
  import = assay_import_new (project);
  bytes = g_bytes_new (jsonl->str, jsonl->len);
  assay_import_add_bytes (import, "bench.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (assay_project_ensure_annotator (project, "expert-1", NULL, ASSAY_ANNOTATOR_PERSON,
                                                 &raters[0], &error));
  g_assert_true (assay_project_ensure_annotator (project, "expert-2", NULL, ASSAY_ANNOTATOR_PERSON,
                                                 &raters[1], &error));
  g_assert_true (assay_project_ensure_annotator (project, "llm-judge", NULL, ASSAY_ANNOTATOR_MODEL,
                                                 &raters[2], &error));
  for (guint i = 0; i < 2; i++)
    verdict_ids[i] = ((AssayLabelOption *) g_ptr_array_index (
      assay_template_find_label_set (tmpl, "verdict")->options, i))->id;
  for (guint i = 0; i < 3; i++)
    {
      issue_ids[i] = ((AssayLabelOption *) g_ptr_array_index (
        assay_template_find_label_set (tmpl, "issues")->options, i))->id;
      claim_ids[i] = ((AssayLabelOption *) g_ptr_array_index (
        assay_template_find_label_set (tmpl, "claims")->options, i))->id;
      criterion_ids[i] = ((AssayCriterion *) g_ptr_array_index (tmpl->criteria, i))->id;
    }

  /* Judgments straight into the tables, in one transaction: the judgment
   * API checks every write against the template, which is right for the
   * app and too slow for a million rows of made-up data. */
  db = _assay_project_get_db (project);
  exec_or_die (db, "BEGIN");
  label = prepare_or_die (db, "INSERT INTO labels (candidate_id, annotator_id, option_id,"
                          " created_at, updated_at) VALUES (?, ?, ?, ?5, ?5)");
  span = prepare_or_die (db, "INSERT OR IGNORE INTO spans (candidate_id, annotator_id, start, end,"
                         " option_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?6, ?6)");
  score = prepare_or_die (db, "INSERT INTO scores (candidate_id, annotator_id, criterion_id, value,"
                          " created_at, updated_at) VALUES (?, ?, ?, ?, ?5, ?5)");
  rank = prepare_or_die (db, "INSERT INTO rankings (source_id, annotator_id, candidate_id, rank,"
                         " created_at, updated_at) VALUES (?, ?, ?, ?, ?5, ?5)");
  cmp = prepare_or_die (db, "INSERT INTO comparisons (source_id, annotator_id, candidate_a,"
                        " candidate_b, winner, created_at, updated_at)"
                        " VALUES (?, ?, ?, ?, ?, ?6, ?6)");

  for (guint s = 0; s < n_sources; s++)
    {
      g_autofree char *ext = g_strdup_printf ("s%u", s);
      gint64 source = assay_project_lookup_source (project, ext);
      gint64 cands[4];
      int quality[4];

      for (guint m = 0; m < 4; m++)
        {
          g_autofree char *cext = g_strdup_printf ("c%u", m);

          cands[m] = assay_project_lookup_candidate (project, source, cext);
          quality[m] = 1 + (int) m + g_rand_int_range (rand, -1, 2);   /* 0..5 */
        }

      for (guint r = 0; r < 3; r++)
        {
          int ranks[4];

          for (guint m = 0; m < 4; m++)
            {
              gint64 c = cands[m];
              int q = quality[m] + g_rand_int_range (rand, -1, 2);

              for (guint k = 0; k < 3; k++)
                {
                  /* CLAMP evaluates its argument more than once */
                  int value = q + g_rand_int_range (rand, -1, 2);

                  sqlite3_bind_int64 (score, 1, c);
                  sqlite3_bind_int64 (score, 2, raters[r]);
                  sqlite3_bind_int64 (score, 3, criterion_ids[k]);
                  sqlite3_bind_int (score, 4, CLAMP (value, 1, 5));
                  sqlite3_bind_text (score, 5, now, -1, SQLITE_STATIC);
                  step_or_die (score);
                  rows++;
                }

              sqlite3_bind_int64 (label, 1, c);
              sqlite3_bind_int64 (label, 2, raters[r]);
              sqlite3_bind_int64 (label, 3, verdict_ids[q >= 3 ? 0 : 1]);
              sqlite3_bind_text (label, 5, now, -1, SQLITE_STATIC);
              step_or_die (label);
              rows++;
              if (g_rand_int_range (rand, 0, 2) == 0)
                {
                  sqlite3_bind_int64 (label, 1, c);
                  sqlite3_bind_int64 (label, 2, raters[r]);
                  sqlite3_bind_int64 (label, 3, issue_ids[g_rand_int_range (rand, 0, 3)]);
                  sqlite3_bind_text (label, 5, now, -1, SQLITE_STATIC);
                  step_or_die (label);
                  rows++;
                }

              if (r < 2)
                for (guint k = 0; k < 2; k++)
                  {
                    int start = g_rand_int_range (rand, 0, 40) + 60 * k;

                    sqlite3_bind_int64 (span, 1, c);
                    sqlite3_bind_int64 (span, 2, raters[r]);
                    sqlite3_bind_int (span, 3, start);
                    sqlite3_bind_int (span, 4, start + 10 + g_rand_int_range (rand, 0, 20));
                    sqlite3_bind_int64 (span, 5,
                                        claim_ids[q >= 3 ? 0 : g_rand_int_range (rand, 1, 3)]);
                    sqlite3_bind_text (span, 6, now, -1, SQLITE_STATIC);
                    step_or_die (span);
                    rows++;
                  }

              ranks[m] = 6 - CLAMP (q, 1, 5);
              sqlite3_bind_int64 (rank, 1, source);
              sqlite3_bind_int64 (rank, 2, raters[r]);
              sqlite3_bind_int64 (rank, 3, c);
              sqlite3_bind_int (rank, 4, ranks[m]);
              sqlite3_bind_text (rank, 5, now, -1, SQLITE_STATIC);
              step_or_die (rank);
              rows++;
            }

          for (guint a = 0; a < 4; a++)
            for (guint b = a + 1; b < 4; b++)
              {
                sqlite3_bind_int64 (cmp, 1, source);
                sqlite3_bind_int64 (cmp, 2, raters[r]);
                sqlite3_bind_int64 (cmp, 3, cands[a]);
                sqlite3_bind_int64 (cmp, 4, cands[b]);
                sqlite3_bind_text (cmp, 5, ranks[a] < ranks[b] ? "a" : ranks[a] > ranks[b] ? "b"
                                                                 : "tie", -1, SQLITE_STATIC);
                sqlite3_bind_text (cmp, 6, now, -1, SQLITE_STATIC);
                step_or_die (cmp);
                rows++;
              }
        }
    }

  sqlite3_finalize (label);
  sqlite3_finalize (span);
  sqlite3_finalize (score);
  sqlite3_finalize (rank);
  sqlite3_finalize (cmp);
  exec_or_die (db, "COMMIT");
  return rows;
}

static void
bench_project (guint       n_sources,
               const char *keep_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = keep_dir != NULL ? g_strdup (keep_dir)
                                          : g_dir_make_tmp ("bench-stats-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.assay", NULL);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayStatsData) data = NULL;
  g_autoptr(AssayAgreementReport) agreement = NULL;
  g_autoptr(AssayLeaderboard) board = NULL;
  AssayStatsOptions options;
  gint64 start;
  double t_load, t_agree, t_board;

  if (keep_dir != NULL)
    g_mkdir_with_parents (dir, 0755);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      guint64 rows;

      start = g_get_monotonic_time ();
      rows = build_project (path, n_sources);
      printf ("project: built %u sources, %" G_GUINT64_FORMAT " judgment rows in %.1f s\n",
              n_sources, rows, seconds_since (start));
    }

  project = assay_project_open (path, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  data = assay_stats_data_load (project, NULL, &error);
  g_assert_no_error (error);
  t_load = seconds_since (start);

  assay_stats_options_init (&options);
  start = g_get_monotonic_time ();
  agreement = assay_stats_compute_agreement (data, &options, NULL, &error);
  g_assert_no_error (error);
  t_agree = seconds_since (start);

  start = g_get_monotonic_time ();
  board = assay_stats_compute_leaderboard (data, &options, NULL, &error);
  g_assert_no_error (error);
  t_board = seconds_since (start);

  printf ("project: %" G_GUINT64_FORMAT " ratings; load %.3f s, agreement %.3f s, leaderboard "
          "(1000 samples) %.3f s; agreement + leaderboard %.3f s, all %.3f s\n",
          assay_stats_data_get_n_ratings (data), t_load, t_agree, t_board, t_agree + t_board,
          t_load + t_agree + t_board);
  for (guint i = 0; i < agreement->stats->len; i++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (agreement->stats, i);

      if (stat->has_result)
        printf ("         %-14s alpha %.3f over %" G_GUINT64_FORMAT " units\n", stat->name,
                stat->result.alpha_nominal, stat->result.n_units);
      else
        printf ("         %-14s W %.3f over %" G_GUINT64_FORMAT " sources\n", stat->name,
                stat->kendall_w, stat->kendall_w_sources);
    }
  printf ("         %u disagreeing sources; leader %s\n", agreement->items->len,
          ((AssayModelStanding *) g_ptr_array_index (board->models, 0))->model);

  g_clear_object (&project);
  if (keep_dir == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      g_rmdir (dir);
    }
}

int
main (int    argc,
      char **argv)
{
  int n_sources = 10000;
  g_autofree char *keep = NULL;
  gboolean memory_only = FALSE;
  GOptionEntry entries[] = {
    { "sources", 0, 0, G_OPTION_ARG_INT, &n_sources,
      "Sources in the project (10000: about 1M rows)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "Build the project in DIR and reuse it", "DIR" },
    { "memory-only", 0, 0, G_OPTION_ARG_NONE, &memory_only, "Skip the project", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  bench_memory ();
  if (!memory_only)
    bench_project (n_sources, keep);
  return 0;
}
