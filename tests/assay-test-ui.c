/* assay-test-ui.c: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>
#include <X11/XKBlib.h>
#include <X11/extensions/XTest.h>

#include "assay-application.h"
#include "assay-compare-view-private.h"
#include "assay-test-ui.h"
#include "assay-window-private.h"

/* GTK 4.8 sometimes paints a text view's scrollbar in the frame in which
 * the view's text changed, before the scrollbar is laid out again, and says
 * so. It is seen in the app as built from main too (switching candidates
 * while a toast shows), costs one frame of a scrollbar and nothing else, and
 * it is GTK's: that one warning is printed but does not fail a test. Every
 * other warning still does (G_DEBUG=fatal-warnings). */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         data)
{
  const char *domain = NULL, *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if ((level & G_LOG_LEVEL_WARNING) && g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
      g_str_has_prefix (message, "Trying to snapshot GtkGizmo ") &&
      g_str_has_suffix (message, " without a current allocation"))
    return g_log_writer_standard_streams (level & ~G_LOG_FLAG_FATAL, fields, n_fields, data);
  return g_log_writer_default (level, fields, n_fields, data);
}

void
assay_test_ui_init (int    *argc,
                    char ***argv)
{
  g_log_set_writer_func (log_writer, NULL, NULL);
  /* As main() does: project files are known by their names. */
  assay_application_prepare_environment ();
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  /* No cursor blink: GTK's blink timeout, firing in a text field after the
   * window lost the X focus to another test window or a popover, reports
   * "GtkText - did not receive a focus-out event", which is about the
   * harness, not the app. */
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE,
                NULL);

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
  assay_test_load_queue (session);
  return session;
}

static void
queue_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_queue_set_filter_finish (ASSAY_QUEUE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

static gboolean
window_opened (gpointer data)
{
  return !_assay_window_get_opening (data);
}

void
assay_test_wait_opened (AssayWindow *window)
{
  g_assert_true (assay_test_wait_for (window_opened, window, 20000));
}

void
assay_test_open (AssayWindow *window,
                 GFile       *file)
{
  assay_window_open (window, file);
  assay_test_wait_opened (window);
}

void
assay_test_load_queue (AssaySession *session)
{
  gboolean done = FALSE;

  assay_queue_reload_async (assay_session_get_queue (session), NULL, queue_loaded_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
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

static gboolean
only_one_ref (gpointer object)
{
  return g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1;
}

void
assay_test_finalize (gpointer object)
{
  g_assert_true (G_IS_OBJECT (object));
  assay_test_wait_for (only_one_ref, object, 2000);
  g_assert_finalize_object (object);
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
  /* A widget that has not drawn its first frame yet (a busy machine) gives
   * no node: it is given a few frames' time. */
  for (guint attempt = 0; attempt < 100 && node == NULL; attempt++)
    {
      if (attempt > 0)
        {
          assay_test_iterate (20);
          snapshot = gtk_snapshot_new ();
          width = gtk_widget_get_width (widget);
          height = gtk_widget_get_height (widget);
        }
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
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

void
assay_test_screenshot_light_and_dark (GtkWidget  *widget,
                                      const char *name)
{
  g_autofree char *light = g_strconcat (name, "-light", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);
  g_autofree char *p1 = NULL;
  g_autofree char *p2 = NULL;

  assay_test_iterate (100);
  p1 = assay_test_screenshot (widget, light);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  assay_test_iterate (100);
  p2 = assay_test_screenshot (widget, dark);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  assay_test_iterate (50);
  g_test_message ("screenshots: %s %s", p1, p2);
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

char *
assay_test_compare_letter (GtkWidget    *root,
                           AssaySession *session,
                           gboolean      right)
{
  GtkWidget *view = assay_test_find_type (root, ASSAY_TYPE_COMPARE_VIEW);
  gint64 a, b;

  g_assert_nonnull (view);
  g_assert_true (_assay_compare_view_get_pair (ASSAY_COMPARE_VIEW (view), &a, &b));
  return assay_session_candidate_letter (session, right ? b : a);
}

char *
assay_test_compare_button (GtkWidget    *root,
                           AssaySession *session,
                           gboolean      right)
{
  g_autofree char *letter = assay_test_compare_letter (root, session, right);

  return g_strdup_printf ("%s Is Better", letter);
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

/* ---- real key events ---- */

static Display *
x_display (GtkWindow *window)
{
  GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));

  if (!GDK_IS_X11_DISPLAY (display))
    g_error ("Key events need the X11 backend (GDK_BACKEND=x11)");
  return gdk_x11_display_get_xdisplay (display);
}

/* Lets GTK read and dispatch what the X server has sent so far. */
static void
drain (Display *xd)
{
  XSync (xd, False);
  for (int quiet = 0; quiet < 3;)
    {
      if (g_main_context_iteration (NULL, FALSE))
        quiet = 0;
      else
        {
          quiet++;
          g_usleep (2000);
        }
    }
}

static void
painted_cb (GdkFrameClock *clock,
            gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits for the window to lay out and paint what the last event changed, as
 * it would before the next key of a person. */
static void
wait_for_frame (GtkWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gboolean painted = FALSE;
  gulong id;

  if (clock == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return;
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
  assay_test_wait_for (is_true, &painted, 500);
  g_signal_handler_disconnect (clock, id);
}

static gboolean
window_active (gpointer data)
{
  return gtk_window_is_active (data);
}

void
assay_test_focus_window (GtkWindow *window)
{
  Display *xd = x_display (window);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));

  g_assert_nonnull (surface);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (window)));
  if (!gtk_window_is_active (window))
    {
      XSetInputFocus (xd, gdk_x11_surface_get_xid (surface), RevertToParent, CurrentTime);
      drain (xd);
      if (!assay_test_wait_for (window_active, window, 2000))
        g_error ("The window did not get the keyboard focus");
    }
}

static KeyCode
keycode_for (Display *xd,
             guint    keyval,
             gboolean *shift)
{
  KeyCode code = XKeysymToKeycode (xd, (KeySym) keyval);

  if (code == 0)
    g_error ("No key on this keyboard types %s", gdk_keyval_name (keyval));
  /* The symbol on the shifted level of the key needs Shift. */
  *shift = XkbKeycodeToKeysym (xd, code, 0, 0) != (KeySym) keyval &&
           XkbKeycodeToKeysym (xd, code, 0, 1) == (KeySym) keyval;
  return code;
}

static void
fake_key (Display *xd,
          KeyCode  code,
          gboolean press)
{
  XTestFakeKeyEvent (xd, code, press, CurrentTime);
}

static void
press_keyval (GtkWindow       *window,
              guint            keyval,
              GdkModifierType  mods,
              gboolean         wait)
{
  Display *xd = x_display (window);
  gboolean shift = FALSE;
  KeyCode code = keycode_for (xd, keyval, &shift);
  KeyCode modifiers[3];
  guint n = 0;

  if (mods & GDK_CONTROL_MASK)
    modifiers[n++] = XKeysymToKeycode (xd, XK_Control_L);
  if (mods & GDK_ALT_MASK)
    modifiers[n++] = XKeysymToKeycode (xd, XK_Alt_L);
  if ((mods & GDK_SHIFT_MASK) || shift)
    modifiers[n++] = XKeysymToKeycode (xd, XK_Shift_L);

  /* The key may close the window (Ctrl+Q, Ctrl+W). */
  g_object_ref (window);
  assay_test_focus_window (window);
  for (guint i = 0; i < n; i++)
    fake_key (xd, modifiers[i], TRUE);
  fake_key (xd, code, TRUE);
  fake_key (xd, code, FALSE);
  for (guint i = n; i > 0; i--)
    fake_key (xd, modifiers[i - 1], FALSE);
  drain (xd);
  if (wait)
    wait_for_frame (window);
  g_object_unref (window);
}

void
assay_test_press (GtkWindow  *window,
                  const char *accelerator)
{
  guint keyval = 0;
  GdkModifierType mods = 0;

  if (!gtk_accelerator_parse (accelerator, &keyval, &mods) || keyval == 0)
    g_error ("Not a key: “%s”", accelerator);
  press_keyval (window, keyval, mods, TRUE);
}

void
assay_test_type (GtkWindow  *window,
                 const char *text)
{
  /* Typing is faster than the screen; the screen catches up at the end. */
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    press_keyval (window, gdk_unicode_to_keyval (g_utf8_get_char (p)), 0, FALSE);
  wait_for_frame (window);
}

void
assay_test_click_at (GtkWidget *widget,
                     double     x,
                     double     y)
{
  GtkWindow *window = GTK_WINDOW (gtk_widget_get_root (widget));
  Display *xd = x_display (window);
  /* A popover is a surface of its own. */
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSurface *surface = gtk_native_get_surface (native);
  graphene_point_t point;
  double dx, dy;
  int rx, ry;
  Window child;

  assay_test_focus_window (window);
  /* Scrolled out of sight, the point is first brought into view, as the
   * expert would scroll to it. */
  for (int attempt = 0; attempt < 10; attempt++)
    {
      gboolean moved = FALSE;

      for (GtkWidget *w = gtk_widget_get_parent (widget); w != NULL; w = gtk_widget_get_parent (w))
        {
          GtkAdjustment *adjustment;
          double height;

          if (!GTK_IS_SCROLLED_WINDOW (w))
            continue;
          g_assert_true (gtk_widget_compute_point (widget, w, &GRAPHENE_POINT_INIT (x, y),
                                                   &point));
          height = gtk_widget_get_height (w);
          if (point.y >= 4 && point.y <= height - 4)
            continue;
          adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));
          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + point.y -
                                                height / 2);
          moved = TRUE;
        }
      if (!moved)
        break;
      assay_test_iterate (50);
    }
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  g_assert_true (point.x >= 0 && point.y >= 0 &&
                 point.x < gtk_widget_get_width (GTK_WIDGET (native)) &&
                 point.y < gtk_widget_get_height (GTK_WIDGET (native)));
  gtk_native_get_surface_transform (native, &dx, &dy);
  XTranslateCoordinates (xd, gdk_x11_surface_get_xid (surface),
                         DefaultRootWindow (xd), (int) (point.x + dx), (int) (point.y + dy),
                         &rx, &ry, &child);
  XTestFakeMotionEvent (xd, -1, rx, ry, CurrentTime);
  drain (xd);
  /* GTK handles the press while the button is still down, as with a hand
   * on the mouse. */
  XTestFakeButtonEvent (xd, 1, True, CurrentTime);
  drain (xd);
  XTestFakeButtonEvent (xd, 1, False, CurrentTime);
  drain (xd);
  wait_for_frame (window);
}

static const char *
find_toast (GtkWidget  *widget,
            const char *prefix,
            gboolean    in_toast)
{
  in_toast = in_toast || g_strcmp0 (gtk_widget_get_css_name (widget), "toast") == 0;
  if (in_toast && GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      g_str_has_prefix (gtk_label_get_text (GTK_LABEL (widget)), prefix))
    return gtk_label_get_text (GTK_LABEL (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *found = find_toast (child, prefix, in_toast);

      if (found != NULL)
        return found;
    }
  return NULL;
}

const char *
assay_test_find_toast (GtkWidget  *root,
                       const char *prefix)
{
  return find_toast (root, prefix, FALSE);
}

/* ---- what widgets say a key did ---- */

static void
announce_cb (GSimpleAction *action,
             GVariant      *param,
             gpointer       window)
{
  g_object_set_data_full (G_OBJECT (window), "assay-test-announcement",
                          g_variant_dup_string (param, NULL), g_free);
}

void
assay_test_catch_announcements (GtkWindow *window)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("announce", G_VARIANT_TYPE_STRING);

  g_signal_connect (action, "activate", G_CALLBACK (announce_cb), window);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (GTK_WIDGET (window), "win", G_ACTION_GROUP (group));
}

const char *
assay_test_last_announcement (GtkWindow *window)
{
  return g_object_get_data (G_OBJECT (window), "assay-test-announcement");
}

void
assay_test_clear_announcement (GtkWindow *window)
{
  g_object_set_data (G_OBJECT (window), "assay-test-announcement", NULL);
}
