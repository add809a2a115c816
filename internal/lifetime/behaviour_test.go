package lifetime

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestBehaviourValidate(t *testing.T) {
	tests := []struct {
		name    string
		b       Behaviour
		wantErr bool
	}{
		{"until tonight", Behaviour{Type: UntilTonight}, false},
		{"until weekend", Behaviour{Type: UntilWeekend}, false},
		{"infinite", Behaviour{Type: Infinite}, false},
		{"inherit", Behaviour{Type: Inherit}, false},
		{"one day", Behaviour{Type: Days, Value: 1}, false},
		{"a year", Behaviour{Type: Days, Value: 365}, false},
		{"zero days", Behaviour{Type: Days}, true},
		{"negative days", Behaviour{Type: Days, Value: -2}, true},
		{"too many days", Behaviour{Type: Days, Value: 366}, true},
		{"value on tonight", Behaviour{Type: UntilTonight, Value: 1}, true},
		{"value on infinite", Behaviour{Type: Infinite, Value: 7}, true},
		{"value on inherit", Behaviour{Type: Inherit, Value: 7}, true},
		{"unknown type", Behaviour{Type: "FOREVER"}, true},
		{"lower case type", Behaviour{Type: "days", Value: 2}, true},
		{"empty type", Behaviour{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.b.Validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Validate(%+v) = %v, want error %v", tt.b, err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalidBehaviour) {
				t.Errorf("error %v does not wrap ErrInvalidBehaviour", err)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	days3 := Behaviour{Type: Days, Value: 3}
	tonight := Behaviour{Type: UntilTonight}
	tests := []struct {
		name             string
		version, project Behaviour
		want             Behaviour
	}{
		{"version's own", tonight, days3, tonight},
		{"inherit", Behaviour{Type: Inherit}, days3, days3},
		{"unset inherits", Behaviour{}, days3, days3},
		{"version infinite beats project", Behaviour{Type: Infinite}, tonight, Behaviour{Type: Infinite}},
		{"project unset", Behaviour{Type: Inherit}, Behaviour{}, Behaviour{Type: Infinite}},
		{"project inherit", Behaviour{}, Behaviour{Type: Inherit}, Behaviour{Type: Infinite}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Resolve(tt.version, tt.project); got != tt.want {
				t.Errorf("Resolve = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestBehaviourJSON(t *testing.T) {
	data, err := json.Marshal(Behaviour{Type: Days, Value: 5})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(data), `{"type":"DAYS","value":5}`; got != want {
		t.Errorf("Marshal = %s, want %s", got, want)
	}
	var b Behaviour
	if err := json.Unmarshal([]byte(`{"type":"UNTIL_WEEKEND"}`), &b); err != nil || b != (Behaviour{Type: UntilWeekend}) {
		t.Errorf("Unmarshal = %+v, %v", b, err)
	}
}
