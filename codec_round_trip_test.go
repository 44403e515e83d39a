package configstore

import (
	"reflect"
	"testing"
	"time"
)

// roundTripTimes is a struct with the two kinds of time field.
type roundTripTimes struct {
	At       time.Time `store:"at"`
	Optional time.Time `store:"optional,null"`
}

// TestRoundTripTime: roundTrip's in-place round trip of a time field is
// exactly (==, location included) what encoding it to a Record and
// decoding it back make of it, for the zero time, a time with a monotonic
// reading, one in another zone, one below the millisecond, and times
// before 1970 and far ahead.
func TestRoundTripTime(t *testing.T) {
	c := codecFor(reflect.TypeFor[roundTripTimes]())
	zone := time.FixedZone("UTC+5:30", 5*3600+1800)
	for _, at := range []time.Time{
		{},
		time.Now(),
		time.Date(2026, 12, 4, 10, 30, 0, 123456789, zone),
		time.Date(2026, 12, 4, 10, 30, 0, 999999, time.UTC),
		time.Date(1969, 7, 20, 20, 17, 40, 500000001, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.Local),
	} {
		in := roundTripTimes{At: at, Optional: at}
		rec, err := c.encode(reflect.ValueOf(in))
		if err != nil {
			t.Fatalf("encode %v: %v", at, err)
		}
		var want roundTripTimes
		if err := c.decode(rec, reflect.ValueOf(&want).Elem()); err != nil {
			t.Fatalf("decode %v: %v", at, err)
		}
		got := in
		if err := c.roundTrip(reflect.ValueOf(&got).Elem()); err != nil {
			t.Fatalf("roundTrip %v: %v", at, err)
		}
		if got != want {
			t.Errorf("roundTrip of %v = %#v, encode then decode = %#v", at, got, want)
		}
	}
}
