/* smtp.h: send one composed message with libcurl over SMTP.  smtp:// must
 * upgrade with STARTTLS (the send fails when the server does not offer it);
 * smtps:// is TLS from the start.  Certificates are always checked. */
#ifndef LOKET_NET_SMTP_H
#define LOKET_NET_SMTP_H

#include <stdbool.h>

struct smtp_options {
	const char *url;      /* smtp://host:587 or smtps://host:465 */
	const char *ca_file;  /* NULL = the system's CAs */
	const char *user;     /* NULL = no authentication */
	const char *password;
	long connect_timeout; /* seconds */
	long timeout;         /* seconds */
};

/* Send message (CRLF lines, as src/util/mail.c composes it) from the
 * envelope sender to one recipient.  Returns false with *error set (a new,
 * translated string) when the server refuses or cannot be reached; *refused
 * is then true when it was the recipient the server refused. */
bool smtp_send(const struct smtp_options *o, const char *from, const char *to,
               const char *message, bool *refused, char **error);

#endif
