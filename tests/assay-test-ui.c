/* assay-test-ui.c: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-application.h"
#include "assay-test-ui.h"

void
assay_test_ui_init (int    *argc,
                    char ***argv)
{
  /* As main() does: project files are known by their names. */
  assay_application_prepare_environment ();
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  /* The window asks who is judging until someone has said; the suites judge
   * as the account's user, under a name of their own (the tests of that
   * question empty these first). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_string (settings, "annotator-id", g_get_user_name ());
    g_settings_set_string (settings, "annotator-name", "Test Reviewer");
  }

  /* What AdwApplication does for the app from its resource base path: the
   * style sheet and the icons, so widgets look in tests as they do in use. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/assaylab/Assay/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                      "/io/github/assaylab/Assay/icons");
  }
}

char *
assay_test_copy_demo (void)
{
  const char *demo = g_getenv ("ASSAY_DEMO_PROJECT");
  g_autofree char *dir = g_dir_make_tmp ("assay-ui-XXXXXX", NULL);
  g_autofree char *contents = NULL;
  char *path;
  gsize len;

  g_assert_nonnull (demo);
  g_assert_nonnull (dir);
  g_assert_true (g_file_get_contents (demo, &contents, &len, NULL));
  path = g_build_filename (dir, "demo.assay", NULL);
  g_assert_true (g_file_set_contents (path, contents, len, NULL));
  return path;
}

void
assay_test_remove_copy (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (dir, name, NULL);
      g_unlink (child);
    }
  g_rmdir (dir);
}

AssaySession *
assay_test_session (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  AssaySession *session;

  g_assert_no_error (error);
  session = assay_session_new (project, "tester", "Test Reviewer", &error);
  g_assert_no_error (error);
  return session;
}

GtkWindow *
assay_test_window (GtkWidget *child,
                   int        width,
                   int        height)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, width, height);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  assay_test_iterate (50);
  return window;
}

static gboolean
quit_loop (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
assay_test_iterate (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, quit_loop, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

gboolean
assay_test_wait_for (gboolean (*cond) (gpointer data),
                     gpointer   data,
                     guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return cond (data);
}

char *
assay_test_screenshot (GtkWidget  *widget,
                       const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer;
  const char *dir = g_getenv ("ASSAY_SCREENSHOT_DIR");
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  char *path;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (dir == NULL)
    dir = g_getenv ("G_TEST_BUILDDIR");
  if (dir == NULL)
    dir = ".";
  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  return path;
}

static gboolean
matches (GtkWidget  *widget,
         const char *label)
{
  const char *text = NULL;

  if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  if (text != NULL && g_strcmp0 (text, label) == 0)
    return TRUE;
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), label) == 0)
    return TRUE;
  text = gtk_widget_get_tooltip_text (widget);
  return g_strcmp0 (text, label) == 0;
}

GtkWidget *
assay_test_find_labelled (GtkWidget  *root,
                          const char *label)
{
  if (matches (root, label))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = assay_test_find_labelled (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
assay_test_find_type (GtkWidget *root,
                      GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = assay_test_find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

GtkWidget *
assay_test_find_accessible (GtkWidget  *root,
                            const char *label)
{
  g_autofree char *mismatch = NULL;

  /* Only what is on screen: a hidden page's widgets are not mapped. */
  if (gtk_widget_get_mapped (root))
    {
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      found = assay_test_find_accessible (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

void
assay_test_click (GtkWidget  *root,
                  const char *label)
{
  GtkWidget *widget = assay_test_find_accessible (root, label);

  if (widget == NULL)
    widget = assay_test_find_labelled (root, label);
  if (widget == NULL)
    g_error ("no control named “%s”", label);
  if (GTK_IS_TOGGLE_BUTTON (widget))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (widget),
                                  !gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (widget)));
  else if (GTK_IS_BUTTON (widget))
    g_signal_emit_by_name (widget, "clicked");
  else
    gtk_widget_activate (widget);
  assay_test_iterate (20);
}
