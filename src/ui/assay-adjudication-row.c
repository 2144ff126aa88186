/* assay-adjudication-row.c: one annotator's row in the adjudication view:
 * name, value, button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-adjudication-view-private.h"

/* Below this width a row puts the annotator's value under their name. */
#define WIDE_ROW_WIDTH 520
/* The column of annotator names, in wide rows. */
#define WHO_WIDTH 150
#define ROW_SPACING 12

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

GtkWidget *
_assay_adjudication_row_new (GtkWidget *who,
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
