/* test-keys.c: the workbench driven by real key events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <malloc.h>

#include "assay-application.h"
#include "assay-test-ui.h"
#include "assay-window.h"

typedef struct
{
  char        *path;
  AssayWindow *window;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GFile) file = NULL;

  f->path = assay_test_copy_demo ();
  f->window = g_object_new (ASSAY_TYPE_WINDOW, NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1300, 820);
  gtk_window_present (GTK_WINDOW (f->window));
  file = g_file_new_for_path (f->path);
  assay_window_open (f->window, file);
  assay_test_iterate (200);
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

static void
test_sanity (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *entry = assay_test_find_accessible (GTK_WIDGET (f->window), "Faithfulness rationale");

  gtk_widget_grab_focus (entry);
  assay_test_type (GTK_WINDOW (f->window), "Hello World 42 !");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Hello World 42 !");
  assay_test_press (GTK_WINDOW (f->window), "<Control>a");
  assay_test_press (GTK_WINDOW (f->window), "BackSpace");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

/* The item as a fresh reader of the file sees it. */
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

/* The stored score of a candidate (by import position) on a criterion,
 * or 0 when it has none. */
static int
score_of (const char *path,
          AssayItem  *item,
          guint       index,
          const char *criterion)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, &error);
  AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, index);
  AssayItemScore *score;

  g_assert_no_error (error);
  score = g_hash_table_lookup (candidate->scores,
                               &assay_template_find_criterion (tmpl, criterion)->id);
  return score != NULL ? score->value : 0;
}

/* Ctrl+Q while a score button has the keyboard focus: the window goes
 * away with the focus still in the rubric, and nothing may touch the rows
 * the rubric has already let go of (this crashed 3 times in 4). */
static void
test_quit_with_score_focus (void)
{
  g_autofree char *path = assay_test_copy_demo ();
  g_autoptr(AssayApplication) app = assay_application_new ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) stored = NULL;
  AssayWindow *window;
  GtkWidget *button;

  /* No bus name: the test is not the app a user may have running. */
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  window = g_object_new (ASSAY_TYPE_WINDOW, "application", app, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1300, 820);
  gtk_window_present (GTK_WINDOW (window));
  assay_window_open (window, file);
  assay_test_iterate (200);

  button = assay_test_find_accessible (GTK_WIDGET (window), "Faithfulness 1");
  g_assert_nonnull (button);
  gtk_widget_grab_focus (button);
  assay_test_press (GTK_WINDOW (window), "4");
  button = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_TOGGLE_BUTTON (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "4");

  assay_test_press (GTK_WINDOW (window), "<Control>q");
  assay_test_iterate (300);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  stored = stored_item (path, "podcast-small-margins-84");
  g_assert_cmpint (score_of (path, stored, 0, "faithfulness"), ==, 4);
  assay_test_remove_copy (path);
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
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/assay/ui/keys/sanity", test_sanity);
  g_test_add_func ("/assay/ui/keys/quit-with-score-focus", test_quit_with_score_focus);

  return g_test_run ();
}
