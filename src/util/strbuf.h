/* strbuf.h: a growable, always NUL-terminated byte string. */
#ifndef LOKET_UTIL_STRBUF_H
#define LOKET_UTIL_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf; /* NUL-terminated; NULL only after strbuf_detach, until the next add */
	size_t len;
	size_t cap;
};

void strbuf_init(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);
void strbuf_reset(struct strbuf *sb);
/* Remove the last UTF-8 character (all its bytes), as Backspace does. */
void strbuf_pop_char(struct strbuf *sb);
void strbuf_add(struct strbuf *sb, const char *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the buffer to the caller (who frees it) and reset sb. */
char *strbuf_detach(struct strbuf *sb);

#endif
