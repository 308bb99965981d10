/* refdata.c: load code tables for validation and labels. */
#include "config.h"

#include "model/refdata.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char *
ref_query(enum ref_table table)
{
	switch (table) {
	case REF_TOPIC:
		return "SELECT code, label FROM loket.topic WHERE active ORDER BY sort, code";
	case REF_CLIENT_GROUP:
		return "SELECT code, label FROM loket.client_group WHERE active ORDER BY sort, code";
	case REF_CHANNEL:
		return "SELECT code, label FROM loket.channel WHERE active ORDER BY sort, code";
	case REF_REFERRAL_REASON:
		return "SELECT code, label FROM loket.referral_reason WHERE active ORDER BY sort, code";
	case REF_REFERRAL_OUTCOME:
		return "SELECT code, label FROM loket.referral_outcome WHERE active "
		       "ORDER BY sort, code";
	case REF_ORGANISATION: /* one's own region's: a referral stays in it (sql/044) */
		return "SELECT code, name FROM loket.organisation "
		       "WHERE active AND (loket.my_region() IS NULL OR region = loket.my_region()) "
		       "ORDER BY code";
	case REF_MUNICIPALITY:
		return "SELECT code, name FROM loket.municipality ORDER BY name";
	}
	return NULL;
}

static const char *const table_names[] = {
	[REF_TOPIC] = "topic",
	[REF_CLIENT_GROUP] = "client_group",
	[REF_CHANNEL] = "channel",
	[REF_REFERRAL_REASON] = "referral_reason",
	[REF_REFERRAL_OUTCOME] = "referral_outcome",
	[REF_ORGANISATION] = "organisation",
	[REF_MUNICIPALITY] = "municipality",
};

bool
refdata_table_by_name(const char *name, enum ref_table *out)
{
	for (size_t i = 0; i < sizeof table_names / sizeof table_names[0]; i++)
		if (name && strcmp(table_names[i], name) == 0) {
			*out = (enum ref_table)i;
			return true;
		}
	return false;
}

static const struct db_field code_fields[] = {
	DB_TEXT(struct code, code),
	DB_TEXT(struct code, label),
};

bool
refdata_load(struct db *db, enum ref_table table, struct code_list *out, struct db_error *err)
{
	memset(out, 0, sizeof *out);
	return DB_QUERY_LIST(db, ref_query(table), 0, NULL, code_fields, out, err);
}

void
code_list_free(struct code_list *list)
{
	DB_LIST_FREE(code_fields, list);
}

bool
code_list_has(const struct code_list *list, const char *code)
{
	for (int i = 0; i < list->count; i++)
		if (strcmp(list->items[i].code, code) == 0)
			return true;
	return false;
}

void
code_list_remove(struct code_list *list, const char *code)
{
	for (int i = 0; i < list->count; i++)
		if (strcmp(list->items[i].code, code) == 0) {
			db_fields_free(code_fields, DB_NFIELDS(code_fields), &list->items[i]);
			memmove(&list->items[i], &list->items[i + 1],
			        (size_t)(list->count - i - 1) * sizeof list->items[0]);
			list->count--;
			return;
		}
}

const char *
code_list_label(const struct code_list *list, const char *code)
{
	for (int i = 0; i < list->count; i++)
		if (strcmp(list->items[i].code, code) == 0)
			return list->items[i].label;
	return code;
}

char *
code_list_join(const struct code_list *list)
{
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; i < list->count; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", list->items[i].code);
	return strbuf_detach(&sb);
}
