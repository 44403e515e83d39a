package configfile

import "errors"

// Parse decodes and validates config.json. On any problem it returns an
// *Error listing every problem with its JSON path, and no File.
func Parse(data []byte) (*File, error) { return nil, errors.New("TODO") }

// Load reads and parses the config.json at path. A missing file is an error
// wrapping fs.ErrNotExist.
func Load(path string) (*File, error) { return nil, errors.New("TODO") }
