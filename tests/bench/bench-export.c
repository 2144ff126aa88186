/* bench-export.c: how fast the sft export is, against plain Python
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Builds (once, then reuses) a project of realistic size: by default
 * 10,000 sources of 2,000 to 4,000 words, each with 4 candidates, verdict
 * labels from the reviewers and, for a third of the sources, an expert's
 * correction, so that every source yields one sft record. Then it times
 * `sft` through the core (open the project, export to a file) against
 * bench_export.py, which reads the same file with Python's sqlite3 module
 * and writes the same records with json.dumps, in the same run, and checks
 * that both wrote the same bytes.
 *
 * Usage: bench-export [--sources N] [--runs N] [--dir DIR] [--python PATH]
 *                     [--script PATH]
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "assay-core.h"

#define CORPUS_VERSION 1

static const char * const words[] = {
  "account", "after", "again", "agent", "agreed", "all", "also", "amount", "and", "another",
  "answer", "any", "appointment", "around", "asked", "back", "bank", "because", "before", "being",
  "best", "better", "bill", "billing", "both", "business", "but", "call", "called", "came", "can",
  "card", "case", "change", "charge", "charged", "check", "checked", "clear", "close", "come",
  "company", "confirm", "contract", "could", "customer", "date", "day", "days", "decided",
  "details", "did", "different", "doctor", "does", "done", "down", "during", "each", "early",
  "email", "end", "enough", "evening", "every", "example", "explained", "fact", "fee", "few",
  "figure", "file", "find", "first", "follow", "for", "found", "from", "full", "gave", "get",
  "give", "going", "good", "got", "great", "had", "half", "happened", "has", "have", "help",
  "her", "here", "him", "his", "hold", "home", "hour", "how", "idea", "important", "include",
  "increase", "information", "invoice", "issue", "just", "keep", "kind", "knew", "know", "last",
  "late", "later", "least", "left", "less", "let", "line", "little", "long", "look", "made",
  "make", "manager", "many", "march", "may", "maybe", "mean", "meeting", "might", "minutes",
  "money", "month", "more", "morning", "most", "much", "must", "name", "need", "never", "new",
  "next", "nothing", "now", "number", "offer", "office", "old", "once", "only", "open", "order",
  "other", "our", "out", "over", "paid", "part", "patient", "pay", "payment", "people", "plan",
  "please", "point", "policy", "possible", "price", "problem", "process", "question", "quite",
  "rather", "really", "reason", "record", "refund", "remember", "report", "request", "right",
  "said", "same", "saw", "say", "schedule", "second", "see", "seemed", "send", "sent", "service",
  "several", "she", "should", "side", "since", "small", "something", "soon", "sort", "still",
  "such", "sure", "system", "take", "team", "tell", "than", "thank", "that", "the", "their",
  "them", "then", "there", "these", "they", "thing", "think", "this", "those", "though", "three",
  "through", "time", "today", "together", "told", "too", "took", "total", "tried", "try", "two",
  "under", "until", "update", "used", "usually", "very", "wait", "want", "was", "way", "week",
  "well", "went", "were", "what", "when", "where", "which", "while", "who", "why", "will",
  "with", "without", "work", "would", "year", "yes", "yesterday", "you", "your",
};

/* The seasoning of real transcripts: figures, quotes, accents, dashes. */
static const char * const extras[] = {
  "4.5%", "$64.99", "€40", "café", "naïve", "Zoë", "—", "“fine”", "\"exactly\"", "1,250",
  "8–9 pm", "O'Brien", "São Paulo", "résumé", "£12.50", "½", "10:45",
};

static const char * const speakers[] = { "Agent", "Customer", "Dr. Osei", "Patient", "Interviewer" };
static const char * const models[] = { "atlas-7b", "quill-mini", "scribe-xl", "brevity-2" };
static const char * const annotators[] = { "ama", "ben", "chen", "dana", "eli", "lead" };

static void
append_sentence (GRand   *rand,
                 GString *out,
                 guint   *n_words)
{
  guint n = g_rand_int_range (rand, 6, 21);

  for (guint i = 0; i < n; i++)
    {
      const char *word = words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))];

      if (g_rand_int_range (rand, 0, 40) == 0)
        word = extras[g_rand_int_range (rand, 0, G_N_ELEMENTS (extras))];
      if (i > 0)
        g_string_append_c (out, ' ');
      if (i == 0)
        {
          g_string_append_c (out, g_ascii_toupper (word[0]));
          g_string_append (out, word + 1);
        }
      else
        g_string_append (out, word);
      if (i + 1 < n && g_rand_int_range (rand, 0, 12) == 0)
        g_string_append_c (out, ',');
    }
  g_string_append_c (out, ".?!"[g_rand_int_range (rand, 0, 8) == 0 ? 1 : 0]);
  *n_words += n;
}

static void
append_paragraph (GRand   *rand,
                  GString *out,
                  guint    target_words)
{
  guint n_words = 0;

  while (n_words < target_words)
    {
      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, ' ');
      append_sentence (rand, out, &n_words);
    }
}

static void
append_transcript (GRand   *rand,
                   GString *out,
                   guint    target_words)
{
  guint n_words = 0;

  while (n_words < target_words)
    {
      guint n = g_rand_int_range (rand, 1, 6);

      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, speakers[g_rand_int_range (rand, 0, G_N_ELEMENTS (speakers))]);
      g_string_append (out, ": ");
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (out, ' ');
          append_sentence (rand, out, &n_words);
        }
    }
}

static void
append_member (GString    *line,
               const char *key,
               const char *value)
{
  g_string_append_printf (line, "\"%s\":", key);
  assay_json_append_string (line, value, -1);
}

static void
append_source_line (GRand   *rand,
                    guint    index,
                    GString *line)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *id = g_strdup_printf ("src-%05u", index);
  g_autofree char *title = g_strdup_printf ("Call %u about the %s", index,
                                            words[index % G_N_ELEMENTS (words)]);
  guint accepted = g_rand_int_range (rand, 0, 4);
  gboolean corrected = index % 3 == 0;
  const char *by = annotators[g_rand_int_range (rand, 0, G_N_ELEMENTS (annotators))];

  append_transcript (rand, text, g_rand_int_range (rand, 2000, 4001));

  g_string_append_c (line, '{');
  append_member (line, "id", id);
  g_string_append_c (line, ',');
  append_member (line, "title", title);
  g_string_append_c (line, ',');
  append_member (line, "text", text->str);
  g_string_append (line, ",\"metadata\":{\"queue\":\"billing\"},\"candidates\":[");
  for (guint c = 0; c < G_N_ELEMENTS (models); c++)
    {
      g_autoptr(GString) summary = g_string_new (NULL);
      char cid[8];

      append_paragraph (rand, summary, g_rand_int_range (rand, 150, 301));
      g_snprintf (cid, sizeof cid, "c%u", c + 1);
      g_string_append (line, c > 0 ? ",{" : "{");
      append_member (line, "id", cid);
      g_string_append_c (line, ',');
      append_member (line, "model", models[c]);
      g_string_append_c (line, ',');
      append_member (line, "text", summary->str);
      g_string_append_c (line, '}');
    }

  /* The reviewer's verdict on every candidate; a third of the sources also
   * get a correction of one candidate, and none of those is accepted. */
  g_string_append (line, "],\"judgments\":[");
  for (guint c = 0; c < G_N_ELEMENTS (models); c++)
    g_string_append_printf (line,
                            "%s{\"type\":\"labels\",\"candidate\":\"c%u\",\"annotator\":\"%s\","
                            "\"labels\":{\"verdict\":\"%s\"},"
                            "\"updated\":\"2026-11-%02uT10:%02u:00.000Z\"}",
                            c > 0 ? "," : "", c + 1, by,
                            !corrected && c == accepted ? "accept" : "reject",
                            1 + index % 28, index % 60);
  if (corrected)
    {
      g_autoptr(GString) correction = g_string_new (NULL);
      char cid[8];

      append_paragraph (rand, correction, g_rand_int_range (rand, 150, 301));
      g_snprintf (cid, sizeof cid, "c%u", accepted + 1);
      g_string_append (line, ",{\"type\":\"correction\",");
      append_member (line, "candidate", cid);
      g_string_append_c (line, ',');
      append_member (line, "annotator", by);
      g_string_append_c (line, ',');
      append_member (line, "text", correction->str);
      g_string_append (line, "}");
    }
  g_string_append_printf (line, ",{\"type\":\"status\",\"annotator\":\"%s\",\"status\":\"done\"}",
                          by);
  g_string_append (line, "]}\n");
}

static const char template_json[] =
  "{\"name\": \"Call summaries\", \"version\": \"2\","
  " \"judgments\": [\"labels\", \"correction\", \"scores\", \"ranking\"],"
  " \"system_prompt\": \"You summarise customer support calls for the CRM.\","
  " \"prompt_template\": \"Summarise this call for the CRM.\\n\\nTitle: {{title}}\\n\\n{{text}}\","
  " \"accept\": {\"rule\": \"label\", \"label_set\": \"verdict\", \"label\": \"accept\"},"
  " \"label_sets\": [{\"name\": \"verdict\", \"scope\": \"candidate\","
  "   \"options\": [{\"name\": \"accept\"}, {\"name\": \"reject\"}]}],"
  " \"criteria\": [{\"name\": \"faithfulness\", \"min\": 1, \"max\": 5, \"weight\": 0.6},"
  "   {\"name\": \"coverage\", \"min\": 1, \"max\": 5, \"weight\": 0.4}]}";

static gboolean
build_corpus (const char  *path,
              guint        n_sources,
              GError     **error)
{
  g_autoptr(AssayProject) project = NULL;
  g_autoptr(AssayTemplate) tmpl = NULL;
  g_autoptr(AssayImport) import = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autofree char *template_path = g_strconcat (path, ".template.json", NULL);
  g_autofree char *tmp_path = g_strconcat (path, ".building", NULL);
  const guint batch = 500;

  g_unlink (tmp_path);
  if (!g_file_set_contents (template_path, template_json, -1, error))
    return FALSE;
  tmpl = assay_template_load_file (template_path, error);
  g_unlink (template_path);
  if (tmpl == NULL)
    return FALSE;

  project = assay_project_create (tmp_path, error);
  if (project == NULL || !assay_project_store_template (project, tmpl, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (annotators); i++)
    {
      gint64 id;

      if (!assay_project_ensure_annotator (project, annotators[i], NULL,
                                           i + 1 == G_N_ELEMENTS (annotators)
                                           ? ASSAY_ANNOTATOR_ADJUDICATOR : ASSAY_ANNOTATOR_PERSON,
                                           &id, error))
        return FALSE;
    }

  import = assay_import_new (project);
  for (guint start = 0; start < n_sources; start += batch)
    {
      GString *jsonl = g_string_sized_new (batch * 40000);
      g_autofree char *name = g_strdup_printf ("corpus-%u.jsonl", start);
      g_autoptr(GBytes) bytes = NULL;

      for (guint i = start; i < MIN (n_sources, start + batch); i++)
        append_source_line (rand, i, jsonl);
      bytes = g_string_free_to_bytes (jsonl);
      assay_import_add_bytes (import, name, bytes, ASSAY_FORMAT_JSONL);
    }
  if (!assay_import_run (import, NULL, error))
    return FALSE;

  g_clear_object (&project);
  if (g_rename (tmp_path, path) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s", path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static double
export_c (const char  *project_path,
          const char  *out,
          GError     **error)
{
  gint64 start = g_get_monotonic_time ();
  g_autoptr(AssayProject) project = assay_project_open (project_path, error);

  if (project == NULL || !assay_export_to_path (project, "sft", NULL, out, NULL, error))
    return -1;
  g_clear_object (&project);
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Runs the script, which prints the seconds its export took; returns
 * those, and the whole run (interpreter start included) in *wall. */
static double
export_python (const char  *python,
               const char  *script,
               const char  *project_path,
               const char  *out,
               double      *wall,
               GError     **error)
{
  const char *argv[] = { python, script, project_path, out, NULL };
  g_autofree char *stdout_text = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_CHILD_INHERITS_STDIN, NULL, NULL,
                     &stdout_text, NULL, &status, error) ||
      !g_spawn_check_wait_status (status, error))
    return -1;
  *wall = (g_get_monotonic_time () - start) / 1e6;
  return g_ascii_strtod (stdout_text, NULL);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  int n_sources = 10000;
  int runs = 3;
  g_autofree char *dir = NULL;
  g_autofree char *python = NULL;
  g_autofree char *script = NULL;
  GOptionEntry entries[] = {
    { "sources", 0, 0, G_OPTION_ARG_INT, &n_sources, "Sources in the corpus (10000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs of each exporter (3)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      "Where the corpus is kept between runs (the current directory)", "DIR" },
    { "python", 0, 0, G_OPTION_ARG_FILENAME, &python, "The Python to run (/usr/bin/python3)",
      "PATH" },
    { "script", 0, 0, G_OPTION_ARG_FILENAME, &script,
      "bench_export.py (beside this program's source)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time the sft export");
  g_autoptr(GError) error = NULL;
  g_autofree char *project_path = NULL;
  g_autofree char *out_c = NULL;
  g_autofree char *out_py = NULL;
  g_autofree char *c_bytes = NULL;
  g_autofree char *py_bytes = NULL;
  g_autofree double *c_times = NULL;
  g_autofree double *py_times = NULL;
  g_autofree double *py_walls = NULL;
  gsize c_len = 0, py_len = 0;
  gint64 n_records = 0;
  double c_best, py_best, c_median, py_median;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_sources < 1 || runs < 1)
    {
      g_printerr ("bench-export: %s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }
  if (dir == NULL)
    dir = g_get_current_dir ();
  if (python == NULL)
    python = g_strdup ("/usr/bin/python3");
  if (script == NULL)
    script = g_build_filename (g_getenv ("ASSAY_SRCDIR") != NULL ? g_getenv ("ASSAY_SRCDIR") : ".",
                               "tests", "bench", "bench_export.py", NULL);

  project_path = g_strdup_printf ("%s/bench-export-v%d-%d.assay", dir, CORPUS_VERSION, n_sources);
  out_c = g_strdup_printf ("%s/bench-export-c.jsonl", dir);
  out_py = g_strdup_printf ("%s/bench-export-py.jsonl", dir);

  if (!g_file_test (project_path, G_FILE_TEST_EXISTS))
    {
      gint64 start = g_get_monotonic_time ();

      g_print ("Building a corpus of %d sources in %s (once; it is kept for later runs)...\n",
               n_sources, project_path);
      if (!build_corpus (project_path, n_sources, &error))
        {
          g_printerr ("bench-export: %s\n", error->message);
          return 1;
        }
      g_print ("  built in %.1f s\n", (g_get_monotonic_time () - start) / 1e6);
    }

  {
    g_autoptr(AssayProject) project = assay_project_open (project_path, &error);
    AssayProjectCounts counts;
    GStatBuf st;

    if (project == NULL || !assay_project_get_counts (project, &counts, &error))
      {
        g_printerr ("bench-export: %s\n", error->message);
        return 1;
      }
    g_stat (project_path, &st);
    g_print ("Corpus: %" G_GINT64_FORMAT " sources, %" G_GINT64_FORMAT " candidates, %"
             G_GINT64_FORMAT " judgments; %.0f MB\n", counts.sources, counts.candidates,
             counts.judgments, st.st_size / 1e6);
  }

  c_times = g_new0 (double, runs);
  py_times = g_new0 (double, runs);
  py_walls = g_new0 (double, runs);

  /* One untimed run of each first, so both read a warm page cache; then
   * the timed runs alternate, so neither gets a quieter machine. */
  for (int i = -1; i < runs; i++)
    {
      double c, py, wall = 0;

      /* Each run starts with no output file and nothing left for the
       * kernel to write back, so neither pays for the other's writes. */
      g_unlink (out_c);
      sync ();
      c = export_c (project_path, out_c, &error);
      if (c < 0)
        {
          g_printerr ("bench-export: C export: %s\n", error->message);
          return 1;
        }
      g_unlink (out_py);
      sync ();
      py = export_python (python, script, project_path, out_py, &wall, &error);
      if (py < 0)
        {
          g_printerr ("bench-export: Python export: %s\n", error->message);
          return 1;
        }
      if (i >= 0)
        {
          c_times[i] = c;
          py_times[i] = py;
          py_walls[i] = wall;
        }
    }

  if (!g_file_get_contents (out_c, &c_bytes, &c_len, &error) ||
      !g_file_get_contents (out_py, &py_bytes, &py_len, &error))
    {
      g_printerr ("bench-export: %s\n", error->message);
      return 1;
    }
  for (const char *p = c_bytes; (p = memchr (p, '\n', c_bytes + c_len - p)) != NULL; p++)
    n_records++;

  c_median = median (c_times, runs);
  py_median = median (py_times, runs);
  c_best = c_times[0];
  py_best = py_times[0];

  g_print ("sft export: %" G_GINT64_FORMAT " records, %.0f MB\n", n_records, c_len / 1e6);
  g_print ("  C (core):            best %.3f s, median %.3f s\n", c_best, c_median);
  g_print ("  Python (json.dumps): best %.3f s, median %.3f s (whole process, median %.3f s)\n",
           py_best, py_median, median (py_walls, runs));
  g_print ("  C is %.2fx as fast as Python (medians; %.2fx best against best; goal: at least 2x)\n",
           py_median / c_median, py_best / c_best);

  g_unlink (out_py);
  if (c_len != py_len || memcmp (c_bytes, py_bytes, c_len) != 0)
    {
      g_printerr ("bench-export: the two exports differ (%s, %" G_GSIZE_FORMAT " and %"
                  G_GSIZE_FORMAT " bytes)\n", out_c, c_len, py_len);
      return 1;
    }
  g_print ("  both wrote the same bytes\n");
  g_unlink (out_c);
  return 0;
}
