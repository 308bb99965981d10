/* summary_mail.h: the summary e-mail a client takes home — text from
 * loket.mail_summary (Dutch, under row-level security), composed by
 * util/mail.c, sent by net/smtp.c, and every attempt recorded in mail_log
 * (and so in the question's history). */
#ifndef LOKET_MODEL_SUMMARY_MAIL_H
#define LOKET_MODEL_SUMMARY_MAIL_H

#include <stdbool.h>

#include "db/db.h"
#include "net/smtp.h"
#include "util/conf.h"

struct summary_mail_config {
	struct smtp_options smtp;
	const char *from;      /* envelope and From address */
	const char *from_name; /* NULL = the organisation's name */
};

/* The [smtp] settings of the configuration file.  Strings point into c.
 * Returns false with *error set when something required is missing or a
 * value is out of range. */
bool summary_mail_config(const struct conf *c, struct summary_mail_config *m, char **error);
/* The same from the default configuration file, which *c keeps (conf_free
 * it after sending).  False with *error set, and *c NULL. */
bool summary_mail_config_load(struct conf **c, struct summary_mail_config *m, char **error);

enum summary_mail_status {
	MAIL_SENT,
	MAIL_NOT_ALLOWED, /* no consent or no usable address: nothing was sent; see
	                     err, or *error when the message could not be composed */
	MAIL_FAILED,      /* the server refused or could not be reached: recorded */
	MAIL_DB_ERROR,    /* see err */
};

/* Send question number's summary.  *to gets the address it went to, and
 * *message_id its Message-ID (new strings, or NULL); *error the reason of a
 * failure (a new string) for MAIL_FAILED. */
enum summary_mail_status summary_mail_send(struct db *db, const struct summary_mail_config *m,
                                           int number, char **to, char **message_id,
                                           char **error, struct db_error *err);

#endif
