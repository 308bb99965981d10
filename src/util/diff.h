/* diff.h: word-level differences between two versions of a text, for showing
 * what an editor changed in a knowledge item (Myers' O(ND) algorithm).
 *
 * Texts are split into tokens: runs of non-white-space and runs of white
 * space, where white space is only the ASCII space, tab, '\n' and '\r'.  A
 * token never splits a UTF-8 sequence, so every piece of a diff is valid
 * UTF-8 when the input is.  White-space runs are compared exactly: "a  b"
 * and "a b" differ.
 *
 * Limits (the result is always correct, only coarser past them):
 *   - a text longer than DIFF_MAX_BYTES (1 MiB, 50 times the largest
 *     knowledge item) is not compared word by word: the diff is then
 *     "delete all of old, add all of new" (one SAME piece when identical);
 *   - where the exact search for the middle of a part costs more than
 *     DIFF_MAX_COST token edits, the part is split where the search got
 *     furthest instead (as git's xdiff does), so the diff may be a little
 *     longer than the shortest one.  This bounds the time to about
 *     (tokens of old + new) * DIFF_MAX_COST steps;
 *   - the whole comparison does at most DIFF_MAX_WORK steps; past that, each
 *     part not yet compared is shown as deleted and added whole.
 * Measured (-O2): two 20,000-character texts with ~200 changed words take
 * about 1 ms (~120,000 steps, exact); completely rewritten ones 10-35 ms
 * (~3-5 million steps); 1 MiB rewritten texts hit DIFF_MAX_WORK at ~0.5 s.
 */
#ifndef LOKET_UTIL_DIFF_H
#define LOKET_UTIL_DIFF_H

#include <stddef.h>

#define DIFF_MAX_BYTES (1024 * 1024)
#define DIFF_MAX_COST 256
#define DIFF_MAX_WORK 50000000L

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_ADD };

struct diff_piece {
	enum diff_op op;
	const char *text; /* points into the old (SAME, DEL) or new (ADD) string */
	size_t len;       /* bytes */
};

struct diff {
	struct diff_piece *pieces;
	int count;
	int changes; /* number of DEL and ADD pieces */
};

/* The word-level difference from old to new: tokens are runs of
 * non-white-space and runs of white space (so joining the SAME and DEL
 * pieces in order gives old back exactly, and SAME and ADD gives new).
 * Adjacent pieces with the same op are merged, no piece is empty, and a
 * change is one DEL followed by one ADD (either may be missing).  Two
 * replacements separated only by white space are shown as one ("de [-kat
 * zat-]{+hond lag+} op"), and where an insertion or deletion could be
 * placed in several ways it goes to a line or sentence end, else to the
 * start of a word ("Eerste zin. {+Nieuwe zin. +}Tweede zin.").
 * Identical texts give one SAME piece (none when both are empty).  NULL is
 * taken as "".  The pieces point into old_text and new_text, which must
 * outlive *out.  Never fails (see the limits above); *out is overwritten,
 * release it with diff_free(). */
void diff_words(const char *old_text, const char *new_text, struct diff *out);
/* Release the pieces and reset *d to an empty diff (NULL is fine). */
void diff_free(struct diff *d);
/* A plain-text rendering for the terminal/CLI: the SAME text as it is,
 * deleted text as [-...-] and added text as {+...+} (like git diff
 * --word-diff=plain).  Not sanitised: pass it through sanitize_text() before
 * showing it.  Malloc'd; "" for an empty diff. */
char *diff_render_plain(const struct diff *d);

#endif
