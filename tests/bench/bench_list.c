/* bench_list.c: time the case list's keyset pages the way the screen fetches
 * them (src/model/question.c), against a seeded database, and print the
 * figures.  Used by tests/bench/list_page.sh; not a pass/fail test.
 *
 *   bench_list CONNINFO [PAGES] [PAGE_ROWS] [WORD...]
 *
 * With words: for each, PAGES pages of the list searched for it (the first
 * page and up to four PgDn after it, again from the top until PAGES are
 * timed) instead of the walks over the whole list.
 */
#include "config.h"

#include "db/db.h"
#include "model/question.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void
report(const char *what, double *ms, int n, long rows)
{
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += ms[i];
	printf("%-26s pages %4d  rows %7ld  mean %7.3f ms  median %7.3f  p95 %7.3f  max %7.3f\n",
	       what, n, rows, sum / n, ms[n / 2], ms[(int)(n * 0.95)], ms[n - 1]);
}

/* Walk `pages` pages from one end in direction `step`; returns pages done. */
static int
walk(struct db *db, const struct question_filter *filter, enum question_dir first,
     enum question_dir step, int pages, int rows, double *ms, long *total)
{
	struct question_key key = {0};
	int done = 0;
	enum question_dir dir = first;
	for (; done < pages; done++) {
		struct question_page page = {0};
		struct db_error err = {0};
		double t0 = now_ms();
		if (!question_page(db, filter, &key, dir, rows, &page, &err)) {
			fprintf(stderr, "bench_list: %s\n", err.message);
			db_error_clear(&err);
			exit(2);
		}
		ms[done] = now_ms() - t0;
		*total += page.count;
		if (page.count == 0) { /* timed too: a search that finds nothing */
			question_page_free(&page);
			done++;
			break;
		}
		question_key_free(&key);
		/* The next page continues from the last row shown in that direction. */
		question_key_of(&page.rows[step == QUESTION_OLDER ? page.count - 1 : 0], &key);
		bool more = page.more;
		question_page_free(&page);
		dir = step;
		if (!more) {
			done++;
			break;
		}
	}
	question_key_free(&key);
	return done;
}

/* Time `pages` pages of a search for each word: from the top, PgDn at most
 * four times, then from the top again. */
static void
search(struct db *db, char **words, int nwords, int pages, int rows, double *ms)
{
	for (int w = 0; w < nwords; w++) {
		struct question_filter filter = {NULL, words[w]};
		long total = 0;
		int done = 0;
		while (done < pages) {
			int max = pages - done < 5 ? pages - done : 5;
			done += walk(db, &filter, QUESTION_NEWEST, QUESTION_OLDER, max, rows, ms + done,
			             &total);
		}
		char what[64];
		snprintf(what, sizeof what, "search '%.40s'", words[w]);
		report(what, ms, done, total);
	}
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_list CONNINFO [PAGES] [PAGE_ROWS]\n");
		return 1;
	}
	int pages = argc > 2 ? atoi(argv[2]) : 500;
	int rows = argc > 3 ? atoi(argv[3]) : 60;
	struct db *db = NULL;
	struct db_error err = {0};
	if (pages < 1 || rows < 1 || !db_connect(argv[1], &db, &err)) {
		fprintf(stderr, "bench_list: %s\n", err.message ? err.message : "bad arguments");
		return 2;
	}
	double *ms = calloc((size_t)pages, sizeof *ms);
	if (argc > 4) {
		search(db, argv + 4, argc - 4, pages, rows, ms);
		free(ms);
		db_close(&db);
		return 0;
	}
	long total = 0;
	int n = walk(db, NULL, QUESTION_NEWEST, QUESTION_OLDER, pages, rows, ms, &total);
	report("newest first, PgDn", ms, n, total);
	total = 0;
	n = walk(db, NULL, QUESTION_OLDEST, QUESTION_NEWER, pages, rows, ms, &total);
	report("oldest (G), then PgUp", ms, n, total);
	free(ms);
	db_close(&db);
	return 0;
}
