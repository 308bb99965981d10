/* db_cmd.c: `loket db migrate|status|seed|refresh` for the database
 * administrator (refresh also for a supervisors' service account). */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "db/migrate.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/validate.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void
say_file(const char *file, void *arg)
{
	sanitize_fprintf(stderr, "%s %s\n", (const char *)arg, file);
}

static int
failed(struct db_error *err)
{
	cli_print_db_error("loket", err);
	db_error_clear(err);
	return CLI_DB;
}

/* Refuse to build on a history that does not match the files: an applied
 * migration whose file changed since (or whose recorded checksum was
 * altered), or a pending file numbered below one already applied.  Prints
 * each problem; returns true when there is none. */
static bool
history_consistent(const struct migration_list *list)
{
	int last_applied = 0;
	for (int i = 0; i < list->count; i++)
		if (list->items[i].applied_at && list->items[i].version > last_applied)
			last_applied = list->items[i].version;
	bool ok = true;
	for (int i = 0; i < list->count; i++) {
		const struct migration *m = &list->items[i];
		if (m->applied_at && m->changed) {
			sanitize_fprintf(
			    stderr,
			    _("loket: %s was applied but its checksum no longer matches; "
			      "restore the file and put changes in a new migration\n"),
			    m->name);
			ok = false;
		} else if (!m->applied_at && m->version < last_applied) {
			sanitize_fprintf(
			    stderr,
			    _("loket: %s is numbered below a migration already applied (%03d); "
			      "give it a higher number\n"),
			    m->name, last_applied);
			ok = false;
		}
	}
	return ok;
}

static int
db_migrate(struct db *db)
{
	char *dir = xasprintf("%s/sql", loket_datadir());
	struct db_error err = {0};
	struct migration_list list;
	if (!migrate_status(db, dir, &list, &err)) {
		free(dir);
		return failed(&err);
	}
	bool consistent = history_consistent(&list);
	migration_list_free(&list);
	if (!consistent) {
		free(dir);
		fputs(_("loket: nothing was applied\n"), stderr);
		return CLI_DB;
	}
	int applied = 0;
	bool ok = migrate_apply(db, dir, say_file, _("applying"), &applied, &err);
	free(dir);
	if (!ok)
		return failed(&err);
	if (applied == 0)
		sanitize_fprintf(stdout, _("The schema is up to date.\n"));
	else
		sanitize_fprintf(stdout,
		                 ngettext("Applied %d migration.\n", "Applied %d migrations.\n",
		                          (unsigned long)applied),
		                 applied);
	return CLI_OK;
}

static int
db_status(struct db *db)
{
	char *dir = xasprintf("%s/sql", loket_datadir());
	struct migration_list list;
	struct db_error err = {0};
	bool ok = migrate_status(db, dir, &list, &err);
	free(dir);
	if (!ok)
		return failed(&err);
	int pending = 0;
	for (int i = 0; i < list.count; i++) {
		const struct migration *m = &list.items[i];
		if (m->applied_at)
			sanitize_fprintf(stdout, _("%03d  %-28s applied %s by %s%s\n"), m->version,
			                 m->name, m->applied_at, m->applied_by,
			                 m->changed ? _("  (file changed since)") : "");
		else
			sanitize_fprintf(stdout, _("%03d  %-28s pending\n"), m->version, m->name),
			    pending++;
	}
	migration_list_free(&list);
	sanitize_fprintf(
	    stdout,
	    ngettext("%d migration pending.\n", "%d migrations pending.\n", (unsigned long)pending),
	    pending);
	return CLI_OK;
}

/* Bring the summaries of every region up to date (sql/034: counts and
 * reports are right without it; a timer runs it so that the questions they
 * count beside the summaries stay few). */
static int
db_refresh(struct db *db)
{
	struct db_error err = {0};
	int days = 0;
	if (!db_query_value(db, "SELECT loket.stat_refresh_all()", 0, NULL, DB_T_INT, &days, NULL,
	                    &err)) {
		if (strcmp(err.sqlstate, "42501") != 0)
			return failed(&err);
		/* not PostgreSQL's "permission denied for function stat_refresh_all" */
		fputs(_("loket: db refresh is for administrators and supervisors, and the role you "
		        "logged in as is neither.\n"),
		      stderr);
		db_error_clear(&err);
		return CLI_USAGE;
	}
	sanitize_fprintf(stdout,
	                 ngettext("Summaries brought up to date: %d changed day.\n",
	                          "Summaries brought up to date: %d changed days.\n",
	                          (unsigned long)days),
	                 days);
	return CLI_OK;
}

static void
say_progress(long done, long total, void *arg)
{
	(void)arg;
	sanitize_fprintf(stderr, _("generated %ld of %ld questions (%ld%%)\n"), done, total,
	                 total ? done * 100 / total : 100);
}

static int
db_seed(struct db *db, int argc, char **argv)
{
	static const struct option opts[] = {{"cases", required_argument, NULL, 'n'},
	                                     {"region", required_argument, NULL, 'r'},
	                                     {"national", no_argument, NULL, 'N'},
	                                     {"codes", no_argument, NULL, 'C'},
	                                     {NULL, 0, NULL, 0}};
	int cases = 0;
	bool national = false, codes_only = false;
	const char *region = NULL;
	optind = 0; /* 0, not 1: glibc then starts afresh, and permutes again */
	opterr = 0;
	int c;
	bool ok = true;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r' && *optarg)
			region = optarg;
		else if (c == 'N')
			national = true;
		else if (c == 'C')
			codes_only = true;
		else if (c != 'n' || !parse_positive_int(optarg, &cases))
			ok = false;
	}
	if (!ok || optind != argc || ((national || codes_only) && (region || cases)) ||
	    (national && codes_only)) {
		fputs(_("loket: db seed [--cases N] [--region NAME] with N a positive number, "
		        "db seed --codes or db seed --national\n"),
		      stderr);
		return CLI_USAGE;
	}
	struct db_error err = {0};
	bool subscribes = false;
	if (!national && !codes_only &&
	    !db_query_value(db,
	                    "SELECT EXISTS (SELECT 1 FROM pg_subscription s JOIN pg_database d "
	                    "ON d.oid = s.subdbid WHERE d.datname = current_database())",
	                    0, NULL, DB_T_BOOL, &subscribes, NULL, &err))
		return failed(&err);
	if (subscribes) { /* the regions come from their publications (national.md) */
		fputs(_("loket: this database subscribes to regions' summaries: it is a national "
		        "reporting database, which takes db seed --national only.\n"),
		      stderr);
		return CLI_USAGE;
	}
	char *dir = xasprintf("%s/sql/seed", loket_datadir());
	if (national)
		ok = seed_national(db, dir, say_file, _("loading"), &err);
	else if (codes_only)
		ok = seed_codes(db, dir, say_file, _("loading"), &err);
	else
		ok = seed_reference(db, dir, say_file, _("loading"), &err) &&
		     (!region || seed_region(db, dir, region, &err)) &&
		     (cases == 0 || seed_cases(db, dir, cases, region, say_progress, NULL, &err));
	free(dir);
	if (!ok)
		return failed(&err);
	sanitize_fprintf(stdout, _("Seed data loaded.\n"));
	return CLI_OK;
}

int
cli_db(const struct cli_globals *g, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "";
	bool known = strcmp(sub, "migrate") == 0 || strcmp(sub, "status") == 0 ||
	             strcmp(sub, "seed") == 0 || strcmp(sub, "refresh") == 0;
	if (!known) {
		fputs(_("loket: db: say migrate, status, seed or refresh\n"), stderr);
		return CLI_USAGE;
	}
	if (strcmp(sub, "seed") != 0 && argc > 2) {
		sanitize_fprintf(stderr, _("loket: db %s takes no arguments\n"), sub);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	struct cli_globals any = *g;
	any.any_schema = true; /* the administrator's commands: they bring it up to date */
	int rc = cli_connect(&any, &db);
	if (rc != CLI_OK)
		return rc;
	if (strcmp(sub, "migrate") == 0)
		rc = db_migrate(db);
	else if (strcmp(sub, "status") == 0)
		rc = db_status(db);
	else if (strcmp(sub, "refresh") == 0)
		rc = db_refresh(db);
	else
		rc = db_seed(db, argc - 1, argv + 1);
	db_close(&db);
	return rc;
}
