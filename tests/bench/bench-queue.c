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
 *   - opening it as the window does: the project, the session, its queue
 *     (every source id) and the item to resume; with a display (Xvfb),
 *     also in the real window, from assay_window_open() until the item is
 *     shown and the list is attached;
 *   - loading the adjudication view's model of one source judged by three
 *     raters (added once, with a template of two label sets, one of which
 *     they never use: the case where checking the use of a set reads all of
 *     a rater's labels);
 *
 * each once through the old synchronous calls, which block the loop for
 * all of their time, and once through the _async calls, where what counts
 * is the longest time the loop could not run (measured by a 1 ms tick: the
 * largest gap between two ticks, less the tick) and the total time to the
 * answer. The baseline of the same run is the longest gap while the loop
 * does nothing at all. A frame is 16 ms.
 *
 * GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR=BUILD/data \
 *   xvfb-run -a BUILD/tests/bench/bench-queue [--dir DIR] [--sources N] \
 *   [--only open|window|adjudication]
 *
 * With BENCH_TRACE=1 in the environment, the window's measure prints every
 * gap of the loop longer than a frame, and every frame phase (layout,
 * paint) longer than one, with when it ended.
 */
#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>

#include "assay-core.h"
#include "assay-session.h"
#include "assay-window.h"
#include "assay-window-private.h"

static char *dir = NULL;
static int n_sources = 1000000;
static int n_judged = 200000;
static char *only = NULL;

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

static gint64 trace_start;

static gboolean
tick_cb (gpointer data)
{
  Watch *w = data;
  gint64 now = g_get_monotonic_time ();

  if (w->last != 0 && now - w->last > w->longest)
    w->longest = now - w->last;
  if (trace_start != 0 && w->last != 0 && now - w->last > 16000)
    g_printerr ("TRACE gap %.1f ms ending at %.1f ms\n", (now - w->last) / 1000.0,
                (now - trace_start) / 1000.0);
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

/* ---- opening as the window does ---- */

typedef struct
{
  Watch         w;
  gint64        start;
  gint64        queue_ready;
  gint64        item_shown;
  AssayProject *project;
  AssaySession *session;
} OpenRun;

static void
show_resume (OpenRun *r)
{
  g_autoptr(GError) error = NULL;
  gint64 resume = assay_session_get_resume_source (r->session);

  if (resume == 0 || !assay_session_load_item (r->session, resume, &error))
    g_error ("no item to resume: %s", error ? error->message : "empty queue");
  r->item_shown = g_get_monotonic_time ();
}

static void
queue_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      data)
{
  OpenRun *r = data;
  g_autoptr(GError) error = NULL;

  if (!assay_queue_set_filter_finish (ASSAY_QUEUE (object), result, &error))
    g_error ("%s", error->message);
  r->queue_ready = g_get_monotonic_time ();
  show_resume (r);
  r->w.done = TRUE;
}

static void
project_ready_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  OpenRun *r = data;
  g_autoptr(GError) error = NULL;

  r->project = assay_project_open_finish (result, &error);
  if (r->project == NULL)
    g_error ("%s", error->message);
  r->session = assay_session_new (r->project, "bench", "Bench", &error);
  if (r->session == NULL)
    g_error ("%s", error->message);
  assay_queue_reload_async (assay_session_get_queue (r->session), NULL, queue_ready_cb, r);
}

static void
measure_open_session (const char *path)
{
  g_autoptr(GError) error = NULL;
  OpenRun r = { { 0, }, };
  double sync_ms, queue_sync_ms, stall, total;

  /* Before: everything on the loop's thread, the queue read by the
   * session as it was made. */
  r.start = g_get_monotonic_time ();
  r.project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_APP, &error);
  if (r.project == NULL)
    g_error ("%s", error->message);
  r.session = assay_session_new (r.project, "bench", "Bench", &error);
  if (r.session == NULL)
    g_error ("%s", error->message);
  assay_queue_reload (assay_session_get_queue (r.session));
  r.queue_ready = g_get_monotonic_time ();
  show_resume (&r);
  sync_ms = (r.item_shown - r.start) / 1000.0;
  queue_sync_ms = (r.queue_ready - r.start) / 1000.0;
  g_clear_object (&r.session);
  g_clear_object (&r.project);

  /* Now: the project and the queue in workers. */
  memset (&r, 0, sizeof r);
  r.start = g_get_monotonic_time ();
  assay_project_open_async (path, ASSAY_PROJECT_OPEN_APP, NULL, project_ready_cb, &r);
  total = run_until_done (&r.w, r.start, &stall);
  printf ("%-26s sync: loop blocked %8.1f ms (queue ready after %.1f ms) | async: loop blocked"
          " at most %5.1f ms, queue ready after %8.1f ms, item after %.1f ms | ratio %.0f\n",
          "open + session + queue", sync_ms, queue_sync_ms, stall,
          (r.queue_ready - r.start) / 1000.0, total, sync_ms / MAX (stall, 0.1));
  g_clear_object (&r.session);
  g_clear_object (&r.project);
}

/* With BENCH_TRACE set, each long frame phase is printed. */
static gint64 phase_start;

static void
phase_begin_cb (GdkFrameClock *clock,
                gpointer       data)
{
  phase_start = g_get_monotonic_time ();
}

static void
phase_end_cb (GdkFrameClock *clock,
              const char    *phase)
{
  gint64 now = g_get_monotonic_time ();

  if (now - phase_start > 16000)
    g_printerr ("TRACE %s %.1f ms ending at %.1f ms\n", phase, (now - phase_start) / 1000.0,
                (now - trace_start) / 1000.0);
}

/* The real window, when there is a display: from assay_window_open() until
 * the item to resume is shown, then half a second more, in which the list
 * gets its model and makes its rows (GTK 4.8 makes some 200 at once). */
static void
measure_window_open (const char *path)
{
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AssayWindow *window;
  Watch w = { 0, };
  guint id;
  gint64 start, shown, end;

  if (!gtk_init_check () || g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    {
      printf ("  the real window: skipped (needs a display and GSETTINGS_SCHEMA_DIR)\n");
      return;
    }
  adw_init ();
  settings = g_settings_new ("io.github.assaylab.Assay");
  g_settings_set_string (settings, "annotator-id", "bench");
  g_settings_set_string (settings, "annotator-name", "Bench");

  window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  end = g_get_monotonic_time () + 500 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);

  id = g_timeout_add (1, tick_cb, &w);
  start = g_get_monotonic_time ();
  if (g_getenv ("BENCH_TRACE") != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

      trace_start = start;
      g_signal_connect (clock, "layout", G_CALLBACK (phase_begin_cb), NULL);
      g_signal_connect_after (clock, "layout", G_CALLBACK (phase_end_cb), (gpointer) "layout");
      g_signal_connect (clock, "paint", G_CALLBACK (phase_begin_cb), NULL);
      g_signal_connect_after (clock, "paint", G_CALLBACK (phase_end_cb), (gpointer) "paint");
    }
  assay_window_open (window, file);
  while (_assay_window_get_opening (window))
    g_main_context_iteration (NULL, TRUE);
  shown = g_get_monotonic_time ();
  end = shown + 500 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  if (assay_session_get_item (assay_window_get_session (window)) == NULL)
    g_error ("the window shows no item");
  printf ("%-26s loop blocked at most %5.1f ms (until the item and 0.5 s after), item shown"
          " after %.1f ms\n", "the real window", MAX (0, (w.longest - 1000) / 1000.0),
          (shown - start) / 1000.0);
  gtk_window_destroy (GTK_WINDOW (window));
  end = g_get_monotonic_time () + 200 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

/* ---- the adjudication view's model ---- */

#define N_RATERS 3

static const char adjudication_template[] =
  "{\"name\": \"Bench\", \"version\": \"1\", \"judgments\": [\"labels\"],"
  " \"label_sets\": ["
  " {\"name\": \"issues\", \"title\": \"Issues\", \"scope\": \"candidate\", \"multi\": true,"
  "  \"options\": [{\"name\": \"omission\", \"title\": \"Omission\"},"
  "               {\"name\": \"padding\", \"title\": \"Padding\"}]},"
  " {\"name\": \"tone\", \"title\": \"Tone\", \"scope\": \"candidate\", \"multi\": true,"
  "  \"options\": [{\"name\": \"curt\", \"title\": \"Curt\"}]}]}";

/* Three raters who each labelled candidate "a" of the first `n` sources
 * (rater 1 and 2 disagreeing on the first), never using "tone". Added once:
 * a project that has the raters already is kept as it is. */
static void
add_raters (const char *path,
            int         n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GBytes) bytes = NULL;
  AssayLabelOption *omission, *padding;
  AssayLabelSet *issues;
  gint64 raters[N_RATERS];
  gint64 start = g_get_monotonic_time ();

  if (project == NULL)
    g_error ("%s", error->message);
  if (assay_project_lookup_annotator (project, "rater-3") != 0)
    return;
  g_printerr ("adding %d raters' labels on %d sources (a minute)…\n", N_RATERS, n);
  bytes = g_bytes_new_static (adjudication_template, sizeof adjudication_template - 1);
  tmpl = assay_template_load_bytes (bytes, "bench.json", &error);
  if (tmpl == NULL || !assay_project_store_template (project, tmpl, &error))
    g_error ("%s", error->message);
  g_clear_pointer (&tmpl, assay_template_unref);
  tmpl = assay_project_load_template (project, &error);
  issues = assay_template_find_label_set (tmpl, "issues");
  omission = assay_template_find_option (tmpl, "issues", "omission", ASSAY_SCOPE_CANDIDATE,
                                         NULL, NULL);
  padding = assay_template_find_option (tmpl, "issues", "padding", ASSAY_SCOPE_CANDIDATE,
                                        NULL, NULL);
  g_assert (issues != NULL && omission != NULL && padding != NULL);

  if (!assay_project_begin (project, &error))
    g_error ("%s", error->message);
  for (int r = 0; r < N_RATERS; r++)
    {
      g_autofree char *id = g_strdup_printf ("rater-%d", r + 1);

      if (!assay_project_ensure_annotator (project, id, NULL, ASSAY_ANNOTATOR_PERSON, &raters[r],
                                           &error))
        g_error ("%s", error->message);
    }
  for (int i = 0; i < n; i++)
    {
      g_autofree char *ext_id = g_strdup_printf ("s%07d", i);
      gint64 source = assay_project_lookup_source (project, ext_id);
      gint64 candidate = assay_project_lookup_candidate (project, source, "a");

      for (int r = 0; r < N_RATERS; r++)
        {
          gint64 option = i == 0 && r == 1 ? padding->id : omission->id;

          if (!assay_project_set_labels (project, candidate, raters[r], issues->id, &option, 1,
                                         NULL, &error))
            g_error ("%s", error->message);
        }
    }
  if (!assay_project_commit (project, &error))
    g_error ("%s", error->message);
  g_printerr ("added in %.0f s\n", (g_get_monotonic_time () - start) / 1e6);
}

static void
adjudication_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  Watch *w = data;
  g_autoptr(GError) error = NULL;

  w->result = assay_adjudication_load_finish (result, &error);
  if (w->result == NULL)
    g_error ("%s", error->message);
  w->done = TRUE;
}

static void
measure_adjudication (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_APP,
                                                            &error);
  g_autoptr(AssayAdjudication) model = NULL;
  Watch w = { 0, };
  gint64 source, start;
  double sync_ms, stall, total, call;

  if (project == NULL)
    g_error ("%s", error->message);
  source = assay_project_lookup_source (project, "s0000000");

  /* Once to warm the page cache, then measured. */
  g_clear_object (&model);
  model = assay_adjudication_load (project, source, "gold", NULL, &error);
  g_clear_object (&model);
  start = g_get_monotonic_time ();
  model = assay_adjudication_load (project, source, "gold", NULL, &error);
  sync_ms = ms_since (start);
  if (model == NULL)
    g_error ("%s", error->message);
  printf ("  adjudication of s0000000: %u raters\n", assay_adjudication_get_annotators (model)->len);
  g_clear_object (&model);

  start = g_get_monotonic_time ();
  assay_adjudication_load_async (project, source, "gold", NULL, adjudication_cb, &w);
  call = ms_since (start);
  total = run_until_done (&w, start, &stall);
  g_clear_object (&w.result);
  report ("load the adjudication", sync_ms, MAX (call, stall), total);
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
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Only one measure: open, window or adjudication",
      "WHAT" },
    { "judged", 0, 0, G_OPTION_ARG_INT, &n_judged,
      "Sources each rater labelled, for the adjudication (200000)", "N" },
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
  if (only != NULL)
    {
      if (g_str_equal (only, "window"))
        measure_window_open (path);
      else if (g_str_equal (only, "open"))
        measure_open_session (path);
      else if (g_str_equal (only, "adjudication"))
        {
          add_raters (path, MIN (n_judged, n_sources));
          measure_adjudication (path);
        }
      else
        g_error ("--only takes open, window or adjudication");
      g_free (only);
      g_free (dir);
      return 0;
    }
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

  measure_open_session (path);
  measure_window_open (path);

  add_raters (path, MIN (n_judged, n_sources));
  measure_adjudication (path);

  g_free (dir);
  return 0;
}
