/* main.c: start-up order — locale, options, then either a subcommand or the
 * terminal interface. */
#include "config.h"

#include "cli/cli.h"
#include "tui.h"
#include "util/i18n.h"

#include <locale.h>
#include <stdio.h>

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);

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
