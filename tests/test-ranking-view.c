/* test-ranking-view.c: ordering candidates by keyboard and by dropping rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "assay-ranking-view.h"
#include "assay-ranking-view-private.h"
#include "assay-test-ui.h"

typedef struct
{
  char             *path;
  AssaySession     *session;
  AssayRankingView *view;
  GtkWindow        *window;
  gint64            source_id;
  gint64            ids[4];      /* A, B, C, D: display order */
} Fixture;

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
  g_assert_cmpuint (candidates->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    f->ids[i] = ((AssayItemCandidate *) g_ptr_array_index (candidates, i))->id;

  f->view = g_object_new (ASSAY_TYPE_RANKING_VIEW, NULL);
  assay_ranking_view_set_session (f->view, f->session);
  f->window = assay_test_window (GTK_WIDGET (f->view), 900, 800);
  assay_test_catch_announcements (f->window);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_ref (f->view);
  gtk_window_destroy (f->window);
  assay_test_iterate (20);
  /* Nothing keeps the view or the session alive once they are let go. */
  g_assert_finalize_object (g_steal_pointer (&f->view));
  g_assert_finalize_object (g_steal_pointer (&f->session));
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

/* "B1 A2 C- D-": the order on screen with the ranks shown, by letter. */
static char *
on_screen (Fixture *f)
{
  g_autoptr(GArray) order = _assay_ranking_view_get_order (f->view);
  GString *s = g_string_new (NULL);
  AssayItem *item = assay_session_get_item (f->session);

  for (guint i = 0; i < order->len; i++)
    {
      gint64 id = g_array_index (order, gint64, i);
      g_autofree char *letter = assay_session_candidate_letter (f->session, id);
      int rank = assay_item_find_candidate (item, id)->rank;

      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, letter);
      if (rank > 0)
        g_string_append_printf (s, "%d", rank);
      else
        g_string_append_c (s, '-');
    }
  return g_string_free (s, FALSE);
}

/* The same, read from the project file: "A2 B1 C- D-", in display order. */
static char *
stored (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayItem) item = NULL;
  GString *s = g_string_new (NULL);

  g_assert_no_error (error);
  item = assay_project_load_item (project, f->source_id,
                                  assay_session_get_annotator_id (f->session), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 4; i++)
    {
      int rank = assay_item_find_candidate (item, f->ids[i])->rank;

      if (s->len > 0)
        g_string_append_c (s, ' ');
      g_string_append_c (s, 'A' + i);
      if (rank > 0)
        g_string_append_printf (s, "%d", rank);
      else
        g_string_append_c (s, '-');
    }
  return g_string_free (s, FALSE);
}

#define assert_screen(f, expected) G_STMT_START { \
    g_autofree char *s__ = on_screen (f); \
    g_assert_cmpstr (s__, ==, expected); \
  } G_STMT_END

#define assert_stored(f, expected) G_STMT_START { \
    g_autofree char *s__ = stored (f); \
    g_assert_cmpstr (s__, ==, expected); \
  } G_STMT_END

static GtkWidget *
row (Fixture *f,
     char     letter)
{
  return _assay_ranking_view_get_row (f->view, f->ids[letter - 'A']);
}

/* Presses a real key, with the focus where the test put it. */
static void
press (Fixture    *f,
       const char *key)
{
  assay_test_press (f->window, key);
}

/* What the view said a key did: an empty text stands for the newest change
 * of the session, which the window names with an Undo. */
static const char *
said (Fixture *f)
{
  const char *text = assay_test_last_announcement (f->window);

  if (text != NULL && *text == '\0')
    return assay_session_get_undo_description (f->session);
  return text;
}

#define assert_said(f, expected) g_assert_cmpstr (said (f), ==, expected)

static void
focus (Fixture *f,
       char     letter)
{
  gtk_widget_grab_focus (row (f, letter));
  g_assert_true (gtk_widget_has_focus (row (f, letter)));
}

static void
assert_focus (Fixture *f,
              char     letter)
{
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f->window)) == row (f, letter));
}

static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  assert_screen (f, "A- B- C- D-");
  gtk_test_accessible_assert_property (row (f, 'B'), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Unranked: B · atlas-7b");

  /* B above A: B is first, the others are still to be placed. */
  focus (f, 'B');
  press (f, "<Alt>Up");
  assert_screen (f, "B1 A- C- D-");
  assert_stored (f, "A- B1 C- D-");
  assert_focus (f, 'B');
  assert_said (f, "B: rank 1");
  gtk_test_accessible_assert_property (row (f, 'B'), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Rank 1: B · atlas-7b");

  /* A number is the rank itself. */
  focus (f, 'C');
  press (f, "2");
  assert_screen (f, "B1 C2 A- D-");
  assert_focus (f, 'C');
  assert_said (f, "C: rank 2");

  /* T ties with the row above. */
  focus (f, 'A');
  press (f, "t");
  assert_screen (f, "B1 A2 C2 D-");
  assert_stored (f, "A2 B1 C2 D-");
  assert_said (f, "A: rank 2, tied with C");
  g_assert_true (gtk_widget_get_visible (assay_test_find_labelled (row (f, 'A'), "tie")));
  g_assert_false (gtk_widget_get_visible (assay_test_find_labelled (row (f, 'B'), "tie")));

  /* The last row cannot go further down; going up it first takes a rank. */
  focus (f, 'D');
  press (f, "<Alt>Down");
  assert_screen (f, "B1 A2 C2 D-");
  assert_said (f, "Already last");
  press (f, "<Alt>Up");
  assert_screen (f, "B1 A2 C2 D3");
  /* ... and then passes the whole tie above it, which stays a tie. */
  press (f, "<Alt>Up");
  assert_screen (f, "B1 D2 A3 C3");
  assert_focus (f, 'D');

  /* A tied row moves with its tie, and the tie holds. */
  focus (f, 'C');
  press (f, "<Alt>Up");
  assert_screen (f, "B1 A2 C2 D3");
  assert_said (f, "A and C moved up: rank 2, still tied");
  press (f, "<Alt>Down");
  assert_screen (f, "B1 D2 A3 C3");
  press (f, "<Alt>Down");
  assert_screen (f, "B1 D2 A3 C3");
  assert_said (f, "A and C are already last");

  /* Only T unties: the row takes a rank of its own below the tie. */
  press (f, "t");
  assert_screen (f, "B1 D2 A3 C4");
  assert_focus (f, 'C');
  assert_said (f, "C untied: rank 4");

  /* Two rows share rank 2 by number; the ranks stay dense. */
  press (f, "2");
  assert_screen (f, "B1 C2 D2 A3");
  assert_stored (f, "A3 B1 C2 D2");
  assert_said (f, "C: rank 2, tied with D");

  /* The digit pressed is the rank shown, even when the row leaves a place
   * above: the others close up, and their tie is kept. */
  focus (f, 'B');
  press (f, "3");
  assert_screen (f, "C1 D1 A2 B3");
  assert_said (f, "B: rank 3");
  /* Past the last rank a row takes the next one, and says why. */
  press (f, "9");
  assert_screen (f, "C1 D1 A2 B3");
  assert_said (f, "B: rank 3 (rank 9 would leave a gap)");

  /* 0 and Delete take the rank away. */
  focus (f, 'D');
  press (f, "0");
  assert_screen (f, "C1 A2 B3 D-");
  assert_said (f, "D unranked");
  focus (f, 'B');
  press (f, "Delete");
  assert_screen (f, "C1 A2 B- D-");
  assert_stored (f, "A2 B- C1 D-");
  gtk_test_accessible_assert_property (row (f, 'B'), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Unranked: B · atlas-7b");
}

static void
test_drop (Fixture       *f,
           gconstpointer  data)
{
  /* Dropping C on A's upper half puts it first. */
  _assay_ranking_view_drop (f->view, f->ids[2], f->ids[0], FALSE);
  assert_screen (f, "C1 A- B- D-");
  assert_focus (f, 'C');

  /* Dropping A below D: everything above it is in order now. */
  _assay_ranking_view_drop (f->view, f->ids[0], f->ids[3], TRUE);
  assert_screen (f, "C1 B2 D3 A4");
  assert_stored (f, "A4 B2 C1 D3");

  /* Into the middle of a tie, the tie is split by what lies between. */
  focus (f, 'D');
  press (f, "2");
  assert_screen (f, "C1 B2 D2 A3");
  _assay_ranking_view_drop (f->view, f->ids[0], f->ids[3], FALSE);
  assert_screen (f, "C1 B2 A3 D4");

  /* Dropped on itself, nothing happens. */
  _assay_ranking_view_drop (f->view, f->ids[0], f->ids[0], TRUE);
  assert_screen (f, "C1 B2 A3 D4");
  assert_stored (f, "A3 B2 C1 D4");
}

static void
test_actions (Fixture       *f,
              gconstpointer  data)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "ranking.move-down", "x",
                                             f->ids[0]));
  assert_screen (f, "B1 A2 C- D-");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "ranking.set-rank", "(xi)",
                                             f->ids[3], 1));
  assert_screen (f, "B1 D1 A2 C-");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "ranking.move-up", "x",
                                             f->ids[0]));
  assert_screen (f, "A1 B2 D2 C-");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "ranking.tie", "x",
                                             f->ids[2]));
  assert_screen (f, "A1 B2 C2 D2");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "ranking.unrank", "x",
                                             f->ids[1]));
  assert_screen (f, "A1 C2 D2 B-");
  assert_stored (f, "A1 B- C2 D2");

  /* With the last rank gone the source has no ranking at all. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "ranking.unrank", "x",
                                               f->ids[i]));
  assert_screen (f, "A- B- C- D-");
  assert_stored (f, "A- B- C- D-");
}

/* The list follows the session: rankings made elsewhere and other items. */
static void
test_follows_session (Fixture       *f,
                      gconstpointer  data)
{
  gint64 ids[] = { f->ids[3], f->ids[1] };
  int ranks[] = { 1, 2 };
  gint64 other = assay_project_lookup_source (assay_session_get_project (f->session),
                                              "consult-2291");

  g_assert_true (assay_session_set_ranking (f->session, ids, ranks, 2, NULL));
  assert_screen (f, "D1 B2 A- C-");

  g_assert_true (assay_session_load_item (f->session, other, NULL));
  g_assert_cmpuint (_assay_ranking_view_get_order (f->view)->len, ==, 3);
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "A · quill-mini"));

  g_assert_true (assay_session_load_item (f->session, f->source_id, NULL));
  assert_screen (f, "D1 B2 A- C-");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "D · brevity-2"));
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
  focus (f, 'C');
  press (f, "1");
  focus (f, 'A');
  press (f, "2");
  focus (f, 'D');
  press (f, "2");
  assert_screen (f, "C1 A2 D2 B-");
  assert_stored (f, "A2 B- C1 D2");
  gtk_widget_add_css_class (row (f, 'B'), "drop-above");

  shoot (f, "ranking-view-900x800");
  /* What the picture shows: C first, A and D tied second (the tie said on
   * D's row), B unranked; each row named for a screen reader. */
  gtk_test_accessible_assert_property (row (f, 'C'), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Rank 1: C · quill-mini");
  gtk_test_accessible_assert_property (row (f, 'B'), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Unranked: B · atlas-7b");
  g_assert_true (gtk_widget_get_visible (assay_test_find_labelled (row (f, 'D'), "tie")));
  g_assert_false (gtk_widget_get_visible (assay_test_find_labelled (row (f, 'C'), "tie")));

  gtk_window_set_default_size (f->window, 520, 700);
  assay_test_iterate (100);
  shoot (f, "ranking-view-520x700");
  /* Narrow, the same rows in the same order, every name whole. */
  assert_screen (f, "C1 A2 D2 B-");
  for (char letter = 'A'; letter <= 'D'; letter++)
    g_assert_true (gtk_widget_get_mapped (row (f, letter)));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "C · quill-mini"));
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
  g_test_add ("/assay/ui/ranking-view/" name, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)
  ADD ("keyboard", test_keyboard);
  ADD ("drop", test_drop);
  ADD ("actions", test_actions);
  ADD ("follows-session", test_follows_session);
  ADD ("screenshots", test_screenshots);
#undef ADD

  return g_test_run ();
}
