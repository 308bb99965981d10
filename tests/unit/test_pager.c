/* test_pager.c: Check suite for src/views/pager — the one paged list.  The
 * source is a real keyed table in memory (numbers, newest first, each row
 * with an owned id string), read by key as the database is: the pager must
 * never hold more than a page, must fetch beyond an edge, and must keep the
 * cursor on the same row when the table changes under it. */
#include "config.h"

#include "util/xalloc.h"
#include "views/pager.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
	int number;
	char *id;
};

/* The table: numbers in list order (descending), and what was asked. */
struct table {
	int numbers[200];
	int n;
	int fetches;
	int most; /* the largest limit asked for */
};

static int
find(const struct table *t, int number)
{
	for (int i = 0; i < t->n; i++)
		if (t->numbers[i] == number)
			return i;
	return -1;
}

/* Rows [from, to) of the table; `more` as the source promises. */
static bool
table_fetch(void *data, const void *key, enum pager_dir dir, int limit, struct pager_rows *out)
{
	struct table *t = data;
	t->fetches++;
	t->most = limit > t->most ? limit : t->most;
	int k = key ? find(t, ((const struct row *)key)->number) : 0, from = 0, to = 0;
	switch (dir) {
	case PAGER_FIRST: from = 0, to = limit; break;
	case PAGER_LAST: from = t->n - limit, to = t->n; break;
	case PAGER_AFTER: from = k + 1, to = k + 1 + limit; break;
	case PAGER_BEFORE: from = k - limit, to = k; break;
	case PAGER_AT: from = k, to = k + limit; break;
	}
	out->more = dir == PAGER_LAST || dir == PAGER_BEFORE ? from > 0 : to < t->n;
	from = from < 0 ? 0 : from;
	to = to > t->n ? t->n : to;
	out->count = to > from ? to - from : 0;
	struct row *rows = xcalloc((size_t)out->count + 1, sizeof *rows);
	for (int i = 0; i < out->count; i++) {
		rows[i].number = t->numbers[from + i];
		rows[i].id = xasprintf("q%d", rows[i].number);
	}
	out->rows = rows;
	return true;
}

static void
row_free(void *row)
{
	free(((struct row *)row)->id);
}

static bool
row_same(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->id, ((const struct row *)b)->id) == 0;
}

static const struct pager_source table_source = {sizeof(struct row), table_fetch, row_free,
                                                 row_same};

/* A table of n questions numbered n .. 1 (newest first). */
static void
table_init(struct table *t, int n)
{
	memset(t, 0, sizeof *t);
	t->n = n;
	for (int i = 0; i < n; i++)
		t->numbers[i] = n - i;
}

static int
shown(const struct pager *p, int i)
{
	return ((const struct row *)pager_row(p, i))->number;
}

static int
current(const struct pager *p)
{
	return ((const struct row *)pager_current(p))->number;
}

START_TEST(first_page_holds_one_page)
{
	struct table t;
	table_init(&t, 100);
	struct pager p;
	pager_init(&p, &table_source, &t);
	ck_assert(pager_load_end(&p, false, 10));
	ck_assert_int_eq(p.count, 10);
	ck_assert_int_eq(shown(&p, 0), 100);
	ck_assert_int_eq(current(&p), 100);
	ck_assert(!p.more_above);
	ck_assert(p.more_below);
	pager_clear(&p);
}
END_TEST

START_TEST(down_past_the_page_fetches_the_next_row)
{
	struct table t;
	table_init(&t, 100);
	struct pager p;
	pager_init(&p, &table_source, &t);
	pager_load_end(&p, false, 10);
	for (int i = 0; i < 9; i++)
		pager_command(&p, CMD_DOWN, 10);
	ck_assert_int_eq(current(&p), 91);
	ck_assert_int_eq(t.fetches, 1); /* within the page: nothing asked */
	pager_command(&p, CMD_DOWN, 10);
	ck_assert_int_eq(t.fetches, 2);
	ck_assert_int_eq(p.count, 10); /* never more than a page */
	ck_assert_int_eq(current(&p), 90);
	ck_assert_int_eq(p.cursor, 9);
	ck_assert_int_eq(shown(&p, 0), 99);
	ck_assert(p.more_above);
	pager_command(&p, CMD_UP, 10);
	ck_assert_int_eq(current(&p), 91);
	pager_clear(&p);
}
END_TEST

START_TEST(page_down_near_the_end_shows_a_full_last_page)
{
	struct table t;
	table_init(&t, 25);
	struct pager p;
	pager_init(&p, &table_source, &t);
	pager_load_end(&p, false, 10);
	pager_command(&p, CMD_PAGE_DOWN, 10); /* 15 .. 6 */
	ck_assert_int_eq(shown(&p, 0), 15);
	pager_command(&p, CMD_PAGE_DOWN, 10); /* only 5 after: the last 10 */
	ck_assert_int_eq(p.count, 10);
	ck_assert_int_eq(shown(&p, 0), 10);
	ck_assert_int_eq(shown(&p, 9), 1);
	ck_assert(!p.more_below);
	ck_assert(p.more_above);
	pager_command(&p, CMD_PAGE_DOWN, 10); /* at the end: the cursor to the last row */
	ck_assert_int_eq(current(&p), 1);
	pager_command(&p, CMD_FIRST, 10);
	ck_assert_int_eq(current(&p), 25);
	pager_command(&p, CMD_LAST, 10);
	ck_assert_int_eq(current(&p), 1);
	ck_assert_int_eq(shown(&p, 0), 10);
	ck_assert_int_le(t.most, 10);
	pager_clear(&p);
}
END_TEST

START_TEST(reload_in_place_keeps_the_row_under_the_cursor)
{
	struct table t;
	table_init(&t, 50);
	struct pager p;
	pager_init(&p, &table_source, &t);
	pager_load_end(&p, false, 10);
	pager_command(&p, CMD_PAGE_DOWN, 10); /* 40 .. 31 */
	for (int i = 0; i < 3; i++)
		pager_command(&p, CMD_DOWN, 10);
	ck_assert_int_eq(current(&p), 37);
	/* question 39 disappears (another tab, another organisation) */
	int k = find(&t, 39);
	memmove(&t.numbers[k], &t.numbers[k + 1], (size_t)(t.n - k - 1) * sizeof t.numbers[0]);
	t.n--;
	pager_reload(&p, 10);
	ck_assert_int_eq(current(&p), 37);
	ck_assert_int_eq(shown(&p, 0), 40);
	ck_assert_int_eq(p.count, 10);
	/* at the top, a reload reads from the first row: new rows show */
	pager_command(&p, CMD_FIRST, 10);
	pager_command(&p, CMD_DOWN, 10);
	memmove(&t.numbers[1], &t.numbers[0], (size_t)t.n * sizeof t.numbers[0]);
	t.numbers[0] = 51;
	t.n++;
	pager_reload(&p, 10);
	ck_assert_int_eq(shown(&p, 0), 51);
	ck_assert_int_eq(current(&p), 49);
	pager_clear(&p);
}
END_TEST

START_TEST(resize_keeps_the_cursor_row_visible)
{
	struct table t;
	table_init(&t, 100);
	struct pager p;
	pager_init(&p, &table_source, &t);
	pager_load_end(&p, false, 20);
	for (int i = 0; i < 15; i++)
		pager_command(&p, CMD_DOWN, 20);
	ck_assert_int_eq(current(&p), 85);
	pager_resize(&p, 5); /* smaller: the cursor's row stays on screen */
	ck_assert_int_eq(p.count, 5);
	ck_assert_int_eq(current(&p), 85);
	ck_assert_int_lt(p.cursor, 5);
	ck_assert(p.more_above);
	ck_assert(p.more_below);
	pager_resize(&p, 30); /* larger: filled below, then above */
	ck_assert_int_eq(p.count, 30);
	ck_assert_int_eq(current(&p), 85);
	/* at the end of the list, growing fills from above */
	pager_command(&p, CMD_LAST, 30);
	pager_resize(&p, 40);
	ck_assert_int_eq(p.count, 40);
	ck_assert_int_eq(current(&p), 1);
	ck_assert_int_eq(shown(&p, 0), 40);
	pager_clear(&p);
}
END_TEST

START_TEST(show_a_row_selects_it)
{
	struct table t;
	table_init(&t, 30);
	struct pager p;
	pager_init(&p, &table_source, &t);
	struct row key = {3, (char *)"q3"};
	pager_show(&p, &key, 10); /* near the end: a full page, filled from above */
	ck_assert_int_eq(p.count, 10);
	ck_assert_int_eq(current(&p), 3);
	ck_assert_int_eq(shown(&p, 9), 1);
	pager_clear(&p);
}
END_TEST

START_TEST(array_text_scrolls_as_view_scroll_did)
{
	/* a text of 30 lines in 10 rows: pages of 9, G the last full page */
	struct pager p;
	pager_init_array(&p, 30, true);
	pager_load_end(&p, false, 10);
	ck_assert_int_eq(pager_index(&p), 0);
	pager_command(&p, CMD_PAGE_DOWN, 10);
	ck_assert_int_eq(pager_index(&p), 9);
	pager_command(&p, CMD_DOWN, 10);
	ck_assert_int_eq(pager_index(&p), 10);
	pager_command(&p, CMD_PAGE_DOWN, 10);
	ck_assert_int_eq(pager_index(&p), 19);
	pager_command(&p, CMD_PAGE_DOWN, 10);
	ck_assert_int_eq(pager_index(&p), 20);
	pager_command(&p, CMD_DOWN, 10);
	ck_assert_int_eq(pager_index(&p), 20);
	pager_command(&p, CMD_PAGE_UP, 10);
	ck_assert_int_eq(pager_index(&p), 11);
	pager_command(&p, CMD_FIRST, 10);
	ck_assert_int_eq(pager_index(&p), 0);
	pager_command(&p, CMD_UP, 10);
	ck_assert_int_eq(pager_index(&p), 0);
	pager_command(&p, CMD_LAST, 10);
	ck_assert_int_eq(pager_index(&p), 20);
	pager_clear(&p);
}
END_TEST

START_TEST(array_list_keeps_its_cursor_when_it_changes)
{
	struct pager p;
	pager_init_array(&p, 8, false);
	pager_load_end(&p, false, 5);
	pager_command(&p, CMD_PAGE_DOWN, 5); /* near the end: 3 .. 7, on the last */
	ck_assert_int_eq(pager_index(&p), 7);
	ck_assert_int_eq(p.count, 5);
	pager_command(&p, CMD_FIRST, 5);
	ck_assert_int_eq(pager_index(&p), 0);
	pager_command(&p, CMD_LAST, 5);
	ck_assert_int_eq(pager_index(&p), 7);
	pager_set_items(&p, 4, 5); /* fewer items: the last one */
	ck_assert_int_eq(pager_index(&p), 3);
	ck_assert_int_eq(p.count, 4);
	pager_set_items(&p, 0, 5);
	ck_assert_int_eq(pager_index(&p), -1);
	ck_assert_int_eq(pager_key_command(KEY_END), CMD_LAST);
	ck_assert_int_eq(pager_key_command('x'), CMD_NONE);
	pager_clear(&p);
}
END_TEST

static Suite *
pager_suite(void)
{
	Suite *s = suite_create("pager");
	TCase *t = tcase_create("keyset");
	tcase_add_test(t, first_page_holds_one_page);
	tcase_add_test(t, down_past_the_page_fetches_the_next_row);
	tcase_add_test(t, page_down_near_the_end_shows_a_full_last_page);
	tcase_add_test(t, reload_in_place_keeps_the_row_under_the_cursor);
	tcase_add_test(t, resize_keeps_the_cursor_row_visible);
	tcase_add_test(t, show_a_row_selects_it);
	suite_add_tcase(s, t);
	t = tcase_create("array");
	tcase_add_test(t, array_text_scrolls_as_view_scroll_did);
	tcase_add_test(t, array_list_keeps_its_cursor_when_it_changes);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(pager_suite());
	srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY, set by make check */
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
