/* report.c: the supervisor reports; see report.h and doc/reports.md. */
#include "config.h"

#include "model/report.h"
#include "util/chart.h"
#include "util/i18n.h"
#include "util/number.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const report_names[] = {"volume",  "funnel",  "pickup",
                                    "consistency", "signals", "knowledge", NULL};
const char *const report_dims[] = {"org", "topic", "group", "channel", "muni", NULL};

enum { BAR_WIDTH = 16 };

static bool
valid_date(const char *s)
{
	int y, m, d;
	char rest;
	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) == 3 &&
	       y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

bool
report_parse(const char *text, struct report_opts *o, char *msg, size_t msglen)
{
	memset(o, 0, sizeof o[0]);
	o->kind = REPORT_COUNT;
	o->dim = 1; /* topic */
	char *copy = xstrdup(text), *save = NULL;
	bool ok = true, after_by = false;
	for (char *w = strtok_r(copy, " \t", &save); w && ok; w = strtok_r(NULL, " \t", &save)) {
		if (o->kind == REPORT_COUNT) {
			for (int i = 0; report_names[i]; i++)
				if (strcmp(w, report_names[i]) == 0)
					o->kind = (enum report_kind)i;
			if (o->kind == REPORT_COUNT) {
				snprintf(msg, msglen,
				         _("unknown report '%s': expected volume, funnel, pickup, "
				           "consistency, signals or knowledge"),
				         w);
				ok = false;
			}
			continue;
		}
		if (after_by) {
			after_by = false;
			if (strcmp(w, "week") == 0 || strcmp(w, "month") == 0) {
				o->monthly = strcmp(w, "month") == 0;
				continue;
			}
			int d = -1;
			for (int i = 0; report_dims[i]; i++)
				if (strcmp(w, report_dims[i]) == 0)
					d = i;
			if (strcmp(w, "region") == 0) { /* the national database's first dimension */
				d = 0;
				o->by_region = true;
			}
			if (d < 0 || o->kind != REPORT_VOLUME) {
				snprintf(msg, msglen,
				         o->kind == REPORT_VOLUME
				                 ? _("expected week, month, org, region, topic, group, channel or "
				                     "muni after 'by', not '%s'")
				                 : _("expected week or month after 'by', not '%s'"),
				         w);
				ok = false;
			}
			o->dim = d;
		} else if (strcmp(w, "by") == 0) {
			after_by = true;
		} else if (strncmp(w, "since:", 6) == 0 && valid_date(w + 6)) {
			snprintf(o->since, sizeof o->since, "%s", w + 6);
		} else if (strncmp(w, "until:", 6) == 0 && valid_date(w + 6)) {
			snprintf(o->until, sizeof o->until, "%s", w + 6);
		} else {
			snprintf(msg, msglen,
			         _("expected by ..., since:YYYY-MM-DD or until:YYYY-MM-DD, not '%s'"), w);
			ok = false;
		}
	}
	if (ok && o->kind == REPORT_COUNT) {
		snprintf(msg, msglen,
		         "%s", _("which report? volume, funnel, pickup, consistency, signals or knowledge"));
		ok = false;
	}
	if (ok && after_by) {
		snprintf(msg, msglen, "%s", _("expected something after 'by'"));
		ok = false;
	}
	free(copy);
	return ok;
}

/* --- building tables ------------------------------------------------------ */

struct ctx {
	struct report *r;
	bool utf8;
	bool national; /* a national analyst: regions where a region has organisations */
	char held[16]; /* "<5" */
	bool any_held;
};

static struct report_table *
table(struct ctx *c, const char *key, const char *title)
{
	struct report_table *t = &c->r->tables[c->r->ntables++];
	memset(t, 0, sizeof *t);
	t->key = key;
	t->title = xstrdup(title);
	return t;
}

/* A column: its CSV/JSON key, its translated header, what it holds. */
static void
col(struct report_table *t, const char *key, const char *name, enum report_fmt fmt,
    enum report_col_use use)
{
	t->cols[t->ncols++] = (struct report_col){key, name, fmt, use, false};
}

/* Start a row; cells are then set with set(). */
static int
row(struct report_table *t)
{
	t->cells = xrealloc(t->cells, (size_t)(t->nrows + 1) * (size_t)t->ncols * sizeof *t->cells);
	memset(t->cells + (size_t)t->nrows * (size_t)t->ncols, 0, (size_t)t->ncols * sizeof *t->cells);
	return t->nrows++;
}

static void
set(struct report_table *t, int r, int c, char *owned)
{
	t->cells[(size_t)r * (size_t)t->ncols + (size_t)c] = owned;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* A count: the number, or "<5" when the database held it back. */
static char *
count_cell(struct ctx *c, const char *v)
{
	if (v)
		return xstrdup(v);
	c->any_held = true;
	return xstrdup(c->held);
}

static char *
bar_cell(struct ctx *c, const char *v, double max)
{
	return chart_bar(num_value(v), max, BAR_WIDTH, c->utf8);
}

static double
column_max(const struct db_result *res, int col, int from_row)
{
	double max = 0;
	for (int i = from_row; i < db_result_rows(res); i++) {
		const char *v = db_result_get(res, i, col);
		if (num_value(v) > max)
			max = num_value(v);
	}
	return max;
}

static char *
trend_cell(struct ctx *c, const char *v)
{
	double f;
	char pct[32];
	if (!num_parse(v, &f) || !num_text(pct, sizeof pct, v, 2, 0, true))
		return NULL;
	const char *arrow = f >= 0.05 ? (c->utf8 ? "↑" : "^") : f <= -0.05 ? (c->utf8 ? "↓" : "v")
	                                                                   : (c->utf8 ? "→" : "=");
	return xasprintf("%s %s%s%%", arrow, pct[0] == '-' ? "" : "+", pct);
}

/* --- the reports ------------------------------------------------------------ */

static bool
fetch(struct db *db, const char *sql, const struct report_opts *o, const char *a, const char *b,
      struct db_result **res, struct db_error *err)
{
	const char *p[] = {o->since, o->until, a, b};
	return db_query(db, sql, a ? (b ? 4 : 3) : 2, p, res, err);
}

/* The regional report's word, or the national one's. */
static const char *
scope(const struct ctx *c, const char *regional, const char *national)
{
	return c->national ? _(national) : _(regional);
}

/* The report function: loket.report_NAME, or loket.national_NAME for a
 * national analyst (sql/046: the same code over the published summaries). */
static bool
fetch_from(struct ctx *c, struct db *db, const char *select, const char *name, const char *rest,
           const struct report_opts *o, const char *a, const char *b, struct db_result **res,
           struct db_error *err)
{
	char *sql = xasprintf("%s FROM loket.%s_%s%s", select, c->national ? "national" : "report",
	                      name, rest);
	bool ok = fetch(db, sql, o, a, b, res, err);
	free(sql);
	return ok;
}

/* The dimension as the functions and the log name it. */
static const char *
dim_name(const struct report_opts *o)
{
	return o->national && o->dim == 0 ? "region" : report_dims[o->dim];
}

/* The name of a value, with its code when the name is missing. */
static char *
name_cell(const char *label, const char *code, const char *whole)
{
	if (!code)
		return xstrdup(whole);
	if (!*code)
		return xstrdup(_("(unknown)"));
	return xstrdup(label ? label : code);
}

/* A column of a table and where its cells come from: a column of the
 * result (src), copied as text, as a count, or drawn as a bar; CELL_NONE
 * for cells the report fills in itself.  name is untranslated ("" none). */
enum cell_kind { CELL_NONE, CELL_TEXT, CELL_COUNT, CELL_BAR };

struct column {
	const char *key, *name;
	enum report_fmt fmt;
	enum report_col_use use;
	enum cell_kind cell;
	int src;
};

#define TEXT_COL(key, name, use, src) {key, name, RF_TEXT, use, CELL_TEXT, src}
#define COUNT_COL(key, name, src) {key, name, RF_COUNT, RC_BOTH, CELL_COUNT, src}
#define BAR_COL(src) {"", "", RF_TEXT, RC_SCREEN, CELL_BAR, src}
#define STATE_COLS                                                                         \
	{"", N_("state"), RF_TEXT, RC_SCREEN, CELL_NONE, 0},                                  \
	{"state", "", RF_TEXT, RC_EXPORT, CELL_NONE, 0}
#define NCOLS(cols) ((int)(sizeof(cols) / sizeof((cols)[0])))

/* A new table with these columns. */
static struct report_table *
table_of(struct ctx *c, const char *key, const char *title, const struct column *cols, int n)
{
	struct report_table *t = table(c, key, title);
	for (int j = 0; j < n; j++)
		col(t, cols[j].key, cols[j].name[0] ? _(cols[j].name) : "", cols[j].fmt, cols[j].use);
	return t;
}

/* Row i of res as a new row of t, as the columns say; bars against max. */
static int
fill_row(struct ctx *c, struct report_table *t, const struct column *cols, int n,
         const struct db_result *res, int i, double max)
{
	int r = row(t);
	for (int j = 0; j < n; j++) {
		const char *v = db_result_get(res, i, cols[j].src);
		switch (cols[j].cell) {
		case CELL_NONE: break;
		case CELL_TEXT: set(t, r, j, dup_or_null(v)); break;
		case CELL_COUNT: set(t, r, j, count_cell(c, v)); break;
		case CELL_BAR: set(t, r, j, bar_cell(c, v, max)); break;
		}
	}
	return r;
}

/* A table of every row of res from row `from` on, as the columns say;
 * bars against the largest value of column maxcol (-1: no bars). */
static struct report_table *
rows_table(struct ctx *c, const char *key, const char *title, const struct column *cols, int n,
           const struct db_result *res, int from, int maxcol)
{
	struct report_table *t = table_of(c, key, title, cols, n);
	double max = maxcol >= 0 ? column_max(res, maxcol, 0) : 0;
	for (int i = from; i < db_result_rows(res); i++)
		fill_row(c, t, cols, n, res, i, max);
	return t;
}

/* The export's period columns of the volume report: one per period from
 * the first one (column 5 of res), at most nper. */
static void
volume_periods(struct db *db, const struct report_opts *o, const struct db_result *res,
               int nper, struct report_table *t, struct db_error *err)
{
	char *periods = NULL;
	if (db_result_rows(res)) {
		/* period headers: the first period and the step */
		struct db_result *pr = NULL;
		const char *p[] = {db_result_get(res, 0, 5), o->monthly ? "1 month" : "1 week"};
		if (db_query(db,
		             "SELECT string_agg(to_char(g, 'YYYY-MM-DD'), ',' ORDER BY g) "
		             "FROM generate_series($1::date, $1::date + ($2::interval * 31), "
		             "$2::interval) g",
		             2, p, &pr, err))
			periods = xstrdup(db_result_get(pr, 0, 0));
		db_result_free(&pr);
	}
	char *save = NULL, *tok = periods ? strtok_r(periods, ",", &save) : NULL;
	for (int i = 0; i < nper && tok; i++, tok = strtok_r(NULL, ",", &save)) {
		char *key = xstrdup(tok);
		col(t, key, key, RF_COUNT, RC_EXPORT);
		t->cols[t->ncols - 1].owned = true;
	}
	free(periods);
}

/* Row r's series (column 3 of row i: "-" for a held-back count): the
 * sparkline, and one cell per period from column first on (the export has
 * the first nper). */
static void
volume_series(struct ctx *c, struct report_table *t, int r, const struct db_result *res, int i,
              int first, int nper)
{
	long vals[200];
	int n = 0;
	char *series = xstrdup(db_result_get(res, i, 3) ? db_result_get(res, i, 3) : "");
	char *save = NULL;
	for (char *v = strtok_r(series, ",", &save); v && n < 200; v = strtok_r(NULL, ",", &save)) {
		vals[n] = strcmp(v, "-") == 0 ? -1 : atol(v);
		if (n < nper && first + n < t->ncols)
			set(t, r, first + n, vals[n] < 0 ? count_cell(c, NULL) : xasprintf("%ld", vals[n]));
		n++;
	}
	free(series);
	set(t, r, 4, chart_spark(vals, n, c->utf8));
}

static bool
volume(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch_from(c, db,
	                "SELECT value, label, total, array_to_string(series, ',', '-'), trend, "
	                "       first_period::text, cardinality(series)",
	                "volume", "($3, $4, $1::date, $2::date)", o, dim_name(o),
	                o->monthly ? "month" : "week", &res, err))
		return false;
	struct report_table *t =
		table(c, "volume", o->monthly ? _("Questions per month") : _("Questions per week"));
	col(t, "name", _("name"), RF_TEXT, RC_BOTH);
	col(t, "code", _("code"), RF_TEXT, RC_EXPORT);
	col(t, "total", _("total"), RF_COUNT, RC_BOTH);
	col(t, "", "", RF_TEXT, RC_SCREEN);
	col(t, "", o->monthly ? _("per month") : _("per week"), RF_TEXT, RC_SCREEN);
	col(t, "", _("trend"), RF_TEXT, RC_SCREEN);
	col(t, "trend", _("trend"), RF_DEC2, RC_EXPORT);
	int nper = db_result_rows(res) ? (int)num_value(db_result_get(res, 0, 6)) : 0;
	if (nper > 32)
		nper = 32; /* the export's period columns: at most the table's room */
	int first_period_col = t->ncols;
	volume_periods(db, o, res, nper, t, err);
	double max = column_max(res, 2, 1);
	for (int i = 0; i < db_result_rows(res); i++) {
		int r = row(t);
		const char *code = db_result_get(res, i, 0);
		set(t, r, 0, name_cell(db_result_get(res, i, 1), code,
		                       scope(c, N_("the whole region"), N_("all regions"))));
		set(t, r, 1, dup_or_null(code));
		set(t, r, 2, count_cell(c, db_result_get(res, i, 2)));
		if (code)
			set(t, r, 3, bar_cell(c, db_result_get(res, i, 2), max));
		volume_series(c, t, r, res, i, first_period_col, nper);
		set(t, r, 5, trend_cell(c, db_result_get(res, i, 4)));
		set(t, r, 6, dup_or_null(db_result_get(res, i, 4)));
	}
	db_result_free(&res);
	return true;
}

static const char *const stages[] = {N_("registered"), N_("informed"), N_("referred"),
                                     N_("picked up"),  N_("completed"), N_("returned")};
static const char *const stage_keys[] = {"registered", "informed",  "referred",
                                         "picked_up",  "completed", "returned"};

/* The region's row (the first of report_funnel) as a table of stages. */
static void
funnel_region(struct ctx *c, const struct db_result *res)
{
	struct report_table *t = table(c, "region", scope(c, N_("The region"), N_("All regions")));
	col(t, "name", _("stage"), RF_TEXT, RC_BOTH);
	col(t, "stage", _("stage"), RF_TEXT, RC_EXPORT);
	col(t, "questions", _("questions"), RF_COUNT, RC_BOTH);
	col(t, "share", _("of registered"), RF_RATE, RC_BOTH);
	col(t, "", "", RF_TEXT, RC_SCREEN);
	double total = num_value(db_result_get(res, 0, 2));
	for (int s = 0; s < 6; s++) {
		int r = row(t);
		const char *v = db_result_get(res, 0, 2 + s);
		set(t, r, 0, xstrdup(_(stages[s])));
		set(t, r, 1, xstrdup(stage_keys[s]));
		set(t, r, 2, count_cell(c, v));
		if (v && total > 0) {
			char frac[32];
			set(t, r, 3, xstrdup(num_format(frac, sizeof frac, num_value(v) / total, 4, false)));
		}
		set(t, r, 4, bar_cell(c, v, total));
	}
}

/* The outcomes of the completed referrals, per organisation and region-wide. */
static bool
funnel_outcomes(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	char *join = xasprintf("($1::date, $2::date) f LEFT JOIN loket.%s o ON o.code = f.organisation",
	                       c->national ? "region" : "organisation");
	bool ok = fetch_from(c, db,
	                     "SELECT coalesce(o.name, f.organisation), f.organisation, f.label, "
	                     "f.outcome, f.n",
	                     "outcomes", join, o, NULL, NULL, &res, err);
	free(join);
	if (!ok)
		return false;
	struct column cols[] = {
		TEXT_COL("organisation", N_("organisation"), RC_BOTH, 0),
		TEXT_COL("outcome", N_("outcome"), RC_BOTH, 2),
		TEXT_COL("code", N_("code"), RC_EXPORT, 3),
		COUNT_COL("referrals", N_("referrals"), 4),
		{"", "", RF_TEXT, RC_SCREEN, CELL_NONE, 4}, /* the region's bar */
	};
	if (c->national)
		cols[0] = (struct column)TEXT_COL("region", N_("region"), RC_BOTH, 0);
	struct report_table *t =
		table_of(c, "outcomes", _("Outcomes of the completed referrals"), cols, NCOLS(cols));
	double max = 0;
	for (int i = 0; i < db_result_rows(res); i++)
		if (!db_result_get(res, i, 1) && num_value(db_result_get(res, i, 4)) > max)
			max = num_value(db_result_get(res, i, 4));
	for (int i = 0; i < db_result_rows(res); i++) {
		int r = fill_row(c, t, cols, NCOLS(cols), res, i, max);
		if (!db_result_get(res, i, 1)) { /* the whole region: so named, with a bar */
			free(t->cells[(size_t)r * (size_t)t->ncols]);
			set(t, r, 0, xstrdup(scope(c, N_("the whole region"), N_("all regions"))));
			set(t, r, 4, bar_cell(c, db_result_get(res, i, 4), max));
		}
	}
	db_result_free(&res);
	return true;
}

static bool
funnel(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch_from(c, db,
	                "SELECT organisation, name, registered, informed, referred, accepted, "
	                "completed, returned",
	                "funnel", "($1::date, $2::date)", o, NULL, NULL, &res, err))
		return false;
	if (db_result_rows(res) > 0)
		funnel_region(c, res);
	c->r->export_table = c->r->ntables;
	struct column cols[] = {
		TEXT_COL("name", N_("organisation"), RC_BOTH, 1),
		TEXT_COL("code", N_("code"), RC_EXPORT, 0),
		COUNT_COL("registered", N_("registered"), 2),
		COUNT_COL("informed", N_("informed"), 3),
		COUNT_COL("referred", N_("referred"), 4),
		COUNT_COL("picked_up", N_("picked up"), 5),
		COUNT_COL("completed", N_("completed"), 6),
		COUNT_COL("returned", N_("returned"), 7),
	};
	if (c->national)
		cols[0].name = N_("region");
	rows_table(c, c->national ? "regions" : "organisations",
	           scope(c, N_("Per organisation where the question was asked"),
	                 N_("Per region where the question was asked")),
	           cols, NCOLS(cols), res, 1, -1);
	db_result_free(&res);
	return funnel_outcomes(c, db, o, err);
}

static bool
pickup(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch(db,
	           "SELECT name, organisation, referrals, picked_up, median_hours, p90_hours, "
	           "waiting_now, overdue_now FROM loket.report_pickup($1::date, $2::date)",
	           o, NULL, NULL, &res, err))
		return false;
	static const struct column cols[] = {
		TEXT_COL("name", N_("organisation"), RC_BOTH, 0),
		TEXT_COL("code", N_("code"), RC_EXPORT, 1),
		COUNT_COL("referrals", N_("referrals"), 2),
		COUNT_COL("picked_up", N_("picked up"), 3),
		{"median_hours", N_("median (h)"), RF_DEC1, RC_BOTH, CELL_TEXT, 4},
		{"p90_hours", N_("p90 (h)"), RF_DEC1, RC_BOTH, CELL_TEXT, 5},
		BAR_COL(4),
		COUNT_COL("waiting_now", N_("waiting now"), 6),
		COUNT_COL("overdue_now", N_("overdue now"), 7),
	};
	rows_table(c, "pickup", _("Pick-up time per target organisation"), cols, NCOLS(cols), res,
	           0, 5);
	db_result_free(&res);
	return true;
}

static const char *
flag_words(const char *flag)
{
	static const struct {
		const char *code, *words;
	} flags[] = {
		{"refers_more", N_("refers more")},   {"refers_less", N_("refers less")},
		{"informs_more", N_("informs more")}, {"informs_less", N_("informs less")},
		{"item_more", N_("gives the item more")}, {"item_less", N_("gives the item less")},
	};
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (strcmp(flag, flags[i].code) == 0)
			return _(flags[i].words);
	return flag;
}

static bool
consistency(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch_from(c, db,
	                "SELECT topic, organisation, questions, referral_rate, rest_referral_rate, "
	                "referral_z, info_rate, rest_info_rate, info_z, item, item_rate, "
	                "rest_item_rate, item_z, array_to_string(flags, ',')",
	                "consistency", "($1::date, $2::date)", o, NULL, NULL, &res, err))
		return false;
	struct report_table *t =
		table(c, "consistency",
		      scope(c, N_("Per topic and organisation, against the rest of the region"),
		            N_("Per topic and region, against the rest of the country")));
	t->label_cols = 2; /* topic and organisation */
	static const struct {
		const char *key, *name;
		enum report_fmt fmt;
	} cols[] = {
		{"topic", N_("topic"), RF_TEXT},
		{"organisation", N_("organisation"), RF_TEXT},
		{"questions", N_("questions"), RF_COUNT},
		{"referral_rate", N_("referred"), RF_RATE},
		{"rest_referral_rate", N_("rest"), RF_RATE},
		{"referral_z", N_("z"), RF_DEC2},
		{"info_rate", N_("informed"), RF_RATE},
		{"rest_info_rate", N_("rest"), RF_RATE},
		{"info_z", N_("z"), RF_DEC2},
		{"item", N_("item"), RF_TEXT},
		{"item_rate", N_("item given"), RF_RATE},
		{"rest_item_rate", N_("rest"), RF_RATE},
		{"item_z", N_("z"), RF_DEC2},
	};
	for (int j = 0; j < 13; j++) {
		bool who = j == 1 && c->national; /* a region where a region has organisations */
		col(t, who ? "region" : cols[j].key, who ? _("region") : _(cols[j].name), cols[j].fmt,
		    cols[j].fmt == RF_DEC2 ? RC_EXPORT : RC_BOTH);
	}
	col(t, "", _("deviates"), RF_TEXT, RC_SCREEN);
	col(t, "flags", "", RF_TEXT, RC_EXPORT);
	for (int i = 0; i < db_result_rows(res); i++) {
		int r = row(t);
		for (int j = 0; j < 13; j++) {
			const char *v = db_result_get(res, i, j);
			if (c->national && j >= 9)
				continue; /* knowledge items are each region's own (sql/046) */
			set(t, r, j, j == 2 ? count_cell(c, v) : dup_or_null(v));
		}
		const char *flags = db_result_get(res, i, 13);
		set(t, r, 14, dup_or_null(flags && *flags ? flags : NULL));
		if (flags && *flags) {
			struct strbuf b;
			strbuf_init(&b);
			char *copy = xstrdup(flags), *save = NULL;
			for (char *f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save))
				strbuf_addf(&b, "%s%s", b.len ? ", " : (c->utf8 ? "⚑ " : "! "), flag_words(f));
			free(copy);
			set(t, r, 13, strbuf_detach(&b));
		}
	}
	db_result_free(&res);
	return true;
}

/* The signals of one dimension (res: dim, value, label, n) as a table,
 * and as rows of `all`, the export's table of every dimension. */
static void
signals_by(struct ctx *c, const struct db_result *res, const char *dim, const char *title,
           struct report_table *all)
{
	struct report_table *t = table(c, dim, title);
	col(t, "name", _("name"), RF_TEXT, RC_BOTH);
	col(t, "code", _("code"), RF_TEXT, RC_EXPORT);
	col(t, "signals", _("signals"), RF_COUNT, RC_BOTH);
	col(t, "", "", RF_TEXT, RC_SCREEN);
	double max = 0;
	for (int i = 0; i < db_result_rows(res); i++)
		if (strcmp(db_result_get(res, i, 0), dim) == 0 &&
		    num_value(db_result_get(res, i, 3)) > max)
			max = num_value(db_result_get(res, i, 3));
	for (int i = 0; i < db_result_rows(res); i++) {
		if (strcmp(db_result_get(res, i, 0), dim) != 0)
			continue;
		int r = row(t);
		const char *value = db_result_get(res, i, 1);
		const char *label = db_result_get(res, i, 2);
		if (strcmp(dim, "kind") == 0)
			label = strcmp(value, "latente_vraag") == 0 ? _("latent demand")
			                                           : _("missing training offer");
		set(t, r, 0, name_cell(label, value, ""));
		set(t, r, 1, dup_or_null(value));
		set(t, r, 2, count_cell(c, db_result_get(res, i, 3)));
		set(t, r, 3, bar_cell(c, db_result_get(res, i, 3), max));
		int a = row(all);
		set(all, a, 0, xstrdup(dim));
		set(all, a, 1, dup_or_null(value));
		set(all, a, 2, name_cell(label, value, ""));
		set(all, a, 3, count_cell(c, db_result_get(res, i, 3)));
	}
}

/* The newest signals, as they were logged. */
static bool
signal_examples(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch(db,
	           "SELECT day::text, kind, topic, sector, muni, organisation, text "
	           "FROM loket.report_signal_examples($1::date, $2::date, 10)",
	           o, NULL, NULL, &res, err))
		return false;
	static const struct column cols[] = {
		{"date", N_("date"), RF_DATE, RC_BOTH, CELL_TEXT, 0},
		TEXT_COL("kind", N_("kind"), RC_BOTH, 1),
		TEXT_COL("topic", N_("topic"), RC_BOTH, 2),
		TEXT_COL("sector", N_("sector"), RC_BOTH, 3),
		TEXT_COL("municipality", N_("municipality"), RC_BOTH, 4),
		TEXT_COL("organisation", N_("organisation"), RC_BOTH, 5),
		TEXT_COL("text", N_("text"), RC_BOTH, 6),
	};
	rows_table(c, "examples", _("The newest signals"), cols, NCOLS(cols), res, 0, -1);
	db_result_free(&res);
	return true;
}

static bool
signals(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch(db, "SELECT dim, value, label, n FROM loket.report_signals($1::date, $2::date)", o,
	           NULL, NULL, &res, err))
		return false;
	static const struct {
		const char *dim, *title;
	} dims[] = {{"kind", N_("Signals by kind")},
	            {"topic", N_("Signals by topic")},
	            {"sector", N_("Signals by sector")},
	            {"muni", N_("Signals by municipality")}};
	/* for CSV, one table of all four */
	c->r->export_table = c->r->ntables;
	struct report_table *all = table(c, "signals", _("Demand signals"));
	all->export_only = true;
	col(all, "by", _("by"), RF_TEXT, RC_BOTH);
	col(all, "code", _("code"), RF_TEXT, RC_BOTH);
	col(all, "name", _("name"), RF_TEXT, RC_BOTH);
	col(all, "signals", _("signals"), RF_COUNT, RC_BOTH);
	for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++)
		signals_by(c, res, dims[d].dim, _(dims[d].title), all);
	db_result_free(&res);
	return signal_examples(c, db, o, err);
}

/* The training catalogue: which offerings advisors gave most. */
static bool
offerings(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch(db,
	           "SELECT name, organization, given, withdrawn "
	           "FROM loket.report_offerings($1::date, $2::date)",
	           o, NULL, NULL, &res, err))
		return false;
	static const struct column cols[] = {
		TEXT_COL("offering", N_("offering"), RC_BOTH, 0),
		TEXT_COL("provider", N_("provider"), RC_BOTH, 1),
		COUNT_COL("given", N_("given"), 2),
		BAR_COL(2),
		STATE_COLS,
	};
	struct report_table *t = rows_table(c, "offerings", _("Training offerings given"), cols,
	                                    NCOLS(cols), res, 0, 2);
	for (int i = 0; i < db_result_rows(res); i++)
		if (strcmp(db_result_get(res, i, 3), "t") == 0) {
			set(t, i, 4, xstrdup(_("withdrawn")));
			set(t, i, 5, xstrdup("withdrawn"));
		}
	db_result_free(&res);
	return true;
}

static bool
knowledge(struct ctx *c, struct db *db, const struct report_opts *o, struct db_error *err)
{
	struct db_result *res = NULL;
	if (!fetch(db,
	           "SELECT slug, title, given, given_late, review_by::text, past_review, retired "
	           "FROM loket.report_knowledge($1::date, $2::date)",
	           o, NULL, NULL, &res, err))
		return false;
	static const struct column cols[] = {
		TEXT_COL("item", N_("item"), RC_BOTH, 0),
		TEXT_COL("title", N_("title"), RC_EXPORT, 1),
		COUNT_COL("given", N_("given"), 2),
		BAR_COL(2),
		COUNT_COL("given_late", N_("after review date"), 3),
		{"review_by", N_("review by"), RF_DATE, RC_BOTH, CELL_TEXT, 4},
		STATE_COLS,
	};
	struct report_table *t =
		rows_table(c, "items", _("Knowledge items given"), cols, NCOLS(cols), res, 0, 2);
	for (int i = 0; i < db_result_rows(res); i++) {
		int r = i;
		bool retired = strcmp(db_result_get(res, i, 6), "t") == 0;
		bool past = strcmp(db_result_get(res, i, 5), "t") == 0;
		if (retired || past) {
			set(t, r, 6, xstrdup(retired ? _("retired") : _("past review")));
			set(t, r, 7, xstrdup(retired ? "retired" : "past_review"));
		}
	}
	db_result_free(&res);
	return offerings(c, db, o, err);
}

/* Every figure a supervisor sees is logged before it is counted, in a
 * statement (and transaction) of its own: the report functions answer only
 * a question logged by a committed transaction (sql/026).  For anyone else
 * this logs nothing.  False, with err, when the log cannot be written. */
static bool
ask(struct db *db, const struct report_opts *o, struct db_error *err)
{
	const char *p[] = {report_names[o->kind], o->since, o->until, dim_name(o),
	                   o->monthly ? "month" : "week"};
	return db_query_for_reader(db,
	                           "SELECT loket.supervisor_ask($1, CASE WHEN $1 = 'volume' "
	                           "  THEN jsonb_build_array($4::text, $5::text, $2::date, $3::date) "
	                           "  ELSE jsonb_build_array($2::date, $3::date) END)",
	                           5, p, err);
}

bool
report_run(struct db *db, const struct report_opts *o_in, bool utf8, struct report *out,
           struct db_error *err)
{
	memset(out, 0, sizeof *out);
	struct report_opts o = *o_in;
	struct ctx c = {.r = out, .utf8 = utf8};
	/* the window (by default 13 weeks, or 12 months by month) and the threshold */
	struct db_result *res = NULL;
	const char *p[] = {o.since[0] ? o.since : NULL, o.until[0] ? o.until : NULL,
	                   o.monthly ? "t" : "f"};
	if (!db_query(db,
	              "SELECT coalesce($1::date, CASE WHEN $3::boolean "
	              "  THEN (date_trunc('month', current_date) - interval '11 months')::date "
	              "  ELSE date_trunc('week', current_date)::date - 84 END)::text, "
	              "  coalesce($2::date, current_date)::text, n, "
	              "  CASE WHEN n THEN loket.national_threshold() "
	              "       ELSE (SELECT suppress_below FROM loket.region "
	              "             WHERE code = loket.my_region()) END "
	              "FROM (SELECT " REPORT_NATIONAL_SQL " AS n) who",
	              3, p, &res, err))
		return false;
	o.national = c.national = strcmp(db_result_get(res, 0, 2), "t") == 0;
	snprintf(o.since, sizeof o.since, "%s", db_result_get(res, 0, 0));
	snprintf(o.until, sizeof o.until, "%s", db_result_get(res, 0, 1));
	const char *held = db_result_get(res, 0, 3);
	snprintf(c.held, sizeof c.held, "<%s", held ? held : "5");
	db_result_free(&res);
	if (o.national && (o.kind == REPORT_PICKUP || o.kind == REPORT_SIGNALS ||
	                   o.kind == REPORT_KNOWLEDGE)) {
		db_error_set(err, "%s",
		             _("the national database has volume, funnel and consistency: the other "
		               "reports count cases, which stay in the region"));
		memcpy(err->sqlstate, "0A000", 6); /* feature_not_supported: not a lost connection */
		return false;
	}
	if (o.by_region && !o.national) {
		db_error_set(err, "%s",
		             _("volume by region is for the national database: a region's volume is "
		               "by org, topic, group, channel or muni"));
		memcpy(err->sqlstate, "0A000", 6); /* not here: the words, not the database */
		return false;
	}
	if (o.kind != REPORT_COUNT && !ask(db, &o, err))
		return false;
	static const char *const titles[] = {
		N_("Volume by %s"),         N_("Referral funnel"),         N_("Pick-up times"),
		N_("Consistency between vindplaatsen"), N_("Demand signals"), N_("Knowledge items")};
	static const char *const dim_words[] = {N_("organisation"), N_("topic"), N_("client group"),
	                                        N_("channel"), N_("municipality")};
	char what[128], since[16], until[16];
	snprintf(what, sizeof what,
	         o.national && o.kind == REPORT_CONSISTENCY ? _("Consistency between regions")
	                                                     : _(titles[o.kind]),
	         o.national && o.dim == 0 ? _("region") : _(dim_words[o.dim]));
	out->name = report_names[o.kind];
	out->what = xstrdup(what);
	snprintf(out->since, sizeof out->since, "%s", o.since);
	snprintf(out->until, sizeof out->until, "%s", o.until);
	out->title = xasprintf(_("%s, %s to %s"), what, date_dutch(since, sizeof since, o.since),
	                       date_dutch(until, sizeof until, o.until));
	bool ok = false;
	switch (o.kind) {
	case REPORT_VOLUME: ok = volume(&c, db, &o, err); break;
	case REPORT_FUNNEL: ok = funnel(&c, db, &o, err); break;
	case REPORT_PICKUP: ok = pickup(&c, db, &o, err); break;
	case REPORT_CONSISTENCY: ok = consistency(&c, db, &o, err); break;
	case REPORT_SIGNALS: ok = signals(&c, db, &o, err); break;
	case REPORT_KNOWLEDGE: ok = knowledge(&c, db, &o, err); break;
	case REPORT_COUNT: break;
	}
	if (c.any_held)
		out->note = xasprintf(_("%s: fewer than %s, held back for privacy"), c.held, c.held + 1);
	if (!ok)
		report_free(out);
	return ok;
}

void
report_free(struct report *r)
{
	for (int i = 0; i < r->ntables; i++) {
		struct report_table *t = &r->tables[i];
		for (int j = 0; j < t->nrows * t->ncols; j++)
			free(t->cells[j]);
		free(t->cells);
		free(t->title);
		for (int j = 0; j < t->ncols; j++)
			if (t->cols[j].owned)
				free((char *)t->cols[j].key); /* name is the same string */
	}
	free(r->what);
	free(r->title);
	free(r->note);
	memset(r, 0, sizeof *r);
}

/* A cell as a person reads it: Dutch figures and dates, whatever the
 * locale.  Returns buf, or v itself when it is not a figure ("<5"). */
static const char *
shown(const char *v, enum report_fmt fmt, char *buf, size_t size)
{
	char num[64];
	switch (fmt) {
	case RF_TEXT: return v;
	case RF_COUNT: return num_text(buf, size, v, 0, 0, true) ? buf : v;
	case RF_DEC1: return num_text(buf, size, v, 0, 1, true) ? buf : v;
	case RF_DEC2: return num_text(buf, size, v, 0, 2, true) ? buf : v;
	case RF_DATE: return date_dutch(buf, size, v);
	case RF_RATE:
		if (!num_text(num, sizeof num, v, 2, 1, true))
			return v;
		snprintf(buf, size, "%s%%", num);
		return buf;
	}
	return v;
}

/* One table as a grid of the columns for this use: for the table format
 * with translated headers and Dutch figures, for CSV and JSON with the
 * keys and the values as they are. */
static struct out_grid
grid(const struct report_table *t, enum out_format fmt, struct out_column *cols, char ***owned)
{
	enum report_col_use skip = fmt == OUT_TABLE ? RC_EXPORT : RC_SCREEN;
	int map[40], n = 0;
	for (int j = 0; j < t->ncols; j++)
		if (t->cols[j].use != skip) {
			bool number = t->cols[j].fmt != RF_TEXT && t->cols[j].fmt != RF_DATE;
			cols[n] = (struct out_column){fmt == OUT_TABLE ? t->cols[j].name : t->cols[j].key,
			                              number, fmt == OUT_TABLE ? 30 : 0};
			map[n++] = j;
		}
	char **cells = xcalloc((size_t)(t->nrows * n) + 1, sizeof *cells);
	for (int r = 0; r < t->nrows; r++)
		for (int j = 0; j < n; j++) {
			const char *v = t->cells[(size_t)r * (size_t)t->ncols + (size_t)map[j]];
			char buf[96];
			if (v && fmt == OUT_TABLE)
				v = shown(v, t->cols[map[j]].fmt, buf, sizeof buf);
			/* a held-back count is not a number in JSON */
			if (v && v[0] == '<' && fmt == OUT_JSON)
				cols[j].numeric = false;
			cells[r * n + j] = v ? xstrdup(v) : NULL;
		}
	*owned = cells;
	return (struct out_grid){cols, n, t->nrows, (const char *const *)cells};
}

static void
free_cells(char **cells, int n)
{
	for (int i = 0; i < n; i++)
		free(cells[i]);
	free(cells);
}

static void
write_table(FILE *f, const struct report_table *t, enum out_format fmt, bool sanitise)
{
	struct out_column cols[40];
	char **cells;
	struct out_grid g = grid(t, fmt, cols, &cells);
	out_write(f, fmt, &g, sanitise);
	free_cells(cells, g.nrows * g.ncols);
}

/* The display columns of a table's row labels and the gap after them. */
static int
label_width(const struct report_table *t)
{
	struct out_column cols[40];
	char **cells;
	struct out_grid g = grid(t, OUT_TABLE, cols, &cells);
	int w = 0;
	for (int j = 0; j < (t->label_cols > 0 ? t->label_cols : 1) && j < g.ncols - 1; j++)
		w += out_table_width(&g, j) + 2;
	free_cells(cells, g.nrows * g.ncols);
	return w;
}

static void
write_json(FILE *f, const struct report *r, bool sanitise)
{
	fputs("{\"report\": ", f);
	out_json_string(f, r->name ? r->name : "");
	fputs(", \"since\": ", f);
	out_json_string(f, r->since);
	fputs(", \"until\": ", f);
	out_json_string(f, r->until);
	fputs(", \"title\": ", f);
	out_json_string(f, r->what);
	fputs(", \"tables\": [", f);
	bool first = true;
	for (int i = 0; i < r->ntables; i++) {
		if (r->tables[i].export_only)
			continue;
		fputs(first ? "\n{\"name\": " : ",\n{\"name\": ", f);
		first = false;
		out_json_string(f, r->tables[i].key);
		fputs(", \"title\": ", f);
		out_json_string(f, r->tables[i].title);
		fputs(", \"rows\": ", f);
		write_table(f, &r->tables[i], OUT_JSON, sanitise);
		fputs("}", f);
	}
	fputs("]}\n", f);
}

/* The table format; with freeze, the label width of each line written. */
static void
write_text(FILE *f, const struct report *r, int **freeze, int *nlines)
{
	int n = 0;
	if (freeze)
		*freeze = NULL;
#define LINES(k, w)                                                                  \
	do {                                                                             \
		if (freeze) {                                                                \
			*freeze = xrealloc(*freeze, (size_t)(n + (k)) * sizeof **freeze);        \
			for (int l_ = 0; l_ < (k); l_++)                                         \
				(*freeze)[n + l_] = (w);                                             \
		}                                                                            \
		n += (k);                                                                    \
	} while (0)
	fprintf(f, "%s\n", r->title);
	LINES(1, 0);
	for (int i = 0; i < r->ntables; i++) {
		const struct report_table *t = &r->tables[i];
		if (t->export_only)
			continue;
		fprintf(f, "\n%s\n", t->title);
		LINES(2, 0);
		if (t->nrows == 0) {
			fprintf(f, "%s\n", _("(nothing in this period)"));
			LINES(1, 0);
		} else {
			write_table(f, t, OUT_TABLE, true);
			LINES(1 + t->nrows, freeze ? label_width(t) : 0);
		}
	}
	if (r->note) {
		fprintf(f, "\n%s\n", r->note);
		LINES(2, 0);
	}
#undef LINES
	if (nlines)
		*nlines = n;
}

void
report_write(FILE *f, const struct report *r, enum out_format fmt, bool sanitise)
{
	switch (fmt) {
	case OUT_CSV:
		if (r->export_table < r->ntables)
			write_table(f, &r->tables[r->export_table], fmt, sanitise);
		break;
	case OUT_JSON: write_json(f, r, sanitise); break;
	case OUT_TABLE: write_text(f, r, NULL, NULL); break;
	}
}

char *
report_text(const struct report *r, int **freeze, int *nlines)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	if (!f) {
		*freeze = NULL;
		*nlines = 0;
		return xstrdup("");
	}
	write_text(f, r, freeze, nlines);
	fclose(f);
	return text;
}
