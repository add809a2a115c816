package diagnose

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/helm"
)

// Release changes of a diff.
const (
	ChangeNone    = "unchanged"
	ChangeChanged = "changed"
	ChangeNew     = "new"
	ChangeRemoved = "removed"
)

// Planned is what a deploy would apply now for one release.
type Planned struct {
	Name, Namespace string
	// Values are the rendered values as YAML; Manifest the rendered manifests ("" when they
	// could not be rendered: only the values are compared then).
	Values   string
	Manifest string
}

// ReleaseDiff is the difference between a deployed release and what a deploy would apply.
type ReleaseDiff struct {
	Release   string `json:"release"`
	Namespace string `json:"namespace"`
	Change    string `json:"change"`
	// Values and Manifest are unified diffs (deployed → planned); Secret data is masked.
	Values   string `json:"values"`
	Manifest string `json:"manifest"`
}

// Diff compares the deployed releases of a version with the planned ones.
func (r *Reader) Diff(ctx context.Context, versionID string, planned []Planned) ([]ReleaseDiff, error) {
	rels, err := r.current(ctx, versionID)
	if err != nil {
		return nil, err
	}
	mask := newMasker()
	for _, p := range planned {
		mask.collect(p.Manifest)
	}
	for _, rel := range rels {
		mask.collect(rel.Manifest)
	}
	deployed := map[string]Planned{}
	for _, rel := range rels {
		vals, err := yaml.Marshal(rel.Values)
		if err != nil {
			return nil, fmt.Errorf("values of release %s: %w", rel.Name, err)
		}
		if len(rel.Values) == 0 {
			vals = nil
		}
		deployed[rel.Namespace+"/"+rel.Name] = Planned{Name: rel.Name, Namespace: rel.Namespace, Values: string(vals), Manifest: rel.Manifest}
	}
	out := []ReleaseDiff{}
	for _, p := range planned {
		key := p.Namespace + "/" + p.Name
		d, ok := deployed[key]
		delete(deployed, key)
		rd := ReleaseDiff{Release: p.Name, Namespace: p.Namespace, Change: ChangeNew}
		if ok {
			rd.Change = ChangeNone
		}
		rd.Values = unified(mask.text(d.Values), mask.text(canonicalYAML(p.Values)), "values")
		if p.Manifest != "" || !ok {
			rd.Manifest = unified(mask.manifest(d.Manifest), mask.manifest(p.Manifest), "manifest")
		}
		if ok && (rd.Values != "" || rd.Manifest != "") {
			rd.Change = ChangeChanged
		}
		out = append(out, rd)
	}
	var gone []string
	for k := range deployed {
		gone = append(gone, k)
	}
	sort.Strings(gone)
	for _, k := range gone {
		d := deployed[k]
		out = append(out, ReleaseDiff{Release: d.Name, Namespace: d.Namespace, Change: ChangeRemoved,
			Values: unified(mask.text(d.Values), "", "values"), Manifest: unified(mask.manifest(d.Manifest), "", "manifest")})
	}
	return out, nil
}

// canonicalYAML writes YAML values as Helm stores them (keys sorted, plain style), so that
// only changes of content show; text that does not parse is kept as it is.
func canonicalYAML(s string) string {
	var v map[string]any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return s
	}
	if len(v) == 0 {
		return ""
	}
	out, err := yaml.Marshal(v)
	if err != nil {
		return s
	}
	return string(out)
}

// unified is the unified diff of two texts, "" when they are equal.
func unified(a, b, name string) string {
	if strings.TrimSpace(a) == strings.TrimSpace(b) {
		return ""
	}
	s, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(a), B: difflib.SplitLines(b), FromFile: "deployed/" + name, ToFile: "planned/" + name, Context: 3,
	})
	if err != nil {
		return "(no diff: " + err.Error() + ")"
	}
	return s
}

// masker replaces Secret data with a keyed hash: a changed value shows as changed, and
// nothing of it can be read back.
type masker struct {
	key []byte
	// secrets are the Secret values of the manifests compared, masked wherever they appear.
	secrets map[string]bool
}

func newMasker() *masker {
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return &masker{key: key, secrets: map[string]bool{}}
}

// hash is the mask of one secret value.
func (m *masker) hash(v string) string {
	h := hmac.New(sha256.New, m.key)
	h.Write([]byte(v))
	return "(masked " + hex.EncodeToString(h.Sum(nil))[:12] + ")"
}

// collect remembers the Secret values of a manifest (data decoded, stringData as is), so
// that they are masked in the values too.
func (m *masker) collect(manifest string) {
	for _, doc := range helm.SplitManifest(manifest) {
		var o map[string]any
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil || o["kind"] != "Secret" {
			continue
		}
		if data, ok := o["stringData"].(map[string]any); ok {
			for _, v := range data {
				m.remember(fmt.Sprint(v))
			}
		}
		if data, ok := o["data"].(map[string]any); ok {
			for _, v := range data {
				m.remember(fmt.Sprint(v))
				if raw, err := base64.StdEncoding.DecodeString(fmt.Sprint(v)); err == nil {
					m.remember(string(raw))
				}
			}
		}
	}
}

func (m *masker) remember(v string) {
	if len(v) >= 4 { // shorter values would mask unrelated text
		m.secrets[v] = true
	}
}

// text masks every remembered secret value in a text, longest first.
func (m *masker) text(s string) string {
	vals := make([]string, 0, len(m.secrets))
	for v := range m.secrets {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	for _, v := range vals {
		s = strings.ReplaceAll(s, v, m.hash(v))
	}
	return s
}

// manifest masks the data and stringData of every Secret in a multi-document manifest and
// writes the documents in a stable order.
func (m *masker) manifest(manifest string) string {
	if manifest == "" {
		return ""
	}
	var b strings.Builder
	for _, doc := range helm.SplitManifest(manifest) {
		var o map[string]any
		if err := yaml.Unmarshal([]byte(doc), &o); err == nil && o["kind"] == "Secret" {
			for _, field := range []string{"data", "stringData"} {
				if data, ok := o[field].(map[string]any); ok {
					for name, v := range data {
						data[name] = m.hash(fmt.Sprint(v))
					}
				}
			}
			out, err := yaml.Marshal(o)
			if err != nil {
				out = []byte("kind: Secret\n# (not shown: it could not be masked)")
			}
			doc = string(out)
		} else {
			doc = m.text(doc) // a Secret's value copied elsewhere stays masked
		}
		b.WriteString("---\n")
		b.WriteString(strings.TrimSpace(doc))
		b.WriteString("\n")
	}
	return b.String()
}
