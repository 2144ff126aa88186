/* test-export-dialog.c: the Export dialog, its choices and the files it writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <jansson.h>
#include <glib/gstdio.h>

#include "assay-export-dialog.h"
#include "assay-export-dialog-private.h"
#include "assay-project-private.h"
#include "assay-test-ui.h"

typedef struct
{
  char              *path;      /* the project */
  char              *out;       /* an empty folder for the exports */
  AssayProject      *project;
  GtkWindow         *window;
  AssayExportDialog *dialog;    /* a reference of our own */

  gboolean           done;
  char              *summary;
} Fixture;

/* ---- the project: the demo's LLM judge, and a person ---- */

static gint64
source (AssayProject *project,
        const char   *ext_id)
{
  gint64 id = assay_project_lookup_source (project, ext_id);

  g_assert_cmpint (id, >, 0);
  return id;
}

static gint64
candidate (AssayProject *project,
           const char   *source_ext_id,
           const char   *ext_id)
{
  gint64 id = assay_project_lookup_candidate (project, source (project, source_ext_id), ext_id);

  g_assert_cmpint (id, >, 0);
  return id;
}

static void
rank (AssayProject *project,
      gint64        annotator,
      const char   *source_ext_id,
      const char   *order)   /* candidate ids, best first: "c2 c1 c3" */
{
  g_auto(GStrv) ids = g_strsplit (order, " ", -1);
  guint n = g_strv_length (ids);
  g_autofree gint64 *candidates = g_new (gint64, n);
  g_autofree int *ranks = g_new (int, n);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      candidates[i] = candidate (project, source_ext_id, ids[i]);
      ranks[i] = i + 1;
    }
  assay_project_set_ranking (project, source (project, source_ext_id), annotator, candidates,
                             ranks, n, NULL, &error);
  g_assert_no_error (error);
}

static void
set_status (AssayProject *project,
            gint64        annotator,
            const char   *source_ext_id,
            AssayStatus   status)
{
  g_autoptr(GError) error = NULL;

  assay_project_set_status (project, source (project, source_ext_id), annotator, status, NULL,
                            &error);
  g_assert_no_error (error);
}

/* What an expert would have done by hand: three sources done (one
 * corrected), one flagged, one in progress, each ranked. */
static void
add_person_judgments (AssayProject *project)
{
  g_autoptr(GError) error = NULL;
  gint64 ada;

  assay_project_ensure_annotator (project, "ada", "Ada Lovelace", ASSAY_ANNOTATOR_PERSON, &ada,
                                  &error);
  g_assert_no_error (error);

  set_status (project, ada, "podcast-small-margins-84", ASSAY_STATUS_DONE);
  assay_project_set_correction (project, candidate (project, "podcast-small-margins-84", "c2"),
                                ada, "Fernhollow rents refrigerated space to independent "
                                "grocers; the founder started it after his father’s cooler "
                                "failed.", NULL, &error);
  g_assert_no_error (error);
  rank (project, ada, "podcast-small-margins-84", "c1 c2 c3 c4");
  set_status (project, ada, "consult-2291", ASSAY_STATUS_DONE);
  rank (project, ada, "consult-2291", "c2 c1 c3");
  set_status (project, ada, "support-call-7731", ASSAY_STATUS_DONE);
  rank (project, ada, "support-call-7731", "c3 c2 c1");
  set_status (project, ada, "earnings-halden-q3-fy26", ASSAY_STATUS_FLAGGED);
  rank (project, ada, "earnings-halden-q3-fy26", "c1 c2 c3 c4");
  set_status (project, ada, "investigation-interview-0312", ASSAY_STATUS_IN_PROGRESS);
}

/* ---- the fixture ---- */

static void
done_cb (const char *summary,
         gpointer    data)
{
  Fixture *f = data;

  g_assert_false (f->done);
  f->done = TRUE;
  f->summary = g_strdup (summary);
}

static gboolean
loaded (gpointer dialog)
{
  return !_assay_export_dialog_is_loading (dialog);
}

static void
open_dialog (Fixture *f)
{
  if (f->dialog != NULL)
    {
      if (!f->done)
        gtk_window_destroy (GTK_WINDOW (f->dialog));
      /* Closed, the dialog goes: nothing else keeps it. */
      assay_test_finalize (g_steal_pointer (&f->dialog));
    }
  f->done = FALSE;
  g_clear_pointer (&f->summary, g_free);
  f->dialog = g_object_ref (_assay_export_dialog_new (f->window, f->project, done_cb, f));
  gtk_window_present (GTK_WINDOW (f->dialog));
  /* The project's annotators, models and labels come from a worker. */
  g_assert_true (assay_test_wait_for (loaded, f->dialog, 20000));
  assay_test_iterate (100);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  _assay_export_dialog_reset_choices ();
  f->path = assay_test_copy_demo ();
  dir = g_path_get_dirname (f->path);
  f->out = g_build_filename (dir, "out", NULL);
  g_assert_cmpint (g_mkdir (f->out, 0755), ==, 0);
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  add_person_judgments (f->project);
  f->window = assay_test_window (adw_status_page_new (), 900, 700);
  open_dialog (f);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
close_messages (void);

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  close_messages ();
  if (!f->done)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  g_object_ref (f->window);
  gtk_window_destroy (f->window);
  assay_test_iterate (10);
  /* The dialog, its parent and the project are let go of once it is
   * closed and its workers are done. */
  assay_test_finalize (g_steal_pointer (&f->dialog));
  assay_test_finalize (g_steal_pointer (&f->window));
  assay_test_finalize (g_steal_pointer (&f->project));
  remove_tree (f->out);
  assay_test_remove_copy (f->path);
  g_free (f->path);
  g_free (f->out);
  g_free (f->summary);
}

/* ---- driving the dialog as the expert does ---- */

/* Depth-first, for a visible widget of `type` named `name`: a row and the
 * switch in it have one name. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name,
            GType       type)
{
  GtkWidget *found;

  if (!gtk_widget_get_visible (root))
    return NULL;
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    {
      g_autofree char *mismatch =
        gtk_test_accessible_check_property (GTK_ACCESSIBLE (root), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                            name);
      if (mismatch == NULL)
        return root;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if ((found = find_named (child, name, type)) != NULL)
      return found;
  return NULL;
}

static GtkWidget *
control_of_type (Fixture    *f,
                 const char *name,
                 GType       type)
{
  GtkWidget *widget = find_named (GTK_WIDGET (f->dialog), name, type);

  if (widget == NULL)
    g_error ("the export dialog has no visible %s named “%s”", g_type_name (type), name);
  return widget;
}

static GtkWidget *
control (Fixture    *f,
         const char *name)
{
  return control_of_type (f, name, GTK_TYPE_WIDGET);
}

static GtkSpinButton *
spin_named (Fixture    *f,
            const char *name)
{
  return GTK_SPIN_BUTTON (control_of_type (f, name, GTK_TYPE_SPIN_BUTTON));
}

static GtkWidget *
switch_named (Fixture    *f,
              const char *name)
{
  return control_of_type (f, name, GTK_TYPE_SWITCH);
}

static gboolean
has_control (Fixture    *f,
             const char *name)
{
  return find_named (GTK_WIDGET (f->dialog), name, GTK_TYPE_WIDGET) != NULL;
}

static void
choose_format (Fixture    *f,
               const char *name)
{
  const AssayExportFormat * const *formats = assay_export_get_formats ();
  GtkWidget *row = control (f, "Format");

  for (guint i = 0; formats[i] != NULL; i++)
    if (g_str_equal (formats[i]->name, name))
      {
        adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
        assay_test_iterate (20);
        return;
      }
  g_assert_not_reached ();
}

static void
choose (Fixture    *f,
        const char *row_name,
        const char *item)
{
  GtkWidget *row = control (f, row_name);
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) string = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (string), item))
        {
          adw_combo_row_set_selected (ADW_COMBO_ROW (row), i);
          assay_test_iterate (20);
          return;
        }
    }
  g_error ("“%s” has no item “%s”", row_name, item);
}

static void
set_switch (Fixture    *f,
            const char *name,
            gboolean    active)
{
  GtkWidget *widget = control_of_type (f, name, GTK_TYPE_SWITCH);

  g_assert_true (gtk_widget_is_sensitive (widget));
  if (gtk_switch_get_active (GTK_SWITCH (widget)) != active)
    gtk_widget_activate (widget);
  assay_test_iterate (20);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (widget)) == active);
}

/* The row whose title is `title`. */
static AdwActionRow *
row_titled (Fixture    *f,
            const char *title)
{
  GtkWidget *label = assay_test_find_labelled (GTK_WIDGET (f->dialog), title);

  g_assert_nonnull (label);
  return ADW_ACTION_ROW (gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW));
}

static void
expand_statuses (Fixture *f)
{
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (control (f, "Review Status")), TRUE);
  assay_test_iterate (50);
}

static void
check_status (Fixture    *f,
              const char *label,
              gboolean    active)
{
  GtkWidget *check;

  expand_statuses (f);
  check = control_of_type (f, label, GTK_TYPE_CHECK_BUTTON);
  if (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)) != active)
    gtk_widget_activate (check);
  assay_test_iterate (20);
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)) == active);
}

static void
check_all_statuses (Fixture *f)
{
  static const char * const labels[] = { "To do", "In progress", "Done", "Skipped", "Flagged" };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    check_status (f, labels[i], TRUE);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (control (f, "Review Status"))),
                   ==, "Any status");
}

static gboolean
export_enabled (Fixture *f)
{
  return gtk_widget_is_sensitive (control_of_type (f, "Export…", GTK_TYPE_BUTTON));
}

static GtkWindow *
find_message (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

/* Answers as a click on a response button does. */
static void
respond (GtkWindow  *message,
         const char *response)
{
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (message), response);
  gtk_window_destroy (message);
  assay_test_iterate (20);
}

static void
close_messages (void)
{
  GtkWindow *message;

  while ((message = find_message ()) != NULL)
    {
      adw_message_dialog_response (ADW_MESSAGE_DIALOG (message), "close");
      gtk_window_destroy (message);
      assay_test_iterate (10);
    }
}

static gboolean
settled (gpointer data)
{
  Fixture *f = data;

  return f->done || !_assay_export_dialog_is_busy (f->dialog);
}

static char *
out_path (Fixture    *f,
          const char *name)
{
  return g_build_filename (f->out, name, NULL);
}

/* Exports to OUT/NAME and waits until the export has ended. */
static void
export_to (Fixture    *f,
           const char *name)
{
  g_autofree char *path = out_path (f, name);

  _assay_export_dialog_export_to (f->dialog, path);
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The names in the output folder, sorted, space-separated. */
static char *
list_out (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->out, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* ---- reading what was written ---- */

static GPtrArray *
read_jsonl (const char *path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      json_error_t error;
      json_t *record;

      if (lines[i][0] == '\0')
        continue;
      record = json_loads (lines[i], 0, &error);
      if (record == NULL)
        g_error ("%s:%u: %s", path, i + 1, error.text);
      g_assert_true (json_is_object (record));
      g_ptr_array_add (records, record);
    }
  return records;
}

/* What the core writes with the same options: the dialog must agree with
 * `assay-cli export`. */
static GPtrArray *
core_export (Fixture            *f,
             const char         *format,
             AssayExportOptions *options,
             const char         *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GPtrArray) files = NULL;

  g_assert_no_error (error);
  files = assay_export_to_files (project, format, options, path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  return read_jsonl (path);
}

static gboolean
has_keys (json_t             *object,
          const char * const *keys)
{
  guint n = 0;

  for (; keys[n] != NULL; n++)
    if (json_object_get (object, keys[n]) == NULL)
      return FALSE;
  return json_object_size (object) == n;
}

/* A record without the split it went to, as one canonical string. */
static char *
without_split (json_t *record)
{
  g_autoptr(json_t) copy = json_deep_copy (record);
  json_t *metadata = json_object_get (copy, "metadata");
  char *dump;
  char *result;

  if (json_is_object (metadata))
    json_object_del (metadata, "split");
  dump = json_dumps (copy, JSON_SORT_KEYS | JSON_COMPACT);
  result = g_strdup (dump);
  free (dump);
  return result;
}

/* ---- screenshots ---- */

static void
screenshot_both (Fixture    *f,
                 const char *name)
{
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  assay_test_iterate (150);
  light = assay_test_screenshot (GTK_WIDGET (f->dialog), name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  assay_test_iterate (150);
  dark = assay_test_screenshot (GTK_WIDGET (f->dialog), dark_name);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  assay_test_iterate (50);
  g_test_message ("screenshots: %s %s", light, dark);
}

/* ---- the tests ---- */

/* Opens on the common case: a fine-tuning set of the finished sources. */
static void
test_default (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *format = control (f, "Format");
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (format));
  g_autofree char *name = _assay_export_dialog_dup_suggested_name (f->dialog);

  g_assert_true (gtk_window_get_modal (GTK_WINDOW (f->dialog)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (f->dialog)) == f->window);
  g_assert_cmpstr (gtk_string_object_get_string (GTK_STRING_OBJECT (item)), ==, "sft");
  g_assert_cmpstr (name, ==, "demo.sft.jsonl");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (control (f, "Review Status"))),
                   ==, "Done");
  g_assert_true (export_enabled (f));
  /* sft's description, without the CLI's "(--style)" */
  g_assert_true (g_str_has_prefix (adw_action_row_get_subtitle (ADW_ACTION_ROW (format)),
                                   "Chat fine-tuning"));
  g_assert_null (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (format)), "--"));
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->dialog),
                                              "For OpenAI and TRL fine-tuning."));
  /* The demo template picks the candidate labelled verdict = accept. */
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row_titled (f, "Gold Summary")),
                            "verdict = accept"));
  /* The formats' list says what each is. */
  {
    GtkWidget *popover;
    g_autofree char *shot = NULL;

    gtk_widget_activate (control (f, "Format"));
    assay_test_iterate (200);
    popover = assay_test_find_type (control (f, "Format"), GTK_TYPE_POPOVER);
    g_assert_nonnull (popover);
    g_assert_true (gtk_widget_get_mapped (popover));
    g_assert_nonnull (assay_test_find_labelled (popover, "The same pairs in OpenAI’s preference "
                                                         "fine-tuning format"));
    /* Every format the core offers, by the core's title, and nothing else. */
    for (guint i = 0; assay_export_get_formats ()[i] != NULL; i++)
      {
        const AssayExportFormat *fmt = assay_export_get_formats ()[i];
        g_autofree char *title = g_strdup_printf ("%s (%s)", fmt->title, fmt->name);

        g_assert_nonnull (assay_test_find_labelled (popover, title));
        g_assert_nonnull (assay_test_find_labelled (popover, fmt->description));
      }
    g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (format))),
                      ==, 8);
    shot = assay_test_screenshot (popover, "export-dialog-formats");
    g_test_message ("screenshot: %s", shot);
    gtk_popover_popdown (GTK_POPOVER (popover));
    assay_test_iterate (50);
  }

  /* The project's annotators, models and labels are there to filter by. */
  choose (f, "Annotator", "Ada Lovelace (person)");
  choose (f, "Annotator", "Lumen Judge (LLM judge)");
  choose (f, "Annotator", "All");
  choose (f, "Model", "scribe-xl");
  choose (f, "Model", "All");
  choose (f, "Label", "Verdict: Accept");
  choose (f, "Label", "Any");
  g_assert_null (find_named (GTK_WIDGET (f->dialog), "Train Share", GTK_TYPE_WIDGET));
  screenshot_both (f, "export-dialog-default");

  /* Filters and split open. */
  expand_statuses (f);
  check_status (f, "Flagged", TRUE);
  set_switch (f, "Split into Train and Test", TRUE);
  g_assert_true (gtk_widget_get_mapped (control_of_type (f, "Train Share", GTK_TYPE_SPIN_BUTTON)));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (spin_named (f, "Train Share")), ==, 80);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (control (f, "Review Status"))),
                   ==, "Done, Flagged");
  {
    GtkWidget *page = assay_test_find_type (GTK_WIDGET (f->dialog), ADW_TYPE_PREFERENCES_PAGE);
    GtkWidget *scrolled = assay_test_find_type (page, GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *viewport = gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scrolled));
    GtkWidget *filters = gtk_widget_get_ancestor (control (f, "Annotator"),
                                                  ADW_TYPE_PREFERENCES_GROUP);
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    graphene_point_t top;

    /* The filters at the top of the view, then the bottom. */
    g_assert_true (gtk_widget_compute_point (filters, viewport, &GRAPHENE_POINT_INIT (0, 0),
                                             &top));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + top.y - 12);
    screenshot_both (f, "export-dialog-filters");
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
    screenshot_both (f, "export-dialog-split");
  }

  /* At 800 by 600, then narrow. */
  gtk_window_set_default_size (GTK_WINDOW (f->dialog), 800, 600);
  assay_test_iterate (200);
  screenshot_both (f, "export-dialog-800x600");
  gtk_window_set_default_size (GTK_WINDOW (f->dialog), 360, 560);
  assay_test_iterate (200);
  screenshot_both (f, "export-dialog-narrow");
}

/* Names come from the data: never markup, and a long one is whole in the
 * tooltip. */
static void
test_untrusted (Fixture       *f,
                gconstpointer  data)
{
  static const char name[] = "<b>R&D</b> Review Board for Cardiology & Emergency Medicine";
  g_autofree char *item = g_strdup_printf ("%s (person)", name);
  g_autoptr(GError) error = NULL;
  GtkWidget *row;
  gint64 board;

  assay_project_ensure_annotator (f->project, "board", name, ASSAY_ANNOTATOR_PERSON, &board,
                                  &error);
  g_assert_no_error (error);
  open_dialog (f);
  choose (f, "Annotator", item);
  row = control (f, "Annotator");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, item);
  g_assert_nonnull (assay_test_find_labelled (row, item));
  screenshot_both (f, "export-dialog-long-name");
}

static void
test_sft (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *path = out_path (f, "demo.sft.jsonl");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  static const char * const keys[] = { "messages", NULL };

  /* The LLM judge's labels are proposals: of the three done sources only
   * the one Ada corrected has a gold summary by default. */
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (switch_named (f,
                                                                   "Include Model Proposals"))));
  export_to (f, "demo.sft.jsonl");
  g_assert_true (f->done);
  g_assert_cmpstr (f->summary, ==, "Wrote 1 record to demo.sft.jsonl");
  records = read_jsonl (path);
  g_assert_cmpuint (records->len, ==, 1);
  assay_export_options_add_status (options, "done", NULL);
  expected = core_export (f, "sft", options, "expected.jsonl");
  g_assert_cmpuint (expected->len, ==, records->len);
  g_clear_pointer (&records, g_ptr_array_unref);
  g_clear_pointer (&expected, g_ptr_array_unref);
  g_unlink (path);

  /* Counted, the judge's accepted summaries make the other two. */
  open_dialog (f);
  set_switch (f, "Include Model Proposals", TRUE);
  export_to (f, "demo.sft.jsonl");
  g_assert_true (f->done);
  g_assert_cmpstr (f->summary, ==, "Wrote 3 records to demo.sft.jsonl");

  /* The three done sources: one corrected, two with an accepted summary. */
  records = read_jsonl (path);
  g_assert_cmpuint (records->len, ==, 3);
  for (guint i = 0; i < records->len; i++)
    g_assert_true (has_keys (g_ptr_array_index (records, i), keys));
  assay_export_options_set_kinds (options, ASSAY_STATS_ALL_KINDS);
  expected = core_export (f, "sft", options, "expected.jsonl");
  g_assert_cmpuint (expected->len, ==, records->len);
  g_assert_cmpstr (list_out (f), ==, "demo.sft.jsonl");
}

static void
test_prompt_completion (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = out_path (f, "pc.jsonl");
  g_autofree char *conv_path = out_path (f, "pc-conv.jsonl");
  g_autoptr(GPtrArray) records = NULL;
  static const char * const keys[] = { "prompt", "completion", "metadata", NULL };

  /* The demo's accepted summaries are its LLM judge's: counted here. */
  set_switch (f, "Include Model Proposals", TRUE);
  choose (f, "Style", "Prompt and completion (TRL)");
  export_to (f, "pc.jsonl");
  g_assert_true (f->done);
  records = read_jsonl (path);
  g_assert_cmpuint (records->len, ==, 3);
  for (guint i = 0; i < records->len; i++)
    {
      json_t *record = g_ptr_array_index (records, i);

      g_assert_true (has_keys (record, keys));
      g_assert_true (json_is_string (json_object_get (record, "prompt")));
      g_assert_true (json_is_string (json_object_get (record, "completion")));
    }
  g_clear_pointer (&records, g_ptr_array_unref);

  /* The choices come back with the next dialog; then the conversational form. */
  open_dialog (f);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (control (f, "Style"))), ==, 1);
  set_switch (f, "Conversational", TRUE);
  export_to (f, "pc-conv.jsonl");
  g_assert_true (f->done);
  records = read_jsonl (conv_path);
  g_assert_cmpuint (records->len, ==, 3);
  for (guint i = 0; i < records->len; i++)
    {
      json_t *record = g_ptr_array_index (records, i);
      json_t *prompt = json_object_get (record, "prompt");
      json_t *completion = json_object_get (record, "completion");

      g_assert_true (has_keys (record, keys));
      g_assert_true (json_is_array (prompt));
      g_assert_cmpstr (json_string_value (json_object_get (json_array_get (prompt, 0), "role")),
                       ==, "system");
      g_assert_true (json_is_array (completion));
      g_assert_cmpuint (json_array_size (completion), ==, 1);
      g_assert_cmpstr (json_string_value (json_object_get (json_array_get (completion, 0),
                                                           "role")), ==, "assistant");
    }
}

static void
test_preference (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = out_path (f, "pairs.jsonl");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  gboolean from_ada = FALSE;

  choose_format (f, "preference");
  check_all_statuses (f);
  set_switch (f, "Conversational", TRUE);
  g_assert_false (has_control (f, "Provenance"));
  export_to (f, "pairs.jsonl");
  g_assert_true (f->done);

  records = read_jsonl (path);
  assay_export_options_set (options, "conversational", "true");
  expected = core_export (f, "preference", options, "expected.jsonl");
  g_assert_cmpuint (records->len, >, 6);  /* the judge's 6 pairs and Ada's */
  g_assert_cmpuint (records->len, ==, expected->len);
  for (guint i = 0; i < records->len; i++)
    {
      json_t *record = g_ptr_array_index (records, i);
      json_t *chosen = json_object_get (record, "chosen");
      json_t *metadata = json_object_get (record, "metadata");

      g_assert_true (json_is_array (json_object_get (record, "prompt")));
      g_assert_true (json_is_array (chosen));
      g_assert_true (json_is_array (json_object_get (record, "rejected")));
      g_assert_cmpstr (json_string_value (json_object_get (json_array_get (chosen, 0), "role")),
                       ==, "assistant");
      if (g_strcmp0 (json_string_value (json_object_get (metadata, "annotator")), "ada") == 0)
        from_ada = TRUE;
    }
  g_assert_true (from_ada);
  {
    g_autofree char *expected_summary = g_strdup_printf ("Wrote %u records to pairs.jsonl",
                                                         records->len);
    g_assert_cmpstr (f->summary, ==, expected_summary);
  }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *pairs_path = out_path (f, "ada.jsonl");
  g_autofree char *scores_path = out_path (f, "scribe.jsonl");
  g_autoptr(GPtrArray) records = NULL;

  /* Ada's pairs on the flagged source: her ranking of four, six pairs. */
  choose_format (f, "preference");
  check_status (f, "Done", FALSE);
  check_status (f, "Flagged", TRUE);
  choose (f, "Annotator", "Ada Lovelace (person)");
  export_to (f, "ada.jsonl");
  g_assert_true (f->done);
  records = read_jsonl (pairs_path);
  g_assert_cmpuint (records->len, ==, 6);
  for (guint i = 0; i < records->len; i++)
    {
      json_t *metadata = json_object_get (g_ptr_array_index (records, i), "metadata");

      g_assert_cmpstr (json_string_value (json_object_get (metadata, "annotator")), ==, "ada");
      g_assert_cmpstr (json_string_value (json_object_get (metadata, "source")), ==,
                       "earnings-halden-q3-fy26");
    }
  g_clear_pointer (&records, g_ptr_array_unref);

  /* One model's scores, from every source: the demo's scores are its LLM
   * judge's, counted only when chosen. */
  open_dialog (f);
  choose_format (f, "scores");
  set_switch (f, "Include Model Proposals", TRUE);
  check_all_statuses (f);
  choose (f, "Annotator", "All");
  choose (f, "Model", "scribe-xl");
  export_to (f, "scribe.jsonl");
  g_assert_true (f->done);
  records = read_jsonl (scores_path);
  g_assert_cmpuint (records->len, >, 0);
  g_assert_cmpuint (records->len, <, 24);
  for (guint i = 0; i < records->len; i++)
    g_assert_cmpstr (json_string_value (json_object_get (g_ptr_array_index (records, i),
                                                         "model")), ==, "scribe-xl");
}

static void
test_split (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *train_path = out_path (f, "scores.train.jsonl");
  g_autofree char *test_path = out_path (f, "scores.test.jsonl");
  g_autoptr(GPtrArray) train = NULL;
  g_autoptr(GPtrArray) test = NULL;
  g_autoptr(GPtrArray) whole = NULL;
  g_autoptr(GPtrArray) whole_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) split_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) train_sources = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *expected_summary = NULL;
  g_autoptr(AssayExportOptions) everyone = assay_export_options_new ();

  /* The demo's scores are its LLM judge's. */
  choose_format (f, "scores");
  check_all_statuses (f);
  set_switch (f, "Include Model Proposals", TRUE);
  set_switch (f, "Split into Train and Test", TRUE);
  gtk_spin_button_set_value (spin_named (f, "Train Share"), 70);
  gtk_spin_button_set_value (spin_named (f, "Seed"), 3);
  assay_test_iterate (20);
  export_to (f, "scores.jsonl");
  g_assert_true (f->done);
  g_assert_cmpstr (list_out (f), ==, "scores.test.jsonl scores.train.jsonl");

  train = read_jsonl (train_path);
  test = read_jsonl (test_path);
  assay_export_options_set_kinds (everyone, ASSAY_STATS_ALL_KINDS);
  whole = core_export (f, "scores", everyone, "whole.jsonl");
  g_assert_cmpuint (whole->len, ==, 24);
  g_assert_cmpuint (train->len + test->len, ==, whole->len);
  g_assert_cmpuint (train->len, >, 0);
  g_assert_cmpuint (test->len, >, 0);
  expected_summary = g_strdup_printf ("Wrote %u records to scores.train.jsonl and %u records to "
                                      "scores.test.jsonl", train->len, test->len);
  g_assert_cmpstr (f->summary, ==, expected_summary);

  /* Their union is the whole, and a source is in one split only. */
  for (guint i = 0; i < whole->len; i++)
    g_ptr_array_add (whole_keys, without_split (g_ptr_array_index (whole, i)));
  for (guint i = 0; i < train->len; i++)
    {
      json_t *record = g_ptr_array_index (train, i);

      g_assert_cmpstr (json_string_value (json_object_get (json_object_get (record, "metadata"),
                                                           "split")), ==, "train");
      g_hash_table_add (train_sources, (gpointer) json_string_value (json_object_get (record,
                                                                                      "source")));
      g_ptr_array_add (split_keys, without_split (record));
    }
  for (guint i = 0; i < test->len; i++)
    {
      json_t *record = g_ptr_array_index (test, i);

      g_assert_cmpstr (json_string_value (json_object_get (json_object_get (record, "metadata"),
                                                           "split")), ==, "test");
      g_assert_false (g_hash_table_contains (train_sources,
                                             json_string_value (json_object_get (record,
                                                                                 "source"))));
      g_ptr_array_add (split_keys, without_split (record));
    }
  g_ptr_array_sort (whole_keys, compare_strings);
  g_ptr_array_sort (split_keys, compare_strings);
  for (guint i = 0; i < whole_keys->len; i++)
    g_assert_cmpstr (g_ptr_array_index (whole_keys, i), ==, g_ptr_array_index (split_keys, i));
}

/* The split's files are other names than the one the file chooser asked
 * about: the dialog asks before replacing them. */
static void
test_split_replace (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *train_path = out_path (f, "s.train.jsonl");
  g_autofree char *contents = NULL;
  GtkWindow *message;

  g_assert_true (g_file_set_contents (train_path, "old\n", -1, NULL));
  choose_format (f, "scores");
  check_all_statuses (f);
  set_switch (f, "Include Model Proposals", TRUE);
  set_switch (f, "Split into Train and Test", TRUE);

  export_to (f, "s.jsonl");
  message = find_message ();
  g_assert_nonnull (message);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message)), ==,
                   "Replace Existing File?");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)),
                            "s.train.jsonl"));
  respond (message, "cancel");
  g_assert_false (f->done);
  g_assert_cmpstr (list_out (f), ==, "s.train.jsonl");
  g_assert_true (g_file_get_contents (train_path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old\n");

  export_to (f, "s.jsonl");
  message = find_message ();
  g_assert_nonnull (message);
  respond (message, "replace");
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);
  g_assert_true (f->done);
  g_assert_cmpstr (list_out (f), ==, "s.test.jsonl s.train.jsonl");
}

static void
test_adjudicated_only (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *path = out_path (f, "gold.jsonl");
  GtkWindow *message;
  gint64 lead;

  set_switch (f, "Adjudicated Only", TRUE);
  export_to (f, "gold.jsonl");

  /* Nothing yet: said so, nothing written, and the dialog stays to change
   * the filters. */
  message = find_message ();
  g_assert_nonnull (message);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message)), ==,
                   "Nothing to Export");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)),
                            "no file was written"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)),
                            "Adjudicated Only"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)),
                            "nobody has settled any"));
  {
    g_autofree char *shot = assay_test_screenshot (GTK_WIDGET (message), "export-dialog-nothing");
    g_test_message ("screenshot: %s", shot);
  }
  g_assert_false (f->done);
  g_assert_cmpstr (list_out (f), ==, "");
  close_messages ();

  /* A lead settles one source: its gold correction is the one record. */
  assay_project_ensure_annotator (f->project, "lead", "Eval Lead", ASSAY_ANNOTATOR_ADJUDICATOR,
                                  &lead, &error);
  g_assert_no_error (error);
  assay_project_set_correction (f->project, candidate (f->project, "consult-2291", "c1"), lead,
                                "The gold summary of the consultation.", NULL, &error);
  g_assert_no_error (error);
  open_dialog (f);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (switch_named (f, "Adjudicated Only"))));
  export_to (f, "gold.jsonl");
  g_assert_true (f->done);
  g_assert_cmpstr (f->summary, ==, "Wrote 1 record to gold.jsonl");
  records = read_jsonl (path);
  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (json_object_get (
                     g_ptr_array_index (records, 0), "messages"), 2), "content")), ==,
                   "The gold summary of the consultation.");
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = out_path (f, "cancelled.jsonl");

  check_all_statuses (f);
  choose_format (f, "native");

  /* Cancel pressed while the export runs: the result is thrown away,
   * however far the worker got. */
  _assay_export_dialog_export_to (f->dialog, path);
  g_assert_true (_assay_export_dialog_is_busy (f->dialog));
  g_assert_true (gtk_widget_is_sensitive (control_of_type (f, "Cancel", GTK_TYPE_BUTTON)));
  g_assert_false (export_enabled (f));
  g_assert_true (gtk_widget_get_visible (control_of_type (f, "Exporting", GTK_TYPE_SPINNER)));
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (assay_test_find_type (
                     GTK_WIDGET (f->dialog), ADW_TYPE_WINDOW_TITLE))), ==, "Exporting…");
  g_assert_false (gtk_widget_is_sensitive (control (f, "Format")));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.cancel", NULL);
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (assay_test_find_type (
                     GTK_WIDGET (f->dialog), ADW_TYPE_WINDOW_TITLE))), ==, "Cancelling…");
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);

  g_assert_false (f->done);
  g_assert_cmpstr (list_out (f), ==, "");  /* no file, no temporary file */
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->dialog),
                                              "Export cancelled; no file was written"));
  g_assert_true (export_enabled (f));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (assay_test_find_type (GTK_WIDGET (f->dialog),
                                                                            GTK_TYPE_SPINNER))));

  /* Closing the window while it runs cancels too, and the window goes. */
  _assay_export_dialog_export_to (f->dialog, path);
  g_assert_true (_assay_export_dialog_is_busy (f->dialog));
  gtk_window_close (GTK_WINDOW (f->dialog));
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);
  g_assert_true (f->done);
  g_assert_null (f->summary);
  g_assert_cmpstr (list_out (f), ==, "");
}

/* ---- stopped part-way ---- */

/* Some 3000 sources of 5 KB more, so that an export takes a while. */
static void
add_bulk (Fixture *f)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) jsonl = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(AssayImport) import = assay_import_new (f->project);
  g_autoptr(GError) error = NULL;

  while (text->len < 5000)
    g_string_append (text, "The caller asked about the March invoice and a refund. ");
  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (jsonl,
                            "{\"id\": \"bulk-%u\", \"text\": \"%s\", \"candidates\": ["
                            "{\"id\": \"a\", \"model\": \"m1\", \"text\": \"%.2000s\"},"
                            " {\"id\": \"b\", \"model\": \"m2\", \"text\": \"%.1500s\"}]}\n",
                            i, text->str, text->str, text->str);
  bytes = g_string_free_to_bytes (g_steal_pointer (&jsonl));
  assay_import_add_bytes (import, "bulk.jsonl", bytes, ASSAY_FORMAT_JSONL);
  g_assert_true (assay_import_run (import, NULL, &error));
  g_assert_no_error (error);
}

/* A file somewhere under `dir` with something in it: an export under way. */
static gboolean
has_written_file (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        {
          if (has_written_file (path))
            return TRUE;
        }
      else if (g_stat (path, &st) == 0 && st.st_size > 0)
        return TRUE;
    }
  return FALSE;
}

static void
wait_for_written_file (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!has_written_file (f->out))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (200);
    }
  g_assert_true (_assay_export_dialog_is_busy (f->dialog));
}

/* Cancel while the worker is writing a file of 30 MB: what it wrote goes,
 * staging folder and all. */
static void
test_cancel_midway (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = out_path (f, "big.jsonl");

  add_bulk (f);
  check_all_statuses (f);
  choose_format (f, "native");

  _assay_export_dialog_export_to (f->dialog, path);
  wait_for_written_file (f);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.cancel", NULL);
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);

  g_assert_false (f->done);
  g_assert_cmpstr (list_out (f), ==, "");
  g_assert_nonnull (assay_test_find_labelled (GTK_WIDGET (f->dialog),
                                              "Export cancelled; no file was written"));
}

/* The application quits while the worker writes: its main loop never runs
 * again, so the dialog stops the worker and cleans up as the application
 * shuts down, before the process goes. */
static void
test_quit_midway (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GApplication) app = g_application_new ("io.github.assaylab.Assay.ExportTest",
                                                   G_APPLICATION_NON_UNIQUE);
  g_autofree char *path = out_path (f, "big.jsonl");

  add_bulk (f);
  g_application_set_default (app);
  open_dialog (f);
  check_all_statuses (f);
  choose_format (f, "native");

  _assay_export_dialog_export_to (f->dialog, path);
  wait_for_written_file (f);
  g_signal_emit_by_name (app, "shutdown");
  /* At once, without the main loop. */
  g_assert_cmpstr (list_out (f), ==, "");

  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);
  g_assert_cmpstr (list_out (f), ==, "");
  g_application_set_default (NULL);
}

/* Cancel with nothing running closes, telling the caller nothing was written. */
static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.cancel", NULL);
  assay_test_iterate (20);
  g_assert_true (f->done);
  g_assert_null (f->summary);
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *conversational;
  const char *note;

  /* native is the whole project: no filters, no split, no options. */
  choose_format (f, "native");
  g_assert_false (gtk_widget_is_sensitive (control (f, "Review Status")));
  g_assert_false (gtk_widget_is_sensitive (control (f, "Annotator")));
  g_assert_false (gtk_widget_is_sensitive (switch_named (f, "Adjudicated Only")));
  g_assert_false (gtk_widget_is_sensitive (switch_named (f, "Split into Train and Test")));
  note = adw_preferences_group_get_description (
           ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (control (f, "Annotator"),
                                                           ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "writes the whole project"));
  g_assert_false (has_control (f, "Conversational"));
  g_assert_false (has_control (f, "Style"));
  g_assert_true (export_enabled (f));
  screenshot_both (f, "export-dialog-native");

  /* sft's messages are conversational already. */
  choose_format (f, "sft");
  g_assert_true (gtk_widget_is_sensitive (control (f, "Annotator")));
  note = adw_preferences_group_get_description (
           ADW_PREFERENCES_GROUP (gtk_widget_get_ancestor (control (f, "Annotator"),
                                                           ADW_TYPE_PREFERENCES_GROUP)));
  g_assert_true (note == NULL || *note == '\0');
  conversational = control (f, "Conversational");
  g_assert_false (gtk_widget_is_sensitive (conversational));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (
                              ADW_ACTION_ROW (gtk_widget_get_ancestor (conversational,
                                                                       ADW_TYPE_ACTION_ROW))),
                            "conversational already"));
  g_assert_true (gtk_widget_is_sensitive (switch_named (f, "Provenance")));
  choose (f, "Style", "Prompt and completion (TRL)");
  g_assert_true (gtk_widget_is_sensitive (switch_named (f, "Conversational")));
  g_assert_false (gtk_widget_is_sensitive (switch_named (f, "Provenance")));

  /* Other formats do not show what they do not take. */
  choose_format (f, "dpo-openai");
  g_assert_true (gtk_widget_is_sensitive (switch_named (f, "Provenance")));
  g_assert_false (has_control (f, "Conversational"));
  choose_format (f, "scores-csv");
  g_assert_false (has_control (f, "Provenance"));
  {
    g_autofree char *name = _assay_export_dialog_dup_suggested_name (f->dialog);
    g_assert_cmpstr (name, ==, "demo.scores.csv");
  }

  /* No status at all cannot be exported, and the row says why. */
  check_status (f, "Done", FALSE);
  g_assert_false (export_enabled (f));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (control (f, "Review Status"))),
                   ==, "None chosen: choose at least one");
  screenshot_both (f, "export-dialog-no-status");
  check_status (f, "Skipped", TRUE);
  g_assert_true (export_enabled (f));
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) reopened = NULL;
  g_autofree char *missing = out_path (f, "no/such/folder/x.jsonl");
  GtkWindow *message;

  check_all_statuses (f);
  _assay_export_dialog_export_to (f->dialog, missing);
  assay_test_iterate (50);
  message = find_message ();
  g_assert_nonnull (message);
  g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (message)), ==,
                   "Could Not Export");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)),
                            "x.jsonl"));
  g_assert_false (adw_message_dialog_get_body_use_markup (ADW_MESSAGE_DIALOG (message)));
  close_messages ();
  g_assert_false (f->done);

  /* Never over the project itself. */
  choose_format (f, "native");
  _assay_export_dialog_export_to (f->dialog, f->path);
  assay_test_iterate (50);
  message = find_message ();
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (message)),
                            "is the project itself"));
  close_messages ();
  reopened = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (f->done);
}

static GtkWindow *
find_chooser (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return find_chooser () != NULL;
}

static gboolean
chooser_gone (gpointer data)
{
  return find_chooser () == NULL;
}

/* Export… asks where, suggesting a name and the project's folder; without
 * a portal (as here) GTK's own dialog stands in for the desktop's. */
static void
test_chooser (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *project_dir = g_path_get_dirname (f->path);
  g_autofree char *path = out_path (f, "chosen.sft.jsonl");
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GFile) out = g_file_new_for_path (f->out);
  g_autoptr(GPtrArray) records = NULL;
  GtkWindow *chooser;

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (assay_test_wait_for (chooser_shown, NULL, 5000));
  assay_test_iterate (300);
  chooser = find_chooser ();
  g_assert_true (gtk_window_get_transient_for (chooser) == GTK_WINDOW (f->dialog));
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==,
                   "demo.sft.jsonl");
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_nonnull (folder);
  g_assert_cmpstr (g_file_peek_path (folder), ==, project_dir);
  g_assert_cmpstr (gtk_file_filter_get_name (gtk_file_chooser_get_filter (
                     GTK_FILE_CHOOSER (chooser))), ==, "JSON Lines files");

  g_assert_true (gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), out, NULL));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "chosen.sft.jsonl");
  assay_test_iterate (50);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  G_GNUC_END_IGNORE_DEPRECATIONS
  /* The chooser checks the name before it answers. */
  g_assert_true (assay_test_wait_for (chooser_gone, NULL, 5000));
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  assay_test_iterate (50);
  g_assert_true (f->done);
  g_assert_cmpstr (f->summary, ==, "Wrote 1 record to chosen.sft.jsonl");
  records = read_jsonl (path);
  g_assert_cmpuint (records->len, ==, 1);

  /* The next export starts where this one went. */
  open_dialog (f);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (assay_test_wait_for (chooser_shown, NULL, 5000));
  assay_test_iterate (300);
  chooser = find_chooser ();
  g_clear_object (&folder);
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (g_file_peek_path (folder), ==, f->out);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  assay_test_iterate (50);
  g_assert_false (f->done);
  g_assert_null (find_chooser ());
}

/* ---- nothing slow on the UI thread ---- */

typedef struct
{
  GThread   *main_thread;
  GPtrArray *statements;   /* run on the main thread */
} Traced;

static void
trace_cb (const char *file,
          const char *sql,
          gpointer    data)
{
  Traced *traced = data;

  /* Only the main thread adds. */
  if (g_thread_self () == traced->main_thread)
    g_ptr_array_add (traced->statements, g_strdup (sql));
}

/* The lists of annotators, models and labels, and the export itself, read
 * the project in the core's workers: on the UI thread, the dialog only
 * looks up the project's name. An export asked for before the lists are
 * in waits for them, and for the choices kept from the last time. */
static void
test_main_thread (Fixture       *f,
                  gconstpointer  data)
{
  Traced traced = { g_thread_self (), g_ptr_array_new_with_free_func (g_free) };
  g_autofree char *path = out_path (f, "traced.jsonl");
  g_autofree char *expected_path = out_path (f, "expected.jsonl");
  g_autofree char *contents = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autoptr(GError) error = NULL;

  choose (f, "Annotator", "Ada Lovelace (person)");
  gtk_window_destroy (GTK_WINDOW (f->dialog));
  assay_test_finalize (g_steal_pointer (&f->dialog));
  g_assert_true (f->done);
  f->done = FALSE;

  _assay_project_set_trace_sql (trace_cb, &traced);
  assay_test_finalize (g_steal_pointer (&f->project));
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  g_ptr_array_set_size (traced.statements, 0);

  f->dialog = g_object_ref (_assay_export_dialog_new (f->window, f->project, done_cb, f));
  gtk_window_present (GTK_WINDOW (f->dialog));
  g_assert_true (_assay_export_dialog_is_loading (f->dialog));
  g_assert_false (gtk_widget_is_sensitive (control (f, "Annotator")));
  _assay_export_dialog_export_to (f->dialog, path);
  g_assert_true (_assay_export_dialog_is_busy (f->dialog));
  g_assert_true (assay_test_wait_for (settled, f, 60000));
  _assay_project_set_trace_sql (NULL, NULL);

  for (guint i = 0; i < traced.statements->len; i++)
    {
      const char *sql = g_ptr_array_index (traced.statements, i);

      g_test_message ("on the UI thread: %s", sql);
      g_assert_cmpstr (sql, ==, "SELECT value FROM settings WHERE key = ?");
    }
  g_ptr_array_unref (traced.statements);

  /* What the core writes for the kept filter. */
  g_assert_true (f->done);
  g_test_message ("%s", f->summary);
  g_assert_true (g_str_has_prefix (f->summary, "Wrote "));
  assay_export_options_add_status (options, "done", &error);
  assay_export_options_add_annotator (options, "ada");
  g_assert_true (assay_export_to_path (f->project, "sft", options, expected_path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_file_get_contents (expected_path, &expected, NULL, NULL));
  g_assert_cmpstr (contents, ==, expected);
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/assay/ui/export-dialog/" name, Fixture, NULL, fixture_setup, func, \
              fixture_teardown)
  ADD ("default", test_default);
  ADD ("untrusted", test_untrusted);
  ADD ("sft", test_sft);
  ADD ("prompt-completion", test_prompt_completion);
  ADD ("preference", test_preference);
  ADD ("filters", test_filters);
  ADD ("split", test_split);
  ADD ("split-replace", test_split_replace);
  ADD ("adjudicated-only", test_adjudicated_only);
  ADD ("cancel", test_cancel);
  ADD ("cancel-midway", test_cancel_midway);
  ADD ("quit-midway", test_quit_midway);
  ADD ("close", test_close);
  ADD ("invalid", test_invalid);
  ADD ("errors", test_errors);
  ADD ("chooser", test_chooser);
  ADD ("main-thread", test_main_thread);
#undef ADD

  return g_test_run ();
}
