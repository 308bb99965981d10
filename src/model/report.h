/* report.h: the six supervisor reports (issue 5, doc/reports.md), fetched
 * from the database's report functions (sql/016) and laid out as tables
 * with chart columns, for the query shell's \report and the TUI's R
 * screen.  Counts the database held back print as "<5". */
#ifndef LOKET_MODEL_REPORT_H
#define LOKET_MODEL_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db/db.h"
#include "util/output.h"

enum report_kind {
	REPORT_VOLUME,
	REPORT_FUNNEL,
	REPORT_PICKUP,
	REPORT_CONSISTENCY,
	REPORT_SIGNALS,
	REPORT_KNOWLEDGE,
	REPORT_COUNT
};

/* "volume", "funnel", "pickup", "consistency", "signals", "knowledge" */
extern const char *const report_names[];
/* What volume counts by: "org", "topic", "group", "channel", "muni" */
extern const char *const report_dims[];
#define REPORT_NDIMS 5

struct report_opts {
	enum report_kind kind;
	int dim;      /* volume: index in report_dims */
	bool monthly; /* volume: per month instead of per week */
	bool by_region; /* volume: "by region" was asked (the national database's org) */
	bool national;  /* set by report_run: a national analyst (doc/national.md) */
	char since[11], until[11]; /* YYYY-MM-DD, "" for the default */
};

/* "NAME [by DIM] [by week|month] [since:DATE] [until:DATE]".  False with a
 * message saying what was expected. */
/* SQL: the role logged in is a national analyst (doc/national.md): a member
 * of loket_national, not a superuser and not an advisor of a region, as
 * sql/046's national_member() says for the login role.  Written against
 * pg_roles so that it is false, not an error, where the role is missing. */
#define REPORT_NATIONAL_SQL                                                                  \
	"(EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = 'loket_national' "                  \
	"         AND pg_has_role(r.oid, 'MEMBER')) "                                             \
	" AND NOT (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = current_user) "           \
	" AND NOT EXISTS (SELECT 1 FROM loket.advisor a WHERE a.role_name = current_user))"

bool report_parse(const char *text, struct report_opts *o, char *msg, size_t msglen);

enum report_col_use { RC_BOTH, RC_SCREEN, RC_EXPORT };

/* What a cell holds, as CSV and JSON give it; the table shows it in Dutch
 * (see doc/reports.md, "Output"). */
enum report_fmt {
	RF_TEXT,  /* text, codes, and the screen's charts */
	RF_COUNT, /* a whole number, or "<5" held back: 1234 / 1.234 */
	RF_RATE,  /* a fraction: 0.3090 / 30,9% */
	RF_DEC1,  /* a decimal number: 23.8 / 23,8 */
	RF_DEC2,  /* a decimal number: -0.37 / -0,37 */
	RF_DATE,  /* an ISO date: 2026-09-07 / 07-09-2026 */
};

struct report_col {
	const char *key;  /* the CSV and JSON name: English, the same in every locale */
	const char *name; /* translated header of the table */
	enum report_fmt fmt;
	enum report_col_use use; /* chart columns are for the screen only */
	bool owned;              /* key and name allocated (the export's period headers) */
};

struct report_table {
	const char *key; /* JSON "name": English, the same in every locale */
	char *title;
	bool export_only; /* CSV only: the screen and JSON have it split up */
	int label_cols;   /* the screen's row label: this many columns (0: 1) */
	int ncols, nrows;
	struct report_col cols[40];
	char **cells; /* nrows * ncols, owned; NULL = empty */
};

struct report {
	const char *name;        /* "volume", ... */
	char since[11], until[11]; /* the window, ISO */
	char *what;  /* which report, translated: "Referral funnel" */
	char *title; /* what and over which days (dd-mm-jjjj) */
	char *note;  /* what "<5" means, when something was held back */
	struct report_table tables[8];
	int ntables;
	int export_table; /* the one CSV gets */
};

/* Run the report for the supervisor connected.  Charts in Unicode block
 * elements when utf8, else ASCII. */
bool report_run(struct db *db, const struct report_opts *o, bool utf8, struct report *out,
                struct db_error *err);
void report_free(struct report *r);

/* As text tables with charts and Dutch figures, or (CSV, JSON) the data
 * without charts, with dot decimals, fractions and ISO dates, the same in
 * every locale: CSV has the export table only; JSON all, by name. */
void report_write(FILE *f, const struct report *r, enum out_format fmt, bool sanitise);

/* For the screen: the text report_write gives in table format, and for each
 * of its lines the display columns of the row label (the first column and
 * the gap after it), which stay put when the table scrolls sideways; 0 for
 * lines outside a table.  *freeze is a new array of *nlines entries. */
char *report_text(const struct report *r, int **freeze, int *nlines);

#endif
