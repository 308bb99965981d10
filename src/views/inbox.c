/* inbox.c: the central point's inbox — referrals to its organisation in five
 * tabs (new, mine, in progress, overdue, returned), by deadline and within
 * one deadline high urgency first, a page at a time.  The sender's note of
 * the referral under the cursor shows below the list.  Live: a notification
 * reloads the page where it is (tui.c).  Keys: o picks up (accepts), p marks
 * in progress, c completes with an outcome (outcome.form), t returns with a
 * reason (return.form), Enter opens the question. */
#include "config.h"

#include "db/db.h"
#include "model/referral_flow.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inbox_state {
	enum inbox_tab tab;
	struct pager pager; /* rows: struct inbox_row */
	struct view_ctx *ctx; /* while a handler runs: for the source */
	/* the referral just picked up: selected when Mine is shown */
	struct inbox_row picked;
};

static const char *const tab_names[INBOX_TABS] = {N_("New"), N_("Mine"), N_("In progress"),
                                                  N_("Overdue"), N_("Returned")};

#define NOTE_ROWS 2 /* below the list: the sender's note of the current referral */

static int
page_rows(const struct view_area *area)
{
	/* tab line, column header, a blank line and the note */
	return area->rows > 3 + 1 + NOTE_ROWS ? area->rows - 3 - NOTE_ROWS : 1;
}

static bool
read_page(struct inbox_state *s, const struct inbox_row *key, bool forward, int limit,
          struct inbox_page *out)
{
	struct db_error err = {0};
	bool ok = inbox_page(s->ctx->db, s->tab, key, forward, limit, out, &err);
	if (!ok)
		view_db_error(s->ctx, &err);
	db_error_clear(&err);
	return ok;
}

/* The pager's source: a page of the tab, forward or back from a row; a
 * page that starts at a row is read from one row before it. */
static bool
fetch(void *data, const void *key, enum pager_dir dir, int limit, struct pager_rows *out)
{
	struct inbox_state *s = data;
	struct inbox_page p, before = {0};
	if (dir == PAGER_AT) {
		if (!read_page(s, key, false, 1, &before))
			return false;
		out->first = before.count == 0;
		key = before.count ? &before.rows[0] : NULL;
		dir = PAGER_AFTER;
	}
	bool ok = read_page(s, key, dir != PAGER_LAST && dir != PAGER_BEFORE, limit, &p);
	inbox_page_free(&before);
	if (!ok)
		return false;
	out->rows = p.rows;
	out->count = p.count;
	out->more = p.more;
	return true;
}

static void
row_free(void *row)
{
	/* the model frees rows a page at a time: a page of this one */
	struct inbox_page one = {xmalloc(sizeof(struct inbox_row)), 1, false};
	memcpy(one.rows, row, sizeof *one.rows);
	inbox_page_free(&one);
}

static bool
same_row(const void *a, const void *b)
{
	return strcmp(((const struct inbox_row *)a)->id, ((const struct inbox_row *)b)->id) == 0;
}

static const struct pager_source referrals = {sizeof(struct inbox_row), fetch, row_free,
                                              same_row};

/* Show a tab from its start; Mine with the referral just picked up selected,
 * on whatever page it is. */
static void
show_tab(struct inbox_state *s, enum inbox_tab tab, int rows)
{
	s->tab = tab;
	if (tab != INBOX_MINE || !s->picked.id[0]) {
		pager_load_end(&s->pager, false, rows);
		return;
	}
	pager_show(&s->pager, &s->picked, rows);
	s->picked.id[0] = '\0';
}

/* The page again, where it is (news arrived, something was done, a
 * resize), the cursor on the same referral when it is still in the tab. */
static int
inbox_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct inbox_state *s = state;
	s->ctx = ctx;
	if (!s->pager.loaded) {
		pager_load_end(&s->pager, false, page_rows(area));
	} else {
		pager_resize(&s->pager, page_rows(area));
		pager_reload(&s->pager, page_rows(area));
	}
	ctx->stale = STALE_NO;
	return VIEW_REDRAW;
}

static const struct inbox_row *
current(const struct inbox_state *s)
{
	return pager_current(&s->pager);
}

/* a, p: change at once; c, t: a small form first. */
static int
act(struct inbox_state *s, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	const struct inbox_row *r = current(s);
	if (!r)
		return VIEW_HANDLED;
	struct referral_ref ref = {0};
	snprintf(ref.id, sizeof ref.id, "%s", r->id);
	ref.version = r->version;
	ref.number = r->number;
	struct db_error err = {0};
	bool ok = true;
	if (cmd == CMD_ACCEPT) {
		ok = referral_accept(ctx->db, &ref, &err);
		if (ok) {
			view_message(ctx, _("Question %d: referral accepted; it is now under Mine."),
			             r->number);
			snprintf(s->picked.id, sizeof s->picked.id, "%s", r->id);
			free(s->picked.deadline_key);
			s->picked.deadline_key = xstrdup(r->deadline_key);
			s->picked.high = r->high;
		}
	} else if (cmd == CMD_PROGRESS) {
		ok = referral_set_status(ctx->db, &ref, "in_progress", NULL, NULL, NULL, &err);
		if (ok)
			view_message(ctx, _("Question %d: in progress."), r->number);
	} else {
		struct nav f = nav_form(cmd == CMD_COMPLETE ? "outcome" : "return", "", r->number);
		snprintf(f.form.referral, sizeof f.form.referral, "%s", r->id);
		f.form.referral_version = r->version;
		return view_go(ctx, f);
	}
	if (!ok) {
		if (strcmp(err.sqlstate, REFERRAL_TAKEN) == 0 && err.detail && *err.detail)
			view_message(ctx, _("Question %d was already taken by %s."), r->number, err.detail);
		else if (strcmp(err.sqlstate, "40001") == 0)
			view_message(ctx, "%s",
			             _("Someone else changed this referral meanwhile; the list shows it as "
			               "it is now."));
		else
			view_db_error(ctx, &err);
	}
	db_error_clear(&err);
	pager_reload(&s->pager, page_rows(area));
	return VIEW_REDRAW;
}

static int
inbox_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct inbox_state *s = state;
	int rows = page_rows(area);
	s->ctx = ctx;
	if (pager_command(&s->pager, cmd, rows))
		return VIEW_REDRAW;
	const struct inbox_row *r = current(s);
	switch (cmd) {
	case CMD_NEXT_TAB:
	case CMD_PREV_TAB:
		show_tab(s, (enum inbox_tab)((s->tab + (cmd == CMD_NEXT_TAB ? 1 : INBOX_TABS - 1)) %
		                          INBOX_TABS),
		         rows);
		return VIEW_REDRAW;
	case CMD_TAB_1:
	case CMD_TAB_2:
	case CMD_TAB_3:
	case CMD_TAB_4:
	case CMD_TAB_5:
		show_tab(s, (enum inbox_tab)(cmd - CMD_TAB_1), rows);
		return VIEW_REDRAW;
	case CMD_OPEN:
		if (!r)
			return VIEW_HANDLED;
		return view_go(ctx, nav_question(r->number));
	case CMD_ACCEPT:
	case CMD_PROGRESS:
	case CMD_COMPLETE:
	case CMD_RETURN:
		return act(s, ctx, cmd, area);
	case CMD_QUIT:
		return VIEW_QUIT;
	case CMD_BACK:
		return VIEW_BACK;
	default:
		return 0;
	}
}

/* "2 d left", "5 h left", "3 h late": the age against the deadline. */
static void
due_text(long minutes, char *out, size_t size)
{
	long m = minutes < 0 ? -minutes : minutes;
	long value = m >= 24 * 60 ? m / (24 * 60) : (m >= 60 ? m / 60 : m);
	const char *unit = m >= 24 * 60 ? _("d") : (m >= 60 ? _("h") : _("min"));
	snprintf(out, size, minutes < 0 ? _("%ld %s late") : _("%ld %s left"), value, unit);
}

/* Below the list: the sender's note of the referral under the cursor. */
static void
draw_note(const struct inbox_state *s, WINDOW *w, const struct view_area *area)
{
	const struct inbox_row *r = current(s);
	if (!r || area->rows <= 3 + 1 + NOTE_ROWS)
		return;
	char *text = r->note[0] ? xasprintf(_("Note from the sender: %s"), r->note)
	                        : xstrdup(_("The sender wrote no note."));
	int y = area->y + area->rows - NOTE_ROWS;
	ui_style(w, UI_DIM, !r->note[0]);
	int lines = ui_put_wrapped(w, y, 2, area->cols - 4, text, 0, NOTE_ROWS);
	ui_style(w, UI_DIM, false);
	if (lines > NOTE_ROWS) /* the rest is on the question screen (Enter) */
		ui_put(w, y + NOTE_ROWS - 1, area->cols - 3, 1, "…");
	free(text);
}

/* The columns: number, from, reason, deadline, question; each width
 * includes one column of space after it. */
enum { COL_NUMBER, COL_FROM, COL_REASON, COL_DUE, COL_TEXT, NCOLS };

struct columns {
	int x[NCOLS], width[NCOLS];
};

static struct columns
columns_of(int cols)
{
	struct columns c = {{0}, {7, cols >= 100 ? 25 : 16, cols >= 100 ? 23 : 16, 18, 0}};
	int wtext = cols - 2 - c.width[0] - c.width[1] - c.width[2] - c.width[3];
	c.width[COL_TEXT] = (wtext < 10 ? 10 : wtext) + 1;
	for (int i = 0, x = 2; i < NCOLS; x += c.width[i], i++)
		c.x[i] = x;
	return c;
}

static void
draw_cells(WINDOW *w, int y, const struct columns *c, const char *const text[NCOLS])
{
	for (int i = 0; i < COL_TEXT; i++)
		ui_put(w, y, c->x[i], c->width[i] - 1, text[i]);
	ui_put_line(w, y, c->x[COL_TEXT], c->width[COL_TEXT] - 1, text[COL_TEXT]);
}

static bool
overdue(const struct inbox_row *r)
{
	return r->minutes_left < 0 && strcmp(r->status, "sent") == 0;
}

/* Overdue referrals in warning colours; high urgency bold. */
static enum ui_style
look(const void *columns, const void *row)
{
	(void)columns;
	const struct inbox_row *r = row;
	return overdue(r) ? UI_WARNING : r->high ? UI_HEADER : UI_NORMAL;
}

static void
draw_row(const void *columns, WINDOW *w, int y, const void *row,
         const struct search_terms *marks)
{
	(void)marks; /* the inbox has no search */
	const struct inbox_row *r = row;
	char num[16], due[48], when[40];
	snprintf(num, sizeof num, "%d", r->number);
	if (strcmp(r->status, "sent") == 0)
		due_text(r->minutes_left, when, sizeof when);
	else
		snprintf(when, sizeof when, "%s", view_referral_status_label(r->status));
	/* high urgency stands out: said in words, and bold */
	snprintf(due, sizeof due, "%s%s", r->high ? _("HIGH ") : "", when);
	wmove(w, y, 0);
	wclrtoeol(w);
	ui_put(w, y, 0, 2, r->unseen ? "●" : (overdue(r) ? "!" : ""));
	const char *text[NCOLS] = {num, r->from_org_name, r->reason, due, r->text};
	draw_cells(w, y, columns, text);
}

/* The tabs: 1 New  2 Mine  ... with the current one marked. */
static void
draw_tabs(const struct inbox_state *s, WINDOW *w, const struct view_area *area)
{
	int x = 1;
	for (int t = 0; t < INBOX_TABS && x < area->cols; t++) {
		char label[64];
		snprintf(label, sizeof label, "%d %s", t + 1, _(tab_names[t]));
		int width = (int)strlen(label) + 2;
		ui_style(w, UI_SELECTED, t == (int)s->tab);
		ui_put(w, area->y, x, width < area->cols - x ? width : area->cols - x, label);
		ui_style(w, UI_SELECTED, false);
		x += width + 1;
	}
}

static void
inbox_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct inbox_state *s = state;
	pager_blank(w, area->y, area->rows);
	draw_tabs(s, w, area);
	struct columns c = columns_of(area->cols);
	const char *head[NCOLS] = {_("No."), _("From"), _("Reason"), _("Deadline"), _("Question")};
	ui_style(w, UI_HEADER, true);
	draw_cells(w, area->y + 1, &c, head);
	ui_style(w, UI_HEADER, false);
	int rows = page_rows(area) < s->pager.count ? page_rows(area) : s->pager.count;
	pager_draw(&s->pager, w, area->y + 2, rows, draw_row, look, &c);
	if (s->pager.loaded && s->pager.count == 0)
		ui_put(w, area->y + 3, 2, area->cols - 4, _("No referrals here."));
	draw_note(s, w, area);
}

static void
inbox_position(const void *state, char *buf, size_t size)
{
	const struct inbox_state *s = state;
	snprintf(buf, size, "%s%s%s", _("inbox"), s->pager.more_above ? " ↑" : "",
	         s->pager.more_below ? " ↓" : "");
}

static void
inbox_free(void *state)
{
	struct inbox_state *s = state;
	pager_free(&s->pager);
	free(s->picked.deadline_key);
	free(s);
}

static const struct view_ops inbox_ops = {
	.cancel = CANCEL_LOAD,
	.keys = KEYS_INBOX,
	.title = N_("Referrals to"),
	.single = true,
	.load = inbox_load,
	.handle = inbox_handle,
	.news = inbox_load, /* news: the page again, where it is */
	.draw = inbox_draw,
	.position = inbox_position,
	.free = inbox_free,
};

struct view
view_inbox_new(void)
{
	struct inbox_state *s = xcalloc(1, sizeof *s);
	pager_init(&s->pager, &referrals, s);
	return (struct view){&inbox_ops, s};
}
