/* assay-template.c: what a project asks of its reviewers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-json-reader-private.h"
#include "assay-lock-private.h"
#include "assay-project-private.h"
#include "assay-template.h"

G_DEFINE_BOXED_TYPE (AssayTemplate, assay_template, assay_template_ref, assay_template_unref)

static const struct
{
  AssayJudgmentKinds  kind;
  const char         *name;
} kind_names[] = {
  { ASSAY_JUDGE_LABELS, "labels" },
  { ASSAY_JUDGE_SPANS, "spans" },
  { ASSAY_JUDGE_CORRECTION, "correction" },
  { ASSAY_JUDGE_SCORES, "scores" },
  { ASSAY_JUDGE_RANKING, "ranking" },
  { ASSAY_JUDGE_PAIRWISE, "pairwise" },
};

const char *
assay_judgment_kind_to_string (AssayJudgmentKinds kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (kind_names[i].kind == kind)
      return kind_names[i].name;
  return NULL;
}

static void
label_option_free (AssayLabelOption *option)
{
  g_free (option->name);
  g_free (option->title);
  g_free (option->description);
  g_free (option->shortcut);
  g_free (option->color);
  g_free (option);
}

static void
label_set_free (AssayLabelSet *set)
{
  g_free (set->name);
  g_free (set->title);
  g_free (set->description);
  g_ptr_array_unref (set->options);
  g_free (set);
}

static AssayLabelSet *
label_set_new (void)
{
  AssayLabelSet *set = g_new0 (AssayLabelSet, 1);

  set->options = g_ptr_array_new_with_free_func ((GDestroyNotify) label_option_free);
  return set;
}

static void
criterion_free (AssayCriterion *criterion)
{
  g_free (criterion->name);
  g_free (criterion->title);
  g_free (criterion->description);
  if (criterion->anchors != NULL)
    {
      for (int i = 0; i <= criterion->max - criterion->min; i++)
        g_free (criterion->anchors[i]);
      g_free (criterion->anchors);
    }
  g_free (criterion);
}

typedef struct
{
  AssayTemplate  tmpl;
  gatomicrefcount ref_count;
} AssayTemplateReal;

AssayTemplate *
assay_template_new (void)
{
  AssayTemplateReal *real = g_new0 (AssayTemplateReal, 1);

  g_atomic_ref_count_init (&real->ref_count);
  real->tmpl.kinds = ASSAY_JUDGE_ALL;
  real->tmpl.label_sets = g_ptr_array_new_with_free_func ((GDestroyNotify) label_set_free);
  real->tmpl.criteria = g_ptr_array_new_with_free_func ((GDestroyNotify) criterion_free);
  return &real->tmpl;
}

AssayTemplate *
assay_template_ref (AssayTemplate *self)
{
  AssayTemplateReal *real = (AssayTemplateReal *) self;

  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&real->ref_count);
  return self;
}

void
assay_template_unref (AssayTemplate *self)
{
  AssayTemplateReal *real = (AssayTemplateReal *) self;

  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&real->ref_count))
    return;

  g_free (self->name);
  g_free (self->version);
  g_free (self->guidelines);
  g_free (self->system_prompt);
  g_free (self->prompt_template);
  g_free (self->accept.label_set);
  g_free (self->accept.label);
  g_ptr_array_unref (self->label_sets);
  g_ptr_array_unref (self->criteria);
  g_free (real);
}

AssayLabelSet *
assay_template_find_label_set (AssayTemplate *self,
                               const char    *name)
{
  for (guint i = 0; i < self->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (self->label_sets, i);

      if (g_strcmp0 (set->name, name) == 0)
        return set;
    }
  return NULL;
}

static AssayLabelOption *
find_option_in_set (AssayLabelSet *set,
                    const char    *name)
{
  for (guint i = 0; i < set->options->len; i++)
    {
      AssayLabelOption *option = g_ptr_array_index (set->options, i);

      if (g_strcmp0 (option->name, name) == 0)
        return option;
    }
  return NULL;
}

AssayLabelOption *
assay_template_find_option (AssayTemplate     *self,
                            const char        *set_name,
                            const char        *option_name,
                            AssayLabelScope    scope,
                            AssayLabelSet    **set_out,
                            gboolean          *ambiguous)
{
  AssayLabelOption *found = NULL;
  AssayLabelSet *found_set = NULL;

  if (ambiguous != NULL)
    *ambiguous = FALSE;

  for (guint i = 0; i < self->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (self->label_sets, i);
      AssayLabelOption *option;

      if (set->scope != scope)
        continue;
      if (set_name != NULL && g_strcmp0 (set->name, set_name) != 0)
        continue;

      option = find_option_in_set (set, option_name);
      if (option == NULL)
        continue;
      if (found != NULL)
        {
          if (ambiguous != NULL)
            *ambiguous = TRUE;
          return NULL;
        }
      found = option;
      found_set = set;
    }

  if (set_out != NULL)
    *set_out = found_set;
  return found;
}

AssayCriterion *
assay_template_find_criterion (AssayTemplate *self,
                               const char    *name)
{
  for (guint i = 0; i < self->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (self->criteria, i);

      if (g_strcmp0 (criterion->name, name) == 0)
        return criterion;
    }
  return NULL;
}

AssayLabelOption *
assay_template_option_by_id (AssayTemplate  *self,
                             gint64          id,
                             AssayLabelSet **set_out)
{
  for (guint i = 0; i < self->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (self->label_sets, i);

      for (guint j = 0; j < set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, j);

          if (option->id == id)
            {
              if (set_out != NULL)
                *set_out = set;
              return option;
            }
        }
    }
  return NULL;
}

AssayCriterion *
assay_template_criterion_by_id (AssayTemplate *self,
                                gint64         id)
{
  for (guint i = 0; i < self->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (self->criteria, i);

      if (criterion->id == id)
        return criterion;
    }
  return NULL;
}

const char *
assay_criterion_get_anchor (AssayCriterion *criterion,
                            int             value)
{
  if (criterion->anchors == NULL || value < criterion->min || value > criterion->max)
    return NULL;
  return criterion->anchors[value - criterion->min];
}

/* ---- reading JSON ---- */

static gboolean
is_color (const char *str)
{
  if (strlen (str) != 7 || str[0] != '#')
    return FALSE;
  for (guint i = 1; i < 7; i++)
    if (!g_ascii_isxdigit (str[i]))
      return FALSE;
  return TRUE;
}

static gboolean
read_name (const AssayJsonReader  *r,
           guint                   object,
           const char             *prefix,
           char                  **out,
           GError                **error)
{
  if (!_assay_reader_string (r, object, prefix, "name", TRUE, out, error))
    return FALSE;
  if (**out == '\0' || g_utf8_strlen (*out, -1) > 128)
    {
      g_autofree char *path = _assay_reader_path (prefix, "name");

      return _assay_reader_fail (r, assay_json_object_get (r->doc, object, "name"), path, error,
                                 _("a name must have 1 to 128 characters"));
    }
  return TRUE;
}

static gboolean
read_option (const AssayJsonReader  *r,
             guint                   node,
             const char             *prefix,
             AssayLabelOption       *option,
             GError                **error)
{
  static const char * const keys[] = { "name", "title", "description", "key", "color", NULL };

  if (!_assay_reader_expect (r, node, prefix, ASSAY_JSON_OBJECT, error) ||
      !_assay_reader_check_keys (r, node, prefix, keys, error) ||
      !read_name (r, node, prefix, &option->name, error) ||
      !_assay_reader_string (r, node, prefix, "title", FALSE, &option->title, error) ||
      !_assay_reader_string (r, node, prefix, "description", FALSE, &option->description, error) ||
      !_assay_reader_string (r, node, prefix, "key", FALSE, &option->shortcut, error) ||
      !_assay_reader_string (r, node, prefix, "color", FALSE, &option->color, error))
    return FALSE;

  if (option->shortcut != NULL && g_utf8_strlen (option->shortcut, -1) != 1)
    {
      g_autofree char *path = _assay_reader_path (prefix, "key");

      return _assay_reader_fail (r, assay_json_object_get (r->doc, node, "key"), path, error,
                                 _("a shortcut key must be exactly one character"));
    }
  if (option->color != NULL && !is_color (option->color))
    {
      g_autofree char *path = _assay_reader_path (prefix, "color");

      return _assay_reader_fail (r, assay_json_object_get (r->doc, node, "color"), path, error,
                                 _("expected a colour such as “#2ec27e”"));
    }
  return TRUE;
}

static gboolean
read_label_set (const AssayJsonReader  *r,
                guint                   node,
                const char             *prefix,
                AssayLabelSet          *set,
                GError                **error)
{
  static const char * const keys[] = {
    "name", "title", "description", "scope", "multi", "options", NULL
  };
  g_autofree char *scope = NULL;
  guint options;

  if (!_assay_reader_expect (r, node, prefix, ASSAY_JSON_OBJECT, error) ||
      !_assay_reader_check_keys (r, node, prefix, keys, error) ||
      !read_name (r, node, prefix, &set->name, error) ||
      !_assay_reader_string (r, node, prefix, "title", FALSE, &set->title, error) ||
      !_assay_reader_string (r, node, prefix, "description", FALSE, &set->description, error) ||
      !_assay_reader_string (r, node, prefix, "scope", FALSE, &scope, error) ||
      !_assay_reader_bool (r, node, prefix, "multi", FALSE, &set->multi, error) ||
      !_assay_reader_container (r, node, prefix, "options", ASSAY_JSON_ARRAY, TRUE, &options,
                                error))
    return FALSE;

  if (scope == NULL || g_str_equal (scope, "candidate"))
    set->scope = ASSAY_SCOPE_CANDIDATE;
  else if (g_str_equal (scope, "span"))
    set->scope = ASSAY_SCOPE_SPAN;
  else
    {
      g_autofree char *path = _assay_reader_path (prefix, "scope");

      return _assay_reader_fail (r, assay_json_object_get (r->doc, node, "scope"), path, error,
                                 _("expected “candidate” or “span”, found “%s”"), scope);
    }

  if (r->doc->nodes[options].n_children == 0)
    {
      g_autofree char *path = _assay_reader_path (prefix, "options");

      return _assay_reader_fail (r, options, path, error, _("a label set needs at least one option"));
    }

  for (guint child = assay_json_first_child (r->doc, options), i = 0;
       i < r->doc->nodes[options].n_children;
       child = assay_json_next_sibling (r->doc, child), i++)
    {
      g_autofree char *path = g_strdup_printf ("%s.options[%u]", prefix, i);
      AssayLabelOption *option = g_new0 (AssayLabelOption, 1);

      g_ptr_array_add (set->options, option);
      if (!read_option (r, child, path, option, error))
        return FALSE;
      for (guint j = 0; j + 1 < set->options->len; j++)
        if (g_str_equal (((AssayLabelOption *) g_ptr_array_index (set->options, j))->name,
                         option->name))
          return _assay_reader_fail (r, child, path, error,
                                     _("the option “%s” occurs twice in this label set"),
                                     option->name);
    }
  return TRUE;
}

/* Templates are written with 15 significant digits (assay_json_dumps_compact
 * and `template export`), so their numbers are kept to that precision when
 * read: a template then reads back the same from any file it is written to,
 * and moving a project cannot move its accept threshold. */
static double
template_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_ascii_strtod (g_ascii_formatd (buf, sizeof buf, "%.15g", value), NULL);
}

static gboolean
read_criterion (const AssayJsonReader  *r,
                guint                   node,
                const char             *prefix,
                AssayCriterion         *criterion,
                GError                **error)
{
  static const char * const keys[] = {
    "name", "title", "description", "min", "max", "weight", "required", "anchors", NULL
  };
  gint64 min = 1, max = 5;
  guint anchors;

  criterion->weight = 1.0;
  if (!_assay_reader_expect (r, node, prefix, ASSAY_JSON_OBJECT, error) ||
      !_assay_reader_check_keys (r, node, prefix, keys, error) ||
      !read_name (r, node, prefix, &criterion->name, error) ||
      !_assay_reader_string (r, node, prefix, "title", FALSE, &criterion->title, error) ||
      !_assay_reader_string (r, node, prefix, "description", FALSE, &criterion->description,
                             error) ||
      !_assay_reader_int (r, node, prefix, "min", FALSE, &min, error) ||
      !_assay_reader_int (r, node, prefix, "max", FALSE, &max, error) ||
      !_assay_reader_double (r, node, prefix, "weight", FALSE, &criterion->weight, error) ||
      !_assay_reader_bool (r, node, prefix, "required", FALSE, &criterion->required, error) ||
      !_assay_reader_container (r, node, prefix, "anchors", ASSAY_JSON_OBJECT, FALSE, &anchors,
                                error))
    return FALSE;

  if (min < -1000 || max > 1000 || max <= min || max - min > 10)
    return _assay_reader_fail (r, node, prefix, error,
                               _("the scale %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT " is not valid: "
                                 "max must be above min, with at most 11 points"),
                               min, max);
  if (criterion->weight < 0)
    return _assay_reader_fail (r, node, prefix, error, _("a weight cannot be negative"));
  criterion->weight = template_number (criterion->weight);

  criterion->min = (int) min;
  criterion->max = (int) max;
  criterion->anchors = g_new0 (char *, max - min + 1);

  if (anchors == 0)
    return TRUE;

  for (guint key = assay_json_first_child (r->doc, anchors), i = 0;
       i < r->doc->nodes[anchors].n_children;
       i++)
    {
      guint value = assay_json_next_sibling (r->doc, key);
      g_autofree char *name = assay_json_dup_string (r->doc, key);
      g_autofree char *path = g_strdup_printf ("%s.anchors.%s", prefix, name);
      gint64 point;
      char *end = NULL;

      point = g_ascii_strtoll (name, &end, 10);
      if (*name == '\0' || *end != '\0' || point < min || point > max)
        return _assay_reader_fail (r, key, path, error,
                                   _("an anchor must be named by a point of the scale "
                                     "(%d to %d)"), criterion->min, criterion->max);
      if (!_assay_reader_expect (r, value, path, ASSAY_JSON_STRING, error))
        return FALSE;
      g_free (criterion->anchors[point - min]);
      criterion->anchors[point - min] = assay_json_dup_string (r->doc, value);
      key = assay_json_next_sibling (r->doc, value);
    }
  return TRUE;
}

static gboolean
read_accept (const AssayJsonReader  *r,
             guint                   object,
             AssayTemplate          *tmpl,
             GError                **error)
{
  static const char * const keys[] = { "rule", "label_set", "label", "min_score", NULL };
  g_autofree char *rule = NULL;
  guint node;

  if (!_assay_reader_container (r, object, NULL, "accept", ASSAY_JSON_OBJECT, FALSE, &node, error))
    return FALSE;
  if (node == 0)
    return TRUE;

  if (!_assay_reader_check_keys (r, node, "accept", keys, error) ||
      !_assay_reader_string (r, node, "accept", "rule", TRUE, &rule, error) ||
      !_assay_reader_string (r, node, "accept", "label_set", FALSE, &tmpl->accept.label_set,
                             error) ||
      !_assay_reader_string (r, node, "accept", "label", FALSE, &tmpl->accept.label, error) ||
      !_assay_reader_double (r, node, "accept", "min_score", FALSE, &tmpl->accept.min_score,
                             error))
    return FALSE;

  if (g_str_equal (rule, "rank"))
    tmpl->accept.rule = ASSAY_ACCEPT_RANK;
  else if (g_str_equal (rule, "label"))
    tmpl->accept.rule = ASSAY_ACCEPT_LABEL;
  else if (g_str_equal (rule, "score"))
    tmpl->accept.rule = ASSAY_ACCEPT_SCORE;
  else
    return _assay_reader_fail (r, assay_json_object_get (r->doc, node, "rule"), "accept.rule",
                               error, _("expected “rank”, “label” or “score”, found “%s”"), rule);

  if (tmpl->accept.rule == ASSAY_ACCEPT_LABEL &&
      (tmpl->accept.label_set == NULL || tmpl->accept.label == NULL))
    return _assay_reader_fail (r, node, "accept", error,
                               _("the “label” rule needs “label_set” and “label”"));
  if (tmpl->accept.rule == ASSAY_ACCEPT_SCORE &&
      assay_json_object_get (r->doc, node, "min_score") == 0)
    return _assay_reader_fail (r, node, "accept", error, _("the “score” rule needs “min_score”"));
  tmpl->accept.min_score = template_number (tmpl->accept.min_score);
  return TRUE;
}

/* The accept rule must name what the template defines. */
static gboolean
check_accept (const AssayJsonReader  *r,
              guint                   node,
              AssayTemplate          *tmpl,
              GError                **error)
{
  if (tmpl->accept.rule != ASSAY_ACCEPT_LABEL)
    return TRUE;
  if (assay_template_find_option (tmpl, tmpl->accept.label_set, tmpl->accept.label,
                                  ASSAY_SCOPE_CANDIDATE, NULL, NULL) == NULL)
    return _assay_reader_fail (r, node, "accept", error,
                               _("the template has no candidate label “%s” in “%s”"),
                               tmpl->accept.label, tmpl->accept.label_set);
  return TRUE;
}

static gboolean
read_kinds (const AssayJsonReader  *r,
            guint                   object,
            AssayTemplate          *tmpl,
            GError                **error)
{
  guint array;

  if (!_assay_reader_container (r, object, NULL, "judgments", ASSAY_JSON_ARRAY, FALSE, &array,
                                error))
    return FALSE;
  if (array == 0)
    return TRUE;

  tmpl->kinds = 0;
  for (guint child = assay_json_first_child (r->doc, array), i = 0;
       i < r->doc->nodes[array].n_children;
       child = assay_json_next_sibling (r->doc, child), i++)
    {
      g_autofree char *path = g_strdup_printf ("judgments[%u]", i);
      gboolean known = FALSE;

      if (!_assay_reader_expect (r, child, path, ASSAY_JSON_STRING, error))
        return FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (kind_names) && !known; k++)
        if (assay_json_string_equal (r->doc, child, kind_names[k].name))
          {
            tmpl->kinds |= kind_names[k].kind;
            known = TRUE;
          }
      if (!known)
        {
          g_autofree char *name = assay_json_dup_string (r->doc, child);

          return _assay_reader_fail (r, child, path, error,
                                     _("unknown judgment kind “%s” (known: labels, spans, "
                                       "correction, scores, ranking, pairwise)"), name);
        }
    }
  return TRUE;
}

/* Shortcut keys act on the whole window, so two options may not share one. */
static gboolean
check_shortcuts (const AssayJsonReader  *r,
                 guint                   node,
                 AssayTemplate          *tmpl,
                 GError                **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);

      for (guint j = 0; j < set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, j);
          const char *other;

          if (option->shortcut == NULL)
            continue;
          other = g_hash_table_lookup (seen, option->shortcut);
          if (other != NULL)
            return _assay_reader_fail (r, node, "label_sets", error,
                                       _("the key “%s” is given to both “%s” and “%s”"),
                                       option->shortcut, other, option->name);
          g_hash_table_insert (seen, option->shortcut, option->name);
        }
    }
  return TRUE;
}

AssayTemplate *
assay_template_from_json (const AssayJsonDoc  *doc,
                          guint                node,
                          const char          *file,
                          guint                base_line,
                          GError             **error)
{
  static const char * const keys[] = {
    "type", "name", "version", "judgments", "guidelines", "system_prompt", "prompt_template",
    "blind", "accept", "label_sets", "criteria", NULL
  };
  g_autoptr(AssayTemplate) tmpl = assay_template_new ();
  AssayJsonReader r = { doc, file, base_line };
  guint sets, criteria;

  if (!_assay_reader_expect (&r, node, NULL, ASSAY_JSON_OBJECT, error) ||
      !_assay_reader_check_keys (&r, node, NULL, keys, error) ||
      !_assay_reader_string (&r, node, NULL, "name", FALSE, &tmpl->name, error) ||
      !_assay_reader_string (&r, node, NULL, "version", FALSE, &tmpl->version, error) ||
      !read_kinds (&r, node, tmpl, error) ||
      !_assay_reader_string (&r, node, NULL, "guidelines", FALSE, &tmpl->guidelines, error) ||
      !_assay_reader_string (&r, node, NULL, "system_prompt", FALSE, &tmpl->system_prompt,
                             error) ||
      !_assay_reader_string (&r, node, NULL, "prompt_template", FALSE, &tmpl->prompt_template,
                             error) ||
      !_assay_reader_bool (&r, node, NULL, "blind", FALSE, &tmpl->blind, error) ||
      !read_accept (&r, node, tmpl, error) ||
      !_assay_reader_container (&r, node, NULL, "label_sets", ASSAY_JSON_ARRAY, FALSE, &sets,
                                error) ||
      !_assay_reader_container (&r, node, NULL, "criteria", ASSAY_JSON_ARRAY, FALSE, &criteria,
                                error))
    return NULL;

  for (guint child = sets ? assay_json_first_child (doc, sets) : 0, i = 0;
       sets != 0 && i < doc->nodes[sets].n_children;
       child = assay_json_next_sibling (doc, child), i++)
    {
      g_autofree char *path = g_strdup_printf ("label_sets[%u]", i);
      AssayLabelSet *set = label_set_new ();

      g_ptr_array_add (tmpl->label_sets, set);
      if (!read_label_set (&r, child, path, set, error))
        return NULL;
      for (guint j = 0; j + 1 < tmpl->label_sets->len; j++)
        if (g_str_equal (((AssayLabelSet *) g_ptr_array_index (tmpl->label_sets, j))->name,
                         set->name))
          {
            _assay_reader_fail (&r, child, path, error,
                                _("the label set “%s” occurs twice"), set->name);
            return NULL;
          }
    }

  for (guint child = criteria ? assay_json_first_child (doc, criteria) : 0, i = 0;
       criteria != 0 && i < doc->nodes[criteria].n_children;
       child = assay_json_next_sibling (doc, child), i++)
    {
      g_autofree char *path = g_strdup_printf ("criteria[%u]", i);
      AssayCriterion *criterion = g_new0 (AssayCriterion, 1);

      g_ptr_array_add (tmpl->criteria, criterion);
      if (!read_criterion (&r, child, path, criterion, error))
        return NULL;
      for (guint j = 0; j + 1 < tmpl->criteria->len; j++)
        if (g_str_equal (((AssayCriterion *) g_ptr_array_index (tmpl->criteria, j))->name,
                         criterion->name))
          {
            _assay_reader_fail (&r, child, path, error,
                                _("the criterion “%s” occurs twice"), criterion->name);
            return NULL;
          }
    }

  if (!check_shortcuts (&r, node, tmpl, error) ||
      !check_accept (&r, node, tmpl, error))
    return NULL;

  return g_steal_pointer (&tmpl);
}

AssayTemplate *
assay_template_load_bytes (GBytes      *bytes,
                           const char  *name,
                           GError     **error)
{
  AssayJsonDoc doc;
  AssayJsonError json_error;
  AssayTemplate *tmpl = NULL;
  const char *text;
  gsize len;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  text = g_bytes_get_data (bytes, &len);
  if (text == NULL)
    text = "";
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    {
      text += 3;
      len -= 3;
    }

  assay_json_doc_init (&doc);
  if (!assay_json_parse (&doc, text, len, ASSAY_JSON_DEFAULT_MAX_DEPTH, &json_error))
    {
      guint line = 1;

      for (gsize i = 0; i < json_error.offset && i < len; i++)
        if (text[i] == '\n')
          line++;
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, _("%s:%u: invalid JSON: %s"),
                   name, line, json_error.message);
    }
  else
    tmpl = assay_template_from_json (&doc, 0, name, 1, error);

  assay_json_doc_clear (&doc);
  return tmpl;
}

AssayTemplate *
assay_template_load_file (const char  *path,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  display = g_filename_display_name (path);
  /* Never read an open project's file outside SQLite: closing it would
   * drop the locks SQLite holds on it in this process. */
  if (_assay_lock_is_open_file (path))
    {
      g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                   _("%s: this is a file of an open Assay project, not a template"), display);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
  return assay_template_load_bytes (bytes, display, error);
}

/* ---- writing JSON ---- */

static void
set_string (json_t     *object,
            const char *key,
            const char *value)
{
  if (value != NULL)
    json_object_set_new (object, key, json_string (value));
}

json_t *
assay_template_to_json (AssayTemplate *self)
{
  json_t *root = json_object ();
  json_t *kinds = json_array ();
  json_t *sets = json_array ();
  json_t *criteria = json_array ();

  set_string (root, "name", self->name);
  set_string (root, "version", self->version);
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (self->kinds & kind_names[i].kind)
      json_array_append_new (kinds, json_string (kind_names[i].name));
  json_object_set_new (root, "judgments", kinds);
  set_string (root, "guidelines", self->guidelines);
  set_string (root, "system_prompt", self->system_prompt);
  set_string (root, "prompt_template", self->prompt_template);
  json_object_set_new (root, "blind", json_boolean (self->blind));
  {
    static const char * const rules[] = { "rank", "label", "score" };
    json_t *accept = json_object ();

    set_string (accept, "rule", rules[self->accept.rule]);
    set_string (accept, "label_set", self->accept.label_set);
    set_string (accept, "label", self->accept.label);
    if (self->accept.rule == ASSAY_ACCEPT_SCORE)
      json_object_set_new (accept, "min_score", json_real (self->accept.min_score));
    json_object_set_new (root, "accept", accept);
  }

  for (guint i = 0; i < self->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (self->label_sets, i);
      json_t *jset = json_object ();
      json_t *options = json_array ();

      set_string (jset, "name", set->name);
      set_string (jset, "title", set->title);
      set_string (jset, "description", set->description);
      set_string (jset, "scope", set->scope == ASSAY_SCOPE_SPAN ? "span" : "candidate");
      json_object_set_new (jset, "multi", json_boolean (set->multi));
      for (guint j = 0; j < set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, j);
          json_t *joption = json_object ();

          set_string (joption, "name", option->name);
          set_string (joption, "title", option->title);
          set_string (joption, "description", option->description);
          set_string (joption, "key", option->shortcut);
          set_string (joption, "color", option->color);
          json_array_append_new (options, joption);
        }
      json_object_set_new (jset, "options", options);
      json_array_append_new (sets, jset);
    }
  json_object_set_new (root, "label_sets", sets);

  for (guint i = 0; i < self->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (self->criteria, i);
      json_t *jcrit = json_object ();
      json_t *anchors = json_object ();

      set_string (jcrit, "name", criterion->name);
      set_string (jcrit, "title", criterion->title);
      set_string (jcrit, "description", criterion->description);
      json_object_set_new (jcrit, "min", json_integer (criterion->min));
      json_object_set_new (jcrit, "max", json_integer (criterion->max));
      json_object_set_new (jcrit, "weight", json_real (criterion->weight));
      json_object_set_new (jcrit, "required", json_boolean (criterion->required));
      for (int v = criterion->min; v <= criterion->max; v++)
        {
          const char *anchor = assay_criterion_get_anchor (criterion, v);

          if (anchor != NULL)
            {
              char key[16];

              g_snprintf (key, sizeof key, "%d", v);
              json_object_set_new (anchors, key, json_string (anchor));
            }
        }
      json_object_set_new (jcrit, "anchors", anchors);
      json_array_append_new (criteria, jcrit);
    }
  json_object_set_new (root, "criteria", criteria);

  return root;
}

/* ---- the project's copy ---- */

#define SETTING_PREFIX "template."

static char *
dup_setting (AssayProject *project,
             const char   *key)
{
  g_autofree char *full = g_strconcat (SETTING_PREFIX, key, NULL);

  return assay_project_dup_setting (project, full);
}

static char *
dup_column (sqlite3_stmt *stmt,
            int           col)
{
  return g_strdup (_assay_column_text (stmt, col));
}

AssayTemplate *
assay_project_load_template (AssayProject  *project,
                             GError       **error)
{
  g_autoptr(AssayTemplate) tmpl = assay_template_new ();
  g_autofree char *kinds = NULL;
  g_autofree char *blind = NULL;
  sqlite3 *db = _assay_project_get_db (project);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  tmpl->name = dup_setting (project, "name");
  tmpl->version = dup_setting (project, "version");
  tmpl->guidelines = dup_setting (project, "guidelines");
  tmpl->system_prompt = dup_setting (project, "system_prompt");
  tmpl->prompt_template = dup_setting (project, "prompt_template");
  {
    g_autofree char *rule = dup_setting (project, "accept.rule");
    g_autofree char *min_score = dup_setting (project, "accept.min_score");

    if (g_strcmp0 (rule, "label") == 0)
      tmpl->accept.rule = ASSAY_ACCEPT_LABEL;
    else if (g_strcmp0 (rule, "score") == 0)
      tmpl->accept.rule = ASSAY_ACCEPT_SCORE;
    tmpl->accept.label_set = dup_setting (project, "accept.label_set");
    tmpl->accept.label = dup_setting (project, "accept.label");
    if (min_score != NULL)
      tmpl->accept.min_score = g_ascii_strtod (min_score, NULL);
  }
  blind = dup_setting (project, "blind");
  tmpl->blind = g_strcmp0 (blind, "true") == 0;
  kinds = dup_setting (project, "judgments");
  if (kinds != NULL)
    {
      g_auto(GStrv) names = g_strsplit (kinds, ",", -1);

      tmpl->kinds = 0;
      for (guint i = 0; names[i] != NULL; i++)
        for (guint k = 0; k < G_N_ELEMENTS (kind_names); k++)
          if (g_str_equal (names[i], kind_names[k].name))
            tmpl->kinds |= kind_names[k].kind;
    }

  stmt = _assay_project_prepare (project,
                                 "SELECT s.id, s.name, s.title, s.description, s.scope, s.multi,"
                                 " o.id, o.name, o.title, o.description, o.shortcut, o.color"
                                 " FROM label_sets s LEFT JOIN label_options o"
                                 " ON o.label_set_id = s.id"
                                 " ORDER BY s.position, s.id, o.position, o.id",
                                 error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 set_id = sqlite3_column_int64 (stmt, 0);
      AssayLabelSet *set = NULL;

      if (tmpl->label_sets->len > 0)
        set = g_ptr_array_index (tmpl->label_sets, tmpl->label_sets->len - 1);
      if (set == NULL || set->id != set_id)
        {
          set = label_set_new ();
          set->id = set_id;
          set->name = dup_column (stmt, 1);
          set->title = dup_column (stmt, 2);
          set->description = dup_column (stmt, 3);
          set->scope = g_strcmp0 (_assay_column_text (stmt, 4), "span") == 0
                         ? ASSAY_SCOPE_SPAN : ASSAY_SCOPE_CANDIDATE;
          set->multi = sqlite3_column_int (stmt, 5) != 0;
          g_ptr_array_add (tmpl->label_sets, set);
        }
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        {
          AssayLabelOption *option = g_new0 (AssayLabelOption, 1);

          option->id = sqlite3_column_int64 (stmt, 6);
          option->name = dup_column (stmt, 7);
          option->title = dup_column (stmt, 8);
          option->description = dup_column (stmt, 9);
          option->shortcut = dup_column (stmt, 10);
          option->color = dup_column (stmt, 11);
          g_ptr_array_add (set->options, option);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (db, error, NULL);
      return NULL;
    }

  stmt = _assay_project_prepare (project,
                                 "SELECT id, name, title, description, scale_min, scale_max,"
                                 " weight, required FROM criteria ORDER BY position, id",
                                 error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCriterion *criterion = g_new0 (AssayCriterion, 1);

      criterion->id = sqlite3_column_int64 (stmt, 0);
      criterion->name = dup_column (stmt, 1);
      criterion->title = dup_column (stmt, 2);
      criterion->description = dup_column (stmt, 3);
      criterion->min = sqlite3_column_int (stmt, 4);
      criterion->max = sqlite3_column_int (stmt, 5);
      criterion->weight = sqlite3_column_double (stmt, 6);
      criterion->required = sqlite3_column_int (stmt, 7) != 0;
      criterion->anchors = g_new0 (char *, criterion->max - criterion->min + 1);
      g_ptr_array_add (tmpl->criteria, criterion);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (db, error, NULL);
      return NULL;
    }

  stmt = _assay_project_prepare (project,
                                 "SELECT criterion_id, value, text FROM criterion_anchors",
                                 error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      AssayCriterion *criterion;
      int value = sqlite3_column_int (stmt, 1);

      criterion = assay_template_criterion_by_id (tmpl, sqlite3_column_int64 (stmt, 0));
      if (criterion != NULL && value >= criterion->min && value <= criterion->max)
        {
          g_free (criterion->anchors[value - criterion->min]);
          criterion->anchors[value - criterion->min] = dup_column (stmt, 2);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      _assay_sqlite_error (db, error, NULL);
      return NULL;
    }

  return g_steal_pointer (&tmpl);
}

static gboolean
step_done (AssayProject  *project,
           sqlite3_stmt  *stmt,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
  return TRUE;
}

static gboolean
store_setting (AssayProject  *project,
               const char    *key,
               const char    *value,
               GError       **error)
{
  g_autofree char *full = g_strconcat (SETTING_PREFIX, key, NULL);

  return assay_project_set_setting (project, full, value, error);
}

/* How many judgments use an option or a criterion: a removal is refused
 * while any do. */
static gint64
count_uses (AssayProject *project,
            const char   *sql,
            gint64        id)
{
  sqlite3_stmt *stmt = _assay_project_prepare (project, sql, NULL);
  gint64 n = 0;

  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

#define OPTION_USES_SQL \
  "SELECT (SELECT count(*) FROM labels WHERE option_id = ?1)" \
  " + (SELECT count(*) FROM spans WHERE option_id = ?1)"

static gboolean
store_label_sets (AssayProject   *project,
                  AssayTemplate  *old,
                  AssayTemplate  *tmpl,
                  GError        **error)
{
  sqlite3_stmt *stmt;

  /* Removals first, refusing any that judgments still use. */
  for (guint i = 0; i < old->label_sets->len; i++)
    {
      AssayLabelSet *old_set = g_ptr_array_index (old->label_sets, i);
      AssayLabelSet *new_set = assay_template_find_label_set (tmpl, old_set->name);

      for (guint j = 0; j < old_set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (old_set->options, j);
          gint64 uses;

          if (new_set != NULL && new_set->scope == old_set->scope &&
              find_option_in_set (new_set, option->name) != NULL)
            continue;

          uses = count_uses (project, OPTION_USES_SQL, option->id);
          if (uses > 0)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The template removes or moves the label “%s” of “%s”, "
                                        "which %" G_GINT64_FORMAT " judgment uses",
                                        "The template removes or moves the label “%s” of “%s”, "
                                        "which %" G_GINT64_FORMAT " judgments use",
                                        uses),
                           option->name, old_set->name, uses);
              return FALSE;
            }

          stmt = _assay_project_prepare (project, "DELETE FROM label_options WHERE id = ?", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, option->id);
          if (!step_done (project, stmt, error))
            return FALSE;
        }

      if (new_set == NULL)
        {
          stmt = _assay_project_prepare (project, "DELETE FROM label_sets WHERE id = ?", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, old_set->id);
          if (!step_done (project, stmt, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < tmpl->label_sets->len; i++)
    {
      AssayLabelSet *set = g_ptr_array_index (tmpl->label_sets, i);
      AssayLabelSet *old_set = assay_template_find_label_set (old, set->name);

      stmt = _assay_project_prepare (project,
                                     "INSERT INTO label_sets (name, title, description, scope,"
                                     " multi, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                                     " ON CONFLICT (name) DO UPDATE SET title = excluded.title,"
                                     " description = excluded.description,"
                                     " scope = excluded.scope, multi = excluded.multi,"
                                     " position = excluded.position"
                                     " RETURNING id",
                                     error);
      if (stmt == NULL)
        return FALSE;
      _assay_bind_text (stmt, 1, set->name);
      _assay_bind_text (stmt, 2, set->title);
      _assay_bind_text (stmt, 3, set->description);
      sqlite3_bind_text (stmt, 4, set->scope == ASSAY_SCOPE_SPAN ? "span" : "candidate", -1,
                         SQLITE_STATIC);
      sqlite3_bind_int (stmt, 5, set->multi);
      sqlite3_bind_int (stmt, 6, i);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
        }
      set->id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);

      /* A single-choice set may not become one while judgments hold two of
       * its options for one candidate. */
      if (old_set != NULL && old_set->multi && !set->multi)
        {
          gint64 n = count_uses (project,
                                 "SELECT count(*) FROM (SELECT 1 FROM labels l"
                                 " JOIN label_options o ON o.id = l.option_id"
                                 " WHERE o.label_set_id = ?1"
                                 " GROUP BY l.candidate_id, l.annotator_id HAVING count(*) > 1)",
                                 set->id);
          if (n > 0)
            {
              g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                           _("The template makes “%s” single-choice, but judgments already "
                             "choose several of its labels at once"), set->name);
              return FALSE;
            }
        }

      for (guint j = 0; j < set->options->len; j++)
        {
          AssayLabelOption *option = g_ptr_array_index (set->options, j);

          stmt = _assay_project_prepare (project,
                                         "INSERT INTO label_options (label_set_id, name, title,"
                                         " description, shortcut, color, position)"
                                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                                         " ON CONFLICT (label_set_id, name) DO UPDATE SET"
                                         " title = excluded.title,"
                                         " description = excluded.description,"
                                         " shortcut = excluded.shortcut, color = excluded.color,"
                                         " position = excluded.position"
                                         " RETURNING id",
                                         error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, set->id);
          _assay_bind_text (stmt, 2, option->name);
          _assay_bind_text (stmt, 3, option->title);
          _assay_bind_text (stmt, 4, option->description);
          _assay_bind_text (stmt, 5, option->shortcut);
          _assay_bind_text (stmt, 6, option->color);
          sqlite3_bind_int (stmt, 7, j);
          if (sqlite3_step (stmt) != SQLITE_ROW)
            {
              sqlite3_reset (stmt);
              return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
            }
          option->id = sqlite3_column_int64 (stmt, 0);
          sqlite3_reset (stmt);
        }
    }
  return TRUE;
}

static gboolean
store_criteria (AssayProject   *project,
                AssayTemplate  *old,
                AssayTemplate  *tmpl,
                GError        **error)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < old->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (old->criteria, i);
      gint64 uses;

      if (assay_template_find_criterion (tmpl, criterion->name) != NULL)
        continue;

      uses = count_uses (project, "SELECT count(*) FROM scores WHERE criterion_id = ?1",
                         criterion->id);
      if (uses > 0)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       g_dngettext (GETTEXT_PACKAGE,
                                    "The template removes the criterion “%s”, which "
                                    "%" G_GINT64_FORMAT " score uses",
                                    "The template removes the criterion “%s”, which "
                                    "%" G_GINT64_FORMAT " scores use",
                                    uses),
                       criterion->name, uses);
          return FALSE;
        }
      stmt = _assay_project_prepare (project, "DELETE FROM criteria WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, criterion->id);
      if (!step_done (project, stmt, error))
        return FALSE;
    }

  for (guint i = 0; i < tmpl->criteria->len; i++)
    {
      AssayCriterion *criterion = g_ptr_array_index (tmpl->criteria, i);
      gint64 outside;

      stmt = _assay_project_prepare (project,
                                     "INSERT INTO criteria (name, title, description, scale_min,"
                                     " scale_max, weight, required, position)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                     " ON CONFLICT (name) DO UPDATE SET title = excluded.title,"
                                     " description = excluded.description,"
                                     " scale_min = excluded.scale_min,"
                                     " scale_max = excluded.scale_max,"
                                     " weight = excluded.weight, required = excluded.required,"
                                     " position = excluded.position"
                                     " RETURNING id",
                                     error);
      if (stmt == NULL)
        return FALSE;
      _assay_bind_text (stmt, 1, criterion->name);
      _assay_bind_text (stmt, 2, criterion->title);
      _assay_bind_text (stmt, 3, criterion->description);
      sqlite3_bind_int (stmt, 4, criterion->min);
      sqlite3_bind_int (stmt, 5, criterion->max);
      sqlite3_bind_double (stmt, 6, criterion->weight);
      sqlite3_bind_int (stmt, 7, criterion->required);
      sqlite3_bind_int (stmt, 8, i);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          sqlite3_reset (stmt);
          return _assay_sqlite_error (_assay_project_get_db (project), error, NULL);
        }
      criterion->id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);

      stmt = _assay_project_prepare (project,
                                     "SELECT count(*) FROM scores s JOIN criteria c"
                                     " ON c.id = s.criterion_id WHERE c.id = ?1"
                                     " AND (s.value < c.scale_min OR s.value > c.scale_max)",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, criterion->id);
      outside = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (outside > 0)
        {
          g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT,
                       _("The template gives “%s” the scale %d–%d, but scores outside it "
                         "already exist"),
                       criterion->name, criterion->min, criterion->max);
          return FALSE;
        }

      stmt = _assay_project_prepare (project,
                                     "DELETE FROM criterion_anchors WHERE criterion_id = ?",
                                     error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, criterion->id);
      if (!step_done (project, stmt, error))
        return FALSE;

      for (int v = criterion->min; v <= criterion->max; v++)
        {
          const char *anchor = assay_criterion_get_anchor (criterion, v);

          if (anchor == NULL)
            continue;
          stmt = _assay_project_prepare (project,
                                         "INSERT INTO criterion_anchors (criterion_id, value, text)"
                                         " VALUES (?, ?, ?)",
                                         error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, criterion->id);
          sqlite3_bind_int (stmt, 2, v);
          _assay_bind_text (stmt, 3, anchor);
          if (!step_done (project, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
store_accept (AssayProject  *project,
              AssayAccept   *accept,
              GError       **error)
{
  static const char * const rules[] = { "rank", "label", "score" };
  char min_score[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (min_score, sizeof min_score, accept->min_score);
  return store_setting (project, "accept.rule", rules[accept->rule], error) &&
         store_setting (project, "accept.label_set", accept->label_set, error) &&
         store_setting (project, "accept.label", accept->label, error) &&
         store_setting (project, "accept.min_score",
                        accept->rule == ASSAY_ACCEPT_SCORE ? min_score : NULL, error);
}

gboolean
assay_project_store_template (AssayProject   *project,
                              AssayTemplate  *tmpl,
                              GError        **error)
{
  g_autoptr(AssayTemplate) old = NULL;
  g_autoptr(GString) kinds = g_string_new (NULL);

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), FALSE);
  g_return_val_if_fail (tmpl != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (tmpl->kinds & kind_names[i].kind)
      {
        if (kinds->len > 0)
          g_string_append_c (kinds, ',');
        g_string_append (kinds, kind_names[i].name);
      }

  if (!assay_project_begin (project, error))
    return FALSE;

  old = assay_project_load_template (project, error);
  if (old == NULL ||
      !store_setting (project, "name", tmpl->name, error) ||
      !store_setting (project, "version", tmpl->version, error) ||
      !store_setting (project, "guidelines", tmpl->guidelines, error) ||
      !store_setting (project, "system_prompt", tmpl->system_prompt, error) ||
      !store_setting (project, "prompt_template", tmpl->prompt_template, error) ||
      !store_setting (project, "blind", tmpl->blind ? "true" : "false", error) ||
      !store_setting (project, "judgments", kinds->str, error) ||
      !store_accept (project, &tmpl->accept, error) ||
      !store_label_sets (project, old, tmpl, error) ||
      !store_criteria (project, old, tmpl, error))
    {
      assay_project_rollback (project);
      return FALSE;
    }

  return assay_project_commit (project, error);
}
