/* smtp.c: one message over SMTP with libcurl (see smtp.h). */
#include "config.h"

#include "net/http.h"
#include "net/smtp.h"
#include "util/i18n.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

struct upload {
	const char *data;
	size_t left;
};

static size_t
on_read(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t room = size * n;
	size_t len = u->left < room ? u->left : room;
	memcpy(buf, u->data, len);
	u->data += len;
	u->left -= len;
	return len;
}

bool
smtp_send(const struct smtp_options *o, const char *from, const char *to, const char *message,
          bool *refused, char **error)
{
	*error = NULL;
	*refused = false;
	if (!o->url || (strncmp(o->url, "smtp://", 7) != 0 && strncmp(o->url, "smtps://", 8) != 0)) {
		*error = xstrdup(_("the mail server must be an smtp:// or smtps:// address "
		                   "(smtp.url in the configuration file)"));
		return false;
	}
	http_global_init();
	CURL *c = curl_easy_init();
	if (!c) {
		*error = xstrdup(_("libcurl could not be initialised"));
		return false;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct upload up = {message, strlen(message)};
	struct curl_slist *rcpt = curl_slist_append(NULL, to);
	char *mail_from = xasprintf("<%s>", from);
	curl_easy_setopt(c, CURLOPT_URL, o->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->ca_file);
	if (o->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, o->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, o->password ? o->password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)up.left);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK) {
		const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
		if (strstr(why, "RCPT") != NULL && code >= 500) {
			*refused = true;
			*error = xasprintf(_("the mail server refused the recipient (%ld)"), code);
		} else if (rc == CURLE_USE_SSL_FAILED) {
			*error = xstrdup(_("the mail server does not offer STARTTLS; "
			                   "loket does not send mail unencrypted"));
		} else if (rc == CURLE_LOGIN_DENIED) {
			*error = xstrdup(_("the mail server refused the login (smtp.user and "
			                   "smtp.password in the configuration file)"));
		} else if (rc == CURLE_OPERATION_TIMEDOUT) {
			*error = xasprintf(_("the mail server did not answer within %ld s"), o->timeout);
		} else {
			*error = xasprintf(_("sending failed: %s"), why);
		}
	}
	free(mail_from);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	return rc == CURLE_OK;
}
