/* test_form.c: the parser of forms/NAME.form files and the value checks. */
#include "config.h"

#include "dbtest.h"
#include "form/form.h"
#include "util/file.h"
#include "util/xalloc.h"

#include <check.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct form_def *
parse_ok(const char *text)
{
	struct form_def *def = NULL;
	struct form_error err;
	char msg[512];
	bool ok = form_parse("t.form", text, strlen(text), &def, &err);
	form_error_format(&err, msg, sizeof msg);
	ck_assert_msg(ok, "should parse, got %s", msg);
	return def;
}

/* Parse must fail with exactly this "file:line:column: message" prefix. */
static void
parse_fails(const char *text, const char *expected)
{
	struct form_def *def = NULL;
	struct form_error err;
	char msg[512];
	ck_assert_msg(!form_parse("t.form", text, strlen(text), &def, &err), "should fail: %s", text);
	ck_assert(def == NULL);
	form_error_format(&err, msg, sizeof msg);
	ck_assert_msg(strncmp(msg, expected, strlen(expected)) == 0, "got '%s', expected '%s'", msg,
	              expected);
}

#define HEAD "form f\ntitle \"T\"\nbinds question\n"

START_TEST(shipped_forms_parse)
{
	const char *names[] = {"intake", "client", "referral", "signal"};
	for (size_t i = 0; i < 4; i++) {
		char *path = xasprintf("%s/forms/%s.form", getenv("LOKET_DATADIR"), names[i]);
		char *text = NULL;
		size_t len = 0;
		ck_assert_msg(file_read(path, &text, &len), "cannot read %s", path);
		struct form_def *def = NULL;
		struct form_error err;
		char msg[512] = "";
		bool ok = form_parse(path, text, len, &def, &err);
		if (!ok)
			form_error_format(&err, msg, sizeof msg);
		ck_assert_msg(ok, "%s", msg);
		ck_assert_str_eq(def->name, names[i]);
		ck_assert_int_gt(def->nfields, 2);
		form_def_free(&def);
		ck_assert(def == NULL);
		free(text);
		free(path);
	}
}
END_TEST

START_TEST(full_field)
{
	struct form_def *def = parse_ok(HEAD "# comment\n\nfield urgency   # trailing comment\n"
	                                     "  label \"Urgentie \\\"nu\\\"\"\n  type choice\n"
	                                     "  choice normaal \"Normaal\"\n  choice hoog \"Hoog\"\n"
	                                     "  default normaal\n  required\n  help \"Kies één\"\n"
	                                     "field note\n label \"N\"\n type multiline\n max 20\n"
	                                     " pattern \"^[A-Z]\"\n");
	ck_assert_int_eq(def->nfields, 2);
	const struct form_field *f = form_field_find(def, "urgency");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->label, "Urgentie \"nu\"");
	ck_assert_int_eq(f->type, FORM_CHOICE);
	ck_assert_int_eq(f->nchoices, 2);
	ck_assert_str_eq(f->choices[1].code, "hoog");
	ck_assert_str_eq(f->def, "normaal");
	ck_assert(f->required);
	ck_assert_str_eq(f->help, "Kies één");
	ck_assert_int_eq(f->line, 6);
	const struct form_field *n = form_field_find(def, "note");
	ck_assert_int_eq(n->max, 20);
	ck_assert_str_eq(n->pattern, "^[A-Z]");
	ck_assert_ptr_null(form_field_find(def, "nope"));
	form_def_free(&def);
}
END_TEST

START_TEST(errors_say_where_and_what)
{
	parse_fails(HEAD "field a\n  lable \"x\"\n", "t.form:5:3: unknown keyword 'lable'");
	parse_fails(HEAD "field a\n  label x\n", "t.form:5:9: expected a \"string\", found a name");
	parse_fails(HEAD "field a\n  label \"x\n", "t.form:5:11: expected \" to end the string");
	parse_fails(HEAD "field a\n  label \"x\" \"y\"\n",
	            "t.form:5:13: expected the end of the line, found a \"string\"");
	parse_fails(HEAD "field a\n  label \"x\"\n  type colour\n", "t.form:6:3: expected type text");
	parse_fails(HEAD "field a\n  label \"x\"\n", "t.form:4:1: field 'a' needs a type");
	parse_fails(HEAD "field a\n  type text\n", "t.form:4:1: field 'a' needs a label");
	parse_fails(HEAD "field a\n label \"A\"\n type text\nfield a\n",
	            "t.form:7:7: field 'a' defined twice");
	parse_fails(HEAD "field a\n label \"A\"\n type choice\n", "t.form:4:1: choice field 'a' needs");
	parse_fails(HEAD "field a\n label \"A\"\n type text\n max 0\n", "t.form:7:2: expected max from 1");
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"([\"\n",
	            "t.form:7:10: expected a regular expression");
	parse_fails(HEAD "field a\n label \"A\"\n type email\n default \"geen\"\n",
	            "t.form:4:1: field 'a': the default does not pass");
	parse_fails("title \"T\"\nbinds question\nfield a\n label \"A\"\n type text\n",
	            "t.form:1:1: expected 'form NAME'");
	parse_fails(HEAD "field a\n label \"A\"\n type text\ntitle \"again\"\n",
	            "t.form:7:1: 'title' belongs before the first field");
	/* which bindings exist is for the form view to say (test_binding.c) */
	parse_fails("form f\ntitle \"T\"\nbinds \"x\"\n", "t.form:3:7: expected a name");
	parse_fails("form f\ntitle \"T\"\nfield a\n label \"A\"\n type text\n",
	            "t.form:1:1: expected 'binds NAME'");
	parse_fails(HEAD, "t.form:4:1: expected at least one field");
	parse_fails("label \"x\"\n", "t.form:1:1: 'label' belongs to a field");
	parse_fails(HEAD "field Kapitaal\n", "t.form:4:7: expected a keyword, a name");
	parse_fails(HEAD "field a\n label \"A\xff\"\n", "t.form:5:10: invalid UTF-8");
	parse_fails(HEAD "field a\n label \"A\tB\"\n", "t.form:5:10: control character in a string");
	parse_fails(HEAD "field a\n label \"a\\n\"\n", "t.form:5:10: expected \\\" or \\\\ after \\");
	parse_fails(HEAD "field a\n max 12x\n", "t.form:5:8: expected a digit");
	parse_fails(HEAD "@\n", "t.form:4:1: expected a keyword");
	/* Found by the fuzzer: stacked repetitions made regcomp take gigabytes. */
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"^[0-9]{8}++++$\"\n",
	            "t.form:7:10: expected a simpler pattern: a repetition may not follow");
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"(a{1,500})\"\n",
	            "t.form:7:10: expected a simpler pattern: repetition counts");
	/* ... and behind bracket expressions that hold ']' (fuzzer, 2026-12-04:
	 * "[][]" hid the rest of the pattern from the check, 2 GB in regcomp) */
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"[][]x[]9{[]+++++\"\n",
	            "t.form:7:10: expected a simpler pattern: a repetition may not follow");
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"[^]a]+++\"\n",
	            "t.form:7:10: expected a simpler pattern: a repetition may not follow");
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"[[:digit:]]{5}+\"\n",
	            "t.form:7:10: expected a simpler pattern: a repetition may not follow");
	struct form_def *tame =
		parse_ok(HEAD "field a\n label \"A\"\n type text\n pattern \"^[+*?]{2,8}[a-z]+$\"\n");
	form_def_free(&tame);
	tame = parse_ok(HEAD "field a\n label \"A\"\n type text\n pattern \"^[][:alpha:]+x]{1,3}$\"\n");
	form_def_free(&tame);
	/* Found by the fuzzer (they leaked): repeated attributes. */
	parse_fails(HEAD "field a\n label \"A\"\n type choice\n choices table topic\n choices table x\n",
	            "t.form:8:10: 'choices' given twice");
	parse_fails(HEAD "field a\n label \"A\"\n type text\n pattern \"a\"\n pattern \"b\"\n",
	            "t.form:8:2: 'pattern' given twice");
}
END_TEST

START_TEST(limits)
{
	/* A name of 41 characters, more than 64 fields, a huge string. */
	parse_fails(HEAD "field aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "t.form:4:7: longer than 40");
	char *many = xstrdup(HEAD);
	for (int i = 0; i <= FORM_MAX_FIELDS; i++) {
		char *more = xasprintf("%sfield f%d\n label \"L\"\n type text\n", many, i);
		free(many);
		many = more;
	}
	parse_fails(many, "t.form:196:1: more than 64 fields");
	free(many);
	char *big = xmalloc(FORM_MAX_FILE + 2);
	memset(big, '#', FORM_MAX_FILE + 1);
	big[FORM_MAX_FILE + 1] = '\0';
	parse_fails(big, "t.form:1:1: file larger than");
	free(big);
}
END_TEST

START_TEST(organisation_override)
{
	char dir[] = "/tmp/loket-forms-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char *cmd = xasprintf("mkdir -p %s/forms/cnv && cp %s/forms/intake.form %s/forms/ && "
	                      "sed 's/^title .*/title \"Vraag bij CNV\"/' %s/forms/intake.form "
	                      "> %s/forms/cnv/intake.form",
	                      dir, getenv("LOKET_DATADIR"), dir, getenv("LOKET_DATADIR"), dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	struct form_def *def = NULL;
	struct form_error err;
	ck_assert(form_load(dir, "cnv", "intake", &def, &err));
	ck_assert_str_eq(def->title, "Vraag bij CNV");
	form_def_free(&def);
	ck_assert(form_load(dir, "kvk", "intake", &def, &err));
	ck_assert_str_eq(def->title, "Nieuwe vraag");
	form_def_free(&def);
	ck_assert(form_load(dir, NULL, "intake", &def, &err));
	form_def_free(&def);
	ck_assert(!form_load(dir, "kvk", "../intake", &def, &err));
	ck_assert(!form_load(dir, "../cnv", "intake", &def, &err));
	ck_assert(!form_load(dir, "kvk", "missing", &def, &err));
	ck_assert_str_eq(err.message, "cannot read the file");
	cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
}
END_TEST

START_TEST(drafts_round_trip)
{
	char dir[] = "/tmp/loket-state-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_STATE_HOME", dir, 1);
	char *drafts = form_draft_dir();
	ck_assert_ptr_nonnull(drafts);
	struct stat st;
	ck_assert_int_eq(stat(drafts, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);

	struct form_draft d;
	memset(&d, 0, sizeof d);
	strcpy(d.form, "intake");
	strcpy(d.id, "0b6f6b1e-6b1e-4b1e-8b1e-0b6f6b1e6b1e");
	d.saved = 1790000000;
	const char *text = "Regel 1\nRegel 2 met 100% € \"quote\" & =+ \033[2J";
	form_values_set(&d.values, "text", text);
	form_values_set(&d.values, "topic", "evc");
	form_values_set(&d.values, "postcode4", "");
	form_values_set(&d.values, "topic", "opleiding"); /* a change replaces */
	ck_assert(form_draft_write(drafts, &d));
	char *path = xasprintf("%s/%s.draft", drafts, d.id);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);

	struct form_draft back;
	ck_assert(form_draft_read(drafts, d.id, &back));
	ck_assert_str_eq(back.form, "intake");
	ck_assert_int_eq(back.saved, 1790000000);
	ck_assert_int_eq(back.values.n, 3);
	ck_assert_str_eq(form_values_get(&back.values, "text"), text);
	ck_assert_str_eq(form_values_get(&back.values, "topic"), "opleiding");
	ck_assert_str_eq(form_values_get(&back.values, "postcode4"), "");
	form_draft_clear(&back);

	/* A second, newer draft lists first; no temporary files are left. */
	struct form_draft e;
	memset(&e, 0, sizeof e);
	strcpy(e.form, "referral");
	strcpy(e.id, "1c7a7c2f-7c2f-4c2f-8c2f-1c7a7c2f7c2f");
	ck_assert(form_draft_write(drafts, &e));
	struct timespec times[2] = {{0, UTIME_OMIT}, {2000000000, 0}};
	char *epath = xasprintf("%s/%s.draft", drafts, e.id);
	ck_assert_int_eq(utimensat(AT_FDCWD, epath, times, 0), 0);
	char **ids = form_draft_list(drafts);
	ck_assert_str_eq(ids[0], e.id);
	ck_assert_str_eq(ids[1], d.id);
	ck_assert_ptr_null(ids[2]);
	form_draft_list_free(ids);

	/* Bad ids and damaged files are refused, not half-read. */
	strcpy(e.id, "../../etc/passwd");
	ck_assert(!form_draft_write(drafts, &e));
	ck_assert(!form_draft_read(drafts, "../x", &back));
	FILE *f = fopen(path, "w");
	fputs("loket-draft 1\nform intake\nid 0b6f6b1e-6b1e-4b1e-8b1e-0b6f6b1e6b1e\nrubbish\n", f);
	fclose(f);
	ck_assert(!form_draft_read(drafts, d.id, &back));

	ck_assert(form_draft_remove(drafts, d.id));
	ck_assert(form_draft_remove(drafts, d.id)); /* already gone is fine */
	ck_assert_int_ne(stat(path, &st), 0);
	form_draft_clear(&d);
	free(path);
	free(epath);
	char *cmd = xasprintf("rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	free(drafts);
}
END_TEST

START_TEST(first_invalid_field)
{
	char *path = xasprintf("%s/forms/intake.form", getenv("LOKET_DATADIR"));
	char *text = NULL;
	size_t len = 0;
	ck_assert(file_read(path, &text, &len));
	struct form_def *def = NULL;
	struct form_error err;
	ck_assert(form_parse(path, text, len, &def, &err));
	struct form_values v = {0};
	const char *why = NULL;
	ck_assert_str_eq(form_first_invalid(def, &v, &why)->name, "client_group");
	ck_assert_str_eq(why, "is required");
	form_values_set(&v, "client_group", "werkende");
	form_values_set(&v, "topic", "evc");
	form_values_set(&v, "channel", "balie");
	form_values_set(&v, "text", "Een vraag");
	form_values_set(&v, "postcode4", "75");
	ck_assert_str_eq(form_first_invalid(def, &v, &why)->name, "postcode4");
	form_values_set(&v, "postcode4", "7511 AB");
	ck_assert_ptr_null(form_first_invalid(def, &v, &why));
	form_values_clear(&v);
	form_def_free(&def);
	free(text);
	free(path);
}
END_TEST

static struct form_field
field_of(enum form_type type, bool required)
{
	struct form_field f;
	memset(&f, 0, sizeof f);
	f.name = "x";
	f.label = "X";
	f.type = type;
	f.required = required;
	return f;
}

START_TEST(value_checks)
{
	struct form_field f = field_of(FORM_TEXT, true);
	ck_assert_str_eq(form_check(&f, ""), "is required");
	ck_assert_str_eq(form_check(&f, " \t\n"), "is required");
	ck_assert_ptr_null(form_check(&f, "iets"));
	ck_assert_str_eq(form_check(&f, "ongeldig \xff"), "is not valid UTF-8 text");
	f.max = 3;
	ck_assert_ptr_null(form_check(&f, "één")); /* three characters, five bytes */
	ck_assert_str_eq(form_check(&f, "vier"), "is too long");
	f = field_of(FORM_DATE, false);
	ck_assert_ptr_null(form_check(&f, ""));
	ck_assert_ptr_null(form_check(&f, "29-02-2028"));
	ck_assert_ptr_nonnull(form_check(&f, "29-02-2027"));
	ck_assert_ptr_nonnull(form_check(&f, "2027-02-01"));
	ck_assert_ptr_nonnull(form_check(&f, "31-04-2027"));
	f = field_of(FORM_EMAIL, false);
	ck_assert_ptr_null(form_check(&f, "jan.jansen@example.nl"));
	ck_assert_ptr_nonnull(form_check(&f, "jan@example"));
	ck_assert_ptr_nonnull(form_check(&f, "jan @example.nl"));
	f = field_of(FORM_PHONE, false);
	ck_assert_ptr_null(form_check(&f, "06 12345678"));
	ck_assert_ptr_null(form_check(&f, "053-4801234"));
	ck_assert_ptr_null(form_check(&f, "+31 6 1234 5678"));
	ck_assert_ptr_null(form_check(&f, "+32 470 12 34 56")); /* from abroad */
	ck_assert_ptr_null(form_check(&f, "+49 30 1234567"));
	ck_assert_ptr_nonnull(form_check(&f, "+32 470"));    /* too short */
	ck_assert_ptr_nonnull(form_check(&f, "+0 470 12 34 56"));
	ck_assert_ptr_nonnull(form_check(&f, "+31 6 1234 567")); /* Dutch: ten digits */
	ck_assert_ptr_nonnull(form_check(&f, "+32 (470) 12"));
	ck_assert_ptr_null(form_check(&f, "0032 470 12 34 56")); /* 00 as + */
	ck_assert_ptr_null(form_check(&f, "(053) 480 12 34"));
	ck_assert_ptr_null(form_check(&f, "+31 (0)6-1234 5678"));
	ck_assert_ptr_null(form_check(&f, "06.12.34.56.78"));
	ck_assert_ptr_nonnull(form_check(&f, "06/12345678"));
	ck_assert_ptr_nonnull(form_check(&f, "0612345"));
	ck_assert_ptr_nonnull(form_check(&f, "00612345678"));
	f = field_of(FORM_POSTCODE, false);
	ck_assert_ptr_null(form_check(&f, "7511 AB"));
	ck_assert_ptr_null(form_check(&f, "7511"));
	ck_assert_ptr_nonnull(form_check(&f, "0511 AB"));
	f = field_of(FORM_CHECKBOX, true);
	ck_assert_ptr_null(form_check(&f, "ja"));
	ck_assert_ptr_nonnull(form_check(&f, "misschien"));
	struct form_choice choices[] = {{"normaal", "Normaal"}, {"hoog", "Hoog"}};
	f = field_of(FORM_CHOICE, false);
	f.choices = choices;
	f.nchoices = 2;
	ck_assert_ptr_null(form_check(&f, "hoog"));
	ck_assert_ptr_nonnull(form_check(&f, "laag"));
	f = field_of(FORM_TEXT, false);
	f.pattern = "^[0-9]{8}$";
	ck_assert_ptr_null(form_check(&f, "12345678"));
	ck_assert_ptr_nonnull(form_check(&f, "1234567a"));
}
END_TEST

static Suite *
form_suite(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, shipped_forms_parse);
	tcase_add_test(tc, full_field);
	tcase_add_test(tc, errors_say_where_and_what);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, value_checks);
	tcase_add_test(tc, organisation_override);
	tcase_add_test(tc, drafts_round_trip);
	tcase_add_test(tc, first_invalid_field);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	return dbtest_run(form_suite());
}
