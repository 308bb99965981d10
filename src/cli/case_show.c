/* case_show.c: `loket case show N` — every field, information given,
 * referrals and the history, as text or JSON. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "model/history.h"
#include "model/question.h"
#include "util/i18n.h"
#include "util/number.h"
#include "util/sanitize.h"
#include "util/validate.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Print a label and a sanitised value on one line. */
static void
field(const char *label, const char *value)
{
	char *v = sanitize_dup(value ? value : "-", SANITIZE_DEFAULT);
	sanitize_fprintf(stdout, "  %-16s %s\n", label, v);
	free(v);
}

/* A date and time from the database as a person reads it: dd-mm-jjjj. */
static const char *
when(const char *iso, char *buf, size_t size)
{
	return date_dutch(buf, size, iso ? iso : "-");
}

static void
print_text_block(const char *text)
{
	char *v = sanitize_dup(text, SANITIZE_MULTILINE);
	sanitize_fprintf(stdout, "\n");
	/* every line as it is, empty ones included (strtok would drop them) */
	for (char *line = v, *nl;; line = nl + 1) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line)
			sanitize_fprintf(stdout, "    %s\n", line);
		else
			sanitize_fprintf(stdout, "\n");
		if (!nl)
			break;
	}
	sanitize_fprintf(stdout, "\n");
	free(v);
}

/* What the sender shared with a referral: urgency, note and the contact
 * details the client consented to (as far as the role may read them). */
static void
print_shared(const struct question_referral *r)
{
	const char *label[] = {_("Urgency:"), _("Note:"),  _("Name:"),   _("Company:"),
	                       _("KvK number:"), _("Phone:"), _("E-mail:")};
	const char *value[] = {r->urgency,         r->note,         r->contact_name,
	                       r->contact_company, r->contact_kvk,  r->contact_phone,
	                       r->contact_email};
	for (int i = 0; i < 7; i++) {
		if (!value[i])
			continue;
		char *v = sanitize_dup(value[i], SANITIZE_DEFAULT);
		sanitize_fprintf(stdout, "    %-14s %s\n", label[i], v);
		free(v);
	}
	if (!r->consent_contact)
		sanitize_fprintf(stdout,
		                 _("    Without consent: the client gets in touch with %s.\n"),
		                 r->to_org);
	else if (r->consent_withdrawn)
		sanitize_fprintf(stdout, "    %-14s %s\n", _("Contact:"), _("consent withdrawn"));
	else if (r->contact_removed)
		sanitize_fprintf(stdout, "    %-14s %s\n", _("Contact:"), _("removed"));
}

/* Without --contact: where the client consented to pass details on, say
 * how to see them. */
static void
print_contact_hint(const struct question_detail *d)
{
	for (int i = 0; i < d->nreferrals; i++)
		if (d->referrals[i].consent_contact && !d->referrals[i].contact_removed) {
			sanitize_fprintf(stdout, _("Contact details: shared with consent; --contact shows "
			                           "them (the read is logged).\n"));
			return;
		}
}

/* What came back from the target: who picked the referral up, its notes on
 * progress and outcome (for the sender) and why it was sent back, as the
 * question screen shows them. */
static void
print_answer(const struct question_referral *r)
{
	const char *label[] = {_("Picked up by:"), _("Progress:"), _("Outcome note:"),
	                       _("Sent back:")};
	const char *value[] = {r->accepted_by, r->target_note, r->outcome_note, r->return_reason};
	for (int i = 0; i < 4; i++) {
		if (!value[i])
			continue;
		char *v = sanitize_dup(value[i], SANITIZE_DEFAULT);
		sanitize_fprintf(stdout, "    %-14s %s\n", label[i], v);
		free(v);
	}
}

static void
print_detail(const struct question_detail *d)
{
	const struct question_row *q = &d->row;
	char tm[64];
	sanitize_fprintf(stdout, _("Question %d\n"), q->number);
	field(_("Status:"), label_question_status(q->status));
	field(_("Registered:"), when(q->created, tm, sizeof tm));
	field(_("Updated:"), when(d->updated, tm, sizeof tm));
	field(_("Organisation:"), d->org_name);
	field(_("Advisor:"), d->advisor_name);
	field(_("Channel:"), d->channel_label);
	field(_("Client group:"), d->client_group_label);
	field(_("Topic:"), d->topic_label);
	field(_("Postcode:"), q->postcode4);
	if (strcmp(d->extra, "{}") != 0)
		field(_("Extra fields:"), d->extra);
	sanitize_fprintf(stdout, _("  Question:\n"));
	print_text_block(q->text);
	sanitize_fprintf(stdout, _("Information given:\n"));
	if (d->ninfo == 0)
		sanitize_fprintf(stdout, "  -\n");
	for (int i = 0; i < d->ninfo; i++) {
		char *t = sanitize_dup(d->info[i].title, SANITIZE_DEFAULT);
		char at[64];
		if (d->info[i].version_no == 0) /* an offering of the catalogue */
			sanitize_fprintf(stdout, _("  %s (training offer), %s by %s\n"), t,
			                 when(d->info[i].given_at, at, sizeof at), d->info[i].given_by);
		else
			sanitize_fprintf(stdout, _("  %s (version %d), %s by %s\n"), t,
			                 d->info[i].version_no, when(d->info[i].given_at, at, sizeof at),
			                 d->info[i].given_by);
		free(t);
	}
	sanitize_fprintf(stdout, _("Referrals:\n"));
	if (d->nreferrals == 0)
		sanitize_fprintf(stdout, "  -\n");
	for (int i = 0; i < d->nreferrals; i++) {
		const struct question_referral *r = &d->referrals[i];
		sanitize_fprintf(stdout, _("  %s to %s, reason %s, status %s%s%s%s\n"),
		                 when(r->created, tm, sizeof tm), r->to_org, r->reason,
		                 label_referral_status(r->status),
		                 r->outcome ? _(", outcome ") : "", r->outcome ? r->outcome : "",
		                 !r->consent_contact   ? ""
		                 : r->contact_removed ? _(", contact details shared, since removed")
		                                      : _(", contact details shared"));
		print_shared(r);
		print_answer(r);
	}
	sanitize_fprintf(stdout, _("History:\n"));
	for (int i = 0; i < d->nevents; i++) {
		char *actor = sanitize_dup(d->events[i].actor, SANITIZE_DEFAULT);
		char *summary = sanitize_dup(d->events[i].summary, SANITIZE_DEFAULT);
		sanitize_fprintf(stdout, "  %s  %s: %s\n", when(d->events[i].at, tm, sizeof tm),
		                 actor, summary);
		free(summary);
		free(actor);
	}
}

static int
show_json(struct db *db, int number, const char *as_typed, bool contact)
{
	char *json = NULL;
	struct db_error err = {0};
	int rc = CLI_OK;
	if (!question_json(db, number, contact, &json, &err)) {
		rc = cli_db_failed("loket", &err);
	} else if (!json) {
		sanitize_fprintf(stderr,
		                 _("loket: question %s does not exist or is not visible to you\n"),
		                 as_typed);
		rc = CLI_USAGE;
	} else if (isatty(STDOUT_FILENO)) {
		char *s = sanitize_dup(json, SANITIZE_MULTILINE);
		puts(s);
		free(s);
	} else {
		puts(json);
	}
	free(json);
	db_error_clear(&err);
	return rc;
}

static int
show_text(struct db *db, int number, const char *as_typed, bool contact)
{
	struct question_detail d;
	struct db_error err = {0};
	int rc = CLI_OK;
	if (question_load(db, number, &d, &err)) {
		/* the person's details only with --contact: the read is logged */
		if (contact && !question_load_contact(db, &d, "case show", &err)) {
			rc = cli_db_failed("loket", &err);
		} else {
			print_detail(&d);
			if (!contact)
				print_contact_hint(&d);
		}
		question_detail_free(&d);
	} else if (strcmp(err.sqlstate, "02000") == 0) {
		/* the same sentence as --format json, in the user's language */
		sanitize_fprintf(stderr,
		                 _("loket: question %s does not exist or is not visible to you\n"),
		                 as_typed);
		rc = CLI_USAGE;
	} else {
		cli_print_db_error("loket", &err);
		rc = cli_exit_for(&err);
	}
	db_error_clear(&err);
	return rc;
}


int
cli_case_show(const struct cli_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
	                                     {"contact", no_argument, NULL, 'c'},
	                                     {NULL, 0, NULL, 0}};
	bool json = false, contact = false;
	optind = 0; /* 0, not 1: glibc then starts afresh, and permutes again */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c') {
			contact = true;
		} else if (c == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "text") == 0)) {
			json = strcmp(optarg, "json") == 0;
		} else {
			fputs(_("loket: case show N [--format text|json] [--contact]\n"), stderr);
			return CLI_USAGE;
		}
	}
	int number;
	if (optind != argc - 1 || !parse_positive_int(argv[optind], &number)) {
		fputs(_("loket: case show needs one question number, e.g. 'case show 12'\n"), stderr);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc == CLI_OK)
		rc = json ? show_json(db, number, argv[optind], contact)
		          : show_text(db, number, argv[optind], contact);
	db_close(&db);
	return rc;
}
