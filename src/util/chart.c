/* chart.c: bars and sparklines; see chart.h. */
#include "config.h"

#include "util/chart.h"
#include "util/strbuf.h"

#include <langinfo.h>
#include <string.h>

bool
chart_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

char *
chart_bar(double value, double max, int width, bool utf8)
{
	static const char *const eighths[] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	struct strbuf b;
	strbuf_init(&b);
	if (max > 0 && value > 0 && width > 0) {
		double frac = value >= max ? 1.0 : value / max;
		int units = (int)(frac * width * (utf8 ? 8 : 1) + 0.5);
		if (units == 0)
			units = 1; /* something, however little */
		if (utf8) {
			for (int i = 0; i < units / 8; i++)
				strbuf_adds(&b, "█");
			strbuf_adds(&b, eighths[units % 8]);
		} else {
			for (int i = 0; i < units; i++)
				strbuf_addc(&b, '#');
		}
	}
	strbuf_adds(&b, "");
	return strbuf_detach(&b);
}

char *
chart_spark(const long *values, int n, bool utf8)
{
	static const char *const blocks[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
	static const char ascii[] = "_.-~=*#@";
	long lo = -1, hi = -1;
	for (int i = 0; i < n; i++) {
		if (values[i] < 0)
			continue;
		if (lo < 0 || values[i] < lo)
			lo = values[i];
		if (values[i] > hi)
			hi = values[i];
	}
	struct strbuf b;
	strbuf_init(&b);
	for (int i = 0; i < n; i++) {
		if (values[i] < 0) {
			strbuf_addc(&b, ' ');
			continue;
		}
		int level = hi > lo ? (int)((values[i] - lo) * 7 / (hi - lo)) : (hi > 0 ? 3 : 0);
		if (utf8)
			strbuf_adds(&b, blocks[level]);
		else
			strbuf_addc(&b, ascii[level]);
	}
	strbuf_adds(&b, "");
	return strbuf_detach(&b);
}
