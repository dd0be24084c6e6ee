package units

// AsOf returns the units valid on day d, in their order in units.
func AsOf(units []Unit, d Date) []Unit {
	var out []Unit
	for _, u := range units {
		if u.ValidOn(d) {
			out = append(out, u)
		}
	}
	return out
}

// Find returns the unit with the given code valid on day d.
func Find(units []Unit, code string, d Date) (Unit, bool) {
	for _, u := range units {
		if u.Code == code && u.ValidOn(d) {
			return u, true
		}
	}
	return Unit{}, false
}
