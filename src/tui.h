/* tui.h: the terminal interface: connect, set up the screen, run the one
 * event loop, restore the terminal. */
#ifndef LOKET_TUI_H
#define LOKET_TUI_H

#include "cli/cli.h"

/* Run the interface with the global options.  Returns an exit status. */
int tui_main(const struct cli_globals *g);

#endif
