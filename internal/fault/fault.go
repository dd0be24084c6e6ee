// Package fault is the one error family of ntm. An error the user must act on is a *Error
// with a Code; each interface maps a code to its own answer in one table (the HTTP status in
// internal/web, the exit status in cmd/ntm), so the same fault is the same answer everywhere.
//
// The message is a catalog key with arguments (internal/i18n), so it is read in the user's
// language; Error() gives the Vietnamese text, the default, for logs and the command line.
// Domain packages return these errors; they never choose a status.
package fault

import (
	"errors"
	"fmt"

	"github.com/ntm-vn/ntm/internal/i18n"
)

// Code says what kind of fault an error is. The codes are the API's error codes.
type Code string

// The codes. Their HTTP and exit statuses are in web.errorStatus and cmd/ntm's exitStatus.
const (
	// Invalid: a parameter or field of the request is malformed (400).
	Invalid Code = "invalid"
	// InvalidValue: the user's data breaks a format or a check: a file's row, a value (422).
	InvalidValue Code = "invalid_value"
	// InvalidFile: a file to import has problems, listed in Problems; nothing was imported (422).
	InvalidFile Code = "invalid_file"
	// Rule: the request is well formed but the rules forbid it now, such as a step out of
	// order or an approval without the evidence the set requires (422).
	Rule Code = "rule_violation"
	// NotFound: the thing named does not exist, or not on the date asked (404).
	NotFound Code = "not_found"
	// Forbidden: the user's role or unit may not do this (403).
	Forbidden Code = "forbidden"
	// Duties: separation of duties: the same person may not take two steps of one record (403).
	Duties Code = "separation_of_duties"
	// Conflict: someone else changed the record since it was read; Current holds it (409).
	Conflict Code = "conflict"
	// Exists: the record to create already exists; Current holds its id (409).
	Exists Code = "exists"
	// VersionRequired: a write without the version it changes (If-Match) (428).
	VersionRequired Code = "version_required"
	// TooLarge: an upload or a file over a limit (413).
	TooLarge Code = "too_large"
	// TooMany: too many attempts; wait and try again (429).
	TooMany Code = "rate_limited"
	// Unauthenticated: no valid session or token (401).
	Unauthenticated Code = "unauthenticated"
	// Unavailable: a service the request needs is down, such as the database (503).
	Unavailable Code = "unavailable"
	// CrossSite: a write that did not come from our own pages (403).
	CrossSite Code = "csrf"
	// BadCredentials: a wrong user name or password at sign-in (401).
	BadCredentials Code = "invalid_credentials"
	// WrongPassword: the old password given to change one's own is wrong (422).
	WrongPassword Code = "wrong_password"
	// NoBoundaries: the map boundaries asked for are not shipped (404).
	NoBoundaries Code = "no_boundaries"
	// InvalidSet: a criteria set sent to be stored does not load (422).
	InvalidSet Code = "invalid_criteria_set"
)

// Error is a fault the user must act on.
type Error struct {
	Code Code
	// Key is the catalog key of the message (internal/i18n) and Args its placeholders {0}, {1}…
	// A message that is not a sentence of ours (a parser's own words, a file:line prefix
	// around one) can instead be given whole in Text.
	Key  string
	Args []any
	Text string
	// Words, for a message given whole in both languages (a rule file's or a parser's own, not
	// a catalog sentence), is each language's part; Text is then both, "vi (en)", as the API
	// and the command line say it, and a page in one language shows its part (see In).
	Words *Words
	// Field names the parameter, form field, file column or "file:line" the fault is about.
	Field string
	// Current is what the user should see instead: the record as stored now (Conflict), the
	// id of the one that exists (Exists).
	Current any
	// Problems lists the rows or cells at fault (InvalidFile), answered beside the message.
	Problems any
	// Truncated says that Problems stops at a limit: the file has more.
	Truncated bool
	// Err is the cause, kept for errors.Is/As and the log.
	Err error
}

// New returns a fault with a catalog message.
func New(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// Newf returns a fault whose message is given whole (for text that is not a catalog sentence).
func Newf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Text: fmt.Sprintf(format, args...)}
}

// Wrap returns a fault with err as its cause and err's text as its message.
func Wrap(code Code, err error) *Error {
	return &Error{Code: code, Text: err.Error(), Err: err}
}

// Words is a message in Vietnamese and in English.
type Words struct{ VI, EN string }

// In is the words in lang, Vietnamese when there are no English words.
func (w Words) In(lang string) string {
	if lang == i18n.EN && w.EN != "" {
		return w.EN
	}
	return w.VI
}

// String is both, Vietnamese first: "vi (en)", or vi alone when the English is none or the same.
func (w Words) String() string {
	if w.EN == "" || w.EN == w.VI {
		return w.VI
	}
	return w.VI + " (" + w.EN + ")"
}

// Both returns a fault whose message is given whole in both languages (see Error.Words).
func Both(code Code, vi, en string) *Error {
	w := Words{VI: vi, EN: en}
	return &Error{Code: code, Text: w.String(), Words: &w}
}

// OnField returns e naming field.
func (e *Error) OnField(field string) *Error { e.Field = field; return e }

// With returns e carrying current (see Error.Current).
func (e *Error) With(current any) *Error { e.Current = current; return e }

// Message is the message in lang.
func (e *Error) Message(lang string) string {
	if e.Key == "" {
		return e.Text
	}
	return i18n.T(lang, e.Key, e.Args...)
}

// In is the message as a page in lang shows it: the words in lang when the fault has them
// in both languages, else Message(lang).
func (e *Error) In(lang string) string {
	if e.Words != nil {
		return e.Words.In(lang)
	}
	return e.Message(lang)
}

func (e *Error) Error() string {
	msg := e.Message(i18n.Default)
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	if e.Field != "" {
		return e.Field + ": " + msg
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// As returns the fault in err's chain, if any: the first *Error that errors.As finds. Every
// error the user must act on is a *Error (or wraps one), so an error without one is ours.
func As(err error) (*Error, bool) {
	var f *Error
	if errors.As(err, &f) {
		return f, true
	}
	return nil, false
}

// CodeOf returns the code of the fault in err's chain, or "" for an error that is not a fault
// (an internal error: logged, and answered without its details).
func CodeOf(err error) Code {
	if f, ok := As(err); ok {
		return f.Code
	}
	return ""
}

// ProblemsOf returns the Problems of the fault in err's chain as a T, the list type the
// package that made the fault documents, if it has them.
func ProblemsOf[T any](err error) (T, bool) {
	f, ok := As(err)
	if !ok {
		var none T
		return none, false
	}
	ps, ok := f.Problems.(T)
	return ps, ok
}

// Is reports whether err is a fault with the code.
func Is(err error, code Code) bool { return CodeOf(err) == code }
