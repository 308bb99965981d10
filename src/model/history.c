/* history.c: question_event rows in words; see history.h. */
#include "config.h"

#include "model/history.h"
#include "util/i18n.h"
#include "util/utf8.h"
#include "util/number.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdbool.h>
#include <string.h>

struct label {
	const char *code, *text;
};

static const char *
lookup(const struct label *labels, size_t n, const char *code)
{
	if (!code)
		return "";
	for (size_t i = 0; i < n; i++)
		if (strcmp(code, labels[i].code) == 0)
			return _(labels[i].text);
	return code;
}

#define LOOKUP(table, code) lookup(table, sizeof table / sizeof table[0], code)

static const struct label question_status[] = {
	{"open", N_("open")},
	{"informed", N_("informed")},
	{"referred", N_("referred")},
	{"closed", N_("closed")},
};

static const struct label referral_status[] = {
	{"sent", N_("sent")},           {"accepted", N_("accepted")},
	{"in_progress", N_("in progress")}, {"completed", N_("completed")},
	{"returned", N_("returned")},   {"withdrawn", N_("withdrawn")},
};

/* Column names as a reader knows them. */
static const struct label field_names[] = {
	{"status", N_("status")},
	{"topic", N_("topic")},
	{"channel", N_("channel")},
	{"client_group", N_("client group")},
	{"text", N_("question text")},
	{"postcode4", N_("postcode")},
	{"extra", N_("extra fields")},
	{"municipality", N_("municipality")},
	{"outcome", N_("outcome")},
	{"outcome_note", N_("outcome note")},
	{"note", N_("note")},
	{"urgency", N_("urgency")},
	{"reason", N_("reason")},
	{"to_org", N_("to")},
	{"consent_contact", N_("consent to pass on contact details")},
	{"consent_at", N_("consent date")},
	{"name", N_("name")},
	{"email", N_("e-mail")},
	{"phone", N_("phone")},
	{"company_name", N_("company")},
	{"kvk_number", N_("KvK number")},
	{"sector", N_("sector")},
	{"company_size", N_("company size")},
	{"consent_by", N_("consent recorded by")},
	{"anonymised_at", N_("anonymised at")},
	{"consent_withdrawn_at", N_("consent withdrawn at")},
	{"advisor", N_("advisor")},
	{"organisation", N_("organisation")},
	{"accepted_by", N_("accepted by")},
	{"target_note", N_("progress note")},
	{"return_reason", N_("reason for return")},
	{"accepted_at", N_("accepted at")},
	{"completed_at", N_("completed at")},
};

const char *
label_question_status(const char *code)
{
	return LOOKUP(question_status, code);
}

const char *
label_referral_status(const char *code)
{
	return LOOKUP(referral_status, code);
}

static bool
is(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

/* "a, b, c" of the non-empty parts. */
static void
join(struct strbuf *b, const char *const *parts, size_t n)
{
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		if (!parts[i] || !*parts[i])
			continue;
		strbuf_addf(b, "%s%s", first ? "" : ", ", parts[i]);
		first = false;
	}
}

static const char *
value_of(const char *field, const char *value, bool referral)
{
	if (!value)
		return "–";
	if (is(field, "status"))
		return referral ? label_referral_status(value) : label_question_status(value);
	if (is(value, "true"))
		return _("yes");
	if (is(value, "false"))
		return _("no");
	return value;
}

/* Fields the event itself says: who (the actor) and when (its time). */
static bool
implied(const char *field)
{
	static const char *const fields[] = {"accepted_by", "accepted_at", "in_progress_at",
	                                     "completed_at", "returned_at", "withdrawn_at",
	                                     "updated_at",  "updated_by"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (is(field, fields[i]))
			return true;
	return false;
}

/* Longer than a history line should quote: more than 60 characters, or
 * more than one line. */
static bool
long_text(const char *v)
{
	return v && (strchr(v, '\n') || utf8_length(v, strlen(v)) > 60);
}

static void
changes(struct strbuf *b, const struct history_facts *f, bool referral)
{
	int shown = 0;
	for (int i = 0; i < f->nchanges; i++) {
		const struct history_change *c = &f->changes[i];
		if (implied(c->field))
			continue;
		strbuf_addf(b, "%s%s", shown++ ? "; " : ": ", LOOKUP(field_names, c->field));
		if (!c->old_value && !c->new_value)
			continue;
		/* free text is quoted, so where it ends stays clear */
		const char *q = is(c->field, "text") || is(c->field, "note") ||
		                                is(c->field, "outcome_note") ||
		                                is(c->field, "target_note") ||
		                                is(c->field, "return_reason")
		                        ? "\""
		                        : "";
		/* dates and times (consent date, ...) as a person reads them */
		char was[64], is_now[64];
		const char *old_v = value_of(c->field, c->old_value, referral);
		const char *new_v = value_of(c->field, c->new_value, referral);
		/* a long text is not copied into its history line twice: the line
		 * names the field, the screen shows the text as it is now */
		if (*q && (long_text(old_v) || long_text(new_v)))
			continue;
		if (!*q) {
			old_v = date_dutch(was, sizeof was, old_v);
			new_v = date_dutch(is_now, sizeof is_now, new_v);
		}
		if (c->old_value && c->new_value && strcmp(c->old_value, c->new_value) == 0)
			strbuf_addf(b, " %s%s%s", q, new_v, q); /* both removed (privacy.md) */
		else
			strbuf_addf(b, " %s%s%s → %s%s%s", q, old_v, q, q, new_v, q);
	}
}

char *
history_describe(const struct history_facts *f)
{
	struct strbuf b;
	strbuf_init(&b);
	const char *kind = f->kind ? f->kind : "";
	if (is(kind, "created")) {
		strbuf_addf(&b, "%s: ", _("question registered"));
		const char *parts[] = {f->topic, f->channel, f->client_group};
		join(&b, parts, 3);
	} else if (is(kind, "updated")) {
		strbuf_addf(&b, "%s", _("question changed"));
		changes(&b, f, false);
	} else if (is(kind, "client_saved")) {
		strbuf_addf(&b, "%s", is(f->client_kind, "employer") ? _("employer's details saved")
		                                                     : _("contact details saved"));
		strbuf_addf(&b, " (%s)", is(f->consent, "true") ? _("with consent") : _("without consent"));
	} else if (is(kind, "client_updated")) {
		strbuf_addf(&b, "%s", _("contact details changed"));
		changes(&b, f, false);
	} else if (is(kind, "info_given")) {
		strbuf_addf(&b, _("information given: %s (version %s)"), f->title ? f->title : "",
		            f->version_no ? f->version_no : "?");
	} else if (is(kind, "referral_created")) {
		strbuf_addf(&b, _("referred to %s"), f->to_org ? f->to_org : "?");
		const char *parts[] = {f->reason,
		                       is(f->consent, "true") ? _("with consent to pass on contact details")
		                                              : _("without personal data")};
		strbuf_addf(&b, "%s", ": ");
		join(&b, parts, 2);
	} else if (is(kind, "referral_updated")) {
		strbuf_addf(&b, "%s", _("referral changed"));
		changes(&b, f, true);
	} else if (is(kind, "signal_logged")) {
		strbuf_addf(&b, "%s", _("demand signal logged"));
	} else if (is(kind, "offering_given")) {
		strbuf_addf(&b, _("offering given: %s"), f->title ? f->title : "");
	} else if (is(kind, "mail_sent")) {
		strbuf_addf(&b, "%s", _("summary e-mailed to the client"));
	} else if (is(kind, "mail_failed")) {
		strbuf_addf(&b, _("summary e-mail failed: %s"), f->title ? f->title : "");
	} else if (is(kind, "consent_withdrawn")) {
		strbuf_addf(&b, "%s", _("the client withdrew consent: contact details removed"));
	} else if (is(kind, "contact_moved")) {
		strbuf_addf(&b, "%s", _("contact details taken out of the text"));
	} else if (is(kind, "privacy_erased")) {
		strbuf_addf(&b, "%s", _("personal data erased on request"));
		if (f->reason && *f->reason)
			strbuf_addf(&b, ": %s", f->reason);
	} else {
		strbuf_addf(&b, "%s", kind);
	}
	return strbuf_detach(&b);
}
