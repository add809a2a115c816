package worker

import (
	"context"
	"log/slog"
	"slices"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/metadata/metadatalister"
	"k8s.io/client-go/tools/cache"
)

// TestPodWatchRefreshesOnlyTheOwnersVersion: a workload or pod change refreshes the version
// whose release holds it, not every deployed version in the namespace (a burst of deploys into
// one namespace refreshed all the others over and over); a release of a deploy in flight and
// a pod whose workload the watch has not seen yet refresh nothing, and only an object of no
// known release refreshes the whole namespace.
func TestPodWatchRefreshesOnlyTheOwnersVersion(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // scheduled refreshes return at once: the test reads what was scheduled
	// The watch holds the metadata of workloads (metadata informers).
	dep := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns",
		Annotations: map[string]string{helmReleaseAnnotation: "rel-a"}}}
	deployments := cache.NewIndexer(cache.MetaNamespaceKeyFunc, namespaceIndex)
	plain := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Name: "plain", Namespace: "ns"}}
	for _, d := range []*metav1.PartialObjectMetadata{dep, plain} {
		if err := deployments.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	nw := &nsWatch{deployments: metadatalister.New(deployments, appsv1.SchemeGroupVersion.WithResource("deployments")).Namespace("ns"),
		statefulSets: metadatalister.New(cache.NewIndexer(cache.MetaNamespaceKeyFunc, namespaceIndex), appsv1.SchemeGroupVersion.WithResource("statefulsets")).Namespace("ns")}

	fresh := func() *podWatch {
		pw := newPodWatch(nil, nil, nil, slog.New(slog.DiscardHandler))
		pw.ctx = ctx
		pw.versions["ns"] = map[string]bool{"va": true, "vb": true}
		pw.releases["ns/rel-a"], pw.releases["ns/rel-b"] = "va", "vb"
		return pw
	}
	scheduled := func(pw *podWatch) []string {
		pw.mu.Lock()
		defer pw.mu.Unlock()
		var ids []string
		for id, tm := range pw.timers {
			tm.Stop()
			ids = append(ids, id)
		}
		slices.Sort(ids)
		return ids
	}
	annotated := func(rel string) *appsv1.Deployment {
		return &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "x", Namespace: "ns", Annotations: map[string]string{helmReleaseAnnotation: rel}}}
	}
	isController := true
	pod := func(owner, hash string) *corev1.Pod {
		return &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns",
			Labels:          map[string]string{appsv1.DefaultDeploymentUniqueLabelKey: hash},
			OwnerReferences: []metav1.OwnerReference{{Kind: "ReplicaSet", Name: owner, Controller: &isController}}}}
	}

	for _, c := range []struct {
		name   string
		change func(pw *podWatch)
		want   []string
	}{
		{"workload of a known release", func(pw *podWatch) { pw.workloadChanged("ns", annotated("rel-b")) }, []string{"vb"}},
		{"workload of a deploy in flight", func(pw *podWatch) { pw.workloadChanged("ns", annotated("rel-new")) }, nil},
		{"workload Helm did not create", func(pw *podWatch) { pw.workloadChanged("ns", &appsv1.Deployment{}) }, []string{"va", "vb"}},
		{"pod of a Deployment's ReplicaSet", func(pw *podWatch) { pw.podChanged(nw, pod("web-5d9f", "5d9f")) }, []string{"va"}},
		{"pod of a Deployment not seen yet", func(pw *podWatch) { pw.podChanged(nw, pod("other-1", "1")) }, nil},
		{"pod of a Deployment Helm did not create", func(pw *podWatch) { pw.podChanged(nw, pod("plain-7c4b", "7c4b")) }, []string{"va", "vb"}},
		{"pod of a ReplicaSet of no Deployment", func(pw *podWatch) { pw.podChanged(nw, pod("bare-rs", "")) }, []string{"va", "vb"}},
		{"pod without a controller", func(pw *podWatch) {
			pw.podChanged(nw, &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "solo", Namespace: "ns"}})
		}, []string{"va", "vb"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			pw := fresh()
			c.change(pw)
			if got := scheduled(pw); !slices.Equal(got, c.want) {
				t.Errorf("refreshes scheduled for %v, want %v", got, c.want)
			}
		})
	}
}

// TestSlimObject: the pod watch keeps of a pod what the refresh reads (identity, labels,
// owners, node, containers' names and images, status) and drops the rest; of a workload its
// identity, owners and Helm's release annotation only.
func TestSlimObject(t *testing.T) {
	isController := true
	owners := []metav1.OwnerReference{{Kind: "ReplicaSet", Name: "web-5d9f", Controller: &isController}}
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "web-5d9f-x", Namespace: "ns", ResourceVersion: "7",
			Labels: map[string]string{"pod-template-hash": "5d9f"}, Annotations: map[string]string{"big": "value"},
			OwnerReferences: owners, ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubelet"}}},
		Spec: corev1.PodSpec{NodeName: "node-1",
			Containers: []corev1.Container{{Name: "app", Image: "registry/app@sha256:1", Env: []corev1.EnvVar{{Name: "A", Value: "b"}}}},
			Volumes:    []corev1.Volume{{Name: "data"}}},
		Status: corev1.PodStatus{Phase: corev1.PodRunning, ContainerStatuses: []corev1.ContainerStatus{{Name: "app", RestartCount: 3, Ready: true}}},
	}
	got, err := slimObject(pod)
	if err != nil {
		t.Fatal(err)
	}
	p := got.(*corev1.Pod)
	if p.Name != pod.Name || p.Namespace != "ns" || p.ResourceVersion != "7" || p.Labels["pod-template-hash"] != "5d9f" ||
		len(p.OwnerReferences) != 1 || p.Spec.NodeName != "node-1" || len(p.Spec.Containers) != 1 ||
		p.Spec.Containers[0].Image != "registry/app@sha256:1" || p.Status.ContainerStatuses[0].RestartCount != 3 || p.Status.Phase != corev1.PodRunning {
		t.Fatalf("slim pod lost what the refresh reads: %+v", p)
	}
	if p.Annotations != nil || p.ManagedFields != nil || p.Spec.Volumes != nil || p.Spec.Containers[0].Env != nil {
		t.Fatalf("slim pod kept what nothing reads: %+v", p)
	}

	// Workloads, ReplicaSets and Jobs are watched as metadata.
	dep := &metav1.PartialObjectMetadata{TypeMeta: metav1.TypeMeta{Kind: "Deployment", APIVersion: "apps/v1"},
		ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns", Labels: map[string]string{"app": "web"},
			Annotations:   map[string]string{helmReleaseAnnotation: "rel-a", "deployment.kubernetes.io/revision": "1"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "helm"}}}}
	got, _ = slimObject(dep)
	d := got.(*metav1.PartialObjectMetadata)
	if d.Name != "web" || d.Kind != "Deployment" || len(d.Annotations) != 1 || d.Annotations[helmReleaseAnnotation] != "rel-a" ||
		d.Labels != nil || d.ManagedFields != nil {
		t.Fatalf("slim Deployment: %+v", d)
	}
	rs := &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Name: "web-5d9f", Namespace: "ns", OwnerReferences: owners,
		Annotations: map[string]string{"deployment.kubernetes.io/desired-replicas": "2"}}}
	got, _ = slimObject(rs)
	if r := got.(*metav1.PartialObjectMetadata); r.Name != "web-5d9f" || len(r.OwnerReferences) != 1 || r.Annotations != nil {
		t.Fatalf("slim ReplicaSet: %+v", r)
	}
	other := &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "c", Annotations: map[string]string{"k": "v"}}}
	if got, _ := slimObject(other); got != other {
		t.Fatal("an object of another kind was changed")
	}
}
