/* fuzz-template.c: the task template reader (assay-template.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a template file, read as `assay-cli init --template` and
 * `template import` read it. The reader must not crash whatever the bytes,
 * its errors must name the file, and a template it accepts must come back
 * the same when written out and read again, as a shared template does, and
 * when stored in a project and loaded from it.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-error.h"
#include "assay-json.h"
#include "assay-project.h"
#include "assay-template.h"

#include "fuzz-common.h"

static char *dir;
static char *path;
static char *project_path;
static GBytes *empty_project;   /* a new project's file, closed */

static void
remove_project (void)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (project_path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
remove_dir (void)
{
  fuzz_remove_dir (dir);
}

static AssayTemplate *
load (const char  *text,
      gsize        len,
      GError     **error)
{
  fuzz_write_file (path, text, len);
  return assay_template_load_file (path, error);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  fuzz_init ();
  dir = fuzz_make_dir ("assay-fuzz-template");
  path = g_build_filename (dir, "template.json", NULL);
  project_path = g_build_filename (dir, "fuzz.assay", NULL);
  atexit (remove_dir);

  project = assay_project_create (project_path, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  g_clear_object (&project);
  if (!g_file_get_contents (project_path, &contents, &len, &error))
    g_error ("%s", error->message);
  empty_project = g_bytes_new_take (contents, len);
  return 0;
}

/* What `template import` does: the template, stored in a new project and
 * loaded from it, must be the template that was read. */
static void
check_stored (AssayTemplate *tmpl,
              json_t        *written)
{
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayTemplate) loaded = NULL;
  g_autoptr(json_t) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *contents = g_bytes_get_data (empty_project, &len);

  remove_project ();
  fuzz_write_file (project_path, contents, len);
  project = assay_project_open (project_path, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  if (!assay_project_store_template (project, tmpl, &error))
    {
      g_printerr ("a template that was read cannot be stored: %s\n", error->message);
      abort ();
    }
  loaded = assay_project_load_template (project, &error);
  if (loaded == NULL)
    {
      g_printerr ("a stored template cannot be loaded: %s\n", error->message);
      abort ();
    }
  reloaded = assay_template_to_json (loaded);
  if (!json_equal (written, reloaded))
    {
      g_autofree char *before = assay_json_dumps_compact (written);
      g_autofree char *after = assay_json_dumps_compact (reloaded);

      g_printerr ("a template changes when stored in a project:\n%s\n%s\n", before, after);
      abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayTemplate) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(json_t) written = NULL;
  g_autoptr(json_t) rewritten = NULL;
  g_autofree char *text = NULL;

  tmpl = load ((const char *) data, size, &error);
  if (tmpl == NULL)
    {
      fuzz_assert (error != NULL);
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      fuzz_assert (g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT));
      fuzz_assert (g_str_has_prefix (error->message, path));
      return 0;
    }
  fuzz_assert (error == NULL);

  written = assay_template_to_json (tmpl);
  fuzz_assert (written != NULL);
  text = assay_json_dumps_compact (written);
  fuzz_assert (text != NULL);

  again = load (text, strlen (text), &error);
  if (again == NULL)
    {
      g_printerr ("a template written out is refused: %s\n%s\n", error->message, text);
      abort ();
    }
  rewritten = assay_template_to_json (again);
  if (!json_equal (written, rewritten))
    {
      g_autofree char *second = assay_json_dumps_compact (rewritten);

      g_printerr ("a template changes when written and read again:\n%s\n%s\n", text, second);
      abort ();
    }
  check_stored (tmpl, written);
  return 0;
}
