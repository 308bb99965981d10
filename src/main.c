/* main.c: start-up order — locale, options, then either a subcommand or the
 * terminal interface. */
#include "config.h"

#include "util/trace.h"

#include "cli/cli.h"
#include "tui.h"
#include "util/i18n.h"

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
	if (g.version) {
		printf("loket %s\n", PACKAGE_VERSION);
		return CLI_OK;
	}
	if (sub < argc)
		return cli_run(&g, argc - sub, argv + sub);
	return tui_main(&g);
}
