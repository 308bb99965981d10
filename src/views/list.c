/* list.c: the case list — the organisation's questions, newest first, read
 * with keyset pagination: the view holds only the rows on screen and fetches
 * the next ones from the first or last row's key as the cursor moves. */
#include "config.h"

#include "db/db.h"
#include "model/question.h"
#include "model/session.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_state {
	struct question_row *rows; /* newest first, at most the rows on screen */
	int count;
	int cursor;
	bool more_newer; /* rows exist above the first one */
	bool more_older; /* rows exist below the last one */
	bool loaded;
	bool show_org; /* the role sees other organisations' questions */
	char *search;  /* Dutch full-text search, or NULL for all questions */
	char pos[64];
};

/* Rows for questions: the area minus the column header. */
static int
page_rows(const struct view_area *area)
{
	return area->rows > 1 ? area->rows - 1 : 1;
}

static void
free_rows(struct question_row *rows, int n)
{
	for (int i = 0; i < n; i++)
		question_row_free(&rows[i]);
	free(rows);
}

/* Fetch up to limit rows next to key (or at an end); false with the error
 * shown in the status bar. */
static bool
fetch(const struct list_state *s, struct view_ctx *ctx, const struct question_row *from,
      enum question_dir dir, int limit, struct question_page *out)
{
	struct question_key key = {0};
	if (from)
		question_key_of(from, &key);
	struct db_error err = {0};
	struct question_filter filter = {NULL, s->search};
	bool ok = question_page(ctx->db, &filter, from ? &key : NULL, dir, limit, out, &err);
	question_key_free(&key);
	if (!ok) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
	}
	return ok;
}

/* Replace the rows with a page fetched from one end. */
static bool
load_end(struct list_state *s, struct view_ctx *ctx, enum question_dir dir, int limit)
{
	struct question_page p = {0};
	if (!fetch(s, ctx, NULL, dir, limit, &p))
		return false;
	free_rows(s->rows, s->count);
	s->rows = p.rows;
	s->count = p.count;
	s->loaded = true;
	s->more_older = dir == QUESTION_NEWEST && p.more;
	s->more_newer = dir == QUESTION_OLDEST && p.more;
	s->cursor = dir == QUESTION_NEWEST ? 0 : (s->count > 0 ? s->count - 1 : 0);
	return true;
}

/* Add fetched rows below (older) or above (newer) the current ones, then
 * drop as many from the other side as needed to keep at most `keep` rows. */
static void
splice(struct list_state *s, struct question_page *p, bool older, int keep)
{
	int n = s->count + p->count;
	struct question_row *rows = xcalloc((size_t)(n > 0 ? n : 1), sizeof *rows);
	if (older) {
		if (s->count)
			memcpy(rows, s->rows, (size_t)s->count * sizeof *rows);
		if (p->count)
			memcpy(rows + s->count, p->rows, (size_t)p->count * sizeof *rows);
	} else {
		if (p->count)
			memcpy(rows, p->rows, (size_t)p->count * sizeof *rows);
		if (s->count)
			memcpy(rows + p->count, s->rows, (size_t)s->count * sizeof *rows);
		s->cursor += p->count;
	}
	free(s->rows);
	free(p->rows);
	p->rows = NULL;
	p->count = 0;
	int drop = n > keep ? n - keep : 0;
	if (older) { /* drop from the top */
		for (int i = 0; i < drop; i++)
			question_row_free(&rows[i]);
		memmove(rows, rows + drop, (size_t)(n - drop) * sizeof *rows);
		s->cursor -= drop;
		if (drop)
			s->more_newer = true;
	} else { /* drop from the bottom */
		for (int i = n - drop; i < n; i++)
			question_row_free(&rows[i]);
		if (drop)
			s->more_older = true;
	}
	s->rows = rows;
	s->count = n - drop;
	if (s->cursor < 0)
		s->cursor = 0;
	if (s->cursor >= s->count)
		s->cursor = s->count > 0 ? s->count - 1 : 0;
}

/* Fetch `limit` rows beyond one edge and splice them in. */
static bool
extend(struct list_state *s, struct view_ctx *ctx, bool older, int limit, int keep)
{
	if (s->count == 0)
		return load_end(s, ctx, older ? QUESTION_OLDEST : QUESTION_NEWEST, keep);
	struct question_page p = {0};
	const struct question_row *edge = older ? &s->rows[s->count - 1] : &s->rows[0];
	if (!fetch(s, ctx, edge, older ? QUESTION_OLDER : QUESTION_NEWER, limit, &p))
		return false;
	if (older)
		s->more_older = p.more;
	else
		s->more_newer = p.more;
	splice(s, &p, older, keep);
	question_page_free(&p);
	return true;
}

/* Something changed on a question (information given, a referral): read
 * the same page again, from its first row, with the cursor on the same
 * question.  At the top, read from the newest so colleagues' new questions
 * show up too. */
static void
reload_in_place(struct list_state *s, struct view_ctx *ctx, int want)
{
	char id[UUID_STR_LEN];
	snprintf(id, sizeof id, "%s", s->rows[s->cursor].id);
	int old_cursor = s->cursor;
	struct question_page p = {0};
	if (!fetch(s, ctx, s->more_newer ? &s->rows[0] : NULL,
	           s->more_newer ? QUESTION_AT : QUESTION_NEWEST, want, &p))
		return;
	free_rows(s->rows, s->count);
	s->rows = p.rows;
	s->count = p.count;
	s->more_older = p.more;
	s->cursor = old_cursor < s->count ? old_cursor : (s->count > 0 ? s->count - 1 : 0);
	for (int i = 0; i < s->count; i++)
		if (strcmp(s->rows[i].id, id) == 0)
			s->cursor = i;
	if (s->count < want && s->more_newer)
		extend(s, ctx, false, want - s->count, want);
}

static int
list_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct list_state *s = state;
	int want = page_rows(area);
	if (s->loaded && ctx->stale) {
		bool top = ctx->stale == STALE_FROM_TOP;
		ctx->stale = STALE_NO;
		if (top || s->count == 0)
			load_end(s, ctx, QUESTION_NEWEST, want);
		else
			reload_in_place(s, ctx, want);
		return VIEW_REDRAW;
	}
	if (!s->loaded) {
		const struct session *who = ctx->session;
		s->show_org = !who->organisation || session_has_role(who, "central");
		load_end(s, ctx, QUESTION_NEWEST, want);
		return VIEW_REDRAW;
	}
	/* A resize: keep the cursor's question on screen, fill or trim. */
	if (s->count > want) {
		int from_top = s->cursor >= want ? s->cursor - want + 1 : 0;
		struct question_page none = {0};
		if (from_top > 0) {
			/* trim the top so the cursor stays visible, then the bottom */
			for (int i = 0; i < from_top; i++)
				question_row_free(&s->rows[i]);
			memmove(s->rows, s->rows + from_top,
			        (size_t)(s->count - from_top) * sizeof *s->rows);
			s->count -= from_top;
			s->cursor -= from_top;
			s->more_newer = true;
		}
		splice(s, &none, false, want);
	} else if (s->count < want) {
		if (s->more_older)
			extend(s, ctx, true, want - s->count, want);
		if (s->count < want && s->more_newer)
			extend(s, ctx, false, want - s->count, want);
	}
	return VIEW_REDRAW;
}

static int
move_line(struct list_state *s, struct view_ctx *ctx, int delta, int want)
{
	int target = s->cursor + delta;
	if (target >= 0 && target < s->count) {
		s->cursor = target;
		return VIEW_REDRAW;
	}
	bool older = delta > 0;
	if (older ? s->more_older : s->more_newer)
		extend(s, ctx, older, 1, want);
	s->cursor = older ? s->count - 1 : 0;
	return VIEW_REDRAW;
}

static int
move_page(struct list_state *s, struct view_ctx *ctx, bool older, int want)
{
	if (!(older ? s->more_older : s->more_newer)) {
		s->cursor = older ? (s->count > 0 ? s->count - 1 : 0) : 0;
		return VIEW_REDRAW;
	}
	int keep_cursor = s->cursor;
	struct question_page p = {0};
	const struct question_row *edge = older ? &s->rows[s->count - 1] : &s->rows[0];
	if (!fetch(s, ctx, edge, older ? QUESTION_OLDER : QUESTION_NEWER, want, &p))
		return VIEW_REDRAW;
	if (p.count < want) {
		/* near an end: show a full screen of that end instead */
		question_page_free(&p);
		load_end(s, ctx, older ? QUESTION_OLDEST : QUESTION_NEWEST, want);
		return VIEW_REDRAW;
	}
	free_rows(s->rows, s->count);
	s->rows = p.rows;
	s->count = p.count;
	if (older) {
		s->more_older = p.more;
		s->more_newer = true;
	} else {
		s->more_newer = p.more;
		s->more_older = true;
	}
	s->cursor = keep_cursor < s->count ? keep_cursor : s->count - 1;
	return VIEW_REDRAW;
}

static int
list_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct list_state *s = state;
	int want = page_rows(area);
	switch (cmd) {
	case CMD_DOWN:
		return move_line(s, ctx, 1, want);
	case CMD_UP:
		return move_line(s, ctx, -1, want);
	case CMD_PAGE_DOWN:
		return move_page(s, ctx, true, want);
	case CMD_PAGE_UP:
		return move_page(s, ctx, false, want);
	case CMD_FIRST:
		load_end(s, ctx, QUESTION_NEWEST, want);
		return VIEW_REDRAW;
	case CMD_LAST:
		load_end(s, ctx, QUESTION_OLDEST, want);
		return VIEW_REDRAW;
	case CMD_OPEN:
		if (s->count == 0)
			return VIEW_HANDLED;
		return view_go(ctx, nav_question(s->rows[s->cursor].number));
	case CMD_QUIT: /* the central point's q goes back to its inbox first */
		if (session_has_role(ctx->session, "central"))
			return view_go(ctx, nav_view(view_inbox_new()));
		return VIEW_QUIT;
	case CMD_NEW: /* n is a new question, also after a search (j, k move) */
		return view_go(ctx, nav_form("intake", "", 0));
	case CMD_SIGNAL:
		if (s->count == 0)
			return view_go(ctx, nav_form("signal", "", 0));
		return view_go(ctx, nav_form("signal", s->rows[s->cursor].id, s->rows[s->cursor].number));
	case CMD_REFER:
		if (s->count == 0)
			return VIEW_HANDLED;
		return view_go(ctx, nav_form("referral", s->rows[s->cursor].id, s->rows[s->cursor].number));
	default:
		return 0;
	}
}

/* Column layout: number, date, status, topic (if room), question text. */
/* The columns, left to right; a width of 0 hides a column. */
enum column { COL_NUMBER, COL_DATE, COL_STATUS, COL_ORG, COL_TOPIC, COL_TEXT, NCOLUMNS };

/* Widths for the terminal: the text takes what is left.  The organisation
 * is shown to those who see more than their own (central point, region). */
static void
layout(int cols, bool show_org, int width[NCOLUMNS])
{
	width[COL_NUMBER] = 9;
	width[COL_DATE] = 17;
	width[COL_STATUS] = cols >= 64 ? 17 : 0; /* "● teruggekoppeld" */
	width[COL_ORG] = show_org && cols >= 72 ? 8 : 0;
	width[COL_TOPIC] = cols >= 90 ? 15 : 0;
	int used = 0;
	for (int i = 0; i < COL_TEXT; i++)
		used += width[i];
	width[COL_TEXT] = cols - used > 10 ? cols - used : 10;
}

static void
draw_cells(WINDOW *w, int y, const int width[NCOLUMNS], const char *const text[NCOLUMNS])
{
	for (int i = 0, x = 0; i < NCOLUMNS; x += width[i], i++)
		if (width[i] > 0)
			ui_put_line(w, y, x, width[i], text[i]);
}

static void
draw_row(WINDOW *w, int y, const int width[NCOLUMNS], const struct question_row *r)
{
	char num[16], when[32];
	snprintf(num, sizeof num, "%d", r->number);
	view_time(r->created, when, sizeof when);
	/* the central point's news on a referral shows in the status column, marked
	 * until the question is opened */
	const char *status = view_status_label(r->status);
	if (r->referral_status && strcmp(r->referral_status, "completed") == 0)
		status = _("reported back");
	else if (r->referral_status && strcmp(r->referral_status, "returned") == 0)
		status = _("sent back");
	else if (r->referral_overdue)
		status = _("overdue");
	else if (r->referral_status && (strcmp(r->referral_status, "accepted") == 0 ||
	                                strcmp(r->referral_status, "in_progress") == 0))
		status = _("picked up");
	char shown[64];
	snprintf(shown, sizeof shown, "%s%s", r->referral_unseen ? "● " : "", status);
	const char *text[NCOLUMNS] = {num, when, shown, r->organisation, r->topic, r->text};
	draw_cells(w, y, width, text);
}

static void
draw_header(WINDOW *w, int y, const int width[NCOLUMNS])
{
	const char *text[NCOLUMNS] = {_("No."),   _("Registered"), _("Status"),
	                              _("Org."),  _("Topic"),      _("Question")};
	ui_style(w, UI_HEADER, true);
	draw_cells(w, y, width, text);
	ui_style(w, UI_HEADER, false);
}

static void
list_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct list_state *s = state;
	int width[NCOLUMNS];
	layout(area->cols, s->show_org, width);
	draw_header(w, area->y, width);
	for (int i = 0; i < page_rows(area); i++) {
		int y = area->y + 1 + i;
		if (i >= s->count) {
			wmove(w, y, 0);
			wclrtoeol(w);
			continue;
		}
		/* overdue referrals are highlighted, as in the central point's inbox */
		enum ui_style look = i == s->cursor ? UI_SELECTED
		                     : s->rows[i].referral_overdue ? UI_WARNING : UI_NORMAL;
		if (look != UI_NORMAL)
			ui_style(w, look, true);
		draw_row(w, y, width, &s->rows[i]);
		if (look != UI_NORMAL)
			ui_style(w, look, false);
	}
	if (s->loaded && s->count == 0 && s->search) {
		char *none = xasprintf(_("No question matches '%s'. Press / and Enter to show all."),
		                       s->search);
		ui_put_wrapped(w, area->y + 2, 2, area->cols - 4, none, 0, area->rows - 2);
		free(none);
	} else if (s->loaded && s->count == 0) {
		ui_put(w, area->y + 2, 2, area->cols - 4,
		       _("No questions yet. Questions your organisation registers appear here."));
	}
}

static const char *
list_position(const void *state)
{
	struct list_state *s = (struct list_state *)state;
	if (s->count == 0)
		return s->search ? _("no match") : "";
	snprintf(s->pos, sizeof s->pos, "%s%s%d–%d%s", s->search ? "/ " : "",
	         s->more_newer ? "↑ " : "", s->rows[0].number, s->rows[s->count - 1].number,
	         s->more_older ? " ↓" : "");
	return s->pos;
}

/* Show only the questions that match text (Dutch full text); "" shows all. */
static void
list_search(void *state, struct view_ctx *ctx, const char *text, const struct view_area *area)
{
	struct list_state *s = state;
	free(s->search);
	s->search = text && *text ? xstrdup(text) : NULL;
	load_end(s, ctx, QUESTION_NEWEST, page_rows(area));
	if (s->search && s->count == 0)
		view_message(ctx, _("No question matches '%s'."), s->search);
}

/* Referral news: read the page again where it is. */
static int
list_news(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	ctx->stale = STALE_IN_PLACE;
	return list_load(state, ctx, area);
}

static void
list_free(void *state)
{
	struct list_state *s = state;
	free_rows(s->rows, s->count);
	free(s->search);
	free(s);
}

static const struct view_ops list_ops = {
	.keys = KEYS_LIST,
	.title = N_("Questions of"),
	.load = list_load,
	.handle = list_handle,
	.news = list_news,
	.search = list_search,
	.draw = list_draw,
	.position = list_position,
	.free = list_free,
};

struct view
view_list_new(void)
{
	struct view v = {&list_ops, xcalloc(1, sizeof(struct list_state))};
	return v;
}
