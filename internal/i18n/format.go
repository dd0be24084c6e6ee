package i18n

import "github.com/ntm-vn/ntm/internal/numfmt"

// The pages format numbers and dates through these, which follow internal/numfmt (the one
// definition of the offices' conventions: Vietnamese "356.410", "11,78", "91,4 %",
// "15/02/2026"; English "356,410", "11.78", "91.4%", "2026-02-15").

// Int formats a whole number with thousands separators: 356410 → "356.410" (vi).
func Int(n int64, lang string) string { return numfmt.Int(int(n), lang) }

// Decimal formats x with the given number of decimal places: 11.78 → "11,78" (vi).
func Decimal(x float64, places int, lang string) string { return numfmt.Decimal(x, places, lang) }

// Percent formats x (already in per cent) with places decimals and a % sign: "91,4 %" (vi),
// "91.4%" (en).
func Percent(x float64, places int, lang string) string { return numfmt.Percent(x, places, lang) }

// Date formats a day given as YYYY-MM-DD: "01/07/2025" (vi), "2025-07-01" (en); other text
// comes back unchanged.
func Date(day string, lang string) string { return numfmt.Date(day, lang) }
