package render

import (
	"slices"
	"testing"
)

func TestMergeTemplates(t *testing.T) {
	web := Template{Name: "web", Content: "project web"}
	db := Template{Name: "db", Content: "project db"}
	webOverride := Template{Name: "web", Content: "version web"}
	extra := Template{Name: "extra", Content: "version extra"}
	tests := []struct {
		name             string
		project, version []Template
		want             []Template
	}{
		{"project only", []Template{web, db}, nil, []Template{web, db}},
		{"version only", nil, []Template{extra}, []Template{extra}},
		{"override keeps position", []Template{web, db}, []Template{webOverride}, []Template{webOverride, db}},
		{"added after project's", []Template{web, db}, []Template{extra, webOverride}, []Template{webOverride, db, extra}},
		{"names are case sensitive", []Template{web}, []Template{{Name: "Web"}}, []Template{web, {Name: "Web"}}},
		{"repeated name: last wins", []Template{web, {Name: "web", Content: "second"}}, nil, []Template{{Name: "web", Content: "second"}}},
		{"both empty", nil, nil, []Template{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			project := slices.Clone(tt.project)
			got := MergeTemplates(tt.project, tt.version)
			if !slices.Equal(got, tt.want) {
				t.Errorf("MergeTemplates = %+v, want %+v", got, tt.want)
			}
			if !slices.Equal(project, tt.project) {
				t.Error("MergeTemplates modified its input")
			}
		})
	}
}
