/* assay-stats.h: agreement and the model leaderboard of a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * assay_stats_data_load reads every judgment of a project in one pass per
 * table into integer-coded arrays; the reports are then computed from that
 * snapshot, as often as needed and with any choice of annotators, without
 * touching the database again. The definitions of every number are in
 * docs/statistics.md. Undefined values are NaN (JSON null, "undefined" on
 * screen).
 */
#pragma once

#include <gio/gio.h>
#include <jansson.h>

#include "assay-agreement.h"
#include "assay-leaderboard.h"
#include "assay-project.h"
#include "assay-separation.h"

G_BEGIN_DECLS

/* ---- options ---- */

/* Whose judgments count, by annotator kind. */
typedef enum
{
  ASSAY_STATS_PERSONS      = 1 << 0,
  ASSAY_STATS_MODELS       = 1 << 1,
  ASSAY_STATS_ADJUDICATORS = 1 << 2,
} AssayStatsKinds;

#define ASSAY_STATS_ALL_KINDS (ASSAY_STATS_PERSONS | ASSAY_STATS_MODELS | ASSAY_STATS_ADJUDICATORS)
/* Who can be a rater in agreement; an adjudicator's judgments are gold. */
#define ASSAY_STATS_RATERS (ASSAY_STATS_PERSONS | ASSAY_STATS_MODELS)

/* The kind's flag. */
AssayStatsKinds assay_stats_kinds_of        (AssayAnnotatorKind  kind);
/* The kinds among `eligible` that count when nobody chose whose judgments
 * do: those assay_annotator_kind_counts_by_default() accepts. Agreement
 * takes its raters that count (people), the leaderboard people, the
 * dataset exports people and adjudicators: never a model unless chosen. */
AssayStatsKinds assay_stats_kinds_by_default (AssayStatsKinds    eligible);

/* What orders the leaderboard. */
typedef enum
{
  ASSAY_RANK_AUTO,          /* strength if any model has one, else the overall score */
  ASSAY_RANK_STRENGTH,      /* Bradley-Terry strength */
  ASSAY_RANK_OVERALL,       /* the weighted rubric score */
  ASSAY_RANK_WIN_RATE,      /* the share of pairwise results won */
} AssayRankBy;

/* "auto", "strength", "overall", "win-rate"; NULL if unknown. */
gboolean    assay_rank_by_from_string       (const char  *str,
                                             AssayRankBy *rank_by);
const char *assay_rank_by_to_string         (AssayRankBy  rank_by);

typedef struct
{
  AssayStatsKinds  kinds;       /* 0: the default (assay_stats_kinds_by_default: agreement
                                 * and leaderboard count persons) */
  const char      *annotator;   /* nullable: only this annotator (external id), whatever its kind */
  guint            n_samples;   /* bootstrap replicates; 0 for 1000 */
  guint64          seed;        /* of the bootstrap */
  double           level;       /* of the intervals; 0 for 0.95 */
  double           bt_prior;    /* Bradley-Terry prior, in virtual ties per pair of models
                                 * (see assay_bradley_terry): > 0 a penalised estimate,
                                 * 0 maximum likelihood; < 0 for the default, 1 */
  AssayRankBy      rank_by;     /* the leaderboard's order */
} AssayStatsOptions;

void      assay_stats_options_init          (AssayStatsOptions  *options);
/* "all", or a comma-separated list of "people" ("persons"), "models",
 * "adjudicators". */
gboolean  assay_stats_kinds_from_string     (const char         *str,
                                             AssayStatsKinds    *kinds);

/* ---- the snapshot ---- */

typedef struct _AssayStatsData AssayStatsData;

AssayStatsData *assay_stats_data_load       (AssayProject       *project,
                                             GCancellable       *cancellable,
                                             GError            **error);
AssayStatsData *assay_stats_data_ref        (AssayStatsData     *data);
void      assay_stats_data_unref            (AssayStatsData     *data);
/* Label, span, score, ranking and comparison rows read (one ranking row per
 * ranked candidate). */
guint64   assay_stats_data_get_n_ratings    (AssayStatsData     *data);
/* What a candidate is, by row id: its external id, its source's external id
 * and its model (borrowed from the data; FALSE if there is no such
 * candidate). Any out pointer may be NULL. */
gboolean  assay_stats_data_describe_candidate (AssayStatsData   *data,
                                               gint64            candidate_id,
                                               const char      **ext_id,
                                               const char      **source_ext_id,
                                               const char      **model);

/* ---- agreement ---- */

typedef struct
{
  gint64              id;
  char               *ext_id;
  char               *name;
  AssayAnnotatorKind  kind;
} AssayStatsAnnotator;

typedef enum
{
  ASSAY_STAT_LABELS,        /* a candidate label set */
  ASSAY_STAT_SPANS,         /* a span label set */
  ASSAY_STAT_CRITERION,     /* a rubric criterion */
  ASSAY_STAT_RANKING,       /* the rankings */
  ASSAY_STAT_COMPARISON,    /* the pairwise comparisons */
  ASSAY_STAT_CORRECTION,    /* the corrections: disagreements only, no coefficient */
} AssayStatKind;

typedef struct
{
  char                   *name;
  AssayReliabilityResult  result;
} AssayOptionAgreement;

typedef struct
{
  guint   annotator_a;      /* indexes into the report's annotators */
  guint   annotator_b;
  guint64 n_sources;        /* sources both ranked (two or more common candidates) */
  double  tau_b;            /* mean Kendall's tau-b over them */
} AssayRankPair;

typedef struct
{
  gint64  source_id;
  guint   n_rankings;       /* rankings of the source that took part */
  guint   n_candidates;     /* candidates all of them ranked */
  double  kendall_w;
} AssaySourceConcordance;

typedef struct
{
  AssayStatKind           kind;
  gint64                  id;           /* label set or criterion row id; 0 otherwise */
  char                   *name;         /* "rankings", "comparisons" for those */
  char                   *title;        /* nullable */
  gboolean                multi;        /* multi-choice label set */
  int                     scale_min;    /* criteria */
  int                     scale_max;
  gboolean                has_result;   /* FALSE for rankings */
  AssayReliabilityResult  result;       /* pairs name annotators by report index */
  GPtrArray              *options;      /* multi-choice sets: AssayOptionAgreement per option */

  /* rankings */
  double                  kendall_w;         /* mean over sources with a defined W */
  guint64                 kendall_w_sources;
  double                  tau_b;             /* mean over sources and pairs of annotators */
  guint64                 tau_b_pairs;
  GArray                 *rank_pairs;        /* AssayRankPair */
  GArray                 *sources;           /* AssaySourceConcordance, W per source */
} AssayAgreementStat;

typedef struct
{
  guint   stat;             /* index into the report's stats */
  gint64  candidate_id;     /* 0 for a whole ranking */
  gint64  other_id;         /* comparisons: the second candidate; multi-choice: the option id */
  gint64  start;            /* span sets: the disagreeing words, in code points; else -1 */
  gint64  end;
  double  disagreement;     /* 0 < d <= 1 */
} AssayDisagreement;

typedef struct
{
  gint64  source_id;
  char   *ext_id;
  char   *title;
  double  disagreement;     /* the sum over its units */
  GArray *units;            /* AssayDisagreement, most disagreeing first */
} AssayDisagreementItem;

typedef struct
{
  GPtrArray *annotators;    /* AssayStatsAnnotator: the raters taken into account */
  GPtrArray *stats;         /* AssayAgreementStat, in template order */
  GPtrArray *items;         /* AssayDisagreementItem, most disagreeing first */
  AssayStatsData *data;     /* a reference: names the candidates */

  /* The rubric as a whole: one unit per candidate and criterion, pooled
   * over the criteria. Only when there are two or more criteria and all
   * share one scale (has_rubric is FALSE otherwise). */
  gboolean                has_rubric;
  int                     rubric_min;
  int                     rubric_max;
  AssayReliabilityResult  rubric;
} AssayAgreementReport;

AssayAgreementReport *assay_stats_compute_agreement (AssayStatsData            *data,
                                                     const AssayStatsOptions   *options,
                                                     GCancellable              *cancellable,
                                                     GError                   **error);
void      assay_agreement_report_free       (AssayAgreementReport *report);
/* What one unit of the statistic is: "candidate", "candidate-option" (a
 * multiple-choice set: one yes/no unit per candidate and option), "word"
 * (span sets), "source" (rankings) or "pair" (comparisons: a pair of
 * candidates of a source). The rubric's units are "candidate-criterion". */
const char *assay_agreement_stat_unit       (const AssayAgreementStat *stat);
/* (element-type AssayDisagreementItem) (transfer full): the items with
 * units of one statistic only, most disagreeing first. */
GPtrArray *assay_agreement_report_list_disagreements (AssayAgreementReport *report,
                                                      guint                 stat);
void      assay_disagreement_item_free      (AssayDisagreementItem *item);
/* The report as documented in docs/statistics.md. */
json_t   *assay_agreement_report_to_json    (AssayAgreementReport *report);

/* ---- the leaderboard ---- */

typedef enum
{
  ASSAY_METRIC_SCORE,           /* mean score on a criterion */
  ASSAY_METRIC_LABEL_RATE,      /* the share of raters giving a candidate label */
  ASSAY_METRIC_SPAN_SHARE,      /* the share of a span label among the model's spans of its set */
  ASSAY_METRIC_SPAN_RATE,       /* spans with that label per candidate and rater */
  ASSAY_METRIC_EDIT_DISTANCE,   /* word edit distance of the experts' corrections */
  ASSAY_METRIC_EDIT_RATE,       /* the same, per word of the candidate */
} AssayMetricKind;

typedef struct
{
  AssayMetricKind  kind;
  char            *set;         /* criterion or label set name; NULL for corrections */
  char            *option;      /* label option name; NULL otherwise */
  double           weight;      /* scores: normalised weight in the overall score */
  int              scale_min;   /* scores */
  int              scale_max;
} AssayMetricInfo;

typedef struct
{
  char          *model;
  guint          rank;           /* 1 is the best */
  guint64        n_candidates;   /* of the model that some counted annotator judged */
  AssayEstimate  overall;        /* weighted rubric score on 0..1 */
  AssayEstimate  strength;       /* Bradley-Terry log-strength, mean 0 */
  AssayEstimate  win_rate;
  AssayEstimate *metrics;        /* one per AssayMetricInfo */
} AssayModelStanding;

/* Whether the data separates two models next to each other in the order:
 * a paired bootstrap over the sources both were judged on, of the
 * difference in their per-source score (docs/statistics.md, "Separation"). */
typedef struct
{
  guint            better;       /* indexes into the board's models: the higher ranked */
  guint            worse;        /* the next one down */
  AssaySeparation  separation;   /* differences are the better model's score minus the worse's */
} AssayModelSeparation;

typedef struct
{
  GPtrArray *annotators;         /* AssayStatsAnnotator whose judgments count */
  GPtrArray *metrics;            /* AssayMetricInfo */
  GPtrArray *models;             /* AssayModelStanding, best first */
  double    *wins;               /* [i * n + j], models in that order: i's wins over j */
  double    *games;              /* [i * n + j]: comparisons between i and j */
  /* the same, from pairwise comparisons only and from rankings only */
  double    *comparison_wins;
  double    *comparison_games;
  double    *ranking_wins;
  double    *ranking_games;
  guint      n_samples;
  guint64    seed;
  double     level;
  double     bt_prior;           /* > 0: the strengths are a penalised estimate */
  /* FALSE if bt_prior is 0 and the maximum-likelihood strengths do not exist:
   * then every strength is NaN and bt_unbeaten names a group of models
   * that never lost to the rest (char *, best first). */
  gboolean   bt_exists;
  GPtrArray *bt_unbeaten;
  AssayRankBy ranked_by;         /* never AUTO */
  gboolean   ranked_by_strength; /* ranked_by == ASSAY_RANK_STRENGTH */
  /* One per pair of neighbours in the order, best pair first. The score
   * compared on each source is the overall score when the board is ranked
   * by it, else the win rate (a strength has no per-source value). */
  GArray    *separations;        /* AssayModelSeparation */
  AssayRankBy separation_score;  /* ASSAY_RANK_OVERALL or ASSAY_RANK_WIN_RATE */
  double     separation_power;   /* ASSAY_SEPARATION_POWER */
} AssayLeaderboard;

AssayLeaderboard *assay_stats_compute_leaderboard (AssayStatsData          *data,
                                                   const AssayStatsOptions *options,
                                                   GCancellable            *cancellable,
                                                   GError                 **error);
void      assay_leaderboard_free            (AssayLeaderboard *board);
/* The verdict on board->separations[pair] as a translated sentence, the
 * same in the CLI and the app: whether the data separates the two models,
 * and if not, about how many more reviewed sources would. */
char     *assay_leaderboard_describe_separation (AssayLeaderboard *board,
                                                 guint             pair);
/* "Separated", "Not separated", "Cannot tell" (translated). */
const char *assay_separation_verdict_get_label (AssaySeparationVerdict verdict);
json_t   *assay_leaderboard_to_json         (AssayLeaderboard *board);

/* ---- judge calibration ---- */

/* How well one judge agrees with one reference (an expert, the experts'
 * consensus or the gold) on one statistic, over the units both have. */
typedef struct
{
  guint64  n_units;         /* units (candidates, or candidate-options) both judged */
  double   alpha;           /* Krippendorff's alpha: interval for criteria, nominal for labels */
  double   kappa;           /* quadratic-weighted kappa (criteria), Cohen's kappa (labels) */
  double   rho;             /* Spearman's rho (criteria); NaN for labels */
  double   bias;            /* mean of the judge's score minus the reference's (criteria);
                             * NaN for labels */
  guint64 *confusion;       /* n_codes x n_codes: [judge * n_codes + reference]; NULL when
                             * the reference is not a point of the scale (a mean score) */
} AssayCalibrationAgreement;

typedef enum
{
  ASSAY_CALIBRATION_UNDECIDED,      /* the data cannot tell (see the reason) */
  ASSAY_CALIBRATION_STANDS_IN,      /* its agreement reaches the experts' own interval */
  ASSAY_CALIBRATION_FALLS_SHORT,    /* below the experts' own interval */
} AssayCalibrationVerdict;

typedef enum
{
  ASSAY_CALIBRATION_DECIDED,
  ASSAY_CALIBRATION_NO_EXPERT_PAIR, /* no two experts judged the same unit */
  ASSAY_CALIBRATION_NO_COMMON_UNIT, /* the judge's agreement with the experts is undefined */
  ASSAY_CALIBRATION_TOO_FEW_SOURCES,/* fewer than ASSAY_INTERVAL_MIN_SOURCES behind the ceiling */
  ASSAY_CALIBRATION_NO_INTERVAL,    /* the bootstrap gave no interval (no variation) */
} AssayCalibrationReason;

typedef struct
{
  AssayStatKind              kind;          /* ASSAY_STAT_LABELS or ASSAY_STAT_CRITERION */
  gint64                     id;            /* label set or criterion row id */
  char                      *name;
  char                      *title;         /* nullable */
  gboolean                   multi;         /* multi-choice set: yes/no units per option */
  int                        scale_min;     /* criteria */
  int                        scale_max;
  guint                      n_codes;       /* rows and columns of the confusion matrices */
  char                     **code_names;    /* n_codes: scale points, option names, or "no", "yes" */
  guint                      n_experts;
  AssayCalibrationAgreement *experts;       /* one per expert of the report, in its order */
  AssayCalibrationAgreement  consensus;     /* mean score, majority label */
  gboolean                   has_gold;
  AssayCalibrationAgreement  gold;          /* the adjudicated gold */
  double                     agreement;     /* mean over the experts of `alpha` with each */
  AssayEstimate              ceiling;       /* the experts' mean pairwise alpha, with its
                                             * bootstrap interval over sources; n: pairs */
  AssayCalibrationVerdict    verdict;
  AssayCalibrationReason     reason;
} AssayCalibrationStat;

typedef struct
{
  AssayStatsAnnotator *judge;
  GPtrArray           *stats;       /* AssayCalibrationStat, label sets then criteria */
} AssayJudgeCalibration;

typedef struct
{
  GPtrArray *experts;     /* AssayStatsAnnotator: persons, the judge excepted */
  GPtrArray *gold;        /* AssayStatsAnnotator: adjudicators, the judge excepted */
  GPtrArray *judges;      /* AssayJudgeCalibration, one per model annotator (or --judge) */
  guint      n_samples;
  guint64    seed;
  double     level;
} AssayCalibrationReport;

/* Calibrates each model annotator (or only `options->annotator`, of any
 * kind: a person is then calibrated against the other persons) against
 * the experts (persons) and the gold (adjudicators), on every candidate
 * label set and criterion. The kinds in the options are not used. */
AssayCalibrationReport *assay_stats_compute_calibration (AssayStatsData           *data,
                                                         const AssayStatsOptions  *options,
                                                         GCancellable             *cancellable,
                                                         GError                  **error);
void      assay_calibration_report_free     (AssayCalibrationReport *report);
/* "interval" for criteria, "nominal" for label sets. */
const char *assay_calibration_stat_level    (const AssayCalibrationStat *stat);
/* (transfer full): the one sentence that says whether the judge can stand
 * in for an expert on the statistic, with the experts' interval. */
char     *assay_calibration_stat_describe   (const AssayCalibrationStat *stat,
                                             const AssayStatsAnnotator  *judge);
/* The report as documented in docs/statistics.md. */
json_t   *assay_calibration_report_to_json  (AssayCalibrationReport *report);

/* Computes the calibration in a worker thread, from a snapshot that stays
 * unchanged (it is reference counted and only read). */
void      assay_stats_calibrate_async       (AssayStatsData           *data,
                                             const AssayStatsOptions  *options,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
/* (transfer full) */
AssayCalibrationReport *assay_stats_calibrate_finish (GAsyncResult  *result,
                                                      GError       **error);

/* ---- the queue's order "most informative first" ---- */

/* Every source of `data` (row ids), in the order that would separate the
 * neighbours of `board` (computed from `data`) soonest: first the sources
 * no counted annotator of the board has judged where the pairs it does
 * not separate differ most in their model annotators' judgments (the
 * difference of the judges' mean rubric scores on 0..1, plus the
 * difference of their labelled spans, e.g. pre-check findings, scaled as
 * |a - b| / (1 + max), summed over those pairs); then unreviewed sources
 * with candidates of such a pair but no model judgment on them, then the
 * other unreviewed sources, both in a random order fixed by `seed`; then
 * the reviewed sources, in import order. See docs/statistics.md. */
GArray   *assay_stats_informative_order     (AssayStatsData     *data,
                                             AssayLeaderboard   *board,
                                             guint64             seed);
/* The same on a project, with the default leaderboard (people's
 * judgments, 1000 samples, seed 0). */
GArray   *assay_stats_informative_order_for_project (AssayProject  *project,
                                                     guint64        seed,
                                                     GCancellable  *cancellable,
                                                     GError       **error);

/* ---- for the app ---- */

/* Loads the project at `path` through a connection of its own in a worker
 * thread and computes both reports. */
void      assay_stats_compute_async         (const char               *path,
                                             const AssayStatsOptions  *agreement_options,
                                             const AssayStatsOptions  *leaderboard_options,
                                             GCancellable             *cancellable,
                                             GAsyncReadyCallback       callback,
                                             gpointer                  user_data);
/* Both reports are the caller's. */
gboolean  assay_stats_compute_finish        (GAsyncResult             *result,
                                             AssayAgreementReport    **agreement,
                                             AssayLeaderboard        **leaderboard,
                                             GError                  **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayStatsData, assay_stats_data_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayAgreementReport, assay_agreement_report_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayLeaderboard, assay_leaderboard_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayCalibrationReport, assay_calibration_report_free)

G_END_DECLS
