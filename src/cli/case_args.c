/* case_args.c: parsing and validating `loket case` arguments. */
#include "config.h"

#include "cli/case_args.h"
#include "model/question.h"
#include "util/file.h"
#include "util/i18n.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/validate.h"
#include "util/xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static bool
field_ok(const char *field, const char *value, size_t max, FILE *err)
{
	if (!value) {
		sanitize_fprintf(err, _("loket: --%s is required\n"), field);
		return false;
	}
	enum text_status st = text_check(value, max);
	if (st != TEXT_OK) {
		sanitize_fprintf(err, _("loket: --%s %s"), field, _(text_status_message(st)));
		if (st == TEXT_TOO_LONG)
			sanitize_fprintf(err, _(" (at most %zu characters)"), max);
		fputc('\n', err);
		return false;
	}
	return true;
}

static char *
read_all(FILE *in)
{
	struct strbuf sb;
	strbuf_init(&sb);
	file_read_stream(in, &sb);
	while (sb.len > 0 && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
		sb.buf[--sb.len] = '\0';
	if (memchr(sb.buf, '\0', sb.len)) /* a NUL byte makes the text invalid */
		sb.buf[0] = '\xff';
	return strbuf_detach(&sb);
}

bool
case_add_parse(int argc, char **argv, FILE *in, FILE *err, struct case_add_args *out)
{
	static const struct option opts[] = {
		{"group", required_argument, NULL, 'g'}, {"topic", required_argument, NULL, 't'},
		{"channel", required_argument, NULL, 'c'}, {"text", required_argument, NULL, 'x'},
		{"postcode", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0},
	};
	memset(out, 0, sizeof *out);
	const char *text = NULL, *postcode = NULL;
	optind = 0; /* 0, not 1: glibc then starts afresh, and permutes again */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'g': out->group = optarg; break;
		case 't': out->topic = optarg; break;
		case 'c': out->channel = optarg; break;
		case 'x': text = optarg; break;
		case 'p': postcode = optarg; break;
		default:
			sanitize_fprintf(err,
			                 _("loket: case add: unknown or incomplete option '%s'\n"),
			                 argv[optind - 1]);
			return false;
		}
	}
	if (optind < argc) {
		sanitize_fprintf(err, _("loket: case add: unexpected argument '%s'\n"),
		                 argv[optind]);
		return false;
	}
	if (!field_ok("group", out->group, 40, err) || !field_ok("topic", out->topic, 40, err) ||
	    !field_ok("channel", out->channel, 40, err))
		return false;
	if (text && strcmp(text, "-") == 0)
		out->text = read_all(in);
	else if (text)
		out->text = xstrdup(text);
	if (!field_ok("text", out->text, QUESTION_TEXT_MAX, err)) {
		case_add_args_free(out);
		return false;
	}
	if (postcode && !postcode_to4(postcode, out->postcode4)) {
		sanitize_fprintf(
		    err,
		    _("loket: --postcode '%s' is not a Dutch postcode such as 7511 or 7511 AB\n"),
		    text_check(postcode, 10) == TEXT_BAD_UTF8 ? "?" : postcode);
		case_add_args_free(out);
		return false;
	}
	return true;
}

void
case_add_args_free(struct case_add_args *a)
{
	free(a->text);
	a->text = NULL;
}

bool
case_check_code(const char *field, const char *value, const struct code_list *codes, FILE *err)
{
	if (code_list_has(codes, value))
		return true;
	char *valid = code_list_join(codes);
	char *shown = sanitize_dup(value, SANITIZE_DEFAULT);
	sanitize_fprintf(err, _("loket: unknown %s '%s'; valid: %s\n"), field, shown, valid);
	free(shown);
	free(valid);
	return false;
}

static const char *const statuses[] = {"open", "informed", "referred", "closed", NULL};

bool
case_list_parse(int argc, char **argv, FILE *err, struct case_list_args *out)
{
	static const struct option opts[] = {
		{"status", required_argument, NULL, 's'}, {"limit", required_argument, NULL, 'n'},
		{"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
	};
	out->status = NULL;
	out->limit = 50;
	out->format = OUT_TABLE;
	optind = 0; /* 0, not 1: glibc then starts afresh, and permutes again */
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': out->status = optarg; break;
		case 'n':
			if (!parse_positive_int(optarg, &out->limit) || out->limit > 100000) {
				sanitize_fprintf(
				    err, _("loket: --limit must be a number from 1 to 100000\n"));
				return false;
			}
			break;
		case 'f':
			if (!out_format_parse(optarg, &out->format)) {
				sanitize_fprintf(err,
				                 _("loket: --format must be table, csv or json\n"));
				return false;
			}
			break;
		default:
			sanitize_fprintf(err,
			                 _("loket: case list: unknown or incomplete option '%s'\n"),
			                 argv[optind - 1]);
			return false;
		}
	}
	if (optind < argc) {
		sanitize_fprintf(err, _("loket: case list: unexpected argument '%s'\n"),
		                 argv[optind]);
		return false;
	}
	if (out->status) {
		bool known = false;
		for (int i = 0; statuses[i]; i++)
			known = known || strcmp(statuses[i], out->status) == 0;
		if (!known) {
			sanitize_fprintf(
			    err,
			    _("loket: unknown status '%s'; valid: open, informed, referred, "
			      "closed\n"),
			    text_check(out->status, 40) == TEXT_BAD_UTF8 ? "?" : out->status);
			return false;
		}
	}
	return true;
}
