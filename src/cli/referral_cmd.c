/* referral_cmd.c: `loket referral list|accept|update|complete|return|withdraw`
 * and `loket case refer`.  ID is a question number (its newest referral the
 * role can see) or a referral's uuid.  Exit codes as everywhere: 0 ok, 1
 * usage or refused input, 2 database, 3 taken or changed by someone else. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "model/question.h"
#include "model/referral.h"
#include "model/referral_flow.h"
#include "util/i18n.h"
#include "util/output.h"
#include "util/sanitize.h"
#include "util/uuid.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ref_args {
	const char *id;
	const char *status, *note, *outcome, *reason, *to, *urgency;
	const char *name, *email, *phone;
	bool overdue, consent, contact;
	int limit;
	enum out_format format;
};

/* Options shared by the referral commands; `allowed` lists the ones this
 * command takes (getopt's short letters). */
static bool
parse(const char *cmd, int argc, char **argv, const char *allowed, bool wants_id,
      struct ref_args *a)
{
	static const struct option opts[] = {
		{"status", required_argument, NULL, 's'},  {"note", required_argument, NULL, 'n'},
		{"outcome", required_argument, NULL, 'o'}, {"reason", required_argument, NULL, 'r'},
		{"to", required_argument, NULL, 't'},      {"urgency", required_argument, NULL, 'u'},
		{"name", required_argument, NULL, 'N'},    {"email", required_argument, NULL, 'E'},
		{"phone", required_argument, NULL, 'P'},   {"overdue", no_argument, NULL, 'O'},
		{"consent", no_argument, NULL, 'C'},       {"limit", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'},  {"contact", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof *a);
	a->limit = 100;
	a->format = OUT_TABLE;
	optind = 0;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == '?' || !strchr(allowed, c)) {
			sanitize_fprintf(stderr, _("loket: %s: option '%s' is not known here\n"),
			                 cmd, argv[optind - 1]);
			return false;
		}
		switch (c) {
		case 's': a->status = optarg; break;
		case 'n': a->note = optarg; break;
		case 'o': a->outcome = optarg; break;
		case 'r': a->reason = optarg; break;
		case 't': a->to = optarg; break;
		case 'u': a->urgency = optarg; break;
		case 'N': a->name = optarg; break;
		case 'E': a->email = optarg; break;
		case 'P': a->phone = optarg; break;
		case 'O': a->overdue = true; break;
		case 'C': a->consent = true; break;
		case 'c': a->contact = true; break;
		case 'l':
			a->limit = atoi(optarg);
			if (a->limit < 1 || a->limit > 10000) {
				sanitize_fprintf(
				    stderr, _("loket: %s: --limit must be between 1 and 10000\n"),
				    cmd);
				return false;
			}
			break;
		case 'f':
			if (!out_format_parse(optarg, &a->format)) {
				sanitize_fprintf(
				    stderr, _("loket: %s: --format must be table, csv or json\n"),
				    cmd);
				return false;
			}
			break;
		}
	}
	int rest = argc - optind;
	if (wants_id ? rest != 1 : rest != 0) {
		if (wants_id)
			sanitize_fprintf(
			    stderr,
			    _("loket: %s needs one question number or referral id, e.g. '%s 12'\n"),
			    cmd, cmd);
		else
			sanitize_fprintf(
			    stderr, _("loket: %s takes no arguments besides its options\n"), cmd);
		return false;
	}
	a->id = wants_id ? argv[optind] : NULL;
	return true;
}

static int
failed(const struct db_error *err)
{
	if (strcmp(err->sqlstate, REFERRAL_TAKEN) == 0 && err->detail && *err->detail) {
		sanitize_fprintf(stderr, _("loket: this referral was already taken by %s\n"),
		                 err->detail);
		return CLI_CONFLICT;
	}
	if (strcmp(err->sqlstate, "40001") == 0) {
		fputs(_("loket: the referral was changed by someone else meanwhile; look again and "
		        "retry\n"),
		      stderr);
		return CLI_CONFLICT;
	}
	if (strcmp(err->sqlstate, "02000") == 0) {
		sanitize_fprintf(stderr, "loket: %s\n", err->message);
		return CLI_USAGE;
	}
	return cli_db_failed("loket", err);
}

static const struct out_column list_columns[] = {
	{"number", true, 0},  {"created", false, 0}, {"from", false, 0},     {"to", false, 0},
	{"reason", false, 0}, {"urgency", false, 0}, {"status", false, 0},   {"due", false, 0},
	{"overdue", false, 0}, {"accepted_by", false, 0}, {"outcome", false, 0}, {"id", false, 0},
	{"note", false, 40}, {"contact_name", false, 30}, {"contact_phone", false, 0},
	{"contact_email", false, 0}, {"text", false, 50},
};
#define LIST_NCOLS ((int)(sizeof list_columns / sizeof list_columns[0]))

static int
ref_list(struct db *db, const struct ref_args *a)
{
	struct db_table t;
	struct db_error err = {0};
	if (!referral_list(db, a->status, a->overdue, a->limit, a->contact, &t, &err)) {
		int rc = failed(&err);
		db_error_clear(&err);
		return rc;
	}
	/* without --contact nothing was read: no empty columns that look like
	 * "no details held" */
	struct out_column cols[LIST_NCOLS];
	const char **cells = xcalloc((size_t)(t.nrows > 0 ? t.nrows : 1) * LIST_NCOLS, sizeof *cells);
	int ncols = 0;
	for (int c = 0; c < LIST_NCOLS; c++) {
		if (!a->contact && strncmp(list_columns[c].name, "contact_", 8) == 0)
			continue;
		cols[ncols] = list_columns[c];
		for (int r = 0; r < t.nrows; r++)
			cells[r * LIST_NCOLS + ncols] = t.cells[r * LIST_NCOLS + c];
		ncols++;
	}
	/* the rows, packed to ncols */
	for (int r = 0; r < t.nrows; r++)
		memmove(&cells[r * ncols], &cells[r * LIST_NCOLS], (size_t)ncols * sizeof *cells);
	struct out_grid grid = {cols, ncols, t.nrows, cells};
	out_write(stdout, a->format, &grid, isatty(STDOUT_FILENO));
	free(cells);
	db_table_free(&t);
	return CLI_OK;
}

/* Find ID, then change it; a version conflict is tried again once with the
 * row as it is now only for accept (which has its own rule), never for the
 * others: what someone else changed must be looked at first. */
static int
ref_change(struct db *db, const char *cmd, const struct ref_args *a)
{
	struct referral_ref ref;
	struct db_error err = {0};
	int rc = CLI_OK;
	bool ok = referral_find(db, a->id, &ref, &err);
	if (ok && strcmp(cmd, "accept") == 0)
		ok = referral_accept(db, &ref, &err);
	else if (ok && strcmp(cmd, "update") == 0)
		ok = referral_set_status(db, &ref, a->status, NULL, a->note, NULL, &err);
	else if (ok && strcmp(cmd, "complete") == 0)
		ok = referral_set_status(db, &ref, "completed", a->outcome, a->note, NULL, &err);
	else if (ok && strcmp(cmd, "return") == 0)
		ok = referral_set_status(db, &ref, "returned", NULL, NULL, a->reason, &err);
	else if (ok && strcmp(cmd, "withdraw") == 0)
		ok = referral_set_status(db, &ref, "withdrawn", NULL, NULL, NULL, &err);
	if (!ok)
		rc = failed(&err);
	else if (strcmp(cmd, "accept") == 0)
		sanitize_fprintf(stdout, _("Referral of question %d accepted.\n"), ref.number);
	db_error_clear(&err);
	return rc;
}

int
cli_referral(const struct cli_globals *g, int argc, char **argv)
{
	static const struct {
		const char *cmd, *allowed;
		bool id;
	} cmds[] = {
		{"list", "sOlfc", false},  {"accept", "", true},       {"update", "sn", true},
		{"complete", "on", true}, {"return", "r", true},      {"withdraw", "", true},
	};
	if (argc < 2) {
		fputs(_("loket: referral: say list, accept, update, complete, return or withdraw\n"),
		      stderr);
		return CLI_USAGE;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		if (strcmp(argv[1], cmds[i].cmd) != 0)
			continue;
		struct ref_args a;
		char name[32];
		snprintf(name, sizeof name, "referral %s", cmds[i].cmd);
		if (!parse(name, argc - 1, argv + 1, cmds[i].allowed, cmds[i].id, &a))
			return CLI_USAGE;
		if (strcmp(cmds[i].cmd, "update") == 0 && !a.status && !a.note) {
			fputs(_("loket: referral update: say --status, --note or both\n"), stderr);
			return CLI_USAGE;
		}
		if (strcmp(cmds[i].cmd, "complete") == 0 && !a.outcome) {
			fputs(_("loket: referral complete needs --outcome, e.g. --outcome advies_gegeven\n"),
			      stderr);
			return CLI_USAGE;
		}
		if (strcmp(cmds[i].cmd, "return") == 0 && !a.reason) {
			fputs(_("loket: referral return needs --reason TEXT: why it goes back\n"), stderr);
			return CLI_USAGE;
		}
		struct db *db = NULL;
		int rc = cli_connect(g, &db);
		if (rc == CLI_OK)
			rc = a.id ? ref_change(db, cmds[i].cmd, &a) : ref_list(db, &a);
		db_close(&db);
		return rc;
	}
	sanitize_fprintf(stderr, _("loket: referral: unknown command '%s'\n"), argv[1]);
	return CLI_USAGE;
}

/* What case refer's arguments lack or must not have together, or NULL. */
static const char *
refer_args_problem(const struct ref_args *a)
{
	if (!a->reason)
		return _("loket: case refer needs --reason, e.g. --reason advies\n");
	bool contact = a->name || a->email || a->phone;
	if (contact && !a->consent)
		return _("loket: contact details go with a referral only with the client's consent "
		         "(--consent)\n");
	if (a->consent && !(a->name && (a->email || a->phone)))
		return _("loket: with --consent give the contact details: --name and --email or "
		         "--phone\n");
	return NULL;
}

/* `loket case refer N --reason R [--consent --name .. --email|--phone ..]
 * [--to ORG] [--urgency normaal|hoog] [--note TEXT]` */
int
cli_case_refer(const struct cli_globals *g, int argc, char **argv)
{
	struct ref_args a;
	if (!parse("case refer", argc, argv, "rtunCNEP", true, &a))
		return CLI_USAGE;
	const char *problem = refer_args_problem(&a);
	if (problem) {
		fputs(problem, stderr);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc != CLI_OK)
		return rc;
	struct question_detail d;
	struct db_error err = {0};
	if (!question_load(db, atoi(a.id), &d, &err)) {
		rc = failed(&err);
		db_error_clear(&err);
		db_close(&db);
		return rc;
	}
	char id[UUID_STR_LEN];
	if (!uuid_generate(id)) {
		fputs(_("loket: no random numbers available for a new key\n"), stderr);
		question_detail_free(&d);
		db_close(&db);
		return CLI_DB;
	}
	struct referral_new r = {.id = id, .question_id = d.row.id, .to_org = a.to,
	                         .reason = a.reason, .urgency = a.urgency ? a.urgency : "normaal",
	                         .note = a.note, .consent_contact = a.consent};
	struct client_new c = {.question_id = d.row.id, .name = a.name, .email = a.email,
	                       .phone = a.phone};
	/* referred before and still open: allowed, but said (the screen's form
	 * says it too); consent given again goes with that referral */
	char *open_to = NULL;
	if (referral_open_to(db, d.row.id, &open_to, &err) && *open_to && !a.consent)
		sanitize_fprintf(stderr,
		                 _("loket: question %d was referred to %s already, and that referral "
		                   "is still open; this is a second referral\n"),
		                 d.row.number, open_to);
	free(open_to);
	db_error_clear(&err);
	if (!referral_add(db, &r, a.consent ? &c : NULL, &err)) {
		rc = failed(&err);
	} else if (!a.consent) {
		char *central = NULL;
		db_error_clear(&err);
		if (referral_central_name(db, &central, &err))
			sanitize_fprintf(
			    stdout, _("Referred without personal data: the client contacts %s.\n"),
			    central);
		free(central);
	} else {
		sanitize_fprintf(stdout,
		                 _("Question %d referred, with the client's contact details.\n"),
		                 d.row.number);
	}
	db_error_clear(&err);
	question_detail_free(&d);
	db_close(&db);
	return rc;
}
