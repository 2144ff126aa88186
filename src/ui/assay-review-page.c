/* assay-review-page.c: the workbench for one item
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transcript on one side; on the other, the candidates one at a time (or
 * two side by side) with their labels and rubric, the ranking, and the blind
 * comparison, each a page of a view stack that the window's header switches.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-candidate-view.h"
#include "assay-compare-view.h"
#include "assay-judgment-panel.h"
#include "assay-keys.h"
#include "assay-ranking-view.h"
#include "assay-review-page.h"
#include "assay-transcript-view.h"

struct _AssayReviewPage
{
  GtkWidget            parent_instance;

  GtkPaned            *main_paned;
  GtkLabel            *item_title;
  GtkLabel            *item_details;
  AssayTranscriptView *transcript;
  AdwViewStack        *stack;
  AdwViewStackPage    *review_page;
  AdwViewStackPage    *rank_page;
  AdwViewStackPage    *compare_page;
  GtkBox              *candidate_tabs;
  GtkToggleButton     *side_by_side;
  AssayCandidateView  *candidate_view;
  AssayCandidateView  *candidate_view_b;
  AssayJudgmentPanel  *judgment_panel;
  GtkScrolledWindow   *judgment_scroller;
  AssayRankingView    *ranking_view;
  AssayCompareView    *compare_view;
  AdwStatusPage       *no_candidates;
  GtkStack            *review_stack;
  GtkPaned            *candidate_paned;

  AssaySession        *session;
  GBindingGroup       *session_bindings;
  GSignalGroup        *session_signals;
  GSignalGroup        *item_signals;    /* on the session's current item */
  double               transcript_share; /* of the page, for the transcript */
  double               text_share;       /* of the candidate pane, for the text */
  gboolean             placing;         /* the pane is moved by code, not by hand */
  gint64               candidate_id;    /* the candidate in the main view, as shown */
  GPtrArray           *tab_buttons;     /* GtkToggleButton, display order */
  gboolean             updating_tabs;
};

G_DEFINE_FINAL_TYPE (AssayReviewPage, assay_review_page, GTK_TYPE_WIDGET)

static void
show_candidate (AssayReviewPage *self,
                gint64           candidate_id)
{
  g_autoptr(GPtrArray) candidates = NULL;
  gint64 second = 0;

  self->candidate_id = candidate_id;
  /* The session says which candidate is being judged; it tells this page
   * back, which has shown it already. */
  assay_session_set_candidate (self->session, candidate_id);
  assay_candidate_view_set_candidate (self->candidate_view, candidate_id);
  assay_judgment_panel_set_candidate (self->judgment_panel, candidate_id);

  /* Side by side, the next candidate in display order goes on the right. */
  candidates = assay_session_display_candidates (self->session);
  for (guint i = 0; i < candidates->len; i++)
    if (((AssayItemCandidate *) g_ptr_array_index (candidates, i))->id == candidate_id)
      {
        AssayItemCandidate *next = g_ptr_array_index (candidates, (i + 1) % candidates->len);

        second = next->id != candidate_id ? next->id : 0;
        break;
      }
  /* The second view is only filled when it is shown: rendering a candidate
   * nobody sees would slow every switch. */
  if (!gtk_toggle_button_get_active (self->side_by_side))
    second = 0;
  assay_candidate_view_set_candidate (self->candidate_view_b, second);
  gtk_widget_set_visible (GTK_WIDGET (self->candidate_view_b), second != 0);

  self->updating_tabs = TRUE;
  for (guint i = 0; i < self->tab_buttons->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (self->tab_buttons, i);
      gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "candidate-id"));

      gtk_toggle_button_set_active (button, id == candidate_id);
    }
  self->updating_tabs = FALSE;
}

static void
on_tab_toggled (GtkToggleButton *button,
                AssayReviewPage *self)
{
  gint64 id;

  if (self->updating_tabs)
    return;
  if (!gtk_toggle_button_get_active (button))
    {
      /* A tab cannot be switched off by clicking it again. */
      self->updating_tabs = TRUE;
      gtk_toggle_button_set_active (button, TRUE);
      self->updating_tabs = FALSE;
      return;
    }
  id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "candidate-id"));
  assay_candidate_view_flush (self->candidate_view);
  assay_judgment_panel_flush (self->judgment_panel);
  show_candidate (self, id);
}

static void
rebuild_tabs (AssayReviewPage *self)
{
  g_autoptr(GPtrArray) candidates = assay_session_display_candidates (self->session);
  g_autoptr(GtkSizeGroup) names = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->candidate_tabs))) != NULL)
    gtk_box_remove (self->candidate_tabs, child);
  g_ptr_array_set_size (self->tab_buttons, 0);

  /* Every tab's whole name takes the room of the longest, so that they all
   * show their names or all their letters. */
  names = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  for (guint i = 0; i < candidates->len; i++)
    {
      AssayItemCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *name = assay_session_candidate_name (self->session, candidate->id);
      g_autofree char *letter = assay_session_candidate_letter (self->session, candidate->id);
      g_autofree char *tooltip = NULL;
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *squeezer = adw_squeezer_new ();
      GtkWidget *full;

      /* The whole name when every tab has room for it, else the letter:
       * never a name cut short ("A · scrib…"). The candidate's header says
       * the whole name either way. */
      adw_squeezer_set_switch_threshold_policy (ADW_SQUEEZER (squeezer),
                                                ADW_FOLD_THRESHOLD_POLICY_NATURAL);
      adw_squeezer_set_transition_type (ADW_SQUEEZER (squeezer), ADW_SQUEEZER_TRANSITION_TYPE_NONE);
      full = gtk_label_new (name);
      gtk_size_group_add_widget (names, full);
      adw_squeezer_add (ADW_SQUEEZER (squeezer), full);
      adw_squeezer_add (ADW_SQUEEZER (squeezer), gtk_label_new (letter));
      gtk_button_set_child (GTK_BUTTON (button), squeezer);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      /* TRANSLATORS: tooltip of a candidate's tab; %s is e.g. "A · scribe-xl", %u its number */
      tooltip = g_strdup_printf (_("Show candidate %s (Alt+%u)"), name, i + 1);
      gtk_widget_set_tooltip_text (button, tooltip);
      g_object_set_data (G_OBJECT (button), "candidate-id", GSIZE_TO_POINTER (candidate->id));
      if (self->tab_buttons->len > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button),
                                     g_ptr_array_index (self->tab_buttons, 0));
      g_signal_connect (button, "toggled", G_CALLBACK (on_tab_toggled), self);
      gtk_box_append (self->candidate_tabs, button);
      g_ptr_array_add (self->tab_buttons, button);
    }
}

/* "visit-0042 · 3 speakers · 14:05", or the length of a plain text. */
static char *
describe_item (AssayItem *item)
{
  GString *details = g_string_new (item->ext_id);

  if (item->segments->len > 0)
    {
      g_autoptr(GHashTable) speakers = g_hash_table_new (g_str_hash, g_str_equal);
      AssayItemSegment *last = g_ptr_array_index (item->segments, item->segments->len - 1);
      guint n;

      for (guint i = 0; i < item->segments->len; i++)
        {
          AssayItemSegment *segment = g_ptr_array_index (item->segments, i);

          if (segment->speaker != NULL)
            g_hash_table_add (speakers, segment->speaker);
        }
      n = g_hash_table_size (speakers);
      if (n > 0)
        {
          g_string_append (details, " · ");
          g_string_append_printf (details,
                                  g_dngettext (GETTEXT_PACKAGE, "%u speaker", "%u speakers", n),
                                  n);
        }
      if (last->end > 0)
        {
          g_autofree char *length = assay_format_timestamp (last->end);

          g_string_append_printf (details, " · %s", length);
        }
    }
  else
    {
      g_auto(GStrv) words = g_strsplit_set (item->text, " \n\t", -1);
      guint n = 0;

      for (guint i = 0; words[i] != NULL; i++)
        n += *words[i] != '\0';
      g_string_append (details, " · ");
      g_string_append_printf (details, g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words", n),
                              n);
    }
  return g_string_free (details, FALSE);
}

static void
item_shown (AssayReviewPage *self)
{
  AssaySession *session = self->session;
  AssayTemplate *tmpl = assay_session_get_template (session);
  AssayItem *item = assay_session_get_item (session);
  g_autoptr(GPtrArray) candidates = NULL;

  if (item != NULL)
    {
      g_autofree char *details = describe_item (item);

      gtk_label_set_text (self->item_title, item->title);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->item_title), item->title);
      gtk_label_set_text (self->item_details, details);
    }
  rebuild_tabs (self);
  adw_view_stack_page_set_visible (self->rank_page,
                                   (tmpl->kinds & ASSAY_JUDGE_RANKING) &&
                                   item != NULL && item->candidates->len > 1);
  adw_view_stack_page_set_visible (self->compare_page,
                                   (tmpl->kinds & ASSAY_JUDGE_PAIRWISE) &&
                                   item != NULL && item->candidates->len > 1);

  candidates = assay_session_display_candidates (session);
  if (candidates->len == 0)
    {
      gtk_stack_set_visible_child_name (self->review_stack, "empty");
      self->candidate_id = 0;
      assay_candidate_view_set_candidate (self->candidate_view, 0);
      assay_candidate_view_set_candidate (self->candidate_view_b, 0);
      assay_judgment_panel_set_candidate (self->judgment_panel, 0);
      return;
    }

  gtk_stack_set_visible_child_name (self->review_stack, "candidates");
  /* The session starts each item on its first candidate in display order. */
  show_candidate (self, assay_session_get_candidate (session) != 0
                          ? assay_session_get_candidate (session)
                          : ((AssayItemCandidate *) g_ptr_array_index (candidates, 0))->id);
}

/* Someone else chose the candidate to judge. */
static void
candidate_notify_cb (AssayReviewPage *self)
{
  gint64 candidate_id = assay_session_get_candidate (self->session);

  if (candidate_id == 0 || candidate_id == self->candidate_id || self->tab_buttons->len == 0)
    return;
  assay_candidate_view_flush (self->candidate_view);
  assay_judgment_panel_flush (self->judgment_panel);
  show_candidate (self, candidate_id);
}

/* The panes share their room in proportions, not at fixed positions: the
 * transcript takes about half of the page, and the candidate's text about
 * a third of its side, so that on a short window the rubric starts above
 * the fold. Moving a handle sets its proportion. */
#define TRANSCRIPT_SHARE 0.48
#define TEXT_SHARE 0.36
#define JUDGMENTS_ROOM 345

static double *
share_of (AssayReviewPage *self,
          GtkPaned        *paned)
{
  return paned == self->main_paned ? &self->transcript_share : &self->text_share;
}

static int
extent_of (GtkPaned *paned)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (paned)) == GTK_ORIENTATION_HORIZONTAL
           ? gtk_widget_get_width (GTK_WIDGET (paned))
           : gtk_widget_get_height (GTK_WIDGET (paned));
}

static void
on_paned_resized (GtkPaned        *paned,
                  GParamSpec      *pspec,
                  AssayReviewPage *self)
{
  int min = 0, max = 0, position;

  g_object_get (paned, "min-position", &min, "max-position", &max, NULL);
  position = (int) (*share_of (self, paned) * extent_of (paned) + 0.5);
  /* On a short window the judgments keep room for the rubric's first
   * scores, and the text gives way. */
  if (paned == self->candidate_paned)
    position = MIN (position, extent_of (paned) - JUDGMENTS_ROOM);
  position = CLAMP (position, min, max);
  if (max <= 0 || gtk_paned_get_position (paned) == position)
    return;
  self->placing = TRUE;
  gtk_paned_set_position (paned, position);
  self->placing = FALSE;
}

static void
on_paned_moved (GtkPaned        *paned,
                GParamSpec      *pspec,
                AssayReviewPage *self)
{
  int extent = extent_of (paned);

  if (!self->placing && extent > 0 && gtk_widget_get_mapped (GTK_WIDGET (paned)))
    *share_of (self, paned) = CLAMP ((double) gtk_paned_get_position (paned) / extent, 0.15, 0.85);
}

/* What an undo or redo changes is shown: its page, and its candidate. */
static void
judgment_changed_cb (AssayReviewPage *self,
                     guint            kind,
                     gint64           candidate_id)
{
  if (!assay_session_is_replaying (self->session))
    return;
  switch ((AssaySavedKind) kind)
    {
    case ASSAY_SAVED_RANKING:
      if (adw_view_stack_page_get_visible (self->rank_page))
        adw_view_stack_set_visible_child_name (self->stack, "rank");
      break;
    case ASSAY_SAVED_COMPARISON:
      if (adw_view_stack_page_get_visible (self->compare_page))
        adw_view_stack_set_visible_child_name (self->stack, "compare");
      break;
    case ASSAY_SAVED_STATUS:
      break;
    case ASSAY_SAVED_LABELS:
    case ASSAY_SAVED_SPANS:
    case ASSAY_SAVED_CORRECTION:
    case ASSAY_SAVED_SCORES:
    case ASSAY_SAVED_NOTE:
    default:
      if (candidate_id == 0)
        break;
      adw_view_stack_set_visible_child_name (self->stack, "review");
      if (candidate_id != self->candidate_id)
        show_candidate (self, candidate_id);
      break;
    }
}

static void
on_side_by_side_toggled (GtkToggleButton *button,
                         AssayReviewPage *self)
{
  if (self->session != NULL && self->candidate_id != 0)
    show_candidate (self, self->candidate_id);
}

/* Alt+N and Ctrl+Page Up/Down switch candidates. */
static void
candidate_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  int n = g_variant_get_int32 (param);
  int current = -1;
  int count = (int) self->tab_buttons->len;
  GtkToggleButton *target;

  if (count == 0)
    return;
  for (int i = 0; i < count; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->tab_buttons, i)))
      current = i;

  if (g_str_equal (action_name, "review.candidate"))
    {
      if (n < 1 || n > count)
        return;
      target = g_ptr_array_index (self->tab_buttons, n - 1);
    }
  else
    target = g_ptr_array_index (self->tab_buttons, ((current + n) % count + count) % count);

  adw_view_stack_set_visible_child_name (self->stack, "review");
  gtk_toggle_button_set_active (target, TRUE);
}

static void
toggle_side_by_side (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);

  gtk_toggle_button_set_active (self->side_by_side,
                                !gtk_toggle_button_get_active (self->side_by_side));
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  AssayCandidateMode mode = assay_candidate_view_get_mode (self->candidate_view);

  if (self->candidate_id == 0)
    return;
  adw_view_stack_set_visible_child_name (self->stack, "review");
  assay_candidate_view_set_mode (self->candidate_view,
                                 mode == ASSAY_CANDIDATE_MODE_EDIT ? ASSAY_CANDIDATE_MODE_ORIGINAL
                                                                   : ASSAY_CANDIDATE_MODE_EDIT);
}

static void
mode_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (widget);
  const char *name = g_variant_get_string (param, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->stack, name);

  if (child != NULL && adw_view_stack_page_get_visible (adw_view_stack_get_page (self->stack,
                                                                                  child)))
    adw_view_stack_set_visible_child_name (self->stack, name);
}

/* Candidate label keys: a plain letter typed anywhere in the review page
 * toggles the label with that key; "." and "*" accept suggestions; as long as the focus is not where text
 * is typed or a control that keeps its keys (assay-keys.h). */
static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AssayReviewPage       *self)
{
  gunichar c;
  char key[8];
  int len;

  if (self->session == NULL || !assay_keys_one_key_allowed (GTK_WIDGET (self), state))
    return FALSE;
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "review") != 0)
    return FALSE;

  c = gdk_keyval_to_unicode (keyval);
  if (c == 0 || !g_unichar_isprint (c))
    return FALSE;

  /* Digits with a selection in the candidate mark a span. */
  if (g_unichar_isdigit (c))
    {
      AssayTemplate *tmpl = assay_session_get_template (self->session);

      len = g_unichar_to_utf8 (c, key);
      key[len] = '\0';
      for (guint i = 0; i < tmpl->label_sets->len; i++)
        {
          AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

          if (set->scope != ASSAY_SCOPE_SPAN)
            continue;
          for (guint j = 0; j < set->options->len; j++)
            {
              AssayLabelOption *option = g_ptr_array_index (set->options, j);

              if (g_strcmp0 (option->shortcut, key) == 0 &&
                  assay_candidate_view_mark_selection (self->candidate_view, option->id))
                {
                  assay_keys_announce (GTK_WIDGET (self), NULL);
                  return TRUE;
                }
            }
        }
    }

  len = g_unichar_to_utf8 (c, key);
  key[len] = '\0';
  if (assay_judgment_panel_activate_key (self->judgment_panel, key))
    return TRUE;

  /* A template's own label keys come first; these two accept a model's
   * suggestions: the one the focus is on (or else the next), or all on
   * the candidate. */
  if (c == '.')
    {
      const AssayProposal *proposal = assay_candidate_view_get_proposal (self->candidate_view);

      if (proposal != NULL)
        {
          if (assay_session_accept_proposal (self->session, proposal, NULL))
            assay_keys_announce (GTK_WIDGET (self), NULL);
        }
      else
        assay_judgment_panel_accept_proposal (self->judgment_panel, 0, FALSE);
      return TRUE;
    }
  if (c == '*')
    {
      assay_judgment_panel_accept_proposal (self->judgment_panel, 0, TRUE);
      return TRUE;
    }
  return FALSE;
}

static void
assay_review_page_dispose (GObject *object)
{
  AssayReviewPage *self = ASSAY_REVIEW_PAGE (object);

  g_clear_object (&self->session_bindings);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->session);
  g_clear_pointer (&self->tab_buttons, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_REVIEW_PAGE);

  G_OBJECT_CLASS (assay_review_page_parent_class)->dispose (object);
}

static void
assay_review_page_class_init (AssayReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_review_page_dispose;

  g_type_ensure (ASSAY_TYPE_TRANSCRIPT_VIEW);
  g_type_ensure (ASSAY_TYPE_CANDIDATE_VIEW);
  g_type_ensure (ASSAY_TYPE_JUDGMENT_PANEL);
  g_type_ensure (ASSAY_TYPE_RANKING_VIEW);
  g_type_ensure (ASSAY_TYPE_COMPARE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-review-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, main_paned);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, item_title);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, item_details);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, transcript);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, review_page);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, rank_page);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, compare_page);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, candidate_tabs);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, side_by_side);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, candidate_view);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, candidate_view_b);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, judgment_panel);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, judgment_scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, ranking_view);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, compare_view);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, no_candidates);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, review_stack);
  gtk_widget_class_bind_template_child (widget_class, AssayReviewPage, candidate_paned);
  gtk_widget_class_bind_template_callback (widget_class, on_side_by_side_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_paned_resized);
  gtk_widget_class_bind_template_callback (widget_class, on_paned_moved);
  gtk_widget_class_bind_template_callback (widget_class, on_key_pressed);

  gtk_widget_class_install_action (widget_class, "review.candidate", "i", candidate_action);
  gtk_widget_class_install_action (widget_class, "review.candidate-step", "i", candidate_action);
  gtk_widget_class_install_action (widget_class, "review.side-by-side", NULL, toggle_side_by_side);
  gtk_widget_class_install_action (widget_class, "review.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "review.mode", "s", mode_action);

  for (int i = 1; i <= 9; i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0 + i, GDK_ALT_MASK,
                                         "review.candidate", "i", i);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "review.candidate-step", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "review.candidate-step", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "review.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "review.side-by-side", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK,
                                       "review.mode", "s", "review");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK,
                                       "review.mode", "s", "rank");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK,
                                       "review.mode", "s", "compare");
}

static void
assay_review_page_init (AssayReviewPage *self)
{
  self->tab_buttons = g_ptr_array_new ();
  self->transcript_share = TRANSCRIPT_SHARE;
  self->text_share = TEXT_SHARE;
  gtk_widget_init_template (GTK_WIDGET (self));
  assay_candidate_view_set_transcript (self->candidate_view, self->transcript);
  assay_candidate_view_set_transcript (self->candidate_view_b, self->transcript);

  /* The page follows the session: its current item and the candidate
   * being judged; a read-only project is read, not judged. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "judgment-changed",
                                  G_CALLBACK (judgment_changed_cb), self);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_signals = g_signal_group_new (ASSAY_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::candidate-id",
                                  G_CALLBACK (candidate_notify_cb), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->session_bindings, "read-only", self->judgment_panel, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->session_bindings, "read-only", self->ranking_view, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
  g_binding_group_bind (self->session_bindings, "read-only", self->compare_view, "sensitive",
                        G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
}

void
assay_review_page_set_session (AssayReviewPage *self,
                               AssaySession    *session)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);

  assay_transcript_view_set_session (self->transcript, session);
  assay_candidate_view_set_session (self->candidate_view, session);
  assay_candidate_view_set_session (self->candidate_view_b, session);
  assay_judgment_panel_set_session (self->judgment_panel, session);
  assay_ranking_view_set_session (self->ranking_view, session);
  assay_compare_view_set_session (self->compare_view, session);

  /* After the views inside: they follow the same item, and are up to date
   * when this page picks the candidate they show. */
  g_signal_group_set_target (self->session_signals, session);
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL)
    g_signal_group_set_target (self->item_signals, NULL);
}

AdwViewStack *
assay_review_page_get_stack (AssayReviewPage *self)
{
  g_return_val_if_fail (ASSAY_IS_REVIEW_PAGE (self), NULL);
  return self->stack;
}

void
assay_review_page_flush (AssayReviewPage *self)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));

  assay_candidate_view_flush (self->candidate_view);
  assay_candidate_view_flush (self->candidate_view_b);
  assay_judgment_panel_flush (self->judgment_panel);
  assay_compare_view_flush (self->compare_view);
}

void
assay_review_page_show_missing (AssayReviewPage *self,
                                gboolean         show)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));

  gint64 candidate_id = 0;

  if (show)
    {
      adw_view_stack_set_visible_child_name (self->stack, "review");
      /* To the first gap, which may well be on another candidate. */
      if (self->session != NULL &&
          assay_session_first_gap (self->session, &candidate_id, NULL) &&
          candidate_id != self->candidate_id)
        {
          assay_candidate_view_flush (self->candidate_view);
          assay_judgment_panel_flush (self->judgment_panel);
          show_candidate (self, candidate_id);
        }
    }
  assay_judgment_panel_show_missing (self->judgment_panel, show);
  if (show)
    assay_judgment_panel_focus_rubric (self->judgment_panel);
}

void
assay_review_page_start_search (AssayReviewPage *self)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));
  assay_transcript_view_start_search (self->transcript);
}

void
assay_review_page_set_font_scale (AssayReviewPage *self,
                                  double           scale)
{
  g_return_if_fail (ASSAY_IS_REVIEW_PAGE (self));
  assay_transcript_view_set_font_scale (self->transcript, scale);
}
