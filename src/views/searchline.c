/* searchline.c: the search line of the screens that search as you type. */
#include "config.h"

#include "ui/screen.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/searchline.h"

#include <stdint.h>
#include <stdlib.h>

#define CTRL_U 21

char *
search_line(const char *query, int width)
{
	char *clean = sanitize_dup(query ? query : "", SANITIZE_DEFAULT);
	char *line = xasprintf("%s %s", _("Search:"), clean);
	if (text_width(line) > width) {
		int label = text_width(_("Search:")) + 2; /* "Search: …" */
		const char *p = clean;
		while (*p && text_width(p) > width - label) {
			p++;
			while ((*p & 0xC0) == 0x80)
				p++;
		}
		free(line);
		line = xasprintf("%s \xe2\x80\xa6%s", _("Search:"), p);
	}
	free(clean);
	return line;
}

void
search_line_draw(WINDOW *w, int y, int x, int width, const char *query)
{
	char *line = search_line(query, width);
	ui_style(w, UI_HEADER, true);
	ui_put(w, y, x, width, line);
	ui_style(w, UI_HEADER, false);
	free(line);
}

void
search_line_cursor(int y, int x, int width, const char *query)
{
	char *line = search_line(query, width);
	int at = x + text_width(line);
	free(line);
	move(y, at < COLS ? at : COLS - 1);
	wnoutrefresh(stdscr);
}

bool
search_line_key(struct strbuf *query, int key, bool is_char)
{
	if (key == KEY_BACKSPACE || (is_char && (key == 127 || key == 8))) {
		bool changed = query->len > 0;
		strbuf_pop_char(query);
		return changed;
	}
	if (is_char && key == CTRL_U) {
		bool changed = query->len > 0;
		strbuf_reset(query);
		return changed;
	}
	if (!is_char || key < 32 || key == 127)
		return false;
	char buf[4];
	size_t n = utf8_encode((uint32_t)key, buf);
	if (n == 0 || query->len + n >= SEARCH_LINE_MAX)
		return false;
	strbuf_add(query, buf, n);
	return true;
}
