package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/ntm-vn/ntm/internal/i18n"
)

// A command's flags are declared by name and variable; their help is in the catalog
// (internal/i18n/cli.*.json), Vietnamese first and the English beside it, under
// cli.<command>.flag.<flag> for a flag that means something of its own in that command and
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

// flagHelp is the help of a command's flag from the catalog, with args in its
// placeholders: the command's own text when it has one, else the shared one.
func flagHelp(command, name string, args ...any) string {
	name = strings.ReplaceAll(name, "-", "_")
	if key := cliKey(command) + ".flag." + name; command != "" && i18n.Has(i18n.VI, key) {
		return i18n.Both(key, args...)
	}
	return i18n.Both("cli.flag."+name, args...)
}

// declare declares the flags of command on fs.
func declare(fs *flag.FlagSet, command string, defs []flagDef) {
	for _, d := range defs {
		help := flagHelp(command, d.name)
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
