/* case_args.h: argument parsing and validation for `loket case ...`, kept
 * apart from the database so it can be unit-tested. */
#ifndef LOKET_CLI_CASE_ARGS_H
#define LOKET_CLI_CASE_ARGS_H

#include <stdbool.h>
#include <stdio.h>

#include "util/output.h"
#include "model/refdata.h"

struct case_add_args {
	const char *group;
	const char *topic;
	const char *channel;
	char *text; /* owned: read from stdin for "-" */
	char postcode4[5]; /* "" when not given */
};

/* Parse `case add` options (argv[0] is "add").  stdin_text is read when
 * --text is "-".  Checks presence, UTF-8, length and postcode shape; prints
 * a message naming the field to err.  Returns true when all is well. */
bool case_add_parse(int argc, char **argv, FILE *in, FILE *err, struct case_add_args *out);
void case_add_args_free(struct case_add_args *a);

/* Check that value is one of the codes; otherwise print
 * "unknown FIELD 'value'; valid: a, b, c" to err and return false. */
bool case_check_code(const char *field, const char *value, const struct code_list *codes,
                     FILE *err);

struct case_list_args {
	const char *status; /* NULL = any */
	int limit;
	enum out_format format;
};

bool case_list_parse(int argc, char **argv, FILE *err, struct case_list_args *out);

#endif
