/* info.c: the first-line information pane.  After a question is saved it
 * suggests knowledge items for its topic and text (Dutch stemming, typos
 * tolerated); Space marks what was told to the client, Enter reads an item
 * whole, and leaving the pane records the marked items with their exact
 * versions (info_given). */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/knowledge.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/hits.h"
#include "views/pager.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct info_state {
	char question_id[40];
	int number;
	char *topic;
	char *text;
	struct knowledge_hits hits;
	bool *marked;
	bool loaded;
	struct pager pager; /* over hits */
	bool reading; /* the whole current item */
	int top;      /* first line shown while reading */
	/* what the intake form took out of the text (Ctrl-O), for the
	 * referral's contact form (r); owned, or NULL */
	struct form_values *moved;
};

static int
info_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	(void)area;
	struct info_state *s = state;
	if (s->loaded)
		return VIEW_REDRAW;
	struct db_error err = {0};
	if (!knowledge_suggest(ctx->db, s->topic, s->text, 8, &s->hits, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_BACK;
	}
	s->marked = xcalloc((size_t)(s->hits.count > 0 ? s->hits.count : 1), sizeof *s->marked);
	pager_set_items(&s->pager, s->hits.count, s->hits.count);
	s->loaded = true;
	return VIEW_REDRAW;
}

/* Leaving: store what was marked, in one statement. */
static int
finish(struct info_state *s, struct view_ctx *ctx)
{
	const char **ids = xcalloc((size_t)(s->hits.count > 0 ? s->hits.count : 1), sizeof *ids);
	int n = 0;
	for (int i = 0; i < s->hits.count; i++)
		if (s->marked[i])
			ids[n++] = s->hits.items[i].version_id;
	struct db_error err = {0};
	bool ok = knowledge_give(ctx->db, s->question_id, ids, n, &err);
	free(ids);
	if (!ok) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_REDRAW; /* stay: nothing marked is lost */
	}
	if (n > 0)
		view_message(ctx,
		             ngettext("Question %d: %d item of information recorded.",
		                      "Question %d: %d items of information recorded.", n),
		             s->number, n);
	ctx->stale = STALE_IN_PLACE;
	return VIEW_BACK;
}

static void
scroll_reading(struct info_state *s, enum command cmd, const struct view_area *area)
{
	char *all = knowledge_hit_text(&s->hits.items[pager_index(&s->pager)]);
	int lines = ui_put_wrapped(NULL, 0, 0, area->cols - 2, all, 0, 0);
	free(all);
	view_scroll(&s->top, cmd, area->rows, lines > area->rows ? lines - area->rows : 0);
}

static int
info_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct info_state *s = state;
	if (s->reading) {
		if (cmd == CMD_OPEN || cmd == CMD_BACK)
			s->reading = false;
		else if (cmd != CMD_DOWN && cmd != CMD_UP)
			return 0;
		else
			scroll_reading(s, cmd, area);
		return VIEW_REDRAW;
	}
	int i = pager_index(&s->pager);
	switch (cmd) {
	case CMD_DOWN:
	case CMD_UP:
		pager_command(&s->pager, cmd, s->hits.count);
		return VIEW_REDRAW;
	case CMD_MARK:
		if (i >= 0)
			s->marked[i] = !s->marked[i];
		return VIEW_REDRAW;
	case CMD_OPEN:
		s->reading = s->hits.count > 0;
		s->top = 0;
		return VIEW_REDRAW;
	case CMD_BACK: {
		int flags = finish(s, ctx);
		if ((flags & VIEW_BACK) && s->moved)
			view_message(ctx, "%s",
			             _("Not referred: what was taken out of the text is not stored."));
		return flags;
	}
	case CMD_REFER: {
		int flags = finish(s, ctx);
		if (!(flags & VIEW_BACK))
			return flags; /* nothing recorded: stay, nothing marked is lost */
		struct nav next = nav_form("referral", s->question_id, s->number);
		next.form.carry = s->moved;
		s->moved = NULL;
		return VIEW_BACK | view_go(ctx, next);
	}
	case CMD_SIGNAL:
		return view_go(ctx, nav_form("signal", s->question_id, s->number));
	case CMD_CATALOGUE:
		return view_go(ctx, nav_view(view_aanbod_new(s->question_id, s->number)));
	default:
		return 0;
	}
}

static void
draw_reading(const struct info_state *s, WINDOW *w, const struct view_area *area)
{
	char *all = knowledge_hit_text(&s->hits.items[pager_index(&s->pager)]);
	ui_put_wrapped(w, area->y, 1, area->cols - 2, all, s->top, area->rows);
	free(all);
}

static void
info_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct info_state *s = state;
	pager_blank(w, area->y, area->rows);
	if (s->reading && s->hits.count > 0) {
		draw_reading(s, w, area);
		return;
	}
	char *head = xasprintf(_("First-line information for question %d"), s->number);
	ui_style(w, UI_HEADER, true);
	ui_put(w, area->y, 1, area->cols - 2, head);
	ui_style(w, UI_HEADER, false);
	free(head);
	if (s->loaded && s->hits.count == 0)
		ui_put(w, area->y + 2, 2, area->cols - 4, _("No matching information found."));
	int list_rows = s->hits.count < area->rows / 2 ? s->hits.count : area->rows / 2;
	struct hit_row d = {&s->hits, area->cols, s->marked};
	pager_draw(&s->pager, w, area->y + 2, list_rows, knowledge_draw_hit, NULL, &d);
	if (s->hits.count > 0) {
		int y = area->y + 3 + list_rows;
		ui_style(w, UI_DIM, true);
		ui_put(w, y, 1, area->cols - 2, _("Tell the client:"));
		ui_style(w, UI_DIM, false);
		ui_put_wrapped(w, y + 1, 2, area->cols - 4,
		               s->hits.items[pager_index(&s->pager)].tell_client, 0,
		               area->y + area->rows - y - 1);
	}
}

static void
info_position(const void *state, char *buf, size_t size)
{
	const struct info_state *s = state;
	int n = 0;
	for (int i = 0; i < s->hits.count; i++)
		n += s->marked[i];
	snprintf(buf, size, _("%d marked"), n);
}

static void
info_free(void *state)
{
	struct info_state *s = state;
	knowledge_hits_free(&s->hits);
	free(s->marked);
	pager_free(&s->pager);
	free(s->topic);
	free(s->text);
	if (s->moved)
		form_values_clear(s->moved);
	free(s->moved);
	free(s);
}

static const struct view_ops info_ops = {
	.cancel = CANCEL_LOAD,
	.keys = KEYS_INFO,
	.title = N_("Questions of"),
	.load = info_load,
	.handle = info_handle,
	.draw = info_draw,
	.position = info_position,
	.free = info_free,
};

struct view
view_info_new(const char *question_id, int number, const char *topic, const char *text)
{
	struct info_state *s = xcalloc(1, sizeof *s);
	snprintf(s->question_id, sizeof s->question_id, "%s", question_id);
	s->number = number;
	s->topic = xstrdup(topic ? topic : "");
	s->text = xstrdup(text ? text : "");
	pager_init_array(&s->pager, 0, false);
	return (struct view){&info_ops, s};
}

void
view_info_carry(struct view v, struct form_values *moved)
{
	struct info_state *s = v.state;
	s->moved = moved;
}
