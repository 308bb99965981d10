/* lang.c: the filter language; see lang.h and doc/query.md. */
#include "config.h"

#include "query/lang.h"
#include "util/i18n.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const query_field_names[] = {"topic",    "org",     "group", "channel",
                                         "status",   "muni",    "referral", "outcome",
                                         "since",    "until",   NULL};

struct lexer {
	const char *text;
	const char *p;
	struct query_error *err;
};

/* Column of a byte position, in characters (1-based). */
static int
column_of(const struct lexer *lx, const char *at)
{
	return (int)utf8_length(lx->text, (size_t)(at - lx->text)) + 1;
}

static bool
fail(struct lexer *lx, const char *at, const char *fmt, const char *arg)
{
	lx->err->column = column_of(lx, at);
	if (arg)
		snprintf(lx->err->message, sizeof lx->err->message, gettext(fmt), arg);
	else
		snprintf(lx->err->message, sizeof lx->err->message, "%s", gettext(fmt));
	return false;
}

static void
skip_space(struct lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\n' || *lx->p == '\r')
		lx->p++;
}

/* A word: letters, digits, '_' and '-' (and any UTF-8). */
static size_t
word_len(const char *p)
{
	size_t n = 0;
	while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '_' || p[n] == '-' ||
	                (unsigned char)p[n] >= 0x80))
		n++;
	return n;
}

static bool
is_word(const char *p, size_t n, const char *w)
{
	return strlen(w) == n && strncmp(p, w, n) == 0;
}

static int
field_of(const char *p, size_t n)
{
	for (int i = 0; query_field_names[i]; i++)
		if (is_word(p, n, query_field_names[i]))
			return i;
	return -1;
}

static bool
valid_date(const char *s)
{
	int y, m, d;
	char rest;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3)
		return false;
	return y >= 2000 && y <= 2100 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* field:value[,value...] after the field name and ':' */
static bool
parse_values(struct lexer *lx, struct query_term *t)
{
	for (;;) {
		const char *start = lx->p;
		size_t n = word_len(lx->p);
		if (n == 0)
			return fail(lx, lx->p, N_("expected a value after '%s:'"),
			            query_field_names[t->field]);
		if (t->nvalues == QUERY_MAX_VALUES)
			return fail(lx, start, N_("too many values in one term (at most 16)"), NULL);
		char *v = xstrndup(start, n);
		if ((t->field == QF_SINCE || t->field == QF_UNTIL) && !valid_date(v)) {
			free(v);
			return fail(lx, start, N_("expected a date like 2026-01-31 after '%s:'"),
			            query_field_names[t->field]);
		}
		t->values[t->nvalues++] = v;
		lx->p += n;
		if (*lx->p != ',')
			break;
		lx->p++;
	}
	if ((t->field == QF_SINCE || t->field == QF_UNTIL) && t->nvalues > 1)
		return fail(lx, lx->p, N_("expected one date after '%s:'"), query_field_names[t->field]);
	if (*lx->p && !isspace((unsigned char)*lx->p))
		return fail(lx, lx->p, N_("expected a space, a comma or the end"), NULL);
	return true;
}

static bool
parse_text(struct lexer *lx, struct query_term *t)
{
	const char *open = lx->p++;
	const char *end = strchr(lx->p, '"');
	if (!end)
		return fail(lx, open, N_("expected a closing quote for this text"), NULL);
	if (end == lx->p)
		return fail(lx, open, N_("expected words between the quotes"), NULL);
	t->field = QF_TEXT;
	t->values[t->nvalues++] = xstrndup(lx->p, (size_t)(end - lx->p));
	lx->p = end + 1;
	return true;
}

/* count [by F[,F...]] [by week|month] */
static bool
parse_count(struct lexer *lx, struct query *q)
{
	q->count = true;
	for (;;) {
		skip_space(lx);
		size_t n = word_len(lx->p);
		if (!is_word(lx->p, n, "by"))
			return true;
		lx->p += n;
		skip_space(lx);
		const char *start = lx->p;
		n = word_len(lx->p);
		if (is_word(start, n, "week") || is_word(start, n, "month")) {
			if (q->period)
				return fail(lx, start, N_("expected only one 'by week' or 'by month'"), NULL);
			q->period = is_word(start, n, "week") ? QP_WEEK : QP_MONTH;
			lx->p += n;
			continue;
		}
		for (;;) {
			start = lx->p;
			n = word_len(lx->p);
			int f = field_of(start, n);
			if (f < 0 || f == QF_SINCE || f == QF_UNTIL)
				return fail(lx, start,
				            N_("expected week, month or a field to count by: topic, org, "
				               "group, channel, status, muni, referral or outcome"),
				            NULL);
			if (q->ngroup == QUERY_MAX_GROUP)
				return fail(lx, start, N_("expected at most 4 fields to count by"), NULL);
			q->group[q->ngroup++] = (enum query_field)f;
			lx->p += n;
			if (*lx->p != ',')
				break;
			lx->p++;
		}
	}
}

bool
query_parse(const char *text, struct query *out, struct query_error *err)
{
	memset(out, 0, sizeof *out);
	memset(err, 0, sizeof *err);
	struct lexer lx = {text, text, err};
	if (!utf8_valid(text, strlen(text)))
		return fail(&lx, text, N_("expected valid UTF-8 text"), NULL);
	for (;;) {
		skip_space(&lx);
		if (!*lx.p)
			return true;
		const char *start = lx.p;
		size_t n = word_len(lx.p);
		if (is_word(start, n, "count")) {
			if (out->count)
				return fail(&lx, start, N_("expected only one 'count'"), NULL);
			lx.p += n;
			if (!parse_count(&lx, out))
				return false;
			continue;
		}
		if (is_word(start, n, "top")) {
			lx.p += n;
			skip_space(&lx);
			const char *num = lx.p;
			char *end;
			long v = strtol(num, &end, 10);
			if (end == num || v < 1 || v > 10000 || (*end && !isspace((unsigned char)*end)))
				return fail(&lx, num, N_("expected a number from 1 to 10000 after 'top'"),
				            NULL);
			out->top = (int)v;
			lx.p = end;
			continue;
		}
		if (out->nterms == QUERY_MAX_TERMS)
			return fail(&lx, start, N_("too many terms (at most 32)"), NULL);
		struct query_term *t = &out->terms[out->nterms];
		memset(t, 0, sizeof *t);
		if (*lx.p == '-') {
			t->negated = true;
			lx.p++;
		}
		if (*lx.p == '"') {
			if (!parse_text(&lx, t))
				return false;
			out->nterms++;
			continue;
		}
		const char *name = lx.p;
		n = word_len(name);
		int f = field_of(name, n);
		if (n == 0 || name[n] != ':' || f < 0) {
			char word[48];
			snprintf(word, sizeof word, "%.*s", (int)(n < 40 ? n : 40), name);
			return fail(&lx, name,
			            n && name[n] == ':'
			                    ? N_("unknown field '%s': expected topic, org, group, channel, "
			                         "status, muni, referral, outcome, since or until")
			                    : N_("expected field:value, \"text\", count or top, not '%s'"),
			            n ? word : name);
		}
		t->field = (enum query_field)f;
		lx.p = name + n + 1;
		out->nterms++; /* freed by query_free even when the values fail */
		if (!parse_values(&lx, t))
			return false;
	}
}

void
query_free(struct query *q)
{
	for (int i = 0; i < q->nterms; i++)
		for (int j = 0; j < q->terms[i].nvalues; j++)
			free(q->terms[i].values[j]);
	memset(q, 0, sizeof *q);
}

/* What each field is in SQL; every value is a parameter. */
static const char *const column_sql[] = {
	[QF_TOPIC] = "q.topic",        [QF_ORG] = "q.organisation", [QF_GROUP] = "q.client_group",
	[QF_CHANNEL] = "q.channel",    [QF_STATUS] = "q.status",    [QF_MUNI] = "p.municipality",
	[QF_REFERRAL] = "lr.status",   [QF_OUTCOME] = "lr.outcome",
};

int
query_compile(const struct query *q, char **sql, const char **params, int max_params)
{
	struct strbuf b, where;
	strbuf_init(&b);
	strbuf_init(&where);
	int np = 0;
	for (int i = 0; i < q->nterms; i++) {
		const struct query_term *t = &q->terms[i];
		strbuf_adds(&where, i ? " AND " : " WHERE ");
		strbuf_adds(&where, t->negated ? "NOT coalesce(" : "(");
		if (t->field == QF_TEXT) {
			params[np++] = t->values[0];
			strbuf_addf(&where,
			            "to_tsvector('dutch', q.text) @@ websearch_to_tsquery('dutch', $%d)", np);
		} else if (t->field == QF_SINCE) {
			params[np++] = t->values[0];
			strbuf_addf(&where, "q.created_at >= $%d::date", np);
		} else if (t->field == QF_UNTIL) {
			params[np++] = t->values[0];
			strbuf_addf(&where, "q.created_at < $%d::date + 1", np);
		} else {
			strbuf_addf(&where, "%s IN (", column_sql[t->field]);
			for (int j = 0; j < t->nvalues && np < max_params; j++) {
				params[np++] = t->values[j];
				strbuf_addf(&where, "%s$%d", j ? ", " : "", np);
			}
			strbuf_adds(&where, ")");
		}
		strbuf_adds(&where, t->negated ? ", false)" : ")");
	}
	static const char *const from =
		" FROM loket.question q"
		" LEFT JOIN loket.postcode4 p ON p.postcode = q.postcode4"
		" LEFT JOIN LATERAL (SELECT r.status, r.outcome FROM loket.referral r"
		" WHERE r.question_id = q.id ORDER BY r.created_at DESC LIMIT 1) lr ON true";
	int limit = q->top > 0 ? q->top : (q->count ? 1000 : 100);
	if (!q->count) {
		strbuf_adds(&b, "SELECT q.number, to_char(q.created_at, 'YYYY-MM-DD') AS registered,"
		                " q.organisation AS org, q.client_group AS \"group\", q.topic,"
		                " q.channel, q.status, lr.status AS referral, p.municipality AS muni,"
		                " q.text");
		strbuf_adds(&b, from);
		strbuf_adds(&b, where.buf ? where.buf : "");
		strbuf_addf(&b, " ORDER BY q.created_at DESC, q.id DESC LIMIT %d", limit);
	} else {
		struct strbuf cols;
		strbuf_init(&cols);
		if (q->period)
			strbuf_addf(&cols, "to_char(date_trunc('%s', q.created_at), 'YYYY-MM-DD') AS %s",
			            q->period == QP_WEEK ? "week" : "month",
			            q->period == QP_WEEK ? "week" : "month");
		for (int i = 0; i < q->ngroup; i++)
			strbuf_addf(&cols, "%s%s AS \"%s\"", cols.len ? ", " : "", column_sql[q->group[i]],
			            query_field_names[q->group[i]]);
		strbuf_adds(&b, "SELECT ");
		if (cols.len)
			strbuf_addf(&b, "%s, ", cols.buf);
		strbuf_adds(&b, "count(*) AS count");
		strbuf_adds(&b, from);
		strbuf_adds(&b, where.buf ? where.buf : "");
		if (cols.len) {
			strbuf_adds(&b, " GROUP BY ");
			for (int i = 0; i < q->ngroup + (q->period ? 1 : 0); i++)
				strbuf_addf(&b, "%s%d", i ? ", " : "", i + 1);
			/* by period: in time order; otherwise the biggest first */
			if (q->period)
				strbuf_adds(&b, " ORDER BY 1");
			else
				strbuf_adds(&b, " ORDER BY count(*) DESC");
			for (int i = 0; i < q->ngroup + (q->period ? 1 : 0); i++)
				strbuf_addf(&b, ", %d", i + 1);
		}
		strbuf_addf(&b, " LIMIT %d", limit);
		strbuf_free(&cols);
	}
	strbuf_free(&where);
	*sql = strbuf_detach(&b);
	return np;
}
