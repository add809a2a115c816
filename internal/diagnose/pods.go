package diagnose

import (
	"context"
	"fmt"
	"sort"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/metadata/metadatalister"

	"github.com/oneko/oneko/internal/helm"
)

// Container kinds.
const (
	ContainerInit      = "init"
	ContainerRegular   = "regular"
	ContainerEphemeral = "ephemeral"
)

// Pod is one pod of a version.
type Pod struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	// Release is the release whose object owns the pod.
	Release  string     `json:"release"`
	Phase    string     `json:"phase"`
	Ready    bool       `json:"ready"`
	Restarts int32      `json:"restarts"`
	Node     string     `json:"node"`
	Created  time.Time  `json:"createdAt"`
	Started  *time.Time `json:"startedAt,omitempty"`
	// Reason and Message explain a pod that is not running (Unschedulable, Evicted...).
	Reason     string      `json:"reason,omitempty"`
	Message    string      `json:"message,omitempty"`
	Containers []Container `json:"containers"`
}

// Container is one container of a pod.
type Container struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Image    string `json:"image"`
	Ready    bool   `json:"ready"`
	Restarts int32  `json:"restarts"`
	// State is waiting, running or terminated; Reason and Message say why it waits or ended.
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	// LastTerminationReason is why the previous instance ended (OOMKilled, Error...).
	LastTerminationReason string `json:"lastTerminationReason,omitempty"`
	// ExternalLogURL links to the external logging system, when one is configured.
	ExternalLogURL string `json:"externalLogUrl,omitempty"`
}

// Pods returns the pods of a version's releases, sorted by namespace and name.
func (r *Reader) Pods(ctx context.Context, versionID string) ([]Pod, error) {
	pods, err := r.pods(ctx, versionID)
	if err != nil {
		return nil, err
	}
	out := make([]Pod, 0, len(pods))
	for _, p := range pods {
		out = append(out, describePod(p.pod, p.release))
	}
	return out, nil
}

// PodCache holds the pods of some namespaces, with their ReplicaSets and Jobs, in memory: the
// worker's pod watch keeps informers on the namespaces of deployed versions. A Reader with a
// cache (WithPodCache) reads those namespaces from it instead of listing them from the API on
// every status refresh.
type PodCache interface {
	// Namespace returns the listers of ns; false when the cache does not hold ns or has not
	// synced it yet, and the Reader lists from the API.
	Namespace(ns string) (NamespaceListers, bool)
}

// NamespaceListers read one namespace's pods, and the metadata of its ReplicaSets and Jobs
// (their owners are all a pod's chain needs of them), from a cache.
type NamespaceListers struct {
	Pods        corelisters.PodNamespaceLister
	ReplicaSets metadatalister.NamespaceLister
	Jobs        metadatalister.NamespaceLister
}

// WithPodCache returns a copy of the Reader that reads the namespaces c holds from c.
func (r *Reader) WithPodCache(c PodCache) *Reader {
	cp := *r
	cp.cache = c
	return &cp
}

// ownedPod is a pod with the release that owns it.
type ownedPod struct {
	pod     *corev1.Pod
	release string
}

// PodsOf returns the pods of releases read already (the worker's status refresh has them),
// as Pods does for a version's.
func (r *Reader) PodsOf(ctx context.Context, rels []*helm.Info) ([]Pod, error) {
	pods, err := r.podsOf(ctx, rels)
	if err != nil {
		return nil, err
	}
	out := make([]Pod, 0, len(pods))
	for _, p := range pods {
		out = append(out, describePod(p.pod, p.release))
	}
	return out, nil
}

// pods finds the pods whose owner chain reaches an object of the version's releases.
func (r *Reader) pods(ctx context.Context, versionID string) ([]ownedPod, error) {
	rels, err := r.current(ctx, versionID)
	if err != nil {
		return nil, err
	}
	return r.podsOf(ctx, rels)
}

// podsOf finds the pods whose owner chain reaches an object of the releases.
func (r *Reader) podsOf(ctx context.Context, rels []*helm.Info) ([]ownedPod, error) {
	objs := objects(rels)
	byKey := map[string]string{} // kind/namespace/name → release
	namespaces := map[string]bool{}
	for _, o := range objs {
		byKey[o.Kind+"/"+o.Namespace+"/"+o.Name] = o.Release
		namespaces[o.Namespace] = true
	}
	var out []ownedPod
	for ns := range namespaces {
		owners, err := r.owners(ctx, ns)
		if err != nil {
			return nil, err
		}
		pods, err := r.listPods(ctx, ns)
		if err != nil {
			return nil, err
		}
		for _, p := range pods {
			if rel, ok := owningRelease(byKey, owners, "Pod", ns, p.Name, p.OwnerReferences); ok {
				out = append(out, ownedPod{pod: p, release: rel})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pod.Namespace != out[j].pod.Namespace {
			return out[i].pod.Namespace < out[j].pod.Namespace
		}
		return out[i].pod.Name < out[j].pod.Name
	})
	return out, nil
}

// listPods returns the pods of a namespace, from the pod cache when it holds the namespace.
// Pods from the cache are shared: they are read, never changed.
func (r *Reader) listPods(ctx context.Context, ns string) ([]*corev1.Pod, error) {
	if l, ok := r.cached(ns); ok {
		pods, err := l.Pods.List(labels.Everything())
		if err != nil {
			return nil, fmt.Errorf("pods in %s: %w", ns, err)
		}
		return pods, nil
	}
	list, err := r.kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("pods in %s: %w", ns, err)
	}
	out := make([]*corev1.Pod, len(list.Items))
	for i := range list.Items {
		out[i] = &list.Items[i]
	}
	return out, nil
}

// owners maps the ReplicaSets and Jobs of a namespace to their own owners, so that a pod's
// chain can be followed up to a Deployment or CronJob. They come from the pod cache when it
// holds the namespace.
func (r *Reader) owners(ctx context.Context, ns string) (map[string][]metav1.OwnerReference, error) {
	out := map[string][]metav1.OwnerReference{}
	if l, ok := r.cached(ns); ok {
		rs, err := l.ReplicaSets.List(labels.Everything())
		if err != nil {
			return nil, fmt.Errorf("replica sets in %s: %w", ns, err)
		}
		for _, x := range rs {
			out["ReplicaSet/"+ns+"/"+x.Name] = x.OwnerReferences
		}
		jobs, err := l.Jobs.List(labels.Everything())
		if err != nil {
			return nil, fmt.Errorf("jobs in %s: %w", ns, err)
		}
		for _, x := range jobs {
			out["Job/"+ns+"/"+x.Name] = x.OwnerReferences
		}
		return out, nil
	}
	rs, err := r.kube.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("replica sets in %s: %w", ns, err)
	}
	for _, x := range rs.Items {
		out["ReplicaSet/"+ns+"/"+x.Name] = x.OwnerReferences
	}
	jobs, err := r.kube.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, fmt.Errorf("jobs in %s: %w", ns, err)
	}
	for _, x := range jobs.Items {
		out["Job/"+ns+"/"+x.Name] = x.OwnerReferences
	}
	return out, nil
}

// cached returns the pod cache's listers of ns, if the Reader has a cache that holds ns.
func (r *Reader) cached(ns string) (NamespaceListers, bool) {
	if r.cache == nil {
		return NamespaceListers{}, false
	}
	return r.cache.Namespace(ns)
}

// owningRelease follows an object's owner references (at most a few steps) to an object of a
// release and returns that release.
func owningRelease(byKey map[string]string, owners map[string][]metav1.OwnerReference, kind, ns, name string, refs []metav1.OwnerReference) (string, bool) {
	for depth := 0; depth < 4; depth++ {
		if rel, ok := byKey[kind+"/"+ns+"/"+name]; ok {
			return rel, true
		}
		var next *metav1.OwnerReference
		for i := range refs {
			if refs[i].Controller != nil && *refs[i].Controller {
				next = &refs[i]
			}
		}
		if next == nil && len(refs) > 0 {
			next = &refs[0]
		}
		if next == nil {
			return "", false
		}
		kind, name = next.Kind, next.Name
		refs = owners[kind+"/"+ns+"/"+name]
	}
	return "", false
}

func describePod(p *corev1.Pod, release string) Pod {
	out := Pod{
		Name: p.Name, Namespace: p.Namespace, Release: release, Phase: string(p.Status.Phase), Node: p.Spec.NodeName,
		Created: p.CreationTimestamp.Time.UTC(), Reason: p.Status.Reason, Message: p.Status.Message, Containers: []Container{},
	}
	if p.Status.StartTime != nil {
		t := p.Status.StartTime.Time.UTC()
		out.Started = &t
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			out.Ready = c.Status == corev1.ConditionTrue
		}
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse && out.Reason == "" {
			out.Reason, out.Message = c.Reason, c.Message
		}
	}
	statuses := map[string]corev1.ContainerStatus{}
	for _, list := range [][]corev1.ContainerStatus{p.Status.InitContainerStatuses, p.Status.ContainerStatuses, p.Status.EphemeralContainerStatuses} {
		for _, s := range list {
			statuses[s.Name] = s
		}
	}
	add := func(kind, name, image string) {
		c := Container{Name: name, Kind: kind, Image: image, State: "waiting"}
		if s, ok := statuses[name]; ok {
			c.Ready, c.Restarts = s.Ready, s.RestartCount
			switch {
			case s.State.Running != nil:
				c.State = "running"
			case s.State.Terminated != nil:
				c.State, c.Reason, c.Message = "terminated", s.State.Terminated.Reason, s.State.Terminated.Message
			case s.State.Waiting != nil:
				c.Reason, c.Message = s.State.Waiting.Reason, s.State.Waiting.Message
			}
			if s.LastTerminationState.Terminated != nil {
				c.LastTerminationReason = s.LastTerminationState.Terminated.Reason
			}
			if kind == ContainerRegular {
				out.Restarts += s.RestartCount
			}
		}
		out.Containers = append(out.Containers, c)
	}
	for _, c := range p.Spec.InitContainers {
		add(ContainerInit, c.Name, c.Image)
	}
	for _, c := range p.Spec.Containers {
		add(ContainerRegular, c.Name, c.Image)
	}
	for _, c := range p.Spec.EphemeralContainers {
		add(ContainerEphemeral, c.Name, c.Image)
	}
	return out
}
