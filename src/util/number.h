/* number.h: figures read and written the same in every locale.  Numbers
 * come from PostgreSQL as text with a decimal dot; people read them in
 * Dutch (1.234, 30,9, 07-09-2026) and CSV and JSON keep the dot and ISO
 * dates.  None of this looks at LC_NUMERIC or LC_TIME. */
#ifndef LOKET_UTIL_NUMBER_H
#define LOKET_UTIL_NUMBER_H

#include <stdbool.h>
#include <stddef.h>

/* A decimal number as PostgreSQL writes it ("-0.500", "23.8", "12"), read
 * with a dot whatever the locale.  False (and *out 0) for NULL, empty text
 * or anything after the number. */
bool num_parse(const char *s, double *out);
/* num_parse's value, 0 for NULL or what is not a number. */
double num_value(const char *s);

/* The decimal text s (as num_parse reads it) times 10^shift (2: a fraction
 * as a percentage), rounded half away from zero to `decimals` places, as
 * num_format writes it; exact, with no binary rounding.  False when s is
 * not a number or buf too small. */
bool num_text(char *buf, size_t size, const char *s, int shift, int decimals, bool dutch);

/* v rounded to `decimals` places into buf: with a decimal dot and no
 * grouping ("1234.5") when dutch is false, for machines; with a decimal
 * comma and a dot between thousands ("1.234,5") when true, for people.
 * Never "-0".  Returns buf. */
char *num_format(char *buf, size_t size, double v, int decimals, bool dutch);

/* An ISO date at the start of s ("2026-09-07", optionally followed by a
 * time) as a person reads it: "07-09-2026" and the rest unchanged, or for
 * an ISO timestamp "2026-09-07T14:05:09+02:00" to the minute: "07-09-2026
 * 14:05".  Text
 * that does not start with an ISO date is copied as it is.  Returns buf. */
char *date_dutch(char *buf, size_t size, const char *s);
/* The other way: a Dutch date "31-12-2026" as ISO "2026-12-31"; anything
 * else is copied as it is.  Returns buf. */
char *date_iso(char *buf, size_t size, const char *s);

#endif
