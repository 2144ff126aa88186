/* bench-queue.c: how long the UI thread waits for opening and searching
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds once (kept in --dir, /tmp by default) a project of 1,000,000
 * short sources with two candidates each, through the core's import of a
 * generated file. Then, on the thread that runs the main loop, as the app
 * would:
 *
 *   - opening the project, and making its queue (every source id);
 *   - a search in the queue (full-text, over every transcript) and a
 *     status filter;
 *
 * each once through the old synchronous call, which blocks the loop for
 * all of its time, and once through the _async call, where what counts is
 * the longest time the loop could not run (measured by a 1 ms tick: the
 * largest gap between two ticks, less the tick) and the total time to the
 * answer. The baseline of the same run is the longest gap while the loop
 * does nothing at all. A frame is 16 ms.
 */
#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>

#include "assay-core.h"

static char *dir = NULL;
static int n_sources = 1000000;

static const char *words[] = {
  "the", "patient", "reported", "revenue", "margin", "quarter", "refund", "contract", "said",
  "we", "grocer", "cooler", "shipment", "invoice", "dose", "allergy", "twice", "daily", "about",
  "because", "customer", "growth", "pricing", "weeks", "never", "again", "model", "numbers",
};

static void
append_words (GString *s,
              GRand   *rand,
              guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
    }
}

static char *
build_project (void)
{
  g_autofree char *path = g_strdup_printf ("%s/bench-queue-%d.assay", dir, n_sources);
  g_autofree char *jsonl = g_strdup_printf ("%s/bench-queue-%d.jsonl", dir, n_sources);
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GError) error = NULL;
  FILE *out;
  gint64 start;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_printerr ("building %s (minutes)…\n", path);
  start = g_get_monotonic_time ();
  out = fopen (jsonl, "w");
  g_assert (out != NULL);
  for (int i = 0; i < n_sources; i++)
    {
      g_autoptr(GString) line = g_string_new (NULL);

      g_string_append_printf (line, "{\"id\":\"s%07d\",\"title\":\"Call %d\",\"text\":\"", i, i);
      append_words (line, rand, 24);
      /* One source in 10,000 names the word searched for. */
      if (i % 10000 == 0)
        g_string_append (line, " zeppelin");
      g_string_append (line, "\",\"candidates\":[{\"id\":\"a\",\"model\":\"m1\",\"text\":\"");
      append_words (line, rand, 8);
      g_string_append (line, "\"},{\"id\":\"b\",\"model\":\"m2\",\"text\":\"");
      append_words (line, rand, 8);
      g_string_append (line, "\"}]}\n");
      fwrite (line->str, 1, line->len, out);
    }
  fclose (out);

  project = assay_project_create (path, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  import = assay_import_new (project);
  assay_import_add_file (import, jsonl, ASSAY_FORMAT_JSONL);
  if (!assay_import_run (import, NULL, &error))
    g_error ("%s", error->message);
  g_unlink (jsonl);
  g_printerr ("built in %.0f s\n", (g_get_monotonic_time () - start) / 1e6);
  return g_steal_pointer (&path);
}

/* ---- the main loop's ticks ---- */

typedef struct
{
  gint64   last;
  gint64   longest;
  gboolean done;
  gpointer result;
} Watch;

static gboolean
tick_cb (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last != 0 && now - w->last > w->longest)
    w->longest = now - w->last;
  w->last = now;
  return G_SOURCE_CONTINUE;
}

/* Runs the loop until `w` is done; returns the total time in ms and sets
 * the longest stall (beyond the 1 ms tick) in `stall_ms`. */
static double
run_until_done (Watch  *w,
                gint64  start,
                double *stall_ms)
{
  guint id = g_timeout_add (1, tick_cb, w);

  while (!w->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  *stall_ms = MAX (0, (w->longest - 1000) / 1000.0);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
baseline_stall (void)
{
  Watch w = { 0, };
  guint id = g_timeout_add (1, tick_cb, &w);
  gint64 end = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return MAX (0, (w.longest - 1000) / 1000.0);
}

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;

  w->result = assay_project_open_finish (result, &error);
  if (w->result == NULL)
    g_error ("%s", error->message);
  w->done = TRUE;
}

static void
filtered_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;

  if (!assay_queue_set_filter_finish (ASSAY_QUEUE (object), result, &error))
    g_error ("%s", error->message);
  w->done = TRUE;
}

static void
report (const char *what,
        double      sync_ms,
        double      async_stall_ms,
        double      async_total_ms)
{
  printf ("%-26s sync: loop blocked %8.1f ms | async: loop blocked at most %5.1f ms,"
          " answer after %8.1f ms | ratio sync/async blocking %.0f\n",
          what, sync_ms, async_stall_ms, async_total_ms,
          sync_ms / MAX (async_stall_ms, 0.1));
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
measure_search (AssayQueue *queue,
                const char *what,
                int         status,
                const char *search)
{
  Watch w = { 0, };
  gint64 start;
  double sync_ms, total, stall, call;

  assay_queue_set_filter (queue, -1, NULL, NULL);
  start = g_get_monotonic_time ();
  assay_queue_set_filter (queue, status, NULL, search);
  sync_ms = (g_get_monotonic_time () - start) / 1000.0;
  printf ("  %s: %u items shown\n", what, g_list_model_get_n_items (G_LIST_MODEL (queue)));

  assay_queue_set_filter (queue, -1, NULL, NULL);
  start = g_get_monotonic_time ();
  assay_queue_set_filter_async (queue, status, NULL, search, NULL, filtered_cb, &w);
  call = ms_since (start);
  total = run_until_done (&w, start, &stall);
  report (what, sync_ms, MAX (call, stall), total);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayQueue) queue = NULL;
  GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the project is kept (/tmp)", "DIR" },
    { "sources", 0, 0, G_OPTION_ARG_INT, &n_sources, "Sources in the project (1000000)", "N" },
    { NULL }
  };
  double baseline, sync_ms, stall, total, call;
  gint64 start;
  Watch w = { 0, };

  context = g_option_context_new ("- UI-thread time of opening and searching a large project");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (dir == NULL)
    dir = g_strdup (g_get_tmp_dir ());

  path = build_project ();
  baseline = baseline_stall ();
  /* What the loop's longest gap is when nothing runs: the noise floor. */
  printf ("%d sources; baseline, the idle main loop's longest gap: %.1f ms\n", n_sources,
          baseline);

  /* Opening: once to warm the page cache, then measured. */
  g_clear_object (&project);
  project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_APP, &error);
  g_clear_object (&project);
  start = g_get_monotonic_time ();
  project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_APP, &error);
  sync_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (project == NULL)
    g_error ("%s", error->message);
  g_clear_object (&project);

  start = g_get_monotonic_time ();
  assay_project_open_async (path, ASSAY_PROJECT_OPEN_APP, NULL, opened_cb, &w);
  call = ms_since (start);
  total = run_until_done (&w, start, &stall);
  project = w.result;
  report ("open the project", sync_ms, MAX (call, stall), total);

  /* The queue over every source, as the session makes it. */
  start = g_get_monotonic_time ();
  queue = assay_queue_new (project, 0);
  printf ("  making the queue (sync only): %.1f ms for %u items\n",
          (g_get_monotonic_time () - start) / 1000.0,
          g_list_model_get_n_items (G_LIST_MODEL (queue)));

  measure_search (queue, "search \"zeppelin\"", -1, "zeppelin");
  measure_search (queue, "search \"refund margin\"", -1, "refund margin");
  measure_search (queue, "status filter \"to do\"", ASSAY_STATUS_TODO, NULL);
  measure_search (queue, "search + status filter", ASSAY_STATUS_TODO, "grocer");

  g_clear_object (&queue);
  g_clear_object (&project);
  g_free (dir);
  return 0;
}
