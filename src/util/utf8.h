/* utf8.h: strict UTF-8 decoding (no overlongs, no surrogates, <= U+10FFFF). */
#ifndef LOKET_UTIL_UTF8_H
#define LOKET_UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one code point from s (at most len bytes).  Returns the number of
 * bytes used (1..4) and stores the code point in *cp, or returns 0 when the
 * bytes at s do not start a valid sequence. */
size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Encode code point cp (at most U+10FFFF, no surrogate) into out; returns
 * the number of bytes (1..4), or 0 for what is not a character. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* True when all len bytes are valid UTF-8. */
bool utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 (invalid bytes count as one each). */
size_t utf8_length(const char *s, size_t len);

#endif
