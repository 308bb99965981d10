/* width.h: terminal column widths of UTF-8 text (wcwidth), for tables and
 * screens.  Input should already be sanitised. */
#ifndef LOKET_UTIL_WIDTH_H
#define LOKET_UTIL_WIDTH_H

#include <stddef.h>

/* Columns the text takes on a terminal (unprintable counts as 1). */
int text_width(const char *s);
/* A new string that takes at most width columns: cut at a character
 * boundary, with "…" when something was cut.  Never splits a character. */
char *text_fit(const char *s, int width);
/* The number of bytes of s that fit in width columns, never splitting a
 * character; the columns they take in *used_width (may be NULL). */
size_t text_prefix(const char *s, int width, int *used_width);

#endif
