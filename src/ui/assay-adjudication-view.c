/* assay-adjudication-view.c: every annotator's judgments on one source,
 * side by side, and the gold judgment the eval lead sets from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view shows an AssayAdjudication, loaded in a worker thread: its
 * blocks, each annotator's value in them and whether they are a
 * disagreement, all decided by the core. The view reads each annotator's
 * judgments and never writes them; the gold goes through a session of the
 * lead's adjudicator (assay-adjudication-gold.c). Adjudication is not
 * blind: candidates are named by model as well as by the letter the
 * reviewers saw, and come in the order they saw them.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-adjudication-view-private.h"
#include "assay-wrap-box.h"

G_DEFINE_FINAL_TYPE (AssayAdjudicationView, assay_adjudication_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
block_free (Block *block)
{
  g_free (block->name);
  g_ptr_array_unref (block->marks);
  g_ptr_array_unref (block->toggles);
  g_free (block);
}

void
_assay_adj_emit_changed (AssayAdjudicationView *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static Block *
add_block (AssayAdjudicationView  *self,
           Section                *section,
           AssayAdjudicationBlock *data)
{
  Block *block = g_new0 (Block, 1);
  AssayBlockKind kind = data->kind;
  gint64 a = data->a, b = data->b;
  g_autofree char *letter = _assay_adj_letter (self, data->candidate_id);
  g_autofree char *title = NULL;
  GtkWidget *header, *list, *label;

  block->view = self;
  block->data = data;
  block->section = section;
  block->marks = g_ptr_array_new ();
  block->toggles = g_ptr_array_new ();

  switch (kind)
    {
    case ASSAY_BLOCK_LABELS:
      title = g_strdup (_assay_adj_set_title (block->data->set));
      break;
    case ASSAY_BLOCK_SCORE:
      title = g_strdup (_assay_adj_criterion_title (block->data->criterion));
      break;
    case ASSAY_BLOCK_SPANS:
      title = g_strdup (_("Spans"));
      break;
    case ASSAY_BLOCK_CORRECTION:
      title = g_strdup (_("Correction"));
      break;
    case ASSAY_BLOCK_RANKING:
      title = g_strdup (_("Ranking"));
      break;
    case ASSAY_BLOCK_COMPARISON:
      {
        g_autofree char *an = _assay_adj_candidate_name (self, a);
        g_autofree char *bn = _assay_adj_candidate_name (self, b);

        /* TRANSLATORS: the heading of a pair's comparisons,
         * e.g. "A · scribe-xl or B · atlas-7b" */
        title = g_strdup_printf (_("%s or %s"), an, bn);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  if (kind == ASSAY_BLOCK_RANKING)
    block->name = g_strdup (_("The ranking"));
  else if (kind == ASSAY_BLOCK_COMPARISON)
    {
      g_autofree char *al = _assay_adj_letter (self, a);
      g_autofree char *bl = _assay_adj_letter (self, b);

      /* TRANSLATORS: e.g. "Comparison of A and B" */
      block->name = g_strdup_printf (_("Comparison of %s and %s"), al, bl);
    }
  else
    /* TRANSLATORS: what a block of judgments is about, e.g. "Faithfulness for B" */
    block->name = g_strdup_printf (_("%s for %s"), title, letter);

  block->root = g_object_new (GTK_TYPE_BOX,
                              "orientation", GTK_ORIENTATION_VERTICAL,
                              "spacing", 8,
                              "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                              NULL);
  gtk_widget_add_css_class (block->root, "adj-block");
  if (block->data->disagreement)
    gtk_widget_add_css_class (block->root, "disagreement");
  _assay_adj_set_accessible_label (block->root, block->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (block->root),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  block->data->disagreement ? _("Disagreement")
                                                            : _("No disagreement"),
                                  -1);

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  label = _assay_adj_text_label (title, "heading");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (header), label);
  block->badge = _assay_adj_tag ("dialog-warning-symbolic", _("Disagreement"), "warning");
  gtk_widget_set_visible (block->badge, block->data->disagreement);
  gtk_box_append (GTK_BOX (header), block->badge);
  block->settled_tag = _assay_adj_tag ("object-select-symbolic", _("Settled"), "success");
  gtk_widget_set_visible (block->settled_tag, FALSE);
  gtk_box_append (GTK_BOX (header), block->settled_tag);
  block->agreement = GTK_LABEL (_assay_adj_text_label (NULL, "dim-label"));
  gtk_widget_add_css_class (GTK_WIDGET (block->agreement), "caption");
  gtk_widget_set_valign (GTK_WIDGET (block->agreement), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (block->agreement));
  gtk_box_append (GTK_BOX (block->root), header);

  if (!block->data->disagreement)
    {
      guint n = assay_adjudication_count_values (block->view->model, block->data);

      gtk_label_set_text (block->agreement,
                          n == 0 ? _("No judgments") :
                          n == 1 ? _("One judgment") : _("All agree"));
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < self->annotators->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), _assay_adj_annotator_row (block, i));
  gtk_list_box_append (GTK_LIST_BOX (list), _assay_adj_gold_row (block));
  gtk_box_append (GTK_BOX (block->root), list);

  gtk_box_append (GTK_BOX (section->root), block->root);
  g_ptr_array_add (self->blocks, block);
  if (block->data->disagreement)
    section->n_disagreements++;
  return block;
}

static Section *
add_section (AssayAdjudicationView *self,
             const char            *title,
             const char            *jump_label,
             const char            *jump_name)
{
  Section *section = g_new0 (Section, 1);
  GtkWidget *header, *label, *button;
  guint index = self->jump_targets->len;

  section->root = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (section->root, "adj-section");
  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  label = g_object_new (GTK_TYPE_LABEL,
                        "label", title,
                        "use-markup", FALSE,
                        "xalign", 0.0f,
                        "wrap", TRUE,
                        "wrap-mode", PANGO_WRAP_WORD_CHAR,
                        "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                        NULL);
  gtk_widget_add_css_class (label, "title-3");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (GTK_BOX (header), label);
  section->summary = GTK_LABEL (_assay_adj_text_label (NULL, "dim-label"));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (section->summary));
  gtk_box_append (GTK_BOX (section->root), header);
  gtk_box_append (self->sections, section->root);
  g_ptr_array_add (self->sections_data, section);

  button = gtk_button_new_with_label (jump_label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "adjudication.jump");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);
  gtk_widget_set_tooltip_text (button, jump_name);
  _assay_adj_set_accessible_label (button, jump_name);
  gtk_box_append (GTK_BOX (self->jump_box), button);
  g_ptr_array_add (self->jump_targets, section->root);
  return section;
}

static Section *
candidate_section (AssayAdjudicationView *self,
                   AssayItemCandidate    *candidate)
{
  g_autofree char *name = _assay_adj_candidate_name (self, candidate->id);
  g_autofree char *letter = _assay_adj_letter (self, candidate->id);
  /* TRANSLATORS: a button that scrolls to a candidate, e.g. "Go to A · scribe-xl" */
  g_autofree char *jump = g_strdup_printf (_("Go to %s"), name);
  Section *section = add_section (self, name, letter, jump);
  GtkWidget *expander, *text;

  expander = gtk_expander_new (_("Summary Text"));
  gtk_widget_add_css_class (expander, "adj-text-expander");
  text = _assay_adj_wrapped_label (candidate->text, "adj-summary");
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_expander_set_child (GTK_EXPANDER (expander), text);
  gtk_box_append (GTK_BOX (section->root), expander);
  return section;
}

/* The model's blocks in its order: each candidate's (a section per
 * candidate, in display order, even if nobody judged it), the ranking,
 * the pairs. */
static void
build_blocks (AssayAdjudicationView *self)
{
  GPtrArray *candidates = assay_adjudication_get_candidates (self->model);
  GPtrArray *blocks = assay_adjudication_get_blocks (self->model);
  Section *ranking = NULL, *comparisons = NULL;
  g_autofree Section **of_candidate = g_new0 (Section *, MAX (candidates->len, 1));

  for (guint c = 0; c < candidates->len; c++)
    of_candidate[c] = candidate_section (self, g_ptr_array_index (candidates, c));

  for (guint i = 0; i < blocks->len; i++)
    {
      AssayAdjudicationBlock *data = g_ptr_array_index (blocks, i);
      Section *section = NULL;

      if (data->kind == ASSAY_BLOCK_RANKING)
        {
          if (ranking == NULL)
            ranking = add_section (self, _("Ranking"), _("Ranking"), _("Go to the ranking"));
          section = ranking;
        }
      else if (data->kind == ASSAY_BLOCK_COMPARISON)
        {
          if (comparisons == NULL)
            comparisons = add_section (self, _("Comparisons"), _("Comparisons"),
                                       _("Go to the comparisons"));
          section = comparisons;
        }
      else
        for (guint c = 0; c < candidates->len && section == NULL; c++)
          if (((AssayItemCandidate *) g_ptr_array_index (candidates, c))->id ==
              data->candidate_id)
            section = of_candidate[c];
      g_assert (section != NULL);
      add_block (self, section, data);
    }
}

static void
build_legend (AssayAdjudicationView *self)
{
  GtkWidget *child;
  GtkWidget *pill;
  guint persons = 0, models = 0;

  while ((child = gtk_widget_get_first_child (self->legend)) != NULL)
    gtk_widget_unparent (child);

  for (guint i = 0; i < self->annotators->len; i++)
    {
      AssayAdjudicationAnnotator *annotator = g_ptr_array_index (self->annotators, i);
      GtkWidget *name;

      pill = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_add_css_class (pill, "adj-legend-item");
      gtk_box_append (GTK_BOX (pill), gtk_image_new_from_icon_name (
                        annotator->kind == ASSAY_ANNOTATOR_MODEL ? "computer-symbolic"
                                                                      : "avatar-default-symbolic"));
      name = _assay_adj_text_label (annotator->name, NULL);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
      gtk_widget_set_tooltip_text (name, annotator->name);
      gtk_box_append (GTK_BOX (pill), name);
      if (annotator->kind == ASSAY_ANNOTATOR_MODEL)
        gtk_box_append (GTK_BOX (pill), _assay_adj_text_label (_("LLM judge"), "adj-kind"));
      else if (annotator->kind == ASSAY_ANNOTATOR_ADJUDICATOR)
        gtk_box_append (GTK_BOX (pill), _assay_adj_text_label (_("Adjudicator"), "adj-kind"));
      _assay_adj_wrap_append (self->legend, pill);

      if (annotator->kind == ASSAY_ANNOTATOR_MODEL)
        models++;
      else if (annotator->kind == ASSAY_ANNOTATOR_PERSON)
        persons++;
    }

  pill = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_add_css_class (pill, "adj-legend-item");
  gtk_widget_add_css_class (pill, "adj-legend-gold");
  gtk_box_append (GTK_BOX (pill), gtk_image_new_from_icon_name ("starred-symbolic"));
  {
    /* TRANSLATORS: the legend entry of the gold annotator, e.g. "Gold: Maya Chen (gold)" */
    g_autofree char *text = g_strdup_printf (_("Gold: %s"), self->gold_name);
    GtkWidget *name = _assay_adj_text_label (text, NULL);

    gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
    gtk_label_set_max_width_chars (GTK_LABEL (name), 32);
    gtk_widget_set_tooltip_text (name, text);
    gtk_box_append (GTK_BOX (pill), name);
  }
  _assay_adj_wrap_append (self->legend, pill);

  {
    g_autofree char *people = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u expert",
                                                            "%u experts", persons), persons);
    g_autofree char *judges = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u LLM judge",
                                                            "%u LLM judges", models), models);
    g_autofree char *summaries = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u summary",
                                                               "%u summaries",
                                                               self->base->candidates->len),
                                                  self->base->candidates->len);
    /* TRANSLATORS: under the source's title, e.g. "2 experts, 1 LLM judge · 3 summaries" */
    g_autofree char *subtitle = g_strdup_printf (_("%s, %s · %s"), people, judges, summaries);

    gtk_label_set_text (self->subtitle, subtitle);
  }
}

static void
clear_content (AssayAdjudicationView *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sections))) != NULL)
    gtk_box_remove (self->sections, child);
  while ((child = gtk_widget_get_first_child (self->jump_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->jump_box), child);
  g_ptr_array_set_size (self->blocks, 0);
  g_ptr_array_set_size (self->sections_data, 0);
  g_ptr_array_set_size (self->jump_targets, 0);
  self->nothing_page = NULL;
}

static void
build (AssayAdjudicationView *self)
{
  GtkWidget *status;

  clear_content (self);
  gtk_label_set_text (self->title, self->base->title != NULL ? self->base->title
                                                             : self->base->ext_id);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), self->base->title);
  build_legend (self);

  build_blocks (self);

  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "object-select-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Disagreements"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("The annotators agree on every judgment of this source."));
  gtk_widget_add_css_class (status, "compact");
  gtk_box_append (self->sections, status);
  self->nothing_page = status;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  _assay_adj_refresh (self);
}

/* ---- showing the gold ---- */

void
_assay_adj_refresh (AssayAdjudicationView *self)
{
  gboolean only = gtk_toggle_button_get_active (self->only_disagreements);
  guint n = 0, settled = 0;

  self->syncing++;
  for (guint i = 0; i < self->sections_data->len; i++)
    ((Section *) g_ptr_array_index (self->sections_data, i))->n_settled = 0;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);

      _assay_adj_refresh_block (block);
      gtk_widget_set_visible (block->root, !only || block->data->disagreement);
      if (block->data->disagreement)
        {
          n++;
          if (assay_adjudication_gold_has_value (block->view->model, block->data))
            {
              settled++;
              block->section->n_settled++;
            }
        }
    }

  for (guint i = 0; i < self->sections_data->len; i++)
    {
      Section *section = g_ptr_array_index (self->sections_data, i);
      g_autofree char *text = NULL;

      if (section->n_disagreements == 0)
        text = g_strdup (_("No disagreements"));
      else
        /* TRANSLATORS: under a candidate's heading, e.g. "1 of 3 disagreements settled" */
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u disagreement settled",
                                             "%u of %u disagreements settled",
                                             section->n_disagreements),
                                section->n_settled, section->n_disagreements);
      gtk_label_set_text (section->summary, text);
      gtk_widget_set_visible (section->root, !only || section->n_disagreements > 0);
    }
  if (self->nothing_page != NULL)
    gtk_widget_set_visible (self->nothing_page, only && n == 0);

  gtk_widget_remove_css_class (self->state_box, "success");
  gtk_widget_remove_css_class (self->state_box, "warning");
  if (n == 0)
    {
      gtk_image_set_from_icon_name (self->state_icon, "object-select-symbolic");
      gtk_label_set_text (self->state_label, _("No disagreements"));
    }
  else if (settled == n)
    {
      gtk_image_set_from_icon_name (self->state_icon, "object-select-symbolic");
      gtk_label_set_text (self->state_label, _("Settled"));
      gtk_widget_add_css_class (self->state_box, "success");
    }
  else
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: at the top of the view, e.g. "5 disagreements to settle" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u disagreement to settle",
                                           "%u disagreements to settle", n - settled),
                              n - settled);
      gtk_image_set_from_icon_name (self->state_icon, "dialog-warning-symbolic");
      gtk_label_set_text (self->state_label, text);
      gtk_widget_add_css_class (self->state_box, "warning");
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjudication.next-disagreement", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjudication.previous-disagreement", n > 0);
  self->syncing--;
}

/* ---- actions ---- */

static void
scroll_to (AssayAdjudicationView *self,
           GtkWidget             *target)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);
  graphene_point_t point;

  if (!gtk_widget_compute_point (target, self->clamp, &GRAPHENE_POINT_INIT (0, 0), &point))
    return;
  gtk_adjustment_set_value (adjustment, MAX (0, point.y - 12));
}

static void
jump_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (widget);
  guint index = g_variant_get_uint32 (param);

  if (index >= self->jump_targets->len)
    return;
  scroll_to (self, g_ptr_array_index (self->jump_targets, index));
}

/* From the block that has the focus (or the first), to the next
 * disagreement that has no gold yet; settled ones when all are. */
static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (widget);
  gboolean back = g_str_equal (action_name, "adjudication.previous-disagreement");
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  guint n = self->blocks->len;
  int current = -1;
  Block *found = NULL;

  if (n == 0)
    return;
  for (guint i = 0; focus != NULL && i < n; i++)
    if (gtk_widget_is_ancestor (focus, ((Block *) g_ptr_array_index (self->blocks, i))->root))
      current = i;

  for (int pass = 0; pass < 2 && found == NULL; pass++)
    for (guint k = 1; k <= n && found == NULL; k++)
      {
        guint i = back ? (guint) ((current < 0 ? 0 : current) + n * 2 - k) % n
                       : (guint) (current + k + n) % n;
        Block *block = g_ptr_array_index (self->blocks, i);

        if (block->data->disagreement &&
            (pass == 1 || !assay_adjudication_gold_has_value (self->model, block->data)))
          found = block;
      }
  if (found == NULL)
    {
      gtk_widget_error_bell (widget);
      return;
    }
  gtk_widget_child_focus (found->root, GTK_DIR_TAB_FORWARD);
  scroll_to (self, found->root);
}

static void
only_toggled_cb (GtkToggleButton       *button,
                 AssayAdjudicationView *self)
{
  _assay_adj_refresh (self);
}

/* ---- the widget ---- */

/* Drops the source on screen: the widgets go before the model they point into. */
static void
clear_model (AssayAdjudicationView *self)
{
  clear_content (self);
  self->tmpl = NULL;
  self->base = NULL;
  self->annotators = NULL;
  g_clear_object (&self->model);
}

static void
assay_adjudication_view_dispose (GObject *object)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (object);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  clear_model (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_ADJUDICATION_VIEW);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->sections_data, g_ptr_array_unref);
  g_clear_pointer (&self->jump_targets, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (assay_adjudication_view_parent_class)->dispose (object);
}

static void
assay_adjudication_view_finalize (GObject *object)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (object);

  g_free (self->lead_id);
  g_free (self->lead_name);
  g_free (self->gold_ext_id);
  g_free (self->gold_name);

  G_OBJECT_CLASS (assay_adjudication_view_parent_class)->finalize (object);
}

static void
assay_adjudication_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, assay_adjudication_view_get_loading (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_adjudication_view_class_init (AssayAdjudicationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_adjudication_view_dispose;
  object_class->finalize = assay_adjudication_view_finalize;
  object_class->get_property = assay_adjudication_view_get_property;

  /**
   * AssayAdjudicationView:loading:
   *
   * Whether a source is being read (in a worker thread).
   */
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AssayAdjudicationView::changed:
   *
   * Gold judgments were saved (once per action of the lead's).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (ASSAY_TYPE_WRAP_BOX);
  gtk_widget_class_set_template_from_resource (
    widget_class, "/io/github/assaylab/Assay/assay-adjudication-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, toasts);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, spinner);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, title);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, subtitle);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, state_box);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, state_icon);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, state_label);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, legend);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, jump_box);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, only_disagreements);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, clamp);
  gtk_widget_class_bind_template_child (widget_class, AssayAdjudicationView, sections);
  gtk_widget_class_bind_template_callback (widget_class, only_toggled_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "adjudicationview");

  gtk_widget_class_install_action (widget_class, "adjudication.jump", "u", jump_action);
  gtk_widget_class_install_action (widget_class, "adjudication.next-disagreement", NULL,
                                   step_action);
  gtk_widget_class_install_action (widget_class, "adjudication.previous-disagreement", NULL,
                                   step_action);
  gtk_widget_class_install_action (widget_class, "adjudication.use-agreed", NULL,
                                   _assay_adj_use_agreed_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, 0,
                                       "adjudication.next-disagreement", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F8, GDK_SHIFT_MASK,
                                       "adjudication.previous-disagreement", NULL);
}

static void
assay_adjudication_view_init (AssayAdjudicationView *self)
{
  self->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) block_free);
  self->sections_data = g_ptr_array_new_with_free_func (g_free);
  self->jump_targets = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjudication.next-disagreement", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "adjudication.previous-disagreement", FALSE);
}

GtkWidget *
assay_adjudication_view_new (AssayProject *project,
                             const char   *lead_id,
                             const char   *lead_name)
{
  AssayAdjudicationView *self;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);
  g_return_val_if_fail (lead_id != NULL && *lead_id != '\0', NULL);

  self = g_object_new (ASSAY_TYPE_ADJUDICATION_VIEW, NULL);
  self->project = g_object_ref (project);
  self->lead_id = g_strdup (lead_id);
  self->lead_name = g_strdup (lead_name != NULL && *lead_name != '\0' ? lead_name : lead_id);
  self->gold_ext_id = g_strconcat ("gold:", lead_id, NULL);
  /* TRANSLATORS: the name of the lead's gold annotator, e.g. "Maya Chen (gold)" */
  self->gold_name = g_strdup_printf (_("%s (gold)"), self->lead_name);
  return GTK_WIDGET (self);
}

static void
show_empty (AssayAdjudicationView *self,
            const char            *title,
            const char            *description)
{
  g_autofree char *escaped = description != NULL ? g_markup_escape_text (description, -1) : NULL;

  adw_status_page_set_title (self->empty_page, title);
  /* The status page reads its description as markup. */
  adw_status_page_set_description (self->empty_page, escaped);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

static void
set_loading (AssayAdjudicationView *self,
             GCancellable          *loading)
{
  gboolean was = self->loading != NULL;

  g_clear_object (&self->loading);
  self->loading = loading;
  gtk_spinner_set_spinning (self->spinner, loading != NULL);
  if (was != (loading != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(AssayAdjudicationView) self = user_data;
  g_autoptr(AssayAdjudication) model = NULL;
  g_autoptr(GError) error = NULL;

  model = assay_adjudication_load_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  set_loading (self, NULL);
  if (model == NULL)
    {
      show_empty (self, _("Could Not Read the Source"), error->message);
      return;
    }

  /* The gold being written is the session's, which the model's copy
   * (read through another connection) may lag behind. */
  if (self->session != NULL)
    {
      if (!assay_session_load_item (self->session, self->source_id, &error))
        {
          show_empty (self, _("Could Not Read the Source"), error->message);
          return;
        }
      assay_adjudication_set_gold (model, assay_session_get_item (self->session));
    }

  self->model = g_steal_pointer (&model);
  self->tmpl = assay_adjudication_get_template (self->model);
  self->base = assay_adjudication_get_source (self->model);
  self->annotators = assay_adjudication_get_annotators (self->model);

  if (self->annotators->len == 0)
    {
      show_empty (self, _("Nobody Has Judged This Source"),
                  _("When experts or LLM judges have judged it, their judgments appear here side "
                    "by side."));
      return;
    }
  build (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

/* Starts reading the source in a worker thread; what cannot be read is
 * shown in the view. The result is kept for callers that check it. */
gboolean
assay_adjudication_view_set_source (AssayAdjudicationView  *self,
                                    gint64                  source_id,
                                    GError                **error)
{
  GCancellable *loading;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION_VIEW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  clear_model (self);
  self->source_id = source_id;
  loading = g_cancellable_new ();
  set_loading (self, loading);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  assay_adjudication_load_async (self->project, source_id, self->gold_ext_id, loading, loaded_cb,
                                 g_object_ref (self));
  return TRUE;
}

gboolean
assay_adjudication_view_get_loading (AssayAdjudicationView *self)
{
  g_return_val_if_fail (ASSAY_IS_ADJUDICATION_VIEW (self), FALSE);

  return self->loading != NULL;
}
