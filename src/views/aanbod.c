/* aanbod.c: the regional training catalogue (a): search as you type with
 * filters, read an offering whole, and, about a question, mark the
 * offerings given to the client.
 *
 * The query line holds free text and filter terms `key:value`, separated by
 * blanks: `lassen vorm:online vanaf:01-02-2027 max:1500 gemeente:hengelo`.
 *   vorm:      online, hybride/hybrid, op-locatie/campus, afstand, praktijk
 *              (the OOAPI modes online, hybrid, on campus, distance-learning,
 *              situated; the OOAPI words themselves are understood too)
 *   vanaf:     starting on or after dd-mm-jjjj (also d-m-jjjj, with - / or .)
 *              or jjjj-mm-dd
 *   max:       at most this price in euro: 1500, 1500,50, 1.500, €1500, 1500,-
 *   gemeente:  a municipality, by code or name (hengelo, hof-van-twente)
 * Keys are case-insensitive; a key given twice counts once, the last.  A
 * term that is not understood (unknown key, a value that does not parse) is
 * left out of the search and the line under the query says what was
 * expected; everything else is searched.  Every key typed asks the database
 * again, for one screen of rows (and one more, to know there are more).
 *
 * Keys: letters type; Backspace removes a character, Ctrl-U the whole
 * query; Down/Up, PgDn/PgUp, Home/End move; Enter reads the offering whole
 * (Up/Down, PgUp/PgDn scroll; Enter, q or Esc closes it); F1 is help.
 * Without a question Esc (or F10) leaves and Space is typed like any letter.
 * With a question Space marks or unmarks the offering under the cursor when
 * the query is empty or already ends in a blank — otherwise it is typed, so
 * words can still be separated — and while reading an offering it always
 * marks.  Marks belong to offerings, not rows: they stay while the search
 * changes.  Esc (or F10) leaves and records the marked offerings as
 * information given on the question, in one statement; when that fails the
 * screen stays, with everything marked, and the line under the query says
 * that Esc tries again and Ctrl-X leaves without recording (a way out when
 * a marked offering was withdrawn meanwhile and can no longer be given). */
#include "config.h"

#include "db/db.h"
#include "model/aanbod.h"
#include "ui/screen.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/width.h"
#include "util/xalloc.h"
#include "views/pager.h"
#include "views/searchline.h"
#include "views/views.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


/* What the query line means. */
struct terms {
	struct strbuf text;    /* the free text */
	const char *mode;      /* an OOAPI mode, or NULL */
	char from[24];         /* yyyy-mm-dd or "" */
	char max_price[16];    /* "1500.00" or "" */
	char muni[64];         /* lower case, or "" */
	char *hint;            /* what the first term not understood expects, or NULL */
};

struct aanbod_state {
	char question_id[40]; /* "" without a question */
	int number;
	struct strbuf query;
	struct terms terms;
	struct offering_hits hits;
	bool more;     /* the database had more rows than the screen */
	bool empty;    /* the catalogue holds no offerings at all */
	char **marked; /* ids of the marked offerings */
	int nmarked, capmarked;
	struct pager pager; /* over hits */
	bool failed;  /* recording the marks failed: say how to leave without */
	bool reading; /* the whole offering under the cursor */
	int top;      /* first line shown while reading */
	bool stale;   /* typed since the last search that answered */
};

/* The parts of the area. */
struct layout {
	int list_y, list_rows;       /* one offering a line */
	int preview_y, preview_rows; /* the current offering's link and description */
};

static struct layout
layout_of(const struct view_area *a)
{
	struct layout l = {a->y + 2, 0, 0, 0};
	int avail = a->rows - 2; /* under the query line and the hint line */
	if (avail < 0)
		avail = 0;
	int preview = avail >= 12 ? avail / 3 : 0;
	l.list_rows = avail - preview;
	l.preview_y = l.list_y + l.list_rows + 1; /* after a blank line */
	l.preview_rows = preview > 1 ? preview - 1 : 0;
	return l;
}

/* One screen of rows (at most 99). */
static int
page_rows(const struct view_area *area)
{
	int rows = layout_of(area).list_rows;
	return rows < 1 ? 1 : rows > 99 ? 99 : rows;
}

static const struct offering_hit *
current(const struct aanbod_state *s)
{
	int i = pager_index(&s->pager);
	return i >= 0 ? &s->hits.items[i] : NULL;
}

/* ---- the query line ---------------------------------------------------- */

static const struct {
	const char *typed;
	const char *mode;
} mode_words[] = {
	{"online", "online"},
	{"hybride", "hybrid"},
	{"hybrid", "hybrid"},
	{"op-locatie", "on campus"},
	{"oplocatie", "on campus"},
	{"locatie", "on campus"},
	{"campus", "on campus"},
	{"on-campus", "on campus"},
	{"klassikaal", "on campus"},
	{"afstand", "distance-learning"},
	{"afstandsonderwijs", "distance-learning"},
	{"distance-learning", "distance-learning"},
	{"praktijk", "situated"},
	{"situated", "situated"},
};

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Read 1..max digits; returns how many, 0 when none. */
static int
read_digits(const char *s, int max, int *value)
{
	int n = 0;
	*value = 0;
	while (n < max && isdigit((unsigned char)s[n]))
		*value = *value * 10 + (s[n++] - '0');
	return n;
}

/* dd-mm-jjjj (d-m-jjjj; '-', '/' or '.') or jjjj-mm-dd into yyyy-mm-dd. */
static bool
parse_date(const char *v, char *out, size_t size)
{
	int a, b, c, n;
	int y, m, d;
	if ((n = read_digits(v, 4, &a)) == 4 && v[4] == '-') {
		y = a;
		const char *p = v + 5;
		if ((n = read_digits(p, 2, &m)) == 0 || p[n] != '-')
			return false;
		p += n + 1;
		if ((n = read_digits(p, 2, &d)) == 0 || p[n] != '\0')
			return false;
	} else if (n >= 1 && n <= 2 && strchr("-/.", v[n]) && v[n]) {
		char sep = v[n];
		d = a;
		const char *p = v + n + 1;
		if ((n = read_digits(p, 2, &b)) == 0 || p[n] != sep)
			return false;
		m = b;
		p += n + 1;
		if ((n = read_digits(p, 4, &c)) != 4 || p[n] != '\0')
			return false;
		y = c;
	} else {
		return false;
	}
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return false;
	snprintf(out, size, "%04d-%02d-%02d", y, m, d);
	return true;
}

/* A group of thousands at v[i]: ".ddd" not followed by another digit. */
static bool
thousands_at(const char *v, size_t i, size_t len)
{
	return i + 4 <= len && v[i] == '.' && isdigit((unsigned char)v[i + 1]) &&
	       isdigit((unsigned char)v[i + 2]) && isdigit((unsigned char)v[i + 3]) &&
	       (i + 4 == len || !isdigit((unsigned char)v[i + 4]));
}

/* An amount in euro, as people write it (1500, 1500,50, 1500.5, 1.500,
 * 1.500,00, €1500, 1500,-) into "1500.00". */
static bool
parse_amount(const char *v, char *out, size_t size)
{
	if (strncmp(v, "\xe2\x82\xac", 3) == 0) /* € */
		v += 3;
	size_t len = strlen(v);
	if (len >= 2 && v[len - 1] == '-' && (v[len - 2] == ',' || v[len - 2] == '.'))
		len -= 2;
	char whole[16];
	size_t nw = 0, i = 0;
	while (i < len && isdigit((unsigned char)v[i])) {
		if (nw + 1 >= sizeof whole)
			return false;
		whole[nw++] = v[i++];
	}
	if (nw == 0)
		return false;
	bool grouped = false;
	while (thousands_at(v, i, len)) {
		if ((!grouped && nw > 3) || nw + 4 >= sizeof whole)
			return false;
		memcpy(whole + nw, v + i + 1, 3);
		nw += 3;
		i += 4;
		grouped = true;
	}
	whole[nw] = '\0';
	int cents = 0;
	if (i < len) {
		if ((v[i] != ',' && v[i] != '.') || (grouped && v[i] == '.'))
			return false;
		int n = read_digits(v + i + 1, 2, &cents);
		if (n == 0 || i + 1 + (size_t)n != len)
			return false;
		if (n == 1)
			cents *= 10;
	}
	const char *w = whole;
	while (w[0] == '0' && w[1] != '\0')
		w++;
	if (strlen(w) > 9)
		return false;
	snprintf(out, size, "%.9s.%02u", w, (unsigned)cents % 100u);
	return true;
}

/* One term key:value.  Returns NULL when it is understood (and sets it in
 * t), else the hint to show (a new string). */
static char *
parse_term(const char *key, size_t klen, const char *value, struct terms *t)
{
#define KEY_IS(k) (klen == strlen(k) && strncasecmp(key, k, klen) == 0)
	if (KEY_IS("vorm")) {
		for (size_t i = 0; i < sizeof mode_words / sizeof mode_words[0]; i++)
			if (strcasecmp(value, mode_words[i].typed) == 0) {
				t->mode = mode_words[i].mode;
				return NULL;
			}
		return xstrdup(_("vorm: expects online, hybride, op-locatie, afstand or praktijk"));
	}
	if (KEY_IS("vanaf")) {
		if (parse_date(value, t->from, sizeof t->from))
			return NULL;
		t->from[0] = '\0';
		return xstrdup(_("vanaf: expects a date such as 01-09-2027"));
	}
	if (KEY_IS("max")) {
		if (parse_amount(value, t->max_price, sizeof t->max_price))
			return NULL;
		t->max_price[0] = '\0';
		return xstrdup(_("max: expects an amount in euro such as 1500 or 1250,50"));
	}
	if (KEY_IS("gemeente")) {
		size_t n = strlen(value);
		if (n == 0 || n >= sizeof t->muni)
			return xstrdup(_("gemeente: expects a municipality such as hengelo"));
		for (size_t i = 0; i <= n; i++)
			t->muni[i] = (char)tolower((unsigned char)value[i]);
		return NULL;
	}
#undef KEY_IS
	char *k = xstrndup(key, klen > 40 ? 40 : klen);
	char *hint = xasprintf(_("%s: unknown filter (vorm, vanaf, max, gemeente)"), k);
	free(k);
	return hint;
}

static void
terms_clear(struct terms *t)
{
	strbuf_reset(&t->text);
	t->mode = NULL;
	t->from[0] = t->max_price[0] = t->muni[0] = '\0';
	free(t->hint);
	t->hint = NULL;
}

/* Split the query into free text and filter terms. */
static void
parse_query(const char *q, struct terms *t)
{
	terms_clear(t);
	strbuf_adds(&t->text, "");
	for (const char *p = q; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		const char *colon = memchr(p, ':', n);
		if (colon && colon > p) {
			char *value = xstrndup(colon + 1, n - (size_t)(colon + 1 - p));
			char *hint = parse_term(p, (size_t)(colon - p), value, t);
			free(value);
			if (hint && !t->hint)
				t->hint = hint;
			else
				free(hint);
		} else {
			if (t->text.len > 0)
				strbuf_addc(&t->text, ' ');
			strbuf_add(&t->text, p, n);
		}
		p += n;
	}
}

/* ---- marks ------------------------------------------------------------- */

static int
mark_index(const struct aanbod_state *s, const char *id)
{
	for (int i = 0; i < s->nmarked; i++)
		if (strcmp(s->marked[i], id) == 0)
			return i;
	return -1;
}

static void
mark_toggle(struct aanbod_state *s)
{
	if (!s->question_id[0] || !current(s))
		return;
	const char *id = current(s)->id;
	int i = mark_index(s, id);
	if (i >= 0) {
		free(s->marked[i]);
		s->marked[i] = s->marked[--s->nmarked];
		return;
	}
	if (s->nmarked == s->capmarked) {
		s->capmarked = s->capmarked ? s->capmarked * 2 : 8;
		s->marked = xrealloc(s->marked, (size_t)s->capmarked * sizeof *s->marked);
	}
	s->marked[s->nmarked++] = xstrdup(id);
}

/* ---- searching --------------------------------------------------------- */

static void
hit_free(struct offering_hit *h)
{
	free(h->id), free(h->name), free(h->organization), free(h->modes);
	free(h->start_date), free(h->price), free(h->place), free(h->link);
	free(h->description);
}

/* Ask the database for one screen of rows; the cursor stays on the same
 * offering when it is still found. */
static void
search(struct aanbod_state *s, struct view_ctx *ctx, const struct view_area *area)
{
	int rows = page_rows(area);
	char *was = current(s) ? xstrdup(current(s)->id) : NULL;
	offering_hits_free(&s->hits);
	pager_clear(&s->pager);
	s->more = false;
	struct terms *t = &s->terms;
	struct offering_filter f = {
		.text = t->text.buf ? t->text.buf : "",
		.mode = t->mode,
		.from = t->from[0] ? t->from : NULL,
		.max_price = t->max_price[0] ? t->max_price : NULL,
		.muni = t->muni[0] ? t->muni : NULL,
	};
	struct db_error err = {0};
	bool ok = offering_search(ctx->db, &f, rows + 1, &s->hits, &err);
	s->stale = !ok && err.cancelled; /* a key cancelled it: the next key searches */
	if (!ok) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
	} else {
		if (s->hits.count > rows) { /* the one more: there are more */
			s->more = true;
			while (s->hits.count > rows)
				hit_free(&s->hits.items[--s->hits.count]);
		}
		bool unfiltered = !f.text[0] && !f.mode && !f.from && !f.max_price && !f.muni;
		if (unfiltered)
			s->empty = s->hits.count == 0;
	}
	pager_set_items(&s->pager, s->hits.count, rows);
	pager_search(&s->pager, f.text);
	for (int i = 0; was && i < s->hits.count; i++)
		if (strcmp(s->hits.items[i].id, was) == 0)
			pager_show(&s->pager, &i, rows);
	free(was);
}

static int
aanbod_load(void *state, struct view_ctx *ctx, const struct view_area *area)
{
	struct aanbod_state *s = state;
	parse_query(s->query.buf ? s->query.buf : "", &s->terms);
	search(s, ctx, area);
	return VIEW_REDRAW;
}

/* ---- how things are shown ---------------------------------------------- */

/* "1250.00" -> "€ 1.250", "1250.50" -> "€ 1.250,50", "0.00" -> "free". */
static void
price_label(const char *price, char *out, size_t size)
{
	if (!price || !price[0]) {
		snprintf(out, size, "%s", "");
		return;
	}
	size_t nwhole = strspn(price, "0123456789");
	const char *cents = price[nwhole] == '.' ? price + nwhole + 1 : "";
	bool no_cents = strspn(cents, "0") == strlen(cents);
	if (nwhole == 0 || price[nwhole + (price[nwhole] ? 1 + strlen(cents) : 0)] != '\0' ||
	    strspn(cents, "0123456789") != strlen(cents)) {
		snprintf(out, size, "%s", price); /* not a number as expected: as it is */
		return;
	}
	if (strspn(price, "0") == nwhole && no_cents) {
		snprintf(out, size, "%s", _("free"));
		return;
	}
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, "\xe2\x82\xac "); /* € */
	for (size_t i = 0; i < nwhole; i++) {
		if (i > 0 && (nwhole - i) % 3 == 0)
			strbuf_addc(&b, '.');
		strbuf_addc(&b, price[i]);
	}
	if (!no_cents) {
		strbuf_addc(&b, ',');
		strbuf_add(&b, cents, strlen(cents) > 2 ? 2 : strlen(cents));
		if (strlen(cents) == 1)
			strbuf_addc(&b, '0');
	}
	snprintf(out, size, "%s", b.buf);
	strbuf_free(&b);
}

/* "online, on campus" in the interface's words (unknown modes as they are). */
static char *
modes_label(const char *modes)
{
	struct strbuf b;
	strbuf_init(&b);
	strbuf_adds(&b, "");
	for (const char *p = modes ? modes : ""; *p;) {
		size_t n = strcspn(p, ",");
		char *m = xstrndup(p, n);
		const char *shown = m;
		if (strcmp(m, "online") == 0)
			shown = _("online");
		else if (strcmp(m, "hybrid") == 0)
			shown = _("hybrid");
		else if (strcmp(m, "on campus") == 0)
			shown = _("on campus");
		else if (strcmp(m, "distance-learning") == 0)
			shown = _("distance learning");
		else if (strcmp(m, "situated") == 0)
			shown = _("in practice");
		if (m[0])
			strbuf_addf(&b, "%s%s", b.len ? ", " : "", shown);
		free(m);
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return strbuf_detach(&b);
}

/* Columns the text takes once sanitised, as ui_put shows it. */
static int
shown_width(const char *raw)
{
	char *clean = sanitize_dup(raw, SANITIZE_DEFAULT);
	int w = text_width(clean);
	free(clean);
	return w;
}

/* Everything about the offering, for reading. */
static char *
whole_text(const struct aanbod_state *s, const struct offering_hit *h)
{
	struct strbuf b;
	strbuf_init(&b);
	if (s->question_id[0])
		strbuf_adds(&b, mark_index(s, h->id) >= 0 ? "[x] " : "[ ] ");
	strbuf_addf(&b, "%s\n", h->name);
	char price[48];
	price_label(h->price, price, sizeof price);
	char *modes = modes_label(h->modes);
	const char *label[] = {_("Organisation:"), _("Mode:"), _("Starts:"), _("Price:"),
	                       _("Place:"), _("Link:")};
	const char *value[] = {h->organization, modes, h->start_date, price, h->place, h->link};
	for (size_t i = 0; i < sizeof label / sizeof label[0]; i++)
		if (value[i] && value[i][0])
			strbuf_addf(&b, "\n%s %s", label[i], value[i]);
	if (h->description[0])
		strbuf_addf(&b, "\n\n%s", h->description);
	free(modes);
	return strbuf_detach(&b);
}

/* The widths of the columns after the name, for the rows loaded: a column
 * is shown only when there is room for it, in this order. */
enum { COL_ORG, COL_START, COL_PRICE, COL_PLACE, COL_MODES, NCOLS };

static void
column_widths(const struct aanbod_state *s, int width, int *name_w, int colw[NCOLS])
{
	static const int cap[NCOLS] = {16, 10, 12, 14, 24};
	int want[NCOLS] = {0};
	for (int i = 0; i < s->hits.count; i++) {
		const struct offering_hit *h = &s->hits.items[i];
		char price[48];
		price_label(h->price, price, sizeof price);
		char *modes = modes_label(h->modes);
		const char *v[NCOLS] = {h->organization, h->start_date, price, h->place, modes};
		for (int c = 0; c < NCOLS; c++) {
			int w = shown_width(v[c]);
			if (w > want[c])
				want[c] = w;
		}
		free(modes);
	}
	int min_name = width * 3 / 5 < 28 ? width * 3 / 5 : 28;
	int left = width - min_name;
	for (int c = 0; c < NCOLS; c++) {
		int w = want[c] < cap[c] ? want[c] : cap[c];
		colw[c] = 0;
		if (w == 0)
			continue;
		if (c == COL_ORG && w + 2 > left && left - 2 >= 8)
			w = left - 2; /* the organisation may be cut */
		if (w + 2 <= left) {
			colw[c] = w;
			left -= w + 2;
		} else {
			left = 0; /* what follows is not shown either: keep the order */
		}
	}
	*name_w = min_name + left;
}

/* How a row is drawn: the widths of the columns, for the rows loaded. */
struct offering_row {
	const struct aanbod_state *s;
	int cols, name_w;
	int colw[NCOLS];
};

static void
draw_row(const void *view, WINDOW *w, int y, const void *row,
         const struct search_terms *marks)
{
	const struct offering_row *d = view;
	const struct offering_hit *h = &d->s->hits.items[*(const int *)row];
	int x = 1, end = d->cols - 1;
	if (d->s->question_id[0] && end - x >= 4) {
		ui_put(w, y, x, 4, mark_index(d->s, h->id) >= 0 ? "[x] " : "[ ] ");
		x += 4;
	}
	int nw = d->name_w < end - x ? d->name_w : end - x;
	ui_put_marked(w, y, x, nw, h->name, marks); /* the words searched for */
	x += nw;
	char price[48];
	price_label(h->price, price, sizeof price);
	char *modes = modes_label(h->modes);
	const char *v[NCOLS] = {h->organization, h->start_date, price, h->place, modes};
	for (int c = 0; c < NCOLS; c++) {
		if (d->colw[c] == 0 || x + 2 + d->colw[c] > end)
			continue;
		ui_put(w, y, x, 2, "");
		ui_put(w, y, x + 2, d->colw[c], v[c]);
		x += 2 + d->colw[c];
	}
	ui_put(w, y, x, end - x, ""); /* the rest of the highlighted line */
	free(modes);
}

static void
aanbod_draw(const void *state, WINDOW *w, const struct view_area *area)
{
	const struct aanbod_state *s = state;
	pager_blank(w, area->y, area->rows);
	int width = area->cols - 2;
	if (area->rows <= 0 || width <= 0)
		return;
	if (s->reading && s->hits.count > 0) {
		char *all = whole_text(s, current(s));
		ui_put_wrapped(w, area->y, 1, width, all, s->top, area->rows);
		free(all);
		return;
	}
	search_line_draw(w, area->y, 1, width, s->query.buf);
	if (area->rows < 2)
		return;
	if (s->failed && s->nmarked > 0) {
		ui_style(w, UI_WARNING, true);
		ui_put(w, area->y + 1, 1, width,
		       _("Not recorded: Esc tries again, Ctrl-X leaves without recording."));
		ui_style(w, UI_WARNING, false);
	} else if (s->terms.hint) {
		ui_style(w, UI_WARNING, true);
		ui_put(w, area->y + 1, 1, width, s->terms.hint);
		ui_style(w, UI_WARNING, false);
	} else if (s->question_id[0]) {
		char *about = xasprintf(_("Question %d: Space marks an offering, "
		                          "Esc records the marked ones."),
		                        s->number);
		ui_style(w, UI_DIM, true);
		ui_put(w, area->y + 1, 1, width, about);
		ui_style(w, UI_DIM, false);
		free(about);
	}
	struct layout l = layout_of(area);
	if (l.list_rows <= 0)
		return;
	if (s->hits.count == 0 && !s->stale) { /* (stale: not answered yet) */
		const char *none = s->empty ? _("The catalogue is empty: "
		                                "an editor fetches it with loket aanbod sync.")
		                              : _("No offerings match.");
		ui_put(w, l.list_y, 2, width - 1, none);
		return;
	}
	struct offering_row d = {s, area->cols, 0, {0}};
	column_widths(s, width - (s->question_id[0] ? 4 : 0), &d.name_w, d.colw);
	int rows = s->pager.count < l.list_rows ? s->pager.count : l.list_rows;
	pager_draw(&s->pager, w, l.list_y, rows, draw_row, NULL, &d);
	const struct offering_hit *h = current(s);
	if (l.preview_rows > 0 && h) { /* (none while a search has not answered) */
		int y = l.preview_y;
		if (h->link[0]) {
			ui_style(w, UI_DIM, true);
			ui_put(w, y++, 2, width - 1, h->link);
			ui_style(w, UI_DIM, false);
		}
		int n = l.preview_y + l.preview_rows - y;
		const char *text = h->description[0] ? h->description : _("No description.");
		if (n > 0)
			ui_put_wrapped(w, y, 2, width - 1, text, 0, n);
	}
}

static void
aanbod_cursor(const void *state)
{
	const struct aanbod_state *s = state;
	if (s->reading)
		return;
	search_line_cursor(1, 1, COLS - 2, s->query.buf);
}

static void
aanbod_position(const void *state, char *buf, size_t size)
{
	const struct aanbod_state *s = state;
	char found[32];
	if (s->stale) /* what was typed has not been searched yet */
		snprintf(found, sizeof found, "…");
	else if (s->more)
		snprintf(found, sizeof found, _("%d+ found"), s->hits.count);
	else
		snprintf(found, sizeof found, _("%d found"), s->hits.count);
	if (s->question_id[0] && s->nmarked > 0)
		snprintf(buf, size, _("%s, %d marked"), found, s->nmarked);
	else
		snprintf(buf, size, "%s", found);
}

/* ---- keys -------------------------------------------------------------- */

/* Leaving: with a question, record what was marked in one statement. */
static int
finish(struct aanbod_state *s, struct view_ctx *ctx)
{
	if (!s->question_id[0] || s->nmarked == 0)
		return VIEW_BACK;
	struct db_error err = {0};
	bool was = db_set_cancellable(ctx->db, false); /* a write: a key never stops it */
	bool ok = offering_give(ctx->db, s->question_id, (const char *const *)s->marked,
	                        s->nmarked, &err);
	db_set_cancellable(ctx->db, was);
	if (!ok) {
		view_db_error(ctx, &err);
		db_error_clear(&err);
		s->failed = true;
		return VIEW_REDRAW; /* stay: nothing marked is lost */
	}
	view_message(ctx,
	             ngettext("Question %d: %d offering recorded as information given.",
	                      "Question %d: %d offerings recorded as information given.", s->nmarked),
	             s->number, s->nmarked);
	ctx->stale = STALE_IN_PLACE;
	return VIEW_BACK;
}


static int
reading_key(struct aanbod_state *s, int key, bool is_char, const struct view_area *area)
{
	bool enter = key == KEY_ENTER || (is_char && (key == '\n' || key == '\r'));
	if (key == 27 || enter || (is_char && key == 'q')) {
		s->reading = false;
	} else if (is_char && key == ' ') {
		mark_toggle(s);
	} else {
		char *all = whole_text(s, current(s));
		int lines = ui_put_wrapped(NULL, 0, 0, area->cols - 2, all, 0, 0);
		free(all);
		view_scroll(&s->top, pager_key_command(key), area->rows,
		            lines - area->rows > 0 ? lines - area->rows : 0);
	}
	return VIEW_REDRAW;
}

static int
aanbod_key(void *state, struct view_ctx *ctx, int key, bool is_char, const struct view_area *area)
{
	struct aanbod_state *s = state;
	if (s->reading && s->hits.count > 0)
		return reading_key(s, key, is_char, area);
	s->reading = false;
	bool changed = false;
	if ((is_char && key == 27) || key == KEY_F(10))
		return finish(s, ctx);
	if (is_char && key == CTRL_KEY('x') && s->question_id[0])
		return VIEW_BACK; /* leave without recording */
	if (key == KEY_F(1))
		return VIEW_HELP;
	if ((is_char && (key == '\n' || key == '\r')) || key == KEY_ENTER) {
		if (s->stale) /* the offerings of what was typed, not of before */
			aanbod_load(s, ctx, area);
		s->reading = s->hits.count > 0 && !s->stale;
		s->top = 0;
	} else if (pager_command(&s->pager, pager_key_command(key), page_rows(area))) {
		/* moved */
	} else if (is_char && key == CTRL_KEY('l')) {
		clearok(curscr, TRUE);
	} else if (is_char && key == ' ' && s->question_id[0] &&
	           (s->query.len == 0 || s->query.buf[s->query.len - 1] == ' ')) {
		mark_toggle(s);
	} else {
		changed = search_line_key(&s->query, key, is_char);
	}
	if (changed) /* the letter shows first, then aanbod_load searches */
		s->stale = true;
	return s->stale ? VIEW_REDRAW | VIEW_LOAD : VIEW_REDRAW;
}

static void
aanbod_free(void *state)
{
	struct aanbod_state *s = state;
	strbuf_free(&s->query);
	terms_clear(&s->terms);
	strbuf_free(&s->terms.text);
	offering_hits_free(&s->hits);
	pager_free(&s->pager);
	for (int i = 0; i < s->nmarked; i++)
		free(s->marked[i]);
	free(s->marked);
	free(s);
}

static const struct view_ops aanbod_ops = {
	.cancel = CANCEL_KEYS,
	.keys = KEYS_AANBOD,
	.title = N_("Training catalogue of"),
	.regional = true,
	.load = aanbod_load,
	.key = aanbod_key,
	.draw = aanbod_draw,
	.cursor = aanbod_cursor,
	.position = aanbod_position,
	.free = aanbod_free,
};

struct view
view_aanbod_new(const char *question_id, int number)
{
	struct aanbod_state *s = xcalloc(1, sizeof *s);
	snprintf(s->question_id, sizeof s->question_id, "%s", question_id ? question_id : "");
	s->number = number;
	strbuf_init(&s->query);
	strbuf_init(&s->terms.text);
	pager_init_array(&s->pager, 0, false);
	return (struct view){&aanbod_ops, s};
}
