/* assay-adjudication-view.c: every annotator's judgments on one source,
 * side by side, and the gold judgment the eval lead sets from them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view reads each annotator's judgments with assay_project_load_item
 * and never writes them. Gold judgments go through an AssaySession of an
 * adjudicator annotator ("gold:<lead id>"), made on the first gold write,
 * so that merely looking at a source leaves no trace in the project.
 * Adjudication is not blind: candidates are named by model as well as by
 * the letter the reviewers saw (assay_item_candidate_letter).
 *
 * A block is one judgment on which annotators can differ: a label set or a
 * criterion of one candidate, its spans, its correction, the ranking, or
 * the comparison of one pair. Annotators disagree on a block when two of
 * them gave different values; leaving a judgment out is no disagreement,
 * and neither is a different rationale for the same score. Adjudicators
 * other than this lead's gold are shown but do not count as raters, as in
 * the statistics.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-adjudication-view.h"
#include "assay-wrap-box.h"
#include "assay-diff.h"
#include "assay-session.h"

/* Below this width a row puts the annotator's value under their name. */
#define WIDE_ROW_WIDTH 520
/* The column of annotator names, in wide rows. */
#define WHO_WIDTH 150
#define ROW_SPACING 12


static void
wrap_append (GtkWidget *wrap,
             GtkWidget *child)
{
  gtk_widget_set_parent (child, wrap);
}

/* ---- one annotator's row: name, value, button ----
 *
 * Wide, the three stand side by side with the names in one column; narrow,
 * the value goes under the name and the button, so every row decides from
 * its own width and no layout has to be switched as the window resizes. */

#define ASSAY_TYPE_ADJUDICATION_ROW (assay_adjudication_row_get_type ())
G_DECLARE_FINAL_TYPE (AssayAdjudicationRow, assay_adjudication_row, ASSAY, ADJUDICATION_ROW,
                      GtkWidget)

struct _AssayAdjudicationRow
{
  GtkWidget  parent_instance;
  GtkWidget *who;
  GtkWidget *value;
  GtkWidget *end;     /* nullable */
};

G_DEFINE_FINAL_TYPE (AssayAdjudicationRow, assay_adjudication_row, GTK_TYPE_WIDGET)

static int
row_end_width (AssayAdjudicationRow *self)
{
  int nat = 0;

  if (self->end != NULL && gtk_widget_should_layout (self->end))
    gtk_widget_measure (self->end, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL, NULL);
  return nat;
}

static int
child_height (GtkWidget *child,
              int        width)
{
  int nat = 0;

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, MAX (width, 0), NULL, &nat, NULL, NULL);
  return nat;
}

/* How far down the name and the value start so that their first line
 * stands level with the button's label. */
static int
row_first_line (AssayAdjudicationRow *self,
                int                   end_height)
{
  GtkWidget *name = gtk_widget_get_first_child (self->who);
  int line = 0;

  if (end_height == 0 || name == NULL)
    return 0;
  gtk_widget_measure (name, GTK_ORIENTATION_VERTICAL, WHO_WIDTH, NULL, &line, NULL, NULL);
  return MAX (0, (end_height - line) / 2);
}

static GtkSizeRequestMode
assay_adjudication_row_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
assay_adjudication_row_measure (GtkWidget      *widget,
                                GtkOrientation  orientation,
                                int             for_size,
                                int            *minimum,
                                int            *natural,
                                int            *minimum_baseline,
                                int            *natural_baseline)
{
  AssayAdjudicationRow *self = ASSAY_ADJUDICATION_ROW (widget);
  int end = row_end_width (self);
  int gap = end > 0 ? ROW_SPACING : 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int who_min, value_min, value_nat;

      gtk_widget_measure (self->who, orientation, -1, &who_min, NULL, NULL, NULL);
      gtk_widget_measure (self->value, orientation, -1, &value_min, &value_nat, NULL, NULL);
      *minimum = MAX (MIN (who_min, WHO_WIDTH) + gap + end, value_min);
      *natural = WHO_WIDTH + ROW_SPACING + value_nat + gap + end;
      return;
    }

  if (for_size < 0)
    gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &for_size, NULL, NULL);
  if (for_size >= WIDE_ROW_WIDTH)
    {
      int value_width = for_size - WHO_WIDTH - ROW_SPACING - gap - end;

      int top = row_first_line (self, child_height (self->end, end));

      *minimum = *natural = MAX (top + MAX (child_height (self->who, WHO_WIDTH),
                                            child_height (self->value, value_width)),
                                 child_height (self->end, end));
    }
  else
    {
      int end_h = child_height (self->end, end);
      int top = MAX (row_first_line (self, end_h) + child_height (self->who, for_size - gap - end),
                     end_h);

      *minimum = *natural = top + 6 + child_height (self->value, for_size);
    }
}

static void
assay_adjudication_row_size_allocate (GtkWidget *widget,
                                      int        width,
                                      int        height,
                                      int        baseline)
{
  AssayAdjudicationRow *self = ASSAY_ADJUDICATION_ROW (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int end = row_end_width (self);
  int gap = end > 0 ? ROW_SPACING : 0;
  int who_x, who_y, who_w, who_h, value_x, value_y, value_w, end_h;

  end_h = child_height (self->end, end);
  if (width >= WIDE_ROW_WIDTH)
    {
      who_x = 0;
      who_w = WHO_WIDTH;
      value_x = WHO_WIDTH + ROW_SPACING;
      value_w = width - value_x - gap - end;
      who_h = child_height (self->who, who_w);
      value_y = who_y = row_first_line (self, end_h);
    }
  else
    {
      who_x = 0;
      who_w = width - gap - end;
      who_h = child_height (self->who, who_w);
      who_y = row_first_line (self, end_h);
      value_x = 0;
      value_y = MAX (who_y + who_h, end_h) + 6;
      value_w = width;
    }

  gtk_widget_size_allocate (self->who,
                            &(GtkAllocation) { rtl ? width - who_x - who_w : who_x, who_y,
                                               who_w, who_h },
                            -1);
  gtk_widget_size_allocate (self->value,
                            &(GtkAllocation) { rtl ? width - value_x - value_w : value_x, value_y,
                                               value_w, child_height (self->value, value_w) },
                            -1);
  if (self->end != NULL && gtk_widget_should_layout (self->end))
    gtk_widget_size_allocate (self->end,
                              &(GtkAllocation) { rtl ? 0 : width - end, 0, end, end_h }, -1);
}

static void
assay_adjudication_row_dispose (GObject *object)
{
  AssayAdjudicationRow *self = ASSAY_ADJUDICATION_ROW (object);

  g_clear_pointer (&self->who, gtk_widget_unparent);
  g_clear_pointer (&self->value, gtk_widget_unparent);
  g_clear_pointer (&self->end, gtk_widget_unparent);

  G_OBJECT_CLASS (assay_adjudication_row_parent_class)->dispose (object);
}

static void
assay_adjudication_row_class_init (AssayAdjudicationRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_adjudication_row_dispose;
  widget_class->get_request_mode = assay_adjudication_row_get_request_mode;
  widget_class->measure = assay_adjudication_row_measure;
  widget_class->size_allocate = assay_adjudication_row_size_allocate;
}

static void
assay_adjudication_row_init (AssayAdjudicationRow *self)
{
}

static GtkWidget *
row_new (GtkWidget *who,
         GtkWidget *value,
         GtkWidget *end)
{
  AssayAdjudicationRow *row = g_object_new (ASSAY_TYPE_ADJUDICATION_ROW, NULL);

  row->who = who;
  row->value = value;
  row->end = end;
  gtk_widget_set_parent (who, GTK_WIDGET (row));
  gtk_widget_set_parent (value, GTK_WIDGET (row));
  if (end != NULL)
    gtk_widget_set_parent (end, GTK_WIDGET (row));
  return GTK_WIDGET (row);
}

/* ---- the view ---- */

typedef enum
{
  BLOCK_LABELS,
  BLOCK_SCORE,
  BLOCK_SPANS,
  BLOCK_CORRECTION,
  BLOCK_RANKING,
  BLOCK_COMPARISON,
} BlockKind;

typedef struct
{
  gint64              id;
  char               *name;
  AssayAnnotatorKind  kind;
  AssayItem          *item;
  gboolean            rater;   /* counts for disagreement: not an adjudicator */
} Annotator;

typedef struct _Section Section;

typedef struct
{
  AssayAdjudicationView *view;
  BlockKind              kind;
  Section               *section;
  gint64                 candidate_id;  /* candidate blocks */
  AssayLabelSet         *set;           /* BLOCK_LABELS */
  AssayCriterion        *criterion;     /* BLOCK_SCORE */
  gint64                 a, b;          /* BLOCK_COMPARISON, a first in import order */
  char                  *name;          /* "Faithfulness for B" */
  gboolean               disagreement;

  GtkWidget             *root;
  GtkWidget             *badge;
  GtkWidget             *settled_tag;
  GtkLabel              *agreement;
  GtkLabel              *gold_label;
  GtkWidget             *gold_detail;
  GPtrArray             *marks;         /* per annotator: "same as gold" icon, or NULL */
  GPtrArray             *toggles;       /* direct gold controls */
} Block;

struct _Section
{
  GtkWidget *root;
  GtkLabel  *summary;
  guint      n_disagreements;
  guint      n_settled;
};

struct _AssayAdjudicationView
{
  GtkWidget          parent_instance;

  AdwToastOverlay   *toasts;
  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkLabel          *title;
  GtkLabel          *subtitle;
  GtkWidget         *state_box;
  GtkImage          *state_icon;
  GtkLabel          *state_label;
  GtkWidget         *legend;
  GtkWidget         *jump_box;
  GtkToggleButton   *only_disagreements;
  GtkScrolledWindow *scroller;
  GtkWidget         *clamp;
  GtkBox            *sections;

  AssayProject      *project;
  AssayTemplate     *tmpl;
  char              *lead_id;
  char              *lead_name;
  char              *gold_ext_id;
  char              *gold_name;
  AssaySession      *session;       /* made on the first gold write */
  gint64             source_id;
  AssayItem         *base;          /* the source and its candidates */
  AssayItem         *gold;          /* nullable: no gold annotator yet */
  GPtrArray         *annotators;    /* Annotator */
  GPtrArray         *blocks;        /* Block */
  GPtrArray         *sections_data; /* Section */
  GPtrArray         *jump_targets;  /* GtkWidget, by jump button index */
  GtkWidget         *nothing_page;
  /* "candidate:set" of multi-choice sets whose gold is an empty choice,
   * which leaves nothing in the project to tell it from no choice. */
  GHashTable        *empty_gold;
  guint              syncing;
};

G_DEFINE_FINAL_TYPE (AssayAdjudicationView, assay_adjudication_view, GTK_TYPE_WIDGET)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void refresh (AssayAdjudicationView *self);

static void
annotator_free (Annotator *annotator)
{
  g_free (annotator->name);
  g_clear_pointer (&annotator->item, assay_item_unref);
  g_free (annotator);
}

static void
block_free (Block *block)
{
  g_free (block->name);
  g_ptr_array_unref (block->marks);
  g_ptr_array_unref (block->toggles);
  g_free (block);
}

static const char *
annotator_name (Annotator *annotator)
{
  return annotator->name;
}

static const char *
set_title (AssayLabelSet *set)
{
  return set->title != NULL ? set->title : set->name;
}

static const char *
option_title (AssayLabelOption *option)
{
  return option->title != NULL ? option->title : option->name;
}

static const char *
criterion_title (AssayCriterion *criterion)
{
  return criterion->title != NULL ? criterion->title : criterion->name;
}

static AssayItemCandidate *
find_candidate (AssayItem *item,
                gint64     candidate_id)
{
  return item != NULL ? assay_item_find_candidate (item, candidate_id) : NULL;
}

/* The letters the reviewers saw: the core's rule, in the display order of
 * the template (shuffled per item when it is blind). */
static char *
candidate_letter (AssayAdjudicationView *self,
                  gint64                 candidate_id)
{
  if (self->base == NULL)
    return g_strdup ("?");
  return assay_item_candidate_letter (self->base, self->tmpl->blind, candidate_id);
}

static char *
candidate_name (AssayAdjudicationView *self,
                gint64                 candidate_id)
{
  AssayItemCandidate *candidate = find_candidate (self->base, candidate_id);
  g_autofree char *letter = candidate_letter (self, candidate_id);

  /* TRANSLATORS: a candidate's letter and its model, e.g. "A · scribe-xl" */
  return g_strdup_printf (_("%s · %s"), letter, candidate != NULL ? candidate->model : "");
}

/* ---- values ---- */

static GArray *
label_choice (AssayItem     *item,
              gint64         candidate_id,
              AssayLabelSet *set)
{
  AssayItemCandidate *candidate = find_candidate (item, candidate_id);
  GArray *chosen = g_array_new (FALSE, FALSE, sizeof (gint64));

  /* In the template's order, so that choices compare as arrays. */
  for (guint i = 0; candidate != NULL && i < set->options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (set->options, i);

      for (guint j = 0; j < candidate->labels->len; j++)
        if (g_array_index (candidate->labels, gint64, j) == option->id)
          {
            g_array_append_val (chosen, option->id);
            break;
          }
    }
  return chosen;
}

static gboolean
choice_has (GArray *choice,
            gint64  option_id)
{
  for (guint i = 0; i < choice->len; i++)
    if (g_array_index (choice, gint64, i) == option_id)
      return TRUE;
  return FALSE;
}

static char *
empty_key (gint64 candidate_id,
           gint64 set_id)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, candidate_id, set_id);
}

/* The winner of a comparison as a candidate id, 0 for a tie. */
static gint64
winner_of (AssayItemComparison *comparison)
{
  switch (comparison->winner)
    {
    case ASSAY_WINNER_A:
      return comparison->a;
    case ASSAY_WINNER_B:
      return comparison->b;
    case ASSAY_WINNER_TIE:
    default:
      return 0;
    }
}

static AssayItemComparison *
find_comparison (AssayItem *item,
                 gint64     a,
                 gint64     b)
{
  return item != NULL ? assay_item_find_comparison (item, a, b) : NULL;
}

static gboolean
has_ranking (AssayItem *item)
{
  for (guint i = 0; item != NULL && i < item->candidates->len; i++)
    if (((AssayItemCandidate *) g_ptr_array_index (item->candidates, i))->rank > 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_value (Block     *block,
           AssayItem *item,
           gboolean   is_gold)
{
  AssayItemCandidate *candidate = find_candidate (item, block->candidate_id);

  switch (block->kind)
    {
    case BLOCK_LABELS:
      if (candidate == NULL)
        return FALSE;
      if (block->set->multi)
        {
          g_autofree char *key = NULL;

          /* Choosing nothing in a multi-choice set ("no issues") is a
           * rater's answer when they labelled the candidate at all. The
           * gold's labels are being made here, one set at a time, so its
           * empty choice counts only once the lead chose it. */
          if (!is_gold && candidate->labels->len > 0)
            return TRUE;
          if (is_gold)
            {
              g_autoptr(GArray) choice = label_choice (item, block->candidate_id, block->set);

              if (choice->len > 0)
                return TRUE;
            }
          key = empty_key (block->candidate_id, block->set->id);
          return is_gold && g_hash_table_contains (block->view->empty_gold, key);
        }
      else
        {
          g_autoptr(GArray) choice = label_choice (item, block->candidate_id, block->set);

          return choice->len > 0;
        }
    case BLOCK_SCORE:
      return candidate != NULL && g_hash_table_contains (candidate->scores, &block->criterion->id);
    case BLOCK_SPANS:
      return candidate != NULL && candidate->spans->len > 0;
    case BLOCK_CORRECTION:
      return candidate != NULL && candidate->correction != NULL;
    case BLOCK_RANKING:
      return has_ranking (item);
    case BLOCK_COMPARISON:
      return find_comparison (item, block->a, block->b) != NULL;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
same_evidence (GArray *x,
               GArray *y)
{
  if (x->len != y->len)
    return FALSE;
  for (guint i = 0; i < x->len; i++)
    {
      AssayRange *p = &g_array_index (x, AssayRange, i), *q = &g_array_index (y, AssayRange, i);

      if (p->start != q->start || p->end != q->end)
        return FALSE;
    }
  return TRUE;
}

/* Whether two annotators gave the same value; `exact` also compares what
 * goes with it (rationales, span notes and evidence), which tells whether
 * the gold is a copy of someone's judgment. */
static gboolean
same_value (Block     *block,
            AssayItem *x,
            AssayItem *y,
            gboolean   exact)
{
  AssayItemCandidate *cx = find_candidate (x, block->candidate_id);
  AssayItemCandidate *cy = find_candidate (y, block->candidate_id);

  switch (block->kind)
    {
    case BLOCK_LABELS:
      {
        g_autoptr(GArray) px = label_choice (x, block->candidate_id, block->set);
        g_autoptr(GArray) py = label_choice (y, block->candidate_id, block->set);

        return px->len == py->len &&
               memcmp (px->data, py->data, px->len * sizeof (gint64)) == 0;
      }
    case BLOCK_SCORE:
      {
        AssayItemScore *sx = g_hash_table_lookup (cx->scores, &block->criterion->id);
        AssayItemScore *sy = g_hash_table_lookup (cy->scores, &block->criterion->id);

        return sx->value == sy->value && (!exact || g_strcmp0 (sx->rationale, sy->rationale) == 0);
      }
    case BLOCK_SPANS:
      if (cx->spans->len != cy->spans->len)
        return FALSE;
      for (guint i = 0; i < cx->spans->len; i++)
        {
          AssayItemSpan *p = g_ptr_array_index (cx->spans, i);
          AssayItemSpan *q = g_ptr_array_index (cy->spans, i);

          if (p->start != q->start || p->end != q->end || p->option_id != q->option_id)
            return FALSE;
          if (exact && (g_strcmp0 (p->note, q->note) != 0 || !same_evidence (p->evidence,
                                                                             q->evidence)))
            return FALSE;
        }
      return TRUE;
    case BLOCK_CORRECTION:
      return g_strcmp0 (cx->correction, cy->correction) == 0;
    case BLOCK_RANKING:
      for (guint i = 0; i < x->candidates->len; i++)
        {
          AssayItemCandidate *c = g_ptr_array_index (x->candidates, i);
          AssayItemCandidate *d = find_candidate (y, c->id);

          if (d == NULL || c->rank != d->rank)
            return FALSE;
        }
      return TRUE;
    case BLOCK_COMPARISON:
      {
        AssayItemComparison *p = find_comparison (x, block->a, block->b);
        AssayItemComparison *q = find_comparison (y, block->a, block->b);

        return winner_of (p) == winner_of (q) &&
               (!exact || g_strcmp0 (p->rationale, q->rationale) == 0);
      }
    default:
      g_assert_not_reached ();
    }
}

static gboolean
compute_disagreement (Block *block)
{
  GPtrArray *annotators = block->view->annotators;
  AssayItem *first = NULL;

  for (guint i = 0; i < annotators->len; i++)
    {
      Annotator *annotator = g_ptr_array_index (annotators, i);

      if (!annotator->rater || !has_value (block, annotator->item, FALSE))
        continue;
      if (first == NULL)
        first = annotator->item;
      else if (!same_value (block, first, annotator->item, FALSE))
        return TRUE;
    }
  return FALSE;
}

static guint
count_values (Block *block)
{
  guint n = 0;

  for (guint i = 0; i < block->view->annotators->len; i++)
    {
      Annotator *annotator = g_ptr_array_index (block->view->annotators, i);

      if (annotator->rater && has_value (block, annotator->item, FALSE))
        n++;
    }
  return n;
}

static gboolean
gold_has_value (Block *block)
{
  return has_value (block, block->view->gold, TRUE);
}

/* The annotator whose judgment the gold copies, or NULL. */
static Annotator *
gold_source (Block *block)
{
  AssayAdjudicationView *self = block->view;

  if (!gold_has_value (block))
    return NULL;
  for (guint i = 0; i < self->annotators->len; i++)
    {
      Annotator *annotator = g_ptr_array_index (self->annotators, i);

      if (!has_value (block, annotator->item, FALSE))
        continue;
      if (same_value (block, self->gold, annotator->item, TRUE))
        return annotator;
    }
  return NULL;
}

/* ---- small widgets ---- */

static GtkWidget *
text_label (const char *text,
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

static GtkWidget *
wrapped_label (const char *text,
               const char *css_class)
{
  GtkWidget *label = text_label (text, css_class);

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
  GtkWidget *label = wrapped_label (text, css_class);

  gtk_label_set_lines (GTK_LABEL (label), lines);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (label, text);
  return label;
}

static void
set_accessible_label (GtkWidget  *widget,
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
static GtkWidget *
chip_content (AssayLabelOption *option,
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
  gtk_box_append (GTK_BOX (box), text_label (option != NULL ? option_title (option) : fallback,
                                             NULL));
  return box;
}

static GtkWidget *
chip (AssayLabelOption *option,
      const char       *fallback)
{
  GtkWidget *content = chip_content (option, fallback);

  gtk_widget_add_css_class (content, "adj-chip");
  if (option != NULL && option->description != NULL)
    gtk_widget_set_tooltip_text (content, option->description);
  return content;
}

static GtkWidget *
nothing_label (const char *text)
{
  return text_label (text, "dim-label");
}

static void
clear_box (GtkWidget *box)
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
      g_autofree char *letter = candidate_letter (self, candidate->id);

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
  gint64 winner = winner_of (comparison);
  g_autofree char *letter = NULL;

  if (winner == 0)
    return g_strdup (_("Same"));
  letter = candidate_letter (self, winner);
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

  label = wrapped_label (shown->str, "adj-correction");
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  pango_attr_list_unref (attrs);
  gtk_widget_set_tooltip_text (label, corrected);
  set_accessible_label (label, corrected);
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
  caption = wrapped_label (count, "dim-label");
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
        gtk_box_append (GTK_BOX (text), wrapped_label (span->note, NULL));
      if (span->evidence->len > 0)
        {
          g_autofree char *evidence = NULL;
          GtkWidget *caption;

          evidence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "Linked to %u passage of the source",
                                                   "Linked to %u passages of the source",
                                                   span->evidence->len),
                                      span->evidence->len);
          caption = wrapped_label (evidence, "dim-label");
          gtk_widget_add_css_class (caption, "caption");
          gtk_box_append (GTK_BOX (text), caption);
        }
      gtk_box_append (GTK_BOX (row), text);
      gtk_box_append (GTK_BOX (list), row);
    }
  return list;
}

static GtkWidget *
value_widget (Block     *block,
              AssayItem *item,
              gboolean   is_gold)
{
  AssayAdjudicationView *self = block->view;
  AssayItemCandidate *candidate = find_candidate (item, block->candidate_id);

  switch (block->kind)
    {
    case BLOCK_LABELS:
      {
        g_autoptr(GArray) choice = NULL;
        GtkWidget *wrap;

        if (!has_value (block, item, is_gold))
          return nothing_label (_("No labels"));
        choice = label_choice (item, block->candidate_id, block->set);
        if (choice->len == 0)
          return nothing_label (C_("labels", "None"));
        wrap = assay_wrap_box_new ();
        for (guint i = 0; i < choice->len; i++)
          wrap_append (wrap, chip (assay_template_option_by_id (self->tmpl,
                                                                g_array_index (choice, gint64, i),
                                                                NULL), NULL));
        return wrap;
      }
    case BLOCK_SCORE:
      {
        AssayItemScore *score;
        GtkWidget *box, *value;
        g_autofree char *number = NULL;
        const char *anchor;

        if (!has_value (block, item, is_gold))
          return nothing_label (_("No score"));
        score = g_hash_table_lookup (candidate->scores, &block->criterion->id);
        box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
        number = g_strdup_printf ("%d", score->value);
        value = text_label (number, "adj-score");
        gtk_label_set_xalign (GTK_LABEL (value), 0.5);
        gtk_widget_set_valign (value, GTK_ALIGN_START);
        anchor = assay_criterion_get_anchor (block->criterion, score->value);
        if (anchor != NULL)
          gtk_widget_set_tooltip_text (value, anchor);
        gtk_box_append (GTK_BOX (box), value);
        if (score->rationale != NULL)
          gtk_box_append (GTK_BOX (box), wrapped_label (score->rationale, NULL));
        else
          gtk_box_append (GTK_BOX (box), nothing_label (_("No rationale")));
        return box;
      }
    case BLOCK_SPANS:
      if (!has_value (block, item, is_gold))
        return nothing_label (_("No spans"));
      return spans_widget (self, candidate);
    case BLOCK_CORRECTION:
      if (!has_value (block, item, is_gold))
        return nothing_label (_("No correction"));
      return correction_widget (candidate, candidate->correction);
    case BLOCK_RANKING:
      {
        g_autofree char *text = NULL;

        if (!has_value (block, item, is_gold))
          return nothing_label (_("No ranking"));
        text = ranking_text (self, item);
        return wrapped_label (text, "adj-ranking");
      }
    case BLOCK_COMPARISON:
      {
        AssayItemComparison *comparison = find_comparison (item, block->a, block->b);
        g_autofree char *text = NULL;
        GtkWidget *box;

        if (comparison == NULL)
          return nothing_label (_("Not compared"));
        box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
        text = comparison_text (self, comparison);
        gtk_box_append (GTK_BOX (box), text_label (text, "heading"));
        if (comparison->rationale != NULL)
          gtk_box_append (GTK_BOX (box), wrapped_label (comparison->rationale, NULL));
        return box;
      }
    default:
      g_assert_not_reached ();
    }
}

/* What the gold holds, in a few words, for the gold line. */
static char *
gold_summary (Block *block)
{
  AssayAdjudicationView *self = block->view;
  AssayItem *gold = self->gold;
  AssayItemCandidate *candidate = find_candidate (gold, block->candidate_id);

  switch (block->kind)
    {
    case BLOCK_LABELS:
      {
        g_autoptr(GArray) choice = label_choice (gold, block->candidate_id, block->set);
        GString *text = g_string_new (NULL);

        for (guint i = 0; i < choice->len; i++)
          {
            AssayLabelOption *option = assay_template_option_by_id (self->tmpl,
                                                                    g_array_index (choice, gint64,
                                                                                   i),
                                                                    NULL);

            if (i > 0)
              g_string_append (text, _(", "));
            g_string_append (text, option != NULL ? option_title (option) : "?");
          }
        if (choice->len == 0)
          g_string_append (text, C_("labels", "none"));
        return g_string_free (text, FALSE);
      }
    case BLOCK_SCORE:
      {
        AssayItemScore *score = g_hash_table_lookup (candidate->scores, &block->criterion->id);

        return g_strdup_printf ("%d", score->value);
      }
    case BLOCK_SPANS:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u span", "%u spans",
                                           candidate->spans->len),
                              candidate->spans->len);
    case BLOCK_CORRECTION:
      return g_strdup (_("a correction"));
    case BLOCK_RANKING:
      return ranking_text (self, gold);
    case BLOCK_COMPARISON:
      return comparison_text (self, find_comparison (gold, block->a, block->b));
    default:
      g_assert_not_reached ();
    }
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
  g_clear_pointer (&self->gold, assay_item_unref);
  self->gold = assay_item_ref (assay_session_get_item (self->session));
  return TRUE;
}

typedef gboolean (*GoldWrite) (Block         *block,
                               gconstpointer  data,
                               GError       **error);

static void
show_error (AssayAdjudicationView *self,
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
 * progress again if one loses it. */
static void
settle (AssayAdjudicationView *self)
{
  g_autoptr(GError) error = NULL;
  guint n = 0, settled = 0;
  AssayStatus status;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);

      if (!block->disagreement)
        continue;
      n++;
      if (gold_has_value (block))
        settled++;
    }
  if (n == 0 || self->session == NULL)
    return;
  status = settled == n ? ASSAY_STATUS_DONE : ASSAY_STATUS_IN_PROGRESS;
  if (self->gold->status == status || (status == ASSAY_STATUS_IN_PROGRESS &&
                                       self->gold->status != ASSAY_STATUS_DONE))
    return;
  if (!assay_session_set_status (self->session, status, &error))
    show_error (self, _("Could not save whether the source is settled"), error->message);
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
            {
              g_clear_pointer (&self->gold, assay_item_unref);
              self->gold = assay_item_ref (assay_session_get_item (self->session));
            }
        }
    }

  if (ok)
    settle (self);
  else
    show_error (self, _("Could not save the gold judgment"), error->message);
  refresh (self);
  if (ok)
    g_signal_emit (self, signals[CHANGED], 0);
  return ok;
}

static gboolean
write_labels (Block         *block,
              gconstpointer  data,
              GError       **error)
{
  AssayAdjudicationView *self = block->view;
  AssayItem *from = (AssayItem *) data;
  g_autoptr(GArray) target = label_choice (from, block->candidate_id, block->set);
  g_autoptr(GArray) current = label_choice (self->gold, block->candidate_id, block->set);
  g_autofree char *key = empty_key (block->candidate_id, block->set->id);

  if (!block->set->multi)
    {
      gint64 option_id = g_array_index (target, gint64, 0);

      /* In a single-choice set turning one on turns the others off. */
      return choice_has (current, option_id) ||
             assay_session_toggle_label (self->session, block->candidate_id, option_id, error);
    }

  for (guint i = 0; i < block->set->options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (block->set->options, i);

      if (choice_has (target, option->id) != choice_has (current, option->id) &&
          !assay_session_toggle_label (self->session, block->candidate_id, option->id, error))
        return FALSE;
    }
  if (target->len == 0)
    g_hash_table_add (self->empty_gold, g_steal_pointer (&key));
  else
    g_hash_table_remove (self->empty_gold, key);
  return TRUE;
}

static gboolean
write_score (Block         *block,
             gconstpointer  data,
             GError       **error)
{
  AssayItemCandidate *candidate = find_candidate ((AssayItem *) data, block->candidate_id);
  AssayItemScore *score = g_hash_table_lookup (candidate->scores, &block->criterion->id);

  return assay_session_set_score (block->view->session, block->candidate_id,
                                  block->criterion->id, score->value, score->rationale, error);
}

static gboolean
write_spans (Block         *block,
             gconstpointer  data,
             GError       **error)
{
  AssaySession *session = block->view->session;
  AssayItemCandidate *from = find_candidate ((AssayItem *) data, block->candidate_id);
  AssayItemCandidate *gold = find_candidate (assay_session_get_item (session),
                                             block->candidate_id);
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

      if (!assay_session_add_span (session, block->candidate_id, span->start, span->end,
                                   span->option_id, &id, error))
        return FALSE;
      if ((span->note != NULL || span->evidence->len > 0) &&
          !assay_session_update_span (session, id, span->option_id, span->note, span->evidence,
                                      error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_correction (Block         *block,
                  gconstpointer  data,
                  GError       **error)
{
  AssayItemCandidate *from = find_candidate ((AssayItem *) data, block->candidate_id);

  return assay_session_set_correction (block->view->session, block->candidate_id,
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
  AssayItemComparison *from = find_comparison ((AssayItem *) data, block->a, block->b);

  return assay_session_set_comparison (block->view->session, from->a, from->b, from->winner,
                                       from->rationale, error);
}

static void
use_clicked_cb (GtkButton *button,
                Block     *block)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "annotator"));
  Annotator *annotator = g_ptr_array_index (block->view->annotators, index);
  static const GoldWrite writes[] = {
    [BLOCK_LABELS] = write_labels,
    [BLOCK_SCORE] = write_score,
    [BLOCK_SPANS] = write_spans,
    [BLOCK_CORRECTION] = write_correction,
    [BLOCK_RANKING] = write_ranking,
    [BLOCK_COMPARISON] = write_comparison,
  };

  gold_write (block, writes[block->kind], annotator->item);
}

/* ---- setting the gold directly ---- */

static gboolean
direct_score (Block         *block,
              gconstpointer  data,
              GError       **error)
{
  /* Set by the lead, the score has no one's rationale. */
  return assay_session_set_score (block->view->session, block->candidate_id,
                                  block->criterion->id, GPOINTER_TO_INT (data), NULL, error);
}

static gboolean
direct_label (Block         *block,
              gconstpointer  data,
              GError       **error)
{
  AssayLabelOption *option = g_ptr_array_index (block->set->options, GPOINTER_TO_UINT (data));
  g_autofree char *key = empty_key (block->candidate_id, block->set->id);

  g_hash_table_remove (block->view->empty_gold, key);
  return assay_session_toggle_label (block->view->session, block->candidate_id, option->id,
                                     error);
}

static gboolean
direct_comparison (Block         *block,
                   gconstpointer  data,
                   GError       **error)
{
  return assay_session_set_comparison (block->view->session, block->a, block->b,
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

/* ---- building ---- */

static GtkWidget *
who_widget (Annotator *annotator)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *name = text_label (annotator_name (annotator), "adj-name");
  const char *kind = NULL;

  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (name, annotator_name (annotator));
  gtk_box_append (GTK_BOX (box), name);

  if (annotator->kind == ASSAY_ANNOTATOR_MODEL)
    kind = _("LLM judge");
  else if (annotator->kind == ASSAY_ANNOTATOR_ADJUDICATOR)
    kind = _("Adjudicator");
  if (kind != NULL)
    {
      GtkWidget *tag = text_label (kind, "adj-kind");

      gtk_widget_set_halign (tag, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), tag);
    }
  gtk_widget_set_valign (box, GTK_ALIGN_START);
  return box;
}

static char *
use_name (Block     *block,
          Annotator *annotator)
{
  AssayAdjudicationView *self = block->view;
  const char *who = annotator_name (annotator);
  g_autofree char *letter = candidate_letter (self, block->candidate_id);

  switch (block->kind)
    {
    case BLOCK_LABELS:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s Issues labels for A" */
      return g_strdup_printf (_("Use %s’s %s labels for %s"), who, set_title (block->set),
                              letter);
    case BLOCK_SCORE:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s Faithfulness score for B" */
      return g_strdup_printf (_("Use %s’s %s score for %s"), who,
                              criterion_title (block->criterion), letter);
    case BLOCK_SPANS:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s spans for B" */
      return g_strdup_printf (_("Use %s’s spans for %s"), who, letter);
    case BLOCK_CORRECTION:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s correction for B" */
      return g_strdup_printf (_("Use %s’s correction for %s"), who, letter);
    case BLOCK_RANKING:
      /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s ranking" */
      return g_strdup_printf (_("Use %s’s ranking"), who);
    case BLOCK_COMPARISON:
      {
        g_autofree char *a = candidate_letter (self, block->a);
        g_autofree char *b = candidate_letter (self, block->b);

        /* TRANSLATORS: a button, e.g. "Use Dr. Osei’s comparison of A and B" */
        return g_strdup_printf (_("Use %s’s comparison of %s and %s"), who, a, b);
      }
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
list_row (GtkWidget  *child,
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

static GtkWidget *
annotator_row (Block *block,
               guint  index)
{
  Annotator *annotator = g_ptr_array_index (block->view->annotators, index);
  gboolean has = has_value (block, annotator->item, FALSE);
  GtkWidget *value = value_widget (block, annotator->item, FALSE);
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
      set_accessible_label (button, name);
      gtk_widget_add_css_class (button, "adj-use");
      g_object_set_data (G_OBJECT (button), "annotator", GUINT_TO_POINTER (index));
      g_signal_connect (button, "clicked", G_CALLBACK (use_clicked_cb), block);
      gtk_box_append (GTK_BOX (end), button);
    }
  g_ptr_array_add (block->marks, mark);

  return list_row (row_new (who_widget (annotator), value, end), has ? NULL : "adj-no-value");
}

static GtkWidget *
direct_controls (Block *block)
{
  AssayAdjudicationView *self = block->view;
  g_autofree char *letter = candidate_letter (self, block->candidate_id);
  GtkWidget *box = NULL;

  switch (block->kind)
    {
    case BLOCK_SCORE:
      {
        GtkToggleButton *group = NULL;

        box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
        gtk_widget_add_css_class (box, "linked");
        gtk_widget_set_halign (box, GTK_ALIGN_START);
        for (int v = block->criterion->min; v <= block->criterion->max; v++)
          {
            g_autofree char *number = g_strdup_printf ("%d", v);
            /* TRANSLATORS: e.g. "Gold Faithfulness score 4 for B" */
            g_autofree char *name = g_strdup_printf (_("Gold %s score %d for %s"),
                                                     criterion_title (block->criterion), v,
                                                     letter);
            GtkWidget *button = gtk_toggle_button_new_with_label (number);
            const char *anchor = assay_criterion_get_anchor (block->criterion, v);

            gtk_widget_add_css_class (button, "adj-gold-score");
            gtk_widget_set_tooltip_text (button, anchor != NULL ? anchor : name);
            set_accessible_label (button, name);
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
    case BLOCK_LABELS:
      box = assay_wrap_box_new ();
      for (guint i = 0; i < block->set->options->len; i++)
        {
          AssayLabelOption *option = g_ptr_array_index (block->set->options, i);
          /* TRANSLATORS: a gold label chip, e.g. "Gold Verdict Accept for A" */
          g_autofree char *name = g_strdup_printf (_("Gold %s %s for %s"), set_title (block->set),
                                                   option_title (option), letter);
          GtkWidget *button = gtk_toggle_button_new ();

          gtk_button_set_child (GTK_BUTTON (button), chip_content (option, NULL));
          gtk_widget_add_css_class (button, "adj-gold-chip");
          gtk_widget_set_tooltip_text (button, option->description != NULL ? option->description
                                                                           : name);
          set_accessible_label (button, name);
          g_object_set_data (G_OBJECT (button), "value", GUINT_TO_POINTER (i));
          g_signal_connect (button, "toggled", G_CALLBACK (label_toggled_cb), block);
          g_ptr_array_add (block->toggles, button);
          wrap_append (box, button);
        }
      return box;
    case BLOCK_COMPARISON:
      {
        g_autofree char *a = candidate_letter (self, block->a);
        g_autofree char *b = candidate_letter (self, block->b);
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
            set_accessible_label (button, choices[i].name);
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
    case BLOCK_SPANS:
    case BLOCK_CORRECTION:
    case BLOCK_RANKING:
    default:
      /* Those are made in the workbench; here they are chosen. */
      return NULL;
    }
}

static GtkWidget *
gold_row (Block *block)
{
  GtkWidget *who = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  GtkWidget *value = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  GtkWidget *title = text_label (_("Gold"), "adj-gold-title");
  GtkWidget *controls;

  gtk_widget_set_valign (who, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (who), title);

  block->gold_label = GTK_LABEL (wrapped_label (NULL, "adj-gold-state"));
  gtk_box_append (GTK_BOX (value), GTK_WIDGET (block->gold_label));
  controls = direct_controls (block);
  if (controls != NULL)
    gtk_box_append (GTK_BOX (value), controls);
  block->gold_detail = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_box_append (GTK_BOX (value), block->gold_detail);

  return list_row (row_new (who, value, NULL), "adj-gold-row");
}

static GtkWidget *
tag (const char *icon,
     const char *text,
     const char *css_class)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);

  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icon));
  gtk_box_append (GTK_BOX (box), text_label (text, NULL));
  gtk_widget_add_css_class (box, "adj-tag");
  gtk_widget_add_css_class (box, css_class);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  return box;
}

static Block *
add_block (AssayAdjudicationView *self,
           Section               *section,
           GtkWidget             *parent,
           BlockKind              kind,
           gint64                 candidate_id,
           gpointer               what,
           gint64                 a,
           gint64                 b)
{
  Block *block = g_new0 (Block, 1);
  g_autofree char *letter = candidate_letter (self, candidate_id);
  g_autofree char *title = NULL;
  GtkWidget *header, *list, *label;

  block->view = self;
  block->kind = kind;
  block->section = section;
  block->candidate_id = candidate_id;
  block->a = a;
  block->b = b;
  block->marks = g_ptr_array_new ();
  block->toggles = g_ptr_array_new ();
  if (kind == BLOCK_LABELS)
    block->set = what;
  else if (kind == BLOCK_SCORE)
    block->criterion = what;

  /* Nobody gave a value, and the gold has none: nothing to show. */
  if (count_values (block) == 0 && !gold_has_value (block))
    {
      block_free (block);
      return NULL;
    }

  switch (kind)
    {
    case BLOCK_LABELS:
      title = g_strdup (set_title (block->set));
      break;
    case BLOCK_SCORE:
      title = g_strdup (criterion_title (block->criterion));
      break;
    case BLOCK_SPANS:
      title = g_strdup (_("Spans"));
      break;
    case BLOCK_CORRECTION:
      title = g_strdup (_("Correction"));
      break;
    case BLOCK_RANKING:
      title = g_strdup (_("Ranking"));
      break;
    case BLOCK_COMPARISON:
      {
        g_autofree char *an = candidate_name (self, a);
        g_autofree char *bn = candidate_name (self, b);

        /* TRANSLATORS: the heading of a pair's comparisons,
         * e.g. "A · scribe-xl or B · atlas-7b" */
        title = g_strdup_printf (_("%s or %s"), an, bn);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  if (kind == BLOCK_RANKING)
    block->name = g_strdup (_("The ranking"));
  else if (kind == BLOCK_COMPARISON)
    {
      g_autofree char *al = candidate_letter (self, a);
      g_autofree char *bl = candidate_letter (self, b);

      /* TRANSLATORS: e.g. "Comparison of A and B" */
      block->name = g_strdup_printf (_("Comparison of %s and %s"), al, bl);
    }
  else
    /* TRANSLATORS: what a block of judgments is about, e.g. "Faithfulness for B" */
    block->name = g_strdup_printf (_("%s for %s"), title, letter);

  block->disagreement = compute_disagreement (block);

  block->root = g_object_new (GTK_TYPE_BOX,
                              "orientation", GTK_ORIENTATION_VERTICAL,
                              "spacing", 8,
                              "accessible-role", GTK_ACCESSIBLE_ROLE_GROUP,
                              NULL);
  gtk_widget_add_css_class (block->root, "adj-block");
  if (block->disagreement)
    gtk_widget_add_css_class (block->root, "disagreement");
  set_accessible_label (block->root, block->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (block->root),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  block->disagreement ? _("Disagreement") : _("No disagreement"),
                                  -1);

  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  label = text_label (title, "heading");
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (header), label);
  block->badge = tag ("dialog-warning-symbolic", _("Disagreement"), "warning");
  gtk_widget_set_visible (block->badge, block->disagreement);
  gtk_box_append (GTK_BOX (header), block->badge);
  block->settled_tag = tag ("object-select-symbolic", _("Settled"), "success");
  gtk_widget_set_visible (block->settled_tag, FALSE);
  gtk_box_append (GTK_BOX (header), block->settled_tag);
  block->agreement = GTK_LABEL (text_label (NULL, "dim-label"));
  gtk_widget_add_css_class (GTK_WIDGET (block->agreement), "caption");
  gtk_widget_set_valign (GTK_WIDGET (block->agreement), GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (block->agreement));
  gtk_box_append (GTK_BOX (block->root), header);

  if (!block->disagreement)
    {
      guint n = count_values (block);

      gtk_label_set_text (block->agreement,
                          n == 0 ? _("No judgments") :
                          n == 1 ? _("One judgment") : _("All agree"));
    }

  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  for (guint i = 0; i < self->annotators->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (list), annotator_row (block, i));
  gtk_list_box_append (GTK_LIST_BOX (list), gold_row (block));
  gtk_box_append (GTK_BOX (block->root), list);

  gtk_box_append (GTK_BOX (parent), block->root);
  g_ptr_array_add (self->blocks, block);
  if (block->disagreement)
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
  section->summary = GTK_LABEL (text_label (NULL, "dim-label"));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (section->summary));
  gtk_box_append (GTK_BOX (section->root), header);
  gtk_box_append (self->sections, section->root);
  g_ptr_array_add (self->sections_data, section);

  button = gtk_button_new_with_label (jump_label);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "adjudication.jump");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);
  gtk_widget_set_tooltip_text (button, jump_name);
  set_accessible_label (button, jump_name);
  gtk_box_append (GTK_BOX (self->jump_box), button);
  g_ptr_array_add (self->jump_targets, section->root);
  return section;
}

static void
build_candidate (AssayAdjudicationView *self,
                 AssayItemCandidate    *candidate)
{
  g_autofree char *name = candidate_name (self, candidate->id);
  g_autofree char *letter = candidate_letter (self, candidate->id);
  /* TRANSLATORS: a button that scrolls to a candidate, e.g. "Go to A · scribe-xl" */
  g_autofree char *jump = g_strdup_printf (_("Go to %s"), name);
  Section *section = add_section (self, name, letter, jump);
  AssayJudgmentKinds kinds = self->tmpl->kinds;
  GtkWidget *expander, *text;

  expander = gtk_expander_new (_("Summary Text"));
  gtk_widget_add_css_class (expander, "adj-text-expander");
  text = wrapped_label (candidate->text, "adj-summary");
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_expander_set_child (GTK_EXPANDER (expander), text);
  gtk_box_append (GTK_BOX (section->root), expander);

  if (kinds & ASSAY_JUDGE_LABELS)
    for (guint i = 0; i < self->tmpl->label_sets->len; i++)
      {
        AssayLabelSet *set = g_ptr_array_index (self->tmpl->label_sets, i);

        if (set->scope == ASSAY_SCOPE_CANDIDATE)
          add_block (self, section, section->root, BLOCK_LABELS, candidate->id, set, 0, 0);
      }
  if (kinds & ASSAY_JUDGE_SCORES)
    for (guint i = 0; i < self->tmpl->criteria->len; i++)
      add_block (self, section, section->root, BLOCK_SCORE, candidate->id,
                 g_ptr_array_index (self->tmpl->criteria, i), 0, 0);
  if (kinds & ASSAY_JUDGE_SPANS)
    add_block (self, section, section->root, BLOCK_SPANS, candidate->id, NULL, 0, 0);
  if (kinds & ASSAY_JUDGE_CORRECTION)
    add_block (self, section, section->root, BLOCK_CORRECTION, candidate->id, NULL, 0, 0);
}

static void
build_ranking (AssayAdjudicationView *self)
{
  Section *section;
  Block *block;

  if (!(self->tmpl->kinds & ASSAY_JUDGE_RANKING))
    return;
  section = add_section (self, _("Ranking"), _("Ranking"), _("Go to the ranking"));
  block = add_block (self, section, section->root, BLOCK_RANKING, 0, NULL, 0, 0);
  if (block == NULL)
    {
      gtk_box_remove (self->sections, section->root);
      gtk_box_remove (GTK_BOX (self->jump_box), gtk_widget_get_last_child (self->jump_box));
      g_ptr_array_remove (self->jump_targets, section->root);
      g_ptr_array_remove (self->sections_data, section);
    }
}

static void
build_comparisons (AssayAdjudicationView *self)
{
  GPtrArray *candidates = self->base->candidates;
  Section *section;
  guint before = self->blocks->len;

  if (!(self->tmpl->kinds & ASSAY_JUDGE_PAIRWISE))
    return;
  section = add_section (self, _("Comparisons"), _("Comparisons"), _("Go to the comparisons"));
  for (guint i = 0; i < candidates->len; i++)
    for (guint j = i + 1; j < candidates->len; j++)
      add_block (self, section, section->root, BLOCK_COMPARISON, 0, NULL,
                 ((AssayItemCandidate *) g_ptr_array_index (candidates, i))->id,
                 ((AssayItemCandidate *) g_ptr_array_index (candidates, j))->id);
  if (self->blocks->len == before)
    {
      gtk_box_remove (self->sections, section->root);
      gtk_box_remove (GTK_BOX (self->jump_box), gtk_widget_get_last_child (self->jump_box));
      g_ptr_array_remove (self->jump_targets, section->root);
      g_ptr_array_remove (self->sections_data, section);
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
      Annotator *annotator = g_ptr_array_index (self->annotators, i);
      GtkWidget *name;

      pill = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_add_css_class (pill, "adj-legend-item");
      gtk_box_append (GTK_BOX (pill), gtk_image_new_from_icon_name (
                        annotator->kind == ASSAY_ANNOTATOR_MODEL ? "computer-symbolic"
                                                                      : "avatar-default-symbolic"));
      name = text_label (annotator_name (annotator), NULL);
      gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (name), 28);
      gtk_widget_set_tooltip_text (name, annotator_name (annotator));
      gtk_box_append (GTK_BOX (pill), name);
      if (annotator->kind == ASSAY_ANNOTATOR_MODEL)
        gtk_box_append (GTK_BOX (pill), text_label (_("LLM judge"), "adj-kind"));
      else if (annotator->kind == ASSAY_ANNOTATOR_ADJUDICATOR)
        gtk_box_append (GTK_BOX (pill), text_label (_("Adjudicator"), "adj-kind"));
      wrap_append (self->legend, pill);

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
    GtkWidget *name = text_label (text, NULL);

    gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
    gtk_label_set_max_width_chars (GTK_LABEL (name), 32);
    gtk_widget_set_tooltip_text (name, text);
    gtk_box_append (GTK_BOX (pill), name);
  }
  wrap_append (self->legend, pill);

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

  for (guint i = 0; i < self->base->candidates->len; i++)
    build_candidate (self, g_ptr_array_index (self->base->candidates, i));
  build_ranking (self);
  build_comparisons (self);

  status = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), "object-select-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (status), _("No Disagreements"));
  adw_status_page_set_description (ADW_STATUS_PAGE (status),
                                   _("The annotators agree on every judgment of this source."));
  gtk_widget_add_css_class (status, "compact");
  gtk_box_append (self->sections, status);
  self->nothing_page = status;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
  refresh (self);
}

/* ---- showing the gold ---- */

static void
refresh_block (Block *block)
{
  AssayAdjudicationView *self = block->view;
  gboolean has = gold_has_value (block);
  Annotator *source = has ? gold_source (block) : NULL;
  g_autofree char *text = NULL;

  if (has)
    {
      g_autofree char *summary = gold_summary (block);

      if (!block->disagreement && count_values (block) > 1 && source != NULL)
        /* TRANSLATORS: the gold value of a judgment nobody disagrees on, e.g.
         * "Gold: Reject (all agree)" */
        text = g_strdup_printf (_("Gold: %s (all agree)"), summary);
      else if (source != NULL)
        /* TRANSLATORS: the gold value and whose it is, e.g. "Gold: 4 (from Dr. Osei)" */
        text = g_strdup_printf (_("Gold: %s (from %s)"), summary, annotator_name (source));
      else
        /* TRANSLATORS: a gold value the lead set, e.g. "Gold: 3 (set by you)" */
        text = g_strdup_printf (_("Gold: %s (set by you)"), summary);
    }
  else if (block->disagreement && block->toggles->len > 0)
    text = g_strdup (_("Gold: not set yet — use an annotator’s judgment or choose one"));
  else if (block->disagreement)
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
      Annotator *annotator = g_ptr_array_index (self->annotators, i);

      /* Only annotators with a value have a mark. */
      if (mark != NULL)
        gtk_widget_set_visible (mark, has && same_value (block, self->gold, annotator->item,
                                                         FALSE));
    }

  /* The direct controls show the gold as it is. */
  for (guint i = 0; i < block->toggles->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (block->toggles, i);
      gpointer value = g_object_get_data (G_OBJECT (button), "value");
      gboolean active = FALSE;

      if (has && block->kind == BLOCK_SCORE)
        {
          AssayItemCandidate *candidate = find_candidate (self->gold, block->candidate_id);
          AssayItemScore *score = g_hash_table_lookup (candidate->scores,
                                                       &block->criterion->id);

          active = score->value == GPOINTER_TO_INT (value);
        }
      else if (block->kind == BLOCK_LABELS)
        {
          g_autoptr(GArray) choice = label_choice (self->gold, block->candidate_id, block->set);
          AssayLabelOption *option = g_ptr_array_index (block->set->options,
                                                        GPOINTER_TO_UINT (value));

          active = choice_has (choice, option->id);
        }
      else if (has && block->kind == BLOCK_COMPARISON)
        {
          AssayItemComparison *comparison = find_comparison (self->gold, block->a, block->b);
          gint64 winner = winner_of (comparison);
          AssayWinner shown = winner == 0 ? ASSAY_WINNER_TIE :
                              winner == block->a ? ASSAY_WINNER_A : ASSAY_WINNER_B;

          active = shown == (AssayWinner) GPOINTER_TO_INT (value);
        }
      if (gtk_toggle_button_get_active (button) != active)
        gtk_toggle_button_set_active (button, active);
    }

  /* A gold nobody's judgment matches, made elsewhere, is shown in full;
   * one copied from an annotator is the row above with its check mark. */
  clear_box (block->gold_detail);
  if (has && source == NULL && block->kind != BLOCK_SCORE && block->kind != BLOCK_LABELS &&
      block->kind != BLOCK_COMPARISON)
    gtk_box_append (GTK_BOX (block->gold_detail), value_widget (block, self->gold, TRUE));
  gtk_widget_set_visible (block->gold_detail,
                          gtk_widget_get_first_child (block->gold_detail) != NULL);

  gtk_widget_set_visible (block->settled_tag, block->disagreement && has);
  if (block->disagreement && has)
    gtk_widget_add_css_class (block->root, "settled");
  else
    gtk_widget_remove_css_class (block->root, "settled");
}

static void
refresh (AssayAdjudicationView *self)
{
  gboolean only = gtk_toggle_button_get_active (self->only_disagreements);
  guint n = 0, settled = 0;

  self->syncing++;
  for (guint i = 0; i < self->sections_data->len; i++)
    ((Section *) g_ptr_array_index (self->sections_data, i))->n_settled = 0;

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);

      refresh_block (block);
      gtk_widget_set_visible (block->root, !only || block->disagreement);
      if (block->disagreement)
        {
          n++;
          if (gold_has_value (block))
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

        if (block->disagreement && (pass == 1 || !gold_has_value (block)))
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
use_agreed_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (widget);
  static const GoldWrite writes[] = {
    [BLOCK_LABELS] = write_labels,
    [BLOCK_SCORE] = write_score,
    [BLOCK_SPANS] = write_spans,
    [BLOCK_CORRECTION] = write_correction,
    [BLOCK_RANKING] = write_ranking,
    [BLOCK_COMPARISON] = write_comparison,
  };

  for (guint i = 0; i < self->blocks->len; i++)
    {
      Block *block = g_ptr_array_index (self->blocks, i);

      if (block->disagreement || gold_has_value (block))
        continue;
      for (guint j = 0; j < self->annotators->len; j++)
        {
          Annotator *annotator = g_ptr_array_index (self->annotators, j);

          if (annotator->rater && has_value (block, annotator->item, FALSE))
            {
              if (!gold_write (block, writes[block->kind], annotator->item))
                return;
              break;
            }
        }
    }
}

static void
only_toggled_cb (GtkToggleButton       *button,
                 AssayAdjudicationView *self)
{
  refresh (self);
}

/* ---- the widget ---- */

static void
assay_adjudication_view_dispose (GObject *object)
{
  AssayAdjudicationView *self = ASSAY_ADJUDICATION_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_ADJUDICATION_VIEW);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->sections_data, g_ptr_array_unref);
  g_clear_pointer (&self->jump_targets, g_ptr_array_unref);
  g_clear_pointer (&self->annotators, g_ptr_array_unref);
  g_clear_pointer (&self->base, assay_item_unref);
  g_clear_pointer (&self->gold, assay_item_unref);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tmpl, assay_template_unref);
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
  g_hash_table_unref (self->empty_gold);

  G_OBJECT_CLASS (assay_adjudication_view_parent_class)->finalize (object);
}

static void
assay_adjudication_view_class_init (AssayAdjudicationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_adjudication_view_dispose;
  object_class->finalize = assay_adjudication_view_finalize;

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
                                   use_agreed_action);
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
  self->annotators = g_ptr_array_new_with_free_func ((GDestroyNotify) annotator_free);
  self->empty_gold = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

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

gboolean
assay_adjudication_view_set_source (AssayAdjudicationView  *self,
                                    gint64                  source_id,
                                    GError                **error)
{
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) annotators = NULL;
  g_autoptr(AssayItem) base = NULL;
  g_autoptr(AssayItem) gold = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  GError *local_error = NULL;
  gint64 gold_id;

  g_return_val_if_fail (ASSAY_IS_ADJUDICATION_VIEW (self), FALSE);

  tmpl = assay_project_load_template (self->project, &local_error);
  if (tmpl != NULL)
    infos = assay_project_list_item_annotators (self->project, source_id, &local_error);
  if (infos != NULL)
    base = assay_project_load_item (self->project, source_id, 0, &local_error);
  if (base == NULL)
    {
      show_empty (self, _("Could Not Read the Source"), local_error->message);
      g_propagate_error (error, local_error);
      return FALSE;
    }

  annotators = g_ptr_array_new_with_free_func ((GDestroyNotify) annotator_free);
  gold_id = assay_project_lookup_annotator (self->project, self->gold_ext_id);
  for (guint i = 0; i < infos->len; i++)
    {
      AssayAnnotatorInfo *info = g_ptr_array_index (infos, i);
      Annotator *annotator;
      AssayItem *item;

      if (info->id == gold_id)
        continue;
      item = assay_project_load_item (self->project, source_id, info->id, &local_error);
      if (item == NULL)
        {
          show_empty (self, _("Could Not Read the Source"), local_error->message);
          g_propagate_error (error, local_error);
          return FALSE;
        }
      annotator = g_new0 (Annotator, 1);
      annotator->id = info->id;
      annotator->name = g_strdup (info->name != NULL && *info->name != '\0' ? info->name
                                                                            : info->ext_id);
      annotator->kind = info->kind;
      annotator->item = item;
      annotator->rater = info->kind != ASSAY_ANNOTATOR_ADJUDICATOR;
      g_ptr_array_add (annotators, annotator);
    }

  if (self->session != NULL)
    {
      if (!assay_session_load_item (self->session, source_id, &local_error))
        {
          show_empty (self, _("Could Not Read the Source"), local_error->message);
          g_propagate_error (error, local_error);
          return FALSE;
        }
      gold = assay_item_ref (assay_session_get_item (self->session));
    }
  else if (gold_id != 0)
    {
      gold = assay_project_load_item (self->project, source_id, gold_id, &local_error);
      if (gold == NULL)
        {
          show_empty (self, _("Could Not Read the Source"), local_error->message);
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }

  /* The widgets go before the data they point into. */
  clear_content (self);
  g_clear_pointer (&self->tmpl, assay_template_unref);
  self->tmpl = g_steal_pointer (&tmpl);
  g_ptr_array_unref (self->annotators);
  self->annotators = g_steal_pointer (&annotators);
  g_clear_pointer (&self->base, assay_item_unref);
  self->base = g_steal_pointer (&base);
  g_clear_pointer (&self->gold, assay_item_unref);
  self->gold = g_steal_pointer (&gold);
  self->source_id = source_id;
  g_hash_table_remove_all (self->empty_gold);

  if (self->annotators->len == 0)
    {
      show_empty (self, _("Nobody Has Judged This Source"),
                  _("When experts or LLM judges have judged it, their judgments appear here side "
                    "by side."));
      return TRUE;
    }

  build (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
  return TRUE;
}
