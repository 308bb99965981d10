/* diff.c: word-level differences with Myers' O(ND) algorithm in linear space
 * (the "middle snake" divide and conquer of Myers 1986, section 4b) over
 * interned tokens, with a cost cap and a work budget (see diff.h), followed
 * by a clean-up that makes the changes read well for prose. */
#include "config.h"

#include "util/diff.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct token {
	const char *p;
	size_t len;
	bool space;
};

/* One text as tokens; id[i] is equal for equal tokens of both texts. */
struct seq {
	struct token *tok;
	int *id;
	int n;
};

/* A change: na tokens of old from a0 replaced by nb tokens of new from b0.
 * Between two hunks (and before the first, after the last) the texts agree. */
struct hunk {
	int a0, na;
	int b0, nb;
};

struct myers {
	const int *a, *b;
	bool *del; /* del[i]: token i of old is deleted */
	bool *add; /* add[j]: token j of new is added */
	int *v1, *v2;
	long work; /* steps left */
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
tokenize(const char *s, size_t len, struct seq *q)
{
	int n = 0;
	for (size_t i = 0; i < len; n++) {
		bool sp = is_space(s[i]);
		while (i < len && is_space(s[i]) == sp)
			i++;
	}
	q->n = n;
	q->tok = xmalloc(sizeof *q->tok * (size_t)(n ? n : 1));
	q->id = xmalloc(sizeof *q->id * (size_t)(n ? n : 1));
	n = 0;
	for (size_t i = 0; i < len; n++) {
		size_t start = i;
		bool sp = is_space(s[i]);
		while (i < len && is_space(s[i]) == sp)
			i++;
		q->tok[n] = (struct token){s + start, i - start, sp};
	}
}

static uint32_t
hash_bytes(const char *p, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

struct slot {
	const struct token *t; /* NULL: empty */
	uint32_t hash;
	int id;
};

/* Give equal tokens of both texts equal ids, so comparing is cheap. */
static void
intern(struct seq *a, struct seq *b)
{
	size_t total = (size_t)a->n + (size_t)b->n;
	size_t cap = 16;
	while (cap < 2 * total)
		cap *= 2;
	struct slot *table = xcalloc(cap, sizeof *table);
	int next_id = 0;
	struct seq *seqs[2] = {a, b};
	for (int s = 0; s < 2; s++) {
		struct seq *q = seqs[s];
		for (int i = 0; i < q->n; i++) {
			const struct token *t = &q->tok[i];
			uint32_t h = hash_bytes(t->p, t->len);
			size_t k = h & (cap - 1);
			while (table[k].t && (table[k].hash != h || table[k].t->len != t->len ||
			                      memcmp(table[k].t->p, t->p, t->len) != 0))
				k = (k + 1) & (cap - 1);
			if (!table[k].t)
				table[k] = (struct slot){t, h, next_id++};
			q->id[i] = table[k].id;
		}
	}
	free(table);
}

/* The state of one bisect: a[0..n) against b[0..m), the furthest x
 * reached on each diagonal forward (v1) and backward (v2), and the
 * diagonals that ran off an edge. */
struct search {
	const int *a, *b;
	int n, m;
	int *v1, *v2;
	int off, len, delta;
	bool front; /* the forward path meets the reverse one */
	int k1start, k1end, k2start, k2end;
};

/* Where the furthest reaching d-path on diagonal k (index i in v) starts. */
static int
start_x(const int *v, int i, int k, int d)
{
	return k == -d || (k != d && v[i - 1] < v[i + 1]) ? v[i + 1] : v[i - 1] + 1;
}

/* Follow the diagonal from (x, y) while the tokens are equal: from (0,0)
 * on, or with reverse from (n,m) back.  Returns the x reached. */
static int
snake(const struct search *s, int x, int y, bool reverse)
{
	if (reverse)
		while (x < s->n && y < s->m && s->a[s->n - x - 1] == s->b[s->m - y - 1])
			x++, y++;
	else
		while (x < s->n && y < s->m && s->a[x] == s->b[y])
			x++, y++;
	return x;
}

/* The d-paths of one direction: forward from (0,0) in v1, or with rev
 * backward from (n,m) in v2, x counted from n.  True with the split (a
 * point of the forward path) when they meet the other direction's. */
static bool
extend(struct myers *c, struct search *s, int d, bool rev, int *x, int *y)
{
	int *v = rev ? s->v2 : s->v1, *other = rev ? s->v1 : s->v2;
	int *kstart = rev ? &s->k2start : &s->k1start, *kend = rev ? &s->k2end : &s->k1end;
	for (int k = -d + *kstart; k <= d - *kend; k += 2) {
		int i = s->off + k;
		int x0 = start_x(v, i, k, d);
		int xe = snake(s, x0, x0 - k, rev), ye = xe - k;
		c->work -= 1 + (xe - x0);
		v[i] = xe;
		if (xe > s->n) {
			*kend += 2; /* ran off the right edge */
		} else if (ye > s->m) {
			*kstart += 2; /* ran off the bottom edge */
		} else if (s->front != rev) {
			int j = s->off + s->delta - k;
			if (j >= 0 && j < s->len && other[j] != -1 && xe + other[j] >= s->n) {
				int f = rev ? j : i; /* the forward path's diagonal */
				*x = s->v1[f], *y = s->v1[f] - (f - s->off);
				return true;
			}
		}
	}
	return false;
}

/* Too expensive to be exact: split where the search got furthest.  Neither
 * search reached the other end (else the paths would have met by now), so
 * both halves are smaller problems. */
static bool
furthest(const struct search *s, int d, int *x, int *y)
{
	int best = -1;
	for (int k = -d + s->k1start; k <= d - s->k1end; k += 2) {
		int x1 = s->v1[s->off + k], y1 = x1 - k;
		if (x1 <= s->n && y1 <= s->m && x1 + y1 > best)
			best = x1 + y1, *x = x1, *y = y1;
	}
	for (int k = -d + s->k2start; k <= d - s->k2end; k += 2) {
		int x2 = s->v2[s->off + k], y2 = x2 - k;
		if (x2 <= s->n && y2 <= s->m && x2 + y2 > best)
			best = x2 + y2, *x = s->n - x2, *y = s->m - y2;
	}
	return best > 0;
}

/* Find where an optimal path from (0,0) to (n,m) for a[0..n) and b[0..m)
 * crosses the middle (n, m > 0; a[0] != b[0] and a[n-1] != b[m-1]).  The
 * two halves before and after (*x, *y) can then be compared separately
 * (past DIFF_MAX_COST the split is good rather than optimal).  False when
 * the work budget ran out (or, defensively, no split was found). */
static bool
bisect(struct myers *c, const int *a, int n, const int *b, int m, int *x, int *y)
{
	int max_d = (n + m + 1) / 2;
	struct search s = {.a = a, .b = b, .n = n, .m = m, .v1 = c->v1, .v2 = c->v2,
	                   .off = max_d + 1, .len = 2 * max_d + 3, .delta = n - m,
	                   .front = ((n - m) & 1) != 0};
	for (int i = 0; i < s.len; i++)
		s.v1[i] = s.v2[i] = -1;
	s.v1[s.off + 1] = 0;
	s.v2[s.off + 1] = 0;
	for (int d = 0; d < max_d; d++) {
		if (c->work <= 0)
			return false;
		if (extend(c, &s, d, false, x, y) || extend(c, &s, d, true, x, y))
			return true;
		if (d + 1 >= DIFF_MAX_COST)
			return furthest(&s, d, x, y);
	}
	return false;
}

static void
mark(bool *flags, int from, int to)
{
	for (int i = from; i < to; i++)
		flags[i] = true;
}

/* Mark the deleted tokens of old[a0..a1) and the added ones of new[b0..b1). */
static void
compare(struct myers *c, int a0, int a1, int b0, int b1)
{
	for (;;) {
		while (a0 < a1 && b0 < b1 && c->a[a0] == c->b[b0])
			a0++, b0++;
		while (a0 < a1 && b0 < b1 && c->a[a1 - 1] == c->b[b1 - 1])
			a1--, b1--;
		if (a0 == a1 || b0 == b1) {
			mark(c->del, a0, a1);
			mark(c->add, b0, b1);
			return;
		}
		int x, y;
		if (!bisect(c, c->a + a0, a1 - a0, c->b + b0, b1 - b0, &x, &y) ||
		    (x == 0 && y == 0) || (x == a1 - a0 && y == b1 - b0)) {
			mark(c->del, a0, a1); /* out of budget: all of it changed */
			mark(c->add, b0, b1);
			return;
		}
		compare(c, a0, a0 + x, b0, b0 + y);
		a0 += x, b0 += y; /* and the second half without recursing */
	}
}

static bool
ends_sentence(const struct token *t)
{
	char c = t->p[t->len - 1];
	return c == '.' || c == '!' || c == '?' || c == ':' || c == ';';
}

/* How good a place the gap before token pos of q is for a change to start
 * or end: text edges, blank lines, line ends and sentence ends first; the
 * start of a word over its end. */
static int
boundary_score(const struct seq *q, int pos)
{
	if (pos <= 0 || pos >= q->n)
		return 10;
	const struct token *l = &q->tok[pos - 1], *r = &q->tok[pos];
	const struct token *w = l->space ? l : r; /* tokens alternate */
	int lines = 0;
	for (size_t i = 0; i < w->len && lines < 2; i++)
		lines += w->p[i] == '\n';
	int score = lines >= 2 ? 8 : lines == 1 ? 6 : 0;
	const struct token *word = l->space ? (pos >= 2 ? &q->tok[pos - 2] : NULL) : l;
	if (word && ends_sentence(word))
		score += 3;
	if (l->space)
		score += 1;
	return score;
}

/* Move a pure insertion or deletion of k tokens at *start in q to the best
 * equivalent place between lo and hi (the neighbouring hunks or text
 * edges): touching a neighbouring hunk (so they merge) beats everything. */
static int
slide(const struct seq *q, int start, int k, int lo, int hi, bool prev, bool next)
{
	int s = start;
	while (s > lo && q->id[s - 1] == q->id[s + k - 1])
		s--;
	int best = s, best_score = -1;
	for (;;) {
		int score = boundary_score(q, s) + boundary_score(q, s + k);
		if (prev && s == lo)
			score += 20;
		if (next && s + k == hi)
			score += 20;
		if (score > best_score)
			best = s, best_score = score;
		if (s + k < hi && q->id[s] == q->id[s + k])
			s++;
		else
			break;
	}
	return best - start;
}

/* The hunks of the marked tokens, made readable: pure insertions and
 * deletions slid to good boundaries, touching hunks merged, and two
 * replacements separated only by white space joined.  Returns the count. */
static int
make_hunks(const struct seq *a, const struct seq *b, const bool *del, const bool *add,
           struct hunk **out)
{
	int cap = 16, n = 0;
	struct hunk *h = xmalloc(sizeof *h * (size_t)cap);
	int i = 0, j = 0;
	while (i < a->n || j < b->n) {
		if (i < a->n && j < b->n && !del[i] && !add[j]) {
			i++, j++;
			continue;
		}
		struct hunk x = {i, 0, j, 0};
		while (i < a->n && del[i])
			i++, x.na++;
		while (j < b->n && add[j])
			j++, x.nb++;
		if (x.na == 0 && x.nb == 0)
			break; /* cannot happen: unchanged tokens pair up */
		if (n == cap) {
			cap *= 2;
			h = xrealloc(h, sizeof *h * (size_t)cap);
		}
		h[n++] = x;
	}

	for (int k = 0; k < n; k++) {
		if (h[k].na > 0 && h[k].nb > 0)
			continue;
		const struct seq *q = h[k].na > 0 ? a : b;
		int start = h[k].na > 0 ? h[k].a0 : h[k].b0;
		int len = h[k].na > 0 ? h[k].na : h[k].nb;
		int lo = 0, hi = q->n;
		if (k > 0)
			lo = q == a ? h[k - 1].a0 + h[k - 1].na : h[k - 1].b0 + h[k - 1].nb;
		if (k + 1 < n)
			hi = q == a ? h[k + 1].a0 : h[k + 1].b0;
		int shift = slide(q, start, len, lo, hi, k > 0, k + 1 < n);
		h[k].a0 += shift;
		h[k].b0 += shift;
	}

	int m = 0;
	for (int k = 0; k < n; k++) {
		if (m > 0) {
			struct hunk *p = &h[m - 1];
			int gap = h[k].a0 - (p->a0 + p->na);
			bool repl = p->na > 0 && p->nb > 0 && h[k].na > 0 && h[k].nb > 0;
			if (gap == 0 || (gap == 1 && repl && a->tok[h[k].a0 - 1].space)) {
				p->na = h[k].a0 + h[k].na - p->a0;
				p->nb = h[k].b0 + h[k].nb - p->b0;
				continue;
			}
		}
		h[m++] = h[k];
	}
	*out = h;
	return m;
}

static void
add_piece(struct diff *d, enum diff_op op, const struct seq *q, int from, int to)
{
	if (from >= to)
		return;
	const struct token *first = &q->tok[from], *last = &q->tok[to - 1];
	d->pieces[d->count++] =
	    (struct diff_piece){op, first->p, (size_t)(last->p + last->len - first->p)};
	if (op != DIFF_SAME)
		d->changes++;
}

/* The coarse answer past the limits. */
static void
diff_whole(const char *old_text, size_t old_len, const char *new_text, size_t new_len,
           struct diff *out)
{
	out->pieces = xmalloc(2 * sizeof *out->pieces);
	if (old_len == new_len && memcmp(old_text, new_text, old_len) == 0) {
		if (old_len > 0)
			out->pieces[out->count++] =
			    (struct diff_piece){DIFF_SAME, old_text, old_len};
		return;
	}
	if (old_len > 0)
		out->pieces[out->count++] = (struct diff_piece){DIFF_DEL, old_text, old_len};
	if (new_len > 0)
		out->pieces[out->count++] = (struct diff_piece){DIFF_ADD, new_text, new_len};
	out->changes = out->count;
}

void
diff_words(const char *old_text, const char *new_text, struct diff *out)
{
	if (!old_text)
		old_text = "";
	if (!new_text)
		new_text = "";
	out->pieces = NULL;
	out->count = out->changes = 0;
	size_t old_len = strlen(old_text), new_len = strlen(new_text);
	if (old_len > DIFF_MAX_BYTES || new_len > DIFF_MAX_BYTES) {
		diff_whole(old_text, old_len, new_text, new_len, out);
		return;
	}

	struct seq a, b;
	tokenize(old_text, old_len, &a);
	tokenize(new_text, new_len, &b);
	intern(&a, &b);

	size_t vlen = (size_t)a.n + (size_t)b.n + 4;
	struct myers c = {
	    .a = a.id,
	    .b = b.id,
	    .del = xcalloc((size_t)a.n + 1, sizeof(bool)),
	    .add = xcalloc((size_t)b.n + 1, sizeof(bool)),
	    .v1 = xmalloc(vlen * sizeof(int)),
	    .v2 = xmalloc(vlen * sizeof(int)),
	    .work = DIFF_MAX_WORK,
	};
	compare(&c, 0, a.n, 0, b.n);
	free(c.v1);
	free(c.v2);

	struct hunk *h;
	int nh = make_hunks(&a, &b, c.del, c.add, &h);
	free(c.del);
	free(c.add);

	out->pieces = xmalloc(sizeof *out->pieces * (size_t)(3 * nh + 1));
	int i = 0;
	for (int k = 0; k < nh; k++) {
		add_piece(out, DIFF_SAME, &a, i, h[k].a0);
		add_piece(out, DIFF_DEL, &a, h[k].a0, h[k].a0 + h[k].na);
		add_piece(out, DIFF_ADD, &b, h[k].b0, h[k].b0 + h[k].nb);
		i = h[k].a0 + h[k].na;
	}
	add_piece(out, DIFF_SAME, &a, i, a.n);
	free(h);
	free(a.tok);
	free(a.id);
	free(b.tok);
	free(b.id);
}

void
diff_free(struct diff *d)
{
	if (!d)
		return;
	free(d->pieces);
	d->pieces = NULL;
	d->count = d->changes = 0;
}

char *
diff_render_plain(const struct diff *d)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; d && i < d->count; i++) {
		const struct diff_piece *p = &d->pieces[i];
		if (p->op == DIFF_DEL)
			strbuf_adds(&sb, "[-");
		else if (p->op == DIFF_ADD)
			strbuf_adds(&sb, "{+");
		strbuf_add(&sb, p->text, p->len);
		if (p->op == DIFF_DEL)
			strbuf_adds(&sb, "-]");
		else if (p->op == DIFF_ADD)
			strbuf_adds(&sb, "+}");
	}
	return strbuf_detach(&sb);
}
