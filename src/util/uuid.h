/* uuid.h: random (version 4) UUIDs, generated on the client so that a
 * retried submit carries the same key. */
#ifndef LOKET_UTIL_UUID_H
#define LOKET_UTIL_UUID_H

#include <stdbool.h>

#define UUID_STR_LEN 37 /* 36 characters and the NUL */

/* Fill out with a new lower-case v4 UUID.  Returns false when the system's
 * random source fails. */
bool uuid_generate(char out[UUID_STR_LEN]);
/* True when s has the canonical 8-4-4-4-12 hex form. */
bool uuid_is_valid(const char *s);

#endif
