/* mail_cmd.c: `loket case mail N` — e-mail the client of question N a
 * summary, as `m` does in the terminal interface.  The mail server comes
 * from the [smtp] section of the configuration file (doc/config.md). */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "model/summary_mail.h"
#include "util/conf.h"
#include "util/i18n.h"
#include "util/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
cli_case_mail(const struct cli_globals *g, int argc, char **argv)
{
	char *end = NULL;
	long number = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || *argv[1] == '\0' || *end != '\0' || number <= 0 || number > 2147483647L) {
		fputs(_("usage: loket case mail N   (N: the question number)\n"), stderr);
		return CLI_USAGE;
	}
	char *error = NULL;
	struct conf *c = NULL;
	struct summary_mail_config m;
	if (!summary_mail_config_load(&c, &m, &error)) {
		sanitize_fprintf(stderr, "loket: case mail: %s\n", error);
		free(error);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc != CLI_OK) {
		conf_free(&c);
		return rc;
	}
	char *to = NULL, *id = NULL;
	struct db_error err = {0};
	enum summary_mail_status st = summary_mail_send(db, &m, (int)number, &to, &id, &error, &err);
	char *safe_to = to ? sanitize_dup(to, SANITIZE_DEFAULT) : NULL;
	switch (st) {
	case MAIL_SENT:
		sanitize_fprintf(stdout, _("Question %ld: summary sent to %s (Message-ID <%s>).\n"),
		                 number, safe_to, id);
		rc = CLI_OK;
		break;
	case MAIL_NOT_ALLOWED:
		if (error)
			sanitize_fprintf(stderr, "loket: case mail: %s\n", error);
		else
			cli_print_db_error("case mail", &err);
		fputs(_("Nothing was sent.\n"), stderr);
		rc = CLI_USAGE;
		break;
	case MAIL_FAILED:
		sanitize_fprintf(
		    stderr,
		    _("loket: case mail: question %ld: %s\nThe failure is recorded in the "
		      "history; send again with: loket case mail %ld\n"),
		    number, error, number);
		rc = CLI_REMOTE;
		break;
	case MAIL_DB_ERROR:
		cli_print_db_error("case mail", &err);
		if (error == NULL && to != NULL)
			sanitize_fprintf(
			    stderr, _("The summary was sent to %s, but recording it failed.\n"),
			    safe_to);
		rc = cli_exit_for(&err);
		break;
	}
	free(safe_to);
	free(to), free(id), free(error);
	db_error_clear(&err);
	db_close(&db);
	conf_free(&c);
	return rc;
}
