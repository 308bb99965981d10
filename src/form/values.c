/* values.c: what has been typed into a form — field name to text. */
#include "config.h"

#include "form/form.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static int
find(const struct form_values *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return i;
	return -1;
}

const char *
form_values_get(const struct form_values *v, const char *name)
{
	int i = find(v, name);
	return i < 0 ? NULL : v->values[i];
}

void
form_values_set(struct form_values *v, const char *name, const char *value)
{
	int i = find(v, name);
	if (i < 0) {
		v->names = xrealloc(v->names, (size_t)(v->n + 1) * sizeof *v->names);
		v->values = xrealloc(v->values, (size_t)(v->n + 1) * sizeof *v->values);
		i = v->n++;
		v->names[i] = xstrdup(name);
		v->values[i] = NULL;
	}
	free(v->values[i]);
	v->values[i] = xstrdup(value ? value : "");
}

void
form_values_clear(struct form_values *v)
{
	for (int i = 0; i < v->n; i++)
		free(v->names[i]), free(v->values[i]);
	free(v->names);
	free(v->values);
	memset(v, 0, sizeof *v);
}

const struct form_field *
form_first_invalid(const struct form_def *def, const struct form_values *v, const char **why)
{
	for (int i = 0; i < def->nfields; i++) {
		const char *problem = form_check(&def->fields[i], form_values_get(v, def->fields[i].name));
		if (problem) {
			*why = problem;
			return &def->fields[i];
		}
	}
	*why = NULL;
	return NULL;
}
