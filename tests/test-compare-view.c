/* test-compare-view.c: blind A/B comparison
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "assay-compare-view.h"
#include "assay-compare-view-private.h"
#include "assay-test-ui.h"

typedef struct
{
  char             *path;
  AssaySession     *session;
  AssayCompareView *view;
  GtkWindow        *window;
  gint64            source_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->path = assay_test_copy_demo ();
  if (data != NULL)
    {
      /* The demo's template made blind: candidates shown in a shuffled
       * order, and lettered in it. */
      g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
      g_autoptr(AssayTemplate) tmpl = NULL;

      g_assert_no_error (error);
      tmpl = assay_project_load_template (project, &error);
      g_assert_no_error (error);
      tmpl->blind = TRUE;
      g_assert_true (assay_project_store_template (project, tmpl, &error));
      g_assert_no_error (error);
    }
  f->session = assay_test_session (f->path);
  f->source_id = assay_project_lookup_source (assay_session_get_project (f->session),
                                              "podcast-small-margins-84");
  g_assert_true (assay_session_load_item (f->session, f->source_id, &error));
  g_assert_no_error (error);

  f->view = g_object_new (ASSAY_TYPE_COMPARE_VIEW, NULL);
  assay_compare_view_set_session (f->view, f->session);
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

static guint reload_count (Fixture *f);

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

/* How many comparisons the project holds for the item. */
static guint
reload_count (Fixture *f)
{
  g_autoptr(AssayItem) item = reload (f);

  return item->comparisons->len;
}

static GtkWidget *
get_named (Fixture    *f,
           const char *name)
{
  GtkWidget *widget = assay_test_find_accessible (GTK_WIDGET (f->view), name);

  if (widget == NULL)
    g_error ("No widget named “%s”", name);
  return widget;
}

static GtkWidget *
find_progress (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), "Pair "))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_progress (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* "Pair 2 of 6", or NULL when no pair is on screen. */
static const char *
progress (Fixture *f)
{
  GtkWidget *label = find_progress (GTK_WIDGET (f->view));

  return label != NULL ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

/* A real key, with the focus where it is (on a button of the view unless
 * a test put it elsewhere). */
static void
key (Fixture    *f,
     const char *name)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  if (focus == NULL || !gtk_widget_is_ancestor (focus, GTK_WIDGET (f->view)))
    gtk_widget_grab_focus (get_named (f, "Same"));
  assay_test_press (f->window, name);
}

/* The pair on screen must be the one the blind pairing gives next. */
static void
assert_blind_next (Fixture *f,
                   gint64  *a,
                   gint64  *b)
{
  gint64 na, nb;

  g_assert_true (_assay_compare_view_get_pair (f->view, a, b));
  g_assert_true (assay_item_next_pair (assay_session_get_item (f->session), TRUE, &na, &nb));
  g_assert_cmpint (*a, ==, na);
  g_assert_cmpint (*b, ==, nb);
}

static void
assert_stored (Fixture     *f,
               gint64       a,
               gint64       b,
               AssayWinner  winner,
               const char  *rationale)
{
  g_autoptr(AssayItem) item = reload (f);
  AssayItemComparison *comparison = assay_item_find_comparison (item, a, b);

  g_assert_nonnull (comparison);
  /* Stored as shown: A is the left text. */
  g_assert_cmpint (comparison->a, ==, a);
  g_assert_cmpint (comparison->b, ==, b);
  g_assert_cmpint (comparison->winner, ==, winner);
  g_assert_cmpstr (comparison->rationale, ==, rationale);
}

/* Every text the view shows, except the summaries themselves. */
static void
collect_texts (GtkWidget *widget,
               GString   *out)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (text != NULL)
    g_string_append_printf (out, "%s\n", text);
  if (gtk_widget_get_tooltip_text (widget) != NULL)
    g_string_append_printf (out, "%s\n", gtk_widget_get_tooltip_text (widget));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (out, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (ADW_IS_STATUS_PAGE (widget))
    g_string_append_printf (out, "%s\n%s\n", adw_status_page_get_title (ADW_STATUS_PAGE (widget)),
                            adw_status_page_get_description (ADW_STATUS_PAGE (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, out);
}

static void
assert_no_model_names (Fixture *f)
{
  g_autoptr(GString) texts = g_string_new (NULL);
  AssayItem *item = assay_session_get_item (f->session);

  collect_texts (GTK_WIDGET (f->view), texts);
  g_assert_cmpuint (texts->len, >, 0);
  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, i);

      if (strstr (texts->str, candidate->model) != NULL)
        g_error ("The model name %s is on screen:\n%s", candidate->model, texts->str);
    }
}

static gboolean
is_chosen (Fixture    *f,
           const char *name)
{
  return gtk_widget_has_css_class (get_named (f, name), "suggested-action");
}

/* The letter of the left (or right) side of the pair on screen, as the
 * Review tabs name that candidate. */
static char *
side_letter (Fixture  *f,
             gboolean  right)
{
  gint64 a, b;

  g_assert_true (_assay_compare_view_get_pair (f->view, &a, &b));
  return assay_item_candidate_letter (assay_session_get_item (f->session),
                                      assay_session_get_blind (f->session), right ? b : a);
}

/* "C Is Better", for the side's button. */
static char *
better (Fixture  *f,
        gboolean  right)
{
  g_autofree char *letter = side_letter (f, right);

  return g_strdup_printf ("%s Is Better", letter);
}

static gboolean
side_chosen (Fixture  *f,
             gboolean  right)
{
  g_autofree char *name = better (f, right);

  return is_chosen (f, name);
}

/* Presses the letter key of a side's candidate. */
static void
key_letter (Fixture  *f,
            gboolean  right)
{
  g_autofree char *letter = side_letter (f, right);
  g_autofree char *lower = g_ascii_strdown (letter, -1);

  key (f, lower);
}

static void
test_choose (Fixture       *f,
             gconstpointer  data)
{
  gint64 pairs[6][2];

  g_assert_cmpstr (progress (f), ==, "Pair 1 of 6");
  assert_no_model_names (f);
  g_assert_false (side_chosen (f, FALSE));

  /* The button, with a rationale. */
  assert_blind_next (f, &pairs[0][0], &pairs[0][1]);
  gtk_editable_set_text (GTK_EDITABLE (get_named (f, "Comparison rationale")),
                         "A keeps the numbers right");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.choose-a", NULL));
  assert_stored (f, pairs[0][0], pairs[0][1], ASSAY_WINNER_A, "A keeps the numbers right");
  g_assert_cmpstr (progress (f), ==, "Pair 2 of 6");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Comparison rationale"))),
                   ==, "");

  /* The keys: the right candidate's letter. */
  assert_blind_next (f, &pairs[1][0], &pairs[1][1]);
  key_letter (f, TRUE);
  assert_stored (f, pairs[1][0], pairs[1][1], ASSAY_WINNER_B, NULL);
  g_assert_cmpstr (assay_test_last_announcement (f->window), ==, "");
  assert_blind_next (f, &pairs[2][0], &pairs[2][1]);
  key (f, "equal");
  assert_stored (f, pairs[2][0], pairs[2][1], ASSAY_WINNER_TIE, NULL);
  assert_blind_next (f, &pairs[3][0], &pairs[3][1]);
  key (f, "Left");
  assert_stored (f, pairs[3][0], pairs[3][1], ASSAY_WINNER_A, NULL);
  g_assert_cmpstr (progress (f), ==, "Pair 5 of 6");

  /* Typing in the rationale chooses nothing: a, b, s and t are its text. */
  gtk_widget_grab_focus (get_named (f, "Comparison rationale"));
  assay_test_type (f->window, "a b s t = was best");
  g_assert_cmpstr (progress (f), ==, "Pair 5 of 6");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Comparison rationale"))),
                   ==, "a b s t = was best");
  gtk_editable_set_text (GTK_EDITABLE (get_named (f, "Comparison rationale")), "");
  gtk_widget_grab_focus (get_named (f, "Same"));

  assert_blind_next (f, &pairs[4][0], &pairs[4][1]);
  key (f, "t");
  assert_stored (f, pairs[4][0], pairs[4][1], ASSAY_WINNER_TIE, NULL);
  assert_blind_next (f, &pairs[5][0], &pairs[5][1]);
  g_assert_true (assay_compare_view_choose (f->view, ASSAY_WINNER_B));
  assert_stored (f, pairs[5][0], pairs[5][1], ASSAY_WINNER_B, NULL);

  /* Six different pairs of the four candidates. */
  for (guint i = 0; i < 6; i++)
    for (guint j = i + 1; j < 6; j++)
      g_assert_false ((pairs[i][0] == pairs[j][0] && pairs[i][1] == pairs[j][1]) ||
                      (pairs[i][0] == pairs[j][1] && pairs[i][1] == pairs[j][0]));

  /* All done. */
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "All Pairs Compared"));
  g_assert_null (progress (f));
  g_assert_false (assay_compare_view_choose (f->view, ASSAY_WINNER_A));
  key (f, "a");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "All Pairs Compared"));
  assert_no_model_names (f);
}

static void
test_review (Fixture       *f,
             gconstpointer  data)
{
  gint64 first_a, first_b, a, b;

  g_assert_true (_assay_compare_view_get_pair (f->view, &first_a, &first_b));
  for (guint i = 0; i < 6; i++)
    g_assert_true (assay_compare_view_choose (f->view, i % 2 ? ASSAY_WINNER_B : ASSAY_WINNER_A));
  g_assert_false (_assay_compare_view_get_pair (f->view, &a, &b));

  /* Back through them, each stored choice marked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.review", NULL));
  g_assert_cmpstr (progress (f), ==, "Pair 1 of 6");
  g_assert_true (_assay_compare_view_get_pair (f->view, &a, &b));
  g_assert_cmpint (a, ==, first_a);
  g_assert_cmpint (b, ==, first_b);
  g_assert_true (side_chosen (f, FALSE));
  g_assert_false (side_chosen (f, TRUE));
  g_assert_false (is_chosen (f, "Same"));
  g_assert_false (gtk_widget_is_sensitive (assay_test_find_labelled (GTK_WIDGET (f->view),
                                                                     "Previous Pair")));
  g_assert_true (gtk_widget_is_sensitive (assay_test_find_labelled (GTK_WIDGET (f->view),
                                                                    "Next Pair")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.next", NULL));
  g_assert_cmpstr (progress (f), ==, "Pair 2 of 6");
  g_assert_true (side_chosen (f, TRUE));
  g_assert_false (side_chosen (f, FALSE));

  /* A rationale added afterwards is saved with the choice already made. */
  gtk_editable_set_text (GTK_EDITABLE (get_named (f, "Comparison rationale")), "B names the site");
  assay_test_iterate (900);
  g_assert_true (_assay_compare_view_get_pair (f->view, &a, &b));
  assert_stored (f, a, b, ASSAY_WINNER_B, "B names the site");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.previous", NULL));
  g_assert_cmpstr (progress (f), ==, "Pair 1 of 6");

  /* Changing the choice replaces it and goes on to the next pair. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.choose-tie", NULL));
  assert_stored (f, first_a, first_b, ASSAY_WINNER_TIE, NULL);
  g_assert_cmpstr (progress (f), ==, "Pair 2 of 6");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Comparison rationale"))),
                   ==, "B names the site");

  /* The last pair leads to the page again. */
  for (guint i = 2; i <= 6; i++)
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.choose-a", NULL));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "All Pairs Compared"));
  assert_no_model_names (f);
}

/* Leaving pairs open with Next, the view comes back to them. */
static void
test_skip (Fixture       *f,
           gconstpointer  data)
{
  gint64 a1, b1, a, b;
  g_autoptr(AssayItem) item = NULL;

  g_assert_true (_assay_compare_view_get_pair (f->view, &a1, &b1));
  /* A rationale typed before choosing stays with its pair meanwhile. */
  gtk_editable_set_text (GTK_EDITABLE (get_named (f, "Comparison rationale")), "Undecided");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.next", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Comparison rationale"))),
                   ==, "");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.next", NULL));
  g_assert_cmpstr (progress (f), ==, "Pair 3 of 6");
  g_assert_true (assay_compare_view_choose (f->view, ASSAY_WINNER_B));
  g_assert_cmpstr (progress (f), ==, "Pair 1 of 6");
  g_assert_true (_assay_compare_view_get_pair (f->view, &a, &b));
  g_assert_cmpint (a, ==, a1);
  g_assert_cmpint (b, ==, b1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Comparison rationale"))),
                   ==, "Undecided");

  item = reload (f);
  g_assert_cmpuint (item->comparisons->len, ==, 1);
  g_assert_null (assay_item_find_comparison (item, a1, b1));

  /* The same item loaded again resumes at the first open pair; another
   * item starts with its own. */
  g_assert_true (assay_session_load_item (f->session, f->source_id, NULL));
  g_assert_cmpstr (progress (f), ==, "Pair 1 of 6");
  g_assert_true (assay_session_load_item (f->session,
                                          assay_project_lookup_source (
                                            assay_session_get_project (f->session),
                                            "consult-2291"),
                                          NULL));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "Pair 1 of 3"));
  assert_no_model_names (f);
}

static void
test_narrow (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *left_letter = side_letter (f, FALSE);
  g_autofree char *right_letter = side_letter (f, TRUE);
  g_autofree char *left = g_strdup_printf ("Summary %s", left_letter);
  g_autofree char *right = g_strdup_printf ("Summary %s", right_letter);

  g_assert_cmpint (_assay_compare_view_get_layout (f->view), ==, GTK_ORIENTATION_HORIZONTAL);
  gtk_window_set_default_size (f->window, 520, 700);
  assay_test_iterate (100);
  g_assert_cmpint (_assay_compare_view_get_layout (f->view), ==, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpint (gtk_widget_get_width (get_named (f, left)), ==,
                   gtk_widget_get_width (get_named (f, right)));
  gtk_window_set_default_size (f->window, 900, 800);
  assay_test_iterate (100);
  g_assert_cmpint (_assay_compare_view_get_layout (f->view), ==, GTK_ORIENTATION_HORIZONTAL);
  g_assert_cmpint (gtk_widget_get_width (get_named (f, left)), ==,
                   gtk_widget_get_width (get_named (f, right)));
}

/* Every side is named by its candidate's own letter, the one the Review
 * tabs use: in titles, buttons, accessible names and tooltips; a letter
 * key chooses the candidate with that letter, on whichever side it is. */
static void
test_letters (Fixture       *f,
              gconstpointer  data)
{
  AssayItem *item = assay_session_get_item (f->session);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean left_not_a = FALSE, right_not_b = FALSE;
  guint n = 0;

  while (_assay_compare_view_get_pair (f->view, &(gint64) { 0 }, &(gint64) { 0 }))
    {
      g_autofree char *left = side_letter (f, FALSE);
      g_autofree char *right = side_letter (f, TRUE);
      g_autofree char *summary_left = g_strdup_printf ("Summary %s", left);
      g_autofree char *summary_right = g_strdup_printf ("Summary %s", right);
      g_autofree char *better_left = better (f, FALSE);
      g_autofree char *better_right = better (f, TRUE);
      g_autofree char *tip_left = g_strdup_printf ("%s is better (%s or ←)", left, left);
      g_autofree char *tip_right = g_strdup_printf ("%s is better (%s or →)", right, right);
      g_autofree char *stranger = NULL;
      gint64 a, b;
      guint before;

      g_assert_cmpstr (left, !=, right);
      left_not_a |= !g_str_equal (left, "A");
      right_not_b |= !g_str_equal (right, "B");
      g_hash_table_add (seen, g_strdup (left));
      g_hash_table_add (seen, g_strdup (right));

      /* The titles over the texts, the texts' names, the buttons. */
      g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), left));
      g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), right));
      g_assert_true (GTK_IS_TEXT_VIEW (get_named (f, summary_left)));
      g_assert_true (GTK_IS_TEXT_VIEW (get_named (f, summary_right)));
      g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (get_named (f, better_left))), ==,
                       better_left);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (get_named (f, better_left)), ==, tip_left);
      g_assert_cmpstr (gtk_widget_get_tooltip_text (get_named (f, better_right)), ==, tip_right);

      /* The letter of a candidate not on screen chooses nothing. */
      for (guint i = 0; i < item->candidates->len && stranger == NULL; i++)
        {
          AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, i);
          g_autofree char *letter =
            assay_item_candidate_letter (item, assay_session_get_blind (f->session),
                                         candidate->id);

          if (!g_str_equal (letter, left) && !g_str_equal (letter, right))
            stranger = g_ascii_strdown (letter, -1);
        }
      before = reload_count (f);
      g_assert_true (_assay_compare_view_get_pair (f->view, &a, &b));
      key (f, stranger);
      g_assert_cmpuint (reload_count (f), ==, before);

      /* Alternately the left and the right candidate's letter. */
      key_letter (f, n % 2 == 1);
      assert_stored (f, a, b, n % 2 == 1 ? ASSAY_WINNER_B : ASSAY_WINNER_A, NULL);
      n++;
    }
  g_assert_cmpuint (n, ==, 6);
  /* All four candidates were shown, and not as A and B alone. */
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4);
  g_assert_true (left_not_a);
  g_assert_true (right_not_b);
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
  g_autofree char *left = NULL;
  g_autofree char *right = NULL;
  gint64 first_a, first_b;

  g_assert_true (_assay_compare_view_get_pair (f->view, &first_a, &first_b));
  g_assert_true (assay_compare_view_choose (f->view, ASSAY_WINNER_A));
  gtk_editable_set_text (GTK_EDITABLE (get_named (f, "Comparison rationale")),
                         "B invents a revenue figure");
  gtk_window_set_focus (f->window, NULL);
  shoot (f, "compare-view-900x800");

  /* What the picture shows: the second pair, each side titled by its
   * candidate's letter, side by side, no choice made yet, no model named. */
  left = side_letter (f, FALSE);
  right = side_letter (f, TRUE);
  g_assert_cmpstr (progress (f), ==, "Pair 2 of 6");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), left));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), right));
  g_assert_false (side_chosen (f, FALSE));
  g_assert_false (side_chosen (f, TRUE));
  g_assert_cmpint (_assay_compare_view_get_layout (f->view), ==, GTK_ORIENTATION_HORIZONTAL);
  assert_no_model_names (f);

  gtk_window_set_default_size (f->window, 520, 700);
  assay_test_iterate (100);
  shoot (f, "compare-view-520x700");
  g_assert_cmpint (_assay_compare_view_get_layout (f->view), ==, GTK_ORIENTATION_VERTICAL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (get_named (f, "Comparison rationale"))),
                   ==, "B invents a revenue figure");

  for (guint i = 0; i < 5; i++)
    g_assert_true (assay_compare_view_choose (f->view, ASSAY_WINNER_TIE));
  shoot (f, "compare-view-done-520x700");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "All Pairs Compared"));
  g_assert_nonnull (assay_test_find_accessible (GTK_WIDGET (f->view), "Review Comparisons"));
  g_assert_null (progress (f));
  gtk_window_set_default_size (f->window, 900, 800);
  assay_test_iterate (100);
  shoot (f, "compare-view-done-900x800");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->view), "All Pairs Compared"));

  /* Reviewing: the stored choice is marked. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "compare.review", NULL));
  gtk_window_set_focus (f->window, NULL);
  shoot (f, "compare-view-review-900x800");
  g_assert_cmpstr (progress (f), ==, "Pair 1 of 6");
  assert_stored (f, first_a, first_b, ASSAY_WINNER_A, NULL);
  g_assert_true (side_chosen (f, FALSE));
  g_assert_false (side_chosen (f, TRUE));
  g_assert_false (is_chosen (f, "Same"));
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
  g_test_add ("/assay/ui/compare-view/" name, Fixture, NULL, \
              fixture_setup, func, fixture_teardown)
  ADD ("choose", test_choose);
  ADD ("review", test_review);
  ADD ("skip", test_skip);
  ADD ("narrow", test_narrow);
  ADD ("letters", test_letters);
  g_test_add ("/assay/ui/compare-view/letters-blind", Fixture, "blind",
              fixture_setup, test_letters, fixture_teardown);
  ADD ("screenshots", test_screenshots);
#undef ADD

  return g_test_run ();
}
