/* errors.c: database errors as messages and exit codes. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "model/refusal.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
cli_constraint_message(const char *constraint)
{
	if (!constraint)
		return NULL;
	struct db_error err = {.constraint = (char *)constraint};
	struct refusal r;
	return refusal_find(&err, &r) ? _(r.message) : NULL;
}

void
cli_print_db_error(const char *who, const struct db_error *err)
{
	const char *friendly = cli_constraint_message(err->constraint);
	const char *text = friendly ? friendly : err->message ? err->message : "";
	/* libpq's messages may run over lines ("...failed: ...\n\tIs the server
	 * running..."): each line its own, indented, not a visible ␤ and ␉ */
	size_t first = strcspn(text, "\n");
	char *line = xstrndup(text, first);
	char *msg = sanitize_dup(line, SANITIZE_DEFAULT);
	free(line);
	if (!friendly && strcmp(err->sqlstate, "42501") == 0) /* PostgreSQL's own words after */
		sanitize_fprintf(stderr, _("%s: not allowed for the role you logged in as (%s)\n"), who,
		                 msg);
	else
		sanitize_fprintf(stderr, "%s: %s\n", who, msg);
	free(msg);
	for (const char *p = text + first; *p;) {
		p += strspn(p, "\n\t ");
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			line = xstrndup(p, n);
			msg = sanitize_dup(line, SANITIZE_DEFAULT);
			sanitize_fprintf(stderr, "  %s\n", msg);
			free(msg);
			free(line);
		}
		p += n;
	}
	if (err->detail && !friendly) {
		char *d = sanitize_dup(err->detail, SANITIZE_DEFAULT);
		sanitize_fprintf(stderr, _("detail: %s\n"), d);
		free(d);
	}
	if (err->hint) {
		char *h = sanitize_dup(err->hint, SANITIZE_DEFAULT);
		sanitize_fprintf(stderr, _("hint: %s\n"), h);
		free(h);
	}
}

int
cli_db_failed(const char *who, const struct db_error *err)
{
	cli_print_db_error(who, err);
	return cli_exit_for(err);
}

int
cli_exit_for(const struct db_error *err)
{
	if (strncmp(err->sqlstate, "22", 2) == 0 || strncmp(err->sqlstate, "23", 2) == 0)
		return CLI_USAGE;
	if (strcmp(err->sqlstate, "40001") == 0 || strcmp(err->sqlstate, "LK409") == 0)
		return CLI_CONFLICT;
	return CLI_DB;
}
