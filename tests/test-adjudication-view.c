/* test-adjudication-view.c: annotators side by side and the gold judgment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <jansson.h>

#include "assay-adjudication-view.h"
#include "assay-test-run.h"
#include "assay-test-ui.h"

#define SOURCE "support-call-7731"
/* The lead rated the source too: the gold must stay apart from that. */
#define LEAD_ID "osei"
#define LEAD_NAME "Dr. Amara Osei"
#define GOLD_ID "gold:osei"

typedef struct
{
  char                  *path;
  AssayProject          *project;
  gint64                 source_id;
  gint64                 c[3];           /* c1, c2, c3: A, B, C */
  char                  *osei_fix;       /* corrections of B */
  char                  *lee_fix;
  char                  *raters_before;  /* dump of the raters' judgments */
  AssayAdjudicationView *view;
  GtkWindow             *window;
  guint                  changed;
} Fixture;

/* ---- the project ---- */

static gint64
annotator (AssayProject *project,
           const char   *id,
           const char   *name,
           int           kind)
{
  g_autoptr(GError) error = NULL;
  gint64 annotator_id = 0;

  g_assert_true (assay_project_ensure_annotator (project, id, name, kind, &annotator_id, &error));
  g_assert_no_error (error);
  return annotator_id;
}

static gint64
option (AssayProject *project,
        const char   *set,
        const char   *name)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, NULL);
  AssayLabelOption *found = assay_template_find_option (tmpl, set, name, ASSAY_SCOPE_CANDIDATE,
                                                        NULL, NULL);

  if (found == NULL)
    found = assay_template_find_option (tmpl, set, name, ASSAY_SCOPE_SPAN, NULL, NULL);
  g_assert_nonnull (found);
  return found->id;
}

static gint64
label_set (AssayProject *project,
           const char   *name)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, NULL);

  return assay_template_find_label_set (tmpl, name)->id;
}

static gint64
criterion (AssayProject *project,
           const char   *name)
{
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (project, NULL);

  return assay_template_find_criterion (tmpl, name)->id;
}

static void
score (AssayProject *project,
       gint64        candidate,
       gint64        who,
       const char   *name,
       int           value,
       const char   *rationale)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (assay_project_set_score (project, candidate, who, criterion (project, name),
                                          value, rationale, NULL, &error));
  g_assert_no_error (error);
}

static void
labels (AssayProject *project,
        gint64        candidate,
        gint64        who,
        const char   *set,
        const char   *first,
        const char   *second)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[2];
  guint n = 0;

  if (first != NULL)
    ids[n++] = option (project, set, first);
  if (second != NULL)
    ids[n++] = option (project, set, second);
  g_assert_true (assay_project_set_labels (project, candidate, who, label_set (project, set), ids,
                                           n, NULL, &error));
  g_assert_no_error (error);
}

static void
ranking (AssayProject *project,
         gint64        source,
         gint64        who,
         gint64        first,
         gint64        second,
         gint64        third)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[] = { first, second, third };
  int ranks[] = { 1, 2, 3 };

  g_assert_true (assay_project_set_ranking (project, source, who, ids, ranks, 3, NULL, &error));
  g_assert_no_error (error);
}

static char *
replace (const char *text,
         const char *old,
         const char *new)
{
  g_auto(GStrv) parts = g_strsplit (text, old, -1);

  g_assert_cmpuint (g_strv_length (parts), >, 1);
  return g_strjoinv (new, parts);
}

/* Two experts and the LLM judge of the demo disagree on a score each of A
 * and B, the issues of B, the verdict on C, the ranking, the comparison of
 * A and B, the spans and the correction of B, and nothing else they chose.
 * Dr. Osei and Dr. Lee judged A without marking issues, where the judge
 * marked some, and Dr. Osei marked no spans in C, where the judge did: by
 * the one definition (assay-adjudication.h) those are disagreements too. */
static void
add_raters (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = NULL;
  AssayProject *p = f->project;
  gint64 osei = annotator (p, LEAD_ID, LEAD_NAME, ASSAY_ANNOTATOR_PERSON);
  gint64 lee = annotator (p, "lee", "Dr. Jonas Lee", ASSAY_ANNOTATOR_PERSON);
  AssayItemCandidate *b;

  f->source_id = assay_project_lookup_source (p, SOURCE);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *ext = g_strdup_printf ("c%u", i + 1);

      f->c[i] = assay_project_lookup_candidate (p, f->source_id, ext);
      g_assert_cmpint (f->c[i], !=, 0);
    }

  score (p, f->c[1], osei, "faithfulness", 2, "Refunds one payment of $64.99, not two.");
  score (p, f->c[0], osei, "coverage", 2, "Misses the refund and the credit.");
  score (p, f->c[1], lee, "faithfulness", 3, "Only the refund total is off.");
  score (p, f->c[0], lee, "coverage", 1, "Misses why she called.");

  labels (p, f->c[1], osei, "issues", "wrong-number", NULL);
  labels (p, f->c[1], osei, "verdict", "reject", NULL);
  labels (p, f->c[2], osei, "verdict", "accept", NULL);
  labels (p, f->c[1], lee, "issues", "padding", "wrong-number");
  labels (p, f->c[1], lee, "verdict", "reject", NULL);
  labels (p, f->c[2], lee, "verdict", "reject", NULL);

  ranking (p, f->source_id, osei, f->c[2], f->c[0], f->c[1]);
  ranking (p, f->source_id, lee, f->c[2], f->c[1], f->c[0]);

  g_assert_true (assay_project_set_comparison (p, f->source_id, osei, f->c[0], f->c[1],
                                               ASSAY_WINNER_A, "A is right, if short.", NULL,
                                               &error));
  /* Stored the other way round: B wins. */
  g_assert_true (assay_project_set_comparison (p, f->source_id, lee, f->c[1], f->c[0],
                                               ASSAY_WINNER_A, "B has the refund, A does not.",
                                               NULL, &error));
  g_assert_no_error (error);

  g_assert_true (assay_project_save_span (p, 0, f->c[1], osei, 257, 276,
                                          option (p, "claims", "unsupported"),
                                          "<b>Not</b> in the call as stated.", NULL, 0, NULL, NULL,
                                          &error));
  g_assert_no_error (error);

  item = assay_project_load_item (p, f->source_id, 0, &error);
  g_assert_no_error (error);
  b = assay_item_find_candidate (item, f->c[1]);
  f->osei_fix = replace (b->text, "$129.98", "$64.99");
  f->lee_fix = replace (b->text, " The agent was friendly and professional throughout the call.",
                        "");
  g_assert_true (assay_project_set_correction (p, f->c[1], osei, f->osei_fix, NULL, &error));
  g_assert_true (assay_project_set_correction (p, f->c[1], lee, f->lee_fix, NULL, &error));
  g_assert_no_error (error);
}

/* Everything an annotator judged on the source, as text to compare. */
static char *
dump_item (AssayItem *item)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "status %d\n", item->status);
  for (guint i = 0; i < item->candidates->len; i++)
    {
      AssayItemCandidate *c = g_ptr_array_index (item->candidates, i);
      g_autoptr(GList) keys = g_hash_table_get_keys (c->scores);
      gint64 last = 0;

      g_string_append_printf (out, "candidate %s rank %d correction %s\n", c->ext_id, c->rank,
                              c->correction != NULL ? c->correction : "-");
      for (guint j = 0; j < c->labels->len; j++)
        g_string_append_printf (out, " label %" G_GINT64_FORMAT "\n",
                                g_array_index (c->labels, gint64, j));
      for (guint j = 0; j < c->spans->len; j++)
        {
          AssayItemSpan *s = g_ptr_array_index (c->spans, j);

          g_string_append_printf (out, " span %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT
                                  " %" G_GINT64_FORMAT " %s", s->start, s->end, s->option_id,
                                  s->note != NULL ? s->note : "-");
          for (guint k = 0; k < s->evidence->len; k++)
            g_string_append_printf (out, " [%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ")",
                                    g_array_index (s->evidence, AssayRange, k).start,
                                    g_array_index (s->evidence, AssayRange, k).end);
          g_string_append_c (out, '\n');
        }
      /* Criteria in id order, so that two dumps compare. */
      for (guint n = g_list_length (keys), done = 0; done < n; done++)
        {
          gint64 best = G_MAXINT64;
          AssayItemScore *s;

          for (GList *l = keys; l != NULL; l = l->next)
            if (*(gint64 *) l->data < best && (done == 0 || *(gint64 *) l->data > last))
              best = *(gint64 *) l->data;
          last = best;
          s = g_hash_table_lookup (c->scores, &best);
          g_string_append_printf (out, " score %" G_GINT64_FORMAT " %d %s\n", best, s->value,
                                  s->rationale != NULL ? s->rationale : "-");
        }
    }
  for (guint i = 0; i < item->comparisons->len; i++)
    {
      AssayItemComparison *c = g_ptr_array_index (item->comparisons, i);

      g_string_append_printf (out, "comparison %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %d %s\n",
                              c->a, c->b, c->winner, c->rationale != NULL ? c->rationale : "-");
    }
  return g_string_free (out, FALSE);
}

static char *
dump_raters (const char *path,
             gint64      source_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (path, &error);
  const char *ids[] = { "lumen-judge", LEAD_ID, "lee" };
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(AssayItem) item = NULL;
      g_autofree char *dump = NULL;

      item = assay_project_load_item (project, source_id,
                                      assay_project_lookup_annotator (project, ids[i]), &error);
      g_assert_no_error (error);
      dump = dump_item (item);
      g_string_append_printf (out, "== %s\n%s", ids[i], dump);
    }
  return g_string_free (out, FALSE);
}

/* ---- the view ---- */

static void
changed_cb (AssayAdjudicationView *view,
            Fixture               *f)
{
  f->changed++;
}

/* The view reads the source in a worker thread. */
static void
wait_loaded (AssayAdjudicationView *view)
{
  gint64 end = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

  while (assay_adjudication_view_get_loading (view) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (assay_adjudication_view_get_loading (view));
}

static void
open_view (Fixture *f,
           int      width,
           int      height)
{
  g_autoptr(GError) error = NULL;

  f->view = ASSAY_ADJUDICATION_VIEW (assay_adjudication_view_new (f->project, LEAD_ID,
                                                                  LEAD_NAME));
  g_signal_connect (f->view, "changed", G_CALLBACK (changed_cb), f);
  g_assert_true (assay_adjudication_view_set_source (f->view, f->source_id, &error));
  g_assert_no_error (error);
  /* Reading never blocks: the view says it is reading first. */
  g_assert_true (assay_adjudication_view_get_loading (f->view));
  wait_loaded (f->view);
  f->window = assay_test_window (GTK_WIDGET (f->view), width, height);
}

static void
close_view (Fixture *f)
{
  g_clear_pointer (&f->window, gtk_window_destroy);
  f->view = NULL;
  assay_test_iterate (20);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->path = assay_test_copy_demo ();
  f->project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  add_raters (f);
  f->raters_before = dump_raters (f->path, f->source_id);
  open_view (f, 1000, 720);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  close_view (f);
  g_clear_object (&f->project);
  assay_test_remove_copy (f->path);
  g_free (f->path);
  g_free (f->osei_fix);
  g_free (f->lee_fix);
  g_free (f->raters_before);
}

/* Like assay_test_find_accessible, but hidden blocks are found too. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                  name);

  if (mismatch == NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_block (Fixture    *f,
            const char *name)
{
  GtkWidget *block = find_named (GTK_WIDGET (f->view), name);

  if (block == NULL)
    g_error ("no block “%s”", name);
  return block;
}

static GtkWidget *
find_class (GtkWidget  *root,
            const char *css_class,
            const char *css_class2)
{
  if (gtk_widget_has_css_class (root, css_class) &&
      (css_class2 == NULL || gtk_widget_has_css_class (root, css_class2)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_class (child, css_class, css_class2);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A disagreement is marked in words, not by colour alone. */
static gboolean
marked (Fixture    *f,
        const char *name)
{
  GtkWidget *block = find_block (f, name);
  GtkWidget *badge = find_class (block, "adj-tag", "warning");
  gboolean bar = gtk_widget_has_css_class (block, "disagreement");

  g_assert_nonnull (badge);
  g_assert_cmpint (gtk_widget_get_visible (badge), ==, bar);
  if (bar)
    g_assert_nonnull (assay_test_find_labelled (badge, "Disagreement"));
  return bar && gtk_widget_get_mapped (badge);
}

static const char *
gold_text (Fixture    *f,
           const char *name)
{
  GtkWidget *label = find_class (find_block (f, name), "adj-gold-state", NULL);

  g_assert_nonnull (label);
  return gtk_label_get_text (GTK_LABEL (label));
}

static GtkWidget *
find_label_text (GtkWidget  *root,
                 const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static const char *
state (Fixture *f)
{
  GtkWidget *box = find_class (GTK_WIDGET (f->view), "adj-state", NULL);
  GtkWidget *label = assay_test_find_type (box, GTK_TYPE_LABEL);

  return gtk_label_get_text (GTK_LABEL (label));
}

static void
use (Fixture    *f,
     const char *name)
{
  guint before = f->changed;

  assay_test_click (GTK_WIDGET (f->view), name);
  g_assert_cmpuint (f->changed, ==, before + 1);
}

static void shoot           (Fixture    *f,
                             const char *name);
static void scroll_to_block (Fixture    *f,
                             const char *name);

/* Every button has a name a screen reader can say; counts them. */
static guint
assert_named (GtkWidget *root)
{
  guint n = 0;

  if (GTK_IS_BUTTON (root))
    {
      gboolean named = gtk_test_accessible_has_property (GTK_ACCESSIBLE (root),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL) ||
                       gtk_button_get_label (GTK_BUTTON (root)) != NULL;

      if (!named)
        g_error ("an unnamed %s", G_OBJECT_TYPE_NAME (root));
      n++;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += assert_named (child);
  return n;
}

/* ---- tests ---- */

static const char *disagreements[] = {
  "Issues for A", "Coverage for A", "Issues for B", "Faithfulness for B", "Spans for B",
  "Correction for B", "Verdict for C", "Spans for C", "The ranking", "Comparison of A and B",
};

static void
test_disagreements (Fixture       *f,
                    gconstpointer  data)
{
  const char *agreed[] = { "Verdict for B", "Issues for C", "Clarity for A", "Spans for A" };

  for (guint i = 0; i < G_N_ELEMENTS (disagreements); i++)
    g_assert_true (marked (f, disagreements[i]));
  for (guint i = 0; i < G_N_ELEMENTS (agreed); i++)
    g_assert_false (marked (f, agreed[i]));
  g_assert_cmpstr (state (f), ==, "10 disagreements to settle");
  g_assert_cmpstr (gold_text (f, "Faithfulness for B"), ==,
                   "Gold: not set yet — use an annotator’s judgment or choose one");
  g_assert_cmpstr (gold_text (f, "Verdict for B"), ==, "Gold: not set");

  /* Persons and the model, the model marked as an LLM judge, and the gold
   * apart; the candidates by letter and model, in import order. */
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "Dr. Jonas Lee"));
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "Lumen Judge"));
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "LLM judge"));
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "Gold: Dr. Amara Osei (gold)"));
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "A · atlas-7b"));
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "C · brevity-2"));
  /* Untrusted text is shown as it is, not as markup. */
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "<b>Not</b> in the call as stated."));

  g_assert_cmpuint (assert_named (GTK_WIDGET (f->view)), >, 50);

  /* Looking changes nothing in the project. */
  g_assert_cmpint (assay_project_lookup_annotator (f->project, GOLD_ID), ==, 0);
  g_assert_cmpuint (f->changed, ==, 0);

  /* Only the disagreements, and back. */
  assay_test_click (GTK_WIDGET (f->view), "Disagreements Only");
  g_assert_false (gtk_widget_get_mapped (find_block (f, "Verdict for B")));
  g_assert_true (gtk_widget_get_mapped (find_block (f, "Verdict for C")));
  assay_test_click (GTK_WIDGET (f->view), "Disagreements Only");
  g_assert_true (gtk_widget_get_mapped (find_block (f, "Verdict for B")));
}

static void
test_next_disagreement (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *focus;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "adjudication.next-disagreement", NULL);
  assay_test_iterate (20);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, find_block (f, "Issues for A")));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "adjudication.next-disagreement", NULL);
  assay_test_iterate (20);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, find_block (f, "Coverage for A")));

  gtk_widget_activate_action (GTK_WIDGET (f->view), "adjudication.previous-disagreement", NULL);
  assay_test_iterate (20);
  focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_assert_true (gtk_widget_is_ancestor (focus, find_block (f, "Issues for A")));
}

static gint64
gold_annotator (AssayProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = assay_project_list_annotators (project, &error);
  gint64 id = assay_project_lookup_annotator (project, GOLD_ID);
  gboolean seen = FALSE;

  g_assert_no_error (error);
  g_assert_cmpint (id, !=, 0);
  for (guint i = 0; i < all->len; i++)
    {
      AssayAnnotatorInfo *info = g_ptr_array_index (all, i);

      if (info->id == id)
        {
          g_assert_cmpint (info->kind, ==, ASSAY_ANNOTATOR_ADJUDICATOR);
          g_assert_cmpstr (info->name, ==, "Dr. Amara Osei (gold)");
          seen = TRUE;
        }
      if (g_strcmp0 (info->ext_id, LEAD_ID) == 0)
        g_assert_cmpint (info->kind, ==, ASSAY_ANNOTATOR_PERSON);
    }
  g_assert_true (seen);
  return id;
}

static AssayStatus
gold_status (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayItem) gold = NULL;

  g_assert_no_error (error);
  gold = assay_project_load_item (project, f->source_id, gold_annotator (project), &error);
  g_assert_no_error (error);
  return gold->status;
}

static void
check_gold (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayItem) gold = NULL;
  AssayItemCandidate *a, *b, *c;
  AssayItemScore *s;
  AssayItemSpan *span;
  AssayItemComparison *comparison;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  gold = assay_project_load_item (project, f->source_id, gold_annotator (project), &error);
  g_assert_no_error (error);
  a = assay_item_find_candidate (gold, f->c[0]);
  b = assay_item_find_candidate (gold, f->c[1]);
  c = assay_item_find_candidate (gold, f->c[2]);

  /* A: the coverage score the lead set, with no one's rationale. */
  g_assert_cmpuint (g_hash_table_size (a->scores), ==, 1);
  s = g_hash_table_lookup (a->scores, &(gint64) { criterion (project, "coverage") });
  g_assert_nonnull (s);
  g_assert_cmpint (s->value, ==, 2);
  g_assert_null (s->rationale);
  g_assert_cmpuint (a->labels->len, ==, 0);
  g_assert_cmpuint (a->spans->len, ==, 0);
  g_assert_null (a->correction);

  /* B: Osei's faithfulness score, Lee's issues and correction, Lumen's spans. */
  g_assert_cmpuint (g_hash_table_size (b->scores), ==, 1);
  s = g_hash_table_lookup (b->scores, &(gint64) { criterion (project, "faithfulness") });
  g_assert_nonnull (s);
  g_assert_cmpint (s->value, ==, 2);
  g_assert_cmpstr (s->rationale, ==, "Refunds one payment of $64.99, not two.");
  g_assert_cmpuint (b->labels->len, ==, 2);
  g_assert_true (g_array_index (b->labels, gint64, 0) == option (project, "issues", "padding") ||
                 g_array_index (b->labels, gint64, 1) == option (project, "issues", "padding"));
  g_assert_true (g_array_index (b->labels, gint64, 0) ==
                   option (project, "issues", "wrong-number") ||
                 g_array_index (b->labels, gint64, 1) ==
                   option (project, "issues", "wrong-number"));
  g_assert_cmpuint (b->spans->len, ==, 1);
  span = g_ptr_array_index (b->spans, 0);
  g_assert_cmpint (span->start, ==, 257);
  g_assert_cmpint (span->end, ==, 276);
  g_assert_cmpint (span->option_id, ==, option (project, "claims", "contradicted"));
  g_assert_cmpstr (span->note, ==, "The agent refunded one payment of $64.99, not both.");
  g_assert_cmpuint (span->evidence->len, ==, 2);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).start, ==, 1241);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 0).end, ==, 1322);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 1).start, ==, 2725);
  g_assert_cmpint (g_array_index (span->evidence, AssayRange, 1).end, ==, 2783);
  g_assert_cmpstr (b->correction, ==, f->lee_fix);

  /* C: Osei's verdict. */
  g_assert_cmpuint (g_hash_table_size (c->scores), ==, 0);
  g_assert_cmpuint (c->labels->len, ==, 1);
  g_assert_cmpint (g_array_index (c->labels, gint64, 0), ==, option (project, "verdict",
                                                                     "accept"));
  g_assert_cmpuint (c->spans->len, ==, 0);
  g_assert_null (c->correction);

  /* Osei's ranking, Lee's comparison. */
  g_assert_cmpint (c->rank, ==, 1);
  g_assert_cmpint (a->rank, ==, 2);
  g_assert_cmpint (b->rank, ==, 3);
  g_assert_cmpuint (gold->comparisons->len, ==, 1);
  comparison = g_ptr_array_index (gold->comparisons, 0);
  g_assert_cmpint (comparison->a == f->c[1] ? comparison->winner : !comparison->winner, ==,
                   ASSAY_WINNER_A);
  g_assert_cmpstr (comparison->rationale, ==, "B has the refund, A does not.");

  g_assert_cmpint (gold->status, ==, ASSAY_STATUS_DONE);

  /* And nobody else's judgments moved. */
  after = dump_raters (f->path, f->source_id);
  g_assert_cmpstr (after, ==, f->raters_before);
}

static GPtrArray *
export_lines (Fixture    *f,
              const char *format,
              gboolean    adjudicated_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = assay_project_open (f->path, &error);
  g_autoptr(AssayExportOptions) options = assay_export_options_new ();
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *out = g_build_filename (dir, "export.jsonl", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_decref);

  g_assert_no_error (error);
  assay_export_options_set_adjudicated_only (options, adjudicated_only);
  /* Everyone's, the demo's LLM judge included (its scores are proposals,
   * left out by default). */
  if (!adjudicated_only)
    assay_export_options_set_kinds (options, ASSAY_STATS_ALL_KINDS);
  if (g_str_equal (format, "sft"))
    assay_export_options_set (options, "provenance", "true");
  g_assert_true (assay_export_to_path (project, format, options, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      json_error_t json_error;
      json_t *record;

      if (*lines[i] == '\0')
        continue;
      record = json_loads (lines[i], 0, &json_error);
      g_assert_nonnull (record);
      g_ptr_array_add (records, record);
    }
  return records;
}

static void
check_exports (Fixture *f)
{
  g_autoptr(GPtrArray) sft = export_lines (f, "sft", TRUE);
  g_autoptr(GPtrArray) scores = export_lines (f, "scores", TRUE);
  g_autoptr(GPtrArray) all_scores = export_lines (f, "scores", FALSE);
  json_t *record, *messages, *metadata, *who;
  guint seen = 0;

  /* One gold summary: the correction the gold took from Dr. Lee. */
  g_assert_cmpuint (sft->len, ==, 1);
  record = g_ptr_array_index (sft, 0);
  messages = json_object_get (record, "messages");
  g_assert_cmpstr (json_string_value (json_object_get (json_array_get (messages,
                                                                       json_array_size (messages)
                                                                       - 1), "content")),
                   ==, f->lee_fix);
  metadata = json_object_get (record, "metadata");
  g_assert_cmpstr (json_string_value (json_object_get (metadata, "source")), ==, SOURCE);
  g_assert_cmpstr (json_string_value (json_object_get (metadata, "gold")), ==, "correction");
  who = json_object_get (metadata, "annotators");
  g_assert_cmpuint (json_array_size (who), ==, 1);
  g_assert_cmpstr (json_string_value (json_array_get (who, 0)), ==, GOLD_ID);

  /* Exactly the two gold scores. */
  g_assert_cmpuint (scores->len, ==, 2);
  for (guint i = 0; i < scores->len; i++)
    {
      const char *candidate, *crit, *rationale;

      record = g_ptr_array_index (scores, i);
      g_assert_cmpstr (json_string_value (json_object_get (record, "annotator")), ==, GOLD_ID);
      g_assert_cmpstr (json_string_value (json_object_get (record, "annotator_kind")), ==,
                       "adjudicator");
      g_assert_cmpstr (json_string_value (json_object_get (record, "source")), ==, SOURCE);
      candidate = json_string_value (json_object_get (record, "candidate"));
      crit = json_string_value (json_object_get (record, "criterion"));
      rationale = json_string_value (json_object_get (record, "rationale"));
      g_assert_cmpint (json_integer_value (json_object_get (record, "score")), ==, 2);
      if (g_str_equal (candidate, "c1"))
        {
          g_assert_cmpstr (crit, ==, "coverage");
          g_assert_null (rationale);
          seen |= 1;
        }
      else
        {
          g_assert_cmpstr (candidate, ==, "c2");
          g_assert_cmpstr (crit, ==, "faithfulness");
          g_assert_cmpstr (rationale, ==, "Refunds one payment of $64.99, not two.");
          seen |= 2;
        }
    }
  g_assert_cmpuint (seen, ==, 3);
  /* The filter is what left the others out. */
  g_assert_cmpuint (all_scores->len, >, 20);
}

static void
test_settle (Fixture       *f,
             gconstpointer  data)
{
  g_assert_cmpuint (f->changed, ==, 0);

  use (f, "Use Dr. Amara Osei’s Faithfulness score for B");
  g_assert_cmpstr (gold_text (f, "Faithfulness for B"), ==, "Gold: 2 (from Dr. Amara Osei)");
  /* The gold annotator exists now, apart from the lead's own. */
  gold_annotator (f->project);

  use (f, "Gold Coverage score 2 for A");
  g_assert_cmpstr (gold_text (f, "Coverage for A"), ==, "Gold: 2 (set by you)");

  use (f, "Use Dr. Amara Osei’s Verdict labels for C");
  g_assert_cmpstr (gold_text (f, "Verdict for C"), ==, "Gold: Accept (from Dr. Amara Osei)");

  use (f, "Use Dr. Jonas Lee’s Issues labels for B");
  g_assert_cmpstr (gold_text (f, "Issues for B"), ==,
                   "Gold: Padding, Wrong number (from Dr. Jonas Lee)");

  use (f, "Use Dr. Amara Osei’s ranking");
  g_assert_cmpstr (gold_text (f, "The ranking"), ==,
                   "Gold: 1. C   2. A   3. B (from Dr. Amara Osei)");

  use (f, "Use Dr. Jonas Lee’s comparison of A and B");
  g_assert_cmpstr (gold_text (f, "Comparison of A and B"), ==,
                   "Gold: B is better (from Dr. Jonas Lee)");

  /* Taking someone else's spans replaces the gold's, not adds to them. */
  use (f, "Use Dr. Amara Osei’s spans for B");
  g_assert_cmpstr (gold_text (f, "Spans for B"), ==, "Gold: 1 span (from Dr. Amara Osei)");
  use (f, "Use Lumen Judge’s spans for B");
  g_assert_cmpstr (gold_text (f, "Spans for B"), ==, "Gold: 1 span (from Lumen Judge)");

  /* "None of these" and "no spans" are values the gold can take. */
  use (f, "Use Dr. Jonas Lee’s Issues labels for A");
  g_assert_cmpstr (gold_text (f, "Issues for A"), ==, "Gold: none (from Dr. Jonas Lee)");
  use (f, "Use Dr. Amara Osei’s spans for C");
  g_assert_cmpstr (gold_text (f, "Spans for C"), ==, "Gold: no spans (from Dr. Amara Osei)");

  g_assert_cmpstr (state (f), ==, "1 disagreement to settle");
  use (f, "Use Dr. Jonas Lee’s correction for B");
  g_assert_cmpstr (gold_text (f, "Correction for B"), ==,
                   "Gold: a correction (from Dr. Jonas Lee)");
  g_assert_cmpstr (state (f), ==, "Settled");
  g_assert_cmpint (gold_status (f), ==, ASSAY_STATUS_DONE);
  g_assert_cmpuint (f->changed, ==, 11);

  /* The gold chips set labels directly; taking one away unsettles. */
  use (f, "Gold Verdict Accept for C");
  g_assert_cmpstr (gold_text (f, "Verdict for C"), ==,
                   "Gold: not set yet — use an annotator’s judgment or choose one");
  g_assert_cmpstr (state (f), ==, "1 disagreement to settle");
  g_assert_cmpint (gold_status (f), ==, ASSAY_STATUS_IN_PROGRESS);
  use (f, "Gold Verdict Reject for C");
  g_assert_cmpstr (gold_text (f, "Verdict for C"), ==, "Gold: Reject (from Dr. Jonas Lee)");
  use (f, "Gold Verdict Accept for C");
  g_assert_cmpstr (gold_text (f, "Verdict for C"), ==, "Gold: Accept (from Dr. Amara Osei)");
  g_assert_cmpstr (state (f), ==, "Settled");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
    assay_test_find_accessible (GTK_WIDGET (f->view), "Gold Verdict Accept for C"))));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
    assay_test_find_accessible (GTK_WIDGET (f->view), "Gold Verdict Reject for C"))));

  /* Still marked as disagreements, and as settled. */
  for (guint i = 0; i < G_N_ELEMENTS (disagreements); i++)
    {
      g_assert_true (marked (f, disagreements[i]));
      g_assert_true (gtk_widget_has_css_class (find_block (f, disagreements[i]), "settled"));
    }

  scroll_to_block (f, "Correction for B");
  shoot (f, "adjudication-settled");

  check_gold (f);
  check_exports (f);

  /* Opened again, the view reads whose judgment each gold value is. */
  close_view (f);
  g_clear_object (&f->project);
  f->project = assay_project_open (f->path, NULL);
  open_view (f, 1000, 720);
  g_assert_cmpstr (state (f), ==, "Settled");
  g_assert_cmpstr (gold_text (f, "Faithfulness for B"), ==, "Gold: 2 (from Dr. Amara Osei)");
  g_assert_cmpstr (gold_text (f, "Coverage for A"), ==, "Gold: 2 (set by you)");
  g_assert_cmpstr (gold_text (f, "Comparison of A and B"), ==,
                   "Gold: B is better (from Dr. Jonas Lee)");
  g_assert_cmpstr (gold_text (f, "Verdict for B"), ==, "Gold: not set");
}

static void
test_use_agreed (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayItem) gold = NULL;
  AssayItemCandidate *b;
  AssayItemScore *s;

  gtk_widget_activate_action (GTK_WIDGET (f->view), "adjudication.use-agreed", NULL);
  assay_test_iterate (20);
  g_assert_cmpuint (f->changed, >, 0);
  g_assert_cmpstr (gold_text (f, "Verdict for B"), ==, "Gold: Reject (all agree)");
  g_assert_cmpstr (gold_text (f, "Faithfulness for B"), ==,
                   "Gold: not set yet — use an annotator’s judgment or choose one");
  g_assert_cmpstr (state (f), ==, "10 disagreements to settle");

  project = assay_project_open (f->path, &error);
  g_assert_no_error (error);
  gold = assay_project_load_item (project, f->source_id, gold_annotator (project), &error);
  g_assert_no_error (error);
  b = assay_item_find_candidate (gold, f->c[1]);
  /* What only the judge scored counts as agreed; what they disagree on is left. */
  s = g_hash_table_lookup (b->scores, &(gint64) { criterion (project, "clarity") });
  g_assert_nonnull (s);
  g_assert_cmpint (s->value, ==, 4);
  g_assert_null (g_hash_table_lookup (b->scores,
                                      &(gint64) { criterion (project, "faithfulness") }));
  g_assert_cmpint (gold->status, ==, ASSAY_STATUS_IN_PROGRESS);
}

/* ---- the view and the list of disagreements agree, in a blind project ---- */

static gboolean
described_disagreement (GtkWidget *widget)
{
  g_autofree char *not_it = NULL;

  if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (widget)) != GTK_ACCESSIBLE_ROLE_GROUP ||
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION))
    return FALSE;
  not_it = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                               GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                               "Disagreement");
  return not_it == NULL;
}

/* Blocks a screen reader hears as disagreements; the candidates' headings. */
static guint
walk_view (GtkWidget *root,
           GPtrArray *headings)
{
  guint n = described_disagreement (root) ? 1 : 0;

  /* Candidates' headings are "A · model"; other headings name sections. */
  if (GTK_IS_LABEL (root) &&
      gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (root)) == GTK_ACCESSIBLE_ROLE_HEADING &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), " · ") != NULL)
    g_ptr_array_add (headings, g_strdup (gtk_label_get_text (GTK_LABEL (root))));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += walk_view (child, headings);
  return n;
}

/* A unit of the list as the name of its block in the view. */
static char *
unit_block_name (AssayTemplate *tmpl,
                 AssayItem     *base,
                 const char    *kind,
                 const char    *name,
                 gint64         cand,
                 gint64         other)
{
  g_autofree char *letter = cand != 0 ? assay_item_candidate_letter (base, TRUE, cand) : NULL;

  if (g_str_equal (kind, "labels"))
    {
      AssayLabelSet *set = assay_template_find_label_set (tmpl, name);

      return g_strdup_printf ("%s for %s", set->title != NULL ? set->title : set->name, letter);
    }
  if (g_str_equal (kind, "criterion"))
    {
      AssayCriterion *criterion = assay_template_find_criterion (tmpl, name);

      return g_strdup_printf ("%s for %s", criterion->title != NULL ? criterion->title
                                                                    : criterion->name, letter);
    }
  if (g_str_equal (kind, "spans"))
    return g_strdup_printf ("Spans for %s", letter);
  if (g_str_equal (kind, "correction"))
    return g_strdup_printf ("Correction for %s", letter);
  if (g_str_equal (kind, "ranking"))
    return g_strdup ("The ranking");
  g_assert_cmpstr (kind, ==, "comparison");
  {
    g_autofree char *second = assay_item_candidate_letter (base, TRUE, other);

    /* Pairs stand in display order: the earlier letter first. */
    if (g_strcmp0 (letter, second) > 0)
      return g_strdup_printf ("Comparison of %s and %s", second, letter);
    return g_strdup_printf ("Comparison of %s and %s", letter, second);
  }
}

static void
add_name (GPtrArray *names,
          char      *name)
{
  for (guint i = 0; i < names->len; i++)
    if (g_str_equal (g_ptr_array_index (names, i), name))
      {
        g_free (name);
        return;
      }
  g_ptr_array_add (names, name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static char *
joined (GPtrArray *names)
{
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static void
test_blind_same_as_list (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayTemplate) tmpl = assay_project_load_template (f->project, &error);
  g_autoptr(AssayItem) base = NULL;
  g_autoptr(AssayStatsData) stats = NULL;
  g_autoptr(AssayAgreementReport) report = NULL;
  g_autoptr(GPtrArray) from_list = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) from_cli = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) headings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(json_t) root = NULL;
  g_auto(AssayTestRun) run = { 0, };
  g_autofree char *list_text = NULL;
  g_autofree char *cli_text = NULL;
  AssayAdjudicationView *view;
  json_t *items;
  guint n_marked;
  gboolean shuffled = FALSE;

  g_assert_no_error (error);
  tmpl->blind = TRUE;
  g_assert_true (assay_project_store_template (f->project, tmpl, &error));
  g_assert_no_error (error);
  base = assay_project_load_item (f->project, f->source_id, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < base->candidates->len; i++)
    {
      g_autofree char *letter = assay_item_candidate_letter (base, TRUE, f->c[i]);
      g_autofree char *plain = assay_candidate_letter_for_position (i);

      shuffled |= g_strcmp0 (letter, plain) != 0;
    }
  /* Blind, the support call's candidates are not in import order. */
  g_assert_true (shuffled);

  /* The statistics window's list, one statistic at a time. */
  stats = assay_stats_data_load (f->project, NULL, &error);
  g_assert_no_error (error);
  /* With the LLM judge counted, as the adjudication view counts it. */
  {
    AssayStatsOptions options;

    assay_stats_options_init (&options);
    options.kinds = ASSAY_STATS_RATERS;
    report = assay_stats_compute_agreement (stats, &options, NULL, &error);
  }
  g_assert_no_error (error);
  for (guint s = 0; s < report->stats->len; s++)
    {
      static const char *kinds[] = { "labels", "spans", "criterion", "ranking", "comparison",
                                     "correction" };
      AssayAgreementStat *stat = g_ptr_array_index (report->stats, s);
      g_autoptr(GPtrArray) list = assay_agreement_report_list_disagreements (report, s);

      for (guint i = 0; i < list->len; i++)
        {
          AssayDisagreementItem *item = g_ptr_array_index (list, i);

          if (item->source_id != f->source_id)
            continue;
          for (guint u = 0; u < item->units->len; u++)
            {
              AssayDisagreement *d = &g_array_index (item->units, AssayDisagreement, u);

              add_name (from_list, unit_block_name (tmpl, base, kinds[stat->kind], stat->name,
                                                    d->candidate_id, d->other_id));
            }
        }
    }

  /* assay-cli agreement --json */
  assay_test_run_cli (&run, "agreement", "--json", "--annotators", "people,models", f->path,
                      NULL);
  g_assert_cmpint (run.status, ==, 0);
  root = json_loads (run.out, 0, NULL);
  g_assert_nonnull (root);
  items = json_object_get (root, "disagreements");
  for (gsize i = 0; i < json_array_size (items); i++)
    {
      json_t *item = json_array_get (items, i);
      json_t *units = json_object_get (item, "units");

      if (g_strcmp0 (json_string_value (json_object_get (item, "source")), SOURCE) != 0)
        continue;
      for (gsize u = 0; u < json_array_size (units); u++)
        {
          json_t *unit = json_array_get (units, u);
          const char *cand = json_string_value (json_object_get (unit, "candidate"));
          const char *other = json_string_value (json_object_get (unit, "other"));

          add_name (from_cli,
                    unit_block_name (tmpl, base, json_string_value (json_object_get (unit, "kind")),
                                     json_string_value (json_object_get (unit, "name")),
                                     cand != NULL ? assay_project_lookup_candidate (
                                                      f->project, f->source_id, cand) : 0,
                                     other != NULL ? assay_project_lookup_candidate (
                                                       f->project, f->source_id, other) : 0));
        }
    }

  /* The view, opened again on the blind project, as a screen reader hears it. */
  g_assert_true (assay_adjudication_view_set_source (f->view, f->source_id, &error));
  wait_loaded (f->view);
  assay_test_iterate (20);
  for (guint i = 0; i < from_list->len; i++)
    {
      GtkWidget *block = find_block (f, g_ptr_array_index (from_list, i));

      g_assert_true (described_disagreement (block));
      g_assert_true (marked (f, g_ptr_array_index (from_list, i)));
    }
  n_marked = walk_view (GTK_WIDGET (f->view), headings);

  list_text = joined (from_list);
  cli_text = joined (from_cli);
  g_test_message ("disagreements: %s", list_text);
  g_assert_cmpuint (from_list->len - 1, >=, 8);
  g_assert_cmpstr (cli_text, ==, list_text);
  /* Exactly those: no other block is a disagreement. */
  g_assert_cmpuint (n_marked, ==, from_list->len - 1);

  /* Letters run A, B, C down the view. */
  g_assert_cmpuint (headings->len, ==, 3);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (headings, 0), "A · "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (headings, 1), "B · "));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (headings, 2), "C · "));

  /* Nothing keeps the view alive once its window is gone. */
  view = g_object_ref (f->view);
  close_view (f);
  g_assert_finalize_object (view);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 podcast = assay_project_lookup_source (f->project, "podcast-small-margins-84");

  g_assert_true (assay_adjudication_view_set_source (f->view, podcast, &error));
  g_assert_no_error (error);
  wait_loaded (f->view);
  assay_test_iterate (20);
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "Nobody Has Judged This Source"));
  g_assert_true (assay_adjudication_view_set_source (f->view, 999999, &error));
  wait_loaded (f->view);
  assay_test_iterate (20);
  g_assert_nonnull (find_label_text (GTK_WIDGET (f->view), "Could Not Read the Source"));
}

/* ---- screenshots: four candidates, four criteria, four annotators ---- */

static void
add_podcast_raters (AssayProject *p,
                    gint64        source)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AssayItem) item = assay_project_load_item (p, source, 0, &error);
  struct { const char *id, *name; int kind; } who[] = {
    { LEAD_ID, LEAD_NAME, ASSAY_ANNOTATOR_PERSON },
    { "lee", "Dr. Jonas Lee", ASSAY_ANNOTATOR_PERSON },
    { "kowalska", "Prof. Ewa Kowalska-Brandt, Department of Health Economics",
      ASSAY_ANNOTATOR_PERSON },
    { "lumen-judge", "Lumen Judge", ASSAY_ANNOTATOR_MODEL },
  };
  const char *criteria[] = { "faithfulness", "coverage", "concision", "clarity" };
  const char *why[] = {
    "Every figure checks out against the interview.",
    "Leaves out the backup compressor story, which is the point of the episode.",
    "Two sentences of praise for the guest add nothing.",
    "Well ordered; the numbers are easy to find.",
    "Says the pilot ran for six months; Rafael says four.",
  };
  const char *issues[] = { "omission", "padding", "misattribution", "wrong-number" };

  g_assert_no_error (error);
  for (guint w = 0; w < G_N_ELEMENTS (who); w++)
    {
      gint64 id = annotator (p, who[w].id, who[w].name, who[w].kind);
      gint64 ids[4];
      int ranks[4];

      for (guint i = 0; i < item->candidates->len; i++)
        {
          AssayItemCandidate *c = g_ptr_array_index (item->candidates, i);
          gint64 end = MIN (c->n_chars, 60 + 10 * w);
          AssayRange evidence = { 100, 220 };

          for (guint k = 0; k < G_N_ELEMENTS (criteria); k++)
            {
              /* Mostly agreement, with the odd outlier. */
              int value = 3 + (int) ((i + k) % 3) - 1 + ((w + i + k) % 4 == 0 ? 1 : 0);

              score (p, c->id, id, criteria[k], CLAMP (value, 1, 5),
                     (w + k) % 3 == 2 ? NULL : why[(w + i + k) % G_N_ELEMENTS (why)]);
            }
          labels (p, c->id, id, "verdict", (i + w) % 3 == 0 ? "reject" : "accept", NULL);
          labels (p, c->id, id, "issues", issues[(i + w) % 4],
                  i % 2 ? issues[(i + w + 1) % 4] : NULL);
          g_assert_true (assay_project_save_span (p, 0, c->id, id, 0, end,
                                                  option (p, "claims", w % 2 ? "supported"
                                                                             : "unsupported"),
                                                  w % 2 ? NULL : "The source gives no date.",
                                                  &evidence, w == 3 ? 1 : 0, NULL, NULL, &error));
          g_assert_no_error (error);
          if (i == 1 && w < 2)
            {
              g_autofree char *fix = g_strconcat (w == 0 ? "In short: " : "Summary: ", c->text,
                                                  NULL);

              g_assert_true (assay_project_set_correction (p, c->id, id, fix, NULL, &error));
            }
          ids[i] = c->id;
          ranks[i] = 1 + (int) ((i + (w == 2)) % item->candidates->len);
        }
      g_assert_true (assay_project_set_ranking (p, source, id, ids, ranks,
                                                item->candidates->len, NULL, &error));
      for (guint i = 0; i < item->candidates->len; i++)
        for (guint j = i + 1; j < item->candidates->len; j++)
          g_assert_true (assay_project_set_comparison (p, source, id, ids[i], ids[j],
                                                       (i + j + w) % 3 == 0 ? ASSAY_WINNER_B
                                                                            : ASSAY_WINNER_A,
                                                       w == 1 ? "Closer to what was said." : NULL,
                                                       NULL, &error));
      g_assert_no_error (error);
    }
}

static void
shoot (Fixture    *f,
       const char *name)
{
  g_autofree char *light = g_strconcat (name, "-light", NULL);
  g_autofree char *dark = g_strconcat (name, "-dark", NULL);
  g_autofree char *path = NULL;

  assay_test_iterate (100);
  path = assay_test_screenshot (GTK_WIDGET (f->window), light);
  g_test_message ("screenshot: %s", path);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  assay_test_iterate (100);
  g_free (path);
  path = assay_test_screenshot (GTK_WIDGET (f->window), dark);
  g_test_message ("screenshot: %s", path);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  assay_test_iterate (50);
}

static void
scroll_to_block (Fixture    *f,
                 const char *name)
{
  GtkWidget *block = find_block (f, name);
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (
                                                       block, GTK_TYPE_SCROLLED_WINDOW));
  GtkWidget *content = gtk_viewport_get_child (GTK_VIEWPORT (gtk_scrolled_window_get_child (
                                                  scroller)));
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (block, content,
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (scroller), point.y - 12);
}

static void
test_screenshots (Fixture       *f,
                  gconstpointer  data)
{
  gint64 start;

  /* The support call, part settled, then the podcast with four of each. */
  use (f, "Use Dr. Amara Osei’s Faithfulness score for B");
  use (f, "Use Lumen Judge’s spans for B");
  shoot (f, "adjudication-1000");
  scroll_to_block (f, "Faithfulness for B");
  shoot (f, "adjudication-1000-scores");
  scroll_to_block (f, "Spans for B");
  shoot (f, "adjudication-1000-spans");
  close_view (f);

  open_view (f, 700, 600);
  scroll_to_block (f, "Issues for B");
  shoot (f, "adjudication-700");
  scroll_to_block (f, "Correction for B");
  shoot (f, "adjudication-700-correction");
  close_view (f);

  f->source_id = assay_project_lookup_source (f->project, "podcast-small-margins-84");
  add_podcast_raters (f->project, f->source_id);
  start = g_get_monotonic_time ();
  open_view (f, 1000, 720);
  g_test_message ("four of each shown in %.0f ms", (g_get_monotonic_time () - start) / 1000.0);
  shoot (f, "adjudication-podcast-1000");
  scroll_to_block (f, "Comparison of A and B");
  shoot (f, "adjudication-podcast-1000-comparisons");
  assay_test_click (GTK_WIDGET (f->view), "Disagreements Only");
  gtk_widget_activate_action (GTK_WIDGET (f->view), "adjudication.jump", "u", 0);
  shoot (f, "adjudication-podcast-1000-only");
  close_view (f);

  open_view (f, 700, 600);
  scroll_to_block (f, "Faithfulness for A");
  shoot (f, "adjudication-podcast-700");
  close_view (f);

  open_view (f, 800, 600);
  shoot (f, "adjudication-podcast-800x600");
  scroll_to_block (f, "Spans for B");
  shoot (f, "adjudication-podcast-800x600-spans");
  close_view (f);

  /* Narrower than the statistics window allows, the rows still hold. */
  open_view (f, 540, 600);
  scroll_to_block (f, "Spans for A");
  shoot (f, "adjudication-podcast-540");
}

int
main (int   argc,
      char *argv[])
{
  assay_test_ui_init (&argc, &argv);

  g_test_add ("/assay/ui/adjudication-view/disagreements", Fixture, NULL, fixture_setup,
              test_disagreements, fixture_teardown);
  g_test_add ("/assay/ui/adjudication-view/next-disagreement", Fixture, NULL, fixture_setup,
              test_next_disagreement, fixture_teardown);
  g_test_add ("/assay/ui/adjudication-view/settle", Fixture, NULL, fixture_setup, test_settle,
              fixture_teardown);
  g_test_add ("/assay/ui/adjudication-view/use-agreed", Fixture, NULL, fixture_setup,
              test_use_agreed, fixture_teardown);
  g_test_add ("/assay/ui/adjudication-view/blind-same-as-list", Fixture, NULL, fixture_setup,
              test_blind_same_as_list, fixture_teardown);
  g_test_add ("/assay/ui/adjudication-view/empty", Fixture, NULL, fixture_setup, test_empty,
              fixture_teardown);
  g_test_add ("/assay/ui/adjudication-view/screenshots", Fixture, NULL, fixture_setup,
              test_screenshots, fixture_teardown);

  return g_test_run ();
}
