package ocop

import "github.com/ntm-vn/ntm/internal/units"

func unitsDate(s string) units.Date { return units.Date(s) }
