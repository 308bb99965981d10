/* textedit.c: a field's exact text, its cursor, its limit and its layout. */
#include "config.h"

#include "util/number.h"
#include "util/sanitize.h"
#include "util/textedit.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

bool
textedit_refuses(uint32_t cp, bool multiline)
{
	if (cp == '\t' || (cp == '\n' && multiline))
		return false;
	return sanitize_is_unsafe(cp);
}

/* The character at byte offset i: its length in bytes (an invalid byte is
 * one character of its own, shown as U+FFFD). */
static size_t
char_at(const struct textedit *t, size_t i, uint32_t *cp)
{
	size_t n = utf8_decode((const unsigned char *)t->text.buf + i, t->text.len - i, cp);
	if (n == 0) {
		*cp = 0xFFFD;
		n = 1;
	}
	return n;
}

/* The start of the character before byte offset i. */
static size_t
char_before(const struct textedit *t, size_t i)
{
	if (i == 0)
		return 0;
	size_t k = i - 1;
	while (k > 0 && i - k < 4 && ((unsigned char)t->text.buf[k] & 0xC0) == 0x80)
		k--;
	uint32_t cp;
	if (utf8_decode((const unsigned char *)t->text.buf + k, i - k, &cp) == i - k)
		return k;
	return i - 1; /* a stray continuation byte counts on its own */
}

/* What a character looks like on screen, and how many columns it takes. */
static int
piece(uint32_t cp, const char *bytes, size_t n, char out[16])
{
	if (cp == '\t') {
		strcpy(out, " ");
		return 1;
	}
	if (cp == 0xFFFD && !(n == 3 && memcmp(bytes, "\xEF\xBF\xBD", 3) == 0)) {
		strcpy(out, "\xEF\xBF\xBD");
		return 1;
	}
	if (sanitize_is_unsafe(cp)) {
		struct strbuf sb;
		strbuf_init(&sb);
		sanitize_text(&sb, bytes, n, SANITIZE_DEFAULT);
		snprintf(out, 16, "%s", sb.buf);
		strbuf_free(&sb);
		int w = 0;
		for (const unsigned char *p = (const unsigned char *)out; *p; p++)
			w += (*p & 0xC0) != 0x80;
		return w;
	}
	memcpy(out, bytes, n);
	out[n] = '\0';
	int w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

static int
width_at(const struct textedit *t, size_t i, size_t *n)
{
	uint32_t cp;
	char buf[16];
	*n = char_at(t, i, &cp);
	return piece(cp, t->text.buf + i, *n, buf);
}

static size_t
count_chars(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; n++) {
		uint32_t cp;
		size_t k = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		i += k ? k : 1;
	}
	return n;
}

void
textedit_init(struct textedit *t, const char *value, size_t max, bool multiline)
{
	memset(t, 0, sizeof *t);
	strbuf_init(&t->text);
	t->max = max;
	t->multiline = multiline;
	textedit_set(t, value);
}

void
textedit_set(struct textedit *t, const char *value)
{
	strbuf_reset(&t->text);
	if (value)
		strbuf_adds(&t->text, value);
	t->cursor = t->text.len;
	t->length = count_chars(t->text.buf, t->text.len);
}

void
textedit_free(struct textedit *t)
{
	strbuf_free(&t->text);
}

const char *
textedit_text(const struct textedit *t)
{
	return t->text.buf;
}

static void
insert_bytes(struct textedit *t, const char *s, size_t n)
{
	size_t tail = t->text.len - t->cursor;
	strbuf_add(&t->text, s, n); /* grow; the bytes are moved into place below */
	char *b = t->text.buf;
	memmove(b + t->cursor + n, b + t->cursor, tail);
	memcpy(b + t->cursor, s, n);
	t->cursor += n;
	t->length++;
}

void
textedit_insert(struct textedit *t, const char *s, size_t len, bool paste,
                struct textedit_result *res)
{
	struct textedit_result r = {0};
	if (paste && !t->multiline) /* trailing line ends of a copied line */
		while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
			len--;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n == 0) {
			r.invalid++;
			i++;
			continue;
		}
		const char *bytes = s + i;
		if (paste && cp == '\r') { /* the terminal's line end: CR or CR LF */
			if (i + 1 < len && s[i + 1] == '\n')
				n = 2;
			cp = '\n';
			bytes = "\n";
		}
		i += n;
		if (cp == '\n') {
			if (!t->multiline) {
				cp = ' ';
				bytes = " ";
			}
			n = 1;
		}
		if (textedit_refuses(cp, t->multiline)) {
			if (r.refused++ == 0)
				r.first_refused = cp;
			continue;
		}
		if (t->max && t->length >= t->max) {
			r.over_limit++;
			continue;
		}
		insert_bytes(t, bytes, n);
		r.inserted++;
	}
	if (res)
		*res = r;
}

bool
textedit_backspace(struct textedit *t)
{
	if (t->cursor == 0)
		return false;
	size_t k = char_before(t, t->cursor);
	memmove(t->text.buf + k, t->text.buf + t->cursor, t->text.len - t->cursor + 1);
	t->text.len -= t->cursor - k;
	t->cursor = k;
	t->length--;
	return true;
}

bool
textedit_delete(struct textedit *t)
{
	if (t->cursor >= t->text.len)
		return false;
	uint32_t cp;
	size_t n = char_at(t, t->cursor, &cp);
	memmove(t->text.buf + t->cursor, t->text.buf + t->cursor + n,
	        t->text.len - t->cursor - n + 1);
	t->text.len -= n;
	t->length--;
	return true;
}

/* A combining mark (no columns of its own, not a line break). */
static bool
zero_width_at(const struct textedit *t, size_t i)
{
	if (i >= t->text.len || t->text.buf[i] == '\n')
		return false;
	size_t n;
	return width_at(t, i, &n) == 0;
}

bool
textedit_left(struct textedit *t)
{
	if (t->cursor == 0)
		return false;
	do
		t->cursor = char_before(t, t->cursor);
	while (t->cursor > 0 && zero_width_at(t, t->cursor));
	return true;
}

bool
textedit_right(struct textedit *t)
{
	if (t->cursor >= t->text.len)
		return false;
	do {
		uint32_t cp;
		t->cursor += char_at(t, t->cursor, &cp);
	} while (zero_width_at(t, t->cursor));
	return true;
}

void
textedit_home(struct textedit *t)
{
	t->cursor = 0;
}

void
textedit_end(struct textedit *t)
{
	t->cursor = t->text.len;
}

static void
add_row(struct textedit_layout *l, size_t start, size_t end)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->rows = xrealloc(l->rows, (size_t)l->cap * sizeof *l->rows);
	}
	l->rows[l->n].start = start;
	l->rows[l->n].end = end;
	l->n++;
}

/* How far the text from byte p on fits in `width` columns, at most to end:
 * the start of the first character that would pass it. */
static size_t
fit(const struct textedit *t, size_t p, size_t end, int width)
{
	int w = 0;
	while (p < end) {
		size_t n;
		int cw = width_at(t, p, &n);
		if (w + cw > width)
			break;
		w += cw;
		p += n;
	}
	return p;
}

/* The byte after the last blank in [p, q), where a row may end; 0 for none. */
static size_t
after_last_blank(const char *b, size_t p, size_t q)
{
	for (; q > p; q--)
		if (b[q - 1] == ' ')
			return q;
	return 0;
}

/* The rows of one line of text, bytes [p, le). */
static void
layout_line(const struct textedit *t, size_t p, size_t le, int width,
            struct textedit_layout *l)
{
	const char *b = t->text.buf;
	do {
		size_t q = fit(t, p, le, width);
		if (q >= le) {
			add_row(l, p, le);
			return;
		}
		size_t end, brk = after_last_blank(b, p, q);
		if (b[q] == ' ') {
			end = q; /* the word fits; the blanks after it hang at the end */
			while (end < le && b[end] == ' ')
				end++;
		} else if (brk > p) {
			end = brk;
		} else if (q > p) {
			end = q; /* a word longer than the row: cut it */
		} else {
			size_t n;
			width_at(t, q, &n); /* a character wider than the row */
			end = q + n;
		}
		while (end < le && zero_width_at(t, end))
			end++; /* combining marks stay with their base */
		add_row(l, p, end);
		p = end;
	} while (p < le);
}

void
textedit_layout(const struct textedit *t, int width, struct textedit_layout *out)
{
	out->n = 0;
	out->width = width < 1 ? 1 : width;
	const char *b = t->text.buf;
	size_t len = t->text.len, p = 0;
	for (;;) {
		size_t le = p;
		while (le < len && !(b[le] == '\n' && t->multiline))
			le++;
		layout_line(t, p, le, out->width, out);
		if (le >= len)
			break;
		p = le + 1;
	}
}

void
textedit_layout_free(struct textedit_layout *l)
{
	free(l->rows);
	memset(l, 0, sizeof *l);
}

static int
cursor_row(const struct textedit *t, const struct textedit_layout *l)
{
	for (int r = 0; r < l->n; r++) {
		const struct textedit_row *row = &l->rows[r];
		if (t->cursor < row->start)
			continue;
		if (t->cursor < row->end)
			return r;
		if (t->cursor == row->end &&
		    (r + 1 == l->n || l->rows[r + 1].start > row->end))
			return r; /* the end of a line: not the start of the next */
	}
	return l->n > 0 ? l->n - 1 : 0;
}

static int
columns(const struct textedit *t, size_t from, size_t to)
{
	int w = 0;
	while (from < to) {
		size_t n;
		w += width_at(t, from, &n);
		from += n;
	}
	return w;
}

void
textedit_cursor_pos(const struct textedit *t, const struct textedit_layout *l, int *row,
                    int *col)
{
	*row = cursor_row(t, l);
	*col = l->n ? columns(t, l->rows[*row].start, t->cursor) : 0;
	if (*col >= l->width)
		*col = l->width - 1; /* on the blanks that hang past the edge */
}

void
textedit_row_home(struct textedit *t, const struct textedit_layout *l)
{
	if (l->n)
		t->cursor = l->rows[cursor_row(t, l)].start;
}

void
textedit_row_end(struct textedit *t, const struct textedit_layout *l)
{
	if (!l->n)
		return;
	int r = cursor_row(t, l);
	size_t end = l->rows[r].end;
	/* a wrapped row: stay before its last blank, else typing would go to
	 * the next row */
	if (r + 1 < l->n && l->rows[r + 1].start == end && end > l->rows[r].start &&
	    t->text.buf[end - 1] == ' ')
		end--;
	t->cursor = end;
}

/* The byte offset in row r closest to column col (not past it). */
static size_t
offset_at(const struct textedit *t, const struct textedit_layout *l, int r, int col)
{
	size_t p = l->rows[r].start, end = l->rows[r].end;
	if (r + 1 < l->n && l->rows[r + 1].start == end && end > p && t->text.buf[end - 1] == ' ')
		end--;
	return fit(t, p, end, col);
}

bool
textedit_up(struct textedit *t, const struct textedit_layout *l)
{
	int r, c;
	textedit_cursor_pos(t, l, &r, &c);
	if (r == 0)
		return false;
	t->cursor = offset_at(t, l, r - 1, c);
	return true;
}

bool
textedit_down(struct textedit *t, const struct textedit_layout *l)
{
	int r, c;
	textedit_cursor_pos(t, l, &r, &c);
	if (r + 1 >= l->n)
		return false;
	t->cursor = offset_at(t, l, r + 1, c);
	return true;
}

char *
textedit_row_text(const struct textedit *t, const struct textedit_layout *l, int row)
{
	struct strbuf sb;
	strbuf_init(&sb);
	int w = 0;
	if (row >= 0 && row < l->n) {
		size_t p = l->rows[row].start, end = l->rows[row].end;
		while (p < end) {
			uint32_t cp;
			char buf[16];
			size_t n = char_at(t, p, &cp);
			int cw = piece(cp, t->text.buf + p, n, buf);
			if (w + cw > l->width)
				break;
			strbuf_adds(&sb, buf);
			w += cw;
			p += n;
		}
	}
	for (; w < l->width; w++)
		strbuf_addc(&sb, ' ');
	return strbuf_detach(&sb);
}

void
textedit_count(const struct textedit *t, char *out, size_t size)
{
	char a[32], b[32];
	num_format(a, sizeof a, (double)t->length, 0, true);
	num_format(b, sizeof b, (double)t->max, 0, true);
	snprintf(out, size, "%s/%s", a, b);
}
