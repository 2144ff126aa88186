/* assay-transcript-view.c: the source, read-only, with evidence highlighted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The buffer holds the source text with a heading line ("Speaker  00:14:05")
 * put in before each speaker turn. Headings are not part of the source, so
 * the view keeps where each one sits, and converts between buffer offsets
 * and source offsets (both in code points) whenever a range crosses the
 * boundary: evidence coming in, a selection going out.
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-text-util.h"
#include "assay-transcript-view.h"

/* Lines longer than this many average characters are hard to follow back
 * to their start; wider windows get wider margins instead. */
#define READING_CHARS 76
#define MIN_MARGIN    24

typedef struct
{
  gint64 source;   /* the source offset the heading is put in front of */
  gint64 buffer;   /* where the heading starts in the buffer */
  gint64 length;   /* its length in the buffer, the closing newline included */
  gint64 shift;    /* buffer minus source offset right after the heading */
} Heading;

struct _AssayTranscriptView
{
  GtkWidget           parent_instance;

  GBindingGroup      *session_bindings;
  GSignalGroup       *item_signals;   /* on the session's current item */

  GtkWidget          *box;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkLabel           *match_label;
  GtkWidget          *previous_button;
  GtkWidget          *next_button;
  GtkStack           *stack;
  GtkScrolledWindow  *scroller;
  GtkTextView        *text_view;

  GtkTextBuffer      *buffer;
  GtkTextTagTable    *tags;
  GtkTextTag         *scale_tag;
  GtkTextTag         *heading_tag;
  GtkTextTag         *first_heading_tag;
  GtkTextTag         *time_tag;
  GtkTextTag         *evidence_tag;
  GtkTextTag         *match_tag;
  GtkTextTag         *current_tag;

  AssaySession       *session;

  /* What is on screen. */
  gint64              source_id;
  guint               n_segments;
  char               *text;         /* the buffer's text */
  GArray             *headings;     /* Heading, by position */
  gint64              n_source;     /* code points of the source text */
  gint64              n_buffer;

  /* Find. */
  gunichar           *folded;       /* the buffer's text in lower case, made on demand */
  gint64              n_folded;
  GArray             *matches;      /* gint64 buffer offsets where a match starts */
  gint64              match_length;
  int                 current;      /* index into matches, or -1 */
  gint64              window_start; /* buffer range where matches are highlighted */
  gint64              window_end;
  guint               window_idle;

  double              font_scale;
  int                 margin;
  guint               colors_idle;
};

G_DEFINE_FINAL_TYPE (AssayTranscriptView, assay_transcript_view, GTK_TYPE_WIDGET)

/* ---- offsets ---- */

/* The number of headings that come before source offset `s`; a heading put
 * in front of `s` counts when `s` starts a range, not when it ends one. */
static guint
headings_before (AssayTranscriptView *self,
                 gint64               s,
                 gboolean             is_end)
{
  guint lo = 0, hi = self->headings->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      const Heading *h = &g_array_index (self->headings, Heading, mid);

      if (h->source < s || (!is_end && h->source == s))
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static gint64
source_to_buffer (AssayTranscriptView *self,
                  gint64               s,
                  gboolean             is_end)
{
  guint k;

  s = CLAMP (s, 0, self->n_source);
  k = headings_before (self, s, is_end);
  if (k == 0)
    return s;
  return s + g_array_index (self->headings, Heading, k - 1).shift;
}

/* A buffer offset inside a heading maps to the source offset the heading
 * stands in front of, whichever end of a range it is. */
static gint64
buffer_to_source (AssayTranscriptView *self,
                  gint64               b)
{
  guint lo = 0, hi = self->headings->len;
  const Heading *h;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->headings, Heading, mid).buffer <= b)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return CLAMP (b, 0, self->n_source);
  h = &g_array_index (self->headings, Heading, lo - 1);
  if (b < h->buffer + h->length)
    return h->source;
  return CLAMP (b - h->shift, 0, self->n_source);
}

/* Applies `tag` to the source range, skipping the headings inside it. */
static void
apply_source_range (AssayTranscriptView *self,
                    GtkTextTag          *tag,
                    gint64               start,
                    gint64               end)
{
  gint64 piece = start;
  guint k;

  start = CLAMP (start, 0, self->n_source);
  end = CLAMP (end, 0, self->n_source);
  piece = start;
  for (k = headings_before (self, start, FALSE); piece < end; k++)
    {
      gint64 stop = end;
      GtkTextIter a, b;

      if (k < self->headings->len)
        stop = MIN (end, g_array_index (self->headings, Heading, k).source);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &a, source_to_buffer (self, piece, FALSE));
      gtk_text_buffer_get_iter_at_offset (self->buffer, &b, source_to_buffer (self, stop, TRUE));
      gtk_text_buffer_apply_tag (self->buffer, tag, &a, &b);
      piece = stop;
      if (k >= self->headings->len)
        break;
    }
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

/* Text tags cannot take CSS, so their colours come from libadwaita's named
 * colours, looked up again when the style changes (dark, high contrast). */
static void
update_colors (AssayTranscriptView *self)
{
  GtkWidget *view = GTK_WIDGET (self->text_view);
  GdkRGBA rgba;

  lookup_color (view, "view_fg_color", 0.6, &rgba);
  g_object_set (self->time_tag, "foreground-rgba", &rgba, NULL);
  /* A faint wash on a dark background needs more colour to be seen. */
  lookup_color (view, "accent_bg_color",
                adw_style_manager_get_dark (adw_style_manager_get_default ()) ? 0.45 : 0.2, &rgba);
  g_object_set (self->evidence_tag, "background-rgba", &rgba, NULL);
  lookup_color (view, "warning_bg_color", 0.35, &rgba);
  g_object_set (self->match_tag, "background-rgba", &rgba, NULL);
  lookup_color (view, "warning_bg_color", 1.0, &rgba);
  g_object_set (self->current_tag, "background-rgba", &rgba, NULL);
  lookup_color (view, "warning_fg_color", 1.0, &rgba);
  g_object_set (self->current_tag, "foreground-rgba", &rgba, NULL);
}

static gboolean
update_colors_idle (gpointer data)
{
  AssayTranscriptView *self = data;

  self->colors_idle = 0;
  update_colors (self);
  return G_SOURCE_REMOVE;
}

/* The style sheet is swapped after the notification, so look a little later. */
static void
style_changed_cb (AssayTranscriptView *self)
{
  if (self->colors_idle == 0)
    self->colors_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_colors_idle, self, NULL);
}

/* ---- building the buffer ---- */

static GtkTextBuffer *
new_buffer (AssayTranscriptView *self)
{
  GtkTextBuffer *buffer = gtk_text_buffer_new (self->tags);
  GtkTextIter start;

  /* Read-only: nothing to undo, and no history to keep for a megabyte. */
  gtk_text_buffer_set_enable_undo (buffer, FALSE);
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_create_mark (buffer, "scroll", &start, TRUE);
  return buffer;
}

static gboolean
drop_buffer_idle (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* Takes `buffer`. Freeing a megabyte of text is not free either: the old
 * buffer goes once the new one is on screen. */
static void
set_buffer (AssayTranscriptView *self,
            GtkTextBuffer       *buffer)
{
  GtkTextBuffer *old = self->buffer;

  self->buffer = buffer;
  gtk_text_view_set_buffer (self->text_view, buffer);
  if (old != NULL)
    g_idle_add_full (G_PRIORITY_LOW, drop_buffer_idle, old, NULL);
}

typedef struct
{
  gint64 start;
  gint64 end;
  GtkTextTag *tag;
} TagRange;

static void
add_tag_range (GArray     *ranges,
               GtkTextTag *tag,
               gint64      start,
               gint64      end)
{
  TagRange r = { start, end, tag };

  g_array_append_val (ranges, r);
}

static gboolean
same_speaker (const AssayItemSegment *a,
              const AssayItemSegment *b)
{
  return g_strcmp0 (a->speaker, b->speaker) == 0;
}

/* Builds the text in one string and inserts it at once; tags go on by offset
 * afterwards. Thousands of small inserts would each revalidate the layout. */
static void
show_item (AssayTranscriptView *self,
           AssayItem           *item)
{
  g_autoptr(GString) text = NULL;
  g_autoptr(GArray) tags = g_array_new (FALSE, FALSE, sizeof (TagRange));
  const char *src, *p;
  gint64 at = 0, n_buffer = 0;
  GtkTextIter start, end;
  GtkTextBuffer *buffer;

  g_array_set_size (self->headings, 0);
  g_clear_pointer (&self->folded, g_free);
  g_clear_pointer (&self->text, g_free);
  self->n_folded = 0;

  if (item == NULL || item->text == NULL)
    {
      self->n_source = self->n_buffer = 0;
      set_buffer (self, new_buffer (self));
      self->text = g_strdup ("");
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  src = p = item->text;
  self->n_source = g_utf8_strlen (src, -1);
  text = g_string_sized_new (strlen (src) + item->segments->len * 32);

  for (guint i = 0; i < item->segments->len; i++)
    {
      const AssayItemSegment *seg = g_ptr_array_index (item->segments, i);
      g_autofree char *time = NULL;
      Heading h;
      gint64 speaker_len = 0;

      /* Consecutive segments of one speaker read as one turn. */
      if (i > 0 && same_speaker (seg, g_ptr_array_index (item->segments, i - 1)))
        continue;
      if (seg->char_start < at || seg->char_start > self->n_source)
        continue;
      if (seg->speaker == NULL && seg->start < 0)
        continue;

      /* Source text up to the turn. */
      if (seg->char_start > at)
        {
          const char *q = g_utf8_offset_to_pointer (p, seg->char_start - at);

          g_string_append_len (text, p, q - p);
          n_buffer += seg->char_start - at;
          p = q;
          at = seg->char_start;
        }

      h.source = at;
      h.buffer = n_buffer;
      /* A turn that does not start a line (inconsistent offsets) still gets
       * its heading on a line of its own. */
      if (text->len > 0 && text->str[text->len - 1] != '\n')
        {
          g_string_append_c (text, '\n');
          n_buffer++;
        }
      if (seg->speaker != NULL)
        {
          speaker_len = g_utf8_strlen (seg->speaker, -1);
          g_string_append (text, seg->speaker);
        }
      if (seg->start >= 0)
        {
          gint64 time_len;

          time = assay_format_timestamp (seg->start);
          time_len = g_utf8_strlen (time, -1);
          if (seg->speaker != NULL)
            {
              /* Two spaces set the time apart without a separator glyph. */
              g_string_append (text, "  ");
              speaker_len += 2;
            }
          add_tag_range (tags, self->time_tag, n_buffer + speaker_len,
                         n_buffer + speaker_len + time_len);
          g_string_append (text, time);
          speaker_len += time_len;
        }
      g_string_append_c (text, '\n');
      n_buffer += speaker_len + 1;
      add_tag_range (tags, h.buffer > 0 ? self->heading_tag : self->first_heading_tag,
                     h.buffer, n_buffer);
      h.length = n_buffer - h.buffer;
      h.shift = (self->headings->len > 0
                 ? g_array_index (self->headings, Heading, self->headings->len - 1).shift
                 : 0) + h.length;
      g_array_append_val (self->headings, h);
    }
  g_string_append (text, p);
  n_buffer += self->n_source - at;
  self->n_buffer = n_buffer;

  /* Filled and tagged before the view sees it: a buffer on screen would
   * have its layout invalidated for every one of thousands of tags. */
  buffer = new_buffer (self);
  gtk_text_buffer_set_text (buffer, text->str, text->len);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  gtk_text_buffer_apply_tag (buffer, self->scale_tag, &start, &end);
  for (guint i = 0; i < tags->len; i++)
    {
      const TagRange *r = &g_array_index (tags, TagRange, i);
      GtkTextIter a, b;

      gtk_text_buffer_get_iter_at_offset (buffer, &a, r->start);
      gtk_text_buffer_get_iter_at_offset (buffer, &b, r->end);
      gtk_text_buffer_apply_tag (buffer, r->tag, &a, &b);
    }
  gtk_text_buffer_get_start_iter (buffer, &start);
  gtk_text_buffer_place_cursor (buffer, &start);
  set_buffer (self, buffer);
  self->text = g_string_free (g_steal_pointer (&text), FALSE);
  gtk_stack_set_visible_child_name (self->stack, "text");
}

/* Centres `iter` on screen. Through a mark, because the lines around it
 * may not have been laid out yet: the view scrolls once they are. */
static void
scroll_to (AssayTranscriptView *self,
           const GtkTextIter   *iter)
{
  GtkTextMark *mark = gtk_text_buffer_get_mark (self->buffer, "scroll");

  gtk_text_buffer_move_mark (self->buffer, mark, iter);
  gtk_text_view_scroll_to_mark (self->text_view, mark, 0, TRUE, 0, 0.5);
}

/* ---- find ---- */

static void
ensure_folded (AssayTranscriptView *self)
{
  glong n = 0;

  if (self->folded != NULL)
    return;
  /* One code point for one code point, so that offsets stay buffer
   * offsets; full case folding would change lengths ("ß" to "ss"). */
  self->folded = g_utf8_to_ucs4_fast (self->text, -1, &n);
  for (glong i = 0; i < n; i++)
    self->folded[i] = g_unichar_tolower (self->folded[i]);
  self->n_folded = n;
}

static void
clear_window (AssayTranscriptView *self)
{
  GtkTextIter a, b;

  if (self->window_end > self->window_start)
    {
      gtk_text_buffer_get_iter_at_offset (self->buffer, &a, self->window_start);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &b, self->window_end);
      gtk_text_buffer_remove_tag (self->buffer, self->match_tag, &a, &b);
    }
  self->window_start = self->window_end = 0;
}

static guint
first_match_at (AssayTranscriptView *self,
                gint64               offset)
{
  guint lo = 0, hi = self->matches->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (self->matches, gint64, mid) < offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* A search for "e" in a long transcript finds tens of thousands of
 * matches; only those on and near the screen carry the tag. */
static void
highlight_window (AssayTranscriptView *self)
{
  GdkRectangle visible;
  GtkTextIter top, bottom;
  gint64 from, to;

  clear_window (self);
  if (self->matches->len == 0)
    return;

  gtk_text_view_get_visible_rect (self->text_view, &visible);
  gtk_text_view_get_line_at_y (self->text_view, &top, MAX (0, visible.y - visible.height), NULL);
  gtk_text_view_get_line_at_y (self->text_view, &bottom, visible.y + 2 * visible.height, NULL);
  gtk_text_iter_forward_to_line_end (&bottom);
  from = gtk_text_iter_get_offset (&top);
  to = gtk_text_iter_get_offset (&bottom);

  for (guint i = first_match_at (self, from); i < self->matches->len; i++)
    {
      gint64 m = g_array_index (self->matches, gint64, i);
      GtkTextIter a, b;

      if (m >= to)
        break;
      gtk_text_buffer_get_iter_at_offset (self->buffer, &a, m);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &b, m + self->match_length);
      gtk_text_buffer_apply_tag (self->buffer, self->match_tag, &a, &b);
    }
  self->window_start = from;
  self->window_end = MAX (to, from);
}

static gboolean
window_idle_cb (gpointer data)
{
  AssayTranscriptView *self = data;

  self->window_idle = 0;
  highlight_window (self);
  return G_SOURCE_REMOVE;
}

static void
scrolled_cb (AssayTranscriptView *self)
{
  if (self->matches->len > 0 && self->window_idle == 0)
    self->window_idle = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, window_idle_cb, self, NULL);
}

static void
update_match_label (AssayTranscriptView *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *label = NULL;

  if (needle == NULL || *needle == '\0')
    label = g_strdup ("");
  else if (self->matches->len == 0)
    label = g_strdup (_("No results"));
  else
    /* TRANSLATORS: the current match and the number of matches, e.g. "3 of 12" */
    label = g_strdup_printf (_("%d of %u"), self->current + 1, self->matches->len);
  gtk_label_set_text (self->match_label, label);
  gtk_widget_set_sensitive (self->previous_button, self->matches->len > 0);
  gtk_widget_set_sensitive (self->next_button, self->matches->len > 0);
}

static void
select_current (AssayTranscriptView *self)
{
  GtkTextIter a, b, start, end;
  gint64 m;

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->current_tag, &start, &end);
  update_match_label (self);
  if (self->current < 0)
    return;

  m = g_array_index (self->matches, gint64, self->current);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &a, m);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &b, m + self->match_length);
  gtk_text_buffer_apply_tag (self->buffer, self->current_tag, &a, &b);
  gtk_text_buffer_select_range (self->buffer, &a, &b);
  scroll_to (self, &a);
}

static void
clear_matches (AssayTranscriptView *self)
{
  GtkTextIter start, end;

  g_clear_handle_id (&self->window_idle, g_source_remove);
  clear_window (self);
  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->current_tag, &start, &end);
  g_array_set_size (self->matches, 0);
  self->current = -1;
}

/* `keep_place`: the first match at or after the cursor becomes current,
 * so that refining the search does not jump back to the top. */
static void
run_search (AssayTranscriptView *self)
{
  const char *needle = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree gunichar *pattern = NULL;
  glong n = 0;
  GtkTextIter insert, sel;
  gint64 from;

  clear_matches (self);
  if (needle == NULL || *needle == '\0' || self->text == NULL)
    {
      update_match_label (self);
      return;
    }

  ensure_folded (self);
  pattern = g_utf8_to_ucs4_fast (needle, -1, &n);
  for (glong i = 0; i < n; i++)
    pattern[i] = g_unichar_tolower (pattern[i]);
  self->match_length = n;

  for (gint64 i = 0; i + n <= self->n_folded; i++)
    {
      glong j;

      if (self->folded[i] != pattern[0])
        continue;
      for (j = 1; j < n && self->folded[i + j] == pattern[j]; j++)
        ;
      if (j == n)
        {
          g_array_append_val (self->matches, i);
          i += n - 1;
        }
    }

  if (self->matches->len > 0)
    {
      gtk_text_buffer_get_selection_bounds (self->buffer, &insert, &sel);
      from = gtk_text_iter_get_offset (&insert);
      self->current = (int) first_match_at (self, from);
      if ((guint) self->current >= self->matches->len)
        self->current = 0;
    }
  select_current (self);
  highlight_window (self);
}

static void
search_changed_cb (AssayTranscriptView *self)
{
  run_search (self);
}

static void
step (AssayTranscriptView *self,
      int                  delta)
{
  int n = (int) self->matches->len;

  if (n == 0)
    return;
  self->current = ((self->current < 0 ? 0 : self->current + delta) % n + n) % n;
  select_current (self);
  scrolled_cb (self);
}

static void
search_next_cb (AssayTranscriptView *self)
{
  step (self, 1);
}

static void
search_previous_cb (AssayTranscriptView *self)
{
  step (self, -1);
}

static void
search_stop_cb (AssayTranscriptView *self)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static gboolean
shift_enter_cb (GtkWidget *widget,
                GVariant  *args,
                gpointer   data)
{
  step (ASSAY_TRANSCRIPT_VIEW (data), -1);
  return TRUE;
}

static void
search_mode_changed_cb (AssayTranscriptView *self)
{
  if (gtk_search_bar_get_search_mode (self->search_bar))
    return;
  clear_matches (self);
  update_match_label (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->text_view));
}

/* Escape anywhere in the view closes the find bar, not only in its entry. */
static gboolean
escape_cb (GtkWidget *widget,
           GVariant  *args,
           gpointer   data)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (widget);

  if (!gtk_search_bar_get_search_mode (self->search_bar))
    return FALSE;
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  return TRUE;
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  assay_transcript_view_start_search (ASSAY_TRANSCRIPT_VIEW (widget));
}

/* ---- session ---- */

static void
item_shown (AssayTranscriptView *self)
{
  AssayItem *item = self->session ? assay_session_get_item (self->session) : NULL;
  gboolean searching = gtk_search_bar_get_search_mode (self->search_bar);

  /* The same source reloaded (its judgments changed) keeps its buffer,
   * and the expert keeps their place in it. */
  if (item != NULL && item->source_id == self->source_id && item->n_chars == self->n_source &&
      item->segments->len == self->n_segments)
    {
      assay_transcript_view_show_evidence (self, NULL);
      return;
    }

  /* Another source starts without the last one's search: a query typed
   * for one transcript means nothing in the next. */
  clear_matches (self);
  if (searching || *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0')
    {
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
      gtk_search_bar_set_search_mode (self->search_bar, FALSE);
    }
  show_item (self, item);
  self->source_id = item ? item->source_id : 0;
  self->n_segments = item ? item->segments->len : 0;
}

/* ---- widget ---- */

static void
assay_transcript_view_measure (GtkWidget      *widget,
                               GtkOrientation  orientation,
                               int             for_size,
                               int            *minimum,
                               int            *natural,
                               int            *minimum_baseline,
                               int            *natural_baseline)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (widget);

  gtk_widget_measure (self->box, orientation, for_size, minimum, natural,
                      minimum_baseline, natural_baseline);
}

static int
reading_width (AssayTranscriptView *self)
{
  return assay_reading_width (GTK_WIDGET (self->text_view),
                              READING_CHARS * self->font_scale);
}

static void
assay_transcript_view_size_allocate (GtkWidget *widget,
                                     int        width,
                                     int        height,
                                     int        baseline)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (widget);
  int margin = MAX (MIN_MARGIN, (width - reading_width (self)) / 2);

  /* Margins grow with the window, so lines keep a readable length. */
  if (margin != self->margin)
    {
      self->margin = margin;
      gtk_text_view_set_left_margin (self->text_view, margin);
      gtk_text_view_set_right_margin (self->text_view, margin);
    }
  gtk_widget_allocate (self->box, width, height, baseline, NULL);
}

static void
assay_transcript_view_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (assay_transcript_view_parent_class)->realize (widget);
  update_colors (ASSAY_TRANSCRIPT_VIEW (widget));
}

static void
assay_transcript_view_dispose (GObject *object)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (object);

  g_clear_handle_id (&self->window_idle, g_source_remove);
  g_clear_handle_id (&self->colors_idle, g_source_remove);
  g_clear_object (&self->session_bindings);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->session);
  g_signal_handlers_disconnect_by_data (adw_style_manager_get_default (), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_TRANSCRIPT_VIEW);

  G_OBJECT_CLASS (assay_transcript_view_parent_class)->dispose (object);
}

static void
assay_transcript_view_finalize (GObject *object)
{
  AssayTranscriptView *self = ASSAY_TRANSCRIPT_VIEW (object);

  g_clear_object (&self->buffer);
  g_clear_object (&self->tags);
  g_clear_pointer (&self->headings, g_array_unref);
  g_clear_pointer (&self->matches, g_array_unref);
  g_free (self->folded);
  g_free (self->text);

  G_OBJECT_CLASS (assay_transcript_view_parent_class)->finalize (object);
}

static void
assay_transcript_view_class_init (AssayTranscriptViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_transcript_view_dispose;
  object_class->finalize = assay_transcript_view_finalize;
  widget_class->measure = assay_transcript_view_measure;
  widget_class->size_allocate = assay_transcript_view_size_allocate;
  widget_class->realize = assay_transcript_view_realize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/"
                                               "assay-transcript-view.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, box);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, match_label);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, previous_button);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, next_button);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, stack);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, scroller);
  gtk_widget_class_bind_template_child (widget_class, AssayTranscriptView, text_view);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_next_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_previous_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_mode_changed_cb);

  gtk_widget_class_install_action (widget_class, "transcript.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "transcript.find", NULL);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, escape_cb, NULL);

  gtk_widget_class_set_css_name (widget_class, "transcriptview");
}

static GtkTextTag *
add_tag (GtkTextTagTable *table,
         const char      *name,
         const char      *first_property,
         ...)
{
  GtkTextTag *tag = gtk_text_tag_new (name);
  va_list args;

  va_start (args, first_property);
  if (first_property != NULL)
    g_object_set_valist (G_OBJECT (tag), first_property, args);
  va_end (args);
  gtk_text_tag_table_add (table, tag);
  g_object_unref (tag);
  return tag;
}

static void
assay_transcript_view_init (AssayTranscriptView *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->headings = g_array_new (FALSE, FALSE, sizeof (Heading));
  self->matches = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->current = -1;
  self->font_scale = 1.0;
  self->text = g_strdup ("");

  /* Added in priority order: later tags win where they overlap. */
  self->tags = gtk_text_tag_table_new ();
  self->scale_tag = add_tag (self->tags, "scale", "scale", 1.0, NULL);
  /* The space above a turn sets it apart; none above the first. */
  self->heading_tag = add_tag (self->tags, "heading", "weight", PANGO_WEIGHT_BOLD,
                               "pixels-above-lines", 14, NULL);
  self->first_heading_tag = add_tag (self->tags, "first-heading", "weight", PANGO_WEIGHT_BOLD,
                                     NULL);
  self->time_tag = add_tag (self->tags, "time", "weight", PANGO_WEIGHT_NORMAL,
                            "font-features", "tnum", NULL);
  self->evidence_tag = add_tag (self->tags, "evidence", NULL);
  self->match_tag = add_tag (self->tags, "match", NULL);
  self->current_tag = add_tag (self->tags, "current-match", NULL);
  set_buffer (self, new_buffer (self));

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return,
                                                                                  GDK_SHIFT_MASK),
                                                          gtk_callback_action_new (shift_enter_cb,
                                                                                   self, NULL)));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_KP_Enter,
                                                                                  GDK_SHIFT_MASK),
                                                          gtk_callback_action_new (shift_enter_cb,
                                                                                   self, NULL)));
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), shortcuts);

  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (scrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::dark", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (style, "notify::high-contrast", G_CALLBACK (style_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Transcript"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->search_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Find in transcript"), -1);
  gtk_stack_set_visible_child_name (self->stack, "empty");

  /* The view follows the session's current item: a new one (the same
   * source reloaded included) is shown when it is bound. */
  self->item_signals = g_signal_group_new (ASSAY_TYPE_ITEM_MODEL);
  g_signal_connect_swapped (self->item_signals, "bind", G_CALLBACK (item_shown), self);
  self->session_bindings = g_binding_group_new ();
  g_binding_group_bind (self->session_bindings, "current-item", self->item_signals, "target",
                        G_BINDING_SYNC_CREATE);
}

/* ---- public ---- */

void
assay_transcript_view_set_session (AssayTranscriptView *self,
                                   AssaySession        *session)
{
  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));
  g_return_if_fail (session == NULL || ASSAY_IS_SESSION (session));

  if (self->session == session)
    return;
  g_set_object (&self->session, session);
  self->source_id = 0;
  g_binding_group_set_source (self->session_bindings, session);
  if (session == NULL || assay_session_get_current_item (session) == NULL)
    {
      g_signal_group_set_target (self->item_signals, NULL);
      item_shown (self);
    }
}

void
assay_transcript_view_show_evidence (AssayTranscriptView *self,
                                     GArray              *ranges)
{
  GtkTextIter start, end;
  gboolean first = TRUE;

  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  gtk_text_buffer_remove_tag (self->buffer, self->evidence_tag, &start, &end);
  if (ranges == NULL)
    return;

  for (guint i = 0; i < ranges->len; i++)
    {
      const AssayRange *r = &g_array_index (ranges, AssayRange, i);

      if (r->end <= r->start)
        continue;
      apply_source_range (self, self->evidence_tag, r->start, r->end);
      if (first)
        {
          GtkTextIter at;

          first = FALSE;
          gtk_text_buffer_get_iter_at_offset (self->buffer, &at,
                                              source_to_buffer (self, r->start, FALSE));
          gtk_text_buffer_place_cursor (self->buffer, &at);
          scroll_to (self, &at);
        }
    }
}

gboolean
assay_transcript_view_get_selection (AssayTranscriptView *self,
                                     AssayRange          *range)
{
  GtkTextIter a, b;
  gint64 start, end;

  g_return_val_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self), FALSE);
  g_return_val_if_fail (range != NULL, FALSE);

  if (!gtk_text_buffer_get_selection_bounds (self->buffer, &a, &b))
    return FALSE;
  start = buffer_to_source (self, gtk_text_iter_get_offset (&a));
  end = buffer_to_source (self, gtk_text_iter_get_offset (&b));
  if (end <= start)
    return FALSE;
  range->start = start;
  range->end = end;
  return TRUE;
}

void
assay_transcript_view_start_search (AssayTranscriptView *self)
{
  GtkTextIter a, b;

  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));

  /* A short selection on one line is what the expert wants to find. */
  if (gtk_text_buffer_get_selection_bounds (self->buffer, &a, &b) &&
      gtk_text_iter_get_line (&a) == gtk_text_iter_get_line (&b) &&
      gtk_text_iter_get_offset (&b) - gtk_text_iter_get_offset (&a) <= 64)
    {
      g_autofree char *selected = gtk_text_iter_get_text (&a, &b);

      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), selected);
    }
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

void
assay_transcript_view_set_font_scale (AssayTranscriptView *self,
                                      double               scale)
{
  g_return_if_fail (ASSAY_IS_TRANSCRIPT_VIEW (self));

  scale = CLAMP (scale, 0.5, 3.0);
  if (G_APPROX_VALUE (scale, self->font_scale, 0.001))
    return;
  self->font_scale = scale;
  g_object_set (self->scale_tag, "scale", scale, NULL);
  self->margin = -1;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}
