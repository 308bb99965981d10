/* pager.c: the one paged list (pager.h).  The rows on screen are all it
 * holds; moving past either edge asks the source for the rows beyond,
 * from the edge row's key, and drops as many from the other side. */
#include "config.h"

#include "util/xalloc.h"
#include "views/pager.h"

#include <stdlib.h>
#include <string.h>

static char *
at(const struct pager *p, int i)
{
	return p->rows + (size_t)i * p->src->row_size;
}

static void
release(const struct pager *p, char *rows, int from, int to)
{
	if (p->src->free_row)
		for (int i = from; i < to; i++)
			p->src->free_row(rows + (size_t)i * p->src->row_size);
}

static bool
fetch(struct pager *p, const void *key, enum pager_dir dir, int limit, struct pager_rows *out)
{
	memset(out, 0, sizeof *out);
	if (limit < 1)
		limit = 1;
	return p->src->fetch(p->data, key, dir, limit, out);
}

/* The fetched rows replace the ones on screen. */
static void
take(struct pager *p, struct pager_rows *r)
{
	release(p, p->rows, 0, p->count);
	free(p->rows);
	p->rows = r->rows;
	p->count = r->count;
	r->rows = NULL;
	r->count = 0;
	p->loaded = true;
}

static void
clamp(struct pager *p)
{
	if (p->scroll || p->cursor < 0)
		p->cursor = 0;
	if (p->cursor >= p->count)
		p->cursor = p->count > 0 ? p->count - 1 : 0;
}

/* Drop n rows from the top (or the bottom). */
static void
drop(struct pager *p, int n, bool top)
{
	if (n <= 0)
		return;
	if (top) {
		release(p, p->rows, 0, n);
		memmove(p->rows, at(p, n), (size_t)(p->count - n) * p->src->row_size);
		p->cursor -= n;
		p->more_above = true;
	} else {
		release(p, p->rows, p->count - n, p->count);
		p->more_below = true;
	}
	p->count -= n;
	clamp(p);
}

void
pager_init(struct pager *p, const struct pager_source *src, void *data)
{
	memset(p, 0, sizeof *p);
	p->src = src;
	p->data = data;
}

void
pager_clear(struct pager *p)
{
	if (p->rows)
		release(p, p->rows, 0, p->count);
	free(p->rows);
	p->rows = NULL;
	p->count = p->cursor = 0;
	p->more_above = p->more_below = p->loaded = false;
}

void
pager_free(struct pager *p)
{
	pager_clear(p);
	search_terms_clear(&p->marks);
}

void
pager_search(struct pager *p, const char *query)
{
	search_terms_parse(&p->marks, query);
}

bool
pager_load_end(struct pager *p, bool last, int page)
{
	struct pager_rows r;
	if (!fetch(p, NULL, last ? PAGER_LAST : PAGER_FIRST, page, &r))
		return false;
	take(p, &r);
	p->more_below = !last && r.more;
	p->more_above = last && r.more;
	p->cursor = last ? p->count - 1 : 0;
	clamp(p);
	return true;
}

/* Add fetched rows below (or above) the ones on screen, then drop as many
 * from the other side as it takes to keep at most `keep`. */
static void
splice(struct pager *p, struct pager_rows *r, bool below, int keep)
{
	size_t size = p->src->row_size;
	int n = p->count + r->count;
	char *rows = xcalloc((size_t)(n > 0 ? n : 1), size);
	char *old = below ? rows : rows + (size_t)r->count * size;
	char *added = below ? rows + (size_t)p->count * size : rows;
	if (p->count)
		memcpy(old, p->rows, (size_t)p->count * size);
	if (r->count)
		memcpy(added, r->rows, (size_t)r->count * size);
	if (!below)
		p->cursor += r->count;
	free(p->rows);
	free(r->rows);
	r->rows = NULL;
	p->rows = rows;
	p->count = n;
	drop(p, n > keep ? n - keep : 0, below);
	clamp(p);
}

/* Fetch `limit` rows beyond one edge and splice them in. */
static bool
extend(struct pager *p, bool below, int limit, int keep)
{
	if (p->count == 0)
		return pager_load_end(p, below, keep);
	struct pager_rows r;
	const void *edge = below ? at(p, p->count - 1) : at(p, 0);
	if (!fetch(p, edge, below ? PAGER_AFTER : PAGER_BEFORE, limit, &r))
		return false;
	if (below)
		p->more_below = r.more;
	else
		p->more_above = r.more;
	splice(p, &r, below, keep);
	return true;
}

/* The rows fetched replace the page; the cursor goes to the row that is
 * the same as `was` when there is one, else stays at old_cursor. */
static void
take_keeping(struct pager *p, struct pager_rows *r, const void *was, int old_cursor)
{
	int found = -1;
	size_t size = p->src->row_size;
	for (int i = 0; was && p->src->same && i < r->count && found < 0; i++)
		if (p->src->same((char *)r->rows + (size_t)i * size, was))
			found = i;
	take(p, r);
	p->more_below = r->more;
	p->cursor = found >= 0 ? found : old_cursor;
	clamp(p);
}

void
pager_reload(struct pager *p, int page)
{
	if (p->count == 0) {
		pager_load_end(p, false, page);
		return;
	}
	struct pager_rows r;
	if (!fetch(p, p->more_above ? at(p, 0) : NULL, p->more_above ? PAGER_AT : PAGER_FIRST, page,
	           &r))
		return;
	take_keeping(p, &r, at(p, p->cursor), p->cursor);
	if (p->count < page && p->more_above)
		extend(p, false, page - p->count, page);
}

void
pager_show(struct pager *p, const void *key, int page)
{
	struct pager_rows r;
	if (!fetch(p, key, PAGER_AT, page, &r))
		return;
	bool first = r.first;
	take_keeping(p, &r, key, 0);
	p->more_above = !first; /* when the source does not say: the next Up asks */
	if (p->count < page)
		extend(p, false, page - p->count, page);
}

void
pager_resize(struct pager *p, int page)
{
	if (p->count > page) {
		/* trim the top so the cursor stays visible, then the bottom */
		drop(p, p->cursor >= page ? p->cursor - page + 1 : 0, true);
		drop(p, p->count - page, false);
	} else if (p->count < page) {
		if (p->more_below)
			extend(p, true, page - p->count, page);
		if (p->count < page && p->more_above)
			extend(p, false, page - p->count, page);
	}
}

static void
move_line(struct pager *p, int delta, int page)
{
	int target = p->cursor + delta;
	if (!p->scroll && target >= 0 && target < p->count) {
		p->cursor = target;
		return;
	}
	bool below = delta > 0;
	if (below ? p->more_below : p->more_above)
		extend(p, below, 1, page);
	if (!p->scroll)
		p->cursor = below ? p->count - 1 : 0;
}

/* A page further: the rows after the last ones (before the first), a text
 * keeping `overlap` of them; near an end, a full page of that end. */
static void
move_page(struct pager *p, bool below, int page)
{
	if (!(below ? p->more_below : p->more_above)) {
		p->cursor = below ? p->count - 1 : 0;
		clamp(p);
		return;
	}
	int keep = p->overlap < p->count ? p->overlap : p->count - 1;
	const void *edge = below ? at(p, p->count - 1 - keep) : at(p, keep);
	struct pager_rows r;
	if (!fetch(p, edge, below ? PAGER_AFTER : PAGER_BEFORE, page, &r))
		return;
	if (r.count < page) {
		release(p, r.rows, 0, r.count);
		free(r.rows);
		pager_load_end(p, below, page);
		return;
	}
	int cursor = p->cursor;
	take(p, &r);
	p->more_below = below ? r.more : true;
	p->more_above = below ? true : r.more;
	p->cursor = cursor;
	clamp(p);
}

bool
pager_command(struct pager *p, enum command cmd, int page)
{
	switch (cmd) {
	case CMD_DOWN:
	case CMD_UP:
		move_line(p, cmd == CMD_DOWN ? 1 : -1, page);
		return true;
	case CMD_PAGE_DOWN:
	case CMD_PAGE_UP:
		move_page(p, cmd == CMD_PAGE_DOWN, page);
		return true;
	case CMD_FIRST:
	case CMD_LAST:
		pager_load_end(p, cmd == CMD_LAST, page);
		return true;
	default:
		return false;
	}
}

enum command
pager_key_command(int key)
{
	switch (key) {
	case KEY_DOWN: return CMD_DOWN;
	case KEY_UP: return CMD_UP;
	case KEY_NPAGE: return CMD_PAGE_DOWN;
	case KEY_PPAGE: return CMD_PAGE_UP;
	case KEY_HOME: return CMD_FIRST;
	case KEY_END: return CMD_LAST;
	default: return CMD_NONE;
	}
}

const void *
pager_row(const struct pager *p, int i)
{
	return i >= 0 && i < p->count ? at(p, i) : NULL;
}

const void *
pager_current(const struct pager *p)
{
	return pager_row(p, p->cursor);
}

int
pager_index(const struct pager *p)
{
	const int *i = pager_current(p);
	return i ? *i : -1;
}

/* ---- a source over an array: the rows are indices ---------------------- */

static bool
array_fetch(void *data, const void *key, enum pager_dir dir, int limit, struct pager_rows *out)
{
	const struct pager *p = data;
	int k = key ? *(const int *)key : 0, from = 0, to = 0; /* [from, to) */
	switch (dir) {
	case PAGER_FIRST: from = 0, to = limit; break;
	case PAGER_LAST: from = p->items - limit, to = p->items; break;
	case PAGER_AFTER: from = k + 1, to = k + 1 + limit; break;
	case PAGER_BEFORE: from = k - limit, to = k; break;
	case PAGER_AT: from = k, to = k + limit; break;
	}
	bool up = dir == PAGER_LAST || dir == PAGER_BEFORE;
	out->more = up ? from > 0 : to < p->items;
	out->first = from <= 0;
	from = from < 0 ? 0 : from;
	to = to > p->items ? p->items : to;
	out->count = to > from ? to - from : 0;
	int *rows = xcalloc((size_t)(out->count > 0 ? out->count : 1), sizeof *rows);
	for (int i = 0; i < out->count; i++)
		rows[i] = from + i;
	out->rows = rows;
	return true;
}

static const struct pager_source array_source = {
	.row_size = sizeof(int),
	.fetch = array_fetch,
};

void
pager_init_array(struct pager *p, int n, bool scroll)
{
	pager_init(p, &array_source, p);
	p->items = n;
	p->scroll = scroll;
	p->overlap = scroll ? 1 : 0;
}

void
pager_set_items(struct pager *p, int n, int page)
{
	int top = p->count > 0 ? *(int *)at(p, 0) : 0;
	int cursor = p->cursor;
	p->items = n;
	struct pager_rows r;
	array_fetch(p, &top, PAGER_AT, p->count > page ? p->count : page, &r);
	take(p, &r);
	p->more_above = top > 0;
	p->more_below = r.more;
	p->cursor = cursor;
	clamp(p);
	pager_resize(p, page);
}

/* ---- drawing ----------------------------------------------------------- */

void
pager_blank(WINDOW *w, int y, int rows)
{
	for (int i = y; i < y + rows; i++) {
		wmove(w, i, 0);
		wclrtoeol(w);
	}
}

void
pager_draw(const struct pager *p, WINDOW *w, int y, int rows, pager_draw_fn draw,
           pager_look_fn look, const void *view)
{
	for (int i = 0; i < rows; i++) {
		if (i >= p->count) {
			pager_blank(w, y + i, 1);
			continue;
		}
		enum ui_style style = !p->scroll && i == p->cursor ? UI_SELECTED
		                      : look                       ? look(view, at(p, i))
		                                                   : UI_NORMAL;
		if (style != UI_NORMAL)
			ui_style(w, style, true);
		draw(view, w, y + i, at(p, i), &p->marks);
		if (style != UI_NORMAL)
			ui_style(w, style, false);
	}
}
