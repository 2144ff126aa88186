/* test-candidate-view.c: one candidate, its spans, correction and changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-candidate-view-private.h"
#include "assay-diff.h"
#include "assay-test-ui.h"
#include "assay-transcript-view.h"

typedef struct
{
  char                *path;
  AssaySession        *session;
  AssayCandidateView  *view;
  AssayTranscriptView *transcript;
  GtkWindow           *window;
  gint64               source_id;
  gint64               candidate_id;
} Fixture;

static void
load_style (void)
{
  static GtkCssProvider *provider;

  if (provider != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/assaylab/Assay/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static gint64
candidate_by_ext_id (Fixture    *fixture,
                     const char *ext_id)
{
  gint64 id = assay_project_lookup_candidate (assay_session_get_project (fixture->session),
                                              fixture->source_id, ext_id);

  g_assert_cmpint (id, >, 0);
  return id;
}

static void
load (Fixture    *fixture,
      const char *source,
      const char *candidate)
{
  g_autoptr(GError) error = NULL;

  fixture->source_id = assay_project_lookup_source (assay_session_get_project (fixture->session),
                                                    source);
  g_assert_cmpint (fixture->source_id, >, 0);
  g_assert_true (assay_session_load_item (fixture->session, fixture->source_id, &error));
  g_assert_no_error (error);
  fixture->candidate_id = candidate_by_ext_id (fixture, candidate);
  assay_candidate_view_set_candidate (fixture->view, fixture->candidate_id);
  assay_test_iterate (50);
}

static void
fixture_setup_with (Fixture    *fixture,
                    const char *path)
{
  load_style ();
  fixture->path = g_strdup (path);
  fixture->session = assay_test_session (fixture->path);
  fixture->view = g_object_ref_sink (g_object_new (ASSAY_TYPE_CANDIDATE_VIEW, NULL));
  fixture->transcript = g_object_ref_sink (g_object_new (ASSAY_TYPE_TRANSCRIPT_VIEW, NULL));
  assay_transcript_view_set_session (fixture->transcript, fixture->session);
  assay_candidate_view_set_session (fixture->view, fixture->session);
  assay_candidate_view_set_transcript (fixture->view, fixture->transcript);
  fixture->window = assay_test_window (GTK_WIDGET (fixture->view), 900, 700);
  load (fixture, "consult-2291", "c2");
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = assay_test_copy_demo ();

  fixture_setup_with (fixture, path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  /* Nothing keeps the views or the session alive once they are let go. */
  g_assert_finalize_object (g_steal_pointer (&fixture->view));
  g_assert_finalize_object (g_steal_pointer (&fixture->transcript));
  g_assert_finalize_object (g_steal_pointer (&fixture->session));
  assay_test_remove_copy (fixture->path);
  g_free (fixture->path);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
}

/* ---- helpers ---- */

static GtkTextBuffer *
buffer_of (Fixture            *fixture,
           AssayCandidateMode  mode)
{
  return gtk_text_view_get_buffer (_assay_candidate_view_get_text_view (fixture->view, mode));
}

/* The code-point range of `needle` in `text`. */
static AssayRange
find_range (const char *text,
            const char *needle)
{
  const char *at = strstr (text, needle);
  AssayRange r;

  g_assert_nonnull (at);
  r.start = g_utf8_pointer_to_offset (text, at);
  r.end = r.start + g_utf8_strlen (needle, -1);
  return r;
}

static void
select_range (GtkTextBuffer *buffer,
              AssayRange     r)
{
  GtkTextIter a, b;

  gtk_text_buffer_get_iter_at_offset (buffer, &a, r.start);
  gtk_text_buffer_get_iter_at_offset (buffer, &b, r.end);
  gtk_text_buffer_select_range (buffer, &a, &b);
}

static gint64
option_id (Fixture    *fixture,
           const char *name)
{
  AssayTemplate *tmpl = assay_session_get_template (fixture->session);
  AssayLabelOption *option = assay_template_find_option (tmpl, "claims", name, ASSAY_SCOPE_SPAN,
                                                         NULL, NULL);

  g_assert_nonnull (option);
  return option->id;
}

/* The candidate as stored, read through a new connection. */
static AssayItem *
reload (Fixture             *fixture,
        AssayItemCandidate **candidate)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (fixture->path, &error);
  AssayItem *item;

  g_assert_no_error (error);
  item = assay_project_load_item (project, fixture->source_id,
                                  assay_session_get_annotator_id (fixture->session), &error);
  g_assert_no_error (error);
  *candidate = assay_item_find_candidate (item, fixture->candidate_id);
  g_assert_nonnull (*candidate);
  return item;
}

static const char *
current_text (Fixture *fixture)
{
  return assay_item_find_candidate (assay_session_get_item (fixture->session),
                                    fixture->candidate_id)->text;
}

static gboolean
emit_key (GtkWidget       *widget,
          guint            keyval,
          GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  guint n = g_list_model_get_n_items (controllers);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      if (handled)
        return TRUE;
    }
  return FALSE;
}

static GtkWidget *
find_label_with_prefix (GtkWidget  *root,
                        const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (root)), prefix))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_with_prefix (child, prefix);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
popover_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
popover_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* ---- tests ---- */

/* Clicks, with the real pointer, the first character of `needle` in the
 * candidate's text. */
static void
click_text (Fixture    *fixture,
            const char *needle)
{
  GtkTextView *view = _assay_candidate_view_get_text_view (fixture->view,
                                                           ASSAY_CANDIDATE_MODE_ORIGINAL);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, match, end;
  GdkRectangle rect;

  gtk_text_buffer_get_start_iter (buffer, &start);
  g_assert_true (gtk_text_iter_forward_search (&start, needle, 0, &match, &end, NULL));
  gtk_text_iter_forward_char (&match);
  gtk_text_view_get_iter_location (view, &match, &rect);
  gtk_text_view_buffer_to_window_coords (view, GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y,
                                         &rect.x, &rect.y);
  assay_test_click_at (GTK_WIDGET (view), rect.x + 1, rect.y + rect.height / 2.0);
  assay_test_iterate (100);
}

static gint64
add_span (Fixture    *fixture,
          const char *needle)
{
  const char *text = current_text (fixture);
  const char *at = strstr (text, needle);
  gint64 start, span_id = 0;

  g_assert_nonnull (at);
  start = g_utf8_pointer_to_offset (text, at);
  g_assert_true (assay_session_add_span (fixture->session, fixture->candidate_id, start,
                                         start + g_utf8_strlen (needle, -1), 0, &span_id, NULL));
  return span_id;
}

/* Every click on a span opens it, also while another span (or the same
 * one) is open: the click that closes the open popover used to do nothing
 * more, so every other click was lost. */
static void
test_span_click (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkPopover *popover = _assay_candidate_view_get_span_popover (fixture->view);
  const char *text = current_text (fixture);
  g_autofree char *first = g_utf8_substring (text, 0, 12);
  g_autofree char *second = NULL;
  g_autofree char *elsewhere = NULL;
  gint64 span_a, span_b;
  glong n = g_utf8_strlen (text, -1);

  second = g_utf8_substring (text, n / 2, n / 2 + 12);
  elsewhere = g_utf8_substring (text, n / 4, n / 4 + 12);
  span_a = add_span (fixture, first);
  span_b = add_span (fixture, second);
  assay_test_iterate (50);

  for (int round = 0; round < 2; round++)
    {
      click_text (fixture, first);
      g_assert_true (assay_test_wait_for (popover_visible, popover, 1000));
      g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==, span_a);
      click_text (fixture, first);
      g_assert_true (assay_test_wait_for (popover_visible, popover, 1000));
      g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==, span_a);
      click_text (fixture, second);
      g_assert_true (assay_test_wait_for (popover_visible, popover, 1000));
      g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==, span_b);
      /* Outside every span, the popover closes and stays closed. */
      click_text (fixture, elsewhere);
      g_assert_true (assay_test_wait_for (popover_hidden, popover, 1000));
      assay_test_iterate (100);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
    }
}

static void
test_mark (Fixture       *fixture,
           gconstpointer  data)
{
  GtkTextBuffer *buffer = buffer_of (fixture, ASSAY_CANDIDATE_MODE_ORIGINAL);
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *stored;
  AssayItemSpan *span;
  const char *text = current_text (fixture);
  const char *phrase = "hives and lip swelling after amoxicillin in 2015";
  AssayRange r = find_range (text, phrase), r2;
  GtkWidget *name;

  /* The header names the candidate with its model when not blind. */
  name = assay_test_find_labelled (GTK_WIDGET (fixture->view), "A · scribe-xl");
  if (name == NULL)
    name = assay_test_find_labelled (GTK_WIDGET (fixture->view), "B · scribe-xl");
  g_assert_nonnull (name);

  /* Non-ASCII text comes before the phrase: code points are not bytes. */
  g_assert_cmpint (r.start, <, (gint64) (strstr (text, phrase) - text));
  /* With nothing selected there is nothing to mark. */
  g_assert_false (assay_candidate_view_mark_selection (fixture->view,
                                                       option_id (fixture, "unsupported")));

  /* Selected with the space before it, which is trimmed. */
  r2 = r;
  r2.start--;
  select_range (buffer, r2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.mark", "x",
                                             option_id (fixture, "unsupported")));
  assay_test_iterate (20);

  item = reload (fixture, &stored);
  g_assert_cmpuint (stored->spans->len, ==, 1);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpint (span->start, ==, r.start);
  g_assert_cmpint (span->end, ==, r.end);
  g_assert_cmpint (span->option_id, ==, option_id (fixture, "unsupported"));
  g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==, span->id);

  /* The span is drawn: the text has a background there, not before it. */
  {
    GtkTextIter at;
    GSList *tags;
    gboolean has_background = FALSE;

    gtk_text_buffer_get_iter_at_offset (buffer, &at, r.start + 3);
    tags = gtk_text_iter_get_tags (&at);
    for (GSList *l = tags; l != NULL; l = l->next)
      {
        gboolean set = FALSE;

        g_object_get (l->data, "background-set", &set, NULL);
        has_background |= set;
      }
    g_slist_free (tags);
    g_assert_true (has_background);
    gtk_text_buffer_get_iter_at_offset (buffer, &at, r.start - 2);
    tags = gtk_text_iter_get_tags (&at);
    for (GSList *l = tags; l != NULL; l = l->next)
      {
        gboolean set = FALSE;

        g_object_get (l->data, "background-set", &set, NULL);
        g_assert_false (set);
      }
    g_slist_free (tags);
  }

  /* The number keys of the template: "3" is contradicted. */
  r2 = find_range (text, "cephalosporins also avoided");
  select_range (buffer, r2);
  g_assert_true (emit_key (GTK_WIDGET (_assay_candidate_view_get_text_view (
                             fixture->view, ASSAY_CANDIDATE_MODE_ORIGINAL)), GDK_KEY_3, 0));
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  g_assert_cmpuint (stored->spans->len, ==, 2);
  span = g_ptr_array_index (stored->spans, 1);
  g_assert_cmpint (span->start, ==, r2.start);
  g_assert_cmpint (span->end, ==, r2.end);
  g_assert_cmpint (span->option_id, ==, option_id (fixture, "contradicted"));

  /* Without a selection a number key on a span relabels it. */
  g_assert_true (emit_key (GTK_WIDGET (_assay_candidate_view_get_text_view (
                             fixture->view, ASSAY_CANDIDATE_MODE_ORIGINAL)), GDK_KEY_1, 0));
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  g_assert_cmpuint (stored->spans->len, ==, 2);
  span = g_ptr_array_index (stored->spans, 1);
  g_assert_cmpint (span->option_id, ==, option_id (fixture, "supported"));

  /* Alt+Down goes from span to span, wrapping around. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==,
                   ((AssayItemSpan *) g_ptr_array_index (stored->spans, 0))->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==,
                   ((AssayItemSpan *) g_ptr_array_index (stored->spans, 1))->id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view),
                                             "candidate.previous-span", NULL));
  g_assert_cmpint (_assay_candidate_view_get_current_span (fixture->view), ==,
                   ((AssayItemSpan *) g_ptr_array_index (stored->spans, 0))->id);

  /* Another item: the view shows nothing until it is given a candidate. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (assay_session_load_item (fixture->session,
                                            assay_project_lookup_source (
                                              assay_session_get_project (fixture->session),
                                              "support-call-7731"), &error));
    g_assert_cmpint (assay_candidate_view_get_candidate (fixture->view), ==, 0);
    g_assert_cmpuint (gtk_text_buffer_get_char_count (buffer), ==, 0);
  }
}

static gboolean
note_stored (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *stored;

  item = reload (fixture, &stored);
  return stored->spans->len == 1 &&
         g_strcmp0(((AssayItemSpan *) g_ptr_array_index (stored->spans, 0))->note,
                    "Not said in the consultation") == 0;
}

static void
test_popover (Fixture       *fixture,
              gconstpointer  data)
{
  GtkTextBuffer *buffer = buffer_of (fixture, ASSAY_CANDIDATE_MODE_ORIGINAL);
  GtkPopover *popover = _assay_candidate_view_get_span_popover (fixture->view);
  GtkTextView *transcript_view;
  GtkTextBuffer *transcript_buffer;
  GtkWidget *note, *add, *remove, *dropdown, *list;
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *stored;
  AssayItemSpan *span;
  AssayRange r = find_range (current_text (fixture), "hives and lip swelling"), evidence;
  GtkTextIter a, b, c, d;
  const char *source = assay_session_get_item (fixture->session)->text;

  select_range (buffer, r);
  g_assert_true (assay_candidate_view_mark_selection (fixture->view,
                                                      option_id (fixture, "unsupported")));

  /* Enter on the span opens the popover. */
  g_assert_true (emit_key (GTK_WIDGET (_assay_candidate_view_get_text_view (
                             fixture->view, ASSAY_CANDIDATE_MODE_ORIGINAL)), GDK_KEY_Return, 0));
  g_assert_true (assay_test_wait_for (popover_visible, popover, 1000));

  note = assay_test_find_type (GTK_WIDGET (popover), GTK_TYPE_ENTRY);
  add = assay_test_find_labelled (GTK_WIDGET (popover), "Add Transcript Selection as Evidence");
  remove = assay_test_find_labelled (GTK_WIDGET (popover), "Remove Span");
  dropdown = assay_test_find_type (GTK_WIDGET (popover), GTK_TYPE_DROP_DOWN);
  list = assay_test_find_type (GTK_WIDGET (popover), GTK_TYPE_LIST_BOX);
  g_assert_nonnull (note);
  g_assert_nonnull (add);
  g_assert_nonnull (remove);
  g_assert_nonnull (dropdown);
  g_assert_cmpuint (gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown)), ==, 1);

  /* The note is saved after a pause in typing. */
  gtk_editable_set_text (GTK_EDITABLE (note), "Not said in the consultation");
  g_assert_false (note_stored (fixture));
  g_assert_true (assay_test_wait_for (note_stored, fixture, 3000));

  /* Evidence: the selection in the transcript, as source offsets. */
  transcript_view = GTK_TEXT_VIEW (assay_test_find_type (GTK_WIDGET (fixture->transcript),
                                                         GTK_TYPE_TEXT_VIEW));
  transcript_buffer = gtk_text_view_get_buffer (transcript_view);
  gtk_text_buffer_get_start_iter (transcript_buffer, &a);
  g_assert_true (gtk_text_iter_forward_search (&a, "I came out in hives all over", 0, &c, &d,
                                               NULL));
  gtk_text_buffer_select_range (transcript_buffer, &c, &d);
  g_signal_emit_by_name (add, "clicked");
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpuint (span->evidence->len, ==, 1);
  evidence = g_array_index (span->evidence, AssayRange, 0);
  g_assert_cmpint (evidence.start, ==, find_range (source, "I came out in hives all over").start);
  g_assert_cmpint (evidence.end, ==, find_range (source, "I came out in hives all over").end);
  g_assert_cmpstr (span->note, ==, "Not said in the consultation");
  /* One row in the list, and the evidence lit up in the transcript. */
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  gtk_text_buffer_get_start_iter (transcript_buffer, &b);
  gtk_text_iter_forward_to_tag_toggle (&b, gtk_text_tag_table_lookup (
                                         gtk_text_buffer_get_tag_table (transcript_buffer),
                                         "evidence"));
  g_assert_cmpint (gtk_text_iter_get_offset (&b), ==, gtk_text_iter_get_offset (&c));

  /* A new label from the dropdown (contradicted is the third). */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), 2);
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpint (span->option_id, ==, option_id (fixture, "contradicted"));
  g_assert_cmpuint (span->evidence->len, ==, 1);

  /* The row's remove button drops the evidence. */
  {
    GtkWidget *row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
    GtkWidget *button = assay_test_find_labelled (row, "Remove Evidence");

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpuint (span->evidence->len, ==, 0);
  g_assert_cmpstr (span->note, ==, "Not said in the consultation");

  /* Nothing selected in the transcript: nothing added. */
  gtk_text_buffer_place_cursor (transcript_buffer, &c);
  g_signal_emit_by_name (add, "clicked");
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  g_assert_cmpuint (((AssayItemSpan *) g_ptr_array_index (stored->spans, 0))->evidence->len, ==, 0);

  /* The natural order: select the passage first, then go to the span. Going
   * there shows its evidence, which moves the transcript's cursor, and the
   * selection is still what Add takes. */
  gtk_popover_popdown (popover);
  g_assert_true (assay_test_wait_for (popover_hidden, popover, 1000));
  {
    g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (AssayRange));
    g_autoptr(GError) error = NULL;

    span = g_ptr_array_index (stored->spans, 0);
    g_array_append_val (one, evidence);
    assay_session_update_span (fixture->session, span->id, span->option_id, span->note, one,
                               &error);
    g_assert_no_error (error);
  }
  gtk_text_buffer_get_start_iter (transcript_buffer, &a);
  g_assert_true (gtk_text_iter_forward_search (&a, "Lip swelling means we treat it as a serious "
                                               "allergy", 0, &c, &d, NULL));
  gtk_text_buffer_select_range (transcript_buffer, &c, &d);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_false (gtk_text_buffer_get_has_selection (transcript_buffer));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.open-span",
                                             NULL));
  g_assert_true (assay_test_wait_for (popover_visible, popover, 1000));
  {
    GtkWidget *hint = find_label_with_prefix (GTK_WIDGET (popover), "Selected in the transcript:");

    g_assert_nonnull (hint);
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (hint)), "“Lip swelling means"));
  }
  g_signal_emit_by_name (add, "clicked");
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  span = g_ptr_array_index (stored->spans, 0);
  g_assert_cmpuint (span->evidence->len, ==, 2);
  evidence = g_array_index (span->evidence, AssayRange, 1);
  g_assert_cmpint (evidence.start, ==,
                   find_range (source, "Lip swelling means we treat it as a serious allergy").start);
  g_assert_cmpint (evidence.end, ==,
                   find_range (source, "Lip swelling means we treat it as a serious allergy").end);

  /* Remove Span deletes it and closes the popover. */
  g_signal_emit_by_name (remove, "clicked");
  g_assert_true (assay_test_wait_for (popover_hidden, popover, 1000));
  g_clear_pointer (&item, assay_item_unref);
  item = reload (fixture, &stored);
  g_assert_cmpuint (stored->spans->len, ==, 0);
}

static gboolean
correction_is (Fixture    *fixture,
               const char *expected)
{
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *stored;

  item = reload (fixture, &stored);
  return g_strcmp0 (stored->correction, expected) == 0;
}

typedef struct
{
  Fixture    *fixture;
  const char *expected;
} Expect;

static gboolean
correction_matches (gpointer data)
{
  Expect *e = data;

  return correction_is (e->fixture, e->expected);
}

static void
type_text (GtkTextBuffer *buffer,
           const char    *text)
{
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert_interactive (buffer, &end, text, -1, TRUE);
  gtk_text_buffer_end_user_action (buffer);
}

static void
test_edit (Fixture       *fixture,
           gconstpointer  data)
{
  GtkTextBuffer *edit = buffer_of (fixture, ASSAY_CANDIDATE_MODE_EDIT);
  GtkTextView *edit_view = _assay_candidate_view_get_text_view (fixture->view,
                                                                ASSAY_CANDIDATE_MODE_EDIT);
  g_autofree char *original = g_strdup (current_text (fixture));
  g_autofree char *first = g_strconcat (original, " Reviewed by the GP.", NULL);
  g_autofree char *second = g_strconcat (first, " Seen.", NULL);
  g_autofree char *text = NULL;
  GtkWidget *changes;
  GtkTextIter a, b;
  Expect expect = { fixture, NULL };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.edit", NULL));
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==, ASSAY_CANDIDATE_MODE_EDIT);
  assay_test_iterate (20);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (edit_view)));
  gtk_text_buffer_get_bounds (edit, &a, &b);
  text = gtk_text_buffer_get_text (edit, &a, &b, FALSE);
  g_assert_cmpstr (text, ==, original);
  g_assert_false (gtk_text_buffer_get_can_undo (edit));

  /* Typing is saved after a pause, not at once. */
  type_text (edit, " Reviewed by the GP.");
  g_assert_true (correction_is (fixture, NULL));
  expect.expected = first;
  g_assert_true (assay_test_wait_for (correction_matches, &expect, 3000));
  changes = assay_test_find_labelled (GTK_WIDGET (fixture->view), "Changes");
  g_assert_true (gtk_widget_get_visible (changes));

  type_text (edit, " Seen.");
  assay_candidate_view_flush (fixture->view);
  g_assert_true (correction_is (fixture, second));

  /* Undo goes back one step, and that is saved too. */
  g_assert_true (gtk_text_buffer_get_can_undo (edit));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (edit_view), "text.undo", NULL));
  expect.expected = first;
  g_assert_true (assay_test_wait_for (correction_matches, &expect, 3000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (edit_view), "text.redo", NULL));
  expect.expected = second;
  g_assert_true (assay_test_wait_for (correction_matches, &expect, 3000));

  /* The original stays as imported. */
  {
    g_autoptr(AssayItem) item = NULL;
    AssayItemCandidate *stored;

    item = reload (fixture, &stored);
    g_assert_cmpstr (stored->text, ==, original);
  }

  /* Another candidate: its own text, and undo does not reach back. */
  type_text (edit, " Pending.");
  assay_candidate_view_set_candidate (fixture->view, candidate_by_ext_id (fixture, "c1"));
  {
    g_autofree char *pending = g_strconcat (second, " Pending.", NULL);

    /* Switching saved what was typed before the pause was over. */
    g_assert_true (correction_is (fixture, pending));
  }
  /* It opens as it is, not in the editor left open on the first: keys
   * pressed now are not typed into a correction nobody started. */
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                   ASSAY_CANDIDATE_MODE_ORIGINAL);
  g_assert_false (gtk_text_buffer_get_can_undo (edit));
  g_clear_pointer (&text, g_free);
  gtk_text_buffer_get_bounds (edit, &a, &b);
  text = gtk_text_buffer_get_text (edit, &a, &b, FALSE);
  g_assert_true (g_str_has_prefix (text, "The patient attended for a diabetes follow-up."));

  /* Back to the first: it is still being corrected, so it opens in the
   * editor. Revert removes the correction, after asking. */
  assay_candidate_view_set_candidate (fixture->view, fixture->candidate_id);
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==, ASSAY_CANDIDATE_MODE_EDIT);
  {
    GtkWidget *revert = assay_test_find_labelled (GTK_WIDGET (fixture->view),
                                                  "Revert to Original");
    GListModel *toplevels = gtk_window_get_toplevels ();
    AdwMessageDialog *dialog = NULL;

    g_assert_nonnull (revert);
    g_assert_true (gtk_widget_get_visible (revert));
    g_signal_emit_by_name (revert, "clicked");
    assay_test_iterate (50);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels) && dialog == NULL; i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

        if (ADW_IS_MESSAGE_DIALOG (window))
          dialog = ADW_MESSAGE_DIALOG (window);
      }
    g_assert_nonnull (dialog);
    adw_message_dialog_response (dialog, "revert");
    assay_test_iterate (50);
  }
  g_assert_true (correction_is (fixture, NULL));
  g_clear_pointer (&text, g_free);
  gtk_text_buffer_get_bounds (edit, &a, &b);
  text = gtk_text_buffer_get_text (edit, &a, &b, FALSE);
  g_assert_cmpstr (text, ==, original);
  g_assert_false (gtk_widget_get_visible (changes));

  /* Ctrl+E again: back to the original. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.edit", NULL));
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                   ASSAY_CANDIDATE_MODE_ORIGINAL);
}

/* The texts under a tag, joined by "|". */
static char *
tagged (GtkTextBuffer *buffer,
        const char    *name)
{
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), name);
  GString *out = g_string_new (NULL);
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (!gtk_text_iter_starts_tag (&iter, tag))
    gtk_text_iter_forward_to_tag_toggle (&iter, tag);
  while (!gtk_text_iter_is_end (&iter))
    {
      GtkTextIter end = iter;
      g_autofree char *piece = NULL;

      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      piece = g_strstrip (gtk_text_iter_get_text (&iter, &end));
      if (out->len > 0 && *piece != '\0')
        g_string_append_c (out, '|');
      g_string_append (out, piece);
      iter = end;
      gtk_text_iter_forward_to_tag_toggle (&iter, tag);
    }
  return g_string_free (out, FALSE);
}

static void
test_changes (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) correction = g_string_new (current_text (fixture));
  GtkTextBuffer *changes = buffer_of (fixture, ASSAY_CANDIDATE_MODE_CHANGES);
  g_autofree char *deleted = NULL;
  g_autofree char *inserted = NULL;
  g_autofree char *expected = NULL;
  GtkWidget *label;
  guint distance;

  /* No correction: no Changes mode. */
  assay_candidate_view_set_mode (fixture->view, ASSAY_CANDIDATE_MODE_CHANGES);
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                   ASSAY_CANDIDATE_MODE_ORIGINAL);

  g_string_replace (correction, "Paracetamol for pain.", "Paracetamol for pain as needed.", 1);
  g_string_replace (correction, "since June", "since May", 1);
  g_string_replace (correction, " Record updated.", "", 1);
  g_assert_true (assay_session_set_correction (fixture->session, fixture->candidate_id,
                                               correction->str, &error));
  g_assert_no_error (error);

  distance = assay_word_edit_distance (current_text (fixture), correction->str);
  g_assert_cmpuint (distance, ==, 6);
  /* Five words; the full stop of "Record updated." is not a word. */
  expected = g_strdup ("5 words and 1 punctuation mark changed");
  label = assay_test_find_labelled (GTK_WIDGET (fixture->view), expected);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_get_visible (label));

  assay_candidate_view_set_mode (fixture->view, ASSAY_CANDIDATE_MODE_CHANGES);
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                   ASSAY_CANDIDATE_MODE_CHANGES);
  /* Where the space around a deletion goes is the diff's choice. */
  deleted = tagged (changes, "deleted");
  inserted = tagged (changes, "inserted");
  g_assert_cmpstr (deleted, ==, "June|Record updated.");
  g_assert_cmpstr (inserted, ==, "May|as needed");
  /* The removed word and the one put in its place do not run together. */
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (changes, &start, &end);
    text = gtk_text_buffer_get_text (changes, &start, &end, FALSE);
    g_assert_nonnull (strstr (text, "since June May"));
    g_assert_null (strstr (text, "JuneMay"));
  }
}

static void
test_blind (void)
{
  g_autofree char *path = assay_test_copy_demo ();
  g_autofree char *srcdir = g_strdup (g_getenv ("ASSAY_SRCDIR"));
  g_autofree char *template_path = g_build_filename (srcdir, "data", "demo", "template.json", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *blind_path = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GString) json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  Fixture fixture = { 0 };

  /* The demo template with "blind": true. */
  g_assert_true (g_file_get_contents (template_path, &contents, NULL, &error));
  json = g_string_new (contents);
  g_assert_cmpuint (g_string_replace (json, "\"blind\": false", "\"blind\": true", 1), ==, 1);
  dir = g_path_get_dirname (path);
  blind_path = g_build_filename (dir, "blind.json", NULL);
  g_assert_true (g_file_set_contents (blind_path, json->str, json->len, &error));
  tmpl = assay_template_load_file (blind_path, &error);
  g_assert_no_error (error);
  g_assert_true (tmpl->blind);
  {
    g_autoptr(AssayProject) project = assay_project_open (path, &error);

    g_assert_no_error (error);
    g_assert_true (assay_project_store_template (project, tmpl, &error));
    g_assert_no_error (error);
  }

  fixture_setup_with (&fixture, path);
  g_assert_true (assay_session_get_blind (fixture.session));
  {
    g_autofree char *letter = assay_session_candidate_letter (fixture.session,
                                                              fixture.candidate_id);
    g_autofree char *named = g_strconcat (letter, " · scribe-xl", NULL);
    GtkWidget *name = assay_test_find_labelled (GTK_WIDGET (fixture.view), letter);

    g_assert_nonnull (name);
    g_assert_true (GTK_IS_LABEL (name));
    g_assert_null (strstr (gtk_label_get_text (GTK_LABEL (name)), "scribe"));
    g_assert_null (assay_test_find_labelled (GTK_WIDGET (fixture.view), named));
  }
  fixture_teardown (&fixture, NULL);
}

/* ---- screenshots ---- */

static void
shoot (Fixture    *fixture,
       const char *name,
       GtkWidget  *extra)
{
  const struct { const char *suffix; int width, height; gboolean dark; } shots[] = {
    { "light", 900, 700, FALSE },
    { "dark", 900, 700, TRUE },
    { "narrow-light", 500, 600, FALSE },
    { "narrow-dark", 500, 600, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    {
      g_autofree char *file = g_strdup_printf ("candidate-%s-%s", name, shots[i].suffix);
      g_autofree char *png = NULL;

      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          shots[i].dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                        : ADW_COLOR_SCHEME_FORCE_LIGHT);
      gtk_window_set_default_size (fixture->window, shots[i].width, shots[i].height);
      assay_test_iterate (250);
      png = assay_test_screenshot (GTK_WIDGET (fixture->window), file);
      g_test_message ("%s", png);
      if (extra != NULL && gtk_widget_get_mapped (extra))
        {
          g_autofree char *extra_file = g_strconcat (file, "-popover", NULL);
          g_autofree char *extra_png = assay_test_screenshot (extra, extra_file);

          g_test_message ("%s", extra_png);
        }
    }
}

static void
mark (Fixture    *fixture,
      const char *phrase,
      const char *option)
{
  select_range (buffer_of (fixture, ASSAY_CANDIDATE_MODE_ORIGINAL),
                find_range (current_text (fixture), phrase));
  g_assert_true (assay_candidate_view_mark_selection (fixture->view,
                                                      option ? option_id (fixture, option) : 0));
}

static void
test_screenshots (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) correction = NULL;
  GtkPopover *popover = _assay_candidate_view_get_span_popover (fixture->view);

  mark (fixture, "HbA1c improved from 8.1% to 7.2%", "supported");
  mark (fixture, "since June", "unsupported");
  mark (fixture, "temperature 37.9 °C", "supported");
  mark (fixture, "hives and lip swelling after amoxicillin in 2015", "contradicted");
  mark (fixture, "lip swelling after amoxicillin", "unsupported");
  mark (fixture, "Record updated.", NULL);
  mark (fixture, "Nurse phone call in 1 week", "supported");
  {
    GtkTextIter start;

    gtk_text_buffer_get_start_iter (buffer_of (fixture, ASSAY_CANDIDATE_MODE_ORIGINAL), &start);
    gtk_text_buffer_place_cursor (buffer_of (fixture, ASSAY_CANDIDATE_MODE_ORIGINAL), &start);
  }
  shoot (fixture, "spans", NULL);
  /* What the picture shows is stored: seven spans, one of them unlabelled. */
  {
    AssayItemCandidate *candidate;
    g_autoptr(AssayItem) item = reload (fixture, &candidate);
    guint unlabelled = 0;

    g_assert_cmpuint (candidate->spans->len, ==, 7);
    for (guint i = 0; i < candidate->spans->len; i++)
      unlabelled += ((AssayItemSpan *) g_ptr_array_index (candidate->spans, i))->option_id == 0;
    g_assert_cmpuint (unlabelled, ==, 1);
    g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                     ASSAY_CANDIDATE_MODE_ORIGINAL);
  }

  /* The popover of a span with evidence and a note. */
  {
    GArray *evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
    const char *source = assay_session_get_item (fixture->session)->text;
    AssayRange r = find_range (source, "I had amoxicillin for a chest infection");
    AssayItem *item = assay_session_get_item (fixture->session);
    AssayItemCandidate *candidate = assay_item_find_candidate (item, fixture->candidate_id);
    AssayItemSpan *span = NULL;

    for (guint i = 0; i < candidate->spans->len; i++)
      if (((AssayItemSpan *) g_ptr_array_index (candidate->spans, i))->option_id ==
          option_id (fixture, "contradicted"))
        span = g_ptr_array_index (candidate->spans, i);
    g_assert_nonnull (span);
    g_array_append_val (evidence, r);
    r = find_range (source, "two days I came out in hives all over, and my lips swelled up");
    g_array_append_val (evidence, r);
    g_assert_true (assay_session_update_span (fixture->session, span->id, span->option_id,
                                              "The reaction was to amoxicillin, not penicillin",
                                              evidence, &error));
    g_array_unref (evidence);
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.next-span",
                                             NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "candidate.open-span",
                                             NULL));
  g_assert_true (assay_test_wait_for (popover_visible, popover, 1000));
  shoot (fixture, "popover", GTK_WIDGET (popover));
  /* The popover shows that span's note, and its label is chosen. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (assay_test_find_accessible (
                     GTK_WIDGET (popover), "Span note"))),
                   ==, "The reaction was to amoxicillin, not penicillin");
  gtk_popover_popdown (popover);

  assay_candidate_view_set_mode (fixture->view, ASSAY_CANDIDATE_MODE_EDIT);
  correction = g_string_new (current_text (fixture));
  g_string_replace (correction, "since June", "since May", 1);
  g_string_replace (correction, "Paracetamol for pain.", "Paracetamol for pain as needed.", 1);
  g_string_replace (correction, " Record updated.", "", 1);
  {
    GtkTextBuffer *edit = buffer_of (fixture, ASSAY_CANDIDATE_MODE_EDIT);

    gtk_text_buffer_set_text (edit, correction->str, -1);
    assay_candidate_view_flush (fixture->view);
  }
  shoot (fixture, "edit", NULL);
  {
    AssayItemCandidate *candidate;
    g_autoptr(AssayItem) item = reload (fixture, &candidate);

    g_assert_cmpstr (candidate->correction, ==, correction->str);
    g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                     ASSAY_CANDIDATE_MODE_EDIT);
  }

  assay_candidate_view_set_mode (fixture->view, ASSAY_CANDIDATE_MODE_CHANGES);
  shoot (fixture, "changes", NULL);
  /* The changes are shown, in the view named for them. */
  g_assert_cmpint (assay_candidate_view_get_mode (fixture->view), ==,
                   ASSAY_CANDIDATE_MODE_CHANGES);
  g_assert_true (gtk_widget_get_mapped (assay_test_find_accessible (GTK_WIDGET (fixture->view),
                                                                    "Correction changes")));
}

static void
assert_accessible_label (GtkWidget  *widget,
                         const char *label)
{
  g_autofree char *mismatch = NULL;

  g_assert_nonnull (widget);
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  g_assert_null (mismatch);
}

static void
test_accessible (Fixture       *fixture,
                 gconstpointer  data)
{
  GtkPopover *popover = _assay_candidate_view_get_span_popover (fixture->view);
  GtkWidget *root = GTK_WIDGET (fixture->view);

  assert_accessible_label (GTK_WIDGET (_assay_candidate_view_get_text_view (
                             fixture->view, ASSAY_CANDIDATE_MODE_ORIGINAL)), "Candidate text");
  assert_accessible_label (GTK_WIDGET (_assay_candidate_view_get_text_view (
                             fixture->view, ASSAY_CANDIDATE_MODE_EDIT)), "Correction editor");
  assert_accessible_label (GTK_WIDGET (_assay_candidate_view_get_text_view (
                             fixture->view, ASSAY_CANDIDATE_MODE_CHANGES)), "Correction changes");
  assert_accessible_label (assay_test_find_labelled (root, "Original"), "Original");
  assert_accessible_label (assay_test_find_labelled (root, "Correction"), "Correction");
  assert_accessible_label (assay_test_find_labelled (root, "Changes"), "Changes");
  assert_accessible_label (assay_test_find_type (GTK_WIDGET (popover), GTK_TYPE_DROP_DOWN),
                           "Span label");
  assert_accessible_label (assay_test_find_type (GTK_WIDGET (popover), GTK_TYPE_ENTRY),
                           "Span note");
  assert_accessible_label (assay_test_find_labelled (GTK_WIDGET (popover),
                                                     "Add Transcript Selection as Evidence"),
                           "Add Transcript Selection as Evidence");
  assert_accessible_label (assay_test_find_labelled (GTK_WIDGET (popover), "Remove Span"),
                           "Remove Span");
  assert_accessible_label (assay_test_find_labelled (root, "Revert to Original"),
                           "Revert to Original");
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/assay/ui/candidate-view/mark", Fixture, NULL,
              fixture_setup, test_mark, fixture_teardown);
  g_test_add ("/assay/ui/candidate-view/popover", Fixture, NULL,
              fixture_setup, test_popover, fixture_teardown);
  g_test_add ("/assay/ui/candidate-view/edit", Fixture, NULL,
              fixture_setup, test_edit, fixture_teardown);
  g_test_add ("/assay/ui/candidate-view/changes", Fixture, NULL,
              fixture_setup, test_changes, fixture_teardown);
  g_test_add_func ("/assay/ui/candidate-view/blind", test_blind);
  g_test_add ("/assay/ui/candidate-view/span-click", Fixture, NULL,
              fixture_setup, test_span_click, fixture_teardown);
  g_test_add ("/assay/ui/candidate-view/accessible", Fixture, NULL,
              fixture_setup, test_accessible, fixture_teardown);
  g_test_add ("/assay/ui/candidate-view/screenshots", Fixture, NULL,
              fixture_setup, test_screenshots, fixture_teardown);

  return g_test_run ();
}
