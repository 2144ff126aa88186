/* test-proposal-rule.c: which judgments are proposals, and when one is pending
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The core says, once, what of a model annotator's work an expert is shown
 * as a proposal and when the expert's own judgments have settled it; the
 * workbench only asks. These cases run on a copy of the demo.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "assay-core.h"

#define FIRST "podcast-small-margins-84"

typedef struct
{
  char          *dir;
  char          *path;
  AssayProject  *project;
  AssayTemplate *tmpl;
  gint64         source;
  gint64         judge;
  gint64         expert;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) demo = g_file_new_for_path (g_getenv ("ASSAY_DEMO_PROJECT"));
  g_autoptr(GFile) copy = NULL;

  f->dir = g_dir_make_tmp ("assay-proposals-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "demo.assay", NULL);
  copy = g_file_new_for_path (f->path);
  g_assert_true (g_file_copy (demo, copy, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  f->tmpl = assay_project_load_template (f->project, &error);
  g_assert_no_error (error);
  f->source = assay_project_lookup_source (f->project, FIRST);
  g_assert_true (assay_project_ensure_annotator (f->project, "model:small", "Small Model",
                                                 ASSAY_ANNOTATOR_MODEL, &f->judge, &error));
  g_assert_true (assay_project_ensure_annotator (f->project, "ada", "Ada", ASSAY_ANNOTATOR_PERSON,
                                                 &f->expert, &error));
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->tmpl, assay_template_unref);
  g_clear_object (&f->project);
  g_unlink (f->path);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
option (Fixture    *f,
        const char *set,
        const char *name)
{
  AssayLabelOption *o = assay_template_find_option (f->tmpl, set, name,
                                                    g_str_equal (set, "claims")
                                                      ? ASSAY_SCOPE_SPAN : ASSAY_SCOPE_CANDIDATE,
                                                    NULL, NULL);

  g_assert_nonnull (o);
  return o->id;
}

static void
set_label (Fixture    *f,
           gint64      candidate,
           gint64      annotator,
           const char *set,
           const char *name)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;
  gint64 id = option (f, set, name);

  g_assert_true (assay_project_set_labels (f->project, candidate, annotator,
                                           assay_template_find_label_set (f->tmpl, set)->id,
                                           &id, 1, &stamp, &error));
}

static void
set_score (Fixture    *f,
           gint64      candidate,
           gint64      annotator,
           const char *criterion,
           int         value)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;

  g_assert_true (assay_project_set_score (f->project, candidate, annotator,
                                          assay_template_find_criterion (f->tmpl, criterion)->id,
                                          value, NULL, &stamp, &error));
}

static void
add_span (Fixture    *f,
          gint64      candidate,
          gint64      annotator,
          gint64      start,
          gint64      end,
          const char *note)
{
  g_autoptr(GError) error = NULL;
  AssayStamp stamp = ASSAY_STAMP_INIT;

  g_assert_true (assay_project_save_span (f->project, 0, candidate, annotator, start, end,
                                          option (f, "claims", "unsupported"), note, NULL, 0,
                                          &stamp, NULL, &error));
}

/* The first candidate of the first item. */
static gint64
first_candidate (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = assay_project_load_item (f->project, f->source, f->expert, &error);

  g_assert_no_error (error);
  return ((AssayItemCandidate *) g_ptr_array_index (item->candidates, 0))->id;
}

static GPtrArray *
proposals (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *list = assay_project_load_proposals (f->project, f->tmpl, f->source, &error);

  g_assert_no_error (error);
  return list;
}

static AssayItem *
expert_item (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  AssayItem *item = assay_project_load_item (f->project, f->source, f->expert, &error);

  g_assert_no_error (error);
  return item;
}

/* A model's labels, scores and spans are proposals, in the order the
 * workbench offers them; a person's work never is. */
static void
test_load (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) list = NULL;
  gint64 c = first_candidate (f);
  AssayProposal *p;

  add_span (f, c, f->judge, 20, 30, "“14 sites” does not occur in the source");
  set_score (f, c, f->judge, "coverage", 4);
  set_score (f, c, f->judge, "faithfulness", 2);
  set_label (f, c, f->judge, "verdict", "reject");
  set_label (f, c, f->judge, "issues", "padding");
  set_label (f, c, f->expert, "issues", "omission");
  set_score (f, c, f->expert, "clarity", 3);

  list = proposals (f);
  g_assert_cmpuint (list->len, ==, 5);
  p = g_ptr_array_index (list, 0);
  g_assert_cmpint (p->kind, ==, ASSAY_PROPOSAL_LABEL);
  g_assert_cmpint (p->option_id, ==, option (f, "issues", "padding"));
  g_assert_cmpstr (p->annotator, ==, "model:small");
  g_assert_cmpstr (p->annotator_name, ==, "Small Model");
  p = g_ptr_array_index (list, 1);
  g_assert_cmpint (p->option_id, ==, option (f, "verdict", "reject"));
  p = g_ptr_array_index (list, 2);
  g_assert_cmpint (p->kind, ==, ASSAY_PROPOSAL_SCORE);
  g_assert_cmpint (p->criterion_id, ==, assay_template_find_criterion (f->tmpl, "faithfulness")->id);
  g_assert_cmpint (p->value, ==, 2);
  p = g_ptr_array_index (list, 3);
  g_assert_cmpint (p->criterion_id, ==, assay_template_find_criterion (f->tmpl, "coverage")->id);
  p = g_ptr_array_index (list, 4);
  g_assert_cmpint (p->kind, ==, ASSAY_PROPOSAL_SPAN);
  g_assert_cmpint (p->start, ==, 20);
  g_assert_cmpint (p->end, ==, 30);
  g_assert_cmpstr (p->text, ==, "“14 sites” does not occur in the source");
  for (guint i = 0; i < list->len; i++)
    g_assert_cmpint (((AssayProposal *) g_ptr_array_index (list, i))->candidate_id, ==, c);
}

/* An imported judge is a model annotator like any other. */
static void
test_imported_judge (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;

  list = assay_project_load_proposals (f->project, f->tmpl,
                                       assay_project_lookup_source (f->project, "consult-2291"),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, >, 0);
  for (guint i = 0; i < list->len; i++)
    {
      AssayProposal *p = g_ptr_array_index (list, i);

      g_assert_cmpstr (p->annotator, ==, "lumen-judge");
      g_assert_cmpstr (p->annotator_name, ==, "Lumen Judge");
    }
}

static gboolean
pending (Fixture *f,
         guint    index)
{
  g_autoptr(GPtrArray) list = proposals (f);
  g_autoptr(AssayItem) item = expert_item (f);

  return assay_proposal_is_pending (g_ptr_array_index (list, index), item, f->tmpl);
}

static gboolean
held (Fixture *f,
      guint    index)
{
  g_autoptr(GPtrArray) list = proposals (f);
  g_autoptr(AssayItem) item = expert_item (f);

  return assay_proposal_is_held (g_ptr_array_index (list, index), item);
}

/* Labels: in a multi-choice set the expert's other options leave it
 * pending; in a single-choice set another option settles it. */
static void
test_pending_labels (Fixture       *f,
                     gconstpointer  data)
{
  gint64 c = first_candidate (f);

  set_label (f, c, f->judge, "issues", "padding");    /* 0 */
  set_label (f, c, f->judge, "verdict", "reject");    /* 1 */
  g_assert_true (pending (f, 0));
  g_assert_true (pending (f, 1));

  set_label (f, c, f->expert, "issues", "omission");
  g_assert_true (pending (f, 0));
  set_label (f, c, f->expert, "issues", "padding");
  g_assert_false (pending (f, 0));
  g_assert_true (held (f, 0));

  set_label (f, c, f->expert, "verdict", "accept");
  g_assert_false (pending (f, 1));
  g_assert_false (held (f, 1));
}

/* Scores: any score of the expert's settles it; held only when equal. */
static void
test_pending_scores (Fixture       *f,
                     gconstpointer  data)
{
  gint64 c = first_candidate (f);

  set_score (f, c, f->judge, "faithfulness", 2);
  g_assert_true (pending (f, 0));
  set_score (f, c, f->expert, "faithfulness", 4);
  g_assert_false (pending (f, 0));
  g_assert_false (held (f, 0));
  set_score (f, c, f->expert, "faithfulness", 2);
  g_assert_true (held (f, 0));
}

/* Spans: a span of the expert's that overlaps settles it; one that only
 * touches it does not. */
static void
test_pending_spans (Fixture       *f,
                    gconstpointer  data)
{
  gint64 c = first_candidate (f);

  add_span (f, c, f->judge, 20, 30, NULL);
  add_span (f, c, f->expert, 30, 40, NULL);
  g_assert_true (pending (f, 0));
  add_span (f, c, f->expert, 25, 28, NULL);
  g_assert_false (pending (f, 0));
  g_assert_false (held (f, 0));
  add_span (f, c, f->expert, 20, 30, NULL);
  g_assert_true (held (f, 0));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/assay/proposals/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("load", test_load);
  ADD ("imported-judge", test_imported_judge);
  ADD ("pending-labels", test_pending_labels);
  ADD ("pending-scores", test_pending_scores);
  ADD ("pending-spans", test_pending_spans);
#undef ADD

  return g_test_run ();
}
