/* test_cli.c: Check suite for the CLI's argument parsing, validation and
 * output formats (no database needed). */
#include "config.h"

#include "cli/case_args.h"
#include "cli/cli.h"
#include "util/output.h"

#include "dbtest.h"

#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A stream that collects what is written; read it with mem_text(). */
struct mem {
	char *buf;
	size_t len;
	FILE *f;
};

static void
mem_open(struct mem *m)
{
	m->buf = NULL, m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	ck_assert(m->f != NULL);
}

static const char *
mem_text(struct mem *m)
{
	fflush(m->f);
	return m->buf;
}

static void
mem_close(struct mem *m)
{
	fclose(m->f);
	free(m->buf);
}

START_TEST(globals_stop_at_subcommand)
{
	char *argv[] = {"loket", "--as", "kvk_demo", "-d", "dbname=x", "case", "list", "--limit", "5", NULL};
	struct cli_globals g;
	struct mem err;
	mem_open(&err);
	int sub = cli_parse_globals(9, argv, &g, err.f);
	ck_assert_int_eq(sub, 5);
	ck_assert_str_eq(g.as_role, "kvk_demo");
	ck_assert_str_eq(g.conninfo, "dbname=x");
	ck_assert_str_eq(argv[sub], "case");
	mem_close(&err);
}
END_TEST

START_TEST(globals_without_subcommand_open_tui)
{
	char *argv[] = {"loket", "--as", "lwl_demo", NULL};
	struct cli_globals g;
	ck_assert_int_eq(cli_parse_globals(3, argv, &g, stderr), 3);
	ck_assert_str_eq(g.as_role, "lwl_demo");
}
END_TEST

START_TEST(globals_unknown_option)
{
	char *argv[] = {"loket", "--bogus", "case", NULL};
	struct cli_globals g;
	struct mem err;
	mem_open(&err);
	ck_assert_int_eq(cli_parse_globals(3, argv, &g, err.f), -1);
	ck_assert(strstr(mem_text(&err), "--bogus") != NULL);
	mem_close(&err);
}
END_TEST

static bool
parse_add(int argc, char **argv, const char *stdin_text, struct case_add_args *a, struct mem *err)
{
	FILE *in = fmemopen((void *)stdin_text, strlen(stdin_text), "r");
	bool ok = case_add_parse(argc, argv, in, err->f, a);
	fclose(in);
	return ok;
}

START_TEST(add_valid)
{
	char *argv[] = {"add", "--group", "werkende", "--topic", "evc", "--channel", "balie",
	                "--text", "Kan ik mijn ervaring laten erkennen?", "--postcode", "7511 AB", NULL};
	struct case_add_args a;
	struct mem err;
	mem_open(&err);
	ck_assert(parse_add(11, argv, "", &a, &err));
	ck_assert_str_eq(a.group, "werkende");
	ck_assert_str_eq(a.text, "Kan ik mijn ervaring laten erkennen?");
	ck_assert_str_eq(a.postcode4, "7511");
	case_add_args_free(&a);
	mem_close(&err);
}
END_TEST

START_TEST(add_text_from_stdin)
{
	char *argv[] = {"add", "--group", "zzp", "--topic", "financiering", "--channel", "telefoon",
	                "--text", "-", NULL};
	struct case_add_args a;
	struct mem err;
	mem_open(&err);
	ck_assert(parse_add(9, argv, "Welke subsidie is er\nvoor mij?\n", &a, &err));
	ck_assert_str_eq(a.text, "Welke subsidie is er\nvoor mij?");
	case_add_args_free(&a);
	mem_close(&err);
}
END_TEST

/* Each invalid input is refused with a message naming the field. */
static void
expect_add_refused(char **argv, int argc, const char *needle)
{
	struct case_add_args a;
	struct mem err;
	mem_open(&err);
	ck_assert(!parse_add(argc, argv, "", &a, &err));
	ck_assert_msg(strstr(mem_text(&err), needle) != NULL, "message '%s' lacks '%s'",
	              mem_text(&err), needle);
	mem_close(&err);
}

START_TEST(add_missing_field)
{
	char *argv[] = {"add", "--group", "werkende", "--channel", "balie", "--text", "x", NULL};
	expect_add_refused(argv, 7, "--topic");
}
END_TEST

START_TEST(add_invalid_utf8)
{
	char *argv[] = {"add", "--group", "werkende", "--topic", "evc", "--channel", "balie",
	                "--text", "caf\xe9", NULL};
	expect_add_refused(argv, 9, "--text");
}
END_TEST

START_TEST(add_blank_text)
{
	char *argv[] = {"add", "--group", "werkende", "--topic", "evc", "--channel", "balie",
	                "--text", "   ", NULL};
	expect_add_refused(argv, 9, "--text");
}
END_TEST

START_TEST(add_text_too_long)
{
	char *long_text = malloc(4002);
	memset(long_text, 'x', 4001);
	long_text[4001] = '\0';
	char *argv[] = {"add", "--group", "werkende", "--topic", "evc", "--channel", "balie",
	                "--text", long_text, NULL};
	expect_add_refused(argv, 9, "4000");
	free(long_text);
}
END_TEST

START_TEST(add_bad_postcode)
{
	char *argv[] = {"add", "--group", "werkende", "--topic", "evc", "--channel", "balie",
	                "--text", "vraag", "--postcode", "12345", NULL};
	expect_add_refused(argv, 11, "--postcode");
}
END_TEST

START_TEST(unknown_code_lists_valid_ones)
{
	struct code items[] = {{"balie", "Balie"}, {"telefoon", "Telefoon"}};
	struct code_list codes = {items, 2};
	struct mem err;
	mem_open(&err);
	ck_assert(case_check_code("channel", "balie", &codes, err.f));
	ck_assert(!case_check_code("channel", "fax\033[2J", &codes, err.f));
	const char *msg = mem_text(&err);
	ck_assert(strstr(msg, "channel") != NULL);
	ck_assert(strstr(msg, "balie, telefoon") != NULL);
	ck_assert(strchr(msg, '\033') == NULL); /* the typed value is sanitised */
	mem_close(&err);
}
END_TEST

START_TEST(list_options)
{
	char *argv[] = {"list", "--status", "referred", "--limit", "7", "--format", "csv", NULL};
	struct case_list_args a;
	ck_assert(case_list_parse(7, argv, stderr, &a));
	ck_assert_str_eq(a.status, "referred");
	ck_assert_int_eq(a.limit, 7);
	ck_assert_int_eq(a.format, OUT_CSV);
	char *bad_status[] = {"list", "--status", "gone", NULL};
	struct mem err;
	mem_open(&err);
	ck_assert(!case_list_parse(3, bad_status, err.f, &a));
	ck_assert(strstr(mem_text(&err), "open, informed, referred, closed") != NULL);
	char *bad_format[] = {"list", "--format", "xml", NULL};
	ck_assert(!case_list_parse(3, bad_format, err.f, &a));
	char *bad_limit[] = {"list", "--limit", "0", NULL};
	ck_assert(!case_list_parse(3, bad_limit, err.f, &a));
	mem_close(&err);
}
END_TEST

static const struct out_column cols[] = {{"number", true, 0}, {"text", false, 10}};

START_TEST(csv_quotes_fields)
{
	const char *cells[] = {"1", "a,b", "2", "say \"hi\"\nnow", "3", NULL};
	struct out_grid g = {cols, 2, 3, cells};
	struct mem out;
	mem_open(&out);
	out_write(out.f, OUT_CSV, &g, false);
	ck_assert_str_eq(mem_text(&out),
	                 "number,text\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\nnow\"\r\n3,\r\n");
	mem_close(&out);
}
END_TEST

/* Text a spreadsheet would run as a formula gets a leading quote; numbers
 * and "<5" stay as they are. */
START_TEST(csv_no_formulas)
{
	const char *cells[] = {"-1", "=HYPERLINK(\"http://x\")", "2", "+31 53", "3", "@SUM(A1)",
	                       "4", "-", "5", "<5"};
	struct out_grid g = {cols, 2, 5, cells};
	struct mem out;
	mem_open(&out);
	out_write(out.f, OUT_CSV, &g, false);
	ck_assert_str_eq(mem_text(&out), "number,text\r\n-1,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
	                                 "2,'+31 53\r\n3,'@SUM(A1)\r\n4,'-\r\n5,<5\r\n");
	mem_close(&out);
}
END_TEST

START_TEST(json_escapes_and_types)
{
	const char *cells[] = {"1", "tab\there \"q\" \033", "2", NULL};
	struct out_grid g = {cols, 2, 2, cells};
	struct mem out;
	mem_open(&out);
	out_write(out.f, OUT_JSON, &g, false);
	ck_assert_str_eq(mem_text(&out), "[\n {\"number\": 1, \"text\": \"tab\\there \\\"q\\\" "
	                                 "\\u001b\"},\n {\"number\": 2, \"text\": null}\n]\n");
	mem_close(&out);
}
END_TEST

START_TEST(table_sanitises_and_cuts)
{
	const char *cells[] = {"1", "\033[31mrood en heel lang", NULL, NULL};
	struct out_grid g = {cols, 2, 1, cells};
	struct mem out;
	mem_open(&out);
	out_write(out.f, OUT_TABLE, &g, false);
	const char *t = mem_text(&out);
	ck_assert(strchr(t, '\033') == NULL);
	ck_assert(strstr(t, "␛[31mrood…") != NULL);
	mem_close(&out);
}
END_TEST

static Suite *
cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *t = tcase_create("arguments");
	tcase_add_test(t, globals_stop_at_subcommand);
	tcase_add_test(t, globals_without_subcommand_open_tui);
	tcase_add_test(t, globals_unknown_option);
	tcase_add_test(t, add_valid);
	tcase_add_test(t, add_text_from_stdin);
	tcase_add_test(t, add_missing_field);
	tcase_add_test(t, add_invalid_utf8);
	tcase_add_test(t, add_blank_text);
	tcase_add_test(t, add_text_too_long);
	tcase_add_test(t, add_bad_postcode);
	tcase_add_test(t, unknown_code_lists_valid_ones);
	tcase_add_test(t, list_options);
	suite_add_tcase(s, t);
	t = tcase_create("output");
	tcase_add_test(t, csv_quotes_fields);
	tcase_add_test(t, csv_no_formulas);
	tcase_add_test(t, json_escapes_and_types);
	tcase_add_test(t, table_sanitises_and_cuts);
	suite_add_tcase(s, t);
	return s;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	return dbtest_run(cli_suite());
}
