/* assay-stats-disagreements-page.c: the items where annotators disagree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list comes from the core's definition of a disagreement
 * (assay_agreement_report_list_disagreements for one statistic); what each
 * rater said is read a page at a time by assay_stats_describe_async, in the
 * core's worker thread. Titles and summaries from imported files go into
 * plain labels.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "assay-stats-disagreements-page.h"
#include "assay-stats-page-private.h"

/* Items whose units are spelled out per request; "Show More" asks for the
 * next ones. Reading them means loading each rater's judgments. */
#define PAGE_SIZE            100
/* Units named in a row's subtitle (the core writes two). */
#define UNITS_IN_SUBTITLE    2
#define ALL_STATS            G_MAXUINT

struct _AssayStatsDisagreementsPage
{
  GtkWidget             parent_instance;

  GtkStack             *disagree_stack;
  AdwStatusPage        *disagree_empty;
  GtkLabel             *disagree_summary;
  GtkDropDown          *disagree_filter;
  GtkListBox           *disagree_list;
  GtkWidget            *more_button;

  char                 *path;
  AssayAgreementReport *report;         /* borrowed from the window */
  GCancellable         *cancellable;
  guint                 generation;
  guint                 busy;

  GArray               *filter_stats;   /* guint: the dropdown's entries, ALL_STATS first */
  guint                 filter;         /* a report stat index, or ALL_STATS */
  GPtrArray            *items;          /* AssayDisagreementItem for the filter */
  guint                 n_requested;    /* items asked of the core so far */
  guint                 page_size;
  guint                 filling;        /* the dropdown is being rebuilt */
  GHashTable           *settled;        /* source ids (gint64 *) with gold */
};

G_DEFINE_FINAL_TYPE (AssayStatsDisagreementsPage, assay_stats_disagreements_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_busy (AssayStatsDisagreementsPage *self,
          gboolean                     busy)
{
  gboolean before = self->busy > 0;

  if (busy)
    self->busy++;
  else if (self->busy > 0)
    self->busy--;
  if (before != (self->busy > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}


static void
list_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
row_set_settled (GtkWidget *row,
                 gboolean   settled)
{
  GtkWidget *tag = g_object_get_data (G_OBJECT (row), "settled-tag");

  if (tag != NULL)
    gtk_widget_set_visible (tag, settled);
  if (settled)
    gtk_widget_add_css_class (row, "settled");
  else
    gtk_widget_remove_css_class (row, "settled");
}

static GtkWidget *
disagreement_row_new (AssayStatsDisagreementsPage  *self,
                      AssayDisagreementDescription *d)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *tag = gtk_label_new (_("Settled"));
  GtkWidget *measure;
  GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  g_autofree char *value = _assay_stats_format_number (d->disagreement, 2, FALSE);
  g_autofree char *measure_tip = NULL;
  g_autofree char *tooltip = NULL;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), d->title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
  if (d->summary != NULL && *d->summary != '\0')
    {
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), d->summary);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), UNITS_IN_SUBTITLE + 1);
    }
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  tooltip = d->details != NULL ? g_strconcat (d->title, "\n", d->details, NULL)
                               : g_strdup (d->title);
  gtk_widget_set_tooltip_text (row, tooltip);

  gtk_widget_add_css_class (tag, "stats-tag");
  gtk_widget_add_css_class (tag, "settled");
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (tag, _("Gold judgments have been set for this item"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), tag);

  measure = gtk_label_new (value);
  measure_tip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Disagreement %s over %u difference: each counts "
                                              "from 0 (all agree) to 1 (as far apart as the "
                                              "scale allows)",
                                              "Disagreement %s over %u differences: each counts "
                                              "from 0 (all agree) to 1 (as far apart as the "
                                              "scale allows)", d->n_units),
                                 value, d->n_units);
  gtk_widget_set_tooltip_text (measure, measure_tip);
  gtk_widget_add_css_class (measure, "numeric");
  gtk_widget_add_css_class (measure, "disagreement-measure");
  gtk_widget_set_valign (measure, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), measure);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);

  g_object_set_data (G_OBJECT (row), "settled-tag", tag);
  g_object_set_data_full (G_OBJECT (row), "source-id", g_memdup2 (&d->source_id, sizeof (gint64)),
                          g_free);
  row_set_settled (row, d->settled || g_hash_table_contains (self->settled, &d->source_id));
  return row;
}

static void
update_more_button (AssayStatsDisagreementsPage *self)
{
  guint left = self->items != NULL && self->items->len > self->n_requested
               ? self->items->len - self->n_requested : 0;

  gtk_widget_set_visible (self->more_button, left > 0);
}

static void
append_rows (AssayStatsDisagreementsPage *self,
             GPtrArray                   *rows)
{
  for (guint i = 0; rows != NULL && i < rows->len; i++)
    {
      AssayDisagreementDescription *d = g_ptr_array_index (rows, i);

      if (d->settled)
        g_hash_table_add (self->settled, g_memdup2 (&d->source_id, sizeof (gint64)));
      gtk_list_box_append (self->disagree_list, disagreement_row_new (self, d));
    }
  update_more_button (self);
}

static void
update_disagreement_summary (AssayStatsDisagreementsPage *self)
{
  g_autofree char *text = NULL;
  guint n = self->items != NULL ? self->items->len : 0;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u item where annotators disagree, the most disagreed-on "
                                       "first. Open one to set its gold judgments.",
                                       "%u items where annotators disagree, the most "
                                       "disagreed-on first. Open one to set its gold judgments.",
                                       n), n);
  gtk_label_set_text (self->disagree_summary, text);
}

static void
fill_filter (AssayStatsDisagreementsPage *self)
{
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);
  g_autofree gboolean *disagreed = NULL;
  guint all = ALL_STATS;

  self->filling++;
  g_array_set_size (self->filter_stats, 0);
  gtk_string_list_append (strings, _("All Statistics"));
  g_array_append_val (self->filter_stats, all);
  /* Only statistics someone disagrees on: the others would list nothing. */
  disagreed = g_new0 (gboolean, MAX (1, self->report->stats->len));
  for (guint k = 0; k < self->report->items->len; k++)
    {
      AssayDisagreementItem *item = g_ptr_array_index (self->report->items, k);

      for (guint u = 0; u < item->units->len; u++)
        {
          guint stat = g_array_index (item->units, AssayDisagreement, u).stat;

          if (stat < self->report->stats->len)
            disagreed[stat] = TRUE;
        }
    }
  for (guint i = 0; i < self->report->stats->len; i++)
    {
      if (!disagreed[i])
        continue;
      gtk_string_list_append (strings,
                              assay_agreement_stat_title (g_ptr_array_index (self->report->stats,
                                                                             i)));
      g_array_append_val (self->filter_stats, i);
    }
  gtk_drop_down_set_model (self->disagree_filter, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (self->disagree_filter, 0);
  self->filter = ALL_STATS;
  self->filling--;
}

/* Lists the items for the filter; the rows come from the worker. */
static void
select_items (AssayStatsDisagreementsPage *self)
{
  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (self->filter == ALL_STATS)
    self->items = g_ptr_array_ref (self->report->items);
  else
    self->items = assay_agreement_report_list_disagreements (self->report, self->filter);
  self->n_requested = 0;
  list_clear (self->disagree_list);
  update_disagreement_summary (self);
  gtk_widget_set_visible (self->more_button, FALSE);
}

static void
build_disagreements (AssayStatsDisagreementsPage *self,
                     GPtrArray                   *rows)
{
  AssayAgreementReport *report = self->report;
  guint n = report->items->len;

  if (report->annotators->len < 2)
    {
      _assay_stats_set_needs_two (self->disagree_empty, report);
      gtk_stack_set_visible_child_name (self->disagree_stack, "empty");
      return;
    }
  if (n == 0)
    {
      adw_status_page_set_icon_name (self->disagree_empty, "emblem-ok-symbolic");
      adw_status_page_set_title (self->disagree_empty, _("No Disagreements"));
      adw_status_page_set_description (self->disagree_empty,
                                       _("The annotators agree on every item they share."));
      gtk_stack_set_visible_child_name (self->disagree_stack, "empty");
      return;
    }
  gtk_stack_set_visible_child_name (self->disagree_stack, "list");
  append_rows (self, rows);
}

typedef struct
{
  AssayStatsDisagreementsPage *self;
  guint                        generation;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
on_described (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  AssayStatsDisagreementsPage *self = request->self;
  g_autoptr(AssayStatsDetails) details = NULL;
  g_autoptr(GError) error = NULL;

  details = assay_stats_describe_finish (result, &error);
  if (request->generation != self->generation)
    return;
  set_busy (self, FALSE);
  if (details == NULL)
    {
      /* The list keeps what it has; a refresh tries again. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not describe the disagreements: %s", error->message);
      update_more_button (self);
      return;
    }
  append_rows (self, details->items);
}

/* Details for more items of the list on screen (the first page, paging,
 * filtering). */
static void
start_details (AssayStatsDisagreementsPage *self)
{
  Request *request;
  guint start = self->n_requested;
  guint end = MIN (start + self->page_size, self->items->len);

  if (self->report == NULL || start >= end)
    {
      update_more_button (self);
      return;
    }
  self->n_requested = end;
  request = g_new0 (Request, 1);
  request->self = g_object_ref (self);
  request->generation = self->generation;
  set_busy (self, TRUE);
  assay_stats_describe_async (self->path, self->report, self->items, start, end, FALSE,
                              self->cancellable, on_described, request);
  gtk_widget_set_visible (self->more_button, FALSE);
}

/* Drops what is on its way: the results of a superseded request. */
static void
cancel_requests (AssayStatsDisagreementsPage *self)
{
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->busy > 0)
    {
      self->busy = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

static void
on_filter_changed (AssayStatsDisagreementsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->disagree_filter);

  if (self->filling > 0 || self->report == NULL || selected >= self->filter_stats->len)
    return;
  cancel_requests (self);
  self->cancellable = g_cancellable_new ();
  self->filter = g_array_index (self->filter_stats, guint, selected);
  select_items (self);
  start_details (self);
}

static void
on_more_clicked (AssayStatsDisagreementsPage *self)
{
  start_details (self);
}

static void
on_disagreement_activated (AssayStatsDisagreementsPage *self,
                           GtkListBoxRow               *row)
{
  gint64 *source_id = g_object_get_data (G_OBJECT (row), "source-id");

  if (source_id != NULL)
    g_signal_emit (self, signals[SIGNAL_ACTIVATED], 0, *source_id);
}

static GtkWidget *
find_row (AssayStatsDisagreementsPage *self,
          gint64                       source_id)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->disagree_list));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      gint64 *id = g_object_get_data (G_OBJECT (child), "source-id");

      if (id != NULL && *id == source_id)
        return child;
    }
  return NULL;
}

void
assay_stats_disagreements_page_set_report (AssayStatsDisagreementsPage *self,
                                           const char                  *path,
                                           AssayAgreementReport        *report)
{
  g_return_if_fail (ASSAY_IS_STATS_DISAGREEMENTS_PAGE (self));

  cancel_requests (self);
  g_free (self->path);
  self->path = g_strdup (path);
  self->report = report;
  g_clear_pointer (&self->items, g_ptr_array_unref);
  list_clear (self->disagree_list);
  if (report == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  g_hash_table_remove_all (self->settled);
  fill_filter (self);
  select_items (self);
  build_disagreements (self, NULL);
  start_details (self);
}

void
assay_stats_disagreements_page_set_settled (AssayStatsDisagreementsPage *self,
                                            gint64                       source_id)
{
  GtkWidget *row;

  g_return_if_fail (ASSAY_IS_STATS_DISAGREEMENTS_PAGE (self));

  g_hash_table_add (self->settled, g_memdup2 (&source_id, sizeof (gint64)));
  row = find_row (self, source_id);
  if (row != NULL)
    row_set_settled (row, TRUE);
}

gboolean
assay_stats_disagreements_page_focus_source (AssayStatsDisagreementsPage *self,
                                             gint64                       source_id)
{
  GtkWidget *row;

  g_return_val_if_fail (ASSAY_IS_STATS_DISAGREEMENTS_PAGE (self), FALSE);

  row = find_row (self, source_id);
  return row != NULL && gtk_widget_grab_focus (row);
}

gboolean
assay_stats_disagreements_page_get_busy (AssayStatsDisagreementsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_DISAGREEMENTS_PAGE (self), FALSE);

  return self->busy > 0;
}

GtkListBox *
assay_stats_disagreements_page_get_list (AssayStatsDisagreementsPage *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_DISAGREEMENTS_PAGE (self), NULL);

  return self->disagree_list;
}

void
assay_stats_disagreements_page_set_page_size (AssayStatsDisagreementsPage *self,
                                              guint                        page_size)
{
  g_return_if_fail (ASSAY_IS_STATS_DISAGREEMENTS_PAGE (self));

  self->page_size = MAX (1, page_size);
}

static void
assay_stats_disagreements_page_get_property (GObject    *object,
                                             guint       prop_id,
                                             GValue     *value,
                                             GParamSpec *pspec)
{
  AssayStatsDisagreementsPage *self = ASSAY_STATS_DISAGREEMENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_stats_disagreements_page_dispose (GObject *object)
{
  AssayStatsDisagreementsPage *self = ASSAY_STATS_DISAGREEMENTS_PAGE (object);
  GtkWidget *child;

  /* Results still on their way are for a page that is gone. */
  self->generation++;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_STATS_DISAGREEMENTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->report = NULL;
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (assay_stats_disagreements_page_parent_class)->dispose (object);
}

static void
assay_stats_disagreements_page_finalize (GObject *object)
{
  AssayStatsDisagreementsPage *self = ASSAY_STATS_DISAGREEMENTS_PAGE (object);

  g_free (self->path);
  g_array_unref (self->filter_stats);
  g_hash_table_unref (self->settled);

  G_OBJECT_CLASS (assay_stats_disagreements_page_parent_class)->finalize (object);
}

static void
assay_stats_disagreements_page_class_init (AssayStatsDisagreementsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = assay_stats_disagreements_page_get_property;
  object_class->dispose = assay_stats_disagreements_page_dispose;
  object_class->finalize = assay_stats_disagreements_page_finalize;

  /**
   * AssayStatsDisagreementsPage:busy:
   *
   * Whether the core is reading what the raters said on a page of items.
   */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayStatsDisagreementsPage::activated:
   * @source_id: the source's row id
   *
   * The lead opened an item of the list to settle it.
   */
  signals[SIGNAL_ACTIVATED] =
    g_signal_new ("activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-stats-disagreements-page.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayStatsDisagreementsPage,
                                        disagree_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsDisagreementsPage,
                                        disagree_empty);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsDisagreementsPage,
                                        disagree_summary);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsDisagreementsPage,
                                        disagree_filter);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsDisagreementsPage,
                                        disagree_list);
  gtk_widget_class_bind_template_child (widget_class, AssayStatsDisagreementsPage, more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_more_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_disagreement_activated);
}

static void
assay_stats_disagreements_page_init (AssayStatsDisagreementsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter_stats = g_array_new (FALSE, FALSE, sizeof (guint));
  self->filter = ALL_STATS;
  self->page_size = PAGE_SIZE;
  self->settled = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}
