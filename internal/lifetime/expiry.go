package lifetime

import "time"

// ExpiresAt returns when a deployment made at deployedAt with behaviour b expires, in
// the policy's time zone, and false when it never does (Infinite, and also Inherit or an
// unknown type: Resolve and Validate first).
//
//   - UntilTonight: the first end of day after deployedAt: today's, or tomorrow's when
//     deployedAt is at or past today's end of day.
//   - UntilWeekend: the end of day of the next last working day: today's when today is
//     that day and its end of day has not passed, otherwise the following one.
//   - Days n: deployedAt plus n×24 hours, rounded up to the first end of day at or after
//     that instant (the same day's, or the next day's when that day has already ended).
//     So a deployment never lives less than n×24 hours, and always ends at an end of day.
//
// An end of day is EndOfDay:00 on a calendar date in Location (on the following date with
// NextDay: the day that starts on Monday ends on Tuesday at EndOfDay). On a day where that
// wall-clock time does not exist (a daylight-saving gap), the time package normalises it
// (02:30 becomes 03:30 in most zones).
func (p Policy) ExpiresAt(deployedAt time.Time, b Behaviour) (time.Time, bool) {
	switch b.Type {
	case UntilTonight:
		return p.endOfDayAfter(deployedAt, false), true
	case UntilWeekend:
		return p.endOfLastWorkingDay(deployedAt), true
	case Days:
		return p.endOfDayAfter(deployedAt.Add(time.Duration(b.Value)*24*time.Hour), true), true
	}
	return time.Time{}, false
}

// location returns the policy's zone, UTC when unset.
func (p Policy) location() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}

// endOn returns the end of the day on the calendar date of t (in the policy's zone)
// shifted by days; with NextDay that end falls on the following date.
func (p Policy) endOn(t time.Time, days int) time.Time {
	y, m, d := t.Date()
	if p.NextDay {
		days++
	}
	return time.Date(y, m, d+days, p.EndOfDay.Hour, p.EndOfDay.Minute, 0, 0, p.location())
}

// endOfDayAfter returns the first end of day after t, or at or after t when inclusive.
func (p Policy) endOfDayAfter(t time.Time, inclusive bool) time.Time {
	local := t.In(p.location())
	end := p.endOn(local, 0)
	if end.Before(t) || (!inclusive && end.Equal(t)) {
		end = p.endOn(local, 1)
	}
	return end
}

// endOfLastWorkingDay returns the end of day of the next last working day whose end of
// day is after t.
func (p Policy) endOfLastWorkingDay(t time.Time) time.Time {
	local := t.In(p.location())
	days := (int(p.LastWorkingDay) - int(local.Weekday()) + 7) % 7
	end := p.endOn(local, days)
	if !end.After(t) {
		end = p.endOn(local, days+7)
	}
	return end
}
