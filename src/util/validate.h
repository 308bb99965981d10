/* validate.h: checks on user input shared by the CLI and the forms. */
#ifndef LOKET_UTIL_VALIDATE_H
#define LOKET_UTIL_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

enum text_status {
	TEXT_OK,
	TEXT_EMPTY,    /* empty or only white space */
	TEXT_TOO_LONG, /* more than max code points */
	TEXT_BAD_UTF8, /* invalid UTF-8 or a NUL byte */
};

/* Check free text: valid UTF-8, not blank, at most max_chars code points. */
enum text_status text_check(const char *s, size_t max_chars);
/* A Dutch message id for a text_status (translate with _()). */
const char *text_status_message(enum text_status st);

/* Reduce a Dutch postcode ("7511", "7511 AB", "7511ab") to its four digits.
 * Returns false, leaving out untouched, when the shape is wrong. */
bool postcode_to4(const char *in, char out[5]);

/* Parse a positive decimal integer that fits in an int; false otherwise. */
bool parse_positive_int(const char *s, int *out);

/* Whether free text holds what looks like an e-mail address or a phone
 * number (06-12345678, 053 123 4567, +31 6 1234 5678, +32 470 12 34 56): contact
 * details that belong with the client's consent, not in a question's text.
 * A hint for a warning, not a rule: a company's number can be fine. */
bool text_has_contact(const char *s);

/* Contact details taken out of a text (all owned; NULL when not found). */
struct contact_taken {
	char *email; /* the first e-mail address, as typed */
	char *phone; /* the first phone number, as typed */
	char *rest;  /* the text with each replaced by the marker */
	bool more;   /* whether rest still holds contact details */
};
enum { TAKE_EMAIL = 1, TAKE_PHONE = 2 };
/* Take the first e-mail address and the first phone number out of s (what
 * says which of the two), each replaced by marker.  False (nothing set)
 * when s holds none of them. */
bool text_take_contact(const char *s, const char *marker, unsigned what,
                       struct contact_taken *out);
void contact_taken_free(struct contact_taken *c);
/* A phone number as typed in a text, written the way the contact form takes
 * it: brackets, dots and slashes as spaces, a "(0)" after the country code
 * left out ("+31 (0)53 123.45.67" -> "+31 53 123 45 67"); owned. */
char *phone_tidy(const char *s);

#endif
