/* check.c: whether a typed value fits its field — required, length, shape
 * (date, e-mail, phone number, postcode, checkbox), fixed choices and
 * the field's own pattern.  The database checks again on save. */
#include "config.h"

#include "form/form.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/validate.h"

#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

/* Each type's longest value, when the form sets no max. */
static int
default_max(enum form_type type)
{
	switch (type) {
	case FORM_TEXT:
		return 200;
	case FORM_MULTILINE:
		return 4000;
	case FORM_CHOICE:
		return 40;
	case FORM_DATE:
		return 10;
	case FORM_EMAIL:
		return 254;
	case FORM_PHONE:
		return 20;
	case FORM_POSTCODE:
		return 7;
	case FORM_CHECKBOX:
		return 3;
	}
	return 200;
}

int
form_field_max(const struct form_field *f)
{
	return f->max > 0 ? f->max : default_max(f->type);
}

static bool
matches(const char *pattern, const char *value)
{
	regex_t re;
	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	bool ok = regexec(&re, value, 0, NULL, 0) == 0;
	regfree(&re);
	return ok;
}

/* dd-mm-yyyy, a real calendar day. */
static bool
valid_date(const char *v)
{
	int d, m, y;
	char tail;
	if (strlen(v) != 10 || sscanf(v, "%2d-%2d-%4d%c", &d, &m, &y, &tail) != 3)
		return false;
	if (!isdigit((unsigned char)v[0]) || v[2] != '-' || v[5] != '-' || y < 1900 || y > 2199 ||
	    m < 1 || m > 12 || d < 1)
		return false;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= days[m - 1] + (m == 2 ? leap : 0);
}

/* 06-12345678, (053) 123 45 67, +31 (0)6 1234 5678: ten digits after 0,
 * +31 or 0031; from abroad + or 00 and the country code, 8 to 15 digits in
 * all (+49 30 1234567: cross-border workers).  Spaces, dashes, dots and
 * brackets between, as people write them; the database keeps the digits
 * (model/referral.c). */
static bool
is_phone_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static bool
valid_phone(const char *v)
{
	char digits[32];
	size_t n = 0;
	const char *p = v;
	/* 0032 is +32, 0031 is +31 */
	bool intl = p[0] == '+' || (p[0] == '0' && p[1] == '0' && p[2] >= '1' && p[2] <= '9');
	const char *cc = p + (p[0] == '+' ? 1 : 2);
	if (intl && strncmp(cc, "31", 2) != 0) {
		for (p = cc; *p; p++)
			if (strncmp(p, "(0)", 3) == 0 && p != cc)
				p += 2; /* +49 (0)30: the 0 is not dialled */
			else if (isdigit((unsigned char)*p))
				n++;
			else if (!is_phone_separator(*p))
				return false;
		/* with 00 at least ten digits: 00612345678 is a mistyped 06 */
		return n >= (v[0] == '+' ? 8u : 10u) && n <= 15 && cc[0] >= '1' && cc[0] <= '9';
	}
	if (intl) {
		digits[n++] = '0';
		p = cc + 2;
		while (*p == ' ')
			p++;
		if (strncmp(p, "(0)", 3) == 0)
			p += 3;
	}
	for (; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (n + 1 >= sizeof digits)
				return false;
			digits[n++] = *p;
		} else if (!is_phone_separator(*p)) {
			return false;
		}
	}
	digits[n] = '\0';
	return n == 10 && digits[0] == '0' && digits[1] != '0';
}

static const char *
check_shape(const struct form_field *f, const char *v)
{
	char pc[5];
	switch (f->type) {
	case FORM_TEXT:
	case FORM_MULTILINE:
		return NULL;
	case FORM_CHOICE:
		for (int i = 0; i < f->nchoices; i++)
			if (strcmp(f->choices[i].code, v) == 0)
				return NULL;
		return f->nchoices > 0 ? N_("choose one of the listed values") : NULL;
	case FORM_DATE:
		return valid_date(v) ? NULL : N_("a date such as 31-12-2026");
	case FORM_EMAIL:
		return matches("^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:].]+$", v)
		               ? NULL
		               : N_("an e-mail address such as naam@voorbeeld.nl");
	case FORM_PHONE:
		return valid_phone(v) ? NULL : N_("a phone number such as 06 12345678, or from abroad + and the country code");
	case FORM_POSTCODE:
		return postcode_to4(v, pc) ? NULL : N_("a postcode such as 7511 AB");
	case FORM_CHECKBOX:
		return strcmp(v, "ja") == 0 || strcmp(v, "nee") == 0 || strcmp(v, "yes") == 0 ||
		               strcmp(v, "no") == 0
		           ? NULL
		           : N_("yes or no");
	}
	return NULL;
}

const char *
form_check(const struct form_field *f, const char *value)
{
	const char *v = value ? value : "";
	size_t len = strlen(v);
	if (!utf8_valid(v, len))
		return N_("is not valid UTF-8 text");
	bool blank = true;
	for (const char *p = v; *p && blank; p++)
		blank = isspace((unsigned char)*p) != 0;
	if (blank)
		return f->required ? N_("is required") : NULL;
	int max = form_field_max(f);
	if (utf8_length(v, len) > (size_t)max)
		return N_("is too long");
	const char *shape = check_shape(f, v);
	if (shape)
		return shape;
	if (f->pattern && !matches(f->pattern, v))
		return N_("does not have the expected form");
	return NULL;
}
