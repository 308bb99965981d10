/* screen: placeholder while the TUI is written. */
#include "config.h"
int screen_placeholder(void);
int screen_placeholder(void) { return 0; }
