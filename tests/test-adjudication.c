/* test-adjudication.c: one definition of a disagreement, in the
 * statistics, `assay-cli agreement --json` and the adjudication model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <jansson.h>

#include "assay-adjudication.h"
#include "assay-core.h"
#include "assay-stats.h"
#include "assay-test-run.h"

typedef struct
{
  char         *dir;
  char         *path;
  AssayProject *project;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (g_getenv ("ASSAY_DEMO_PROJECT"));
  g_autoptr(GFile) to = NULL;

  f->dir = g_dir_make_tmp ("assay-adjudication-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "demo.assay", NULL);
  to = g_file_new_for_path (f->path);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  /* Models and reports keep no reference to the project. */
  g_assert_finalize_object (g_steal_pointer (&f->project));
  assay_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
annotator (Fixture    *f,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  gint64 annotator_id = 0;

  g_assert_true (assay_project_ensure_annotator (f->project, id, id, ASSAY_ANNOTATOR_PERSON,
                                                 &annotator_id, &error));
  g_assert_no_error (error);
  return annotator_id;
}

static gint64
candidate (Fixture    *f,
           const char *source,
           const char *ext)
{
  gint64 id = assay_project_lookup_candidate (f->project,
                                              assay_project_lookup_source (f->project, source),
                                              ext);

  g_assert_cmpint (id, >, 0);
  return id;
}

static AssayTemplate *
template (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  AssayTemplate *tmpl = assay_project_load_template (f->project, &error);

  g_assert_no_error (error);
  return tmpl;
}

static void
score (Fixture    *f,
       gint64      cand,
       gint64      who,
       const char *name,
       int         value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = template (f);

  g_assert_true (assay_project_set_score (f->project, cand, who,
                                          assay_template_find_criterion (tmpl, name)->id, value,
                                          NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
label (Fixture    *f,
       gint64      cand,
       gint64      who,
       const char *set,
       const char *option)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = template (f);
  AssayLabelSet *found = NULL;
  AssayLabelOption *opt = assay_template_find_option (tmpl, set, option, ASSAY_SCOPE_CANDIDATE,
                                                      &found, NULL);

  g_assert_nonnull (opt);
  g_assert_true (assay_project_set_labels (f->project, cand, who, found->id, &opt->id, 1, NULL,
                                           &error));
  g_assert_no_error (error);
}

static void
span (Fixture    *f,
      gint64      cand,
      gint64      who,
      gint64      start,
      gint64      end,
      const char *option)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = template (f);
  AssayLabelOption *opt = assay_template_find_option (tmpl, "claims", option, ASSAY_SCOPE_SPAN,
                                                      NULL, NULL);

  g_assert_true (assay_project_save_span (f->project, 0, cand, who, start, end, opt->id, NULL,
                                          NULL, 0, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
status (Fixture     *f,
        const char  *source,
        gint64       who,
        AssayStatus  value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_set_status (f->project, assay_project_lookup_source (f->project,
                                                                                    source),
                                           who, value, NULL, &error));
  g_assert_no_error (error);
}

/* ---- the three lists, as "source: block" strings ---- */

/* A unit as the block of the adjudication view it belongs to. */
static char *
block_key (const char *kind,
           const char *name,
           const char *cand,
           const char *other)
{
  if (g_str_equal (kind, "labels") || g_str_equal (kind, "criterion"))
    return g_strdup_printf ("%s %s of %s", kind, name, cand);
  if (g_str_equal (kind, "spans") || g_str_equal (kind, "correction"))
    return g_strdup_printf ("%s of %s", kind, cand);
  if (g_str_equal (kind, "ranking"))
    return g_strdup ("ranking");
  g_assert_cmpstr (kind, ==, "comparison");
  /* Either side first. */
  if (g_strcmp0 (cand, other) > 0)
    return g_strdup_printf ("comparison of %s and %s", other, cand);
  return g_strdup_printf ("comparison of %s and %s", cand, other);
}

static void
add_key (GPtrArray  *keys,
         const char *source,
         char       *key)
{
  g_autofree char *owned = key;
  g_autofree char *full = g_strdup_printf ("%s: %s", source, key);

  for (guint i = 0; i < keys->len; i++)
    if (g_str_equal (g_ptr_array_index (keys, i), full))
      return;
  g_ptr_array_add (keys, g_steal_pointer (&full));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
join_sorted (GPtrArray *keys)
{
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);
  return g_strjoinv ("\n", (char **) keys->pdata);
}

static char *
report_list (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayStatsData) data = assay_stats_data_load (f->project, NULL, &error);
  g_autoptr(AssayAgreementReport) report = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  static const char *kinds[] = { "labels", "spans", "criterion", "ranking", "comparison",
                                 "correction" };

  g_assert_no_error (error);
  /* The adjudication view's raters: people and LLM judges. */
  {
    AssayStatsOptions options;

    assay_stats_options_init (&options);
    options.kinds = ASSAY_STATS_RATERS;
    report = assay_stats_compute_agreement (data, &options, NULL, &error);
  }
  g_assert_no_error (error);

  for (guint s = 0; s < report->stats->len; s++)
    {
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, s);
      /* What the statistics window lists, one statistic at a time. */
      g_autoptr(GPtrArray) items = assay_agreement_report_list_disagreements (report, s);

      for (guint i = 0; i < items->len; i++)
        {
          AssayDisagreementItem *item = g_ptr_array_index (items, i);

          for (guint u = 0; u < item->units->len; u++)
            {
              AssayDisagreement *d = &g_array_index (item->units, AssayDisagreement, u);
              const char *cand = NULL, *other = NULL;

              assay_stats_data_describe_candidate (data, d->candidate_id, &cand, NULL, NULL);
              assay_stats_data_describe_candidate (data, d->other_id, &other, NULL, NULL);
              add_key (keys, item->ext_id, block_key (kinds[stat->kind], stat->name, cand, other));
            }
        }
    }
  return join_sorted (keys);
}

static char *
cli_list (Fixture *f)
{
  g_auto(AssayTestRun) r = { 0, };
  g_autoptr(json_t) root = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  json_t *items;
  json_error_t jerror;

  assay_test_run_cli (&r, "agreement", "--json", "--annotators", "people,models", f->path,
                      NULL);
  g_assert_cmpint (r.status, ==, 0);
  root = json_loads (r.out, 0, &jerror);
  g_assert_nonnull (root);
  items = json_object_get (root, "disagreements");
  for (gsize i = 0; i < json_array_size (items); i++)
    {
      json_t *item = json_array_get (items, i);
      json_t *units = json_object_get (item, "units");

      for (gsize u = 0; u < json_array_size (units); u++)
        {
          json_t *unit = json_array_get (units, u);

          add_key (keys, json_string_value (json_object_get (item, "source")),
                   block_key (json_string_value (json_object_get (unit, "kind")),
                              json_string_value (json_object_get (unit, "name")),
                              json_string_value (json_object_get (unit, "candidate")),
                              json_string_value (json_object_get (unit, "other"))));
        }
    }
  return join_sorted (keys);
}

static const char *
ext_of (AssayItem *base,
        gint64     id)
{
  AssayItemCandidate *c = assay_item_find_candidate (base, id);

  return c != NULL ? c->ext_id : NULL;
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  AssayAdjudication **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = assay_adjudication_load_finish (result, &error);
  g_assert_no_error (error);
}

static AssayAdjudication *
load_async (Fixture *f,
            gint64   source_id)
{
  AssayAdjudication *model = NULL;

  assay_adjudication_load_async (f->project, source_id, "gold:lead", NULL, loaded_cb, &model);
  while (model == NULL)
    g_main_context_iteration (NULL, TRUE);
  return model;
}

static char *
model_list (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
  const char *sources[] = { "consult-2291", "earnings-halden-q3-fy26",
                            "investigation-interview-0312", "lecture-opm2140-07",
                            "podcast-small-margins-84", "support-call-7731" };

  for (guint s = 0; s < G_N_ELEMENTS (sources); s++)
    {
      g_autoptr(AssayAdjudication) model = NULL;
      GPtrArray *blocks;
      AssayItem *base;

      model = load_async (f, assay_project_lookup_source (f->project, sources[s]));
      base = assay_adjudication_get_source (model);
      blocks = assay_adjudication_get_blocks (model);
      for (guint i = 0; i < blocks->len; i++)
        {
          AssayAdjudicationBlock *block = g_ptr_array_index (blocks, i);
          const char *cand = ext_of (base, block->candidate_id);
          char *key = NULL;

          if (!block->disagreement)
            continue;
          switch (block->kind)
            {
            case ASSAY_BLOCK_LABELS:
              key = block_key ("labels", block->set->name, cand, NULL);
              break;
            case ASSAY_BLOCK_SCORE:
              key = block_key ("criterion", block->criterion->name, cand, NULL);
              break;
            case ASSAY_BLOCK_SPANS:
              key = block_key ("spans", NULL, cand, NULL);
              break;
            case ASSAY_BLOCK_CORRECTION:
              key = block_key ("correction", NULL, cand, NULL);
              break;
            case ASSAY_BLOCK_RANKING:
              key = block_key ("ranking", NULL, NULL, NULL);
              break;
            case ASSAY_BLOCK_COMPARISON:
              key = block_key ("comparison", NULL, ext_of (base, block->a),
                               ext_of (base, block->b));
              break;
            default:
              g_assert_not_reached ();
            }
          add_key (keys, sources[s], key);
        }
      g_assert_finalize_object (g_steal_pointer (&model));
    }
  return join_sorted (keys);
}

/* ---- tests ---- */

static void
make_blind (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = template (f);

  tmpl->blind = TRUE;
  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  g_assert_no_error (error);
}

static void
test_same_lists (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *from_report = NULL;
  g_autofree char *from_cli = NULL;
  g_autofree char *from_model = NULL;
  gint64 ann = annotator (f, "ann");
  gint64 bob = annotator (f, "bob");
  g_autoptr(GError) error = NULL;

  make_blind (f);
  /* Scores, a verdict, spans and a comparison on the support call, a
   * verdict on the consult; Bob skips the podcast. */
  score (f, candidate (f, "support-call-7731", "c1"), ann, "coverage", 2);
  score (f, candidate (f, "support-call-7731", "c1"), bob, "coverage", 4);
  score (f, candidate (f, "support-call-7731", "c2"), ann, "clarity", 3);
  score (f, candidate (f, "support-call-7731", "c2"), bob, "clarity", 3);
  label (f, candidate (f, "support-call-7731", "c3"), ann, "verdict", "accept");
  label (f, candidate (f, "support-call-7731", "c3"), bob, "verdict", "reject");
  span (f, candidate (f, "support-call-7731", "c2"), ann, 0, 40, "contradicted");
  span (f, candidate (f, "support-call-7731", "c2"), bob, 0, 40, "supported");
  g_assert_true (assay_project_set_comparison (f->project,
                                               assay_project_lookup_source (f->project,
                                                                            "support-call-7731"),
                                               ann, candidate (f, "support-call-7731", "c1"),
                                               candidate (f, "support-call-7731", "c3"),
                                               ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project,
                                               assay_project_lookup_source (f->project,
                                                                            "support-call-7731"),
                                               bob, candidate (f, "support-call-7731", "c3"),
                                               candidate (f, "support-call-7731", "c1"),
                                               ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_no_error (error);
  label (f, candidate (f, "consult-2291", "c1"), ann, "verdict", "accept");
  label (f, candidate (f, "consult-2291", "c1"), bob, "verdict", "reject");
  status (f, "podcast-small-margins-84", bob, ASSAY_STATUS_SKIPPED);

  from_report = report_list (f);
  from_cli = cli_list (f);
  from_model = model_list (f);
  g_test_message ("disagreements:\n%s", from_report);
  /* Something to compare, and the same three times. */
  g_assert_nonnull (strstr (from_report, "support-call-7731: criterion coverage of c1"));
  g_assert_nonnull (strstr (from_report, "support-call-7731: comparison of c1 and c3"));
  g_assert_nonnull (strstr (from_report, "consult-2291: labels verdict of c1"));
  g_assert_cmpstr (from_cli, ==, from_report);
  g_assert_cmpstr (from_model, ==, from_report);
}

/* The model lists candidates and pairs in the order the reviewers saw,
 * so that letters run A, B, C down the view of a blind project. */
static void
test_display_order (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAdjudication) model = NULL;
  gint64 source = assay_project_lookup_source (f->project, "support-call-7731");
  gint64 ann = annotator (f, "ann");
  GPtrArray *candidates, *blocks;
  gboolean shuffled = FALSE;
  guint pair = 0;

  make_blind (f);
  g_assert_true (assay_project_set_comparison (f->project, source, ann,
                                               candidate (f, "support-call-7731", "c1"),
                                               candidate (f, "support-call-7731", "c2"),
                                               ASSAY_WINNER_A, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, source, ann,
                                               candidate (f, "support-call-7731", "c3"),
                                               candidate (f, "support-call-7731", "c2"),
                                               ASSAY_WINNER_B, NULL, NULL, &error));
  g_assert_true (assay_project_set_comparison (f->project, source, ann,
                                               candidate (f, "support-call-7731", "c1"),
                                               candidate (f, "support-call-7731", "c3"),
                                               ASSAY_WINNER_B, NULL, NULL, &error));
  g_assert_no_error (error);

  model = assay_adjudication_load (f->project, source, "gold:lead", NULL, &error);
  g_assert_no_error (error);
  candidates = assay_adjudication_get_candidates (model);
  g_assert_cmpuint (candidates->len, ==, 3);
  for (guint i = 0; i < candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (candidates, i);
      g_autofree char *letter = assay_adjudication_candidate_letter (model, c->id);
      g_autofree char *expected = assay_candidate_letter_for_position (i);

      g_assert_cmpstr (letter, ==, expected);
      if (c->position != (int) i)
        shuffled = TRUE;
    }
  /* The demo's support call is shuffled when blind: else this proves nothing. */
  g_assert_true (shuffled);

  blocks = assay_adjudication_get_blocks (model);
  for (guint i = 0; i < blocks->len; i++)
    {
      AssayAdjudicationBlock *block = g_ptr_array_index (blocks, i);
      const char *expected[][2] = { { "A", "B" }, { "A", "C" }, { "B", "C" } };
      g_autofree char *a = NULL, *b = NULL;

      if (block->kind != ASSAY_BLOCK_COMPARISON)
        continue;
      a = assay_adjudication_candidate_letter (model, block->a);
      b = assay_adjudication_candidate_letter (model, block->b);
      g_assert_cmpuint (pair, <, 3);
      g_assert_cmpstr (a, ==, expected[pair][0]);
      g_assert_cmpstr (b, ==, expected[pair][1]);
      pair++;
    }
  g_assert_cmpuint (pair, ==, 3);
  g_assert_finalize_object (g_steal_pointer (&model));
}

/* Skipping says nothing: it made Sam a rater of "no spans" against the
 * judge's spans, and the list opened on it while the view said "No
 * disagreements". */
static void
test_skipped (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayAdjudication) model = NULL;
  g_autofree char *from_report = NULL;
  g_autofree char *from_cli = NULL;
  gint64 sam = annotator (f, "sam");
  gint64 source = assay_project_lookup_source (f->project, "support-call-7731");
  guint settled = 0;

  /* Sam marks spans elsewhere, so "no spans" would be a value of Sam's. */
  span (f, candidate (f, "consult-2291", "c1"), sam, 0, 20, "supported");
  status (f, "consult-2291", sam, ASSAY_STATUS_DONE);
  status (f, "support-call-7731", sam, ASSAY_STATUS_SKIPPED);

  from_report = report_list (f);
  from_cli = cli_list (f);
  g_assert_null (strstr (from_report, "support-call-7731"));
  g_assert_cmpstr (from_cli, ==, from_report);

  model = assay_adjudication_load (f->project, source, "gold:lead", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assay_adjudication_count_disagreements (model, &settled), ==, 0);
  for (guint i = 0; i < assay_adjudication_get_annotators (model)->len; i++)
    {
      GPtrArray *annotators = assay_adjudication_get_annotators (model);
      AssayAdjudicationAnnotator *who = g_ptr_array_index (annotators, i);
      GPtrArray *blocks = assay_adjudication_get_blocks (model);

      if (!g_str_equal (who->ext_id, "sam"))
        continue;
      /* A skipped source holds no value of Sam's. */
      for (guint b = 0; b < blocks->len; b++)
        g_assert_false (assay_adjudication_has_value (model, g_ptr_array_index (blocks, b), i));
    }

  /* Done with no spans, Sam says "no spans" against the judge's spans. */
  status (f, "support-call-7731", sam, ASSAY_STATUS_DONE);
  g_assert_finalize_object (g_steal_pointer (&model));
  model = assay_adjudication_load (f->project, source, "gold:lead", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (assay_adjudication_count_disagreements (model, NULL), >, 0);
  g_clear_pointer (&from_report, g_free);
  from_report = report_list (f);
  g_assert_nonnull (strstr (from_report, "support-call-7731: spans of"));
  g_assert_finalize_object (g_steal_pointer (&model));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/assay/adjudication/same-lists-blind", Fixture, NULL, fixture_setup,
              test_same_lists, fixture_teardown);
  g_test_add ("/assay/adjudication/display-order", Fixture, NULL, fixture_setup,
              test_display_order, fixture_teardown);
  g_test_add ("/assay/adjudication/skipped", Fixture, NULL, fixture_setup, test_skipped,
              fixture_teardown);
  return g_test_run ();
}
