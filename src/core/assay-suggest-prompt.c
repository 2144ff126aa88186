/* assay-suggest-prompt.c: what a model is asked, and what its answer must be
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The prompt and the structured-output schema are made from the template
 * alone, so the same template always asks the same question; the prompt
 * version is a short hash of both. An answer is checked against the
 * template exactly as strictly as the schema says: a model or server that
 * ignores response_format gets nothing stored.
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-json.h"
#include "assay-project-private.h"
#include "assay-suggest-private.h"

const char _assay_suggest_schema_sql[] =
  "CREATE TABLE IF NOT EXISTS suggestions ("
  "  annotator_id     INTEGER NOT NULL REFERENCES annotators (id) ON DELETE CASCADE,"
  "  candidate_id     INTEGER NOT NULL REFERENCES candidates (id) ON DELETE CASCADE,"
  "  template_version TEXT NOT NULL,"
  "  prompt_version   TEXT NOT NULL,"
  "  model            TEXT,"
  "  seconds          REAL NOT NULL DEFAULT 0,"
  "  attempts         INTEGER NOT NULL DEFAULT 0,"
  "  error            TEXT,"
  "  note             TEXT,"
  "  created_at       TEXT NOT NULL,"
  "  PRIMARY KEY (candidate_id, annotator_id, template_version)"
  ") STRICT, WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS suggestions_by_annotator"
  "  ON suggestions (annotator_id, template_version);";

/* ---- the prompt ---- */

static void
append_indented (GString    *out,
                 const char *indent,
                 const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s%s\n", indent, lines[i]);
}

static void
describe_option (GString          *out,
                 AssayLabelOption *option)
{
  g_string_append_printf (out, "  - %s", option->name);
  if (option->title != NULL && !g_str_equal (option->title, option->name))
    g_string_append_printf (out, " (%s)", option->title);
  if (option->description != NULL && *option->description != '\0')
    g_string_append_printf (out, ": %s", option->description);
  g_string_append_c (out, '\n');
}

static void
describe_named (GString    *out,
                const char *name,
                const char *title,
                const char *description)
{
  g_string_append_printf (out, "\n\"%s\"", name);
  if (title != NULL && !g_str_equal (title, name))
    g_string_append_printf (out, " (%s)", title);
  if (description != NULL && *description != '\0')
    g_string_append_printf (out, ": %s", description);
  g_string_append_c (out, '\n');
}

/* The prompt is in English whatever the user's locale: it is read by the
 * model, and a translation would change the prompt version. */
static char *
make_system (AssaySuggestPrompt *p)
{
  GString *out = g_string_new (NULL);
  AssayTemplate *tmpl = p->tmpl;

  g_string_append (out,
                   "You review a candidate text written from a source text (such as a summary of "
                   "a call or a document), as an expert reviewer would, following the guidelines "
                   "below. You answer with one JSON object in the required form and nothing "
                   "else.\n");
  if (tmpl->guidelines != NULL && *tmpl->guidelines != '\0')
    {
      g_string_append (out, "\n# Guidelines\n\n");
      g_string_append (out, tmpl->guidelines);
      g_string_append_c (out, '\n');
    }

  if (p->criteria->len > 0)
    {
      g_string_append (out, "\n# Scores\n\nGive the candidate a whole-number score on each "
                            "criterion below, on its scale, under the criterion's name. "
                            "The points of the scale mean:\n");
      for (guint i = 0; i < p->criteria->len; i++)
        {
          AssayCriterion *c = g_ptr_array_index (p->criteria, i);

          describe_named (out, c->name, c->title, c->description);
          g_string_append_printf (out, "Scale: %d to %d.\n", c->min, c->max);
          for (int v = c->min; v <= c->max; v++)
            {
              const char *anchor = assay_criterion_get_anchor (c, v);

              if (anchor != NULL && *anchor != '\0')
                {
                  g_string_append_printf (out, "  %d: ", v);
                  append_indented (out, "", anchor);
                }
            }
        }
    }

  if (p->label_sets->len > 0)
    {
      g_string_append (out, "\n# Labels\n\nFor each label set below, choose by name, under the "
                            "set's name, what fits the candidate.\n");
      for (guint i = 0; i < p->label_sets->len; i++)
        {
          AssayLabelSet *set = g_ptr_array_index (p->label_sets, i);

          describe_named (out, set->name, set->title, set->description);
          g_string_append (out, set->multi ? "Choose every option that applies (a list, "
                                             "possibly empty) of:\n"
                                           : "Choose exactly one of:\n");
          for (guint j = 0; j < set->options->len; j++)
            describe_option (out, g_ptr_array_index (set->options, j));
        }
    }

  if (p->kinds & ASSAY_JUDGE_SPANS)
    {
      g_string_append (out, "\n# Spans\n\nUnder \"spans\", list the passages of the candidate "
                            "that deserve a mark. Quote each one exactly as it stands in the "
                            "candidate, word for word, no longer than it needs to be");
      if (p->span_labels->len > 0)
        {
          g_string_append (out, ", and give it one of these labels:\n");
          for (guint i = 0; i < tmpl->label_sets->len; i++)
            {
              AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

              if (set->scope != ASSAY_SCOPE_SPAN)
                continue;
              for (guint j = 0; j < set->options->len; j++)
                describe_option (out, g_ptr_array_index (set->options, j));
            }
        }
      else
        g_string_append (out, ".\n");
      g_string_append (out, "Give an empty list when nothing deserves a mark.\n");
    }

  return g_string_free (out, FALSE);
}

static json_t *
enum_of (GPtrArray *names)
{
  json_t *values = json_array ();

  for (guint i = 0; i < names->len; i++)
    json_array_append_new (values, json_string (g_ptr_array_index (names, i)));
  return values;
}

static json_t *
make_schema (AssaySuggestPrompt *p)
{
  json_t *properties = json_object ();
  json_t *required = json_array ();

  for (guint i = 0; i < p->criteria->len; i++)
    {
      AssayCriterion *c = g_ptr_array_index (p->criteria, i);

      json_object_set_new (properties, c->name,
                           json_pack ("{s:s, s:i, s:i}", "type", "integer",
                                      "minimum", c->min, "maximum", c->max));
      json_array_append_new (required, json_string (c->name));
    }

  for (guint i = 0; i < p->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (p->label_sets, i);
      g_autoptr(GPtrArray) names = g_ptr_array_new ();
      json_t *one;

      for (guint j = 0; j < set->options->len; j++)
        g_ptr_array_add (names, ((AssayLabelOption *) g_ptr_array_index (set->options, j))->name);
      one = json_pack ("{s:s, s:o}", "type", "string", "enum", enum_of (names));
      if (set->multi)
        one = json_pack ("{s:s, s:o}", "type", "array", "items", one);
      json_object_set_new (properties, set->name, one);
      json_array_append_new (required, json_string (set->name));
    }

  if (p->kinds & ASSAY_JUDGE_SPANS)
    {
      json_t *item_properties = json_pack ("{s:{s:s}}", "quote", "type", "string");
      json_t *item_required = json_pack ("[s]", "quote");

      if (p->span_labels->len > 0)
        {
          json_object_set_new (item_properties, "label",
                               json_pack ("{s:s, s:o}", "type", "string",
                                          "enum", enum_of (p->span_labels)));
          json_array_append_new (item_required, json_string ("label"));
        }
      json_object_set_new (properties, "spans",
                           json_pack ("{s:s, s:{s:s, s:o, s:o, s:b}}", "type", "array",
                                      "items", "type", "object", "properties", item_properties,
                                      "required", item_required,
                                      "additionalProperties", FALSE));
      json_array_append_new (required, json_string ("spans"));
    }

  return json_pack ("{s:s, s:o, s:o, s:b}", "type", "object", "properties", properties,
                    "required", required, "additionalProperties", FALSE);
}

static char *
short_hash (const char *text)
{
  g_autofree char *full = g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);

  return g_strndup (full, 12);
}

AssaySuggestPrompt *
_assay_suggest_prompt_new (AssayTemplate       *tmpl,
                           AssayJudgmentKinds   kinds,
                           GError             **error)
{
  g_autoptr(AssaySuggestPrompt) p = g_new0 (AssaySuggestPrompt, 1);
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *schema_text = NULL;
  g_autofree char *hashed = NULL;

  p->tmpl = assay_template_ref (tmpl);
  p->label_sets = g_ptr_array_new ();
  p->criteria = g_ptr_array_new ();
  p->span_labels = g_ptr_array_new_with_free_func (g_free);
  p->kinds = kinds & tmpl->kinds & (ASSAY_JUDGE_LABELS | ASSAY_JUDGE_SPANS | ASSAY_JUDGE_SCORES);

  if (p->kinds & ASSAY_JUDGE_SCORES)
    for (guint i = 0; i < tmpl->criteria->len; i++)
      g_ptr_array_add (p->criteria, g_ptr_array_index (tmpl->criteria, i));
  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      if (set->scope == ASSAY_SCOPE_CANDIDATE && (p->kinds & ASSAY_JUDGE_LABELS) &&
          set->options->len > 0)
        g_ptr_array_add (p->label_sets, set);
      else if (set->scope == ASSAY_SCOPE_SPAN && (p->kinds & ASSAY_JUDGE_SPANS))
        for (guint j = 0; j < set->options->len; j++)
          {
            const char *name = ((AssayLabelOption *) g_ptr_array_index (set->options, j))->name;

            /* A name in two span sets is one label to the model; it is
             * stored under the first set that has it. */
            if (!g_ptr_array_find_with_equal_func (p->span_labels, name, g_str_equal, NULL))
              g_ptr_array_add (p->span_labels, g_strdup (name));
          }
    }
  if (p->criteria->len == 0)
    p->kinds &= ~ASSAY_JUDGE_SCORES;
  if (p->label_sets->len == 0)
    p->kinds &= ~ASSAY_JUDGE_LABELS;

  if (p->kinds == 0)
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("The template asks for none of the judgments a model can suggest (labels of "
                     "a candidate, spans, scores) among those requested"));
      return NULL;
    }

  /* Criteria and label sets are answered under their names, beside
   * "spans": two of them with one name could not both be answered. */
  if (p->kinds & ASSAY_JUDGE_SPANS)
    g_hash_table_add (names, (gpointer) "spans");
  for (guint i = 0; i < p->criteria->len + p->label_sets->len; i++)
    {
      const char *name = i < p->criteria->len
                           ? ((AssayCriterion *) g_ptr_array_index (p->criteria, i))->name
                           : ((AssayLabelSet *) g_ptr_array_index (p->label_sets,
                                                                   i - p->criteria->len))->name;

      if (!g_hash_table_add (names, (gpointer) name))
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("The template uses the name “%s” for more than one of its criteria, "
                         "label sets and “spans”: a model’s answer could not tell them apart"),
                       name);
          return NULL;
        }
    }

  p->system = make_system (p);
  p->schema = make_schema (p);
  schema_text = assay_json_dumps_compact (p->schema);
  hashed = g_strdup_printf ("%d\n%s\n%s", ASSAY_SUGGEST_GENERATOR_VERSION, p->system,
                            schema_text);
  {
    g_autofree char *h = short_hash (hashed);

    p->prompt_version = g_strdup_printf ("%d-%s", ASSAY_SUGGEST_GENERATOR_VERSION, h);
  }

  /* A template without a version is known by its content. */
  if (tmpl->version != NULL && *tmpl->version != '\0')
    p->template_version = g_strdup (tmpl->version);
  else
    {
      g_autoptr(json_t) json = assay_template_to_json (tmpl);
      g_autofree char *text = assay_json_dumps_compact (json);
      g_autofree char *h = short_hash (text);

      p->template_version = g_strconcat ("#", h, NULL);
    }

  return g_steal_pointer (&p);
}

void
_assay_suggest_prompt_free (AssaySuggestPrompt *p)
{
  if (p == NULL)
    return;
  g_clear_pointer (&p->tmpl, assay_template_unref);
  g_clear_pointer (&p->label_sets, g_ptr_array_unref);
  g_clear_pointer (&p->criteria, g_ptr_array_unref);
  g_clear_pointer (&p->span_labels, g_ptr_array_unref);
  g_clear_pointer (&p->schema, json_decref);
  g_free (p->system);
  g_free (p->prompt_version);
  g_free (p->template_version);
  g_free (p);
}

char *
_assay_suggest_user_message (const char *source_title,
                             const char *source_text,
                             GPtrArray  *speakers,
                             GPtrArray  *turns,
                             const char *candidate_text)
{
  GString *out = g_string_new ("# Source");

  if (source_title != NULL && *source_title != '\0')
    g_string_append_printf (out, ": %s", source_title);
  g_string_append (out, "\n\n");
  if (turns != NULL && turns->len > 0)
    {
      for (guint i = 0; i < turns->len; i++)
        {
          const char *speaker = g_ptr_array_index (speakers, i);

          if (speaker != NULL && *speaker != '\0')
            g_string_append_printf (out, "%s: ", speaker);
          g_string_append (out, g_ptr_array_index (turns, i));
          g_string_append_c (out, '\n');
        }
    }
  else
    {
      g_string_append (out, source_text);
      g_string_append_c (out, '\n');
    }
  g_string_append (out, "\n# Candidate\n\n");
  g_string_append (out, candidate_text);
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}

char *
_assay_suggest_request_body (AssaySuggestPrompt *prompt,
                             const char         *model,
                             const char         *user_message)
{
  g_autoptr(json_t) body = NULL;

  body = json_pack ("{s:s, s:[{s:s, s:s}, {s:s, s:s}], s:i, s:b,"
                    " s:{s:s, s:{s:s, s:b, s:O}}}",
                    "model", model,
                    "messages",
                      "role", "system", "content", prompt->system,
                      "role", "user", "content", user_message,
                    "temperature", 0,
                    "stream", FALSE,
                    "response_format",
                      "type", "json_schema",
                      "json_schema",
                        "name", "assay_judgments",
                        "strict", TRUE,
                        "schema", prompt->schema);
  g_assert (body != NULL);
  return assay_json_dumps_compact (body);
}

/* ---- the answer ---- */

void
_assay_suggest_answer_clear (AssaySuggestAnswer *answer)
{
  g_clear_pointer (&answer->labels, g_free);
  g_clear_pointer (&answer->scores, g_free);
  g_clear_pointer (&answer->spans, g_free);
  g_clear_pointer (&answer->unplaced, g_ptr_array_unref);
  answer->n_spans = 0;
}

/* White space as the tolerant search sees it. */
static gboolean
is_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0x00A0;
}

/* `text` with each run of white space made one space, and for each byte of
 * the result, where in `text` its character begins and ends. */
static char *
squeeze (const char  *text,
         GArray     **starts,
         GArray     **ends)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  gboolean in_space = FALSE;

  *starts = g_array_new (FALSE, FALSE, sizeof (gsize));
  *ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);
      gsize from = p - text, to = next - text;

      if (is_space (c))
        {
          if (!in_space)
            {
              g_string_append_c (out, ' ');
              g_array_append_val (*starts, from);
              g_array_append_val (*ends, to);
            }
          in_space = TRUE;
        }
      else
        {
          in_space = FALSE;
          g_string_append_len (out, p, next - p);
          for (const char *q = p; q < next; q++)
            {
              g_array_append_val (*starts, from);
              g_array_append_val (*ends, to);
            }
        }
      p = next;
    }
  return g_string_free (out, FALSE);
}

gboolean
_assay_suggest_find_quote (const char *text,
                           const char *quote,
                           gint64     *start,
                           gint64     *end)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (quote));
  const char *found;

  if (*trimmed == '\0')
    return FALSE;

  found = strstr (text, trimmed);
  if (found != NULL)
    {
      *start = g_utf8_pointer_to_offset (text, found);
      *end = *start + g_utf8_strlen (trimmed, -1);
      return TRUE;
    }

  {
    g_autoptr(GArray) starts = NULL;
    g_autoptr(GArray) ends = NULL;
    g_autoptr(GArray) qstarts = NULL;
    g_autoptr(GArray) qends = NULL;
    g_autofree char *squeezed = squeeze (text, &starts, &ends);
    g_autofree char *squeezed_quote = squeeze (trimmed, &qstarts, &qends);
    gsize from, to;

    found = strstr (squeezed, squeezed_quote);
    if (found == NULL)
      return FALSE;
    from = g_array_index (starts, gsize, found - squeezed);
    to = g_array_index (ends, gsize, found - squeezed + strlen (squeezed_quote) - 1);
    *start = g_utf8_pointer_to_offset (text, text + from);
    *end = g_utf8_pointer_to_offset (text, text + to);
    return TRUE;
  }
}

static gboolean
invalid (char       **reason,
         const char  *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (char       **reason,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  *reason = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

static AssayLabelOption *
option_named (AssayLabelSet *set,
              const char    *name)
{
  for (guint i = 0; i < set->options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (set->options, i);

      if (g_str_equal (option->name, name))
        return option;
    }
  return NULL;
}

static gboolean
read_label_set (AssayLabelSet  *set,
                json_t         *value,
                json_t         *labels,
                char          **reason)
{
  if (!set->multi)
    {
      if (!json_is_string (value))
        return invalid (reason, _("“%s” is not one option name"), set->name);
      if (option_named (set, json_string_value (value)) == NULL)
        return invalid (reason, _("“%s” is not an option of “%s”"), json_string_value (value),
                        set->name);
      json_object_set (labels, set->name, value);
      return TRUE;
    }
  else
    {
      json_t *chosen = json_array ();
      size_t i;
      json_t *v;

      json_object_set_new (labels, set->name, chosen);
      if (!json_is_array (value))
        return invalid (reason, _("“%s” is not a list of option names"), set->name);
      json_array_foreach (value, i, v)
        {
          gboolean seen = FALSE;
          size_t k;
          json_t *w;

          if (!json_is_string (v))
            return invalid (reason, _("“%s” is not a list of option names"), set->name);
          if (option_named (set, json_string_value (v)) == NULL)
            return invalid (reason, _("“%s” is not an option of “%s”"), json_string_value (v),
                            set->name);
          json_array_foreach (chosen, k, w)
            seen |= json_equal (v, w);
          if (!seen)
            json_array_append (chosen, v);
        }
      return TRUE;
    }
}

static gboolean
read_spans (AssaySuggestPrompt  *p,
            const char          *candidate_ext,
            const char          *candidate_text,
            json_t              *value,
            AssaySuggestAnswer  *answer,
            char               **reason)
{
  g_autoptr(json_t) records = json_array ();
  size_t i;
  json_t *span;

  if (!json_is_array (value))
    return invalid (reason, _("“spans” is not a list"));
  json_array_foreach (value, i, span)
    {
      json_t *quote = json_object_get (span, "quote");
      json_t *label = json_object_get (span, "label");
      const char *key;
      json_t *v;
      AssayLabelSet *set = NULL;
      gint64 start, end;
      json_t *record;

      if (!json_is_object (span))
        return invalid (reason, _("spans[%zu] is not an object"), i);
      json_object_foreach (span, key, v)
        if (!g_str_equal (key, "quote") && !(g_str_equal (key, "label") && p->span_labels->len > 0))
          return invalid (reason, _("spans[%zu] has an unexpected member “%s”"), i, key);
      if (!json_is_string (quote))
        return invalid (reason, _("spans[%zu] has no quote"), i);
      if (p->span_labels->len > 0)
        {
          if (!json_is_string (label))
            return invalid (reason, _("spans[%zu] has no label"), i);
          /* A name in two span sets goes to the first set that has it. */
          for (guint s = 0; s < p->tmpl->label_sets->len && set == NULL; s++)
            {
              AssayLabelSet *span_set = g_ptr_array_index (p->tmpl->label_sets, s);

              if (span_set->scope == ASSAY_SCOPE_SPAN &&
                  option_named (span_set, json_string_value (label)) != NULL)
                set = span_set;
            }
          if (set == NULL)
            return invalid (reason, _("spans[%zu]: “%s” is not a span label"), i,
                            json_string_value (label));
        }

      if (!_assay_suggest_find_quote (candidate_text, json_string_value (quote), &start, &end))
        {
          if (answer->unplaced == NULL)
            answer->unplaced = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (answer->unplaced, g_strdup (json_string_value (quote)));
          continue;
        }
      record = json_pack ("{s:s, s:s, s:I, s:I}", "type", "span", "candidate", candidate_ext,
                          "start", (json_int_t) start, "end", (json_int_t) end);
      if (set != NULL)
        {
          json_object_set_new (record, "label_set", json_string (set->name));
          json_object_set (record, "label", label);
        }
      json_array_append_new (records, record);
    }
  answer->n_spans = json_array_size (records);
  answer->spans = assay_json_dumps_compact (records);
  return TRUE;
}

static gboolean
read_answer (AssaySuggestPrompt  *p,
             const char          *candidate_ext,
             const char          *candidate_text,
             json_t              *root,
             AssaySuggestAnswer  *answer,
             char               **reason)
{
  g_autoptr(json_t) record = NULL;
  const char *key;
  json_t *value;

  if (!json_is_object (root))
    return invalid (reason, _("the answer is not a JSON object"));

  json_object_foreach (root, key, value)
    {
      gboolean known = (g_str_equal (key, "spans") && (p->kinds & ASSAY_JUDGE_SPANS));

      for (guint i = 0; i < p->criteria->len && !known; i++)
        known = g_str_equal (((AssayCriterion *) g_ptr_array_index (p->criteria, i))->name, key);
      for (guint i = 0; i < p->label_sets->len && !known; i++)
        known = g_str_equal (((AssayLabelSet *) g_ptr_array_index (p->label_sets, i))->name, key);
      if (!known)
        return invalid (reason, _("the answer has an unexpected member “%s”"), key);
    }

  if (p->criteria->len > 0)
    {
      g_autoptr(json_t) scores = json_object ();

      for (guint i = 0; i < p->criteria->len; i++)
        {
          AssayCriterion *c = g_ptr_array_index (p->criteria, i);
          json_int_t v;

          value = json_object_get (root, c->name);
          if (value == NULL)
            return invalid (reason, _("the answer has no score for “%s”"), c->name);
          if (!json_is_integer (value))
            return invalid (reason, _("the score for “%s” is not a whole number"), c->name);
          v = json_integer_value (value);
          if (v < c->min || v > c->max)
            return invalid (reason, _("the score %" JSON_INTEGER_FORMAT " for “%s” is off its "
                                      "scale (%d to %d)"), v, c->name, c->min, c->max);
          json_object_set_new (scores, c->name, json_pack ("{s:I}", "score", v));
        }
      record = json_pack ("[{s:s, s:s, s:O}]", "type", "scores", "candidate", candidate_ext,
                          "scores", scores);
      answer->scores = assay_json_dumps_compact (record);
      g_clear_pointer (&record, json_decref);
    }

  if (p->label_sets->len > 0)
    {
      g_autoptr(json_t) labels = json_object ();

      for (guint i = 0; i < p->label_sets->len; i++)
        {
          AssayLabelSet *set = g_ptr_array_index (p->label_sets, i);

          value = json_object_get (root, set->name);
          if (value == NULL)
            return invalid (reason, _("the answer has no choice for “%s”"), set->name);
          if (!read_label_set (set, value, labels, reason))
            return FALSE;
        }
      record = json_pack ("[{s:s, s:s, s:O}]", "type", "labels", "candidate", candidate_ext,
                          "labels", labels);
      answer->labels = assay_json_dumps_compact (record);
      g_clear_pointer (&record, json_decref);
    }

  if (p->kinds & ASSAY_JUDGE_SPANS)
    {
      value = json_object_get (root, "spans");
      if (value == NULL)
        return invalid (reason, _("the answer has no “spans”"));
      if (!read_spans (p, candidate_ext, candidate_text, value, answer, reason))
        return FALSE;
    }
  return TRUE;
}

/* Error messages of the answer quote at most this much of it. */
#define MAX_QUOTED 80

static char *
excerpt (const char *text)
{
  if (g_utf8_strlen (text, -1) <= MAX_QUOTED)
    return g_strdup (text);
  {
    g_autofree char *start = g_utf8_substring (text, 0, MAX_QUOTED);

    return g_strconcat (start, "…", NULL);
  }
}

gboolean
_assay_suggest_read_response (AssaySuggestPrompt  *prompt,
                              const char          *candidate_ext,
                              const char          *candidate_text,
                              const char          *body,
                              gsize                length,
                              char               **model,
                              AssaySuggestAnswer  *answer,
                              char               **reason)
{
  g_autoptr(json_t) root = NULL;
  g_autoptr(json_t) content_json = NULL;
  json_error_t json_error;
  json_t *message, *content, *finish;
  gboolean ok;

  *model = NULL;
  root = json_loadb (body, length, JSON_REJECT_DUPLICATES, &json_error);
  if (root == NULL || !json_is_object (root))
    return invalid (reason, _("the server’s response is not a JSON object"));
  if (json_is_string (json_object_get (root, "model")))
    *model = g_strdup (json_string_value (json_object_get (root, "model")));

  message = json_object_get (json_array_get (json_object_get (root, "choices"), 0), "message");
  finish = json_object_get (json_array_get (json_object_get (root, "choices"), 0),
                            "finish_reason");
  if (!json_is_object (message))
    return invalid (reason, _("the response has no message"));
  if (json_is_string (json_object_get (message, "refusal")))
    {
      g_autofree char *said = excerpt (json_string_value (json_object_get (message, "refusal")));

      return invalid (reason, _("the model refused: %s"), said);
    }
  content = json_object_get (message, "content");
  if (!json_is_string (content))
    return invalid (reason, _("the response’s message has no text"));
  if (json_is_string (finish) && g_str_equal (json_string_value (finish), "length"))
    return invalid (reason, _("the answer was cut off at the model’s length limit"));

  /* A model that was not held to the schema often fences its JSON as
   * Markdown code; what is inside is checked like any answer. */
  {
    g_autofree char *text = g_strstrip (g_strdup (json_string_value (content)));
    char *inner = text;

    if (g_str_has_prefix (text, "```") && g_str_has_suffix (text, "```") && strlen (text) >= 6)
      {
        char *newline = strchr (text, '\n');

        text[strlen (text) - 3] = '\0';
        inner = newline != NULL ? newline + 1 : text + 3;
      }
    content_json = json_loads (inner, JSON_REJECT_DUPLICATES, &json_error);
  }
  if (content_json == NULL)
    {
      g_autofree char *said = excerpt (json_string_value (content));

      return invalid (reason, _("the answer is not valid JSON (%s at column %d): %s"),
                      json_error.text, json_error.column, said);
    }

  ok = read_answer (prompt, candidate_ext, candidate_text, content_json, answer, reason);
  if (!ok)
    _assay_suggest_answer_clear (answer);
  return ok;
}

gint64
_assay_suggest_parse_retry_after (const char *value)
{
  g_autofree char *copy = NULL;
  guint64 seconds;
  const char *p;

  if (value == NULL)
    return -1;
  copy = g_strstrip (g_strdup (value));
  if (*copy == '\0')
    return -1;
  for (p = copy; *p != '\0' && g_ascii_isdigit (*p); p++)
    ;
  if (*p == '\0')
    {
      if (!g_ascii_string_to_unsigned (copy, 10, 0, G_MAXINT32, &seconds, NULL))
        return G_MAXINT32;
      return (gint64) seconds;
    }

  /* The HTTP-date form: "Wed, 21 Oct 2015 07:28:00 GMT". */
  {
    static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    char month[4] = { 0 };
    int day, year, h, m, s;
    g_autoptr(GDateTime) when = NULL;
    g_autoptr(GDateTime) now = NULL;

    if (sscanf (copy, "%*3s, %d %3s %d %d:%d:%d GMT", &day, month, &year, &h, &m, &s) != 6)
      return -1;
    for (guint i = 0; i < G_N_ELEMENTS (months); i++)
      if (g_str_equal (month, months[i]))
        when = g_date_time_new_utc (year, i + 1, day, h, m, s);
    if (when == NULL)
      return -1;
    now = g_date_time_new_now_utc ();
    return MAX (0, g_date_time_difference (when, now) / G_TIME_SPAN_SECOND);
  }
}
