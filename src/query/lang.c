/* lang.c: the filter language; see lang.h and doc/query.md. */
#include "config.h"

#include "query/lang.h"
#include "util/i18n.h"
#include "util/sanitize.h"
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
	if (arg) { /* the input's own text is echoed through the sanitiser */
		char *safe = sanitize_dup(arg, SANITIZE_DEFAULT);
		snprintf(lx->err->message, sizeof lx->err->message, gettext(fmt), safe);
		free(safe);
	} else
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
			size_t w = n < 40 ? n : 40;
			memcpy(word, name, w);
			word[w] = '\0';
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

static void
add_json_string(struct strbuf *b, const char *s)
{
	strbuf_addc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addf(b, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7F)
			strbuf_addf(b, "\\u%04x", *p);
		else
			strbuf_addc(b, (char)*p);
	}
	strbuf_addc(b, '"');
}

char *
query_to_json(const struct query *q, bool count)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, "{\"terms\": [");
	for (int i = 0; i < q->nterms; i++) {
		const struct query_term *t = &q->terms[i];
		strbuf_addf(&b, "%s{\"field\": \"%s\", \"negated\": %s, \"values\": [", i ? ", " : "",
		            t->field == QF_TEXT ? "text" : query_field_names[t->field],
		            t->negated ? "true" : "false");
		for (int j = 0; j < t->nvalues; j++) {
			if (j)
				strbuf_adds(&b, ", ");
			add_json_string(&b, t->values[j]);
		}
		strbuf_adds(&b, "]}");
	}
	strbuf_addf(&b, "], \"count\": %s, \"group\": [", count ? "true" : "false");
	for (int i = 0; i < q->ngroup; i++)
		strbuf_addf(&b, "%s\"%s\"", i ? ", " : "", query_field_names[q->group[i]]);
	strbuf_adds(&b, "]");
	if (q->period)
		strbuf_addf(&b, ", \"period\": \"%s\"", q->period == QP_WEEK ? "week" : "month");
	if (q->top > 0)
		strbuf_addf(&b, ", \"top\": %d", q->top);
	strbuf_adds(&b, "}");
	return strbuf_detach(&b);
}

