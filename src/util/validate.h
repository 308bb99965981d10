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

/* Whether free text holds what looks like an e-mail address or a Dutch
 * phone number (06-12345678, 053 123 4567, +31 6 1234 5678): contact
 * details that belong with the client's consent, not in a question's text.
 * A hint for a warning, not a rule: a company's number can be fine. */
bool text_has_contact(const char *s);

#endif
