/* assay-wrap-box.c: children laid out in lines, like words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Label chips and value pills read best packed like words: GtkFlowBox lines
 * its children up in columns, which stretches short chips to the width of
 * long ones.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include "assay-wrap-box.h"

struct _AssayWrapBox
{
  GtkWidget parent_instance;
};

G_DEFINE_FINAL_TYPE (AssayWrapBox, assay_wrap_box, GTK_TYPE_WIDGET)

#define WRAP_GAP 6

/* Lays the children out in lines of at most `width`, each child centred
 * on its line, and returns the height used; allocates when asked. */
static int
wrap_layout (GtkWidget *widget,
             int        width,
             gboolean   allocate)
{
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  GtkWidget *line_start = gtk_widget_get_first_child (widget);
  int y = 0;

  while (line_start != NULL)
    {
      GtkWidget *child, *line_end = NULL;
      int used = 0, line_height = 0, x = 0;
      guint n_expand;

      /* The children that fit on this line; a line holds at least one. */
      for (child = line_start; child != NULL; child = gtk_widget_get_next_sibling (child))
        {
          int min, nat, w, h;

          if (!gtk_widget_should_layout (child))
            continue;
          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
          w = CLAMP (nat, min, MAX (width, min));
          if (used > 0 && used + WRAP_GAP + w > width)
            break;
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
          used += (used > 0 ? WRAP_GAP : 0) + w;
          line_height = MAX (line_height, h);
          line_end = child;
        }
      if (line_end == NULL)
        break;

      /* What is left of the line goes to the children that expand, as in
       * a box: a title pushes the buttons after it to the end. */
      n_expand = 0;
      for (child = line_start; allocate; child = gtk_widget_get_next_sibling (child))
        {
          if (gtk_widget_should_layout (child) &&
              gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
            n_expand++;
          if (child == line_end)
            break;
        }

      for (child = line_start; allocate; child = gtk_widget_get_next_sibling (child))
        {
          int min, nat, w, h;

          if (gtk_widget_should_layout (child))
            {
              gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
              w = CLAMP (nat, min, MAX (width, min));
              /* Wider is never taller: the line keeps its height. */
              if (n_expand > 0 && used < width &&
                  gtk_widget_compute_expand (child, GTK_ORIENTATION_HORIZONTAL))
                w += (width - used) / n_expand;
              gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
              gtk_widget_size_allocate (child,
                                        &(GtkAllocation) { rtl ? width - x - w : x,
                                                           y + (line_height - h) / 2, w, h },
                                        -1);
              x += w + WRAP_GAP;
            }
          if (child == line_end)
            break;
        }

      y += line_height;
      line_start = gtk_widget_get_next_sibling (line_end);
      if (line_start != NULL)
        y += WRAP_GAP;
    }
  return y;
}

static GtkSizeRequestMode
assay_wrap_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
assay_wrap_box_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  int widest = 0, all = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min, nat;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
      widest = MAX (widest, min);
      all += (all > 0 ? WRAP_GAP : 0) + nat;
    }

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = widest;
      *natural = all;
    }
  else
    *minimum = *natural = wrap_layout (widget, for_size >= 0 ? for_size : all, FALSE);
}

static void
assay_wrap_box_size_allocate (GtkWidget *widget,
                                       int        width,
                                       int        height,
                                       int        baseline)
{
  wrap_layout (widget, width, TRUE);
}

static void
assay_wrap_box_dispose (GObject *object)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (assay_wrap_box_parent_class)->dispose (object);
}

static void
assay_wrap_box_class_init (AssayWrapBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_wrap_box_dispose;
  widget_class->get_request_mode = assay_wrap_box_get_request_mode;
  widget_class->measure = assay_wrap_box_measure;
  widget_class->size_allocate = assay_wrap_box_size_allocate;
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
assay_wrap_box_init (AssayWrapBox *self)
{
}

GtkWidget *
assay_wrap_box_new (void)
{
  return g_object_new (ASSAY_TYPE_WRAP_BOX, NULL);
}
