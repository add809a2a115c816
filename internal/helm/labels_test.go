package helm_test

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/oneko/oneko/internal/helm"
)

func TestLabelValue(t *testing.T) {
	for name, id := range map[string]string{
		"object id":        "6b050d23c2b142545727dc0f",
		"id with a tag":    "6b050d23c2b142545727dc0f:1.2.3-rc.1",
		"long tag":         "6b050d23c2b142545727dc0f:" + strings.Repeat("a", 128),
		"ends with a dash": "abc-",
	} {
		t.Run(name, func(t *testing.T) {
			v := helm.LabelValue(id)
			if errs := validation.IsValidLabelValue(v); len(errs) != 0 {
				t.Fatalf("LabelValue(%q) = %q: %v", id, v, errs)
			}
			if v != helm.LabelValue(id) {
				t.Fatal("not deterministic")
			}
		})
	}
	if helm.LabelValue("6b050d23c2b142545727dc0f") != "6b050d23c2b142545727dc0f" {
		t.Fatal("a valid label value is changed")
	}
	if helm.LabelValue("p:a") == helm.LabelValue("p:b") {
		t.Fatal("two ids share a label value")
	}
}
