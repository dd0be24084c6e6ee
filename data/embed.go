// Package data holds the files that ntm ships inside its binary: criteria sets, administrative
// units and their lineage, boundaries. Each folder's README names the sources and licences.
package data

import "embed"

// FS is the shipped data, read-only.
//
//go:embed criteria units boundaries
var FS embed.FS
