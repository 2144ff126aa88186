/* assay-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-application.h"
#include "assay-window.h"

struct _AssayApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (AssayApplication, assay_application, ADW_TYPE_APPLICATION)

AssayApplication *
assay_application_new (void)
{
  return g_object_new (ASSAY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/assaylab/Assay",
                       NULL);
}

static AssayWindow *
new_window (AssayApplication *self)
{
  return g_object_new (ASSAY_TYPE_WINDOW, "application", self, NULL);
}

/* Without a file, the bundled demo project, when there is one. */
static void
assay_application_activate (GApplication *app)
{
  AssayApplication *self = ASSAY_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      AssayWindow *win = new_window (self);
      const char *demo = g_getenv ("ASSAY_DEMO_PROJECT");
      g_autofree char *installed = g_build_filename (PKGDATADIR, "demo.assay", NULL);

      if (demo == NULL && g_file_test (installed, G_FILE_TEST_EXISTS))
        demo = installed;
      if (demo != NULL)
        {
          g_autoptr(GFile) file = g_file_new_for_path (demo);

          assay_window_open (win, file);
        }
      window = GTK_WINDOW (win);
    }

  gtk_window_present (window);
}

static void
assay_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  AssayApplication *self = ASSAY_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      AssayWindow *win = new_window (self);

      assay_window_open (win, files[i]);
      gtk_window_present (GTK_WINDOW (win));
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AssayApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "Assay developers", NULL };

  adw_show_about_window (parent,
                         "application-name", _("Assay"),
                         "application-icon", APP_ID,
                         "developer-name", _("Assay developers"),
                         "version", PACKAGE_VERSION,
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Review AI summaries against their sources and turn "
                                       "expert judgment into datasets"),
                         NULL);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static void
assay_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (assay_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
}

static void
assay_application_class_init (AssayApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = assay_application_activate;
  app_class->open = assay_application_open;
  app_class->startup = assay_application_startup;
}

static void
assay_application_init (AssayApplication *self)
{
}
