/* assay-stats-private.h: what the adjudication model shares with the
 * statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "assay-stats.h"

G_BEGIN_DECLS

/* The snapshot of one source only, for the disagreements on it: the same
 * units as in the whole project's report (which sets each annotator uses
 * is still looked up project-wide). */
AssayStatsData *_assay_stats_data_load_source (AssayProject   *project,
                                               gint64          source_id,
                                               GCancellable   *cancellable,
                                               GError        **error);
/* Whether the annotator labelled with the set anywhere in the project
 * (for multi-choice and span sets; FALSE for others in a one-source
 * snapshot). */
gboolean        _assay_stats_data_uses_set    (AssayStatsData *data,
                                               gint64          annotator_id,
                                               gint64          set_id);

/* What reads each kind's rows into the snapshot (the kinds' descriptions
 * name them, assay-kind-private.h): `loader` is the statistics' own. */
gboolean        _assay_stats_row_labels       (sqlite3_stmt   *stmt,
                                               gpointer        loader);
gboolean        _assay_stats_row_spans        (sqlite3_stmt   *stmt,
                                               gpointer        loader);
gboolean        _assay_stats_row_scores       (sqlite3_stmt   *stmt,
                                               gpointer        loader);
gboolean        _assay_stats_row_ranking      (sqlite3_stmt   *stmt,
                                               gpointer        loader);
gboolean        _assay_stats_row_comparison   (sqlite3_stmt   *stmt,
                                               gpointer        loader);
gboolean        _assay_stats_row_correction   (sqlite3_stmt   *stmt,
                                               gpointer        loader);
/* (candidate id, annotator id): the annotator judged the candidate. */
gboolean        _assay_stats_row_judged       (sqlite3_stmt   *stmt,
                                               gpointer        loader);
/* (source id, annotator id): the annotator judged the whole source. */
gboolean        _assay_stats_row_status       (sqlite3_stmt   *stmt,
                                               gpointer        loader);

G_END_DECLS
