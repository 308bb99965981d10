/* report.c: the supervisors' reports screen (R): one report at a time,
 * laid out by model/report.c exactly as the query shell prints it, scrolled
 * down and sideways (the row labels of a table stay put).  1-6 or Tab choose the report; for volume, d changes
 * what it counts by and p switches between weeks and months. */
#include "config.h"

#include "db/db.h"
#include "model/report.h"
#include "model/session.h"
#include "ui/screen.h"
#include "util/chart.h"
#include "util/i18n.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/views.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report_state {
	struct report_opts opts;
	char **lines;
	int *freeze; /* per line: display columns of its row label, kept when scrolled */
	int nlines;
	int top;     /* first line shown */
	int left;    /* display columns scrolled to the right */
	int width;   /* of the widest line */
	/* when the connection string lists a standby: a connection of its own
	 * that prefers it, so reports do not load the desks' primary
	 * (doc/reports.md); NULL: the screen's own */
	struct db *replica;
	bool replica_tried;
	bool national; /* a national analyst: volume, funnel and consistency only */
};

/* Whether the screen offers this report (the national database counts no
 * cases: doc/national.md). */
static bool
offered(const struct report_state *s, enum report_kind k)
{
	return !s->national || k == REPORT_VOLUME || k == REPORT_FUNNEL || k == REPORT_CONSISTENCY;
}

static void
clear_lines(struct report_state *s)
{
	for (int i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	free(s->lines);
	free(s->freeze);
	s->lines = NULL;
	s->freeze = NULL;
	s->nlines = s->width = 0;
}

static void
add_line(struct report_state *s, const char *text, size_t len)
{
	s->lines = xrealloc(s->lines, (size_t)(s->nlines + 1) * sizeof *s->lines);
	s->lines[s->nlines] = xstrndup(text, len);
	int w = text_width(s->lines[s->nlines]);
	if (w > s->width)
		s->width = w;
	s->nlines++;
}

static int
report_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	(void)area;
	struct report_state *s = state;
	clear_lines(s);
	s->national = ctx->session && ctx->session->is_national;
	struct report r;
	struct db_error err = {0};
	if (!s->replica_tried && db_several_hosts(ctx->db)) {
		s->replica_tried = true;
		if (!db_connect_like(ctx->db, "prefer-standby", &s->replica, &err))
			db_error_clear(&err); /* then the screen's own */
		else
			db_set_writer(s->replica, ctx->db); /* the log of what is asked */
	}
	bool ok = s->replica && report_run(s->replica, &s->opts, chart_utf8(), &r, &err);
	if (!ok && s->replica) { /* the standby went: the primary answers */
		db_error_clear(&err);
		db_close(&s->replica);
	}
	if (!ok && !report_run(ctx->db, &s->opts, chart_utf8(), &r, &err)) {
		if (strcmp(err.sqlstate, "42501") == 0)
			view_message(ctx, "%s",
			             _("The reports count for the role you log in as, and that role is not a "
			               "supervisor. Log in as the supervisor's role itself (for example "
			               "PGUSER=supervisor_demo loket), not with --as."));
		else
			view_db_error(ctx, &err);
		db_error_clear(&err);
		return VIEW_REDRAW;
	}
	int *freeze = NULL, n = 0;
	char *text = report_text(&r, &freeze, &n);
	for (char *p = text, *nl; p && *p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		add_line(s, p, nl ? (size_t)(nl - p) : strlen(p));
	}
	free(text);
	s->freeze = xcalloc((size_t)s->nlines + 1, sizeof *s->freeze);
	for (int i = 0; i < s->nlines && i < n; i++)
		s->freeze[i] = freeze[i];
	free(freeze);
	report_free(&r);
	if (s->top > s->nlines - 1)
		s->top = s->nlines > 0 ? s->nlines - 1 : 0;
	return VIEW_REDRAW;
}

static int
report_handle(void *state, struct view_ctx *ctx, enum command cmd, const struct view_area *area)
{
	struct report_state *s = state;
	/* pages of the rows under the tabs less one, the last one a line short */
	int page = area->rows > 3 ? area->rows - 3 : 1;
	if (view_scroll(&s->top, cmd, page + 1, s->nlines > page ? s->nlines - page : 0))
		return VIEW_REDRAW;
	switch (cmd) {
	case CMD_SCROLL_RIGHT: {
		/* at most until the widest line ends at the right edge, beside
		 * the row labels that stay */
		int label = 0;
		for (int i = 0; i < s->nlines; i++)
			if (s->freeze[i] > label && s->freeze[i] <= area->cols / 2)
				label = s->freeze[i];
		int most = s->width + label - (area->cols - 2);
		s->left = s->left + area->cols / 2 < most ? s->left + area->cols / 2 : most > 0 ? most : 0;
		return VIEW_REDRAW;
	}
	case CMD_SCROLL_LEFT:
		s->left = s->left > area->cols / 2 ? s->left - area->cols / 2 : 0;
		return VIEW_REDRAW;
	case CMD_NEXT_TAB:
	case CMD_PREV_TAB:
		do
			s->opts.kind = (enum report_kind)(((int)s->opts.kind +
			                                   (cmd == CMD_NEXT_TAB ? 1 : -1) + REPORT_COUNT) %
			                                  REPORT_COUNT);
		while (!offered(s, s->opts.kind));
		break;
	case CMD_TAB_1: case CMD_TAB_2: case CMD_TAB_3: case CMD_TAB_4: case CMD_TAB_5:
	case CMD_TAB_6: { /* CMD_TAB_6 is not next to CMD_TAB_5 in the enum */
		enum report_kind k =
			cmd == CMD_TAB_6 ? REPORT_KNOWLEDGE : (enum report_kind)(cmd - CMD_TAB_1);
		if (!offered(s, k)) {
			view_message(ctx, "%s",
			             _("The national database has volume, funnel and consistency: the "
			               "other reports count cases, which stay in the region."));
			return VIEW_REDRAW;
		}
		s->opts.kind = k;
		break;
	}
	case CMD_DIMENSION:
		s->opts.kind = REPORT_VOLUME;
		s->opts.dim = (s->opts.dim + 1) % REPORT_NDIMS;
		break;
	case CMD_PERIOD:
		s->opts.kind = REPORT_VOLUME;
		s->opts.monthly = !s->opts.monthly;
		break;
	case CMD_BACK: return VIEW_BACK;
	case CMD_QUIT: return VIEW_QUIT;
	default: return 0; /* not the reports': a signal, help */
	}
	s->top = s->left = 0;
	return report_load(state, ctx, area);
}

static void
report_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct report_state *s = state;
	pager_blank(w, area->y, area->rows);
	/* which report, and the keys that change it */
	ui_style(w, UI_HEADER, true);
	char tabs[160] = "";
	static const char *const short_names[] = {N_("1 volume"), N_("2 funnel"), N_("3 pick-up"),
	                                          N_("4 consistency"), N_("5 signals"),
	                                          N_("6 knowledge")};
	int x = 1;
	for (int i = 0; i < REPORT_COUNT; i++) {
		if (!offered(s, (enum report_kind)i))
			continue;
		snprintf(tabs, sizeof tabs, i == (int)s->opts.kind ? "[%s]" : " %s ", _(short_names[i]));
		if (x + text_width(tabs) >= area->cols)
			break;
		ui_style(w, UI_SELECTED, i == (int)s->opts.kind);
		ui_put(w, area->y, x, area->cols - x, tabs);
		ui_style(w, UI_SELECTED, false);
		ui_style(w, UI_HEADER, true);
		x += text_width(tabs) + 1;
	}
	ui_style(w, UI_HEADER, false);
	int rows = area->rows - 2;
	for (int i = 0; i < rows && s->top + i < s->nlines; i++) {
		const char *line = s->lines[s->top + i];
		/* scrolled sideways, a table's row labels stay and the rest moves */
		int label = s->left > 0 ? s->freeze[s->top + i] : 0;
		if (label > area->cols / 2)
			label = 0;
		size_t skip = text_prefix(line, label + s->left, NULL);
		if (i == 0)
			ui_style(w, UI_HEADER, true);
		if (label > 0) {
			char *head = xstrndup(line, text_prefix(line, label, NULL));
			ui_put(w, area->y + 2 + i, 1, label, head);
			free(head);
		}
		ui_put(w, area->y + 2 + i, 1 + label, area->cols - 2 - label, line + skip);
		if (i == 0)
			ui_style(w, UI_HEADER, false);
	}
	if (s->nlines == 0)
		ui_put(w, area->y + 2, 1, area->cols - 2, _("No report."));
}

static void
report_position(const void *state, char *buf, size_t size)
{
	const struct report_state *s = state;
	snprintf(buf, size, "%d/%d", s->nlines ? s->top + 1 : 0, s->nlines);
}

static void
report_free_state(void *state)
{
	struct report_state *s = state;
	clear_lines(s);
	db_close(&s->replica);
	free(s);
}

static const struct view_ops report_ops = {
	.cancel = CANCEL_KEYS,
	.keys = KEYS_REPORT,
	.title = N_("Reports on"),
	.regional = true,
	.back_leaves = true,
	.load = report_load,
	.handle = report_handle,
	.draw = report_draw,
	.position = report_position,
	.free = report_free_state,
};

struct view
view_report_new(void)
{
	struct report_state *s = xcalloc(1, sizeof *s);
	s->opts.kind = REPORT_VOLUME;
	s->opts.dim = 1; /* topic */
	return (struct view){&report_ops, s};
}
