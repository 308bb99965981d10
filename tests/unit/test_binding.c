/* test_binding.c: every form in forms/ (and every organisation's own in
 * forms/ORG/) names a binding the form view has (src/views/bind/table.c),
 * an old word still finds its binding, and an unknown one is refused with
 * the place and what was expected. */
#include "config.h"

#include "dbtest.h"
#include "form/form.h"
#include "views/bind/bind.h"
#include "util/xalloc.h"

#include <check.h>
#include <glob.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct form_def *
parse_ok(const char *text)
{
	struct form_def *def = NULL;
	struct form_error err;
	ck_assert(form_parse("t.form", text, strlen(text), &def, &err));
	return def;
}

#define FIELD "field a\n label \"A\"\n type text\n"

START_TEST(every_form_has_its_binding)
{
	char *pattern[] = {xasprintf("%s/forms/*.form", getenv("LOKET_DATADIR")),
	                   xasprintf("%s/forms/*/*.form", getenv("LOKET_DATADIR"))};
	int seen = 0;
	for (int p = 0; p < 2; p++) {
		glob_t g = {0};
		glob(pattern[p], 0, NULL, &g);
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char *name = xstrdup(strrchr(g.gl_pathv[i], '/') + 1);
			*strstr(name, ".form") = '\0';
			char *org = NULL;
			if (p == 1) { /* forms/ORG/NAME.form */
				org = xstrdup(g.gl_pathv[i] + strlen(getenv("LOKET_DATADIR")) + 7);
				*strchr(org, '/') = '\0';
			}
			struct form_def *def = NULL;
			struct form_error err;
			char msg[512] = "";
			const struct form_binding *b = NULL;
			bool ok = form_load(getenv("LOKET_DATADIR"), org, name, &def, &err) &&
			          form_binding_find(def, &b, &err);
			if (!ok)
				form_error_format(&err, msg, sizeof msg);
			ck_assert_msg(ok, "%s: %s", g.gl_pathv[i], msg);
			ck_assert_ptr_nonnull(b->save);
			ck_assert_ptr_nonnull(b->after_save);
			form_def_free(&def);
			free(name), free(org);
			seen++;
		}
		globfree(&g);
		free(pattern[p]);
	}
	ck_assert_int_ge(seen, 7);
}
END_TEST

START_TEST(shipped_forms_bind_as_before)
{
	static const char *const expect[][2] = {
		{"intake", "question"},  {"client", "client"},
		{"referral", "referral"}, {"outcome", "referral-outcome"},
		{"return", "referral-return"}, {"signal", "signal"},
		{"knowledge", "knowledge"},
	};
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		struct form_def *def = NULL;
		struct form_error err;
		const struct form_binding *b = NULL;
		ck_assert(form_load(getenv("LOKET_DATADIR"), NULL, expect[i][0], &def, &err));
		ck_assert(form_binding_find(def, &b, &err));
		ck_assert_str_eq(b->name, expect[i][1]);
		form_def_free(&def);
	}
}
END_TEST

/* An organisation's outcome or return form from before the bindings had
 * names says `binds referral`: it still answers the referral. */
START_TEST(old_words_still_bind)
{
	const struct form_binding *b = NULL;
	struct form_error err;
	struct form_def *def = parse_ok("form outcome\ntitle \"T\"\nbinds referral\n" FIELD);
	ck_assert(form_binding_find(def, &b, &err));
	ck_assert_ptr_eq(b, &bind_referral_outcome);
	form_def_free(&def);
	def = parse_ok("form return\ntitle \"T\"\nbinds referral\n" FIELD);
	ck_assert(form_binding_find(def, &b, &err));
	ck_assert_ptr_eq(b, &bind_referral_return);
	form_def_free(&def);
	def = parse_ok("form verwijs\ntitle \"T\"\nbinds referral\n" FIELD);
	ck_assert(form_binding_find(def, &b, &err));
	ck_assert_ptr_eq(b, &bind_referral);
	form_def_free(&def);
}
END_TEST

START_TEST(unknown_binding_is_refused)
{
	const struct form_binding *b = &bind_question;
	struct form_error err;
	char msg[512];
	struct form_def *def = parse_ok("form f\ntitle \"T\"\n  binds nothing\n" FIELD);
	ck_assert(!form_binding_find(def, &b, &err));
	ck_assert_ptr_null(b);
	form_error_format(&err, msg, sizeof msg);
	ck_assert_str_eq(msg, "t.form:3:3: unknown binding 'nothing': expected question, referral, "
	                      "client, referral-outcome, referral-return, signal or knowledge");
	form_def_free(&def);
}
END_TEST

static Suite *
binding_suite(void)
{
	Suite *s = suite_create("binding");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, every_form_has_its_binding);
	tcase_add_test(tc, shipped_forms_bind_as_before);
	tcase_add_test(tc, old_words_still_bind);
	tcase_add_test(tc, unknown_binding_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	return dbtest_run(binding_suite());
}
