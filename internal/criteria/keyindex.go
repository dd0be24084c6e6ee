package criteria

// keyIndex finds the vector slot of a values key. A set's keys are known when it is
// compiled, so a multiplier is chosen that sends each to a cell of its own: finding a key
// costs a few byte loads, a multiplication and one string comparison, where a Go map hashes
// the whole key and probes. Reading a national pass's values maps is most of its cost.
type keyIndex struct {
	cells []uint16 // slot+1 of the key that falls here; 0 for none
	keys  []string // slot → key
	mul   uint64
	shift uint
}

// keyMix folds a key's length and its first and last eight bytes into a word: set keys
// ("17.1", "TC12", "dat_10", "tong_so_ho") differ there.
func keyMix(k string) uint64 {
	n := len(k)
	var a, b uint64
	for i := 0; i < n && i < 8; i++ {
		a = a<<8 | uint64(k[i])
	}
	for i := max(8, n-8); i < n; i++ {
		b = b<<8 | uint64(k[i])
	}
	return a ^ b*0x9E3779B97F4A7C15 ^ uint64(n)<<58
}

// newKeyIndex indexes slotOf's keys; ok is false when no multiplier separates them (keys that
// differ only in their middle bytes), and the caller keeps to the map.
func newKeyIndex(keys []string, slotOf map[string]int) (ix keyIndex, ok bool) {
	if len(keys) >= 1<<16-1 {
		return ix, false
	}
	mixes := make([]uint64, 0, len(slotOf))
	slots := make([]int, 0, len(slotOf))
	for k, slot := range slotOf {
		mixes = append(mixes, keyMix(k))
		slots = append(slots, slot)
	}
	seed := uint64(0x2545F4914F6CDD1D)
	for bits := uint(4); bits <= 16; bits++ {
		size := 1 << bits
		if size < 8*len(mixes) {
			continue
		}
		cells := make([]uint16, size)
		for try := 0; try < 200; try++ {
			// splitmix64: a fixed sequence of odd multipliers, so that a set compiles the same way
			// every time.
			seed += 0x9E3779B97F4A7C15
			z := seed
			z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
			z = (z ^ z>>27) * 0x94D049BB133111EB
			mul := (z ^ z>>31) | 1
			clear(cells)
			free := true
			for i, m := range mixes {
				c := &cells[(m*mul)>>(64-bits)]
				if *c != 0 {
					free = false
					break
				}
				*c = uint16(slots[i] + 1)
			}
			if free {
				return keyIndex{cells: cells, keys: keys, mul: mul, shift: 64 - bits}, true
			}
		}
	}
	return ix, false
}

// slot is the slot of k, exactly as written.
func (ix *keyIndex) slot(k string) (int, bool) {
	c := ix.cells[(keyMix(k)*ix.mul)>>ix.shift]
	if c == 0 || ix.keys[c-1] != k {
		return 0, false
	}
	return int(c - 1), true
}
