package lifetime

import (
	"testing"
	"time"
)

func TestParseEndOfDay(t *testing.T) {
	tests := []struct {
		in      string
		want    EndOfDay
		wantErr bool
	}{
		{"23:59", EndOfDay{23, 59}, false},
		{"20:00", EndOfDay{20, 0}, false},
		{"00:00", EndOfDay{0, 0}, false},
		{"7:30", EndOfDay{7, 30}, false},
		{" 18:45 ", EndOfDay{18, 45}, false},
		{"24:00", EndOfDay{}, true},
		{"23:60", EndOfDay{}, true},
		{"23:5", EndOfDay{}, true},
		{"2359", EndOfDay{}, true},
		{"-1:00", EndOfDay{}, true},
		{"+1:00", EndOfDay{}, true},
		{"ab:cd", EndOfDay{}, true},
		{"", EndOfDay{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseEndOfDay(tt.in)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("ParseEndOfDay(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
			}
			if err == nil && got.String() != fmtHHMM(tt.want) {
				t.Errorf("String() = %q", got.String())
			}
		})
	}
}

func fmtHHMM(e EndOfDay) string {
	return time.Date(2000, 1, 1, e.Hour, e.Minute, 0, 0, time.UTC).Format("15:04")
}

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name    string
		p       Policy
		wantErr bool
	}{
		{"default", DefaultPolicy(), false},
		{"nil location", Policy{EndOfDay: EndOfDay{20, 0}, LastWorkingDay: time.Saturday}, false},
		{"bad hour", Policy{EndOfDay: EndOfDay{25, 0}, LastWorkingDay: time.Friday}, true},
		{"bad minute", Policy{EndOfDay: EndOfDay{10, -1}, LastWorkingDay: time.Friday}, true},
		{"bad weekday", Policy{EndOfDay: EndOfDay{10, 0}, LastWorkingDay: 7}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.p.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, want error %v", err, tt.wantErr)
			}
		})
	}
}
