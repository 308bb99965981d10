/* privacy_cmd.c: `loket privacy log|purge|export|erase` for the region's
 * privacy officer (functionaris gegevensbescherming, loket_privacy): who
 * read whose contact details, when and where (sql/035, personal_read); the
 * retention purge (sql/036), in batches, each its own transaction; and a
 * person's access and erasure requests (sql/037). */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "db/db.h"
#include "util/i18n.h"
#include "util/output.h"
#include "util/sanitize.h"
#include "util/validate.h"

#include <stdlib.h>

#include <getopt.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct log_args {
	const char *question; /* a number, or NULL */
	const char *role;     /* a role name, or NULL */
	const char *since;    /* YYYY-MM-DD, or NULL */
	enum out_format format;
};

static const struct out_column log_columns[] = {
	{"at", false, 0},   {"role", false, 0},         {"login", false, 0},
	{"name", false, 30}, {"organisation", false, 0}, {"question", true, 0},
	{"where", false, 0},
};
#define LOG_NCOLS ((int)(sizeof log_columns / sizeof log_columns[0]))

static int
usage(void)
{
	fputs(_("loket: privacy log --question N | --role ROLE [--since YYYY-MM-DD] "
	        "[--format table|csv|json]\n"),
	      stderr);
	return CLI_USAGE;
}

/* A calendar date written YYYY-MM-DD, and nothing else. */
static bool
is_date(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	return end && *end == '\0' && strlen(s) == 10;
}

static bool
parse_log_args(int argc, char **argv, struct log_args *a)
{
	static const struct option opts[] = {{"question", required_argument, NULL, 'q'},
	                                     {"role", required_argument, NULL, 'r'},
	                                     {"since", required_argument, NULL, 's'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {NULL, 0, NULL, 0}};
	memset(a, 0, sizeof *a);
	optind = 0;
	opterr = 0;
	int c, n;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'q' && parse_positive_int(optarg, &n))
			a->question = optarg;
		else if (c == 'r' && *optarg)
			a->role = optarg;
		else if (c == 's' && is_date(optarg))
			a->since = optarg;
		else if (c != 'f' || !out_format_parse(optarg, &a->format))
			return false;
	}
	return optind == argc && (a->question || a->role);
}

/* A refusal in words: not PostgreSQL's "permission denied for function". */
static int
refused(struct db_error *err, const char *what)
{
	int rc;
	if (strcmp(err->sqlstate, "42501") == 0) {
		sanitize_fprintf(stderr,
		                 _("loket: privacy %s is for the region's privacy officer, and the "
		                   "role you logged in as is not one.\n"),
		                 what);
		rc = CLI_USAGE;
	} else {
		rc = cli_db_failed("loket", err);
	}
	db_error_clear(err);
	return rc;
}

/* A typo in --role is said, not answered with "no reads". */
static bool
role_exists(struct db *db, const char *role)
{
	const char *params[] = {role};
	bool exists = true;
	struct db_error err = {0};
	db_query_value(db, "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)", 1, params,
	               DB_T_BOOL, &exists, NULL, &err);
	db_error_clear(&err);
	return exists;
}

static int
privacy_log(struct db *db, const struct log_args *a)
{
	const char *params[] = {a->question, a->role, a->since};
	struct db_table t;
	struct db_error err = {0};
	if (!db_query_table(db,
	                    "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), role_name, login, "
	                    "       display_name, organisation, question::text, context "
	                    "FROM loket.privacy_log($1::int, $2, $3::date)",
	                    3, params, &t, &err))
		return refused(&err, "log");
	/* a role that does not exist is refused before anything is printed */
	if (t.nrows == 0 && !a->question && !role_exists(db, a->role)) {
		sanitize_fprintf(stderr, _("loket: there is no role %s\n"), a->role);
		db_table_free(&t);
		return CLI_USAGE;
	}
	struct out_grid grid = {log_columns, LOG_NCOLS, t.nrows, (const char *const *)t.cells};
	out_write(stdout, a->format, &grid, isatty(STDOUT_FILENO));
	if (t.nrows == 0 && a->question)
		sanitize_fprintf(stderr,
		                 _("loket: no reads of the contact details of question %s in your "
		                   "region\n"),
		                 a->question);
	else if (t.nrows == 0)
		sanitize_fprintf(stderr, _("loket: no reads by %s in your region\n"), a->role);
	db_table_free(&t);
	return CLI_OK;
}

/* What one call of privacy_purge did or would do. */
struct purge_counts {
	long contact, text, reads;
};

static bool
purge_batch(struct db *db, bool dry_run, const char *batch, struct purge_counts *c,
            struct db_error *err)
{
	const char *params[] = {dry_run ? "t" : "f", batch};
	struct db_table t;
	if (!db_query_table(db, "SELECT kind, n::text FROM loket.privacy_purge($1::boolean, $2::int)",
	                    2, params, &t, err))
		return false;
	memset(c, 0, sizeof *c);
	for (int i = 0; i < t.nrows; i++) {
		const char *kind = t.cells[i * 2];
		long n = atol(t.cells[i * 2 + 1]);
		if (strcmp(kind, "contact") == 0)
			c->contact = n;
		else if (strcmp(kind, "text") == 0)
			c->text = n;
		else
			c->reads = n;
	}
	db_table_free(&t);
	return true;
}

/* `privacy purge [--dry-run] [--batch N]`: batch after batch until none is
 * left, each committed by itself: stopped halfway, the next run goes on. */
static int
privacy_purge(struct db *db, bool dry_run, const char *batch)
{
	struct purge_counts total = {0}, c;
	struct db_error err = {0};
	bool progress = !dry_run && isatty(STDERR_FILENO);
	do {
		if (!purge_batch(db, dry_run, batch, &c, &err)) {
			if (progress)
				fputc('\n', stderr);
			return refused(&err, "purge");
		}
		total.contact += c.contact, total.text += c.text, total.reads += c.reads;
		if (progress && (c.contact || c.text || c.reads)) {
			fputc('\r', stderr); /* the same line again */
			fprintf(stderr, _("so far: %ld contact details, %ld texts, %ld reads"),
			        total.contact, total.text, total.reads);
		}
	} while (!dry_run && (c.contact || c.text || c.reads));
	if (progress && (total.contact || total.text || total.reads))
		fputc('\n', stderr);
	if (dry_run)
		sanitize_fprintf(stdout,
		                 _("Due (nothing changed): the contact details of %ld questions, the "
		                   "free text of %ld questions, %ld old reads of the log.\n"),
		                 total.contact, total.text, total.reads);
	else
		sanitize_fprintf(stdout,
		                 _("Anonymised the contact details of %ld questions, removed the free "
		                   "text of %ld questions, deleted %ld old reads of the log.\n"),
		                 total.contact, total.text, total.reads);
	return CLI_OK;
}

static bool
parse_purge_args(int argc, char **argv, bool *dry_run, const char **batch)
{
	static const struct option opts[] = {{"dry-run", no_argument, NULL, 'n'},
	                                     {"batch", required_argument, NULL, 'b'},
	                                     {NULL, 0, NULL, 0}};
	*dry_run = false;
	*batch = "1000";
	optind = 0;
	opterr = 0;
	int c, n;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			*dry_run = true;
		else if (c == 'b' && parse_positive_int(optarg, &n) && n <= 10000)
			*batch = optarg;
		else
			return false;
	}
	return optind == argc;
}

/* `privacy export --email E | --phone P | --question N`: everything held
 * about the person as JSON (logged), and `privacy erase --question N
 * [--reason TEXT]`: the person's data removed now (sql/037). */
struct person_args {
	const char *email, *phone, *question, *reason;
};

static bool
parse_person_args(int argc, char **argv, bool erase, struct person_args *a)
{
	static const struct option opts[] = {{"email", required_argument, NULL, 'e'},
	                                     {"phone", required_argument, NULL, 'p'},
	                                     {"question", required_argument, NULL, 'q'},
	                                     {"reason", required_argument, NULL, 'r'},
	                                     {NULL, 0, NULL, 0}};
	memset(a, 0, sizeof *a);
	optind = 0;
	opterr = 0;
	int c, n, given = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'q' && parse_positive_int(optarg, &n))
			a->question = optarg, given++;
		else if (c == 'e' && !erase && *optarg)
			a->email = optarg, given++;
		else if (c == 'p' && !erase && *optarg)
			a->phone = optarg, given++;
		else if (c == 'r' && erase && text_check(optarg, 500) == TEXT_OK)
			a->reason = optarg;
		else
			return false;
	}
	return optind == argc && given == 1;
}

static int
privacy_export(struct db *db, const struct person_args *a)
{
	const char *params[] = {a->email, a->phone, a->question};
	struct db_result *r = NULL;
	struct db_error err = {0};
	if (!db_query(db,
	              "SELECT jsonb_pretty(d), jsonb_array_length(d->'questions') "
	              "FROM loket.privacy_export($1, $2, $3::int) AS d",
	              3, params, &r, &err))
		return refused(&err, "export");
	const char *json = db_result_get(r, 0, 0);
	if (isatty(STDOUT_FILENO)) {
		char *safe = sanitize_dup(json, SANITIZE_MULTILINE);
		puts(safe);
		free(safe);
	} else {
		puts(json);
	}
	/* "nothing held" is an answer to the request too: the document says so,
	 * and so does the terminal */
	if (strcmp(db_result_get(r, 0, 1), "0") == 0)
		fputs(_("loket: nothing is held about this person in your region\n"), stderr);
	db_result_free(&r);
	return CLI_OK;
}

static int
privacy_erase(struct db *db, const struct person_args *a)
{
	const char *params[] = {a->question, a->reason};
	int n = 0;
	struct db_error err = {0};
	if (!db_query_value(db, "SELECT loket.privacy_erase($1::int, $2)", 2, params, DB_T_INT, &n,
	                    NULL, &err)) {
		if (strcmp(err.sqlstate, "P0002") == 0) {
			sanitize_fprintf(stderr, _("loket: there is no question %s in your region\n"),
			                 a->question);
			db_error_clear(&err);
			return CLI_USAGE;
		}
		return refused(&err, "erase");
	}
	sanitize_fprintf(stdout,
	                 ngettext("Erased the person's data from %d question.\n",
	                          "Erased the person's data from %d questions.\n", (unsigned long)n),
	                 n);
	return CLI_OK;
}

int
cli_privacy(const struct cli_globals *g, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	struct log_args a;
	struct person_args p;
	bool dry_run = false;
	const char *batch = NULL;
	if (strcmp(sub, "log") == 0) {
		if (!parse_log_args(argc - 1, argv + 1, &a))
			return usage();
	} else if (strcmp(sub, "purge") == 0) {
		if (!parse_purge_args(argc - 1, argv + 1, &dry_run, &batch)) {
			fputs(_("loket: privacy purge [--dry-run] [--batch N] with N from 1 to 10000\n"),
			      stderr);
			return CLI_USAGE;
		}
	} else if (strcmp(sub, "export") == 0 || strcmp(sub, "erase") == 0) {
		if (!parse_person_args(argc - 1, argv + 1, strcmp(sub, "erase") == 0, &p)) {
			fputs(strcmp(sub, "erase") == 0
			          ? _("loket: privacy erase --question N [--reason TEXT]\n")
			          : _("loket: privacy export --email ADDRESS | --phone NUMBER | "
			              "--question N\n"),
			      stderr);
			return CLI_USAGE;
		}
	} else {
		fputs(_("loket: privacy: say log, purge, export or erase\n"), stderr);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc == CLI_OK) {
		if (strcmp(sub, "log") == 0)
			rc = privacy_log(db, &a);
		else if (strcmp(sub, "purge") == 0)
			rc = privacy_purge(db, dry_run, batch);
		else if (strcmp(sub, "export") == 0)
			rc = privacy_export(db, &p);
		else
			rc = privacy_erase(db, &p);
	}
	db_close(&db);
	return rc;
}
