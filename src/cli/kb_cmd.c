/* kb_cmd.c: `loket kb ...` — the knowledge editors' commands: list, review,
 * show, diff, retire, export and import. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "model/kb.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/output.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
db_fail(const char *who, struct db_error *err)
{
	int rc = cli_db_failed(who, err);
	db_error_clear(err);
	return rc;
}

/* The items as a table: slug, version, title, review date, state. */
static int
kb_cmd_list(struct db *db, bool retired, int review_days, enum out_format fmt)
{
	struct kb_items l;
	struct db_error err = {0};
	if (!kb_list(db, retired, review_days, &l, &err))
		return db_fail("kb", &err);
	static const struct out_column cols[] = {
		{"slug", false, 32},      {"version", true, 0},   {"title", false, 48},
		{"review_by", false, 0}, {"days_left", true, 0}, {"state", false, 0},
	};
	const char **cells = xcalloc((size_t)(l.count > 0 ? l.count : 1) * 6, sizeof *cells);
	char (*nums)[2][16] = xcalloc((size_t)(l.count > 0 ? l.count : 1), sizeof *nums);
	for (int i = 0; i < l.count; i++) {
		const struct kb_item *it = &l.items[i];
		snprintf(nums[i][0], sizeof nums[i][0], "%d", it->version_no);
		snprintf(nums[i][1], sizeof nums[i][1], "%d", it->days_left);
		cells[i * 6 + 0] = it->slug;
		cells[i * 6 + 1] = nums[i][0];
		cells[i * 6 + 2] = it->title;
		cells[i * 6 + 3] = it->review_by;
		cells[i * 6 + 4] = nums[i][1];
		/* codes, as every CLI listing has them: stable for scripts */
		cells[i * 6 + 5] = it->retired           ? "retired"
		                   : it->days_left < 0   ? "past_review"
		                   : it->days_left <= 30 ? "review_soon"
		                                         : "current";
	}
	struct out_grid g = {cols, 6, l.count, cells};
	out_write(stdout, fmt, &g, isatty(STDOUT_FILENO));
	free(cells);
	free(nums);
	kb_items_free(&l);
	return CLI_OK;
}

static void
print_field(const char *label, const char *value)
{
	char *v = sanitize_dup(value ? value : "", SANITIZE_MULTILINE);
	sanitize_fprintf(stdout, "%s: %s\n", label, v);
	free(v);
}

static const struct kb_version *
find_version(const struct kb_versions *vs, int no)
{
	for (int i = 0; i < vs->count; i++)
		if (vs->items[i].version_no == no)
			return &vs->items[i];
	return NULL;
}

/* The versions of the item slug in *vs, newest first.  Returns CLI_OK, or
 * the exit code after saying what went wrong: a database error, or with
 * `missing` (a message with one %s, the slug) that there is no such item. */
static int
item_versions(struct db *db, const char *who, const char *slug, const char *missing,
              struct kb_versions *vs)
{
	struct db_error err = {0};
	if (!kb_versions_by_slug(db, slug, vs, &err))
		return db_fail(who, &err);
	if (vs->count > 0 || !missing)
		return CLI_OK;
	sanitize_fprintf(stderr, missing, slug);
	kb_versions_free(vs);
	return CLI_USAGE;
}

static int
kb_cmd_show(struct db *db, const char *slug, int version)
{
	struct kb_versions vs;
	int rc = item_versions(db, "kb show", slug, NULL, &vs);
	if (rc != CLI_OK)
		return rc;
	const struct kb_version *v = version > 0 ? find_version(&vs, version)
	                                         : (vs.count ? &vs.items[0] : NULL);
	if (!v) {
		sanitize_fprintf(stderr,
		                 _("loket: kb show: no item '%s' (version %d) in your region\n"),
		                 slug, version);
		kb_versions_free(&vs);
		return CLI_USAGE;
	}
	char head[64];
	snprintf(head, sizeof head, "%d / %d", v->version_no, vs.items[0].version_no);
	print_field(_("Item"), v->slug);
	print_field(_("Version"), head);
	print_field(_("Title"), v->title);
	print_field(_("Tell the client"), v->tell_client);
	print_field(_("Topics"), v->topics);
	print_field(_("Audience"), v->audience[0] ? v->audience : _("everyone"));
	print_field(_("Link"), v->link);
	print_field(_("Valid from"), v->valid_from);
	print_field(_("Review by"), v->review_by);
	print_field(_("Saved by"), v->created_by);
	print_field(_("Saved at"), v->created_at);
	if (v->retired)
		print_field(_("State"), _("retired"));
	putchar('\n');
	char *b = sanitize_dup(v->body, SANITIZE_MULTILINE);
	sanitize_fprintf(stdout, "%s\n", b);
	free(b);
	kb_versions_free(&vs);
	return CLI_OK;
}

static int
kb_cmd_diff(struct db *db, const char *slug, int from, int to)
{
	struct kb_versions vs;
	int rc = item_versions(db, "kb diff", slug,
	                       _("loket: kb diff: no item '%s' in your region\n"), &vs);
	if (rc != CLI_OK)
		return rc;
	if (vs.count == 1) {
		sanitize_fprintf(stderr, _("loket: kb diff: '%s' has only one version\n"), slug);
		kb_versions_free(&vs);
		return CLI_USAGE;
	}
	if (to <= 0)
		to = vs.items[0].version_no;
	if (from <= 0)
		from = to - 1;
	const struct kb_version *a = find_version(&vs, from), *b = find_version(&vs, to);
	if (!a || !b) {
		sanitize_fprintf(stderr, _("loket: kb diff: '%s' has versions 1 to %d\n"), slug,
		                 vs.items[0].version_no);
		kb_versions_free(&vs);
		return CLI_USAGE;
	}
	char *text = kb_version_diff(a, b);
	char *safe = sanitize_dup(text, SANITIZE_MULTILINE);
	sanitize_fprintf(stdout, "%s: %s\n", slug, safe);
	free(safe);
	free(text);
	kb_versions_free(&vs);
	return CLI_OK;
}

static int
kb_cmd_retire(struct db *db, const char *slug, bool retire)
{
	struct kb_versions vs;
	int rc = item_versions(db, "kb retire", slug, _("loket: kb: no item '%s' in your region\n"),
	                       &vs);
	if (rc != CLI_OK)
		return rc;
	struct db_error err = {0};
	bool ok = kb_retire(db, vs.items[0].item_id, retire, &err);
	kb_versions_free(&vs);
	if (!ok)
		return db_fail("kb retire", &err);
	sanitize_fprintf(stdout,
	                 retire ? _("%s retired: it is no longer suggested; its history stays.\n")
	                        : _("%s is back in use.\n"),
	                 slug);
	return CLI_OK;
}

static int
kb_cmd_export(struct db *db, const char *path)
{
	char *json = NULL;
	struct db_error err = {0};
	if (!kb_export(db, &json, &err))
		return db_fail("kb export", &err);
	int rc = CLI_OK;
	FILE *f = path ? fopen(path, "w") : stdout;
	if (!f) {
		perror(path);
		rc = CLI_USAGE;
	} else {
		fprintf(f, "%s\n", json);
		if ((path ? fclose(f) : fflush(f)) != 0) {
			perror(path ? path : "stdout");
			rc = CLI_USAGE;
		}
	}
	free(json);
	return rc;
}

static int
kb_cmd_import(struct db *db, const char *path)
{
	char *json = NULL;
	size_t len = 0;
	if (!file_read(path, &json, &len)) {
		sanitize_fprintf(stderr, _("loket: kb import: cannot read %s\n"), path);
		return CLI_USAGE;
	}
	if (strlen(json) != len) {
		sanitize_fprintf(stderr, _("loket: kb import: %s is not a text file\n"), path);
		free(json);
		return CLI_USAGE;
	}
	struct kb_import_result res;
	struct db_error err = {0};
	bool ok = kb_import(db, json, &res, &err);
	free(json);
	if (!ok) {
		sanitize_fprintf(stderr, _("loket: kb import: %s: nothing was imported.\n"), path);
		return db_fail("kb import", &err);
	}
	int n[4] = {0};
	for (int i = 0; i < res.count; i++) {
		const char *a = res.items[i].action;
		int k = strcmp(a, "created") == 0 ? 0 : strcmp(a, "updated") == 0 ? 1
		        : strcmp(a, "unchanged") == 0                            ? 2
		                                                                 : 3;
		n[k]++;
		if (k != 2)
			sanitize_fprintf(stdout, "%-40s %s\n", res.items[i].slug,
			                 k == 0   ? _("created")
			                 : k == 1 ? _("new version")
			                          : _("retired"));
	}
	sanitize_fprintf(stdout,
	                 _("Imported: %d new, %d with a new version, %d unchanged, %d retired.\n"),
	                 n[0], n[1], n[2], n[3]);
	kb_import_result_free(&res);
	return CLI_OK;
}

void
cli_kb_usage(FILE *out)
{
	fputs(_("usage: loket kb list [--retired] [--format table|csv|json]\n"
	        "       loket kb review [--days N] [--format table|csv|json]\n"
	        "       loket kb show SLUG [--version N]\n"
	        "       loket kb diff SLUG [--from N] [--to N]\n"
	        "       loket kb retire SLUG | loket kb restore SLUG\n"
	        "       loket kb export [--format json] [--output FILE]\n"
	        "       loket kb import FILE\n"),
	      out);
}

struct kb_args {
	bool retired;
	int days, version, from, to;
	const char *output;
	enum out_format fmt;
};

/* The options after `kb CMD`; false (with a message) when one is wrong.
 * optind is left at the first argument that is not an option. */
static bool
kb_options(const char *cmd, int argc, char **argv, struct kb_args *a)
{
	static const struct option opts[] = {
		{"retired", no_argument, NULL, 'r'},   {"days", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'}, {"version", required_argument, NULL, 'v'},
		{"from", required_argument, NULL, 'F'},   {"to", required_argument, NULL, 'T'},
		{"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0},
	};
	*a = (struct kb_args){.days = 30, .fmt = OUT_TABLE};
	optind = 0; /* 0, not 1: GNU getopt starts afresh and permutes (options after SLUG) */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end = NULL;
		switch (c) {
		case 'r':
			a->retired = true;
			break;
		case 'd':
		case 'v':
		case 'F':
		case 'T': {
			long v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || v < 0 || v > 100000) {
				sanitize_fprintf(stderr,
				                 _("loket: kb %s: not a whole number: %s\n"), cmd,
				                 optarg);
				return false;
			}
			*(c == 'd' ? &a->days : c == 'v' ? &a->version : c == 'F' ? &a->from : &a->to) =
				(int)v;
			break;
		}
		case 'f':
			if (!out_format_parse(optarg, &a->fmt)) {
				sanitize_fprintf(stderr, _("loket: kb %s: unknown format '%s'\n"),
				                 cmd, optarg);
				return false;
			}
			break;
		case 'o':
			a->output = optarg;
			break;
		default:
			cli_kb_usage(stderr);
			return false;
		}
	}
	return true;
}

/* Run the checked command cmd with its arguments. */
static int
kb_run(struct db *db, const char *cmd, const struct kb_args *a, char **args)
{
	bool review = strcmp(cmd, "review") == 0;
	if (review || strcmp(cmd, "list") == 0)
		return kb_cmd_list(db, a->retired, review ? a->days : -1, a->fmt);
	if (strcmp(cmd, "show") == 0)
		return kb_cmd_show(db, args[0], a->version);
	if (strcmp(cmd, "diff") == 0)
		return kb_cmd_diff(db, args[0], a->from, a->to);
	if (strcmp(cmd, "retire") == 0 || strcmp(cmd, "restore") == 0)
		return kb_cmd_retire(db, args[0], strcmp(cmd, "retire") == 0);
	if (strcmp(cmd, "export") == 0)
		return kb_cmd_export(db, a->output);
	return kb_cmd_import(db, args[0]);
}

int
cli_kb(const struct cli_globals *g, int argc, char **argv)
{
	if (argc < 2) {
		cli_kb_usage(stderr);
		return CLI_USAGE;
	}
	const char *cmd = argv[1];
	struct kb_args a;
	if (!kb_options(cmd, argc - 1, argv + 1, &a))
		return CLI_USAGE;
	int nargs = argc - 1 - optind;
	char **args = argv + 1 + optind;
	bool list = strcmp(cmd, "list") == 0, review = strcmp(cmd, "review") == 0;
	bool needs_slug = strcmp(cmd, "show") == 0 || strcmp(cmd, "diff") == 0 ||
	                  strcmp(cmd, "retire") == 0 || strcmp(cmd, "restore") == 0;
	bool exp = strcmp(cmd, "export") == 0, imp = strcmp(cmd, "import") == 0;
	if (!list && !review && !needs_slug && !exp && !imp) {
		sanitize_fprintf(stderr, _("loket: kb: unknown command '%s'\n"), cmd);
		cli_kb_usage(stderr);
		return CLI_USAGE;
	}
	if ((needs_slug || imp) ? nargs != 1 : nargs != 0) {
		cli_kb_usage(stderr);
		return CLI_USAGE;
	}
	if (exp && a.fmt != OUT_JSON && a.fmt != OUT_TABLE) {
		fputs(_("loket: kb export: the export format is json\n"), stderr);
		return CLI_USAGE;
	}
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc == CLI_OK)
		rc = kb_run(db, cmd, &a, args);
	db_close(&db);
	return rc;
}
