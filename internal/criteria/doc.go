// Package criteria holds the criteria sets (bộ tiêu chí) of the New Rural Development
// program as data, the loader that validates them, and the pure evaluation engine.
package criteria
