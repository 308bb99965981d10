/* test_dbrow.c: db_result_row and friends (src/db/db.h, "Reading rows into
 * structs") against real results of a throw-away database: every field
 * type, SQL NULL for each, a first column other than 0, whole results into
 * arrays, one row or one value of a statement, list structs, and freeing
 * what was copied. */
#include "config.h"

#include "dbtest.h"

#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sample {
	char id[8];
	char *text;
	char *maybe;
	int n;
	long big;
	bool flag, flag_text;
	int untouched;
};

static const struct db_field sample_fields[] = {
	DB_CHARS(struct sample, id), DB_TEXT(struct sample, text),
	DB_TEXT_OR_NULL(struct sample, maybe), DB_INT(struct sample, n),
	DB_LONG(struct sample, big), DB_BOOL(struct sample, flag),
	DB_BOOL(struct sample, flag_text),
};
#define NSAMPLE DB_NFIELDS(sample_fields)

static const char *dbname;
static struct db *db;

static void
setup(void)
{
	dbname = dbtest_create("dbrow", false);
	db = dbtest_connect(dbname, "postgres");
}

static void
teardown(void)
{
	db_close(&db);
	dbtest_drop(dbname);
}

static struct db_result *
query(const char *sql)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	ck_assert_msg(db_query(db, sql, 0, NULL, &r, &err), "%s", err.message);
	return r;
}

START_TEST(every_type)
{
	struct db_result *r =
	    query("SELECT 'abcdefghij', 'tekst é', 'er', 42, 9876543210::bigint, true, 'true'");
	struct sample s = {.untouched = 7};
	db_result_row(r, 0, sample_fields, NSAMPLE, &s);
	db_result_free(&r);
	ck_assert_str_eq(s.id, "abcdefg"); /* cut to the array, terminated */
	ck_assert_str_eq(s.text, "tekst é");
	ck_assert_str_eq(s.maybe, "er");
	ck_assert_int_eq(s.n, 42);
	ck_assert(s.big == 9876543210L);
	ck_assert(s.flag);
	ck_assert(s.flag_text);
	ck_assert_int_eq(s.untouched, 7);
	db_fields_free(sample_fields, NSAMPLE, &s);
	ck_assert_ptr_null(s.text);
	ck_assert_ptr_null(s.maybe);
	ck_assert_str_eq(s.id, "abcdefg");
}
END_TEST

START_TEST(nulls)
{
	struct db_result *r = query("SELECT NULL, NULL, NULL, NULL::int, NULL::bigint, NULL::bool, "
	                            "'false'");
	struct sample s;
	memset(&s, 0xff, sizeof s);
	db_result_row(r, 0, sample_fields, NSAMPLE, &s);
	db_result_free(&r);
	ck_assert_str_eq(s.id, "");
	ck_assert_str_eq(s.text, "");
	ck_assert_ptr_null(s.maybe);
	ck_assert_int_eq(s.n, 0);
	ck_assert(s.big == 0);
	ck_assert(!s.flag);
	ck_assert(!s.flag_text);
	db_fields_free(sample_fields, NSAMPLE, &s);
}
END_TEST

START_TEST(from_a_column_and_skipped)
{
	struct db_result *r = query("SELECT 'x', 'id1', 'a', 'b', 5");
	struct sample s = {0};
	static const struct db_field some[] = {
		DB_CHARS(struct sample, id), DB_TEXT(struct sample, text), DB_SKIP,
		DB_INT(struct sample, n)};
	db_result_row_at(r, 0, 1, some, DB_NFIELDS(some), &s);
	db_result_free(&r);
	ck_assert_str_eq(s.id, "id1");
	ck_assert_str_eq(s.text, "a");
	ck_assert_int_eq(s.n, 5);
	ck_assert_ptr_null(s.maybe);
	db_fields_free(some, DB_NFIELDS(some), &s);
}
END_TEST

START_TEST(all_rows)
{
	struct db_result *r =
	    query("SELECT 'r' || g, 'row ' || g, CASE WHEN g % 2 = 0 THEN 'even' END, g, g * 10, "
	          "g % 2 = 0, (g > 1)::text FROM generate_series(1, 3) g ORDER BY g");
	int n = -1;
	struct sample *rows = db_result_all(r, sample_fields, NSAMPLE, sizeof *rows, &n);
	db_result_free(&r);
	ck_assert_int_eq(n, 3);
	for (int i = 0; i < n; i++) {
		char want[16];
		snprintf(want, sizeof want, "row %d", i + 1);
		ck_assert_str_eq(rows[i].text, want);
		ck_assert_int_eq(rows[i].n, i + 1);
		ck_assert(rows[i].big == (long)(i + 1) * 10);
		ck_assert(rows[i].flag == (i == 1));
		ck_assert(rows[i].flag_text == (i > 0));
	}
	ck_assert_ptr_null(rows[0].maybe);
	ck_assert_str_eq(rows[1].maybe, "even");
	db_fields_free_all(sample_fields, NSAMPLE, rows, n, sizeof *rows);
	/* no rows: an array all the same, and a count of 0 */
	r = query("SELECT 'a', 'b', 'c', 1, 2, true, 'true' WHERE false");
	rows = db_result_all(r, sample_fields, NSAMPLE, sizeof *rows, &n);
	db_result_free(&r);
	ck_assert_int_eq(n, 0);
	ck_assert_ptr_nonnull(rows);
	db_fields_free_all(sample_fields, NSAMPLE, rows, n, sizeof *rows);
}
END_TEST

START_TEST(one_row)
{
	struct db_error err = {0};
	struct sample s = {.untouched = 7};
	bool found = false;
	const char *params[] = {"12"};
	ck_assert(db_query_row(db,
	                       "SELECT 'id', 'een', NULL, $1::int, 5, true, 'false' "
	                       "UNION ALL SELECT 'no', 'twee', 'x', 0, 0, false, 'true'",
	                       1, params, sample_fields, NSAMPLE, &s, &found, &err));
	ck_assert(found);
	ck_assert_str_eq(s.id, "id"); /* the first row only */
	ck_assert_str_eq(s.text, "een");
	ck_assert_ptr_null(s.maybe);
	ck_assert_int_eq(s.n, 12);
	ck_assert(s.flag && !s.flag_text);
	ck_assert_int_eq(s.untouched, 7);
	/* no row: found is false and the struct keeps what it held */
	ck_assert(db_query_row(db, "SELECT 'a', 'b', 'c', 1, 2, true, 'true' WHERE false", 0, NULL,
	                       sample_fields, NSAMPLE, &s, &found, &err));
	ck_assert(!found);
	ck_assert_str_eq(s.text, "een");
	ck_assert_int_eq(s.n, 12);
	db_fields_free(sample_fields, NSAMPLE, &s);
	/* found may be NULL; a failed statement gives its error */
	ck_assert(!db_query_row(db, "SELECT nonsense FROM nowhere", 0, NULL, sample_fields, NSAMPLE,
	                        &s, NULL, &err));
	ck_assert_str_eq(err.sqlstate, "42P01");
	db_error_clear(&err);
}
END_TEST

START_TEST(one_value)
{
	struct db_error err = {0};
	bool found = false, b = false;
	char *text = NULL;
	int i = 0;
	long l = 0;
	const char *params[] = {"tekst"};
	ck_assert(db_query_value(db, "SELECT $1::text || '!'", 1, params, DB_T_TEXT, &text, &found,
	                         &err));
	ck_assert(found);
	ck_assert_str_eq(text, "tekst!");
	free(text);
	ck_assert(db_query_value(db, "SELECT NULL::text", 0, NULL, DB_T_TEXT, &text, NULL, &err));
	ck_assert_str_eq(text, ""); /* DB_T_TEXT: "" for SQL NULL */
	free(text);
	ck_assert(
	    db_query_value(db, "SELECT NULL::text", 0, NULL, DB_T_TEXT_OR_NULL, &text, NULL, &err));
	ck_assert_ptr_null(text);
	ck_assert(db_query_value(db, "SELECT 41 + 1", 0, NULL, DB_T_INT, &i, NULL, &err));
	ck_assert_int_eq(i, 42);
	ck_assert(
	    db_query_value(db, "SELECT 9876543210::bigint", 0, NULL, DB_T_LONG, &l, NULL, &err));
	ck_assert(l == 9876543210L);
	ck_assert(db_query_value(db, "SELECT 1 < 2", 0, NULL, DB_T_BOOL, &b, NULL, &err));
	ck_assert(b);
	/* no row: the value stays as it was */
	ck_assert(db_query_value(db, "SELECT 1 WHERE false", 0, NULL, DB_T_INT, &i, &found, &err));
	ck_assert(!found);
	ck_assert_int_eq(i, 42);
}
END_TEST

/* A list struct as the model keeps them, for DB_QUERY_LIST and DB_LIST_FREE. */
struct samples {
	struct sample *items;
	int count;
};

START_TEST(lists)
{
	struct db_error err = {0};
	struct samples l = {0};
	const char *params[] = {"4"};
	ck_assert(DB_QUERY_LIST(db,
	                        "SELECT 'r' || g, 'row ' || g, NULL, g, g, true, 'true' "
	                        "FROM generate_series(1, $1::int) g ORDER BY g",
	                        1, params, sample_fields, &l, &err));
	ck_assert_int_eq(l.count, 4);
	ck_assert_str_eq(l.items[3].text, "row 4");
	ck_assert_int_eq(l.items[2].n, 3);
	DB_LIST_FREE(sample_fields, &l);
	ck_assert_ptr_null(l.items);
	ck_assert_int_eq(l.count, 0);
}
END_TEST

START_TEST(not_found)
{
	struct db_error err = {0};
	db_error_not_found(&err, "referral", "12");
	ck_assert_str_eq(err.message, "referral 12 does not exist or is not visible to you");
	ck_assert_str_eq(err.sqlstate, "02000");
	db_error_clear(&err);
	db_error_not_found(NULL, "question", "1"); /* no error wanted */
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("dbrow");
	TCase *tc = tcase_create("rows into structs");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, every_type);
	tcase_add_test(tc, nulls);
	tcase_add_test(tc, from_a_column_and_skipped);
	tcase_add_test(tc, all_rows);
	tcase_add_test(tc, one_row);
	tcase_add_test(tc, one_value);
	tcase_add_test(tc, lists);
	tcase_add_test(tc, not_found);
	suite_add_tcase(s, tc);
	return dbtest_run(s);
}
