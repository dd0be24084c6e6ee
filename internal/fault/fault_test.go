package fault

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestError_MessageInEachLanguage(t *testing.T) {
	// "error.no_set" is a catalog key in both languages; a wrapped fault keeps its code.
	err := fmt.Errorf("loading: %w", New(NotFound, "error.no_set", "xa-ntm-2099").OnField("unit"))
	f, ok := As(err)
	if !ok || f.Code != NotFound || CodeOf(err) != NotFound || !Is(err, NotFound) {
		t.Fatalf("fault lost in the chain: %v", err)
	}
	if vi, en := f.Message("vi"), f.Message("en"); vi == en || vi == "error.no_set" || !strings.Contains(vi, "xa-ntm-2099") {
		t.Errorf("message not translated: vi %q, en %q", vi, en)
	}
	if got := f.Error(); got != "unit: "+f.Message("vi") {
		t.Errorf("Error() = %q, want the field and the Vietnamese message", got)
	}
}

func TestError_CodeOfPlainError(t *testing.T) {
	if c := CodeOf(errors.New("disk full")); c != "" {
		t.Errorf("a plain error has code %q, want none (internal)", c)
	}
	cause := errors.New("bad zip")
	if err := Wrap(TooLarge, cause); !errors.Is(err, cause) || err.Error() != "bad zip" {
		t.Errorf("Wrap lost its cause: %v", err)
	}
}
