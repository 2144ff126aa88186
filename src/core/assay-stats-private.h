/* assay-stats-private.h: what the adjudication model shares with the
 * statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

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

G_END_DECLS
