/* parse.c: the forms/NAME.form reader — a small line-oriented language
 * (doc/forms.md).  Every error names file:line:column and what was expected. */
#include "config.h"

#include "form/form.h"
#include "util/utf8.h"
#include "util/xalloc.h"

#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok_kind { TOK_WORD, TOK_STRING, TOK_NUMBER, TOK_EOL, TOK_EOF };

struct token {
	enum tok_kind kind;
	char *text; /* owned; NULL for EOL and EOF */
	int line, col;
};

struct parser {
	const char *p, *end;
	int line, col;
	struct token tok; /* the current token */
	struct form_def *def;
	struct form_field *field; /* the field being described, or NULL */
	bool field_typed;         /* it has its type */
	struct form_error *err;
	bool failed;
};

static bool
fail_at(struct parser *ps, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static bool
fail_at(struct parser *ps, int line, int col, const char *fmt, ...)
{
	if (ps->failed)
		return false;
	ps->failed = true;
	ps->err->line = line;
	ps->err->column = col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
	va_end(ap);
	return false;
}

static void
advance(struct parser *ps, size_t n)
{
	for (size_t i = 0; i < n && ps->p < ps->end; i++, ps->p++)
		if (((unsigned char)*ps->p & 0xC0) != 0x80) /* a character starts here */
			ps->col++;
}

static bool
is_word_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (!first && ((c >= '0' && c <= '9') || c == '_' || c == '-'));
}

static bool
lex_string(struct parser *ps)
{
	char *buf = xmalloc((size_t)(ps->end - ps->p) + 1);
	size_t n = 0;
	advance(ps, 1); /* the opening quote */
	for (;;) {
		if (ps->p >= ps->end || *ps->p == '\n') {
			free(buf);
			return fail_at(ps, ps->line, ps->col, "expected \" to end the string");
		}
		unsigned char c = (unsigned char)*ps->p;
		if (c == '"')
			break;
		if (c == '\\') {
			char next = ps->p + 1 < ps->end ? ps->p[1] : '\0';
			if (next != '"' && next != '\\') {
				free(buf);
				return fail_at(ps, ps->line, ps->col, "expected \\\" or \\\\ after \\");
			}
			buf[n++] = next;
			advance(ps, 2);
			continue;
		}
		if (c < 0x20 || c == 0x7F) {
			free(buf);
			return fail_at(ps, ps->line, ps->col, "control character in a string");
		}
		buf[n++] = (char)c;
		advance(ps, 1);
	}
	advance(ps, 1); /* the closing quote */
	buf[n] = '\0';
	if (n > FORM_MAX_STRING) {
		free(buf);
		return fail_at(ps, ps->tok.line, ps->tok.col, "string longer than %d bytes",
		               FORM_MAX_STRING);
	}
	ps->tok.kind = TOK_STRING;
	ps->tok.text = buf;
	return true;
}

static bool
lex_run(struct parser *ps, enum tok_kind kind, bool (*ok)(char, bool), int limit)
{
	const char *start = ps->p;
	while (ps->p < ps->end && ok(*ps->p, ps->p == start))
		advance(ps, 1);
	size_t n = (size_t)(ps->p - start);
	if (ps->p < ps->end && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '\n' && *ps->p != '#' &&
	    *ps->p != '\r')
		return fail_at(ps, ps->line, ps->col,
		               kind == TOK_NUMBER ? "expected a digit" : "expected a lower-case name");
	if ((int)n > limit)
		return fail_at(ps, ps->tok.line, ps->tok.col, "longer than %d characters", limit);
	ps->tok.kind = kind;
	ps->tok.text = xstrndup(start, n);
	return true;
}

static bool
is_digit(char c, bool first)
{
	(void)first;
	return c >= '0' && c <= '9';
}

/* Read the next token into ps->tok. */
static bool
next(struct parser *ps)
{
	free(ps->tok.text);
	ps->tok.text = NULL;
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\r'))
		advance(ps, 1);
	if (ps->p < ps->end && *ps->p == '#')
		while (ps->p < ps->end && *ps->p != '\n')
			advance(ps, 1);
	ps->tok.line = ps->line;
	ps->tok.col = ps->col;
	if (ps->p >= ps->end) {
		ps->tok.kind = TOK_EOF;
		return true;
	}
	char c = *ps->p;
	if (c == '\n') {
		ps->tok.kind = TOK_EOL;
		ps->p++;
		ps->line++;
		ps->col = 1;
		return true;
	}
	if (c == '"')
		return lex_string(ps);
	if (c >= '0' && c <= '9')
		return lex_run(ps, TOK_NUMBER, is_digit, 9);
	if (is_word_char(c, true))
		return lex_run(ps, TOK_WORD, is_word_char, FORM_MAX_NAME);
	return fail_at(ps, ps->line, ps->col, "expected a keyword, a name, a number or a string");
}

static const char *
kind_name(enum tok_kind kind)
{
	switch (kind) {
	case TOK_WORD:
		return "a name";
	case TOK_STRING:
		return "a \"string\"";
	case TOK_NUMBER:
		return "a number";
	case TOK_EOL:
		return "the end of the line";
	case TOK_EOF:
		return "the end of the file";
	}
	return "?";
}

/* Take the current token's text if it is of `kind`, then move on. */
static bool
take(struct parser *ps, enum tok_kind kind, const char *what, char **out)
{
	if (ps->tok.kind != kind)
		return fail_at(ps, ps->tok.line, ps->tok.col, "expected %s, found %s", what,
		               kind_name(ps->tok.kind));
	char *text = ps->tok.text;
	ps->tok.text = NULL;
	if (!next(ps)) {
		free(text);
		return false;
	}
	if (out)
		*out = text;
	else
		free(text);
	return true;
}

/* The whole file must be UTF-8; the error points at the first bad byte. */
static bool
check_utf8(struct parser *ps, const char *text, size_t len)
{
	int line = 1, col = 1;
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode((const unsigned char *)text + i, len - i, &cp);
		if (n == 0)
			return fail_at(ps, line, col, "invalid UTF-8");
		if (cp == '\n')
			line++, col = 1;
		else
			col++;
		i += n;
	}
	return true;
}

static const char *const type_names[] = {
	[FORM_TEXT] = "text",         [FORM_MULTILINE] = "multiline", [FORM_CHOICE] = "choice",
	[FORM_DATE] = "date",         [FORM_EMAIL] = "email",         [FORM_PHONE] = "phone",
	[FORM_POSTCODE] = "postcode", [FORM_CHECKBOX] = "checkbox",
};

const char *
form_type_name(enum form_type type)
{
	return (size_t)type < sizeof type_names / sizeof type_names[0] ? type_names[type] : "?";
}

/* Statements that describe the form as a whole (before the first field). */
static bool
form_statement(struct parser *ps, const char *kw, int line, int col)
{
	if (ps->field)
		return fail_at(ps, line, col, "'%s' belongs before the first field", kw);
	char **slot = strcmp(kw, "form") == 0    ? &ps->def->name
	              : strcmp(kw, "title") == 0 ? &ps->def->title
	                                         : &ps->def->binds;
	if (*slot)
		return fail_at(ps, line, col, "'%s' given twice", kw);
	if (strcmp(kw, "title") == 0)
		return take(ps, TOK_STRING, "a \"title\"", slot);
	if (strcmp(kw, "binds") == 0) { /* which bindings exist is the form view's to say */
		ps->def->binds_line = line;
		ps->def->binds_col = col;
	}
	return take(ps, TOK_WORD, "a name", slot);
}

static bool
start_field(struct parser *ps, int line, int col)
{
	if (ps->def->nfields == FORM_MAX_FIELDS)
		return fail_at(ps, line, col, "more than %d fields", FORM_MAX_FIELDS);
	int name_line = ps->tok.line, name_col = ps->tok.col;
	char *name = NULL;
	if (!take(ps, TOK_WORD, "a field name", &name))
		return false;
	if (form_field_find(ps->def, name)) {
		fail_at(ps, name_line, name_col, "field '%s' defined twice", name);
		free(name);
		return false;
	}
	ps->def->fields = xrealloc(ps->def->fields,
	                           (size_t)(ps->def->nfields + 1) * sizeof *ps->def->fields);
	ps->field = &ps->def->fields[ps->def->nfields++];
	memset(ps->field, 0, sizeof *ps->field);
	ps->field->name = name;
	ps->field_typed = false;
	ps->field->line = line;
	return true;
}

static bool
field_type(struct parser *ps, struct form_field *f, int line, int col)
{
	char *name = NULL;
	if (!take(ps, TOK_WORD, "a type", &name))
		return false;
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		if (strcmp(type_names[i], name) == 0) {
			f->type = (enum form_type)i;
			ps->field_typed = true;
			free(name);
			return true;
		}
	free(name);
	return fail_at(ps, line, col,
	               "expected type text, multiline, choice, date, email, phone, postcode or "
	               "checkbox");
}

static bool
field_max(struct parser *ps, struct form_field *f, int line, int col)
{
	char *digits = NULL;
	if (!take(ps, TOK_NUMBER, "a number", &digits))
		return false;
	long n = strtol(digits, NULL, 10);
	free(digits);
	if (n < 1 || n > FORM_MAX_LENGTH)
		return fail_at(ps, line, col, "expected max from 1 to %d", FORM_MAX_LENGTH);
	f->max = (int)n;
	return true;
}

/* Patterns stay small and tame: glibc's regcomp can take exponential memory
 * on stacked or huge repetitions (found by the fuzzer: "[0-9]{8}+++..."). */
static const char *
pattern_problem(const char *re)
{
	if (strlen(re) > 200)
		return "at most 200 characters";
	bool in_class = false, after_repeat = false;
	const char *first = NULL; /* in a bracket expression: where its members start */
	for (const char *p = re; *p; p++) {
		if (in_class) {
			/* a ']' first (after '[' or '[^') is a member; "[:alpha:]", "[.x.]"
			 * and "[=e=]" are members that hold a ']' of their own (the
			 * fuzzer found "[][]...+++" slipping past a simpler scan) */
			if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
				const char *end = p + 2;
				while (*end && !(end[0] == p[1] && end[1] == ']'))
					end++;
				if (!*end)
					return "an unfinished bracket expression";
				p = end + 1;
			} else if (*p == ']' && p != first) {
				in_class = false;
			}
			continue;
		}
		bool repeat = *p == '*' || *p == '+' || *p == '?' || *p == '{';
		if (repeat && after_repeat)
			return "a repetition may not follow a repetition";
		if (*p == '{') {
			char *end;
			long lo = strtol(p + 1, &end, 10), hi = lo;
			if (*end == ',')
				hi = end[1] == '}' ? 1000 : strtol(end + 1, &end, 10);
			if (lo > 100 || hi > 100)
				return "repetition counts of at most 100";
			p = strchr(p, '}') ? strchr(p, '}') : p;
		} else if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') {
			in_class = true;
			first = p[1] == '^' ? p + 2 : p + 1;
		}
		after_repeat = repeat;
	}
	return NULL;
}

static bool
field_pattern(struct parser *ps, struct form_field *f, int line, int col)
{
	int at_line = ps->tok.line, at_col = ps->tok.col;
	if (f->pattern)
		return fail_at(ps, line, col, "'pattern' given twice");
	if (!take(ps, TOK_STRING, "a \"pattern\"", &f->pattern))
		return false;
	const char *problem = pattern_problem(f->pattern);
	if (problem)
		return fail_at(ps, at_line, at_col, "expected a simpler pattern: %s", problem);
	regex_t re;
	int rc = regcomp(&re, f->pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char why[128];
		regerror(rc, &re, why, sizeof why);
		return fail_at(ps, at_line, at_col, "expected a regular expression: %s", why);
	}
	regfree(&re);
	return true;
}

static bool
field_choice(struct parser *ps, struct form_field *f, bool table)
{
	if (table && f->choice_table)
		return fail_at(ps, ps->tok.line, ps->tok.col, "'choices' given twice");
	if (table) {
		char *word = NULL;
		int at_line = ps->tok.line, at_col = ps->tok.col;
		if (!take(ps, TOK_WORD, "'table'", &word))
			return false;
		bool is_table = strcmp(word, "table") == 0;
		free(word);
		if (!is_table)
			return fail_at(ps, at_line, at_col, "expected 'table' after 'choices'");
		return take(ps, TOK_WORD, "a table name", &f->choice_table);
	}
	struct form_choice c = {0};
	if (!take(ps, TOK_WORD, "a code", &c.code) ||
	    !take(ps, TOK_STRING, "a \"label\"", &c.label)) {
		free(c.code);
		free(c.label);
		return false;
	}
	f->choices = xrealloc(f->choices, (size_t)(f->nchoices + 1) * sizeof *f->choices);
	f->choices[f->nchoices++] = c;
	return true;
}

/* One attribute of the current field. */
static bool
field_statement(struct parser *ps, const char *kw, int line, int col)
{
	struct form_field *f = ps->field;
	if (!f)
		return fail_at(ps, line, col, "'%s' belongs to a field: expected 'field NAME' first", kw);
	char **text = strcmp(kw, "label") == 0     ? &f->label
	              : strcmp(kw, "help") == 0    ? &f->help
	              : strcmp(kw, "default") == 0 ? &f->def
	                                           : NULL;
	if (text) {
		if (*text)
			return fail_at(ps, line, col, "'%s' given twice", kw);
		if (text == &f->def && ps->tok.kind == TOK_WORD)
			return take(ps, TOK_WORD, "a value", text);
		return take(ps, TOK_STRING, "a \"string\"", text);
	}
	if (strcmp(kw, "type") == 0)
		return field_type(ps, f, line, col);
	if (strcmp(kw, "required") == 0) {
		f->required = true;
		return true;
	}
	if (strcmp(kw, "max") == 0)
		return field_max(ps, f, line, col);
	if (strcmp(kw, "pattern") == 0)
		return field_pattern(ps, f, line, col);
	if (strcmp(kw, "choices") == 0)
		return field_choice(ps, f, true);
	return field_choice(ps, f, false); /* "choice" */
}

static const char *const form_words[] = {"form", "title", "binds", NULL};
static const char *const field_words[] = {"label",   "type",    "required", "max",    "pattern",
                                          "help",    "default", "choices",  "choice", NULL};

static bool
one_of(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

static bool finish_field(struct parser *ps);

static bool
statement(struct parser *ps)
{
	if (ps->tok.kind == TOK_EOL)
		return next(ps);
	int line = ps->tok.line, col = ps->tok.col;
	char *kw = NULL;
	if (!take(ps, TOK_WORD, "a keyword", &kw))
		return false;
	bool ok;
	if (one_of(kw, form_words))
		ok = form_statement(ps, kw, line, col);
	else if (strcmp(kw, "field") == 0)
		ok = finish_field(ps) && start_field(ps, line, col);
	else if (one_of(kw, field_words))
		ok = field_statement(ps, kw, line, col);
	else
		ok = fail_at(ps, line, col,
		             "unknown keyword '%s': expected form, title, binds, field, label, type, "
		             "required, max, pattern, help, default, choices or choice",
		             kw);
	free(kw);
	if (ok && ps->tok.kind != TOK_EOL && ps->tok.kind != TOK_EOF)
		ok = fail_at(ps, ps->tok.line, ps->tok.col, "expected the end of the line, found %s",
		             kind_name(ps->tok.kind));
	return ok;
}

/* The field just described is complete and consistent. */
static bool
finish_field(struct parser *ps)
{
	struct form_field *f = ps->field;
	if (!f)
		return true;
	ps->field = NULL;
	if (!f->label)
		return fail_at(ps, f->line, 1, "field '%s' needs a label", f->name);
	if (!ps->field_typed)
		return fail_at(ps, f->line, 1, "field '%s' needs a type", f->name);
	bool has_choices = f->choice_table || f->nchoices > 0;
	if (f->type == FORM_CHOICE && !has_choices)
		return fail_at(ps, f->line, 1, "choice field '%s' needs 'choices table NAME' or 'choice' lines",
		               f->name);
	if (f->type == FORM_CHOICE && f->choice_table && f->nchoices > 0)
		return fail_at(ps, f->line, 1, "field '%s': either a choices table or choice lines, not both",
		               f->name);
	if (f->type != FORM_CHOICE && has_choices)
		return fail_at(ps, f->line, 1, "field '%s' is not of type choice but has choices", f->name);
	if (f->type == FORM_CHECKBOX && (f->max || f->pattern))
		return fail_at(ps, f->line, 1, "checkbox '%s' takes no max or pattern", f->name);
	if (f->def && form_check(f, f->def) != NULL)
		return fail_at(ps, f->line, 1, "field '%s': the default does not pass its own checks: %s",
		               f->name, form_check(f, f->def));
	return true;
}

static bool
finish_form(struct parser *ps)
{
	if (!ps->def->name)
		return fail_at(ps, 1, 1, "expected 'form NAME' in the file");
	if (!ps->def->title)
		return fail_at(ps, 1, 1, "expected 'title \"...\"' in the file");
	if (!ps->def->binds)
		return fail_at(ps, 1, 1, "expected 'binds NAME' in the file");
	if (ps->def->nfields == 0)
		return fail_at(ps, ps->line, 1, "expected at least one field");
	return true;
}

void
form_def_free(struct form_def **def)
{
	struct form_def *d = *def;
	if (!d)
		return;
	for (int i = 0; i < d->nfields; i++) {
		struct form_field *f = &d->fields[i];
		free(f->name), free(f->label), free(f->pattern), free(f->help), free(f->def);
		free(f->choice_table);
		for (int c = 0; c < f->nchoices; c++)
			free(f->choices[c].code), free(f->choices[c].label);
		free(f->choices);
	}
	free(d->fields);
	free(d->name), free(d->title), free(d->binds), free(d->file);
	free(d);
	*def = NULL;
}

const struct form_field *
form_field_find(const struct form_def *def, const char *name)
{
	for (int i = 0; i < def->nfields; i++)
		if (strcmp(def->fields[i].name, name) == 0)
			return &def->fields[i];
	return NULL;
}

bool
form_parse(const char *file, const char *text, size_t len, struct form_def **out,
           struct form_error *err)
{
	memset(err, 0, sizeof *err);
	snprintf(err->file, sizeof err->file, "%s", file ? file : "<form>");
	*out = NULL;
	struct parser ps = {.p = text, .end = text + len, .line = 1, .col = 1, .err = err};
	if (len > FORM_MAX_FILE)
		return fail_at(&ps, 1, 1, "file larger than %d bytes", FORM_MAX_FILE);
	if (!check_utf8(&ps, text, len))
		return false;
	ps.def = xcalloc(1, sizeof *ps.def);
	ps.def->file = xstrdup(err->file);
	bool ok = next(&ps);
	while (ok && ps.tok.kind != TOK_EOF)
		ok = statement(&ps);
	ok = ok && finish_field(&ps) && finish_form(&ps);
	free(ps.tok.text);
	if (!ok) {
		form_def_free(&ps.def);
		return false;
	}
	*out = ps.def;
	return true;
}

void
form_error_format(const struct form_error *err, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%d:%d: %s", err->file, err->line, err->column, err->message);
}
