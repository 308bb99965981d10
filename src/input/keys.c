/* keys.c: the keymap of every screen, and the help text that describes it. */
#include "config.h"

#include "input/keys.h"
#include "util/i18n.h"

#include <stddef.h>

#define ANY_CONTEXT (-1)

struct binding {
	int ctx; /* enum keys_context or ANY_CONTEXT */
	int key;
	enum command cmd;
};

static const struct binding bindings[] = {
	{ANY_CONTEXT, 'j', CMD_DOWN},
	{ANY_CONTEXT, KEY_DOWN, CMD_DOWN},
	{ANY_CONTEXT, 'k', CMD_UP},
	{ANY_CONTEXT, KEY_UP, CMD_UP},
	{ANY_CONTEXT, KEY_NPAGE, CMD_PAGE_DOWN},
	{ANY_CONTEXT, ' ', CMD_PAGE_DOWN},
	{ANY_CONTEXT, CTRL_KEY('f'), CMD_PAGE_DOWN},
	{ANY_CONTEXT, KEY_PPAGE, CMD_PAGE_UP},
	{ANY_CONTEXT, 'b', CMD_PAGE_UP},
	{ANY_CONTEXT, CTRL_KEY('b'), CMD_PAGE_UP},
	{ANY_CONTEXT, 'g', CMD_FIRST},
	{ANY_CONTEXT, KEY_HOME, CMD_FIRST},
	{ANY_CONTEXT, 'G', CMD_LAST},
	{ANY_CONTEXT, KEY_END, CMD_LAST},
	{ANY_CONTEXT, CTRL_KEY('l'), CMD_REDRAW},
	{ANY_CONTEXT, '?', CMD_HELP},
	{ANY_CONTEXT, KEY_F(1), CMD_HELP},
	{KEYS_LIST, '\n', CMD_OPEN},
	{KEYS_LIST, '\r', CMD_OPEN},
	{KEYS_LIST, KEY_ENTER, CMD_OPEN},
	{KEYS_LIST, 'q', CMD_QUIT},
	{KEYS_LIST, 'n', CMD_NEW},
	{KEYS_LIST, 'r', CMD_REFER},
	{KEYS_LIST, 's', CMD_SIGNAL},
	{KEYS_LIST, '/', CMD_SEARCH},
	{KEYS_LIST, 'K', CMD_KNOWLEDGE},
	{KEYS_DETAIL, 'K', CMD_KNOWLEDGE},
	{KEYS_INFO, 'K', CMD_KNOWLEDGE},
	{KEYS_LIST, ':', CMD_COMMAND},
	{KEYS_DETAIL, ':', CMD_COMMAND},
	{KEYS_INFO, ':', CMD_COMMAND},
	{KEYS_DETAIL, 's', CMD_SIGNAL},
	{KEYS_DETAIL, 'r', CMD_REFER},
	{KEYS_DETAIL, 'e', CMD_EDIT},
	{KEYS_INFO, 'r', CMD_REFER},
	{KEYS_INFO, 's', CMD_SIGNAL},
	{KEYS_DETAIL, 'q', CMD_BACK},
	{KEYS_DETAIL, 27, CMD_BACK},
	{KEYS_DETAIL, KEY_LEFT, CMD_BACK},
	{KEYS_DETAIL, 'h', CMD_BACK},
	{KEYS_INFO, ' ', CMD_MARK},
	{KEYS_INFO, '\n', CMD_OPEN},
	{KEYS_INFO, '\r', CMD_OPEN},
	{KEYS_INFO, KEY_ENTER, CMD_OPEN},
	{KEYS_INFO, 'q', CMD_BACK},
	{KEYS_INFO, 27, CMD_BACK},
	{KEYS_INBOX, '\n', CMD_OPEN},
	{KEYS_INBOX, '\r', CMD_OPEN},
	{KEYS_INBOX, KEY_ENTER, CMD_OPEN},
	{KEYS_INBOX, 'o', CMD_ACCEPT},
	{KEYS_INBOX, 'p', CMD_PROGRESS},
	{KEYS_INBOX, 'c', CMD_COMPLETE},
	{KEYS_INBOX, 't', CMD_RETURN},
	{KEYS_INBOX, '\t', CMD_NEXT_TAB},
	{KEYS_INBOX, KEY_BTAB, CMD_PREV_TAB},
	{KEYS_INBOX, '1', CMD_TAB_1},
	{KEYS_INBOX, '2', CMD_TAB_2},
	{KEYS_INBOX, '3', CMD_TAB_3},
	{KEYS_INBOX, '4', CMD_TAB_4},
	{KEYS_INBOX, '5', CMD_TAB_5},
	{KEYS_INBOX, 'q', CMD_QUIT},
	{KEYS_INBOX, 27, CMD_BACK},
	{KEYS_INBOX, ':', CMD_COMMAND},
	{KEYS_INBOX, 'K', CMD_KNOWLEDGE},
	{KEYS_INBOX, 's', CMD_SIGNAL},
	{KEYS_LIST, 'R', CMD_REPORTS},
	{KEYS_DETAIL, 'R', CMD_REPORTS},
	{KEYS_INBOX, 'R', CMD_REPORTS},
	{KEYS_REPORT, '1', CMD_TAB_1},
	{KEYS_REPORT, '2', CMD_TAB_2},
	{KEYS_REPORT, '3', CMD_TAB_3},
	{KEYS_REPORT, '4', CMD_TAB_4},
	{KEYS_REPORT, '5', CMD_TAB_5},
	{KEYS_REPORT, '6', CMD_TAB_6},
	{KEYS_REPORT, '\t', CMD_NEXT_TAB},
	{KEYS_REPORT, KEY_BTAB, CMD_PREV_TAB},
	{KEYS_REPORT, 'd', CMD_DIMENSION},
	{KEYS_REPORT, 'p', CMD_PERIOD},
	{KEYS_REPORT, KEY_RIGHT, CMD_SCROLL_RIGHT},
	{KEYS_REPORT, 'l', CMD_SCROLL_RIGHT},
	{KEYS_REPORT, KEY_LEFT, CMD_SCROLL_LEFT},
	{KEYS_REPORT, 'h', CMD_SCROLL_LEFT},
	{KEYS_REPORT, ':', CMD_COMMAND},
	{KEYS_REPORT, 'q', CMD_BACK},
	{KEYS_REPORT, 27, CMD_BACK},
	{KEYS_LIST, 'a', CMD_CATALOGUE},
	{KEYS_DETAIL, 'a', CMD_CATALOGUE},
	{KEYS_INFO, 'a', CMD_CATALOGUE},
	{KEYS_INBOX, 'a', CMD_CATALOGUE},
	{KEYS_DETAIL, 'c', CMD_CONTACT},
	{KEYS_DETAIL, 'W', CMD_WITHDRAW},
	{KEYS_DETAIL, 'm', CMD_MAIL},
	{KEYS_KBEDIT, 'n', CMD_NEW},
	{KEYS_KBEDIT, 'e', CMD_EDIT},
	{KEYS_KBEDIT, '\n', CMD_OPEN},
	{KEYS_KBEDIT, '\r', CMD_OPEN},
	{KEYS_KBEDIT, KEY_ENTER, CMD_OPEN},
	{KEYS_KBEDIT, 'v', CMD_VERSIONS},
	{KEYS_KBEDIT, 'x', CMD_RETIRE},
	{KEYS_KBEDIT, '\t', CMD_NEXT_TAB},
	{KEYS_KBEDIT, KEY_BTAB, CMD_PREV_TAB},
	{KEYS_KBEDIT, '1', CMD_TAB_1},
	{KEYS_KBEDIT, '2', CMD_TAB_2},
	{KEYS_KBEDIT, '3', CMD_TAB_3},
	{KEYS_KBEDIT, 'q', CMD_BACK},
	{KEYS_KBEDIT, 27, CMD_BACK},
	{KEYS_KBEDIT, ':', CMD_COMMAND},
	{KEYS_VERSIONS, '\n', CMD_OPEN},
	{KEYS_VERSIONS, '\r', CMD_OPEN},
	{KEYS_VERSIONS, KEY_ENTER, CMD_OPEN},
	{KEYS_VERSIONS, 'd', CMD_OPEN},
	{KEYS_VERSIONS, 'm', CMD_MARK},
	{KEYS_VERSIONS, 'e', CMD_EDIT},
	{KEYS_VERSIONS, 'q', CMD_BACK},
	{KEYS_VERSIONS, 27, CMD_BACK},
	{KEYS_VERSIONS, KEY_LEFT, CMD_BACK},
	{KEYS_HELP, 'q', CMD_BACK},
	{KEYS_HELP, 27, CMD_BACK},
	{KEYS_HELP, '?', CMD_BACK},
	{KEYS_HELP, KEY_F(1), CMD_BACK},
	{KEYS_HELP, '\n', CMD_BACK},
};

enum command
keys_lookup(int ch, enum keys_context ctx)
{
	/* Context bindings win over the shared ones. */
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].ctx == (int)ctx && bindings[i].key == ch)
			return bindings[i].cmd;
	for (size_t i = 0; i < sizeof bindings / sizeof bindings[0]; i++)
		if (bindings[i].ctx == ANY_CONTEXT && bindings[i].key == ch)
			return bindings[i].cmd;
	return CMD_NONE;
}

static const struct keys_help list_help[] = {
	{"j, ↓", N_("next question")},
	{"k, ↑", N_("previous question")},
	{"PgDn, Space", N_("next page (older questions)")},
	{"PgUp, b", N_("previous page (newer questions)")},
	{"g, Home", N_("newest question")},
	{"G, End", N_("oldest question")},
	{"Enter", N_("show the question")},
	{"n", N_("new question")},
	{"r", N_("refer the question to the central point")},
	{"s", N_("log a demand signal")},
	{"/", N_("search: the list shows only the questions that match; / and Enter shows all "
	         "again")},
	{"K", N_("knowledge base: search as you type, read items")},
	{"a", N_("training catalogue: search as you type")},
	{":", N_("commands: new, refer, signal, knowledge, catalogue, inbox, goto N, help, quit")},
	{"Ctrl-L", N_("redraw the screen")},
	{"R", N_("reports (supervisors)")},
	{"?, F1", N_("this help")},
	{"q", N_("quit (the central point: back to the inbox first)")},
	{NULL, NULL},
};

static const struct keys_help detail_help[] = {
	{"j, ↓", N_("scroll down a line")},
	{"k, ↑", N_("scroll up a line")},
	{"PgDn, Space", N_("scroll down a page")},
	{"PgUp, b", N_("scroll up a page")},
	{"g, G", N_("top, bottom")},
	{"r", N_("refer the question to the central point")},
	{"e", N_("change the question (intake form)")},
	{"s", N_("log a demand signal about this question")},
	{"K", N_("knowledge base: search as you type, read items")},
	{"a", N_("training catalogue: give offerings on this question")},
	{"c", N_("show or hide the consented contact details (logged)")},
	{"m", N_("e-mail the client a summary (with consent)")},
	{"W W", N_("client withdrew consent: remove the contact details now")},
	{":", N_("commands: new, refer, signal, knowledge, catalogue, inbox, goto N, help, quit")},
	{"q, Esc, ←", N_("back to the list")},
	{"R", N_("reports (supervisors)")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

/* Forms take their keys directly (src/views/form.c); this is what they do. */
static const struct keys_help form_help[] = {
	{"Tab, Enter", N_("next field, with the cursor at the end of its text")},
	{"Shift-Tab", N_("previous field")},
	{"↓, ↑", N_("next or previous row of a text of several lines; past it, the next or previous field")},
	{"←, →", N_("move in a text; choose another value (lists, yes/no)")},
	{"letters", N_("in a list: the first value that starts with what you typed")},
	{"Space, j, n", N_("yes/no: change it, yes, no")},
	{"Home, End, PgUp, PgDn", N_("start or end of the row; a field's height up or down")},
	{"Backspace, Delete", N_("delete before or under the cursor")},
	{"Ctrl-J", N_("a line break in a text of several lines")},
	{"F10, Ctrl-S", N_("check and save")},
	{"Ctrl-E", N_("edit a text of several lines in $VISUAL or $EDITOR")},
	{"Ctrl-O, F6", N_("intake form: move an e-mail address or phone number to the contact form")},
	{"Esc", N_("cancel (asks first when something was typed)")},
	{"Ctrl-C", N_("leave loket at once; what you typed stays as a draft")},
	{"F1", N_("this help")},
	{NULL, NULL},
};

static const struct keys_help info_help[] = {
	{"j, ↓", N_("next item")},
	{"k, ↑", N_("previous item")},
	{"Space", N_("mark as told to the client")},
	{"Enter", N_("read the whole item; Enter again closes it")},
	{"q, Esc", N_("done: record the marked items")},
	{"r", N_("record the marked items, then refer the question")},
	{"a", N_("training catalogue: give offerings on this question")},
	{"s", N_("log a demand signal about this question")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

/* The browser takes its keys directly (src/views/knowledge.c). */
static const struct keys_help knowledge_help[] = {
	{"Letters", N_("type to search; Backspace removes")},
	{"Down, Up", N_("next, previous item")},
	{"Enter", N_("read the whole item; Enter, q or Esc closes it")},
	{"s", N_("while reading an item: log a demand signal")},
	{"Esc", N_("back")},
	{NULL, NULL},
};

static const struct keys_help inbox_help[] = {
	{"j, ↓", N_("next referral")},
	{"k, ↑", N_("previous referral")},
	{"PgDn, PgUp", N_("next, previous page")},
	{"g, Home", N_("first referral (the soonest deadline)")},
	{"G, End", N_("last referral")},
	{"Tab, Shift-Tab", N_("next, previous tab")},
	{"1-5", N_("new, mine, in progress, overdue, returned")},
	{"Enter", N_("show the question (note, urgency, contact details)")},
	{"o", N_("accept: pick the referral up")},
	{"p", N_("in progress: contact made or appointment planned")},
	{"c", N_("complete, with the outcome")},
	{"t", N_("return to the sender, with the reason")},
	{"s", N_("log a demand signal")},
	{"K", N_("knowledge base: search as you type, read items")},
	{"a", N_("training catalogue: search as you type")},
	{":", N_("commands: new, refer, signal, knowledge, catalogue, inbox, goto N, help, quit")},
	{"Esc", N_("to your organisation's own questions")},
	{"q", N_("quit")},
	{"R", N_("reports (supervisors)")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

/* The conflict screen takes its keys directly (src/views/conflict.c). */
static const struct keys_help conflict_help[] = {
	{"r", N_("apply your change to the question as it is now")},
	{"d", N_("drop your change")},
	{"Esc", N_("back to your form")},
	{NULL, NULL},
};

/* The catalogue takes its keys directly (src/views/aanbod.c). */
static const struct keys_help aanbod_help[] = {
	{"Letters", N_("type to search; vorm:, vanaf:, max:, gemeente: filter")},
	{"Down, Up", N_("next, previous offering")},
	{"Enter", N_("read the whole offering; Enter, q or Esc closes it")},
	{"Space", N_("about a question: mark as given to the client")},
	{"Ctrl-U", N_("clear the search")},
	{"Esc", N_("back (records the marked offerings)")},
	{"Ctrl-X", N_("about a question: back without recording the marked offerings")},
	{NULL, NULL},
};

static const struct keys_help kbedit_help[] = {
	{"j, ↓, k, ↑", N_("next, previous item")},
	{"1, 2, 3, Tab", N_("all items, review queue, retired items")},
	{"Enter", N_("read the item")},
	{"n", N_("new item")},
	{"e", N_("edit: save a new version")},
	{"v", N_("versions, and the difference between them")},
	{"x", N_("retire the item, or bring a retired item back")},
	{"q, Esc", N_("back")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

static const struct keys_help versions_help[] = {
	{"j, ↓, k, ↑", N_("next, previous version")},
	{"Enter, d", N_("difference with the version before it (or the marked one)")},
	{"m", N_("mark a version to compare with")},
	{"e", N_("edit, starting from the newest version")},
	{"q, Esc, ←", N_("back")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

static const struct keys_help help_help[] = {
	{"j, ↓, k, ↑", N_("scroll down, up a line")},
	{"PgDn, PgUp", N_("scroll down, up a page")},
	{"q, Esc, ?", N_("close the help")},
	{NULL, NULL},
};

static const struct keys_help report_help[] = {
	{"1-6", N_("volume, funnel, pick-up, consistency, signals, knowledge")},
	{"Tab, Shift-Tab", N_("next, previous report")},
	{"d", N_("volume: count by organisation, topic, group, channel, municipality")},
	{"p", N_("volume: per week or per month")},
	{"j, ↓, k, ↑", N_("scroll down, up a line")},
	{"PgDn, PgUp", N_("scroll down, up a page")},
	{"l, →, h, ←", N_("scroll right, left (wide tables)")},
	{":", N_("commands: knowledge, help, quit")},
	{"q, Esc", N_("back (supervisors: quit)")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

static const struct keys_help national_report_help[] = {
	{"1, 2, 4", N_("volume, funnel, consistency, over every region")},
	{"Tab, Shift-Tab", N_("next, previous report")},
	{"d", N_("volume: count by region, topic, group, channel, municipality")},
	{"p", N_("volume: per week or per month")},
	{"j, ↓, k, ↑", N_("scroll down, up a line")},
	{"PgDn, PgUp", N_("scroll down, up a page")},
	{"l, →, h, ←", N_("scroll right, left (wide tables)")},
	{":", N_("commands: help, quit")},
	{"q, Esc", N_("quit")},
	{"?, F1", N_("this help")},
	{NULL, NULL},
};

const struct keys_help *
keys_help(enum keys_context ctx)
{
	switch (ctx) {
	case KEYS_LIST:
		return list_help;
	case KEYS_DETAIL:
		return detail_help;
	case KEYS_HELP:
		return help_help;
	case KEYS_FORM:
		return form_help;
	case KEYS_INFO:
		return info_help;
	case KEYS_KNOWLEDGE:
		return knowledge_help;
	case KEYS_INBOX:
		return inbox_help;
	case KEYS_CONFLICT:
		return conflict_help;
	case KEYS_REPORT:
		return report_help;
	case KEYS_AANBOD:
		return aanbod_help;
	case KEYS_KBEDIT:
		return kbedit_help;
	case KEYS_VERSIONS:
		return versions_help;
	case KEYS_REPORT_NATIONAL:
		return national_report_help;
	}
	return help_help;
}
