/* assay-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "assay"

#include "config.h"

#include <glib/gi18n.h>

#include "assay-application.h"
#include "assay-preferences-window.h"
#include "assay-window.h"

struct _AssayApplication
{
  AdwApplication parent_instance;

  gboolean       open_demo;
};

G_DEFINE_FINAL_TYPE (AssayApplication, assay_application, ADW_TYPE_APPLICATION)

void
assay_application_prepare_environment (void)
{
  const char *dev = g_getenv ("ASSAY_DEV_DATADIR");
  const char *dirs = g_getenv ("XDG_DATA_DIRS");
  g_autofree char *joined = NULL;

  /* PKGDATADIR/mime holds the same database, installed. */
  if (dev == NULL || *dev == '\0')
    dev = PKGDATADIR;
  /* The specification's default when the variable is unset or empty. */
  if (dirs == NULL || *dirs == '\0')
    dirs = "/usr/local/share:/usr/share";
  joined = g_strconcat (dev, G_SEARCHPATH_SEPARATOR_S, dirs, NULL);
  g_setenv ("XDG_DATA_DIRS", joined, TRUE);
}

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

/* A window on the welcome page, if there is one, is used before a new one. */
static AssayWindow *
find_welcome_window (AssayApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (ASSAY_IS_WINDOW (l->data) && assay_window_get_session (l->data) == NULL)
      return l->data;
  return NULL;
}

static void
assay_application_activate (GApplication *app)
{
  AssayApplication *self = ASSAY_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));

  if (self->open_demo)
    {
      self->open_demo = FALSE;
      gtk_widget_activate_action (GTK_WIDGET (window), "win.open-demo", NULL);
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
      AssayWindow *win = find_welcome_window (self);

      if (win == NULL)
        win = new_window (self);
      assay_window_open (win, files[i]);
      gtk_window_present (GTK_WINDOW (win));
    }
}

static int
assay_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  AssayApplication *self = ASSAY_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("assay %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }
  if (g_variant_dict_contains (options, "demo"))
    self->open_demo = TRUE;

  return -1;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *app = G_APPLICATION (user_data);

  /* Closing each window saves what it holds (time on the item, text that
   * was waiting for a pause) before the process goes. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;)
    {
      GList *next = l->next;

      gtk_window_close (l->data);
      l = next;
    }
  g_application_quit (app);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (new_window (user_data)));
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
                         "website", "https://github.com/assaylab/assay",
                         "issue-url", "https://github.com/assaylab/assay/issues",
                         "developers", developers,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "comments", _("Judge AI summaries against their sources, and turn "
                                       "expert judgment into datasets"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  AssayApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (assay_preferences_window_new (parent)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "preferences", preferences_action },
  { "new-window", new_window_action },
};

static void
assay_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (assay_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions),
                                   app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit",
                                         (const char *[]) { "<Control>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         (const char *[]) { "<Control>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.new-window",
                                         (const char *[]) { "<Control><Shift>n", NULL });
}

static void
assay_application_class_init (AssayApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = assay_application_activate;
  app_class->open = assay_application_open;
  app_class->startup = assay_application_startup;
  app_class->handle_local_options = assay_application_handle_local_options;
}

static void
assay_application_init (AssayApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Open the demo project (a copy of it in your data folder)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and quit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PROJECT…]"));
}
