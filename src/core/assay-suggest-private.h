/* assay-suggest-private.h: what suggestions share with the rest of the core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <jansson.h>

#include "assay-json-reader-private.h"
#include "assay-suggest.h"

G_BEGIN_DECLS

/* Project format 4: one row per candidate a model annotator was asked
 * about, for a template version (assay-project.c runs it in its
 * migration to format 4). */
extern const char _assay_suggest_schema_sql[];

/* Bumped whenever the prompt or the schema made from a template changes
 * in a way that could change the answers; part of the prompt version. */
#define ASSAY_SUGGEST_GENERATOR_VERSION 1

/* What is asked of the model, made once per run from the template. */
typedef struct
{
  AssayTemplate      *tmpl;
  AssayJudgmentKinds  kinds;            /* of labels, spans, scores: what is asked */
  GPtrArray          *label_sets;       /* (element-type AssayLabelSet) borrowed, candidate scope */
  GPtrArray          *criteria;         /* (element-type AssayCriterion) borrowed */
  GPtrArray          *span_labels;      /* (element-type utf8) owned: span option names */
  char               *system;           /* the system message */
  json_t             *schema;           /* the answer's JSON Schema */
  char               *prompt_version;
  char               *template_version;
} AssaySuggestPrompt;

/* Refuses (ASSAY_ERROR_INVALID_INPUT) a template that gives the model
 * nothing to do among `kinds`, or whose names collide in the schema. */
AssaySuggestPrompt *_assay_suggest_prompt_new     (AssayTemplate       *tmpl,
                                                   AssayJudgmentKinds   kinds,
                                                   GError             **error);
void                _assay_suggest_prompt_free    (AssaySuggestPrompt  *prompt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AssaySuggestPrompt, _assay_suggest_prompt_free)

/* The user message: the source (with its speakers when it has segments,
 * `speakers` and `turns` of equal length) and the candidate. */
char               *_assay_suggest_user_message   (const char          *source_title,
                                                   const char          *source_text,
                                                   GPtrArray           *speakers,
                                                   GPtrArray           *turns,
                                                   const char          *candidate_text);
/* The body of POST /chat/completions. */
char               *_assay_suggest_request_body   (AssaySuggestPrompt  *prompt,
                                                   const char          *model,
                                                   const char          *user_message);

/* A valid answer as the native records to store. */
typedef struct
{
  char      *labels;     /* "[{labels record}]", NULL when labels were not asked */
  char      *scores;     /* likewise */
  char      *spans;      /* "[{span}, …]", NULL when spans were not asked */
  guint      n_spans;
  GPtrArray *unplaced;   /* (element-type utf8): quotes not found in the candidate */
} AssaySuggestAnswer;

void                _assay_suggest_answer_clear   (AssaySuggestAnswer  *answer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AssaySuggestAnswer, _assay_suggest_answer_clear)

/* Reads the body of a Chat Completions response: the endpoint's model id
 * (*model, NULL if it named none) and the answer, checked against the
 * template. FALSE with *reason (a sentence) when the answer cannot be
 * used; nothing of it is then to be stored. */
gboolean            _assay_suggest_read_response  (AssaySuggestPrompt  *prompt,
                                                   const char          *candidate_ext,
                                                   const char          *candidate_text,
                                                   const char          *body,
                                                   gsize                length,
                                                   char               **model,
                                                   AssaySuggestAnswer  *answer,
                                                   char               **reason);

/* Where `quote` first occurs in `text`, in code points, [start, end):
 * exactly, or else with any run of white space matching any other. */
gboolean            _assay_suggest_find_quote     (const char          *text,
                                                   const char          *quote,
                                                   gint64              *start,
                                                   gint64              *end);

/* The seconds form of Retry-After (or an HTTP date); -1 if absent or not
 * understood. */
gint64              _assay_suggest_parse_retry_after (const char       *value);

/* Writes (or replaces) the suggestions row of a candidate. */
gboolean            _assay_suggest_store_row      (AssayProject        *project,
                                                   gint64               annotator_id,
                                                   gint64               candidate_id,
                                                   const char          *template_version,
                                                   const char          *prompt_version,
                                                   const char          *model,
                                                   double               seconds,
                                                   guint                attempts,
                                                   const char          *failure,
                                                   const char          *note,
                                                   const char          *created,
                                                   GError             **error);

/* Native export: the "suggestion" member of the records of a source, by
 * annotator and candidate: (annotator ext id "\x1f" candidate ext id) ->
 * the member's JSON object text. NULL when the source has none (or the
 * project is older than format 4), or on an error (then set). */
GHashTable         *_assay_suggest_source_provenance (AssayProject     *project,
                                                      gint64            source_id,
                                                      GError          **error);
/* Import: reads the "suggestion" member of a judgment record, if it has
 * one, into a suggestions row. */
gboolean            _assay_suggest_import_provenance (AssayProject          *project,
                                                      const AssayJsonReader *r,
                                                      guint                  object,
                                                      const char            *prefix,
                                                      gint64                 annotator_id,
                                                      gint64                 candidate_id,
                                                      const char            *created,
                                                      GError               **error);

G_END_DECLS
