/* SPDX-License-Identifier: MIT */
/* The subcommands of opentrail. Each takes (argc, argv) with argv[0] the
 * subcommand name and returns the process exit status:
 * 0 success / every claim passed, 1 a claim failed or is not evidenced,
 * 2 bad input or the environment cannot do what was asked. */
#ifndef OT_COMMANDS_H
#define OT_COMMANDS_H

int cmd_list(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_site(int argc, char **argv);
int cmd_where(int argc, char **argv);
int cmd_debuginfo(int argc, char **argv);
int cmd_schema(int argc, char **argv);

#endif
