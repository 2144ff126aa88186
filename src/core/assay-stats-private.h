/* assay-stats-private.h: what the adjudication model shares with the
 * statistics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "assay-stats.h"
#include "assay-template.h"

G_BEGIN_DECLS

/* The snapshot the statistics work on, shared by assay-stats.c (loading),
 * assay-stats-agreement.c, assay-stats-leaderboard.c and assay-stats-json.c. */

#define NONE G_MAXUINT32

/* ---- the snapshot ---- */

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 set;          /* index into the template's label sets */
  guint32 option;       /* index into the set's options */
} LabelRow;

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 set;
  guint32 option;
  guint32 start;
  guint32 end;
} SpanRow;

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 criterion;    /* index into the template's criteria */
  gint32  value;
} ScoreRow;

typedef struct
{
  guint32 source;
  guint32 annotator;
  guint32 candidate;
  gint32  rank;
} RankRow;

enum
{
  OUTCOME_FIRST,        /* the candidate with the lower index won */
  OUTCOME_TIE,
  OUTCOME_SECOND,
};

typedef struct
{
  guint32 source;
  guint32 first;        /* candidate indexes, first < second */
  guint32 second;
  guint32 annotator;
  guint32 outcome;
} ComparisonRow;

typedef struct
{
  guint32 candidate;
  guint32 annotator;
  guint32 distance;     /* word edit distance from the candidate */
  guint32 words;        /* words and punctuation marks of the candidate */
  guint64 fingerprint;  /* of the corrected text's words: equal words, equal prints */
} CorrectionRow;

struct _AssayStatsData
{
  gatomicrefcount ref_count;

  AssayTemplate  *tmpl;

  guint           n_annotators;
  gint64         *annotator_ids;
  char          **annotator_ext;
  char          **annotator_names;
  AssayAnnotatorKind *annotator_kinds;

  guint           n_sources;
  gint64         *source_ids;
  char          **source_ext;
  char          **source_titles;
  guint          *source_candidates;      /* candidate indexes grouped by source */
  guint          *source_offsets;         /* n_sources + 1 */

  guint           n_candidates;
  gint64         *candidate_ids;
  char          **candidate_ext;
  guint32        *candidate_source;
  guint32        *candidate_model;
  GPtrArray      *models;                 /* char *, by first appearance */

  /* Judgments, each sorted by candidate (rankings and comparisons by
   * source), with per-candidate offsets (n_candidates + 1). */
  GArray         *labels;                 /* LabelRow */
  guint          *label_offsets;
  GArray         *spans;                  /* SpanRow, labelled spans only */
  guint          *span_offsets;
  GArray         *scores;                 /* ScoreRow */
  guint          *score_offsets;
  GArray         *corrections;            /* CorrectionRow */
  guint          *correction_offsets;
  GArray         *rankings;               /* RankRow */
  GArray         *comparisons;            /* ComparisonRow */

  /* Who judged each candidate: annotator indexes, ascending. */
  guint32        *judged;
  guint          *judged_offsets;

  /* Which label sets each annotator used anywhere: n_annotators x n_sets. */
  guint8         *uses_set;

  /* Whitespace-separated words of the candidates that two or more
   * annotators judged (for span agreement): pairs of code-point offsets. */
  guint32        *words;
  guint          *word_offsets;

  guint64         n_ratings;
};


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

/* The annotators that take part under the options, in coder order;
 * coder_of maps each annotator index to its coder or NONE. */
gboolean        _assay_stats_select_annotators (AssayStatsData           *data,
                                                const AssayStatsOptions  *options,
                                                AssayStatsKinds           default_kinds,
                                                guint32                  *coder_of,
                                                GPtrArray               **annotators_out,
                                                GError                  **error);

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

/* ---- judge calibration (assay-stats-calibrate.c) ---- */

/* Spearman's rho: Pearson's correlation of the mid-ranks; NaN if n < 2 or
 * either side has no variation. */
double          _assay_spearman_rho           (const double   *x,
                                               const double   *y,
                                               guint           n);
/* Two raters, real values, every unit rated by both: Krippendorff's
 * interval alpha and the quadratic-weighted kappa written with means and
 * variances (equal to Cohen's 1968 coefficient on a scale's integer
 * points). NaN without variation. */
double          _assay_interval_alpha_2       (const double   *x,
                                               const double   *y,
                                               guint           n);
double          _assay_quadratic_kappa_2      (const double   *x,
                                               const double   *y,
                                               guint           n);

G_END_DECLS
