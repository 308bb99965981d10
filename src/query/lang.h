/* lang.h: the supervisors' filter language, parsed and compiled to one
 * parameterised SELECT in PostgreSQL (doc/query.md, sql/015).  No curses, no
 * database: the model runs it (src/model/query_run.c, with query_to_json()).
 *
 *   topic:financiering org:kvk,cnv -group:werkgever since:2026-01-01
 *   "avondopleiding" count by org,topic by month top 10
 *
 * Terms are joined by AND; a comma inside a term means OR; '-' negates;
 * quoted text is a Dutch full-text search. */
#ifndef LOKET_QUERY_LANG_H
#define LOKET_QUERY_LANG_H

#include <stdbool.h>

#define QUERY_MAX_TERMS 32
#define QUERY_MAX_VALUES 16
#define QUERY_MAX_GROUP 4

enum query_field {
	QF_TOPIC,
	QF_ORG,
	QF_GROUP,
	QF_CHANNEL,
	QF_STATUS,
	QF_MUNI,
	QF_REFERRAL,
	QF_OUTCOME,
	QF_SINCE,
	QF_UNTIL,
	QF_TEXT, /* "quoted text" */
	QF_COUNT
};

enum query_period { QP_NONE, QP_WEEK, QP_MONTH };

struct query_term {
	enum query_field field;
	bool negated;
	char *values[QUERY_MAX_VALUES];
	int nvalues;
};

struct query {
	struct query_term terms[QUERY_MAX_TERMS];
	int nterms;
	bool count;
	enum query_field group[QUERY_MAX_GROUP];
	int ngroup;
	enum query_period period;
	int top; /* 0 = the default limit */
};

struct query_error {
	int column; /* 1-based, in characters */
	char message[160];
};

/* Parse `text`.  False with err set (column and what was expected). */
bool query_parse(const char *text, struct query *out, struct query_error *err);
void query_free(struct query *q);

/* The parsed query as the jsonb that PostgreSQL compiles and runs
 * (loket.query_rows and loket.query_count, sql/015): field names and
 * values, never SQL.  count overrides q->count (supervisors always count).
 * New string. */
char *query_to_json(const struct query *q, bool count);

/* The names of the fields, for help and completion (NULL-terminated). */
extern const char *const query_field_names[];

#endif
