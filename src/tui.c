/* tui.c: placeholder while the TUI is written. */
#include "config.h"

#include "tui.h"

#include <stdio.h>

int
tui_main(const struct cli_globals *g)
{
	(void)g;
	fputs("loket: the terminal interface is not built yet\n", stderr);
	return 2;
}
