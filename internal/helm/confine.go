package helm

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/kube"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/yaml"
)

// ErrOutsideNamespace is wrapped when a release would write an object outside its namespace:
// into another namespace, or at cluster scope, without Confinement allowing it.
var ErrOutsideNamespace = errors.New("outside the release's namespace")

// Confinement keeps every release inside its namespace. Objects whose metadata.namespace is
// another namespace and objects of cluster-scoped kinds (Namespace, ClusterRole,
// CustomResourceDefinition…) are refused unless listed here. The zero value allows nothing.
type Confinement struct {
	// ClusterScoped lists the kinds (such as "ClusterRole") a release may create at cluster
	// scope; "*" allows every kind.
	ClusterScoped []string
	// Namespaces lists other namespaces a release may write into; "*" allows every one.
	Namespaces []string
}

// confiner applies a Confinement to the objects of one release in namespace ns. It is
// Helm's post-renderer of the release (Run: the rendered manifests, before anything is
// applied) and guards the kube client's Create and Update (check: hooks and the chart's CRDs,
// which Helm does not post-render).
type confiner struct {
	Confinement
	ns     string
	mapper meta.RESTMapper
}

// Run checks every object of the rendered manifests and returns them unchanged.
func (cf *confiner) Run(manifests *bytes.Buffer) (*bytes.Buffer, error) {
	dec := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(manifests.Bytes()), 4096)
	for {
		var obj map[string]any
		err := dec.Decode(&obj)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read rendered manifests: %w", err)
		}
		if len(obj) == 0 {
			continue
		}
		u := unstructured.Unstructured{Object: obj}
		gvk := u.GroupVersionKind()
		if err := cf.check(gvk, u.GetName(), u.GetNamespace(), cf.clusterScoped(gvk)); err != nil {
			return nil, err
		}
	}
	return manifests, nil
}

// clusterScoped asks the cluster's REST mapping whether a kind is cluster-scoped. A kind the
// cluster does not know (yet) counts as namespaced: applying it fails on its own, and the
// kube client guard checks it again with the real mapping.
func (cf *confiner) clusterScoped(gvk schema.GroupVersionKind) bool {
	if cf.mapper == nil {
		return false
	}
	m, err := cf.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return false
	}
	return m.Scope.Name() == meta.RESTScopeNameRoot
}

// check decides about one object: namespace is its metadata.namespace ("" = the release's).
func (cf *confiner) check(gvk schema.GroupVersionKind, name, namespace string, clusterScoped bool) error {
	if clusterScoped {
		if allowed(cf.ClusterScoped, gvk.Kind) {
			return nil
		}
		return fmt.Errorf("%s %q is cluster-scoped: %w (an operator may allow the kind with ONEKO_ALLOW_CLUSTER_SCOPED)", gvk.Kind, name, ErrOutsideNamespace)
	}
	if namespace == "" || namespace == cf.ns || allowed(cf.Namespaces, namespace) {
		return nil
	}
	return fmt.Errorf("%s %q is in namespace %s, not in the release's namespace %s: %w (an operator may allow the namespace with ONEKO_ALLOW_NAMESPACES)",
		gvk.Kind, name, namespace, cf.ns, ErrOutsideNamespace)
}

// checkResources checks objects the kube client is about to create or update.
func (cf *confiner) checkResources(rs kube.ResourceList) error {
	for _, info := range rs {
		gvk := info.Object.GetObjectKind().GroupVersionKind()
		root := info.Mapping != nil && info.Mapping.Scope.Name() == meta.RESTScopeNameRoot
		if err := cf.check(gvk, info.Name, info.Namespace, root); err != nil {
			return err
		}
	}
	return nil
}

func allowed(list []string, s string) bool {
	return slices.Contains(list, "*") || slices.ContainsFunc(list, func(x string) bool { return strings.EqualFold(x, s) })
}
