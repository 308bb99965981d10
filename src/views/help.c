/* help.c: the keys of the screen the user came from, and what they do. */
#include "config.h"

#include "ui/screen.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <stdlib.h>

struct help_state {
	enum keys_context for_keys;
};

static int
help_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	(void)state, (void)ctx, (void)area;
	return VIEW_REDRAW;
}

static int
help_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	(void)state, (void)ctx, (void)area;
	return cmd == CMD_BACK || cmd == CMD_HELP ? VIEW_BACK : VIEW_HANDLED;
}

static void
help_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct help_state *s = state;
	for (int y = area->y; y < area->y + area->rows; y++) {
		wmove(w, y, 0);
		wclrtoeol(w);
	}
	ui_style(w, UI_HEADER, true);
	ui_put(w, area->y + 1, 2, area->cols - 4, _("Keys"));
	ui_style(w, UI_HEADER, false);
	int y = area->y + 3;
	for (const struct keys_help *h = keys_help(s->for_keys); h->keys; h++, y++) {
		if (y >= area->y + area->rows - 1)
			break;
		ui_put(w, y, 2, 16, h->keys);
		ui_put(w, y, 19, area->cols - 21, _(h->what));
	}
	if (y + 1 < area->y + area->rows)
		ui_put(w, y + 1, 2, area->cols - 4, _("Press q or Esc to close this help."));
}

static const char *
help_position(const void *state)
{
	(void)state;
	return _("help");
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
	struct view v = {&help_ops, s};
	return v;
}
