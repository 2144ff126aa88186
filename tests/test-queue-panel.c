/* test-queue-panel.c: the sidebar over the review queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-queue-panel.h"
#include "assay-stats.h"
#include "assay-queue-panel-private.h"
#include "assay-queue-row-widget.h"
#include "assay-test-ui.h"

typedef struct
{
  char            *path;
  AssaySession    *session;
  AssayQueuePanel *panel;
  GtkWindow       *window;
} Fixture;

static void
load_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded)
    return;
  loaded = TRUE;
  /* Without an application the style sheet is not loaded by itself. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/assaylab/Assay/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
fixture_open (Fixture    *f,
              const char *path)
{
  load_style ();
  f->session = assay_test_session (path);
  f->panel = g_object_new (ASSAY_TYPE_QUEUE_PANEL, NULL);
  f->window = assay_test_window (GTK_WIDGET (f->panel), 320, 760);
  assay_queue_panel_set_session (f->panel, f->session);
  assay_test_iterate (100);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->path = assay_test_copy_demo ();
  fixture_open (f, f->path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  gtk_window_destroy (f->window);
  g_clear_object (&f->session);
  assay_test_iterate (10);
  assay_test_remove_copy (f->path);
  g_free (f->path);
}

static GListModel *
queue (Fixture *f)
{
  return G_LIST_MODEL (assay_session_get_queue (f->session));
}

static GtkWidget *
find_child (GtkWidget  *root,
            const char *name)
{
  GtkWidget *found = NULL;

  /* Template children are reached through the accessibility names the
   * expert's screen reader also uses. */
  found = assay_test_find_labelled (root, name);
  g_assert_nonnull (found);
  return found;
}

static GtkWidget *
find_child_or_null (GtkWidget  *root,
                    const char *name)
{
  GtkWidget *found = assay_test_find_labelled (root, name);

  return found != NULL && gtk_widget_get_mapped (found) ? found : NULL;
}

/* The status page of the panel, and whether it is the one on show. */
static AdwStatusPage *
empty_page (Fixture *f)
{
  GtkStack *stack = NULL;

  /* The panel's own stack, not one inside a drop-down. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (f->panel)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_STACK (child))
      stack = GTK_STACK (child);
  g_assert_nonnull (stack);
  if (g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") != 0)
    return NULL;
  return ADW_STATUS_PAGE (gtk_stack_get_visible_child (stack));
}

static GtkSearchEntry *
search_entry (Fixture *f)
{
  return GTK_SEARCH_ENTRY (assay_test_find_type (GTK_WIDGET (f->panel), GTK_TYPE_SEARCH_ENTRY));
}

/* The filters have no tooltip (it would cover their first entry): they are
 * found by their accessible names. */
static GtkDropDown *
dropdown_named (Fixture    *f,
                const char *name)
{
  GtkWidget *found = assay_test_find_accessible (GTK_WIDGET (f->panel), name);

  g_assert_true (GTK_IS_DROP_DOWN (found));
  return GTK_DROP_DOWN (found);
}

static GtkDropDown *
status_dropdown (Fixture *f)
{
  return dropdown_named (f, "Status filter");
}

static GtkDropDown *
model_dropdown (Fixture *f)
{
  return dropdown_named (f, "Model filter");
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_n_items (gpointer data)
{
  CountWait *w = data;

  return g_list_model_get_n_items (w->model) == w->n;
}

static void
wait_for_n_items (Fixture *f,
                  guint    n)
{
  CountWait w = { queue (f), n };

  /* The search waits for a typing pause before it runs. */
  assay_test_wait_for (has_n_items, &w, 2000);
  g_assert_cmpuint (g_list_model_get_n_items (queue (f)), ==, n);
}

/* The label of a row on screen showing `title`, if any. */
static GtkWidget *
row_label (Fixture    *f,
           const char *title)
{
  GtkWidget *list = GTK_WIDGET (_assay_queue_panel_get_list (f->panel));

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *label = assay_test_find_labelled (row, title);

      if (label != NULL && GTK_IS_LABEL (label) && gtk_widget_get_mapped (label))
        return label;
    }
  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *title;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *w = data;

  return row_label (w->f, w->title) != NULL;
}

/* Scrolling takes a frame or two, more on a busy machine. */
static void
wait_for_row (Fixture    *f,
              const char *title)
{
  RowWait w = { f, title };

  g_assert_true (assay_test_wait_for (row_shown, &w, 3000));
}

/* The row widget around a row's label. */
static GtkWidget *
row_of (GtkWidget *label)
{
  return gtk_widget_get_parent (gtk_widget_get_parent (label));
}

static const char *
progress_text (Fixture *f)
{
  GtkWidget *bar = assay_test_find_type (GTK_WIDGET (f->panel), GTK_TYPE_PROGRESS_BAR);
  GtkWidget *box = gtk_widget_get_prev_sibling (bar);
  GtkWidget *label = gtk_widget_get_first_child (box);

  return gtk_label_get_text (GTK_LABEL (label));
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

/* Returns right after the window painted a frame, so that the screenshot
 * shows what is laid out. */
static void
wait_painted (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  gboolean painted = FALSE;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (painted_cb), &painted);
  gtk_widget_queue_draw (window);
  g_assert_true (assay_test_wait_for (is_true, &painted, 2000));
  g_signal_handler_disconnect (clock, id);
}

static void
screenshot_both (Fixture    *f,
                 const char *name)
{
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);

  assay_test_iterate (100);
  wait_painted (GTK_WIDGET (f->window));
  light = assay_test_screenshot (GTK_WIDGET (f->window), name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  assay_test_iterate (150);
  wait_painted (GTK_WIDGET (f->window));
  dark = assay_test_screenshot (GTK_WIDGET (f->window), dark_name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  assay_test_iterate (50);
  g_test_message ("screenshots: %s %s", light, dark);
}

static void
test_rows (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(AssayQueueRow) first = g_list_model_get_item (queue (f), 0);
  GtkWidget *label;
  g_autofree char *name = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (queue (f)), ==, 6);
  g_assert_null (empty_page (f));

  /* Every row is on screen in a 760 px tall sidebar, with its caption. */
  label = row_label (f, assay_queue_row_get_title (first));
  g_assert_nonnull (label);
  g_assert_nonnull (row_label (f, "4 summaries"));
  g_assert_nonnull (row_label (f, "3 summaries"));
  g_assert_cmpuint (_assay_queue_panel_get_n_binds (f->panel), >=, 6);

  /* The row says its title and status to a screen reader. */
  name = g_strdup_printf ("%s — %s", assay_queue_row_get_title (first),
                          assay_status_get_label (ASSAY_STATUS_TODO));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row_of (label)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, name);

  g_assert_cmpstr (progress_text (f), ==, "0 of 6 done");
  screenshot_both (f, "queue-panel");
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  GtkSearchEntry *entry = search_entry (f);
  g_autoptr(AssayQueueRow) row = NULL;

  gtk_editable_set_text (GTK_EDITABLE (entry), "penicillin");
  wait_for_n_items (f, 1);
  row = g_list_model_get_item (queue (f), 0);
  g_assert_cmpstr (assay_queue_row_get_ext_id (row), ==, "consult-2291");
  assay_test_iterate (100);
  g_assert_nonnull (row_label (f, assay_queue_row_get_title (row)));
  g_assert_null (empty_page (f));
  screenshot_both (f, "queue-panel-search");

  /* Prefix search as one types, and across summaries. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "compress");
  wait_for_n_items (f, 1);

  /* Escape clears the search. */
  g_signal_emit_by_name (entry, "stop-search");
  wait_for_n_items (f, 6);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

static void
test_status_filter (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayQueueRow) row = NULL;
  g_autoptr(AssayQueueRow) done = NULL;
  g_autofree char *name = NULL;
  GtkWidget *label;
  GtkWidget *row_widget;
  GtkWidget *icon;
  guint binds;
  gint64 id;

  row = g_list_model_get_item (queue (f), 3);
  id = assay_queue_row_get_source_id (row);
  assay_session_load_item (f->session, id, &error);
  g_assert_no_error (error);
  assay_test_iterate (50);
  label = row_label (f, assay_queue_row_get_title (row));
  g_assert_nonnull (label);
  row_widget = row_of (label);
  g_assert_true (ASSAY_IS_QUEUE_ROW_WIDGET (row_widget));
  g_assert_true (assay_queue_row_widget_get_item (ASSAY_QUEUE_ROW_WIDGET (row_widget)) == row);
  binds = _assay_queue_panel_get_n_binds (f->panel);

  assay_session_set_status (f->session, ASSAY_STATUS_DONE, &error);
  g_assert_no_error (error);
  assay_test_iterate (50);

  /* The footer follows, and the row shows its new status: the row object
   * changed in place and its widget with it, the list bound nothing anew. */
  g_assert_cmpstr (progress_text (f), ==, "1 of 6 done");
  g_assert_cmpint (assay_queue_row_get_status (row), ==, ASSAY_STATUS_DONE);
  label = row_label (f, assay_queue_row_get_title (row));
  g_assert_nonnull (label);
  g_assert_true (row_of (label) == row_widget);
  g_assert_cmpuint (_assay_queue_panel_get_n_binds (f->panel), ==, binds);
  icon = gtk_widget_get_first_child (row_widget);
  g_assert_true (gtk_widget_has_css_class (icon, "status-done"));
  g_assert_false (gtk_widget_has_css_class (icon, "status-todo"));
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "emblem-ok-symbolic");
  name = g_strdup_printf ("%s — %s", assay_queue_row_get_title (row),
                          assay_status_get_label (ASSAY_STATUS_DONE));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row_of (label)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, name);
  /* The item on screen stays selected through the change. */
  g_assert_cmpuint (gtk_single_selection_get_selected (
                      GTK_SINGLE_SELECTION (gtk_list_view_get_model (
                        _assay_queue_panel_get_list (f->panel)))), ==, 3);

  gtk_drop_down_set_selected (status_dropdown (f), ASSAY_STATUS_DONE + 1);
  wait_for_n_items (f, 1);
  done = g_list_model_get_item (queue (f), 0);
  g_assert_cmpint (assay_queue_row_get_source_id (done), ==, id);
  g_assert_cmpint (assay_queue_get_status_filter (assay_session_get_queue (f->session)), ==,
                   ASSAY_STATUS_DONE);
  g_assert_cmpint (gtk_single_selection_get_selected (
                     GTK_SINGLE_SELECTION (gtk_list_view_get_model (
                       _assay_queue_panel_get_list (f->panel)))), ==, 0);
  screenshot_both (f, "queue-panel-done");

  /* A filter with nothing in it. */
  gtk_drop_down_set_selected (status_dropdown (f), ASSAY_STATUS_FLAGGED + 1);
  wait_for_n_items (f, 0);
  g_assert_nonnull (empty_page (f));
  g_assert_cmpstr (adw_status_page_get_title (empty_page (f)), ==, "No Matching Items");
  screenshot_both (f, "queue-panel-no-matching");

  /* The model filter: brevity-2 summarized five of the six. */
  gtk_drop_down_set_selected (status_dropdown (f), 0);
  {
    GtkDropDown *models = model_dropdown (f);
    GListModel *names = gtk_drop_down_get_model (models);
    guint n = g_list_model_get_n_items (names);
    guint brevity = 0;

    g_assert_cmpuint (n, ==, 5);
    for (guint i = 0; i < n; i++)
      if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "brevity-2") == 0)
        brevity = i;
    g_assert_cmpuint (brevity, >, 0);
    gtk_drop_down_set_selected (models, brevity);
    wait_for_n_items (f, 5);
    g_assert_cmpstr (assay_queue_get_model_filter (assay_session_get_queue (f->session)), ==,
                     "brevity-2");
  }
}

static void
activated_cb (AssayQueuePanel *panel,
              gint64           source_id,
              gint64          *out)
{
  *out = source_id;
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_activate (Fixture       *f,
               gconstpointer  data)
{
  GtkListView *list = _assay_queue_panel_get_list (f->panel);
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (list));
  AssayQueue *q = assay_session_get_queue (f->session);
  gint64 activated = 0;

  g_signal_connect (f->panel, "source-activated", G_CALLBACK (activated_cb), &activated);

  gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", 2);
  g_assert_cmpint (activated, ==, assay_queue_get_source_id (q, 2));

  activated = 0;
  gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", 4);
  g_assert_cmpint (activated, ==, assay_queue_get_source_id (q, 4));

  /* A click on a row opens it; the double click's second activation of
   * the same row is not another one. */
  {
    g_autoptr(AssayQueueRow) row = g_list_model_get_item (queue (f), 0);
    GtkWidget *label = row_label (f, assay_queue_row_get_title (row));
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (row_of (label));
    GtkGesture *click = NULL;
    guint n_activations = 0;

    for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
      {
        g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

        if (GTK_IS_GESTURE_CLICK (controller))
          click = GTK_GESTURE (controller);
      }
    g_assert_nonnull (click);
    g_signal_connect_swapped (f->panel, "source-activated", G_CALLBACK (count_cb), &n_activations);
    activated = 0;
    g_signal_emit_by_name (click, "released", 1, 5.0, 5.0);
    g_assert_cmpint (activated, ==, assay_queue_row_get_source_id (row));
    gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", 0);
    g_assert_cmpuint (n_activations, ==, 1);
    g_signal_handlers_disconnect_by_func (f->panel, count_cb, &n_activations);
  }

  /* select_source marks the row without activating it. */
  activated = 0;
  assay_queue_panel_select_source (f->panel, assay_queue_get_source_id (q, 5));
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 5);
  g_assert_cmpint (activated, ==, 0);

  /* Loading an item in the session selects its row. */
  assay_session_load_item (f->session, assay_queue_get_source_id (q, 1), NULL);
  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 1);

  /* Ctrl+K's target. */
  assay_queue_panel_focus_search (f->panel);
  assay_test_iterate (20);
  g_assert_true (gtk_widget_is_focus (GTK_WIDGET (search_entry (f))) ||
                 gtk_widget_has_focus (gtk_window_get_focus (f->window)));
  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (f->window),
                                         GTK_WIDGET (search_entry (f))));

  /* Enter in the search opens the first result. */
  activated = 0;
  gtk_editable_set_text (GTK_EDITABLE (search_entry (f)), "penicillin");
  g_signal_emit_by_name (search_entry (f), "activate");
  /* Once the search, which runs in a worker, has answered. */
  for (guint i = 0; i < 200 && activated == 0; i++)
    assay_test_iterate (10);
  g_assert_cmpint (activated, ==,
                   assay_project_lookup_source (assay_session_get_project (f->session),
                                                "consult-2291"));
}

/* What the window does after an import: the import on a connection of its
 * own, then a reload of the session's queue. */
static void
import_one (Fixture    *f,
            const char *id,
            const char *model)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) other = assay_project_open (f->path, &error);
  g_autoptr(AssayImport) import = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_no_error (error);
  line = g_strdup_printf ("{\"id\": \"%s\", \"title\": \"Title of %s\", \"text\": \"Some text.\","
                          " \"candidates\": [{\"model\": \"%s\", \"text\": \"Text.\"}]}\n",
                          id, id, model);
  bytes = g_bytes_new (line, strlen (line));
  import = assay_import_new (other);
  assay_import_add_bytes (import, "one.jsonl", bytes, ASSAY_FORMAT_JSONL);
  assay_import_run (import, NULL, &error);
  g_assert_no_error (error);
  assay_queue_reload (assay_session_get_queue (f->session));
}

static void
test_reload (Fixture       *f,
             gconstpointer  data)
{
  import_one (f, "call-7001", "zephyr-1");
  wait_for_n_items (f, 7);
  g_assert_cmpstr (progress_text (f), ==, "0 of 7 done");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (model_dropdown (f))),
                    ==, 6);
}

static gboolean
queue_settled (gpointer data)
{
  AssayQueue *q = data;

  return !assay_queue_get_busy (q);
}

/* The order's drop-down puts the list in the core's informative order,
 * worked out in a worker, and back in import order. */
static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  AssayQueue *q = assay_session_get_queue (f->session);
  GtkDropDown *order = dropdown_named (f, "Order");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) expected = NULL;
  guint n = g_list_model_get_n_items (queue (f));

  g_assert_true (order == _assay_queue_panel_get_order_choice (f->panel));
  g_assert_cmpuint (gtk_drop_down_get_selected (order), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (order)), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (order)),
                                               1), ==, "Most informative first");

  expected = assay_stats_informative_order_for_project (assay_session_get_project (f->session),
                                                        0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, ==, n);
  /* not the import order, or the test would show nothing */
  {
    gboolean ascending = TRUE;

    for (guint i = 1; i < n; i++)
      ascending = ascending && g_array_index (expected, gint64, i - 1) <
                               g_array_index (expected, gint64, i);
    g_assert_false (ascending);
  }

  gtk_drop_down_set_selected (order, 1);
  g_assert_cmpint (assay_queue_get_order (q), ==, ASSAY_QUEUE_ORDER_INFORMATIVE);
  g_assert_true (assay_test_wait_for (queue_settled, q, 5000));
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (assay_queue_get_source_id (q, i), ==, g_array_index (expected, gint64, i));

  gtk_drop_down_set_selected (order, 0);
  g_assert_true (assay_test_wait_for (queue_settled, q, 5000));
  g_assert_cmpint (assay_queue_get_order (q), ==, ASSAY_QUEUE_ORDER_IMPORTED);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (assay_queue_get_source_id (q, i - 1), <, assay_queue_get_source_id (q, i));
}

static void
import_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       data)
{
  (*(int *) data)++;
}

static void
test_empty_project (void)
{
  Fixture f = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("assay-ui-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) import = g_simple_action_new ("import", NULL);
  AdwStatusPage *page;
  GtkWidget *button;
  int imported = 0;

  f.path = g_build_filename (dir, "empty.assay", NULL);
  project = assay_project_create (f.path, &error);
  g_assert_no_error (error);
  g_clear_object (&project);

  fixture_open (&f, f.path);
  g_signal_connect (import, "activate", G_CALLBACK (import_activated), &imported);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (import));
  gtk_widget_insert_action_group (GTK_WIDGET (f.window), "win", G_ACTION_GROUP (group));
  assay_test_iterate (50);

  page = empty_page (&f);
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Items Yet");
  button = find_child (GTK_WIDGET (page), "Import…");
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_null (find_child_or_null (GTK_WIDGET (page), "Clear Filters"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.import");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (imported, ==, 1);
  screenshot_both (&f, "queue-panel-empty-project");

  /* After an import the window reloads the queue: the list, its new model
   * and the progress appear. */
  import_one (&f, "first-call", "zephyr-1");
  wait_for_n_items (&f, 1);
  assay_test_iterate (50);
  g_assert_null (empty_page (&f));
  g_assert_nonnull (row_label (&f, "Title of first-call"));
  g_assert_cmpstr (progress_text (&f), ==, "0 of 1 done");
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (model_dropdown (&f))),
                    ==, 2);

  fixture_teardown (&f, NULL);
}

static void
test_no_results (Fixture       *f,
                 gconstpointer  data)
{
  AdwStatusPage *page;
  GtkWidget *button;

  gtk_editable_set_text (GTK_EDITABLE (search_entry (f)), "xylophone");
  wait_for_n_items (f, 0);
  assay_test_iterate (50);
  page = empty_page (f);
  g_assert_nonnull (page);
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Results");
  g_assert_cmpstr (adw_status_page_get_description (page), ==,
                   "Try different words or clear the filters");
  screenshot_both (f, "queue-panel-no-results");

  button = find_child (GTK_WIDGET (page), "Clear Filters");
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_null (find_child_or_null (GTK_WIDGET (page), "Import…"));
  g_signal_emit_by_name (button, "clicked");
  wait_for_n_items (f, 6);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search_entry (f))), ==, "");
  assay_test_iterate (50);
  g_assert_null (empty_page (f));
}

/* ---- loading ---- */

static const char *
stack_page (AssayQueuePanel *panel)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (panel)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_STACK (child))
      return gtk_stack_get_visible_child_name (GTK_STACK (child));
  g_assert_not_reached ();
}

/* A session's queue starts empty: the panel says it is reading the items
 * until the queue has them, then lists them; the item the session shows
 * meanwhile is selected once its row is there. */
static void
test_loading (void)
{
  Fixture f = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  GtkWidget *spinner;
  AssayQueuePanel *panel;
  gint64 third;

  load_style ();
  f.path = assay_test_copy_demo ();
  project = assay_project_open (f.path, &error);
  g_assert_no_error (error);
  f.session = assay_session_new (project, "tester", "Test Reviewer", &error);
  g_assert_no_error (error);
  f.panel = g_object_new (ASSAY_TYPE_QUEUE_PANEL, NULL);
  f.window = assay_test_window (GTK_WIDGET (f.panel), 320, 600);
  assay_queue_panel_set_session (f.panel, f.session);
  assay_test_iterate (100);

  g_assert_false (assay_queue_get_loaded (assay_session_get_queue (f.session)));
  g_assert_cmpstr (stack_page (f.panel), ==, "loading");
  spinner = assay_test_find_accessible (GTK_WIDGET (f.panel), "Reading the items");
  g_assert_true (GTK_IS_SPINNER (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_null (empty_page (&f));
  /* No progress and no filters before there is anything to count. */
  g_assert_false (gtk_widget_get_mapped (assay_test_find_type (GTK_WIDGET (f.panel),
                                                               GTK_TYPE_PROGRESS_BAR)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (search_entry (&f))));
  screenshot_both (&f, "queue-panel-loading");

  /* The session shows an item before the queue is read. */
  third = assay_project_lookup_source (project, "consult-2291");
  g_assert_cmpint (third, !=, 0);
  g_assert_true (assay_session_load_item (f.session, third, &error));
  g_assert_no_error (error);

  assay_test_load_queue (f.session);
  assay_test_iterate (100);
  g_assert_cmpstr (stack_page (f.panel), ==, "list");
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (search_entry (&f))));
  g_assert_cmpstr (progress_text (&f), ==, "0 of 6 done");
  g_assert_cmpuint (gtk_single_selection_get_selected (
                      GTK_SINGLE_SELECTION (gtk_list_view_get_model (
                        _assay_queue_panel_get_list (f.panel)))), ==,
                    assay_queue_find (assay_session_get_queue (f.session), third));
  /* The model filter lists what the queue read with its ids. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (model_dropdown (&f))),
                    ==, 5);

  /* Nothing holds the panel once its window is gone. */
  panel = g_object_ref (f.panel);
  f.panel = NULL;
  gtk_window_destroy (f.window);
  assay_test_iterate (10);
  g_assert_finalize_object (panel);
  g_clear_object (&f.session);
  g_clear_object (&project);
  assay_test_remove_copy (f.path);
  g_free (f.path);
}

/* ---- a big project ---- */

static gboolean
has_binds (gpointer data)
{
  return _assay_queue_panel_get_n_binds (data) > 0;
}

static void
test_large (void)
{
  Fixture f = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("assay-ui-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  const guint n = 100000;
  gint64 start;
  double import_s, open_s, first_row_ms, scroll_ms;
  guint binds_first, binds_after;
  AssayQueue *q;

  f.path = g_build_filename (dir, "large.assay", NULL);
  project = assay_project_create (f.path, &error);
  g_assert_no_error (error);

  /* Small lines, and few summaries: the import, not the panel, is what
   * takes time here. */
  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (jsonl, "{\"id\": \"call-%06u\", \"title\": \"Support call %u\","
                              " \"text\": \"Caller asked about invoice %u.\"", i, i, i * 7);
      if (i % 100 == 0)
        g_string_append_printf (jsonl, ", \"candidates\": [{\"model\": \"m%u\","
                                " \"text\": \"Invoice %u.\"}]", i % 3, i * 7);
      g_string_append (jsonl, "}\n");
    }
  bytes = g_string_free_to_bytes (g_steal_pointer (&jsonl));
  import = assay_import_new (project);
  assay_import_add_bytes (import, "large.jsonl", bytes, ASSAY_FORMAT_JSONL);
  start = g_get_monotonic_time ();
  assay_import_run (import, NULL, &error);
  g_assert_no_error (error);
  import_s = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpint (assay_import_get_n_sources (import), ==, n);
  g_clear_object (&project);

  load_style ();
  start = g_get_monotonic_time ();
  f.session = assay_test_session (f.path);
  open_s = (g_get_monotonic_time () - start) / 1e6;
  f.panel = g_object_new (ASSAY_TYPE_QUEUE_PANEL, NULL);
  f.window = assay_test_window (GTK_WIDGET (f.panel), 320, 760);

  start = g_get_monotonic_time ();
  assay_queue_panel_set_session (f.panel, f.session);
  g_assert_true (assay_test_wait_for (has_binds, f.panel, 5000));
  first_row_ms = (g_get_monotonic_time () - start) / 1e3;
  assay_test_iterate (100);
  binds_first = _assay_queue_panel_get_n_binds (f.panel);

  q = assay_session_get_queue (f.session);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (q)), ==, n);
  {
    /* Grouped digits as the locale writes them. */
    g_autofree char *expected = g_strdup_printf ("0 of %'u done", n);

    g_assert_cmpstr (progress_text (&f), ==, expected);
  }
  wait_for_row (&f, "Support call 0");

  /* Jump to the middle and to the end: the list asks for the rows there. */
  start = g_get_monotonic_time ();
  assay_queue_panel_select_source (f.panel, assay_queue_get_source_id (q, n / 2));
  wait_for_row (&f, "Support call 50000");
  assay_queue_panel_select_source (f.panel, assay_queue_get_source_id (q, n - 1));
  wait_for_row (&f, "Support call 99999");
  scroll_ms = (g_get_monotonic_time () - start) / 1e3;
  binds_after = _assay_queue_panel_get_n_binds (f.panel);

  g_test_message ("100,000 sources: import %.1f s, session %.0f ms, set_session to first row "
                  "%.0f ms, %u rows bound at first, %u after two jumps (%.0f ms)",
                  import_s, open_s * 1000, first_row_ms, binds_first, binds_after, scroll_ms);
  /* Only the rows around the visible ones are ever made (GtkListView keeps
   * about 200 row widgets), never the 100,000. */
  g_assert_cmpuint (binds_first, <, 400);
  g_assert_cmpuint (binds_after, <, 1200);
  g_assert_cmpfloat (first_row_ms, <, 2000);

  /* A search over all of them stays quick too. */
  start = g_get_monotonic_time ();
  gtk_editable_set_text (GTK_EDITABLE (search_entry (&f)), "invoice 699993");
  wait_for_n_items (&f, 1);
  g_test_message ("search over 100,000 sources: %.0f ms (with the 200 ms typing pause)",
                  (g_get_monotonic_time () - start) / 1e3);

  screenshot_both (&f, "queue-panel-large");
  fixture_teardown (&f, NULL);
}

static char *
stored_resume (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open_full (path, ASSAY_PROJECT_OPEN_READ_ONLY,
                                                             &error);

  g_assert_no_error (error);
  return assay_project_dup_setting (project, "resume.reader");
}

/* Going from item to item writes where to resume once the expert settles
 * on one, not on every switch; closing the session writes it at once, and
 * the next session starts there. */
static void
test_resume (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssaySession) session = NULL;
  g_autofree char *stored = NULL;
  AssayItem *item;
  guint n = g_list_model_get_n_items (queue (f));
  gint64 last = 0;

  g_assert_no_error (error);
  session = assay_session_new (project, "reader", "Reader", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      last = assay_queue_get_source_id (ASSAY_QUEUE (queue (f)), i);
      g_assert_true (assay_session_load_item (session, last, &error));
      g_assert_no_error (error);
    }
  stored = stored_resume (f->path);
  g_assert_null (stored);

  /* Settled: written after a moment. */
  while (stored == NULL)
    {
      assay_test_iterate (100);
      stored = stored_resume (f->path);
    }
  item = assay_session_get_item (session);
  g_assert_cmpstr (stored, ==, item->ext_id);

  /* A switch, then closing: written as the session ends. */
  g_assert_true (assay_session_load_item (session, assay_queue_get_source_id (ASSAY_QUEUE
                                                                               (queue (f)), 1),
                                          &error));
  g_clear_object (&session);
  g_clear_pointer (&stored, g_free);
  stored = stored_resume (f->path);
  session = assay_session_new (project, "reader", "Reader", &error);
  g_assert_no_error (error);
  assay_test_load_queue (session);
  g_assert_cmpint (assay_session_get_resume_source (session), ==,
                   assay_queue_get_source_id (ASSAY_QUEUE (queue (f)), 1));
  g_assert_cmpint (last, !=, assay_queue_get_source_id (ASSAY_QUEUE (queue (f)), 1));
}

int
main (int   argc,
      char *argv[])
{
  /* An accessibility context that keeps what the rows tell a screen reader
   * (the suite's GTK_A11Y=none has none). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/assay/ui/queue-panel/rows", Fixture, NULL,
              fixture_setup, test_rows, fixture_teardown);
  g_test_add_func ("/assay/ui/queue-panel/loading", test_loading);
  g_test_add ("/assay/ui/queue-panel/order", Fixture, NULL,
              fixture_setup, test_order, fixture_teardown);
  g_test_add ("/assay/ui/queue-panel/search", Fixture, NULL,
              fixture_setup, test_search, fixture_teardown);
  g_test_add ("/assay/ui/queue-panel/status-filter", Fixture, NULL,
              fixture_setup, test_status_filter, fixture_teardown);
  g_test_add ("/assay/ui/queue-panel/activate", Fixture, NULL,
              fixture_setup, test_activate, fixture_teardown);
  g_test_add ("/assay/ui/queue-panel/no-results", Fixture, NULL,
              fixture_setup, test_no_results, fixture_teardown);
  g_test_add ("/assay/ui/queue-panel/reload", Fixture, NULL,
              fixture_setup, test_reload, fixture_teardown);
  g_test_add ("/assay/ui/queue-panel/resume", Fixture, NULL,
              fixture_setup, test_resume, fixture_teardown);
  g_test_add_func ("/assay/ui/queue-panel/empty-project", test_empty_project);
  g_test_add_func ("/assay/ui/queue-panel/large", test_large);

  return g_test_run ();
}
