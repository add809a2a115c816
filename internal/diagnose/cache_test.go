package diagnose_test

import (
	"errors"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/metadata/metadatalister"
	"k8s.io/client-go/tools/cache"

	"github.com/oneko/oneko/internal/diagnose"
)

// podCache is a diagnose.PodCache over plain indexers, holding the namespaces in it.
type podCache map[string]diagnose.NamespaceListers

func (c podCache) Namespace(ns string) (diagnose.NamespaceListers, bool) {
	l, ok := c[ns]
	return l, ok
}

// TestPodsFromACache: a Reader with a pod cache reads the pods, ReplicaSets and Jobs of the
// namespaces the cache holds from it (what the cache says wins over the cluster), follows the
// owner chain through the cached ReplicaSets, and lists every other namespace from the API.
func TestPodsFromACache(t *testing.T) {
	ns := kube.Namespace(t, "diag-cache")
	client := kube.Client(t)
	ctx := t.Context()
	install(t, ns, "web", "v-cache", map[string]any{"replicas": 2}, true)

	plain := diagnose.New(client, "inst")
	var live []diagnose.Pod
	eventually(t, "two pods of v-cache", func() error {
		var err error
		if live, err = plain.Pods(ctx, "v-cache"); err == nil && len(live) != 2 {
			err = errors.New("not yet: " + podNames(live))
		}
		return err
	})

	// The cache holds the namespace's objects as the cluster has them, with one pod marked.
	pods := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	rss := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	jobs := cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc})
	pl, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range pl.Items {
		p := pl.Items[i].DeepCopy()
		if p.Name == live[0].Name {
			p.Status.Phase = "FromCache"
		}
		if err := pods.Add(p); err != nil {
			t.Fatal(err)
		}
	}
	rl, err := client.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rl.Items {
		// The cache holds the metadata of ReplicaSets and Jobs, as the pod watch's informers do.
		if err := rss.Add(&metav1.PartialObjectMetadata{ObjectMeta: rl.Items[i].ObjectMeta}); err != nil {
			t.Fatal(err)
		}
	}
	c := podCache{ns: {
		Pods:        corelisters.NewPodLister(pods).Pods(ns),
		ReplicaSets: metadatalister.New(rss, appsv1.SchemeGroupVersion.WithResource("replicasets")).Namespace(ns),
		Jobs:        metadatalister.New(jobs, batchv1.SchemeGroupVersion.WithResource("jobs")).Namespace(ns),
	}}
	got, err := plain.WithPodCache(c).Pods(ctx, "v-cache")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Name != live[0].Name || got[0].Phase != "FromCache" || got[1].Phase != "Running" || got[0].Release != "web" {
		t.Fatalf("pods with the cache: %+v", got)
	}

	// Without the ReplicaSets in the cache, the chain from pod to Deployment is broken: the
	// owners too come from the cache.
	c[ns] = diagnose.NamespaceListers{Pods: c[ns].Pods, Jobs: c[ns].Jobs,
		ReplicaSets: metadatalister.New(cache.NewIndexer(cache.MetaNamespaceKeyFunc, cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc}),
			appsv1.SchemeGroupVersion.WithResource("replicasets")).Namespace(ns)}
	if got, err := plain.WithPodCache(c).Pods(ctx, "v-cache"); err != nil || len(got) != 0 {
		t.Fatalf("pods with no ReplicaSets cached: %+v %v", got, err)
	}

	// A namespace the cache does not hold is listed from the cluster; the Reader itself is
	// unchanged by WithPodCache.
	if got, err := plain.WithPodCache(podCache{}).Pods(ctx, "v-cache"); err != nil || len(got) != 2 || got[0].Phase != "Running" {
		t.Fatalf("pods of a namespace the cache does not hold: %+v %v", got, err)
	}
	if got, err := plain.Pods(ctx, "v-cache"); err != nil || len(got) != 2 || got[0].Phase == "FromCache" {
		t.Fatalf("pods without a cache: %+v %v", got, err)
	}
}
