/* form.h: data-entry forms, defined in forms/NAME.form (doc/forms.md) —
 * parsing and value checks.  No curses here: src/views/form.c draws
 * them, and the parser is unit-tested and fuzzed on its own. */
#ifndef LOKET_FORM_FORM_H
#define LOKET_FORM_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_FIELDS 64
#define FORM_MAX_NAME 40
#define FORM_MAX_STRING 1000
#define FORM_MAX_LENGTH 20000
#define FORM_MAX_FILE (64 * 1024)

enum form_type {
	FORM_TEXT,
	FORM_MULTILINE,
	FORM_CHOICE,
	FORM_DATE,
	FORM_EMAIL,
	FORM_PHONE,
	FORM_POSTCODE,
	FORM_CHECKBOX,
};

struct form_choice {
	char *code;
	char *label;
};

struct form_field {
	char *name;  /* a column of the bound table, or a key in question.extra */
	char *label; /* Dutch, shown before the field */
	enum form_type type;
	bool required;
	int max;       /* maximum length in characters; 0 = the type's default */
	char *pattern; /* POSIX extended regular expression, or NULL */
	char *help;    /* the status-bar line, or NULL */
	char *def;     /* default value, or NULL */
	char *choice_table;          /* choices from this reference table, or NULL */
	struct form_choice *choices; /* or from this fixed list */
	int nchoices;
	int line; /* where the field starts in the file */
};

struct form_def {
	char *name;
	char *title;
	char *binds; /* the binding that stores it (src/views/bind/bind.h) */
	int binds_line, binds_col; /* where `binds` stands, for errors */
	char *file;  /* the file it was read from, for errors */
	struct form_field *fields;
	int nfields;
};

/* Where and why a form file is wrong: "file:line:column: message". */
struct form_error {
	char file[256];
	int line;
	int column;
	char message[256];
};

/* Parse the text of a form file (len bytes, need not be NUL-terminated).
 * `file` names it in errors.  Returns false with err set. */
bool form_parse(const char *file, const char *text, size_t len, struct form_def **out,
                struct form_error *err);
void form_def_free(struct form_def **def);

/* The file for form `name`: DATADIR/forms/ORG/NAME.form when the
 * organisation has its own version (org may be NULL), else
 * DATADIR/forms/NAME.form.  NULL for names that are not plain codes. */
char *form_path(const char *datadir, const char *org, const char *name);
/* Read and parse that file; the form inside must carry the same name. */
bool form_load(const char *datadir, const char *org, const char *name, struct form_def **out,
               struct form_error *err);

/* "file:line:column: message" into buf. */
void form_error_format(const struct form_error *err, char *buf, size_t size);

/* A field's longest value in characters: its max, or its type's default. */
int form_field_max(const struct form_field *f);
const char *form_type_name(enum form_type type);
const struct form_field *form_field_find(const struct form_def *def, const char *name);

/* Check one value as typed (may be "" for empty).  Returns NULL when it is
 * acceptable, else an English message id for the problem (translate with
 * _()).  Choice values are checked against fixed choices only; reference
 * tables are checked by the database. */
const char *form_check(const struct form_field *field, const char *value);

/* What has been typed into a form: field name -> text (owned copies). */
struct form_values {
	char **names;
	char **values;
	int n;
};

const char *form_values_get(const struct form_values *v, const char *name); /* NULL if unset */
void form_values_set(struct form_values *v, const char *name, const char *value);
void form_values_clear(struct form_values *v);
/* The first field whose value does not pass form_check, with the reason in
 * *why; NULL when every field is fine. */
const struct form_field *form_first_invalid(const struct form_def *def,
                                            const struct form_values *v, const char **why);

/* Drafts: every change to a form being filled in is journalled to a file of
 * its own, so that nothing typed is lost to a dropped connection, a dropped
 * SSH session or a crash.  The directory is $XDG_STATE_HOME/loket/drafts
 * (default ~/.local/state/loket/drafts), mode 0700; files are 0600 and are
 * replaced atomically (write, fsync, rename, fsync of the directory). */
struct form_draft {
	char form[FORM_MAX_NAME + 1];
	char id[40];      /* the uuid the save will use: a retry never duplicates */
	char role[64];    /* the database role it was typed as; offered only to it */
	char database[96]; /* and the database (session.database): never in another */
	long long saved;  /* time of the last change, seconds since the epoch */
	struct form_values values;
};

/* The drafts directory (created if missing); NULL with errno set. */
char *form_draft_dir(void);
/* Write the draft; false with errno set. */
bool form_draft_write(const char *dir, const struct form_draft *d);
/* Read the draft with this id; false when missing or unreadable. */
bool form_draft_read(const char *dir, const char *id, struct form_draft *out);
/* The ids of all drafts, newest first (NULL-terminated, caller frees). */
char **form_draft_list(const char *dir);
void form_draft_list_free(char **ids);
bool form_draft_remove(const char *dir, const char *id);
void form_draft_clear(struct form_draft *d);
/* Whether the draft was typed as this role in this database (a draft
 * without a database, from before loket recorded it, is for none). */
bool form_draft_is_for(const struct form_draft *d, const char *role, const char *database);

#endif
