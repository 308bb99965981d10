/* sanitize.c: make control, escape, bidi and invisible characters visible. */
#include "config.h"

#include "util/sanitize.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool
sanitize_is_unsafe(uint32_t cp)
{
	if (cp < 0x20 || cp == 0x7F)
		return true; /* C0 controls, DEL */
	if (cp >= 0x80 && cp <= 0x9F)
		return true; /* C1 controls, including CSI (U+009B) */
	switch (cp) {
	case 0x00AD: /* soft hyphen: invisible */
	case 0x034F: /* combining grapheme joiner */
	case 0x061C: /* Arabic letter mark (bidi) */
	case 0x115F: case 0x1160: /* Hangul fillers */
	case 0x17B4: case 0x17B5:
	case 0x180E: /* Mongolian vowel separator */
	case 0x2028: case 0x2029: /* line and paragraph separators */
	case 0x3164: case 0xFEFF: case 0xFFA0:
		return true;
	}
	if (cp >= 0x200B && cp <= 0x200F)
		return true; /* zero-width space/joiners, LRM, RLM */
	if (cp >= 0x202A && cp <= 0x202E)
		return true; /* bidi embeddings and overrides */
	if (cp >= 0x2060 && cp <= 0x206F)
		return true; /* word joiner, invisible operators, bidi isolates */
	if (cp >= 0xFE00 && cp <= 0xFE0F)
		return true; /* variation selectors */
	if (cp >= 0xFFF9 && cp <= 0xFFFB)
		return true; /* interlinear annotation */
	if (cp >= 0xE0000 && cp <= 0xE0FFF)
		return true; /* tags and variation selectors supplement */
	return false;
}

static void
add_codepoint(struct strbuf *out, uint32_t cp)
{
	char buf[4];
	strbuf_add(out, buf, utf8_encode(cp, buf));
}

static void
add_replacement(struct strbuf *out, uint32_t cp, unsigned flags)
{
	if (cp == '\n' && (flags & SANITIZE_MULTILINE))
		strbuf_addc(out, '\n');
	else if (cp == '\t')
		strbuf_addc(out, ' ');
	else if (cp == '\n')
		add_codepoint(out, 0x2424); /* SYMBOL FOR NEWLINE */
	else if (cp < 0x20)
		add_codepoint(out, 0x2400 + cp); /* control pictures */
	else if (cp == 0x7F)
		add_codepoint(out, 0x2421); /* SYMBOL FOR DELETE */
	else
		strbuf_addf(out, "<U+%04X>", (unsigned)cp);
}

void
sanitize_text(struct strbuf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (n == 0) {
			strbuf_adds(out, "\xEF\xBF\xBD"); /* U+FFFD for each bad byte */
			p++, len--;
			continue;
		}
		if (cp == '\r' && n < len && p[1] == '\n') {
			p++, len--; /* CRLF is one line break */
			continue;
		}
		if (sanitize_is_unsafe(cp))
			add_replacement(out, cp, flags);
		else
			strbuf_add(out, (const char *)p, n);
		p += n, len -= n;
	}
}

char *
sanitize_dup(const char *s, unsigned flags)
{
	struct strbuf sb;
	strbuf_init(&sb);
	if (s)
		sanitize_text(&sb, s, strlen(s), flags);
	return strbuf_detach(&sb);
}

void
sanitize_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = xvasprintf(fmt, ap);
	va_end(ap);
	struct strbuf sb;
	strbuf_init(&sb);
	sanitize_text(&sb, raw, strlen(raw), SANITIZE_MULTILINE);
	fwrite(sb.buf, 1, sb.len, f);
	strbuf_free(&sb);
	free(raw);
}
