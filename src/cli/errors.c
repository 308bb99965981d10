/* errors.c: database errors as messages and exit codes. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "util/i18n.h"
#include "util/sanitize.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *constraint;
	const char *message;
} known[] = {
	{"question_text_shape", N_("the question text must not be empty and at most 4000 characters")},
	{"question_no_bsn", N_("the text contains what looks like a BSN; loket never stores a BSN")},
	{"question_extra_shape",
	 N_("the extra fields are too long or contain what looks like a BSN")},
	{"question_postcode4_check", N_("the postcode must be four digits, like 7511")},
	{"question_channel_fkey", N_("unknown channel")},
	{"question_client_group_fkey", N_("unknown client group")},
	{"question_topic_fkey", N_("unknown topic")},
	{"client_consent_required", N_("contact details need the client's dated consent")},
	{"client_email_check", N_("the e-mail address is not valid")},
	{"client_phone_check", N_("the phone number is not a valid Dutch number")},
	{"referral_no_bsn", N_("the note contains what looks like a BSN; loket never stores a BSN")},
	{"referral_outcome_fkey", N_("unknown outcome")},
	{"referral_reason_fkey", N_("unknown reason")},
	{"referral_to_org_fkey", N_("unknown organisation")},
};

const char *
cli_constraint_message(const char *constraint)
{
	if (!constraint)
		return NULL;
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(known[i].constraint, constraint) == 0)
			return _(known[i].message);
	return NULL;
}

void
cli_print_db_error(const char *who, const struct db_error *err)
{
	const char *friendly = cli_constraint_message(err->constraint);
	char *msg = sanitize_dup(friendly ? friendly : err->message, SANITIZE_DEFAULT);
	fprintf(stderr, "%s: %s\n", who, msg);
	free(msg);
	if (err->detail && !friendly) {
		char *d = sanitize_dup(err->detail, SANITIZE_DEFAULT);
		fprintf(stderr, _("detail: %s\n"), d);
		free(d);
	}
	if (err->hint) {
		char *h = sanitize_dup(err->hint, SANITIZE_DEFAULT);
		fprintf(stderr, _("hint: %s\n"), h);
		free(h);
	}
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
