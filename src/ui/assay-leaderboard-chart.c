/* assay-leaderboard-chart.c: models' estimates with their intervals, drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per model, best first: a dot at the estimate and a whisker over
 * its bootstrap interval, on a shared axis. The whiskers are the point of
 * the chart: two models whose whiskers overlap widely are not told apart
 * by the data, whatever their order in the table says. Colours come from
 * the style (accent and foreground), so the chart follows dark mode.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "assay-leaderboard-chart.h"

#define ROW_HEIGHT   30
#define PAD_TOP      6
#define TICK_LENGTH  5
#define NAME_GAP     14
#define PAD_END      18
#define DOT_RADIUS   5.0
#define CAP_HEIGHT   10.0

typedef struct
{
  char          *model;
  AssayEstimate  overall;    /* on the display scale */
  AssayEstimate  strength;
} ChartRow;

struct _AssayLeaderboardChart
{
  GtkWidget                     parent_instance;

  GArray                       *rows;          /* ChartRow, best first */
  AssayLeaderboardChartMeasure  measure;
  double                        scale_min;     /* of the overall score as shown */
  double                        scale_max;
  gboolean                      on_scale;      /* FALSE: 0..1 */
  double                        level;
  int                           hover;         /* the row under the pointer, or -1 */
  char                         *description;
};

G_DEFINE_ENUM_TYPE (AssayLeaderboardChartMeasure, assay_leaderboard_chart_measure,
                    G_DEFINE_ENUM_VALUE (ASSAY_LEADERBOARD_CHART_OVERALL, "overall"),
                    G_DEFINE_ENUM_VALUE (ASSAY_LEADERBOARD_CHART_STRENGTH, "strength"))

G_DEFINE_FINAL_TYPE (AssayLeaderboardChart, assay_leaderboard_chart, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MEASURE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
chart_row_clear (ChartRow *row)
{
  g_free (row->model);
}

/* ---- numbers ---- */

static const AssayEstimate *
row_estimate (AssayLeaderboardChart *self,
              const ChartRow        *row)
{
  return self->measure == ASSAY_LEADERBOARD_CHART_STRENGTH ? &row->strength : &row->overall;
}

/* A typographic minus: "−0.40" lines up with "+0.40" and reads as a sign. */
static char *
format_value (double   value,
              int      decimals,
              gboolean signed_)
{
  g_autofree char *text = NULL;

  if (isnan (value))
    return g_strdup (_("n/a"));
  if (fabs (value) < 0.5 * pow (10.0, -decimals))
    value = 0.0;
  text = g_strdup_printf (signed_ && value > 0 ? "+%.*f" : "%.*f", decimals, value);
  if (text[0] == '-')
    return g_strconcat ("−", text + 1, NULL);
  return g_steal_pointer (&text);
}

static char *
format_interval (const AssayEstimate *e,
                 gboolean             signed_)
{
  g_autofree char *low = NULL, *high = NULL;

  if (isnan (e->low) || isnan (e->high))
    return NULL;
  low = format_value (e->low, 2, signed_);
  high = format_value (e->high, 2, signed_);
  /* Translators: a confidence interval, from LOW to HIGH */
  return g_strdup_printf (_("%s to %s"), low, high);
}

gboolean
assay_leaderboard_chart_get_overall_scale (AssayLeaderboard *board,
                                           double           *min,
                                           double           *max)
{
  gboolean found = FALSE;
  int lo = 0, hi = 1;

  g_return_val_if_fail (board != NULL, FALSE);

  for (guint k = 0; k < board->metrics->len; k++)
    {
      AssayMetricInfo *info = g_ptr_array_index (board->metrics, k);

      if (info->kind != ASSAY_METRIC_SCORE)
        continue;
      if (!found)
        {
          lo = info->scale_min;
          hi = info->scale_max;
          found = TRUE;
        }
      else if (info->scale_min != lo || info->scale_max != hi)
        {
          found = FALSE;
          break;
        }
    }
  if (!found || hi <= lo)
    {
      *min = 0.0;
      *max = 1.0;
      return FALSE;
    }
  *min = lo;
  *max = hi;
  return TRUE;
}

/* The axis: its range and a round step between ticks, about one tick per
 * `spacing` pixels of `width`. */
static void
axis_range (AssayLeaderboardChart *self,
            double                 width,
            double                *lo,
            double                *hi,
            double                *step)
{
  int target = MAX (2, (int) (width / 80.0));
  double span, raw, mag, f;

  if (self->measure == ASSAY_LEADERBOARD_CHART_OVERALL)
    {
      *lo = self->scale_min;
      *hi = self->scale_max;
    }
  else
    {
      double m = 0.0;

      /* Log-strengths are centred on 0: keep 0 in the middle. */
      for (guint i = 0; i < self->rows->len; i++)
        {
          const AssayEstimate *e = &g_array_index (self->rows, ChartRow, i).strength;
          double values[3] = { e->value, e->low, e->high };

          for (guint j = 0; j < 3; j++)
            if (isfinite (values[j]))
              m = MAX (m, fabs (values[j]));
        }
      if (!(m > 0.0))
        m = 1.0;
      *lo = -m;
      *hi = m;
    }

  span = *hi - *lo;
  raw = span / target;
  mag = pow (10.0, floor (log10 (raw)));
  f = raw / mag;
  *step = (f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0) * mag;

  if (self->measure == ASSAY_LEADERBOARD_CHART_STRENGTH)
    {
      *hi = ceil (*hi / *step - 1e-9) * *step;
      *lo = -*hi;
    }
}

static int
step_decimals (double step)
{
  if (step >= 1.0 - 1e-9)
    return 0;
  if (step * 10.0 >= 1.0 - 1e-9 && fabs (step * 10.0 - round (step * 10.0)) < 1e-9)
    return 1;
  return 2;
}

/* ---- the accessible text ---- */

static void
update_description (AssayLeaderboardChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int percent = (int) round (self->level * 100.0);
  gboolean strength = self->measure == ASSAY_LEADERBOARD_CHART_STRENGTH;

  if (self->rows->len == 0)
    g_string_append (text, _("No models to show."));
  else if (strength)
    g_string_append_printf (text,
                            _("Bradley–Terry strength (log odds, 0 is average), best first, "
                              "with %d%% intervals: "), percent);
  else if (self->on_scale)
    g_string_append_printf (text,
                            _("Overall score on the %g–%g scale, best first, with %d%% "
                              "intervals: "), self->scale_min, self->scale_max, percent);
  else
    g_string_append_printf (text,
                            _("Overall score from 0 to 1, best first, with %d%% intervals: "),
                            percent);

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ChartRow *row = &g_array_index (self->rows, ChartRow, i);
      const AssayEstimate *e = row_estimate (self, row);
      g_autofree char *value = format_value (e->value, 2, strength);
      g_autofree char *interval = format_interval (e, strength);

      if (i > 0)
        g_string_append (text, "; ");
      if (interval != NULL)
        /* Translators: MODEL VALUE (INTERVAL), in the chart's description */
        g_string_append_printf (text, _("%s %s (%s)"), row->model, value, interval);
      else
        g_string_append_printf (text, "%s %s", row->model, value);
    }
  if (self->rows->len > 0)
    g_string_append_c (text, '.');

  g_free (self->description);
  self->description = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->description,
                                  -1);
}

/* ---- size ---- */

static int
text_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static int
axis_height (GtkWidget *widget)
{
  /* tick, its label, and the caption under them */
  return TICK_LENGTH + 3 + 2 * text_height (widget) + 6;
}

static void
assay_leaderboard_chart_measure (GtkWidget      *widget,
                                 GtkOrientation  orientation,
                                 int             for_size,
                                 int            *minimum,
                                 int            *natural,
                                 int            *minimum_baseline,
                                 int            *natural_baseline)
{
  AssayLeaderboardChart *self = ASSAY_LEADERBOARD_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 560;
    }
  else
    {
      int rows = MAX (1, (int) self->rows->len);

      *minimum = *natural = PAD_TOP + rows * ROW_HEIGHT + axis_height (widget);
    }
}

/* Where the names end and the plot begins, for a width. */
static void
plot_geometry (AssayLeaderboardChart *self,
               double                 width,
               double                *name_width,
               double                *plot_x,
               double                *plot_width)
{
  int widest = 0;

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ChartRow *row = &g_array_index (self->rows, ChartRow, i);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                      row->model);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      widest = MAX (widest, w);
    }
  /* Long model names are ellipsized rather than squeezing the plot. */
  *name_width = CLAMP (widest, 40, (int) (width * 0.34));
  *plot_x = *name_width + NAME_GAP;
  *plot_width = MAX (40.0, width - *plot_x - PAD_END);
}

static int
row_at (AssayLeaderboardChart *self,
        double                 y)
{
  int row;

  if (y < PAD_TOP)
    return -1;
  row = (int) ((y - PAD_TOP) / ROW_HEIGHT);
  return row < (int) self->rows->len ? row : -1;
}

/* ---- drawing ---- */

static void
fill_rect (GtkSnapshot   *snapshot,
           const GdkRGBA *color,
           double         x,
           double         y,
           double         w,
           double         h)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, w, h));
}

static void
draw_text (GtkSnapshot   *snapshot,
           PangoLayout   *layout,
           const GdkRGBA *color,
           double         x,
           double         y)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (round (x), round (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
assay_leaderboard_chart_snapshot (GtkWidget   *widget,
                                  GtkSnapshot *snapshot)
{
  AssayLeaderboardChart *self = ASSAY_LEADERBOARD_CHART (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  double width = gtk_widget_get_width (widget);
  double name_width, plot_x, plot_width, lo, hi, step, rows_bottom;
  gboolean strength = self->measure == ASSAY_LEADERBOARD_CHART_STRENGTH;
  int line_height = text_height (widget);
  GdkRGBA fg, accent, dim, axis, grid, hover;
  int decimals;

  gtk_style_context_get_color (context, &fg);
  if (!gtk_style_context_lookup_color (context, "accent_color", &accent))
    accent = fg;
  dim = fg;
  dim.alpha *= 0.55;
  axis = fg;
  axis.alpha *= 0.35;
  grid = fg;
  grid.alpha *= 0.08;
  hover = fg;
  hover.alpha *= 0.05;

  plot_geometry (self, width, &name_width, &plot_x, &plot_width);
  axis_range (self, plot_width, &lo, &hi, &step);
  decimals = step_decimals (step);
  rows_bottom = PAD_TOP + MAX (1, (int) self->rows->len) * ROW_HEIGHT;

#define X_OF(v) (plot_x + ((v) - lo) / (hi - lo) * plot_width)

  if (self->hover >= 0 && self->hover < (int) self->rows->len)
    fill_rect (snapshot, &hover, 0, PAD_TOP + self->hover * ROW_HEIGHT, width, ROW_HEIGHT);

  /* grid lines and ticks */
  for (double t = lo; t <= hi + step * 1e-6; t += step)
    {
      double x = round (X_OF (t));
      g_autofree char *label = format_value (t, decimals, strength);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, label);
      int w;

      fill_rect (snapshot, strength && fabs (t) < step * 1e-6 ? &axis : &grid,
                 x, PAD_TOP, 1, rows_bottom - PAD_TOP);
      fill_rect (snapshot, &axis, x, rows_bottom, 1, TICK_LENGTH);
      pango_layout_get_pixel_size (layout, &w, NULL);
      draw_text (snapshot, layout, &dim, x - w / 2.0, rows_bottom + TICK_LENGTH + 3);
    }
  fill_rect (snapshot, &axis, plot_x, rows_bottom, plot_width + 1, 1);

  /* the caption under the axis */
  {
    g_autofree char *caption = NULL;
    g_autoptr(PangoLayout) layout = NULL;
    int percent = (int) round (self->level * 100.0);
    int w;

    if (strength)
      caption = g_strdup_printf (_("Strength (log odds of winning, 0 is average), %d%% interval"),
                                 percent);
    else
      caption = g_strdup_printf (_("Overall score, %d%% interval"), percent);
    layout = gtk_widget_create_pango_layout (widget, caption);
    pango_layout_set_width (layout, (int) (plot_width * PANGO_SCALE));
    pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    pango_layout_get_pixel_size (layout, &w, NULL);
    draw_text (snapshot, layout, &dim, plot_x + (plot_width - w) / 2.0,
               rows_bottom + TICK_LENGTH + 5 + line_height);
  }

  if (self->rows->len == 0)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, _("No models"));

      draw_text (snapshot, layout, &dim, plot_x + 8, PAD_TOP + (ROW_HEIGHT - line_height) / 2.0);
      return;
    }

  for (guint i = 0; i < self->rows->len; i++)
    {
      const ChartRow *row = &g_array_index (self->rows, ChartRow, i);
      const AssayEstimate *e = row_estimate (self, row);
      double y = PAD_TOP + i * ROW_HEIGHT + ROW_HEIGHT / 2.0;
      g_autoptr(PangoLayout) name = gtk_widget_create_pango_layout (widget, row->model);

      pango_layout_set_width (name, (int) (name_width * PANGO_SCALE));
      pango_layout_set_ellipsize (name, PANGO_ELLIPSIZE_END);
      draw_text (snapshot, name, &fg, 0, y - line_height / 2.0);

      if (isnan (e->value))
        {
          g_autoptr(PangoLayout) na = gtk_widget_create_pango_layout (widget, _("n/a"));

          draw_text (snapshot, na, &dim, plot_x + 4, y - line_height / 2.0);
          continue;
        }

      if (isfinite (e->low) && isfinite (e->high))
        {
          double x0 = round (X_OF (CLAMP (e->low, lo, hi)));
          double x1 = round (X_OF (CLAMP (e->high, lo, hi)));

          fill_rect (snapshot, &dim, x0, round (y) - 1, MAX (1.0, x1 - x0), 2);
          fill_rect (snapshot, &dim, x0 - 1, round (y - CAP_HEIGHT / 2), 2, CAP_HEIGHT);
          fill_rect (snapshot, &dim, x1 - 1, round (y - CAP_HEIGHT / 2), 2, CAP_HEIGHT);
        }

      {
        double x = X_OF (CLAMP (e->value, lo, hi));
        GskRoundedRect dot;

        gsk_rounded_rect_init_from_rect (&dot,
                                         &GRAPHENE_RECT_INIT (x - DOT_RADIUS, y - DOT_RADIUS,
                                                              2 * DOT_RADIUS, 2 * DOT_RADIUS),
                                         DOT_RADIUS);
        gtk_snapshot_push_rounded_clip (snapshot, &dot);
        gtk_snapshot_append_color (snapshot, &accent, &dot.bounds);
        gtk_snapshot_pop (snapshot);
      }
    }
#undef X_OF
}

/* ---- pointer ---- */

static void
set_hover (AssayLeaderboardChart *self,
           int                    row)
{
  if (self->hover == row)
    return;
  self->hover = row;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           AssayLeaderboardChart    *self)
{
  set_hover (self, row_at (self, y));
}

static void
on_leave (GtkEventControllerMotion *motion,
          AssayLeaderboardChart    *self)
{
  set_hover (self, -1);
}

static gboolean
assay_leaderboard_chart_query_tooltip (GtkWidget  *widget,
                                       int         x,
                                       int         y,
                                       gboolean    keyboard,
                                       GtkTooltip *tooltip)
{
  AssayLeaderboardChart *self = ASSAY_LEADERBOARD_CHART (widget);
  int index = keyboard ? 0 : row_at (self, y);
  const ChartRow *row;
  const AssayEstimate *e;
  gboolean strength = self->measure == ASSAY_LEADERBOARD_CHART_STRENGTH;
  g_autofree char *value = NULL, *interval = NULL, *text = NULL;
  const char *what;
  g_autofree char *count = NULL;

  if (index < 0 || index >= (int) self->rows->len)
    return FALSE;
  row = &g_array_index (self->rows, ChartRow, index);
  e = row_estimate (self, row);
  value = format_value (e->value, 2, strength);
  interval = format_interval (e, strength);
  what = strength ? _("Strength") : _("Overall score");
  if (strength)
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f comparison result",
                                          "%.0f comparison results", (gulong) e->n), e->n);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f candidate", "%.0f candidates",
                                          (gulong) e->n), e->n);

  if (interval != NULL)
    /* Translators: MODEL, newline, MEASURE VALUE (LEVEL% interval INTERVAL), newline, COUNT */
    text = g_strdup_printf (_("%s\n%s %s (%d%% interval %s)\n%s"), row->model, what, value,
                            (int) round (self->level * 100.0), interval, count);
  else
    text = g_strdup_printf ("%s\n%s %s\n%s", row->model, what, value, count);
  /* Plain text: model names come from imported files. */
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- API ---- */

GtkWidget *
assay_leaderboard_chart_new (void)
{
  return g_object_new (ASSAY_TYPE_LEADERBOARD_CHART, NULL);
}

void
assay_leaderboard_chart_set_leaderboard (AssayLeaderboardChart *self,
                                         AssayLeaderboard      *board)
{
  g_return_if_fail (ASSAY_IS_LEADERBOARD_CHART (self));

  g_array_set_size (self->rows, 0);
  self->hover = -1;
  self->on_scale = FALSE;
  self->scale_min = 0.0;
  self->scale_max = 1.0;
  self->level = 0.95;

  if (board != NULL)
    {
      double span;

      self->on_scale = assay_leaderboard_chart_get_overall_scale (board, &self->scale_min,
                                                                  &self->scale_max);
      span = self->scale_max - self->scale_min;
      self->level = board->level > 0.0 ? board->level : 0.95;
      for (guint i = 0; i < board->models->len; i++)
        {
          AssayModelStanding *standing = g_ptr_array_index (board->models, i);
          ChartRow row = { NULL, };

          row.model = g_strdup (standing->model);
          row.overall = standing->overall;
          row.overall.value = self->scale_min + standing->overall.value * span;
          row.overall.low = self->scale_min + standing->overall.low * span;
          row.overall.high = self->scale_min + standing->overall.high * span;
          row.strength = standing->strength;
          g_array_append_val (self->rows, row);
        }
    }

  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
assay_leaderboard_chart_set_measure (AssayLeaderboardChart        *self,
                                     AssayLeaderboardChartMeasure  measure)
{
  g_return_if_fail (ASSAY_IS_LEADERBOARD_CHART (self));

  if (self->measure == measure)
    return;
  self->measure = measure;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEASURE]);
}

AssayLeaderboardChartMeasure
assay_leaderboard_chart_get_measure (AssayLeaderboardChart *self)
{
  g_return_val_if_fail (ASSAY_IS_LEADERBOARD_CHART (self), ASSAY_LEADERBOARD_CHART_OVERALL);

  return self->measure;
}

const char *
assay_leaderboard_chart_get_description (AssayLeaderboardChart *self)
{
  g_return_val_if_fail (ASSAY_IS_LEADERBOARD_CHART (self), NULL);

  return self->description;
}

/* ---- GObject ---- */

static void
assay_leaderboard_chart_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  AssayLeaderboardChart *self = ASSAY_LEADERBOARD_CHART (object);

  switch (prop_id)
    {
    case PROP_MEASURE:
      g_value_set_enum (value, self->measure);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_leaderboard_chart_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  AssayLeaderboardChart *self = ASSAY_LEADERBOARD_CHART (object);

  switch (prop_id)
    {
    case PROP_MEASURE:
      assay_leaderboard_chart_set_measure (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_leaderboard_chart_finalize (GObject *object)
{
  AssayLeaderboardChart *self = ASSAY_LEADERBOARD_CHART (object);

  g_array_unref (self->rows);
  g_free (self->description);

  G_OBJECT_CLASS (assay_leaderboard_chart_parent_class)->finalize (object);
}

static void
assay_leaderboard_chart_class_init (AssayLeaderboardChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = assay_leaderboard_chart_get_property;
  object_class->set_property = assay_leaderboard_chart_set_property;
  object_class->finalize = assay_leaderboard_chart_finalize;

  widget_class->measure = assay_leaderboard_chart_measure;
  widget_class->snapshot = assay_leaderboard_chart_snapshot;
  widget_class->query_tooltip = assay_leaderboard_chart_query_tooltip;

  properties[PROP_MEASURE] =
    g_param_spec_enum ("measure", NULL, NULL,
                       ASSAY_TYPE_LEADERBOARD_CHART_MEASURE, ASSAY_LEADERBOARD_CHART_OVERALL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "leaderboardchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
assay_leaderboard_chart_init (AssayLeaderboardChart *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->rows = g_array_new (FALSE, FALSE, sizeof (ChartRow));
  g_array_set_clear_func (self->rows, (GDestroyNotify) chart_row_clear);
  self->hover = -1;
  self->scale_max = 1.0;
  self->level = 0.95;

  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Leaderboard chart"),
                                  -1);
  update_description (self);
}
