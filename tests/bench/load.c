/* load.c: a region's desks at ten times a busy day (issue 17, part 4).
 *
 *   load CONNINFO [ADVISORS] [SECONDS] [CYCLE_SECONDS]
 *
 * CONNINFO names the database and host, not the user: each simulated
 * person logs in as a demo role of their organisation (CONNINFO user=ROLE),
 * and CONNINFO user=postgres reads the server's processes.  ADVISORS
 * (default 300) each hold one connection that LISTENs for referral news,
 * as the screen does, and handle a question every CYCLE_SECONDS on average
 * (default 60: a busy desk takes one in ten minutes, this is ten times
 * that), through loket's own model functions, the statements the screen
 * runs:
 *   list    the first page of the case list (keyset, 20 rows)
 *   search  the list searched for a word
 *   add     a new question (intake form, F10)
 *   suggest the first-line information for it
 *   give    two items recorded as told to the client
 *   open    the question screen
 *   refer   one question in four referred to the central point
 * One central-point advisor (lwl_demo) for every 30 desks takes what
 * arrives: the inbox's first page, accept, and complete with an outcome.
 * It prints, per operation, how many, how many failed, and p50/p95/p99;
 * the throughput; the server's memory per connection (PSS of the client
 * backends, /proc) and its CPU over the run (all of its processes).  Run
 * it on the database server's machine, as root (tests/bench/load.sh). */
#include "config.h"

#include "db/db.h"
#include "model/knowledge.h"
#include "model/question.h"
#include "model/referral.h"
#include "model/referral_flow.h"
#include "util/uuid.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum op { OP_LIST, OP_SEARCH, OP_ADD, OP_SUGGEST, OP_GIVE, OP_OPEN, OP_REFER, OP_INBOX,
          OP_ACCEPT, OP_COMPLETE, NOPS };
static const char *const op_names[NOPS] = {"list",  "search", "add",   "suggest", "give",
                                           "open",  "refer",  "inbox", "accept",  "complete"};

struct stats {
	pthread_mutex_t lock;
	double *ms;
	int n, cap;
	long failed;
};
static struct stats stats[NOPS];
static atomic_bool stop;
static atomic_long connected;
static const char *base;
static double cycle_s = 60;

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
record(enum op o, double t0, bool ok)
{
	double ms = now_ms() - t0;
	struct stats *s = &stats[o];
	pthread_mutex_lock(&s->lock);
	if (!ok) {
		s->failed++;
	} else {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 1024;
			s->ms = realloc(s->ms, (size_t)s->cap * sizeof *s->ms);
		}
		s->ms[s->n++] = ms;
	}
	pthread_mutex_unlock(&s->lock);
}

/* Sleep about `seconds` (exponentially distributed: arrivals at random),
 * in short naps so that the end of the run is seen. */
static void
think(unsigned *seed, double seconds)
{
	double u = (rand_r(seed) + 1.0) / (RAND_MAX + 2.0);
	double end = now_ms() + -log(u) * seconds * 1000.0;
	while (!atomic_load(&stop) && now_ms() < end) {
		struct timespec ts = {0, 50 * 1000000L};
		nanosleep(&ts, NULL);
	}
}

static struct db *
login(const char *role)
{
	char conninfo[512];
	snprintf(conninfo, sizeof conninfo, "%s user=%s", base, role);
	struct db *db = NULL;
	struct db_error err = {0};
	bool listening = false;
	if (!db_connect(conninfo, &db, &err) || !referral_listen(db, &listening, &err)) {
		fprintf(stderr, "load: %s: %s\n", role, err.message ? err.message : "?");
		db_error_clear(&err);
		db_close(&db);
		return NULL;
	}
	atomic_fetch_add(&connected, 1);
	return db;
}

static const char *const roles[] = {"kvk_demo",  "cnv_demo",  "fnv_demo", "lbs_demo", "roc_demo",
                                    "saxion_demo", "zone_demo", "wsp_demo", "tfvv_demo"};
static const char *const groups[] = {"werkende", "werkzoekende", "werkgever", "zzp"};
static const char *const topics[] = {"opleiding", "financiering", "loopbaan", "evc", "taal"};
static const char *const channels[] = {"balie", "telefoon", "email", "chat"};
static const char *const words[] = {"subsidie", "omscholing", "kinderopvang", "lassen",
                                    "verpleegkundige", "STAP", "taal", "diploma"};
static const char *const texts[] = {
    "Wil een opleiding tot verpleegkundige volgen naast het werk, wie betaalt dat?",
    "Kan ik mijn ervaring als lasser laten erkennen met een praktijkverklaring?",
    "Werkgever zoekt subsidie voor omscholing van twee medewerkers in de logistiek.",
    "Na ontslag wil ik omscholen; kan dat met behoud van uitkering?",
    "Zoekt een taalcursus Nederlands op B1-niveau in de avond."};
#define PICK(a, seed) (a[rand_r(seed) % (sizeof a / sizeof a[0])])

static void *
advisor(void *arg)
{
	long i = (long)arg;
	unsigned seed = (unsigned)(i * 7919 + 1);
	struct db *db = login(roles[i % (sizeof roles / sizeof roles[0])]);
	if (!db)
		return NULL;
	think(&seed, cycle_s); /* the desks do not all start at once */
	while (!atomic_load(&stop)) {
		struct db_error err = {0};
		db_poll(db, NULL); /* the news the LISTEN brought */
		struct question_filter all = {0}, found = {.search = PICK(words, &seed)};
		struct question_page page = {0};
		double t = now_ms();
		record(OP_LIST, t, question_page(db, &all, NULL, QUESTION_NEWEST, 20, &page, &err));
		question_page_free(&page);
		db_error_clear(&err);
		t = now_ms();
		record(OP_SEARCH, t, question_page(db, &found, NULL, QUESTION_NEWEST, 20, &page, &err));
		question_page_free(&page);
		db_error_clear(&err);

		struct question_new q = {.channel = PICK(channels, &seed), .client_group = PICK(groups, &seed),
		                         .topic = PICK(topics, &seed), .text = PICK(texts, &seed)};
		int number = 0;
		uuid_generate(q.id);
		t = now_ms();
		bool added = question_add(db, &q, &number, &err);
		record(OP_ADD, t, added);
		db_error_clear(&err);
		if (added) {
			struct knowledge_hits hits = {0};
			t = now_ms();
			bool ok = knowledge_suggest(db, q.topic, q.text, 8, &hits, &err);
			record(OP_SUGGEST, t, ok);
			db_error_clear(&err);
			if (ok && hits.count > 0) {
				const char *ids[2] = {hits.items[0].version_id,
				                      hits.items[hits.count > 1 ? 1 : 0].version_id};
				t = now_ms();
				record(OP_GIVE, t, knowledge_give(db, q.id, ids, hits.count > 1 ? 2 : 1, &err));
				db_error_clear(&err);
			}
			knowledge_hits_free(&hits);
			struct question_detail d = {0};
			t = now_ms();
			record(OP_OPEN, t, question_load(db, number, &d, &err));
			question_detail_free(&d);
			db_error_clear(&err);
			if (rand_r(&seed) % 4 == 0) {
				char rid[UUID_STR_LEN];
				uuid_generate(rid);
				struct referral_new r = {.id = rid, .question_id = q.id, .reason = "advies",
				                         .urgency = "normaal"};
				t = now_ms();
				record(OP_REFER, t, referral_add(db, &r, NULL, &err));
				db_error_clear(&err);
			}
		}
		think(&seed, cycle_s);
	}
	db_close(&db);
	return NULL;
}

static void *
central(void *arg)
{
	long i = (long)arg;
	unsigned seed = (unsigned)(i * 104729 + 3);
	struct db *db = login("lwl_demo");
	if (!db)
		return NULL;
	while (!atomic_load(&stop)) {
		struct db_error err = {0};
		db_poll(db, NULL);
		struct inbox_page page = {0};
		double t = now_ms();
		bool ok = inbox_page(db, INBOX_NEW, NULL, true, 20, &page, &err);
		record(OP_INBOX, t, ok);
		db_error_clear(&err);
		if (ok && page.count > 0) {
			/* not all on the first row: they would only take it from each other */
			const struct inbox_row *row = &page.rows[rand_r(&seed) % page.count];
			struct referral_ref ref;
			t = now_ms();
			bool taken = referral_find(db, row->id, &ref, &err) && referral_accept(db, &ref, &err);
			/* taken by a colleague first is the rule working, not a failure */
			record(OP_ACCEPT, t, taken || strcmp(err.sqlstate, REFERRAL_TAKEN) == 0);
			db_error_clear(&err);
			if (taken) {
				t = now_ms();
				record(OP_COMPLETE, t,
				       referral_find(db, row->id, &ref, &err) &&
				           referral_set_status(db, &ref, "completed", "advies_gegeven", NULL,
				                               NULL, &err));
				db_error_clear(&err);
			}
		}
		inbox_page_free(&page);
		think(&seed, page.count > 1 ? 1 : 5); /* a full inbox is worked through */
	}
	db_close(&db);
	return NULL;
}

/* The server's processes, from pg_stat_activity: their CPU time so far
 * (seconds), and the PSS of the client backends of the demo roles (kB). */
static void
server_usage(struct db *admin, double *cpu_s, long *pss_kb, int *backends)
{
	struct db_result *r = NULL;
	struct db_error err = {0};
	*cpu_s = 0, *pss_kb = 0, *backends = 0;
	if (!db_query(admin,
	              "SELECT pid, (backend_type = 'client backend' AND usename LIKE '%\\_demo')::int "
	              "FROM pg_stat_activity",
	              0, NULL, &r, &err)) {
		db_error_clear(&err);
		return;
	}
	long tick = sysconf(_SC_CLK_TCK);
	for (int i = 0; i < db_result_rows(r); i++) {
		const char *pid = db_result_get(r, i, 0);
		char path[64], buf[1024];
		snprintf(path, sizeof path, "/proc/%s/stat", pid);
		FILE *f = fopen(path, "r");
		if (f && fgets(buf, sizeof buf, f)) {
			char *p = strrchr(buf, ')');
			unsigned long ut = 0, st = 0;
			if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
			                &st) == 2)
				*cpu_s += (double)(ut + st) / tick;
		}
		if (f)
			fclose(f);
		if (strcmp(db_result_get(r, i, 1), "1") != 0)
			continue;
		snprintf(path, sizeof path, "/proc/%s/smaps_rollup", pid);
		f = fopen(path, "r");
		while (f && fgets(buf, sizeof buf, f)) {
			long kb;
			if (sscanf(buf, "Pss: %ld kB", &kb) == 1) {
				*pss_kb += kb;
				(*backends)++;
			}
		}
		if (f)
			fclose(f);
	}
	/* the postmaster and the processes it started are in pg_stat_activity
	 * since PostgreSQL 10, except the postmaster itself: its own time is small */
	db_result_free(&r);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: load CONNINFO [ADVISORS] [SECONDS] [CYCLE_SECONDS]\n");
		return 2;
	}
	base = argv[1];
	int advisors = argc > 2 ? atoi(argv[2]) : 300;
	int seconds = argc > 3 ? atoi(argv[3]) : 60;
	cycle_s = argc > 4 ? atof(argv[4]) : 60;
	int centrals = advisors / 30 > 0 ? advisors / 30 : 1;
	for (int o = 0; o < NOPS; o++)
		pthread_mutex_init(&stats[o].lock, NULL);
	char admin_ci[512];
	snprintf(admin_ci, sizeof admin_ci, "%s user=postgres", base);
	struct db *admin = NULL;
	struct db_error err = {0};
	if (!db_connect(admin_ci, &admin, &err)) {
		fprintf(stderr, "load: %s\n", err.message);
		return 2;
	}
	int n = advisors + centrals;
	pthread_t *threads = calloc((size_t)n, sizeof *threads);
	for (long i = 0; i < n; i++) {
		pthread_attr_t attr;
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 256 * 1024);
		pthread_create(&threads[i], &attr, i < advisors ? advisor : central,
		               (void *)(i < advisors ? i : i - advisors));
		pthread_attr_destroy(&attr);
	}
	/* all connected (or given up) before the clock starts */
	for (int w = 0; w < 600 && atomic_load(&connected) < n; w++) {
		struct timespec ts = {0, 100 * 1000000L};
		nanosleep(&ts, NULL);
	}
	double cpu0, cpu1;
	long pss, pss1;
	int backends, backends1;
	server_usage(admin, &cpu0, &pss, &backends);
	double t0 = now_ms();
	sleep((unsigned)seconds);
	server_usage(admin, &cpu1, &pss1, &backends1);
	double wall = (now_ms() - t0) / 1000.0;
	atomic_store(&stop, true);
	for (int i = 0; i < n; i++)
		pthread_join(threads[i], NULL);
	long ops = 0;
	printf("load: %d desks and %d central-point advisors, %ld connected, each desk a question "
	       "every %.0f s on average, for %.0f s\n",
	       advisors, centrals, (long)atomic_load(&connected), cycle_s, wall);
	printf("%-9s %7s %6s %9s %9s %9s %9s\n", "operation", "count", "failed", "p50 ms", "p95 ms",
	       "p99 ms", "max ms");
	for (int o = 0; o < NOPS; o++) {
		struct stats *s = &stats[o];
		ops += s->n;
		if (s->n == 0) {
			printf("%-9s %7d %6ld\n", op_names[o], 0, s->failed);
			continue;
		}
		qsort(s->ms, (size_t)s->n, sizeof *s->ms, cmp_double);
		printf("%-9s %7d %6ld %9.2f %9.2f %9.2f %9.2f\n", op_names[o], s->n, s->failed,
		       s->ms[s->n / 2], s->ms[(int)(s->n * 0.95)], s->ms[(int)(s->n * 0.99)],
		       s->ms[s->n - 1]);
	}
	printf("throughput: %.1f operations/s\n", ops / wall);
	printf("server CPU: %.1f s in %.0f s, %.2f of the machine's cores\n", cpu1 - cpu0, wall,
	       (cpu1 - cpu0) / wall);
	if (backends1 > 0)
		printf("server memory: %.1f MB PSS per connection (%d client backends, %.0f MB in all)\n",
		       pss1 / 1024.0 / backends1, backends1, pss1 / 1024.0);
	db_close(&admin);
	free(threads);
	return 0;
}
