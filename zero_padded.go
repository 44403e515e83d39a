package configstore

import "strconv"

// appendZeroPadded appends n in decimal, zero-padded to width, exactly as
// fmt's "%0*d" spells it (a sign counts toward the width). The keys of
// part rows and change-log entries are spelled with it, tens of thousands
// of times in a bulk load, without fmt's boxing and parsing.
func appendZeroPadded(b []byte, n int64, width int) []byte {
	var buf [20]byte
	digits := strconv.AppendInt(buf[:0], n, 10)
	if n < 0 {
		b = append(b, '-')
		digits = digits[1:]
		width--
	}
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}
