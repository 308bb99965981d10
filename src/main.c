/* main.c: start-up order — locale, options, then either a subcommand or the
 * terminal interface. */
#include "config.h"

#include "util/trace.h"

#include "cli/cli.h"
#include "db/db.h"
#include "db/migrate.h"
#include "net/http.h"
#include "shell/prompt.h"
#include "tui.h"
#include "util/i18n.h"
#include "util/sanitize.h"

#include <curses.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dutch is the default whatever the locale: servers reached over SSH often
 * run C.UTF-8 or en_US.  LANGUAGE (e.g. LANGUAGE=en) or LOKET_LANGUAGE
 * chooses another language.  gettext ignores LANGUAGE in the plain C
 * locale, so that one becomes C.UTF-8, which also gives curses UTF-8. */
static void
language_setup(void)
{
	const char *choice = getenv("LOKET_LANGUAGE");
	if (choice && *choice)
		setenv("LANGUAGE", choice, 1);
	const char *language = getenv("LANGUAGE");
	if (!language || !*language)
		setenv("LANGUAGE", "nl", 1);
	const char *messages = setlocale(LC_MESSAGES, NULL);
	if (messages && (strcmp(messages, "C") == 0 || strcmp(messages, "POSIX") == 0))
		setlocale(LC_ALL, "C.UTF-8");
	const char *dir = getenv("LOKET_LOCALEDIR");
	bindtextdomain(PACKAGE, dir && *dir ? dir : LOCALEDIR);
	textdomain(PACKAGE);
}

/* --version: loket's, the schema it is built for and the connected
 * database's (one try, when a database answers), and the libraries'. */
static int
print_version(const struct cli_globals *g)
{
	printf("loket %s\n", PACKAGE_VERSION);
	printf(_("schema %d\n"), LOKET_SCHEMA_VERSION);
	struct db *db = NULL;
	struct db_error err = {0};
	int have = 0;
	if (!db_connect(g->conninfo, &db, &err)) {
		const char *m = err.message ? err.message : "";
		sanitize_fprintf(stdout, _("database: not connected (%.*s)\n"), (int)strcspn(m, "\n"), m);
	} else if (!schema_version(db, &have, &err)) {
		sanitize_fprintf(stdout, _("database: %s\n"), err.message ? err.message : "");
	} else if (have == 0) {
		printf(_("database: no schema or one older than 48 (loket db migrate)\n"));
	} else {
		printf(_("database: schema %d%s\n"), have,
		       have < LOKET_SCHEMA_VERSION   ? _(", older: loket db migrate")
		       : have > LOKET_SCHEMA_VERSION ? _(", newer than this loket")
		                                     : "");
	}
	db_error_clear(&err);
	db_close(&db);
	char pq[16];
	printf(_("libraries: %s, libpq %s, libcurl %s, readline %s\n"), curses_version(),
	       db_library_version(pq, sizeof pq), http_library_version(), prompt_library_version());
	return CLI_OK;
}

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	language_setup();
	/* numbers to the database, to LOKET_TRACE and in csv and json are
	 * written the C way ("4.000" is four under nl_NL otherwise: "4,000");
	 * the screen's Dutch numbers come from src/util/number.c */
	setlocale(LC_NUMERIC, "C");
	if (trace_on())
		trace_event("start", 0, PACKAGE_VERSION);

	struct cli_globals g;
	int sub = cli_parse_globals(argc, argv, &g, stderr);
	if (sub < 0)
		return CLI_USAGE;
	if (g.help) {
		cli_usage(stdout);
		return CLI_OK;
	}
	if (g.version)
		return print_version(&g);
	if (sub < argc)
		return cli_run(&g, argc - sub, argv + sub);
	return tui_main(&g);
}
