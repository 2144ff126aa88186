/* assay-stats-rows.c: the rows of the statistics window's tables
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <math.h>

#include "assay-stats-rows.h"

#define RO (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS)

/* ---- a model on the leaderboard ---- */

struct _AssayStatsModelRow
{
  GObject parent_instance;

  guint rank;
  char *model;
  double overall;
  char *overall_markup;
  char *overall_tooltip;
  double strength;
  char *strength_markup;
  char *strength_tooltip;
  double win_rate;
  char *win_rate_text;
  guint64 candidates;
  char *candidates_text;
};

G_DEFINE_FINAL_TYPE (AssayStatsModelRow, assay_stats_model_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RANK,
  PROP_MODEL,
  PROP_OVERALL,
  PROP_OVERALL_MARKUP,
  PROP_OVERALL_TOOLTIP,
  PROP_STRENGTH,
  PROP_STRENGTH_MARKUP,
  PROP_STRENGTH_TOOLTIP,
  PROP_WIN_RATE,
  PROP_WIN_RATE_TEXT,
  PROP_CANDIDATES,
  PROP_CANDIDATES_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
assay_stats_model_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AssayStatsModelRow *self = ASSAY_STATS_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_RANK:
      g_value_set_uint (value, self->rank);
      break;
    case PROP_MODEL:
      g_value_set_string (value, self->model);
      break;
    case PROP_OVERALL:
      g_value_set_double (value, self->overall);
      break;
    case PROP_OVERALL_MARKUP:
      g_value_set_string (value, self->overall_markup);
      break;
    case PROP_OVERALL_TOOLTIP:
      g_value_set_string (value, self->overall_tooltip);
      break;
    case PROP_STRENGTH:
      g_value_set_double (value, self->strength);
      break;
    case PROP_STRENGTH_MARKUP:
      g_value_set_string (value, self->strength_markup);
      break;
    case PROP_STRENGTH_TOOLTIP:
      g_value_set_string (value, self->strength_tooltip);
      break;
    case PROP_WIN_RATE:
      g_value_set_double (value, self->win_rate);
      break;
    case PROP_WIN_RATE_TEXT:
      g_value_set_string (value, self->win_rate_text);
      break;
    case PROP_CANDIDATES:
      g_value_set_uint64 (value, self->candidates);
      break;
    case PROP_CANDIDATES_TEXT:
      g_value_set_string (value, self->candidates_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_stats_model_row_finalize (GObject *object)
{
  AssayStatsModelRow *self = ASSAY_STATS_MODEL_ROW (object);

  g_free (self->model);
  g_free (self->overall_markup);
  g_free (self->overall_tooltip);
  g_free (self->strength_markup);
  g_free (self->strength_tooltip);
  g_free (self->win_rate_text);
  g_free (self->candidates_text);

  G_OBJECT_CLASS (assay_stats_model_row_parent_class)->finalize (object);
}

static void
assay_stats_model_row_class_init (AssayStatsModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = assay_stats_model_row_get_property;
  object_class->finalize = assay_stats_model_row_finalize;

  properties[PROP_RANK] =
    g_param_spec_uint ("rank", NULL, NULL, 0, G_MAXUINT, 0, RO);
  properties[PROP_MODEL] =
    g_param_spec_string ("model", NULL, NULL, NULL, RO);
  properties[PROP_OVERALL] =
    g_param_spec_double ("overall", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  properties[PROP_OVERALL_MARKUP] =
    g_param_spec_string ("overall-markup", NULL, NULL, NULL, RO);
  properties[PROP_OVERALL_TOOLTIP] =
    g_param_spec_string ("overall-tooltip", NULL, NULL, NULL, RO);
  properties[PROP_STRENGTH] =
    g_param_spec_double ("strength", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  properties[PROP_STRENGTH_MARKUP] =
    g_param_spec_string ("strength-markup", NULL, NULL, NULL, RO);
  properties[PROP_STRENGTH_TOOLTIP] =
    g_param_spec_string ("strength-tooltip", NULL, NULL, NULL, RO);
  properties[PROP_WIN_RATE] =
    g_param_spec_double ("win-rate", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  properties[PROP_WIN_RATE_TEXT] =
    g_param_spec_string ("win-rate-text", NULL, NULL, NULL, RO);
  properties[PROP_CANDIDATES] =
    g_param_spec_uint64 ("candidates", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  properties[PROP_CANDIDATES_TEXT] =
    g_param_spec_string ("candidates-text", NULL, NULL, NULL, RO);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
assay_stats_model_row_init (AssayStatsModelRow *self)
{
}

/* Undefined values sort below every defined one. */
static double
sort_key (double value)
{
  return isnan (value) ? -G_MAXDOUBLE : value;
}

AssayStatsModelRow *
assay_stats_model_row_new (const AssayStatsModelRowData *data)
{
  AssayStatsModelRow *self = g_object_new (ASSAY_TYPE_STATS_MODEL_ROW, NULL);

  self->rank = data->rank;
  self->model = g_strdup (data->model);
  self->overall = sort_key (data->overall);
  self->overall_markup = g_strdup (data->overall_markup);
  self->overall_tooltip = g_strdup (data->overall_tooltip);
  self->strength = sort_key (data->strength);
  self->strength_markup = g_strdup (data->strength_markup);
  self->strength_tooltip = g_strdup (data->strength_tooltip);
  self->win_rate = sort_key (data->win_rate);
  self->win_rate_text = g_strdup (data->win_rate_text);
  self->candidates = data->candidates;
  self->candidates_text = g_strdup_printf ("%" G_GUINT64_FORMAT, data->candidates);
  return self;
}

/* ---- a statistic in the agreement table ---- */

struct _AssayStatsAgreementRow
{
  GObject parent_instance;

  guint position;
  char *title;
  gboolean indent;
  gboolean empty;
  double alpha;
  char *alpha_text;
  char *alpha_tooltip;
  char *band_text;
  char *band_css;
  char *band_tooltip;
  double kappa;
  char *kappa_text;
  char *kappa_tooltip;
  double agreement;
  char *agreement_text;
  char *agreement_tooltip;
  guint64 units;
  char *units_text;
  char *units_tooltip;
  guint raters;
  char *raters_text;
  double judge;
  char *judge_text;
  char *judge_tooltip;
  gboolean judge_below;
  char *more_text;
  guint stat;
  gint option;
  gboolean has_pairs;
};

G_DEFINE_FINAL_TYPE (AssayStatsAgreementRow, assay_stats_agreement_row, G_TYPE_OBJECT)

enum
{
  AG_PROP_0,
  AG_PROP_POSITION,
  AG_PROP_TITLE,
  AG_PROP_INDENT,
  AG_PROP_EMPTY,
  AG_PROP_ALPHA,
  AG_PROP_ALPHA_TEXT,
  AG_PROP_ALPHA_TOOLTIP,
  AG_PROP_BAND_TEXT,
  AG_PROP_BAND_CSS_NAME,
  AG_PROP_BAND_TOOLTIP,
  AG_PROP_KAPPA,
  AG_PROP_KAPPA_TEXT,
  AG_PROP_KAPPA_TOOLTIP,
  AG_PROP_AGREEMENT,
  AG_PROP_AGREEMENT_TEXT,
  AG_PROP_AGREEMENT_TOOLTIP,
  AG_PROP_UNITS,
  AG_PROP_UNITS_TEXT,
  AG_PROP_UNITS_TOOLTIP,
  AG_PROP_RATERS,
  AG_PROP_RATERS_TEXT,
  AG_PROP_JUDGE,
  AG_PROP_JUDGE_TEXT,
  AG_PROP_JUDGE_TOOLTIP,
  AG_PROP_JUDGE_BELOW,
  AG_PROP_MORE_TEXT,
  AG_PROP_STAT,
  AG_PROP_OPTION,
  AG_PROP_HAS_PAIRS,
  AG_PROP_TITLE_CSS,
  AG_PROP_CELL_CSS,
  AG_PROP_BAND_CSS,
  AG_PROP_JUDGE_CSS,
  AG_N_PROPS
};

static GParamSpec *ag_properties[AG_N_PROPS];

/* The CSS classes of a cell: numbers align right and use tabular digits; a
 * statistic nobody shares a unit on is shown quietly. */
static char **
css (AssayStatsAgreementRow *self,
     const char             *extra,
     gboolean                numeric)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **classes;

  if (numeric)
    g_strv_builder_add (builder, "numeric");
  if (self->empty)
    g_strv_builder_add (builder, "dim-label");
  if (extra != NULL)
    g_strv_builder_add (builder, extra);
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return classes;
}

static void
assay_stats_agreement_row_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  AssayStatsAgreementRow *self = ASSAY_STATS_AGREEMENT_ROW (object);

  switch (prop_id)
    {
    case AG_PROP_POSITION:
      g_value_set_uint (value, self->position);
      break;
    case AG_PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case AG_PROP_INDENT:
      g_value_set_boolean (value, self->indent);
      break;
    case AG_PROP_EMPTY:
      g_value_set_boolean (value, self->empty);
      break;
    case AG_PROP_ALPHA:
      g_value_set_double (value, self->alpha);
      break;
    case AG_PROP_ALPHA_TEXT:
      g_value_set_string (value, self->alpha_text);
      break;
    case AG_PROP_ALPHA_TOOLTIP:
      g_value_set_string (value, self->alpha_tooltip);
      break;
    case AG_PROP_BAND_TEXT:
      g_value_set_string (value, self->band_text);
      break;
    case AG_PROP_BAND_CSS_NAME:
      g_value_set_string (value, self->band_css);
      break;
    case AG_PROP_BAND_TOOLTIP:
      g_value_set_string (value, self->band_tooltip);
      break;
    case AG_PROP_KAPPA:
      g_value_set_double (value, self->kappa);
      break;
    case AG_PROP_KAPPA_TEXT:
      g_value_set_string (value, self->kappa_text);
      break;
    case AG_PROP_KAPPA_TOOLTIP:
      g_value_set_string (value, self->kappa_tooltip);
      break;
    case AG_PROP_AGREEMENT:
      g_value_set_double (value, self->agreement);
      break;
    case AG_PROP_AGREEMENT_TEXT:
      g_value_set_string (value, self->agreement_text);
      break;
    case AG_PROP_AGREEMENT_TOOLTIP:
      g_value_set_string (value, self->agreement_tooltip);
      break;
    case AG_PROP_UNITS:
      g_value_set_uint64 (value, self->units);
      break;
    case AG_PROP_UNITS_TEXT:
      g_value_set_string (value, self->units_text);
      break;
    case AG_PROP_UNITS_TOOLTIP:
      g_value_set_string (value, self->units_tooltip);
      break;
    case AG_PROP_RATERS:
      g_value_set_uint (value, self->raters);
      break;
    case AG_PROP_RATERS_TEXT:
      g_value_set_string (value, self->raters_text);
      break;
    case AG_PROP_JUDGE:
      g_value_set_double (value, self->judge);
      break;
    case AG_PROP_JUDGE_TEXT:
      g_value_set_string (value, self->judge_text);
      break;
    case AG_PROP_JUDGE_TOOLTIP:
      g_value_set_string (value, self->judge_tooltip);
      break;
    case AG_PROP_JUDGE_BELOW:
      g_value_set_boolean (value, self->judge_below);
      break;
    case AG_PROP_MORE_TEXT:
      g_value_set_string (value, self->more_text);
      break;
    case AG_PROP_STAT:
      g_value_set_uint (value, self->stat);
      break;
    case AG_PROP_OPTION:
      g_value_set_int (value, self->option);
      break;
    case AG_PROP_HAS_PAIRS:
      g_value_set_boolean (value, self->has_pairs);
      break;
    case AG_PROP_TITLE_CSS:
      g_value_take_boxed (value, css (self, self->indent ? "indent" : NULL, FALSE));
      break;
    case AG_PROP_CELL_CSS:
      g_value_take_boxed (value, css (self, NULL, TRUE));
      break;
    case AG_PROP_BAND_CSS:
      g_value_take_boxed (value, self->band_css != NULL
                                 ? g_strdupv ((char *[]) { "alpha-band", self->band_css, NULL })
                                 : g_new0 (char *, 1));
      break;
    case AG_PROP_JUDGE_CSS:
      g_value_take_boxed (value, css (self, self->judge_below ? "judge-below" : NULL, TRUE));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
assay_stats_agreement_row_finalize (GObject *object)
{
  AssayStatsAgreementRow *self = ASSAY_STATS_AGREEMENT_ROW (object);

  g_free (self->title);
  g_free (self->alpha_text);
  g_free (self->alpha_tooltip);
  g_free (self->band_text);
  g_free (self->band_css);
  g_free (self->band_tooltip);
  g_free (self->kappa_text);
  g_free (self->kappa_tooltip);
  g_free (self->agreement_text);
  g_free (self->agreement_tooltip);
  g_free (self->units_text);
  g_free (self->units_tooltip);
  g_free (self->raters_text);
  g_free (self->judge_text);
  g_free (self->judge_tooltip);
  g_free (self->more_text);

  G_OBJECT_CLASS (assay_stats_agreement_row_parent_class)->finalize (object);
}

static void
assay_stats_agreement_row_class_init (AssayStatsAgreementRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = assay_stats_agreement_row_get_property;
  object_class->finalize = assay_stats_agreement_row_finalize;

  ag_properties[AG_PROP_POSITION] =
    g_param_spec_uint ("position", NULL, NULL, 0, G_MAXUINT, 0, RO);
  ag_properties[AG_PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_INDENT] =
    g_param_spec_boolean ("indent", NULL, NULL, FALSE, RO);
  ag_properties[AG_PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, FALSE, RO);
  ag_properties[AG_PROP_ALPHA] =
    g_param_spec_double ("alpha", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  ag_properties[AG_PROP_ALPHA_TEXT] =
    g_param_spec_string ("alpha-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_ALPHA_TOOLTIP] =
    g_param_spec_string ("alpha-tooltip", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_BAND_TEXT] =
    g_param_spec_string ("band-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_BAND_CSS_NAME] =
    g_param_spec_string ("band-css-name", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_BAND_TOOLTIP] =
    g_param_spec_string ("band-tooltip", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_KAPPA] =
    g_param_spec_double ("kappa", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  ag_properties[AG_PROP_KAPPA_TEXT] =
    g_param_spec_string ("kappa-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_KAPPA_TOOLTIP] =
    g_param_spec_string ("kappa-tooltip", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_AGREEMENT] =
    g_param_spec_double ("agreement", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  ag_properties[AG_PROP_AGREEMENT_TEXT] =
    g_param_spec_string ("agreement-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_AGREEMENT_TOOLTIP] =
    g_param_spec_string ("agreement-tooltip", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_UNITS] =
    g_param_spec_uint64 ("units", NULL, NULL, 0, G_MAXUINT64, 0, RO);
  ag_properties[AG_PROP_UNITS_TEXT] =
    g_param_spec_string ("units-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_UNITS_TOOLTIP] =
    g_param_spec_string ("units-tooltip", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_RATERS] =
    g_param_spec_uint ("raters", NULL, NULL, 0, G_MAXUINT, 0, RO);
  ag_properties[AG_PROP_RATERS_TEXT] =
    g_param_spec_string ("raters-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_JUDGE] =
    g_param_spec_double ("judge", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, RO);
  ag_properties[AG_PROP_JUDGE_TEXT] =
    g_param_spec_string ("judge-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_JUDGE_TOOLTIP] =
    g_param_spec_string ("judge-tooltip", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_JUDGE_BELOW] =
    g_param_spec_boolean ("judge-below", NULL, NULL, FALSE, RO);
  ag_properties[AG_PROP_MORE_TEXT] =
    g_param_spec_string ("more-text", NULL, NULL, NULL, RO);
  ag_properties[AG_PROP_STAT] =
    g_param_spec_uint ("stat", NULL, NULL, 0, G_MAXUINT, 0, RO);
  ag_properties[AG_PROP_OPTION] =
    g_param_spec_int ("option", NULL, NULL, -1, G_MAXINT, -1, RO);
  ag_properties[AG_PROP_HAS_PAIRS] =
    g_param_spec_boolean ("has-pairs", NULL, NULL, FALSE, RO);
  ag_properties[AG_PROP_TITLE_CSS] =
    g_param_spec_boxed ("title-css", NULL, NULL, G_TYPE_STRV, RO);
  ag_properties[AG_PROP_CELL_CSS] =
    g_param_spec_boxed ("cell-css", NULL, NULL, G_TYPE_STRV, RO);
  ag_properties[AG_PROP_BAND_CSS] =
    g_param_spec_boxed ("band-css", NULL, NULL, G_TYPE_STRV, RO);
  ag_properties[AG_PROP_JUDGE_CSS] =
    g_param_spec_boxed ("judge-css", NULL, NULL, G_TYPE_STRV, RO);
  g_object_class_install_properties (object_class, AG_N_PROPS, ag_properties);
}

static void
assay_stats_agreement_row_init (AssayStatsAgreementRow *self)
{
}

AssayStatsAgreementRow *
assay_stats_agreement_row_new (const AssayStatsAgreementRowData *data)
{
  AssayStatsAgreementRow *self = g_object_new (ASSAY_TYPE_STATS_AGREEMENT_ROW, NULL);

  self->position = data->position;
  self->title = g_strdup (data->title);
  self->indent = data->indent;
  self->empty = data->empty;
  self->alpha = sort_key (data->alpha);
  self->alpha_text = g_strdup (data->alpha_text);
  self->alpha_tooltip = g_strdup (data->alpha_tooltip);
  self->band_text = g_strdup (data->band_text != NULL ? data->band_text : "");
  self->band_css = g_strdup (data->band_css);
  self->band_tooltip = g_strdup (data->band_tooltip);
  self->kappa = sort_key (data->kappa);
  self->kappa_text = g_strdup (data->kappa_text);
  self->kappa_tooltip = g_strdup (data->kappa_tooltip);
  self->agreement = sort_key (data->agreement);
  self->agreement_text = g_strdup (data->agreement_text);
  self->agreement_tooltip = g_strdup (data->agreement_tooltip);
  self->units = data->units;
  self->units_text = g_strdup (data->units_text);
  self->units_tooltip = g_strdup (data->units_tooltip);
  self->raters = data->raters;
  self->raters_text = g_strdup_printf ("%u", data->raters);
  self->judge = sort_key (data->judge);
  self->judge_text = g_strdup (data->judge_text);
  self->judge_tooltip = g_strdup (data->judge_tooltip);
  self->judge_below = data->judge_below;
  self->more_text = g_strdup (data->more_text != NULL ? data->more_text : "");
  self->stat = data->stat;
  self->option = data->option;
  self->has_pairs = data->has_pairs;
  return self;
}

guint
assay_stats_agreement_row_get_stat (AssayStatsAgreementRow *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_AGREEMENT_ROW (self), G_MAXUINT);

  return self->stat;
}

gint
assay_stats_agreement_row_get_option (AssayStatsAgreementRow *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_AGREEMENT_ROW (self), -1);

  return self->option;
}

gboolean
assay_stats_agreement_row_get_has_pairs (AssayStatsAgreementRow *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_AGREEMENT_ROW (self), FALSE);

  return self->has_pairs;
}

const char *
assay_stats_agreement_row_get_title (AssayStatsAgreementRow *self)
{
  g_return_val_if_fail (ASSAY_IS_STATS_AGREEMENT_ROW (self), NULL);

  return self->title;
}
