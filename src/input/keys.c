/* keys: placeholder while the TUI is written. */
#include "config.h"
int keys_placeholder(void);
int keys_placeholder(void) { return 0; }
