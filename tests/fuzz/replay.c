/* replay.c: run every file of the fuzz seed corpus through the fuzz target,
 * so `make check` keeps the corpus and the target working (and, under
 * valgrind or ASan, finds what the fuzzer would). */
#include "config.h"

#include "util/file.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef CORPUS
#define CORPUS "form" /* tests/fuzz/corpus/CORPUS, the target's own */
#endif

int
main(int argc, char **argv)
{
	const char *top = getenv("LOKET_DATADIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/" CORPUS,
	         argc > 1 ? argv[1] : top ? top : ".");
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return 1;
	}
	int n = 0;
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		char path[8192];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		char *text = NULL;
		size_t len = 0;
		if (!file_read(path, &text, &len)) {
			fprintf(stderr, "cannot read %s\n", path);
			closedir(d);
			return 1;
		}
		LLVMFuzzerTestOneInput((const uint8_t *)text, len);
		free(text);
		n++;
	}
	closedir(d);
	printf("replayed %d corpus files through the %s parser\n", n, CORPUS);
	return n > 0 ? 0 : 1;
}
