// Command ntm runs the National Target Program on New Rural Development (nông thôn mới) and
// the OCOP program: a web server, an API and the command line over one database.
//
// This file parses the command line and dispatches; each command lives in its own file and
// registers itself with register, so that adding a command touches one file.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// command is one subcommand such as "units import".
type command struct {
	name    string // words after "ntm", e.g. "units import"
	usage   string // arguments, e.g. "[--as-of DATE] CODE"
	summary string // one line, shown in the command list
	// setup declares the command's own flags on fs; it may be nil.
	setup func(fs *flag.FlagSet, e *env)
	// run does the work with the arguments left after flags.
	run func(ctx context.Context, e *env, args []string) error
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("ntm: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// usageError is a mistake in the command line: it exits with status 2 and a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: tests call it with their own arguments and writers.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := newEnv(stdin, stdout, stderr)
	defer e.close()

	// Global flags may come before the command words: ntm --db X units list.
	global := flag.NewFlagSet("ntm", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	e.globalFlags(global)
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "ntm: %v\n", err)
		return 2
	}
	args = global.Args()
	if len(args) == 0 || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}

	cmd, rest := lookup(args)
	if cmd == nil {
		fmt.Fprintf(stderr, "ntm: unknown command %q\n\n", strings.Join(args, " "))
		printUsage(stderr)
		return 2
	}
	fs := flag.NewFlagSet("ntm "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	e.globalFlags(fs)
	if cmd.setup != nil {
		cmd.setup(fs, e)
	}
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: ntm %s [flags] %s\n\n%s\n\nFlags:\n", cmd.name, cmd.usage, cmd.summary)
		fs.PrintDefaults()
	}
	if err := fs.Parse(interleave(fs, rest)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		return 2
	}
	if err := cmd.run(ctx, e, fs.Args()); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "ntm %s: %s\n", cmd.name, ue.msg)
			fmt.Fprintf(stderr, "Run 'ntm %s --help' for usage.\n", cmd.name)
			return 2
		}
		fmt.Fprintf(stderr, "ntm %s: %v\n", cmd.name, err)
		return exitCode(err)
	}
	return 0
}

// lookup finds the longest registered command that the leading words name.
func lookup(args []string) (*command, []string) {
	for n := min(len(args), 3); n > 0; n-- {
		if c, ok := commands[strings.Join(args[:n], " ")]; ok {
			return c, args[n:]
		}
	}
	return nil, nil
}

// interleave moves flags that follow positional arguments to the front, so that
// "ntm units show 01 --json" works as users type it.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, pos...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "ntm — hệ thống thông tin Chương trình MTQG xây dựng nông thôn mới và OCOP")
	fmt.Fprintln(w, "ntm — information system of the New Rural Development program and OCOP")
	fmt.Fprintln(w, "\nUsage: ntm [--db DSN] COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-22s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nGlobal flags:\n  --db DSN   sqlite:PATH (default sqlite:ntm.db) or postgres://…; also NTM_DB\n  --json     machine-readable output")
	fmt.Fprintln(w, "\nRun 'ntm COMMAND --help' for a command's flags.")
}

func init() {
	register(&command{
		name:    "version",
		summary: "print the version",
		run: func(ctx context.Context, e *env, args []string) error {
			if e.json {
				return e.printJSON(map[string]string{"version": version})
			}
			fmt.Fprintf(e.stdout, "ntm %s\n", version)
			return nil
		},
	})
}
