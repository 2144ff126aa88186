/* assay-queue.c: the review queue, a lazy list of a project's sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay-core"

#include "config.h"

#include "assay-project-private.h"
#include "assay-queue.h"

/* Rows are read this many at a time, around the one asked for. */
#define PAGE_SIZE 128

struct _AssayQueueRow
{
  GObject      parent_instance;
  gint64       source_id;
  char        *ext_id;
  char        *title;
  AssayStatus  status;
  guint        n_candidates;
};

G_DEFINE_FINAL_TYPE (AssayQueueRow, assay_queue_row, G_TYPE_OBJECT)

static void
assay_queue_row_finalize (GObject *object)
{
  AssayQueueRow *self = ASSAY_QUEUE_ROW (object);

  g_free (self->ext_id);
  g_free (self->title);
  G_OBJECT_CLASS (assay_queue_row_parent_class)->finalize (object);
}

static void
assay_queue_row_class_init (AssayQueueRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_queue_row_finalize;
}

static void
assay_queue_row_init (AssayQueueRow *self)
{
}

gint64
assay_queue_row_get_source_id (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), 0);
  return self->source_id;
}

const char *
assay_queue_row_get_ext_id (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), NULL);
  return self->ext_id;
}

const char *
assay_queue_row_get_title (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), NULL);
  return self->title;
}

AssayStatus
assay_queue_row_get_status (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), ASSAY_STATUS_TODO);
  return self->status;
}

guint
assay_queue_row_get_n_candidates (AssayQueueRow *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE_ROW (self), 0);
  return self->n_candidates;
}

struct _AssayQueue
{
  GObject       parent_instance;

  AssayProject *project;
  gint64        annotator_id;

  int           status_filter;
  char         *model_filter;
  char         *search;

  GArray       *ids;      /* gint64 source ids passing the filters, ascending */
  GHashTable   *rows;     /* source id -> AssayQueueRow, the pages read so far */
  guint         total;
};

static void assay_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AssayQueue, assay_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      assay_queue_list_model_init))

static void
assay_queue_finalize (GObject *object)
{
  AssayQueue *self = ASSAY_QUEUE (object);

  g_clear_object (&self->project);
  g_free (self->model_filter);
  g_free (self->search);
  g_array_unref (self->ids);
  g_hash_table_unref (self->rows);
  G_OBJECT_CLASS (assay_queue_parent_class)->finalize (object);
}

static void
assay_queue_class_init (AssayQueueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = assay_queue_finalize;
}

static void
assay_queue_init (AssayQueue *self)
{
  self->status_filter = -1;
  self->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_object_unref);
}

static GType
assay_queue_get_item_type (GListModel *model)
{
  return ASSAY_TYPE_QUEUE_ROW;
}

static guint
assay_queue_get_n_items (GListModel *model)
{
  return ASSAY_QUEUE (model)->ids->len;
}

/* Reads the rows of the page holding `position` into the cache. One range
 * query over the ids of the page, whatever the filters. */
static void
read_page (AssayQueue *self,
           guint       position)
{
  guint first = position - position % PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->ids->len) - 1;
  sqlite3_stmt *stmt;
  g_autoptr(GError) error = NULL;

  stmt = _assay_project_prepare (self->project,
                                 "SELECT s.id, s.ext_id, s.title, coalesce (st.status, 'todo'),"
                                 " (SELECT count (*) FROM candidates c WHERE c.source_id = s.id)"
                                 " FROM sources s LEFT JOIN item_status st"
                                 " ON st.source_id = s.id AND st.annotator_id = ?3"
                                 " WHERE s.id BETWEEN ?1 AND ?2",
                                 &error);
  if (stmt == NULL)
    {
      g_warning ("Could not read the queue: %s", error->message);
      return;
    }
  sqlite3_bind_int64 (stmt, 1, g_array_index (self->ids, gint64, first));
  sqlite3_bind_int64 (stmt, 2, g_array_index (self->ids, gint64, last));
  sqlite3_bind_int64 (stmt, 3, self->annotator_id);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      AssayQueueRow *row;

      /* With filters on, the range also holds sources that did not pass. */
      if (g_hash_table_contains (self->rows, &id) ||
          assay_queue_find (self, id) == G_MAXUINT)
        continue;

      row = g_object_new (ASSAY_TYPE_QUEUE_ROW, NULL);
      row->source_id = id;
      row->ext_id = g_strdup (_assay_column_text (stmt, 1));
      row->title = g_strdup (_assay_column_text (stmt, 2));
      if (!assay_status_from_string (_assay_column_text (stmt, 3), &row->status))
        row->status = ASSAY_STATUS_TODO;
      row->n_candidates = sqlite3_column_int (stmt, 4);
      g_hash_table_insert (self->rows, &row->source_id, row);
    }
  sqlite3_reset (stmt);
}

static gpointer
assay_queue_get_item (GListModel *model,
                      guint       position)
{
  AssayQueue *self = ASSAY_QUEUE (model);
  gint64 id;
  AssayQueueRow *row;

  if (position >= self->ids->len)
    return NULL;

  id = g_array_index (self->ids, gint64, position);
  row = g_hash_table_lookup (self->rows, &id);
  if (row == NULL)
    {
      read_page (self, position);
      row = g_hash_table_lookup (self->rows, &id);
    }
  return row != NULL ? g_object_ref (row) : NULL;
}

static void
assay_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = assay_queue_get_item_type;
  iface->get_n_items = assay_queue_get_n_items;
  iface->get_item = assay_queue_get_item;
}

char *
assay_queue_build_match (const char *text)
{
  g_autoptr(GString) match = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  guint n = 0;

  if (text == NULL)
    return NULL;

  /* Quoting every word keeps FTS5 syntax (AND, NEAR, column:, "*") out of
   * what a person types. */
  words = g_strsplit_set (text, " \t\n\r", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (*words[i] == '\0')
        continue;
      if (n++ > 0)
        g_string_append_c (match, ' ');
      g_string_append_c (match, '"');
      for (const char *p = words[i]; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append_c (match, '"');
    }
  if (n == 0)
    return NULL;
  g_string_append_c (match, '*');
  return g_string_free (g_steal_pointer (&match), FALSE);
}

static void
load_ids (AssayQueue *self)
{
  g_autofree char *match = assay_queue_build_match (self->search);
  g_autoptr(GString) sql = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_array_set_size (self->ids, 0);
  g_hash_table_remove_all (self->rows);

  self->total = (guint) _assay_project_query_int (self->project, "SELECT count (*) FROM sources",
                                                  0, NULL);

  /* Only the conditions in use go into the query: SQLite would otherwise
   * still evaluate the status lookup or the search for every source. */
  sql = g_string_new ("SELECT s.id FROM sources s WHERE 1");
  if (self->status_filter >= 0)
    g_string_append (sql, " AND coalesce ((SELECT st.status FROM item_status st"
                          " WHERE st.source_id = s.id AND st.annotator_id = ?4), 'todo') = ?1");
  if (self->model_filter != NULL)
    g_string_append (sql, " AND EXISTS (SELECT 1 FROM candidates c"
                          " WHERE c.source_id = s.id AND c.model = ?2)");
  if (match != NULL)
    g_string_append (sql, " AND s.id IN (SELECT rowid FROM sources_fts WHERE sources_fts MATCH ?3"
                          " UNION SELECT c.source_id FROM candidates_fts f"
                          " JOIN candidates c ON c.id = f.rowid WHERE candidates_fts MATCH ?3)");
  g_string_append (sql, " ORDER BY s.id");

  if (sqlite3_prepare_v2 (_assay_project_get_db (self->project), sql->str, -1, &stmt, NULL)
      != SQLITE_OK)
    {
      g_warning ("Could not read the queue: %s",
                 sqlite3_errmsg (_assay_project_get_db (self->project)));
      return;
    }
  if (self->status_filter >= 0)
    {
      sqlite3_bind_text (stmt, 1, assay_status_to_string (self->status_filter), -1,
                         SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, self->annotator_id);
    }
  if (self->model_filter != NULL)
    sqlite3_bind_text (stmt, 2, self->model_filter, -1, SQLITE_STATIC);
  if (match != NULL)
    sqlite3_bind_text (stmt, 3, match, -1, SQLITE_STATIC);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (self->ids, id);
    }
}

AssayQueue *
assay_queue_new (AssayProject *project,
                 gint64        annotator_id)
{
  AssayQueue *self;

  g_return_val_if_fail (ASSAY_IS_PROJECT (project), NULL);

  self = g_object_new (ASSAY_TYPE_QUEUE, NULL);
  self->project = g_object_ref (project);
  self->annotator_id = annotator_id;
  load_ids (self);
  return self;
}

void
assay_queue_set_filter (AssayQueue *self,
                        int         status,
                        const char *model,
                        const char *search)
{
  guint removed;

  g_return_if_fail (ASSAY_IS_QUEUE (self));

  if (search != NULL && *search == '\0')
    search = NULL;
  if (self->status_filter == status && g_strcmp0 (self->model_filter, model) == 0 &&
      g_strcmp0 (self->search, search) == 0)
    return;

  self->status_filter = status;
  g_free (self->model_filter);
  self->model_filter = g_strdup (model);
  g_free (self->search);
  self->search = g_strdup (search);

  removed = self->ids->len;
  load_ids (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->ids->len);
}

int
assay_queue_get_status_filter (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), -1);
  return self->status_filter;
}

const char *
assay_queue_get_model_filter (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), NULL);
  return self->model_filter;
}

const char *
assay_queue_get_search (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), NULL);
  return self->search;
}

guint
assay_queue_get_total (AssayQueue *self)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), 0);
  return self->total;
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

guint
assay_queue_find (AssayQueue *self,
                  gint64      source_id)
{
  guint index;

  g_return_val_if_fail (ASSAY_IS_QUEUE (self), G_MAXUINT);

  if (!g_array_binary_search (self->ids, &source_id, compare_ids, &index))
    return G_MAXUINT;
  return index;
}

gint64
assay_queue_get_source_id (AssayQueue *self,
                           guint       position)
{
  g_return_val_if_fail (ASSAY_IS_QUEUE (self), 0);

  if (position >= self->ids->len)
    return 0;
  return g_array_index (self->ids, gint64, position);
}

void
assay_queue_source_changed (AssayQueue *self,
                            gint64      source_id)
{
  guint position;

  g_return_if_fail (ASSAY_IS_QUEUE (self));

  position = assay_queue_find (self, source_id);
  if (position == G_MAXUINT)
    return;
  /* Drop the cached row; the next get_item reads it afresh. */
  g_hash_table_remove (self->rows, &source_id);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

void
assay_queue_reload (AssayQueue *self)
{
  guint removed;

  g_return_if_fail (ASSAY_IS_QUEUE (self));

  removed = self->ids->len;
  load_ids (self);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->ids->len);
}
