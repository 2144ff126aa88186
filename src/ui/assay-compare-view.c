/* assay-compare-view.c: blind A/B comparison of two candidates
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pairs are those of assay_item_next_pair with blind set: in the
 * blind display order, each side picked by its stable coin flip, so
 * neither the side nor the order of the pairs says which model wrote
 * what. The view never shows a model name, whether or not the template
 * asks for blind review.
 *
 * The expert works through the pairs not compared yet; when none is left
 * the view says so and offers to walk through all of them again, showing
 * each stored choice.
 *
 * Each side goes by its candidate's own letter (assay_session_candidate_letter,
 * the core's one rule), as in the Review tabs and Rank: a pair of C and A
 * shows "C" on the left and "A" on the right, with "C Is Better" and
 * "A Is Better", and the keys C and A choose them; ← and → choose the left
 * and the right side whatever their letters.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-compare-view.h"
#include "assay-compare-view-private.h"
#include "assay-keys.h"

/* Typing pauses shorter than this are not worth a write each. */
#define SAVE_DELAY_MS 600
/* Below this width the two texts stand one above the other. */
#define NARROW_WIDTH 700

typedef struct
{
  gint64 a;
  gint64 b;
} Pair;

struct _AssayCompareView
{
  GtkWidget     parent_instance;

  gboolean      stale;            /* the item changed while the view was hidden */

  GtkStack     *stack;
  GtkLabel     *progress;
  GtkBox       *pair_box;
  GtkLabel     *title_a;
  GtkLabel     *title_b;
  GtkTextView  *text_a;
  GtkTextView  *text_b;
  GtkWidget    *choose_a;
  GtkWidget    *choose_b;
  GtkWidget    *choose_tie;
  GtkEntry     *rationale;
  AdwStatusPage *done_page;

  AssaySession *session;
  GBindingGroup *session_bindings;
  GSignalGroup *item_signals;   /* on the session's current item */
  GArray       *pairs;          /* Pair, sides as shown */
  GPtrArray    *drafts;         /* per pair: a rationale typed before the choice */
  guint         index;          /* the pair on screen */
  gboolean      reviewing;      /* walking through pairs already compared */
  gboolean      rationale_dirty;
  guint         syncing;
  guint         save_source;
};

G_DEFINE_FINAL_TYPE (AssayCompareView, assay_compare_view, GTK_TYPE_WIDGET)

static AssayItem *
get_item (AssayCompareView *self)
{
  return self->session != NULL ? assay_session_get_item (self->session) : NULL;
}

static gboolean
showing_pair (AssayCompareView *self)
{
  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "compare") == 0 &&
         self->index < self->pairs->len;
}

static Pair *
current_pair (AssayCompareView *self)
{
  return showing_pair (self) ? &g_array_index (self->pairs, Pair, self->index) : NULL;
}

static AssayItemComparison *
stored_comparison (AssayCompareView *self,
                   Pair             *pair)
{
  AssayItem *item = get_item (self);

  return item != NULL && pair != NULL ? assay_item_find_comparison (item, pair->a, pair->b)
                                      : NULL;
}

/* ---- the pairs ---- */

/* The sides assay_item_next_pair would give the pair of display positions
 * i < j: asked on a copy of the item in which every pair before it counts
 * as compared. The coin flip stays in one place that way. */
static Pair
pair_sides (AssayItem *item,
            GArray    *order,
            guint      i,
            guint      j)
{
  g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func (g_free);
  AssayItem probe = *item;
  Pair pair = { 0, 0 };

  for (guint k = 0; k < order->len; k++)
    for (guint l = k + 1; l < order->len; l++)
      {
        AssayItemComparison *done;

        if (k > i || (k == i && l >= j))
          continue;
        done = g_new0 (AssayItemComparison, 1);
        done->a = ((AssayItemCandidate *) g_ptr_array_index (item->candidates,
                                                              g_array_index (order, guint, k)))->id;
        done->b = ((AssayItemCandidate *) g_ptr_array_index (item->candidates,
                                                              g_array_index (order, guint, l)))->id;
        g_ptr_array_add (before, done);
      }
  probe.comparisons = before;
  if (!assay_item_next_pair (&probe, TRUE, &pair.a, &pair.b))
    g_assert_not_reached ();
  return pair;
}

static void
compute_pairs (AssayCompareView *self)
{
  AssayItem *item = get_item (self);
  g_autoptr(GArray) order = NULL;

  g_array_set_size (self->pairs, 0);
  g_ptr_array_set_size (self->drafts, 0);
  if (item == NULL)
    return;

  order = assay_item_display_order (item, TRUE);
  for (guint i = 0; i < order->len; i++)
    for (guint j = i + 1; j < order->len; j++)
      {
        guint xi = g_array_index (order, guint, i), yi = g_array_index (order, guint, j);
        AssayItemCandidate *x = g_ptr_array_index (item->candidates, xi);
        AssayItemCandidate *y = g_ptr_array_index (item->candidates, yi);
        AssayItemComparison *stored = assay_item_find_comparison (item, x->id, y->id);
        Pair pair;

        /* A pair compared before keeps the sides it was judged on. */
        if (stored != NULL)
          pair = (Pair) { stored->a, stored->b };
        else
          pair = pair_sides (item, order, i, j);
        g_array_append_val (self->pairs, pair);
        g_ptr_array_add (self->drafts, NULL);
      }
}

static guint
find_pair (AssayCompareView *self,
           gint64            a,
           gint64            b)
{
  for (guint i = 0; i < self->pairs->len; i++)
    {
      Pair *pair = &g_array_index (self->pairs, Pair, i);

      if ((pair->a == a && pair->b == b) || (pair->a == b && pair->b == a))
        return i;
    }
  return G_MAXUINT;
}

/* ---- showing ---- */

static void
update_actions (AssayCompareView *self)
{
  gboolean on_pair = showing_pair (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.previous",
                                 on_pair && self->index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.next",
                                 on_pair && self->index + 1 < self->pairs->len);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.choose-a", on_pair);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.choose-b", on_pair);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.choose-tie", on_pair);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.review", self->pairs->len > 0);
}

/* Marks the stored choice, when there is one, among the three buttons. */
static void
update_choice (AssayCompareView *self)
{
  AssayItemComparison *stored = stored_comparison (self, current_pair (self));
  Pair *pair = current_pair (self);
  GtkWidget *chosen = NULL;
  GtkWidget *buttons[] = { self->choose_a, self->choose_tie, self->choose_b };

  if (stored != NULL)
    {
      /* Stored the other way round, A and B swap. */
      gboolean swapped = stored->a != pair->a;

      if (stored->winner == ASSAY_WINNER_TIE)
        chosen = self->choose_tie;
      else if ((stored->winner == ASSAY_WINNER_A) != swapped)
        chosen = self->choose_a;
      else
        chosen = self->choose_b;
    }
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      if (buttons[i] == chosen)
        gtk_widget_add_css_class (buttons[i], "suggested-action");
      else
        gtk_widget_remove_css_class (buttons[i], "suggested-action");
    }
}

static void
set_rationale (AssayCompareView *self,
               const char       *text)
{
  self->syncing++;
  gtk_editable_set_text (GTK_EDITABLE (self->rationale), text != NULL ? text : "");
  self->syncing--;
  self->rationale_dirty = FALSE;
}

static void
set_text (GtkTextView        *view,
          AssayItemCandidate *candidate)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start;

  gtk_text_buffer_set_text (buffer, candidate != NULL ? candidate->text : "", -1);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view)), 0);
}

/* Names one side by its candidate's letter: its title, its text's
 * accessible name, and its button (label, accessible name, tooltip). */
static void
name_side (AssayCompareView *self,
           GtkLabel         *title,
           GtkTextView      *text,
           GtkWidget        *button,
           gint64            candidate_id,
           const char       *arrow)
{
  g_autofree char *letter = assay_session_candidate_letter (self->session, candidate_id);
  g_autofree char *summary = NULL;
  g_autofree char *better = NULL;
  g_autofree char *tooltip = NULL;

  gtk_label_set_text (title, letter);
  /* TRANSLATORS: accessible name of a candidate's text in Compare, e.g. "Summary C" */
  summary = g_strdup_printf (_("Summary %s"), letter);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
  /* TRANSLATORS: a button in Compare; %s is the candidate's letter, e.g. "C Is Better" */
  better = g_strdup_printf (_("%s Is Better"), letter);
  gtk_button_set_label (GTK_BUTTON (button), better);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, better,
                                  -1);
  /* TRANSLATORS: tooltip in Compare: the candidate's letter, the letter
   * again as the key, and an arrow key, e.g. "C is better (C or ←)" */
  tooltip = g_strdup_printf (_("%s is better (%s or %s)"), letter, letter, arrow);
  gtk_widget_set_tooltip_text (button, tooltip);
}

static void
show_pair (AssayCompareView *self,
           guint             index)
{
  AssayItem *item = get_item (self);
  g_autofree char *progress = NULL;
  AssayItemComparison *stored;
  Pair *pair;

  g_assert (index < self->pairs->len);
  self->index = index;
  pair = &g_array_index (self->pairs, Pair, index);
  set_text (self->text_a, assay_item_find_candidate (item, pair->a));
  set_text (self->text_b, assay_item_find_candidate (item, pair->b));
  name_side (self, self->title_a, self->text_a, self->choose_a, pair->a, "←");
  name_side (self, self->title_b, self->text_b, self->choose_b, pair->b, "→");

  /* TRANSLATORS: which pair of summaries is on screen, e.g. "Pair 2 of 6" */
  progress = g_strdup_printf (_("Pair %u of %u"), index + 1, self->pairs->len);
  gtk_label_set_text (self->progress, progress);

  gtk_stack_set_visible_child_name (self->stack, "compare");
  stored = stored_comparison (self, pair);
  set_rationale (self, stored != NULL ? stored->rationale
                                      : g_ptr_array_index (self->drafts, index));
  update_choice (self);
  update_actions (self);
}

static void
show_done (AssayCompareView *self)
{
  g_autofree char *description = NULL;

  self->reviewing = FALSE;
  self->index = G_MAXUINT;
  /* TRANSLATORS: on the page shown when every pair has a choice */
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Your choice for the only pair is saved.",
                                              "Your choices for all %u pairs are saved.",
                                              self->pairs->len),
                                 self->pairs->len);
  adw_status_page_set_description (self->done_page, description);
  gtk_stack_set_visible_child_name (self->stack, "done");
  update_actions (self);
}

/* The first pair not compared yet, or the page that says there is none. */
static void
show_next_open (AssayCompareView *self)
{
  AssayItem *item = get_item (self);
  gint64 a, b;
  guint index;

  if (self->pairs->len == 0)
    {
      self->index = G_MAXUINT;
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_actions (self);
      return;
    }
  if (!assay_item_next_pair (item, TRUE, &a, &b))
    {
      show_done (self);
      return;
    }
  index = find_pair (self, a, b);
  g_assert (index != G_MAXUINT);
  show_pair (self, index);
}

/* ---- writing ---- */

static gboolean
save_timeout_cb (gpointer data)
{
  AssayCompareView *self = data;

  self->save_source = 0;
  assay_compare_view_flush (self);
  return G_SOURCE_REMOVE;
}

static void
rationale_changed_cb (GtkEditable      *editable,
                      AssayCompareView *self)
{
  if (self->syncing > 0)
    return;
  self->rationale_dirty = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->save_source = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
  g_source_set_name_by_id (self->save_source, "[assay] compare rationale save");
}

static void
rationale_focus_out_cb (GtkEventControllerFocus *focus,
                        AssayCompareView        *self)
{
  assay_compare_view_flush (self);
}

/* ---- actions and keys ---- */

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (widget);

  if (g_str_equal (action_name, "compare.choose-a"))
    assay_compare_view_choose (self, ASSAY_WINNER_A);
  else if (g_str_equal (action_name, "compare.choose-b"))
    assay_compare_view_choose (self, ASSAY_WINNER_B);
  else
    assay_compare_view_choose (self, ASSAY_WINNER_TIE);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (widget);
  int step = g_str_equal (action_name, "compare.previous") ? -1 : 1;

  if (!showing_pair (self) || (step < 0 && self->index == 0) ||
      (step > 0 && self->index + 1 >= self->pairs->len))
    return;
  assay_compare_view_flush (self);
  show_pair (self, self->index + step);
}

static void
review_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (widget);

  if (self->pairs->len == 0)
    return;
  self->reviewing = TRUE;
  show_pair (self, 0);
  gtk_widget_grab_focus (self->choose_a);
}

/* Runs before the focused widget sees the key, so that the arrows choose
 * even while one of the two texts has the focus; the rationale keeps its
 * keys, as everything that takes text does (assay-keys.h). */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AssayCompareView      *self)
{
  AssayWinner winner;
  gunichar c;

  if (!showing_pair (self) || !assay_keys_one_key_allowed (GTK_WIDGET (self), state))
    return FALSE;

  /* The letter of a candidate on screen chooses it, on either side. */
  c = g_unichar_toupper (gdk_keyval_to_unicode (keyval));
  if (c != 0 && g_unichar_isalpha (c))
    {
      Pair *pair = current_pair (self);
      g_autofree char *left = assay_session_candidate_letter (self->session, pair->a);
      g_autofree char *right = assay_session_candidate_letter (self->session, pair->b);
      char key[8] = { 0 };

      g_unichar_to_utf8 (c, key);
      if (g_str_equal (key, left) || g_str_equal (key, right))
        {
          if (!assay_compare_view_choose (self, g_str_equal (key, left) ? ASSAY_WINNER_A
                                                                         : ASSAY_WINNER_B))
            return FALSE;
          assay_keys_announce (GTK_WIDGET (self), NULL);
          return TRUE;
        }
    }

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      winner = ASSAY_WINNER_A;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      winner = ASSAY_WINNER_B;
      break;
    case GDK_KEY_s:
    case GDK_KEY_S:
    case GDK_KEY_t:
    case GDK_KEY_T:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Equal:
      winner = ASSAY_WINNER_TIE;
      break;
    default:
      return FALSE;
    }
  if (!assay_compare_view_choose (self, winner))
    return FALSE;
  assay_keys_announce (GTK_WIDGET (self), NULL);
  return TRUE;
}

/* ---- following the session ---- */

static void
item_shown (AssayCompareView *self)
{
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->rationale_dirty = FALSE;
  self->reviewing = FALSE;
  /* A hidden page is brought up to date when it is shown: switching items
   * stays cheap for the expert who is not comparing. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  compute_pairs (self);
  show_next_open (self);
}

static void
map_cb (AssayCompareView *self)
{
  if (self->stale)
    {
      self->stale = FALSE;
      compute_pairs (self);
      show_next_open (self);
    }
}

static void
judgment_changed_cb (AssayCompareView *self,
                     guint             kind,
                     gint64            candidate_id)
{
  AssayItemComparison *stored;

  if (kind != ASSAY_SAVED_COMPARISON)
    return;
  /* An undone choice puts its pair back among the open ones: on to it. */
  if (assay_session_is_replaying (self->session) && !self->reviewing && !self->stale)
    {
      show_next_open (self);
      return;
    }
  if (!showing_pair (self))
    return;
  update_choice (self);
  stored = stored_comparison (self, current_pair (self));
  if (stored != NULL && !self->rationale_dirty &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->rationale)),
                 stored->rationale != NULL ? stored->rationale : "") != 0)
    set_rationale (self, stored->rationale);
}

/* ---- the widget ---- */

static void
assay_compare_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (widget);

  gtk_widget_measure (GTK_WIDGET (self->stack), orientation, for_size,
                      minimum, natural, minimum_baseline, natural_baseline);
}

/* The texts stand side by side while there is room for two readable
 * columns. The box is turned before it is measured, so the turn costs no
 * second layout pass. */
static void
assay_compare_view_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (widget);
  GtkOrientation orientation = width < NARROW_WIDTH ? GTK_ORIENTATION_VERTICAL
                                                    : GTK_ORIENTATION_HORIZONTAL;

  if (gtk_orientable_get_orientation (GTK_ORIENTABLE (self->pair_box)) != orientation)
    gtk_orientable_set_orientation (GTK_ORIENTABLE (self->pair_box), orientation);
  gtk_widget_measure (GTK_WIDGET (self->stack), GTK_ORIENTATION_HORIZONTAL, -1,
                      NULL, NULL, NULL, NULL);
  gtk_widget_allocate (GTK_WIDGET (self->stack), width, height, baseline, NULL);
}

static void
assay_compare_view_dispose (GObject *object)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (object);

  if (self->session != NULL)
    assay_compare_view_flush (self);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->item_signals);
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_COMPARE_VIEW);

  G_OBJECT_CLASS (assay_compare_view_parent_class)->dispose (object);
}

static void
assay_compare_view_finalize (GObject *object)
{
  AssayCompareView *self = ASSAY_COMPARE_VIEW (object);

  g_array_unref (self->pairs);
  g_ptr_array_unref (self->drafts);

  G_OBJECT_CLASS (assay_compare_view_parent_class)->finalize (object);
}

static void
assay_compare_view_class_init (AssayCompareViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_compare_view_dispose;
  object_class->finalize = assay_compare_view_finalize;
  widget_class->measure = assay_compare_view_measure;
  widget_class->size_allocate = assay_compare_view_size_allocate;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-compare-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, progress);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, pair_box);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, title_a);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, title_b);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, text_a);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, text_b);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, choose_a);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, choose_b);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, choose_tie);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, rationale);
  gtk_widget_class_bind_template_child (widget_class, AssayCompareView, done_page);
  gtk_widget_class_set_css_name (widget_class, "compareview");

  gtk_widget_class_install_action (widget_class, "compare.choose-a", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "compare.choose-b", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "compare.choose-tie", NULL, choose_action);
  gtk_widget_class_install_action (widget_class, "compare.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.next", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "compare.review", NULL, review_action);
}

static void
assay_compare_view_init (AssayCompareView *self)
{
  GtkEventController *controller;

  self->pairs = g_array_new (FALSE, FALSE, sizeof (Pair));
  self->drafts = g_ptr_array_new_with_free_func (g_free);
  self->index = G_MAXUINT;

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  g_signal_connect (self->rationale, "changed", G_CALLBACK (rationale_changed_cb), self);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (rationale_focus_out_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->rationale), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_actions (self);

  /* The view follows the session's current item through its signals. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "judgment-changed",
                                  G_CALLBACK (judgment_changed_cb), self);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);
}

void
assay_compare_view_set_session (AssayCompareView *self,
                                AssaySession     *session)
{
  g_return_if_fail (ASSAY_IS_COMPARE_VIEW (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    assay_compare_view_flush (self);
  g_set_object (&self->session, session);
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL || assay_session_get_current_item (session) == NULL)
    {
      g_signal_group_set_target (self->item_signals, NULL);
      item_shown (self);
    }
}

gboolean
assay_compare_view_choose (AssayCompareView *self,
                           AssayWinner       winner)
{
  const char *text;
  Pair pair;

  g_return_val_if_fail (ASSAY_IS_COMPARE_VIEW (self), FALSE);

  map_cb (self);
  if (!showing_pair (self))
    return FALSE;

  pair = *current_pair (self);
  text = gtk_editable_get_text (GTK_EDITABLE (self->rationale));
  g_clear_handle_id (&self->save_source, g_source_remove);
  self->rationale_dirty = FALSE;
  if (!assay_session_set_comparison (self->session, pair.a, pair.b, winner, text, NULL))
    {
      /* Reported through "save-failed"; the pair stays on screen. */
      self->rationale_dirty = TRUE;
      return FALSE;
    }
  g_clear_pointer (&g_ptr_array_index (self->drafts, self->index), g_free);

  if (self->reviewing)
    {
      if (self->index + 1 < self->pairs->len)
        show_pair (self, self->index + 1);
      else
        show_done (self);
    }
  else
    show_next_open (self);
  return TRUE;
}

void
assay_compare_view_flush (AssayCompareView *self)
{
  AssayItemComparison *stored;
  const char *text;

  g_return_if_fail (ASSAY_IS_COMPARE_VIEW (self));

  g_clear_handle_id (&self->save_source, g_source_remove);
  if (!self->rationale_dirty || !showing_pair (self))
    return;

  text = gtk_editable_get_text (GTK_EDITABLE (self->rationale));
  self->rationale_dirty = FALSE;
  /* Without a choice there is nothing to attach the rationale to yet: it
   * waits for the choice, also while the expert looks at other pairs. */
  stored = stored_comparison (self, current_pair (self));
  if (stored == NULL)
    {
      g_free (g_ptr_array_index (self->drafts, self->index));
      g_ptr_array_index (self->drafts, self->index) = *text != '\0' ? g_strdup (text) : NULL;
      return;
    }

  if (g_strcmp0 (*text != '\0' ? text : NULL, stored->rationale) == 0)
    return;
  if (!assay_session_set_comparison (self->session, stored->a, stored->b, stored->winner, text,
                                     NULL))
    self->rationale_dirty = TRUE;
}

/* ---- for the tests ---- */

gboolean
_assay_compare_view_get_pair (AssayCompareView *self,
                              gint64           *a,
                              gint64           *b)
{
  Pair *pair = current_pair (self);

  if (pair == NULL)
    return FALSE;
  *a = pair->a;
  *b = pair->b;
  return TRUE;
}

GtkOrientation
_assay_compare_view_get_layout (AssayCompareView *self)
{
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->pair_box));
}
