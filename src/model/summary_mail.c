/* summary_mail.c: the client's summary e-mail (see summary_mail.h). */
#include "config.h"

#include "model/summary_mail.h"
#include "util/i18n.h"
#include "util/mail.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool
summary_mail_config(const struct conf *c, struct summary_mail_config *m, char **error)
{
	memset(m, 0, sizeof *m);
	static const char *const known[] = {"url", "ca_file", "user", "password", "from",
	                                    "from_name", "connect_timeout", "timeout", NULL};
	if (!conf_check_keys(c, "smtp", known, error))
		return false;
	m->smtp.url = conf_get(c, "smtp", "url");
	m->smtp.ca_file = conf_get(c, "smtp", "ca_file");
	m->smtp.user = conf_get(c, "smtp", "user");
	m->smtp.password = conf_get(c, "smtp", "password");
	m->from = conf_get(c, "smtp", "from");
	m->from_name = conf_get(c, "smtp", "from_name");
	if (!m->smtp.url || !m->from) {
		*error = xasprintf(_("no mail server configured: set url and from in the [smtp] "
		                     "section of %s"),
		                   conf_path(c)[0] ? conf_path(c) : _("the configuration file"));
		return false;
	}
	if (strncmp(m->smtp.url, "smtp://", 7) != 0 && strncmp(m->smtp.url, "smtps://", 8) != 0) {
		*error = xstrdup(_("smtp.url in the configuration file must start with smtp:// "
		                   "(STARTTLS) or smtps://"));
		return false;
	}
	if (!mail_address_valid(m->from)) {
		*error = xstrdup(_("smtp.from in the configuration file is not an e-mail address"));
		return false;
	}
	long v;
	if (!conf_get_int(c, "smtp", "connect_timeout", 1, 300, 10, &v, error))
		return false;
	m->smtp.connect_timeout = v;
	if (!conf_get_int(c, "smtp", "timeout", 1, 600, 30, &v, error))
		return false;
	m->smtp.timeout = v;
	return true;
}

bool
summary_mail_config_load(struct conf **c, struct summary_mail_config *m, char **error)
{
	*c = conf_load_default(error);
	if (*c && summary_mail_config(*c, m, error))
		return true;
	conf_free(c);
	return false;
}

static bool
record(struct db *db, const char *question_id, const char *message_id, const char *failure,
       struct db_error *err)
{
	const char *p[] = {question_id, message_id, failure ? "f" : "t", failure};
	return db_query(db,
	                "INSERT INTO loket.mail_log (question_id, message_id, ok, error) "
	                "VALUES ($1::uuid, $2, $3::boolean, left($4, 1000))",
	                4, p, NULL, err);
}

/* The columns of loket.mail_summary, in order. */
struct summary_row {
	char *question_id, *to, *to_name, *subject, *body, *sender;
};

static const struct db_field summary_fields[] = {
	DB_TEXT(struct summary_row, question_id),     DB_TEXT(struct summary_row, to),
	DB_TEXT_OR_NULL(struct summary_row, to_name), DB_TEXT_OR_NULL(struct summary_row, subject),
	DB_TEXT_OR_NULL(struct summary_row, body),    DB_TEXT_OR_NULL(struct summary_row, sender),
};

enum summary_mail_status
summary_mail_send(struct db *db, const struct summary_mail_config *m, int number, char **to,
                  char **message_id, char **error, struct db_error *err)
{
	*to = *message_id = *error = NULL;
	char num[16];
	snprintf(num, sizeof num, "%d", number);
	const char *p[] = {num};
	struct summary_row s = {0};
	/* the read of address and name logged first, committed (sql/038) */
	if (!db_query(db,
	              "SELECT loket.client_contact_ask(ARRAY(SELECT q.id FROM loket.question q "
	              "WHERE q.number = $1::int AND q.region = loket.my_region()), 'mail')",
	              1, p, NULL, err))
		return MAIL_DB_ERROR;
	if (!db_query_row(db,
	                  "SELECT question_id, to_address, to_name, subject, body, sender "
	                  "FROM loket.mail_summary($1::int)",
	                  1, p, summary_fields, DB_NFIELDS(summary_fields), &s, NULL, err))
		return strcmp(err->sqlstate, "23514") == 0 || strcmp(err->sqlstate, "P0002") == 0
		           ? MAIL_NOT_ALLOWED
		           : MAIL_DB_ERROR;
	*to = s.to;
	s.to = NULL;
	struct mail_message msg = {
	    .from = m->from,
	    .from_name = m->from_name ? m->from_name : s.sender,
	    .to = *to,
	    .to_name = s.to_name,
	    .subject = s.subject,
	    .body = s.body,
	    .date = time(NULL),
	};
	const char *why = NULL;
	char *text = mail_compose(&msg, message_id, &why);
	enum summary_mail_status st;
	if (!text) {
		/* Nothing went out (an address or name mail cannot carry): not a
		 * failed send, so nothing is recorded; the reason is told. */
		*error = xstrdup(_(why ? why : "the message could not be composed"));
		st = MAIL_NOT_ALLOWED;
		goto out;
	}
	bool refused = false;
	char *failure = NULL;
	bool sent = smtp_send(&m->smtp, m->from, *to, text, &refused, &failure);
	free(text);
	if (!record(db, s.question_id, *message_id, sent ? NULL : failure, err)) {
		*error = failure;
		st = sent ? MAIL_DB_ERROR : MAIL_FAILED;
		goto out;
	}
	*error = failure;
	st = sent ? MAIL_SENT : MAIL_FAILED;
out:
	db_fields_free(summary_fields, DB_NFIELDS(summary_fields), &s);
	return st;
}
