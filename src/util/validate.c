/* validate.c: input checks that need no database. */
#include "config.h"

#include "util/i18n.h"
#include "util/utf8.h"
#include "util/validate.h"

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

bool
text_has_contact(const char *s)
{
	static const char *const patterns[] = {
	    "[[:alnum:]._%+-]+@[[:alnum:]-]+(\\.[[:alnum:]-]+)*\\.[[:alpha:]]{2,}",
	    /* +31, 0031 or 0, then nine digits, with spaces, dashes, dots, an area
	     * code in brackets or a (0) between */
	    "(\\+31|0031|(^|[^[:digit:]])\\(?0)[ .-]{0,3}(\\(0\\)[ .-]{0,3})?[1-9]"
	    "(\\)?[ .-]{0,3}[[:digit:]]|[ .-]{0,3}[[:digit:]]){8}([^[:digit:]]|$)",
	};
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
		regex_t re;
		if (regcomp(&re, patterns[i], REG_EXTENDED | REG_NOSUB) != 0)
			continue;
		bool hit = regexec(&re, s, 0, NULL, 0) == 0;
		regfree(&re);
		if (hit)
			return true;
	}
	return false;
}
