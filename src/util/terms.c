/* terms.c: the words of a search, to show where a row matches it. */
#include "config.h"

#include "util/terms.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Letters and digits, and every byte of a UTF-8 sequence (é, ë: letters in
 * Dutch words). */
static bool
is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c | 0x20) : c;
}

static void
add_word(struct search_terms *t, const char *w, size_t len)
{
	t->word = xrealloc(t->word, (size_t)(t->n + 1) * sizeof *t->word);
	char *copy = xmalloc(len + 1);
	for (size_t i = 0; i < len; i++)
		copy[i] = lower(w[i]);
	copy[len] = '\0';
	t->word[t->n++] = copy;
}

void
search_terms_clear(struct search_terms *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->word[i]);
	free(t->word);
	t->word = NULL;
	t->n = 0;
}

void
search_terms_parse(struct search_terms *t, const char *query)
{
	search_terms_clear(t);
	bool phrase = false, negated = false;
	for (const char *p = query ? query : ""; *p;) {
		if (*p == '"') {
			phrase = !phrase;
			p++;
			continue;
		}
		if (!is_word_byte((unsigned char)*p)) {
			/* a '-' before a word outside a phrase negates it */
			negated = !phrase && *p == '-' && (p == query || p[-1] == ' ');
			p++;
			continue;
		}
		const char *start = p;
		while (*p && is_word_byte((unsigned char)*p))
			p++;
		size_t len = (size_t)(p - start);
		bool operator = !phrase && len == 2 && lower(start[0]) == 'o' && lower(start[1]) == 'r';
		if (!negated && !operator)
			add_word(t, start, len);
		negated = false;
	}
}

size_t
search_terms_match(const struct search_terms *t, const char *text, const char *at)
{
	if (at > text && is_word_byte((unsigned char)at[-1]))
		return 0; /* not where a word begins */
	for (int i = 0; i < t->n; i++) {
		size_t k = 0;
		while (t->word[i][k] && lower(at[k]) == t->word[i][k])
			k++;
		if (t->word[i][k] == '\0' && k > 0) {
			while (is_word_byte((unsigned char)at[k]))
				k++; /* the whole word: "subsidie" marks "subsidies" */
			return k;
		}
	}
	return 0;
}
