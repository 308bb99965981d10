/* validate.c: input checks that need no database. */
#include "config.h"

#include "util/i18n.h"
#include "util/utf8.h"
#include "util/validate.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

enum text_status
text_check(const char *s, size_t max_chars)
{
	size_t len = strlen(s);
	if (!utf8_valid(s, len))
		return TEXT_BAD_UTF8;
	bool blank = true;
	for (size_t i = 0; i < len && blank; i++)
		blank = isspace((unsigned char)s[i]) != 0;
	if (blank)
		return TEXT_EMPTY;
	if (utf8_length(s, len) > max_chars)
		return TEXT_TOO_LONG;
	return TEXT_OK;
}

const char *
text_status_message(enum text_status st)
{
	switch (st) {
	case TEXT_OK:
		return N_("ok");
	case TEXT_EMPTY:
		return N_("is empty");
	case TEXT_TOO_LONG:
		return N_("is too long");
	case TEXT_BAD_UTF8:
		return N_("is not valid UTF-8 text");
	}
	return "?";
}

bool
postcode_to4(const char *in, char out[5])
{
	const char *p = in;
	while (*p == ' ')
		p++;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	if (p[0] == '0')
		return false;
	const char *q = p + 4;
	while (*q == ' ')
		q++;
	if (*q) {
		if (!isalpha((unsigned char)q[0]) || !isalpha((unsigned char)q[1]))
			return false;
		q += 2;
		while (*q == ' ')
			q++;
		if (*q)
			return false;
	}
	memcpy(out, p, 4);
	out[4] = '\0';
	return true;
}

bool
parse_positive_int(const char *s, int *out)
{
	if (!s || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	char *end;
	long v = strtol(s, &end, 10);
	if (errno || *end || v <= 0 || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

/* What contact details look like in free text.  An e-mail address; a Dutch
 * number (+31, 0031 or 0, then nine digits, with spaces, dashes, dots, an
 * area code in brackets or a (0) between); a foreign one (+ or 00 and a
 * country code, then seven to thirteen digits).  A number's match may take
 * one character on either side along (not a digit): contact_find trims it. */
static const char *const contact_patterns[] = {
    "[[:alnum:]._%+-]+@[[:alnum:]-]+(\\.[[:alnum:]-]+)*\\.[[:alpha:]]{2,}",
    "(\\+31|0031|(^|[^[:digit:]])\\(?0)[ .-]{0,3}(\\(0\\)[ .-]{0,3})?[1-9]"
    "(\\)?[ .-]{0,3}[[:digit:]]|[ .-]{0,3}[[:digit:]]){8}([^[:digit:]]|$)",
    "(\\+|(^|[^[:digit:]])00)[1-9]([ .-]{0,3}(\\(0\\)[ .-]{0,3})?[[:digit:]]){7,13}"
    "([^[:digit:]]|$)",
};
enum { CONTACT_EMAIL, CONTACT_NL, CONTACT_ABROAD, NCONTACT };

/* The first match of pattern p in s: [*so, *eo). */
static bool
contact_find(int p, const char *s, size_t *so, size_t *eo)
{
	regex_t re;
	if (regcomp(&re, contact_patterns[p], REG_EXTENDED) != 0)
		return false;
	regmatch_t m[1];
	bool hit = regexec(&re, s, 1, m, 0) == 0;
	regfree(&re);
	if (!hit)
		return false;
	*so = (size_t)m[0].rm_so;
	*eo = (size_t)m[0].rm_eo;
	if (p == CONTACT_EMAIL)
		return true;
	/* a number: without the character before or after it */
	if (*eo > *so && !isdigit((unsigned char)s[*eo - 1]) && s[*eo - 1] != ')')
		do /* a character of several bytes, in a UTF-8 locale */
			(*eo)--;
		while (*eo > *so && ((unsigned char)s[*eo] & 0xC0) == 0x80);
	if (s[*so] != '+' && !isdigit((unsigned char)s[*so]) &&
	    !(s[*so] == '(' && memchr(s + *so, ')', *eo - *so)))
		do
			(*so)++;
		while (*so < *eo && ((unsigned char)s[*so] & 0xC0) == 0x80);
	return *eo > *so;
}

bool
text_has_contact(const char *s)
{
	size_t so, eo;
	for (int p = 0; p < NCONTACT; p++)
		if (contact_find(p, s, &so, &eo))
			return true;
	return false;
}

/* s with [so, eo) replaced by marker (owned). */
static char *
replace_range(const char *s, size_t so, size_t eo, const char *marker)
{
	size_t n = strlen(s), m = strlen(marker);
	char *out = xmalloc(n - (eo - so) + m + 1);
	memcpy(out, s, so);
	memcpy(out + so, marker, m);
	memcpy(out + so + m, s + eo, n - eo + 1);
	return out;
}

bool
text_take_contact(const char *s, const char *marker, unsigned what, struct contact_taken *out)
{
	memset(out, 0, sizeof *out);
	char *rest = xstrdup(s);
	size_t so, eo;
	if ((what & TAKE_EMAIL) && contact_find(CONTACT_EMAIL, rest, &so, &eo)) {
		out->email = xstrndup(rest + so, eo - so);
		char *next = replace_range(rest, so, eo, marker);
		free(rest);
		rest = next;
	}
	for (int p = CONTACT_NL; p <= CONTACT_ABROAD && (what & TAKE_PHONE) && !out->phone; p++)
		if (contact_find(p, rest, &so, &eo)) {
			out->phone = xstrndup(rest + so, eo - so);
			char *next = replace_range(rest, so, eo, marker);
			free(rest);
			rest = next;
		}
	if (!out->email && !out->phone) {
		free(rest);
		return false;
	}
	out->rest = rest;
	out->more = text_has_contact(rest);
	return true;
}

char *
phone_tidy(const char *s)
{
	char *out = xmalloc(strlen(s) + 2);
	size_t n = 0;
	if (s[0] == '0' && s[1] == '0' && s[2] >= '1' && s[2] <= '9') { /* 0032: +32 */
		out[n++] = '+';
		s += 2;
	}
	for (const char *p = s; *p; p++) {
		if (strncmp(p, "(0)", 3) == 0 && n > 0) { /* +31 (0)6: the 0 is not dialled */
			p += 2;
			continue;
		}
		char c = *p == '.' || *p == '(' || *p == ')' || *p == '/' ? ' ' : *p;
		if (c == ' ' && (n == 0 || out[n - 1] == ' ' || out[n - 1] == '-'))
			continue;
		if (c == '-' && n > 0 && out[n - 1] == ' ')
			n--; /* "06 - 12": one dash */
		out[n++] = c;
	}
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '-'))
		n--;
	out[n] = '\0';
	return out;
}

void
contact_taken_free(struct contact_taken *c)
{
	free(c->email);
	free(c->phone);
	free(c->rest);
	memset(c, 0, sizeof *c);
}
