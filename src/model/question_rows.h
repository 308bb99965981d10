/* question_rows.h: inside the model only — how a row of the case list is
 * read (question.c), shared with the detail (question_detail.c), whose
 * statement starts with the same columns. */
#ifndef LOKET_MODEL_QUESTION_ROWS_H
#define LOKET_MODEL_QUESTION_ROWS_H

#include "db/db.h"

/* struct question_row, column by column: id, number, created, created_key,
 * organisation, advisor, channel, client_group, topic, status, text,
 * postcode4, referral_status, version, referral_unseen, referral_overdue. */
extern const struct db_field question_row_fields[];
#define QUESTION_ROW_NFIELDS 16
/* The first columns, up to version, which the detail reads too. */
#define QUESTION_ROW_COMMON 14

#endif
