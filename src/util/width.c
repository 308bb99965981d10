/* width.c: display widths of UTF-8 strings. */
#include "config.h"

#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"

#include <string.h>
#include <wchar.h>

static int
cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

int
text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	int w = 0;
	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (n == 0)
			n = 1, cp = '?';
		w += cp_width(cp);
		p += n, len -= n;
	}
	return w;
}

char *
text_fit(const char *s, int width)
{
	if (width <= 0)
		return xstrdup("");
	if (text_width(s) <= width)
		return xstrdup(s);
	size_t used = text_prefix(s, width - 1, NULL); /* a column for the ellipsis */
	char *out = xmalloc(used + sizeof "…");
	memcpy(out, s, used);
	memcpy(out + used, "…", sizeof "…");
	return out;
}

size_t
text_prefix(const char *s, int width, int *used_width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), used = 0;
	int w = 0;
	while (used < len) {
		uint32_t cp;
		size_t n = utf8_decode(p + used, len - used, &cp);
		if (n == 0)
			n = 1, cp = '?';
		if (w + cp_width(cp) > width)
			break;
		w += cp_width(cp);
		used += n;
	}
	if (used_width)
		*used_width = w;
	return used;
}
