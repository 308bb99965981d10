/* test_textedit.c: Check suite for src/util/textedit — a form field's text
 * comes back exactly as it was typed, whatever the width it is laid out at,
 * and the layout, the cursor and the limit behave as a person expects. */
#include "config.h"

#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/textedit.h"
#include "util/utf8.h"
#include "util/width.h"
#include "util/xalloc.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type s one character at a time, as a person does. */
static void
type(struct textedit *t, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)s + i, len - i, &cp);
		ck_assert_uint_gt(n, 0);
		textedit_insert(t, s + i, n, false, NULL);
		i += n;
	}
}

/* Words like a question, with digits, accents, € and double blanks. */
static char *
long_text(size_t chars, unsigned seed)
{
	static const char *const words[] = {"werk", "ervaring", "w0651", "Één", "ß", "€",
	                                    "loopbaan", "opleiding", "scholingsbudget", "a",
	                                    "overheidssubsidieregeling", "x"};
	struct strbuf sb;
	strbuf_init(&sb);
	srand(seed);
	size_t n = 0;
	while (n < chars) {
		const char *w = words[rand() % 12];
		strbuf_adds(&sb, w);
		n += utf8_length(w, strlen(w));
		int gap = rand() % 10 == 0 ? 2 : 1;
		for (int k = 0; k < gap && n < chars; k++, n++)
			strbuf_addc(&sb, ' ');
	}
	/* exactly `chars` characters: cut the last word */
	size_t at = 0;
	for (size_t k = 0; k < chars; k++) {
		uint32_t cp;
		at += utf8_decode((const unsigned char *)sb.buf + at, sb.len - at, &cp);
	}
	sb.buf[at] = '\0';
	sb.len = at;
	return strbuf_detach(&sb);
}

/* The layout covers every byte: rows in order, and between rows only
 * nothing (a soft wrap) or one line break. */
static void
check_layout(const struct textedit *t, int width)
{
	struct textedit_layout l = {0};
	textedit_layout(t, width, &l);
	const char *b = textedit_text(t);
	size_t at = 0;
	ck_assert_int_gt(l.n, 0);
	for (int r = 0; r < l.n; r++) {
		if (l.rows[r].start != at) {
			ck_assert_msg(b[at] == '\n' && l.rows[r].start == at + 1, "gap before row %d", r);
			at++;
		}
		ck_assert_uint_ge(l.rows[r].end, l.rows[r].start);
		/* no row starts with a blank unless the text or its line does */
		if (r > 0 && l.rows[r].start == l.rows[r - 1].end)
			ck_assert_msg(b[l.rows[r].start] != ' ', "row %d starts with a blank", r);
		char *shown = textedit_row_text(t, &l, r);
		ck_assert_int_eq(text_width(shown), width);
		free(shown);
		at = l.rows[r].end;
	}
	ck_assert_uint_eq(at, strlen(b));
	textedit_layout_free(&l);
}

START_TEST(typed_long_text_is_kept_exactly)
{
	/* the trial's failure: ~600 characters at 80x24 lost the 238th and the
	 * 470th; here 1,600 characters, typed one by one, at many widths */
	char *text = long_text(1600, 7);
	struct textedit t;
	textedit_init(&t, "", 4000, true);
	type(&t, text);
	ck_assert_str_eq(textedit_text(&t), text);
	ck_assert_uint_eq(t.length, 1600);
	for (int w = 1; w <= 130; w++)
		check_layout(&t, w);
	ck_assert_str_eq(textedit_text(&t), text);
	textedit_free(&t);
	free(text);
}
END_TEST

START_TEST(paste_is_kept_exactly)
{
	char *text = long_text(5000, 11);
	struct textedit t;
	textedit_init(&t, "", 0, true);
	struct textedit_result r;
	textedit_insert(&t, text, strlen(text), true, &r);
	ck_assert_str_eq(textedit_text(&t), text);
	ck_assert_uint_eq(r.inserted, 5000);
	ck_assert_uint_eq(r.refused + r.over_limit + r.invalid, 0);
	textedit_free(&t);
	free(text);
}
END_TEST

START_TEST(paste_line_ends)
{
	struct textedit t;
	textedit_init(&t, "", 0, true);
	const char *in = "een\r\ntwee\rdrie\nvier";
	textedit_insert(&t, in, strlen(in), true, NULL);
	ck_assert_str_eq(textedit_text(&t), "een\ntwee\ndrie\nvier");
	textedit_free(&t);
	/* one line: line breaks become blanks, the copied line's end goes */
	textedit_init(&t, "", 0, false);
	in = "Jan\r\nJansen\r\n";
	textedit_insert(&t, in, strlen(in), true, NULL);
	ck_assert_str_eq(textedit_text(&t), "Jan Jansen");
	textedit_free(&t);
}
END_TEST

START_TEST(insert_in_the_middle_after_home)
{
	struct textedit t;
	textedit_init(&t, "", 0, true);
	type(&t, "wereld");
	textedit_home(&t);
	type(&t, "Hallo ");
	ck_assert_str_eq(textedit_text(&t), "Hallo wereld");
	textedit_end(&t);
	type(&t, "!");
	ck_assert_str_eq(textedit_text(&t), "Hallo wereld!");
	/* Left over a two-byte character, then Backspace removes it whole */
	textedit_set(&t, "café");
	ck_assert(textedit_left(&t));
	ck_assert(textedit_backspace(&t));
	ck_assert_str_eq(textedit_text(&t), "caé");
	textedit_set(&t, "cafés");
	textedit_left(&t);
	textedit_backspace(&t);
	ck_assert_str_eq(textedit_text(&t), "cafs");
	ck_assert_uint_eq(t.length, 4);
	textedit_free(&t);
}
END_TEST

START_TEST(home_and_end_of_a_wrapped_row)
{
	struct textedit t;
	textedit_init(&t, "aaa bbb ccc", 0, true);
	struct textedit_layout l = {0};
	textedit_layout(&t, 8, &l);
	ck_assert_int_eq(l.n, 2); /* "aaa bbb " and "ccc" */
	textedit_home(&t);
	textedit_row_end(&t, &l);
	int r, c;
	textedit_cursor_pos(&t, &l, &r, &c);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(c, 7); /* before the blank where the row wraps */
	type(&t, "X");
	ck_assert_str_eq(textedit_text(&t), "aaa bbbX ccc");
	textedit_layout(&t, 8, &l);
	textedit_end(&t);
	textedit_row_home(&t, &l);
	type(&t, "Y");
	ck_assert_str_eq(textedit_text(&t), "aaa bbbX Yccc");
	textedit_layout_free(&l);
	textedit_free(&t);
}
END_TEST

START_TEST(up_and_down_keep_the_column)
{
	struct textedit t;
	textedit_init(&t, "eerste regel\ntweede\nderde regel hier", 0, true);
	struct textedit_layout l = {0};
	textedit_layout(&t, 40, &l);
	ck_assert_int_eq(l.n, 3);
	int r, c;
	textedit_cursor_pos(&t, &l, &r, &c);
	ck_assert_int_eq(r, 2);
	ck_assert_int_eq(c, 16);
	ck_assert(textedit_up(&t, &l));
	textedit_cursor_pos(&t, &l, &r, &c);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(c, 6); /* the end of the shorter row */
	ck_assert(textedit_up(&t, &l));
	ck_assert(!textedit_up(&t, &l));
	ck_assert(textedit_down(&t, &l));
	ck_assert(textedit_down(&t, &l));
	ck_assert(!textedit_down(&t, &l));
	textedit_layout_free(&l);
	textedit_free(&t);
}
END_TEST

START_TEST(cursor_at_a_soft_wrap_starts_the_next_row)
{
	struct textedit t;
	textedit_init(&t, "", 0, true);
	type(&t, "abcdefghij");
	struct textedit_layout l = {0};
	textedit_layout(&t, 5, &l); /* a word longer than the row is cut */
	ck_assert_int_eq(l.n, 2);
	textedit_home(&t);
	for (int i = 0; i < 5; i++)
		textedit_right(&t);
	int r, c;
	textedit_cursor_pos(&t, &l, &r, &c);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(c, 0);
	textedit_end(&t);
	textedit_cursor_pos(&t, &l, &r, &c);
	ck_assert_int_eq(r, 1);
	ck_assert_int_eq(c, 5 - 1); /* kept inside the field */
	textedit_layout_free(&l);
	textedit_free(&t);
}
END_TEST

START_TEST(limit_refuses_the_rest)
{
	struct textedit t;
	textedit_init(&t, "", 4000, true);
	char *text = long_text(4100, 3);
	struct textedit_result r;
	textedit_insert(&t, text, strlen(text), true, &r);
	ck_assert_uint_eq(t.length, 4000);
	ck_assert_uint_eq(r.inserted, 4000);
	ck_assert_uint_eq(r.over_limit, 100);
	/* what is kept is exactly the first 4000 characters */
	size_t bytes = 0;
	for (int i = 0; i < 4000; i++) {
		uint32_t cp;
		bytes += utf8_decode((const unsigned char *)text + bytes, strlen(text) - bytes, &cp);
	}
	ck_assert_uint_eq(strlen(textedit_text(&t)), bytes);
	ck_assert(strncmp(textedit_text(&t), text, bytes) == 0);
	char count[32];
	textedit_count(&t, count, sizeof count);
	ck_assert_str_eq(count, "4.000/4.000");
	type(&t, "x");
	ck_assert_uint_eq(t.length, 4000);
	textedit_backspace(&t);
	textedit_count(&t, count, sizeof count);
	ck_assert_str_eq(count, "3.999/4.000");
	textedit_free(&t);
	free(text);
}
END_TEST

START_TEST(refused_characters_are_left_out_and_named)
{
	struct textedit t;
	textedit_init(&t, "", 0, true);
	const char *in = "abc\xe2\x80\xae" "def\xe2\x80\x8bghi\x1b[2Jjkl\tm\nn";
	struct textedit_result r;
	textedit_insert(&t, in, strlen(in), true, &r);
	ck_assert_str_eq(textedit_text(&t), "abcdefghi[2Jjkl\tm\nn");
	ck_assert_uint_eq(r.refused, 3);
	ck_assert_uint_eq(r.first_refused, 0x202E);
	/* invalid UTF-8 never gets in */
	textedit_set(&t, "");
	textedit_insert(&t, "a\xff" "b", 3, true, &r);
	ck_assert_str_eq(textedit_text(&t), "ab");
	ck_assert_uint_eq(r.invalid, 1);
	textedit_free(&t);
	/* a line break is refused in a field of one line when typed */
	textedit_init(&t, "", 0, false);
	textedit_insert(&t, "\n", 1, false, &r);
	ck_assert_str_eq(textedit_text(&t), " ");
	textedit_free(&t);
}
END_TEST

START_TEST(refusal_matches_the_sanitiser)
{
	for (uint32_t cp = 0; cp < 0x110000; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		bool unsafe = sanitize_is_unsafe(cp);
		ck_assert_int_eq(textedit_refuses(cp, true), unsafe && cp != '\n' && cp != '\t');
		ck_assert_int_eq(textedit_refuses(cp, false), unsafe && cp != '\t');
	}
}
END_TEST

START_TEST(old_text_with_refused_characters_is_shown_as_symbols)
{
	/* a value from before sql/022: kept, but shown harmlessly */
	struct textedit t;
	textedit_init(&t, "a\xe2\x80\xae" "b\x1b" "c", 0, true);
	struct textedit_layout l = {0};
	textedit_layout(&t, 20, &l);
	char *row = textedit_row_text(&t, &l, 0);
	ck_assert_str_eq(row, "a<U+202E>b\xe2\x90\x9b" "c        ");
	free(row);
	textedit_layout_free(&l);
	ck_assert_str_eq(textedit_text(&t), "a\xe2\x80\xae" "b\x1b" "c");
	textedit_free(&t);
}
END_TEST

START_TEST(wide_characters_never_split)
{
	struct textedit t;
	textedit_init(&t, "漢字テスト漢字テスト", 0, true);
	for (int w = 1; w < 12; w++)
		check_layout(&t, w);
	textedit_free(&t);
}
END_TEST

static Suite *
textedit_suite(void)
{
	Suite *s = suite_create("textedit");
	TCase *t = tcase_create("exact");
	tcase_set_timeout(t, 60);
	tcase_add_test(t, typed_long_text_is_kept_exactly);
	tcase_add_test(t, paste_is_kept_exactly);
	tcase_add_test(t, paste_line_ends);
	tcase_add_test(t, insert_in_the_middle_after_home);
	tcase_add_test(t, limit_refuses_the_rest);
	tcase_add_test(t, refused_characters_are_left_out_and_named);
	tcase_add_test(t, refusal_matches_the_sanitiser);
	suite_add_tcase(s, t);
	t = tcase_create("layout");
	tcase_add_test(t, home_and_end_of_a_wrapped_row);
	tcase_add_test(t, up_and_down_keep_the_column);
	tcase_add_test(t, cursor_at_a_soft_wrap_starts_the_next_row);
	tcase_add_test(t, old_text_with_refused_characters_is_shown_as_symbols);
	tcase_add_test(t, wide_characters_never_split);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8"); /* wcwidth of non-ASCII */
	SRunner *sr = srunner_create(textedit_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
