/* assay-ranking-view.c: ordering a source's candidates, ties allowed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The list shows the candidates in the annotator's order: ranked ones by
 * rank, the unranked after them in display order. The rows stay the same
 * widgets while the list re-sorts, so the focus stays with the row the
 * expert is moving.
 *
 * Ranks are always stored dense: rows that share a rank keep sharing it,
 * and each next distinct rank is one more than the one before, so ranks
 * 1, 3, 3, 7 are stored as 1, 2, 2, 3 and no rank number is ever skipped.
 * A tie is two rows with the same rank.
 *
 * Ties are the expert's: no key breaks one as a side effect. Alt+Up and
 * Alt+Down move a row together with the rows tied with it; T ties a row
 * with the row above, or unties it; a digit gives the row that rank (so the
 * rank shown is the digit pressed), tying it with the rows already there.
 * Each key says what it did in a toast.
 *
 * Dropping a row makes the order on screen the ranking down to where the
 * row lands: every row above it ends up ranked, each in its own rank except
 * neighbours that were tied before and still stand together.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-keys.h"
#include "assay-ranking-view.h"
#include "assay-ranking-view-private.h"

typedef struct
{
  AssayRankingView *view;
  gint64            candidate_id;
  guint             display_index;
  int               rank;          /* as stored; 0: unranked */
  int               new_rank;      /* while a change is worked out */
  GtkWidget        *row;
  GtkLabel         *rank_label;
  GtkWidget        *tie_label;
  GtkLabel         *name_label;
} RankRow;

struct _AssayRankingView
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkListBox   *list;

  AssaySession *session;
  GBindingGroup *session_bindings;
  GSignalGroup *item_signals;      /* on the session's current item */
  GPtrArray    *rows;              /* RankRow, in display order */
  gboolean      stale;             /* the item changed while the view was hidden */
  gboolean      wrote;             /* the last commit changed what is stored */
};

G_DEFINE_FINAL_TYPE (AssayRankingView, assay_ranking_view, GTK_TYPE_WIDGET)

static RankRow *
row_data (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "assay-rank-row");
}

static int
compare_rows (const RankRow *a,
              const RankRow *b)
{
  if (a->rank != b->rank)
    {
      if (a->rank == 0)
        return 1;
      if (b->rank == 0)
        return -1;
      return a->rank < b->rank ? -1 : 1;
    }
  return a->display_index < b->display_index ? -1 : a->display_index > b->display_index;
}

static int
sort_func (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       data)
{
  return compare_rows (row_data (GTK_WIDGET (a)), row_data (GTK_WIDGET (b)));
}

static int
compare_ptr_rows (gconstpointer a,
                  gconstpointer b)
{
  return compare_rows (*(RankRow **) a, *(RankRow **) b);
}

/* The rows in the order on screen. */
static GPtrArray *
visual_order (AssayRankingView *self)
{
  GPtrArray *order = g_ptr_array_copy (self->rows, NULL, NULL);

  g_ptr_array_sort (order, compare_ptr_rows);
  return order;
}

static RankRow *
find_row (AssayRankingView *self,
          gint64            candidate_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *row = g_ptr_array_index (self->rows, i);

      if (row->candidate_id == candidate_id)
        return row;
    }
  return NULL;
}

static guint
index_of (GPtrArray *order,
          RankRow   *row)
{
  guint index = 0;

  g_ptr_array_find (order, row, &index);
  return index;
}

/* ---- showing ---- */

static void
update_row (AssayRankingView *self,
            RankRow          *row)
{
  g_autofree char *name = assay_session_candidate_name (self->session, row->candidate_id);
  g_autofree char *accessible = NULL;
  gboolean tied = FALSE;

  for (guint i = 0; i < self->rows->len && row->rank > 0; i++)
    {
      RankRow *other = g_ptr_array_index (self->rows, i);

      if (other != row && other->rank == row->rank)
        tied = TRUE;
    }

  if (row->rank > 0)
    {
      g_autofree char *number = g_strdup_printf ("%d", row->rank);

      gtk_label_set_text (row->rank_label, number);
      gtk_widget_remove_css_class (GTK_WIDGET (row->rank_label), "dim-label");
      /* TRANSLATORS: a ranked row's accessible name, e.g. "Rank 2: B · atlas-7b" */
      accessible = g_strdup_printf (_("Rank %d: %s"), row->rank, name);
    }
  else
    {
      gtk_label_set_text (row->rank_label, "–");
      gtk_widget_add_css_class (GTK_WIDGET (row->rank_label), "dim-label");
      /* TRANSLATORS: an unranked row's accessible name, e.g. "Unranked: B · atlas-7b" */
      accessible = g_strdup_printf (_("Unranked: %s"), name);
    }
  gtk_label_set_text (row->name_label, name);
  gtk_widget_set_visible (row->tie_label, tied);
  if (row->rank > 0)
    gtk_widget_add_css_class (row->row, "ranked");
  else
    gtk_widget_remove_css_class (row->row, "ranked");

  gtk_accessible_update_property (GTK_ACCESSIBLE (row->row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  tied ? _("Tied with another summary") : NULL,
                                  -1);
}

/* Takes the ranks from the item (after a write, or when another widget
 * changed them) and re-sorts. */
static void
refresh (AssayRankingView *self)
{
  AssayItem *item = self->session != NULL ? assay_session_get_item (self->session) : NULL;

  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *row = g_ptr_array_index (self->rows, i);
      AssayItemCandidate *candidate = item ? assay_item_find_candidate (item, row->candidate_id)
                                           : NULL;

      row->rank = candidate != NULL ? candidate->rank : 0;
    }
  for (guint i = 0; i < self->rows->len; i++)
    update_row (self, g_ptr_array_index (self->rows, i));
  gtk_list_box_invalidate_sort (self->list);
}

/* ---- changing the ranking ---- */

static int
compare_ints (gconstpointer a,
              gconstpointer b)
{
  int x = *(const int *) a, y = *(const int *) b;

  return x < y ? -1 : x > y;
}

/* Renumbers the new ranks densely (see the top of the file) and writes
 * them; the list follows through "judgment-saved". */
static void
commit (AssayRankingView *self,
        RankRow          *moved)
{
  g_autoptr(GArray) distinct = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ranks = g_array_new (FALSE, FALSE, sizeof (int));
  gboolean changed = FALSE;

  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *row = g_ptr_array_index (self->rows, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < distinct->len && !seen; j++)
        seen = g_array_index (distinct, int, j) == row->new_rank;
      if (row->new_rank > 0 && !seen)
        g_array_append_val (distinct, row->new_rank);
    }
  g_array_sort (distinct, compare_ints);

  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *row = g_ptr_array_index (self->rows, i);
      int dense = 0;

      for (guint j = 0; j < distinct->len && row->new_rank > 0; j++)
        if (g_array_index (distinct, int, j) == row->new_rank)
          dense = (int) j + 1;
      if (dense != row->rank)
        changed = TRUE;
      if (dense > 0)
        {
          g_array_append_val (ids, row->candidate_id);
          g_array_append_val (ranks, dense);
        }
    }

  /* A failed write was reported through "save-failed"; the list keeps
   * showing what is stored. */
  self->wrote = changed &&
                assay_session_set_ranking (self->session, (gint64 *) ids->data,
                                           (int *) ranks->data, ids->len, NULL);
  refresh (self);
  if (moved != NULL && gtk_widget_get_mapped (moved->row))
    gtk_widget_grab_focus (moved->row);
}

static void
keep_ranks (AssayRankingView *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *row = g_ptr_array_index (self->rows, i);

      row->new_rank = row->rank;
    }
}

/* Puts `moved` at `position` of the order on screen (counted without it)
 * and makes that order the ranking down to it. */
static void
reorder (AssayRankingView *self,
         RankRow          *moved,
         guint             position)
{
  g_autoptr(GPtrArray) order = visual_order (self);
  RankRow *previous = NULL;
  guint limit;
  int next = 0;

  g_ptr_array_remove (order, moved);
  position = MIN (position, order->len);
  g_ptr_array_insert (order, position, moved);

  limit = position;
  for (guint i = 0; i < order->len; i++)
    {
      RankRow *row = g_ptr_array_index (order, i);

      if (row != moved && row->rank > 0)
        limit = MAX (limit, i);
    }

  for (guint i = 0; i < order->len; i++)
    {
      RankRow *row = g_ptr_array_index (order, i);

      if (i > limit)
        row->new_rank = 0;
      else if (previous != NULL && previous != moved && row != moved && row->rank > 0 &&
               row->rank == previous->rank)
        row->new_rank = next;
      else
        row->new_rank = ++next;
      previous = row;
    }
  commit (self, moved);
}

/* The letters of rows, for saying what a key did: "B", "B and C",
 * "B, C and D". */
static char *
names_of (AssayRankingView *self,
          GPtrArray        *rows)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      RankRow *row = g_ptr_array_index (rows, i);
      g_autofree char *letter = assay_session_candidate_letter (self->session, row->candidate_id);

      if (i > 0)
        /* TRANSLATORS: joins the last two of a list of candidates, e.g. "B and C" */
        g_string_append (names, i + 1 == rows->len ? _(" and ") : _(", "));
      g_string_append (names, letter);
    }
  return g_string_free (names, FALSE);
}

/* The rows of a rank, in the order on screen. */
static GPtrArray *
rows_ranked (AssayRankingView *self,
             int               rank)
{
  g_autoptr(GPtrArray) order = visual_order (self);
  GPtrArray *rows = g_ptr_array_new ();

  for (guint i = 0; i < order->len; i++)
    if (((RankRow *) g_ptr_array_index (order, i))->rank == rank)
      g_ptr_array_add (rows, g_ptr_array_index (order, i));
  return rows;
}

static int
lowest_rank (AssayRankingView *self)
{
  int k = 0;

  for (guint i = 0; i < self->rows->len; i++)
    k = MAX (k, ((RankRow *) g_ptr_array_index (self->rows, i))->rank);
  return k;
}

/* Says what a key did: the words name the change in the history too, so
 * that "Undone: B: rank 2" says what came back. When the key changed
 * nothing, they are only a note, with no Undo. */
static void
say (AssayRankingView *self,
     const char       *text)
{
  if (self->wrote)
    {
      assay_session_set_undo_description (self->session, text);
      assay_keys_announce (GTK_WIDGET (self), NULL);
    }
  else
    assay_keys_announce (GTK_WIDGET (self), text);
}

/* Says what a key did to the ranking, from what is stored now: "B: rank 2",
 * "B: rank 2, tied with C". */
static void
announce_rank (AssayRankingView *self,
               RankRow          *row,
               const char       *extra)
{
  g_autofree char *name = assay_session_candidate_letter (self->session, row->candidate_id);
  g_autofree char *text = NULL;

  if (row->rank == 0)
    /* TRANSLATORS: what a key did in the ranking, e.g. "B unranked" */
    text = g_strdup_printf (_("%s unranked"), name);
  else
    {
      g_autoptr(GPtrArray) tied = rows_ranked (self, row->rank);
      g_autofree char *others = NULL;

      g_ptr_array_remove (tied, row);
      others = names_of (self, tied);
      if (tied->len > 0)
        /* TRANSLATORS: e.g. "B: rank 2, tied with C" */
        text = g_strdup_printf (_("%s: rank %d, tied with %s"), name, row->rank, others);
      else
        /* TRANSLATORS: e.g. "B: rank 2" */
        text = g_strdup_printf (_("%s: rank %d"), name, row->rank);
    }
  if (extra != NULL)
    {
      char *longer = g_strdup_printf ("%s %s", text, extra);

      g_free (text);
      text = longer;
    }
  say (self, text);
}

/* Nothing to do: the bell, and a word on why. */
static void
refuse (AssayRankingView *self,
        const char       *why)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  assay_keys_announce (GTK_WIDGET (self), why);
}

/* Moves the row's whole tie (or the row alone) up past the rank above it;
 * ties stay as they are. An unranked row below the ranked ones first takes
 * the next rank where it is. */
static void
move_up (AssayRankingView *self,
         RankRow          *row)
{
  g_autoptr(GPtrArray) order = visual_order (self);
  g_autoptr(GPtrArray) group = NULL;
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;
  guint i = index_of (order, row);
  RankRow *above = i > 0 ? g_ptr_array_index (order, i - 1) : NULL;
  int rank = row->rank;

  if (rank == 0)
    {
      if (above == NULL)
        {
          refuse (self, _("Already first"));
          return;
        }
      reorder (self, row, above->rank == 0 ? i - 1 : i);
      announce_rank (self, row, NULL);
      return;
    }
  group = rows_ranked (self, rank);
  names = names_of (self, group);
  if (rank == 1)
    {
      /* TRANSLATORS: e.g. "B is already first" or "B and C are already first" */
      text = g_strdup_printf (group->len > 1 ? _("%s are already first")
                                             : _("%s is already first"), names);
      refuse (self, text);
      return;
    }

  keep_ranks (self);
  for (guint j = 0; j < self->rows->len; j++)
    {
      RankRow *other = g_ptr_array_index (self->rows, j);

      if (other->rank == rank)
        other->new_rank = rank - 1;
      else if (other->rank == rank - 1)
        other->new_rank = rank;
    }
  commit (self, row);
  if (group->len > 1)
    {
      /* TRANSLATORS: a tie moved together, e.g. "B and C moved up: rank 1, still tied" */
      text = g_strdup_printf (_("%s moved up: rank %d, still tied"), names, row->rank);
      say (self, text);
    }
  else
    announce_rank (self, row, NULL);
}

/* Moves the row's whole tie (or the row alone) down past the rank below;
 * the last rank goes below the first unranked row, which takes its place. */
static void
move_down (AssayRankingView *self,
           RankRow          *row)
{
  g_autoptr(GPtrArray) order = visual_order (self);
  g_autoptr(GPtrArray) group = NULL;
  g_autofree char *names = NULL;
  g_autofree char *text = NULL;
  guint i = index_of (order, row);
  RankRow *below = i + 1 < order->len ? g_ptr_array_index (order, i + 1) : NULL;
  int rank = row->rank, last = lowest_rank (self);

  if (rank == 0)
    {
      if (below == NULL)
        {
          refuse (self, _("Already last"));
          return;
        }
      reorder (self, row, i + 1);
      announce_rank (self, row, NULL);
      return;
    }

  group = rows_ranked (self, rank);
  names = names_of (self, group);
  keep_ranks (self);
  if (rank < last)
    {
      for (guint j = 0; j < self->rows->len; j++)
        {
          RankRow *other = g_ptr_array_index (self->rows, j);

          if (other->rank == rank)
            other->new_rank = rank + 1;
          else if (other->rank == rank + 1)
            other->new_rank = rank;
        }
    }
  else
    {
      guint end = index_of (order, g_ptr_array_index (group, group->len - 1)) + 1;
      RankRow *first_unranked = end < order->len ? g_ptr_array_index (order, end) : NULL;

      if (first_unranked == NULL || first_unranked->rank != 0)
        {
          /* TRANSLATORS: e.g. "B is already last" or "B and C are already last" */
          text = g_strdup_printf (group->len > 1 ? _("%s are already last")
                                                 : _("%s is already last"), names);
          refuse (self, text);
          return;
        }
      first_unranked->new_rank = rank;
      for (guint j = 0; j < group->len; j++)
        ((RankRow *) g_ptr_array_index (group, j))->new_rank = rank + 1;
    }
  commit (self, row);
  if (group->len > 1)
    {
      /* TRANSLATORS: a tie moved together, e.g. "B and C moved down: rank 3, still tied" */
      text = g_strdup_printf (_("%s moved down: rank %d, still tied"), names, row->rank);
      say (self, text);
    }
  else
    announce_rank (self, row, NULL);
}

/* A digit: the row takes that rank, tying with the rows that hold it once
 * the row has left its own place, so the rank shown is the digit pressed.
 * Ranks have no gaps: past the last rank, the row takes the next one. */
static void
place_at (AssayRankingView *self,
          RankRow          *row,
          int               rank)
{
  g_autoptr(GArray) distinct = g_array_new (FALSE, FALSE, sizeof (int));
  int k;

  if (rank <= 0)
    {
      if (row->rank == 0)
        return;
      keep_ranks (self);
      row->new_rank = 0;
      commit (self, row);
      announce_rank (self, row, NULL);
      return;
    }

  /* The ranks of the others, renumbered without this row. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *other = g_ptr_array_index (self->rows, i);
      gboolean seen = FALSE;

      for (guint j = 0; j < distinct->len && !seen; j++)
        seen = g_array_index (distinct, int, j) == other->rank;
      if (other != row && other->rank > 0 && !seen)
        g_array_append_val (distinct, other->rank);
    }
  g_array_sort (distinct, compare_ints);
  k = (int) distinct->len;
  for (guint i = 0; i < self->rows->len; i++)
    {
      RankRow *other = g_ptr_array_index (self->rows, i);

      other->new_rank = 0;
      for (guint j = 0; j < distinct->len && other != row && other->rank > 0; j++)
        if (g_array_index (distinct, int, j) == other->rank)
          other->new_rank = (int) j + 1;
    }
  row->new_rank = MIN (rank, k + 1);
  commit (self, row);
  if (rank > k + 1)
    {
      /* TRANSLATORS: after e.g. "B: rank 2", when 3 was pressed */
      g_autofree char *why = g_strdup_printf (_("(rank %d would leave a gap)"), rank);
      announce_rank (self, row, why);
    }
  else
    announce_rank (self, row, NULL);
}

/* T: ties the row with the row above; pressed again, unties it (the row
 * then takes its own rank just below the others of the tie). */
static void
toggle_tie (AssayRankingView *self,
            RankRow          *row)
{
  g_autoptr(GPtrArray) order = visual_order (self);
  guint i = index_of (order, row);
  RankRow *above = i > 0 ? g_ptr_array_index (order, i - 1) : NULL;
  g_autofree char *name = assay_session_candidate_letter (self->session, row->candidate_id);
  g_autofree char *text = NULL;

  if (above == NULL || above->rank == 0)
    {
      /* TRANSLATORS: e.g. "No ranked summary above A to tie with" */
      text = g_strdup_printf (_("No ranked summary above %s to tie with"), name);
      refuse (self, text);
      return;
    }
  keep_ranks (self);
  if (row->rank == above->rank)
    {
      for (guint j = 0; j < self->rows->len; j++)
        {
          RankRow *other = g_ptr_array_index (self->rows, j);

          if (other->rank > row->rank)
            other->new_rank = other->rank + 1;
        }
      row->new_rank = row->rank + 1;
      commit (self, row);
      /* TRANSLATORS: e.g. "C untied: rank 3" */
      text = g_strdup_printf (_("%s untied: rank %d"), name, row->rank);
      say (self, text);
      return;
    }
  row->new_rank = above->rank;
  commit (self, row);
  announce_rank (self, row, NULL);
}

/* ---- actions and keys ---- */

static RankRow *
focused_row (AssayRankingView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  GtkWidget *row = focus != NULL ? gtk_widget_get_ancestor (focus, GTK_TYPE_LIST_BOX_ROW) : NULL;

  if (row == NULL || gtk_widget_get_parent (row) != GTK_WIDGET (self->list))
    return NULL;
  return row_data (row);
}

static RankRow *
target_row (AssayRankingView *self,
            GVariant         *param)
{
  if (self->session == NULL)
    return NULL;
  return param != NULL ? find_row (self, g_variant_get_int64 (param)) : focused_row (self);
}

static void
move_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (widget);
  RankRow *row = target_row (self, param);

  if (row != NULL)
    move_up (self, row);
}

static void
move_down_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (widget);
  RankRow *row = target_row (self, param);

  if (row != NULL)
    move_down (self, row);
}

static void
tie_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (widget);
  RankRow *row = target_row (self, param);

  if (row != NULL)
    toggle_tie (self, row);
}

static void
unrank_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (widget);
  RankRow *row = target_row (self, param);

  if (row != NULL)
    place_at (self, row, 0);
}

static void
set_rank_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (widget);
  gint64 candidate_id;
  RankRow *row;
  int rank;

  g_variant_get (param, "(xi)", &candidate_id, &rank);
  row = self->session != NULL ? find_row (self, candidate_id) : NULL;
  if (row != NULL)
    place_at (self, row, rank);
}

/* The keys act on the focused row; without one they are not ours. */
static gboolean
row_key_cb (GtkWidget *widget,
            GVariant  *args,
            gpointer   data)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (widget);
  RankRow *row = focused_row (self);
  const char *op;
  int rank;

  if (row == NULL)
    return FALSE;
  g_variant_get (args, "(&si)", &op, &rank);
  /* Alt+Up and Alt+Down are chords; the rest are one-key shortcuts. */
  if (g_str_equal (op, "up"))
    move_up (self, row);
  else if (g_str_equal (op, "down"))
    move_down (self, row);
  else if (!assay_keys_one_key_allowed (widget, 0))
    return FALSE;
  else if (g_str_equal (op, "tie"))
    toggle_tie (self, row);
  else
    place_at (self, row, rank);
  return TRUE;
}

/* ---- drag and drop ---- */

static void
clear_drop_marks (RankRow *row)
{
  gtk_widget_remove_css_class (row->row, "drop-above");
  gtk_widget_remove_css_class (row->row, "drop-below");
}

static GdkContentProvider *
drag_prepare_cb (GtkDragSource *source,
                 double         x,
                 double         y,
                 RankRow       *row)
{
  return gdk_content_provider_new_typed (G_TYPE_INT64, row->candidate_id);
}

static void
drag_begin_cb (GtkDragSource *source,
               GdkDrag       *drag,
               RankRow       *row)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (row->row);

  gtk_drag_source_set_icon (source, paintable, 24, 24);
  gtk_widget_add_css_class (row->row, "dragged");
}

static void
drag_end_cb (GtkDragSource *source,
             GdkDrag       *drag,
             gboolean       delete_data,
             RankRow       *row)
{
  gtk_widget_remove_css_class (row->row, "dragged");
}

static gboolean
drop_after (RankRow *row,
            double   y)
{
  return y > gtk_widget_get_height (row->row) / 2.0;
}

static GdkDragAction
drop_motion_cb (GtkDropTarget *target,
                double         x,
                double         y,
                RankRow       *row)
{
  gboolean after = drop_after (row, y);

  gtk_widget_remove_css_class (row->row, after ? "drop-above" : "drop-below");
  gtk_widget_add_css_class (row->row, after ? "drop-below" : "drop-above");
  return GDK_ACTION_MOVE;
}

static void
drop_leave_cb (GtkDropTarget *target,
               RankRow       *row)
{
  clear_drop_marks (row);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         RankRow       *row)
{
  clear_drop_marks (row);
  if (!G_VALUE_HOLDS_INT64 (value))
    return FALSE;
  _assay_ranking_view_drop (row->view, g_value_get_int64 (value), row->candidate_id,
                            drop_after (row, y));
  return TRUE;
}

/* ---- the rows ---- */

/* The first paragraph, for the tooltip: up to the first blank line, so a
 * summary that opens with a list keeps the list. */
static char *
first_paragraph (const char *text)
{
  const char *end;

  while (g_ascii_isspace (*text))
    text++;
  end = strstr (text, "\n\n");
  return g_strchomp (end != NULL ? g_strndup (text, end - text) : g_strdup (text));
}

/* The opening of the text on one line, for the two lines the row shows. */
static char *
opening (const char *text)
{
  g_autofree char *start = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 400));
  GString *line = g_string_new (NULL);

  for (const char *p = start; *p != '\0'; p++)
    {
      if (*p == '\n' || *p == '\t' || *p == '\r')
        {
          if (line->len > 0 && line->str[line->len - 1] != ' ')
            g_string_append_c (line, ' ');
        }
      else
        g_string_append_c (line, *p);
    }
  return g_strstrip (g_string_free (line, FALSE));
}

static GMenuModel *
row_menu (gint64 candidate_id)
{
  static const struct
  {
    const char *label;
    const char *action;
    const char *accel;
  } entries[] = {
    { N_("Move _Up"), "ranking.move-up", "<Alt>Up" },
    { N_("Move _Down"), "ranking.move-down", "<Alt>Down" },
    { N_("_Tie With Row Above or Untie"), "ranking.tie", "t" },
    { N_("_Remove Rank"), "ranking.unrank", "0" },
  };
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_(entries[i].label), NULL);

      g_menu_item_set_action_and_target_value (item, entries[i].action,
                                               g_variant_new_int64 (candidate_id));
      g_menu_item_set_attribute (item, "accel", "s", entries[i].accel);
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static RankRow *
build_row (AssayRankingView   *self,
           AssayItemCandidate *candidate,
           guint               display_index)
{
  RankRow *row = g_new0 (RankRow, 1);
  g_autofree char *paragraph = first_paragraph (candidate->text);
  g_autofree char *start = opening (candidate->text);
  g_autoptr(GMenuModel) menu = row_menu (candidate->id);
  GtkWidget *box, *rank_box, *text_box, *name_box, *label, *button, *handle;
  GtkDragSource *source;
  GtkDropTarget *target;

  row->view = self;
  row->candidate_id = candidate->id;
  row->display_index = display_index;
  row->rank = candidate->rank;

  row->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->row), FALSE);
  gtk_widget_add_css_class (row->row, "rank-row");
  g_object_set_data_full (G_OBJECT (row->row), "assay-rank-row", row, g_free);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 10);
  gtk_widget_set_margin_bottom (box, 10);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 8);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->row), box);

  rank_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_valign (rank_box, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (rank_box, "rank-box");
  gtk_box_append (GTK_BOX (box), rank_box);
  row->rank_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (row->rank_label), "rank");
  gtk_widget_add_css_class (GTK_WIDGET (row->rank_label), "title-2");
  gtk_widget_add_css_class (GTK_WIDGET (row->rank_label), "numeric");
  gtk_box_append (GTK_BOX (rank_box), GTK_WIDGET (row->rank_label));
  row->tie_label = gtk_label_new (_("tie"));
  gtk_widget_add_css_class (row->tie_label, "tie");
  gtk_widget_add_css_class (row->tie_label, "caption");
  gtk_box_append (GTK_BOX (rank_box), row->tie_label);

  text_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text_box, TRUE);
  gtk_widget_set_valign (text_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), text_box);

  name_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (text_box), name_box);
  row->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->name_label, 0);
  gtk_label_set_ellipsize (row->name_label, PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (row->name_label), "heading");
  gtk_box_append (GTK_BOX (name_box), GTK_WIDGET (row->name_label));

  label = gtk_label_new (start);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (label), 2);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 80);
  gtk_widget_set_tooltip_text (label, paragraph);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "preview-text");
  gtk_box_append (GTK_BOX (text_box), label);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), menu);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* The keys do what the menu does; Tab stays with the rows. */
  gtk_widget_set_can_focus (button, FALSE);
  gtk_widget_set_tooltip_text (button, _("Rank Options"));
  gtk_widget_add_css_class (button, "flat");
  gtk_box_append (GTK_BOX (box), button);

  handle = gtk_image_new_from_icon_name ("list-drag-handle-symbolic");
  gtk_widget_add_css_class (handle, "drag-handle");
  gtk_widget_set_tooltip_text (handle, _("Drag to Reorder"));
  gtk_box_append (GTK_BOX (box), handle);

  source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (source, GDK_ACTION_MOVE);
  g_signal_connect (source, "prepare", G_CALLBACK (drag_prepare_cb), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (drag_begin_cb), row);
  g_signal_connect (source, "drag-end", G_CALLBACK (drag_end_cb), row);
  gtk_widget_add_controller (row->row, GTK_EVENT_CONTROLLER (source));

  target = gtk_drop_target_new (G_TYPE_INT64, GDK_ACTION_MOVE);
  g_signal_connect (target, "motion", G_CALLBACK (drop_motion_cb), row);
  g_signal_connect (target, "enter", G_CALLBACK (drop_motion_cb), row);
  g_signal_connect (target, "leave", G_CALLBACK (drop_leave_cb), row);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), row);
  gtk_widget_add_controller (row->row, GTK_EVENT_CONTROLLER (target));

  return row;
}

static void
rebuild (AssayRankingView *self)
{
  AssayItem *item = self->session != NULL ? assay_session_get_item (self->session) : NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_ptr_array_set_size (self->rows, 0);

  if (item != NULL)
    {
      candidates = assay_session_display_candidates (self->session);
      for (guint i = 0; i < candidates->len; i++)
        {
          RankRow *row = build_row (self, g_ptr_array_index (candidates, i), i);

          g_ptr_array_add (self->rows, row);
          gtk_list_box_append (self->list, row->row);
        }
    }
  gtk_stack_set_visible_child_name (self->stack, self->rows->len > 0 ? "list" : "empty");
  refresh (self);
}

/* ---- following the session ---- */

/* A hidden page is rebuilt when it is shown, not on every item: switching
 * items stays cheap for the expert who reviews without ranking. */
static void
item_shown (AssayRankingView *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  rebuild (self);
}

static void
map_cb (AssayRankingView *self)
{
  if (self->stale)
    {
      self->stale = FALSE;
      rebuild (self);
    }
}

static void
judgment_changed_cb (AssayRankingView *self,
                     guint             kind,
                     gint64            candidate_id)
{
  if (kind == ASSAY_SAVED_RANKING)
    refresh (self);
}

/* ---- the widget ---- */

static void
assay_ranking_view_dispose (GObject *object)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (object);

  g_clear_object (&self->session_bindings);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_RANKING_VIEW);

  G_OBJECT_CLASS (assay_ranking_view_parent_class)->dispose (object);
}

static void
assay_ranking_view_finalize (GObject *object)
{
  AssayRankingView *self = ASSAY_RANKING_VIEW (object);

  g_ptr_array_unref (self->rows);

  G_OBJECT_CLASS (assay_ranking_view_parent_class)->finalize (object);
}

static void
add_key (GtkWidgetClass  *widget_class,
         guint            keyval,
         GdkModifierType  mods,
         const char      *op,
         int              rank)
{
  gtk_widget_class_add_binding (widget_class, keyval, mods, row_key_cb, "(si)", op, rank);
}

static void
assay_ranking_view_class_init (AssayRankingViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_ranking_view_dispose;
  object_class->finalize = assay_ranking_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-ranking-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayRankingView, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayRankingView, list);
  gtk_widget_class_set_css_name (widget_class, "rankingview");

  /* The parameter is the candidate; without one, the focused row. */
  gtk_widget_class_install_action (widget_class, "ranking.move-up", "x", move_up_action);
  gtk_widget_class_install_action (widget_class, "ranking.move-down", "x", move_down_action);
  gtk_widget_class_install_action (widget_class, "ranking.tie", "x", tie_action);
  gtk_widget_class_install_action (widget_class, "ranking.unrank", "x", unrank_action);
  gtk_widget_class_install_action (widget_class, "ranking.set-rank", "(xi)", set_rank_action);

  add_key (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "up", 0);
  add_key (widget_class, GDK_KEY_KP_Up, GDK_ALT_MASK, "up", 0);
  add_key (widget_class, GDK_KEY_Down, GDK_ALT_MASK, "down", 0);
  add_key (widget_class, GDK_KEY_KP_Down, GDK_ALT_MASK, "down", 0);
  add_key (widget_class, GDK_KEY_t, 0, "tie", 0);
  add_key (widget_class, GDK_KEY_0, 0, "rank", 0);
  add_key (widget_class, GDK_KEY_KP_0, 0, "rank", 0);
  add_key (widget_class, GDK_KEY_Delete, 0, "rank", 0);
  add_key (widget_class, GDK_KEY_KP_Delete, 0, "rank", 0);
  add_key (widget_class, GDK_KEY_BackSpace, 0, "rank", 0);
  for (int i = 1; i <= 9; i++)
    {
      add_key (widget_class, GDK_KEY_0 + i, 0, "rank", i);
      add_key (widget_class, GDK_KEY_KP_0 + i, 0, "rank", i);
    }
}

static void
assay_ranking_view_init (AssayRankingView *self)
{
  self->rows = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  gtk_list_box_set_sort_func (self->list, sort_func, NULL, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");

  /* The view follows the session's current item: a new one rebuilds it,
   * a ranking written on it refreshes it. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "judgment-changed",
                                  G_CALLBACK (judgment_changed_cb), self);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);
}

void
assay_ranking_view_set_session (AssayRankingView *self,
                                AssaySession     *session)
{
  g_return_if_fail (ASSAY_IS_RANKING_VIEW (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  /* A new session is shown at once, hidden or not. */
  self->stale = FALSE;
  rebuild (self);
}

/* ---- for the drop handler and the tests ---- */

void
_assay_ranking_view_drop (AssayRankingView *self,
                          gint64            candidate_id,
                          gint64            target_id,
                          gboolean          after)
{
  RankRow *moved = find_row (self, candidate_id);
  RankRow *target = find_row (self, target_id);
  g_autoptr(GPtrArray) order = NULL;
  guint position;

  if (moved == NULL || target == NULL || moved == target)
    return;
  order = visual_order (self);
  g_ptr_array_remove (order, moved);
  position = index_of (order, target) + (after ? 1 : 0);
  reorder (self, moved, position);
}

GtkWidget *
_assay_ranking_view_get_row (AssayRankingView *self,
                             gint64            candidate_id)
{
  RankRow *row = find_row (self, candidate_id);

  return row != NULL ? row->row : NULL;
}

GArray *
_assay_ranking_view_get_order (AssayRankingView *self)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)) != NULL; i++)
    g_array_append_val (ids, row_data (GTK_WIDGET (row))->candidate_id);
  return ids;
}
