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
	// asOf, when set, is the help of the command's --as-of, a day read before run into e.day
	// (today when not given); a day that cannot be read is a usage error.
	asOf string
	// actor, when set, is the help of the command's --user, who writes, named in the audit
	// log (see audited): read into e.actor, "system" when not given.
	actor string
	// setup declares the command's own flags on fs; it may be nil.
	setup func(fs *flag.FlagSet, e *env)
	// flagsOnly says the command takes no arguments besides its flags: words left over are
	// refused with errNoArguments before run is called.
	flagsOnly bool
	// oneArg, when set, says the command takes exactly one argument: any other number is
	// refused with oneArg before run is called.
	oneArg *usageError
	// run does the work with the arguments left after flags.
	run func(ctx context.Context, e *env, args []string) error
}

// commands holds each command's constructor by name. Every run builds its own command, so
// that the variables its flags fill belong to that run alone and runs can go side by side.
var commands = map[string]func() *command{}

// register adds the command that build makes; build declares the command's flag variables
// and returns a command whose closures use them.
func register(build func() *command) {
	name := build().name
	if _, dup := commands[name]; dup {
		panic("ntm: command registered twice: " + name)
	}
	commands[name] = build
}

// usageError is a mistake in the command line: it exits with status 2 and a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errNoArguments answers words given to a command that takes none (only flags).
var errNoArguments = usageError{"lệnh này không nhận đối số, chỉ nhận cờ (the command takes flags only)"}

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
		fmt.Fprintf(stderr, "ntm: %s\n\n", flagMistake(err))
		printUsage(stderr)
		return 2
	}
	args = global.Args()
	if len(args) == 0 {
		printUsage(stdout)
		return 2
	}
	// "ntm help units list" is "ntm units list --help".
	if args[0] == "help" {
		if len(args) == 1 {
			printUsage(stdout)
			return 0
		}
		args = append(args[1:len(args):len(args)], "--help")
	}

	cmd, rest := lookup(args)
	// "ntm plan costs" names the group below the command "plan", not plan's argument.
	if group, _ := findGroup(args); cmd == nil || len(strings.Fields(group)) > len(strings.Fields(cmd.name)) {
		return groupOrUnknown(args, stdout, stderr)
	}
	fs := flag.NewFlagSet("ntm "+cmd.name, flag.ContinueOnError)
	// The flag package's own messages are English with one dash; ours are printed below.
	fs.SetOutput(io.Discard)
	e.globalFlags(fs)
	asOf := e.commonFlags(fs, cmd)
	if cmd.setup != nil {
		cmd.setup(fs, e)
	}
	if err := fs.Parse(interleave(fs, rest)); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printCommandUsage(stdout, cmd, fs)
			return 0
		}
		fmt.Fprintf(stderr, "ntm %s: %s\n\n", cmd.name, flagMistake(err))
		printCommandUsage(stderr, cmd, fs)
		return 2
	}
	var err error
	switch {
	case cmd.flagsOnly && fs.NArg() > 0:
		err = errNoArguments
	case cmd.oneArg != nil && fs.NArg() != 1:
		err = *cmd.oneArg
	default:
		if e.day, err = dateFlag("as-of", *asOf); err == nil {
			err = cmd.run(ctx, e, fs.Args())
		}
	}
	if err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(stderr, "ntm %s: %s\n", cmd.name, ue.msg)
			fmt.Fprintf(stderr, "Chạy 'ntm %s --help' để xem cách dùng (run 'ntm %s --help' for usage).\n", cmd.name, cmd.name)
			return 2
		}
		fmt.Fprintf(stderr, "ntm %s: %v\n", cmd.name, err)
		return exitCode(err)
	}
	return 0
}

// groupOrUnknown answers words that name no command: a group alone ("ntm ocop") lists its
// subcommands (exit 0 when asked with --help, 2 otherwise, as "ntm" alone); anything else
// is an unknown command, shown with the commands of the nearest group.
func groupOrUnknown(args []string, stdout, stderr io.Writer) int {
	group, rest := findGroup(args)
	if group != "" && wantsHelp(rest) {
		printGroup(stdout, group)
		return 0
	}
	if group != "" && len(rest) == 0 {
		printGroup(stdout, group)
		return 2
	}
	named := args
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			named = args[:i]
			break
		}
	}
	words := strings.Join(named, " ")
	fmt.Fprintf(stderr, "ntm: không có lệnh %q (unknown command %q)\n\n", words, words)
	if group != "" {
		printGroup(stderr, group)
	} else {
		printUsage(stderr)
	}
	return 2
}

// lookup finds the longest registered command that the leading words name.
func lookup(args []string) (*command, []string) {
	for n := min(len(args), 3); n > 0; n-- {
		if build, ok := commands[strings.Join(args[:n], " ")]; ok {
			return build(), args[n:]
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
	fmt.Fprintln(w, "\nCách dùng / Usage: ntm [--db DSN] LỆNH/COMMAND [cờ/flags] [đối số/args]\n\nCác lệnh (commands):")
	printCommands(w, sortedNames(""))
	fmt.Fprintln(w, "\nCờ chung (global flags):")
	fmt.Fprintln(w, "  --db DSN   cơ sở dữ liệu: sqlite:ĐƯỜNG_DẪN (mặc định sqlite:ntm.db) hoặc postgres://…; hoặc biến NTM_DB")
	fmt.Fprintln(w, "             (database: sqlite:PATH, default sqlite:ntm.db, or postgres://…; also NTM_DB)")
	fmt.Fprintln(w, "  --json     in kết quả dạng JSON cho máy đọc (machine-readable output)")
	fmt.Fprintln(w, "\nChạy 'ntm LỆNH --help' để xem các cờ của một lệnh, 'ntm NHÓM' để xem các lệnh của một nhóm")
	fmt.Fprintln(w, "(run 'ntm COMMAND --help' for a command's flags, 'ntm GROUP' for the commands of a group).")
}

func init() {
	register(func() *command {
		return &command{
			name:    "version",
			summary: "in phiên bản (print the version)",
			run: func(ctx context.Context, e *env, args []string) error {
				return e.answer(map[string]string{"version": version}, "ntm %s\n", version)
			},
		}
	})
}
