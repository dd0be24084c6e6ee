package main

import (
	"flag"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ntm-vn/ntm/internal/store"
	"github.com/ntm-vn/ntm/internal/store/storetest"
)

// groupNames lists every group of commands: the leading words shared by commands below
// them ("ocop", "ocop councils", "units tags").
func groupNames() []string {
	seen := map[string]bool{}
	var groups []string
	for name := range commands {
		words := strings.Fields(name)
		for n := 1; n < len(words); n++ {
			g := strings.Join(words[:n], " ")
			if !seen[g] {
				seen[g] = true
				groups = append(groups, g)
			}
		}
	}
	return groups
}

// TestHelp_GroupsListTheirSubcommands (issue 15.8): "ntm ocop --help", "ntm help ocop"
// and "ntm ocop" alone list the group's commands; asking for help exits 0, the bare group
// exits 2 as "ntm" alone does, unless the words are a command themselves ("ntm plan").
func TestHelp_GroupsListTheirSubcommands(t *testing.T) {
	t.Parallel()
	groups := groupNames()
	for _, must := range []string{"ocop", "report", "user", "units", "criteria", "plan", "units tags"} {
		if !strings.Contains("|"+strings.Join(groups, "|")+"|", "|"+must+"|") {
			t.Fatalf("no group %q among %v", must, groups)
		}
	}
	for _, g := range groups {
		words := strings.Fields(g)
		for _, c := range []struct {
			args []string
			code int
		}{
			{append(words[:len(words):len(words)], "--help"), 0},
			{append([]string{"help"}, words...), 0},
			{words, 2},
		} {
			if _, isCommand := commands[g]; isCommand && len(c.args) == len(words) {
				continue // "ntm plan" runs the plan
			}
			code, out, errs := ntm(t, c.args...)
			if code != c.code {
				t.Errorf("ntm %s: exit %d, want %d; %s", strings.Join(c.args, " "), code, c.code, errs)
			}
			for _, sub := range sortedNames(g) {
				if !strings.Contains(out, sub) {
					t.Errorf("ntm %s does not list %q:\n%s", strings.Join(c.args, " "), sub, out)
				}
			}
		}
	}
	// A word the group does not know: the group's commands, on stderr, exit 2.
	code, _, errs := ntm(t, "ocop", "frobnicate")
	if code != 2 || !strings.Contains(errs, "không có lệnh") || !strings.Contains(errs, "unknown command") || !strings.Contains(errs, "ocop products") {
		t.Errorf("ntm ocop frobnicate: exit %d\n%s", code, errs)
	}
}

// vietnameseFirst reports whether text opens in Vietnamese (a letter only Vietnamese
// writes, before the first parenthesis) and gives English in parentheses after it.
func vietnameseFirst(text string) bool {
	head, _, ok := strings.Cut(text, "(")
	return ok && strings.ContainsAny(head, "àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđĐ") &&
		strings.HasSuffix(strings.TrimSpace(text), ")")
}

// TestHelp_VietnameseFirst (issue 15.8): every command's summary and every flag say it in
// Vietnamese with the English beside it, and the help prints flags with two dashes.
func TestHelp_VietnameseFirst(t *testing.T) {
	t.Parallel()
	for _, name := range sortedNames("") {
		cmd := commands[name]()
		if !vietnameseFirst(cmd.summary) {
			t.Errorf("ntm %s: summary not Vietnamese first with the English beside it: %q", name, cmd.summary)
		}
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		e := newEnv(nil, nil, nil)
		e.globalFlags(fs)
		e.commonFlags(fs, cmd)
		if cmd.setup != nil {
			cmd.setup(fs, e)
		}
		code, out, _ := ntm(t, append(strings.Fields(name), "--help")...)
		if code != 0 || !strings.Contains(out, "Cách dùng / Usage: ntm "+name) {
			t.Errorf("ntm %s --help: exit %d\n%s", name, code, out)
		}
		fs.VisitAll(func(f *flag.Flag) {
			if !vietnameseFirst(f.Usage) {
				t.Errorf("ntm %s --%s: not Vietnamese first with the English beside it: %q", name, f.Name, f.Usage)
			}
			if !strings.Contains(out, "\n  --"+f.Name) {
				t.Errorf("ntm %s --help does not print --%s with two dashes:\n%s", name, f.Name, out)
			}
		})
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "-") && !strings.HasPrefix(strings.TrimSpace(line), "--") {
				t.Errorf("ntm %s --help: a flag with one dash: %q", name, line)
			}
		}
	}
	code, out, _ := ntm(t, "--help")
	if code != 0 || !strings.Contains(out, "Các lệnh (commands)") || !strings.Contains(out, "  --db DSN") {
		t.Errorf("ntm --help: exit %d\n%s", code, out)
	}
}

// TestHelp_FlagMistakes (issue 15.8): a flag the command does not have, or a value it
// cannot read, exits 2 with a message in Vietnamese and English and the command's usage.
func TestHelp_FlagMistakes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		says []string
	}{
		{[]string{"units", "list", "--bogus"}, []string{"ntm units list: không có cờ --bogus", "(flag provided but not defined: --bogus)", "Cách dùng / Usage: ntm units list", "--parent"}},
		{[]string{"ocop", "products", "-bogus=1"}, []string{"không có cờ --bogus", "Usage: ntm ocop products", "--stars"}},
		{[]string{"user", "add", "--role"}, []string{"cờ --role cần một giá trị", "flag needs an argument: --role", "Usage: ntm user add"}},
		{[]string{"units", "list", "--limit", "nhiều"}, []string{`giá trị "nhiều" của cờ --limit không hợp lệ`, "invalid value", "Usage: ntm units list"}},
		{[]string{"report", "bulletin", "--json=có"}, []string{"--json", "true hoặc false", "Usage: ntm report bulletin"}},
		{[]string{"--bogus", "units", "list"}, []string{"ntm: không có cờ --bogus", "Các lệnh (commands)"}},
	} {
		code, out, errs := ntm(t, c.args...)
		if code != 2 || out != "" {
			t.Errorf("ntm %s: exit %d, stdout %q", strings.Join(c.args, " "), code, out)
		}
		for _, s := range c.says {
			if !strings.Contains(errs, s) {
				t.Errorf("ntm %s: stderr lacks %q:\n%s", strings.Join(c.args, " "), s, errs)
			}
		}
		if !utf8.ValidString(errs) {
			t.Errorf("ntm %s: stderr is not UTF-8", strings.Join(c.args, " "))
		}
	}
}

// TestDates_DayMonthYear (issue 15.8): where a command reads a day, dd/mm/yyyy is read as
// offices write it and gives what YYYY-MM-DD gives; a day that does not exist exits 2.
func TestDates_DayMonthYear(t *testing.T) {
	t.Parallel()
	dsn := storetest.Units.Open(t, store.SQLite).DSN()
	for _, c := range []struct {
		args     []string
		dmy, iso string
	}{
		{[]string{"units", "show", "00013", "--as-of"}, "30/06/2025", "2025-06-30"},
		{[]string{"units", "show", "00013", "--as-of"}, "1/7/2025", "2025-07-01"},
		{[]string{"units", "list", "--parent", "01", "--as-of"}, "01/07/2025", "2025-07-01"},
		{[]string{"ocop", "products", "--as-of"}, "31.12.2026", "2026-12-31"},
		{[]string{"recognition", "list", "--as-of"}, "15/02/2026", "2026-02-15"},
	} {
		args := append([]string{"--db", dsn}, c.args...)
		code, dmy, errs := ntm(t, append(args[:len(args):len(args)], c.dmy)...)
		if code != 0 {
			t.Errorf("ntm %s %s: exit %d %s", strings.Join(c.args, " "), c.dmy, code, errs)
			continue
		}
		if _, iso, _ := ntm(t, append(args[:len(args):len(args)], c.iso)...); iso != dmy {
			t.Errorf("ntm %s: %s and %s differ:\n%s\n---\n%s", strings.Join(c.args, " "), c.dmy, c.iso, dmy, iso)
		}
	}
	code, _, errs := ntm(t, "--db", dsn, "units", "list", "--as-of", "31/02/2026")
	if code != 2 || !strings.Contains(errs, "dd/mm/yyyy") {
		t.Errorf("31/02/2026: exit %d %s", code, errs)
	}
}

// TestHelp_WrongArguments: words a command does not take exit 2 with a message in
// Vietnamese and English and the way to its help.
func TestHelp_WrongArguments(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + t.TempDir() + "/ntm.db"
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"units", "list", "thừa"}, "lệnh này không nhận đối số, chỉ nhận cờ (the command takes flags only)"},
		{[]string{"units", "show"}, "cho một mã đơn vị (give one unit code)"},
		{[]string{"ocop", "products", "--stars", "9"}, "--stars từ 1 đến 5 (--stars is 1 to 5)"},
		{[]string{"dossier", "show", "abc"}, `"abc" không phải mã hồ sơ (not a dossier id)`},
	} {
		code, _, errs := ntm(t, append([]string{"--db", dsn}, c.args...)...)
		if code != 2 || !strings.Contains(errs, c.says) || !strings.Contains(errs, "--help' để xem cách dùng") {
			t.Errorf("ntm %s: exit %d\n%s", strings.Join(c.args, " "), code, errs)
		}
	}
}
