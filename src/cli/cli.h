/* cli.h: the scripting interface — global options and subcommands. */
#ifndef LOKET_CLI_CLI_H
#define LOKET_CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "db/db.h"

/* Exit codes shared by every subcommand. */
enum cli_exit {
	CLI_OK = 0,
	CLI_USAGE = 1,    /* usage or validation error */
	CLI_DB = 2,       /* connection or database error */
	CLI_CONFLICT = 3, /* someone else changed or took it first */
	CLI_REMOTE = 4,   /* the catalogue source or the mail server failed */
};

struct cli_globals {
	const char *conninfo; /* -d; NULL = libpq defaults and environment */
	const char *as_role;  /* --as */
	bool help;
	bool version;
	bool any_schema; /* db migrate and the like: connect whatever the schema */
};

/* Parse the options before the subcommand (stops at the first non-option).
 * Returns the index of the subcommand in argv (== argc when there is none),
 * or -1 after printing a usage error to err. */
int cli_parse_globals(int argc, char **argv, struct cli_globals *g, FILE *err);

/* Whether the database has the schema this loket is built for; if not,
 * says on standard error which of them is older. */
bool cli_schema_fits(struct db *db);

/* A command (or a group's subcommand): its name and what runs it, with
 * argv[0] the name itself.  Tables end with {NULL, NULL}. */
struct cli_command {
	const char *name;
	int (*run)(const struct cli_globals *g, int argc, char **argv);
};
/* Run the command of table named argv[0]; -1 when no command has that name. */
int cli_dispatch(const struct cli_command *table, const struct cli_globals *g, int argc,
                 char **argv);

/* Run the subcommand argv[0] with its arguments.  Returns an enum cli_exit. */
int cli_run(const struct cli_globals *g, int argc, char **argv);

void cli_usage(FILE *out);
/* The same text (translated). */
const char *cli_usage_text(void);
/* The knowledge editors' commands, in full. */
void cli_kb_usage(FILE *out);

/* Connect with the global options, printing libpq's message on failure.
 * Returns CLI_OK or CLI_DB. */
int cli_connect(const struct cli_globals *g, struct db **out);
/* The same with target_session_attrs attrs over what the string says
 * ("prefer-standby": supervisors' reports answer from a standby when one
 * is listed, doc/reports.md). */
int cli_connect_attrs(const struct cli_globals *g, const char *attrs, struct db **out);

/* Subcommand groups. */
int cli_case(const struct cli_globals *g, int argc, char **argv);
int cli_db(const struct cli_globals *g, int argc, char **argv);
int cli_case_show(const struct cli_globals *g, int argc, char **argv);
int cli_case_refer(const struct cli_globals *g, int argc, char **argv);
int cli_referral(const struct cli_globals *g, int argc, char **argv);
int cli_query(const struct cli_globals *g, int argc, char **argv);
int cli_kb(const struct cli_globals *g, int argc, char **argv);
int cli_aanbod(const struct cli_globals *g, int argc, char **argv);
int cli_case_mail(const struct cli_globals *g, int argc, char **argv);
int cli_privacy(const struct cli_globals *g, int argc, char **argv);

#endif
