/* refusal.c: database refusals as a field and a message. */
#include "config.h"

#include "model/refusal.h"
#include "util/i18n.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *constraint;
	const char *column;
	const char *message;
} known[] = {
	{"question_text_shape", "text",
	 N_("the question text must not be empty and at most 4000 characters")},
	{"question_no_bsn", "text",
	 N_("the text contains what looks like a BSN; loket never stores a BSN")},
	{"question_extra_shape", "",
	 N_("the extra fields are too long or contain what looks like a BSN")},
	{"question_postcode4_check", "postcode4", N_("the postcode must be four digits, like 7511")},
	{"question_channel_fkey", "channel", N_("unknown channel")},
	{"question_client_group_fkey", "client_group", N_("unknown client group")},
	{"question_topic_fkey", "topic", N_("unknown topic")},
	{"client_consent_required", "consent_at", N_("contact details need the client's dated consent")},
	{"client_email_check", "email", N_("the e-mail address is not valid")},
	{"referral_to_own_region", "to_org",
	 N_("a referral goes to an organisation of the question's own region")},
	{"client_phone_check", "phone", N_("the phone number is not valid: 06 12345678, or + and the country code")},
	{"client_kvk_number_check", "kvk_number", N_("a KvK number is eight digits")},
	{"referral_no_bsn", "note",
	 N_("the note contains what looks like a BSN; loket never stores a BSN")},
	{"referral_outcome_fkey", "outcome", N_("unknown outcome")},
	{"referral_reason_fkey", "reason", N_("unknown reason")},
	{"referral_to_org_fkey", "to_org", N_("unknown organisation")},
	{"signal_municipality_fkey", "municipality", N_("unknown municipality")},
	{"signal_topic_fkey", "topic", N_("unknown topic")},
	{"signal_text_check", "text",
	 N_("the signal must not be empty, at most 2000 characters, and hold no BSN")},
	{"referral_note_check", "note", N_("the note is at most 2000 characters")},
	{"client_name_check", "name", N_("the name must not be empty and at most 200 characters")},
	{"knowledge_version_review_future", "review_by", N_("the review date must be after today")},
	{"knowledge_version_check", "review_by",
	 N_("the review date must be after the valid-from date")},
	{"knowledge_version_link_check", "link",
	 N_("the link must be an https:// address without spaces")},
	{"knowledge_item_slug", "slug",
	 N_("the short name starts with a letter and holds only a-z, 0-9, - and _ (at most 40)")},
	{"knowledge_item_region_slug_key", "slug", N_("an item with this short name already exists")},
	{"mail_needs_consent", "", N_("the client has not given consent to be e-mailed")},
	{"mail_needs_address", "", N_("the client has no e-mail address")},
	{"question_organisation_fkey", "",
	 N_("your role belongs to no organisation in loket; ask your administrator")},
};

/* Tables whose constraints follow PostgreSQL's names; longest first, so
 * that knowledge_version_title_clean is not read as knowledge + ... */
static const char *const tables[] = {"knowledge_version", "referral", "question", "client",
                                     "signal"};

static bool
derived(const char *name, struct refusal *out)
{
	static const struct {
		const char *suffix;
		const char *message;
	} kinds[] = {
		{"_clean", N_("contains a control, bidi or invisible character, which loket does not "
		              "store (doc/forms.md)")},
		{"_fkey", N_("choose one of the listed values")},
		{"_check", N_("this value is not accepted")},
	};
	size_t n = strlen(name);
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		size_t sl = strlen(kinds[k].suffix);
		if (n <= sl || strcmp(name + n - sl, kinds[k].suffix) != 0)
			continue;
		for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++) {
			size_t tl = strlen(tables[t]);
			if (n > tl + sl + 1 && strncmp(name, tables[t], tl) == 0 && name[tl] == '_') {
				size_t cl = n - tl - 1 - sl;
				if (cl > sizeof out->column - 1)
					cl = sizeof out->column - 1;
				memcpy(out->column, name + tl + 1, cl);
				out->column[cl] = '\0';
				out->message = kinds[k].message;
				return true;
			}
		}
	}
	return false;
}

bool
refusal_find(const struct db_error *err, struct refusal *out)
{
	memset(out, 0, sizeof *out);
	if (err->constraint) {
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			if (strcmp(known[i].constraint, err->constraint) == 0) {
				snprintf(out->column, sizeof out->column, "%s", known[i].column);
				out->message = known[i].message;
				return true;
			}
		if (derived(err->constraint, out))
			return true;
	}
	if (strcmp(err->sqlstate, "P0002") == 0) {
		out->message = N_("it does not exist, or you may not see it");
		return true;
	}
	if (strcmp(err->sqlstate, "22001") == 0) {
		out->message = N_("a text is too long");
		return true;
	}
	if (strncmp(err->sqlstate, "23", 2) == 0 || strncmp(err->sqlstate, "22", 2) == 0) {
		out->message = N_("the database refused a value");
		return true;
	}
	return false;
}
