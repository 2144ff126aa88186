/* assay-json-reader-private.h: typed access to parsed JSON, with messages
 * that say where a value is wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "assay-json.h"

G_BEGIN_DECLS

/* Everything an error message needs to point at a value: the file's name as
 * the user knows it and the line the document starts on. Documents that
 * span several lines (a template file) count newlines up to the value. */
typedef struct
{
  const AssayJsonDoc *doc;
  const char         *file;
  guint               base_line;
} AssayJsonReader;

guint     _assay_reader_line        (const AssayJsonReader *r,
                                     guint                  node);

/* Sets `error` to "FILE:LINE: PATH: message" (PATH left out when NULL or
 * empty) and returns FALSE. */
gboolean  _assay_reader_fail        (const AssayJsonReader *r,
                                     guint                  node,
                                     const char            *path,
                                     GError               **error,
                                     const char            *format,
                                     ...) G_GNUC_PRINTF (5, 6);

/* "prefix.key", or "key" when prefix is NULL or empty. */
char     *_assay_reader_path        (const char            *prefix,
                                     const char            *key);

/* Refuses members of `object` whose names are not in `allowed` (NULL-terminated). */
gboolean  _assay_reader_check_keys  (const AssayJsonReader *r,
                                     guint                  object,
                                     const char            *prefix,
                                     const char * const    *allowed,
                                     GError               **error);

/* The getters look up `key` in `object`. A missing member (or, unless
 * noted, a null one) leaves *out alone and returns TRUE, or fails if
 * `required`. A member of the wrong type fails with "expected X, found Y". */
gboolean  _assay_reader_string      (const AssayJsonReader *r,
                                     guint                  object,
                                     const char            *prefix,
                                     const char            *key,
                                     gboolean               required,
                                     char                 **out,
                                     GError               **error);
gboolean  _assay_reader_int         (const AssayJsonReader *r,
                                     guint                  object,
                                     const char            *prefix,
                                     const char            *key,
                                     gboolean               required,
                                     gint64                *out,
                                     GError               **error);
gboolean  _assay_reader_double      (const AssayJsonReader *r,
                                     guint                  object,
                                     const char            *prefix,
                                     const char            *key,
                                     gboolean               required,
                                     double                *out,
                                     GError               **error);
gboolean  _assay_reader_bool        (const AssayJsonReader *r,
                                     guint                  object,
                                     const char            *prefix,
                                     const char            *key,
                                     gboolean               required,
                                     gboolean              *out,
                                     GError               **error);
/* For arrays and objects: *out is the node index, 0 when absent. */
gboolean  _assay_reader_container   (const AssayJsonReader *r,
                                     guint                  object,
                                     const char            *prefix,
                                     const char            *key,
                                     AssayJsonType          type,
                                     gboolean               required,
                                     guint                 *out,
                                     GError               **error);

/* Checks that a node has the given type; `path` names it in the message. */
gboolean  _assay_reader_expect      (const AssayJsonReader *r,
                                     guint                  node,
                                     const char            *path,
                                     AssayJsonType          type,
                                     GError               **error);

G_END_DECLS
