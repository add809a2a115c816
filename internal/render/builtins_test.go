package render

import (
	"maps"
	"testing"
)

func TestBuiltins(t *testing.T) {
	tests := []struct {
		name string
		ctx  Context
		want map[string]string
	}{
		{
			name: "full",
			ctx: Context{ProjectID: "p1", ProjectName: "Shop", VersionID: "v1", VersionName: "Feature/X_1",
				ImageHost: "registry.example.com:5000", ImageRepository: "team/shop", ImageTag: "Feature-X_1",
				ImageDigest: "sha256:0123", Namespace: "on-shop"},
			want: map[string]string{
				VarProjectName: "Shop", VarProjectID: "p1", VarVersionName: "Feature/X_1", VarVersionID: "v1",
				VarSafeVersionName: "featurex1", VarDNSVersionName: "feature-x-1",
				VarImage: "registry.example.com:5000/team/shop", VarImageTag: "Feature-X_1", VarImageDigest: "sha256:0123",
				VarImageRef: "registry.example.com:5000/team/shop:Feature-X_1@sha256:0123", VarNamespace: "on-shop",
			},
		},
		{
			name: "no digest, no host, tag from version",
			ctx:  Context{ProjectName: "Shop", VersionName: "1.2.3", ImageRepository: "library/nginx"},
			want: map[string]string{
				VarProjectName: "Shop", VarProjectID: "", VarVersionName: "1.2.3", VarVersionID: "",
				VarSafeVersionName: "123", VarDNSVersionName: "1-2-3",
				VarImage: "library/nginx", VarImageTag: "1.2.3", VarImageDigest: "",
				VarImageRef: "library/nginx:1.2.3", VarNamespace: "",
			},
		},
		{
			name: "digest without tag",
			ctx:  Context{ImageHost: "r.io", ImageRepository: "a", ImageDigest: "sha256:ff"},
			want: map[string]string{
				VarProjectName: "", VarProjectID: "", VarVersionName: "", VarVersionID: "",
				VarSafeVersionName: "", VarDNSVersionName: "v" + shortHash(""),
				VarImage: "r.io/a", VarImageTag: "", VarImageDigest: "sha256:ff",
				VarImageRef: "r.io/a@sha256:ff", VarNamespace: "",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Builtins(tt.ctx)
			if !maps.Equal(got, tt.want) {
				t.Errorf("Builtins =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}
