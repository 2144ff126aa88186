/* assay-stats-page-private.h: what the statistics window's pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window (assay-stats-window.c) is a shell: it runs the core's
 * computations and hands their results to its pages, each a widget with
 * its own template: the overview (progress and the leaderboard), agreement
 * and disagreements. The helpers here format numbers and names alike on
 * every page (assay-stats-format.c).
 */
#pragma once

#include <adwaita.h>

#include "assay-core.h"
#include "assay-stats.h"
#include "assay-stats-details.h"

G_BEGIN_DECLS

/* Krippendorff (2004, §11.4); docs/statistics.md. */
#define ASSAY_STATS_ALPHA_GOOD       0.800
#define ASSAY_STATS_ALPHA_TENTATIVE  0.667

typedef enum
{
  ASSAY_STATS_AS_NUMBER,
  ASSAY_STATS_AS_SIGNED,
  ASSAY_STATS_AS_PERCENT,
} AssayStatsStyle;

/* Locale digits, a typographic minus; "n/a" for NaN. */
char       *_assay_stats_format_number       (double              value,
                                              int                 decimals,
                                              gboolean            signed_);
char       *_assay_stats_format_percent      (double              value);
char       *_assay_stats_format_as           (double              value,
                                              AssayStatsStyle     style);
/* "3.82 [3.61, 4.02]" with the interval dimmed, or "3.82 [too few sources]",
 * as markup; `offset` and `factor` put a 0..1 value on its scale. */
char       *_assay_stats_estimate_markup     (const AssayEstimate *e,
                                              double              offset,
                                              double              factor,
                                              AssayStatsStyle     style,
                                              gboolean            two_lines);
char       *_assay_stats_too_few_sources_tip (guint               n_sources);
/* "LLM judge", "Gold", or NULL for a person. */
const char *_assay_stats_kind_tag            (AssayAnnotatorKind  kind);
const char *_assay_stats_stat_title          (const AssayAgreementStat *stat);
const char *_assay_stats_option_title        (AssayTemplate      *tmpl,
                                              const char         *set_name,
                                              const char         *option_name);
const char *_assay_stats_set_title           (AssayTemplate      *tmpl,
                                              const char         *set_name);
const char *_assay_stats_criterion_title     (AssayTemplate      *tmpl,
                                              const char         *name);

/* The small GtkGrid tables (the measures by model, the rankings, the
 * pairwise matrices). */
void        _assay_stats_grid_clear          (GtkGrid            *grid);
GtkWidget  *_assay_stats_cell_new            (const char         *text,
                                              gboolean            markup,
                                              gboolean            numeric,
                                              const char         *tooltip);
GtkWidget  *_assay_stats_lead                (GtkWidget          *cell);
GtkWidget  *_assay_stats_name_cell_new       (const char         *text);
GtkWidget  *_assay_stats_head_cell_new       (const char         *text,
                                              gboolean            numeric,
                                              const char         *tooltip);
void        _assay_stats_grid_mark_last_row  (GtkGrid            *grid,
                                              int                 row,
                                              int                 n_columns);
/* "Agreement needs two or more annotators", saying who has judged. */
void        _assay_stats_set_needs_two       (AdwStatusPage      *page,
                                              AssayAgreementReport *report);

G_END_DECLS
