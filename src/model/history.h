/* history.h: question_event rows in words, and the Dutch labels of the
 * status codes that history, the list and the CLI share. */
#ifndef LOKET_MODEL_HISTORY_H
#define LOKET_MODEL_HISTORY_H

/* One changed field of an 'updated' or 'referral_updated' event (old and
 * new are NULL when only the field's name is recorded). */
struct history_change {
	const char *field;
	const char *old_value;
	const char *new_value;
};

/* What an event recorded, as loaded by question_load; any may be NULL. */
struct history_facts {
	const char *kind;
	const char *topic, *channel, *client_group; /* labels, for 'created' */
	const char *title, *version_no;             /* 'info_given' */
	const char *to_org, *reason;                /* labels, for referrals */
	const char *consent;                        /* "true" or "false" */
	const char *client_kind;                    /* 'client_saved': person, employer */
	const struct history_change *changes;
	int nchanges;
};

/* A new string in words, e.g. "question registered: financiering, balie". */
char *history_describe(const struct history_facts *f);
/* Labels for question and referral status codes (the code if unknown). */
const char *label_question_status(const char *code);
const char *label_referral_status(const char *code);

#endif
