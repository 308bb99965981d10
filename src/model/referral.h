/* referral.h: handing a question over to the central point (or another
 * partner), with or without the client's contact details. */
#ifndef LOKET_MODEL_REFERRAL_H
#define LOKET_MODEL_REFERRAL_H

#include <stdbool.h>

#include "db/db.h"

struct referral_new {
	const char *id;          /* uuid made by the client: a retry is idempotent */
	const char *question_id;
	const char *to_org;      /* NULL or "": the region's central organisation */
	const char *reason;
	const char *urgency;     /* normaal | hoog */
	const char *note;        /* may be NULL */
	bool consent_contact;
};

/* Contact details, stored only with the client's consent (dated now). */
struct client_new {
	const char *question_id;
	const char *name, *email, *phone, *company_name, *kvk_number; /* NULL or "" = none */
};

/* Store the referral; with `client` (consent given) also the contact details,
 * in the same transaction.  Returns false with err set; nothing is stored
 * then. */
bool referral_add(struct db *db, const struct referral_new *r, const struct client_new *client,
                  struct db_error *err);

/* A demand signal: latent demand or a missing offer (id: a client-made
 * uuid, so a retry is idempotent; question_id may be NULL or ""). */
struct signal_new {
	const char *id;
	const char *question_id;
	const char *kind, *topic, *sector, *municipality, *text;
};

bool signal_add(struct db *db, const struct signal_new *sig, struct db_error *err);

/* The name of the organisation a referral without target goes to. */
bool referral_central_name(struct db *db, char **name, struct db_error *err);
/* The name of an organisation question_id is referred to with a referral
 * still open (sent, accepted, in progress), in *name; "" when none. */
bool referral_open_to(struct db *db, const char *question_id, char **name, struct db_error *err);
/* The same, with its code; either pointer may be NULL.  "" when the region
 * has none. */
bool referral_central(struct db *db, char **code, char **name, struct db_error *err);
/* What a signal about a question starts with: the question's topic and the
 * municipality of its postcode ("" when there is none). */
bool signal_defaults(struct db *db, const char *question_id, char **topic, char **municipality,
                     struct db_error *err);

#endif
