/* assay-judgment-panel.c: labels, rubric scores and a note for one candidate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel is built from the template when the session is set (a chip per
 * candidate label option, a row per criterion) and then only mirrors what
 * the session holds for the candidate on screen. Every widget change that
 * comes from the session happens with `syncing` raised, so that the
 * "toggled" and "changed" handlers can tell the expert's actions from
 * their own echo and never write twice.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-judgment-panel.h"
#include "assay-keys.h"
#include "assay-wrap-box.h"
#include "assay-judgment-panel-private.h"

/* Typing pauses shorter than this are not worth a write each. */
#define SAVE_DELAY_MS 600
/* No score, where 0 may be a point on a scale. */
#define NO_SCORE G_MININT

typedef struct
{
  AssayJudgmentPanel *panel;
  AssayLabelOption   *option;
  GtkToggleButton    *button;
  GtkWidget          *dot;
  GdkRGBA             color;
  gboolean            has_color;
} Chip;

typedef struct
{
  AssayJudgmentPanel *panel;
  AssayCriterion     *criterion;
  GtkWidget          *row;
  GPtrArray          *buttons;      /* GtkToggleButton, for min..max */
  GtkLabel           *anchor_value;
  GtkLabel           *anchor;
  GtkEntry           *rationale;
  GtkWidget          *suggestion;   /* a pending suggested score: what, and Accept */
  GtkLabel           *suggestion_label;
  int                 hover;        /* the score under the pointer, or NO_SCORE */
  int                 focus;        /* the score button with the focus, or NO_SCORE */
  gboolean            dirty;        /* rationale typed but not written */
} ScoreRow;

struct _AssayJudgmentPanel
{
  GtkWidget          parent_instance;

  GBindingGroup     *session_bindings;
  GSignalGroup      *item_signals;   /* on the session's current item */

  GtkWidget         *scroller;
  GtkWidget         *content;
  GtkBox            *labels_box;
  GtkWidget         *rubric_box;
  GtkLabel          *rubric_progress;
  GtkListBox        *rubric_list;
  GtkTextView       *note_view;

  AssaySession      *session;
  AssayTemplate     *tmpl;
  gint64             candidate_id;

  GPtrArray         *chips;         /* Chip */
  GPtrArray         *rows;          /* ScoreRow */

  guint              syncing;
  gboolean           note_dirty;
  gboolean           show_missing;
  guint              save_source;
  guint              reveal_source;
  gint64             reveal_criterion;
};

G_DEFINE_FINAL_TYPE (AssayJudgmentPanel, assay_judgment_panel, GTK_TYPE_WIDGET)

static void       sync_all       (AssayJudgmentPanel *self,
                                  gboolean            force);
static GtkWidget *focused_button (ScoreRow           *row,
                                  guint              *index);
static void       set_tab_stop   (ScoreRow           *row,
                                  guint               index);

/* A row's state lives as long as the widgets that call back with it (the
 * list row, its score buttons and its rationale each hold a reference):
 * GTK may still send them focus and pointer events while they are being
 * destroyed, after the panel has let go of them (when the window closes
 * with the focus on a score, for one). `panel` is NULL from then on, and
 * every callback checks it first. */
static void
score_row_clear (gpointer data)
{
  ScoreRow *row = data;

  g_ptr_array_unref (row->buttons);
}

static void
score_row_release (gpointer data)
{
  g_rc_box_release_full (data, score_row_clear);
}

static void
hold_score_row (gpointer  widget,
                ScoreRow *row)
{
  g_object_set_data_full (G_OBJECT (widget), "assay-score-row", g_rc_box_acquire (row),
                          score_row_release);
}

/* The pending proposals of `kind` on the candidate on screen for `key`
 * (an option or criterion id). */
static GPtrArray *
proposals_for (AssayJudgmentPanel *self,
               AssayProposalKind   kind,
               gint64              key)
{
  GPtrArray *found = g_ptr_array_new ();
  GPtrArray *pending;

  if (self->session == NULL || self->candidate_id == 0)
    return found;
  pending = assay_session_get_proposals (self->session);
  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (pending, i);

      if (proposal->kind != kind || proposal->candidate_id != self->candidate_id)
        continue;
      if ((kind == ASSAY_PROPOSAL_LABEL && proposal->option_id == key) ||
          (kind == ASSAY_PROPOSAL_SCORE && proposal->criterion_id == key))
        g_ptr_array_add (found, proposal);
    }
  return found;
}

static const char *
proposal_author (const AssayProposal *proposal)
{
  return proposal->annotator_name != NULL && *proposal->annotator_name != '\0'
           ? proposal->annotator_name : proposal->annotator;
}

/* "Suggested by X and Y". */
static char *
suggested_by (GPtrArray *proposals)
{
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint i = 0; i < proposals->len; i++)
    {
      if (i > 0)
        g_string_append (names, ", ");
      g_string_append (names, proposal_author (g_ptr_array_index (proposals, i)));
    }
  /* TRANSLATORS: a label chip's tooltip; %s names the model(s) */
  return g_strdup_printf (_("Suggested by %s"), names->str);
}

static AssayItemCandidate *
get_candidate (AssayJudgmentPanel *self)
{
  AssayItem *item;

  if (self->session == NULL || self->candidate_id == 0)
    return NULL;
  item = assay_session_get_item (self->session);
  return item != NULL ? assay_item_find_candidate (item, self->candidate_id) : NULL;
}

static AssayItemScore *
get_score (AssayJudgmentPanel *self,
           ScoreRow           *row)
{
  AssayItemCandidate *candidate = get_candidate (self);

  if (candidate == NULL)
    return NULL;
  return g_hash_table_lookup (candidate->scores, &row->criterion->id);
}

static const char *
criterion_title (AssayCriterion *criterion)
{
  return criterion->title != NULL ? criterion->title : criterion->name;
}

static const char *
nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? text : NULL;
}

/* ---- writing ---- */

static gboolean
save_timeout_cb (gpointer data)
{
  AssayJudgmentPanel *self = data;

  self->save_source = 0;
  assay_judgment_panel_flush (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_save (AssayJudgmentPanel *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  g_source_set_name_by_id (self->save_source, "[assay] judgment panel save");
}

/* Writes a rationale typed since the last write. Without a score there is
 * nothing to attach it to yet: it stays pending and goes with the score. */
static void
flush_rationale (AssayJudgmentPanel *self,
                 ScoreRow           *row)
{
  AssayItemScore *score;
  const char *text;

  if (!row->dirty)
    return;
  score = get_score (self, row);
  if (score == NULL)
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (row->rationale));
  row->dirty = FALSE;
  if (g_strcmp0 (nonempty (text), score->rationale) == 0)
    return;
  if (!assay_session_set_score (self->session, self->candidate_id, row->criterion->id,
                                score->value, text, NULL))
    row->dirty = TRUE;
}

static void
flush_note (AssayJudgmentPanel *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (!self->note_dirty || get_candidate (self) == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  self->note_dirty = FALSE;
  if (!assay_session_set_note (self->session, self->candidate_id, text, NULL))
    self->note_dirty = TRUE;
}

/* ---- the labels ---- */

/* A chip a model suggested and the expert has not decided on is set apart
 * (a dashed outline, its dot dashed) and says who suggested it. */
static void
sync_chip_proposal (AssayJudgmentPanel *self,
                    Chip               *chip)
{
  g_autoptr(GPtrArray) proposals = proposals_for (self, ASSAY_PROPOSAL_LABEL, chip->option->id);
  const char *description = chip->option->description;

  if (proposals->len > 0)
    {
      g_autofree char *by = suggested_by (proposals);
      g_autofree char *tip = description != NULL ? g_strdup_printf ("%s\n%s", by, description)
                                                 : g_strdup (by);

      gtk_widget_add_css_class (GTK_WIDGET (chip->button), "suggested");
      gtk_widget_set_tooltip_text (GTK_WIDGET (chip->button), tip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (chip->button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tip,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (chip->button), "suggested");
      gtk_widget_set_tooltip_text (GTK_WIDGET (chip->button), description);
      if (description != NULL)
        gtk_accessible_update_property (GTK_ACCESSIBLE (chip->button),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                        -1);
      else
        gtk_accessible_reset_property (GTK_ACCESSIBLE (chip->button),
                                       GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

static void
sync_labels (AssayJudgmentPanel *self)
{
  AssayItemCandidate *candidate = get_candidate (self);

  self->syncing++;
  for (guint i = 0; i < self->chips->len; i++)
    {
      Chip *chip = g_ptr_array_index (self->chips, i);
      gboolean on = FALSE;

      for (guint j = 0; candidate != NULL && j < candidate->labels->len; j++)
        if (g_array_index (candidate->labels, gint64, j) == chip->option->id)
          on = TRUE;
      gtk_toggle_button_set_active (chip->button, on);
      gtk_accessible_update_state (GTK_ACCESSIBLE (chip->button),
                                   GTK_ACCESSIBLE_STATE_CHECKED, on,
                                   -1);
      sync_chip_proposal (self, chip);
      gtk_widget_queue_draw (chip->dot);
    }
  self->syncing--;
}

static gboolean
toggle_option (AssayJudgmentPanel *self,
               Chip               *chip)
{
  gboolean ok = FALSE;

  /* A refused write was reported through "save-failed"; the chips go back
   * to what is stored either way. */
  if (get_candidate (self) != NULL)
    ok = assay_session_toggle_label (self->session, self->candidate_id, chip->option->id, NULL);
  sync_labels (self);
  return ok;
}

static void
chip_toggled_cb (GtkToggleButton *button,
                 Chip            *chip)
{
  if (chip->panel == NULL || chip->panel->syncing > 0)
    return;
  toggle_option (chip->panel, chip);
}

static void
draw_dot (GtkDrawingArea *area,
          cairo_t        *cr,
          int             width,
          int             height,
          gpointer        data)
{
  Chip *chip = data;
  double cx = width / 2.0, cy = height / 2.0, r = MIN (width, height) / 2.0;
  GdkRGBA color;

  if (chip->has_color)
    color = chip->color;
  else
    gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);
  gdk_cairo_set_source_rgba (cr, &color);

  /* Chosen is a filled dot with a tick, not chosen a ring: the two differ
   * in shape as well as in colour. */
  if (!gtk_toggle_button_get_active (chip->button))
    {
      /* A suggestion not yet taken: a dashed ring. */
      if (gtk_widget_has_css_class (GTK_WIDGET (chip->button), "suggested"))
        {
          const double dash[] = { 2.5, 2.0 };

          cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
        }
      cairo_set_line_width (cr, 2.0);
      cairo_arc (cr, cx, cy, r - 1.5, 0, 2 * G_PI);
      cairo_stroke (cr);
      return;
    }
  cairo_arc (cr, cx, cy, r, 0, 2 * G_PI);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, 1, 1, 1, 1);
  cairo_set_line_width (cr, 1.8);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, cx - r * 0.45, cy + r * 0.02);
  cairo_line_to (cr, cx - r * 0.1, cy + r * 0.38);
  cairo_line_to (cr, cx + r * 0.48, cy - r * 0.35);
  cairo_stroke (cr);
}

static GtkWidget *
build_chip (AssayJudgmentPanel *self,
            AssayLabelOption   *option)
{
  Chip *chip = g_new0 (Chip, 1);
  const char *title = option->title != NULL ? option->title : option->name;
  GtkWidget *box, *label;

  chip->panel = self;
  chip->option = option;
  chip->has_color = option->color != NULL && gdk_rgba_parse (&chip->color, option->color);

  chip->button = GTK_TOGGLE_BUTTON (gtk_toggle_button_new ());
  gtk_widget_add_css_class (GTK_WIDGET (chip->button), "chip");
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_button_set_child (GTK_BUTTON (chip->button), box);

  chip->dot = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (chip->dot), 14);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (chip->dot), 14);
  gtk_widget_set_valign (chip->dot, GTK_ALIGN_CENTER);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (chip->dot), draw_dot, chip, NULL);
  gtk_box_append (GTK_BOX (box), chip->dot);

  label = gtk_label_new (title);
  gtk_box_append (GTK_BOX (box), label);

  if (option->shortcut != NULL && *option->shortcut != '\0')
    {
      g_autofree char *key = g_utf8_strup (option->shortcut, -1);

      label = gtk_label_new (key);
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "chip-key");
      gtk_widget_add_css_class (label, "caption");
      gtk_widget_add_css_class (label, "numeric");
      gtk_box_append (GTK_BOX (box), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (chip->button),
                                      GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, option->shortcut,
                                      -1);
    }

  if (option->description != NULL)
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (chip->button), option->description);
      gtk_accessible_update_property (GTK_ACCESSIBLE (chip->button),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, option->description,
                                      -1);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (chip->button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  g_signal_connect (chip->button, "toggled", G_CALLBACK (chip_toggled_cb), chip);
  /* The button owns the chip; the panel only points at it. */
  g_object_set_data_full (G_OBJECT (chip->button), "assay-chip", chip, g_free);
  g_ptr_array_add (self->chips, chip);
  return GTK_WIDGET (chip->button);
}

static void
build_labels (AssayJudgmentPanel *self)
{
  gboolean any = FALSE;

  if (!(self->tmpl->kinds & ASSAY_JUDGE_LABELS))
    return;

  for (guint i = 0; i < self->tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (self->tmpl->label_sets, i);
      GtkWidget *group, *heading, *flow;

      if (set->scope != ASSAY_SCOPE_CANDIDATE || set->options->len == 0)
        continue;
      any = TRUE;

      group = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      heading = gtk_label_new (set->title != NULL ? set->title : set->name);
      gtk_label_set_xalign (GTK_LABEL (heading), 0);
      gtk_label_set_wrap (GTK_LABEL (heading), TRUE);
      gtk_widget_add_css_class (heading, "caption-heading");
      gtk_widget_add_css_class (heading, "dim-label");
      if (set->description != NULL)
        gtk_widget_set_tooltip_text (heading, set->description);
      gtk_box_append (GTK_BOX (group), heading);

      flow = assay_wrap_box_new ();
      gtk_widget_add_css_class (flow, "chips");
      gtk_accessible_update_property (GTK_ACCESSIBLE (flow),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      set->title != NULL ? set->title : set->name,
                                      -1);
      for (guint j = 0; j < set->options->len; j++)
        {
          GtkWidget *chip = build_chip (self, g_ptr_array_index (set->options, j));

          gtk_widget_insert_before (chip, flow, NULL);
        }
      gtk_box_append (GTK_BOX (group), flow);
      gtk_box_append (self->labels_box, group);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->labels_box), any);
}

/* ---- the rubric ---- */

static void
update_anchor (ScoreRow *row)
{
  AssayItemScore *score;
  int chosen, shown;
  GtkWidget *anchor = GTK_WIDGET (row->anchor);

  if (row->panel == NULL)
    return;
  score = get_score (row->panel, row);
  chosen = score != NULL ? score->value : NO_SCORE;
  shown = row->hover != NO_SCORE ? row->hover
          : row->focus != NO_SCORE ? row->focus
          : chosen;

  /* A previewed point is set apart from the chosen one, so nobody mistakes
   * what they are pointing at for what they chose. */
  if (shown != NO_SCORE && shown != chosen)
    {
      gtk_widget_add_css_class (anchor, "preview");
      gtk_widget_add_css_class (gtk_widget_get_parent (anchor), "preview");
    }
  else
    {
      gtk_widget_remove_css_class (anchor, "preview");
      gtk_widget_remove_css_class (gtk_widget_get_parent (anchor), "preview");
    }

  if (shown == NO_SCORE)
    {
      gtk_widget_set_visible (GTK_WIDGET (row->anchor_value), FALSE);
      gtk_label_set_text (row->anchor, _("Not scored yet"));
      gtk_widget_add_css_class (anchor, "dim-label");
    }
  else
    {
      g_autofree char *value = g_strdup_printf ("%d", shown);
      const char *text = assay_criterion_get_anchor (row->criterion, shown);

      gtk_label_set_text (row->anchor_value, value);
      gtk_widget_set_visible (GTK_WIDGET (row->anchor_value), TRUE);
      if (text != NULL)
        {
          gtk_label_set_text (row->anchor, text);
          gtk_widget_remove_css_class (anchor, "dim-label");
        }
      else
        {
          gtk_label_set_text (row->anchor, _("No description for this score"));
          gtk_widget_add_css_class (anchor, "dim-label");
        }
    }
}

static void
update_progress (AssayJudgmentPanel *self)
{
  g_autofree char *text = NULL;
  guint n = 0;

  for (guint i = 0; i < self->rows->len; i++)
    if (get_score (self, g_ptr_array_index (self->rows, i)) != NULL)
      n++;
  /* TRANSLATORS: how many rubric criteria have a score, e.g. "2 of 4 scored" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u scored", "%u of %u scored",
                                       self->rows->len),
                          n, self->rows->len);
  gtk_label_set_text (self->rubric_progress, text);
}

static void
sync_row (AssayJudgmentPanel *self,
          ScoreRow           *row,
          gboolean            force)
{
  AssayItemScore *score = get_score (self, row);
  gboolean missing;

  self->syncing++;
  for (guint i = 0; i < row->buttons->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (row->buttons, i);

      gtk_toggle_button_set_active (button, score != NULL &&
                                            row->criterion->min + (int) i == score->value);
    }
  {
    guint index;

    /* Tab comes back to the chosen score, unless the focus is on the scale. */
    if (focused_button (row, &index) == NULL)
      set_tab_stop (row, score != NULL ? (guint) (score->value - row->criterion->min) : 0);
  }
  /* A rationale being typed is not overwritten by its own echo; a cleared
   * score leaves the text in place, ready for the next score. */
  if (force || (!row->dirty && score != NULL))
    {
      const char *stored = score != NULL && score->rationale != NULL ? score->rationale : "";

      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row->rationale)), stored) != 0)
        gtk_editable_set_text (GTK_EDITABLE (row->rationale), stored);
      if (force)
        row->dirty = FALSE;
    }
  self->syncing--;

  missing = self->show_missing && row->criterion->required && score == NULL;
  if (missing)
    gtk_widget_add_css_class (row->row, "missing");
  else
    gtk_widget_remove_css_class (row->row, "missing");
  gtk_accessible_update_state (GTK_ACCESSIBLE (row->row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               missing ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  update_anchor (row);
}

/* A score a model suggested: its point on the scale is outlined, and a
 * line under the scale says what, who and why, with Accept. */
static void
sync_row_proposal (AssayJudgmentPanel *self,
                   ScoreRow           *row)
{
  g_autoptr(GPtrArray) proposals = proposals_for (self, ASSAY_PROPOSAL_SCORE, row->criterion->id);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < row->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (row->buttons, i);
      int value = row->criterion->min + (int) i;
      gboolean suggested = FALSE;

      for (guint j = 0; j < proposals->len; j++)
        if (((AssayProposal *) g_ptr_array_index (proposals, j))->value == value)
          suggested = TRUE;
      if (suggested)
        gtk_widget_add_css_class (button, "suggested");
      else
        gtk_widget_remove_css_class (button, "suggested");
    }

  for (guint j = 0; j < proposals->len; j++)
    {
      AssayProposal *proposal = g_ptr_array_index (proposals, j);

      if (j > 0)
        g_string_append_c (text, '\n');
      /* TRANSLATORS: a suggested score, e.g. "Suggested 4 by qwen2.5-7b" */
      g_string_append_printf (text, _("Suggested %d by %s"), proposal->value,
                              proposal_author (proposal));
      if (nonempty (proposal->text) != NULL)
        g_string_append_printf (text, " \u2014 %s", proposal->text);
    }
  gtk_label_set_text (row->suggestion_label, text->str);
  gtk_widget_set_visible (row->suggestion, proposals->len > 0);
  if (proposals->len > 0)
    gtk_widget_add_css_class (row->row, "suggested");
  else
    gtk_widget_remove_css_class (row->row, "suggested");
}

static void
sync_scores (AssayJudgmentPanel *self,
             gboolean            force)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      sync_row (self, g_ptr_array_index (self->rows, i), force);
      sync_row_proposal (self, g_ptr_array_index (self->rows, i));
    }
  update_progress (self);
}

/* Saves `value` with the rationale on screen, or clears the score when
 * `value` is NO_SCORE; FALSE if nothing was written. */
static gboolean
choose_score (ScoreRow *row,
              int       value)
{
  AssayJudgmentPanel *self = row->panel;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row->rationale));
  gboolean was_dirty = row->dirty;
  gboolean clear = value == NO_SCORE;
  gboolean ok;

  if (get_candidate (self) == NULL)
    {
      sync_row (self, row, FALSE);
      return FALSE;
    }

  /* The rationale goes with the score; clearing the score drops the stored
   * one but keeps the text on screen for the next score. */
  row->dirty = clear && *text != '\0';
  ok = clear ? assay_session_clear_score (self->session, self->candidate_id,
                                          row->criterion->id, NULL)
             : assay_session_set_score (self->session, self->candidate_id, row->criterion->id,
                                        value, text, NULL);
  if (!ok)
    row->dirty = was_dirty;
  sync_row (self, row, FALSE);
  update_progress (self);
  return ok;
}

static int
button_value (GtkWidget *button)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "assay-score"));
}

static ScoreRow *
button_row (GtkWidget *button)
{
  return g_object_get_data (G_OBJECT (button), "assay-score-row");
}

static void
score_toggled_cb (GtkToggleButton *button,
                  ScoreRow        *row)
{
  if (row->panel == NULL || row->panel->syncing > 0)
    return;
  /* Toggling the chosen score off clears it. */
  choose_score (row, gtk_toggle_button_get_active (button) ? button_value (GTK_WIDGET (button))
                                                           : NO_SCORE);
}

static void
score_enter_cb (GtkEventControllerMotion *motion,
                double                    x,
                double                    y,
                gpointer                  data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion));
  ScoreRow *row = button_row (button);

  if (row == NULL || row->panel == NULL)
    return;
  row->hover = button_value (button);
  update_anchor (row);
}

static void
score_leave_cb (GtkEventControllerMotion *motion,
                gpointer                  data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (motion));
  ScoreRow *row = button_row (button);

  if (row == NULL || row->panel == NULL)
    return;
  if (row->hover == button_value (button))
    row->hover = NO_SCORE;
  update_anchor (row);
}

static void
score_focus_in_cb (GtkEventControllerFocus *focus,
                   gpointer                 data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  ScoreRow *row = button_row (button);

  if (row == NULL || row->panel == NULL)
    return;
  row->focus = button_value (button);
  update_anchor (row);
}

static void
score_focus_out_cb (GtkEventControllerFocus *focus,
                    gpointer                 data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
  ScoreRow *row = button_row (button);

  if (row == NULL || row->panel == NULL)
    return;
  if (row->focus == button_value (button))
    row->focus = NO_SCORE;
  update_anchor (row);
}

static GtkWidget *
focused_button (ScoreRow *row,
                guint    *index)
{
  for (guint i = 0; i < row->buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (row->buttons, i);

      if (gtk_widget_has_focus (button))
        {
          *index = i;
          return button;
        }
    }
  return NULL;
}

/* A scale is one stop in the Tab order, not one per point: only one of its
 * buttons is focusable at a time (the chosen score, or the one the arrows
 * went to), so Tab goes from the score to its rationale and Shift+Tab from
 * the rationale back to the score. */
static void
set_tab_stop (ScoreRow *row,
              guint     index)
{
  for (guint i = 0; i < row->buttons->len; i++)
    gtk_widget_set_focusable (g_ptr_array_index (row->buttons, i), i == index);
}

static void
focus_score (ScoreRow *row,
             int       value)
{
  int i = CLAMP (value, row->criterion->min, row->criterion->max) - row->criterion->min;

  set_tab_stop (row, i);
  gtk_widget_grab_focus (g_ptr_array_index (row->buttons, i));
}

/* A press on a score button makes it the tab stop first, so that the
 * button takes the focus as any clicked button does. */
static void
score_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  gpointer         data)
{
  GtkWidget *button = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  ScoreRow *row = button_row (button);

  if (row == NULL || row->panel == NULL)
    return;
  set_tab_stop (row, button_value (button) - row->criterion->min);
}

/* Says what a key did to a score. */
static void
announce_score (ScoreRow *row)
{
  assay_keys_announce (GTK_WIDGET (row->panel), NULL);
}

/* The keys of a score row, seen before its buttons see them. Digits score,
 * the arrows (and Home, End) move along the scale, Space or Enter chooses
 * the point the focus is on, and Backspace or Delete clear the score.
 * Anything else typed here is meant for the rationale: it goes there, and
 * the focus with it. No other shortcut acts here (assay_keys_claim). */
static gboolean
row_key_pressed_cb (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    ScoreRow              *row)
{
  AssayItemScore *score;
  GtkWidget *button;
  gunichar c;
  int value = -1;
  guint index;

  if (row->panel == NULL || !assay_keys_one_key_allowed (row->row, state))
    return FALSE;
  button = focused_button (row, &index);
  if (button == NULL)
    return FALSE;
  score = get_score (row->panel, row);

  if (keyval >= GDK_KEY_0 && keyval <= GDK_KEY_9)
    value = keyval - GDK_KEY_0;
  else if (keyval >= GDK_KEY_KP_0 && keyval <= GDK_KEY_KP_9)
    value = keyval - GDK_KEY_KP_0;

  if (value >= 0)
    {
      if (value < row->criterion->min || value > row->criterion->max)
        {
          gtk_widget_error_bell (row->row);
          return TRUE;
        }
      focus_score (row, value);
      if ((score == NULL || score->value != value) && choose_score (row, value))
        announce_score (row);
      return TRUE;
    }

  /* The keys that accept suggestions work here too: the row's own first. */
  if (keyval == GDK_KEY_period || keyval == GDK_KEY_KP_Decimal)
    {
      assay_judgment_panel_accept_proposal (row->panel, row->criterion->id, FALSE);
      return TRUE;
    }
  if (keyval == GDK_KEY_asterisk || keyval == GDK_KEY_KP_Multiply)
    {
      assay_judgment_panel_accept_proposal (row->panel, 0, TRUE);
      return TRUE;
    }

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      {
        int step = keyval == GDK_KEY_Left || keyval == GDK_KEY_KP_Left ? -1 : 1;

        focus_score (row, row->criterion->min + (int) index + step);
        return TRUE;
      }

    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      focus_score (row, row->criterion->min);
      return TRUE;

    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      focus_score (row, row->criterion->max);
      return TRUE;

    case GDK_KEY_space:
    case GDK_KEY_KP_Space:
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      /* Choosing, never clearing: a space meant for the rationale must not
       * take a score away. */
      value = row->criterion->min + (int) index;
      if ((score == NULL || score->value != value) && choose_score (row, value))
        announce_score (row);
      return TRUE;

    case GDK_KEY_BackSpace:
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (score != NULL && choose_score (row, NO_SCORE))
        announce_score (row);
      return TRUE;

    default:
      break;
    }

  c = gdk_keyval_to_unicode (keyval);
  if (c != 0 && g_unichar_isprint (c))
    {
      char text[8] = { 0 };
      int position;

      g_unichar_to_utf8 (c, text);
      gtk_entry_grab_focus_without_selecting (row->rationale);
      position = g_utf8_strlen (gtk_editable_get_text (GTK_EDITABLE (row->rationale)), -1);
      gtk_editable_insert_text (GTK_EDITABLE (row->rationale), text, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (row->rationale), position);
      return TRUE;
    }
  return FALSE;
}

static void
rationale_changed_cb (GtkEditable *editable,
                      ScoreRow    *row)
{
  if (row->panel == NULL || row->panel->syncing > 0)
    return;
  row->dirty = TRUE;
  schedule_save (row->panel);
}

static void
rationale_focus_out_cb (GtkEventControllerFocus *focus,
                        ScoreRow                *row)
{
  if (row->panel != NULL)
    flush_rationale (row->panel, row);
}

/* Shift+Tab from the rationale goes back to the chosen score. */
static void
rationale_focus_in_cb (GtkEventControllerFocus *focus,
                       ScoreRow                *row)
{
  AssayItemScore *score;

  if (row->panel == NULL)
    return;
  score = get_score (row->panel, row);
  set_tab_stop (row, score != NULL ? (guint) (score->value - row->criterion->min) : 0);
}

static void
accept_score_clicked_cb (GtkButton *button,
                         ScoreRow  *row)
{
  if (row->panel != NULL)
    assay_judgment_panel_accept_proposal (row->panel, row->criterion->id, FALSE);
}

/* The value and text of an anchor, side by side. */
static GtkWidget *
build_anchor (const char  *value,
              const char  *text,
              gboolean     preview,
              GtkLabel   **value_out,
              GtkLabel   **text_out)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *value_label = gtk_label_new (value);
  GtkWidget *text_label = gtk_label_new (text);

  gtk_widget_add_css_class (box, "anchor");
  gtk_widget_set_valign (value_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (value_label, "anchor-value");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_widget_set_visible (value_label, value != NULL || value_out != NULL);
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_label_set_xalign (GTK_LABEL (text_label), 0);
  gtk_label_set_wrap (GTK_LABEL (text_label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text_label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (text_label, TRUE);
  gtk_widget_add_css_class (text_label, "anchor-text");
  if (preview)
    {
      gtk_widget_add_css_class (box, "preview");
      gtk_widget_add_css_class (text_label, "preview");
    }
  gtk_box_append (GTK_BOX (box), text_label);
  if (value_out != NULL)
    *value_out = GTK_LABEL (value_label);
  if (text_out != NULL)
    *text_out = GTK_LABEL (text_label);
  return box;
}

/* A page of the anchor's stack that is never shown: it only makes the
 * stack as tall as this anchor would be. */
static void
add_anchor_sizer (GtkWidget  *stack,
                  const char *value,
                  const char *text,
                  gboolean    preview)
{
  GtkWidget *sizer = build_anchor (value, text, preview, NULL, NULL);

  gtk_accessible_update_state (GTK_ACCESSIBLE (sizer), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_stack_add_child (GTK_STACK (stack), sizer);
}

static void
build_score_row (AssayJudgmentPanel *self,
                 AssayCriterion     *criterion)
{
  ScoreRow *row = g_rc_box_new0 (ScoreRow);
  const char *title = criterion_title (criterion);
  g_autofree char *rationale_name = NULL;
  GtkWidget *box, *top, *text_box, *title_box, *label, *scale, *anchor_box, *anchor_stack;
  GtkEventController *controller;

  row->panel = self;
  row->criterion = criterion;
  row->buttons = g_ptr_array_new ();
  row->hover = row->focus = NO_SCORE;

  row->row = gtk_list_box_row_new ();
  g_object_set_data_full (G_OBJECT (row->row), "assay-score-row", row, score_row_release);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_widget_set_focusable (row->row, FALSE);
  gtk_widget_add_css_class (row->row, "criterion");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);

  /* The scale goes under the title rather than beside it: beside it, a
   * narrow pane squeezed the title into "Faith-fulness". */
  top = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), top);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (top), text_box);

  title_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  gtk_box_append (GTK_BOX (text_box), title_box);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (title_box), label);
  if (criterion->required)
    {
      label = gtk_label_new (_("Required"));
      gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "required-tag");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (title_box), label);
    }

  if (criterion->description != NULL)
    {
      label = gtk_label_new (criterion->description);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (text_box), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, criterion->description,
                                      -1);
    }

  scale = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_halign (scale, GTK_ALIGN_START);
  gtk_widget_add_css_class (scale, "linked");
  gtk_widget_add_css_class (scale, "score-scale");
  gtk_box_append (GTK_BOX (top), scale);
  for (int v = criterion->min; v <= criterion->max; v++)
    {
      g_autofree char *text = g_strdup_printf ("%d", v);
      /* TRANSLATORS: a score button's accessible name, e.g. "Faithfulness 4" */
      g_autofree char *name = g_strdup_printf (C_("score button", "%s %d"), title, v);
      GtkWidget *button = gtk_toggle_button_new_with_label (text);

      gtk_widget_add_css_class (button, "score");
      gtk_widget_add_css_class (button, "numeric");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      g_object_set_data (G_OBJECT (button), "assay-score", GINT_TO_POINTER (v));
      hold_score_row (button, row);
      g_signal_connect (button, "toggled", G_CALLBACK (score_toggled_cb), row);

      controller = gtk_event_controller_motion_new ();
      g_signal_connect (controller, "enter", G_CALLBACK (score_enter_cb), NULL);
      g_signal_connect (controller, "leave", G_CALLBACK (score_leave_cb), NULL);
      gtk_widget_add_controller (button, controller);

      controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect (controller, "pressed", G_CALLBACK (score_pressed_cb), NULL);
      gtk_widget_add_controller (button, controller);

      controller = gtk_event_controller_focus_new ();
      g_signal_connect (controller, "enter", G_CALLBACK (score_focus_in_cb), NULL);
      g_signal_connect (controller, "leave", G_CALLBACK (score_focus_out_cb), NULL);
      gtk_widget_add_controller (button, controller);

      gtk_box_append (GTK_BOX (scale), button);
      g_ptr_array_add (row->buttons, button);
    }

  {
    GtkWidget *accept_button = gtk_button_new_with_mnemonic (_("_Accept"));

    row->suggestion = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
    gtk_widget_add_css_class (row->suggestion, "suggestion");
    row->suggestion_label = GTK_LABEL (gtk_label_new (NULL));
    gtk_label_set_xalign (row->suggestion_label, 0);
    gtk_label_set_wrap (row->suggestion_label, TRUE);
    gtk_label_set_wrap_mode (row->suggestion_label, PANGO_WRAP_WORD_CHAR);
    gtk_widget_set_hexpand (GTK_WIDGET (row->suggestion_label), TRUE);
    gtk_widget_add_css_class (GTK_WIDGET (row->suggestion_label), "caption");
    gtk_box_append (GTK_BOX (row->suggestion), GTK_WIDGET (row->suggestion_label));
    gtk_widget_set_valign (accept_button, GTK_ALIGN_CENTER);
    gtk_widget_add_css_class (accept_button, "flat");
    gtk_widget_add_css_class (accept_button, "small");
    gtk_widget_set_tooltip_text (accept_button, _("Score it so yourself (.)"));
    gtk_accessible_update_property (GTK_ACCESSIBLE (accept_button),
                                    GTK_ACCESSIBLE_PROPERTY_KEY_SHORTCUTS, ".",
                                    -1);
    hold_score_row (accept_button, row);
    g_signal_connect (accept_button, "clicked", G_CALLBACK (accept_score_clicked_cb), row);
    gtk_box_append (GTK_BOX (row->suggestion), accept_button);
    gtk_widget_set_visible (row->suggestion, FALSE);
    gtk_box_append (GTK_BOX (box), row->suggestion);
  }

  /* The anchor text changes as the pointer moves over the scale; the space
   * it may need is kept for it, so that nothing below moves under the
   * pointer on its way to the next click. */
  anchor_stack = gtk_stack_new ();
  gtk_stack_set_vhomogeneous (GTK_STACK (anchor_stack), TRUE);
  gtk_stack_set_hhomogeneous (GTK_STACK (anchor_stack), FALSE);
  gtk_box_append (GTK_BOX (box), anchor_stack);
  anchor_box = build_anchor (NULL, NULL, FALSE, &row->anchor_value, &row->anchor);
  gtk_stack_add_child (GTK_STACK (anchor_stack), anchor_box);
  gtk_stack_set_visible_child (GTK_STACK (anchor_stack), anchor_box);
  add_anchor_sizer (anchor_stack, NULL, _("Not scored yet"), FALSE);
  for (int v = criterion->min; v <= criterion->max; v++)
    {
      g_autofree char *value = g_strdup_printf ("%d", v);
      const char *text = assay_criterion_get_anchor (criterion, v);

      if (text == NULL)
        text = _("No description for this score");
      add_anchor_sizer (anchor_stack, value, text, FALSE);
      add_anchor_sizer (anchor_stack, value, text, TRUE);
    }

  row->rationale = GTK_ENTRY (gtk_entry_new ());
  hold_score_row (row->rationale, row);
  gtk_entry_set_placeholder_text (row->rationale, _("Rationale (optional)"));
  /* TRANSLATORS: accessible name, e.g. "Faithfulness rationale" */
  rationale_name = g_strdup_printf (_("%s rationale"), title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row->rationale),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, rationale_name,
                                  -1);
  g_signal_connect (row->rationale, "changed", G_CALLBACK (rationale_changed_cb), row);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (rationale_focus_out_cb), row);
  g_signal_connect (controller, "enter", G_CALLBACK (rationale_focus_in_cb), row);
  gtk_widget_add_controller (GTK_WIDGET (row->rationale), controller);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->rationale));

  /* The row sees its keys before its buttons do (Space would toggle one). */
  assay_keys_claim (row->row);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (row_key_pressed_cb), row);
  gtk_widget_add_controller (row->row, controller);

  gtk_list_box_append (self->rubric_list, row->row);
  g_ptr_array_add (self->rows, row);
}

static void
build_rubric (AssayJudgmentPanel *self)
{
  gboolean any = (self->tmpl->kinds & ASSAY_JUDGE_SCORES) && self->tmpl->criteria->len > 0;

  gtk_widget_set_visible (self->rubric_box, any);
  if (!any)
    return;
  for (guint i = 0; i < self->tmpl->criteria->len; i++)
    build_score_row (self, g_ptr_array_index (self->tmpl->criteria, i));
}

/* The widgets may outlive the panel's hold on them (see score_row_clear):
 * from here on they must not reach the panel. */
static void
detach_widgets (AssayJudgmentPanel *self)
{
  for (guint i = 0; i < self->chips->len; i++)
    ((Chip *) g_ptr_array_index (self->chips, i))->panel = NULL;
  for (guint i = 0; i < self->rows->len; i++)
    ((ScoreRow *) g_ptr_array_index (self->rows, i))->panel = NULL;
}

static void
clear (AssayJudgmentPanel *self)
{
  GtkWidget *child;

  detach_widgets (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->labels_box))) != NULL)
    gtk_box_remove (self->labels_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rubric_list))) != NULL)
    gtk_list_box_remove (self->rubric_list, child);
  g_ptr_array_set_size (self->chips, 0);
  g_ptr_array_set_size (self->rows, 0);
}

/* ---- the note ---- */

static void
sync_note (AssayJudgmentPanel *self,
           gboolean            force)
{
  AssayItemCandidate *candidate = get_candidate (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  const char *stored = candidate != NULL && candidate->note != NULL ? candidate->note : "";
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (!force && self->note_dirty)
    return;
  self->note_dirty = FALSE;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (text, stored) == 0)
    return;
  self->syncing++;
  gtk_text_buffer_set_text (buffer, stored, -1);
  self->syncing--;
}

static void
note_changed_cb (GtkTextBuffer      *buffer,
                 AssayJudgmentPanel *self)
{
  if (self->syncing > 0)
    return;
  self->note_dirty = TRUE;
  schedule_save (self);
}

static void
note_focus_out_cb (GtkEventControllerFocus *focus,
                   AssayJudgmentPanel      *self)
{
  flush_note (self);
}

/* ---- following the session ---- */

static void
sync_all (AssayJudgmentPanel *self,
          gboolean            force)
{
  gtk_widget_set_sensitive (self->content, get_candidate (self) != NULL);
  sync_labels (self);
  sync_scores (self, force);
  sync_note (self, force);
}

static void
item_shown (AssayJudgmentPanel *self)
{
  self->show_missing = FALSE;
  /* Each item opens at the top of its judgments, wherever the last one's
   * were left. */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)),
                            0);
  for (guint i = 0; i < self->rows->len; i++)
    {
      ScoreRow *row = g_ptr_array_index (self->rows, i);

      row->hover = row->focus = NO_SCORE;
    }
  /* The same source loaded again keeps text still being typed; another
   * source has other candidates, and the panel waits for one. */
  if (get_candidate (self) == NULL)
    {
      self->candidate_id = 0;
      g_clear_handle_id (&self->save_source, g_source_remove);
      sync_all (self, TRUE);
    }
  else
    sync_all (self, FALSE);
}

static void
judgment_changed_cb (AssayJudgmentPanel *self,
                     guint               kind,
                     gint64              candidate_id)
{
  /* An undo shows what is stored again, rationale text included. */
  gboolean force = assay_session_is_replaying (self->session);

  if (candidate_id != self->candidate_id || self->candidate_id == 0)
    return;

  switch ((AssaySavedKind) kind)
    {
    case ASSAY_SAVED_LABELS:
      sync_labels (self);
      break;
    case ASSAY_SAVED_SCORES:
      sync_scores (self, force);
      break;
    case ASSAY_SAVED_NOTE:
      sync_note (self, force);
      break;
    case ASSAY_SAVED_SPANS:
    case ASSAY_SAVED_CORRECTION:
    case ASSAY_SAVED_RANKING:
    case ASSAY_SAVED_COMPARISON:
    case ASSAY_SAVED_STATUS:
    default:
      break;
    }
}

static void
proposals_notify_cb (AssayJudgmentPanel *self)
{
  sync_labels (self);
  for (guint i = 0; i < self->rows->len; i++)
    sync_row_proposal (self, g_ptr_array_index (self->rows, i));
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AssayJudgmentPanel    *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char key[7] = { 0 };

  if (!assay_keys_one_key_allowed (GTK_WIDGET (self), state))
    return FALSE;
  if (c == 0 || !g_unichar_isgraph (c))
    return FALSE;
  g_unichar_to_utf8 (c, key);
  return assay_judgment_panel_activate_key (self, key);
}

/* ---- the widget ---- */

static void
assay_judgment_panel_dispose (GObject *object)
{
  AssayJudgmentPanel *self = ASSAY_JUDGMENT_PANEL (object);

  /* Text typed just before the window closes is written, not lost. */
  if (self->session != NULL)
    assay_judgment_panel_flush (self);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->item_signals);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_handle_id (&self->reveal_source, g_source_remove);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  detach_widgets (self);
  g_ptr_array_set_size (self->chips, 0);
  g_ptr_array_set_size (self->rows, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_JUDGMENT_PANEL);

  G_OBJECT_CLASS (assay_judgment_panel_parent_class)->dispose (object);
}

static void
assay_judgment_panel_finalize (GObject *object)
{
  AssayJudgmentPanel *self = ASSAY_JUDGMENT_PANEL (object);

  g_ptr_array_unref (self->chips);
  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (assay_judgment_panel_parent_class)->finalize (object);
}

static void
assay_judgment_panel_class_init (AssayJudgmentPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_judgment_panel_dispose;
  object_class->finalize = assay_judgment_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-judgment-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, content);
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, labels_box);
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, rubric_box);
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, rubric_progress);
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, rubric_list);
  gtk_widget_class_bind_template_child (widget_class, AssayJudgmentPanel, note_view);
  gtk_widget_class_set_css_name (widget_class, "judgmentpanel");
}

static void
assay_judgment_panel_init (AssayJudgmentPanel *self)
{
  GtkEventController *controller;

  self->chips = g_ptr_array_new ();
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (gtk_text_view_get_buffer (self->note_view), "changed",
                    G_CALLBACK (note_changed_cb), self);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (note_focus_out_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->note_view), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_widget_set_visible (GTK_WIDGET (self->labels_box), FALSE);
  gtk_widget_set_visible (self->rubric_box, FALSE);
  gtk_widget_set_sensitive (self->content, FALSE);

  /* The panel follows the session's current item through its signals. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "judgment-changed",
                                  G_CALLBACK (judgment_changed_cb), self);
  g_signal_group_connect_swapped (self->item_signals, "notify::proposals",
                                  G_CALLBACK (proposals_notify_cb), self);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);
}

void
assay_judgment_panel_set_session (AssayJudgmentPanel *self,
                                  AssaySession       *session)
{
  g_return_if_fail (ASSAY_IS_JUDGMENT_PANEL (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->session != NULL)
    assay_judgment_panel_flush (self);
  g_binding_group_set_source (self->session_bindings, NULL);
  g_signal_group_set_target (self->item_signals, NULL);
  clear (self);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  g_set_object (&self->session, session);
  self->candidate_id = 0;
  self->show_missing = FALSE;

  if (session != NULL)
    {
      self->tmpl = assay_template_ref (assay_session_get_template (session));
      build_labels (self);
      build_rubric (self);
      g_binding_group_set_source (self->session_bindings, session);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (self->labels_box), FALSE);
      gtk_widget_set_visible (self->rubric_box, FALSE);
    }
  sync_all (self, TRUE);
}

void
assay_judgment_panel_set_candidate (AssayJudgmentPanel *self,
                                    gint64              candidate_id)
{
  g_return_if_fail (ASSAY_IS_JUDGMENT_PANEL (self));

  if (self->candidate_id == candidate_id)
    return;

  assay_judgment_panel_flush (self);
  self->candidate_id = candidate_id;
  for (guint i = 0; i < self->rows->len; i++)
    {
      ScoreRow *row = g_ptr_array_index (self->rows, i);

      row->hover = row->focus = NO_SCORE;
    }
  sync_all (self, TRUE);
}

gboolean
assay_judgment_panel_activate_key (AssayJudgmentPanel *self,
                                   const char         *key)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (ASSAY_IS_JUDGMENT_PANEL (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (get_candidate (self) == NULL)
    return FALSE;

  folded = g_utf8_casefold (key, -1);
  for (guint i = 0; i < self->chips->len; i++)
    {
      Chip *chip = g_ptr_array_index (self->chips, i);
      g_autofree char *shortcut = NULL;

      if (chip->option->shortcut == NULL)
        continue;
      shortcut = g_utf8_casefold (chip->option->shortcut, -1);
      if (g_strcmp0 (shortcut, folded) == 0)
        {
          /* A key changes a judgment out of sight of the pointer: say so. */
          if (toggle_option (self, chip))
            assay_keys_announce (GTK_WIDGET (self), NULL);
          return TRUE;
        }
    }
  return FALSE;
}

/* Scrolls the criterion's whole row into sight, its top near the top of
 * the view when it has to move: at the bottom edge, a toast would hide it. */
static gboolean
reveal_idle_cb (gpointer data)
{
  AssayJudgmentPanel *self = data;
  ScoreRow *row = NULL;

  self->reveal_source = 0;
  for (guint i = 0; i < self->rows->len && row == NULL; i++)
    if (((ScoreRow *) g_ptr_array_index (self->rows, i))->criterion->id == self->reveal_criterion)
      row = g_ptr_array_index (self->rows, i);
  if (row == NULL || !gtk_widget_get_mapped (row->row))
    return G_SOURCE_REMOVE;

  for (GtkWidget *w = gtk_widget_get_parent (row->row); w != NULL; w = gtk_widget_get_parent (w))
    {
      graphene_rect_t bounds;
      GtkAdjustment *adjustment;

      if (!GTK_IS_SCROLLED_WINDOW (w) || !gtk_widget_compute_bounds (row->row, w, &bounds))
        continue;
      if (bounds.origin.y >= 0 &&
          bounds.origin.y + bounds.size.height <= gtk_widget_get_height (w))
        continue;
      adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));
      gtk_adjustment_set_value (adjustment,
                                gtk_adjustment_get_value (adjustment) + bounds.origin.y - 12);
    }
  return G_SOURCE_REMOVE;
}

void
assay_judgment_panel_focus_rubric (AssayJudgmentPanel *self)
{
  ScoreRow *target = NULL;
  AssayItemScore *score;

  g_return_if_fail (ASSAY_IS_JUDGMENT_PANEL (self));

  /* After a refused submit, the first required criterion missing. */
  for (guint i = 0; i < self->rows->len && target == NULL && self->show_missing; i++)
    {
      ScoreRow *row = g_ptr_array_index (self->rows, i);

      if (row->criterion->required && get_score (self, row) == NULL)
        target = row;
    }
  for (guint i = 0; i < self->rows->len && target == NULL; i++)
    {
      ScoreRow *row = g_ptr_array_index (self->rows, i);

      if (get_score (self, row) == NULL)
        target = row;
    }
  if (target == NULL && self->rows->len > 0)
    target = g_ptr_array_index (self->rows, 0);
  if (target == NULL || !gtk_widget_get_visible (self->rubric_box))
    return;

  score = get_score (self, target);
  focus_score (target, score != NULL ? score->value : target->criterion->min);

  /* Once laid out (the candidate may just have changed), the whole row is
   * scrolled into sight. */
  self->reveal_criterion = target->criterion->id;
  if (self->reveal_source == 0)
    self->reveal_source = g_idle_add (reveal_idle_cb, self);
}

void
assay_judgment_panel_flush (AssayJudgmentPanel *self)
{
  g_return_if_fail (ASSAY_IS_JUDGMENT_PANEL (self));

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (get_candidate (self) == NULL)
    return;
  for (guint i = 0; i < self->rows->len; i++)
    flush_rationale (self, g_ptr_array_index (self->rows, i));
  flush_note (self);
}

void
assay_judgment_panel_show_missing (AssayJudgmentPanel *self,
                                   gboolean            show)
{
  g_return_if_fail (ASSAY_IS_JUDGMENT_PANEL (self));

  self->show_missing = !!show;
  sync_scores (self, FALSE);
}

/* The proposal the keyboard focus is on: a suggested chip, or the score
 * row `criterion_id` (0: none). */
static const AssayProposal *
focused_proposal (AssayJudgmentPanel *self,
                  gint64              criterion_id)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GPtrArray *pending = assay_session_get_proposals (self->session);

  for (guint i = 0; focus != NULL && criterion_id == 0 && i < self->chips->len; i++)
    {
      Chip *chip = g_ptr_array_index (self->chips, i);

      if (focus == GTK_WIDGET (chip->button) ||
          gtk_widget_is_ancestor (focus, GTK_WIDGET (chip->button)))
        {
          g_autoptr(GPtrArray) proposals = proposals_for (self, ASSAY_PROPOSAL_LABEL,
                                                          chip->option->id);

          return proposals->len > 0 ? g_ptr_array_index (proposals, 0) : NULL;
        }
    }
  for (guint i = 0; pending != NULL && criterion_id != 0 && i < pending->len; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (pending, i);

      if (proposal->kind == ASSAY_PROPOSAL_SCORE && proposal->candidate_id == self->candidate_id &&
          proposal->criterion_id == criterion_id)
        return proposal;
    }
  return NULL;
}

gboolean
assay_judgment_panel_accept_proposal (AssayJudgmentPanel *self,
                                      gint64              criterion_id,
                                      gboolean            all)
{
  const AssayProposal *proposal = NULL;
  g_autofree char *name = NULL;
  gboolean ok;

  g_return_val_if_fail (ASSAY_IS_JUDGMENT_PANEL (self), FALSE);

  if (get_candidate (self) == NULL)
    return FALSE;
  /* Typed text goes first: it is the expert's, and the newest change. */
  assay_judgment_panel_flush (self);
  if (!all)
    {
      proposal = focused_proposal (self, criterion_id);
      if (proposal == NULL)
        proposal = assay_session_next_proposal (self->session, self->candidate_id);
    }
  if (!all && proposal == NULL)
    {
      g_autofree char *letter = assay_session_candidate_letter (self->session,
                                                                self->candidate_id);

      /* TRANSLATORS: e.g. "No suggestions left on B" */
      name = g_strdup_printf (_("No suggestions left on %s"), letter);
      assay_keys_announce (GTK_WIDGET (self), name);
      return FALSE;
    }
  if (all)
    {
      guint n = 0;

      ok = assay_session_accept_proposals (self->session, self->candidate_id, &n, NULL);
      if (n == 0)
        {
          g_autofree char *letter = assay_session_candidate_letter (self->session,
                                                                    self->candidate_id);

          name = g_strdup_printf (_("No suggestions left on %s"), letter);
          assay_keys_announce (GTK_WIDGET (self), name);
          return FALSE;
        }
    }
  else
    ok = assay_session_accept_proposal (self->session, proposal, NULL);
  /* Labels and scores follow through "judgment-changed"; the rationale
   * on screen takes the accepted one. */
  sync_scores (self, TRUE);
  assay_keys_announce (GTK_WIDGET (self), NULL);
  return ok;
}

/* ---- for the tests ---- */

static ScoreRow *
find_row (AssayJudgmentPanel *self,
          gint64              criterion_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ScoreRow *row = g_ptr_array_index (self->rows, i);

      if (row->criterion->id == criterion_id)
        return row;
    }
  return NULL;
}

void
_assay_judgment_panel_preview_score (AssayJudgmentPanel *self,
                                     gint64              criterion_id,
                                     int                 value)
{
  ScoreRow *row = find_row (self, criterion_id);

  g_return_if_fail (row != NULL);
  if (value < row->criterion->min || value > row->criterion->max)
    value = NO_SCORE;
  row->hover = value;
  update_anchor (row);
}

GtkLabel *
_assay_judgment_panel_get_anchor (AssayJudgmentPanel *self,
                                  gint64              criterion_id)
{
  ScoreRow *row = find_row (self, criterion_id);

  return row != NULL ? row->anchor : NULL;
}

gboolean
_assay_judgment_panel_is_missing (AssayJudgmentPanel *self,
                                  gint64              criterion_id)
{
  ScoreRow *row = find_row (self, criterion_id);

  return row != NULL && gtk_widget_has_css_class (row->row, "missing");
}

gboolean
_assay_judgment_panel_chip_is_suggested (AssayJudgmentPanel *self,
                                         gint64              option_id)
{
  for (guint i = 0; i < self->chips->len; i++)
    {
      Chip *chip = g_ptr_array_index (self->chips, i);

      if (chip->option->id == option_id)
        return gtk_widget_has_css_class (GTK_WIDGET (chip->button), "suggested");
    }
  return FALSE;
}

const char *
_assay_judgment_panel_get_suggestion (AssayJudgmentPanel *self,
                                      gint64              criterion_id)
{
  ScoreRow *row = find_row (self, criterion_id);

  if (row == NULL || !gtk_widget_get_visible (row->suggestion))
    return NULL;
  return gtk_label_get_text (row->suggestion_label);
}
