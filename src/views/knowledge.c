/* knowledge.c: the knowledge base browser (k): search as you type (Dutch
 * stemming, typos tolerated), read an item whole.  Every key typed changes
 * the query and asks the database again; the list never holds more than one
 * screen of items. */
#include "config.h"

#include "db/db.h"
#include "model/knowledge.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/hits.h"
#include "views/pager.h"
#include "views/searchline.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kb_state {
	struct strbuf query;
	struct knowledge_hits hits;
	struct pager pager; /* over hits */
	bool reading;
	int top;
	bool stale; /* the query changed since the last search */
};

/* One screen of hits: half the area, at least 3. */
static int
page_rows(const struct view_area *area)
{
	return area->rows / 2 > 3 ? area->rows / 2 : 3;
}

static const struct knowledge_hit *
current(const struct kb_state *s)
{
	int i = pager_index(&s->pager);
	return i >= 0 ? &s->hits.items[i] : NULL;
}

static void
search(struct kb_state *s, struct view_ctx *ctx, int limit)
{
	knowledge_hits_free(&s->hits);
	struct db_error err = {0};
	bool ok = knowledge_suggest(ctx->db, NULL, s->query.buf ? s->query.buf : "", limit,
	                            &s->hits, &err);
	bool cancelled = !ok && err.cancelled;
	if (!ok)
		view_db_error(ctx, &err);
	db_error_clear(&err);
	pager_clear(&s->pager);
	pager_set_items(&s->pager, s->hits.count, limit);
	pager_search(&s->pager, s->query.buf);
	s->stale = cancelled; /* a key cancelled it: the next key searches again */
}

/* Search; when the view comes back (after a signal form, a resize) the
 * same item stays selected, and read where it was. */
static int
kb_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct kb_state *s = state;
	char *item = current(s) ? xstrdup(current(s)->item_id) : NULL;
	search(s, ctx, page_rows(area));
	bool found = false;
	for (int i = 0; item && i < s->hits.count; i++)
		if (strcmp(s->hits.items[i].item_id, item) == 0) {
			pager_show(&s->pager, &i, page_rows(area));
			found = true;
		}
	if (item && !found && s->hits.count > 0)
		s->reading = false; /* it is gone from the results: back to the list */
	free(item);
	return VIEW_REDRAW;
}


char *
knowledge_hit_text(const struct knowledge_hit *h)
{
	return xasprintf("%s\n\n%s\n\n%s\n\n%s %s   %s", h->title, h->tell_client, h->body,
	                 _("Review by"), h->review_by, h->link);
}

static void
scroll_reading(struct kb_state *s, enum command cmd, const struct view_area *area)
{
	char *all = knowledge_hit_text(current(s));
	int lines = ui_put_wrapped(NULL, 0, 0, area->cols - 2, all, 0, 0);
	free(all);
	view_scroll(&s->top, cmd, area->rows, lines > area->rows ? lines - area->rows : 0);
}

static int
kb_key(void *state, struct view_ctx *ctx, int key, bool is_char, const struct view_area *area)
{
	struct kb_state *s = state;
	if (s->reading) {
		if (is_char && key == 's') { /* a signal: this item did not answer the question */
			return view_go(ctx, nav_form("signal", "", 0));
		}
		if (key == 27 || (is_char && (key == '\n' || key == '\r' || key == 'q')) ||
		    key == KEY_ENTER)
			s->reading = false;
		else
			scroll_reading(s, pager_key_command(key), area);
		return VIEW_REDRAW;
	}
	if (is_char && key == 27)
		return VIEW_BACK;
	if ((is_char && (key == '\n' || key == '\r')) || key == KEY_ENTER) {
		if (s->stale) /* the results of what was typed, not of before */
			search(s, ctx, page_rows(area));
		s->reading = s->hits.count > 0 && !s->stale;
		s->top = 0;
		return VIEW_REDRAW;
	}
	if (key == KEY_DOWN || key == KEY_UP)
		pager_command(&s->pager, pager_key_command(key), page_rows(area));
	else if (key == KEY_F(1))
		return VIEW_HELP;
	else if (search_line_key(&s->query, key, is_char))
		s->stale = true;
	/* the letter shows first, then kb_load searches (a key cancels it) */
	return s->stale ? VIEW_REDRAW | VIEW_LOAD : VIEW_REDRAW;
}

void
knowledge_draw_hit(const void *view, WINDOW *w, int y, const void *row,
                   const struct search_terms *marks)
{
	const struct hit_row *d = view;
	int i = *(const int *)row;
	const struct knowledge_hit *h = &d->hits->items[i];
	char *t = xasprintf("%s%s%s", d->marked ? (d->marked[i] ? "[x] " : "[ ] ") : "", h->title,
	                    h->past_review ? _("  (past its review date)") : "");
	ui_put_marked(w, y, 1, d->cols - 2, t, marks); /* the words searched for */
	free(t);
}

static void
kb_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct kb_state *s = state;
	pager_blank(w, area->y, area->rows);
	if (s->reading && s->hits.count > 0) {
		char *all = knowledge_hit_text(current(s));
		ui_put_wrapped(w, area->y, 1, area->cols - 2, all, s->top, area->rows);
		free(all);
		return;
	}
	search_line_draw(w, area->y, 1, area->cols - 2, s->query.buf);
	int rows = s->pager.count < area->rows / 2 ? s->pager.count : area->rows / 2;
	struct hit_row d = {&s->hits, area->cols, NULL};
	pager_draw(&s->pager, w, area->y + 2, rows, knowledge_draw_hit, NULL, &d);
	if (s->hits.count == 0 && !s->stale) /* (stale: the search has not answered yet) */
		ui_put(w, area->y + 2, 2, area->cols - 4, _("No matching information found."));
	else if (s->hits.count > 0)
		ui_put_wrapped(w, area->y + 3 + rows, 2, area->cols - 4, current(s)->tell_client, 0,
		               area->rows - rows - 3);
}

static void
kb_cursor(const void *state)
{
	const struct kb_state *s = state;
	if (s->reading)
		return;
	search_line_cursor(1, 1, COLS - 2, s->query.buf);
}

static void
kb_position(const void *state, char *buf, size_t size)
{
	const struct kb_state *s = state;
	if (s->stale) /* what was typed has not been searched yet */
		snprintf(buf, size, "…");
	else
		snprintf(buf, size, _("%d found"), s->hits.count);
}

static void
kb_free(void *state)
{
	struct kb_state *s = state;
	strbuf_free(&s->query);
	knowledge_hits_free(&s->hits);
	pager_free(&s->pager);
	free(s);
}

static const struct view_ops kb_ops = {
	.cancel = CANCEL_KEYS,
	.keys = KEYS_KNOWLEDGE,
	.title = N_("Knowledge base of"),
	.regional = true,
	.load = kb_load,
	.key = kb_key,
	.draw = kb_draw,
	.cursor = kb_cursor,
	.position = kb_position,
	.free = kb_free,
};

struct view
view_knowledge_new(void)
{
	struct kb_state *s = xcalloc(1, sizeof *s);
	strbuf_init(&s->query);
	pager_init_array(&s->pager, 0, false);
	return (struct view){&kb_ops, s};
}
