/* test_util.c: Check suite for src/util — UTF-8, the sanitiser, widths,
 * strings, validation, UUIDs and figures in every locale. */
#include "config.h"

#include "util/chart.h"
#include "util/number.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/terms.h"
#include "util/utf8.h"
#include "util/uuid.h"
#include "util/validate.h"
#include "util/width.h"
#include "util/xalloc.h"

#include "dbtest.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *
san(const char *s, unsigned flags)
{
	return sanitize_dup(s, flags);
}

#define ASSERT_SAN(in, flags, expected)                                                      \
	do {                                                                               \
		char *got_ = san(in, flags);                                                   \
		ck_assert_str_eq(got_, expected);                                              \
		free(got_);                                                                    \
	} while (0)

/* Bars in eighths of a cell, or whole '#' in ASCII; at least a sliver. */
START_TEST(chart_bars)
{
	char *b = chart_bar(50, 100, 4, true);
	ck_assert_str_eq(b, "██");
	free(b);
	b = chart_bar(45, 100, 4, true); /* 1.8 cells: 14 eighths */
	ck_assert_str_eq(b, "█▊");
	free(b);
	b = chart_bar(1, 1000, 4, true);
	ck_assert_str_eq(b, "▏");
	free(b);
	b = chart_bar(0, 1000, 4, true);
	ck_assert_str_eq(b, "");
	free(b);
	b = chart_bar(150, 100, 4, false); /* never past full scale */
	ck_assert_str_eq(b, "####");
	free(b);
	b = chart_bar(45, 100, 4, false);
	ck_assert_str_eq(b, "##");
	free(b);
}
END_TEST

/* Sparklines from the lowest to the highest; a held-back value is blank. */
START_TEST(chart_sparklines)
{
	long v[] = {0, 7, 14, -1, 3};
	char *s = chart_spark(v, 5, true);
	ck_assert_str_eq(s, "▁▄█ ▂");
	free(s);
	s = chart_spark(v, 5, false);
	ck_assert_str_eq(s, "_~@ .");
	free(s);
	long flat[] = {5, 5};
	s = chart_spark(flat, 2, false);
	ck_assert_str_eq(s, "~~");
	free(s);
	ck_assert_int_eq(text_width("▁▄█ ▂"), 5);
}
END_TEST

START_TEST(sanitize_plain_text_unchanged)
{
	ASSERT_SAN("Opleiding kiezen — € 1.000, café", 0, "Opleiding kiezen — € 1.000, café");
}
END_TEST

START_TEST(sanitize_escape_sequences_visible)
{
	ASSERT_SAN("a\033[2Jb", 0, "a␛[2Jb");
	ASSERT_SAN("\033]0;title\007", 0, "␛]0;title␇");
	ASSERT_SAN("x\x7fy", 0, "x␡y");
	ASSERT_SAN("nul\x01", 0, "nul␁");
}
END_TEST

START_TEST(sanitize_c1_controls_visible)
{
	/* U+009B is the 8-bit CSI: as dangerous as ESC [ */
	ASSERT_SAN("a\xc2\x9b" "2Jb", 0, "a<U+009B>2Jb");
}
END_TEST

START_TEST(sanitize_bidi_and_zero_width_visible)
{
	ASSERT_SAN("abc\xe2\x80\xae" "fed", 0, "abc<U+202E>fed");
	ASSERT_SAN("a\xe2\x80\x8b" "b", 0, "a<U+200B>b");
	ASSERT_SAN("\xef\xbb\xbfx", 0, "<U+FEFF>x");
	ASSERT_SAN("a\xe2\x81\xa6" "b", 0, "a<U+2066>b");
	ASSERT_SAN("tag\xf3\xa0\x80\x81", 0, "tag<U+E0001>");
}
END_TEST

START_TEST(sanitize_invalid_utf8_visible)
{
	ASSERT_SAN("a\xff" "b", 0, "a\xef\xbf\xbd" "b");
	ASSERT_SAN("\xc0\xaf", 0, "��"); /* overlong / */
	ASSERT_SAN("\xed\xa0\x80", 0, "���"); /* surrogate */
	ASSERT_SAN("trunc\xe2\x82", 0, "trunc��");
}
END_TEST

START_TEST(sanitize_newlines_and_tabs)
{
	ASSERT_SAN("a\nb", 0, "a␤b");
	ASSERT_SAN("a\nb", SANITIZE_MULTILINE, "a\nb");
	ASSERT_SAN("a\r\nb", SANITIZE_MULTILINE, "a\nb");
	ASSERT_SAN("a\rb", SANITIZE_MULTILINE, "a␍b");
	ASSERT_SAN("a\tb", 0, "a b");
}
END_TEST

START_TEST(sanitize_output_is_always_safe)
{
	/* Every byte value, alone and after a lead byte: no output byte may be a
	 * C0 control or DEL, and the output must be valid UTF-8. */
	for (int lead = 0; lead < 256; lead += 17) {
		for (int b = 0; b < 256; b++) {
			char in[3] = {(char)lead, (char)b, 0};
			if (lead == 0)
				in[0] = (char)b, in[1] = 0;
			char *out = san(in, 0);
			for (const unsigned char *p = (const unsigned char *)out; *p; p++)
				ck_assert_msg(*p >= 0x20 && *p != 0x7f, "byte %02x leaked for %02x %02x", *p,
				              lead, b);
			ck_assert(utf8_valid(out, strlen(out)));
			free(out);
		}
	}
}
END_TEST

START_TEST(utf8_decoding)
{
	uint32_t cp;
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	ck_assert_uint_eq(cp, 0x20AC);
	ck_assert_uint_eq(utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	ck_assert(utf8_valid("café", strlen("café")));
	ck_assert(!utf8_valid("caf\xe9", 4));
	ck_assert_uint_eq(utf8_length("café€", strlen("café€")), 5);
}
END_TEST

START_TEST(width_and_fit)
{
	ck_assert_int_eq(text_width("café"), 4);
	ck_assert_int_eq(text_width("日本"), 4);
	char *s = text_fit("Opleiding kiezen", 8);
	ck_assert_str_eq(s, "Opleidi…");
	free(s);
	s = text_fit("日本語", 5); /* a wide character is never split */
	ck_assert_str_eq(s, "日本…");
	ck_assert_int_le(text_width(s), 5);
	free(s);
	s = text_fit("kort", 10);
	ck_assert_str_eq(s, "kort");
	free(s);
}
END_TEST

/* Backspace takes one character, however many bytes it has. */
START_TEST(strbuf_pops_characters)
{
	struct strbuf sb;
	strbuf_init(&sb);
	strbuf_adds(&sb, "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"); /* a é € 😀 */
	strbuf_pop_char(&sb);
	ck_assert_str_eq(sb.buf, "a\xc3\xa9\xe2\x82\xac");
	strbuf_pop_char(&sb);
	ck_assert_str_eq(sb.buf, "a\xc3\xa9");
	strbuf_pop_char(&sb);
	ck_assert_str_eq(sb.buf, "a");
	strbuf_pop_char(&sb);
	ck_assert_str_eq(sb.buf, "");
	strbuf_pop_char(&sb); /* empty stays empty */
	ck_assert_uint_eq(sb.len, 0);
	strbuf_free(&sb);
}
END_TEST

START_TEST(strbuf_grows)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; i < 1000; i++)
		strbuf_addf(&sb, "%d,", i);
	ck_assert_uint_eq(sb.len, strlen(sb.buf));
	ck_assert(strncmp(sb.buf, "0,1,2,", 6) == 0);
	char *p = strbuf_detach(&sb);
	ck_assert_uint_eq(sb.len, 0);
	/* Detaching leaves nothing allocated behind (it used to leak 64 bytes)
	 * and the buffer can be used again. */
	ck_assert_ptr_null(sb.buf);
	strbuf_adds(&sb, "opnieuw");
	ck_assert_str_eq(sb.buf, "opnieuw");
	char *q = strbuf_detach(&sb);
	char *empty = strbuf_detach(&sb);
	ck_assert_str_eq(empty, "");
	free(p);
	free(q);
	free(empty);
	strbuf_free(&sb);
}
END_TEST

START_TEST(text_checks)
{
	ck_assert_int_eq(text_check("vraag", 10), TEXT_OK);
	ck_assert_int_eq(text_check("   \t", 10), TEXT_EMPTY);
	ck_assert_int_eq(text_check("", 10), TEXT_EMPTY);
	ck_assert_int_eq(text_check("ééééé", 5), TEXT_OK); /* counts characters, not bytes */
	ck_assert_int_eq(text_check("éééééé", 5), TEXT_TOO_LONG);
	ck_assert_int_eq(text_check("bad\xff", 10), TEXT_BAD_UTF8);
}
END_TEST

/* Contact details in free text (issue 16, part 6): a hint, so the usual
 * ways of writing them, and not numbers that are something else. */
START_TEST(contact_in_text)
{
	const char *yes[] = {"mail naar els@example.nl", "Jan.Jansen@gemeente.enschede.nl belt",
	                     "bel 06-12345678 na vijven", "tel. 0612345678", "053 123 4567",
	                     "+31 6 1234 5678", "+31 (0)53 123 45 67", "0031612345678",
	                     "06 12 34 56 78", "06.12.34.56.78", "(053) 123 45 67",
	                     "06 - 12 34 56 78", "+32 470 12 34 56", "0049 30 1234567",
	                     "bel +44 20 7946 0958"};
	const char *no[] = {"Vraag over EVC voor een lasser", "postcode 7511 AB", "KvK 12345678",
	                    "budget 2500 euro in 2026", "wet 1 januari 2025", "artikel 0.5",
	                    "ordernummer 123456789012", "@gemeente", "info@", "",
	                    "afspraak op 04-12-2026 om 10.30 uur", "bel 112 bij nood",
	                    "cursus 2026-2027, 40 uur", "+5 punten", "score 00 12 34"};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		ck_assert_msg(text_has_contact(yes[i]), "not seen: %s", yes[i]);
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		ck_assert_msg(!text_has_contact(no[i]), "seen in: %s", no[i]);
}
END_TEST

/* Moving them out of the text (the intake form's Ctrl-O): the first e-mail
 * address and the first number, exactly as typed, the text around them
 * kept, and whether more is left. */
START_TEST(contact_taken_out)
{
	struct contact_taken c;
	ck_assert(!text_take_contact("Vraag over EVC, KvK 12345678", "[x]", TAKE_EMAIL | TAKE_PHONE, &c));
	ck_assert_ptr_null(c.rest);

	ck_assert(text_take_contact("Bel Jan op 06-12345678 of mail jan@example.nl.", "[x]", TAKE_EMAIL | TAKE_PHONE, &c));
	ck_assert_str_eq(c.phone, "06-12345678");
	ck_assert_str_eq(c.email, "jan@example.nl");
	ck_assert_str_eq(c.rest, "Bel Jan op [x] of mail [x].");
	ck_assert(!c.more);
	contact_taken_free(&c);

	ck_assert(text_take_contact("(053) 123 45 67", "[x]", TAKE_EMAIL | TAKE_PHONE, &c));
	ck_assert_str_eq(c.phone, "(053) 123 45 67");
	ck_assert_ptr_null(c.email);
	ck_assert_str_eq(c.rest, "[x]");
	contact_taken_free(&c);

	ck_assert(text_take_contact("tel.(053) 123 45 67, ook +31 6 1234 5678", "[x]", TAKE_EMAIL | TAKE_PHONE, &c));
	ck_assert_str_eq(c.phone, "(053) 123 45 67");
	ck_assert_str_eq(c.rest, "tel.[x], ook +31 6 1234 5678");
	ck_assert(c.more); /* the second number stays, and is said to stay */
	contact_taken_free(&c);

	ck_assert(text_take_contact("één 0612345678é", "[x]", TAKE_EMAIL | TAKE_PHONE, &c)); /* characters of two bytes */
	ck_assert_str_eq(c.phone, "0612345678");
	ck_assert_str_eq(c.rest, "één [x]é");
	contact_taken_free(&c);

	ck_assert(text_take_contact("Belgisch nummer: +32 470 12 34 56", "[x]", TAKE_EMAIL | TAKE_PHONE, &c));
	ck_assert_str_eq(c.phone, "+32 470 12 34 56");
	ck_assert_str_eq(c.rest, "Belgisch nummer: [x]");
	contact_taken_free(&c);

	/* an e-mail address moved before: only a number now, the address stays */
	ck_assert(text_take_contact("a@b.nl, 053 123 4567", "[x]", TAKE_PHONE, &c));
	ck_assert_ptr_null(c.email);
	ck_assert_str_eq(c.rest, "a@b.nl, [x]");
	ck_assert(c.more);
	contact_taken_free(&c);
	ck_assert(!text_take_contact("053 123 4567", "[x]", TAKE_EMAIL, &c));
}
END_TEST

START_TEST(phone_tidied)
{
	const char *cases[][2] = {{"(053) 123 45 67", "053 123 45 67"},
	                          {"+31 (0)6-1111 2222", "+31 6-1111 2222"},
	                          {"06.12.34.56.78", "06 12 34 56 78"},
	                          {"06 - 12 34 56 78", "06-12 34 56 78"},
	                          {"053/1234567", "053 1234567"},
	                          {"+32 470 12 34 56", "+32 470 12 34 56"},
	                          {"0032 470 12 34 56", "+32 470 12 34 56"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *t = phone_tidy(cases[i][0]);
		ck_assert_str_eq(t, cases[i][1]);
		free(t);
	}
}
END_TEST

START_TEST(postcodes)
{
	char pc[5];
	ck_assert(postcode_to4("7511", pc));
	ck_assert_str_eq(pc, "7511");
	ck_assert(postcode_to4("7511 AB", pc));
	ck_assert_str_eq(pc, "7511");
	ck_assert(postcode_to4("7511ab", pc));
	ck_assert(!postcode_to4("0511", pc));
	ck_assert(!postcode_to4("751", pc));
	ck_assert(!postcode_to4("75111", pc));
	ck_assert(!postcode_to4("7511 A", pc));
	ck_assert(!postcode_to4("7511 ABC", pc));
}
END_TEST

START_TEST(positive_ints)
{
	int v;
	ck_assert(parse_positive_int("42", &v));
	ck_assert_int_eq(v, 42);
	ck_assert(!parse_positive_int("0", &v));
	ck_assert(!parse_positive_int("-3", &v));
	ck_assert(!parse_positive_int("12x", &v));
	ck_assert(!parse_positive_int("99999999999", &v));
}
END_TEST

START_TEST(uuids)
{
	char a[UUID_STR_LEN], b[UUID_STR_LEN];
	ck_assert(uuid_generate(a));
	ck_assert(uuid_generate(b));
	ck_assert(uuid_is_valid(a));
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(a[14], '4'); /* version 4 */
	ck_assert(strchr("89ab", a[19]) != NULL);
	ck_assert(!uuid_is_valid("not-a-uuid"));
}
END_TEST

/* Decode one line of tests/hostile/strings.txt (printf %b escapes). */
static char *
decode_b(const char *line)
{
	char *out = malloc(strlen(line) + 1);
	size_t n = 0;
	for (const char *p = line; *p; p++) {
		if (*p != '\\' || !p[1]) {
			out[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'b': out[n++] = '\b'; break;
		case 'a': out[n++] = '\a'; break;
		case '\\': out[n++] = '\\'; break;
		case '0': {
			int v = 0;
			for (int i = 0; i < 3 && p[1] >= '0' && p[1] <= '7'; i++)
				v = v * 8 + (*++p - '0');
			out[n++] = (char)v;
			break;
		}
		default: out[n++] = '\\', out[n++] = *p; break;
		}
	}
	out[n] = '\0';
	return out;
}

/* Nothing in sanitised output can act on a terminal. */
static void
assert_harmless(const char *in, const char *out, bool multiline)
{
	size_t len = strlen(out);
	ck_assert_msg(utf8_valid(out, len), "not UTF-8 for input '%s'", in);
	const unsigned char *p = (const unsigned char *)out;
	while (len > 0) {
		uint32_t cp;
		size_t k = utf8_decode(p, len, &cp);
		ck_assert(k > 0);
		ck_assert_msg(cp >= 0x20 || (multiline && cp == '\n'), "control U+%04X left in '%s'",
		              (unsigned)cp, out);
		ck_assert_msg(cp != 0x7F && !(cp >= 0x80 && cp <= 0x9F), "DEL/C1 left in '%s'", out);
		ck_assert_msg(!sanitize_is_unsafe(cp) || (multiline && cp == '\n'),
		              "unsafe U+%04X left in '%s'", (unsigned)cp, out);
		p += k, len -= k;
	}
}

START_TEST(hostile_battery)
{
	char *path = xasprintf("%s/tests/hostile/strings.txt", getenv("LOKET_DATADIR"));
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	char line[4096];
	int count = 0;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		char *raw = decode_b(line);
		for (int multi = 0; multi < 2; multi++) {
			char *out = sanitize_dup(raw, multi ? SANITIZE_MULTILINE : SANITIZE_DEFAULT);
			assert_harmless(line, out, multi);
			/* Nothing is dropped: the plain words around the attack survive. */
			if (strstr(raw, " eind"))
				ck_assert_msg(strstr(out, "eind") != NULL, "lost text: %s", out);
			ck_assert_int_ge(text_width(out), 1);
			free(out);
		}
		free(raw);
		count++;
	}
	fclose(f);
	free(path);
	ck_assert_int_ge(count, 50);
}
END_TEST

/* Figures are read with a dot and written in Dutch or for machines,
 * whatever LC_NUMERIC says: under nl_NL.UTF-8 strtod would read "0.309"
 * as 0.  Fails loudly when the locale is missing (scripts/ensure-packages
 * generates it). */
START_TEST(numbers_in_every_locale)
{
	ck_assert_msg(setlocale(LC_ALL, "nl_NL.UTF-8") != NULL,
	              "the nl_NL.UTF-8 locale is missing: run scripts/ensure-packages");
	char b[64];
	double v;
	ck_assert(num_parse("0.309", &v) && v > 0.3089 && v < 0.3091);
	ck_assert(num_parse("-0.500", &v) && v == -0.5);
	ck_assert(num_parse("12", &v) && v == 12);
	ck_assert(num_parse("1e-05", &v) && v > 0.0000099 && v < 0.0000101);
	ck_assert(!num_parse("0,309", &v) && v == 0);
	ck_assert(!num_parse("", &v) && !num_parse(NULL, &v) && !num_parse("-", &v));
	ck_assert(num_value("23.8") == 23.8 && num_value(NULL) == 0);
	/* fractions as percentages, exactly: 0.4615 is 46,2 (not 46,1) */
	ck_assert(num_text(b, sizeof b, "0.3090", 2, 1, true));
	ck_assert_str_eq(b, "30,9");
	ck_assert(num_text(b, sizeof b, "0.4615", 2, 1, true));
	ck_assert_str_eq(b, "46,2");
	ck_assert(num_text(b, sizeof b, "0.4615", 2, 1, false));
	ck_assert_str_eq(b, "46.2");
	ck_assert(num_text(b, sizeof b, "-0.500", 2, 0, true));
	ck_assert_str_eq(b, "-50");
	ck_assert(num_text(b, sizeof b, "-0.0004", 2, 0, true)); /* never -0 */
	ck_assert_str_eq(b, "0");
	ck_assert(num_text(b, sizeof b, "0.9996", 2, 1, true));
	ck_assert_str_eq(b, "100,0");
	ck_assert(num_text(b, sizeof b, "1234567", 0, 0, true));
	ck_assert_str_eq(b, "1.234.567");
	ck_assert(num_text(b, sizeof b, "999.96", 0, 1, true));
	ck_assert_str_eq(b, "1.000,0");
	ck_assert(num_text(b, sizeof b, "23.8", 0, 1, true));
	ck_assert_str_eq(b, "23,8");
	ck_assert(num_text(b, sizeof b, "5", -0, 2, false));
	ck_assert_str_eq(b, "5.00");
	ck_assert(!num_text(b, sizeof b, "<5", 0, 0, true));
	ck_assert_str_eq(num_format(b, sizeof b, 2.0 / 3.0, 4, false), "0.6667");
	ck_assert_str_eq(num_format(b, sizeof b, -1234.5, 1, true), "-1.234,5");
	ck_assert_str_eq(num_format(b, sizeof b, 0.125, 2, true), "0,13");
	/* dates as a person reads them, the rest of the text kept */
	ck_assert_str_eq(date_dutch(b, sizeof b, "2026-09-07"), "07-09-2026");
	ck_assert_str_eq(date_dutch(b, sizeof b, "2026-09-07 14:05"), "07-09-2026 14:05");
	ck_assert_str_eq(date_dutch(b, sizeof b, "vandaag"), "vandaag");
	/* and back, as the knowledge form's dates are stored */
	ck_assert_str_eq(date_iso(b, sizeof b, "07-09-2026"), "2026-09-07");
	ck_assert_str_eq(date_iso(b, sizeof b, "2026-09-07"), "2026-09-07");
	ck_assert_str_eq(date_iso(b, sizeof b, "07-0x-2026"), "07-0x-2026");
	ck_assert_str_eq(date_iso(b, sizeof b, "7-9-2026"), "7-9-2026");
	ck_assert_str_eq(date_dutch(b, sizeof b, "2026-09-07T14:05:09.1+02:00"), "07-09-2026 14:05");
	ck_assert_str_eq(date_dutch(b, sizeof b, "2026-9-7"), "2026-9-7");
	setlocale(LC_ALL, "C.UTF-8");
}
END_TEST

/* The words a search marks: what websearch_to_tsquery would search for,
 * and in a text the words that begin with one of them. */
static size_t
match_at(const struct search_terms *t, const char *text, const char *word)
{
	const char *at = strstr(text, word);
	ck_assert_ptr_nonnull(at);
	return search_terms_match(t, text, at);
}

START_TEST(search_marks)
{
	struct search_terms t = {0};
	search_terms_parse(&t, "Subsidie \"avond opleiding\" -lasser or EVC");
	ck_assert_int_eq(t.n, 4);
	ck_assert_str_eq(t.word[0], "subsidie");
	ck_assert_str_eq(t.word[1], "avond");
	ck_assert_str_eq(t.word[2], "opleiding");
	ck_assert_str_eq(t.word[3], "evc");
	const char *text = "Subsidies voor een evc-traject, geen lasser; avondopleiding? subsidie";
	ck_assert_uint_eq(match_at(&t, text, "Subsidies"), strlen("Subsidies")); /* the whole word */
	ck_assert_uint_eq(match_at(&t, text, "evc-"), 3);
	ck_assert_uint_eq(match_at(&t, text, "lasser"), 0); /* negated */
	ck_assert_uint_eq(match_at(&t, text, "avondopleiding"), strlen("avondopleiding"));
	ck_assert_uint_eq(match_at(&t, text, "opleiding?"), 0); /* not where a word begins */
	ck_assert_uint_eq(match_at(&t, text, "voor"), 0);
	ck_assert_uint_eq(match_at(&t, text, "ubsidies"), 0);
	/* "or" inside a phrase is a word; an empty query marks nothing */
	search_terms_parse(&t, "\"werk or leren\"");
	ck_assert_int_eq(t.n, 3);
	search_terms_parse(&t, "");
	ck_assert_int_eq(t.n, 0);
	ck_assert_uint_eq(search_terms_match(&t, "iets", "iets"), 0);
	/* accented letters belong to the word they are in */
	search_terms_parse(&t, "financi");
	ck_assert_uint_eq(match_at(&t, "financiële steun", "financiële"), strlen("financiële"));
	ck_assert_uint_eq(match_at(&t, "één financiering", "financiering"), strlen("financiering"));
	search_terms_clear(&t);
	ck_assert_int_eq(t.n, 0);
}
END_TEST

static Suite *
util_suite(void)
{
	Suite *s = suite_create("util");
	TCase *t = tcase_create("sanitize");
	tcase_add_test(t, sanitize_plain_text_unchanged);
	tcase_add_test(t, chart_bars);
	tcase_add_test(t, contact_in_text);
	tcase_add_test(t, contact_taken_out);
	tcase_add_test(t, phone_tidied);
	tcase_add_test(t, chart_sparklines);
	tcase_add_test(t, sanitize_escape_sequences_visible);
	tcase_add_test(t, sanitize_c1_controls_visible);
	tcase_add_test(t, sanitize_bidi_and_zero_width_visible);
	tcase_add_test(t, sanitize_invalid_utf8_visible);
	tcase_add_test(t, sanitize_newlines_and_tabs);
	tcase_add_test(t, sanitize_output_is_always_safe);
	tcase_add_test(t, hostile_battery);
	suite_add_tcase(s, t);
	t = tcase_create("text");
	tcase_add_test(t, utf8_decoding);
	tcase_add_test(t, width_and_fit);
	tcase_add_test(t, strbuf_grows);
	tcase_add_test(t, strbuf_pops_characters);
	tcase_add_test(t, text_checks);
	tcase_add_test(t, postcodes);
	tcase_add_test(t, positive_ints);
	tcase_add_test(t, uuids);
	tcase_add_test(t, numbers_in_every_locale);
	tcase_add_test(t, search_marks);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	return dbtest_run(util_suite());
}
