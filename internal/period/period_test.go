package period

import (
	"strings"
	"testing"

	"github.com/ntm-vn/ntm/internal/fault"
)

func TestParse_OfficesForms(t *testing.T) {
	for _, c := range []struct {
		in, code, start, end, vi, en string
	}{
		{"2021", "2021", "2021-01-01", "2021-12-31", "năm 2021", "2021"},
		{"năm 2021", "2021", "2021-01-01", "2021-12-31", "năm 2021", "2021"},
		{"Năm 2021", "2021", "2021-01-01", "2021-12-31", "năm 2021", "2021"},
		{"2026-H1", "2026-H1", "2026-01-01", "2026-06-30", "6 tháng đầu năm 2026", "first half of 2026"},
		{"6 tháng đầu năm 2026", "2026-H1", "2026-01-01", "2026-06-30", "6 tháng đầu năm 2026", "first half of 2026"},
		{"6 tháng cuối năm 2026", "2026-H2", "2026-07-01", "2026-12-31", "6 tháng cuối năm 2026", "second half of 2026"},
		{"2026-h2", "2026-H2", "2026-07-01", "2026-12-31", "6 tháng cuối năm 2026", "second half of 2026"},
		{"Quý I/2021", "2021-Q1", "2021-01-01", "2021-03-31", "Quý I/2021", "Q1 2021"},
		{"quý I năm 2021", "2021-Q1", "2021-01-01", "2021-03-31", "Quý I/2021", "Q1 2021"},
		{"QUÝ IV/2025", "2025-Q4", "2025-10-01", "2025-12-31", "Quý IV/2025", "Q4 2025"},
		{"quy 2/2026", "2026-Q2", "2026-04-01", "2026-06-30", "Quý II/2026", "Q2 2026"},
		{"2026-Q2", "2026-Q2", "2026-04-01", "2026-06-30", "Quý II/2026", "Q2 2026"},
		{"Q2 2026", "2026-Q2", "2026-04-01", "2026-06-30", "Quý II/2026", "Q2 2026"},
		{"tháng 4/2023", "2023-04", "2023-04-01", "2023-04-30", "tháng 4/2023", "April 2023"},
		{"tháng 02 năm 2024", "2024-02", "2024-02-01", "2024-02-29", "tháng 2/2024", "February 2024"},
		{"2023-04", "2023-04", "2023-04-01", "2023-04-30", "tháng 4/2023", "April 2023"},
		{"April 2023", "2023-04", "2023-04-01", "2023-04-30", "tháng 4/2023", "April 2023"},
		{"8 tháng đầu năm 2023", "2023-M8", "2023-01-01", "2023-08-31", "8 tháng đầu năm 2023", "first 8 months of 2023"},
		{"4 thang dau nam 2021", "2021-M4", "2021-01-01", "2021-04-30", "4 tháng đầu năm 2021", "first 4 months of 2021"},
		{"2023-M8", "2023-M8", "2023-01-01", "2023-08-31", "8 tháng đầu năm 2023", "first 8 months of 2023"},
		{"first 9 months of 2024", "2024-M9", "2024-01-01", "2024-09-30", "9 tháng đầu năm 2024", "first 9 months of 2024"},
		{"9 tháng năm 2024", "2024-M9", "2024-01-01", "2024-09-30", "9 tháng đầu năm 2024", "first 9 months of 2024"},
		// The first 3, 6 and 12 months are a quarter, a half and the year.
		{"3 tháng đầu năm 2024", "2024-Q1", "2024-01-01", "2024-03-31", "Quý I/2024", "Q1 2024"},
		{"2024-M6", "2024-H1", "2024-01-01", "2024-06-30", "6 tháng đầu năm 2024", "first half of 2024"},
		{"12 tháng đầu năm 2024", "2024", "2024-01-01", "2024-12-31", "năm 2024", "2024"},
	} {
		p, err := Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p.Code() != c.code || string(p.Start()) != c.start || string(p.End()) != c.end || p.Label("vi") != c.vi || p.Label("en") != c.en {
			t.Errorf("%q: %s %s..%s %q %q, want %s %s..%s %q %q", c.in, p.Code(), p.Start(), p.End(), p.Label("vi"), p.Label("en"),
				c.code, c.start, c.end, c.vi, c.en)
		}
		// The code and both labels read back as the same period.
		for _, s := range []string{p.Code(), p.Label("vi"), p.Label("en")} {
			if q, err := Parse(s); err != nil || q != p {
				t.Errorf("%q: %q reads back as %v, %v", c.in, s, q, err)
			}
		}
	}
}

func TestParse_ErrorListsTheForms(t *testing.T) {
	for _, in := range []string{"", "abc", "2026-Q5", "2026-13", "2026-H3", "Quý V/2026", "tháng 13/2026", "13 tháng đầu năm 2026",
		"0 tháng đầu năm 2026", "7 tháng cuối năm 2026", "1989", "2026-M1x", "năm 20266"} {
		_, err := Parse(in)
		if !fault.Is(err, fault.InvalidValue) {
			t.Errorf("%q: %v, want a period error", in, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "Quý II/2026") || !strings.Contains(msg, "8 tháng đầu năm 2026") || !strings.Contains(msg, "first 8 months of 2026") {
			t.Errorf("%q: the message does not list the forms: %s", in, msg)
		}
	}
}

func TestLabel_OfACode(t *testing.T) {
	if got := Label("2026-Q3", "vi"); got != "Quý III/2026" {
		t.Errorf("Label(2026-Q3) = %q", got)
	}
	if got := Label("whatever", "vi"); got != "whatever" {
		t.Errorf("Label of an unreadable code = %q, want it unchanged", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026", "Quý II/2026", "8 tháng đầu năm 2023", "tháng 4/2023", "first 8 months of 2023", "2026-M8"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if p.Start() > p.End() {
			t.Fatalf("%q: starts %s after it ends %s", s, p.Start(), p.End())
		}
		if q, err := Parse(p.Code()); err != nil || q != p {
			t.Fatalf("%q: code %q reads back as %v, %v", s, p.Code(), q, err)
		}
	})
}
