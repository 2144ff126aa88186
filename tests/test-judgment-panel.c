/* test-judgment-panel.c: candidate labels, the rubric and the note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <sqlite3.h>

#include "assay-judgment-panel.h"
#include "assay-judgment-panel-private.h"
#include "assay-session-private.h"
#include "assay-test-ui.h"

/* The demo's anchors for faithfulness 2 and 3 (data/demo/template.json). */
#define FAITHFULNESS_2 "One clear error on something that matters (a figure, a dose, a date, " \
                       "who said what), or several smaller unsupported details."
#define FAITHFULNESS_3 "No errors on key facts, but one or two minor details are unsupported " \
                       "or stated more strongly than the source states them."
#define FAITHFULNESS_4 "Everything is supported; at most one small imprecision in wording that " \
                       "does not change the meaning."

typedef struct
{
  char               *path;
  AssaySession       *session;
  AssayJudgmentPanel *panel;
  GtkWindow          *window;
  gint64              source_id;
  gint64              candidate_id;   /* the first candidate on screen */
  gint64              second_id;
  guint               n_saved;
} Fixture;

static void
count_saved_cb (AssaySession *session,
                guint         kind,
                gint64        candidate_id,
                Fixture      *f)
{
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
  g_assert_cmpint (f->source_id, >, 0);
  g_assert_true (assay_session_load_item (f->session, f->source_id, &error));
  g_assert_no_error (error);
  candidates = assay_session_display_candidates (f->session);
  g_assert_cmpuint (candidates->len, ==, 4);
  f->candidate_id = ((AssayItemCandidate *) g_ptr_array_index (candidates, 0))->id;
  f->second_id = ((AssayItemCandidate *) g_ptr_array_index (candidates, 1))->id;

  f->panel = g_object_new (ASSAY_TYPE_JUDGMENT_PANEL, NULL);
  assay_judgment_panel_set_session (f->panel, f->session);
  assay_judgment_panel_set_candidate (f->panel, f->candidate_id);
  f->window = assay_test_window (GTK_WIDGET (f->panel), 900, 800);
  assay_test_catch_announcements (f->window);
  g_signal_connect (f->session, "judgment-saved", G_CALLBACK (count_saved_cb), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_signal_handlers_disconnect_by_data (f->session, f);
  g_object_ref (f->panel);
  gtk_window_destroy (f->window);
  assay_test_iterate (20);
  /* Nothing keeps the panel or the session alive once they are let go. */
  g_assert_finalize_object (g_steal_pointer (&f->panel));
  g_assert_finalize_object (g_steal_pointer (&f->session));
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

/* The item as stored, read through a connection of its own. */
static AssayItem *
reload (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  AssayItem *item;

  g_assert_no_error (error);
  item = assay_project_load_item (project, f->source_id,
                                  assay_session_get_annotator_id (f->session), &error);
  g_assert_no_error (error);
  return item;
}

static gboolean
has_label (AssayItemCandidate *candidate,
           gint64              option_id)
{
  for (guint i = 0; i < candidate->labels->len; i++)
    if (g_array_index (candidate->labels, gint64, i) == option_id)
      return TRUE;
  return FALSE;
}

static gint64
option_id (Fixture    *f,
           const char *set,
           const char *name)
{
  AssayLabelOption *option = assay_template_find_option (assay_session_get_template (f->session),
                                                         set, name, ASSAY_SCOPE_CANDIDATE,
                                                         NULL, NULL);

  g_assert_nonnull (option);
  return option->id;
}

static gint64
criterion_id (Fixture    *f,
              const char *name)
{
  AssayTemplate *tmpl = assay_session_get_template (f->session);
  AssayCriterion *criterion = assay_template_find_criterion (tmpl, name);

  g_assert_nonnull (criterion);
  return criterion->id;
}

static GtkWidget *
get_named (Fixture    *f,
           const char *name)
{
  GtkWidget *widget = assay_test_find_accessible (GTK_WIDGET (f->panel), name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

static gboolean
is_active (Fixture    *f,
           const char *name)
{
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (get_named (f, name)));
}

static void
click (Fixture    *f,
       const char *name)
{
  /* What a pointer click ends in; gtk_widget_activate would wait for the
   * pressed look to time out first. */
  g_signal_emit_by_name (get_named (f, name), "clicked");
  assay_test_iterate (5);
}

static void
type_into (GtkWidget  *entry,
           const char *text)
{
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_editable_insert_text (GTK_EDITABLE (entry), text, -1, &(int) { 0 });
}

static void
press (Fixture    *f,
       const char *key)
{
  assay_test_press (f->window, key);
}

/* What the panel said a key did: an empty text stands for what the
 * session says the last change was, as the window shows it. */
static const char *
said (Fixture *f)
{
  const char *text = assay_test_last_announcement (f->window);

  if (text != NULL && *text == '\0')
    return assay_session_get_undo_description (f->session);
  return text;
}

static void
test_labels (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *candidate;
  gint64 accept = option_id (f, "verdict", "accept");
  gint64 reject = option_id (f, "verdict", "reject");

  g_assert_false (is_active (f, "Accept"));
  click (f, "Accept");
  g_assert_true (is_active (f, "Accept"));
  gtk_test_accessible_assert_state (get_named (f, "Accept"), GTK_ACCESSIBLE_STATE_CHECKED, TRUE);

  /* A verdict is one or the other. */
  click (f, "Reject");
  g_assert_true (is_active (f, "Reject"));
  g_assert_false (is_active (f, "Accept"));
  gtk_test_accessible_assert_state (get_named (f, "Accept"), GTK_ACCESSIBLE_STATE_CHECKED, FALSE);

  /* Issues are ticked freely. */
  click (f, "Omission");
  click (f, "Padding");
  click (f, "Wrong number");
  click (f, "Wrong number");
  g_assert_true (is_active (f, "Omission"));
  g_assert_true (is_active (f, "Padding"));
  g_assert_false (is_active (f, "Wrong number"));
  g_assert_true (is_active (f, "Reject"));

  item = reload (f);
  candidate = assay_item_find_candidate (item, f->candidate_id);
  g_assert_cmpuint (candidate->labels->len, ==, 3);
  g_assert_true (has_label (candidate, reject));
  g_assert_false (has_label (candidate, accept));
  g_assert_true (has_label (candidate, option_id (f, "issues", "omission")));
  g_assert_true (has_label (candidate, option_id (f, "issues", "padding")));

  /* The other candidate has none, and back again they are all there. */
  assay_judgment_panel_set_candidate (f->panel, f->second_id);
  g_assert_false (is_active (f, "Reject"));
  g_assert_false (is_active (f, "Omission"));
  assay_judgment_panel_set_candidate (f->panel, f->candidate_id);
  g_assert_true (is_active (f, "Reject"));
  g_assert_true (is_active (f, "Padding"));

  /* Each chip names its key and explains itself. */
  g_assert_cmpstr (gtk_widget_get_tooltip_text (get_named (f, "Accept")), ==,
                   "Faithful and complete enough to use without changes.");
  g_assert_nonnull (assay_test_find_labelled (get_named (f, "Misattribution"), "M"));
}

static void
test_keys (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AssayItem) item = NULL;
  AssayItemCandidate *candidate;

  g_assert_true (assay_judgment_panel_activate_key (f->panel, "a"));
  g_assert_true (is_active (f, "Accept"));
  g_assert_true (assay_judgment_panel_activate_key (f->panel, "r"));
  g_assert_true (is_active (f, "Reject"));
  g_assert_false (is_active (f, "Accept"));
  for (const char *k = "opmn"; *k != '\0'; k++)
    {
      char key[2] = { *k, '\0' };

      g_assert_true (assay_judgment_panel_activate_key (f->panel, key));
    }
  g_assert_true (is_active (f, "Omission"));
  g_assert_true (is_active (f, "Padding"));
  g_assert_true (is_active (f, "Misattribution"));
  g_assert_true (is_active (f, "Wrong number"));
  g_assert_true (assay_judgment_panel_activate_key (f->panel, "p"));
  g_assert_false (is_active (f, "Padding"));

  /* Span labels ("1") and unknown keys are not the panel's. */
  g_assert_false (assay_judgment_panel_activate_key (f->panel, "1"));
  g_assert_false (assay_judgment_panel_activate_key (f->panel, "z"));

  item = reload (f);
  candidate = assay_item_find_candidate (item, f->candidate_id);
  g_assert_cmpuint (candidate->labels->len, ==, 4);
  g_assert_true (has_label (candidate, option_id (f, "verdict", "reject")));
  g_assert_true (has_label (candidate, option_id (f, "issues", "omission")));
  g_assert_true (has_label (candidate, option_id (f, "issues", "misattribution")));
  g_assert_true (has_label (candidate, option_id (f, "issues", "wrong-number")));
  g_assert_false (has_label (candidate, option_id (f, "issues", "padding")));
}

static AssayItemScore *stored_score (AssayItem *item,
                                     gint64     candidate_id,
                                     gint64     criterion);

/* The label keys as pressed, with the focus on a control that takes no text,
 * and then in the rationale and the note, where they are text. */
static void
test_real_keys (Fixture       *f,
                gconstpointer  data)
{
  gtk_widget_grab_focus (get_named (f, "Accept"));
  press (f, "o");
  g_assert_true (is_active (f, "Omission"));
  g_assert_cmpstr (said (f), ==, "Omission marked on A");
  press (f, "<Shift>r");
  g_assert_true (is_active (f, "Reject"));
  g_assert_cmpstr (said (f), ==, "Reject marked on A");

  assay_test_clear_announcement (f->window);
  gtk_widget_grab_focus (get_named (f, "Faithfulness rationale"));
  assay_test_type (f->window, "no padding or misattribution: reject 2");
  gtk_widget_grab_focus (get_named (f, "Candidate note"));
  assay_test_type (f->window, "a more open remark");
  g_assert_true (is_active (f, "Omission"));
  g_assert_true (is_active (f, "Reject"));
  g_assert_false (is_active (f, "Padding"));
  g_assert_false (is_active (f, "Misattribution"));
  g_assert_false (is_active (f, "Accept"));
  g_assert_false (is_active (f, "Faithfulness 2"));
  g_assert_null (said (f));
}

/* A score row keeps its keys: digits score, Space never clears, a letter
 * goes to the rationale, Tab goes to the rationale and Shift+Tab back to
 * the chosen score. */
static void
test_score_row_keys (Fixture       *f,
                     gconstpointer  data)
{
  gint64 faithfulness = criterion_id (f, "faithfulness");
  GtkWidget *rationale = get_named (f, "Faithfulness rationale");

  gtk_widget_grab_focus (get_named (f, "Faithfulness 1"));
  press (f, "3");
  g_assert_true (is_active (f, "Faithfulness 3"));
  g_assert_cmpstr (said (f), ==, "Faithfulness of A: 3");
  press (f, "space");
  press (f, "Return");
  g_assert_true (is_active (f, "Faithfulness 3"));
  press (f, "7");
  g_assert_true (is_active (f, "Faithfulness 3"));

  /* Only one point of the scale is a Tab stop. */
  press (f, "Tab");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), rationale));
  press (f, "<Shift>Tab");
  g_assert_true (gtk_widget_has_focus (get_named (f, "Faithfulness 3")));

  /* A letter on the scale is the start of the rationale. */
  assay_test_type (f->window, "Omits a dose");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (rationale)), ==, "Omits a dose");
  g_assert_false (is_active (f, "Omission"));
  assay_judgment_panel_flush (f->panel);
  {
    g_autoptr(AssayItem) item = reload (f);
    AssayItemScore *score = stored_score (item, f->candidate_id, faithfulness);

    g_assert_cmpint (score->value, ==, 3);
    g_assert_cmpstr (score->rationale, ==, "Omits a dose");
  }

  /* Backspace on the scale clears the score, and says so. */
  press (f, "<Shift>Tab");
  press (f, "BackSpace");
  g_assert_false (is_active (f, "Faithfulness 3"));
  g_assert_cmpstr (said (f), ==, "Faithfulness of A cleared");
}

static AssayItemScore *
stored_score (AssayItem  *item,
              gint64      candidate_id,
              gint64      criterion)
{
  return g_hash_table_lookup (assay_item_find_candidate (item, candidate_id)->scores, &criterion);
}

static void
test_rubric (Fixture       *f,
             gconstpointer  data)
{
  gint64 faithfulness = criterion_id (f, "faithfulness");
  gint64 coverage = criterion_id (f, "coverage");
  gint64 concision = criterion_id (f, "concision");
  GtkWidget *rationale = get_named (f, "Faithfulness rationale");
  AssayItemScore *score;
  guint saves;

  click (f, "Faithfulness 4");
  g_assert_true (is_active (f, "Faithfulness 4"));
  g_assert_false (is_active (f, "Faithfulness 3"));
  {
    g_autoptr(AssayItem) item = reload (f);

    score = stored_score (item, f->candidate_id, faithfulness);
    g_assert_nonnull (score);
    g_assert_cmpint (score->value, ==, 4);
    g_assert_null (score->rationale);
  }
  g_assert_cmpstr (gtk_label_get_text (_assay_judgment_panel_get_anchor (f->panel, faithfulness)),
                   ==, FAITHFULNESS_4);

  /* The rationale is written after a pause in typing, not per keystroke. */
  saves = f->n_saved;
  type_into (rationale, "Every figure matches the episode.");
  assay_test_iterate (100);
  g_assert_cmpuint (f->n_saved, ==, saves);
  assay_test_iterate (900);
  g_assert_cmpuint (f->n_saved, ==, saves + 1);
  {
    g_autoptr(AssayItem) item = reload (f);

    score = stored_score (item, f->candidate_id, faithfulness);
    g_assert_cmpint (score->value, ==, 4);
    g_assert_cmpstr (score->rationale, ==, "Every figure matches the episode.");
  }

  /* Choosing the chosen score again clears it. */
  click (f, "Faithfulness 4");
  g_assert_false (is_active (f, "Faithfulness 4"));
  {
    g_autoptr(AssayItem) item = reload (f);

    g_assert_null (stored_score (item, f->candidate_id, faithfulness));
  }

  /* A rationale typed before the score waits for it, then both go together. */
  type_into (get_named (f, "Coverage rationale"), "Misses the revenue question.");
  assay_test_iterate (900);
  {
    g_autoptr(AssayItem) item = reload (f);

    g_assert_null (stored_score (item, f->candidate_id, coverage));
  }
  click (f, "Coverage 3");
  {
    g_autoptr(AssayItem) item = reload (f);

    score = stored_score (item, f->candidate_id, coverage);
    g_assert_nonnull (score);
    g_assert_cmpint (score->value, ==, 3);
    g_assert_cmpstr (score->rationale, ==, "Misses the revenue question.");
  }

  /* Digits in a row score it; arrows move along the scale. */
  gtk_widget_grab_focus (get_named (f, "Concision 1"));
  press (f, "2");
  g_assert_true (is_active (f, "Concision 2"));
  g_assert_true (gtk_widget_has_focus (get_named (f, "Concision 2")));
  press (f, "Right");
  g_assert_true (gtk_widget_has_focus (get_named (f, "Concision 3")));
  g_assert_true (is_active (f, "Concision 2"));
  {
    g_autoptr(AssayItem) item = reload (f);

    g_assert_cmpint (stored_score (item, f->candidate_id, concision)->value, ==, 2);
  }

  /* The first unscored criterion is where the keyboard goes next. */
  assay_judgment_panel_focus_rubric (f->panel);
  g_assert_true (gtk_widget_has_focus (get_named (f, "Faithfulness 1")));
}

static void
test_anchor_preview (Fixture       *f,
                     gconstpointer  data)
{
  gint64 faithfulness = criterion_id (f, "faithfulness");
  GtkLabel *anchor = _assay_judgment_panel_get_anchor (f->panel, faithfulness);

  g_assert_cmpstr (gtk_label_get_text (anchor), ==, "Not scored yet");
  click (f, "Faithfulness 4");
  gtk_window_set_focus (f->window, NULL);
  g_assert_cmpstr (gtk_label_get_text (anchor), ==, FAITHFULNESS_4);

  /* Pointing at 3 shows what a 3 means, without choosing it. */
  _assay_judgment_panel_preview_score (f->panel, faithfulness, 3);
  g_assert_cmpstr (gtk_label_get_text (anchor), ==, FAITHFULNESS_3);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (anchor), "preview"));
  g_assert_true (is_active (f, "Faithfulness 4"));
  _assay_judgment_panel_preview_score (f->panel, faithfulness, 0);
  g_assert_cmpstr (gtk_label_get_text (anchor), ==, FAITHFULNESS_4);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (anchor), "preview"));

  /* So does moving the keyboard focus there, with the arrows. */
  gtk_widget_grab_focus (get_named (f, "Faithfulness 4"));
  assay_test_press (f->window, "Left");
  assay_test_press (f->window, "Left");
  g_assert_true (gtk_widget_has_focus (get_named (f, "Faithfulness 2")));
  g_assert_cmpstr (gtk_label_get_text (anchor), ==, FAITHFULNESS_2);
  g_assert_true (is_active (f, "Faithfulness 4"));
  gtk_widget_grab_focus (get_named (f, "Faithfulness rationale"));
  assay_test_iterate (10);
  g_assert_cmpstr (gtk_label_get_text (anchor), ==, FAITHFULNESS_4);
}

/* Where a widget is in the window, after layout. */
static double
y_of (Fixture    *f,
      const char *name)
{
  graphene_point_t point;

  assay_test_iterate (30);
  g_assert_true (gtk_widget_compute_point (get_named (f, name), GTK_WIDGET (f->window),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  return point.y;
}

/* Pointing at the points of a scale, or choosing one, shows another anchor
 * text; the rows below stay where they are, at any width. */
static void
test_anchor_keeps_room (Fixture       *f,
                        gconstpointer  data)
{
  gint64 faithfulness = criterion_id (f, "faithfulness");
  int widths[] = { 900, 520 };

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      double y;

      gtk_window_set_default_size (f->window, widths[w], 800);
      assay_test_iterate (100);
      y = y_of (f, "Coverage 1");
      for (int v = 1; v <= 5; v++)
        {
          _assay_judgment_panel_preview_score (f->panel, faithfulness, v);
          g_assert_cmpfloat (y_of (f, "Coverage 1"), ==, y);
        }
      _assay_judgment_panel_preview_score (f->panel, faithfulness, 0);
      for (int v = 1; v <= 5; v++)
        {
          g_autofree char *name = g_strdup_printf ("Faithfulness %d", v);

          click (f, name);
          g_assert_cmpfloat (y_of (f, "Coverage 1"), ==, y);
        }
      click (f, "Faithfulness 5");
      g_assert_cmpfloat (y_of (f, "Coverage 1"), ==, y);
    }
}

static void
test_missing (Fixture       *f,
              gconstpointer  data)
{
  gint64 faithfulness = criterion_id (f, "faithfulness");
  gint64 coverage = criterion_id (f, "coverage");
  gint64 concision = criterion_id (f, "concision");

  g_assert_false (_assay_judgment_panel_is_missing (f->panel, faithfulness));
  click (f, "Coverage 5");
  assay_judgment_panel_show_missing (f->panel, TRUE);
  g_assert_true (_assay_judgment_panel_is_missing (f->panel, faithfulness));
  g_assert_false (_assay_judgment_panel_is_missing (f->panel, coverage));
  g_assert_false (_assay_judgment_panel_is_missing (f->panel, concision));

  /* Scoring it takes the mark away; clearing it again brings it back. */
  click (f, "Faithfulness 2");
  g_assert_false (_assay_judgment_panel_is_missing (f->panel, faithfulness));
  click (f, "Coverage 5");
  g_assert_true (_assay_judgment_panel_is_missing (f->panel, coverage));

  assay_judgment_panel_show_missing (f->panel, FALSE);
  g_assert_false (_assay_judgment_panel_is_missing (f->panel, coverage));
}

static void
test_note (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *view = get_named (f, "Candidate note");
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));

  gtk_widget_grab_focus (view);
  gtk_text_buffer_set_text (buffer, "Check the container count", -1);
  assay_test_iterate (900);
  {
    g_autoptr(AssayItem) item = reload (f);

    g_assert_cmpstr (assay_item_find_candidate (item, f->candidate_id)->note, ==,
                     "Check the container count");
  }

  /* flush does not wait for the pause. */
  gtk_text_buffer_set_text (buffer, "Check the site count", -1);
  assay_judgment_panel_flush (f->panel);
  {
    g_autoptr(AssayItem) item = reload (f);

    g_assert_cmpstr (assay_item_find_candidate (item, f->candidate_id)->note, ==,
                     "Check the site count");
  }

  /* Switching candidates writes what is pending for the one left. */
  gtk_text_buffer_set_text (buffer, "Fourteen sites, not twelve", -1);
  assay_judgment_panel_set_candidate (f->panel, f->second_id);
  {
    g_autofree char *text = NULL;
    GtkTextIter start, end;
    g_autoptr(AssayItem) item = reload (f);

    g_assert_cmpstr (assay_item_find_candidate (item, f->candidate_id)->note, ==,
                     "Fourteen sites, not twelve");
    gtk_text_buffer_get_bounds (buffer, &start, &end);
    text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, "");
  }
}

/* Showing stored judgments writes nothing. */
static void
test_no_echo (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *view = get_named (f, "Candidate note");
  guint saves;

  click (f, "Accept");
  click (f, "Omission");
  click (f, "Faithfulness 5");
  type_into (get_named (f, "Faithfulness rationale"), "All traceable.");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "Good", -1);
  assay_judgment_panel_flush (f->panel);
  assay_test_iterate (50);

  saves = f->n_saved;
  assay_judgment_panel_set_candidate (f->panel, f->second_id);
  assay_judgment_panel_set_candidate (f->panel, f->candidate_id);
  g_assert_true (assay_session_load_item (f->session, f->source_id, NULL));
  assay_test_iterate (900);
  g_assert_cmpuint (f->n_saved, ==, saves);

  /* ... and shows them, after the item was loaded again. */
  g_assert_true (is_active (f, "Accept"));
  g_assert_true (is_active (f, "Omission"));
  g_assert_true (is_active (f, "Faithfulness 5"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Faithfulness rationale"))),
                   ==, "All traceable.");
}

/* Only what the template asks for. */
static void
test_template_kinds (void)
{
  g_autofree char *path = assay_test_copy_demo ();
  g_autoptr(AssaySession) session = NULL;
  g_autoptr(GError) error = NULL;
  AssayJudgmentPanel *panel;
  AssayItemCandidate *first;
  GtkWindow *window;
  gint64 source_id;

  {
    g_autoptr(AssayProject) project = assay_project_open (path, &error);
    g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, &error);

    g_assert_no_error (error);
    tmpl->kinds &= ~ASSAY_JUDGE_SCORES;
    g_assert_true (assay_project_store_template (project, tmpl, &error));
    g_assert_no_error (error);
  }

  session = assay_test_session (path);
  source_id = assay_project_lookup_source (assay_session_get_project (session), "consult-2291");
  g_assert_true (assay_session_load_item (session, source_id, &error));
  panel = g_object_new (ASSAY_TYPE_JUDGMENT_PANEL, NULL);
  assay_judgment_panel_set_session (panel, session);
  first = g_ptr_array_index (assay_session_get_item (session)->candidates, 0);
  assay_judgment_panel_set_candidate (panel, first->id);
  window = assay_test_window (GTK_WIDGET (panel), 600, 500);

  g_assert_nonnull (assay_test_find_accessible (GTK_WIDGET (panel), "Accept"));
  g_assert_null (assay_test_find_accessible (GTK_WIDGET (panel), "Faithfulness 1"));
  g_assert_null (assay_test_find_accessible (GTK_WIDGET (panel), "Rubric"));
  g_assert_nonnull (assay_test_find_accessible (GTK_WIDGET (panel), "Candidate note"));

  gtk_window_destroy (window);
  assay_test_iterate (20);
  g_clear_object (&session);
  assay_test_remove_copy (path);
}


static gint64
test_clock (gpointer data)
{
  return *(gint64 *) data;
}

/* One value read from the project file as stored. */
static double
stored_time (const char *path,
             const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  double value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_double (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* Each judgment is stored with the time the item was on screen while it
 * was being made: since the item was shown, or since the judgment before;
 * the same judgment changed again adds its time. Time away (the window
 * inactive) does not count. */
static void
test_time_spent (void)
{
  g_autofree char *path = assay_test_copy_demo ();
  g_autoptr(AssaySession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *score_sql = NULL;
  g_autofree char *label_sql = NULL;
  AssayJudgmentPanel *panel;
  AssayItemCandidate *first;
  GtkWindow *window;
  gint64 now = 1000 * G_USEC_PER_SEC;
  gint64 source_id;

  session = assay_test_session (path);
  _assay_session_set_clock (session, test_clock, &now);
  assay_session_set_active (session, TRUE);
  source_id = assay_project_lookup_source (assay_session_get_project (session), "consult-2291");
  g_assert_true (assay_session_load_item (session, source_id, &error));
  g_assert_no_error (error);
  first = g_ptr_array_index (assay_session_get_item (session)->candidates, 0);
  panel = g_object_new (ASSAY_TYPE_JUDGMENT_PANEL, NULL);
  assay_judgment_panel_set_session (panel, session);
  assay_judgment_panel_set_candidate (panel, first->id);
  window = assay_test_window (GTK_WIDGET (panel), 600, 700);

  /* 40 s reading, then a score; 15 s more, then a label. */
  now += 40 * G_USEC_PER_SEC;
  g_signal_emit_by_name (assay_test_find_accessible (GTK_WIDGET (panel), "Faithfulness 4"),
                         "clicked");
  now += 15 * G_USEC_PER_SEC;
  g_signal_emit_by_name (assay_test_find_accessible (GTK_WIDGET (panel), "Omission"), "clicked");

  /* The demo holds other experts' judgments too: these are the session's. */
  score_sql = g_strdup_printf ("SELECT time_spent FROM scores WHERE candidate_id = %"
                               G_GINT64_FORMAT " AND annotator_id = %" G_GINT64_FORMAT,
                               first->id, assay_session_get_annotator_id (session));
  label_sql = g_strdup_printf ("SELECT time_spent FROM labels WHERE candidate_id = %"
                               G_GINT64_FORMAT " AND annotator_id = %" G_GINT64_FORMAT,
                               first->id, assay_session_get_annotator_id (session));
  g_assert_cmpfloat_with_epsilon (stored_time (path, score_sql), 40.0, 0.01);
  g_assert_cmpfloat_with_epsilon (stored_time (path, label_sql), 15.0, 0.01);

  /* Away for a minute, back for 5 s, and the score changed again: its
   * time grows by those 5 s only. */
  assay_session_set_active (session, FALSE);
  now += 60 * G_USEC_PER_SEC;
  assay_session_set_active (session, TRUE);
  now += 5 * G_USEC_PER_SEC;
  g_signal_emit_by_name (assay_test_find_accessible (GTK_WIDGET (panel), "Faithfulness 2"),
                         "clicked");
  g_assert_cmpfloat_with_epsilon (stored_time (path, score_sql), 45.0, 0.01);
  /* The item's own time is the whole visit, as before. */
  g_assert_cmpfloat_with_epsilon (assay_session_get_time_on_item (session), 60.0, 0.01);

  gtk_window_destroy (window);
  assay_test_iterate (20);
  g_assert_finalize_object (g_steal_pointer (&session));
  assay_test_remove_copy (path);
}

static void
shoot (Fixture    *f,
       const char *name)
{
  assay_test_screenshot_light_and_dark (GTK_WIDGET (f->window), name);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  gint64 coverage = criterion_id (f, "coverage");
  GtkTextBuffer *note;

  click (f, "Reject");
  click (f, "Omission");
  click (f, "Faithfulness 2");
  type_into (get_named (f, "Faithfulness rationale"),
             "Says twelve sites; the episode says fourteen.");
  click (f, "Concision 4");
  assay_judgment_panel_flush (f->panel);
  assay_judgment_panel_show_missing (f->panel, TRUE);
  gtk_window_set_focus (f->window, NULL);
  _assay_judgment_panel_preview_score (f->panel, coverage, 3);
  note = gtk_text_view_get_buffer (GTK_TEXT_VIEW (get_named (f, "Candidate note")));
  gtk_text_buffer_set_text (note, "Ask the producer whether the revenue figure may be quoted.", -1);
  assay_judgment_panel_flush (f->panel);

  gtk_window_set_default_size (f->window, 900, 800);
  shoot (f, "judgment-panel-900x800");

  /* What the picture shows is what is stored: the labels and scores
   * chosen, the rationale, the note, and Coverage still missing. */
  g_assert_true (is_active (f, "Reject"));
  g_assert_true (is_active (f, "Omission"));
  g_assert_false (is_active (f, "Accept"));
  g_assert_true (is_active (f, "Faithfulness 2"));
  g_assert_true (is_active (f, "Concision 4"));
  g_assert_false (is_active (f, "Coverage 3"));
  {
    g_autoptr(AssayItem) item = reload (f);
    AssayItemCandidate *candidate = assay_item_find_candidate (item, f->candidate_id);
    AssayItemScore *faithfulness = NULL;
    gint64 id = criterion_id (f, "faithfulness");

    faithfulness = g_hash_table_lookup (candidate->scores, &id);
    g_assert_nonnull (faithfulness);
    g_assert_cmpint (faithfulness->value, ==, 2);
    g_assert_cmpstr (faithfulness->rationale, ==, "Says twelve sites; the episode says fourteen.");
    g_assert_null (g_hash_table_lookup (candidate->scores, &coverage));
    g_assert_cmpstr (candidate->note, ==,
                     "Ask the producer whether the revenue figure may be quoted.");
  }

  gtk_window_set_default_size (f->window, 520, 700);
  assay_test_iterate (100);
  shoot (f, "judgment-panel-520x700");
  /* Narrow, the rubric and the note are still there. */
  g_assert_true (gtk_widget_get_mapped (get_named (f, "Faithfulness rationale")));
  g_assert_true (gtk_widget_get_mapped (get_named (f, "Candidate note")));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  /* The test accessibility backend keeps names and states for the asserts. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  assay_test_ui_init (&argc, &argv);
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/assaylab/Assay/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

#define ADD(name, func) \
  g_test_add ("/assay/ui/judgment-panel/" name, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)
  ADD ("labels", test_labels);
  ADD ("keys", test_keys);
  ADD ("real-keys", test_real_keys);
  ADD ("score-row-keys", test_score_row_keys);
  ADD ("rubric", test_rubric);
  ADD ("anchor-preview", test_anchor_preview);
  ADD ("anchor-keeps-room", test_anchor_keeps_room);
  ADD ("missing", test_missing);
  ADD ("note", test_note);
  ADD ("no-echo", test_no_echo);
  ADD ("screenshots", test_screenshots);
#undef ADD
  g_test_add_func ("/assay/ui/judgment-panel/template-kinds", test_template_kinds);
  g_test_add_func ("/assay/ui/judgment-panel/time-spent", test_time_spent);

  return g_test_run ();
}
