/* cli.c: global options and dispatch to the subcommand groups. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "db/migrate.h"
#include "util/i18n.h"
#include "util/sanitize.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

void
cli_usage(FILE *out)
{
	if (out)
		fputs(cli_usage_text(), out);
}

const char *
cli_usage_text(void)
{
	return _("usage: loket [-d CONNINFO] [--as ROLE] [COMMAND ...]\n"
	        "\n"
	        "Without a command loket opens the terminal interface: the case list (supervisors\n"
	        "and national analysts: the reports).\n"
	        "\n"
	        "Global options (before the command):\n"
	        "  -d, --dbname CONNINFO  database connection string or URI (default: libpq\n"
	        "                         environment such as PGHOST, PGDATABASE, PGSERVICE)\n"
	        "      --as ROLE          act as ROLE (SET ROLE); the login role must be a member\n"
	        "  -h, --help             show this help\n"
	        "  -V, --version          show the version\n"
	        "\n"
	        "Commands:\n"
	        "  case add --group G --topic T --channel C --text TEXT|- [--postcode P]\n"
	        "  case list [--status S] [--limit N] [--format table|csv|json]\n"
	        "  case show N [--format text|json] [--contact]\n"
	        "                         --contact: the client's details (the read is logged)\n"
	        "  case refer N --reason R [--to ORG] [--urgency normaal|hoog] [--note TEXT]\n"
	        "             [--consent --name NAME --email E|--phone P]\n"
	        "  case mail N            e-mail the client a summary (with consent)\n"
	        "  case consent N --withdraw\n"
	        "                         the client withdrew consent: remove the details now\n"
	        "  referral list [--overdue] [--status S] [--limit N] [--format table|csv|json]\n"
	        "                [--contact]\n"
	        "                         --contact: the clients' details (each read is logged)\n"
	        "  referral accept ID\n"
	        "  referral update ID [--status in_progress|accepted|sent] [--note TEXT]\n"
	        "  referral complete ID --outcome O [--note TEXT]\n"
	        "  referral return ID --reason TEXT\n"
	        "  referral withdraw ID\n"
	        "                         ID: a question number or a referral id\n"
	        "  query -c EXPR [--format table|csv|json]\n"
	        "                         run one supervisors' query (doc/query.md), or a report:\n"
	        "                         \\report NAME ... (doc/reports.md, doc/national.md)\n"
	        "  kb list|review|show|diff|retire|restore|export|import ...\n"
	        "                         knowledge items (editors; loket kb for details)\n"
	        "  aanbod sync [URL]      fetch the regional training catalogue\n"
	        "  aanbod search [TEXT] [--mode=M] [--from=DATE] [--max-price=EUR] [--muni=M]\n"
	        "  db migrate             apply pending schema migrations\n"
	        "  db status              list the migrations and whether they are applied\n"
	        "  db seed [--cases N]    load reference and demo data; N synthetic questions\n"
	        "  db seed --region NAME [--cases N]\n"
	        "                         another demo region beside Twente, with demo roles\n"
	        "  db seed --codes        only the national code lists (production)\n"
	        "  db seed --national     a national reporting database: code lists, demo analyst\n"
	        "  db refresh             bring the summaries of counts and reports up to date\n"
	        "  privacy log --question N | --role ROLE [--since YYYY-MM-DD]\n"
	        "              [--format table|csv|json]\n"
	        "                         who read whose contact details (privacy officer)\n"
	        "  privacy purge [--dry-run] [--batch N]\n"
	        "                         remove personal data after the region's retention\n"
	        "  privacy export --email ADDRESS | --phone NUMBER | --question N\n"
	        "                         everything held about a person, as JSON (logged)\n"
	        "  privacy erase --question N [--reason TEXT]\n"
	        "                         erase a person's data on request\n"
	        "\n"
	        "Exit status: 0 ok, 1 usage or validation error, 2 connection or database\n"
	        "error, 3 conflict, 4 the catalogue source or mail server failed.\n");
}

/* `loket GROUP --help`: the lines of the usage that belong to GROUP (a
 * command line starts with two spaces and the group's name; the lines
 * indented further under it go with it), from the one translated text, so
 * the two cannot disagree.  False when no line is GROUP's. */
static bool
usage_of_group(FILE *out, const char *group)
{
	const char *text = cli_usage_text();
	size_t glen = strlen(group);
	bool mine = false, any = false;
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
		bool command = len > 2 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ';
		if (command)
			mine = strncmp(line + 2, group, glen) == 0 && line[2 + glen] == ' ';
		else if (len < 3 || line[0] != ' ')
			mine = false;
		if (mine) {
			if (!any)
				fputs(_("Commands:\n"), out);
			fwrite(line, 1, len, out);
			any = true;
		}
		line += len;
	}
	return any;
}

int
cli_parse_globals(int argc, char **argv, struct cli_globals *g, FILE *err)
{
	static const struct option opts[] = {
		{"dbname", required_argument, NULL, 'd'},
		{"as", required_argument, NULL, 'a'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	memset(g, 0, sizeof *g);
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+d:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			g->conninfo = optarg;
			break;
		case 'a':
			g->as_role = optarg;
			break;
		case 'h':
			g->help = true;
			break;
		case 'V':
			g->version = true;
			break;
		default:
			sanitize_fprintf(err, _("loket: unknown or incomplete option '%s'\n"),
			                 argv[optind - 1]);
			fputs(_("Try 'loket --help'.\n"), err);
			return -1;
		}
	}
	return optind;
}

static long
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* Connect, and while the failure is one a failover causes (no server
 * answers, or those that do are read-only standbys) try again, after 0.2 s,
 * 0.4 s, ... at most 2 s apart, the last at connect_timeout (the string's or
 * PGCONNECT_TIMEOUT; 10 s when neither says) has passed: a command run
 * while a standby is promoted waits for it.  A refused login fails at once. */
int
cli_connect_attrs(const struct cli_globals *g, const char *attrs, struct db **out)
{
	struct db_error err = {0};
	int timeout = db_connect_timeout(g->conninfo);
	long deadline = now_ms() + 1000L * (timeout > 0 ? timeout : 10);
	long pause = 200;
	enum db_down why = DB_DOWN_REFUSED;
	bool tried_again = false;
	while (!db_connect_attrs(g->conninfo, attrs, out, &err)) {
		why = db_why_down(g->conninfo, attrs);
		long left = deadline - now_ms();
		if (why == DB_DOWN_REFUSED || left <= 0) {
			if (why == DB_DOWN_READ_ONLY)
				fputs(_("loket: no database server accepts changes now: the ones that answer "
				        "are read-only standbys.  A standby may be taking over; try again in a "
				        "moment.\n"),
				      stderr);
			else
				cli_print_db_error("loket", &err);
			if (tried_again && why != DB_DOWN_REFUSED)
				fprintf(stderr,
				        ngettext("loket: tried for %d second\n", "loket: tried for %d seconds\n",
				                 (unsigned long)(timeout > 0 ? timeout : 10)),
				        timeout > 0 ? timeout : 10);
			db_error_clear(&err);
			return CLI_DB;
		}
		db_error_clear(&err);
		long nap = pause < left ? pause : left; /* the last try at the deadline */
		struct timespec ts = {nap / 1000, (nap % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		pause = pause * 2 > 2000 ? 2000 : pause * 2;
		tried_again = true;
	}
	if (g->as_role && !db_set_role(*out, g->as_role, &err)) {
		if (strcmp(err.sqlstate, "42501") == 0) /* in the user's words, not db.c's */
			sanitize_fprintf(stderr,
			                 _("loket: --as %s is refused: the role you logged in as is not a "
			                   "member of it.\n"),
			                 g->as_role);
		else
			cli_print_db_error("loket", &err);
		db_error_clear(&err);
		db_close(out);
		return CLI_DB;
	}
	if (!g->any_schema && !cli_schema_fits(*out)) {
		db_close(out);
		return CLI_DB;
	}
	return CLI_OK;
}

/* The database's schema is the one this loket is built for; if not, say
 * which of the two is behind (before a statement fails on a column one of
 * them lacks). */
bool
cli_schema_fits(struct db *db)
{
	struct db_error err = {0};
	int have = 0;
	if (!schema_version(db, &have, &err)) {
		cli_print_db_error("loket", &err);
		db_error_clear(&err);
		return false;
	}
	if (have < LOKET_SCHEMA_VERSION)
		fprintf(stderr,
		        _("loket: the database's schema is older than this loket (version %s, schema "
		          "%d): an administrator runs 'loket db migrate' first.\n"),
		        PACKAGE_VERSION, LOKET_SCHEMA_VERSION);
	else if (have > LOKET_SCHEMA_VERSION)
		fprintf(stderr,
		        _("loket: this loket (version %s, schema %d) is older than the database "
		          "(schema %d): install the newer loket.\n"),
		        PACKAGE_VERSION, LOKET_SCHEMA_VERSION, have);
	return have == LOKET_SCHEMA_VERSION;
}

int
cli_connect(const struct cli_globals *g, struct db **out)
{
	return cli_connect_attrs(g, NULL, out);
}

/* `loket case add --help` and the like: the usage of that command group. */
static bool
wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		bool is_value = argv[i - 1][0] == '-' && i > 1 && !strchr(argv[i - 1], '=');
		if (!is_value && (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0))
			return true;
	}
	return false;
}

int
cli_dispatch(const struct cli_command *table, const struct cli_globals *g, int argc, char **argv)
{
	for (const struct cli_command *c = table; c->name; c++)
		if (strcmp(argv[0], c->name) == 0)
			return c->run(g, argc, argv);
	return -1;
}

static int
help(const struct cli_globals *g, int argc, char **argv)
{
	(void)g, (void)argc, (void)argv;
	cli_usage(stdout);
	return CLI_OK;
}

/* The command groups: `loket GROUP ...`. */
static const struct cli_command commands[] = {
	{"case", cli_case},     {"db", cli_db}, {"referral", cli_referral}, {"query", cli_query},
	{"kb", cli_kb},         {"aanbod", cli_aanbod}, {"privacy", cli_privacy},
	{"help", help},         {NULL, NULL},
};

int
cli_run(const struct cli_globals *g, int argc, char **argv)
{
	if (wants_help(argc, argv)) {
		if (strcmp(argv[0], "kb") == 0)
			cli_kb_usage(stdout);
		else if (!usage_of_group(stdout, argv[0]))
			cli_usage(stdout);
		return CLI_OK;
	}
	int rc = cli_dispatch(commands, g, argc, argv);
	if (rc >= 0)
		return rc;
	sanitize_fprintf(stderr, _("loket: unknown command '%s'\n"), argv[0]);
	fputs(_("Try 'loket --help'.\n"), stderr);
	return CLI_USAGE;
}
