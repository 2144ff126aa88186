/* bench-ui.c: how fast the workbench is, measured in the running window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds two projects once (kept in --dir): one of 100,000 short sources,
 * and one holding a 300-page transcript (about 1 MB) whose four candidates
 * carry 500 spans with evidence, beside 40 ordinary items. Then, in the
 * real window, under the display it is given (Xvfb):
 *
 *   - start to first item shown (the first frame painted with it), for the
 *     100,000-source project;
 *   - item switches, from the call to the first frame painted with the new
 *     item: between ordinary items, and to the 300-page item (median and
 *     95th percentile over 200 each);
 *   - resident memory.
 *
 * The baseline of the same run is a switch between two items with no text
 * and no candidates: what a frame costs here at all. Goals are the issue's:
 * first item under 300 ms, the long item within 100 ms, ordinary items
 * within one frame (16 ms), memory under 150 MB.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "assay-test-ui.h"
#include "assay-window.h"

#define N_SWITCHES 200

static gint64 process_start;

static void
import_file (AssayProject *project,
             const char   *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);

  assay_import_add_file (import, path, ASSAY_FORMAT_JSONL);
  if (!assay_import_run (import, NULL, &error))
    g_error ("%s", error->message);
}

static void
write_lines (const char *path,
             GString    *text)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, text->str, text->len, &error))
    g_error ("%s", error->message);
}

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
build_large (const char *dir,
             guint       n)
{
  g_autofree char *path = g_strdup_printf ("%s/bench-ui-large-%u.assay", dir, n);
  g_autofree char *jsonl = g_strdup_printf ("%s/bench-ui-large.jsonl", dir);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GError) error = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_printerr ("building %s…\n", path);
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (text, "{\"id\":\"s%06u\",\"title\":\"Call %u\",\"text\":\"", i, i);
      append_words (text, rand, 60);
      g_string_append (text, "\",\"candidates\":[{\"id\":\"a\",\"model\":\"m1\",\"text\":\"");
      append_words (text, rand, 20);
      g_string_append (text, "\"},{\"id\":\"b\",\"model\":\"m2\",\"text\":\"");
      append_words (text, rand, 20);
      g_string_append (text, "\"}]}\n");
    }
  write_lines (jsonl, text);
  project = assay_project_create (path, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  import_file (project, jsonl);
  g_unlink (jsonl);
  return g_steal_pointer (&path);
}

/* The 300-page item first, then ordinary ones; spans by the user who runs
 * the bench, since the window opens the project as that annotator. */
static char *
build_long (const char *dir)
{
  g_autofree char *path = g_strdup_printf ("%s/bench-ui-long.assay", dir);
  g_autofree char *jsonl = g_strdup_printf ("%s/bench-ui-long.jsonl", dir);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) source = g_string_new (NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) candidate_len = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *who = g_get_user_name ();
  guint n_segments = 5000;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return g_steal_pointer (&path);

  g_printerr ("building %s…\n", path);
  g_string_append (text, "{\"id\":\"long\",\"title\":\"Deposition, 300 pages\",\"segments\":[");
  for (guint i = 0; i < n_segments; i++)
    {
      g_autoptr(GString) seg = g_string_new (NULL);

      append_words (seg, rand, 30);
      g_string_append_printf (text, "%s{\"speaker\":\"%s\",\"start\":%u,\"end\":%u,\"text\":\"%s\"}",
                              i ? "," : "", i % 2 ? "Witness" : "Counsel", i * 6, i * 6 + 6,
                              seg->str);
      if (i > 0)
        g_string_append_c (source, '\n');
      g_string_append (source, seg->str);
    }
  g_string_append (text, "],\"candidates\":[");
  for (guint c = 0; c < 4; c++)
    {
      g_autoptr(GString) cand = g_string_new (NULL);
      guint len;

      append_words (cand, rand, 400);
      len = g_utf8_strlen (cand->str, -1);
      g_array_append_val (candidate_len, len);
      g_string_append_printf (text, "%s{\"id\":\"c%u\",\"model\":\"m%u\",\"text\":\"%s\"}",
                              c ? "," : "", c, c, cand->str);
    }
  g_string_append (text, "],\"judgments\":[");
  for (guint k = 0; k < 500; k++)
    {
      guint c = k % 4;
      guint slot = k / 4;            /* 125 spans per candidate, side by side */
      guint clen = g_array_index (candidate_len, guint, c);
      guint start = slot * (clen / 126);
      guint end = start + clen / 126 - 1;
      guint ev = (guint) g_rand_int_range (rand, 0, (gint32) source->len - 200);

      g_string_append_printf (text,
                              "%s{\"type\":\"span\",\"candidate\":\"c%u\",\"annotator\":\"%s\","
                              "\"start\":%u,\"end\":%u,\"label\":\"%s\",\"evidence\":"
                              "[{\"start\":%u,\"end\":%u}]}",
                              k ? "," : "", c, who, start, end,
                              k % 3 == 0 ? "unsupported" : "supported", ev, ev + 120);
    }
  g_string_append (text, "]}\n");

  for (guint i = 0; i < 40; i++)
    {
      g_string_append_printf (text, "{\"id\":\"o%02u\",\"title\":\"Ordinary call %u\","
                              "\"segments\":[", i, i);
      for (guint j = 0; j < 30; j++)
        {
          g_string_append_printf (text, "%s{\"speaker\":\"%s\",\"start\":%u,\"text\":\"",
                                  j ? "," : "", j % 2 ? "Agent" : "Customer", j * 5);
          append_words (text, rand, 25);
          g_string_append (text, "\"}");
        }
      g_string_append (text, "],\"candidates\":[");
      for (guint c = 0; c < 4; c++)
        {
          g_string_append_printf (text, "%s{\"id\":\"c%u\",\"model\":\"m%u\",\"text\":\"",
                                  c ? "," : "", c, c);
          append_words (text, rand, 80);
          g_string_append (text, "\"}");
        }
      g_string_append (text, "]}\n");
    }
  /* Two empty items: the baseline. */
  g_string_append (text, "{\"id\":\"e1\",\"text\":\"-\"}\n{\"id\":\"e2\",\"text\":\"-\"}\n");

  write_lines (jsonl, text);
  project = assay_project_create (path, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  {
    /* The spans need the template's labels. */
    g_autofree char *tpath = g_build_filename (g_getenv ("ASSAY_SRCDIR"), "data", "demo",
                                               "template.json", NULL);
    g_autoptr(AssayTemplate) tmpl = assay_template_load_file (tpath, &error);

    if (tmpl == NULL || !assay_project_store_template (project, tmpl, &error))
      g_error ("%s", error->message);
  }
  import_file (project, jsonl);
  g_unlink (jsonl);
  return g_steal_pointer (&path);
}

/* ---- measuring frames ---- */

static gboolean painted;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  painted = TRUE;
}

static GdkFrameClock *
frame_clock (GtkWidget *window)
{
  return gtk_widget_get_frame_clock (window);
}

/* Runs the loop until a frame is painted after this call. */
static void
wait_for_paint (GtkWidget *window)
{
  painted = FALSE;
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare_doubles);
  index = (guint) ceil (p * values->len) - 1;
  return g_array_index (values, double, MIN (index, values->len - 1));
}

/* Of a switch, the part spent loading the item and in the widgets'
 * handlers, before layout and drawing. */
static double load_part;

static double
switch_to (GtkWidget    *window,
           AssaySession *session,
           gint64        source_id)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  if (!assay_session_load_item (session, source_id, &error))
    g_error ("%s", error->message);
  load_part = (g_get_monotonic_time () - start) / 1000.0;
  wait_for_paint (window);
  elapsed = (g_get_monotonic_time () - start) / 1000.0;

  /* What the loop does between two keystrokes of a person, outside the
   * timing: idle work such as freeing the previous item's text. */
  for (guint i = 0; i < 100 && g_main_context_pending (NULL); i++)
    g_main_context_iteration (NULL, FALSE);
  return elapsed;
}

static double
rss_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  p = strstr (status, field);
  if (p == NULL)
    return 0;
  return g_ascii_strtod (p + strlen (field), NULL) / 1024.0;
}

static void
report (const char *what,
        double      value,
        double      goal,
        double      baseline)
{
  if (baseline > 0)
    g_print ("%-44s %8.1f ms   goal %6.0f ms   %5.2fx goal   %6.1fx baseline\n",
             what, value, goal, value / goal, value / baseline);
  else
    g_print ("%-44s %8.1f ms   goal %6.0f ms   %5.2fx goal\n", what, value, goal, value / goal);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *dir = NULL;
  g_autofree char *large = NULL;
  g_autofree char *longp = NULL;
  guint n_sources = 100000;
  int n_switches = N_SWITCHES;
  GOptionEntry entries[] = {
    { "switches", 0, 0, G_OPTION_ARG_INT, &n_switches, "Switches of each kind (200)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Where the projects are built and kept", "DIR" },
    { "sources", 0, 0, G_OPTION_ARG_INT, &n_sources, "Sources of the large project", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- measure the workbench");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ordinary = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) to_long = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) baseline = g_array_new (FALSE, FALSE, sizeof (double));
  double first_item, window_only;
  AssayWindow *window;
  AssaySession *session;
  gint64 t0, long_id, o[40], e1, e2;

  process_start = g_get_monotonic_time ();
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (dir == NULL)
    dir = g_strdup (".");

  large = build_large (dir, n_sources);
  longp = build_long (dir);

  /* ---- start to first item, 100,000 sources ----
   * As the app does it: initialise, make the window, open the project,
   * show; the clock runs from the start of the process (the projects are
   * built before, and their time is not counted). */
  {
    g_autoptr(GFile) file = g_file_new_for_path (large);
    gint64 t1;

    t0 = g_get_monotonic_time ();
    assay_test_ui_init (&argc, &argv);
    g_log_set_always_fatal (G_LOG_FATAL_MASK);
    t1 = g_get_monotonic_time ();
    {
      gint64 t2, t3;

      window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
      gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
      t2 = g_get_monotonic_time ();
      /* The project and its queue are read in workers: the window is shown
       * while they are, and the item once they are done. */
      gtk_window_present (GTK_WINDOW (window));
      assay_test_open (window, file);
      t3 = g_get_monotonic_time ();
      g_signal_connect (frame_clock (GTK_WIDGET (window)), "after-paint",
                        G_CALLBACK (on_after_paint), NULL);
      wait_for_paint (GTK_WIDGET (window));
      first_item = (g_get_monotonic_time () - t0) / 1000.0;
      window_only = (t1 - t0) / 1000.0;
      g_print ("start to first item: %.1f ms: initialising GTK and libadwaita %.1f ms, making "
               "the window %.1f ms, opening the project and its first item %.1f ms, the first "
               "frame %.1f ms\n",
               first_item, window_only, (t2 - t1) / 1000.0, (t3 - t2) / 1000.0,
               (g_get_monotonic_time () - t3) / 1000.0);
    }
    g_assert_nonnull (assay_session_get_item (assay_window_get_session (window)));
  }

  /* ---- switches, the long project ---- */
  {
    g_autoptr(GFile) file = g_file_new_for_path (longp);
    AssayProject *project;

    assay_test_open (window, file);
    wait_for_paint (GTK_WIDGET (window));
    session = assay_window_get_session (window);
    project = assay_session_get_project (session);
    long_id = assay_project_lookup_source (project, "long");
    for (guint i = 0; i < 40; i++)
      {
        g_autofree char *id = g_strdup_printf ("o%02u", i);

        o[i] = assay_project_lookup_source (project, id);
      }
    e1 = assay_project_lookup_source (project, "e1");
    e2 = assay_project_lookup_source (project, "e2");
  }

  g_print ("resident memory after opening both projects: %.1f MB\n", rss_mb ("VmRSS:"));

  /* Warm up the caches once. */
  switch_to (GTK_WIDGET (window), session, long_id);
  switch_to (GTK_WIDGET (window), session, o[0]);

  for (guint i = 0; i < (guint) n_switches; i++)
    {
      double t = switch_to (GTK_WIDGET (window), session, (i & 1) ? e2 : e1);

      g_array_append_val (baseline, t);
    }
  g_print ("resident memory after the baseline switches: %.1f MB\n", rss_mb ("VmRSS:"));
  {
    g_autoptr(GArray) loads = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < (guint) n_switches; i++)
      {
        double t = switch_to (GTK_WIDGET (window), session, o[(i + 1) % 40]);

        g_array_append_val (ordinary, t);
        g_array_append_val (loads, load_part);
      }
    g_print ("ordinary switches: loading and handlers, median %.1f ms\n", percentile (loads, 0.5));
  }
  g_print ("resident memory after the ordinary switches: %.1f MB\n", rss_mb ("VmRSS:"));
  {
    g_autoptr(GArray) loads = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = 0; i < (guint) n_switches; i++)
      {
        double t;

        switch_to (GTK_WIDGET (window), session, o[i % 40]);
        t = switch_to (GTK_WIDGET (window), session, long_id);
        g_array_append_val (to_long, t);
        g_array_append_val (loads, load_part);
      }
    g_print ("switches to the long item: loading and handlers, median %.1f ms\n",
             percentile (loads, 0.5));
  }

  {
    double base = percentile (baseline, 0.5);
    guint n_spans = 0;
    AssayItem *item = assay_session_get_item (session);

    for (guint i = 0; i < item->candidates->len; i++)
      n_spans += ((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->spans->len;

    g_print ("\n300-page item: %" G_GINT64_FORMAT " characters, %u segments, %u spans\n",
             item->n_chars, item->segments->len, n_spans);
    g_print ("baseline (empty item to empty item): median %.1f ms, p95 %.1f ms\n\n",
             base, percentile (baseline, 0.95));
    report ("start to first item (100,000 sources)", first_item, 300, 0);
    report ("switch between ordinary items, median", percentile (ordinary, 0.5), 16, base);
    report ("switch between ordinary items, p95", percentile (ordinary, 0.95), 16, base);
    report ("switch to the 300-page item, median", percentile (to_long, 0.5), 100, base);
    report ("switch to the 300-page item, p95", percentile (to_long, 0.95), 100, base);
    g_print ("%-44s %8.1f MB   goal %6.0f MB   %5.2fx goal (peak %.1f MB)\n",
             "resident memory", rss_mb ("VmRSS:"), 150.0, rss_mb ("VmRSS:") / 150.0,
             rss_mb ("VmHWM:"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
