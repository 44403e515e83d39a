package configfile

// The two paths of Parse, for the tests that hold one against the other.
var (
	ParseDirect  = parseDirect
	ParseChecked = parseChecked
)
