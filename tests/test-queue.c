/* test-queue.c: the lazy review queue and item loading
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-core.h"

typedef struct
{
  char         *dir;
  AssayProject *project;
  gint64        annotator;
} Fixture;

static void
import_text (AssayProject *project,
             const char   *jsonl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GBytes) bytes = g_bytes_new (jsonl, strlen (jsonl));

  assay_import_add_bytes (import, "q.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("assay-queue-XXXXXX", NULL);
  path = g_build_filename (f->dir, "q.assay", NULL);
  f->project = assay_project_create (path, &error);
  g_assert_no_error (error);
  import_text (f->project,
               "{\"id\": \"call-1\", \"title\": \"Billing dispute\", \"text\": \"The customer was"
               " charged twice for the router.\", \"candidates\": [{\"id\": \"a\", \"model\":"
               " \"atlas\", \"text\": \"A double charge was refunded.\"}, {\"id\": \"b\","
               " \"model\": \"brevity\", \"text\": \"Customer called.\"}]}\n"
               "{\"id\": \"visit-2\", \"title\": \"Asthma follow-up\", \"text\": \"Wheezing at"
               " night; penicillin allergy noted.\", \"candidates\": [{\"id\": \"a\", \"model\":"
               " \"atlas\", \"text\": \"Night-time symptoms.\"}]}\n"
               "{\"id\": \"talk-3\", \"title\": \"Queueing lecture\", \"segments\": ["
               "{\"speaker\": \"Prof. Ruiz\", \"start\": 0, \"end\": 5.5, \"text\": \"Little's law"
               " links arrivals and waiting.\"}, {\"speaker\": \"Student\", \"start\": 5.5,"
               " \"end\": 8, \"text\": \"Does it hold for bursts?\"}],"
               " \"candidates\": [{\"id\": \"x\", \"model\": \"scribe\", \"text\": \"A lecture"
               " on Little's law.\"}, {\"id\": \"y\", \"model\": \"brevity\", \"text\": \"Queues.\"},"
               " {\"id\": \"z\", \"model\": \"atlas\", \"text\": \"Waiting times.\"}]}\n");
  g_assert_true (assay_project_ensure_annotator (f->project, "rev", NULL, -1, &f->annotator,
                                                 &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDir) d = NULL;
  const char *name;

  g_clear_object (&f->project);
  d = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (f->dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static GPtrArray *
titles (AssayQueue *queue)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (queue));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), i);

      g_ptr_array_add (out, g_strdup (assay_queue_row_get_title (row)));
    }
  return out;
}

static guint changes;

static void
count_notify (guint *count)
{
  (*count)++;
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added)
{
  changes++;
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(AssayQueue) queue = assay_queue_new (f->project, f->annotator);
  g_autoptr(GPtrArray) t = NULL;
  g_autoptr(GError) error = NULL;
  gint64 visit = assay_project_lookup_source (f->project, "visit-2");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 3);
  g_assert_cmpuint (assay_queue_get_total (queue), ==, 3);
  g_signal_connect (queue, "items-changed", G_CALLBACK (count_changes), NULL);

  /* Full-text search over transcripts and candidates, prefix on the last word. */
  changes = 0;
  assay_queue_set_filter (queue, -1, NULL, "penicil");
  g_assert_cmpuint (changes, ==, 1);
  t = titles (queue);
  g_assert_cmpuint (t->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (t, 0), ==, "Asthma follow-up");
  g_clear_pointer (&t, g_ptr_array_unref);

  assay_queue_set_filter (queue, -1, NULL, "refunded");   /* only in a candidate */
  t = titles (queue);
  g_assert_cmpuint (t->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (t, 0), ==, "Billing dispute");
  g_clear_pointer (&t, g_ptr_array_unref);

  /* FTS syntax typed by a person is taken literally, never as an error. */
  assay_queue_set_filter (queue, -1, NULL, "\"AND (NEAR* title:");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);

  assay_queue_set_filter (queue, -1, "scribe", NULL);
  t = titles (queue);
  g_assert_cmpuint (t->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (t, 0), ==, "Queueing lecture");
  g_clear_pointer (&t, g_ptr_array_unref);

  /* Status is the annotator's own. */
  g_assert_true (assay_project_set_status (f->project, visit, f->annotator, ASSAY_STATUS_DONE,
                                           NULL, &error));
  assay_queue_set_filter (queue, ASSAY_STATUS_DONE, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  assay_queue_set_filter (queue, ASSAY_STATUS_TODO, NULL, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 2);
  {
    g_autoptr(AssayQueue) other = NULL;
    gint64 someone = 0;

    g_assert_true (assay_project_ensure_annotator (f->project, "someone", NULL, -1, &someone,
                                                   &error));
    other = assay_queue_new (f->project, someone);
    assay_queue_set_filter (other, ASSAY_STATUS_DONE, NULL, NULL);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 0);
  }

  /* A changed row is re-read in place, and stays until the filter changes:
   * the row object the list shows says so itself, the list does not
   * change. */
  assay_queue_set_filter (queue, ASSAY_STATUS_DONE, NULL, NULL);
  {
    g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), 0);
    g_autoptr(AssayQueueRow) again = NULL;
    guint status_notified = 0, title_notified = 0;
    int status = -1;

    g_assert_cmpint (assay_queue_row_get_status (row), ==, ASSAY_STATUS_DONE);
    g_signal_connect_swapped (row, "notify::status", G_CALLBACK (count_notify), &status_notified);
    g_signal_connect_swapped (row, "notify::title", G_CALLBACK (count_notify), &title_notified);
    g_assert_true (assay_project_set_status (f->project, visit, f->annotator,
                                             ASSAY_STATUS_FLAGGED, NULL, &error));
    changes = 0;
    assay_queue_source_changed (queue, visit);
    g_assert_cmpuint (changes, ==, 0);
    g_assert_cmpuint (status_notified, ==, 1);
    g_assert_cmpuint (title_notified, ==, 0);
    g_object_get (row, "status", &status, NULL);
    g_assert_cmpint (status, ==, ASSAY_STATUS_FLAGGED);

    again = g_list_model_get_item (G_LIST_MODEL (queue), 0);
    g_assert_true (again == row);
    g_assert_cmpint (assay_queue_row_get_status (again), ==, ASSAY_STATUS_FLAGGED);
    g_assert_cmpuint (assay_queue_row_get_n_candidates (again), ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 1);
  }
}

/* The properties of a row, as a list item's expressions read them. */
static void
test_row_properties (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(AssayQueue) queue = assay_queue_new (f->project, f->annotator);
  g_autoptr(AssayQueueRow) row = g_list_model_get_item (G_LIST_MODEL (queue), 2);
  g_autofree char *ext_id = NULL;
  g_autofree char *title = NULL;
  gint64 source_id = 0;
  guint n = 0;
  int status = -1;

  g_object_get (row, "source-id", &source_id, "ext-id", &ext_id, "title", &title,
                "status", &status, "n-candidates", &n, NULL);
  g_assert_cmpint (source_id, ==, assay_project_lookup_source (f->project, "talk-3"));
  g_assert_cmpstr (ext_id, ==, "talk-3");
  g_assert_cmpstr (title, ==, "Queueing lecture");
  g_assert_cmpint (status, ==, ASSAY_STATUS_TODO);
  g_assert_cmpuint (n, ==, 3);
  g_clear_object (&row);
  g_assert_finalize_object (g_steal_pointer (&queue));
}

typedef struct
{
  GAsyncResult *result;
  guint         loaded_notified;
  guint         busy_notified;
  guint         changes;
} LoadWatch;

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  ((LoadWatch *) data)->result = g_object_ref (result);
}

static void
watch_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               LoadWatch  *w)
{
  w->changes++;
}

/* A queue made empty fills in a worker: "loaded" and "busy" say where it
 * is, and the list changes once. */
static void
test_load_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AssayQueue) queue = assay_queue_new_empty (f->project, f->annotator);
  g_autoptr(GError) error = NULL;
  LoadWatch w = { NULL, };
  gboolean loaded = TRUE, busy = FALSE;
  guint n = 99;

  g_object_get (queue, "loaded", &loaded, "n-items", &n, NULL);
  g_assert_false (loaded);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 0);
  g_assert_cmpuint (assay_queue_get_total (queue), ==, 0);

  g_signal_connect_swapped (queue, "notify::loaded", G_CALLBACK (count_notify),
                            &w.loaded_notified);
  g_signal_connect_swapped (queue, "notify::busy", G_CALLBACK (count_notify), &w.busy_notified);
  g_signal_connect (queue, "items-changed", G_CALLBACK (watch_changes), &w);
  assay_queue_reload_async (queue, NULL, loaded_cb, &w);
  g_object_get (queue, "busy", &busy, NULL);
  g_assert_true (busy);
  g_assert_false (assay_queue_get_loaded (queue));
  while (w.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (assay_queue_set_filter_finish (queue, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);

  g_assert_true (assay_queue_get_loaded (queue));
  g_assert_false (assay_queue_get_busy (queue));
  g_assert_cmpuint (w.loaded_notified, ==, 1);
  g_assert_cmpuint (w.busy_notified, ==, 2);
  g_assert_cmpuint (w.changes, ==, 1);
  g_object_get (queue, "n-items", &n, NULL);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (assay_queue_get_total (queue), ==, 3);
  g_assert_cmpuint (assay_queue_find (queue, assay_project_lookup_source (f->project, "visit-2")),
                    ==, 1);
  assay_queue_close (queue);
}

static void
test_build_match (void)
{
  g_autofree char *a = assay_queue_build_match ("chest  pain");
  g_autofree char *b = assay_queue_build_match ("say \"hi\"");
  g_autofree char *c = assay_queue_build_match ("   ");

  g_assert_cmpstr (a, ==, "\"chest\" \"pain\"*");
  g_assert_cmpstr (b, ==, "\"say\" \"\"\"hi\"\"\"*");
  g_assert_null (c);
}

/* 20,000 sources: the queue holds ids only and reads rows a page at a time. */
static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(AssayQueue) queue = NULL;
  g_autoptr(AssayQueueRow) last = NULL;
  gint64 start;

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (jsonl, "{\"id\": \"s%05u\", \"text\": \"Source number %u.\"}\n", i, i);
  import_text (f->project, jsonl->str);

  start = g_get_monotonic_time ();
  queue = assay_queue_new (f->project, f->annotator);
  g_test_message ("queue of %u sources built in %.1f ms",
                  g_list_model_get_n_items (G_LIST_MODEL (queue)),
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 20003);

  last = g_list_model_get_item (G_LIST_MODEL (queue), 20002);
  g_assert_cmpstr (assay_queue_row_get_ext_id (last), ==, "s19999");
  g_assert_cmpuint (assay_queue_find (queue, assay_queue_row_get_source_id (last)), ==, 20002);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (queue), 20003));
}

static void
test_load_item (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = NULL;
  gint64 talk = assay_project_lookup_source (f->project, "talk-3");
  gint64 x = assay_project_lookup_candidate (f->project, talk, "x");
  gint64 z = assay_project_lookup_candidate (f->project, talk, "z");
  gint64 ids[] = { x, z };
  int ranks[] = { 2, 1 };
  AssayItemCandidate *cx;
  AssayItemSegment *second;

  g_assert_true (assay_project_set_correction (f->project, x, f->annotator,
                                               "A lecture on Little's law and bursts.", NULL,
                                               &error));
  g_assert_true (assay_project_set_ranking (f->project, talk, f->annotator, ids, ranks, 2, NULL,
                                            &error));
  g_assert_true (assay_project_set_note (f->project, talk, 0, f->annotator, "Check the audio.",
                                         NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, talk, f->annotator, z, x,
                                               ASSAY_WINNER_A, "Z is fuller.", NULL, &error));

  item = assay_project_load_item (f->project, talk, f->annotator, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->title, ==, "Queueing lecture");
  g_assert_cmpuint (item->segments->len, ==, 2);
  second = g_ptr_array_index (item->segments, 1);
  g_assert_cmpstr (second->speaker, ==, "Student");
  g_assert_cmpfloat (second->start, ==, 5.5);
  /* The second segment starts after the first and its line feed. */
  g_assert_cmpint (second->char_start, ==, g_utf8_strlen ("Little's law links arrivals and waiting.", -1) + 1);
  g_assert_cmpint (item->n_chars, ==, g_utf8_strlen (item->text, -1));
  g_assert_cmpuint (item->candidates->len, ==, 3);

  cx = assay_item_find_candidate (item, x);
  g_assert_cmpstr (cx->correction, ==, "A lecture on Little's law and bursts.");
  g_assert_cmpint (cx->rank, ==, 2);
  g_assert_cmpint (assay_item_find_candidate (item, z)->rank, ==, 1);
  g_assert_cmpstr (item->note, ==, "Check the audio.");
  g_assert_cmpuint (item->comparisons->len, ==, 1);
  g_assert_nonnull (assay_item_find_comparison (item, x, z));

  /* Another annotator sees none of it. */
  {
    g_autoptr(AssayItem) theirs = NULL;
    gint64 other = 0;

    g_assert_true (assay_project_ensure_annotator (f->project, "other", NULL, -1, &other, &error));
    theirs = assay_project_load_item (f->project, talk, other, &error);
    g_assert_null (assay_item_find_candidate (theirs, x)->correction);
    g_assert_null (theirs->note);
    g_assert_cmpuint (theirs->comparisons->len, ==, 0);
  }

  g_assert_null (assay_project_load_item (f->project, 9999, f->annotator, &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_NOT_FOUND);
}

/* Blind order is shuffled per item but the same every time. */
static void
test_display_order (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) jsonl = g_string_new (NULL);
  guint differs = 0;

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"b%u\", \"text\": \"t\", \"candidates\": ["
                            "{\"id\": \"c1\", \"model\": \"m1\", \"text\": \"1\"},"
                            "{\"id\": \"c2\", \"model\": \"m2\", \"text\": \"2\"},"
                            "{\"id\": \"c3\", \"model\": \"m3\", \"text\": \"3\"},"
                            "{\"id\": \"c4\", \"model\": \"m4\", \"text\": \"4\"}]}\n", i);
  import_text (f->project, jsonl->str);

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *ext = g_strdup_printf ("b%u", i);
      gint64 id = assay_project_lookup_source (f->project, ext);
      g_autoptr(AssayItem) one = assay_project_load_item (f->project, id, f->annotator, &error);
      g_autoptr(AssayItem) two = assay_project_load_item (f->project, id, f->annotator, &error);
      g_autoptr(GArray) plain = assay_item_display_order (one, FALSE);
      g_autoptr(GArray) a = assay_item_display_order (one, TRUE);
      g_autoptr(GArray) b = assay_item_display_order (two, TRUE);

      for (guint k = 0; k < 4; k++)
        {
          g_assert_cmpuint (g_array_index (plain, guint, k), ==, k);
          g_assert_cmpuint (g_array_index (a, guint, k), ==, g_array_index (b, guint, k));
        }
      if (g_array_index (a, guint, 0) != 0)
        differs++;
    }
  /* Over 30 items the first shown is not always the first imported. */
  g_assert_cmpuint (differs, >, 10);
}

static void
test_next_pair (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 talk = assay_project_lookup_source (f->project, "talk-3");
  guint seen = 0;
  gint64 a, b;

  for (;;)
    {
      g_autoptr(AssayItem) item = assay_project_load_item (f->project, talk, f->annotator, &error);

      if (!assay_item_next_pair (item, TRUE, &a, &b))
        break;
      g_assert_cmpint (a, !=, b);
      g_assert_true (assay_project_set_comparison (f->project, talk, f->annotator, a, b,
                                                   ASSAY_WINNER_TIE, NULL, NULL, &error));
      seen++;
      g_assert_cmpuint (seen, <=, 3);
    }
  /* Three candidates make three pairs, each offered once. */
  g_assert_cmpuint (seen, ==, 3);
}

static void
test_timestamps (void)
{
  g_autofree char *a = assay_format_timestamp (65.4);
  g_autofree char *b = assay_format_timestamp (3725);
  g_autofree char *c = assay_format_timestamp (-1);

  g_assert_cmpstr (a, ==, "01:05");
  g_assert_cmpstr (b, ==, "1:02:05");
  g_assert_cmpstr (c, ==, "");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/queue/filters", test_filters);
  ADD ("/assay/queue/row-properties", test_row_properties);
  ADD ("/assay/queue/load-async", test_load_async);
  ADD ("/assay/queue/large", test_large);
  ADD ("/assay/queue/load-item", test_load_item);
  ADD ("/assay/queue/display-order", test_display_order);
  ADD ("/assay/queue/next-pair", test_next_pair);
  g_test_add_func ("/assay/queue/build-match", test_build_match);
  g_test_add_func ("/assay/queue/timestamps", test_timestamps);

  return g_test_run ();
}
