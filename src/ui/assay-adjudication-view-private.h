/* assay-adjudication-view-private.h: what the parts of the adjudication
 * view share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * assay-adjudication-view.c is the shell (loading, sections, the summary at
 * the top, actions), assay-adjudication-blocks.c draws the annotators'
 * values of each kind, assay-adjudication-gold.c writes and shows the gold,
 * assay-adjudication-row.c lays out one annotator's row. What a block is
 * and whether it is a disagreement come from the core (AssayAdjudication).
 */
#pragma once

#include <glib/gi18n.h>

#include "assay-adjudication-view.h"
#include "assay-session.h"

G_BEGIN_DECLS

typedef struct _Section Section;

/* The widgets of one block of the model. */
typedef struct
{
  AssayAdjudicationView  *view;
  AssayAdjudicationBlock *data;          /* in view->model */
  Section                *section;
  char                   *name;          /* "Faithfulness for B" */

  GtkWidget              *root;
  GtkWidget              *badge;
  GtkWidget              *settled_tag;
  GtkLabel               *agreement;
  GtkLabel               *gold_label;
  GtkWidget              *gold_detail;
  GPtrArray              *marks;         /* per annotator: "same as gold" icon, or NULL */
  GPtrArray              *toggles;       /* direct gold controls */
} Block;

struct _Section
{
  GtkWidget *root;
  GtkLabel  *summary;
  guint      n_disagreements;
  guint      n_settled;
};

struct _AssayAdjudicationView
{
  GtkWidget          parent_instance;

  AdwToastOverlay   *toasts;
  GtkStack          *stack;
  GtkSpinner        *spinner;
  AdwStatusPage     *empty_page;
  GtkLabel          *title;
  GtkLabel          *subtitle;
  GtkWidget         *state_box;
  GtkImage          *state_icon;
  GtkLabel          *state_label;
  GtkWidget         *legend;
  GtkWidget         *jump_box;
  GtkToggleButton   *only_disagreements;
  GtkScrolledWindow *scroller;
  GtkWidget         *clamp;
  GtkBox            *sections;

  AssayProject      *project;
  char              *lead_id;
  char              *lead_name;
  char              *gold_ext_id;
  char              *gold_name;
  AssaySession      *session;       /* made on the first gold write */
  gint64             source_id;
  GCancellable      *loading;       /* while a source loads */
  AssayAdjudication *model;         /* nullable until a source is loaded */
  AssayTemplate     *tmpl;          /* the model's */
  AssayItem         *base;          /* the model's: the source and its candidates */
  GPtrArray         *annotators;    /* the model's: AssayAdjudicationAnnotator */
  GPtrArray         *blocks;        /* Block */
  GPtrArray         *sections_data; /* Section */
  GPtrArray         *jump_targets;  /* GtkWidget, by jump button index */
  GtkWidget         *nothing_page;
  guint              syncing;
};

/* assay-adjudication-row.c */
GtkWidget *_assay_adjudication_row_new     (GtkWidget             *who,
                                            GtkWidget             *value,
                                            GtkWidget             *end);

/* assay-adjudication-blocks.c */
const char *_assay_adj_set_title           (AssayLabelSet         *set);
const char *_assay_adj_option_title        (AssayLabelOption      *option);
const char *_assay_adj_criterion_title     (AssayCriterion        *criterion);
char      *_assay_adj_letter               (AssayAdjudicationView *self,
                                            gint64                 candidate_id);
char      *_assay_adj_candidate_name       (AssayAdjudicationView *self,
                                            gint64                 candidate_id);
void       _assay_adj_wrap_append          (GtkWidget             *wrap,
                                            GtkWidget             *child);
GtkWidget *_assay_adj_text_label           (const char            *text,
                                            const char            *css_class);
GtkWidget *_assay_adj_wrapped_label        (const char            *text,
                                            const char            *css_class);
void       _assay_adj_set_accessible_label (GtkWidget             *widget,
                                            const char            *label);
GtkWidget *_assay_adj_chip_content         (AssayLabelOption      *option,
                                            const char            *fallback);
void       _assay_adj_clear_box            (GtkWidget             *box);
GtkWidget *_assay_adj_tag                  (const char            *icon,
                                            const char            *text,
                                            const char            *css_class);
GtkWidget *_assay_adj_list_row             (GtkWidget             *child,
                                            const char            *css_class);
/* One annotator's value in the block, for reading; `has`: they gave one. */
GtkWidget *_assay_adj_value_widget         (Block                 *block,
                                            AssayItem             *item,
                                            gboolean               has);
/* What the gold holds, in a few words. */
char      *_assay_adj_gold_summary         (Block                 *block);
GtkWidget *_assay_adj_annotator_row        (Block                 *block,
                                            guint                  index);

/* assay-adjudication-gold.c */
GtkWidget *_assay_adj_gold_row             (Block                 *block);
void       _assay_adj_refresh_block        (Block                 *block);
void       _assay_adj_use_clicked_cb       (GtkButton             *button,
                                            Block                 *block);
void       _assay_adj_use_agreed_action    (GtkWidget             *widget,
                                            const char            *action_name,
                                            GVariant              *param);
void       _assay_adj_show_error           (AssayAdjudicationView *self,
                                            const char            *what,
                                            const char            *message);

/* assay-adjudication-view.c */
void       _assay_adj_refresh              (AssayAdjudicationView *self);
void       _assay_adj_emit_changed         (AssayAdjudicationView *self);

G_END_DECLS
