/* help.c: the keys of the screen the user came from, and what they do.
 * Descriptions wrap at words; the whole help scrolls when it does not fit. */
#include "config.h"

#include "ui/screen.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>

#define KEYS_COL 2
#define KEYS_WIDTH 16
#define WHAT_COL 19

struct help_state {
	enum keys_context for_keys;
	int top;   /* first content line shown */
	int total; /* content lines at the last width */
	int rows;  /* rows of the last area */
};

static int
what_width(int cols)
{
	return cols - WHAT_COL - 2 > 10 ? cols - WHAT_COL - 2 : 10;
}

/* Content lines: the heading and a blank, each key's description as
 * wrapped, a blank and how to close. */
static int
measure(enum keys_context k, int cols)
{
	int n = 2;
	for (const struct keys_help *h = keys_help(k); h->keys; h++)
		n += ui_put_wrapped(NULL, 0, 0, what_width(cols), _(h->what), 0, 0);
	return n + 2;
}

static int
max_top(const struct help_state *s)
{
	return s->total - s->rows > 0 ? s->total - s->rows : 0;
}

static int
help_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct help_state *s = state;
	(void)ctx;
	s->total = measure(s->for_keys, area->cols);
	s->rows = area->rows;
	if (s->top > max_top(s))
		s->top = max_top(s);
	return VIEW_REDRAW;
}

static int
help_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct help_state *s = state;
	help_load(s, ctx, area);
	if (cmd == CMD_BACK || cmd == CMD_HELP)
		return VIEW_BACK;
	return view_scroll(&s->top, cmd, area->rows, max_top(s)) ? VIEW_REDRAW : 0;
}

static void
help_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct help_state *s = state;
	pager_blank(w, area->y, area->rows);
	int line = 0; /* content line of what comes next */
	int end = area->rows;
#define ROW(l) (area->y + (l) - s->top)
#define SHOWN(l) ((l) >= s->top && (l) - s->top < end)
	if (SHOWN(0)) {
		ui_style(w, UI_HEADER, true);
		ui_put(w, ROW(0), KEYS_COL, area->cols - 4, _("Keys"));
		ui_style(w, UI_HEADER, false);
	}
	line = 2;
	for (const struct keys_help *h = keys_help(s->for_keys); h->keys; h++) {
		int n = ui_put_wrapped(NULL, 0, 0, what_width(area->cols), _(h->what), 0, 0);
		int skip = s->top > line ? s->top - line : 0;
		if (SHOWN(line))
			ui_put(w, ROW(line), KEYS_COL, KEYS_WIDTH, h->keys);
		if (skip < n && line + n > s->top && line - s->top < end) {
			int y = line > s->top ? ROW(line) : area->y;
			ui_put_wrapped(w, y, WHAT_COL, what_width(area->cols), _(h->what), skip,
			               area->y + area->rows - y);
		}
		line += n;
	}
	line++;
	if (SHOWN(line))
		ui_put(w, ROW(line), KEYS_COL, area->cols - 4,
		       _("Press q or Esc to close this help; j, k, Space and b scroll."));
#undef ROW
#undef SHOWN
}

static void
help_position(const void *state, char *buf, size_t size)
{
	const struct help_state *s = state;
	snprintf(buf, size, "%s%s%s", _("help"), s->top > 0 ? " ↑" : "",
	         s->top < max_top(s) ? " ↓" : "");
}

static void
help_free(void *state)
{
	free(state);
}

static const struct view_ops help_ops = {
	.keys = KEYS_HELP,
	.load = help_load,
	.handle = help_handle,
	.draw = help_draw,
	.position = help_position,
	.free = help_free,
};

struct view
view_help_new(enum keys_context for_keys)
{
	struct help_state *s = xcalloc(1, sizeof *s);
	s->for_keys = for_keys;
	s->rows = LINES - 2; /* the body; help_load measures again on a resize */
	s->total = measure(for_keys, COLS);
	return (struct view){&help_ops, s};
}
