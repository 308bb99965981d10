/* case_cmd.c: `loket case add|list|show|consent` (and the others' dispatch). */
#include "config.h"

#include "cli/case_args.h"
#include "cli/cli.h"
#include "cli/errors.h"
#include "util/output.h"
#include "model/question.h"
#include "model/refdata.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/validate.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Check the three codes against the database's code tables. */
static int
check_codes(struct db *db, const struct case_add_args *a)
{
	static const struct {
		enum ref_table table;
		const char *field;
	} tables[] = {{REF_CLIENT_GROUP, "group"}, {REF_TOPIC, "topic"}, {REF_CHANNEL, "channel"}};
	const char *values[] = {a->group, a->topic, a->channel};
	for (int i = 0; i < 3; i++) {
		struct code_list codes;
		struct db_error err = {0};
		if (!refdata_load(db, tables[i].table, &codes, &err)) {
			int rc = cli_db_failed("loket", &err);
			db_error_clear(&err);
			return rc;
		}
		bool ok = case_check_code(tables[i].field, values[i], &codes, stderr);
		code_list_free(&codes);
		if (!ok)
			return CLI_USAGE;
	}
	return CLI_OK;
}

static int
case_add(const struct cli_globals *g, int argc, char **argv)
{
	struct case_add_args a;
	if (!case_add_parse(argc, argv, stdin, stderr, &a))
		return CLI_USAGE;
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc == CLI_OK)
		rc = check_codes(db, &a);
	if (rc == CLI_OK) {
		struct question_new q = {.channel = a.channel, .client_group = a.group,
		                         .topic = a.topic, .text = a.text,
		                         .postcode4 = a.postcode4[0] ? a.postcode4 : NULL};
		struct db_error err = {0};
		int number = 0;
		if (!uuid_generate(q.id)) {
			fputs(_("loket: no random numbers available for a new key\n"), stderr);
			rc = CLI_DB;
		} else if (question_add(db, &q, &number, &err)) {
			sanitize_fprintf(stdout, "%d\n", number);
			/* as the intake form's first F10: a warning, not a refusal */
			if (text_has_contact(a.text))
				fputs(_("loket: the text seems to hold an e-mail address or phone number; "
				        "contact details belong with the client's consent (case refer "
				        "--consent)\n"),
				      stderr);
		} else {
			rc = cli_db_failed("loket", &err);
		}
		db_error_clear(&err);
	}
	db_close(&db);
	case_add_args_free(&a);
	return rc;
}

static const struct out_column list_columns[] = {
	{"number", true, 0},     {"created", false, 0}, {"organisation", false, 0},
	{"group", false, 0},     {"topic", false, 0},   {"channel", false, 0},
	{"status", false, 0},    {"referral", false, 0}, {"postcode", false, 0},
	{"text", false, 60},
};
#define LIST_NCOLS ((int)(sizeof list_columns / sizeof list_columns[0]))

static void
print_page(const struct question_page *page, enum out_format fmt)
{
	const char **cells = xcalloc((size_t)(page->count * LIST_NCOLS) + 1, sizeof *cells);
	char (*numbers)[16] = xcalloc((size_t)page->count + 1, sizeof *numbers);
	for (int i = 0; i < page->count; i++) {
		const struct question_row *q = &page->rows[i];
		const char **c = cells + i * LIST_NCOLS;
		snprintf(numbers[i], sizeof numbers[i], "%d", q->number);
		c[0] = numbers[i], c[1] = q->created, c[2] = q->organisation, c[3] = q->client_group;
		c[4] = q->topic, c[5] = q->channel, c[6] = q->status, c[7] = q->referral_status;
		c[8] = q->postcode4, c[9] = q->text;
	}
	struct out_grid grid = {list_columns, LIST_NCOLS, page->count, cells};
	out_write(stdout, fmt, &grid, isatty(STDOUT_FILENO));
	free(numbers);
	free(cells);
}

static int
case_list(const struct cli_globals *g, int argc, char **argv)
{
	struct case_list_args a;
	if (!case_list_parse(argc, argv, stderr, &a))
		return CLI_USAGE;
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc != CLI_OK)
		return rc;
	struct question_filter filter = {a.status, NULL};
	struct question_page page;
	struct db_error err = {0};
	if (question_page(db, &filter, NULL, QUESTION_NEWEST, a.limit, &page, &err)) {
		print_page(&page, a.format);
		question_page_free(&page);
	} else {
		rc = cli_db_failed("loket", &err);
	}
	db_error_clear(&err);
	db_close(&db);
	return rc;
}


/* `case consent N --withdraw`: the client withdrew consent; the contact
 * details are removed now (sql/037). */
static int
case_consent(const struct cli_globals *g, int argc, char **argv)
{
	int number = 0;
	if (argc != 3 || !parse_positive_int(argv[1], &number) || strcmp(argv[2], "--withdraw") != 0) {
		fputs(_("loket: case consent N --withdraw\n"), stderr);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc != CLI_OK)
		return rc;
	const char *params[] = {argv[1]};
	struct db_error err = {0};
	bool found = false;
	char *done = NULL;
	if (db_query_value(db,
	                   "SELECT loket.client_withdraw_consent(q.id)::text FROM loket.question q "
	                   "WHERE q.number = $1::int AND q.region = coalesce(loket.my_region(), q.region)",
	                   1, params, DB_T_TEXT, &done, &found, &err) &&
	    found) {
		sanitize_fprintf(stdout,
		                 _("Question %d: consent withdrawn; the contact details are removed.\n"),
		                 number);
	} else if (!err.message) { /* no such question for this role */
		sanitize_fprintf(stderr,
		                 _("loket: question %s does not exist or is not visible to you\n"),
		                 argv[1]);
		rc = CLI_USAGE;
	} else if (strcmp(err.sqlstate, "P0002") == 0) {
		sanitize_fprintf(stderr,
		                 _("loket: question %d has no contact details with consent that you may "
		                   "withdraw\n"),
		                 number);
		rc = CLI_USAGE;
	} else if (strcmp(err.sqlstate, "23514") == 0) {
		sanitize_fprintf(stderr, _("loket: the client of question %d withdrew consent already\n"),
		                 number);
		rc = CLI_USAGE;
	} else {
		rc = cli_db_failed("loket", &err);
	}
	free(done);
	db_error_clear(&err);
	db_close(&db);
	return rc;
}

int
cli_case(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2) {
		fputs(_("loket: case: say add, list, show, refer, mail or consent\n"), stderr);
		return CLI_USAGE;
	}
	static const struct cli_command cases[] = {
		{"add", case_add},           {"list", case_list},          {"show", cli_case_show},
		{"refer", cli_case_refer},   {"mail", cli_case_mail},      {"consent", case_consent},
		{NULL, NULL},
	};
	int rc = cli_dispatch(cases, g, argc - 1, argv + 1);
	if (rc >= 0)
		return rc;
	sanitize_fprintf(
	    stderr, _("loket: case: unknown command '%s'; say add, list, show, refer, mail or consent\n"),
	    argv[1]);
	return CLI_USAGE;
}
