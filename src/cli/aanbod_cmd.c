/* aanbod_cmd.c: `loket aanbod sync [URL]` — fetch the regional training
 * catalogue (OOAPI v5 offerings) and store it; `loket aanbod search TEXT`.
 * Settings and credentials come from the configuration file (doc/config.md);
 * the URL may also be given on the command line, credentials never. */
#include "config.h"

#include "cli/cli.h"
#include "cli/errors.h"
#include "model/aanbod.h"
#include "util/conf.h"
#include "util/i18n.h"
#include "util/number.h"
#include "util/output.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct progress {
	bool tty;
	int page;
	long long last_shown;
};

static void
on_bytes(void *arg, long long received, long long expected)
{
	struct progress *p = arg;
	if (!p->tty || received - p->last_shown < 64 * 1024)
		return;
	p->last_shown = received;
	fputs("\r", stderr);
	if (expected > 0)
		sanitize_fprintf(stderr, _("aanbod: page %d: %lld of %lld kB "), p->page + 1,
		                 received / 1024, expected / 1024);
	else
		sanitize_fprintf(stderr, _("aanbod: page %d: %lld kB "), p->page + 1,
		                 received / 1024);
	fflush(stderr);
}

static void
on_retry(void *arg, int attempt, const char *error, long wait_ms)
{
	struct progress *p = arg;
	char *safe = sanitize_dup(error, SANITIZE_DEFAULT);
	fputs(p->tty ? "\r\033[K" : "", stderr);
	char secs[32]; /* "0,3": Dutch, whatever LC_NUMERIC says */
	sanitize_fprintf(stderr, _("aanbod: page %d, attempt %d: %s; trying again in %s s\n"),
	                 p->page + 1, attempt, safe,
	                 num_format(secs, sizeof secs, (double)wait_ms / 1000.0, 1, true));
	free(safe);
}

static void
on_page(void *arg, int page, int items)
{
	struct progress *p = arg;
	p->page = page;
	p->last_shown = 0;
	fputs(p->tty ? "\r\033[K" : "", stderr);
	sanitize_fprintf(stderr, _("aanbod: page %d read (%d offerings)"), page, items);
	fputs(p->tty ? "" : "\n", stderr);
	fflush(stderr);
}

/* A URL on the command line must not carry credentials (they would show in
 * ps and in the shell's history). */
static bool
url_has_credentials(const char *url)
{
	CURLU *u = curl_url();
	char *user = NULL, *pass = NULL;
	bool has = false;
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		has = curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
		      curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK;
	}
	curl_free(user);
	curl_free(pass);
	curl_url_cleanup(u);
	return has;
}

static int
sync_cmd(const struct cli_globals *g, const char *arg_url)
{
	char *error = NULL;
	struct conf *c = conf_load_default(&error);
	if (!c) {
		sanitize_fprintf(stderr, "loket: %s\n", error);
		free(error);
		return CLI_USAGE;
	}
	int rc = CLI_USAGE;
	const char *url = arg_url ? arg_url : conf_get(c, "aanbod", "url");
	struct http_options o;
	if (!url) {
		fputs(_("loket: aanbod sync: no URL: give one, or set url in the [aanbod] section of "
		        "the configuration file\n"),
		      stderr);
		goto out;
	}
	if (arg_url && url_has_credentials(arg_url)) {
		fputs(_("loket: aanbod sync: credentials do not belong on the command line; put them "
		        "in the [aanbod] section of the configuration file (token, or user and "
		        "password)\n"),
		      stderr);
		goto out;
	}
	char *check = http_url_with_param(url, "pageNumber", "1", &error);
	if (!check) {
		sanitize_fprintf(stderr, "loket: aanbod sync: %s\n", error);
		goto out;
	}
	free(check);
	if (!aanbod_options(c, &o, &error)) {
		sanitize_fprintf(stderr, "loket: %s\n", error);
		goto out;
	}
	struct progress p = {.tty = isatty(STDERR_FILENO)};
	o.progress = on_bytes;
	o.retrying = on_retry;
	o.progress_arg = &p;
	struct db *db = NULL;
	rc = cli_connect(g, &db);
	if (rc != CLI_OK)
		goto out;
	if (!aanbod_may_sync(db)) {
		fputs(_("loket: aanbod sync: only knowledge editors and administrators of a region "
		        "fetch the catalogue\n"),
		      stderr);
		db_close(&db);
		rc = CLI_DB;
		goto out;
	}
	struct aanbod_result res;
	bool ok = aanbod_sync(db, url, &o, on_page, &p, &res, &error);
	if (p.tty && p.page > 0)
		fputs("\r\033[K", stderr);
	if (!ok) {
		/* the source's text (quoted in parse errors) never reaches the terminal raw */
		char *safe = sanitize_dup(error, SANITIZE_DEFAULT);
		sanitize_fprintf(
		    stderr, _("loket: aanbod sync: %s\nThe catalogue was not changed.\n"), safe);
		free(safe);
		rc = res.source_failed ? CLI_REMOTE : CLI_DB;
	} else if (res.unchanged) {
		sanitize_fprintf(stdout, _("The catalogue is unchanged (%d offerings).\n"),
		                 res.total);
		rc = CLI_OK;
	} else {
		sanitize_fprintf(
		    stdout,
		    _("Catalogue stored: %d offerings from %d page(s); %d new, %d changed, %d "
		      "withdrawn.\n"),
		    res.total, res.pages, res.added, res.changed, res.withdrawn);
		rc = CLI_OK;
	}
	db_close(&db);
out:
	free(error);
	conf_free(&c);
	return rc;
}

static int
search_cmd(const struct cli_globals *g, int argc, char **argv)
{
	struct offering_filter f = {0};
	enum out_format fmt = OUT_TABLE;
	char text[512] = "";
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = strncmp(a, "--mode=", 7) == 0        ? &f.mode
		                    : strncmp(a, "--from=", 7) == 0      ? &f.from
		                    : strncmp(a, "--max-price=", 12) == 0 ? &f.max_price
		                    : strncmp(a, "--muni=", 7) == 0      ? &f.muni
		                                                         : NULL;
		if (slot) {
			*slot = strchr(a, '=') + 1;
		} else if (strncmp(a, "--format=", 9) == 0) {
			if (!out_format_parse(a + 9, &fmt)) {
				sanitize_fprintf(stderr,
				                 _("loket: aanbod search: unknown format '%s'\n"),
				                 a + 9);
				return CLI_USAGE;
			}
		} else if (a[0] == '-' && a[1] == '-') {
			sanitize_fprintf(stderr, _("loket: aanbod search: unknown option '%s'\n"),
			                 a);
			return CLI_USAGE;
		} else if (strlen(text) + strlen(a) + 2 < sizeof text) {
			if (text[0])
				strcat(text, " ");
			strcat(text, a);
		}
	}
	f.text = text;
	struct db *db = NULL;
	int rc = cli_connect(g, &db);
	if (rc != CLI_OK)
		return rc;
	struct offering_hits h;
	struct db_error err = {0};
	if (!offering_search(db, &f, 50, &h, &err)) {
		rc = cli_db_failed("aanbod search", &err);
		db_error_clear(&err);
		db_close(&db);
		return rc;
	}
	static const struct out_column cols[] = {
		{"name", false, 48}, {"provider", false, 24}, {"modes", false, 20},
		{"start", false, 0}, {"price", true, 0},      {"place", false, 16},
	};
	const char **cells = xcalloc((size_t)(h.count > 0 ? h.count : 1) * 6, sizeof *cells);
	for (int i = 0; i < h.count; i++) {
		const struct offering_hit *o = &h.items[i];
		const char *row[] = {o->name, o->organization, o->modes, o->start_date, o->price, o->place};
		for (int k = 0; k < 6; k++)
			cells[i * 6 + k] = row[k][0] ? row[k] : NULL;
	}
	struct out_grid gr = {cols, 6, h.count, cells};
	out_write(stdout, fmt, &gr, isatty(STDOUT_FILENO));
	free(cells);
	offering_hits_free(&h);
	db_close(&db);
	return CLI_OK;
}

int
cli_aanbod(const struct cli_globals *g, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "sync") == 0 && argc <= 3 &&
	    (argc == 2 || argv[2][0] != '-'))
		return sync_cmd(g, argc == 3 ? argv[2] : NULL);
	if (argc >= 2 && strcmp(argv[1], "search") == 0)
		return search_cmd(g, argc - 2, argv + 2);
	fputs(_("usage: loket aanbod sync [URL]\n"
	        "       loket aanbod search [TEXT] [--mode=M] [--from=YYYY-MM-DD] [--max-price=EUR]\n"
	        "                           [--muni=M] [--format=table|csv|json]\n"),
	      stderr);
	return CLI_USAGE;
}
