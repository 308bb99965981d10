/* mail.c: plain-text e-mail messages: address checks, quoted-printable
 * bodies, RFC 2047 encoded words, header folding and the RFC 5322 date. */
#include "config.h"

#include "util/i18n.h"
#include "util/mail.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define QP_LINE_MAX 76     /* RFC 2045 6.7 (5) */
#define HEADER_LINE_MAX 78 /* RFC 5322 2.1.1 */
#define EW_LINE_MAX 76     /* RFC 2047 2: lines with encoded words */
#define EW_MAX 75          /* RFC 2047 2: one encoded word */
#define EW_OVERHEAD 12     /* "=?UTF-8?Q?" and "?=" */

static const char hex[] = "0123456789ABCDEF";

/* ASCII only, whatever the locale. */
static bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool
mail_domain_valid(const char *domain)
{
	if (!domain)
		return false;
	size_t len = strlen(domain), label = 0;
	bool dot = false;
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)domain[i];
		if (c == '.') {
			if (label == 0 || domain[i - 1] == '-')
				return false;
			label = 0;
			dot = true;
		} else if (is_alnum(c) || c == '-') {
			if (c == '-' && label == 0)
				return false;
			if (++label > 63)
				return false;
		} else {
			return false;
		}
	}
	return dot && label > 0 && domain[len - 1] != '-';
}

bool
mail_address_valid(const char *addr)
{
	if (!addr)
		return false;
	const char *at = strchr(addr, '@');
	if (!at || strlen(addr) > 254)
		return false;
	size_t local = (size_t)(at - addr);
	if (local == 0 || local > 64)
		return false;
	for (size_t i = 0; i < local; i++) {
		unsigned char c = (unsigned char)addr[i];
		if (c == '.') {
			if (i == 0 || i == local - 1 || addr[i - 1] == '.')
				return false;
		} else if (c < 0x21 || c > 0x7E || strchr("<>()[],;:\\\"@", c)) {
			return false;
		}
	}
	return mail_domain_valid(at + 1); /* which rejects a second @ */
}

/* Valid UTF-8 without control characters (C0 including CR, LF and tab,
 * DEL and C1): safe for one header line. */
static bool
line_text_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	while (len > 0) {
		uint32_t cp;
		size_t n = utf8_decode(p, len, &cp);
		if (n == 0 || cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
			return false;
		p += n, len -= n;
	}
	return true;
}

/* One byte of a quoted-printable line into tok; returns its length (1 or 3).
 * col is the column it goes to, last whether a line end follows it. */
static size_t
qp_token(const char *p, size_t col, bool last, char tok[3])
{
	unsigned char c = (unsigned char)*p;
	bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);
	/* A lone "." ends SMTP DATA; "From " gets mangled by mbox writers. */
	if (col == 0 && (c == '.' || strncmp(p, "From ", 5) == 0))
		literal = false;
	if (literal) {
		tok[0] = (char)c;
		return 1;
	}
	tok[0] = '=';
	tok[1] = hex[c >> 4];
	tok[2] = hex[c & 0x0F];
	return 3;
}

char *
mail_qp_encode(const char *text)
{
	struct strbuf sb;
	strbuf_init(&sb);
	size_t col = 0;
	const char *p = text;
	while (*p) {
		if (*p == '\r' || *p == '\n') {
			p += p[0] == '\r' && p[1] == '\n' ? 2 : 1;
			strbuf_add(&sb, "\r\n", 2);
			col = 0;
			continue;
		}
		bool last = p[1] == '\0' || p[1] == '\r' || p[1] == '\n';
		char tok[3];
		size_t n = qp_token(p, col, last, tok);
		/* Room for the "=" of a soft break unless the line ends here. */
		if (col + n > (last ? QP_LINE_MAX : QP_LINE_MAX - 1)) {
			strbuf_add(&sb, "=\r\n", 3);
			col = 0;
			n = qp_token(p, col, last, tok);
		}
		strbuf_add(&sb, tok, n);
		col += n;
		p++;
	}
	return strbuf_detach(&sb);
}

/* A header being written: where the current line stands, and whether a
 * line has grown past the limit (only when an atom is too long for any line). */
struct fold {
	struct strbuf *sb;
	size_t col;
	size_t limit;
	bool first; /* nothing after "Name:" yet */
	bool over;
};

static void
fold_start(struct fold *f, struct strbuf *sb, const char *name, size_t limit)
{
	strbuf_adds(sb, name);
	strbuf_addc(sb, ':');
	f->sb = sb;
	f->col = strlen(name) + 1;
	f->limit = limit;
	f->first = true;
	f->over = false;
}

static void
fold_break(struct fold *f)
{
	strbuf_add(f->sb, "\r\n", 2);
	f->col = 0;
}

/* A space and an unbreakable atom, on a new line when it does not fit. */
static void
fold_atom(struct fold *f, const char *atom, size_t len)
{
	if (!f->first && f->col + 1 + len > f->limit)
		fold_break(f);
	strbuf_addc(f->sb, ' ');
	strbuf_add(f->sb, atom, len);
	f->col += 1 + len;
	f->first = false;
	if (f->col > f->limit)
		f->over = true;
}

/* Q encoding (RFC 2047 4.2 and 5(3)): only what is safe in any header,
 * a phrase included, stays literal. */
static bool
q_literal(unsigned char c)
{
	return is_alnum(c) || c == '!' || c == '*' || c == '+' || c == '-' || c == '/';
}

static size_t
q_len(unsigned char c)
{
	return q_literal(c) || c == ' ' ? 1 : 3;
}

static size_t
b_len(size_t bytes)
{
	return (bytes + 2) / 3 * 4;
}

/* How many bytes of whole UTF-8 characters from p fit in one encoded word
 * of at most room characters. */
static size_t
ew_fit(const unsigned char *p, size_t left, size_t room, bool b64)
{
	size_t used = 0, qlen = 0;
	while (used < left) {
		uint32_t cp;
		size_t n = utf8_decode(p + used, left - used, &cp);
		if (n == 0)
			n = 1; /* not reached: the text was checked */
		size_t len;
		if (b64) {
			len = b_len(used + n);
		} else {
			for (size_t i = 0; i < n; i++)
				qlen += q_len(p[used + i]);
			len = qlen;
		}
		if (EW_OVERHEAD + len > room)
			break;
		used += n;
	}
	return used;
}

static void
ew_add(struct strbuf *sb, const unsigned char *p, size_t n, bool b64)
{
	static const char b64chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	strbuf_adds(sb, b64 ? "=?UTF-8?B?" : "=?UTF-8?Q?");
	if (b64) {
		for (size_t i = 0; i < n; i += 3) {
			uint32_t v = (uint32_t)p[i] << 16;
			if (i + 1 < n)
				v |= (uint32_t)p[i + 1] << 8;
			if (i + 2 < n)
				v |= p[i + 2];
			strbuf_addc(sb, b64chars[v >> 18 & 0x3F]);
			strbuf_addc(sb, b64chars[v >> 12 & 0x3F]);
			strbuf_addc(sb, i + 1 < n ? b64chars[v >> 6 & 0x3F] : '=');
			strbuf_addc(sb, i + 2 < n ? b64chars[v & 0x3F] : '=');
		}
	} else {
		for (size_t i = 0; i < n; i++) {
			if (p[i] == ' ') {
				strbuf_addc(sb, '_');
			} else if (q_literal(p[i])) {
				strbuf_addc(sb, (char)p[i]);
			} else {
				strbuf_addc(sb, '=');
				strbuf_addc(sb, hex[p[i] >> 4]);
				strbuf_addc(sb, hex[p[i] & 0x0F]);
			}
		}
	}
	strbuf_adds(sb, "?=");
}

/* All of text (valid UTF-8) as encoded words, Q or B, whichever is shorter. */
static void
fold_encoded(struct fold *f, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t left = strlen(text), qtotal = 0;
	for (size_t i = 0; i < left; i++)
		qtotal += q_len(p[i]);
	bool b64 = b_len(left) < qtotal;
	while (left > 0) {
		size_t room = f->col + 1 < f->limit ? f->limit - f->col - 1 : 0;
		if (room > EW_MAX)
			room = EW_MAX;
		size_t take = ew_fit(p, left, room, b64);
		if (take == 0) {
			fold_break(f);
			room = f->limit - 1 < EW_MAX ? f->limit - 1 : EW_MAX;
			take = ew_fit(p, left, room, b64); /* a character takes at most 24 */
		}
		size_t start = f->sb->len;
		strbuf_addc(f->sb, ' ');
		ew_add(f->sb, p, take, b64);
		f->col += f->sb->len - start;
		f->first = false;
		p += take, left -= take;
	}
}

/* Printable ASCII, words separated by single spaces, nothing that looks
 * like an encoded word: can go into a header as it is. */
static bool
plain_ok(const char *s)
{
	size_t len = strlen(s);
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7E || (c == ' ' && s[i + 1] == ' '))
			return false;
	}
	return !strstr(s, "=?");
}

/* Add the words of s (plain_ok) as atoms; false when a word does not fit. */
static bool
fold_words(struct fold *f, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, " ");
		fold_atom(f, s, n);
		s += n;
		if (*s == ' ')
			s++;
	}
	return !f->over;
}

static bool
field_name_ok(const char *name)
{
	if (!name || !*name)
		return false;
	for (const char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x21 || c > 0x7E || c == ':')
			return false;
	}
	return true;
}

/* The header for text known to be acceptable to mail_header_text. */
static void
add_header_text(struct strbuf *sb, const char *name, const char *value)
{
	struct fold f;
	if (!*value) {
		strbuf_adds(sb, name);
		strbuf_adds(sb, ": ");
		return;
	}
	if (plain_ok(value)) {
		struct strbuf plain;
		strbuf_init(&plain);
		fold_start(&f, &plain, name, HEADER_LINE_MAX);
		if (fold_words(&f, value)) {
			strbuf_add(sb, plain.buf, plain.len);
			strbuf_free(&plain);
			return;
		}
		strbuf_free(&plain);
	}
	fold_start(&f, sb, name, EW_LINE_MAX);
	fold_encoded(&f, value);
}

char *
mail_header_text(const char *name, const char *value)
{
	if (!field_name_ok(name) || !value || !line_text_ok(value))
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb);
	add_header_text(&sb, name, value);
	return strbuf_detach(&sb);
}

/* atext of RFC 5322 3.2.3, and the space between atoms. */
static bool
phrase_plain_ok(const char *s)
{
	if (!plain_ok(s))
		return false;
	for (const char *p = s; *p; p++)
		if (!is_alnum((unsigned char)*p) && !strchr(" !#$%&'*+-/=?^_`{|}~", *p))
			return false;
	return true;
}

/* A display name in printable ASCII as atoms, or as one quoted-string;
 * false when it is not ASCII or does not fit on a line that way. */
static bool
fold_ascii_phrase(struct fold *f, const char *name)
{
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p > 0x7E)
			return false;
	if (phrase_plain_ok(name))
		return fold_words(f, name);
	struct strbuf q;
	strbuf_init(&q);
	strbuf_addc(&q, '"');
	for (const char *p = name; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_addc(&q, '\\');
		strbuf_addc(&q, *p);
	}
	strbuf_addc(&q, '"');
	fold_atom(f, q.buf, q.len);
	strbuf_free(&q);
	return !f->over;
}

/* "Field: addr" or "Field: display-name <addr>", and a CRLF; name is NULL
 * or passed line_text_ok, addr passed mail_address_valid. */
static void
add_address(struct strbuf *sb, const char *field, const char *name, const char *addr)
{
	struct strbuf line;
	struct fold f;
	strbuf_init(&line);
	fold_start(&f, &line, field, HEADER_LINE_MAX);
	if (!name || !*name) {
		fold_atom(&f, addr, strlen(addr));
	} else {
		if (!fold_ascii_phrase(&f, name)) {
			strbuf_reset(&line);
			fold_start(&f, &line, field, EW_LINE_MAX);
			fold_encoded(&f, name);
		}
		char *angle = xasprintf("<%s>", addr);
		fold_atom(&f, angle, strlen(angle));
		free(angle);
	}
	strbuf_add(sb, line.buf, line.len);
	strbuf_add(sb, "\r\n", 2);
	strbuf_free(&line);
}

/* "Date: Mon, 30 Nov 2026 10:04:45 +0100" and a CRLF, in the local time
 * zone, with English names whatever LC_TIME says. */
static bool
add_date(struct strbuf *sb, time_t t)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;
	tzset(); /* localtime_r need not notice a changed TZ otherwise */
	if (!localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
	    tm.tm_mon > 11)
		return false;
	long off = tm.tm_gmtoff / 60;
	char sign = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	strbuf_addf(sb, "Date: %s, %d %s %04d %02d:%02d:%02d %c%02ld%02ld\r\n", days[tm.tm_wday],
	            tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
	            tm.tm_sec, sign, off / 60, off % 60);
	return true;
}

static char *
compose_fail(const char **error, const char *msg)
{
	if (error)
		*error = msg;
	return NULL;
}

char *
mail_compose(const struct mail_message *m, char **message_id, const char **error)
{
	const char *subject = m->subject ? m->subject : "";
	const char *body = m->body ? m->body : "";
	if (message_id)
		*message_id = NULL;
	if (!mail_address_valid(m->from))
		return compose_fail(error, N_("the sender's e-mail address is not valid"));
	if (!mail_address_valid(m->to))
		return compose_fail(error, N_("the recipient's e-mail address is not valid"));
	if (m->id_domain && !mail_domain_valid(m->id_domain))
		return compose_fail(error, N_("the domain for the message ID is not valid"));
	if (m->from_name && !line_text_ok(m->from_name))
		return compose_fail(error, N_("the sender's name must be one line of text "
		                              "without control characters"));
	if (m->to_name && !line_text_ok(m->to_name))
		return compose_fail(error, N_("the recipient's name must be one line of text "
		                              "without control characters"));
	if (!line_text_ok(subject))
		return compose_fail(error, N_("the subject must be one line of text "
		                              "without control characters"));
	if (!utf8_valid(body, strlen(body)))
		return compose_fail(error, N_("the message text is not valid UTF-8"));

	char uuid[UUID_STR_LEN];
	if (!uuid_generate(uuid))
		return compose_fail(error, N_("could not make a message ID: "
		                              "the system's random source failed"));
	struct strbuf sb;
	strbuf_init(&sb);
	if (!add_date(&sb, m->date)) {
		strbuf_free(&sb);
		return compose_fail(error, N_("could not determine the local date and time"));
	}
	const char *domain = m->id_domain ? m->id_domain : strchr(m->from, '@') + 1;
	char *id = xasprintf("%s@%s", uuid, domain);

	add_address(&sb, "From", m->from_name, m->from);
	add_address(&sb, "To", m->to_name, m->to);
	add_header_text(&sb, "Subject", subject);
	strbuf_addf(&sb, "\r\nMessage-ID: <%s>\r\n", id);
	strbuf_adds(&sb, "MIME-Version: 1.0\r\n"
	                 "Content-Type: text/plain; charset=UTF-8\r\n"
	                 "Content-Transfer-Encoding: quoted-printable\r\n"
	                 "\r\n");
	char *qp = mail_qp_encode(body);
	size_t qlen = strlen(qp);
	strbuf_add(&sb, qp, qlen);
	if (qlen > 0 && (qlen < 2 || strcmp(qp + qlen - 2, "\r\n") != 0))
		strbuf_add(&sb, "\r\n", 2);
	free(qp);

	if (message_id)
		*message_id = id;
	else
		free(id);
	return strbuf_detach(&sb);
}
