/* bench-evidence.c: how long ranking the passages of a 1 MB source takes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds a project (in a temporary folder) with one transcript of about
 * 1 MB: speaker turns of generated sentences with numbers, names and
 * dates. Then reports:
 *
 *   - the import, which indexes the passages, and a rebuild of the index;
 *   - assay_evidence_rank() per claim, the index built, over a set of
 *     claims (mean and worst), against the same run's baseline: a naive
 *     scan that reads the source's text and counts, in every line, the
 *     claim's words (case-folded), as a program without an index would;
 *   - with --cli, a whole `assay-cli evidence --json` call, process start
 *     to exit (the issue asks for under 20 ms), beside `assay-cli info` on
 *     the same project: what opening a project costs any command.
 *
 *   BUILD/tests/bench/bench-evidence [--cli BUILD/src/cli/assay-cli] [--mb 1] [--dense]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "assay-core.h"
#include "assay-test-run.h"

static char *cli = NULL;
static double megabytes = 1.0;
static gboolean dense = FALSE;

static const char *speakers[] = { "Ingrid Tavares", "Malik Oyelaran", "Petra Lindqvist",
                                   "Operator", "Tomasz Wierzbicki" };
static const char *words[] = {
  "revenue", "margin", "quarter", "contract", "harbour", "ferry", "steel", "prices", "guidance",
  "welders", "battery", "supplier", "delay", "hull", "tugs", "fleet", "cash", "debt", "costs",
  "the", "we", "expect", "about", "rose", "fell", "because", "of", "and", "in", "to", "our",
  "customers", "shipyard", "engineering", "hours", "refit", "schedule", "winter", "summer",
};
static const char *months[] = { "January", "March", "May", "July", "September", "November" };

static const char *claims[] = {
  "Revenue rose 12 percent to 48.2 million euros",
  "Steel prices fell in July because of the harbour contract",
  "Oyelaran said cash was 23 million and there is no debt",
  "The battery supplier delay costs $6m",
  "\"ferry\" AND NOT schedule NEAR(tugs)",
  "Tavares expects the fleet in service by September 14",
  "fourteen welders were hired for the hull line",
  "Guidance for the margin was lowered to 30 percent",
};

/* CPU time of this thread, in ms: what a loaded machine does not inflate as
 * much as the wall clock. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static const char *function_words[] = {
  "the", "of", "and", "to", "we", "in", "that", "is", "it", "a", "for", "on", "was", "this",
  "with", "be", "are", "as", "so", "but", "at", "have", "our", "they", "you", "not",
};

/* A vocabulary as speech has one: function words half the time, the rest
 * drawn by Zipf's law from a few thousand words (made of syllables) among
 * which the domain words above sit at middling ranks. With --dense, only
 * the domain words: every word is in a quarter of the passages, the worst
 * case for the index. */
static GPtrArray *vocabulary = NULL;
static double *cumulative = NULL;

static void
make_vocabulary (GRand *rand)
{
  static const char *syllables[] = { "ka", "lo", "mi", "ren", "to", "sa", "ve", "dor", "li",
                                     "an", "pe", "gru", "tis", "mo", "ne", "bar", "fi", "un" };
  guint n = 5000;
  double total = 0;

  vocabulary = g_ptr_array_new_with_free_func (g_free);
  cumulative = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      GString *w = g_string_new (NULL);

      if (i >= 40 && i < 40 + G_N_ELEMENTS (words) * 10 && i % 10 == 0)
        g_string_append (w, words[(i - 40) / 10]);
      else
        for (guint k = 0, len = g_rand_int_range (rand, 2, 4); k < len; k++)
          g_string_append (w, syllables[g_rand_int_range (rand, 0, G_N_ELEMENTS (syllables))]);
      g_ptr_array_add (vocabulary, g_string_free (w, FALSE));
      total += 1.0 / (i + 1);
      cumulative[i] = total;
    }
  for (guint i = 0; i < n; i++)
    cumulative[i] /= total;
}

static const char *
pick_word (GRand *rand)
{
  double x;
  guint lo = 0, hi;

  if (dense)
    return words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];
  if (g_rand_boolean (rand))
    return function_words[g_rand_int_range (rand, 0, G_N_ELEMENTS (function_words))];
  x = g_rand_double (rand);
  hi = vocabulary->len - 1;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cumulative[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }
  return g_ptr_array_index (vocabulary, lo);
}

static char *
build_jsonl (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  GString *s = g_string_new ("{\"id\": \"big\", \"title\": \"A long call\", \"segments\": [");
  gsize target = (gsize) (megabytes * 1024 * 1024);
  gsize text_len = 0;
  guint n = 0;

  make_vocabulary (rand);
  while (text_len < target)
    {
      guint n_sentences = g_rand_int_range (rand, 1, 4);

      g_string_append_printf (s, "%s{\"speaker\": \"%s\", \"text\": \"", n++ > 0 ? ", " : "",
                              speakers[g_rand_int_range (rand, 0, G_N_ELEMENTS (speakers))]);
      for (guint k = 0; k < n_sentences; k++)
        {
          guint n_words = g_rand_int_range (rand, 6, 18);

          for (guint w = 0; w < n_words; w++)
            {
              const char *word = pick_word (rand);

              g_string_append_printf (s, "%s%s", w == 0 ? "" : " ", word);
              if (g_rand_int_range (rand, 0, 12) == 0)
                g_string_append_printf (s, " %d", g_rand_int_range (rand, 1, 2000));
              if (g_rand_int_range (rand, 0, 40) == 0)
                g_string_append_printf (s, " on %s %d",
                                        months[g_rand_int_range (rand, 0, G_N_ELEMENTS (months))],
                                        g_rand_int_range (rand, 1, 29));
            }
          g_string_append (s, ". ");
        }
      g_string_append (s, "\"}");
      text_len = s->len - n * 40;
    }
  g_string_append (s, "]}\n");
  return g_string_free (s, FALSE);
}

/* The baseline: every line of the text scored by the claim's words it
 * contains, case-folded, the best kept. */
static guint
naive_scan (AssayProject *project,
            gint64        source_id,
            const char   *claim)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = assay_project_load_item (project, source_id, 0, &error);
  g_autofree char *folded = g_utf8_casefold (item->text, -1);
  g_auto(GStrv) lines = g_strsplit (folded, "\n", -1);
  g_autofree char *claim_folded = g_utf8_casefold (claim, -1);
  g_auto(GStrv) terms = g_strsplit_set (claim_folded, " \"(),.$", -1);
  guint best = 0;

  g_assert_no_error (error);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint score = 0;

      for (guint t = 0; terms[t] != NULL; t++)
        if (strlen (terms[t]) > 2 && strstr (lines[i], terms[t]) != NULL)
          score++;
      best = MAX (best, score);
    }
  return best;
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "assay-cli, to time whole calls", "PATH" },
    { "mb", 0, 0, G_OPTION_ARG_DOUBLE, &megabytes, "Size of the source (1)", "MB" },
    { "dense", 0, 0, G_OPTION_ARG_NONE, &dense, "Forty words only: the worst case", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *jsonl = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gint64 t0, source_id;
  double ranked = 0, worst = 0, best = G_MAXDOUBLE, naive = 0, ranked_cpu = 0, naive_cpu = 0;
  guint rounds = 10, n_calls = 0, sink = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("assay-bench-evidence-XXXXXX", NULL);
  path = g_build_filename (dir, "big.assay", NULL);
  jsonl = build_jsonl ();
  project = assay_project_create (path, &error);
  g_assert_no_error (error);
  import = assay_import_new (project);
  bytes = g_bytes_new_take (g_strdup (jsonl), strlen (jsonl));
  assay_import_add_bytes (import, "big.jsonl", bytes, ASSAY_FORMAT_JSONL);
  t0 = g_get_monotonic_time ();
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
  source_id = assay_project_lookup_source (project, "big");
  {
    g_autoptr(AssayItem) item = assay_project_load_item (project, source_id, 0, &error);

    g_print ("source: %.2f MB of text, %" G_GINT64_FORMAT " code points, %u segments\n",
             strlen (item->text) / 1048576.0, item->n_chars, item->segments->len);
  }
  g_print ("import (with the passage index): %.1f ms\n",
           (g_get_monotonic_time () - t0) / 1000.0);

  t0 = g_get_monotonic_time ();
  g_assert_true (assay_evidence_reset (project, &error));
  g_assert_true (assay_evidence_prepare (project, source_id, &error));
  g_assert_no_error (error);
  g_print ("index rebuilt: %.1f ms\n", (g_get_monotonic_time () - t0) / 1000.0);

  if (g_getenv ("BENCH_KEEP") != NULL)
    {
      g_print ("kept: %s\n", path);
      return 0;
    }

  for (guint r = 0; r < rounds; r++)
    for (guint c = 0; c < G_N_ELEMENTS (claims); c++)
      {
        g_autoptr(GPtrArray) passages = NULL;
        gint64 t1 = g_get_monotonic_time ();
        double c1 = cpu_ms ();
        double ms;

        passages = assay_evidence_rank (project, source_id, claims[c], 10, &error);
        g_assert_no_error (error);
        ms = (g_get_monotonic_time () - t1) / 1000.0;
        ranked_cpu += cpu_ms () - c1;
        ranked += ms;
        worst = MAX (worst, ms);
        best = MIN (best, ms);
        sink += passages->len;
        n_calls++;

        t1 = g_get_monotonic_time ();
        c1 = cpu_ms ();
        if (g_getenv ("BENCH_NO_NAIVE") == NULL)
          sink += naive_scan (project, source_id, claims[c]);
        naive_cpu += cpu_ms () - c1;
        naive += (g_get_monotonic_time () - t1) / 1000.0;
      }
  g_print ("rank, per claim: %.2f ms mean, %.2f ms best, %.2f ms worst (%u calls)\n",
           ranked / n_calls, best, worst, n_calls);
  g_print ("naive scan, per claim: %.2f ms mean\n", naive / n_calls);
  g_print ("CPU time per claim: rank %.2f ms, naive scan %.2f ms\n", ranked_cpu / n_calls,
           naive_cpu / n_calls);
  g_print ("ratio naive / ranked: %.1f (wall), %.1f (CPU)\n", naive / ranked,
           naive_cpu / ranked_cpu);

  if (cli != NULL)
    {
      double whole = 0, whole_worst = 0;

      g_clear_object (&import);
      g_clear_object (&project);
      for (guint c = 0; c < G_N_ELEMENTS (claims); c++)
        {
          const char *args[] = { cli, "evidence", path, "--source", "big", "--text", claims[c],
                                 "--json", NULL };
          g_autofree char *out = NULL;
          gint64 t1 = g_get_monotonic_time ();
          int status = -1;
          double ms;

          g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                        NULL, &status, &error);
          ms = (g_get_monotonic_time () - t1) / 1000.0;
          g_assert_no_error (error);
          g_assert_true (g_spawn_check_wait_status (status, NULL));
          whole += ms;
          whole_worst = MAX (whole_worst, ms);
        }
      g_print ("assay-cli evidence --json, whole call: %.1f ms mean, %.1f ms worst\n",
               whole / G_N_ELEMENTS (claims), whole_worst);

      /* The floor: a command that opens the project and reads a little. */
      whole = 0;
      for (guint c = 0; c < G_N_ELEMENTS (claims); c++)
        {
          const char *args[] = { cli, "info", path, "--json", NULL };
          g_autofree char *out = NULL;
          gint64 t1 = g_get_monotonic_time ();
          int status = -1;

          g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out,
                        NULL, &status, &error);
          g_assert_no_error (error);
          whole += (g_get_monotonic_time () - t1) / 1000.0;
        }
      g_print ("assay-cli info --json (opening the project, for comparison): %.1f ms mean\n",
               whole / G_N_ELEMENTS (claims));
    }

  g_clear_object (&import);
  g_clear_object (&project);
  assay_test_remove_tree (dir);
  return sink > 0 ? 0 : 1;
}
