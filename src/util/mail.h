/* mail.h: composing a plain-text e-mail message (RFC 5322, MIME with a
 * quoted-printable UTF-8 body, RFC 2047 encoded words in headers), e.g. the
 * summary an advisor sends to a client.  Pure functions: nothing here sends
 * anything; the result is handed to an SMTP client as it is. */
#ifndef LOKET_UTIL_MAIL_H
#define LOKET_UTIL_MAIL_H

#include <stdbool.h>
#include <time.h>

struct mail_message {
	const char *from;      /* addr-spec, e.g. "loket@leerwerkloket.nl" */
	const char *from_name; /* display name (UTF-8), may be NULL or "" */
	const char *to;        /* addr-spec */
	const char *to_name;   /* may be NULL or "" */
	const char *subject;   /* UTF-8, one line; NULL is an empty subject */
	const char *body;      /* UTF-8 text with \n line ends; NULL is empty */
	time_t date;           /* for the Date header */
	const char *id_domain; /* domain for the Message-ID; NULL = the domain of from */
};

/* True for a plain addr-spec local@domain that is safe to put in a header
 * and an SMTP envelope: printable ASCII only, no spaces, no <>()[],;:\" or
 * CR/LF, exactly one @, a non-empty local part of at most 64 characters
 * without a leading, trailing or doubled dot (a dot-atom, so it needs no
 * quoting), and a domain of at most 253 characters with at least one dot
 * and labels of 1-63 letters, digits and hyphens (not at either end of a
 * label).  At most 254 characters in all (the SMTP path limit). */
bool mail_address_valid(const char *addr);

/* True for a domain as allowed after the @ by mail_address_valid. */
bool mail_domain_valid(const char *domain);

/* The message: Date, From, To, Subject, Message-ID, MIME-Version,
 * Content-Type (text/plain; charset=UTF-8) and Content-Transfer-Encoding
 * (quoted-printable) headers, an empty line and the quoted-printable body,
 * with CRLF line ends throughout and a final CRLF, ready for SMTP DATA
 * (without dot-stuffing: libcurl does that).  The Date is in the local time
 * zone of the process, with English names whatever the locale.  Sets
 * *message_id (when message_id is not NULL) to the id without angle
 * brackets (malloc'd, "uuid@domain").  Returns NULL, leaving *message_id
 * NULL, and sets *error (when error is not NULL) to a static English
 * message id (translate it with _()) when an address or the id domain is
 * invalid, the subject or a name contains CR/LF or other control
 * characters, any text is not valid UTF-8, or the system's clock or random
 * source fails. */
char *mail_compose(const struct mail_message *m, char **message_id, const char **error);

/* Quoted-printable (RFC 2045) of text with \n line ends (\r\n and a lone
 * \r are line ends too): CRLF hard line breaks, soft breaks ("=" CRLF) so
 * that no encoded line exceeds 76 characters, never splitting an =XX
 * triplet; "=", control characters and all bytes above 0x7E encoded;
 * spaces and tabs before a line end or the end of the text encoded; a "."
 * or the "F" of "From " at the start of any encoded line encoded (=2E,
 * =46).  No CRLF is added after the last line when text does not end in a
 * line end.  Never NULL. */
char *mail_qp_encode(const char *text);

/* A header field "Name: value" for UTF-8 text, without a trailing CRLF.
 * Plain (folded at spaces so that no line exceeds 78 characters) when the
 * value is printable ASCII with single spaces between words, no space at
 * either end and no "=?"; otherwise the whole value as RFC 2047 encoded
 * words (=?UTF-8?Q?...?= or, when shorter, =?UTF-8?B?...?=) of at most 75
 * characters, never splitting a UTF-8 character between encoded words,
 * folded so that no line exceeds 76 characters (continuation lines start
 * with a space).  Returns NULL when name is not a valid field name or when
 * value is not valid UTF-8 or contains control characters (CR, LF, tab,
 * other C0 and C1 controls, DEL). */
char *mail_header_text(const char *name, const char *value);

#endif
