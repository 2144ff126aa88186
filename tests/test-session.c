/* test-session.c: any kind of judgment through the session's one generic call
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * assay_session_set_records writes any kind through its native records: the
 * item on screen follows, the widgets are told what changed, and undo and
 * redo bring back exactly what was there, times included.
 */
#include "config.h"

#include <jansson.h>

#include "assay-core.h"
#include "assay-session.h"
#include "assay-test-ui.h"

typedef struct
{
  char         *path;
  AssaySession *session;
  gint64        source_id;
  gint64        candidate_id;
  guint         last_kind;
  gint64        last_candidate;
  guint         n_saved;
} Fixture;

static void
saved_cb (AssaySession *session,
          guint         kind,
          gint64        candidate_id,
          Fixture      *f)
{
  f->last_kind = kind;
  f->last_candidate = candidate_id;
  f->n_saved++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) candidates = NULL;

  f->path = assay_test_copy_demo ();
  f->session = assay_test_session (f->path);
  f->source_id = assay_project_lookup_source (assay_session_get_project (f->session),
                                              "podcast-small-margins-84");
  g_assert_true (assay_session_load_item (f->session, f->source_id, &error));
  g_assert_no_error (error);
  candidates = assay_session_display_candidates (f->session);
  f->candidate_id = ((AssayItemCandidate *) g_ptr_array_index (candidates, 0))->id;
  g_signal_connect (f->session, "judgment-saved", G_CALLBACK (saved_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->session, f);
  g_assert_finalize_object (g_steal_pointer (&f->session));
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

static char *
records (Fixture    *f,
         const char *type,
         gint64      candidate_id)
{
  AssaySession *s = f->session;
  g_autoptr(GError) error = NULL;
  char *text;

  text = assay_project_dup_records (assay_session_get_project (s), f->source_id,
                                    assay_session_get_annotator_id (s), type, candidate_id,
                                    &error);
  g_assert_no_error (error);
  return text;
}

static const char *
candidate_ext (Fixture *f)
{
  return assay_item_find_candidate (assay_session_get_item (f->session), f->candidate_id)->ext_id;
}

/* A correction and a note, written as records: stored, on the item, told
 * to the widgets as their own kind, undone and redone with their times. */
static void
test_set_records_undo (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *record = NULL;
  g_autofree char *note = NULL;
  g_autofree char *undone = NULL;
  g_autofree char *redone = NULL;
  g_autofree char *gone = NULL;
  AssayItem *item = assay_session_get_item (f->session);
  AssayItemCandidate *candidate = assay_item_find_candidate (item, f->candidate_id);

  g_assert_null (candidate->correction);
  g_assert_cmpint (item->status, ==, ASSAY_STATUS_TODO);

  record = g_strdup_printf ("[{\"type\":\"correction\",\"candidate\":\"%s\","
                            "\"text\":\"A first rewrite.\"}]", candidate_ext (f));
  g_assert_true (assay_session_set_records (f->session, "correction", f->candidate_id, record,
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpstr (candidate->correction, ==, "A first rewrite.");
  g_assert_cmpuint (f->last_kind, ==, ASSAY_SAVED_CORRECTION);
  g_assert_cmpint (f->last_candidate, ==, f->candidate_id);
  /* The first judgment on an item puts it in progress. */
  g_assert_cmpint (item->status, ==, ASSAY_STATUS_IN_PROGRESS);
  first = records (f, "correction", f->candidate_id);

  g_free (record);
  record = g_strdup_printf ("[{\"type\":\"correction\",\"candidate\":\"%s\","
                            "\"text\":\"A second rewrite.\"}]", candidate_ext (f));
  g_assert_true (assay_session_set_records (f->session, "correction", f->candidate_id, record,
                                            &error));
  g_assert_cmpstr (candidate->correction, ==, "A second rewrite.");
  second = records (f, "correction", f->candidate_id);
  g_assert_cmpstr (assay_session_get_undo_description (f->session), ==,
                   "Judgment “correction” of A changed");

  /* Undo brings back the first record exactly, its times included. */
  g_assert_true (assay_session_undo (f->session, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (candidate->correction, ==, "A first rewrite.");
  undone = records (f, "correction", f->candidate_id);
  g_assert_cmpstr (undone, ==, first);
  g_assert_true (assay_session_redo (f->session, NULL, &error));
  redone = records (f, "correction", f->candidate_id);
  g_assert_cmpstr (redone, ==, second);

  /* "[]" removes; undone, it is back. */
  g_assert_true (assay_session_set_records (f->session, "correction", f->candidate_id, "[]",
                                            &error));
  g_assert_null (candidate->correction);
  gone = records (f, "correction", f->candidate_id);
  g_assert_cmpstr (gone, ==, "[]");
  g_assert_true (assay_session_undo (f->session, NULL, &error));
  g_assert_cmpstr (candidate->correction, ==, "A second rewrite.");

  /* A kind about the whole item. */
  g_assert_true (assay_session_set_records (f->session, "note", 0,
                                            "[{\"type\":\"note\",\"text\":\"Audio drops.\"}]",
                                            &error));
  g_assert_no_error (error);
  g_assert_cmpstr (item->note, ==, "Audio drops.");
  g_assert_cmpuint (f->last_kind, ==, ASSAY_SAVED_NOTE);
  note = records (f, "note", 0);
  g_assert_nonnull (strstr (note, "Audio drops."));
}

/* What the core refuses is refused whole: nothing stored, no step. */
static void
test_set_records_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *record = NULL;
  g_autofree char *after = NULL;
  AssayItemCandidate *candidate = assay_item_find_candidate (assay_session_get_item (f->session),
                                                             f->candidate_id);
  guint n_labels = candidate->labels->len;

  record = g_strdup_printf ("[{\"type\":\"labels\",\"candidate\":\"%s\","
                            "\"labels\":{\"no-such-set\":\"x\"}}]", candidate_ext (f));
  g_assert_false (assay_session_set_records (f->session, "labels", f->candidate_id, record,
                                             &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "no candidate label set “no-such-set”"));
  g_assert_cmpuint (candidate->labels->len, ==, n_labels);
  after = records (f, "labels", f->candidate_id);
  g_assert_cmpstr (after, ==, "[]");
  g_assert_false (assay_session_can_undo (f->session));
  g_clear_error (&error);

  g_assert_false (assay_session_set_records (f->session, "mood", 0, "[]", &error));
  g_assert_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT);
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/session/set-records-undo", Fixture, NULL, fixture_setup,
              test_set_records_undo, fixture_teardown);
  g_test_add ("/session/set-records-refused", Fixture, NULL, fixture_setup,
              test_set_records_refused, fixture_teardown);

  return g_test_run ();
}
