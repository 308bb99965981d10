/* fuzz_form.c: libFuzzer target for the forms parser and the value checks.
 * Built and run by tests/fuzz/run.sh (clang, -fsanitize=fuzzer,address);
 * tests/fuzz/replay runs the seed corpus through it in `make check`. */
#include "config.h"

#include "form/form.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form_def *def = NULL;
	struct form_error err;
	char msg[512];
	if (!form_parse("fuzz.form", (const char *)data, size, &def, &err)) {
		form_error_format(&err, msg, sizeof msg);
		return 0;
	}
	for (int i = 0; i < def->nfields; i++) {
		const struct form_field *f = &def->fields[i];
		form_check(f, f->def ? f->def : "");
		form_check(f, f->label);
		if (f->nchoices > 0)
			form_check(f, f->choices[0].code);
		form_field_find(def, f->name);
	}
	form_def_free(&def);
	return 0;
}
