/* terms.h: the words of a search, to show where a row matches it.  The
 * database decides what matches (Dutch full text, with stemming); this only
 * marks, in what is shown, the words that begin with a searched word: a
 * search for "subsidie" marks "subsidie" and "subsidies". */
#ifndef LOKET_UTIL_TERMS_H
#define LOKET_UTIL_TERMS_H

#include <stddef.h>

struct search_terms {
	char **word; /* lower case (ASCII letters) */
	int n;
};

/* The words of query, as websearch_to_tsquery reads it: blanks separate
 * words, quotes make a phrase (its words are marked each), "or" is an
 * operator, a word after "-" is one the rows do not have (not marked).
 * Replaces what t held. */
void search_terms_parse(struct search_terms *t, const char *query);
void search_terms_clear(struct search_terms *t);
/* How many bytes at `at` (inside text) a searched word covers there: a
 * word of text that begins with a searched word (ASCII letters without
 * regard to case); 0 when none does. */
size_t search_terms_match(const struct search_terms *t, const char *text, const char *at);

#endif
