/* assay-evidence-panel.c: the transcript passages that bear on a claim
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The passages come from the core (assay_evidence_rank), best first, with
 * the words they share with the claim in bold. Arrow keys walk them, each
 * shown in the transcript as it is chosen ("passage-selected"); Enter links
 * it ("passage-activated"), which the span editor turns into evidence.
 */
#define G_LOG_DOMAIN "assay-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-evidence-panel.h"

/* Passages shown: enough to choose from, few enough to read. */
#define N_SHOWN 5

struct _AssayEvidencePanel
{
  GtkWidget      parent_instance;

  GtkWidget     *box;
  GtkLabel      *status;
  GtkSpinner    *spinner;
  GtkWidget     *scroller;
  GtkListBox    *list;

  AssaySession  *session;
  char          *claim;
  gint64         source_id;
  GPtrArray     *passages;     /* AssayEvidencePassage */
  GCancellable  *cancellable;  /* the index being built */
  gboolean       filling;
  gboolean       want_focus;   /* focus the best passage once there is one */
};

G_DEFINE_FINAL_TYPE (AssayEvidencePanel, assay_evidence_panel, GTK_TYPE_WIDGET)

enum {
  PASSAGE_SELECTED,
  PASSAGE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The passage's text as markup, its matched words in bold. */
static char *
passage_markup (const AssayEvidencePassage *passage)
{
  GString *markup = g_string_new (NULL);
  const char *text = passage->text;
  const char *p = text;

  for (guint i = 0; i < passage->matches->len; i++)
    {
      const AssayRange *r = &g_array_index (passage->matches, AssayRange, i);
      const char *a = g_utf8_offset_to_pointer (text, r->start);
      const char *b = g_utf8_offset_to_pointer (text, r->end);
      g_autofree char *before = NULL;
      g_autofree char *word = NULL;

      if (a < p)
        continue;   /* overlapping: already bold */
      before = g_markup_escape_text (p, a - p);
      word = g_markup_escape_text (a, b - a);
      g_string_append_printf (markup, "%s<b>%s</b>", before, word);
      p = b;
    }
  {
    g_autofree char *rest = g_markup_escape_text (p, -1);

    g_string_append (markup, rest);
  }
  return g_string_free (markup, FALSE);
}

static void
clear_rows (AssayEvidencePanel *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
}

static void
show_status (AssayEvidencePanel *self,
             const char         *text,
             gboolean            busy)
{
  gtk_label_set_text (self->status, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
fill (AssayEvidencePanel *self)
{
  g_autoptr(GError) error = NULL;
  AssayProject *project = assay_session_get_project (self->session);

  self->filling = TRUE;
  clear_rows (self);
  g_clear_pointer (&self->passages, g_ptr_array_unref);
  self->passages = assay_evidence_rank (project, self->source_id, self->claim, N_SHOWN, &error);
  if (self->passages == NULL)
    {
      show_status (self, error->message, FALSE);
      gtk_widget_set_visible (self->scroller, FALSE);
      self->filling = FALSE;
      return;
    }

  for (guint i = 0; i < self->passages->len; i++)
    {
      AssayEvidencePassage *passage = g_ptr_array_index (self->passages, i);
      g_autofree char *markup = passage_markup (passage);
      g_autofree char *name = NULL;
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_lines (GTK_LABEL (label), 3);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 44);
      gtk_widget_set_margin_start (label, 10);
      gtk_widget_set_margin_end (label, 10);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      /* TRANSLATORS: the accessible name of a suggested passage: its rank,
       * how many there are, and its text */
      name = g_strdup_printf (_("Passage %u of %u: %s"), i + 1, self->passages->len,
                              passage->text);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (i));
      gtk_list_box_append (self->list, row);
    }
  gtk_widget_set_visible (self->scroller, self->passages->len > 0);
  if (self->want_focus && self->passages->len > 0)
    {
      self->want_focus = FALSE;
      gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (self->list, 0)));
    }
  show_status (self,
               self->passages->len > 0
               ? _("Enter links the chosen passage as evidence.")
               : _("No passage of the transcript shares a word, number, date or name with "
                   "it."),
               FALSE);
  self->filling = FALSE;
}

static void
prepared_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(AssayEvidencePanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!assay_evidence_prepare_finish (ASSAY_PROJECT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_object (&self->cancellable);
          show_status (self, error->message, FALSE);
        }
      return;
    }
  g_clear_object (&self->cancellable);
  if (self->session == NULL || self->claim == NULL ||
      assay_session_get_project (self->session) != ASSAY_PROJECT (object))
    return;
  if (assay_evidence_is_ready (ASSAY_PROJECT (object), self->source_id))
    fill (self);
}

static void
update (AssayEvidencePanel *self)
{
  AssayItem *item = self->session ? assay_session_get_item (self->session) : NULL;
  AssayProject *project;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (item == NULL || self->claim == NULL)
    {
      clear_rows (self);
      g_clear_pointer (&self->passages, g_ptr_array_unref);
      gtk_widget_set_visible (self->scroller, FALSE);
      show_status (self, NULL, FALSE);
      return;
    }
  self->source_id = item->source_id;
  project = assay_session_get_project (self->session);
  if (assay_evidence_is_ready (project, self->source_id))
    {
      fill (self);
      return;
    }
  /* Indexing a long transcript takes a moment: not on the UI thread. */
  clear_rows (self);
  gtk_widget_set_visible (self->scroller, FALSE);
  show_status (self, _("Reading the transcript for passages…"), TRUE);
  self->cancellable = g_cancellable_new ();
  assay_evidence_prepare_async (project, self->source_id, self->cancellable, prepared_cb,
                                g_object_ref (self));
}

static void
row_selected_cb (AssayEvidencePanel *self,
                 GtkListBoxRow      *row)
{
  guint index;
  AssayEvidencePassage *passage;

  if (row == NULL || self->filling || self->passages == NULL)
    return;
  index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  if (index >= self->passages->len)
    return;
  passage = g_ptr_array_index (self->passages, index);
  g_signal_emit (self, signals[PASSAGE_SELECTED], 0, passage->start, passage->end);
}

static void
row_activated_cb (AssayEvidencePanel *self,
                  GtkListBoxRow      *row)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  AssayEvidencePassage *passage;

  if (self->passages == NULL || index >= self->passages->len)
    return;
  passage = g_ptr_array_index (self->passages, index);
  g_signal_emit (self, signals[PASSAGE_ACTIVATED], 0, passage->start, passage->end);
}

static void
assay_evidence_panel_dispose (GObject *object)
{
  AssayEvidencePanel *self = ASSAY_EVIDENCE_PANEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->passages, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_EVIDENCE_PANEL);
  G_OBJECT_CLASS (assay_evidence_panel_parent_class)->dispose (object);
}

static void
assay_evidence_panel_finalize (GObject *object)
{
  AssayEvidencePanel *self = ASSAY_EVIDENCE_PANEL (object);

  g_free (self->claim);
  G_OBJECT_CLASS (assay_evidence_panel_parent_class)->finalize (object);
}

static void
assay_evidence_panel_class_init (AssayEvidencePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_evidence_panel_dispose;
  object_class->finalize = assay_evidence_panel_finalize;

  /**
   * AssayEvidencePanel::passage-selected:
   * @start: the passage's start, in code points of the source's text
   * @end: its end
   *
   * The expert moved to a passage (to see it in the transcript).
   */
  signals[PASSAGE_SELECTED] =
    g_signal_new ("passage-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);
  /**
   * AssayEvidencePanel::passage-activated:
   *
   * The expert chose a passage as evidence (Enter, or a click).
   */
  signals[PASSAGE_ACTIVATED] =
    g_signal_new ("passage-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-evidence-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayEvidencePanel, box);
  gtk_widget_class_bind_template_child (widget_class, AssayEvidencePanel, status);
  gtk_widget_class_bind_template_child (widget_class, AssayEvidencePanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayEvidencePanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayEvidencePanel, list);
  gtk_widget_class_bind_template_callback (widget_class, row_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
assay_evidence_panel_init (AssayEvidencePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (GTK_WIDGET (self->status), FALSE);
}

void
assay_evidence_panel_set_session (AssayEvidencePanel *self,
                                  AssaySession       *session)
{
  g_return_if_fail (ASSAY_IS_EVIDENCE_PANEL (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;
  g_clear_pointer (&self->claim, g_free);
  update (self);
}

void
assay_evidence_panel_set_claim (AssayEvidencePanel *self,
                                const char         *claim)
{
  AssayItem *item;

  g_return_if_fail (ASSAY_IS_EVIDENCE_PANEL (self));

  item = self->session ? assay_session_get_item (self->session) : NULL;
  /* The same claim on the same source: the list stands (and keeps the
   * expert's place in it). */
  if (g_strcmp0 (claim, self->claim) == 0 && item != NULL && item->source_id == self->source_id &&
      (self->passages != NULL || self->cancellable != NULL))
    return;
  g_free (self->claim);
  self->claim = g_strdup (claim);
  update (self);
}

guint
assay_evidence_panel_get_n_passages (AssayEvidencePanel *self)
{
  g_return_val_if_fail (ASSAY_IS_EVIDENCE_PANEL (self), 0);

  return self->passages ? self->passages->len : 0;
}

const AssayEvidencePassage *
assay_evidence_panel_get_passage (AssayEvidencePanel *self,
                                  guint               index)
{
  g_return_val_if_fail (ASSAY_IS_EVIDENCE_PANEL (self), NULL);

  if (self->passages == NULL || index >= self->passages->len)
    return NULL;
  return g_ptr_array_index (self->passages, index);
}

gboolean
assay_evidence_panel_focus_first (AssayEvidencePanel *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (ASSAY_IS_EVIDENCE_PANEL (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->list, 0);
  if (row == NULL)
    {
      /* Still reading the transcript: as soon as it is done. */
      self->want_focus = self->cancellable != NULL;
      return FALSE;
    }
  return gtk_widget_grab_focus (GTK_WIDGET (row));
}
