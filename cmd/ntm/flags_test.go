package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/i18n"
)

// TestCLICatalog_EveryTextUsed: every text of the cli catalog is the summary of a command,
// the help of a flag a command declares or the help's own words, so that none is left
// behind when a flag goes.
func TestCLICatalog_EveryTextUsed(t *testing.T) {
	t.Parallel()
	used := map[string]bool{}
	for _, name := range sortedNames("") {
		cmd := commands[name]()
		used[cliKey(name)+".summary"] = true
		fs := flag.NewFlagSet(name, flag.ContinueOnError)
		e := newEnv(nil, nil, nil)
		e.globalFlags(fs)
		e.commonFlags(fs, cmd)
		if cmd.setup != nil {
			cmd.setup(fs, e)
		}
		fs.VisitAll(func(f *flag.Flag) {
			if globalFlag[f.Name] {
				used[helpKey(nil, f.Name)] = true
			} else {
				used[helpKey(cmd, f.Name)] = true
			}
		})
	}
	for key := range i18n.WithPrefix(i18n.VI, "cli.") {
		// cli.usage.* are the help's own words (printUsage, printCommandUsage).
		if !used[key] && !strings.HasPrefix(key, "cli.usage.") {
			t.Errorf("%s: no command uses it", key)
		}
	}
	for key := range used {
		if !i18n.Has(i18n.VI, key) || !strings.HasPrefix(key, "cli.") {
			t.Errorf("%s: not in the cli catalog", key)
		}
	}
}
