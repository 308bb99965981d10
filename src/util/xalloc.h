/* xalloc.h: allocation that never returns NULL (out of memory aborts). */
#ifndef LOKET_UTIL_XALLOC_H
#define LOKET_UTIL_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string the caller owns. */
/* vsnprintf into a new string (aborts when out of memory). */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
