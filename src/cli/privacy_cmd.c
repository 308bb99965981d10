/* privacy_cmd.c: `loket privacy log` for the region's privacy officer
 * (functionaris gegevensbescherming, loket_privacy): who read whose contact
 * details, when and where (sql/035, personal_read). */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "db/db.h"
#include "util/i18n.h"
#include "util/output.h"
#include "util/sanitize.h"
#include "util/validate.h"

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
	{"at", false, 0},           {"role", false, 0},    {"name", false, 30},
	{"organisation", false, 0}, {"question", true, 0}, {"where", false, 0},
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

static int
privacy_log(struct db *db, const struct log_args *a)
{
	const char *params[] = {a->question, a->role, a->since};
	struct db_table t;
	struct db_error err = {0};
	if (!db_query_table(db,
	                    "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS'), role_name, display_name, "
	                    "       organisation, question::text, context "
	                    "FROM loket.privacy_log($1::int, $2, $3::date)",
	                    3, params, &t, &err)) {
		int rc;
		if (strcmp(err.sqlstate, "42501") == 0) {
			/* not PostgreSQL's "permission denied for function privacy_log" */
			fputs(_("loket: privacy log is for the region's privacy officer, and the role "
			        "you logged in as is not one.\n"),
			      stderr);
			rc = CLI_USAGE;
		} else {
			rc = cli_db_failed("loket", &err);
		}
		db_error_clear(&err);
		return rc;
	}
	struct out_grid grid = {log_columns, LOG_NCOLS, t.nrows, (const char *const *)t.cells};
	out_write(stdout, a->format, &grid, isatty(STDOUT_FILENO));
	db_table_free(&t);
	return CLI_OK;
}

int
cli_privacy(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "log") != 0) {
		fputs(_("loket: privacy: say log\n"), stderr);
		return CLI_USAGE;
	}
	struct log_args a;
	if (!parse_log_args(argc - 1, argv + 1, &a))
		return usage();
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc == CLI_OK)
		rc = privacy_log(db, &a);
	db_close(&db);
	return rc;
}
