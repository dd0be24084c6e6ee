package main

// The help texts: the command list, a group's subcommands, a command's flags (with two
// dashes, Vietnamese first and the English beside it) and the command-line mistakes, so
// that a person who reads Vietnamese never has to guess what a flag or an error means.

import (
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/ntm-vn/ntm/internal/i18n"
)

// globalFlag names the flags every command takes; a command's help lists them apart.
var globalFlag = map[string]bool{"db": true, "json": true}

// sortedNames lists the registered commands whose name starts with prefix ("" for all),
// in order.
func sortedNames(prefix string) []string {
	var names []string
	for n := range commands {
		if prefix == "" || strings.HasPrefix(n, prefix+" ") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// isGroup reports whether words name a group: commands exist below it ("ocop" for
// "ocop products"), whether or not the words are also a command themselves ("plan").
func isGroup(words string) bool { return len(sortedNames(words)) > 0 }

// findGroup finds the longest group the leading words of args name, and the words left.
func findGroup(args []string) (string, []string) {
	n := 0
	for n < len(args) && n < 3 && !strings.HasPrefix(args[n], "-") {
		n++
	}
	for ; n > 0; n-- {
		if g := strings.Join(args[:n], " "); isGroup(g) {
			return g, args[n:]
		}
	}
	return "", args
}

// wantsHelp reports whether args ask for help and nothing else.
func wantsHelp(args []string) bool {
	return len(args) == 1 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h")
}

// printCommands writes one line per command: name and summary.
func printCommands(w io.Writer, names []string) {
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %s\n", n, commands[n]().summary)
	}
}

// printGroup lists the subcommands of a group, as "ntm ocop" alone does.
func printGroup(w io.Writer, group string) {
	fmt.Fprintf(w, "Cách dùng / Usage: ntm %s LỆNH/COMMAND [cờ/flags] [đối số/args]\n\n", group)
	fmt.Fprintf(w, "Các lệnh của nhóm %q (commands of the %q group):\n", group, group)
	printCommands(w, sortedNames(group))
	fmt.Fprintf(w, "\nChạy 'ntm %s LỆNH --help' để xem các cờ của một lệnh (run 'ntm %s COMMAND --help' for a command's flags).\n", group, group)
}

// printCommandUsage writes a command's help: its usage line, summary, flags and, when the
// command also heads a group ("plan", "targets"), the subcommands below it.
func printCommandUsage(w io.Writer, cmd *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Cách dùng / Usage: ntm %s [cờ/flags] %s\n\n%s\n", cmd.name, cmd.usage, cmd.summary)
	var own, global []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if globalFlag[f.Name] {
			global = append(global, f)
		} else {
			own = append(own, f)
		}
	})
	if len(own) > 0 {
		fmt.Fprintf(w, "\n%s:\n", i18n.Both("cli.usage.flags"))
		printFlags(w, own)
	}
	fmt.Fprintf(w, "\n%s:\n", i18n.Both("cli.usage.global_flags"))
	printFlags(w, global)
	if subs := sortedNames(cmd.name); len(subs) > 0 {
		fmt.Fprintf(w, "\n%s:\n", i18n.Both("cli.usage.subcommands"))
		printCommands(w, subs)
	}
}

// printFlags writes flags as people type them, with two dashes, each with its text and
// its default when it has one.
func printFlags(w io.Writer, flags []*flag.Flag) {
	for _, f := range flags {
		kind, text := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if kind != "" {
			line += " " + kind
		}
		fmt.Fprintln(w, line)
		if !zeroDefault(f) {
			text += fmt.Sprintf(" [mặc định/default: %s]", f.DefValue)
		}
		fmt.Fprintf(w, "        %s\n", text)
	}
}

// zeroDefault reports whether a flag's default is its type's zero value, not worth printing.
func zeroDefault(f *flag.Flag) bool {
	switch f.DefValue {
	case "", "0", "false", "0s":
		return true
	}
	return false
}

// flagMistake is the flag package's message for a mistake in the flags ("flag provided
// but not defined: -x"), read back into Vietnamese with the English beside it and the
// flag written with two dashes as the help prints it.
var flagMistakes = []struct {
	re *regexp.Regexp
	vi string // %[1]s: the flag, %[2]s: the value when the message has one
}{
	{regexp.MustCompile(`^flag provided but not defined: -+(\S+)$`), "không có cờ --%[1]s"},
	{regexp.MustCompile(`^flag needs an argument: -+(\S+)$`), "cờ --%[1]s cần một giá trị"},
	{regexp.MustCompile(`^invalid boolean value "(.*)" for -+(\S+): .*$`), "giá trị %[2]s của cờ --%[1]s phải là true hoặc false"},
	{regexp.MustCompile(`^invalid value "(.*)" for flag -+(\S+): .*$`), "giá trị %[2]q của cờ --%[1]s không hợp lệ"},
	{regexp.MustCompile(`^invalid boolean flag (\S+): .*$`), "cờ --%[1]s không nhận giá trị này"},
	{regexp.MustCompile(`^bad flag syntax: (.*)$`), "viết cờ sai: %[1]s"},
}

// singleDash finds a flag written with one dash in the flag package's messages.
var singleDash = regexp.MustCompile(`(^|\s)-([A-Za-z])`)

func flagMistake(err error) string {
	msg := err.Error()
	en := singleDash.ReplaceAllString(msg, "$1--$2")
	for _, m := range flagMistakes {
		p := m.re.FindStringSubmatch(msg)
		if p == nil {
			continue
		}
		name, value := p[1], ""
		if len(p) == 3 { // the messages with a value name it first
			name, value = p[2], p[1]
		}
		return fmt.Sprintf(m.vi, name, value) + " (" + en + ")"
	}
	return "cờ không hợp lệ (" + en + ")"
}
