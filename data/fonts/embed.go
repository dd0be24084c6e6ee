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

// The serif of the signed reports (Nghị định 30/2020 asks for Times New Roman): Liberation
// Serif, metric-compatible with it and covering Vietnamese, under the SIL Open Font Licence
// (LICENSE-LiberationSerif).

// SerifRegular is Liberation Serif.
//
//go:embed LiberationSerif-Regular.ttf
var SerifRegular []byte

// SerifBold is Liberation Serif Bold.
//
//go:embed LiberationSerif-Bold.ttf
var SerifBold []byte

// SerifItalic is Liberation Serif Italic.
//
//go:embed LiberationSerif-Italic.ttf
var SerifItalic []byte
