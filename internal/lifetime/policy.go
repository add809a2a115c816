package lifetime

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EndOfDay is the wall-clock time at which a working day ends, such as 23:59 or 20:00.
type EndOfDay struct {
	Hour, Minute int
}

// ParseEndOfDay parses "HH:MM" (24-hour clock), such as "23:59" or "20:00".
func ParseEndOfDay(s string) (EndOfDay, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hour, errH := strconv.Atoi(h)
	minute, errM := strconv.Atoi(m)
	e := EndOfDay{Hour: hour, Minute: minute}
	digits := len(h) >= 1 && len(h) <= 2 && len(m) == 2 && !strings.ContainsAny(h+m, "+- ")
	if !ok || !digits || errH != nil || errM != nil || e.validate() != nil {
		return EndOfDay{}, fmt.Errorf("parse end of day %q: want HH:MM between 00:00 and 23:59", s)
	}
	return e, nil
}

// String formats the time as "HH:MM".
func (e EndOfDay) String() string {
	return fmt.Sprintf("%02d:%02d", e.Hour, e.Minute)
}

func (e EndOfDay) validate() error {
	if e.Hour < 0 || e.Hour > 23 || e.Minute < 0 || e.Minute > 59 {
		return fmt.Errorf("end of day %02d:%02d is not a time of day", e.Hour, e.Minute)
	}
	return nil
}

// Policy is the installation's lifetime configuration.
type Policy struct {
	// EndOfDay is when a day's deployments expire, in Location.
	EndOfDay EndOfDay
	// LastWorkingDay is the day UntilWeekend deployments expire on, at EndOfDay.
	LastWorkingDay time.Weekday
	// Location is the time zone EndOfDay and LastWorkingDay are read in; nil means UTC.
	Location *time.Location
	// NextDay puts a day's end on the following calendar date, for an end of day after
	// midnight: with EndOfDay 05:00, a deployment made on Monday UNTIL_TONIGHT lives until
	// Tuesday 05:00. It is O-Neko's end-of-day day offset 1.
	NextDay bool
}

// DefaultPolicy is O-Neko's default: days end at 23:59, the week on Friday, in UTC.
func DefaultPolicy() Policy {
	return Policy{EndOfDay: EndOfDay{Hour: 23, Minute: 59}, LastWorkingDay: time.Friday, Location: time.UTC}
}

// Validate checks the end of day and the last working day.
func (p Policy) Validate() error {
	var errs []error
	if err := p.EndOfDay.validate(); err != nil {
		errs = append(errs, err)
	}
	if p.LastWorkingDay < time.Sunday || p.LastWorkingDay > time.Saturday {
		errs = append(errs, fmt.Errorf("last working day %d is not a weekday", p.LastWorkingDay))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid lifetime policy: %w", err)
	}
	return nil
}
