/* assay-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-core.h"
#include "assay-window.h"

struct _AssayWindow
{
  AdwApplicationWindow  parent_instance;

  AdwWindowTitle       *title;
  AdwStatusPage        *status;

  AssayProject         *project;
};

G_DEFINE_FINAL_TYPE (AssayWindow, assay_window, ADW_TYPE_APPLICATION_WINDOW)

static void
assay_window_dispose (GObject *object)
{
  AssayWindow *self = ASSAY_WINDOW (object);

  g_clear_object (&self->project);
  gtk_widget_dispose_template (GTK_WIDGET (self), ASSAY_TYPE_WINDOW);

  G_OBJECT_CLASS (assay_window_parent_class)->dispose (object);
}

static void
assay_window_class_init (AssayWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = assay_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/assaylab/Assay/assay-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, title);
  gtk_widget_class_bind_template_child (widget_class, AssayWindow, status);
}

static void
assay_window_init (AssayWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

void
assay_window_open (AssayWindow *self,
                   GFile       *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  AssayProjectCounts counts;

  g_return_if_fail (ASSAY_IS_WINDOW (self));

  g_clear_object (&self->project);
  if (path != NULL)
    self->project = assay_project_open (path, &error);
  if (self->project == NULL || !assay_project_get_counts (self->project, &counts, &error))
    {
      adw_status_page_set_icon_name (self->status, "dialog-error-symbolic");
      adw_status_page_set_title (self->status, _("Could Not Open the Project"));
      adw_status_page_set_description (self->status, error ? error->message : NULL);
      g_clear_object (&self->project);
      return;
    }

  name = assay_project_dup_name (self->project);
  adw_window_title_set_title (self->title, name);
  adw_window_title_set_subtitle (self->title, path);
  adw_status_page_set_title (self->status, name);
  description = g_strdup_printf (_("%" G_GINT64_FORMAT " sources · %" G_GINT64_FORMAT
                                   " candidates · %" G_GINT64_FORMAT " judgments"),
                                 counts.sources, counts.candidates, counts.judgments);
  adw_status_page_set_description (self->status, description);
}
