/* precheck-eval.c: precision and recall of the pre-check on labelled data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * precheck-eval [--verbose] [--min-precision P] [--min-recall R] FILE.jsonl
 *
 * Each line of FILE is a source ({"id", "split", "text"} or "segments" of
 * {"speaker", "text"}) with its candidates, each with "gold": the numbers,
 * dates and names a careful reader would mark as not given by the source,
 * as {"text", "category"} (the first occurrence of the text in the
 * candidate). Lines without "id" are comments. A finding is right when it
 * overlaps a gold item; a gold item is found when a finding overlaps it.
 * Precision is counted by the finding's category, recall by the gold
 * item's, per split and overall. With thresholds, the exit status is 1
 * when the overall precision or recall falls below them (a test uses it).
 */
#include "config.h"

#include <jansson.h>
#include <locale.h>
#include <string.h>

#include "assay-precheck.h"

#define N_CATEGORIES 3

typedef struct
{
  guint right[N_CATEGORIES];    /* findings that overlap a gold item */
  guint wrong[N_CATEGORIES];    /* findings that overlap none */
  guint found[N_CATEGORIES];    /* gold items a finding overlaps */
  guint gold[N_CATEGORIES];
} Counts;

typedef struct
{
  gint64 start;
  gint64 end;
  int    category;
  gboolean found;
} Gold;

static gboolean verbose = FALSE;

static int
category_of (const char *name)
{
  for (int c = 0; c < N_CATEGORIES; c++)
    if (g_strcmp0 (assay_precheck_category_to_string (c), name) == 0)
      return c;
  return -1;
}

static void
add_counts (Counts       *to,
            const Counts *from)
{
  for (int c = 0; c < N_CATEGORIES; c++)
    {
      to->right[c] += from->right[c];
      to->wrong[c] += from->wrong[c];
      to->found[c] += from->found[c];
      to->gold[c] += from->gold[c];
    }
}

static double
ratio (guint a,
       guint b)
{
  return b == 0 ? 1.0 : (double) a / b;
}

static void
print_counts (const char   *title,
              const Counts *k,
              double       *precision,
              double       *recall)
{
  guint right = 0, wrong = 0, found = 0, gold = 0;

  g_print ("%s\n", title);
  g_print ("  %-8s %9s %9s %9s %9s %6s %6s\n", "category", "findings", "right", "gold", "found",
           "P", "R");
  for (int c = 0; c < N_CATEGORIES; c++)
    {
      g_print ("  %-8s %9u %9u %9u %9u %6.2f %6.2f\n", assay_precheck_category_to_string (c),
               k->right[c] + k->wrong[c], k->right[c], k->gold[c], k->found[c],
               ratio (k->right[c], k->right[c] + k->wrong[c]), ratio (k->found[c], k->gold[c]));
      right += k->right[c];
      wrong += k->wrong[c];
      found += k->found[c];
      gold += k->gold[c];
    }
  g_print ("  %-8s %9u %9u %9u %9u %6.2f %6.2f\n", "all", right + wrong, right, gold, found,
           ratio (right, right + wrong), ratio (found, gold));
  if (precision != NULL)
    *precision = ratio (right, right + wrong);
  if (recall != NULL)
    *recall = ratio (found, gold);
}

static gboolean
evaluate_candidate (AssayPrecheckSource *source,
                    const char          *where,
                    json_t              *candidate,
                    Counts              *k,
                    GError             **error)
{
  const char *text = json_string_value (json_object_get (candidate, "text"));
  json_t *gold_list = json_object_get (candidate, "gold");
  g_autoptr(GArray) gold = g_array_new (FALSE, TRUE, sizeof (Gold));
  g_autoptr(GPtrArray) findings = NULL;
  json_t *item;
  gsize i;

  if (text == NULL || !json_is_array (gold_list))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: no text or gold", where);
      return FALSE;
    }
  json_array_foreach (gold_list, i, item)
    {
      const char *g = json_string_value (json_object_get (item, "text"));
      int category = category_of (json_string_value (json_object_get (item, "category")));
      const char *at = g != NULL ? strstr (text, g) : NULL;
      Gold entry = { 0 };

      if (at == NULL || category < 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: gold item %zu is not in the candidate or has no category", where, i);
          return FALSE;
        }
      entry.start = g_utf8_pointer_to_offset (text, at);
      entry.end = entry.start + g_utf8_strlen (g, -1);
      entry.category = category;
      g_array_append_val (gold, entry);
      k->gold[category]++;
    }

  findings = assay_precheck_source_check (source, text);
  for (guint f = 0; f < findings->len; f++)
    {
      AssayPrecheckFinding *finding = g_ptr_array_index (findings, f);
      gboolean right = FALSE;

      for (guint g = 0; g < gold->len; g++)
        {
          Gold *entry = &g_array_index (gold, Gold, g);

          if (finding->start < entry->end && entry->start < finding->end)
            right = entry->found = TRUE;
        }
      if (right)
        k->right[finding->category]++;
      else
        {
          k->wrong[finding->category]++;
          if (verbose)
            g_print ("  wrong  %s: %s “%s” (%s)\n", where,
                     assay_precheck_category_to_string (finding->category), finding->text,
                     finding->reason);
        }
    }
  for (guint g = 0; g < gold->len; g++)
    {
      Gold *entry = &g_array_index (gold, Gold, g);

      if (entry->found)
        k->found[entry->category]++;
      else if (verbose)
        {
          g_autofree char *missed = g_utf8_substring (text, entry->start, entry->end);

          g_print ("  missed %s: %s “%s”\n", where,
                   assay_precheck_category_to_string (entry->category), missed);
        }
    }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  double min_precision = 0, min_recall = 0;
  GOptionEntry entries[] = {
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "List every wrong and missed finding", NULL },
    { "min-precision", 0, 0, G_OPTION_ARG_DOUBLE, &min_precision,
      "Fail when the overall precision is below P", "P" },
    { "min-recall", 0, 0, G_OPTION_ARG_DOUBLE, &min_recall,
      "Fail when the overall recall is below R", "R" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE.jsonl");
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) splits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) split_order = g_ptr_array_new ();
  Counts all = { 0 };
  double precision, recall;
  guint n_candidates = 0;
  gint64 started;
  double seconds;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "give one FILE.jsonl");
      return 2;
    }
  if (!g_file_get_contents (argv[1], &contents, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  started = g_get_monotonic_time ();
  lines = g_strsplit (contents, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      g_autofree char *where_line = g_strdup_printf ("%s:%u", argv[1], l + 1);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GPtrArray) more = g_ptr_array_new ();
      g_autoptr(AssayPrecheckSource) source = NULL;
      json_error_t json_error;
      json_t *line, *candidate, *segment;
      const char *id, *split;
      Counts *k;
      gsize i;

      if (*g_strstrip (lines[l]) == '\0')
        continue;
      line = json_loads (lines[l], 0, &json_error);
      if (line == NULL)
        {
          g_printerr ("%s: %s\n", where_line, json_error.text);
          return 2;
        }
      id = json_string_value (json_object_get (line, "id"));
      if (id == NULL)
        {
          json_decref (line);
          continue;
        }
      split = json_string_value (json_object_get (line, "split"));
      if (split == NULL)
        split = "all";
      k = g_hash_table_lookup (splits, split);
      if (k == NULL)
        {
          char *key = g_strdup (split);

          k = g_new0 (Counts, 1);
          g_hash_table_insert (splits, key, k);
          g_ptr_array_add (split_order, key);
        }

      /* A transcript's text is its segments joined by lines, and its
       * speakers are said beside it, as the project stores them. */
      if (json_object_get (line, "text") != NULL)
        g_string_append (text, json_string_value (json_object_get (line, "text")));
      json_array_foreach (json_object_get (line, "segments"), i, segment)
        {
          const char *speaker = json_string_value (json_object_get (segment, "speaker"));

          if (i > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, json_string_value (json_object_get (segment, "text")));
          if (speaker != NULL)
            g_ptr_array_add (more, (gpointer) speaker);
        }
      g_ptr_array_add (more, NULL);
      source = assay_precheck_source_new (text->str, (const char * const *) more->pdata);

      json_array_foreach (json_object_get (line, "candidates"), i, candidate)
        {
          g_autofree char *where = g_strdup_printf ("%s/%s", id,
                                                    json_string_value (json_object_get (candidate,
                                                                                        "id")));

          if (!evaluate_candidate (source, where, candidate, k, &error))
            {
              g_printerr ("%s: %s\n", where_line, error->message);
              json_decref (line);
              return 2;
            }
          n_candidates++;
        }
      json_decref (line);
    }
  seconds = (g_get_monotonic_time () - started) / 1e6;

  for (guint s = 0; s < split_order->len; s++)
    {
      const char *split = g_ptr_array_index (split_order, s);
      g_autofree char *title = g_strdup_printf ("split “%s”", split);

      print_counts (title, g_hash_table_lookup (splits, split), NULL, NULL);
      add_counts (&all, g_hash_table_lookup (splits, split));
    }
  print_counts ("overall", &all, &precision, &recall);
  g_print ("%u candidates in %.3f s\n", n_candidates, seconds);

  if (precision < min_precision || recall < min_recall)
    {
      g_printerr ("precision %.2f (at least %.2f wanted), recall %.2f (at least %.2f wanted)\n",
                  precision, min_precision, recall, min_recall);
      return 1;
    }
  return 0;
}
