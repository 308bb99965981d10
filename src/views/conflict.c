/* conflict.c: someone else changed the question while you were editing it.
 * Field by field: what it was when you began, what it is now, and yours.
 * r applies your change to the question as it is now (where you did not
 * change a field, theirs stays), d drops your change, Esc goes back to your
 * form with everything you typed.  The choice goes back to the form through
 * an answer (NAV_ANSWER) for the form underneath. */
#include "config.h"

#include "ui/screen.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <stdlib.h>
#include <string.h>

struct conflict_state {
	struct conflict_info info;
};

static int
conflict_key(void *state, struct view_ctx *ctx, int key, bool is_char, const struct view_area *area)
{
	(void)state, (void)area;
	char choice;
	if (is_char && (key == 'r' || key == 'R'))
		choice = 'r';
	else if (is_char && (key == 'd' || key == 'D'))
		choice = 'd';
	else if ((is_char && (key == 27 || key == 'q')) || key == KEY_LEFT)
		choice = 'e';
	else
		return VIEW_HANDLED;
	return VIEW_BACK | view_go(ctx, nav_answer(choice, NULL));
}

/* The lines a value takes in a column of width columns. */
static int
lines_of(const char *text, int width)
{
	int n = ui_put_wrapped(NULL, 0, 0, width, text, 0, 0);
	return n > 0 ? n : 1;
}

/* Field i at y: its label and the three values, each wrapped in its column
 * (the texts differ late as often as early), in at most max lines (at
 * least one).  Returns the lines it took. */
static int
draw_field(WINDOW *w, int y, int max, const struct conflict_info *c, int i, int wl, int wc)
{
	int h = lines_of(c->base[i], wc - 1);
	int now = lines_of(c->now[i], wc - 1), mine = lines_of(c->mine[i], wc - 1);
	h = now > h ? now : h;
	h = mine > h ? mine : h;
	if (h > max)
		h = max > 1 ? max : 1;
	ui_put(w, y, 1, wl - 1, c->label[i]);
	ui_put_wrapped(w, y, 1 + wl, wc - 1, c->base[i], 0, h);
	ui_style(w, UI_WARNING, strcmp(c->now[i], c->base[i]) != 0);
	ui_put_wrapped(w, y, 1 + wl + wc, wc - 1, c->now[i], 0, h);
	ui_style(w, UI_WARNING, false);
	ui_style(w, UI_SELECTED, strcmp(c->mine[i], c->base[i]) != 0);
	ui_put_wrapped(w, y, 1 + wl + 2 * wc, wc - 1, c->mine[i], 0, h);
	ui_style(w, UI_SELECTED, false);
	return h;
}

static void
conflict_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct conflict_state *s = state;
	const struct conflict_info *c = &s->info;
	for (int y = area->y; y < area->y + area->rows; y++) {
		wmove(w, y, 0);
		wclrtoeol(w);
	}
	int y = area->y;
	ui_style(w, UI_WARNING, true);
	char *head = xasprintf(_("Question %d was changed by %s at %s while you were editing it."),
	                       c->number, c->changed_by ? c->changed_by : "?",
	                       c->changed_at ? c->changed_at : "?");
	y += ui_put_wrapped(w, y, 1, area->cols - 2, head, 0, 2);
	free(head);
	ui_style(w, UI_WARNING, false);
	y++;
	int wl = 14, rest = area->cols - 2 - wl, wc = rest / 3;
	ui_style(w, UI_HEADER, true);
	ui_put(w, y, 1, wl - 1, _("Field"));
	ui_put(w, y, 1 + wl, wc - 1, _("When you began"));
	ui_put(w, y, 1 + wl + wc, wc - 1, _("Now"));
	ui_put(w, y, 1 + wl + 2 * wc, wc - 1, _("Yours"));
	ui_style(w, UI_HEADER, false);
	y++;
	int last = area->y + area->rows - 4; /* the lines that say r, d and Esc */
	for (int i = 0; i < c->n && y < last; i++)
		y += draw_field(w, y, last - y - (c->n - i - 1), c, i, wl, wc);
	y++;
	if (y < area->y + area->rows)
		ui_put(w, y++, 1, area->cols - 2,
		       _("r  apply your change to the question as it is now (theirs stays where you "
		         "changed nothing)"));
	if (y < area->y + area->rows)
		ui_put(w, y++, 1, area->cols - 2, _("d  drop your change and keep theirs"));
	if (y < area->y + area->rows)
		ui_put(w, y, 1, area->cols - 2, _("Esc  back to your form; nothing you typed is lost"));
}

static void
conflict_position(const void *state, char *buf, size_t size)
{
	(void)state;
	snprintf(buf, size, "%s", _("conflict"));
}

void
conflict_info_free(struct conflict_info *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->label[i]);
		free(c->base[i]);
		free(c->now[i]);
		free(c->mine[i]);
	}
	free(c->label), free(c->base), free(c->now), free(c->mine);
	free(c->changed_by), free(c->changed_at);
	memset(c, 0, sizeof *c);
}

static void
conflict_free(void *state)
{
	struct conflict_state *s = state;
	conflict_info_free(&s->info);
	free(s);
}

static const struct view_ops conflict_ops = {
	.keys = KEYS_CONFLICT,
	.key = conflict_key,
	.draw = conflict_draw,
	.position = conflict_position,
	.help_key = "", /* r, d and Esc are on the screen itself */
	.free = conflict_free,
};

struct view
view_conflict_new(struct conflict_info *info)
{
	struct conflict_state *s = xcalloc(1, sizeof *s);
	s->info = *info; /* taken over */
	memset(info, 0, sizeof *info);
	return (struct view){&conflict_ops, s};
}
