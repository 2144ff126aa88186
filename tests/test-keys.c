/* test-keys.c: the workbench driven by real key events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a key does depends on where the focus is, so these tests press real
 * keys through the X server (assay_test_press, assay_test_type) on the
 * real window over a copy of the demo, and then read the project file
 * again through the core: what is stored is what counts.
 */
#include "config.h"

#include <malloc.h>

#include "assay-application.h"
#include "assay-keys.h"
#include "assay-review-page.h"
#include "assay-test-ui.h"
#include "assay-window.h"

/* Every one-key shortcut of the demo template is in it, and digits, and
 * spaces: typed into a text field, none of it may change a judgment. */
#define SENTENCE "Omits the 3 refunds; a bad padding, misattribution, wrong number: reject 2 of 5 ts"

typedef struct
{
  char        *path;
  AssayWindow *window;
} Fixture;

static void
open_window (Fixture *f,
             int      width,
             int      height)
{
  g_autoptr(GFile) file = g_file_new_for_path (f->path);

  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), width, height);
  gtk_window_present (GTK_WINDOW (f->window));
  assay_test_open (f->window, file);
  assay_test_iterate (200);
  assay_test_focus_window (GTK_WINDOW (f->window));
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->path = assay_test_copy_demo ();
  open_window (f, 1300, 820);
}

/* The small window of a laptop beside another window. */
static void
fixture_setup_small (Fixture       *f,
                     gconstpointer  data)
{
  f->path = assay_test_copy_demo ();
  open_window (f, 800, 600);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  assay_test_iterate (50);
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

/* ---- what is stored ---- */

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static const char *
or_dash (const char *text)
{
  return text != NULL ? text : "-";
}

/* Every judgment of the tester on an item, as a fresh reader of the file
 * sees it, one line per candidate. */
static char *
snapshot (Fixture    *f,
          const char *ext_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayItem) item = NULL;
  GString *s = g_string_new (NULL);
  gint64 annotator;

  g_assert_no_error (error);
  tmpl = assay_project_load_template (project, &error);
  g_assert_no_error (error);
  annotator = assay_project_lookup_annotator (project, g_get_user_name ());
  g_assert_cmpint (annotator, !=, 0);
  item = assay_project_load_item (project, assay_project_lookup_source (project, ext_id),
                                  annotator, &error);
  g_assert_no_error (error);

  g_string_append_printf (s, "status %s, note %s\n", assay_status_to_string (item->status),
                          or_dash (item->note));
  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (item->candidates, i);
      g_autoptr(GArray) labels = g_array_copy (c->labels);

      g_string_append_printf (s, "%s: labels", c->ext_id);
      g_array_sort (labels, compare_ids);
      for (guint j = 0; j < labels->len; j++)
        g_string_append_printf (s, " %s", assay_template_option_by_id (
                                  tmpl, g_array_index (labels, gint64, j), NULL)->name);
      for (guint j = 0; j < c->spans->len; j++)
        {
          AssayItemSpan *span = g_ptr_array_index (c->spans, j);
          AssayLabelOption *option = assay_template_option_by_id (tmpl, span->option_id, NULL);

          g_string_append_printf (s, "; span %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s %s",
                                  span->start, span->end, option ? option->name : "-",
                                  or_dash (span->note));
          for (guint k = 0; k < span->evidence->len; k++)
            g_string_append_printf (s, " <%" G_GINT64_FORMAT "-%" G_GINT64_FORMAT ">",
                                    g_array_index (span->evidence, AssayRange, k).start,
                                    g_array_index (span->evidence, AssayRange, k).end);
        }
      for (guint j = 0; j < tmpl->criteria->len; j++)
        {
          AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, j);
          AssayItemScore *score = g_hash_table_lookup (c->scores, &criterion->id);

          if (score != NULL)
            g_string_append_printf (s, "; %s %d %s", criterion->name, score->value,
                                    or_dash (score->rationale));
        }
      g_string_append_printf (s, "; rank %d; note %s; correction %s\n", c->rank, or_dash (c->note),
                              c->correction != NULL ? "yes" : "no");
    }
  for (guint i = 0; i < item->comparisons->len; i++)
    {
      AssayItemComparison *p = g_ptr_array_index (item->comparisons, i);

      g_string_append_printf (s, "pair %s %s: %s %s\n",
                              assay_item_find_candidate (item, p->a)->ext_id,
                              assay_item_find_candidate (item, p->b)->ext_id,
                              assay_winner_to_string (p->winner), or_dash (p->rationale));
    }
  return g_string_free (s, FALSE);
}

static AssayItem *
stored_item (const char *path,
             const char *ext_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  AssayItem *item;
  gint64 annotator;

  g_assert_no_error (error);
  annotator = assay_project_lookup_annotator (project, g_get_user_name ());
  g_assert_cmpint (annotator, !=, 0);
  item = assay_project_load_item (project, assay_project_lookup_source (project, ext_id),
                                  annotator, &error);
  g_assert_no_error (error);
  return item;
}

/* The stored correction of a candidate of the first item, or NULL. */
static char *
correction_of (Fixture    *f,
               const char *candidate)
{
  g_autoptr(AssayItem) item = stored_item (f->path, "podcast-small-margins-84");

  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (item->candidates, i);

      if (g_str_equal (c->ext_id, candidate))
        return g_strdup (c->correction);
    }
  g_assert_not_reached ();
}

#define FIRST "podcast-small-margins-84"

/* Whether what is stored on the first item contains `part`. */
static gboolean
stored_has (Fixture    *f,
            const char *part)
{
  g_autofree char *s = snapshot (f, FIRST);

  return strstr (s, part) != NULL;
}

#define assert_stored(f, expected) G_STMT_START { \
    g_autofree char *s__ = snapshot (f, FIRST); \
    g_assert_cmpstr (s__, ==, expected); \
  } G_STMT_END

/* ---- the window ---- */

static GtkWidget *
named (Fixture    *f,
       const char *name)
{
  GtkWidget *widget = assay_test_find_accessible (GTK_WIDGET (f->window), name);

  if (widget == NULL)
    g_error ("Nothing on screen is named “%s”", name);
  return widget;
}

static GtkWidget *
focus_widget (Fixture *f)
{
  return gtk_root_get_focus (GTK_ROOT (f->window));
}

/* Whether the focus is in `widget` (an entry's text is a child of it). */
static gboolean
focus_in (Fixture    *f,
          const char *name)
{
  GtkWidget *focus = focus_widget (f);
  GtkWidget *widget = named (f, name);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
press (Fixture    *f,
       const char *key)
{
  assay_test_press (GTK_WINDOW (f->window), key);
}

static void
type (Fixture    *f,
      const char *text)
{
  assay_test_type (GTK_WINDOW (f->window), text);
}

static void
click (Fixture    *f,
       const char *name)
{
  GtkWidget *widget = named (f, name);

  assay_test_click_at (widget, gtk_widget_get_width (widget) / 2.0,
                       gtk_widget_get_height (widget) / 2.0);
  assay_test_iterate (20);
}

/* The toast of a key: given a moment to show, as a loaded machine may
 * take one. */
static const char *
wait_for_toast (Fixture    *f,
                const char *expected)
{
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  const char *found;

  while ((found = assay_test_find_toast (GTK_WIDGET (f->window), expected)) == NULL &&
         g_get_monotonic_time () < until)
    assay_test_iterate (10);
  return found;
}

#define assert_toast(f, expected) G_STMT_START { \
    const char *t__ = wait_for_toast ((f), (expected)); \
    g_assert_cmpstr (t__, ==, expected); \
  } G_STMT_END

/* ---- typing never changes a judgment ---- */

/* Score by key, Tab, and a sentence full of shortcut keys: the sentence is
 * the rationale, and nothing else changed. */
static void
test_typing_after_score (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;

  click (f, "Faithfulness 1");
  press (f, "4");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named (f, "Faithfulness 4"))));
  before = snapshot (f, FIRST);
  g_assert_nonnull (strstr (before, "faithfulness 4 -"));
  assert_toast (f, "Faithfulness of A: 4");

  /* Tab goes from the score to its rationale, not to the next point. */
  press (f, "Tab");
  g_assert_true (focus_in (f, "Faithfulness rationale"));
  type (f, SENTENCE);
  press (f, "Tab");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (f, "Faithfulness rationale"))),
                   ==, SENTENCE);

  {
    g_autoptr(GString) s = g_string_new (before);

    g_string_replace (s, "faithfulness 4 -", "faithfulness 4 " SENTENCE, 1);
    expected = g_string_free (g_steal_pointer (&s), FALSE);
  }
  assert_stored (f, expected);
  /* Shift+Tab goes back to the chosen score. */
  press (f, "<Shift>Tab");
  press (f, "<Shift>Tab");
  g_assert_true (focus_widget (f) == named (f, "Faithfulness 4"));
}

/* Typed on the score itself, letters go to the rationale too, and a space
 * neither clears nor changes the score. */
static void
test_typing_on_score (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *expected = NULL;

  click (f, "Coverage 2");
  before = snapshot (f, FIRST);
  g_assert_nonnull (strstr (before, "coverage 2 -"));
  press (f, "space");
  press (f, "Return");
  assert_stored (f, before);

  type (f, "Misses " SENTENCE);
  g_assert_true (focus_in (f, "Coverage rationale"));
  press (f, "Tab");
  {
    g_autoptr(GString) s = g_string_new (before);

    g_string_replace (s, "coverage 2 -", "coverage 2 Misses " SENTENCE, 1);
    expected = g_string_free (g_steal_pointer (&s), FALSE);
  }
  assert_stored (f, expected);
}

/* The same sentence in every other place that takes text. */
static void
test_typing_in_text_fields (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *before = snapshot (f, FIRST);
  g_autofree char *after = NULL;
  GtkTextBuffer *note = gtk_text_view_get_buffer (GTK_TEXT_VIEW (named (f, "Candidate note")));

  /* The transcript's find bar and the item search. */
  press (f, "<Control>f");
  type (f, SENTENCE);
  press (f, "Escape");
  press (f, "<Control>k");
  type (f, SENTENCE);
  press (f, "<Control>a");
  press (f, "BackSpace");
  assay_test_iterate (100);
  assert_stored (f, before);

  /* The candidate's note: only the note changes. */
  gtk_widget_grab_focus (named (f, "Candidate note"));
  type (f, SENTENCE);
  press (f, "Tab");
  {
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (note, &start, &end);
    text = gtk_text_buffer_get_text (note, &start, &end, FALSE);
    g_assert_cmpstr (text, ==, SENTENCE);
  }
  after = snapshot (f, FIRST);
  {
    g_autoptr(GString) s = g_string_new (before);

    /* Candidate A is the first line after the status; a note puts the item
     * in progress only through a judgment, which a note is not. */
    g_string_replace (s, "rank 0; note -", "rank 0; note " SENTENCE, 1);
    g_assert_cmpstr (after, ==, s->str);
  }
}

/* Correcting A, then B: B opens as it is, and a label key labels B. */
static void
test_correction_across_candidates (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  GtkWidget *editor, *focus;

  click (f, "Candidate text");
  press (f, "<Control>e");
  g_assert_true (focus_in (f, "Correction editor"));
  editor = named (f, "Correction editor");
  press (f, "<Control>End");
  type (f, " Fixed.");
  press (f, "<Alt>2");
  focus = focus_widget (f);
  g_assert_false (focus == editor || (focus != NULL && gtk_widget_is_ancestor (focus, editor)));
  g_assert_false (gtk_widget_get_mapped (editor));

  press (f, "r");
  assay_test_iterate (50);
  a = correction_of (f, "c1");
  b = correction_of (f, "c2");
  g_assert_nonnull (a);
  g_assert_true (g_str_has_suffix (a, " Fixed."));
  g_assert_null (b);
  before = snapshot (f, FIRST);
  g_assert_nonnull (strstr (before, "\nc2: labels reject;"));
  assert_toast (f, "Reject marked on B");

  /* Back on A, its editor is open again, with what was typed. */
  press (f, "<Alt>1");
  assay_test_iterate (50);
  g_assert_nonnull (named (f, "Correction editor"));
}

/* ---- undo and redo ---- */

/* Undo restores exactly what was stored before, redo what was after; the
 * focus stays off every text field so that Ctrl+Z is the window's. */
static void
check_undo_redo (Fixture    *f,
                 const char *before,
                 const char *after)
{
  if (assay_keys_takes_text (focus_widget (f)))
    gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  assert_stored (f, after);
  press (f, "<Control>z");
  assert_stored (f, before);
  press (f, "<Shift><Control>z");
  assert_stored (f, after);
  press (f, "<Control>z");
  press (f, "<Control>y");
  assert_stored (f, after);
}

static void
test_undo_redo (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *s0 = snapshot (f, FIRST);
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  g_autofree char *s4 = NULL;
  g_autofree char *s5 = NULL;
  g_autofree char *s6 = NULL;
  g_autofree char *s7 = NULL;
  g_autofree char *s8 = NULL;
  g_autofree char *s9 = NULL;
  g_autofree char *s10 = NULL;
  g_autofree char *s4b = NULL;

  /* A label by key: the first judgment also puts the item in progress, and
   * undo takes both back. */
  click (f, "Candidate text");
  press (f, "o");
  s1 = snapshot (f, FIRST);
  g_assert_cmpstr (s1, !=, s0);
  check_undo_redo (f, s0, s1);

  /* A score and its rationale, typed in two pauses: one step each. */
  click (f, "Clarity 3");
  press (f, "Tab");
  type (f, "Clear");
  assay_test_iterate (700);
  type (f, " enough.");
  press (f, "Tab");
  s2 = snapshot (f, FIRST);
  g_assert_nonnull (strstr (s2, "clarity 3 Clear enough."));
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  press (f, "<Control>z");
  g_assert_true (stored_has (f, "clarity 3 -"));
  press (f, "<Control>z");
  assert_stored (f, s1);
  press (f, "<Control>y");
  press (f, "<Control>y");
  assert_stored (f, s2);

  /* Clearing the score takes its rationale with it; undo brings both back. */
  click (f, "Clarity 3");
  g_assert_false (stored_has (f, "clarity"));
  press (f, "<Control>z");
  assert_stored (f, s2);

  /* A span, marked with its key; then its note and evidence, then its
   * removal: undo brings it back with all of it. */
  {
    GtkTextView *text = GTK_TEXT_VIEW (named (f, "Candidate text"));
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (text);
    GtkTextIter start, x, y;

    gtk_text_buffer_get_start_iter (buffer, &start);
    g_assert_true (gtk_text_iter_forward_search (&start, "roughly $6 million", 0, &x, &y, NULL));
    gtk_text_buffer_select_range (buffer, &x, &y);
    gtk_widget_grab_focus (GTK_WIDGET (text));
    press (f, "2");
    s3 = snapshot (f, FIRST);
    g_assert_nonnull (strstr (s3, "unsupported"));
    assert_toast (f, "Span on A marked Unsupported");
    check_undo_redo (f, s2, s3);

    gtk_widget_grab_focus (GTK_WIDGET (text));
    press (f, "Return");
    assay_test_iterate (100);
    click (f, "Span note");
    type (f, "No figure in the episode");
    press (f, "Return");
    assay_test_iterate (100);
    s4 = snapshot (f, FIRST);
    g_assert_nonnull (strstr (s4, "unsupported No figure in the episode"));

    /* Its evidence: a passage selected in the transcript, added from the
     * span's popover. */
    {
      GtkTextView *transcript = GTK_TEXT_VIEW (named (f, "Transcript"));
      GtkTextBuffer *tb = gtk_text_view_get_buffer (transcript);

      gtk_text_buffer_get_start_iter (tb, &start);
      g_assert_true (gtk_text_iter_forward_search (&start, "politely not give you a revenue number",
                                                   0, &x, &y, NULL));
      gtk_text_buffer_select_range (tb, &x, &y);
    }
    gtk_widget_grab_focus (GTK_WIDGET (text));
    press (f, "Return");
    assay_test_iterate (100);
    click (f, "Add Transcript Selection as Evidence");
    press (f, "Escape");
    s4b = snapshot (f, FIRST);
    g_assert_nonnull (strstr (s4b, "unsupported No figure in the episode <"));
    check_undo_redo (f, s4, s4b);

    gtk_widget_grab_focus (GTK_WIDGET (text));
    press (f, "Return");
    assay_test_iterate (100);
    click (f, "Remove Span");
    s5 = snapshot (f, FIRST);
    g_assert_null (strstr (s5, "unsupported"));
    check_undo_redo (f, s4b, s5);
  }

  /* A correction typed in the editor: Ctrl+Z there undoes the typing; once
   * saved and left, Ctrl+Z outside undoes the correction. */
  click (f, "Candidate text");
  press (f, "<Control>e");
  /* Nothing typed yet: Ctrl+Z in the editor still undoes no judgment. */
  press (f, "<Control>z");
  assert_stored (f, s5);
  press (f, "<Control>End");
  type (f, " Done");
  press (f, "<Control>z");
  {
    GtkTextBuffer *edit = gtk_text_view_get_buffer (GTK_TEXT_VIEW (named (f, "Correction editor")));
    GtkTextIter start, end;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_bounds (edit, &start, &end);
    text = gtk_text_buffer_get_text (edit, &start, &end, FALSE);
    g_assert_false (g_str_has_suffix (text, " Done"));
  }
  type (f, " Checked.");
  press (f, "<Control>e");
  assay_test_iterate (50);
  s6 = snapshot (f, FIRST);
  g_assert_nonnull (strstr (s6, "correction yes"));
  check_undo_redo (f, s5, s6);

  /* The ranking, by key on the Rank page. */
  click (f, "Candidate text");
  press (f, "<Control>2");
  assay_test_iterate (100);
  gtk_widget_grab_focus (gtk_widget_get_ancestor (named (f, "Unranked: B · atlas-7b"),
                                                  GTK_TYPE_LIST_BOX_ROW));
  press (f, "1");
  s7 = snapshot (f, FIRST);
  g_assert_nonnull (strstr (s7, "\nc2: labels;"));
  g_assert_nonnull (strstr (s7, "rank 1"));
  assert_toast (f, "B: rank 1");
  check_undo_redo (f, s6, s7);

  /* A comparison, by key on the Compare page. */
  press (f, "<Control>3");
  assay_test_iterate (100);
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  {
    /* The right candidate's own letter chooses it; the toast names it. */
    AssaySession *session = assay_window_get_session (f->window);
    g_autofree char *left = assay_test_compare_button (GTK_WIDGET (f->window), session, FALSE);
    g_autofree char *right = assay_test_compare_letter (GTK_WIDGET (f->window), session, TRUE);
    g_autofree char *right_key = g_ascii_strdown (right, -1);
    g_autofree char *said = g_strdup_printf ("Comparison: %s is better", right);

    gtk_widget_grab_focus (named (f, left));
    press (f, right_key);
    s8 = snapshot (f, FIRST);
    g_assert_nonnull (strstr (s8, "pair"));
    assert_toast (f, said);
    check_undo_redo (f, s7, s8);

    /* Undone, the choice's pair is the one on screen again. */
    g_clear_pointer (&left, g_free);
    left = assay_test_compare_button (GTK_WIDGET (f->window), session, FALSE);
    gtk_widget_grab_focus (named (f, left));
    press (f, "<Control>z");
    g_clear_pointer (&left, g_free);
    left = assay_test_compare_button (GTK_WIDGET (f->window), session, FALSE);
    g_assert_true (gtk_widget_is_sensitive (named (f, left)));
    g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->window), "Pair 1 of 6"));
    press (f, "<Control>y");
    g_clear_pointer (&left, g_free);
    left = assay_test_compare_button (GTK_WIDGET (f->window), session, FALSE);
    gtk_widget_grab_focus (named (f, left));
  }

  /* A note on the candidate, typed in two pauses. */
  press (f, "<Control>1");
  gtk_widget_grab_focus (named (f, "Candidate note"));
  type (f, "Check");
  assay_test_iterate (700);
  type (f, " the sites");
  press (f, "Tab");
  s10 = snapshot (f, FIRST);
  g_assert_nonnull (strstr (s10, "note Check the sites"));
  check_undo_redo (f, s8, s10);

  /* The status: flag, and submit (which moves on: undo comes back). */
  press (f, "<Control>1");
  press (f, "<Shift><Control>f");
  s9 = snapshot (f, FIRST);
  g_assert_true (g_str_has_prefix (s9, "status flagged"));
  check_undo_redo (f, s10, s9);

  /* Everything, back to the start, then forward again. */
  for (int i = 0; i < 40; i++)
    press (f, "<Control>z");
  assert_stored (f, s0);
  for (int i = 0; i < 40; i++)
    press (f, "<Control>y");
  assert_stored (f, s9);
}

/* Undoing a change made on another item brings that item back first. */
static void
test_undo_across_items (Fixture       *f,
                        gconstpointer  data)
{
  AssaySession *session = assay_window_get_session (f->window);
  g_autofree char *before = snapshot (f, FIRST);

  click (f, "Candidate text");
  press (f, "a");
  g_assert_true (stored_has (f, "c1: labels accept;"));
  press (f, "<Alt>Page_Down");
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, "consult-2291");
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  press (f, "<Control>z");
  g_assert_cmpstr (assay_session_get_item (session)->ext_id, ==, FIRST);
  assert_stored (f, before);
  assert_toast (f, "Undone: Accept marked on A");
}

/* Undoing a change on another candidate shows that candidate; a change
 * of the ranking shows the Rank page. */
static void
test_undo_shows_what_changes (Fixture       *f,
                              gconstpointer  data)
{
  click (f, "Candidate text");
  press (f, "<Alt>2");
  press (f, "p");
  g_assert_true (stored_has (f, "c2: labels padding;"));
  press (f, "<Alt>1");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->window), "A · scribe-xl"));
  press (f, "<Control>z");
  g_assert_false (stored_has (f, "c2: labels padding;"));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (named (f, "B · atlas-7b"))));

  press (f, "<Control>2");
  gtk_widget_grab_focus (gtk_widget_get_ancestor (named (f, "Unranked: D · brevity-2"),
                                                  GTK_TYPE_LIST_BOX_ROW));
  press (f, "1");
  press (f, "<Control>1");
  press (f, "<Control>z");
  g_assert_nonnull (named (f, "Unranked: D · brevity-2"));
  assert_toast (f, "Undone: D: rank 1");
}

/* A key's toast says what it did; its Undo takes back that change only. */
static void
test_toast_undo (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;

  click (f, "Candidate text");
  press (f, "m");
  assert_toast (f, "Misattribution marked on A");
  one = snapshot (f, FIRST);
  g_assert_nonnull (strstr (one, "c1: labels misattribution;"));
  press (f, "m");
  assert_toast (f, "Misattribution removed from A");
  two = snapshot (f, FIRST);
  /* The toast of the first press went with the second change. */
  g_assert_null (assay_test_find_toast (GTK_WIDGET (f->window), "Misattribution marked"));

  /* An Undo for a change that is no longer the newest does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-change", "t", (guint64) 1);
  assert_stored (f, two);
  click (f, "Undo");
  assert_stored (f, one);
  assert_toast (f, "Undone: Misattribution removed from A");
}

/* Submit refused: it says what is missing in a toast that fits a small
 * window, and goes to the first gap, which is on the next candidate. */
static void
test_submit_goes_to_gap (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *label;

  click (f, "Faithfulness 3");
  click (f, "Coverage 3");
  press (f, "<Control>Return");
  assay_test_iterate (300);
  label = NULL;
  {
    const char *text = assay_test_find_toast (GTK_WIDGET (f->window), "Still required");

    g_assert_cmpstr (text, ==, "Still required: Faithfulness of candidate B and 5 more");
    label = assay_test_find_labelled (GTK_WIDGET (f->window), text);
  }
  g_assert_nonnull (label);
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (label))));
  g_assert_true (focus_widget (f) == named (f, "Faithfulness 1"));
  press (f, "5");
  g_assert_true (stored_has (f, "\nc2: labels; faithfulness 5 -"));
}

static void
shoot (Fixture    *f,
       const char *name)
{
  assay_test_screenshot_light_and_dark (GTK_WIDGET (f->window), name);
}

/* What a key's toast, the rubric and the ranking's toast look like, at the
 * size of a small laptop window. */
static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  click (f, "Faithfulness 1");
  press (f, "4");
  /* The toast says what the key did, and the score is stored. */
  assert_toast (f, "Faithfulness of A: 4");
  g_assert_true (stored_has (f, "faithfulness 4"));
  press (f, "Tab");
  type (f, "Every figure is in the episode");
  shoot (f, "keys-score-toast");
  /* The rationale being typed is in its field. */
  g_assert_true (focus_in (f, "Faithfulness rationale"));

  press (f, "<Control>Return");
  assay_test_iterate (200);
  shoot (f, "keys-submit-refused");
  /* Refused: the toast says what is missing, and nothing was submitted. */
  g_assert_nonnull (assay_test_find_toast (GTK_WIDGET (f->window), "Still required: "));
  g_assert_false (stored_has (f, "status done"));

  click (f, "Candidate text");
  press (f, "<Control>2");
  assay_test_iterate (100);
  gtk_widget_grab_focus (gtk_widget_get_ancestor (named (f, "Unranked: C · quill-mini"),
                                                  GTK_TYPE_LIST_BOX_ROW));
  press (f, "1");
  press (f, "<Alt>Down");
  press (f, "3");
  shoot (f, "keys-rank-toast");
  /* The toast says why 3 gave rank 2, and the row says it too. */
  g_assert_cmpstr (assay_test_find_toast (GTK_WIDGET (f->window), "C: "), ==,
                   "C: rank 2 (rank 3 would leave a gap)");
  g_assert_nonnull (named (f, "Rank 2: C · quill-mini"));

  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  press (f, "<Control>z");
  shoot (f, "keys-undone-toast");
  /* Undone: the toast names what was taken back, and C is ranked as
   * before the last key. */
  g_assert_nonnull (assay_test_find_toast (GTK_WIDGET (f->window), "Undone: "));
  g_assert_null (assay_test_find_accessible (GTK_WIDGET (f->window), "Rank 2: C · quill-mini"));

  /* Compare in the workbench: both sides named by their own letters. */
  gtk_widget_activate_action (assay_test_find_type (GTK_WIDGET (f->window),
                                                    ASSAY_TYPE_REVIEW_PAGE),
                              "review.mode", "s", "compare");
  assay_test_iterate (200);
  gtk_window_set_focus (GTK_WINDOW (f->window), NULL);
  shoot (f, "keys-compare");
  {
    AssaySession *session = assay_window_get_session (f->window);
    g_autofree char *left = assay_test_compare_button (GTK_WIDGET (f->window), session, FALSE);
    g_autofree char *right = assay_test_compare_button (GTK_WIDGET (f->window), session, TRUE);

    g_assert_true (gtk_widget_get_mapped (named (f, left)));
    g_assert_true (gtk_widget_get_mapped (named (f, right)));
    g_assert_true (gtk_widget_get_mapped (named (f, "Same")));
  }
}

/* Ctrl+Q while a score button has the keyboard focus: the window goes
 * away with the focus still in the rubric, and nothing may touch the rows
 * the rubric has already let go of (this crashed 3 times in 4). */
static void
test_quit_with_score_focus (void)
{
  g_autoptr(AssayApplication) app = assay_application_new ();
  g_autoptr(GError) error = NULL;
  Fixture fixture = { assay_test_copy_demo (), NULL }, *f = &fixture;
  AssayWindow *window;
  GtkWidget *button;

  /* No bus name: the test is not the app a user may have running. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  open_window (f, 1300, 820);
  window = f->window;
  gtk_window_set_application (GTK_WINDOW (window), GTK_APPLICATION (app));

  click (f, "Faithfulness 1");
  press (f, "4");
  button = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_TOGGLE_BUTTON (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "4");

  press (f, "<Control>q");
  assay_test_iterate (300);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  g_assert_true (stored_has (f, "\nc1: labels; faithfulness 4 -"));
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

int
main (int    argc,
      char **argv)
{
  /* Freed memory is overwritten at once, so that a use after free shows
   * every time instead of now and then. */
  mallopt (M_PERTURB, 0xa5);
  assay_test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/assay/ui/keys/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("typing-after-score", test_typing_after_score);
  ADD ("typing-on-score", test_typing_on_score);
  ADD ("typing-in-text-fields", test_typing_in_text_fields);
  ADD ("correction-across-candidates", test_correction_across_candidates);
  ADD ("undo-redo", test_undo_redo);
  ADD ("undo-across-items", test_undo_across_items);
  ADD ("undo-shows-what-changes", test_undo_shows_what_changes);
  ADD ("toast-undo", test_toast_undo);
  g_test_add ("/assay/ui/keys/submit-goes-to-gap", Fixture, NULL, fixture_setup_small,
              test_submit_goes_to_gap, fixture_teardown);
  g_test_add ("/assay/ui/keys/screenshots", Fixture, NULL, fixture_setup_small,
              test_screenshots, fixture_teardown);
  g_test_add_func ("/assay/ui/keys/quit-with-score-focus", test_quit_with_score_focus);

  return g_test_run ();
}
