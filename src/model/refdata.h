/* refdata.h: the code tables (topic, client group, channel, ...). */
#ifndef LOKET_MODEL_REFDATA_H
#define LOKET_MODEL_REFDATA_H

#include <stdbool.h>

#include "db/db.h"

enum ref_table {
	REF_TOPIC,
	REF_CLIENT_GROUP,
	REF_CHANNEL,
	REF_REFERRAL_REASON,
	REF_REFERRAL_OUTCOME,
	REF_ORGANISATION,
	REF_MUNICIPALITY,
};

/* The table a form names in "choices table NAME"; false if unknown. */
bool refdata_table_by_name(const char *name, enum ref_table *out);

struct code {
	char *code;
	char *label;
};

struct code_list {
	struct code *items;
	int count;
};

/* Load the active codes of one table in display order. */
bool refdata_load(struct db *db, enum ref_table table, struct code_list *out,
                  struct db_error *err);
void code_list_free(struct code_list *list);
bool code_list_has(const struct code_list *list, const char *code);
/* Take a code out of the list (nothing when it is not there). */
void code_list_remove(struct code_list *list, const char *code);
/* The Dutch label of a code, or the code itself when unknown. */
const char *code_list_label(const struct code_list *list, const char *code);
/* "a, b, c": the codes for messages.  The caller frees. */
char *code_list_join(const struct code_list *list);

#endif
