/* assay-stats-window.c: progress, the model leaderboard, agreement and
 * disagreements, for the eval lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A shell: the pages (assay-stats-overview-page.c, -agreement-page.c,
 * -disagreements-page.c, -judges-page.c) show what the core computes, and the window runs
 * the computations. Nothing here runs on the main thread that reads more
 * than a row: the reports come from assay_stats_compute_async, progress
 * and what each rater said from assay_stats_describe_async, both worker
 * threads of the core's with connections of their own. Every run has a
 * generation number, so the results of a run that was superseded by a
 * refresh, or of a window that was closed, are dropped.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-adjudication-view.h"
#include "assay-stats-agreement-page.h"
#include "assay-stats-details.h"
#include "assay-stats-disagreements-page.h"
#include "assay-stats-judges-page.h"
#include "assay-stats-overview-page.h"
#include "assay-stats-window.h"
#include "assay-stats-window-private.h"

struct _AssayStatsWindow
{
  AdwWindow                    parent_instance;

  AdwToastOverlay             *toast_overlay;
  AdwLeaflet                  *leaflet;
  AdwViewSwitcherTitle        *switcher_title;
  GtkSpinner                  *header_spinner;
  GtkSpinner                  *computing_spinner;
  GtkStack                    *main_stack;
  AdwStatusPage               *error_page;
  AdwViewStack                *view_stack;
  AdwViewStackPage            *disagreements_page;
  AssayStatsOverviewPage      *overview;
  AssayStatsAgreementPage     *agreement;
  AssayStatsDisagreementsPage *disagreements;
  AssayStatsJudgesPage        *judges;
  GtkBox                      *adjudicate_box;

  AssayProject                *project;
  char                        *path;
  char                        *lead_id;
  char                        *lead_name;

  GCancellable                *cancellable;
  guint                        generation;
  guint                        busy;
  gboolean                     shown;          /* a report is on screen */

  AssayAgreementReport        *report;         /* the pages borrow it */

  GtkWidget                   *adjudication;
  gint64                       adjudicating;
  gboolean                     gold_changed;
};

G_DEFINE_FINAL_TYPE (AssayStatsWindow, assay_stats_window, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_ADJUDICATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- runs ---- */

typedef struct
{
  AssayStatsWindow     *self;
  guint                 generation;
  AssayAgreementReport *report;
  AssayLeaderboard     *board;
} RunData;

static void
run_data_free (RunData *data)
{
  g_object_unref (data->self);
  g_clear_pointer (&data->report, assay_agreement_report_free);
  g_clear_pointer (&data->board, assay_leaderboard_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

static RunData *
run_data_new (AssayStatsWindow *self,
              guint             generation)
{
  RunData *data = g_new0 (RunData, 1);

  data->self = g_object_ref (self);
  data->generation = generation;
  return data;
}

static gboolean
get_busy (AssayStatsWindow *self)
{
  return self->busy > 0 || assay_stats_disagreements_page_get_busy (self->disagreements) ||
         assay_stats_judges_page_get_busy (self->judges);
}

static void
update_spinners (AssayStatsWindow *self)
{
  gboolean busy = get_busy (self);

  gtk_widget_set_visible (GTK_WIDGET (self->header_spinner), busy && self->shown);
  gtk_spinner_set_spinning (self->header_spinner, busy && self->shown);
  gtk_spinner_set_spinning (self->computing_spinner, busy && !self->shown);
}

/* The page switcher works once there are pages to switch between. */
static void
set_shown (AssayStatsWindow *self,
           gboolean          shown)
{
  self->shown = shown;
  gtk_widget_set_sensitive (GTK_WIDGET (self->switcher_title), shown);
  update_spinners (self);
}

static void
set_busy (AssayStatsWindow *self,
          gboolean          busy)
{
  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  update_spinners (self);
}

static gboolean
is_current (RunData *data)
{
  return data->generation == data->self->generation && data->self->cancellable != NULL &&
         !g_cancellable_is_cancelled (data->self->cancellable);
}

static void
show_error (AssayStatsWindow *self,
            const GError     *error)
{
  g_autofree char *escaped = g_markup_escape_text (error->message, -1);

  adw_status_page_set_description (self->error_page, escaped);
  gtk_stack_set_visible_child_name (self->main_stack, "error");
  set_shown (self, FALSE);
}

/* ---- putting a run on screen ---- */

static void
show_results (AssayStatsWindow  *self,
              RunData           *data,
              AssayStatsDetails *details)
{
  AssayAgreementReport *old = self->report;

  /* The pages let go of the old report before it goes. */
  self->report = g_steal_pointer (&data->report);
  assay_stats_agreement_page_set_report (self->agreement, self->report, details->tmpl);
  assay_stats_disagreements_page_set_report (self->disagreements, self->path, self->report);
  /* calibration works on the same snapshot, in a thread of its own */
  assay_stats_judges_page_set_data (self->judges, self->report->data);
  assay_agreement_report_free (old);
  adw_view_stack_page_set_badge_number (self->disagreements_page, self->report->items->len);
  assay_stats_overview_page_set_progress (self->overview, details->progress);
  assay_stats_overview_page_set_leaderboard (self->overview, g_steal_pointer (&data->board),
                                             details->tmpl);

  if (assay_stats_data_get_n_ratings (self->report->data) == 0)
    {
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
      set_shown (self, FALSE);
      return;
    }
  gtk_stack_set_visible_child_name (self->main_stack, "stats");
  set_shown (self, TRUE);
}

static void
on_details_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  AssayStatsWindow *self = data->self;
  g_autoptr(AssayStatsDetails) details = NULL;
  g_autoptr(GError) error = NULL;

  details = assay_stats_describe_finish (result, &error);
  if (details == NULL)
    {
      if (is_current (data))
        {
          set_busy (self, FALSE);
          show_error (self, error);
        }
      else if (data->generation == self->generation)
        set_busy (self, FALSE);
      return;
    }
  if (!is_current (data))
    return;
  set_busy (self, FALSE);
  show_results (self, data, details);
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  AssayStatsWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  AssayAgreementReport *report = NULL;
  AssayLeaderboard *board = NULL;

  if (!assay_stats_compute_finish (result, &report, &board, &error))
    {
      if (is_current (data))
        {
          set_busy (self, FALSE);
          show_error (self, error);
        }
      else if (data->generation == self->generation)
        set_busy (self, FALSE);
      return;
    }
  data->report = report;
  data->board = board;
  if (!is_current (data))
    return;

  /* Progress and the template's titles; the disagreements page reads its
   * own items. */
  assay_stats_describe_async (self->path, report, NULL, 0, 0, TRUE, self->cancellable,
                              on_details_done, g_steal_pointer (&data));
}

void
assay_stats_window_refresh (AssayStatsWindow *self)
{
  AssayStatsOptions agreement, leaderboard;

  g_return_if_fail (ASSAY_IS_STATS_WINDOW (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->busy = 0;

  assay_stats_options_init (&agreement);
  assay_stats_options_init (&leaderboard);
  agreement.kinds = assay_stats_agreement_page_get_kinds (self->agreement);
  leaderboard.kinds = assay_stats_overview_page_get_kinds (self->overview);

  if (!self->shown)
    gtk_stack_set_visible_child_name (self->main_stack, "computing");
  set_busy (self, TRUE);
  assay_stats_compute_async (self->path, &agreement, &leaderboard, self->cancellable,
                             on_computed, run_data_new (self, self->generation));
}

/* ---- signal handlers ---- */

static void
on_kinds_changed (AssayStatsWindow *self)
{
  if (self->path != NULL)
    assay_stats_window_refresh (self);
}

static void
on_page_busy (AssayStatsWindow *self)
{
  update_spinners (self);
}

static void
on_disagreement_activated (AssayStatsWindow *self,
                           gint64            source_id)
{
  assay_stats_window_adjudicate (self, source_id);
}

static void
on_gold_changed (AssayStatsWindow *self)
{
  if (self->adjudicating == 0)
    return;
  assay_stats_disagreements_page_set_settled (self->disagreements, self->adjudicating);
  self->gold_changed = TRUE;
}

static void
on_leaflet_page_changed (AssayStatsWindow *self)
{
  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "stats") != 0)
    return;
  /* Back from the adjudication view, at the row the lead came from. */
  if (self->adjudicating != 0)
    assay_stats_disagreements_page_focus_source (self->disagreements, self->adjudicating);
  /* Gold counts in the leaderboard only when "All" is chosen. */
  if (self->gold_changed &&
      (assay_stats_overview_page_get_kinds (self->overview) & ASSAY_STATS_ADJUDICATORS) != 0)
    assay_stats_window_refresh (self);
  self->gold_changed = FALSE;
}

static gboolean
assay_stats_window_real_adjudicate (AssayStatsWindow *self,
                                    gint64            source_id)
{
  g_autoptr(GError) error = NULL;

  if (self->adjudication == NULL)
    {
      self->adjudication = assay_adjudication_view_new (self->project, self->lead_id,
                                                        self->lead_name);
      gtk_widget_set_vexpand (self->adjudication, TRUE);
      g_signal_connect_object (self->adjudication, "changed", G_CALLBACK (on_gold_changed), self,
                               G_CONNECT_SWAPPED);
      gtk_box_append (self->adjudicate_box, self->adjudication);
    }

  if (!assay_adjudication_view_set_source (ASSAY_ADJUDICATION_VIEW (self->adjudication),
                                           source_id, &error))
    {
      g_autofree char *escaped = g_markup_escape_text (error->message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
      return TRUE;
    }

  /* The view names the item itself; the header says where the lead is. */
  self->adjudicating = source_id;
  adw_leaflet_set_visible_child_name (self->leaflet, "adjudicate");
  return TRUE;
}

void
assay_stats_window_adjudicate (AssayStatsWindow *self,
                               gint64            source_id)
{
  gboolean handled = FALSE;

  g_return_if_fail (ASSAY_IS_STATS_WINDOW (self));
  g_return_if_fail (source_id > 0);

  g_signal_emit (self, signals[SIGNAL_ADJUDICATE], 0, source_id, &handled);
}

/* ---- actions ---- */

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  assay_stats_window_refresh (ASSAY_STATS_WINDOW (widget));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "stats");
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    return;
  adw_leaflet_set_visible_child_name (self->leaflet, "stats");
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static void
adjudicate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  gint64 source_id = g_variant_get_int64 (parameter);

  if (source_id > 0)
    assay_stats_window_adjudicate (ASSAY_STATS_WINDOW (widget), source_id);
}

/* ---- private, for the tests ---- */

gboolean
_assay_stats_window_get_busy (AssayStatsWindow *self)
{
  return get_busy (self);
}

const char *
_assay_stats_window_get_page (AssayStatsWindow *self)
{
  const char *main_page;

  if (g_strcmp0 (adw_leaflet_get_visible_child_name (self->leaflet), "adjudicate") == 0)
    return "adjudicate";
  main_page = gtk_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (main_page, "stats") != 0)
    return main_page;
  return adw_view_stack_get_visible_child_name (self->view_stack);
}

GtkWidget *
_assay_stats_window_get_chart (AssayStatsWindow *self)
{
  return assay_stats_overview_page_get_chart (self->overview);
}

GtkWidget *
_assay_stats_window_get_adjudication (AssayStatsWindow *self)
{
  return self->adjudication;
}

GtkListBox *
_assay_stats_window_get_disagreement_list (AssayStatsWindow *self)
{
  return assay_stats_disagreements_page_get_list (self->disagreements);
}

GtkWidget *
_assay_stats_window_get_judges_page (AssayStatsWindow *self)
{
  return GTK_WIDGET (self->judges);
}

void
_assay_stats_window_set_page_size (AssayStatsWindow *self,
                                   guint             page_size)
{
  assay_stats_disagreements_page_set_page_size (self->disagreements, page_size);
}

/* ---- GObject ---- */

GtkWindow *
assay_stats_window_new (GtkWindow    *parent,
                        AssayProject *project,
                        const char   *lead_id,
                        const char   *lead_name)
{
  AssayStatsWindow *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (lead_id != NULL, NULL);

  self = g_object_new (ASSAY_TYPE_STATS_WINDOW,
                       "transient-for", parent,
                       "destroy-with-parent", TRUE,
                       "modal", FALSE,
                       NULL);
  if (parent != NULL)
    gtk_window_set_application (GTK_WINDOW (self), gtk_window_get_application (parent));
  self->project = g_object_ref (project);
  self->path = g_strdup (assay_project_get_path (project));
  self->lead_id = g_strdup (lead_id);
  self->lead_name = g_strdup (lead_name);

  name = assay_project_dup_name (project);
  adw_view_switcher_title_set_subtitle (self->switcher_title, name);

  assay_stats_window_refresh (self);
  return GTK_WINDOW (self);
}

static gboolean
assay_stats_window_close_request (GtkWindow *window)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (window);

  /* The workers stop at their next check; their results are dropped. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  if (GTK_WINDOW_CLASS (assay_stats_window_parent_class)->close_request != NULL)
    return GTK_WINDOW_CLASS (assay_stats_window_parent_class)->close_request (window);
  return FALSE;
}

static void
assay_stats_window_dispose (GObject *object)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (object);

  /* Results still on their way are for a window that is gone. */
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  /* The pages borrow the report: they go first. */
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_STATS_WINDOW);
  g_clear_object (&self->project);
  g_clear_pointer (&self->report, assay_agreement_report_free);

  G_OBJECT_CLASS (assay_stats_window_parent_class)->dispose (object);
}

static void
assay_stats_window_finalize (GObject *object)
{
  AssayStatsWindow *self = ASSAY_STATS_WINDOW (object);

  g_free (self->path);
  g_free (self->lead_id);
  g_free (self->lead_name);

  G_OBJECT_CLASS (assay_stats_window_parent_class)->finalize (object);
}

static void
assay_stats_window_class_init (AssayStatsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = assay_stats_window_dispose;
  object_class->finalize = assay_stats_window_finalize;
  window_class->close_request = assay_stats_window_close_request;

  /**
   * AssayStatsWindow::adjudicate:
   * @source_id: the source's row id
   *
   * The lead asked to settle a source's disagreements. Return TRUE to
   * handle it; by default the window shows its adjudication view.
   */
  signals[SIGNAL_ADJUDICATE] =
    g_signal_new_class_handler ("adjudicate",
                                G_TYPE_FROM_CLASS (klass),
                                G_SIGNAL_RUN_LAST,
                                G_CALLBACK (assay_stats_window_real_adjudicate),
                                g_signal_accumulator_true_handled, NULL,
                                NULL,
                                G_TYPE_BOOLEAN, 1, G_TYPE_INT64);

  g_type_ensure (ASSAY_TYPE_STATS_OVERVIEW_PAGE);
  g_type_ensure (ASSAY_TYPE_STATS_AGREEMENT_PAGE);
  g_type_ensure (ASSAY_TYPE_STATS_DISAGREEMENTS_PAGE);
  g_type_ensure (ASSAY_TYPE_STATS_JUDGES_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-stats-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, header_spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, computing_spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagreements_page);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, overview);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, agreement);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, disagreements);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, judges);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsWindow, adjudicate_box);
  gtk_widget_class_bind_template_callback (widget_class, on_kinds_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_page_busy);
  gtk_widget_class_bind_template_callback (widget_class, on_disagreement_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_page_changed);

  gtk_widget_class_install_action (widget_class, "stats.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "stats.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "stats.page", "s", page_action);
  gtk_widget_class_install_action (widget_class, "stats.adjudicate", "x", adjudicate_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "stats.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "stats.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "stats.page", "s", "overview");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "stats.page", "s", "agreement");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "stats.page", "s", "disagreements");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
assay_stats_window_init (AssayStatsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  set_shown (self, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "stats-window");
}
