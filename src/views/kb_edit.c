/* kb_edit.c: the knowledge editors' screen (K for role editor).  Three
 * tabs: the live items, the review queue (past or within 30 days of the
 * review date, most overdue first) and the retired items.  Enter reads an
 * item, n makes a new one and e a new version (both through
 * forms/knowledge.form, so a half-written item survives a crash like any
 * form), x retires or brings back, v lists the versions and shows the
 * difference between two of them word by word.  Versions are immutable:
 * questions keep pointing at the version that was given. */
#include "config.h"

#include "db/db.h"
#include "form/form.h"
#include "model/kb.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/number.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REVIEW_DAYS 30

enum kb_tab { TAB_LIVE, TAB_REVIEW, TAB_RETIRED, TAB_COUNT };

struct kb_edit_state {
	enum kb_tab tab;
	struct kb_items items; /* what the tab shows */
	int *index;            /* rows of items shown (retired tab: only retired) */
	int n;
	struct pager pager;    /* over index[] */
	bool reading;
	int read_top;
	struct kb_versions cur; /* the item being read */
};

static void
select_rows(struct kb_edit_state *s)
{
	free(s->index);
	s->index = xcalloc((size_t)(s->items.count > 0 ? s->items.count : 1), sizeof *s->index);
	s->n = 0;
	for (int i = 0; i < s->items.count; i++)
		if (s->tab != TAB_RETIRED || s->items.items[i].retired)
			s->index[s->n++] = i;
}

/* Rows for items: under the tabs and a blank line. */
static int
page_rows(const struct view_area *area)
{
	return area->rows > 3 ? area->rows - 2 : 1;
}

static int
kbe_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct kb_edit_state *s = state;
	kb_items_free(&s->items);
	struct db_error err = {0};
	if (!kb_list(ctx->db, s->tab == TAB_RETIRED, s->tab == TAB_REVIEW ? REVIEW_DAYS : -1,
	             &s->items, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
	}
	select_rows(s);
	pager_set_items(&s->pager, s->n, page_rows(area));
	if (s->reading && s->cur.count > 0) { /* read again: it may have a new version */
		char *id = xstrdup(s->cur.items[0].item_id);
		kb_versions_free(&s->cur);
		if (!kb_versions(ctx->db, id, &s->cur, &err)) {
			view_db_error(ctx, &err);
			db_error_clear(&err);
			s->reading = false;
		}
		free(id);
	}
	return VIEW_REDRAW;
}

static const struct kb_item *
current(const struct kb_edit_state *s)
{
	int k = pager_index(&s->pager);
	return k >= 0 ? &s->items.items[s->index[k]] : NULL;
}

/* dd-mm-yyyy of today plus days. */
static void
day_from_now(int days, char out[11])
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%d-%m-%Y", &tm);
}

/* Open forms/knowledge.form: empty for a new item, else filled from the
 * newest version (v), to be saved as the version after it. */
static int
open_editor(struct view_ctx *ctx, const struct kb_version *v)
{
	struct form_values carry = {0};
	char from[11], review[11];
	if (v) {
		char no[16];
		snprintf(no, sizeof no, "%d", v->version_no);
		form_values_set(&carry, "_kb.item", v->item_id);
		form_values_set(&carry, "_kb.version", no);
		form_values_set(&carry, "_kb.slug", v->slug);
		form_values_set(&carry, "slug", v->slug);
		form_values_set(&carry, "title", v->title);
		form_values_set(&carry, "tell_client", v->tell_client);
		form_values_set(&carry, "body", v->body);
		form_values_set(&carry, "topics", v->topics);
		form_values_set(&carry, "audience", v->audience);
		form_values_set(&carry, "link", v->link);
		date_dutch(from, sizeof from, v->valid_from); /* as the form's date fields take it */
		date_dutch(review, sizeof review, v->review_by);
	} else {
		day_from_now(0, from);
		day_from_now(365, review);
	}
	form_values_set(&carry, "valid_from", from);
	form_values_set(&carry, "review_by", review);
	struct nav f = nav_form("knowledge", "", 0);
	f.form.carry = xmalloc(sizeof *f.form.carry);
	*f.form.carry = carry;
	return view_go(ctx, f);
}

/* The form saved an item: the list (read again) selects it. */
static int
kbe_answer(void *state, struct view_ctx *ctx, const struct nav_answer *answer,
           const struct view_area *area)
{
	struct kb_edit_state *s = state;
	(void)ctx;
	if (!answer->item[0])
		return 0;
	for (int i = 0; i < s->n; i++)
		if (strcmp(s->items.items[s->index[i]].item_id, answer->item) == 0)
			pager_show(&s->pager, &i, page_rows(area));
	return VIEW_REDRAW;
}

static bool
load_versions(struct kb_edit_state *s, struct view_ctx *ctx)
{
	const struct kb_item *it = current(s);
	if (!it)
		return false;
	kb_versions_free(&s->cur);
	struct db_error err = {0};
	if (!kb_versions(ctx->db, it->item_id, &s->cur, &err) || s->cur.count == 0) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return false;
	}
	return true;
}

/* The item being read, whole (the caller frees). */
static char *
reading_text(const struct kb_edit_state *s)
{
	const struct kb_version *v = &s->cur.items[0];
	char from[11], review[11];
	date_dutch(from, sizeof from, v->valid_from);
	date_dutch(review, sizeof review, v->review_by);
	return xasprintf(
	    "%s\n\n%s\n\n%s\n\n%s %s\n%s %s\n%s %s\n%s %s - %s\n%s %d (%s, %s)%s%s", v->title,
	    v->tell_client, v->body, _("Topics:"), v->topics, _("Audience:"),
	    v->audience[0] ? v->audience : _("everyone"), _("Link:"), v->link[0] ? v->link : "-",
	    _("Valid:"), from, review, _("Version:"), v->version_no, v->created_by, v->created_at,
	    v->retired ? "\n" : "", v->retired ? _("This item is retired.") : "");
}

/* The furthest a text of wrapped lines scrolls in the area. */
static int
text_max_top(const char *text, const struct view_area *area)
{
	int lines = ui_put_wrapped(NULL, 0, 1, area->cols - 2, text, 0, 0);
	return lines > area->rows ? lines - area->rows : 0;
}

/* Reading an item: the keys scroll it; Enter and Esc go back to the list.
 * Returns -1 for keys the list takes. */
static int
reading_handle(struct kb_edit_state *s, enum command cmd, const struct view_area *area)
{
	char *all = reading_text(s);
	int max_top = text_max_top(all, area);
	free(all);
	if (view_scroll(&s->read_top, cmd, area->rows, max_top))
		return VIEW_REDRAW;
	if (cmd == CMD_BACK || cmd == CMD_OPEN) {
		s->reading = false;
		return VIEW_REDRAW;
	}
	return -1;
}

static int
show_tab(struct kb_edit_state *s, struct view_ctx *ctx, enum command cmd,
         const struct view_area *area)
{
	s->tab = cmd == CMD_TAB_1      ? TAB_LIVE
	         : cmd == CMD_TAB_2    ? TAB_REVIEW
	         : cmd == CMD_TAB_3    ? TAB_RETIRED
	         : cmd == CMD_NEXT_TAB ? (s->tab + 1) % TAB_COUNT
	                               : (s->tab + TAB_COUNT - 1) % TAB_COUNT;
	s->reading = false;
	int flags = kbe_load(s, ctx, area);
	pager_load_end(&s->pager, false, page_rows(area));
	return flags;
}

/* x: retire the item, or bring it back. */
static int
retire(struct kb_edit_state *s, struct view_ctx *ctx, const struct view_area *area)
{
	const struct kb_item *it = current(s);
	if (!it)
		return VIEW_REDRAW;
	struct db_error err = {0};
	bool retire = !it->retired;
	char *title = xstrdup(it->title);
	if (!kb_retire(ctx->db, it->item_id, retire, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
	} else if (retire) {
		view_message(ctx, _("Retired: %s. It is no longer suggested; tab 3 lists it."), title);
	} else {
		view_message(ctx, _("Back in use: %s."), title);
	}
	free(title);
	s->reading = false;
	return kbe_load(s, ctx, area);
}

/* e: a new version of the newest one; a retired item is not edited. */
static int
edit(struct view_ctx *ctx, const struct kb_versions *versions)
{
	if (versions->count == 0)
		return VIEW_REDRAW;
	if (versions->items[0].retired) {
		view_message(ctx, "%s", _("A retired item is not edited; x brings it back first."));
		return VIEW_REDRAW;
	}
	return open_editor(ctx, &versions->items[0]);
}

static int
kbe_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct kb_edit_state *s = state;
	int flags = s->reading ? reading_handle(s, cmd, area) : -1;
	if (flags >= 0)
		return flags;
	if (pager_command(&s->pager, cmd, page_rows(area)))
		return VIEW_REDRAW;
	const struct kb_item *it = current(s);
	switch (cmd) {
	case CMD_TAB_1:
	case CMD_TAB_2:
	case CMD_TAB_3:
	case CMD_NEXT_TAB:
	case CMD_PREV_TAB:
		return show_tab(s, ctx, cmd, area);
	case CMD_OPEN:
		if (load_versions(s, ctx)) {
			s->reading = true;
			s->read_top = 0;
		}
		return VIEW_REDRAW;
	case CMD_NEW:
		return open_editor(ctx, NULL);
	case CMD_EDIT:
		if (!s->reading && !load_versions(s, ctx))
			return VIEW_REDRAW;
		return edit(ctx, &s->cur);
	case CMD_VERSIONS:
		if (!it)
			return VIEW_REDRAW;
		return view_go(ctx, nav_view(view_kb_versions_new(it->item_id)));
	case CMD_RETIRE:
		return retire(s, ctx, area);
	case CMD_BACK:
		return VIEW_BACK;
	default:
		return 0;
	}
}

static const char *
state_label(const struct kb_item *it)
{
	if (it->retired)
		return _("retired");
	if (it->days_left < 0)
		return _("past review");
	if (it->days_left <= REVIEW_DAYS)
		return _("review soon");
	return "";
}

/* The columns after the title: "v12  30-11-2026 " and the longest state,
 * in the language shown (once cut at 30, "herziening v…"). */
static int
meta_width(void)
{
	const char *labels[] = {_("retired"), _("past review"), _("review soon")};
	int widest = 0;
	for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (text_width(labels[i]) > widest)
			widest = text_width(labels[i]);
	return 17 + widest;
}

static void
draw_reading(const struct kb_edit_state *s, WINDOW *w, const struct view_area *area)
{
	char *all = reading_text(s);
	ui_put_wrapped(w, area->y, 1, area->cols - 2, all, s->read_top, area->rows);
	free(all);
}

/* How an item's row is drawn: its title, and the version, review date and
 * state when there is room. */
struct item_row {
	const struct kb_edit_state *s;
	int title_w, cols;
};

static void
draw_item(const void *view, WINDOW *w, int y, const void *row,
          const struct search_terms *marks)
{
	(void)marks; /* no search here */
	const struct item_row *d = view;
	const struct kb_item *it = &d->s->items.items[d->s->index[*(const int *)row]];
	ui_put(w, y, 1, d->title_w, it->title);
	if (d->title_w < d->cols - 2) {
		char *meta = xasprintf("v%-3d %s %s", it->version_no, it->review_by, state_label(it));
		ui_put(w, y, 1 + d->title_w + 1, d->cols - d->title_w - 3, meta);
		free(meta);
	}
}

static void
kbe_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct kb_edit_state *s = state;
	pager_blank(w, area->y, area->rows);
	if (s->reading && s->cur.count > 0) {
		draw_reading(s, w, area);
		return;
	}
	static const char *const tabs[] = {N_("1 Items"), N_("2 Review queue"), N_("3 Retired")};
	int x = 1;
	for (int t = 0; t < TAB_COUNT; t++) {
		/* the chosen tab in brackets too: visible without colours */
		char *label = xasprintf(t == (int)s->tab ? "[%s]" : " %s ", _(tabs[t]));
		ui_style(w, t == (int)s->tab ? UI_SELECTED : UI_HEADER, true);
		ui_put(w, area->y, x, area->cols - x - 1, label);
		ui_style(w, t == (int)s->tab ? UI_SELECTED : UI_HEADER, false);
		x += text_width(label) + 1;
		free(label);
		if (x >= area->cols - 2)
			break;
	}
	if (s->n == 0) {
		ui_put(w, area->y + 2, 2, area->cols - 4,
		       s->tab == TAB_REVIEW    ? _("Nothing to review: every item is current.")
		       : s->tab == TAB_RETIRED ? _("No retired items.")
		                               : _("No knowledge items yet: n makes the first."));
		return;
	}
	int right = meta_width(); /* version, review date, state */
	struct item_row d = {s, area->cols - 2 - right > 10 ? area->cols - 2 - right : area->cols - 2,
	                     area->cols};
	pager_draw(&s->pager, w, area->y + 2, s->pager.count, draw_item, NULL, &d);
}

static void
kbe_position(const void *state, char *buf, size_t size)
{
	const struct kb_edit_state *s = state;
	if (s->n == 0)
		snprintf(buf, size, "0");
	else
		snprintf(buf, size, "%d/%d", pager_index(&s->pager) + 1, s->n);
}

static void
kbe_free(void *state)
{
	struct kb_edit_state *s = state;
	kb_items_free(&s->items);
	kb_versions_free(&s->cur);
	pager_free(&s->pager);
	free(s->index);
	free(s);
}

static const struct view_ops kbe_ops = {
	.cancel = CANCEL_LOAD,
	.keys = KEYS_KBEDIT,
	.title = N_("Knowledge base of"),
	.regional = true,
	.back_leaves = true,
	.answer = kbe_answer,
	.load = kbe_load,
	.handle = kbe_handle,
	.draw = kbe_draw,
	.position = kbe_position,
	.free = kbe_free,
};

struct view
view_kb_edit_new(void)
{
	struct kb_edit_state *s = xcalloc(1, sizeof *s);
	pager_init_array(&s->pager, 0, false);
	return (struct view){&kbe_ops, s};
}

/* The versions of one item, newest first; Enter shows the difference with
 * the version before it, or with the version marked with m. */
struct kb_versions_state {
	char *item_id;
	struct kb_versions list;
	struct pager pager; /* over list */
	int marked; /* index, or -1 */
	bool showing;
	int read_top;
	char *diff_text; /* the rendered difference */
};

static int
kbv_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct kb_versions_state *s = state;
	kb_versions_free(&s->list);
	struct db_error err = {0};
	if (!kb_versions(ctx->db, s->item_id, &s->list, &err)) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_BACK;
	}
	pager_set_items(&s->pager, s->list.count, page_rows(area));
	return VIEW_REDRAW;
}

static int
kbv_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct kb_versions_state *s = state;
	if (s->showing) {
		if (cmd == CMD_BACK || cmd == CMD_OPEN)
			s->showing = false;
		else if (!view_scroll(&s->read_top, cmd, area->rows,
		                      s->diff_text ? text_max_top(s->diff_text, area) : 0))
			return 0;
		return VIEW_REDRAW;
	}
	if (cmd == CMD_DOWN || cmd == CMD_UP)
		return pager_command(&s->pager, cmd, page_rows(area)) ? VIEW_REDRAW : 0;
	int cursor = pager_index(&s->pager) > 0 ? pager_index(&s->pager) : 0;
	switch (cmd) {
	case CMD_MARK:
		s->marked = s->marked == cursor ? -1 : cursor;
		break;
	case CMD_OPEN: {
		/* older -> newer: the marked one against the cursor's, else the
		 * cursor's against the one before it */
		int other = s->marked >= 0 && s->marked != cursor ? s->marked : cursor + 1;
		if (other >= s->list.count) {
			view_message(ctx, "%s", _("This is the first version: there is nothing before it."));
			return VIEW_REDRAW;
		}
		int older = other > cursor ? other : cursor;
		int newer = other > cursor ? cursor : other;
		free(s->diff_text);
		s->diff_text = kb_version_diff(&s->list.items[older], &s->list.items[newer]);
		s->showing = true;
		s->read_top = 0;
		break;
	}
	case CMD_EDIT:
		return edit(ctx, &s->list);
	case CMD_BACK:
		return VIEW_BACK;
	default:
		return 0;
	}
	return VIEW_REDRAW;
}

struct version_row {
	const struct kb_versions_state *s;
	int cols;
};

static void
draw_version(const void *view, WINDOW *w, int y, const void *row,
             const struct search_terms *marks)
{
	(void)marks;
	const struct version_row *d = view;
	int k = *(const int *)row;
	const struct kb_version *v = &d->s->list.items[k];
	char *line = xasprintf("%s v%-3d %s  %-12s %s", k == d->s->marked ? "*" : " ", v->version_no,
	                       v->created_at, v->created_by, v->title);
	ui_put(w, y, 1, d->cols - 2, line);
	free(line);
}

static void
kbv_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct kb_versions_state *s = state;
	pager_blank(w, area->y, area->rows);
	if (s->showing && s->diff_text) {
		ui_put_wrapped(w, area->y, 1, area->cols - 2, s->diff_text, s->read_top, area->rows);
		return;
	}
	if (s->list.count == 0)
		return;
	char *head = xasprintf(_("Versions of %s (m marks one to compare, Enter shows the difference)"),
	                       s->list.items[0].slug);
	ui_style(w, UI_HEADER, true);
	ui_put(w, area->y, 1, area->cols - 2, head);
	ui_style(w, UI_HEADER, false);
	free(head);
	struct version_row d = {s, area->cols};
	pager_draw(&s->pager, w, area->y + 2, s->pager.count, draw_version, NULL, &d);
}

static void
kbv_position(const void *state, char *buf, size_t size)
{
	const struct kb_versions_state *s = state;
	snprintf(buf, size, "%d/%d", pager_index(&s->pager) + 1, s->list.count);
}

static void
kbv_free(void *state)
{
	struct kb_versions_state *s = state;
	kb_versions_free(&s->list);
	pager_free(&s->pager);
	free(s->item_id);
	free(s->diff_text);
	free(s);
}

static const struct view_ops kbv_ops = {
	.cancel = CANCEL_LOAD,
	.keys = KEYS_VERSIONS,
	.title = N_("Knowledge base of"),
	.regional = true,
	.load = kbv_load,
	.handle = kbv_handle,
	.draw = kbv_draw,
	.position = kbv_position,
	.free = kbv_free,
};

struct view
view_kb_versions_new(const char *item_id)
{
	struct kb_versions_state *s = xcalloc(1, sizeof *s);
	s->item_id = xstrdup(item_id);
	s->marked = -1;
	pager_init_array(&s->pager, 0, false);
	return (struct view){&kbv_ops, s};
}
