package main

import (
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/i18n"
)

// A command's flags are declared by name and variable; their help is in the catalog
// (internal/i18n/cli.*.json), Vietnamese first and the English beside it, under
// cli.<command>.flag.<flag> for a flag that means something of its own in that command,
// cli.flags.<family>.<flag> for one a family of commands shares (see families) and
// cli.flag.<flag> for one that reads the same everywhere (--unit, --set, --as-of, --user…).

// flagDef is one flag: its name, without dashes, and the variable it fills, whose value
// when declared is the default.
type flagDef struct {
	name string
	p    any // *string, *int, *int64, *bool, *float64, *time.Duration or a flag.Value
}

// cliKey is the catalog key of a command, "cli.values_import" for "values import".
func cliKey(command string) string {
	return "cli." + strings.NewReplacer(" ", "_", "-", "_").Replace(command)
}

// families lists the commands whose flags read alike: such a command's flag takes its
// help from cli.flags.<family>.<flag> when the catalog has it.
var families = map[string][]string{
	"register":         {"funding list", "models list", "tasks list", "tasks overdue", "unit-indicators list", "works list"},
	"plan":             {"plan", "plan costs import", "plan propose", "plan warnings", "plan whatif"},
	"report_figures":   {"report bulletin", "report table"},
	"report_draft":     {"report draft", "report issue"},
	"office":           {"report profile", "report profile set"},
	"recognition":      {"recognition list", "recognition overdue", "recognition watch"},
	"ocop_register":    {"ocop producers add", "ocop products add"},
	"ocop_certificate": {"ocop certify", "ocop revoke"},
	"assessments_step": {"assessments verify", "assessments approve"},
}

// family is the family of command, "" for none.
func family(command string) string {
	for f, commands := range families {
		if slices.Contains(commands, command) {
			return f
		}
	}
	return ""
}

// helpKey is the catalog key of the help of cmd's flag: the command's own text when it has
// one, else its family's, else the shared one. cmd is nil for the global flags.
func helpKey(cmd *command, name string) string {
	name = strings.ReplaceAll(name, "-", "_")
	if cmd != nil {
		if key := cliKey(cmd.name) + ".flag." + name; i18n.Has(i18n.VI, key) {
			return key
		}
		if key := "cli.flags." + family(cmd.name) + "." + name; i18n.Has(i18n.VI, key) {
			return key
		}
	}
	return "cli.flag." + name
}

// declare declares the flags of cmd (nil for the global flags) on fs.
func declare(fs *flag.FlagSet, cmd *command, defs []flagDef) {
	command := "ntm"
	if cmd != nil {
		command = cmd.name
	}
	for _, d := range defs {
		help := i18n.Both(helpKey(cmd, d.name))
		switch p := d.p.(type) {
		case *string:
			fs.StringVar(p, d.name, *p, help)
		case *int:
			fs.IntVar(p, d.name, *p, help)
		case *int64:
			fs.Int64Var(p, d.name, *p, help)
		case *bool:
			fs.BoolVar(p, d.name, *p, help)
		case *float64:
			fs.Float64Var(p, d.name, *p, help)
		case *time.Duration:
			fs.DurationVar(p, d.name, *p, help)
		case flag.Value:
			fs.Var(p, d.name, help)
		default:
			panic(fmt.Sprintf("ntm %s: --%s: cannot declare a flag of type %T", command, d.name, d.p))
		}
	}
}
