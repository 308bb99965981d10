/* sanitize.h: the one sanitiser for text that one user typed and another sees.
 *
 * Every string from the database or from outside that reaches a terminal goes
 * through sanitize_text().  Nothing it outputs can move the cursor, change
 * colours, reorder text or hide characters:
 *   - C0 controls and DEL become their Unicode "control picture"
 *     (ESC -> U+241B, BEL -> U+2407, ...), so "\e[2J" shows as "␛[2J";
 *   - C1 controls, bidi controls, zero-width and other invisible format
 *     characters, and line/paragraph separators become "<U+XXXX>";
 *   - each byte that is not valid UTF-8 becomes U+FFFD "�" (never dropped);
 *   - newline is kept only with SANITIZE_MULTILINE (else shown as U+2424),
 *     and a tab becomes one space.
 */
#ifndef LOKET_UTIL_SANITIZE_H
#define LOKET_UTIL_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/strbuf.h"

enum sanitize_flags {
	SANITIZE_DEFAULT = 0,
	SANITIZE_MULTILINE = 1 << 0, /* keep '\n' as a line break */
};

/* Append the sanitised form of s[0..len) to out. */
void sanitize_text(struct strbuf *out, const char *s, size_t len, unsigned flags);
/* Convenience: a new sanitised copy of a NUL-terminated string (NULL -> ""). */
char *sanitize_dup(const char *s, unsigned flags);
/* True when code point cp would be replaced (is invisible or a control). */
bool sanitize_is_unsafe(uint32_t cp);
/* printf to f through the sanitiser (with SANITIZE_MULTILINE): for messages
 * that echo a command-line argument, the database's or a server's text.
 * The format's own newlines stay; nothing an argument holds can reach the
 * terminal as a control. */
void sanitize_fprintf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
