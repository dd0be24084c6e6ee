package units

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold reduces a name to a key for searching and matching: lower case, Vietnamese diacritics
// removed (đ becomes d), runs of spaces collapsed to one, ends trimmed. "Sóc Sơn", "SOC SON"
// and "sóc  sơn" all fold to "soc son"; as the tone marks go, the two placements the sources
// mix ("Hoà"/"Hòa", "Thuỷ"/"Thủy") fold alike too. Typographic apostrophes become ' so that
// B’Lao and B'Lao match.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'đ', 'Đ', 'Ð': // Ð (eth) is a common look-alike typed for Đ
			r = 'd'
		case '’', '‘', 'ʼ', '`':
			r = '\''
		}
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
