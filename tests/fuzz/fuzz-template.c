/* fuzz-template.c: the task template reader (assay-template.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a template file, read as `assay-cli init --template` and
 * `template import` read it. The reader must not crash whatever the bytes,
 * its errors must name the file, and a template it accepts must come back
 * the same when written out and read again, as a shared template does.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-error.h"
#include "assay-json.h"
#include "assay-template.h"

#include "fuzz-common.h"

static char *dir;
static char *path;

static void
remove_dir (void)
{
  g_unlink (path);
  g_rmdir (dir);
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
  fuzz_init ();
  dir = fuzz_make_dir ("assay-fuzz-template");
  path = g_build_filename (dir, "template.json", NULL);
  atexit (remove_dir);
  return 0;
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
  return 0;
}
