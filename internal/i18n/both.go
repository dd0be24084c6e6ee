package i18n

// Both writes the message key in Vietnamese followed by English in brackets, the way the
// command line prints what users of either language read: "dự thảo (draft)". The English
// is left out when it reads the same.
func Both(key string, args ...any) string {
	vi, en := T(VI, key, args...), T(EN, key, args...)
	if vi == en {
		return vi
	}
	return vi + " (" + en + ")"
}
