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
#include "views/pager.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct list_state {
	struct pager pager; /* rows: struct question_row, newest first */
	struct view_ctx *ctx; /* while a handler runs: for the source */
	bool show_org; /* the role sees other organisations' questions */
	char *search;  /* Dutch full-text search, or NULL for all questions */
};

/* Rows for questions: the area minus the column header. */
static int
page_rows(const struct view_area *area)
{
	return area->rows > 1 ? area->rows - 1 : 1;
}

/* The pager's source: up to limit questions next to key (or at an end);
 * false with the error shown in the status bar. */
static bool
fetch(void *data, const void *from, enum pager_dir dir, int limit, struct pager_rows *out)
{
	static const enum question_dir dirs[] = {
		[PAGER_FIRST] = QUESTION_NEWEST, [PAGER_LAST] = QUESTION_OLDEST,
		[PAGER_AFTER] = QUESTION_OLDER,  [PAGER_BEFORE] = QUESTION_NEWER,
		[PAGER_AT] = QUESTION_AT,
	};
	struct list_state *s = data;
	struct question_key key = {0};
	if (from)
		question_key_of(from, &key);
	struct db_error err = {0};
	struct question_filter filter = {NULL, s->search};
	struct question_page p = {0};
	bool ok = question_page(s->ctx->db, &filter, from ? &key : NULL, dirs[dir], limit, &p, &err);
	question_key_free(&key);
	if (!ok) {
		view_db_error(s->ctx, &err);
		db_error_clear(&err);
		return false;
	}
	out->rows = p.rows;
	out->count = p.count;
	out->more = p.more;
	return true;
}

static void
row_free(void *row)
{
	question_row_free(row);
}

static bool
same_row(const void *a, const void *b)
{
	return strcmp(((const struct question_row *)a)->id, ((const struct question_row *)b)->id) ==
	       0;
}

static const struct pager_source questions = {sizeof(struct question_row), fetch, row_free,
                                              same_row};

static const struct question_row *
current(const struct list_state *s)
{
	return pager_current(&s->pager);
}

/* A reload (STALE_IN_PLACE: information given, a referral) reads the same
 * page again with the cursor on the same question; at the top it reads
 * from the newest, so colleagues' new questions show up too.  A resize
 * keeps the cursor's question on screen. */
static int
list_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct list_state *s = state;
	int want = page_rows(area);
	s->ctx = ctx;
	if (s->pager.loaded && ctx->stale) {
		bool top = ctx->stale == STALE_FROM_TOP;
		ctx->stale = STALE_NO;
		if (top)
			pager_load_end(&s->pager, false, want);
		else
			pager_reload(&s->pager, want);
	} else if (!s->pager.loaded) {
		const struct session *who = ctx->session;
		s->show_org = !who->organisation || session_has_role(who, "central");
		pager_load_end(&s->pager, false, want);
	} else {
		pager_resize(&s->pager, want);
	}
	return VIEW_REDRAW;
}

static int
list_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct list_state *s = state;
	s->ctx = ctx;
	if (pager_command(&s->pager, cmd, page_rows(area)))
		return VIEW_REDRAW;
	const struct question_row *r = current(s);
	switch (cmd) {
	case CMD_OPEN:
		if (!r)
			return VIEW_HANDLED;
		return view_go(ctx, nav_question(r->number));
	case CMD_QUIT: /* the central point's q goes back to its inbox first */
		if (session_has_role(ctx->session, "central"))
			return view_go(ctx, nav_view(view_inbox_new()));
		return VIEW_QUIT;
	case CMD_NEW: /* n is a new question, also after a search (j, k move) */
		return view_go(ctx, nav_form("intake", "", 0));
	case CMD_SIGNAL:
		return view_go(ctx, nav_form("signal", r ? r->id : "", r ? r->number : 0));
	case CMD_REFER:
		if (!r)
			return VIEW_HANDLED;
		return view_go(ctx, nav_form("referral", r->id, r->number));
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

/* The cells of a row; the question's text with the words of the search
 * marked (marks NULL: none). */
static void
draw_cells(WINDOW *w, int y, const int width[NCOLUMNS], const char *const text[NCOLUMNS],
           const struct search_terms *marks)
{
	for (int i = 0, x = 0; i < NCOLUMNS; x += width[i], i++)
		if (width[i] > 0)
			ui_put_marked(w, y, x, width[i], text[i], i == COL_TEXT ? marks : NULL);
}

/* A row, in the columns `widths` (an int[NCOLUMNS]). */
static void
draw_row(const void *widths, WINDOW *w, int y, const void *row,
         const struct search_terms *marks)
{
	const int *width = widths;
	const struct question_row *r = row;
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
	draw_cells(w, y, width, text, marks);
}

static void
draw_header(WINDOW *w, int y, const int width[NCOLUMNS])
{
	const char *text[NCOLUMNS] = {_("No."),   _("Registered"), _("Status"),
	                              _("Org."),  _("Topic"),      _("Question")};
	ui_style(w, UI_HEADER, true);
	draw_cells(w, y, width, text, NULL);
	ui_style(w, UI_HEADER, false);
}

/* Overdue referrals are highlighted, as in the central point's inbox. */
static enum ui_style
look(const void *widths, const void *row)
{
	(void)widths;
	return ((const struct question_row *)row)->referral_overdue ? UI_WARNING : UI_NORMAL;
}

static void
list_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct list_state *s = state;
	int width[NCOLUMNS];
	layout(area->cols, s->show_org, width);
	draw_header(w, area->y, width);
	pager_draw(&s->pager, w, area->y + 1, page_rows(area), draw_row, look, width);
	bool empty = s->pager.loaded && s->pager.count == 0;
	if (empty && s->search) {
		char *none = xasprintf(_("No question matches '%s'. Press / and Enter to show all."),
		                       s->search);
		ui_put_wrapped(w, area->y + 2, 2, area->cols - 4, none, 0, area->rows - 2);
		free(none);
	} else if (empty) {
		ui_put(w, area->y + 2, 2, area->cols - 4,
		       _("No questions yet. Questions your organisation registers appear here."));
	}
}

static void
list_position(const void *state, char *buf, size_t size)
{
	const struct list_state *s = state;
	const struct pager *p = &s->pager;
	if (p->count == 0) {
		snprintf(buf, size, "%s", s->search ? _("no match") : "");
		return;
	}
	const struct question_row *first = pager_row(p, 0), *last = pager_row(p, p->count - 1);
	snprintf(buf, size, "%s%s%d–%d%s", s->search ? "/ " : "",
	         p->more_above ? "↑ " : "", first->number, last->number, p->more_below ? " ↓" : "");
}

/* Show only the questions that match text (Dutch full text); "" shows all.
 * When the search fails (a key cancelled it), the list stays as it was,
 * with the search it had. */
static void
list_search(void *state, struct view_ctx *ctx, const char *text, const struct view_area *area)
{
	struct list_state *s = state;
	char *was = s->search;
	s->search = text && *text ? xstrdup(text) : NULL;
	pager_search(&s->pager, s->search);
	s->ctx = ctx;
	if (!pager_load_end(&s->pager, false, page_rows(area))) {
		free(s->search);
		s->search = was;
		pager_search(&s->pager, s->search);
		return;
	}
	free(was);
	if (s->search && s->pager.count == 0)
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
	pager_free(&s->pager);
	free(s->search);
	free(s);
}

static const struct view_ops list_ops = {
	.cancel = CANCEL_KEYS,
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
	struct list_state *s = xcalloc(1, sizeof *s);
	pager_init(&s->pager, &questions, s);
	return (struct view){&list_ops, s};
}
