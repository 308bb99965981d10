/* test_diff.c: Check suite for src/util/diff — word-level differences between
 * two versions of a knowledge item's text. */
#include "config.h"

#include "util/diff.h"
#include "util/strbuf.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Join the pieces that are not `skip` (SAME+DEL gives old, SAME+ADD new). */
static char *
join(const struct diff *d, enum diff_op skip)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; i < d->count; i++)
		if (d->pieces[i].op != skip)
			strbuf_add(&sb, d->pieces[i].text, d->pieces[i].len);
	return strbuf_detach(&sb);
}

/* Everything diff_words promises for any pair of texts. */
static void
check_diff(const char *old_text, const char *new_text, const struct diff *d)
{
	char *o = join(d, DIFF_ADD), *n = join(d, DIFF_DEL);
	ck_assert_str_eq(o, old_text);
	ck_assert_str_eq(n, new_text);
	free(o);
	free(n);
	int changes = 0;
	for (int i = 0; i < d->count; i++) {
		const struct diff_piece *p = &d->pieces[i];
		ck_assert_uint_gt(p->len, 0);
		ck_assert(utf8_valid(p->text, p->len));
		if (p->op != DIFF_SAME)
			changes++;
		if (i > 0) {
			ck_assert_int_ne(p->op, d->pieces[i - 1].op);
			/* a change is DEL then ADD, never the other way round */
			ck_assert(!(p->op == DIFF_DEL && d->pieces[i - 1].op == DIFF_ADD));
		}
		if (p->op == DIFF_ADD)
			ck_assert(p->text >= new_text &&
			          p->text + p->len <= new_text + strlen(new_text));
		else
			ck_assert(p->text >= old_text &&
			          p->text + p->len <= old_text + strlen(old_text));
	}
	ck_assert_int_eq(d->changes, changes);
}

#define ASSERT_PIECE(d, i, o, s)                                                                   \
	do {                                                                                       \
		ck_assert_int_eq((d).pieces[i].op, o);                                             \
		ck_assert_uint_eq((d).pieces[i].len, strlen(s));                                   \
		ck_assert(memcmp((d).pieces[i].text, s, strlen(s)) == 0);                          \
	} while (0)

/* Diff, check the invariants and compare the plain rendering. */
#define ASSERT_RENDER(old_text, new_text, expected)                                                \
	do {                                                                                       \
		struct diff d_;                                                                    \
		diff_words(old_text, new_text, &d_);                                               \
		check_diff(old_text, new_text, &d_);                                               \
		char *got_ = diff_render_plain(&d_);                                               \
		ck_assert_str_eq(got_, expected);                                                  \
		free(got_);                                                                        \
		diff_free(&d_);                                                                    \
	} while (0)

static const char paragraph[] =
    "Wie in Nederland wil gaan studeren, kiest eerst een opleiding en meldt zich "
    "daarna aan via Studielink. De aanmelding moet voor 1 mei binnen zijn; voor "
    "opleidingen met een numerus fixus geldt 15 januari. Daarna volgt een "
    "studiekeuzecheck, die verplicht is maar geen bindend advies geeft. Wie de "
    "check mist, kan worden geweigerd. Het collegegeld wordt betaald via een "
    "machtiging, in één keer of in tien termijnen. Vragen over de inschrijving "
    "beantwoordt de afdeling studentzaken, op werkdagen van negen tot vijf.";

START_TEST(identical_texts)
{
	struct diff d;
	diff_words(paragraph, paragraph, &d);
	check_diff(paragraph, paragraph, &d);
	ck_assert_int_eq(d.changes, 0);
	ck_assert_int_eq(d.count, 1);
	ASSERT_PIECE(d, 0, DIFF_SAME, paragraph);
	ck_assert_ptr_eq(d.pieces[0].text, paragraph);
	diff_free(&d);
	ck_assert_ptr_null(d.pieces);
	ck_assert_int_eq(d.count, 0);

	diff_words("", "", &d);
	ck_assert_int_eq(d.count, 0);
	ck_assert_int_eq(d.changes, 0);
	diff_free(&d);
	diff_words(NULL, NULL, &d); /* NULL is "" */
	ck_assert_int_eq(d.count, 0);
	diff_free(&d);
	diff_free(NULL);
}
END_TEST

START_TEST(empty_to_text_and_back)
{
	struct diff d;
	diff_words("", "Nieuwe tekst.\n", &d);
	check_diff("", "Nieuwe tekst.\n", &d);
	ck_assert_int_eq(d.count, 1);
	ck_assert_int_eq(d.changes, 1);
	ASSERT_PIECE(d, 0, DIFF_ADD, "Nieuwe tekst.\n");
	diff_free(&d);

	diff_words("Oude tekst.", "", &d);
	check_diff("Oude tekst.", "", &d);
	ck_assert_int_eq(d.count, 1);
	ck_assert_int_eq(d.changes, 1);
	ASSERT_PIECE(d, 0, DIFF_DEL, "Oude tekst.");
	diff_free(&d);

	diff_words(NULL, "x", &d);
	ASSERT_PIECE(d, 0, DIFF_ADD, "x");
	diff_free(&d);
}
END_TEST

/* A changed word in a long paragraph is that word, not the paragraph. */
START_TEST(one_word_in_long_paragraph)
{
	struct strbuf old_text, new_text;
	strbuf_init(&old_text);
	strbuf_init(&new_text);
	for (int i = 0; i < 3; i++) {
		strbuf_adds(&old_text, paragraph);
		strbuf_adds(&new_text, paragraph);
		strbuf_addc(&old_text, ' ');
		strbuf_addc(&new_text, ' ');
	}
	strbuf_adds(&old_text, "De aanmelding moet voor 1 mei binnen zijn. ");
	strbuf_adds(&new_text, "De aanmelding moet voor 1 juni binnen zijn. ");
	for (int i = 0; i < 3; i++) {
		strbuf_adds(&old_text, paragraph);
		strbuf_adds(&new_text, paragraph);
	}
	struct diff d;
	diff_words(old_text.buf, new_text.buf, &d);
	check_diff(old_text.buf, new_text.buf, &d);
	ck_assert_int_eq(d.count, 4);
	ck_assert_int_eq(d.changes, 2);
	ck_assert_int_eq(d.pieces[0].op, DIFF_SAME);
	ASSERT_PIECE(d, 1, DIFF_DEL, "mei");
	ASSERT_PIECE(d, 2, DIFF_ADD, "juni");
	ck_assert_int_eq(d.pieces[3].op, DIFF_SAME);
	ck_assert_ptr_eq(d.pieces[1].text, strstr(old_text.buf, "1 mei binnen zijn. ") + 2);
	diff_free(&d);
	strbuf_free(&old_text);
	strbuf_free(&new_text);
}
END_TEST

START_TEST(inserted_sentence)
{
	ASSERT_RENDER("Eerste zin. Tweede zin.", "Eerste zin. Nieuwe zin. Tweede zin.",
	              "Eerste zin. {+Nieuwe zin. +}Tweede zin.");
	ASSERT_RENDER("Eerste zin.", "Eerste zin. Laatste zin.", "Eerste zin.{+ Laatste zin.+}");
	ASSERT_RENDER("Tweede zin.", "Eerste zin. Tweede zin.", "{+Eerste zin. +}Tweede zin.");
	ASSERT_RENDER("Een zin. Een zin.", "Een zin. Een zin. Een zin.",
	              "{+Een zin. +}Een zin. Een zin.");
}
END_TEST

START_TEST(deleted_line)
{
	ASSERT_RENDER("Regel een.\nRegel twee.\nRegel drie.\n", "Regel een.\nRegel drie.\n",
	              "Regel een.\n[-Regel twee.\n-]Regel drie.\n");
	ASSERT_RENDER("Kop\n\nAlinea een.\n\nAlinea twee.\n", "Kop\n\nAlinea twee.\n",
	              "Kop\n\n[-Alinea een.\n\n-]Alinea twee.\n");
}
END_TEST

/* White-space runs are tokens of their own and compared exactly. */
START_TEST(white_space_only)
{
	struct diff d;
	diff_words("De kat zat.", "De  kat\tzat.", &d);
	check_diff("De kat zat.", "De  kat\tzat.", &d);
	ck_assert_int_eq(d.count, 7);
	ck_assert_int_eq(d.changes, 4);
	ASSERT_PIECE(d, 0, DIFF_SAME, "De");
	ASSERT_PIECE(d, 1, DIFF_DEL, " ");
	ASSERT_PIECE(d, 2, DIFF_ADD, "  ");
	ASSERT_PIECE(d, 3, DIFF_SAME, "kat");
	ASSERT_PIECE(d, 4, DIFF_DEL, " ");
	ASSERT_PIECE(d, 5, DIFF_ADD, "\t");
	ASSERT_PIECE(d, 6, DIFF_SAME, "zat.");
	diff_free(&d);
	ASSERT_RENDER("regel\nregel\n", "regel\r\nregel\r\n",
	              "regel[-\n-]{+\r\n+}regel[-\n-]{+\r\n+}");
	ASSERT_RENDER("eind", "eind\n", "eind{+\n+}");
	ASSERT_RENDER(" ", "", "[- -]");
}
END_TEST

/* Only ASCII white space splits, so no UTF-8 sequence is ever cut. */
START_TEST(utf8_intact)
{
	ASSERT_RENDER("Het café kost € 3,50 🙂 per kopje.",
	              "Het café kost € 4,00 😀 per kopje.",
	              "Het café kost € [-3,50 🙂-]{+4,00 😀+} per kopje.");
	ASSERT_RENDER("Ze heeft een idee geopperd.", "Ze heeft een ideeën geopperd.",
	              "Ze heeft een [-idee-]{+ideeën+} geopperd.");
	ASSERT_RENDER("coöperatie €5", "coöperatie €6", "coöperatie [-€5-]{+€6+}");
	/* U+00A0 (no-break space) and U+3000 are not white space here */
	ASSERT_RENDER("12\xc2\xa0mei 👍🏽", "12\xc2\xa0juni 👍🏽",
	              "[-12\xc2\xa0mei-]{+12\xc2\xa0juni+} 👍🏽");
	ASSERT_RENDER("a\xe3\x80\x80"
	              "b",
	              "a\xe3\x80\x80"
	              "c",
	              "[-a\xe3\x80\x80"
	              "b-]{+a\xe3\x80\x80"
	              "c+}");
}
END_TEST

/* Neighbouring pieces never share an op; changes separated only by white
 * space become one change. */
START_TEST(adjacent_pieces_merged)
{
	struct diff d;
	diff_words("een twee drie", "vier vijf zes", &d);
	check_diff("een twee drie", "vier vijf zes", &d);
	ck_assert_int_eq(d.count, 2);
	ASSERT_PIECE(d, 0, DIFF_DEL, "een twee drie");
	ASSERT_PIECE(d, 1, DIFF_ADD, "vier vijf zes");
	diff_free(&d);
	ASSERT_RENDER("de kat zat op de mat", "de hond lag op de mat",
	              "de [-kat zat-]{+hond lag+} op de mat");
	ASSERT_RENDER("p a b q", "p x q", "p [-a b-]{+x+} q");
	ASSERT_RENDER("p a q", "p x y q", "p [-a-]{+x y+} q");
	ASSERT_RENDER("a b c d e", "a c e", "a [-b -]c [-d -]e");
}
END_TEST

START_TEST(render_plain)
{
	ASSERT_RENDER("Aanvragen kan tot 1 maart via het loket. Neem je paspoort mee.",
	              "Aanvragen kan tot 15 maart via het online loket. Neem een geldig "
	              "paspoort mee.",
	              "Aanvragen kan tot [-1-]{+15+} maart via het {+online +}loket. Neem "
	              "[-je-]{+een geldig+} paspoort mee.");
	ASSERT_RENDER("De kat zat op de mat.", "De hond zat op de mat.",
	              "De [-kat-]{+hond+} zat op de mat.");
	ASSERT_RENDER("Oud.", "Nieuw.", "[-Oud.-]{+Nieuw.+}");
	ASSERT_RENDER("", "", "");
	char *s = diff_render_plain(NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* A small deterministic generator (the same texts on every platform). */
static uint32_t rng_state;

static uint32_t
rng(uint32_t n)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return (rng_state >> 8) % n;
}

static const char *const words[] = {
    "de",          "het",        "een",    "student", "opleiding",   "café",  "€ 12,50",
    "ideeën",      "coöperatie", "één",    "🙂",    "👩‍🎓", "mei",   "juni",
    "Studielink.", "aanmelden,", "(bijv.", "zijn;",   "kan",         "wordt", "niet",
    "geldt",       "voor",       "in",     "x",       "ß",           "Ω",     "naïef",
};
static const char *const spaces[] = {" ", " ", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n"};

#define NWORDS ((uint32_t)(sizeof words / sizeof words[0]))
#define NSPACES ((uint32_t)(sizeof spaces / sizeof spaces[0]))

/* Random prose of about `len` bytes; white space only between words. */
static void
random_text(struct strbuf *sb, size_t len)
{
	while (sb->len < len) {
		if (sb->len > 0)
			strbuf_adds(sb, spaces[rng(NSPACES)]);
		strbuf_adds(sb, words[rng(NWORDS)]);
	}
}

/* A copy of text with `edits` random word-level edits: replace, insert or
 * delete a word, or change the white space after it. */
static char *
random_edit(const char *text, int edits)
{
	char *cur = xstrdup(text);
	for (int e = 0; e < edits; e++) {
		size_t n = strlen(cur);
		size_t at = n ? rng((uint32_t)n) : 0;
		while (at > 0 && (cur[at - 1] != ' ' && cur[at - 1] != '\n'))
			at--; /* the start of a word (or of the text) */
		size_t end = at;
		while (end < n && cur[end] != ' ' && cur[end] != '\n' && cur[end] != '\t' &&
		       cur[end] != '\r')
			end++;
		struct strbuf sb;
		strbuf_init(&sb);
		strbuf_add(&sb, cur, at);
		switch (rng(4)) {
		case 0: /* replace */
			strbuf_adds(&sb, words[rng(NWORDS)]);
			strbuf_adds(&sb, cur + end);
			break;
		case 1: /* insert */
			strbuf_adds(&sb, words[rng(NWORDS)]);
			strbuf_adds(&sb, spaces[rng(NSPACES)]);
			strbuf_adds(&sb, cur + at);
			break;
		case 2: /* delete the word and the white space after it */
			while (end < n && strchr(" \t\r\n", cur[end]))
				end++;
			strbuf_adds(&sb, cur + end);
			break;
		default: /* change the white space after the word */
			strbuf_add(&sb, cur + at, end - at);
			while (end < n && strchr(" \t\r\n", cur[end]))
				end++;
			strbuf_adds(&sb, spaces[rng(NSPACES)]);
			strbuf_adds(&sb, cur + end);
			break;
		}
		free(cur);
		cur = strbuf_detach(&sb);
	}
	return cur;
}

START_TEST(random_edits_reconstruct)
{
	rng_state = 20240501u;
	for (int round = 0; round < 400; round++) {
		struct strbuf sb;
		strbuf_init(&sb);
		random_text(&sb, rng(600));
		char *changed = random_edit(sb.buf, (int)rng(12));
		struct diff d;
		diff_words(sb.buf, changed, &d);
		check_diff(sb.buf, changed, &d);
		if (strcmp(sb.buf, changed) == 0)
			ck_assert_int_eq(d.changes, 0);
		else
			ck_assert_int_gt(d.changes, 0);
		diff_free(&d);
		/* and the other way round */
		diff_words(changed, sb.buf, &d);
		check_diff(changed, sb.buf, &d);
		diff_free(&d);
		free(changed);
		strbuf_free(&sb);
	}
}
END_TEST

/* The size knowledge items can have: 20,000 characters, ~200 changed words. */
START_TEST(large_text_many_changes)
{
	rng_state = 7u;
	struct strbuf sb;
	strbuf_init(&sb);
	while (utf8_length(sb.buf, sb.len) < 20000) {
		strbuf_adds(&sb, paragraph);
		strbuf_adds(&sb, "\n\n");
	}
	char *old_text = strbuf_detach(&sb);
	/* ~200 scattered word replacements, each in a different spot */
	char *new_text = xstrdup(old_text);
	size_t n = strlen(new_text);
	int replaced = 0;
	for (size_t at = 50; at < n; at += n / 200) {
		while (at < n && new_text[at] != ' ')
			at++;
		if (at + 1 < n && new_text[at + 1] >= 'a' && new_text[at + 1] <= 'z') {
			new_text[at + 1] = 'X'; /* the word after this space changes */
			replaced++;
		}
	}
	ck_assert_int_ge(replaced, 150);
	struct diff d;
	diff_words(old_text, new_text, &d);
	check_diff(old_text, new_text, &d);
	ck_assert_int_le(d.changes, 2 * replaced);
	ck_assert_int_ge(d.changes, 2 * replaced - 20); /* some neighbours merge */
	diff_free(&d);

	/* nothing in common but single spaces: still exact and correct */
	struct strbuf other;
	strbuf_init(&other);
	rng_state = 99u;
	random_text(&other, strlen(old_text));
	diff_words(old_text, other.buf, &d);
	check_diff(old_text, other.buf, &d);
	diff_free(&d);
	strbuf_free(&other);
	free(new_text);
	free(old_text);
}
END_TEST

/* Past DIFF_MAX_BYTES: delete all, add all (still correct). */
START_TEST(too_large_falls_back)
{
	size_t n = DIFF_MAX_BYTES + 10;
	char *big = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = i % 6 == 5 ? ' ' : 'a';
	big[n] = '\0';
	struct diff d;
	diff_words(big, "kort", &d);
	check_diff(big, "kort", &d);
	ck_assert_int_eq(d.count, 2);
	ck_assert_int_eq(d.changes, 2);
	diff_free(&d);
	diff_words(big, big, &d);
	ck_assert_int_eq(d.count, 1);
	ck_assert_int_eq(d.changes, 0);
	diff_free(&d);
	free(big);
}
END_TEST

static Suite *
diff_suite(void)
{
	Suite *s = suite_create("diff");
	TCase *t = tcase_create("words");
	tcase_add_test(t, identical_texts);
	tcase_add_test(t, empty_to_text_and_back);
	tcase_add_test(t, one_word_in_long_paragraph);
	tcase_add_test(t, inserted_sentence);
	tcase_add_test(t, deleted_line);
	tcase_add_test(t, white_space_only);
	tcase_add_test(t, utf8_intact);
	tcase_add_test(t, adjacent_pieces_merged);
	tcase_add_test(t, render_plain);
	suite_add_tcase(s, t);
	t = tcase_create("property");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, random_edits_reconstruct);
	tcase_add_test(t, large_text_many_changes);
	tcase_add_test(t, too_large_falls_back);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(diff_suite());
	srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY, set by make check */
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
