/* fuzz-map.c: importing foreign JSONL with --map (assay-import.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is the mapping and the file together: the lines before the
 * first blank line are FIELD=PATH specs, as given to `assay-cli import
 * --map` (a line "skip-invalid" stands for --skip-invalid), and the rest is
 * the JSONL file; an input without a blank line is all file. The input is
 * imported into a small project that has a template, so that judgments in
 * the lines can land. Nothing may crash; a refused spec or import must say
 * why, naming the file; and whatever an import keeps must leave a project
 * that `check` finds sound and that comes out the same when exported,
 * imported into an empty project and exported again. The project is put
 * back as it was after such an import; a refused one has kept nothing.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "assay-check.h"
#include "assay-error.h"
#include "assay-export.h"
#include "assay-import.h"
#include "assay-project.h"
#include "assay-template.h"

#include "fuzz-common.h"

#define FILE_NAME "fuzz.jsonl"

static const char template_json[] =
  "{\"name\": \"Fuzz\", \"judgments\": [\"labels\", \"spans\", \"correction\", \"scores\","
  " \"ranking\", \"pairwise\"],"
  " \"label_sets\": [{\"name\": \"claims\", \"scope\": \"span\", \"options\": ["
  "   {\"name\": \"ok\"}, {\"name\": \"wrong\"}]},"
  "  {\"name\": \"verdict\", \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 5}]}";

static char *dir;
static char *path;
static GBytes *empty_project;   /* the project file with the template, closed */
static AssayProject *project;

static void
remove_project (void)
{
  static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_unlink (file);
    }
}

static void
remove_dir (void)
{
  g_clear_object (&project);
  fuzz_remove_dir (dir);
}

static void
make_empty_project (void)
{
  g_autofree char *template_path = g_build_filename (dir, "template.json", NULL);
  g_autoptr(AssayProject) created = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  if (!g_file_set_contents (template_path, template_json, -1, &error) ||
      (tmpl = assay_template_load_file (template_path, &error)) == NULL ||
      (created = assay_project_create (path, &error)) == NULL ||
      !assay_project_store_template (created, tmpl, &error))
    g_error ("cannot make the project to import into: %s", error->message);
  g_unlink (template_path);
  /* closing the last connection folds the WAL into the file */
  g_clear_object (&created);
  if (!g_file_get_contents (path, &contents, &len, &error))
    g_error ("%s", error->message);
  empty_project = g_bytes_new_take (contents, len);
}

/* Puts the empty project back and opens it. */
static void
reset_project (void)
{
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *contents = g_bytes_get_data (empty_project, &len);

  g_clear_object (&project);
  remove_project ();
  fuzz_write_file (path, contents, len);
  project = assay_project_open (path, &error);
  if (project == NULL)
    g_error ("cannot open the project to import into: %s", error->message);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  dir = fuzz_make_dir ("assay-fuzz-map");
  path = g_build_filename (dir, "fuzz.assay", NULL);
  atexit (remove_dir);
  make_empty_project ();
  reset_project ();
  return 0;
}

static void
check_problems (AssayImport *import)
{
  GPtrArray *problems = assay_import_get_problems (import);

  for (guint i = 0; i < problems->len; i++)
    {
      const char *problem = g_ptr_array_index (problems, i);

      fuzz_assert (g_utf8_validate (problem, -1, NULL));
      fuzz_assert (g_str_has_prefix (problem, FILE_NAME ":"));
    }
}

/* What the import kept must pass `check`. */
static void
check_project (void)
{
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&project);
  if (!assay_check_project (path, &problems, &error))
    g_error ("cannot check the project: %s", error->message);
  for (guint i = 0; i < problems->len; i++)
    g_printerr ("check: %s\n", (const char *) g_ptr_array_index (problems, i));
  fuzz_assert (problems->len == 0);
}

static void
export_native (const char *out)
{
  g_autoptr(GError) error = NULL;

  if (!assay_export_to_path (project, "native", NULL, out, NULL, &error))
    {
      g_printerr ("the project cannot be exported: %s\n", error->message);
      abort ();
    }
}

/* The project as exported, imported into the empty project and exported
 * again, must come out the same: nothing that the import kept is lost or
 * changed when the work moves on. */
static void
check_round_trip (void)
{
  g_autofree char *first = g_build_filename (dir, "first.jsonl", NULL);
  g_autofree char *second = g_build_filename (dir, "second.jsonl", NULL);
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GError) error = NULL;

  project = assay_project_open (path, &error);
  if (project == NULL)
    g_error ("cannot open the project again: %s", error->message);
  export_native (first);

  reset_project ();
  import = assay_import_new (project);
  assay_import_add_file (import, first, ASSAY_FORMAT_JSONL);
  if (!assay_import_run (import, NULL, &error))
    {
      g_printerr ("the project's own export is refused: %s\n", error->message);
      abort ();
    }
  export_native (second);

  if (!g_file_get_contents (first, &first_text, NULL, NULL) ||
      !g_file_get_contents (second, &second_text, NULL, NULL))
    abort ();
  if (!g_str_equal (first_text, second_text))
    {
      g_printerr ("exported, imported and exported again, the project changed:\n%s\n---\n%s\n",
                  first_text, second_text);
      abort ();
    }
  g_unlink (first);
  g_unlink (second);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *end = text + size;
  const char *p = text;
  const char *specs_end;
  g_autoptr(AssayImport) import = assay_import_new (project);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  /* the specs, up to the first blank line; without one, no specs */
  specs_end = memmem (text, size, "\n\n", 2);
  if (specs_end == NULL)
    specs_end = text;
  while (p < specs_end)
    {
      const char *nl = memchr (p, '\n', specs_end - p);
      const char *line_end = nl != NULL ? nl : specs_end;
      g_autofree char *spec = g_strndup (p, line_end - p);

      p = nl != NULL ? nl + 1 : specs_end;
      if (g_str_equal (spec, "skip-invalid"))
        {
          assay_import_set_skip_invalid (import, TRUE);
          continue;
        }
      if (!g_utf8_validate (spec, -1, NULL))
        continue;   /* GOption hands the CLI only valid UTF-8 */
      if (assay_import_add_map (import, spec, &error))
        {
          fuzz_assert (error == NULL);
          continue;
        }
      fuzz_assert (g_error_matches (error, ASSAY_ERROR, ASSAY_ERROR_INVALID_INPUT));
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      g_clear_error (&error);
    }
  if (specs_end != text)
    p = specs_end + 2;

  bytes = g_bytes_new (p, end - p);
  assay_import_add_bytes (import, FILE_NAME, bytes, ASSAY_FORMAT_JSONL);
  if (!assay_import_run (import, NULL, &error))
    {
      /* refused as a whole: nothing was kept, and the project serves the
       * next input as it is */
      fuzz_assert (error != NULL);
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      fuzz_assert (strstr (error->message, FILE_NAME) != NULL);
      check_problems (import);
      return 0;
    }

  fuzz_assert (error == NULL);
  check_problems (import);
  g_clear_object (&import);
  check_project ();
  check_round_trip ();
  reset_project ();
  return 0;
}
