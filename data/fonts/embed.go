// Package fontdata holds the TrueType fonts the PDF reports embed (DejaVu Sans, regular and
// bold): fonts with every Vietnamese letter, shipped inside the binary so that a report never
// depends on the fonts of the machine it runs on. README.md names the source and LICENSE the
// licence.
package fontdata

import _ "embed"

// Regular is DejaVu Sans.
//
//go:embed DejaVuSans.ttf
var Regular []byte

// Bold is DejaVu Sans Bold.
//
//go:embed DejaVuSans-Bold.ttf
var Bold []byte
