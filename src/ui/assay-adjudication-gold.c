/* assay-adjudication-gold.c: setting the gold in the adjudication view,
 * from an annotator's judgment or directly, and showing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Gold judgments go through an AssaySession of an adjudicator annotator
 * ("gold:<lead id>"), made on the first gold write, so that merely looking
 * at a source leaves no trace in the project.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-adjudication-view-private.h"
#include "assay-wrap-box.h"

static gboolean
choice_has (GArray *choice,
            gint64  option_id)
{
  for (guint i = 0; i < choice->len; i++)
    if (g_array_index (choice, gint64, i) == option_id)
      return TRUE;
  return FALSE;
}

/* ---- writing the gold ---- */

static gboolean
ensure_session (AssayAdjudicationView  *self,
                GError                **error)
{
  g_autoptr(AssaySession) session = NULL;

  if (self->session != NULL)
    return TRUE;
  session = assay_session_new_adjudicator (self->project, self->gold_ext_id, self->gold_name,
                                           error);
  if (session == NULL || !assay_session_load_item (session, self->source_id, error))
    return FALSE;
  self->session = g_steal_pointer (&session);
  /* The session's item follows every write. */
  assay_adjudication_set_gold (self->model, assay_session_get_item (self->session));
  return TRUE;
}

typedef gboolean (*GoldWrite) (Block         *block,
                               gconstpointer  data,
                               GError       **error);

void
_assay_adj_show_error (AssayAdjudicationView *self,
                       const char            *what,
                       const char            *message)
{
  g_autofree char *text = g_strdup_printf ("%s: %s", what, message);
  /* Toast titles are markup; the message may quote anyone's text. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* Marks the gold done once every disagreement has a gold value, and in
 * progress again if one loses it (the core says which). */
static void
settle (AssayAdjudicationView *self)
{
  g_autoptr(GError) error = NULL;
  AssayStatus status;

  if (self->session == NULL || !assay_adjudication_wanted_status (self->model, &status))
    return;
  if (!assay_session_set_status (self->session, status, &error))
    _assay_adj_show_error (self, _("Could not save whether the source is settled"),
                           error->message);
}

/* One action of the lead's, however many writes it takes, as one
 * transaction: copying someone's spans either happens whole or not at all. */
static gboolean
gold_write (Block         *block,
            GoldWrite      write,
            gconstpointer  data)
{
  AssayAdjudicationView *self = block->view;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ensure_session (self, &error) && assay_project_begin (self->project, &error);
  if (ok)
    {
      ok = write (block, data, &error);
      if (ok)
        ok = assay_project_commit (self->project, &error);
      if (!ok)
        {
          g_autoptr(GError) reload_error = NULL;

          assay_project_rollback (self->project);
          /* The session mirrored the writes that went through before the
           * failure; read back what the project holds. */
          if (assay_session_load_item (self->session, self->source_id, &reload_error))
            assay_adjudication_set_gold (self->model, assay_session_get_item (self->session));
        }
    }

  if (ok)
    settle (self);
  else
    _assay_adj_show_error (self, _("Could not save the gold judgment"), error->message);
  _assay_adj_refresh (self);
  if (ok)
    _assay_adj_emit_changed (self);
  return ok;
}

static gboolean
write_labels (Block         *block,
              gconstpointer  data,
              GError       **error)
{
  AssayAdjudicationView *self = block->view;
  AssayItem *from = (AssayItem *) data;
  g_autoptr(GArray) target = assay_adjudication_label_choice (from, block->data->candidate_id,
                                                              block->data->set);
  AssayItem *gold = assay_session_get_item (self->session);
  g_autoptr(GArray) current = assay_adjudication_label_choice (gold, block->data->candidate_id,
                                                               block->data->set);

  if (!block->data->set->multi)
    {
      gint64 option_id = g_array_index (target, gint64, 0);

      /* In a single-choice set turning one on turns the others off. */
      return choice_has (current, option_id) ||
             assay_session_toggle_label (self->session, block->data->candidate_id, option_id,
                                         error);
    }

  for (guint i = 0; i < block->data->set->options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (block->data->set->options, i);

      if (choice_has (target, option->id) != choice_has (current, option->id) &&
          !assay_session_toggle_label (self->session, block->data->candidate_id, option->id, error))
        return FALSE;
    }
  /* Choosing none leaves nothing in the project to tell it from no choice. */
  block->data->gold_none = target->len == 0;
  return TRUE;
}

static gboolean
write_score (Block         *block,
             gconstpointer  data,
             GError       **error)
{
  AssayItemCandidate *candidate = assay_item_find_candidate ((AssayItem *) data,
                                                             block->data->candidate_id);
  AssayItemScore *score = g_hash_table_lookup (candidate->scores, &block->data->criterion->id);

  return assay_session_set_score (block->view->session, block->data->candidate_id,
                                  block->data->criterion->id, score->value, score->rationale,
                                  error);
}

static gboolean
write_spans (Block         *block,
             gconstpointer  data,
             GError       **error)
{
  AssaySession *session = block->view->session;
  AssayItemCandidate *from = assay_item_find_candidate ((AssayItem *) data,
                                                        block->data->candidate_id);
  AssayItemCandidate *gold = assay_item_find_candidate (assay_session_get_item (session),
                                             block->data->candidate_id);
  g_autoptr(GArray) old = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* The gold spans become exactly the annotator's. */
  for (guint i = 0; i < gold->spans->len; i++)
    g_array_append_val (old, ((AssayItemSpan *) g_ptr_array_index (gold->spans, i))->id);
  for (guint i = 0; i < old->len; i++)
    if (!assay_session_delete_span (session, g_array_index (old, gint64, i), error))
      return FALSE;

  for (guint i = 0; i < from->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (from->spans, i);
      gint64 id = 0;

      if (!assay_session_add_span (session, block->data->candidate_id, span->start, span->end,
                                   span->option_id, &id, error))
        return FALSE;
      if ((span->note != NULL || span->evidence->len > 0) &&
          !assay_session_update_span (session, id, span->option_id, span->note, span->evidence,
                                      error))
        return FALSE;
    }
  block->data->gold_none = from->spans->len == 0;
  return TRUE;
}

static gboolean
write_correction (Block         *block,
                  gconstpointer  data,
                  GError       **error)
{
  AssayItemCandidate *from = assay_item_find_candidate ((AssayItem *) data,
                                                        block->data->candidate_id);

  return assay_session_set_correction (block->view->session, block->data->candidate_id,
                                       from->correction, error);
}

static gboolean
write_ranking (Block         *block,
               gconstpointer  data,
               GError       **error)
{
  AssayItem *from = (AssayItem *) data;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ranks = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; i < from->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (from->candidates, i);

      if (candidate->rank <= 0)
        continue;
      g_array_append_val (ids, candidate->id);
      g_array_append_val (ranks, candidate->rank);
    }
  return assay_session_set_ranking (block->view->session, (gint64 *) ids->data,
                                    (int *) ranks->data, ids->len, error);
}

static gboolean
write_comparison (Block         *block,
                  gconstpointer  data,
                  GError       **error)
{
  AssayItemComparison *from = assay_item_find_comparison ((AssayItem *) data, block->data->a,
                                                          block->data->b);

  return assay_session_set_comparison (block->view->session, from->a, from->b, from->winner,
                                       from->rationale, error);
}

void
_assay_adj_use_clicked_cb (GtkButton *button,
                           Block     *block)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "annotator"));
  AssayAdjudicationAnnotator *annotator = g_ptr_array_index (block->view->annotators, index);
  static const GoldWrite writes[] = {
    [ASSAY_BLOCK_LABELS] = write_labels,
    [ASSAY_BLOCK_SCORE] = write_score,
    [ASSAY_BLOCK_SPANS] = write_spans,
    [ASSAY_BLOCK_CORRECTION] = write_correction,
    [ASSAY_BLOCK_RANKING] = write_ranking,
    [ASSAY_BLOCK_COMPARISON] = write_comparison,
  };

  gold_write (block, writes[block->data->kind], annotator->item);
}

/* ---- setting the gold directly ---- */

static gboolean
direct_score (Block         *block,
              gconstpointer  data,
              GError       **error)
{
  /* Set by the lead, the score has no one's rationale. */
  return assay_session_set_score (block->view->session, block->data->candidate_id,
                                  block->data->criterion->id, GPOINTER_TO_INT (data), NULL, error);
}

static gboolean
direct_label (Block         *block,
              gconstpointer  data,
              GError       **error)
{
  AssayLabelOption *option = g_ptr_array_index (block->data->set->options, GPOINTER_TO_UINT (data));
  block->data->gold_none = FALSE;
  return assay_session_toggle_label (block->view->session, block->data->candidate_id, option->id,
                                     error);
}

static gboolean
direct_comparison (Block         *block,
                   gconstpointer  data,
                   GError       **error)
{
  return assay_session_set_comparison (block->view->session, block->data->a, block->data->b,
                                       (AssayWinner) GPOINTER_TO_INT (data), NULL, error);
}

static void
score_toggled_cb (GtkToggleButton *button,
                  Block           *block)
{
  if (block->view->syncing > 0 || !gtk_toggle_button_get_active (button))
    return;
  gold_write (block, direct_score, g_object_get_data (G_OBJECT (button), "value"));
}

static void
label_toggled_cb (GtkToggleButton *button,
                  Block           *block)
{
  if (block->view->syncing > 0)
    return;
  gold_write (block, direct_label, g_object_get_data (G_OBJECT (button), "value"));
}

static void
comparison_toggled_cb (GtkToggleButton *button,
                       Block           *block)
{
  if (block->view->syncing > 0 || !gtk_toggle_button_get_active (button))
    return;
  gold_write (block, direct_comparison, g_object_get_data (G_OBJECT (button), "value"));
}

static GtkWidget *
direct_controls (Block *block)
{
  AssayAdjudicationView *self = block->view;
  g_autofree char *letter = _assay_adj_letter (self, block->data->candidate_id);
  GtkWidget *box = NULL;

  switch (block->data->kind)
    {
    case ASSAY_BLOCK_SCORE:
      {
        GtkToggleButton *group = NULL;

        box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        gtk_widget_add_css_class (box, "linked");
        gtk_widget_set_halign (box, GTK_ALIGN_START);
        for (int v = block->data->criterion->min; v <= block->data->criterion->max; v++)
          {
            g_autofree char *number = g_strdup_printf ("%d", v);
            /* TRANSLATORS: e.g. "Gold Faithfulness score 4 for B" */
            g_autofree char *name =
              g_strdup_printf (_("Gold %s score %d for %s"),
                               _assay_adj_criterion_title (block->data->criterion), v, letter);
            GtkWidget *button = gtk_toggle_button_new_with_label (number);
            const char *anchor = assay_criterion_get_anchor (block->data->criterion, v);

            gtk_widget_add_css_class (button, "adj-gold-score");
            gtk_widget_set_tooltip_text (button, anchor != NULL ? anchor : name);
            _assay_adj_set_accessible_label (button, name);
            if (group != NULL)
              gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
            else
              group = GTK_TOGGLE_BUTTON (button);
            g_object_set_data (G_OBJECT (button), "value", GINT_TO_POINTER (v));
            g_signal_connect (button, "toggled", G_CALLBACK (score_toggled_cb), block);
            g_ptr_array_add (block->toggles, button);
            gtk_box_append (GTK_BOX (box), button);
          }
        return box;
      }
    case ASSAY_BLOCK_LABELS:
      box = assay_wrap_box_new ();
      for (guint i = 0; i < block->data->set->options->len; i++)
        {
          AssayLabelOption *option = g_ptr_array_index (block->data->set->options, i);
          /* TRANSLATORS: a gold label chip, e.g. "Gold Verdict Accept for A" */
          g_autofree char *name = g_strdup_printf (_("Gold %s %s for %s"),
                                                   _assay_adj_set_title (block->data->set),
                                                   _assay_adj_option_title (option), letter);
          GtkWidget *button = gtk_toggle_button_new ();

          gtk_button_set_child (GTK_BUTTON (button), _assay_adj_chip_content (option, NULL));
          gtk_widget_add_css_class (button, "adj-gold-chip");
          gtk_widget_set_tooltip_text (button, option->description != NULL ? option->description
                                                                           : name);
          _assay_adj_set_accessible_label (button, name);
          g_object_set_data (G_OBJECT (button), "value", GUINT_TO_POINTER (i));
          g_signal_connect (button, "toggled", G_CALLBACK (label_toggled_cb), block);
          g_ptr_array_add (block->toggles, button);
          _assay_adj_wrap_append (box, button);
        }
      return box;
    case ASSAY_BLOCK_COMPARISON:
      {
        g_autofree char *a = _assay_adj_letter (self, block->data->a);
        g_autofree char *b = _assay_adj_letter (self, block->data->b);
        struct { AssayWinner winner; char *label; char *name; } choices[] = {
          /* TRANSLATORS: a gold comparison button, e.g. "A Is Better" */
          { ASSAY_WINNER_A, g_strdup_printf (_("%s Is Better"), a),
            /* TRANSLATORS: e.g. "Gold comparison of A and B: A is better" */
            g_strdup_printf (_("Gold comparison of %s and %s: %s is better"), a, b, a) },
          { ASSAY_WINNER_TIE, g_strdup (_("Same")),
            /* TRANSLATORS: e.g. "Gold comparison of A and B: same" */
            g_strdup_printf (_("Gold comparison of %s and %s: same"), a, b) },
          { ASSAY_WINNER_B, g_strdup_printf (_("%s Is Better"), b),
            g_strdup_printf (_("Gold comparison of %s and %s: %s is better"), a, b, b) },
        };
        GtkToggleButton *group = NULL;

        box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        gtk_widget_add_css_class (box, "linked");
        gtk_widget_set_halign (box, GTK_ALIGN_START);
        for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
          {
            GtkWidget *button = gtk_toggle_button_new_with_label (choices[i].label);

            gtk_widget_set_tooltip_text (button, choices[i].name);
            _assay_adj_set_accessible_label (button, choices[i].name);
            if (group != NULL)
              gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
            else
              group = GTK_TOGGLE_BUTTON (button);
            g_object_set_data (G_OBJECT (button), "value", GINT_TO_POINTER (choices[i].winner));
            g_signal_connect (button, "toggled", G_CALLBACK (comparison_toggled_cb), block);
            g_ptr_array_add (block->toggles, button);
            gtk_box_append (GTK_BOX (box), button);
            g_free (choices[i].label);
            g_free (choices[i].name);
          }
        return box;
      }
    case ASSAY_BLOCK_SPANS:
    case ASSAY_BLOCK_CORRECTION:
    case ASSAY_BLOCK_RANKING:
    default:
      /* Those are made in the workbench; here they are chosen. */
      return NULL;
    }
}

GtkWidget *
_assay_adj_gold_row (Block *block)
{
  GtkWidget *who = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *value = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title = _assay_adj_text_label (_("Gold"), "adj-gold-title");
  GtkWidget *controls;

  gtk_widget_set_valign (who, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (who), title);

  block->gold_label = GTK_LABEL (_assay_adj_wrapped_label (NULL, "adj-gold-state"));
  gtk_box_append (GTK_BOX (value), GTK_WIDGET (block->gold_label));
  controls = direct_controls (block);
  if (controls != NULL)
    gtk_box_append (GTK_BOX (value), controls);
  block->gold_detail = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (value), block->gold_detail);

  return _assay_adj_list_row (_assay_adjudication_row_new (who, value, NULL), "adj-gold-row");
}

/* ---- showing the gold ---- */

void
_assay_adj_refresh_block (Block *block)
{
  AssayAdjudicationView *self = block->view;
  AssayItem *gold = assay_adjudication_get_gold (self->model);
  gboolean has = assay_adjudication_gold_has_value (self->model, block->data);
  int from = has ? assay_adjudication_gold_source (self->model, block->data) : -1;
  AssayAdjudicationAnnotator *source = from >= 0 ? g_ptr_array_index (self->annotators, from)
                                                 : NULL;
  g_autofree char *text = NULL;

  if (has)
    {
      g_autofree char *summary = _assay_adj_gold_summary (block);

      if (!block->data->disagreement && source != NULL &&
          assay_adjudication_count_values (self->model, block->data) > 1)
        /* TRANSLATORS: the gold value of a judgment nobody disagrees on, e.g.
         * "Gold: Reject (all agree)" */
        text = g_strdup_printf (_("Gold: %s (all agree)"), summary);
      else if (source != NULL)
        /* TRANSLATORS: the gold value and whose it is, e.g. "Gold: 4 (from Dr. Osei)" */
        text = g_strdup_printf (_("Gold: %s (from %s)"), summary, source->name);
      else
        /* TRANSLATORS: a gold value the lead set, e.g. "Gold: 3 (set by you)" */
        text = g_strdup_printf (_("Gold: %s (set by you)"), summary);
    }
  else if (block->data->disagreement && block->toggles->len > 0)
    text = g_strdup (_("Gold: not set yet — use an annotator’s judgment or choose one"));
  else if (block->data->disagreement)
    text = g_strdup (_("Gold: not set yet — use an annotator’s judgment"));
  else
    text = g_strdup (_("Gold: not set"));
  gtk_label_set_text (block->gold_label, text);

  if (has)
    gtk_widget_add_css_class (GTK_WIDGET (block->gold_label), "set");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (block->gold_label), "set");

  for (guint i = 0; i < block->marks->len; i++)
    {
      GtkWidget *mark = g_ptr_array_index (block->marks, i);

      /* Only annotators with a value have a mark. */
      if (mark != NULL)
        gtk_widget_set_visible (mark, assay_adjudication_same_as_gold (self->model, block->data,
                                                                       i));
    }

  /* The direct controls show the gold as it is. */
  for (guint i = 0; i < block->toggles->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (block->toggles, i);
      gpointer value = g_object_get_data (G_OBJECT (button), "value");
      gboolean active = FALSE;

      if (has && block->data->kind == ASSAY_BLOCK_SCORE)
        {
          AssayItemCandidate *candidate = assay_item_find_candidate (gold,
                                                                     block->data->candidate_id);
          AssayItemScore *score = g_hash_table_lookup (candidate->scores,
                                                       &block->data->criterion->id);

          active = score->value == GPOINTER_TO_INT (value);
        }
      else if (block->data->kind == ASSAY_BLOCK_LABELS)
        {
          g_autoptr(GArray) choice = assay_adjudication_label_choice (gold,
                                                                      block->data->candidate_id,
                                                                      block->data->set);
          AssayLabelOption *option = g_ptr_array_index (block->data->set->options,
                                                        GPOINTER_TO_UINT (value));

          active = choice_has (choice, option->id);
        }
      else if (has && block->data->kind == ASSAY_BLOCK_COMPARISON)
        {
          AssayItemComparison *comparison = assay_item_find_comparison (gold, block->data->a,
                                                                        block->data->b);
          gint64 winner = assay_adjudication_winner (comparison);
          AssayWinner shown = winner == 0 ? ASSAY_WINNER_TIE :
                              winner == block->data->a ? ASSAY_WINNER_A : ASSAY_WINNER_B;

          active = shown == (AssayWinner) GPOINTER_TO_INT (value);
        }
      if (gtk_toggle_button_get_active (button) != active)
        gtk_toggle_button_set_active (button, active);
    }

  /* A gold nobody's judgment matches, made elsewhere, is shown in full;
   * one copied from an annotator is the row above with its check mark. */
  _assay_adj_clear_box (block->gold_detail);
  if (has && source == NULL && block->data->kind != ASSAY_BLOCK_SCORE &&
      block->data->kind != ASSAY_BLOCK_LABELS && block->data->kind != ASSAY_BLOCK_COMPARISON)
    gtk_box_append (GTK_BOX (block->gold_detail), _assay_adj_value_widget (block, gold, TRUE));
  gtk_widget_set_visible (block->gold_detail,
                          gtk_widget_get_first_child (block->gold_detail) != NULL);

  gtk_widget_set_visible (block->settled_tag, block->data->disagreement && has);
  if (block->data->disagreement && has)
    gtk_widget_add_css_class (block->root, "settled");
  else
    gtk_widget_remove_css_class (block->root, "settled");
}

/* Every block without a disagreement and without a gold takes the value
 * the raters agree on. */
void
_assay_adj_use_agreed_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *param)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (widget);
  static const GoldWrite writes[] = {
    [ASSAY_BLOCK_LABELS] = write_labels,
    [ASSAY_BLOCK_SCORE] = write_score,
    [ASSAY_BLOCK_SPANS] = write_spans,
    [ASSAY_BLOCK_CORRECTION] = write_correction,
    [ASSAY_BLOCK_RANKING] = write_ranking,
    [ASSAY_BLOCK_COMPARISON] = write_comparison,
  };

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);
      int agreed = assay_adjudication_agreed_annotator (self->model, block->data);
      AssayAdjudicationAnnotator *annotator;

      if (agreed < 0 || assay_adjudication_gold_has_value (self->model, block->data))
        continue;
      annotator = g_ptr_array_index (self->annotators, agreed);
      if (!gold_write (block, writes[block->data->kind], annotator->item))
        return;
    }
}

