// Package diagnose reads what Kubernetes and Helm know about a version's releases for the
// diagnostics routes: its pods and their logs, the events of its objects and the history of
// its releases. It only reads; deploying is the worker's.
//
// A version's releases are found by the labels oneko puts on Helm's release storage
// (helm.LabelVersion), its objects from the releases' manifests, and its pods through their
// owner references up to those objects, never by a name prefix.
package diagnose

import (
	"context"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/oneko/oneko/internal/helm"
)

// Reader reads a cluster for the diagnostics routes. It is safe for concurrent use.
type Reader struct {
	kube         kubernetes.Interface
	installation string
	namespaces   NamespacesFunc
	// cache, when set, holds the pods, ReplicaSets and Jobs of some namespaces (WithPodCache).
	cache PodCache
}

// NamespacesFunc names the namespaces that hold a version's releases (those its last
// deployment recorded). A Reader asks it only where the cluster refuses to list Helm's release
// storage in every namespace (the chart's namespaced RBAC scope).
type NamespacesFunc func(ctx context.Context, versionID string) ([]string, error)

// New returns a Reader on a clientset for the releases of one oneko installation (its id as
// in helm.VersionLabels; "" reads the releases of every installation).
func New(kube kubernetes.Interface, installation string) *Reader {
	return &Reader{kube: kube, installation: installation}
}

// WithNamespaces returns a Reader that, where listing every namespace is refused, lists the
// namespaces f names one by one.
func (r *Reader) WithNamespaces(f NamespacesFunc) *Reader {
	c := *r
	c.namespaces = f
	return &c
}

// revisions returns every stored revision of every release of a version, sorted by
// namespace, name and revision.
func (r *Reader) revisions(ctx context.Context, versionID string) ([]*helm.Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	q := map[string]string{helm.LabelVersion: helm.LabelValue(versionID)}
	if r.installation != "" {
		q[helm.LabelInstallation] = helm.LabelValue(r.installation)
	}
	all, err := helm.Revisions(ctx, r.kube, "", q)
	if apierrors.IsForbidden(err) && r.namespaces != nil {
		all, err = r.queryEach(ctx, versionID, q)
	}
	if err != nil {
		return nil, fmt.Errorf("releases of version %s: %w", versionID, err)
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Namespace != b.Namespace {
			return a.Namespace < b.Namespace
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Revision < b.Revision
	})
	return all, nil
}

// queryEach reads the release storage of each namespace that holds the version's releases.
func (r *Reader) queryEach(ctx context.Context, versionID string, q map[string]string) ([]*helm.Info, error) {
	nss, err := r.namespaces(ctx, versionID)
	if err != nil {
		return nil, fmt.Errorf("namespaces of version %s: %w", versionID, err)
	}
	var all []*helm.Info
	seen := map[string]bool{}
	for _, ns := range nss {
		if ns == "" || seen[ns] {
			continue
		}
		seen[ns] = true
		in, err := helm.Revisions(ctx, r.kube, ns, q)
		if err != nil {
			return nil, err
		}
		all = append(all, in...)
	}
	return all, nil
}

// current returns the last revision of each release of a version.
func (r *Reader) current(ctx context.Context, versionID string) ([]*helm.Info, error) {
	all, err := r.revisions(ctx, versionID)
	if err != nil {
		return nil, err
	}
	var out []*helm.Info
	for i, rel := range all {
		if i+1 == len(all) || all[i+1].Namespace != rel.Namespace || all[i+1].Name != rel.Name {
			out = append(out, rel)
		}
	}
	return out, nil
}

// Object names one object of a release's manifest.
type Object struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	// Release is the name of the release whose manifest holds the object.
	Release string `json:"release"`
}

// objects lists the objects of the releases' manifests, namespaced to the release's
// namespace when the manifest names none.
func objects(rels []*helm.Info) []Object {
	var out []Object
	for _, rel := range rels {
		for _, doc := range helm.SplitManifest(rel.Manifest) {
			var o struct {
				Kind     string `json:"kind"`
				Metadata struct {
					Name      string `json:"name"`
					Namespace string `json:"namespace"`
				} `json:"metadata"`
			}
			if err := yaml.Unmarshal([]byte(doc), &o); err != nil || o.Kind == "" || o.Metadata.Name == "" {
				continue
			}
			ns := o.Metadata.Namespace
			if ns == "" {
				ns = rel.Namespace
			}
			out = append(out, Object{Kind: o.Kind, Namespace: ns, Name: o.Metadata.Name, Release: rel.Name})
		}
	}
	return out
}
