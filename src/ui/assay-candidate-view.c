/* assay-candidate-view.c: one candidate: its spans, its correction and the diff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three text views in a stack: the model's text with the expert's spans
 * (read-only, spans as tags), the correction (editable, saved after a pause
 * in typing), and the word-level changes of the correction against the
 * original. All offsets are code points, which is what GtkTextBuffer
 * offsets are, so spans need no conversion.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-candidate-view-private.h"
#include "assay-candidate-view.h"
#include "assay-wrap-box.h"
#include "assay-diff.h"
#include "assay-evidence-panel.h"
#include "assay-keys.h"
#include "assay-text-util.h"

#define NOTE_DELAY_MS        500
#define CORRECTION_DELAY_MS  600
#define READING_CHARS        80
#define MIN_MARGIN           18

/* ---- a text view that draws what tags cannot ---- */

/* Unlabelled spans get a dotted underline and the span the expert is on
 * gets an outline; Pango has neither, so they are drawn above the text. */
#define ASSAY_TYPE_SPAN_TEXT_VIEW (assay_span_text_view_get_type ())
G_DECLARE_FINAL_TYPE (AssaySpanTextView, assay_span_text_view, ASSAY, SPAN_TEXT_VIEW, GtkTextView)

struct _AssaySpanTextView
{
  GtkTextView  parent_instance;

  GArray      *dotted;     /* AssayRange */
  GArray      *dashed;     /* AssayRange: spans a model suggested */
  AssayRange   current;    /* end 0: none */
  GdkRGBA      dot_color;
  GdkRGBA      dash_color;
  GdkRGBA      outline_color;
};

G_DEFINE_FINAL_TYPE (AssaySpanTextView, assay_span_text_view, GTK_TYPE_TEXT_VIEW)

typedef void (*RectFunc) (GtkSnapshot          *snapshot,
                          const GdkRectangle   *rect,
                          AssaySpanTextView    *view);

/* Calls `func` with the rectangle (buffer coordinates) of each display
 * line the range covers. */
static void
foreach_line_rect (AssaySpanTextView *self,
                   gint64             start,
                   gint64             end,
                   GtkSnapshot       *snapshot,
                   RectFunc           func)
{
  GtkTextView *view = GTK_TEXT_VIEW (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter, stop;

  gtk_text_buffer_get_iter_at_offset (buffer, &iter, start);
  gtk_text_buffer_get_iter_at_offset (buffer, &stop, end);
  while (gtk_text_iter_compare (&iter, &stop) < 0)
    {
      GtkTextIter line_end = iter, last, next;
      GdkRectangle a, b, rect;

      if (!gtk_text_view_forward_display_line_end (view, &line_end) ||
          gtk_text_iter_compare (&line_end, &stop) > 0)
        line_end = stop;
      /* The last character on the line, not the position after it, which
       * for a wrapped line is already on the next one. */
      last = line_end;
      if (gtk_text_iter_compare (&last, &iter) > 0)
        gtk_text_iter_backward_char (&last);
      gtk_text_view_get_iter_location (view, &iter, &a);
      gtk_text_view_get_iter_location (view, &last, &b);
      rect.x = MIN (a.x, b.x);
      rect.y = a.y;
      rect.width = MAX (b.x + b.width, a.x + a.width) - rect.x;
      rect.height = a.height;
      if (gtk_text_iter_ends_line (&last) && gtk_text_iter_compare (&last, &iter) > 0)
        rect.width = b.x - rect.x;
      if (rect.width > 0)
        func (snapshot, &rect, self);

      next = iter;
      if (!gtk_text_view_forward_display_line (view, &next) ||
          gtk_text_iter_compare (&next, &iter) <= 0)
        break;
      iter = next;
    }
}

static void
draw_dots (GtkSnapshot        *snapshot,
           const GdkRectangle *rect,
           AssaySpanTextView  *self)
{
  float y = rect->y + rect->height - 1.5f;

  for (float x = rect->x; x < rect->x + rect->width; x += 4)
    gtk_snapshot_append_color (snapshot, &self->dot_color,
                               &GRAPHENE_RECT_INIT (x, y, 2, 1.5f));
}

/* A suggested span: a dashed underline, thicker than the dots of an
 * unlabelled span and in the accent colour, under the text it proposes. */
static void
draw_dashes (GtkSnapshot        *snapshot,
             const GdkRectangle *rect,
             AssaySpanTextView  *self)
{
  float y = rect->y + rect->height - 2.0f;

  for (float x = rect->x; x < rect->x + rect->width; x += 8)
    gtk_snapshot_append_color (snapshot, &self->dash_color,
                               &GRAPHENE_RECT_INIT (x, y, MIN (5, rect->x + rect->width - x), 2));
}

static void
draw_outline (GtkSnapshot        *snapshot,
              const GdkRectangle *rect,
              AssaySpanTextView  *self)
{
  GskRoundedRect outline;
  const float widths[4] = { 1.5f, 1.5f, 1.5f, 1.5f };
  const GdkRGBA colors[4] = { self->outline_color, self->outline_color,
                              self->outline_color, self->outline_color };

  gsk_rounded_rect_init_from_rect (&outline,
                                   &GRAPHENE_RECT_INIT (rect->x - 2, rect->y - 1,
                                                        rect->width + 4, rect->height + 2),
                                   3);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static void
assay_span_text_view_snapshot_layer (GtkTextView      *view,
                                     GtkTextViewLayer  layer,
                                     GtkSnapshot      *snapshot)
{
  AssaySpanTextView *self = ASSAY_SPAN_TEXT_VIEW (view);

  if (layer != GTK_TEXT_VIEW_LAYER_ABOVE_TEXT)
    return;
  for (guint i = 0; i < self->dotted->len; i++)
    {
      const AssayRange *r = &g_array_index (self->dotted, AssayRange, i);

      foreach_line_rect (self, r->start, r->end, snapshot, draw_dots);
    }
  for (guint i = 0; i < self->dashed->len; i++)
    {
      const AssayRange *r = &g_array_index (self->dashed, AssayRange, i);

      foreach_line_rect (self, r->start, r->end, snapshot, draw_dashes);
    }
  if (self->current.end > self->current.start)
    foreach_line_rect (self, self->current.start, self->current.end, snapshot, draw_outline);
}

static void
assay_span_text_view_finalize (GObject *object)
{
  AssaySpanTextView *self = ASSAY_SPAN_TEXT_VIEW (object);

  g_array_unref (self->dotted);
  g_array_unref (self->dashed);
  G_OBJECT_CLASS (assay_span_text_view_parent_class)->finalize (object);
}

static void
assay_span_text_view_class_init (AssaySpanTextViewClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_span_text_view_finalize;
  GTK_TEXT_VIEW_CLASS (klass)->snapshot_layer = assay_span_text_view_snapshot_layer;
}

static void
assay_span_text_view_init (AssaySpanTextView *self)
{
  self->dotted = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  self->dashed = g_array_new (FALSE, FALSE, sizeof (AssayRange));
}

/* ---- the candidate view ---- */

struct _AssayCandidateView
{
  GtkWidget            parent_instance;

  GBindingGroup       *session_bindings;
  GSignalGroup        *item_signals;   /* on the session's current item */

  GtkWidget           *box;
  GtkLabel            *name_label;
  GtkLabel            *changes_label;
  GtkMenuButton       *mark_button;
  GtkWidget           *revert_button;
  GtkWidget           *mode_box;
  GtkToggleButton     *original_button;
  GtkToggleButton     *edit_button;
  GtkToggleButton     *changes_button;
  GtkStack            *stack;
  AssaySpanTextView   *original_view;
  GtkTextView         *edit_view;
  GtkTextView         *changes_view;

  GtkPopover          *span_popover;
  GtkLabel            *span_quote;
  GtkDropDown         *label_dropdown;
  GtkEntry            *note_entry;
  GtkListBox          *evidence_list;
  GtkLabel            *evidence_hint;
  GtkWidget           *add_evidence_button;
  AssayEvidencePanel  *evidence_panel;
  GtkPopover          *claim_popover;
  AssayEvidencePanel  *claim_panel;
  AssayRange           claim;         /* the selection claim_popover is for */
  GtkWidget           *remove_span_button;

  AssaySession        *session;
  AssayTranscriptView *transcript;
  gint64               candidate_id;
  AssayCandidateMode   mode;
  GHashTable          *modes;         /* candidate id -> the mode it was left in */

  /* Original. */
  GtkTextBuffer       *original;
  GPtrArray           *span_tags;     /* GtkTextTag, one per colour mix in use */
  GtkTextTag          *scale_tags[3];
  GPtrArray           *span_options;  /* AssayLabelOption of span scope, borrowed */
  GMenu               *mark_menu;
  gint64               current_span;  /* the span the cursor is in, 0: none */
  gboolean             clicked;
  guint                click_idle;
  gint64               reopen_span;   /* pressed while its popover closed */
  guint                reopen_idle;

  /* The span popover. */
  gint64               popover_span;
  AssayRange           pending;       /* a transcript selection showing evidence replaced */
  gboolean             has_pending;
  guint                note_timeout;
  gboolean             filling;

  /* Edit. */
  GtkTextBuffer       *edit;
  guint                edit_timeout;
  gboolean             edit_dirty;
  gboolean             loading;
  gboolean             saving;

  /* Changes. */
  GtkTextBuffer       *changes;
  GtkTextTag          *deleted_tag;
  GtkTextTag          *inserted_tag;

  double               font_scale;
  int                  margin;
  guint                colors_idle;
};

G_DEFINE_FINAL_TYPE (AssayCandidateView, assay_candidate_view, GTK_TYPE_WIDGET)

static void set_mode_internal (AssayCandidateView *self,
                               AssayCandidateMode  mode,
                               gboolean            grab);
static void update_popover    (AssayCandidateView *self);
static void flush_note        (AssayCandidateView *self);

static AssayItemCandidate *
get_candidate (AssayCandidateView *self)
{
  AssayItem *item;

  if (self->session == NULL || self->candidate_id == 0)
    return NULL;
  item = assay_session_get_item (self->session);
  return item != NULL ? assay_item_find_candidate (item, self->candidate_id) : NULL;
}

static AssayItemSpan *
find_span (AssayCandidateView *self,
           gint64              span_id)
{
  AssayItemCandidate *candidate = get_candidate (self);

  for (guint i = 0; candidate != NULL && i < candidate->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

      if (span->id == span_id)
        return span;
    }
  return NULL;
}

static AssayLabelOption *
find_option (AssayCandidateView *self,
             gint64              option_id)
{
  for (guint i = 0; self->span_options != NULL && i < self->span_options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (self->span_options, i);

      if (option->id == option_id)
        return option;
    }
  return NULL;
}

static gboolean
judges (AssayCandidateView *self,
        AssayJudgmentKinds  kind)
{
  return self->session != NULL && (assay_session_get_template (self->session)->kinds & kind);
}

static void
report (AssayCandidateView *self,
        GError             *error)
{
  /* The session has said so already ("save-failed"); the window shows it. */
  if (error != NULL)
    g_debug ("Candidate view: %s", error->message);
}

/* ---- colours ---- */

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              double      alpha,
              GdkRGBA    *rgba)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  if (!gtk_style_context_lookup_color (context, name, rgba))
    gtk_style_context_get_color (context, rgba);
  rgba->alpha *= alpha;
}

static gboolean
is_dark (void)
{
  return adw_style_manager_get_dark (adw_style_manager_get_default ());
}

/* The label colours of the template are used as washes behind the text,
 * light enough to read black on in light mode and white on in dark mode.
 * Where spans overlap their washes add up. */
static void
span_color (AssayCandidateView *self,
            AssayItemSpan     **spans,
            guint               n,
            GdkRGBA            *out)
{
  double alpha = is_dark () ? 0.4 : 0.3;
  double r = 0, g = 0, b = 0, a = 0;

  for (guint i = 0; i < n; i++)
    {
      AssayLabelOption *option = find_option (self, spans[i]->option_id);
      GdkRGBA c;

      if (option == NULL || option->color == NULL || !gdk_rgba_parse (&c, option->color))
        lookup_color (GTK_WIDGET (self->original_view), "accent_bg_color", 1.0, &c);
      /* "over" composition of a wash of `alpha` on what is there */
      r = c.red * alpha + r * (1 - alpha);
      g = c.green * alpha + g * (1 - alpha);
      b = c.blue * alpha + b * (1 - alpha);
      a = alpha + a * (1 - alpha);
    }
  out->red = a > 0 ? r / a : 0;
  out->green = a > 0 ? g / a : 0;
  out->blue = a > 0 ? b / a : 0;
  out->alpha = a;
}

/* ---- original: spans ---- */

static int
compare_offsets (gconstpointer a,
                 gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static void
clear_span_tags (AssayCandidateView *self)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (self->original);

  for (guint i = 0; i < self->span_tags->len; i++)
    gtk_text_tag_table_remove (table, g_ptr_array_index (self->span_tags, i));
  g_ptr_array_set_size (self->span_tags, 0);
}

/* One tag per stretch of text covered by the same spans, so that overlaps
 * show as a deeper or mixed colour instead of one span hiding another. */
static void
apply_spans (AssayCandidateView *self)
{
  AssayItemCandidate *candidate = get_candidate (self);
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GHashTable) by_color = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) covering = g_ptr_array_new ();
  gint64 n_chars = gtk_text_buffer_get_char_count (self->original);

  clear_span_tags (self);
  g_array_set_size (self->original_view->dotted, 0);
  g_array_set_size (self->original_view->dashed, 0);
  if (candidate == NULL)
    {
      gtk_widget_queue_draw (GTK_WIDGET (self->original_view));
      return;
    }

  {
    GPtrArray *pending = assay_session_get_proposals (self->session);

    for (guint i = 0; pending != NULL && i < pending->len; i++)
      {
        AssayProposal *proposal = g_ptr_array_index (pending, i);
        AssayRange r = { proposal->start, MIN (proposal->end, n_chars) };

        if (proposal->kind == ASSAY_PROPOSAL_SPAN && proposal->candidate_id == candidate->id &&
            r.start < r.end)
          g_array_append_val (self->original_view->dashed, r);
      }
  }

  for (guint i = 0; i < candidate->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

      g_array_append_val (cuts, span->start);
      g_array_append_val (cuts, span->end);
      if (span->option_id == 0 || find_option (self, span->option_id) == NULL)
        {
          AssayRange r = { span->start, span->end };

          g_array_append_val (self->original_view->dotted, r);
        }
    }
  g_array_sort (cuts, compare_offsets);

  for (guint k = 0; k + 1 < cuts->len; k++)
    {
      gint64 a = g_array_index (cuts, gint64, k), b = g_array_index (cuts, gint64, k + 1);
      g_autofree char *key = NULL;
      GtkTextTag *tag;
      GtkTextIter start, end;
      GdkRGBA color;

      if (a >= b || a >= n_chars)
        continue;
      g_ptr_array_set_size (covering, 0);
      for (guint i = 0; i < candidate->spans->len; i++)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

          if (span->start <= a && span->end >= b && find_option (self, span->option_id) != NULL)
            g_ptr_array_add (covering, span);
        }
      if (covering->len == 0)
        continue;

      span_color (self, (AssayItemSpan **) covering->pdata, covering->len, &color);
      key = gdk_rgba_to_string (&color);
      tag = g_hash_table_lookup (by_color, key);
      if (tag == NULL)
        {
          tag = gtk_text_buffer_create_tag (self->original, NULL, "background-rgba", &color, NULL);
          g_ptr_array_add (self->span_tags, tag);
          g_hash_table_insert (by_color, g_steal_pointer (&key), tag);
        }
      gtk_text_buffer_get_iter_at_offset (self->original, &start, a);
      gtk_text_buffer_get_iter_at_offset (self->original, &end, MIN (b, n_chars));
      gtk_text_buffer_apply_tag (self->original, tag, &start, &end);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->original_view));
}

/* The shortest pending suggested span at a position. */
static const AssayProposal *
proposal_at (AssayCandidateView *self,
             gint64              offset)
{
  GPtrArray *pending = self->session != NULL ? assay_session_get_proposals (self->session) : NULL;
  const AssayProposal *best = NULL;

  for (guint i = 0; pending != NULL && i < pending->len; i++)
    {
      AssayProposal *proposal = g_ptr_array_index (pending, i);

      if (proposal->kind == ASSAY_PROPOSAL_SPAN && proposal->candidate_id == self->candidate_id &&
          proposal->start <= offset && offset < proposal->end &&
          (best == NULL || proposal->end - proposal->start < best->end - best->start))
        best = proposal;
    }
  return best;
}

/* Over a suggested span: who suggested it, as what, and why. */
static gboolean
original_query_tooltip_cb (GtkWidget          *widget,
                           int                 x,
                           int                 y,
                           gboolean            keyboard,
                           GtkTooltip         *tooltip,
                           AssayCandidateView *self)
{
  GtkTextView *view = GTK_TEXT_VIEW (widget);
  const AssayProposal *proposal;
  AssayLabelOption *option;
  const char *author;
  g_autoptr(GString) text = g_string_new (NULL);
  GtkTextIter iter;
  int bx, by;

  if (keyboard)
    gtk_text_buffer_get_iter_at_mark (self->original, &iter,
                                      gtk_text_buffer_get_insert (self->original));
  else
    {
      gtk_text_view_window_to_buffer_coords (view, GTK_TEXT_WINDOW_WIDGET, x, y, &bx, &by);
      if (!gtk_text_view_get_iter_at_location (view, &iter, bx, by))
        return FALSE;
    }
  proposal = proposal_at (self, gtk_text_iter_get_offset (&iter));
  if (proposal == NULL)
    return FALSE;

  option = find_option (self, proposal->option_id);
  author = proposal->annotator_name != NULL && *proposal->annotator_name != '\0'
             ? proposal->annotator_name : proposal->annotator;
  if (option != NULL)
    /* TRANSLATORS: a suggested span's tooltip, e.g. "Unsupported, suggested by assay:precheck" */
    g_string_append_printf (text, _("%s, suggested by %s"),
                            option->title != NULL ? option->title : option->name, author);
  else
    g_string_append_printf (text, _("Suggested by %s"), author);
  if (proposal->text != NULL && *proposal->text != '\0')
    g_string_append_printf (text, "\n%s", proposal->text);
  g_string_append_printf (text, "\n%s", _("Press . to accept it"));
  gtk_tooltip_set_text (tooltip, text->str);
  return TRUE;
}

/* The innermost span at a position: the shortest that contains it. */
static AssayItemSpan *
span_at (AssayCandidateView *self,
         gint64              offset)
{
  AssayItemCandidate *candidate = get_candidate (self);
  AssayItemSpan *best = NULL;

  for (guint i = 0; candidate != NULL && i < candidate->spans->len; i++)
    {
      AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

      if (span->start <= offset && offset < span->end &&
          (best == NULL || span->end - span->start < best->end - best->start))
        best = span;
    }
  return best;
}

/* Showing a span's evidence moves the transcript's cursor, and so drops
 * its selection; but selecting the passage first and then opening the span
 * is the natural order, so the selection is kept here for "Add". */
static void
show_evidence (AssayCandidateView *self,
               AssayItemSpan      *span)
{
  AssayRange range;

  if (self->transcript == NULL)
    return;
  if (assay_transcript_view_get_selection (self->transcript, &range))
    {
      self->pending = range;
      self->has_pending = TRUE;
    }
  assay_transcript_view_show_evidence (self->transcript, span ? span->evidence : NULL);
}

/* What "Add Transcript Selection as Evidence" would add. */
static gboolean
evidence_to_add (AssayCandidateView *self,
                 AssayRange         *range)
{
  if (self->transcript == NULL)
    return FALSE;
  if (assay_transcript_view_get_selection (self->transcript, range))
    return TRUE;
  *range = self->pending;
  return self->has_pending;
}

/* `show`: also highlight its evidence in the transcript, which moves the
 * transcript there (and drops a selection the expert may be making). */
static void
set_current_span (AssayCandidateView *self,
                  AssayItemSpan      *span,
                  gboolean            show)
{
  gint64 id = span ? span->id : 0;

  if (id == self->current_span)
    return;
  self->current_span = id;
  self->original_view->current.start = span ? span->start : 0;
  self->original_view->current.end = span ? span->end : 0;
  gtk_widget_queue_draw (GTK_WIDGET (self->original_view));
  if (span != NULL && show)
    show_evidence (self, span);
}

static void
update_current_span (AssayCandidateView *self)
{
  AssayItemSpan *span = find_span (self, self->current_span);
  GtkTextIter insert;

  if (span == NULL)
    {
      gtk_text_buffer_get_iter_at_mark (self->original, &insert,
                                        gtk_text_buffer_get_insert (self->original));
      span = span_at (self, gtk_text_iter_get_offset (&insert));
    }
  self->current_span = -1;
  set_current_span (self, span, FALSE);
}

static void
insert_moved_cb (GtkTextBuffer      *buffer,
                 const GtkTextIter  *location,
                 GtkTextMark        *mark,
                 AssayCandidateView *self)
{
  if (mark != gtk_text_buffer_get_insert (buffer))
    return;
  set_current_span (self, span_at (self, gtk_text_iter_get_offset (location)), TRUE);
}

static void
selection_changed_cb (AssayCandidateView *self)
{
  gboolean has = gtk_text_buffer_get_has_selection (self->original);
  gboolean can = has && self->mode == ASSAY_CANDIDATE_MODE_ORIGINAL &&
                 self->span_options != NULL && self->span_options->len > 0 &&
                 self->session != NULL && !assay_session_get_read_only (self->session);

  gtk_widget_set_sensitive (GTK_WIDGET (self->mark_button), can);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidate.mark", can);
}

static void
show_original (AssayCandidateView *self,
               AssayItemCandidate *candidate)
{
  GtkTextIter start, end;

  if (gtk_widget_get_visible (GTK_WIDGET (self->span_popover)))
    gtk_popover_popdown (self->span_popover);
  self->current_span = 0;
  self->original_view->current.start = self->original_view->current.end = 0;
  clear_span_tags (self);
  gtk_text_buffer_set_text (self->original, candidate ? candidate->text : "", -1);
  gtk_text_buffer_get_bounds (self->original, &start, &end);
  gtk_text_buffer_apply_tag (self->original, self->scale_tags[0], &start, &end);
  gtk_text_buffer_place_cursor (self->original, &start);
  apply_spans (self);
}

/* Trims white space at either end, which a drag selection easily takes. */
static gboolean
selection_range (AssayCandidateView *self,
                 gint64             *start,
                 gint64             *end)
{
  GtkTextIter a, b;

  if (!gtk_text_buffer_get_selection_bounds (self->original, &a, &b))
    return FALSE;
  while (gtk_text_iter_compare (&a, &b) < 0 && g_unichar_isspace (gtk_text_iter_get_char (&a)))
    gtk_text_iter_forward_char (&a);
  while (gtk_text_iter_compare (&a, &b) < 0)
    {
      GtkTextIter prev = b;

      gtk_text_iter_backward_char (&prev);
      if (!g_unichar_isspace (gtk_text_iter_get_char (&prev)))
        break;
      b = prev;
    }
  *start = gtk_text_iter_get_offset (&a);
  *end = gtk_text_iter_get_offset (&b);
  return *end > *start;
}

static gboolean
relabel_span (AssayCandidateView *self,
              AssayItemSpan      *span,
              gint64              option_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *note = g_strdup (span->note);

  if (!assay_session_update_span (self->session, span->id, option_id, note, NULL, &error))
    {
      report (self, error);
      return FALSE;
    }
  return TRUE;
}

/* The digit keys: with a selection they mark it, on a span they relabel it. */
static gboolean
shortcut_key (AssayCandidateView *self,
              guint               keyval)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char key[8] = { 0 };

  if (c == 0 || !g_unichar_isprint (c))
    return FALSE;
  g_unichar_to_utf8 (c, key);
  for (guint i = 0; self->span_options != NULL && i < self->span_options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (self->span_options, i);
      AssayItemSpan *span;

      if (g_strcmp0 (option->shortcut, key) != 0)
        continue;
      if (gtk_text_buffer_get_has_selection (self->original))
        {
          if (!assay_candidate_view_mark_selection (self, option->id))
            return FALSE;
          assay_keys_announce (GTK_WIDGET (self), NULL);
          return TRUE;
        }
      span = find_span (self, self->current_span);
      if (span == NULL || span->option_id == option->id)
        return span != NULL;
      if (!relabel_span (self, span, option->id))
        return FALSE;
      assay_keys_announce (GTK_WIDGET (self), NULL);
      return TRUE;
    }
  return FALSE;
}

static void
open_span (AssayCandidateView *self,
           AssayItemSpan      *span)
{
  GdkRectangle a, b, rect;
  GtkTextIter start, end;
  double x, y;

  if (span == NULL)
    return;
  set_current_span (self, span, FALSE);
  self->popover_span = span->id;
  update_popover (self);
  show_evidence (self, span);

  /* Point at the span's first line. */
  gtk_text_buffer_get_iter_at_offset (self->original, &start, span->start);
  gtk_text_buffer_get_iter_at_offset (self->original, &end, MAX (span->start, span->end - 1));
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self->original_view), &start, &a);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self->original_view), &end, &b);
  rect = a;
  if (b.y == a.y)
    rect.width = MAX (1, b.x + b.width - a.x);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self->original_view),
                                         GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &rect.x, &rect.y);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->original_view), GTK_WIDGET (self),
                                         rect.x, rect.y, &x, &y))
    x = y = 0;
  rect.x = (int) x;
  rect.y = (int) y;
  /* Off screen (scrolled away): point at the top of the text instead. */
  rect.y = CLAMP (rect.y, 0, gtk_widget_get_height (GTK_WIDGET (self)) - 1);
  gtk_popover_set_pointing_to (self->span_popover, &rect);
  gtk_popover_popup (self->span_popover);
}

static gboolean
click_idle_cb (gpointer data)
{
  AssayCandidateView *self = data;
  GtkTextIter insert;

  self->click_idle = 0;
  if (gtk_text_buffer_get_has_selection (self->original))
    return G_SOURCE_REMOVE;
  gtk_text_buffer_get_iter_at_mark (self->original, &insert,
                                    gtk_text_buffer_get_insert (self->original));
  open_span (self, span_at (self, gtk_text_iter_get_offset (&insert)));
  return G_SOURCE_REMOVE;
}

/* A click (not a drag) on a span opens it. The text view claims the
 * clicks for itself, so this only watches them go by; once the view has
 * placed the cursor, the cursor says where the click was. */
static gboolean
original_event_cb (GtkEventControllerLegacy *controller,
                   GdkEvent                 *event,
                   AssayCandidateView       *self)
{
  GdkEventType type = gdk_event_get_event_type (event);

  if (type == GDK_BUTTON_PRESS && gdk_button_event_get_button (event) == GDK_BUTTON_PRIMARY)
    self->clicked = !(gdk_event_get_modifier_state (event) & (GDK_SHIFT_MASK | GDK_CONTROL_MASK));
  else if (type == GDK_TOUCH_BEGIN)
    self->clicked = TRUE;
  else if ((type == GDK_BUTTON_RELEASE &&
            gdk_button_event_get_button (event) == GDK_BUTTON_PRIMARY) ||
           type == GDK_TOUCH_END)
    {
      if (self->clicked && self->click_idle == 0)
        self->click_idle = g_idle_add (click_idle_cb, self);
      self->clicked = FALSE;
    }
  return GDK_EVENT_PROPAGATE;
}

static gboolean
original_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 AssayCandidateView    *self)
{
  if (!assay_keys_one_key_allowed (GTK_WIDGET (self), state))
    return GDK_EVENT_PROPAGATE;

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      AssayItemSpan *span = find_span (self, self->current_span);

      if (span == NULL)
        return GDK_EVENT_PROPAGATE;
      open_span (self, span);
      return GDK_EVENT_STOP;
    }
  return shortcut_key (self, keyval) ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* Moves the cursor to the next (or previous) span from where it is. */
static void
jump_span (AssayCandidateView *self,
           int                 direction)
{
  AssayItemCandidate *candidate = get_candidate (self);
  AssayItemSpan *current = find_span (self, self->current_span);
  AssayItemSpan *target = NULL;
  GtkTextIter insert;
  gint64 at;

  if (candidate == NULL || candidate->spans->len == 0 ||
      self->mode != ASSAY_CANDIDATE_MODE_ORIGINAL)
    return;
  gtk_text_buffer_get_iter_at_mark (self->original, &insert,
                                    gtk_text_buffer_get_insert (self->original));
  at = gtk_text_iter_get_offset (&insert);

  /* Spans are sorted by start, then end. */
  if (direction > 0)
    {
      for (guint i = 0; i < candidate->spans->len && target == NULL; i++)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, i);

          if (current != NULL ? (span->start > current->start ||
                                 (span->start == current->start && span->end > current->end))
                              : span->start > at)
            target = span;
        }
      if (target == NULL)
        target = g_ptr_array_index (candidate->spans, 0);
    }
  else
    {
      for (guint i = candidate->spans->len; i > 0 && target == NULL; i--)
        {
          AssayItemSpan *span = g_ptr_array_index (candidate->spans, i - 1);

          if (current != NULL ? (span->start < current->start ||
                                 (span->start == current->start && span->end < current->end))
                              : span->start < at)
            target = span;
        }
      if (target == NULL)
        target = g_ptr_array_index (candidate->spans, candidate->spans->len - 1);
    }

  gtk_text_buffer_get_iter_at_offset (self->original, &insert, target->start);
  gtk_text_buffer_place_cursor (self->original, &insert);
  /* Overlapping spans can share a start: say which one is meant. */
  self->current_span = -1;
  set_current_span (self, target, TRUE);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->original_view),
                                gtk_text_buffer_get_insert (self->original), 0.1, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->original_view));
}

/* ---- the span popover ---- */

static char *
excerpt (const char *text,
         gint64      start,
         gint64      end,
         gint64      max_chars)
{
  g_autofree char *piece = NULL;
  g_autofree char *flat = NULL;
  gint64 n = end - start;
  const char *a, *b;

  if (text == NULL || end <= start)
    return g_strdup ("");
  a = g_utf8_offset_to_pointer (text, start);
  b = g_utf8_offset_to_pointer (a, MIN (n, max_chars));
  piece = g_strndup (a, b - a);
  flat = g_strdelimit (g_strdup (piece), "\n\t", ' ');
  /* TRANSLATORS: a quoted excerpt; the second form is cut short */
  if (n > max_chars)
    return g_strdup_printf (_("“%s…”"), flat);
  return g_strdup_printf (_("“%s”"), flat);
}

static void
save_span (AssayCandidateView *self,
           GArray             *evidence)
{
  g_autoptr(GError) error = NULL;
  AssayItemSpan *span = find_span (self, self->popover_span);
  guint selected = gtk_drop_down_get_selected (self->label_dropdown);
  gint64 option_id = 0;
  const char *note;

  if (span == NULL)
    return;
  g_clear_handle_id (&self->note_timeout, g_source_remove);
  if (selected < self->span_options->len)
    option_id = ((AssayLabelOption *) g_ptr_array_index (self->span_options, selected))->id;
  note = gtk_editable_get_text (GTK_EDITABLE (self->note_entry));
  if (!assay_session_update_span (self->session, span->id, option_id, note, evidence, &error))
    report (self, error);
}

static void
remove_evidence_clicked_cb (GtkButton          *button,
                            AssayCandidateView *self)
{
  AssayItemSpan *span = find_span (self, self->popover_span);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));
  g_autoptr(GArray) evidence = NULL;

  if (span == NULL || index >= span->evidence->len)
    return;
  evidence = g_array_copy (span->evidence);
  g_array_remove_index (evidence, index);
  save_span (self, evidence);
  show_evidence (self, find_span (self, self->popover_span));
}

static void
fill_evidence (AssayCandidateView *self,
               AssayItemSpan      *span)
{
  AssayItem *item = assay_session_get_item (self->session);
  g_autofree char *ready = NULL;
  AssayRange range;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->evidence_list))) != NULL)
    gtk_list_box_remove (self->evidence_list, child);

  for (guint i = 0; span != NULL && i < span->evidence->len; i++)
    {
      const AssayRange *r = &g_array_index (span->evidence, AssayRange, i);
      g_autofree char *text = excerpt (item->text, r->start, r->end, 60);
      g_autofree char *full = excerpt (item->text, r->start, r->end, 400);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (text);
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_widget_set_tooltip_text (row, full);
      gtk_widget_set_margin_start (box, 10);
      gtk_widget_set_margin_end (box, 4);
      gtk_widget_set_margin_top (box, 4);
      gtk_widget_set_margin_bottom (box, 4);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_add_css_class (remove, "circular");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (remove, _("Remove Evidence"));
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_object_set_data (G_OBJECT (row), "index", GUINT_TO_POINTER (i));
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_evidence_clicked_cb), self);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), remove);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, full,
                                      -1);
      gtk_list_box_append (self->evidence_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->evidence_list),
                          span != NULL && span->evidence->len > 0);
  if (evidence_to_add (self, &range))
    {
      g_autofree char *quote = excerpt (item->text, range.start, range.end, 48);

      /* TRANSLATORS: %s is a quoted excerpt of the transcript */
      ready = g_strdup_printf (_("Selected in the transcript: %s"), quote);
    }
  gtk_label_set_text (self->evidence_hint,
                      self->transcript == NULL
                      ? _("No transcript to take evidence from.")
                      : ready != NULL
                      ? ready
                      : span != NULL && span->evidence->len > 0
                      ? _("Select more in the transcript to add another passage.")
                      : _("Select the passage that settles it in the transcript, then add it."));
  gtk_widget_set_sensitive (self->add_evidence_button, self->transcript != NULL);
}

static void
update_popover (AssayCandidateView *self)
{
  AssayItemSpan *span = find_span (self, self->popover_span);
  AssayItemCandidate *candidate = get_candidate (self);
  g_autofree char *quote = NULL;
  guint selected;

  if (span == NULL)
    {
      if (gtk_widget_get_visible (GTK_WIDGET (self->span_popover)))
        gtk_popover_popdown (self->span_popover);
      return;
    }

  self->filling = TRUE;
  quote = excerpt (candidate->text, span->start, span->end, 200);
  gtk_label_set_text (self->span_quote, quote);
  selected = self->span_options->len;
  for (guint i = 0; i < self->span_options->len; i++)
    if (((AssayLabelOption *) g_ptr_array_index (self->span_options, i))->id == span->option_id)
      selected = i;
  gtk_drop_down_set_selected (self->label_dropdown, selected);
  /* A read-only project's spans can be read, not changed. */
  gtk_widget_set_sensitive (gtk_popover_get_child (self->span_popover),
                            !assay_session_get_read_only (self->session));
  if (self->note_timeout == 0 &&
      g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->note_entry)),
                 span->note ? span->note : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->note_entry), span->note ? span->note : "");
  fill_evidence (self, span);
  {
    g_autofree char *claim = g_utf8_substring (candidate->text, span->start, span->end);

    assay_evidence_panel_set_claim (self->evidence_panel, claim);
  }
  self->filling = FALSE;
}

static void
label_selected_cb (AssayCandidateView *self)
{
  if (self->filling)
    return;
  save_span (self, NULL);
}

static gboolean
note_timeout_cb (gpointer data)
{
  AssayCandidateView *self = data;

  self->note_timeout = 0;
  save_span (self, NULL);
  return G_SOURCE_REMOVE;
}

static void
note_changed_cb (AssayCandidateView *self)
{
  if (self->filling)
    return;
  g_clear_handle_id (&self->note_timeout, g_source_remove);
  self->note_timeout = g_timeout_add (NOTE_DELAY_MS, note_timeout_cb, self);
}

static void
flush_note (AssayCandidateView *self)
{
  if (self->note_timeout != 0)
    save_span (self, NULL);
}

static void
note_activate_cb (AssayCandidateView *self)
{
  flush_note (self);
  gtk_popover_popdown (self->span_popover);
}

static void
evidence_activated_cb (AssayCandidateView *self,
                       GtkListBoxRow      *row)
{
  AssayItemSpan *span = find_span (self, self->popover_span);
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), "index"));
  g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (AssayRange));

  if (span == NULL || self->transcript == NULL || index >= span->evidence->len)
    return;
  g_array_append_val (one, g_array_index (span->evidence, AssayRange, index));
  assay_transcript_view_show_evidence (self->transcript, one);
}

/* Links a range of the source to the open span as its evidence (once). */
static void
link_evidence (AssayCandidateView *self,
               AssayRange          range)
{
  AssayItemSpan *span = find_span (self, self->popover_span);
  g_autoptr(GArray) evidence = NULL;

  if (span == NULL)
    return;
  for (guint i = 0; i < span->evidence->len; i++)
    {
      const AssayRange *r = &g_array_index (span->evidence, AssayRange, i);

      if (r->start == range.start && r->end == range.end)
        {
          self->has_pending = FALSE;
          return;
        }
    }
  self->has_pending = FALSE;
  evidence = g_array_copy (span->evidence);
  g_array_append_val (evidence, range);
  save_span (self, evidence);
  show_evidence (self, find_span (self, self->popover_span));
  self->has_pending = FALSE;
  update_popover (self);
}

static void
add_evidence_clicked_cb (AssayCandidateView *self)
{
  AssayItemSpan *span = find_span (self, self->popover_span);
  AssayRange range;

  if (span == NULL || self->transcript == NULL)
    return;
  if (!evidence_to_add (self, &range))
    {
      gtk_label_set_text (self->evidence_hint,
                          _("Nothing is selected in the transcript. Select a passage there "
                            "first."));
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  link_evidence (self, range);
}

/* A suggested passage the expert moved to: shown in the transcript. */
static void
evidence_panel_selected_cb (AssayCandidateView *self,
                            gint64              start,
                            gint64              end)
{
  g_autoptr(GArray) one = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  AssayRange range = { start, end };

  if (self->transcript == NULL)
    return;
  g_array_append_val (one, range);
  assay_transcript_view_show_evidence (self->transcript, one);
}

static void
evidence_panel_activated_cb (AssayCandidateView *self,
                             gint64              start,
                             gint64              end)
{
  AssayRange range = { start, end };

  if (assay_session_get_read_only (self->session))
    return;
  link_evidence (self, range);
  assay_keys_announce (GTK_WIDGET (self), NULL);
}

/* A passage chosen for a selected claim: the claim becomes a span (without
 * a label yet) with the passage as its evidence. */
static void
claim_panel_activated_cb (AssayCandidateView *self,
                          gint64              start,
                          gint64              end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) evidence = g_array_new (FALSE, FALSE, sizeof (AssayRange));
  AssayRange range = { start, end };
  AssayItemSpan *span = NULL;
  AssayItemCandidate *candidate = get_candidate (self);
  gint64 span_id = 0;

  gtk_popover_popdown (self->claim_popover);
  if (candidate == NULL || assay_session_get_read_only (self->session))
    return;
  for (guint i = 0; i < candidate->spans->len && span == NULL; i++)
    {
      AssayItemSpan *s = g_ptr_array_index (candidate->spans, i);

      if (s->start == self->claim.start && s->end == self->claim.end)
        span = s;
    }
  if (span == NULL)
    {
      if (!assay_session_add_span (self->session, self->candidate_id, self->claim.start,
                                   self->claim.end, 0, &span_id, &error))
        {
          report (self, error);
          return;
        }
      span = find_span (self, span_id);
      if (span == NULL)
        return;
    }
  g_array_append_vals (evidence, span->evidence->data, span->evidence->len);
  g_array_append_val (evidence, range);
  if (!assay_session_update_span (self->session, span->id, span->option_id, span->note, evidence,
                                  &error))
    {
      report (self, error);
      return;
    }
  assay_keys_announce (GTK_WIDGET (self), NULL);
}

static void
remove_span_clicked_cb (AssayCandidateView *self)
{
  g_autoptr(GError) error = NULL;
  gint64 span_id = self->popover_span;

  g_clear_handle_id (&self->note_timeout, g_source_remove);
  gtk_popover_popdown (self->span_popover);
  if (!assay_session_delete_span (self->session, span_id, &error))
    report (self, error);
  show_evidence (self, NULL);
}

/* The span under the pointer while the primary button is down, if any. */
static AssayItemSpan *
span_under_pressed_pointer (AssayCandidateView *self,
                            GtkTextIter        *iter)
{
  GtkWidget *view = GTK_WIDGET (self->original_view);
  GtkNative *native = gtk_widget_get_native (view);
  GdkSurface *surface = native != NULL ? gtk_native_get_surface (native) : NULL;
  GdkDevice *pointer;
  GdkModifierType mask = 0;
  graphene_point_t point;
  double x, y, dx, dy;
  int bx, by;

  if (surface == NULL || !gtk_widget_get_mapped (view))
    return NULL;
  pointer = gdk_seat_get_pointer (gdk_display_get_default_seat (gtk_widget_get_display (view)));
  if (pointer == NULL || !gdk_surface_get_device_position (surface, pointer, &x, &y, &mask) ||
      !(mask & GDK_BUTTON1_MASK))
    return NULL;
  gtk_native_get_surface_transform (native, &dx, &dy);
  if (!gtk_widget_compute_point (GTK_WIDGET (native), view,
                                 &GRAPHENE_POINT_INIT (x - dx, y - dy), &point) ||
      !gtk_widget_contains (view, point.x, point.y))
    return NULL;
  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (view), GTK_TEXT_WINDOW_WIDGET,
                                         (int) point.x, (int) point.y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (view), iter, bx, by))
    return NULL;
  return span_at (self, gtk_text_iter_get_offset (iter));
}

static gboolean
reopen_idle_cb (gpointer data)
{
  AssayCandidateView *self = data;
  AssayItemSpan *span = find_span (self, self->reopen_span);
  GtkTextIter iter;

  self->reopen_idle = 0;
  self->reopen_span = 0;
  if (span == NULL || self->mode != ASSAY_CANDIDATE_MODE_ORIGINAL)
    return G_SOURCE_REMOVE;
  gtk_text_buffer_get_iter_at_offset (self->original, &iter, span->start);
  gtk_text_buffer_place_cursor (self->original, &iter);
  open_span (self, span);
  return G_SOURCE_REMOVE;
}

static void
span_popover_closed_cb (AssayCandidateView *self)
{
  AssayItemSpan *span;
  GtkTextIter iter;

  flush_note (self);
  self->popover_span = 0;
  self->has_pending = FALSE;
  if (self->mode == ASSAY_CANDIDATE_MODE_ORIGINAL)
    gtk_widget_grab_focus (GTK_WIDGET (self->original_view));

  /* A press on a span while a popover is open only closes the popover (it
   * has the pointer, so the text never sees the click): every other click
   * on a span did nothing. The press meant to open the span under it. */
  span = self->mode == ASSAY_CANDIDATE_MODE_ORIGINAL ? span_under_pressed_pointer (self, &iter)
                                                     : NULL;
  if (span != NULL && self->reopen_idle == 0)
    {
      self->reopen_span = span->id;
      self->reopen_idle = g_idle_add (reopen_idle_cb, self);
    }
}

/* ---- edit ---- */

/* Typed text takes no tags from its neighbours, so the size goes over the
 * whole text after every change (tags are not part of the undo history). */
static void
scale_edit (AssayCandidateView *self)
{
  GtkTextIter start, end;

  if (G_APPROX_VALUE (self->font_scale, 1.0, 0.001))
    return;
  gtk_text_buffer_get_bounds (self->edit, &start, &end);
  gtk_text_buffer_apply_tag (self->edit, self->scale_tags[1], &start, &end);
}

static void
load_edit (AssayCandidateView *self,
           AssayItemCandidate *candidate)
{
  const char *text = "";

  if (candidate != NULL)
    text = candidate->correction != NULL ? candidate->correction : candidate->text;
  self->loading = TRUE;
  /* Undo stops here: it never goes back into another candidate's text. */
  gtk_text_buffer_begin_irreversible_action (self->edit);
  gtk_text_buffer_set_text (self->edit, text, -1);
  gtk_text_buffer_end_irreversible_action (self->edit);
  scale_edit (self);
  self->loading = FALSE;
  self->edit_dirty = FALSE;
}

/* Whether the editor already holds what is stored: going back to it then
 * keeps its undo history. */
static gboolean
edit_is_current (AssayCandidateView *self,
                 AssayItemCandidate *candidate)
{
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  if (candidate == NULL)
    return FALSE;
  gtk_text_buffer_get_bounds (self->edit, &start, &end);
  text = gtk_text_buffer_get_text (self->edit, &start, &end, FALSE);
  return g_strcmp0 (text, candidate->correction ? candidate->correction : candidate->text) == 0;
}

static void
flush_edit (AssayCandidateView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkTextIter start, end;

  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  if (!self->edit_dirty || get_candidate (self) == NULL)
    return;
  self->edit_dirty = FALSE;
  gtk_text_buffer_get_bounds (self->edit, &start, &end);
  text = gtk_text_buffer_get_text (self->edit, &start, &end, FALSE);
  self->saving = TRUE;
  if (!assay_session_set_correction (self->session, self->candidate_id, text, &error))
    report (self, error);
  self->saving = FALSE;
}

static gboolean
edit_timeout_cb (gpointer data)
{
  AssayCandidateView *self = data;

  self->edit_timeout = 0;
  flush_edit (self);
  return G_SOURCE_REMOVE;
}

static void
edit_changed_cb (AssayCandidateView *self)
{
  if (self->loading)
    return;
  scale_edit (self);
  self->edit_dirty = TRUE;
  gtk_widget_set_visible (self->revert_button, self->mode == ASSAY_CANDIDATE_MODE_EDIT);
  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  self->edit_timeout = g_timeout_add (CORRECTION_DELAY_MS, edit_timeout_cb, self);
}

static void
revert_response_cb (AdwMessageDialog   *dialog,
                    const char         *response,
                    AssayCandidateView *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "revert") != 0 || get_candidate (self) == NULL)
    return;
  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  self->edit_dirty = FALSE;
  if (!assay_session_set_correction (self->session, self->candidate_id, NULL, &error))
    report (self, error);
}

static void
revert_clicked_cb (AssayCandidateView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Revert to the Original?"),
                                   _("Your correction of this summary is removed and the "
                                     "model’s text is shown again."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "revert", _("_Revert"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "revert",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (revert_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_focus_leave_cb (AssayCandidateView *self)
{
  flush_edit (self);
}

/* ---- changes ---- */

/* "3 words changed", "3 words and 1 punctuation mark changed". */
static char *
describe_changes (guint words,
                  guint marks)
{
  g_autofree char *w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u word", "%u words",
                                                     words), words);
  g_autofree char *m = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u punctuation mark",
                                                     "%u punctuation marks", marks), marks);

  if (words > 0 && marks > 0)
    /* TRANSLATORS: e.g. "3 words and 1 punctuation mark changed" */
    return g_strdup_printf (_("%s and %s changed"), w, m);
  if (words > 0 || marks > 0)
    /* TRANSLATORS: e.g. "3 words changed" or "1 punctuation mark changed" */
    return g_strdup_printf (_("%s changed"), words > 0 ? w : m);
  return g_strdup (_("Only spacing changed"));
}

static void
show_changes (AssayCandidateView *self,
              AssayItemCandidate *candidate)
{
  g_autoptr(GArray) ops = NULL;
  g_autoptr(GArray) spans = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *count = NULL;
  GtkTextIter start, end;
  guint words = 0, marks = 0;

  gtk_text_buffer_set_text (self->changes, "", 0);
  if (candidate == NULL || candidate->correction == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->changes_label), FALSE);
      return;
    }

  ops = assay_diff_words (candidate->text, candidate->correction, NULL);
  merged = assay_diff_merge (candidate->text, candidate->correction, ops, &spans);
  gtk_text_buffer_set_text (self->changes, merged, -1);
  for (guint i = 0; i < spans->len; i++)
    {
      const AssayDiffSpan *span = &g_array_index (spans, AssayDiffSpan, i);

      gtk_text_buffer_get_iter_at_offset (self->changes, &start, span->start);
      gtk_text_buffer_get_iter_at_offset (self->changes, &end, span->end);
      gtk_text_buffer_apply_tag (self->changes,
                                 span->kind == ASSAY_DIFF_DELETE ? self->deleted_tag
                                                                 : self->inserted_tag,
                                 &start, &end);
    }
  gtk_text_buffer_get_bounds (self->changes, &start, &end);
  gtk_text_buffer_apply_tag (self->changes, self->scale_tags[2], &start, &end);

  assay_diff_count_changes (candidate->text, candidate->correction, &words, &marks);
  count = describe_changes (words, marks);
  gtk_label_set_text (self->changes_label, count);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->changes_label),
                               _("Words inserted, deleted or replaced; punctuation marks "
                                 "are counted on their own"));
}

/* ---- modes and the header ---- */

static void
update_header (AssayCandidateView *self)
{
  AssayItemCandidate *candidate = get_candidate (self);
  gboolean corrected = candidate != NULL && candidate->correction != NULL;
  gboolean corrections = judges (self, ASSAY_JUDGE_CORRECTION);
  gboolean spans = judges (self, ASSAY_JUDGE_SPANS) && self->span_options != NULL &&
                   self->span_options->len > 0;

  gtk_widget_set_visible (self->mode_box, candidate != NULL && corrections);
  gtk_widget_set_sensitive (GTK_WIDGET (self->edit_button),
                            self->session != NULL && !assay_session_get_read_only (self->session));
  gtk_widget_set_visible (GTK_WIDGET (self->changes_button), corrected);
  gtk_widget_set_visible (GTK_WIDGET (self->changes_label), corrected);
  gtk_widget_set_visible (self->revert_button,
                          (corrected || self->edit_dirty) &&
                          self->mode != ASSAY_CANDIDATE_MODE_ORIGINAL);
  gtk_widget_set_visible (GTK_WIDGET (self->mark_button),
                          candidate != NULL && spans &&
                          self->mode == ASSAY_CANDIDATE_MODE_ORIGINAL);
}

static void
mode_toggled_cb (AssayCandidateView *self,
                 GtkToggleButton    *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->original_button)
    set_mode_internal (self, ASSAY_CANDIDATE_MODE_ORIGINAL, FALSE);
  else if (button == self->edit_button)
    set_mode_internal (self, ASSAY_CANDIDATE_MODE_EDIT, FALSE);
  else
    set_mode_internal (self, ASSAY_CANDIDATE_MODE_CHANGES, FALSE);
}

static void
set_mode_internal (AssayCandidateView *self,
                   AssayCandidateMode  mode,
                   gboolean            grab)
{
  AssayItemCandidate *candidate = get_candidate (self);
  GtkToggleButton *button;
  GtkWidget *view;
  const char *page;

  if (mode == ASSAY_CANDIDATE_MODE_CHANGES && (candidate == NULL || candidate->correction == NULL))
    mode = ASSAY_CANDIDATE_MODE_ORIGINAL;
  if (mode == ASSAY_CANDIDATE_MODE_EDIT && !judges (self, ASSAY_JUDGE_CORRECTION))
    mode = ASSAY_CANDIDATE_MODE_ORIGINAL;

  if (self->mode == ASSAY_CANDIDATE_MODE_EDIT && mode != ASSAY_CANDIDATE_MODE_EDIT)
    flush_edit (self);
  if (mode != ASSAY_CANDIDATE_MODE_ORIGINAL &&
      gtk_widget_get_visible (GTK_WIDGET (self->span_popover)))
    gtk_popover_popdown (self->span_popover);

  if (mode == ASSAY_CANDIDATE_MODE_EDIT && self->mode != ASSAY_CANDIDATE_MODE_EDIT &&
      !edit_is_current (self, candidate))
    load_edit (self, candidate);
  if (mode == ASSAY_CANDIDATE_MODE_CHANGES)
    show_changes (self, candidate);
  self->mode = mode;

  switch (mode)
    {
    case ASSAY_CANDIDATE_MODE_EDIT:
      button = self->edit_button;
      view = GTK_WIDGET (self->edit_view);
      page = "edit";
      break;
    case ASSAY_CANDIDATE_MODE_CHANGES:
      button = self->changes_button;
      view = GTK_WIDGET (self->changes_view);
      page = "changes";
      break;
    case ASSAY_CANDIDATE_MODE_ORIGINAL:
    default:
      button = self->original_button;
      view = GTK_WIDGET (self->original_view);
      page = "original";
      break;
    }

  g_signal_handlers_block_by_func (self->original_button, mode_toggled_cb, self);
  g_signal_handlers_block_by_func (self->edit_button, mode_toggled_cb, self);
  g_signal_handlers_block_by_func (self->changes_button, mode_toggled_cb, self);
  gtk_toggle_button_set_active (button, TRUE);
  g_signal_handlers_unblock_by_func (self->original_button, mode_toggled_cb, self);
  g_signal_handlers_unblock_by_func (self->edit_button, mode_toggled_cb, self);
  g_signal_handlers_unblock_by_func (self->changes_button, mode_toggled_cb, self);

  if (candidate != NULL)
    gtk_stack_set_visible_child_name (self->stack, page);
  update_header (self);
  selection_changed_cb (self);
  if (grab && candidate != NULL)
    gtk_widget_grab_focus (view);
}

static void
show_candidate (AssayCandidateView *self)
{
  AssayItemCandidate *candidate = get_candidate (self);
  g_autofree char *name = NULL;
  AssayCandidateMode mode;
  GtkWidget *focus;
  GtkRoot *root;
  gboolean editing;

  show_original (self, candidate);
  load_edit (self, candidate);
  show_changes (self, candidate);

  if (candidate == NULL)
    {
      gtk_label_set_text (self->name_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), NULL);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      update_header (self);
      return;
    }

  name = assay_session_candidate_name (self->session, self->candidate_id);
  gtk_label_set_text (self->name_label, name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label), name);

  /* Each candidate opens in its own mode: the one it was left in on this
   * item, else the original. The editor of one candidate never stays open
   * on the next, where the label keys would type into a correction nobody
   * started. */
  mode = GPOINTER_TO_INT (g_hash_table_lookup (self->modes, &self->candidate_id));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  editing = focus != NULL && (focus == GTK_WIDGET (self->edit_view) ||
                              gtk_widget_is_ancestor (focus, GTK_WIDGET (self->edit_view)));
  set_mode_internal (self, mode, FALSE);
  if (editing && self->mode != ASSAY_CANDIDATE_MODE_EDIT &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self->original_view));
}

/* Remembers the mode the candidate on screen is left in. */
static void
keep_mode (AssayCandidateView *self)
{
  gint64 *key;

  if (self->candidate_id == 0)
    return;
  key = g_new (gint64, 1);
  *key = self->candidate_id;
  g_hash_table_replace (self->modes, key, GINT_TO_POINTER (self->mode));
}

/* ---- the mark menu ---- */

static void
rebuild_options (AssayCandidateView *self)
{
  AssayTemplate *tmpl = self->session ? assay_session_get_template (self->session) : NULL;
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autoptr(GMenu) section = g_menu_new ();
  g_autoptr(GMenuItem) none = NULL;

  g_ptr_array_set_size (self->span_options, 0);
  g_menu_remove_all (self->mark_menu);
  for (guint i = 0; tmpl != NULL && i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      if (set->scope != ASSAY_SCOPE_SPAN)
        continue;
      for (guint j = 0; j < set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, j);
          const char *title = option->title ? option->title : option->name;
          g_autoptr(GMenuItem) item = g_menu_item_new (title, NULL);

          g_menu_item_set_action_and_target_value (item, "candidate.mark",
                                                   g_variant_new_int64 (option->id));
          if (option->shortcut != NULL && g_utf8_strlen (option->shortcut, -1) == 1)
            g_menu_item_set_attribute (item, "accel", "s", option->shortcut);
          g_menu_append_item (section, item);
          g_ptr_array_add (self->span_options, option);
          gtk_string_list_append (titles, title);
        }
    }
  gtk_string_list_append (titles, _("No Label"));
  none = g_menu_item_new (_("No Label"), NULL);
  g_menu_item_set_action_and_target_value (none, "candidate.mark", g_variant_new_int64 (0));
  g_menu_append_section (self->mark_menu, NULL, G_MENU_MODEL (section));
  {
    g_autoptr(GMenu) last = g_menu_new ();

    g_menu_append_item (last, none);
    g_menu_append_section (self->mark_menu, NULL, G_MENU_MODEL (last));
  }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->label_dropdown, G_LIST_MODEL (titles));
  self->filling = FALSE;
}

/* ---- session ---- */

static void
item_shown (AssayCandidateView *self)
{
  /* The old item is gone: a pending correction can no longer be written
   * (the window flushes before it moves on). */
  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  g_clear_handle_id (&self->note_timeout, g_source_remove);
  self->edit_dirty = FALSE;
  self->has_pending = FALSE;
  self->candidate_id = 0;
  g_hash_table_remove_all (self->modes);
  show_candidate (self);
}

static void
judgment_changed_cb (AssayCandidateView *self,
                     guint               kind,
                     gint64              candidate_id)
{
  AssayItemCandidate *candidate;

  if (candidate_id != self->candidate_id || self->candidate_id == 0)
    return;
  candidate = get_candidate (self);
  if (candidate == NULL)
    return;

  if (kind == ASSAY_SAVED_SPANS)
    {
      apply_spans (self);
      update_current_span (self);
      if (self->popover_span != 0)
        update_popover (self);
    }
  else if (kind == ASSAY_SAVED_CORRECTION)
    {
      /* Written elsewhere (or reverted): the editor follows, unless the
       * expert is typing in it. */
      if (!self->saving && !self->edit_dirty)
        load_edit (self, candidate);
      show_changes (self, candidate);
      if (self->mode == ASSAY_CANDIDATE_MODE_CHANGES && candidate->correction == NULL)
        set_mode_internal (self, ASSAY_CANDIDATE_MODE_ORIGINAL, FALSE);
      update_header (self);
    }
}

/* ---- actions ---- */

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (widget);

  set_mode_internal (self, self->mode == ASSAY_CANDIDATE_MODE_EDIT
                           ? ASSAY_CANDIDATE_MODE_ORIGINAL : ASSAY_CANDIDATE_MODE_EDIT, TRUE);
}

static void
mark_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  assay_candidate_view_mark_selection (ASSAY_CANDIDATE_VIEW (widget),
                                       g_variant_get_int64 (parameter));
}

static void
next_span_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  jump_span (ASSAY_CANDIDATE_VIEW (widget), 1);
}

static void
previous_span_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  jump_span (ASSAY_CANDIDATE_VIEW (widget), -1);
}

static void
open_span_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (widget);

  if (self->mode == ASSAY_CANDIDATE_MODE_ORIGINAL)
    open_span (self, find_span (self, self->current_span));
}

/* The passages of the transcript for the selected claim, or for the span
 * at the cursor. */
static void
find_evidence_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (widget);
  AssayItemCandidate *candidate = get_candidate (self);
  g_autofree char *claim = NULL;
  GdkRectangle rect;
  GtkTextIter start;
  double x, y;
  gint64 a, b;

  if (candidate == NULL || self->mode != ASSAY_CANDIDATE_MODE_ORIGINAL)
    return;
  if (!selection_range (self, &a, &b))
    {
      AssayItemSpan *span = find_span (self, self->current_span);

      if (span == NULL)
        {
          gtk_widget_error_bell (widget);
          return;
        }
      open_span (self, span);
      assay_evidence_panel_focus_first (self->evidence_panel);
      return;
    }

  self->claim.start = a;
  self->claim.end = b;
  claim = g_utf8_substring (candidate->text, a, b);
  assay_evidence_panel_set_claim (self->claim_panel, claim);

  gtk_text_buffer_get_iter_at_offset (self->original, &start, a);
  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self->original_view), &start, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self->original_view),
                                         GTK_TEXT_WINDOW_WIDGET, rect.x, rect.y, &rect.x, &rect.y);
  if (!gtk_widget_translate_coordinates (GTK_WIDGET (self->original_view), widget, rect.x, rect.y,
                                         &x, &y))
    x = y = 0;
  rect.x = (int) x;
  rect.y = CLAMP ((int) y, 0, gtk_widget_get_height (widget) - 1);
  gtk_popover_set_pointing_to (self->claim_popover, &rect);
  gtk_popover_popup (self->claim_popover);
  assay_evidence_panel_focus_first (self->claim_panel);
}

/* ---- colours and size ---- */

static void
update_colors (AssayCandidateView *self)
{
  GtkWidget *view = GTK_WIDGET (self->original_view);
  GdkRGBA rgba;

  lookup_color (view, "view_fg_color", 0.55, &self->original_view->dot_color);
  lookup_color (view, "accent_color", 1.0, &self->original_view->outline_color);
  lookup_color (view, "accent_color", 1.0, &self->original_view->dash_color);
  lookup_color (view, "error_color", 1.0, &rgba);
  g_object_set (self->deleted_tag, "foreground-rgba", &rgba, NULL);
  lookup_color (view, "error_bg_color", is_dark () ? 0.25 : 0.12, &rgba);
  g_object_set (self->deleted_tag, "background-rgba", &rgba, NULL);
  lookup_color (view, "success_color", 1.0, &rgba);
  g_object_set (self->inserted_tag, "foreground-rgba", &rgba, NULL);
  lookup_color (view, "success_bg_color", is_dark () ? 0.25 : 0.14, &rgba);
  g_object_set (self->inserted_tag, "background-rgba", &rgba, NULL);
  lookup_color (view, "success_color", 1.0, &rgba);
  g_object_set (self->inserted_tag, "underline-rgba", &rgba, NULL);
  apply_spans (self);
}

static gboolean
update_colors_idle (gpointer data)
{
  AssayCandidateView *self = data;

  self->colors_idle = 0;
  update_colors (self);
  return G_SOURCE_REMOVE;
}

static void
style_changed_cb (AssayCandidateView *self)
{
  if (self->colors_idle == 0)
    self->colors_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_colors_idle, self, NULL);
}

static void
assay_candidate_view_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static int
reading_width (AssayCandidateView *self)
{
  return assay_reading_width (GTK_WIDGET (self->original_view),
                              READING_CHARS * self->font_scale);
}

static void
assay_candidate_view_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (widget);
  int margin = MAX (MIN_MARGIN, (width - reading_width (self)) / 2);

  if (margin != self->margin)
    {
      GtkTextView *views[] = { GTK_TEXT_VIEW (self->original_view), self->edit_view,
                               self->changes_view };

      self->margin = margin;
      for (guint i = 0; i < G_N_ELEMENTS (views); i++)
        {
          gtk_text_view_set_left_margin (views[i], margin);
          gtk_text_view_set_right_margin (views[i], margin);
        }
    }
  gtk_widget_allocate (self->box, width, height, baseline, NULL);
  if (gtk_widget_get_visible (GTK_WIDGET (self->span_popover)))
    gtk_popover_present (self->span_popover);
}

static void
assay_candidate_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (assay_candidate_view_parent_class)->realize (widget);
  update_colors (ASSAY_CANDIDATE_VIEW (widget));
}

static void
assay_candidate_view_dispose (GObject *object)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (object);

  if (self->session != NULL && self->edit_dirty)
    flush_edit (self);
  g_clear_handle_id (&self->edit_timeout, g_source_remove);
  g_clear_handle_id (&self->note_timeout, g_source_remove);
  g_clear_handle_id (&self->click_idle, g_source_remove);
  g_clear_handle_id (&self->reopen_idle, g_source_remove);
  g_clear_handle_id (&self->colors_idle, g_source_remove);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->session);
  g_clear_weak_pointer (&self->transcript);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  if (self->span_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->span_popover));
  if (self->claim_popover != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->claim_popover));
  /* The evidence panels hold the session; drop it whatever holds them. */
  if (self->evidence_panel != NULL)
    assay_evidence_panel_set_session (self->evidence_panel, NULL);
  if (self->claim_panel != NULL)
    assay_evidence_panel_set_session (self->claim_panel, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_CANDIDATE_VIEW);
  g_clear_object (&self->mark_menu);

  G_OBJECT_CLASS (assay_candidate_view_parent_class)->dispose (object);
}

static void
assay_candidate_view_finalize (GObject *object)
{
  AssayCandidateView *self = ASSAY_CANDIDATE_VIEW (object);

  g_clear_pointer (&self->span_tags, g_ptr_array_unref);
  g_clear_pointer (&self->span_options, g_ptr_array_unref);
  g_clear_pointer (&self->modes, g_hash_table_unref);

  G_OBJECT_CLASS (assay_candidate_view_parent_class)->finalize (object);
}

static void
assay_candidate_view_class_init (AssayCandidateViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_candidate_view_dispose;
  object_class->finalize = assay_candidate_view_finalize;
  widget_class->measure = assay_candidate_view_measure;
  widget_class->size_allocate = assay_candidate_view_size_allocate;
  widget_class->realize = assay_candidate_view_realize;

  g_type_ensure (ASSAY_TYPE_SPAN_TEXT_VIEW);
  g_type_ensure (ASSAY_TYPE_WRAP_BOX);
  g_type_ensure (ASSAY_TYPE_EVIDENCE_PANEL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-candidate-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, box);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, name_label);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, changes_label);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, mark_button);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, revert_button);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, mode_box);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, original_button);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, edit_button);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, changes_button);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, original_view);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, edit_view);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, changes_view);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, span_popover);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, span_quote);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, label_dropdown);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, note_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, evidence_list);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, evidence_hint);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, add_evidence_button);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, evidence_panel);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, claim_popover);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, claim_panel);
  gtk_widget_class_bind_template_child (widget_class, AssayCandidateView, remove_span_button);
  gtk_widget_class_bind_template_callback (widget_class, mode_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, revert_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, span_popover_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, label_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, note_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, evidence_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_evidence_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, evidence_panel_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, evidence_panel_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, claim_panel_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, remove_span_clicked_cb);

  gtk_widget_class_install_action (widget_class, "candidate.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "candidate.mark", "x", mark_action);
  gtk_widget_class_install_action (widget_class, "candidate.next-span", NULL, next_span_action);
  gtk_widget_class_install_action (widget_class, "candidate.previous-span", NULL,
                                   previous_span_action);
  gtk_widget_class_install_action (widget_class, "candidate.open-span", NULL, open_span_action);
  gtk_widget_class_install_action (widget_class, "candidate.find-evidence", NULL,
                                   find_evidence_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_ALT_MASK,
                                       "candidate.find-evidence", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "candidate.edit", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "candidate.next-span", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "candidate.previous-span", NULL);

  gtk_widget_class_set_css_name (widget_class, "candidateview");
}

static void
assay_candidate_view_init (AssayCandidateView *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->span_tags = g_ptr_array_new ();
  self->span_options = g_ptr_array_new ();
  self->modes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->font_scale = 1.0;
  self->mark_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (self->mark_button, G_MENU_MODEL (self->mark_menu));
  gtk_text_view_set_extra_menu (GTK_TEXT_VIEW (self->original_view),
                                G_MENU_MODEL (self->mark_menu));
  gtk_widget_set_parent (GTK_WIDGET (self->span_popover), GTK_WIDGET (self));
  gtk_widget_set_parent (GTK_WIDGET (self->claim_popover), GTK_WIDGET (self));

  self->original = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->original_view));
  gtk_text_buffer_set_enable_undo (self->original, FALSE);
  self->scale_tags[0] = gtk_text_buffer_create_tag (self->original, "scale", "scale", 1.0, NULL);
  g_signal_connect_object (self->original, "mark-set", G_CALLBACK (insert_moved_cb), self, 0);
  g_signal_connect_object (self->original, "notify::has-selection",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_legacy_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (original_event_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->original_view), controller);
  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (original_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->original_view), controller);

  self->edit = gtk_text_view_get_buffer (self->edit_view);
  gtk_text_buffer_set_enable_undo (self->edit, TRUE);
  self->scale_tags[1] = gtk_text_buffer_create_tag (self->edit, "scale", "scale", 1.0, NULL);
  g_signal_connect_object (self->edit, "changed", G_CALLBACK (edit_changed_cb), self,
                           G_CONNECT_SWAPPED);
  controller = gtk_event_controller_focus_new ();
  g_signal_connect_object (controller, "leave", G_CALLBACK (edit_focus_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->edit_view), controller);

  self->changes = gtk_text_view_get_buffer (self->changes_view);
  gtk_text_buffer_set_enable_undo (self->changes, FALSE);
  self->scale_tags[2] = gtk_text_buffer_create_tag (self->changes, "scale", "scale", 1.0, NULL);
  self->deleted_tag = gtk_text_buffer_create_tag (self->changes, "deleted",
                                                  "strikethrough", TRUE, NULL);
  self->inserted_tag = gtk_text_buffer_create_tag (self->changes, "inserted",
                                                   "underline", PANGO_UNDERLINE_SINGLE, NULL);

  g_signal_connect_object (style, "notify::dark", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::high-contrast", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->original_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Candidate text"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->edit_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Correction editor"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->changes_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Correction changes"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->original_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Original"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->edit_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Correction"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->changes_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Changes"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->label_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Span label"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Span note"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_evidence_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Add Transcript Selection as Evidence"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_span_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove Span"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->revert_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Revert to Original"), -1);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "candidate.mark", FALSE);
  gtk_stack_set_visible_child_name (self->stack, "empty");
  update_header (self);

  /* The view follows the session's current item through its signals. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_group_connect_swapped (self->item_signals, "judgment-changed",
                                  G_CALLBACK (judgment_changed_cb), self);
  g_signal_group_connect_swapped (self->item_signals, "notify::proposals",
                                  G_CALLBACK (apply_spans), self);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->original_view), TRUE);
  g_signal_connect (self->original_view, "query-tooltip",
                    G_CALLBACK (original_query_tooltip_cb), self);
}

/* ---- public ---- */

void
assay_candidate_view_set_session (AssayCandidateView *self,
                                  AssaySession       *session)
{
  g_return_if_fail (ASSAY_IS_CANDIDATE_VIEW (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    flush_edit (self);
  g_set_object (&self->session, session);
  assay_evidence_panel_set_session (self->evidence_panel, session);
  assay_evidence_panel_set_session (self->claim_panel, session);
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  rebuild_options (self);
  self->candidate_id = 0;
  g_hash_table_remove_all (self->modes);
  show_candidate (self);
}

void
assay_candidate_view_set_transcript (AssayCandidateView  *self,
                                     AssayTranscriptView *transcript)
{
  g_return_if_fail (ASSAY_IS_CANDIDATE_VIEW (self));
  g_return_if_fail (transcript == NULL || ASSAY_IS_TRANSCRIPT_VIEW (transcript));

  g_set_weak_pointer (&self->transcript, transcript);
}

void
assay_candidate_view_set_candidate (AssayCandidateView *self,
                                    gint64              candidate_id)
{
  g_return_if_fail (ASSAY_IS_CANDIDATE_VIEW (self));

  if (candidate_id == self->candidate_id && get_candidate (self) != NULL)
    return;
  flush_edit (self);
  flush_note (self);
  keep_mode (self);
  self->candidate_id = candidate_id;
  if (get_candidate (self) == NULL)
    self->candidate_id = 0;
  show_candidate (self);
}

gint64
assay_candidate_view_get_candidate (AssayCandidateView *self)
{
  g_return_val_if_fail (ASSAY_IS_CANDIDATE_VIEW (self), 0);
  return self->candidate_id;
}

void
assay_candidate_view_set_mode (AssayCandidateView *self,
                               AssayCandidateMode  mode)
{
  g_return_if_fail (ASSAY_IS_CANDIDATE_VIEW (self));

  /* Asking for the editor means typing next. */
  set_mode_internal (self, mode, mode == ASSAY_CANDIDATE_MODE_EDIT &&
                                 gtk_widget_get_mapped (GTK_WIDGET (self)));
}

AssayCandidateMode
assay_candidate_view_get_mode (AssayCandidateView *self)
{
  g_return_val_if_fail (ASSAY_IS_CANDIDATE_VIEW (self), ASSAY_CANDIDATE_MODE_ORIGINAL);
  return self->mode;
}

gboolean
assay_candidate_view_mark_selection (AssayCandidateView *self,
                                     gint64              option_id)
{
  g_autoptr(GError) error = NULL;
  gint64 start, end, span_id = 0;
  GtkTextIter iter;

  g_return_val_if_fail (ASSAY_IS_CANDIDATE_VIEW (self), FALSE);

  if (get_candidate (self) == NULL || self->mode != ASSAY_CANDIDATE_MODE_ORIGINAL ||
      !selection_range (self, &start, &end))
    return FALSE;
  if (option_id != 0 && find_option (self, option_id) == NULL)
    return FALSE;
  if (!assay_session_add_span (self->session, self->candidate_id, start, end, option_id,
                               &span_id, &error))
    {
      report (self, error);
      return FALSE;
    }

  /* The new span is where the expert is now: Enter opens it. */
  gtk_text_buffer_get_iter_at_offset (self->original, &iter, start);
  gtk_text_buffer_place_cursor (self->original, &iter);
  self->current_span = -1;
  set_current_span (self, find_span (self, span_id), FALSE);
  return TRUE;
}

void
assay_candidate_view_flush (AssayCandidateView *self)
{
  g_return_if_fail (ASSAY_IS_CANDIDATE_VIEW (self));

  flush_edit (self);
  flush_note (self);
}

void
assay_candidate_view_set_font_scale (AssayCandidateView *self,
                                     double              scale)
{
  g_return_if_fail (ASSAY_IS_CANDIDATE_VIEW (self));

  scale = CLAMP (scale, 0.5, 3.0);
  if (G_APPROX_VALUE (scale, self->font_scale, 0.001))
    return;
  self->font_scale = scale;
  for (guint i = 0; i < G_N_ELEMENTS (self->scale_tags); i++)
    g_object_set (self->scale_tags[i], "scale", scale, NULL);
  self->loading = TRUE;
  scale_edit (self);
  self->loading = FALSE;
  self->margin = -1;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

/* ---- for tests ---- */

GtkTextView *
_assay_candidate_view_get_text_view (AssayCandidateView *self,
                                     AssayCandidateMode  mode)
{
  switch (mode)
    {
    case ASSAY_CANDIDATE_MODE_EDIT:
      return self->edit_view;
    case ASSAY_CANDIDATE_MODE_CHANGES:
      return self->changes_view;
    case ASSAY_CANDIDATE_MODE_ORIGINAL:
    default:
      return GTK_TEXT_VIEW (self->original_view);
    }
}

GtkPopover *
_assay_candidate_view_get_span_popover (AssayCandidateView *self)
{
  return self->span_popover;
}

gint64
_assay_candidate_view_get_current_span (AssayCandidateView *self)
{
  return self->current_span;
}

const AssayProposal *
assay_candidate_view_get_proposal (AssayCandidateView *self)
{
  GtkTextIter insert;

  g_return_val_if_fail (ASSAY_IS_CANDIDATE_VIEW (self), NULL);

  if (self->candidate_id == 0 || !gtk_widget_has_focus (GTK_WIDGET (self->original_view)))
    return NULL;
  gtk_text_buffer_get_iter_at_mark (self->original, &insert,
                                    gtk_text_buffer_get_insert (self->original));
  return proposal_at (self, gtk_text_iter_get_offset (&insert));
}

guint
_assay_candidate_view_get_n_suggested_spans (AssayCandidateView *self)
{
  return self->original_view->dashed->len;
}
