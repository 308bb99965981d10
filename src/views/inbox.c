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
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct inbox_state {
	enum inbox_tab tab;
	struct inbox_page page;
	int cursor;
	bool at_start; /* the page starts at the first row of the tab */
	bool loaded;
	/* the referral just picked up: selected when Mine is shown */
	char picked_id[40];
	char *picked_key;
	bool picked_high;
	char pos[48];
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

/* Load a page: from the start, or forward/back from a row of this page. */
static void
fetch(struct inbox_state *s, struct view_ctx *ctx, const struct inbox_row *key, bool forward,
      int rows, int cursor)
{
	struct inbox_page p;
	struct db_error err = {0};
	if (!inbox_page(ctx->db, s->tab, key, forward, rows, &p, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return;
	}
	if (key && p.count == 0) { /* nothing further that way: stay */
		inbox_page_free(&p);
		return;
	}
	inbox_page_free(&s->page);
	s->page = p;
	s->at_start = forward ? !key : !p.more;
	if (!forward) /* more: rows after the page; back from a key there is the key */
		s->page.more = key != NULL;
	s->cursor = cursor < 0 ? s->page.count - 1 : cursor;
	if (s->cursor >= s->page.count)
		s->cursor = s->page.count > 0 ? s->page.count - 1 : 0;
	s->loaded = true;
}

/* Read a page that starts with row `first` (its key and id suffice): from
 * just before it, one row back, then forward; with the cursor on the row
 * with id `want` when it is on that page, else on row `cursor`. */
static void
load_from(struct inbox_state *s, struct view_ctx *ctx, const struct inbox_row *first, int rows,
          const char *want, int cursor)
{
	struct inbox_page before;
	struct db_error err = {0};
	bool ok = first && inbox_page(ctx->db, s->tab, first, false, 1, &before, &err);
	db_error_clear(&err);
	if (ok && before.count == 1) {
		struct inbox_row key = before.rows[0];
		fetch(s, ctx, &key, true, rows, cursor);
	} else {
		fetch(s, ctx, NULL, true, rows, cursor);
	}
	if (ok)
		inbox_page_free(&before);
	for (int i = 0; i < s->page.count; i++)
		if (want && strcmp(s->page.rows[i].id, want) == 0)
			s->cursor = i;
}

/* Read the page again where it is (news arrived, or something was done),
 * keeping the cursor on the same referral when it is still in the tab. */
static void
reload(struct inbox_state *s, struct view_ctx *ctx, int rows)
{
	char id[40] = "";
	if (s->page.count > 0)
		snprintf(id, sizeof id, "%s", s->page.rows[s->cursor].id);
	struct inbox_row first = {0};
	bool from_start = s->at_start || s->page.count == 0;
	if (!from_start)
		first = s->page.rows[0];
	load_from(s, ctx, from_start ? NULL : &first, rows, id, s->cursor);
}

/* Show a tab from its start; Mine with the referral just picked up selected,
 * on whatever page it is. */
static void
show_tab(struct inbox_state *s, struct view_ctx *ctx, enum inbox_tab tab, int rows)
{
	s->tab = tab;
	if (tab != INBOX_MINE || !s->picked_id[0]) {
		fetch(s, ctx, NULL, true, rows, 0);
		return;
	}
	struct inbox_row key = {0};
	snprintf(key.id, sizeof key.id, "%s", s->picked_id);
	key.deadline_key = s->picked_key;
	key.high = s->picked_high;
	load_from(s, ctx, &key, rows, s->picked_id, 0);
	s->picked_id[0] = '\0';
}

static int
inbox_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct inbox_state *s = state;
	if (!s->loaded)
		fetch(s, ctx, NULL, true, page_rows(area), 0);
	else
		reload(s, ctx, page_rows(area));
	ctx->stale = STALE_NO;
	return VIEW_REDRAW;
}

static const struct inbox_row *
current(const struct inbox_state *s)
{
	return s->page.count > 0 ? &s->page.rows[s->cursor] : NULL;
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
			snprintf(s->picked_id, sizeof s->picked_id, "%s", r->id);
			free(s->picked_key);
			s->picked_key = xstrdup(r->deadline_key);
			s->picked_high = r->high;
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
	reload(s, ctx, page_rows(area));
	return VIEW_REDRAW;
}

static int
inbox_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct inbox_state *s = state;
	int rows = page_rows(area);
	const struct inbox_row *r = current(s);
	switch (cmd) {
	case CMD_DOWN:
		if (s->cursor + 1 < s->page.count)
			s->cursor++;
		else if (s->page.more && r)
			fetch(s, ctx, r, true, rows, 0);
		return VIEW_REDRAW;
	case CMD_UP:
		if (s->cursor > 0)
			s->cursor--;
		else if (!s->at_start && r)
			fetch(s, ctx, r, false, rows, -1);
		return VIEW_REDRAW;
	case CMD_PAGE_DOWN:
		if (s->page.more && s->page.count > 0)
			fetch(s, ctx, &s->page.rows[s->page.count - 1], true, rows, 0);
		return VIEW_REDRAW;
	case CMD_PAGE_UP:
		if (!s->at_start && s->page.count > 0)
			fetch(s, ctx, &s->page.rows[0], false, rows, 0);
		return VIEW_REDRAW;
	case CMD_FIRST:
		fetch(s, ctx, NULL, true, rows, 0);
		return VIEW_REDRAW;
	case CMD_LAST:
		fetch(s, ctx, NULL, false, rows, -1);
		return VIEW_REDRAW;
	case CMD_NEXT_TAB:
	case CMD_PREV_TAB:
		show_tab(s, ctx,
		         (enum inbox_tab)((s->tab + (cmd == CMD_NEXT_TAB ? 1 : INBOX_TABS - 1)) %
		                          INBOX_TABS),
		         rows);
		return VIEW_REDRAW;
	case CMD_TAB_1:
	case CMD_TAB_2:
	case CMD_TAB_3:
	case CMD_TAB_4:
	case CMD_TAB_5:
		show_tab(s, ctx, (enum inbox_tab)(cmd - CMD_TAB_1), rows);
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

static void
inbox_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct inbox_state *s = state;
	for (int y = area->y; y < area->y + area->rows; y++) {
		wmove(w, y, 0);
		wclrtoeol(w);
	}
	/* the tabs: 1 New  2 Mine  ... with the current one marked */
	int x = 1;
	for (int t = 0; t < INBOX_TABS && x < area->cols; t++) {
		char label[64];
		snprintf(label, sizeof label, "%d %s", t + 1, _(tab_names[t]));
		int width = (int)strlen(label) + 2;
		if (t == (int)s->tab)
			ui_style(w, UI_SELECTED, true);
		ui_put(w, area->y, x, width < area->cols - x ? width : area->cols - x, label);
		if (t == (int)s->tab)
			ui_style(w, UI_SELECTED, false);
		x += width + 1;
	}
	/* each width includes one column of space after it */
	int wn = 7, wfrom = area->cols >= 100 ? 25 : 16, wreason = area->cols >= 100 ? 23 : 16,
	    wdue = 18;
	int wtext = area->cols - 2 - wn - wfrom - wreason - wdue;
	if (wtext < 10)
		wtext = 10;
	int y = area->y + 1;
	ui_style(w, UI_HEADER, true);
	int cx = 2;
	ui_put(w, y, cx, wn - 1, _("No."));
	ui_put(w, y, cx += wn, wfrom - 1, _("From"));
	ui_put(w, y, cx += wfrom, wreason - 1, _("Reason"));
	ui_put(w, y, cx += wreason, wdue - 1, _("Deadline"));
	ui_put(w, y, cx += wdue, wtext, _("Question"));
	ui_style(w, UI_HEADER, false);
	for (int i = 0; i < s->page.count && i < page_rows(area); i++) {
		const struct inbox_row *r = &s->page.rows[i];
		y = area->y + 2 + i;
		bool overdue = r->minutes_left < 0 && strcmp(r->status, "sent") == 0;
		if (i == s->cursor)
			ui_style(w, UI_SELECTED, true);
		else if (overdue)
			ui_style(w, UI_WARNING, true);
		char num[16], due[48], when[40];
		snprintf(num, sizeof num, "%d", r->number);
		if (strcmp(r->status, "sent") == 0)
			due_text(r->minutes_left, when, sizeof when);
		else
			snprintf(when, sizeof when, "%s", view_referral_status_label(r->status));
		/* high urgency stands out: said in words, and bold */
		snprintf(due, sizeof due, "%s%s", r->high ? _("HIGH ") : "", when);
		if (r->high && i != s->cursor && !overdue)
			ui_style(w, UI_HEADER, true);
		wmove(w, y, 0);
		wclrtoeol(w);
		ui_put(w, y, 0, 2, r->unseen ? "●" : (overdue ? "!" : ""));
		cx = 2;
		ui_put(w, y, cx, wn - 1, num);
		ui_put(w, y, cx += wn, wfrom - 1, r->from_org_name);
		ui_put(w, y, cx += wfrom, wreason - 1, r->reason);
		ui_put(w, y, cx += wreason, wdue - 1, due);
		ui_put_line(w, y, cx += wdue, wtext, r->text);
		if (i == s->cursor)
			ui_style(w, UI_SELECTED, false);
		else if (overdue)
			ui_style(w, UI_WARNING, false);
		else if (r->high)
			ui_style(w, UI_HEADER, false);
	}
	if (s->loaded && s->page.count == 0)
		ui_put(w, area->y + 3, 2, area->cols - 4, _("No referrals here."));
	draw_note(s, w, area);
}

static const char *
inbox_position(const void *state)
{
	struct inbox_state *s = (struct inbox_state *)state;
	snprintf(s->pos, sizeof s->pos, "%s%s%s", _("inbox"), s->at_start ? "" : " ↑",
	         s->page.more ? " ↓" : "");
	return s->pos;
}

static void
inbox_free(void *state)
{
	struct inbox_state *s = state;
	inbox_page_free(&s->page);
	free(s->picked_key);
	free(s);
}

static const struct view_ops inbox_ops = {
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
	s->at_start = true;
	struct view v = {&inbox_ops, s};
	return v;
}
