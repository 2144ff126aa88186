/* assay-stats-format.c: numbers, names and table cells shared by the
 * statistics window's pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Names from imported files go into plain labels; only our own number
 * markup is ever parsed.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "assay-stats-page-private.h"

/* Locale digits, but a typographic minus, which lines up with "+". */
char *
_assay_stats_format_number (double   value,
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

char *
_assay_stats_format_percent (double value)
{
  if (isnan (value))
    return g_strdup (_("n/a"));
  /* Translators: a percentage with one decimal, "77.8%" */
  return g_strdup_printf (_("%.1f%%"), value * 100.0);
}

char *
_assay_stats_format_as (double          value,
                        AssayStatsStyle style)
{
  if (style == ASSAY_STATS_AS_PERCENT)
    return _assay_stats_format_percent (value);
  return _assay_stats_format_number (value, 2, style == ASSAY_STATS_AS_SIGNED);
}

/* "3.82 [3.61, 4.02]", the interval dimmed, as markup (numbers only).
 * `offset` and `factor` put a 0..1 overall score on its scale. */
char *
_assay_stats_estimate_markup (const AssayEstimate *e,
                              double              offset,
                              double              factor,
                              AssayStatsStyle     style,
                              gboolean            two_lines)
{
  g_autofree char *value = _assay_stats_format_as (offset + e->value * factor, style);
  g_autofree char *low = NULL, *high = NULL;

  if (!isnan (e->value) && e->n_sources < ASSAY_INTERVAL_MIN_SOURCES)
    /* Translators: a value shown without its interval */
    return g_strdup_printf (two_lines ? _("%s\n<span alpha=\"60%%\" size=\"small\">[too few "
                                          "sources]</span>")
                                      : _("%s <span alpha=\"60%%\">[too few sources]</span>"),
                            value);
  if (isnan (e->value) || isnan (e->low) || isnan (e->high))
    return g_strdup (value);
  low = _assay_stats_format_as (offset + e->low * factor, style);
  high = _assay_stats_format_as (offset + e->high * factor, style);
  if (two_lines)
    return g_strdup_printf ("%s\n<span alpha=\"60%%\" size=\"small\">[%s, %s]</span>", value,
                            low, high);
  return g_strdup_printf ("%s <span alpha=\"60%%\">[%s, %s]</span>", value, low, high);
}

char *
_assay_stats_too_few_sources_tip (guint n_sources)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Too little data for an interval: this value rests on %u "
                                       "source, and intervals need at least %d",
                                       "Too little data for an interval: this value rests on %u "
                                       "sources, and intervals need at least %d", n_sources),
                          n_sources, ASSAY_INTERVAL_MIN_SOURCES);
}

const char *
_assay_stats_kind_tag (AssayAnnotatorKind kind)
{
  switch (kind)
    {
    case ASSAY_ANNOTATOR_MODEL:
      return _("LLM judge");
    case ASSAY_ANNOTATOR_ADJUDICATOR:
      return _("Gold");
    case ASSAY_ANNOTATOR_PERSON:
    default:
      return NULL;
    }
}

const char *
_assay_stats_stat_title (const AssayAgreementStat *stat)
{
  return assay_agreement_stat_title (stat);
}

const char *
_assay_stats_option_title (AssayTemplate *tmpl,
                           const char    *set_name,
                           const char    *option_name)
{
  AssayLabelSet *set = tmpl != NULL ? assay_template_find_label_set (tmpl, set_name) : NULL;

  if (set != NULL)
    for (guint i = 0; i < set->options->len; i++)
      {
        AssayLabelOption *option = g_ptr_array_index (set->options, i);

        if (g_strcmp0 (option->name, option_name) == 0)
          return option->title != NULL && *option->title != '\0' ? option->title : option->name;
      }
  return option_name;
}

const char *
_assay_stats_set_title (AssayTemplate *tmpl,
                        const char    *set_name)
{
  AssayLabelSet *set = tmpl != NULL ? assay_template_find_label_set (tmpl, set_name) : NULL;

  if (set != NULL && set->title != NULL && *set->title != '\0')
    return set->title;
  return set_name;
}

const char *
_assay_stats_criterion_title (AssayTemplate *tmpl,
                              const char    *name)
{
  AssayCriterion *criterion = tmpl != NULL ? assay_template_find_criterion (tmpl, name) : NULL;

  if (criterion != NULL && criterion->title != NULL && *criterion->title != '\0')
    return criterion->title;
  return name;
}

void
_assay_stats_grid_clear (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

/* A table cell. Names from files go in as plain text; only our own number
 * markup is ever parsed. */
GtkWidget *
_assay_stats_cell_new (const char *text,
                       gboolean   markup,
                       gboolean   numeric,
                       const char *tooltip)
{
  GtkWidget *label = gtk_label_new (NULL);

  if (markup)
    gtk_label_set_markup (GTK_LABEL (label), text);
  else
    gtk_label_set_text (GTK_LABEL (label), text);
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_widget_add_css_class (label, "stats-cell");
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (label, tooltip);
  return label;
}

/* The first column's cells keep off the card's edge. */
GtkWidget *
_assay_stats_lead (GtkWidget *cell)
{
  gtk_widget_add_css_class (cell, "lead");
  return cell;
}

GtkWidget *
_assay_stats_name_cell_new (const char *text)
{
  GtkWidget *label = _assay_stats_cell_new (text, FALSE, FALSE, NULL);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_set_tooltip_text (label, text);
  gtk_widget_add_css_class (label, "lead");
  return label;
}

GtkWidget *
_assay_stats_head_cell_new (const char *text,
                            gboolean   numeric,
                            const char *tooltip)
{
  GtkWidget *label = _assay_stats_cell_new (text, FALSE, numeric, tooltip);

  /* Long headings take two lines rather than widening their column. */
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 10);
  gtk_label_set_yalign (GTK_LABEL (label), 1.0f);
  gtk_label_set_justify (GTK_LABEL (label), numeric ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
  gtk_widget_add_css_class (label, "stats-head");
  return label;
}

/* The bottom border runs under every cell but the last row's. */
void
_assay_stats_grid_mark_last_row (GtkGrid *grid,
                                 int     row,
                                 int     n_columns)
{
  for (int column = 0; column < n_columns; column++)
    {
      GtkWidget *cell = gtk_grid_get_child_at (grid, column, row);

      if (cell != NULL)
        gtk_widget_add_css_class (cell, "last");
    }
}


void
_assay_stats_set_needs_two (AdwStatusPage        *page,
                            AssayAgreementReport *report)
{
  g_autofree char *description = NULL;

  if (report->annotators->len == 1)
    {
      g_autofree char *name =
        g_markup_escape_text (assay_stats_annotator_name (g_ptr_array_index (report->annotators,
                                                                             0)), -1);

      description = g_strdup_printf (_("Only %s has judged items so far. Merge other experts’ "
                                       "projects into this one, or import an LLM judge’s "
                                       "judgments, to see how well they agree."), name);
    }
  else
    description = g_strdup (_("Nobody has judged items yet. Agreement compares two or more "
                              "annotators’ judgments on the same items."));
  adw_status_page_set_title (page, _("Agreement Needs Two or More Annotators"));
  adw_status_page_set_description (page, description);
  adw_status_page_set_icon_name (page, "system-users-symbolic");
}
