/* test_mail.c: Check suite for src/util/mail — addresses, quoted-printable,
 * encoded words in headers and whole messages, checked against worked-out
 * outputs and against small decoders written here. */
#include "config.h"

#include "util/mail.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <check.h>
#include <locale.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* 2026-11-30 10:04:45 in Amsterdam (CET, +0100). */
#define WINTER ((time_t)1796029485)
/* 2026-07-01 09:05:00 in Amsterdam (CEST, +0200). */
#define SUMMER ((time_t)1782889500)

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1; /* RFC 2045 wants upper case from encoders */
}

/* \r\n and a lone \r become \n, as mail_qp_encode treats them. */
static char *
normalized(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (; *s; s++) {
		if (*s == '\r') {
			strbuf_addc(&sb, '\n');
			if (s[1] == '\n')
				s++;
		} else {
			strbuf_addc(&sb, *s);
		}
	}
	return strbuf_detach(&sb);
}

/* Check the shape of quoted-printable output: CRLF line ends only, lines of
 * at most 76 printable characters, no white space before a line end, every
 * "=" starting a whole triplet or a soft break, no line starting with "."
 * or "From ". */
static void
check_qp_shape(const char *s)
{
	const char *line = s;
	while (*line) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		ck_assert_msg(len <= 76, "line of %zu characters in %s", len, s);
		ck_assert_msg(line[0] != '.', "line starts with a dot: %s", s);
		ck_assert_msg(strncmp(line, "From ", 5) != 0, "line starts with From: %s", s);
		if (len > 0)
			ck_assert_msg(line[len - 1] != ' ' && line[len - 1] != '\t',
			              "white space before a line end: %s", s);
		for (size_t i = 0; i < len; i++) {
			unsigned char c = (unsigned char)line[i];
			ck_assert_msg(c == ' ' || c == '\t' || (c >= 33 && c <= 126),
			              "byte %02x in %s", c, s);
			if (c != '=')
				continue;
			if (i == len - 1) {
				ck_assert_msg(end != NULL, "soft break at the end of the text: %s", s);
			} else {
				ck_assert_msg(i + 2 < len && hexval(line[i + 1]) >= 0 &&
				                  hexval(line[i + 2]) >= 0,
				              "split or bad triplet in %s", s);
				i += 2;
			}
		}
		if (!end)
			break;
		line = end + 2;
	}
}

/* Decode quoted-printable with CRLF lines into text with \n line ends. */
static char *
qp_decode(const char *s)
{
	struct strbuf sb;
	strbuf_init(&sb);
	while (*s) {
		if (s[0] == '\r') {
			ck_assert_int_eq(s[1], '\n');
			strbuf_addc(&sb, '\n');
			s += 2;
		} else if (s[0] == '=' && s[1] == '\r') {
			ck_assert_int_eq(s[2], '\n');
			s += 3;
		} else if (s[0] == '=') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);
			ck_assert_msg(hi >= 0 && lo >= 0, "bad triplet at %s", s);
			strbuf_addc(&sb, (char)(hi << 4 | lo));
			s += 3;
		} else {
			ck_assert_int_ne(s[0], '\n');
			strbuf_addc(&sb, *s++);
		}
	}
	return strbuf_detach(&sb);
}

static void
assert_qp(const char *text, const char *expected)
{
	char *got = mail_qp_encode(text);
	ck_assert_str_eq(got, expected);
	check_qp_shape(got);
	char *back = qp_decode(got), *want = normalized(text);
	ck_assert_str_eq(back, want);
	free(got);
	free(back);
	free(want);
}

static void
assert_qp_round_trip(const char *text)
{
	char *got = mail_qp_encode(text);
	check_qp_shape(got);
	char *back = qp_decode(got), *want = normalized(text);
	ck_assert_msg(strcmp(back, want) == 0, "round trip of \"%s\" gave \"%s\" via %s", want,
	              back, got);
	free(got);
	free(back);
	free(want);
}

static int
b64val(char c)
{
	const char *chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(chars, c) : NULL;
	return p ? (int)(p - chars) : -1;
}

/* Decode the text of one encoded word (between "=?UTF-8?X?" and "?="). */
static void
ew_decode(struct strbuf *out, const char *s, size_t len, char enc)
{
	if (enc == 'Q') {
		for (size_t i = 0; i < len; i++) {
			char c = s[i];
			if (c == '_') {
				strbuf_addc(out, ' ');
			} else if (c == '=') {
				ck_assert(i + 2 < len);
				int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
				ck_assert(hi >= 0 && lo >= 0);
				strbuf_addc(out, (char)(hi << 4 | lo));
				i += 2;
			} else {
				/* Only what RFC 2047 5(3) allows in a phrase. */
				ck_assert_msg(strchr("!*+-/", c) || (c >= 'a' && c <= 'z') ||
				                  (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'),
				              "'%c' in a Q encoded word", c);
				strbuf_addc(out, c);
			}
		}
		return;
	}
	ck_assert_int_eq(enc, 'B');
	ck_assert_uint_eq(len % 4, 0);
	for (size_t i = 0; i < len; i += 4) {
		uint32_t v = 0;
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			int d = s[i + k] == '=' ? (pad++, 0) : b64val(s[i + k]);
			ck_assert_int_ge(d, 0);
			v = v << 6 | (uint32_t)d;
		}
		ck_assert(pad == 0 || i + 4 == len);
		strbuf_addc(out, (char)(v >> 16));
		if (pad < 2)
			strbuf_addc(out, (char)(v >> 8 & 0xFF));
		if (pad < 1)
			strbuf_addc(out, (char)(v & 0xFF));
	}
}

/* Check a header field "Name: ..." as mail_header_text makes it and return
 * its value decoded: continuation lines start with a space, lines are at
 * most 78 characters (76 with encoded words), encoded words are at most 75
 * characters and each is valid UTF-8 on its own; a value with encoded words
 * has nothing else. */
static char *
header_decode(const char *field, const char *name)
{
	size_t nlen = strlen(name);
	ck_assert_msg(strncmp(field, name, nlen) == 0 && field[nlen] == ':',
	              "no \"%s:\" in %s", name, field);
	ck_assert_msg(!strchr(field, '\t'), "tab in %s", field);
	struct strbuf unfolded;
	strbuf_init(&unfolded);
	const char *line = field;
	for (;;) {
		const char *end = strstr(line, "\r\n");
		size_t len = end ? (size_t)(end - line) : strlen(line);
		ck_assert(!memchr(line, '\r', len) && !memchr(line, '\n', len));
		bool encoded = memmem(line, len, "=?", 2) != NULL;
		ck_assert_msg(len <= (encoded ? 76u : 78u), "line of %zu characters in %s", len,
		              field);
		strbuf_add(&unfolded, line, len);
		if (!end)
			break;
		ck_assert_msg(end[2] == ' ', "continuation without a space in %s", field);
		/* Not a line of only white space. */
		ck_assert(end[3] != '\0' && end[3] != ' ' && end[3] != '\r');
		line = end + 2;
	}
	ck_assert_msg(unfolded.buf[nlen + 1] == ' ', "no space after \"%s:\" in %s", name,
	              field);
	const char *value = unfolded.buf + nlen + 2;
	struct strbuf out;
	strbuf_init(&out);
	if (!strstr(value, "=?")) {
		strbuf_adds(&out, value);
	} else {
		const char *p = value;
		while (*p) {
			size_t len = strcspn(p, " ");
			ck_assert_msg(len <= 75, "encoded word of %zu characters in %s", len, field);
			ck_assert_msg(len >= 12 && strncmp(p, "=?UTF-8?", 8) == 0 &&
			                  (p[8] == 'Q' || p[8] == 'B') && p[9] == '?' &&
			                  strncmp(p + len - 2, "?=", 2) == 0,
			              "not an encoded word at %s", p);
			struct strbuf word;
			strbuf_init(&word);
			ew_decode(&word, p + 10, len - 12, p[8]);
			ck_assert_msg(word.len > 0 && utf8_valid(word.buf, word.len),
			              "encoded word not valid UTF-8 on its own in %s", field);
			strbuf_add(&out, word.buf, word.len);
			strbuf_free(&word);
			p += len;
			if (*p == ' ')
				p++;
		}
	}
	strbuf_free(&unfolded);
	return strbuf_detach(&out);
}

static void
assert_header(const char *name, const char *value, const char *expected)
{
	char *got = mail_header_text(name, value);
	ck_assert_ptr_nonnull(got);
	if (expected)
		ck_assert_str_eq(got, expected);
	char *back = header_decode(got, name);
	ck_assert_msg(strcmp(back, value) == 0, "\"%s\" came back as \"%s\" from %s", value, back,
	              got);
	free(got);
	free(back);
}

/* The message must have CRLF line ends only and end in one. */
static void
check_crlf(const char *msg)
{
	size_t len = strlen(msg);
	ck_assert(len >= 2 && strcmp(msg + len - 2, "\r\n") == 0);
	for (size_t i = 0; i < len; i++) {
		if (msg[i] == '\r')
			ck_assert_msg(msg[i + 1] == '\n', "bare CR at %zu", i);
		if (msg[i] == '\n')
			ck_assert_msg(i > 0 && msg[i - 1] == '\r', "bare LF at %zu", i);
	}
}

/* The header section (up to and without the empty line); *body gets the rest. */
static char *
headers_of(const char *msg, const char **body)
{
	const char *sep = strstr(msg, "\r\n\r\n");
	ck_assert_ptr_nonnull(sep);
	*body = sep + 4;
	return xstrndup(msg, (size_t)(sep - msg) + 2);
}

/* One header field of a message, folded as it is, without the final CRLF. */
static char *
field_of(const char *msg, const char *name)
{
	const char *body;
	char *head = headers_of(msg, &body);
	size_t nlen = strlen(name);
	char *found = NULL;
	for (const char *p = head; *p;) {
		const char *end = strstr(p, "\r\n");
		while (end[2] == ' ' || end[2] == '\t')
			end = strstr(end + 2, "\r\n");
		if (strncmp(p, name, nlen) == 0 && p[nlen] == ':') {
			ck_assert_ptr_null(found); /* only once */
			found = xstrndup(p, (size_t)(end - p));
		}
		p = end + 2;
	}
	free(head);
	ck_assert_msg(found != NULL, "no %s header", name);
	return found;
}

static struct mail_message
sample(void)
{
	struct mail_message m = {
		.from = "loket@leerwerkloket.nl",
		.from_name = "Leerwerkloket Zwolle",
		.to = "p.jansen@example.nl",
		.to_name = "Piet Jansen",
		.subject = "Uw vraag over scholing",
		.body = "Beste Piet,\n\nTot ziens.\n",
		.date = WINTER,
		.id_domain = NULL,
	};
	return m;
}

static char *
compose_ok(const struct mail_message *m, char **id)
{
	const char *err = NULL;
	char *msg = mail_compose(m, id, &err);
	ck_assert_msg(msg != NULL, "mail_compose failed: %s", err ? err : "(no error)");
	check_crlf(msg);
	return msg;
}

static void
assert_compose_fails(const struct mail_message *m, const char *error)
{
	const char *err = NULL;
	char *id = (char *)"untouched";
	char *msg = mail_compose(m, &id, &err);
	ck_assert_ptr_null(msg);
	ck_assert_ptr_null(id);
	ck_assert_ptr_nonnull(err);
	ck_assert_str_eq(err, error);
}

static void
set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static char *
repeat(const char *s, int n)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; i < n; i++)
		strbuf_adds(&sb, s);
	return strbuf_detach(&sb);
}

/* Plain addr-specs pass, with the limits on the local part, labels, the
 * domain and the whole address. */
START_TEST(addresses_valid)
{
	ck_assert(mail_address_valid("loket@leerwerkloket.nl"));
	ck_assert(mail_address_valid("p.jansen+scholing@mail.example.co.uk"));
	ck_assert(mail_address_valid("x_y-z!#$%&'*/=?^`{|}~@a-b.nl"));
	ck_assert(mail_address_valid("1@2.nl"));
	ck_assert(mail_address_valid("A@B.NL"));

	char *l64 = repeat("a", 64), *l65 = repeat("a", 65), *addr;
	addr = xasprintf("%s@example.nl", l64);
	ck_assert(mail_address_valid(addr));
	free(addr);
	addr = xasprintf("%s@example.nl", l65);
	ck_assert(!mail_address_valid(addr)); /* local part over 64 */
	free(addr);
	addr = xasprintf("a@%s.nl", l64);
	ck_assert(!mail_address_valid(addr)); /* label over 63 */
	free(addr);
	l64[63] = '\0';
	addr = xasprintf("a@%s.nl", l64);
	ck_assert(mail_address_valid(addr)); /* label of 63 */
	free(addr);

	/* 63+1+63+1+63+1+61 = 253 for the domain. */
	char *d253 = xasprintf("%s.%s.%s.%.61s", l64, l64, l64, l65);
	ck_assert_uint_eq(strlen(d253), 253);
	ck_assert(mail_domain_valid(d253));
	char *d254 = xasprintf("b%s", d253);
	ck_assert(!mail_domain_valid(d254));
	addr = xasprintf("a@%s", d254);
	ck_assert(!mail_address_valid(addr)); /* domain over 253 */
	free(addr);
	addr = xasprintf("a@%s", d253 + 1); /* 254 in all */
	ck_assert(mail_address_valid(addr));
	free(addr);
	addr = xasprintf("ab@%s", d253 + 1); /* 255 in all: over the SMTP path limit */
	ck_assert(!mail_address_valid(addr));
	free(addr);
	free(d253);
	free(d254);
	free(l64);
	free(l65);
}
END_TEST

/* Each kind of bad address fails, header injection first. */
START_TEST(addresses_invalid)
{
	static const char *const bad[] = {
		"",
		"a@b.nl\r\nBcc: x@y.nl",
		"a@b.nl\nBcc: x@y.nl",
		"a@b.nl\r",
		"a b@c.nl",
		" a@b.nl",
		"a@b.nl ",
		"a@b .nl",
		"a\t@b.nl",
		"a@b@c.nl",
		"a@localhost",
		"<a@b.nl>",
		"a@b.nl>",
		"Piet <a@b.nl>",
		"@b.nl",
		"a@",
		"a",
		"a@.nl",
		"a@b..nl",
		"a@b.nl.",
		"a@-b.nl",
		"a@b-.nl",
		"a@b.nl-",
		"a@b_c.nl",
		"a@[192.0.2.1]",
		".a@b.nl",
		"a.@b.nl",
		"a..b@c.nl",
		"\"a\"@b.nl",
		"a(b)@c.nl",
		"a,b@c.nl",
		"a;b@c.nl",
		"a:b@c.nl",
		"a[b]@c.nl",
		"a\\b@c.nl",
		"a\x7f@b.nl",
		"\x01@b.nl",
		"jos\xc3\xa9@b.nl",
		"a@b\xc3\xa9.nl",
		"a@b.nl\xff",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!mail_address_valid(bad[i]), "accepted \"%s\"", bad[i]);
	ck_assert(!mail_address_valid(NULL));
	ck_assert(!mail_domain_valid(NULL));
	ck_assert(!mail_domain_valid(""));
	ck_assert(!mail_domain_valid("nl"));
}
END_TEST

/* Worked-out encodings of short texts. */
START_TEST(qp_examples)
{
	assert_qp("", "");
	assert_qp("café", "caf=C3=A9");
	assert_qp("a=b", "a=3Db");
	assert_qp("€ 125,–", "=E2=82=AC 125,=E2=80=93");
	assert_qp("Tot ziens 👋", "Tot ziens =F0=9F=91=8B");
	assert_qp("één\ntwee\n", "=C3=A9=C3=A9n\r\ntwee\r\n");
	assert_qp("a\r\nb\rc\n\nd", "a\r\nb\r\nc\r\n\r\nd");
	assert_qp("\r", "\r\n");
	assert_qp("trail \nx", "trail=20\r\nx");
	assert_qp("tab\t", "tab=09");
	assert_qp("two  \n", "two =20\r\n");
	assert_qp("in between\tstays", "in between\tstays");
	assert_qp(".", "=2E");
	assert_qp("a\n.\nb", "a\r\n=2E\r\nb");
	assert_qp("...", "=2E..");
	assert_qp("a.b.", "a.b.");
	assert_qp("From here\nFrom\nFromage\n From x", "=46rom here\r\nFrom\r\nFromage\r\n From x");
	assert_qp("esc\x1b[31m del\x7f", "esc=1B[31m del=7F");
	assert_qp("?_~!\"#", "?_~!\"#");
}
END_TEST

/* Long lines: soft breaks at 75 characters and an "=", the last line up
 * to 76, triplets kept whole, and the rules for line starts applied after
 * a soft break too. */
START_TEST(qp_long_lines)
{
	char *a75 = repeat("a", 75), *a76 = repeat("a", 76), *a50 = repeat("a", 50);
	char *text = repeat("a", 200);
	char *want = xasprintf("%s=\r\n%s=\r\n%s", a75, a75, a50);
	assert_qp(text, want);
	free(text);
	free(want);

	assert_qp(a76, a76); /* exactly 76 fits */
	text = xasprintf("%s\n", a76);
	want = xasprintf("%s\r\n", a76);
	assert_qp(text, want);
	free(text);
	free(want);
	text = xasprintf("%sa", a76);
	want = xasprintf("%s=\r\naa", a75);
	assert_qp(text, want);
	free(text);
	free(want);

	/* 25 triplets fill 75 columns; the 76th column is the soft break
	 * (which may fall inside a character, never inside a triplet). */
	text = repeat("é", 25);
	char *t12 = repeat("=C3=A9", 12);
	want = xasprintf("%s=C3=\r\n=A9%s", t12, t12);
	assert_qp(text, want);
	free(text);
	free(want);
	/* 74 columns and a triplet: it goes to the next line whole. */
	char *a74 = repeat("a", 74);
	text = xasprintf("%s€b", a74);
	want = xasprintf("%s=\r\n=E2=82=ACb", a74);
	assert_qp(text, want);
	free(text);
	free(want);
	/* A triplet ending the line may reach column 76. */
	char *a73 = repeat("a", 73);
	text = xasprintf("%s=", a73);
	want = xasprintf("%s=3D", a73);
	assert_qp(text, want);
	free(text);
	free(want);
	/* A trailing space encoded: 75 + "=20" does not fit. */
	text = xasprintf("%s \nb", a75);
	want = xasprintf("%s=\r\n=20\r\nb", a75);
	assert_qp(text, want);
	free(text);
	free(want);
	/* A space before a soft break stays a space. */
	text = xasprintf("%s xy", a74);
	want = xasprintf("%s =\r\nxy", a74);
	assert_qp(text, want);
	free(text);
	free(want);
	/* A dot or "From " at the start of a continuation line. */
	text = xasprintf("%s.b", a75);
	want = xasprintf("%s=\r\n=2Eb", a75);
	assert_qp(text, want);
	free(text);
	free(want);
	text = xasprintf("%sFrom me", a75);
	want = xasprintf("%s=\r\n=46rom me", a75);
	assert_qp(text, want);
	free(text);
	free(want);
	free(a73);
	free(a74);
	free(a75);
	free(a76);
	free(a50);
	free(t12);
}
END_TEST

/* Texts and lines of every length near the limit decode back exactly. */
START_TEST(qp_round_trips)
{
	static const char *const texts[] = {
		"Geachte heer Çelik,\n\nHierbij de samenvatting van ons gesprek over de cursus "
		"'Basisvaardigheden' in Zwolle. U kunt zich aanmelden via de website; de kosten "
		"(€ 125,–) worden vergoed door uw werkgever.\n\nMet vriendelijke groet,\nAnne de "
		"Vries\n",
		"één, twee, drie — café, naïef, coöperatie, reünie, ruïne, geëerd, Curaçao\n",
		"Tot ziens 👋😀🎓📚 en veel succes! 👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽\n",
		"Arbeidsongeschiktheidsverzekeringsmaatschappijbeleidsmedewerkersopleidingstraject"
		"Arbeidsongeschiktheidsverzekeringsmaatschappijbeleidsmedewerkersopleidingstraject"
		"Arbeidsongeschiktheidsverzekeringsmaatschappijbeleidsmedewerkersopleidingstraject",
		"trailing spaces   \n\t\t\n  \n \t \nend \t",
		".\n.\n..\n. \n.",
		"From me\nFrom\n.From\n>From x\nFrom ",
		"==========================================================================="
		"=====================================",
		"\r\n\r\n\n\r\r",
		"x",
		" ",
		"\n",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		assert_qp_round_trip(texts[i]);

	/* Lines of 60..90 characters ending in each awkward kind of character,
	 * after a prefix that shifts where the breaks fall. */
	static const char *const ends[] = {" ", "\t", "é", "=", ".", "a", "€", "😀", "From "};
	static const char *const fills[] = {"a", "é", " ", "a ", ".", "F"};
	for (size_t f = 0; f < sizeof fills / sizeof fills[0]; f++) {
		for (int n = 60; n <= 90; n++) {
			for (size_t e = 0; e < sizeof ends / sizeof ends[0]; e++) {
				char *fill = repeat(fills[f], n);
				char *text = xasprintf("%s%s\n%s%s", fill, ends[e], ends[e], fill);
				assert_qp_round_trip(text);
				free(text);
				free(fill);
			}
		}
	}

	/* Pseudo-random texts from awkward pieces (fixed seed). */
	static const char *const pieces[] = {"a", "b", "F", "From ", ".", " ", "\t", "=",
	                                     "é", "€", "😀", "\n", "\r\n", "\r", "ab", "x\t "};
	uint32_t seed = 12345;
	for (int round = 0; round < 500; round++) {
		struct strbuf sb;
		strbuf_init(&sb);
		seed = seed * 1103515245u + 12345u;
		int len = (int)(seed >> 16) % 300;
		for (int i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			strbuf_adds(&sb, pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])]);
		}
		assert_qp_round_trip(sb.buf);
		strbuf_free(&sb);
	}
}
END_TEST

/* Printable ASCII stays plain, folded at spaces within 78 columns. */
START_TEST(header_plain)
{
	assert_header("Subject", "Uw vraag over scholing", "Subject: Uw vraag over scholing");
	assert_header("Subject", "", "Subject: ");
	assert_header("Subject", "50% korting? Ja: (zie bijlage) <geen> \"echt\"",
	              "Subject: 50% korting? Ja: (zie bijlage) <geen> \"echt\"");
	assert_header("Subject",
	              "Samenvatting van ons gesprek op dinsdag 30 november over de cursus "
	              "Basisvaardigheden Digitaal in Zwolle en de vergoeding",
	              "Subject: Samenvatting van ons gesprek op dinsdag 30 november over de "
	              "cursus\r\n Basisvaardigheden Digitaal in Zwolle en de vergoeding");
	char *s = repeat("woord ", 60);
	s[strlen(s) - 1] = '\0';
	assert_header("Subject", s, NULL);
	free(s);
}
END_TEST

/* Anything else becomes encoded words that decode back. */
START_TEST(header_encoded)
{
	assert_header("Subject", "Uw vraag over scholing — samenvatting",
	              "Subject: =?UTF-8?Q?Uw_vraag_over_scholing_=E2=80=94_samenvatting?=");
	/* Q or B, whichever is shorter (Q on a tie). */
	assert_header("Subject", "Cursus café", "Subject: =?UTF-8?Q?Cursus_caf=C3=A9?=");
	assert_header("Subject", "café", "Subject: =?UTF-8?B?Y2Fmw6k=?=");
	/* B when shorter than Q. */
	assert_header("Subject", "😀😀😀", "Subject: =?UTF-8?B?8J+YgPCfmIDwn5iA?=");
	char *e30 = repeat("é", 30);
	assert_header("Subject", e30,
	              "Subject: =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6nDqcOpw6k=?=\r\n"
	              " =?UTF-8?B?w6nDqcOpw6nDqcOpw6nDqcOpw6nDqQ==?=");
	free(e30);
	/* Split in two words, the second on a continuation line. */
	assert_header("Subject",
	              "Samenvatting van ons gesprek op 30 november over de cursus "
	              "‘Basisvaardigheden’ in Zwolle",
	              "Subject: =?UTF-8?Q?Samenvatting_van_ons_gesprek_op_30_november_over_de_cur?=\r\n"
	              " =?UTF-8?Q?sus_=E2=80=98Basisvaardigheden=E2=80=99_in_Zwolle?=");
	/* ASCII that would not survive as it is. */
	assert_header("Subject", "=?UTF-8?Q?nep?=", "Subject: =?UTF-8?B?PT9VVEYtOD9RP25lcD89?=");
	assert_header("Subject", " leading", NULL);
	assert_header("Subject", "trailing ", NULL);
	assert_header("Subject", "two  spaces", NULL);
	assert_header("Subject", "a_b?c=d", NULL);
	char *word = repeat("x", 80);
	assert_header("Subject", word, NULL); /* one word too long to fold plainly */
	free(word);
	/* A long header name leaves no room on the first line. */
	assert_header("X-A-Very-Long-Header-Name-That-Leaves-Little-Room-On-Its-Line", "café",
	              "X-A-Very-Long-Header-Name-That-Leaves-Little-Room-On-Its-Line:\r\n"
	              " =?UTF-8?B?Y2Fmw6k=?=");

	/* Wherever the words split, no character is cut in two. */
	static const char *const tails[] = {"—€😀é ", "😀", "é", "€ ", "ĳ a"};
	for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
		for (int k = 0; k < 80; k++) {
			char *x = repeat("x", k), *tail = repeat(tails[t], 12);
			char *v = xasprintf("%s%s", x, tail);
			assert_header("Subject", v, NULL);
			char *v2 = xasprintf("%s%s", tail, x);
			assert_header("Subject", v2, NULL);
			free(x);
			free(tail);
			free(v);
			free(v2);
		}
	}
}
END_TEST

/* No header at all for control characters, invalid UTF-8 or a bad name. */
START_TEST(header_rejects)
{
	static const char *const bad[] = {
		"a\r\nBcc: x@y.nl", "a\nb", "a\rb", "a\tb", "a\x7f", "a\x1b[2J", "a\xc2\x85",
		"a\xff",           "\xc0\xaf", "\xed\xa0\x80", "caf\xc3",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_ptr_null(mail_header_text("Subject", bad[i]));
	ck_assert_ptr_null(mail_header_text("Subject", NULL));
	ck_assert_ptr_null(mail_header_text("", "x"));
	ck_assert_ptr_null(mail_header_text("Sub ject", "x"));
	ck_assert_ptr_null(mail_header_text("Subject:", "x"));
	ck_assert_ptr_null(mail_header_text("Subject\r\nBcc", "x"));
	ck_assert_ptr_null(mail_header_text(NULL, "x"));
}
END_TEST

/* The whole message, worked out, with the id it returned. */
START_TEST(compose_whole_message)
{
	set_tz("Europe/Amsterdam");
	struct mail_message m = sample();
	char *id = NULL;
	char *msg = compose_ok(&m, &id);
	char *want = xasprintf("Date: Mon, 30 Nov 2026 10:04:45 +0100\r\n"
	                       "From: Leerwerkloket Zwolle <loket@leerwerkloket.nl>\r\n"
	                       "To: Piet Jansen <p.jansen@example.nl>\r\n"
	                       "Subject: Uw vraag over scholing\r\n"
	                       "Message-ID: <%s>\r\n"
	                       "MIME-Version: 1.0\r\n"
	                       "Content-Type: text/plain; charset=UTF-8\r\n"
	                       "Content-Transfer-Encoding: quoted-printable\r\n"
	                       "\r\n"
	                       "Beste Piet,\r\n"
	                       "\r\n"
	                       "Tot ziens.\r\n",
	                       id);
	ck_assert_str_eq(msg, want);
	free(want);
	free(msg);
	free(id);
}
END_TEST

/* Headers in order, each once; the body decodes back to the text. */
START_TEST(compose_headers_in_order)
{
	set_tz("Europe/Amsterdam");
	static const char *const order[] = {"Date", "From", "To", "Subject", "Message-ID",
	                                    "MIME-Version", "Content-Type",
	                                    "Content-Transfer-Encoding"};
	struct mail_message m = sample();
	m.from_name = "Leerwerkloket Overijssel — regio Zwolle, Deventer en Kampen";
	m.to_name = "Özlem Çelik-van der Meulen";
	m.subject = "Samenvatting van ons gesprek over de cursus ‘Basisvaardigheden’ in Zwolle "
	            "en de vergoeding door uw werkgever";
	m.body = "Beste mevrouw Çelik,\r\n\r\nDe cursus kost € 125,–.\n.\nFrom now on: "
	         "alles goed. \nGroet";
	char *id = NULL;
	char *msg = compose_ok(&m, &id);
	const char *body;
	char *head = headers_of(msg, &body);
	size_t n = 0;
	for (const char *p = head; *p; p = strstr(p, "\r\n") + 2) {
		if (*p == ' ')
			continue; /* a continuation line */
		ck_assert_uint_lt(n, sizeof order / sizeof order[0]);
		size_t len = strlen(order[n]);
		ck_assert_msg(strncmp(p, order[n], len) == 0 && p[len] == ':',
		              "expected %s at %.20s", order[n], p);
		n++;
	}
	ck_assert_uint_eq(n, sizeof order / sizeof order[0]);

	/* Header lines within 78 columns. */
	for (const char *p = head; *p;) {
		const char *end = strstr(p, "\r\n");
		ck_assert_int_le(end - p, 78);
		p = end + 2;
	}
	char *f = field_of(msg, "Subject");
	char *v = header_decode(f, "Subject");
	ck_assert_str_eq(v, m.subject);
	free(f);
	free(v);

	check_qp_shape(body);
	char *text = qp_decode(body), *want = normalized(m.body);
	/* The message ends in a CRLF that the text did not have. */
	size_t tl = strlen(text);
	ck_assert(tl > 0 && text[tl - 1] == '\n');
	text[tl - 1] = '\0';
	ck_assert_str_eq(text, want);
	free(text);
	free(want);
	free(head);
	free(msg);
	free(id);
}
END_TEST

/* Display names: atoms, quoted strings with escapes, encoded words, none. */
START_TEST(compose_names)
{
	set_tz("UTC");
	static const struct {
		const char *name, *to;
	} cases[] = {
		{"Piet Jansen", "To: Piet Jansen <p@x.nl>"},
		{"O'Brien-Smit", "To: O'Brien-Smit <p@x.nl>"},
		{"Jansen, P.", "To: \"Jansen, P.\" <p@x.nl>"},
		{"Say \"hi\" \\ o", "To: \"Say \\\"hi\\\" \\\\ o\" <p@x.nl>"},
		{"Eve <eve@evil.nl>", "To: \"Eve <eve@evil.nl>\" <p@x.nl>"},
		{"a@b.nl", "To: \"a@b.nl\" <p@x.nl>"},
		{"=?UTF-8?Q?x?=", "To: \"=?UTF-8?Q?x?=\" <p@x.nl>"},
		{"José Çelik", "To: =?UTF-8?B?Sm9zw6kgw4dlbGlr?= <p@x.nl>"},
		{NULL, "To: p@x.nl"},
		{"", "To: p@x.nl"},
		{"Leerwerkloket Overijssel regio Zwolle Deventer Kampen en Hardenberg",
		 "To: Leerwerkloket Overijssel regio Zwolle Deventer Kampen en Hardenberg\r\n"
		 " <p@x.nl>"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct mail_message m = sample();
		m.to = "p@x.nl";
		m.to_name = cases[i].name;
		m.from_name = cases[i].name;
		char *msg = compose_ok(&m, NULL);
		char *to = field_of(msg, "To"), *from = field_of(msg, "From");
		ck_assert_str_eq(to, cases[i].to);
		ck_assert_msg(strncmp(from, "From: ", 6) == 0 &&
		                  strstr(from, "loket@leerwerkloket.nl") != NULL,
		              "%s", from);
		free(to);
		free(from);
		free(msg);
	}

	/* A long non-ASCII name: encoded words within 76 columns, then the address. */
	struct mail_message m = sample();
	m.to_name = "Leerwerkloket Overijssel — regio Zwolle, Deventer, Kampen en Hardenberg";
	char *msg = compose_ok(&m, NULL);
	char *to = field_of(msg, "To");
	const char *angle = strstr(to, " <p.jansen@example.nl>");
	ck_assert_ptr_nonnull(angle);
	ck_assert_str_eq(angle, " <p.jansen@example.nl>");
	size_t wlen = (size_t)(angle - to);
	if (wlen >= 2 && strncmp(angle - 2, "\r\n", 2) == 0)
		wlen -= 2; /* the address went to a line of its own */
	char *words = xstrndup(to, wlen);
	char *name = header_decode(words, "To");
	ck_assert_str_eq(name, m.to_name);
	free(name);
	free(words);
	free(to);
	free(msg);
}
END_TEST

/* The Date in the local zone, summer and winter, with English names in any
 * locale (strftime would say "ma" and "nov" in Dutch). */
START_TEST(compose_date)
{
	static const struct {
		const char *tz;
		time_t t;
		const char *date;
	} cases[] = {
		{"Europe/Amsterdam", WINTER, "Date: Mon, 30 Nov 2026 10:04:45 +0100"},
		{"Europe/Amsterdam", SUMMER, "Date: Wed, 1 Jul 2026 09:05:00 +0200"},
		{"UTC", WINTER, "Date: Mon, 30 Nov 2026 09:04:45 +0000"},
		{"America/St_Johns", WINTER, "Date: Mon, 30 Nov 2026 05:34:45 -0330"},
		{"UTC", 0, "Date: Thu, 1 Jan 1970 00:00:00 +0000"},
	};
	static const char *const locales[] = {"C.UTF-8", "nl_NL.UTF-8"};
	regex_t re;
	ck_assert_int_eq(regcomp(&re,
	                         "^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{1,2} "
	                         "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
	                         "[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}$",
	                         REG_EXTENDED | REG_NOSUB),
	                 0);
	for (size_t l = 0; l < sizeof locales / sizeof locales[0]; l++) {
		if (!setlocale(LC_ALL, locales[l]))
			continue; /* nl_NL may not be installed */
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			set_tz(cases[i].tz);
			struct mail_message m = sample();
			m.date = cases[i].t;
			char *msg = compose_ok(&m, NULL);
			char *date = field_of(msg, "Date");
			ck_assert_str_eq(date, cases[i].date);
			ck_assert_int_eq(regexec(&re, date, 0, NULL, 0), 0);
			ck_assert(strncmp(msg, "Date: ", 6) == 0);
			free(date);
			free(msg);
		}
	}
	regfree(&re);
	setlocale(LC_ALL, "C.UTF-8");
	set_tz("Europe/Amsterdam");
}
END_TEST

/* Message-ID: <uuid@domain>, the domain of from or id_domain, new each time. */
START_TEST(compose_message_id)
{
	struct mail_message m = sample();
	char *id1 = NULL, *id2 = NULL;
	char *msg1 = compose_ok(&m, &id1), *msg2 = compose_ok(&m, &id2);
	ck_assert_ptr_nonnull(id1);
	ck_assert_ptr_nonnull(id2);
	ck_assert_str_ne(id1, id2);
	const char *at = strchr(id1, '@');
	ck_assert_ptr_nonnull(at);
	ck_assert_str_eq(at, "@leerwerkloket.nl");
	char *uuid = xstrndup(id1, (size_t)(at - id1));
	ck_assert(uuid_is_valid(uuid));
	free(uuid);
	char *field = field_of(msg1, "Message-ID"), *want = xasprintf("Message-ID: <%s>", id1);
	ck_assert_str_eq(field, want);
	free(field);
	free(want);
	field = field_of(msg2, "Message-ID");
	want = xasprintf("Message-ID: <%s>", id2);
	ck_assert_str_eq(field, want);
	free(field);
	free(want);
	free(msg1);
	free(msg2);
	free(id1);
	free(id2);

	m.id_domain = "mail.leerwerkloket.nl";
	char *msg = compose_ok(&m, &id1);
	at = strchr(id1, '@');
	ck_assert_str_eq(at, "@mail.leerwerkloket.nl");
	ck_assert_ptr_nonnull(strstr(msg, "@mail.leerwerkloket.nl>\r\n"));
	free(msg);
	free(id1);

	m.id_domain = "bad domain";
	assert_compose_fails(&m, "the domain for the message ID is not valid");
}
END_TEST

/* Header injection and bad text: no message, an error, no id. */
START_TEST(compose_rejects)
{
	static const char *const bad_from = "the sender's e-mail address is not valid";
	static const char *const bad_to = "the recipient's e-mail address is not valid";
	static const char *const bad_from_name =
		"the sender's name must be one line of text without control characters";
	static const char *const bad_to_name =
		"the recipient's name must be one line of text without control characters";
	static const char *const bad_subject =
		"the subject must be one line of text without control characters";
	static const char *const bad_body = "the message text is not valid UTF-8";
	struct mail_message m;

	m = sample();
	m.subject = "Vraag\r\nBcc: x@y.nl";
	assert_compose_fails(&m, bad_subject);
	m.subject = "Vraag\nBcc: x@y.nl";
	assert_compose_fails(&m, bad_subject);
	m.subject = "Vraag\r";
	assert_compose_fails(&m, bad_subject);
	m.subject = "Vraag\tover";
	assert_compose_fails(&m, bad_subject);
	m.subject = "caf\xe9"; /* Latin-1 */
	assert_compose_fails(&m, bad_subject);

	m = sample();
	m.from_name = "Loket\r\nBcc: x@y.nl";
	assert_compose_fails(&m, bad_from_name);
	m.from_name = "Loket\xc2\x85";
	assert_compose_fails(&m, bad_from_name);
	m = sample();
	m.to_name = "Piet\nBcc: x@y.nl";
	assert_compose_fails(&m, bad_to_name);
	m.to_name = "Piet\xff";
	assert_compose_fails(&m, bad_to_name);

	m = sample();
	m.to = "p@x.nl\r\nBcc: x@y.nl";
	assert_compose_fails(&m, bad_to);
	m.to = "Piet <p@x.nl>";
	assert_compose_fails(&m, bad_to);
	m.to = NULL;
	assert_compose_fails(&m, bad_to);
	m = sample();
	m.from = "loket@leerwerkloket";
	assert_compose_fails(&m, bad_from);
	m.from = "";
	assert_compose_fails(&m, bad_from);

	m = sample();
	m.body = "Beste Piet,\n\xc3(\n";
	assert_compose_fails(&m, bad_body);
	m.body = "overlong \xc0\xae";
	assert_compose_fails(&m, bad_body);

	/* error and message_id may be NULL. */
	ck_assert_ptr_null(mail_compose(&m, NULL, NULL));
}
END_TEST

/* CRLF everywhere, whatever line ends the text has, and a final CRLF. */
START_TEST(compose_line_ends)
{
	static const char *const bodies[] = {
		"",       "no line end", "one\n",     "crlf\r\nlines\r\n", "lone\rcr\r",
		"\n\n\n", "\r",          "mixed\r\n\n\r", "trailing space ",
	};
	struct mail_message m = sample();
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		m.body = bodies[i];
		char *msg = compose_ok(&m, NULL);
		const char *body;
		char *head = headers_of(msg, &body);
		char *text = qp_decode(body), *want = normalized(bodies[i]);
		size_t wl = strlen(want);
		if (wl == 0 || want[wl - 1] != '\n') {
			/* compose ends the message with a CRLF */
			char *w = xasprintf("%s%s", want, wl ? "\n" : "");
			free(want);
			want = w;
		}
		ck_assert_str_eq(text, want);
		free(text);
		free(want);
		free(head);
		free(msg);
	}
	m.body = NULL;
	m.subject = NULL;
	char *msg = compose_ok(&m, NULL);
	ck_assert_ptr_nonnull(strstr(msg, "\r\nSubject: \r\n"));
	size_t len = strlen(msg);
	ck_assert(len > 4 && strcmp(msg + len - 4, "\r\n\r\n") == 0);
	free(msg);
}
END_TEST

static Suite *
mail_suite(void)
{
	Suite *s = suite_create("mail");
	TCase *t = tcase_create("encoding");
	tcase_add_test(t, addresses_valid);
	tcase_add_test(t, addresses_invalid);
	tcase_add_test(t, qp_examples);
	tcase_add_test(t, qp_long_lines);
	tcase_add_test(t, qp_round_trips);
	tcase_add_test(t, header_plain);
	tcase_add_test(t, header_encoded);
	tcase_add_test(t, header_rejects);
	suite_add_tcase(s, t);
	t = tcase_create("compose");
	tcase_add_test(t, compose_whole_message);
	tcase_add_test(t, compose_headers_in_order);
	tcase_add_test(t, compose_names);
	tcase_add_test(t, compose_date);
	tcase_add_test(t, compose_message_id);
	tcase_add_test(t, compose_rejects);
	tcase_add_test(t, compose_line_ends);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	SRunner *sr = srunner_create(mail_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
