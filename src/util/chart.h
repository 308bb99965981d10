/* chart.h: terminal charts made of characters — horizontal bars and
 * sparklines in Unicode block elements, or in ASCII when the terminal's
 * locale is not UTF-8. */
#ifndef LOKET_UTIL_CHART_H
#define LOKET_UTIL_CHART_H

#include <stdbool.h>

/* Whether the locale's character set is UTF-8 (after setlocale). */
bool chart_utf8(void);

/* A bar `width` cells wide at full scale, as long as value is of max, in
 * eighths of a cell with block elements ("█▋"), whole cells of '#' in
 * ASCII.  A value above 0 shows at least a sliver.  New string. */
char *chart_bar(double value, double max, int width, bool utf8);

/* One cell per value, scaled from the smallest to the largest:
 * "▁▂▃▄▅▆▇█", or "_.-~=*#@" in ASCII.  A negative value is one held back
 * (a small count) and shows as a blank.  New string. */
char *chart_spark(const long *values, int n, bool utf8);

#endif
