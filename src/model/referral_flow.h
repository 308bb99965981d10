/* referral_flow.h: the life of a referral after it was made — finding it,
 * listing an organisation's referrals, accepting (one wins), and the other
 * changes of status, each guarded by the row's version.  The rules are the
 * database's (sql/010_referral_lifecycle.sql); this only asks. */
#ifndef LOKET_MODEL_REFERRAL_FLOW_H
#define LOKET_MODEL_REFERRAL_FLOW_H

#include <stdbool.h>

#include "db/db.h"

/* SQLSTATE of "someone else took it first" (DETAIL names them). */
#define REFERRAL_TAKEN "LK409"

struct referral_ref {
	char id[40];
	int version;
	char status[16];
	int number; /* the question's */
};

/* Find a referral by uuid, or by question number: the newest referral of
 * that question the role can see.  Not found gives SQLSTATE 02000. */
bool referral_find(struct db *db, const char *key, struct referral_ref *out,
                   struct db_error *err);

/* Accept: exactly one of several advisors wins; the others get
 * REFERRAL_TAKEN with the winner's display name in err->detail. */
bool referral_accept(struct db *db, const struct referral_ref *r, struct db_error *err);

/* Change the status (NULL = keep it) with what goes with it: the outcome
 * for completed, the reason for returned, and the target's note (the
 * outcome note when completing; NULL = unchanged).  Only when the version is still
 * r->version; otherwise SQLSTATE 40001 (changed meanwhile). */
bool referral_set_status(struct db *db, const struct referral_ref *r, const char *status,
                         const char *outcome, const char *note, const char *return_reason,
                         struct db_error *err);

/* The central point's inbox: one tab of referrals to the role's
 * organisation, a page at a time: by deadline and, within one deadline, high
 * urgency first (keyset on deadline, urgency, id); the returned ones newest
 * first (keyset on returned_at, id). */
enum inbox_tab { INBOX_NEW, INBOX_MINE, INBOX_IN_PROGRESS, INBOX_OVERDUE, INBOX_RETURNED,
                 INBOX_TABS };

struct inbox_row {
	char id[40];
	int number; /* the question's */
	int version;
	char *from_org_name, *reason, *status, *accepted_by, *text;
	char *deadline_key;  /* the keyset's timestamptz: the deadline, or when returned */
	long minutes_left;   /* until the deadline; negative when overdue */
	bool unseen;
	bool high;           /* urgency hoog: first within its deadline (part of the keyset) */
	char *note;          /* the sender's note, "" when none (raw: sanitise to show) */
};

struct inbox_page {
	struct inbox_row *rows;
	int count;
	bool more; /* more rows beyond the page in the asked direction */
};

/* Rows after (forward) or before the key row; key NULL = from the start
 * (forward) or from the end (back). */
bool inbox_page(struct db *db, enum inbox_tab tab, const struct inbox_row *key, bool forward,
                int limit, struct inbox_page *out, struct db_error *err);
void inbox_page_free(struct inbox_page *p);

/* Listen for news of the role's own organisation's referrals (sql/025):
 * the database LISTENs on the organisation's channel, whose name the client
 * never learns, and a notification only says "look again".  Listening
 * belongs to the session: again after a reconnect.  *listening is false for
 * a role without an organisation. */
bool referral_listen(struct db *db, bool *listening, struct db_error *err);

/* Referral news of the last week the role has not opened yet. */
bool referral_unseen_count(struct db *db, long *out, struct db_error *err);
/* Opening a question: its referrals' news is seen; *unseen is the news
 * left, as referral_unseen_count says. */
bool referral_mark_seen(struct db *db, const char *question_id, long *unseen,
                        struct db_error *err);

/* The referrals for `loket referral list`, by deadline, high urgency first
 * within one deadline, at most limit: the open ones (status NULL) or those
 * of one status, only the overdue ones when asked.  Columns: number,
 * created, from, to, reason, urgency, status, due, overdue, accepted_by,
 * outcome, id, note, contact_name, contact_phone, contact_email, text; the
 * contact details are those the client consented to pass on with the
 * referral, only when contact is true (each read logged, sql/038); else
 * those columns are empty and nothing is read. */
bool referral_list(struct db *db, const char *status, bool overdue, int limit, bool contact,
                   struct db_table *out, struct db_error *err);

#endif
