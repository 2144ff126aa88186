/* assay-json-reader.c: typed access to parsed JSON, with messages that say
 * where a value is wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "assay-error.h"
#include "assay-json-reader-private.h"

guint
_assay_reader_line (const AssayJsonReader *r,
                    guint                  node)
{
  const char *p = r->doc->text;
  const char *end = r->doc->text + r->doc->nodes[node].start;
  guint line = r->base_line;

  while ((p = memchr (p, '\n', end - p)) != NULL)
    {
      line++;
      p++;
    }
  return line;
}

gboolean
_assay_reader_fail (const AssayJsonReader  *r,
                    guint                   node,
                    const char             *path,
                    GError                **error,
                    const char             *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (path != NULL && *path != '\0')
    g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s:%u: %s: %s",
                 r->file, _assay_reader_line (r, node), path, message);
  else
    g_set_error (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT, "%s:%u: %s",
                 r->file, _assay_reader_line (r, node), message);
  return FALSE;
}

char *
_assay_reader_path (const char *prefix,
                    const char *key)
{
  if (prefix == NULL || *prefix == '\0')
    return g_strdup (key);
  return g_strconcat (prefix, ".", key, NULL);
}

gboolean
_assay_reader_check_keys (const AssayJsonReader  *r,
                          guint                   object,
                          const char             *prefix,
                          const char * const     *allowed,
                          GError                **error)
{
  const AssayJsonDoc *doc = r->doc;
  guint key = assay_json_first_child (doc, object);

  for (guint i = 0; i < doc->nodes[object].n_children; i++)
    {
      guint value = assay_json_next_sibling (doc, key);
      gboolean known = FALSE;

      for (guint j = 0; allowed[j] != NULL && !known; j++)
        known = assay_json_string_equal (doc, key, allowed[j]);

      if (!known)
        {
          g_autofree char *name = assay_json_dup_string (doc, key);

          return _assay_reader_fail (r, key, prefix, error, _("unknown field “%s”"), name);
        }
      key = assay_json_next_sibling (doc, value);
    }
  return TRUE;
}

gboolean
_assay_reader_expect (const AssayJsonReader  *r,
                      guint                   node,
                      const char             *path,
                      AssayJsonType           type,
                      GError                **error)
{
  AssayJsonType found = assay_json_type (r->doc, node);

  if (found == type)
    return TRUE;
  if (type == ASSAY_JSON_TRUE && found == ASSAY_JSON_FALSE)
    return TRUE;

  /* TRANSLATORS: the placeholders are JSON type names such as "a string" and
   * "a number", which stay in English. */
  return _assay_reader_fail (r, node, path, error, _("expected %s, found %s"),
                             assay_json_type_name (type), assay_json_type_name (found));
}

/* The member's value node, 0 if absent or null; fails if required and so. */
static gboolean
lookup (const AssayJsonReader  *r,
        guint                   object,
        const char             *prefix,
        const char             *key,
        gboolean                required,
        guint                  *node,
        GError                **error)
{
  guint value = assay_json_object_get (r->doc, object, key);

  if (value != 0 && assay_json_type (r->doc, value) == ASSAY_JSON_NULL)
    value = 0;

  if (value == 0 && required)
    {
      g_autofree char *path = _assay_reader_path (prefix, key);

      return _assay_reader_fail (r, object, NULL, error, _("missing required field “%s”"), path);
    }

  *node = value;
  return TRUE;
}

gboolean
_assay_reader_string (const AssayJsonReader  *r,
                      guint                   object,
                      const char             *prefix,
                      const char             *key,
                      gboolean                required,
                      char                  **out,
                      GError                **error)
{
  g_autofree char *path = NULL;
  guint node;

  if (!lookup (r, object, prefix, key, required, &node, error))
    return FALSE;
  if (node == 0)
    return TRUE;

  path = _assay_reader_path (prefix, key);
  if (!_assay_reader_expect (r, node, path, ASSAY_JSON_STRING, error))
    return FALSE;

  g_free (*out);
  *out = assay_json_dup_string (r->doc, node);
  return TRUE;
}

gboolean
_assay_reader_int (const AssayJsonReader  *r,
                   guint                   object,
                   const char             *prefix,
                   const char             *key,
                   gboolean                required,
                   gint64                 *out,
                   GError                **error)
{
  g_autofree char *path = NULL;
  guint node;

  if (!lookup (r, object, prefix, key, required, &node, error))
    return FALSE;
  if (node == 0)
    return TRUE;

  path = _assay_reader_path (prefix, key);
  if (!_assay_reader_expect (r, node, path, ASSAY_JSON_NUMBER, error))
    return FALSE;
  if (!assay_json_get_int64 (r->doc, node, out))
    {
      gsize len;
      const char *raw = assay_json_raw (r->doc, node, &len);

      return _assay_reader_fail (r, node, path, error, _("expected an integer, found %.*s"),
                                 (int) MIN (len, 40), raw);
    }
  return TRUE;
}

gboolean
_assay_reader_double (const AssayJsonReader  *r,
                      guint                   object,
                      const char             *prefix,
                      const char             *key,
                      gboolean                required,
                      double                 *out,
                      GError                **error)
{
  g_autofree char *path = NULL;
  guint node;

  if (!lookup (r, object, prefix, key, required, &node, error))
    return FALSE;
  if (node == 0)
    return TRUE;

  path = _assay_reader_path (prefix, key);
  if (!_assay_reader_expect (r, node, path, ASSAY_JSON_NUMBER, error))
    return FALSE;
  if (!assay_json_get_double (r->doc, node, out))
    return _assay_reader_fail (r, node, path, error, _("number out of range"));
  return TRUE;
}

gboolean
_assay_reader_bool (const AssayJsonReader  *r,
                    guint                   object,
                    const char             *prefix,
                    const char             *key,
                    gboolean                required,
                    gboolean               *out,
                    GError                **error)
{
  g_autofree char *path = NULL;
  guint node;

  if (!lookup (r, object, prefix, key, required, &node, error))
    return FALSE;
  if (node == 0)
    return TRUE;

  path = _assay_reader_path (prefix, key);
  if (!_assay_reader_expect (r, node, path, ASSAY_JSON_TRUE, error))
    return FALSE;
  *out = assay_json_type (r->doc, node) == ASSAY_JSON_TRUE;
  return TRUE;
}

gboolean
_assay_reader_container (const AssayJsonReader  *r,
                         guint                   object,
                         const char             *prefix,
                         const char             *key,
                         AssayJsonType           type,
                         gboolean                required,
                         guint                  *out,
                         GError                **error)
{
  g_autofree char *path = NULL;
  guint node;

  *out = 0;
  if (!lookup (r, object, prefix, key, required, &node, error))
    return FALSE;
  if (node == 0)
    return TRUE;

  path = _assay_reader_path (prefix, key);
  if (!_assay_reader_expect (r, node, path, type, error))
    return FALSE;
  *out = node;
  return TRUE;
}
