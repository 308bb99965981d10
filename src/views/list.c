/* list: placeholder while the TUI is written. */
#include "config.h"
int list_placeholder(void);
int list_placeholder(void) { return 0; }
