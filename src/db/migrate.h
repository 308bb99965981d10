/* migrate.h: numbered SQL migrations (sql/NNN_name.sql) and the seed files
 * (sql/seed/NN_name.sql), each applied in its own transaction. */
#ifndef LOKET_DB_MIGRATE_H
#define LOKET_DB_MIGRATE_H

#include <stdbool.h>

#include "db/db.h"

struct migration {
	int version;
	char *name;       /* file name, e.g. "003_cases.sql" */
	char *applied_at; /* NULL while pending */
	char *applied_by;
	bool changed; /* applied, but the file's checksum differs since */
};

struct migration_list {
	struct migration *items;
	int count;
};

void migration_list_free(struct migration_list *list);

/* Every migration file in sqldir and, for those applied, when and by whom.
 * Also lists versions recorded in the database whose file is missing.
 * Returns false with err set. */
bool migrate_status(struct db *db, const char *sqldir, struct migration_list *out,
                    struct db_error *err);

/* The schema this loket is built for: the number of the newest migration
 * in sql/ (tests/db/test_migrate checks that they agree). */
#define LOKET_SCHEMA_VERSION 49

/* The database's schema: the newest migration applied, from
 * loket.schema_version() (sql/048), which every login may call; 0 when the
 * database is older than 048 (or has no loket schema).  False on another
 * error. */
bool schema_version(struct db *db, int *version, struct db_error *err);

typedef void (*migrate_progress_fn)(const char *file, void *arg);

/* Apply every pending migration in version order, each in a transaction that
 * also records it.  A concurrent migrate waits on an advisory lock.  Stops at
 * the first failure (err names the file).  *applied counts what was applied. */
bool migrate_apply(struct db *db, const char *sqldir, migrate_progress_fn progress,
                   void *arg, int *applied, struct db_error *err);

/* Run every sql/seed/NN_*.sql file in name order, each in a transaction.
 * The files are idempotent.  Returns false with err naming the file. */
bool seed_reference(struct db *db, const char *seeddir, migrate_progress_fn progress,
                    void *arg, struct db_error *err);

/* Another demo region beside Twente (sql/seed/region.sql): its
 * organisations, knowledge items and demo roles NAME_<org>_demo,
 * NAME_supervisor_demo, NAME_editor_demo, NAME_privacy_demo. */
bool seed_region(struct db *db, const char *seeddir, const char *code, struct db_error *err);

/* A national reporting database (doc/national.md): only the national code
 * lists (sql/seed/00_codes.sql) and the demo's national analyst
 * (sql/seed/national.sql).  The regions come from their publications. */
bool seed_national(struct db *db, const char *seeddir, migrate_progress_fn progress, void *arg,
                   struct db_error *err);

/* Only the national code lists (sql/seed/00_codes.sql), which a region's
 * production database loads before its own reference data: no demo data,
 * no demo role (deployment.md). */
bool seed_codes(struct db *db, const char *seeddir, migrate_progress_fn progress, void *arg,
                struct db_error *err);

typedef void (*seed_cases_progress_fn)(long done, long total, void *arg);

/* Generate total synthetic questions with sql/seed/cases.sql: reserve their
 * numbers, then commit them in batches of 50,000, on a second connection too
 * when the server can be reached again the same way (one per core, at most
 * two), reporting progress after each batch.  On failure, batches already
 * committed stay; err holds the first error. */
bool seed_cases(struct db *db, const char *seeddir, long total, const char *region,
                seed_cases_progress_fn progress, void *arg, struct db_error *err);

#endif
