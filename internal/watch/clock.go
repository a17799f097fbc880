package watch

import "time"

// Clock is the time of a Session: what is published now, and how long to sleep until the
// next scheduled change. Tests use a clock they move by hand.
type Clock interface {
	Now() time.Time
	// After sends the time once d of this clock has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the machine's clock.
func SystemClock() Clock { return systemClock{} }

type systemClock struct{}

func (systemClock) Now() time.Time                         { return time.Now() }
func (systemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
