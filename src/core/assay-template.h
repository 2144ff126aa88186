/* assay-template.h: what a project asks of its reviewers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <jansson.h>

#include "assay-json.h"
#include "assay-project.h"

G_BEGIN_DECLS

typedef enum
{
  ASSAY_JUDGE_LABELS     = 1 << 0,
  ASSAY_JUDGE_SPANS      = 1 << 1,
  ASSAY_JUDGE_CORRECTION = 1 << 2,
  ASSAY_JUDGE_SCORES     = 1 << 3,
  ASSAY_JUDGE_RANKING    = 1 << 4,
  ASSAY_JUDGE_PAIRWISE   = 1 << 5,
} AssayJudgmentKinds;

#define ASSAY_JUDGE_ALL (ASSAY_JUDGE_LABELS | ASSAY_JUDGE_SPANS | ASSAY_JUDGE_CORRECTION | \
                         ASSAY_JUDGE_SCORES | ASSAY_JUDGE_RANKING | ASSAY_JUDGE_PAIRWISE)

typedef enum
{
  ASSAY_SCOPE_CANDIDATE,
  ASSAY_SCOPE_SPAN,
} AssayLabelScope;

typedef struct
{
  gint64  id;           /* row id in the project, 0 if not stored yet */
  char   *name;
  char   *title;        /* nullable: display the name */
  char   *description;  /* nullable */
  char   *shortcut;     /* nullable; one character */
  char   *color;        /* nullable; "#rrggbb" */
} AssayLabelOption;

typedef struct
{
  gint64           id;
  char            *name;
  char            *title;
  char            *description;
  AssayLabelScope  scope;
  gboolean         multi;
  GPtrArray       *options;   /* AssayLabelOption */
} AssayLabelSet;

typedef struct
{
  gint64    id;
  char     *name;
  char     *title;
  char     *description;
  int       min;
  int       max;
  double    weight;
  gboolean  required;
  char    **anchors;          /* max - min + 1 entries, NULL where a point has no anchor */
} AssayCriterion;

/* How exports choose the gold summary of a source when no expert corrected
 * one (a correction always wins): the candidate ranked first, the one given
 * a label (such as verdict: accept), or the best one whose weighted rubric
 * score reaches a threshold. */
typedef enum
{
  ASSAY_ACCEPT_RANK,
  ASSAY_ACCEPT_LABEL,
  ASSAY_ACCEPT_SCORE,
} AssayAcceptRule;

typedef struct
{
  AssayAcceptRule  rule;
  char            *label_set;   /* ASSAY_ACCEPT_LABEL: a candidate label set ... */
  char            *label;       /* ... and its option that means "accept" */
  double           min_score;   /* ASSAY_ACCEPT_SCORE: weighted mean on the criteria's scales */
} AssayAccept;

typedef struct
{
  char               *name;
  char               *version;
  char               *guidelines;
  char               *system_prompt;
  char               *prompt_template;
  gboolean            blind;
  AssayJudgmentKinds  kinds;
  AssayAccept         accept;
  GPtrArray          *label_sets;  /* AssayLabelSet */
  GPtrArray          *criteria;    /* AssayCriterion */
} AssayTemplate;

#define ASSAY_TYPE_TEMPLATE (assay_template_get_type ())
GType           assay_template_get_type          (void) G_GNUC_CONST;

AssayTemplate  *assay_template_new               (void);
AssayTemplate  *assay_template_ref               (AssayTemplate        *self);
void            assay_template_unref             (AssayTemplate        *self);

const char     *assay_judgment_kind_to_string    (AssayJudgmentKinds    kind);

/* Lookups by name; NULL if there is none. find_option with a NULL set name
 * searches every set of `scope` and fails (returns NULL, *ambiguous TRUE)
 * if the name occurs in more than one. */
AssayLabelSet  *assay_template_find_label_set    (AssayTemplate        *self,
                                                  const char           *name);
AssayLabelOption *assay_template_find_option     (AssayTemplate        *self,
                                                  const char           *set_name,
                                                  const char           *option_name,
                                                  AssayLabelScope       scope,
                                                  AssayLabelSet       **set_out,
                                                  gboolean             *ambiguous);
AssayCriterion *assay_template_find_criterion    (AssayTemplate        *self,
                                                  const char           *name);
/* By row id, for export. */
AssayLabelOption *assay_template_option_by_id    (AssayTemplate        *self,
                                                  gint64                id,
                                                  AssayLabelSet       **set_out);
AssayCriterion *assay_template_criterion_by_id   (AssayTemplate        *self,
                                                  gint64                id);
const char     *assay_criterion_get_anchor       (AssayCriterion       *criterion,
                                                  int                   value);

/* Reads a template from parsed JSON (a template file, or a "template" line
 * of native JSONL, whose "type" member is then allowed). Errors name the
 * file and line of the offending value. */
AssayTemplate  *assay_template_from_json         (const AssayJsonDoc   *doc,
                                                  guint                 node,
                                                  const char           *file,
                                                  guint                 base_line,
                                                  GError              **error);
AssayTemplate  *assay_template_load_file         (const char           *path,
                                                  GError              **error);
/* A template file's contents (a byte order mark is skipped); `name` stands
 * for the file in errors, which name its line. */
AssayTemplate  *assay_template_load_bytes        (GBytes               *bytes,
                                                  const char           *name,
                                                  GError              **error);
/* The template as JSON (jansson), in the documented layout. */
json_t         *assay_template_to_json           (AssayTemplate        *self);

/* The project's template (an empty one if none was set). */
AssayTemplate  *assay_project_load_template      (AssayProject         *self,
                                                  GError              **error);
/* Replaces the project's template. Label sets, options and criteria keep
 * their identity by name, so judgments stay attached; removing one that
 * judgments use is refused. */
gboolean        assay_project_store_template     (AssayProject         *self,
                                                  AssayTemplate        *tmpl,
                                                  GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssayTemplate, assay_template_unref)

G_END_DECLS
