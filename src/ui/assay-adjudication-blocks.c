/* assay-adjudication-blocks.c: the annotators' values in the blocks of the
 * adjudication view, one kind at a time, and the widgets they are made of
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-adjudication-view-private.h"
#include "assay-diff.h"
#include "assay-wrap-box.h"


void
_assay_adj_wrap_append (GtkWidget *wrap,
                        GtkWidget *child)
{
  gtk_widget_set_parent (child, wrap);
}

const char *
_assay_adj_set_title (AssayLabelSet *set)
{
  return set->title != NULL ? set->title : set->name;
}

const char *
_assay_adj_option_title (AssayLabelOption *option)
{
  return option->title != NULL ? option->title : option->name;
}

const char *
_assay_adj_criterion_title (AssayCriterion *criterion)
{
  return criterion->title != NULL ? criterion->title : criterion->name;
}

/* The letters the reviewers saw: the core's rule, in the display order of
 * the template (shuffled per item when it is blind). */
char *
_assay_adj_letter (AssayAdjudicationView *self,
                   gint64                 candidate_id)
{
  if (self->model == NULL)
    return g_strdup ("?");
  return assay_adjudication_candidate_letter (self->model, candidate_id);
}

char *
_assay_adj_candidate_name (AssayAdjudicationView *self,
                           gint64                 candidate_id)
{
  AssayItemCandidate *candidate = assay_item_find_candidate (self->base, candidate_id);
  g_autofree char *letter = _assay_adj_letter (self, candidate_id);

  /* TRANSLATORS: a candidate's letter and its model, e.g. "A · scribe-xl" */
  return g_strdup_printf (_("%s · %s"), letter, candidate != NULL ? candidate->model : "");
}

/* ---- small widgets ---- */

GtkWidget *
_assay_adj_text_label (const char *text,
                       const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  /* Annotators' names, rationales, notes and quotes are untrusted. */
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

GtkWidget *
_assay_adj_wrapped_label (const char *text,
                          const char *css_class)
{
  GtkWidget *label = _assay_adj_text_label (text, css_class);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (label, TRUE);
  return label;
}

/* A label cut to a few lines, with the whole text in its tooltip. */
static GtkWidget *
clipped_label (const char *text,
               int         lines,
               const char *css_class)
{
  GtkWidget *label = _assay_adj_wrapped_label (text, css_class);

  gtk_label_set_lines (GTK_LABEL (label), lines);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, text);
  return label;
}

void
_assay_adj_set_accessible_label (GtkWidget  *widget,
                                 const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
draw_dot (GtkDrawingArea *area,
          cairo_t        *cr,
          int             width,
          int             height,
          gpointer        data)
{
  AssayLabelOption *option = data;
  GdkRGBA color;

  if (option->color == NULL || !gdk_rgba_parse (&color, option->color))
    return;
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, width / 2.0, height / 2.0, MIN (width, height) / 2.0, 0, 2 * G_PI);
  cairo_fill (cr);
}

/* A label option as a chip: its colour as a dot (when it has one) and its
 * title, so that the colour is never the only sign. */
GtkWidget *
_assay_adj_chip_content (AssayLabelOption *option,
                         const char       *fallback)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 5);

  if (option != NULL && option->color != NULL)
    {
      GtkWidget *dot = gtk_drawing_area_new ();

      gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (dot), 8);
      gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (dot), 8);
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (dot), draw_dot, option, NULL);
      gtk_box_append (GTK_BOX (box), dot);
    }
  gtk_box_append (GTK_BOX (box),
                  _assay_adj_text_label (option != NULL ? _assay_adj_option_title (option)
                                                        : fallback, NULL));
  return box;
}

static GtkWidget *
chip (AssayLabelOption *option,
      const char       *fallback)
{
  GtkWidget *content = _assay_adj_chip_content (option, fallback);

  gtk_widget_add_css_class (content, "adj-chip");
  if (option != NULL && option->description != NULL)
    gtk_widget_set_tooltip_text (content, option->description);
  return content;
}

static GtkWidget *
nothing_label (const char *text)
{
  return _assay_adj_text_label (text, "dim-label");
}

void
_assay_adj_clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    gtk_box_remove (GTK_BOX (box), child);
}

/* ---- one annotator's value, for reading ---- */

static char *
ranking_text (AssayAdjudicationView *self,
              AssayItem             *item)
{
  g_autoptr(GPtrArray) ranked = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (item->candidates, i);

      if (candidate->rank > 0)
        g_ptr_array_add (ranked, candidate);
    }
  /* Candidates come in import order; a stable insertion sort by rank keeps
   * tied ones in that order. */
  for (guint i = 1; i < ranked->len; i++)
    for (guint j = i; j > 0; j--)
      {
        AssayItemCandidate *p = g_ptr_array_index (ranked, j - 1);
        AssayItemCandidate *q = g_ptr_array_index (ranked, j);

        if (p->rank <= q->rank)
          break;
        ranked->pdata[j - 1] = q;
        ranked->pdata[j] = p;
      }
  for (guint i = 0; i < ranked->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (ranked, i);
      g_autofree char *letter = _assay_adj_letter (self, candidate->id);

      if (i > 0)
        g_string_append (text, "   ");
      /* TRANSLATORS: one place in a ranking, e.g. "1. C" */
      g_string_append_printf (text, _("%d. %s"), candidate->rank, letter);
    }
  return g_string_free (text, FALSE);
}

static char *
comparison_text (AssayAdjudicationView *self,
                 AssayItemComparison   *comparison)
{
  gint64 winner = assay_adjudication_winner (comparison);
  g_autofree char *letter = NULL;

  if (winner == 0)
    return g_strdup (_("Same"));
  letter = _assay_adj_letter (self, winner);
  /* TRANSLATORS: the outcome of a comparison, e.g. "B is better" */
  return g_strdup_printf (_("%s is better"), letter);
}

/* Unchanged text kept around a change, in characters. */
#define CONTEXT_CHARS 60

/* Appends unchanged text, cut to some context next to the changes before
 * and after it (`head`: the start of the run is next to a change, `tail`:
 * its end is), with line breaks as spaces so that a correction of a long
 * summary reads as a few lines. */
static void
append_context (GString    *shown,
                const char *from,
                const char *to,
                gboolean    head,
                gboolean    tail)
{
  g_autofree char *run = g_strndup (from, to - from);
  glong n = g_utf8_strlen (run, -1);
  const char *cut_head = NULL, *cut_tail = NULL;

  g_strdelimit (run, "\n\r", ' ');
  if (n <= CONTEXT_CHARS * (head + tail) + 12 || (!head && !tail))
    {
      g_string_append (shown, run);
      return;
    }
  if (head)
    {
      cut_head = g_utf8_offset_to_pointer (run, CONTEXT_CHARS);
      while (*cut_head != '\0' && *cut_head != ' ')
        cut_head = g_utf8_next_char (cut_head);
      g_string_append_len (shown, run, cut_head - run);
    }
  /* TRANSLATORS: where unchanged text of a correction is left out */
  g_string_append (shown, head && tail ? _(" … ") : head ? _(" …") : _("… "));
  if (tail)
    {
      cut_tail = g_utf8_offset_to_pointer (run, n - CONTEXT_CHARS);
      while (*cut_tail != '\0' && *cut_tail != ' ')
        cut_tail = g_utf8_next_char (cut_tail);
      while (*cut_tail == ' ')
        cut_tail++;
      g_string_append (shown, cut_tail);
    }
}

static void
add_attribute (PangoAttrList  *attrs,
               PangoAttribute *attr,
               guint           start,
               guint           end)
{
  attr->start_index = start;
  attr->end_index = end;
  pango_attr_list_insert (attrs, attr);
}

/* What a correction changed, with a little unchanged text around each
 * change: deleted words struck through and faded, inserted ones
 * underlined and bold (attributes, not markup). The whole corrected text
 * is in the tooltip and is what a screen reader reads. */
static GtkWidget *
correction_widget (AssayItemCandidate *original,
                   const char         *corrected)
{
  g_autoptr(GArray) ops = assay_diff_words (original->text, corrected, NULL);
  PangoAttrList *attrs = pango_attr_list_new ();
  GString *shown = g_string_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label, *caption;
  guint distance = assay_word_edit_distance (original->text, corrected);
  g_autofree char *count = NULL;

  for (guint i = 0; i < ops->len; i++)
    {
      AssayDiffOp *op = &g_array_index (ops, AssayDiffOp, i);
      const char *text = op->kind == ASSAY_DIFF_INSERT ? corrected : original->text;
      gint64 start = op->kind == ASSAY_DIFF_INSERT ? op->b_start : op->a_start;
      gint64 end = op->kind == ASSAY_DIFF_INSERT ? op->b_end : op->a_end;
      const char *from = g_utf8_offset_to_pointer (text, start);
      const char *to = g_utf8_offset_to_pointer (text, end);
      guint byte_start = shown->len;

      if (op->kind == ASSAY_DIFF_EQUAL)
        {
          append_context (shown, from, to, i > 0, i + 1 < ops->len);
          continue;
        }
      g_string_append_len (shown, from, to - from);
      if (op->kind == ASSAY_DIFF_DELETE)
        {
          add_attribute (attrs, pango_attr_strikethrough_new (TRUE), byte_start, shown->len);
          add_attribute (attrs, pango_attr_foreground_alpha_new (0xffff * 55 / 100), byte_start,
                         shown->len);
          /* Removed and added words would run together. */
          if (i + 1 < ops->len && g_array_index (ops, AssayDiffOp, i + 1).kind ==
                                    ASSAY_DIFF_INSERT)
            g_string_append (shown, " ");
        }
      else
        {
          add_attribute (attrs, pango_attr_underline_new (PANGO_UNDERLINE_SINGLE), byte_start,
                         shown->len);
          add_attribute (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD), byte_start,
                         shown->len);
        }
    }

  label = _assay_adj_wrapped_label (shown->str, "adj-correction");
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_set_tooltip_text (label, corrected);
  _assay_adj_set_accessible_label (label, corrected);
  gtk_box_append (GTK_BOX (box), label);
  g_string_free (shown, TRUE);

  /* TRANSLATORS: under a correction; struck-through words were removed,
   * underlined ones added */
  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "%u word changed (struck through: removed, "
                                        "underlined: added)",
                                        "%u words changed (struck through: removed, "
                                        "underlined: added)",
                                        distance),
                           distance);
  caption = _assay_adj_wrapped_label (count, "dim-label");
  gtk_widget_add_css_class (caption, "caption");
  gtk_box_append (GTK_BOX (box), caption);
  return box;
}

static GtkWidget *
spans_widget (AssayAdjudicationView *self,
              AssayItemCandidate    *candidate)
{
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  for (guint i = 0; i < candidate->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);
      AssayLabelOption *option = assay_template_option_by_id (self->tmpl, span->option_id, NULL);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *tag = chip (option, _("Unlabelled"));
      const char *from = g_utf8_offset_to_pointer (candidate->text,
                                                   MIN (span->start, candidate->n_chars));
      const char *to = g_utf8_offset_to_pointer (candidate->text,
                                                 MIN (span->end, candidate->n_chars));
      g_autofree char *piece = g_strndup (from, to - from);
      /* TRANSLATORS: a quoted stretch of a summary */
      g_autofree char *quote = g_strdup_printf (_("“%s”"), piece);

      gtk_widget_set_valign (tag, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (row), tag);
      gtk_box_append (GTK_BOX (text), clipped_label (quote, 4, "adj-quote"));
      if (span->note != NULL)
        gtk_box_append (GTK_BOX (text), _assay_adj_wrapped_label (span->note, NULL));
      if (span->evidence->len > 0)
        {
          g_autofree char *evidence = NULL;
          GtkWidget *caption;

          evidence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Linked to %u passage of the source",
                                                   "Linked to %u passages of the source",
                                                   span->evidence->len),
                                      span->evidence->len);
          caption = _assay_adj_wrapped_label (evidence, "dim-label");
          gtk_widget_add_css_class (caption, "caption");
          gtk_box_append (GTK_BOX (text), caption);
        }
      gtk_box_append (GTK_BOX (row), text);
      gtk_box_append (GTK_BOX (list), row);
    }
  return list;
}

GtkWidget *
_assay_adj_value_widget (Block     *block,
                         AssayItem *item,
                         gboolean   has)
{
  AssayAdjudicationView *self = block->view;
  AssayItemCandidate *candidate = assay_item_find_candidate (item, block->data->candidate_id);

  switch (block->data->kind)
    {
    case ASSAY_BLOCK_LABELS:
      {
        g_autoptr(GArray) choice = NULL;
        GtkWidget *wrap;

        if (!has)
          return nothing_label (_("No labels"));
        choice = assay_adjudication_label_choice (item, block->data->candidate_id,
                                                  block->data->set);
        if (choice->len == 0)
          return nothing_label (C_("labels", "None"));
        wrap = assay_wrap_box_new ();
        for (guint i = 0; i < choice->len; i++)
          _assay_adj_wrap_append (wrap, chip (assay_template_option_by_id (self->tmpl,
                                                                g_array_index (choice, gint64, i),
                                                                NULL), NULL));
        return wrap;
      }
    case ASSAY_BLOCK_SCORE:
      {
        AssayItemScore *score;
        GtkWidget *box, *value;
        g_autofree char *number = NULL;
        const char *anchor;

        if (!has)
          return nothing_label (_("No score"));
        score = g_hash_table_lookup (candidate->scores, &block->data->criterion->id);
        box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
        number = g_strdup_printf ("%d", score->value);
        value = _assay_adj_text_label (number, "adj-score");
        gtk_label_set_xalign (GTK_LABEL (value), 0.5);
        gtk_widget_set_valign (value, GTK_ALIGN_START);
        anchor = assay_criterion_get_anchor (block->data->criterion, score->value);
        if (anchor != NULL)
          gtk_widget_set_tooltip_text (value, anchor);
        gtk_box_append (GTK_BOX (box), value);
        if (score->rationale != NULL)
          gtk_box_append (GTK_BOX (box), _assay_adj_wrapped_label (score->rationale, NULL));
        else
          gtk_box_append (GTK_BOX (box), nothing_label (_("No rationale")));
        return box;
      }
    case ASSAY_BLOCK_SPANS:
      if (!has)
        return nothing_label (_("No spans"));
      /* Judged with no spans: that is their value. */
      if (candidate->spans->len == 0)
        return nothing_label (C_("spans", "None marked"));
      return spans_widget (self, candidate);
    case ASSAY_BLOCK_CORRECTION:
      if (!has)
        return nothing_label (_("No correction"));
      return correction_widget (candidate, candidate->correction);
    case ASSAY_BLOCK_RANKING:
      {
        g_autofree char *text = NULL;

        if (!has)
          return nothing_label (_("No ranking"));
        text = ranking_text (self, item);
        return _assay_adj_wrapped_label (text, "adj-ranking");
      }
    case ASSAY_BLOCK_COMPARISON:
      {
        AssayItemComparison *comparison = assay_item_find_comparison (item, block->data->a,
                                                                      block->data->b);
        g_autofree char *text = NULL;
        GtkWidget *box;

        if (comparison == NULL)
          return nothing_label (_("Not compared"));
        box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
        text = comparison_text (self, comparison);
        gtk_box_append (GTK_BOX (box), _assay_adj_text_label (text, "heading"));
        if (comparison->rationale != NULL)
          gtk_box_append (GTK_BOX (box), _assay_adj_wrapped_label (comparison->rationale, NULL));
        return box;
      }
    default:
      g_assert_not_reached ();
    }
}

/* What the gold holds, in a few words, for the gold line. */
char *
_assay_adj_gold_summary (Block *block)
{
  AssayAdjudicationView *self = block->view;
  AssayItem *gold = assay_adjudication_get_gold (self->model);
  AssayItemCandidate *candidate = assay_item_find_candidate (gold, block->data->candidate_id);

  switch (block->data->kind)
    {
    case ASSAY_BLOCK_LABELS:
      {
        g_autoptr(GArray) choice = assay_adjudication_label_choice (gold,
                                                                    block->data->candidate_id,
                                                                    block->data->set);
        GString *text = g_string_new (NULL);

        for (guint i = 0; i < choice->len; i++)
          {
            AssayLabelOption *option = assay_template_option_by_id (self->tmpl,
                                                                    g_array_index (choice, gint64,
                                                                                   i),
                                                                    NULL);

            if (i > 0)
              g_string_append (text, _(", "));
            g_string_append (text, option != NULL ? _assay_adj_option_title (option) : "?");
          }
        if (choice->len == 0)
          g_string_append (text, C_("labels", "none"));
        return g_string_free (text, FALSE);
      }
    case ASSAY_BLOCK_SCORE:
      {
        AssayItemScore *score = g_hash_table_lookup (candidate->scores,
                                                     &block->data->criterion->id);

        return g_strdup_printf ("%d", score->value);
      }
    case ASSAY_BLOCK_SPANS:
      if (candidate->spans->len == 0)
        return g_strdup (_("no spans"));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u span", "%u spans",
                                           candidate->spans->len),
                              candidate->spans->len);
    case ASSAY_BLOCK_CORRECTION:
      return g_strdup (_("a correction"));
    case ASSAY_BLOCK_RANKING:
      return ranking_text (self, gold);
    case ASSAY_BLOCK_COMPARISON:
      return comparison_text (self, assay_item_find_comparison (gold, block->data->a,
                                                                block->data->b));
    default:
      g_assert_not_reached ();
    }
}

/* ---- building ---- */

static GtkWidget *
who_widget (AssayAdjudicationAnnotator *annotator)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = _assay_adj_text_label (annotator->name, "adj-name");
  const char *kind = NULL;

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (name, annotator->name);
  gtk_box_append (GTK_BOX (box), name);

  if (annotator->kind == ASSAY_ANNOTATOR_MODEL)
    kind = _("LLM judge");
  else if (annotator->kind == ASSAY_ANNOTATOR_ADJUDICATOR)
    kind = _("Adjudicator");
  if (kind != NULL)
    {
      GtkWidget *tag = _assay_adj_text_label (kind, "adj-kind");

      gtk_widget_set_halign (tag, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), tag);
    }
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  return box;
}

static char *
use_name (Block     *block,
          AssayAdjudicationAnnotator *annotator)
{
  AssayAdjudicationView *self = block->view;
  const char *who = annotator->name;
  g_autofree char *letter = _assay_adj_letter (self, block->data->candidate_id);

  switch (block->data->kind)
    {
    case ASSAY_BLOCK_LABELS:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s Issues labels for A" */
      return g_strdup_printf (_("Use %s’s %s labels for %s"), who,
                              _assay_adj_set_title (block->data->set),
                              letter);
    case ASSAY_BLOCK_SCORE:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s Faithfulness score for B" */
      return g_strdup_printf (_("Use %s’s %s score for %s"), who,
                              _assay_adj_criterion_title (block->data->criterion), letter);
    case ASSAY_BLOCK_SPANS:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s spans for B" */
      return g_strdup_printf (_("Use %s’s spans for %s"), who, letter);
    case ASSAY_BLOCK_CORRECTION:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s correction for B" */
      return g_strdup_printf (_("Use %s’s correction for %s"), who, letter);
    case ASSAY_BLOCK_RANKING:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s ranking" */
      return g_strdup_printf (_("Use %s’s ranking"), who);
    case ASSAY_BLOCK_COMPARISON:
      {
        g_autofree char *a = _assay_adj_letter (self, block->data->a);
        g_autofree char *b = _assay_adj_letter (self, block->data->b);

        /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s comparison of A and B" */
        return g_strdup_printf (_("Use %s’s comparison of %s and %s"), who, a, b);
      }
    default:
      g_assert_not_reached ();
    }
}

GtkWidget *
_assay_adj_list_row (GtkWidget  *child,
                     const char *css_class)
{
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), child);
  gtk_widget_add_css_class (row, "adj-row");
  if (css_class != NULL)
    gtk_widget_add_css_class (row, css_class);
  return row;
}

GtkWidget *
_assay_adj_annotator_row (Block *block,
                          guint  index)
{
  AssayAdjudicationAnnotator *annotator = g_ptr_array_index (block->view->annotators, index);
  gboolean has = assay_adjudication_has_value (block->view->model, block->data, index);
  GtkWidget *value = _assay_adj_value_widget (block, annotator->item, has);
  GtkWidget *end = NULL, *mark = NULL;

  if (has)
    {
      g_autofree char *name = use_name (block, annotator);
      GtkWidget *button = gtk_button_new_with_label (C_("adjudication", "Use"));

      end = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_set_valign (end, GTK_ALIGN_START);
      mark = gtk_image_new_from_icon_name ("object-select-symbolic");
      gtk_widget_add_css_class (mark, "adj-match");
      gtk_widget_set_tooltip_text (mark, _("Same as the gold"));
      gtk_widget_set_visible (mark, FALSE);
      gtk_box_append (GTK_BOX (end), mark);

      gtk_widget_set_tooltip_text (button, name);
      _assay_adj_set_accessible_label (button, name);
      gtk_widget_add_css_class (button, "adj-use");
      g_object_set_data (G_OBJECT (button), "annotator", GUINT_TO_POINTER (index));
      g_signal_connect (button, "clicked", G_CALLBACK (_assay_adj_use_clicked_cb), block);
      gtk_box_append (GTK_BOX (end), button);
    }
  g_ptr_array_add (block->marks, mark);

  return _assay_adj_list_row (_assay_adjudication_row_new (who_widget (annotator), value, end),
                              has ? NULL : "adj-no-value");
}

GtkWidget *
_assay_adj_tag (const char *icon,
                const char *text,
                const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon));
  gtk_box_append (GTK_BOX (box), _assay_adj_text_label (text, NULL));
  gtk_widget_add_css_class (box, "adj-tag");
  gtk_widget_add_css_class (box, css_class);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

