/* number.c: locale-independent numbers and dates; see number.h. */
#include "config.h"

#include "util/number.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool
num_parse(const char *s, double *out)
{
	*out = 0;
	if (!s)
		return false;
	const char *p = s;
	bool neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	double v = 0, scale = 1;
	int digits = 0;
	for (; isdigit((unsigned char)*p); p++, digits++)
		v = v * 10 + (*p - '0');
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, digits++)
			v += (*p - '0') * (scale /= 10);
	if (*p == 'e' || *p == 'E') { /* PostgreSQL's float8 text, e.g. 1e-05 */
		int sign = 1, e = 0;
		p++;
		if (*p == '-' || *p == '+')
			sign = *p++ == '-' ? -1 : 1;
		if (!isdigit((unsigned char)*p))
			return false;
		for (; isdigit((unsigned char)*p) && e < 400; p++)
			e = e * 10 + (*p - '0');
		for (; e > 0; e--)
			v = sign > 0 ? v * 10 : v / 10;
	}
	if (digits == 0 || *p)
		return false;
	*out = neg ? -v : v;
	return true;
}

double
num_value(const char *s)
{
	double v;
	return num_parse(s, &v) ? v : 0;
}

/* The digits of a decimal text, its sign and where its point is. */
struct decimal {
	char digits[64];
	int n;     /* digits used */
	int point; /* digits before the point */
	bool neg;
};

static bool
decimal_read(const char *s, int shift, struct decimal *d)
{
	memset(d, 0, sizeof *d);
	d->neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	bool seen_point = false;
	for (; *s; s++) {
		if (*s == '.' && !seen_point) {
			seen_point = true;
			continue;
		}
		if (!isdigit((unsigned char)*s) || d->n >= (int)sizeof d->digits - 1)
			return false;
		d->digits[d->n++] = *s;
		if (!seen_point)
			d->point++;
	}
	d->point += shift;
	return d->n > 0;
}

/* Digit i of the number counted from the point (0 the first after it, -1
 * the units), '0' outside the digits written. */
static int
decimal_digit(const struct decimal *d, int i)
{
	int at = d->point + i;
	return at >= 0 && at < d->n ? d->digits[at] - '0' : 0;
}

static bool
write_decimal(char *buf, size_t size, const struct decimal *d, int decimals, bool dutch)
{
	/* whole digits from the first significant one, then the decimals,
	 * rounded half away from zero as PostgreSQL's round() */
	char out[96];
	int whole = d->point > 1 ? d->point : 1, len = whole + decimals, k = 0;
	if (len >= (int)sizeof out - 40)
		return false;
	for (int i = -whole; i < decimals; i++)
		out[k++] = (char)('0' + decimal_digit(d, i));
	if (decimal_digit(d, decimals) >= 5)
		for (int i = len - 1; i >= 0; i--) {
			if (out[i] != '9') {
				out[i]++;
				break;
			}
			out[i] = '0';
			if (i == 0) { /* 99,96 -> 100,0 */
				memmove(out + 1, out, (size_t)len);
				out[0] = '1';
				whole++, len++;
			}
		}
	int lead = 0;
	while (lead < whole - 1 && out[lead] == '0')
		lead++;
	bool zero = true;
	for (int i = 0; i < len; i++)
		zero = zero && out[i] == '0';
	char res[160];
	size_t o = 0;
	if (d->neg && !zero)
		res[o++] = '-';
	for (int i = lead; i < whole; i++) {
		if (dutch && i > lead && (whole - i) % 3 == 0)
			res[o++] = '.';
		res[o++] = out[i];
	}
	if (decimals > 0)
		res[o++] = dutch ? ',' : '.';
	for (int i = whole; i < len; i++)
		res[o++] = out[i];
	res[o] = '\0';
	return (size_t)snprintf(buf, size, "%s", res) < size;
}

bool
num_text(char *buf, size_t size, const char *s, int shift, int decimals, bool dutch)
{
	struct decimal d;
	if (!s || !decimal_read(s, shift, &d) || decimals < 0 || decimals > 12)
		return false;
	return write_decimal(buf, size, &d, decimals, dutch);
}

char *
num_format(char *buf, size_t size, double v, int decimals, bool dutch)
{
	/* nine decimals as digits of our own, then rounded as text */
	double a = v < 0 ? -v : v;
	if (!(a < 9e9)) { /* also NaN */
		snprintf(buf, size, "%s", "?");
		return buf;
	}
	unsigned long long units = (unsigned long long)(a * 1e9 + 0.5);
	char text[40];
	snprintf(text, sizeof text, "%s%llu.%09llu", v < 0 ? "-" : "", units / 1000000000ULL,
	         units % 1000000000ULL);
	if (!num_text(buf, size, text, 0, decimals, dutch))
		snprintf(buf, size, "%s", "?");
	return buf;
}

char *
date_dutch(char *buf, size_t size, const char *s)
{
	if (!s)
		s = "";
	bool iso = strlen(s) >= 10 && s[4] == '-' && s[7] == '-' && (s[10] == '\0' || s[10] == ' ' || s[10] == 'T');
	for (int i = 0; iso && i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			iso = false;
	if (!iso)
		snprintf(buf, size, "%s", s);
	else if (s[10] == 'T' && strlen(s) >= 16) /* a JSON timestamp: to the minute */
		snprintf(buf, size, "%.2s-%.2s-%.4s %.5s", s + 8, s + 5, s, s + 11);
	else
		snprintf(buf, size, "%.2s-%.2s-%.4s%s", s + 8, s + 5, s, s + 10);
	return buf;
}

char *
date_iso(char *buf, size_t size, const char *s)
{
	if (!s)
		s = "";
	bool dutch = strlen(s) == 10 && s[2] == '-' && s[5] == '-';
	for (int i = 0; dutch && i < 10; i++)
		if (i != 2 && i != 5 && !isdigit((unsigned char)s[i]))
			dutch = false;
	if (dutch)
		snprintf(buf, size, "%.4s-%.2s-%.2s", s + 6, s + 3, s);
	else
		snprintf(buf, size, "%s", s);
	return buf;
}
