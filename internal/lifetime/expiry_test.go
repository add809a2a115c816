package lifetime

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the machine's zoneinfo
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestExpiresAt(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	newYork := mustZone(t, "America/New_York")
	tokyo := mustZone(t, "Asia/Tokyo")
	auckland := mustZone(t, "Pacific/Auckland")

	// at builds a wall-clock time in a zone.
	at := func(loc *time.Location, y int, m time.Month, d, hh, mm, ss int) time.Time {
		return time.Date(y, m, d, hh, mm, ss, 0, loc)
	}
	berlinPolicy := Policy{EndOfDay: EndOfDay{23, 59}, LastWorkingDay: time.Friday, Location: berlin}
	eveningPolicy := Policy{EndOfDay: EndOfDay{20, 0}, LastWorkingDay: time.Friday, Location: berlin}
	morningPolicy := Policy{EndOfDay: EndOfDay{8, 0}, LastWorkingDay: time.Thursday, Location: newYork}

	tonight := Behaviour{Type: UntilTonight}
	weekend := Behaviour{Type: UntilWeekend}
	days := func(n int) Behaviour { return Behaviour{Type: Days, Value: n} }

	// 2025-03-12 is a Wednesday. Europe/Berlin switches to summer time on 2025-03-30 and
	// back on 2025-10-26; America/New_York on 2025-03-09 and 2025-11-02.
	tests := []struct {
		name       string
		policy     Policy
		deployedAt time.Time
		behaviour  Behaviour
		want       time.Time
	}{
		// UNTIL_TONIGHT
		{"tonight: morning", berlinPolicy, at(berlin, 2025, 3, 12, 10, 0, 0), tonight, at(berlin, 2025, 3, 12, 23, 59, 0)},
		{"tonight: just before the end", berlinPolicy, at(berlin, 2025, 3, 12, 23, 58, 59), tonight, at(berlin, 2025, 3, 12, 23, 59, 0)},
		{"tonight: exactly at the end is tomorrow", berlinPolicy, at(berlin, 2025, 3, 12, 23, 59, 0), tonight, at(berlin, 2025, 3, 13, 23, 59, 0)},
		{"tonight: past the end is tomorrow", berlinPolicy, at(berlin, 2025, 3, 12, 23, 59, 30), tonight, at(berlin, 2025, 3, 13, 23, 59, 0)},
		{"tonight: evening end, deployed after it", eveningPolicy, at(berlin, 2025, 3, 12, 21, 0, 0), tonight, at(berlin, 2025, 3, 13, 20, 0, 0)},
		{"tonight: after midnight belongs to the new day", eveningPolicy, at(berlin, 2025, 3, 13, 0, 30, 0), tonight, at(berlin, 2025, 3, 13, 20, 0, 0)},
		{"tonight: UTC input read in the policy's zone", berlinPolicy, time.Date(2025, 3, 12, 23, 30, 0, 0, time.UTC), tonight, at(berlin, 2025, 3, 13, 23, 59, 0)},
		{"tonight: end of month", berlinPolicy, at(berlin, 2025, 12, 31, 23, 59, 1), tonight, at(berlin, 2026, 1, 1, 23, 59, 0)},
		{"tonight: Tokyo, before its end there", Policy{EndOfDay: EndOfDay{22, 0}, LastWorkingDay: time.Friday, Location: tokyo}, time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC), tonight, at(tokyo, 2025, 3, 12, 22, 0, 0)},
		{"tonight: Tokyo, after its end there", Policy{EndOfDay: EndOfDay{22, 0}, LastWorkingDay: time.Friday, Location: tokyo}, time.Date(2025, 3, 12, 13, 30, 0, 0, time.UTC), tonight, at(tokyo, 2025, 3, 13, 22, 0, 0)},
		{"tonight: nil location is UTC", Policy{EndOfDay: EndOfDay{18, 0}, LastWorkingDay: time.Friday}, time.Date(2025, 3, 12, 17, 0, 0, 0, berlin), tonight, time.Date(2025, 3, 12, 18, 0, 0, 0, time.UTC)},
		{"tonight: spring forward day is 23 hours", berlinPolicy, at(berlin, 2025, 3, 30, 1, 0, 0), tonight, time.Date(2025, 3, 30, 21, 59, 0, 0, time.UTC)},
		{"tonight: fall back day is 25 hours", berlinPolicy, at(berlin, 2025, 10, 26, 1, 0, 0), tonight, time.Date(2025, 10, 26, 22, 59, 0, 0, time.UTC)},
		{"tonight: New York spring forward", morningPolicy, at(newYork, 2025, 3, 9, 1, 30, 0), tonight, time.Date(2025, 3, 9, 12, 0, 0, 0, time.UTC)},

		// UNTIL_WEEKEND
		{"weekend: Wednesday to Friday", berlinPolicy, at(berlin, 2025, 3, 12, 10, 0, 0), weekend, at(berlin, 2025, 3, 14, 23, 59, 0)},
		{"weekend: Friday is today", berlinPolicy, at(berlin, 2025, 3, 14, 9, 0, 0), weekend, at(berlin, 2025, 3, 14, 23, 59, 0)},
		{"weekend: Friday after the end is next week", berlinPolicy, at(berlin, 2025, 3, 14, 23, 59, 0), weekend, at(berlin, 2025, 3, 21, 23, 59, 0)},
		{"weekend: Saturday is next week", berlinPolicy, at(berlin, 2025, 3, 15, 12, 0, 0), weekend, at(berlin, 2025, 3, 21, 23, 59, 0)},
		{"weekend: Sunday", berlinPolicy, at(berlin, 2025, 3, 16, 12, 0, 0), weekend, at(berlin, 2025, 3, 21, 23, 59, 0)},
		{"weekend: Thursday as last day", morningPolicy, at(newYork, 2025, 3, 12, 7, 0, 0), weekend, at(newYork, 2025, 3, 13, 8, 0, 0)},
		{"weekend: Thursday after its end", morningPolicy, at(newYork, 2025, 3, 13, 9, 0, 0), weekend, at(newYork, 2025, 3, 20, 8, 0, 0)},
		{"weekend: Saturday as last day", Policy{EndOfDay: EndOfDay{23, 59}, LastWorkingDay: time.Saturday, Location: berlin}, at(berlin, 2025, 3, 15, 1, 0, 0), weekend, at(berlin, 2025, 3, 15, 23, 59, 0)},
		{"weekend: week with a DST change", berlinPolicy, at(berlin, 2025, 3, 29, 12, 0, 0), weekend, time.Date(2025, 4, 4, 21, 59, 0, 0, time.UTC)},
		{"weekend: Thursday in UTC is Friday in Auckland", Policy{EndOfDay: EndOfDay{17, 0}, LastWorkingDay: time.Friday, Location: auckland}, time.Date(2025, 3, 13, 20, 0, 0, 0, time.UTC), weekend, at(auckland, 2025, 3, 14, 17, 0, 0)},
		{"weekend: Friday morning in UTC is past Friday's end in Auckland", Policy{EndOfDay: EndOfDay{17, 0}, LastWorkingDay: time.Friday, Location: auckland}, time.Date(2025, 3, 14, 5, 0, 0, 0, time.UTC), weekend, at(auckland, 2025, 3, 21, 17, 0, 0)},

		// DAYS
		{"days: one day rounds up to that evening", berlinPolicy, at(berlin, 2025, 3, 12, 10, 0, 0), days(1), at(berlin, 2025, 3, 13, 23, 59, 0)},
		{"days: past that day's end rounds to the next", morningPolicy, at(newYork, 2025, 3, 12, 10, 0, 0), days(1), at(newYork, 2025, 3, 14, 8, 0, 0)},
		{"days: exactly at an end stays", berlinPolicy, at(berlin, 2025, 3, 12, 23, 59, 0), days(3), at(berlin, 2025, 3, 15, 23, 59, 0)},
		{"days: 24 hours across spring forward", berlinPolicy, at(berlin, 2025, 3, 29, 22, 0, 0), days(1), at(berlin, 2025, 3, 30, 23, 59, 0)},
		{"days: 24 hours across spring forward lands after midnight", berlinPolicy, at(berlin, 2025, 3, 29, 23, 30, 0), days(1), at(berlin, 2025, 3, 31, 23, 59, 0)},
		{"days: 24 hours across fall back", eveningPolicy, at(berlin, 2025, 10, 25, 20, 30, 0), days(1), at(berlin, 2025, 10, 26, 20, 0, 0)},
		{"days: a year", berlinPolicy, at(berlin, 2025, 3, 12, 10, 0, 0), days(365), at(berlin, 2026, 3, 12, 23, 59, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.policy.ExpiresAt(tt.deployedAt, tt.behaviour)
			if !ok {
				t.Fatal("ExpiresAt reported no expiry")
			}
			if !got.Equal(tt.want) {
				t.Errorf("ExpiresAt(%v) = %v, want %v", tt.deployedAt, got, tt.want)
			}
			if !got.After(tt.deployedAt) {
				t.Errorf("expiry %v is not after the deployment %v", got, tt.deployedAt)
			}
			if wantLoc := tt.policy.location(); got.Location() != wantLoc {
				t.Errorf("expiry is in %v, want %v", got.Location(), wantLoc)
			}
		})
	}
}

func TestExpiresAtNever(t *testing.T) {
	p := DefaultPolicy()
	now := time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC)
	for _, b := range []Behaviour{{Type: Infinite}, {Type: Inherit}, {Type: "UNKNOWN"}, {}} {
		t.Run(b.Type, func(t *testing.T) {
			if got, ok := p.ExpiresAt(now, b); ok || !got.IsZero() {
				t.Errorf("ExpiresAt(%+v) = %v, %v; want zero, false", b, got, ok)
			}
		})
	}
}

func TestDaysNeverShorterThanRequested(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	p := Policy{EndOfDay: EndOfDay{6, 15}, LastWorkingDay: time.Friday, Location: berlin}
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, berlin)
	for h := 0; h < 24*60; h += 7 {
		deployed := start.Add(time.Duration(h) * time.Hour)
		for _, n := range []int{1, 2, 7} {
			got, _ := p.ExpiresAt(deployed, Behaviour{Type: Days, Value: n})
			min := deployed.Add(time.Duration(n) * 24 * time.Hour)
			if got.Before(min) || got.Sub(min) > 25*time.Hour {
				t.Fatalf("DAYS %d from %v = %v, want within a day after %v", n, deployed, got, min)
			}
			if local := got.In(berlin); local.Hour() != 6 || local.Minute() != 15 {
				t.Fatalf("DAYS %d from %v = %v, not at the end of day", n, deployed, got)
			}
		}
	}
}

// TestExpiresAtNextDay: O-Neko's end of day on the next day (day offset 1) with an end of
// day after midnight.
func TestExpiresAtNextDay(t *testing.T) {
	p := Policy{EndOfDay: EndOfDay{5, 0}, LastWorkingDay: time.Friday, Location: time.UTC, NextDay: true}
	at := func(d, hh, mm int) time.Time { return time.Date(2025, time.March, d, hh, mm, 0, 0, time.UTC) } // 12 is a Wednesday
	for _, tc := range []struct {
		name       string
		deployedAt time.Time
		b          Behaviour
		want       time.Time
	}{
		{"tonight ends the next morning", at(12, 14, 0), Behaviour{Type: UntilTonight}, at(13, 5, 0)},
		{"deployed after midnight: the new day's end", at(13, 2, 0), Behaviour{Type: UntilTonight}, at(14, 5, 0)},
		{"weekend ends Saturday morning", at(12, 14, 0), Behaviour{Type: UntilWeekend}, at(15, 5, 0)},
		{"Friday before its end still ends Saturday morning", at(14, 23, 0), Behaviour{Type: UntilWeekend}, at(15, 5, 0)},
		{"days", at(12, 14, 0), Behaviour{Type: Days, Value: 2}, at(15, 5, 0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := p.ExpiresAt(tc.deployedAt, tc.b)
			if !ok || !got.Equal(tc.want) {
				t.Fatalf("ExpiresAt = %v, %v; want %v", got, ok, tc.want)
			}
		})
	}
}
