package worker

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	coreinformers "k8s.io/client-go/informers/core/v1"
	corelisters "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/metadata/metadatainformer"
	"k8s.io/client-go/metadata/metadatalister"
	"k8s.io/client-go/tools/cache"

	"github.com/oneko/oneko/internal/deploy"
	"github.com/oneko/oneko/internal/diagnose"
	"github.com/oneko/oneko/internal/kube"
	"github.com/oneko/oneko/internal/model"
	"github.com/oneko/oneko/internal/store"
)

// Timing of the pod watch.
const (
	// podRefreshDelay gathers the pod changes of one version (a rollout changes several pods
	// at once) into one refresh.
	podRefreshDelay = 250 * time.Millisecond
	// podWatchResync is how often the pod watch reads again which namespaces hold the
	// releases of deployed versions (a deploy in this process tells it at once).
	podWatchResync = 30 * time.Second
	// podRefreshes is how many pod-watch refreshes run at once: a burst of pod changes (a
	// rollout of many versions) is refreshed a few at a time instead of all at once, each
	// with its own store connection and Helm reads, competing with the deploys.
	podRefreshes = 2
)

// podWatch keeps the live pod status of deployed versions current between the periodic
// refreshes: it watches the pods, Deployments and StatefulSets of the namespaces that hold the
// releases of this installation's deployed versions (namespaced informers; oneko labels
// release storage and namespaces, not the charts' pods) and, shortly after a pod there
// changes, refreshes the status of the version it belongs to — or, for a pod no refresh has
// seen yet and for a workload, of every deployed version with releases in its namespace. A refresh records and publishes
// only what changed (see refreshOne).
type podWatch struct {
	store   *store.Store
	refresh *refresher
	clients *kube.WatchClients
	log     *slog.Logger

	mu         sync.Mutex
	ctx        context.Context
	namespaces map[string]*nsWatch        // watched namespaces
	versions   map[string]map[string]bool // namespace → ids of deployed versions with releases there
	releases   map[string]string          // "namespace/release" → id of the deployed version that records it
	podVersion map[string]string          // "namespace/pod" → version id, from the refreshes
	versionPod map[string][]string        // version id → its "namespace/pod" keys
	timers     map[string]*time.Timer     // version id → pending refresh
	running    chan struct{}              // one token per refresh running (podRefreshes)
}

// nsWatch is the informers of one namespace: pods, the workloads a pod's owner names, and the
// ReplicaSets and Jobs a status refresh follows a pod's owner chain through (Namespace). Of
// everything but the pods it watches the metadata only.
type nsWatch struct {
	stop         chan struct{}
	informers    []cache.SharedIndexInformer
	pods         corelisters.PodNamespaceLister
	deployments  metadatalister.NamespaceLister
	statefulSets metadatalister.NamespaceLister
	replicaSets  metadatalister.NamespaceLister
	jobs         metadatalister.NamespaceLister
}

// synced reports whether every informer of the namespace has listed it once.
func (nw *nsWatch) synced() bool {
	for _, inf := range nw.informers {
		if !inf.HasSynced() {
			return false
		}
	}
	return true
}

// helmReleaseAnnotation is the annotation Helm puts on every object it creates: the name of
// the release the object belongs to.
const helmReleaseAnnotation = "meta.helm.sh/release-name"

func newPodWatch(st *store.Store, r *refresher, clients *kube.WatchClients, log *slog.Logger) *podWatch {
	return &podWatch{store: st, refresh: r, clients: clients, log: log.With("component", "podwatch"),
		namespaces: map[string]*nsWatch{}, versions: map[string]map[string]bool{}, releases: map[string]string{},
		podVersion: map[string]string{}, versionPod: map[string][]string{}, timers: map[string]*time.Timer{},
		running: make(chan struct{}, podRefreshes)}
}

// RunPodWatch watches the pods of the deployed versions and refreshes their status within
// about podRefreshDelay of a change, until ctx ends. It does nothing for a worker without a
// cluster. The periodic refresh (TypeRefreshStatus) stays the fallback.
func (w *Worker) RunPodWatch(ctx context.Context) error {
	pw := w.watch
	if pw == nil {
		return nil
	}
	pw.mu.Lock()
	pw.ctx = ctx
	pw.mu.Unlock()
	defer pw.stopAll()
	t := time.NewTicker(podWatchResync)
	defer t.Stop()
	for {
		if err := pw.resync(ctx); err != nil {
			pw.log.Warn("cannot read the namespaces of deployed versions", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// resync reads the deployed versions and watches exactly the namespaces of their releases.
func (pw *podWatch) resync(ctx context.Context) error {
	vs, err := pw.store.VersionsByDesiredState(ctx, model.Deployed)
	if err != nil {
		return fmt.Errorf("pod watch: %w", err)
	}
	versions := map[string]map[string]bool{}
	releases := map[string]string{}
	for _, v := range vs {
		for _, r := range v.Deployment.Releases {
			if versions[r.Namespace] == nil {
				versions[r.Namespace] = map[string]bool{}
			}
			versions[r.Namespace][v.ID] = true
			releases[r.Namespace+"/"+r.Name] = v.ID
		}
	}
	pw.mu.Lock()
	defer pw.mu.Unlock()
	pw.versions, pw.releases = versions, releases
	for ns, nw := range pw.namespaces {
		if versions[ns] == nil {
			close(nw.stop)
			delete(pw.namespaces, ns)
		}
	}
	for ns := range versions {
		pw.watchLocked(ns)
	}
	return nil
}

// track adds what a recorded deployment of v says: the namespaces of its releases are watched
// at once, not only after the next resync.
func (pw *podWatch) track(v string, d model.Deployment) {
	if pw == nil {
		return
	}
	pw.mu.Lock()
	defer pw.mu.Unlock()
	if pw.ctx == nil {
		return
	}
	for _, r := range d.Releases {
		if pw.versions[r.Namespace] == nil {
			pw.versions[r.Namespace] = map[string]bool{}
		}
		pw.versions[r.Namespace][v] = true
		pw.releases[r.Namespace+"/"+r.Name] = v
		pw.watchLocked(r.Namespace)
	}
}

// watchLocked starts the informer of a namespace's pods unless it runs; pw.mu is held.
func (pw *podWatch) watchLocked(ns string) {
	if pw.namespaces[ns] != nil || pw.ctx == nil || pw.ctx.Err() != nil {
		return
	}
	nw := &nsWatch{stop: make(chan struct{})}
	pods := coreinformers.NewPodInformer(pw.clients.Typed, ns, 0, namespaceIndex)
	metadataOf := func(gvr schema.GroupVersionResource) (cache.SharedIndexInformer, metadatalister.NamespaceLister) {
		inf := metadatainformer.NewFilteredMetadataInformer(pw.clients.Metadata, gvr, ns, 0, namespaceIndex, nil).Informer()
		return inf, metadatalister.New(inf.GetIndexer(), gvr).Namespace(ns)
	}
	var deployments, statefulSets, replicaSets, jobs cache.SharedIndexInformer
	deployments, nw.deployments = metadataOf(appsv1.SchemeGroupVersion.WithResource("deployments"))
	statefulSets, nw.statefulSets = metadataOf(appsv1.SchemeGroupVersion.WithResource("statefulsets"))
	replicaSets, nw.replicaSets = metadataOf(appsv1.SchemeGroupVersion.WithResource("replicasets"))
	jobs, nw.jobs = metadataOf(batchv1.SchemeGroupVersion.WithResource("jobs"))
	nw.pods = corelisters.NewPodLister(pods.GetIndexer()).Pods(ns)
	nw.informers = []cache.SharedIndexInformer{pods, deployments, statefulSets, replicaSets, jobs}
	for _, inf := range nw.informers {
		if err := inf.SetTransform(slimObject); err != nil {
			pw.log.Warn("cannot watch a namespace", "namespace", ns, "err", err)
			return
		}
	}
	pw.namespaces[ns] = nw
	pod := func(obj any) {
		if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = tomb.Obj
		}
		if p, ok := obj.(*corev1.Pod); ok {
			pw.podChanged(nw, p)
		}
	}
	// The ready and desired pods are the workloads' counts, which their controllers update
	// just after the pods change: a workload's change refreshes the version of its release.
	workload := func(obj any) {
		if tomb, ok := obj.(cache.DeletedFinalStateUnknown); ok {
			obj = tomb.Obj
		}
		if o, ok := obj.(metav1.Object); ok {
			pw.workloadChanged(ns, o)
		}
	}
	for _, w := range []struct {
		inf cache.SharedIndexInformer
		on  func(any)
	}{
		{pods, pod},
		{deployments, workload},
		{statefulSets, workload},
	} {
		on := w.on
		if _, err := w.inf.AddEventHandler(cache.ResourceEventHandlerFuncs{
			AddFunc: on, UpdateFunc: func(_, obj any) { on(obj) }, DeleteFunc: on,
		}); err != nil {
			pw.log.Warn("cannot watch a namespace", "namespace", ns, "err", err)
			delete(pw.namespaces, ns)
			return
		}
	}
	for _, inf := range nw.informers {
		go inf.Run(nw.stop)
	}
	pw.log.Debug("watching pods", "namespace", ns)
}

// namespaceIndex indexes an informer's objects by namespace, as its listers expect.
var namespaceIndex = cache.Indexers{cache.NamespaceIndex: cache.MetaNamespaceIndexFunc}

// slimObject keeps of an object, before an informer stores it, only what the watch and the
// status refresh read: of a pod its identity, labels, owners, node, containers' names and
// images and its status; of the metadata of a workload, ReplicaSet or Job its identity, owners
// and Helm's release annotation. Pod templates, volumes, environments, other annotations and
// the field managers' bookkeeping stay out of memory (in a namespace of many versions they
// are most of it). Other objects are kept as they are.
func slimObject(obj any) (any, error) {
	switch o := obj.(type) {
	case *corev1.Pod:
		slim := &corev1.Pod{TypeMeta: o.TypeMeta, ObjectMeta: slimMeta(o.ObjectMeta), Status: o.Status}
		slim.Labels, slim.CreationTimestamp, slim.DeletionTimestamp = o.Labels, o.CreationTimestamp, o.DeletionTimestamp
		slim.Spec.NodeName = o.Spec.NodeName
		slim.Spec.InitContainers = slimContainers(o.Spec.InitContainers)
		slim.Spec.Containers = slimContainers(o.Spec.Containers)
		for _, c := range o.Spec.EphemeralContainers {
			slim.Spec.EphemeralContainers = append(slim.Spec.EphemeralContainers, corev1.EphemeralContainer{
				EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: c.Name, Image: c.Image}})
		}
		return slim, nil
	case *metav1.PartialObjectMetadata:
		return &metav1.PartialObjectMetadata{TypeMeta: o.TypeMeta, ObjectMeta: releaseMeta(o.ObjectMeta)}, nil
	}
	return obj, nil
}

// slimMeta is an object's identity and owners.
func slimMeta(m metav1.ObjectMeta) metav1.ObjectMeta {
	return metav1.ObjectMeta{Name: m.Name, Namespace: m.Namespace, UID: m.UID, ResourceVersion: m.ResourceVersion,
		Generation: m.Generation, OwnerReferences: m.OwnerReferences}
}

// releaseMeta is slimMeta with Helm's release annotation, if the object has one.
func releaseMeta(m metav1.ObjectMeta) metav1.ObjectMeta {
	out := slimMeta(m)
	if rel, ok := m.Annotations[helmReleaseAnnotation]; ok {
		out.Annotations = map[string]string{helmReleaseAnnotation: rel}
	}
	return out
}

// slimContainers keeps the containers' names and images.
func slimContainers(cs []corev1.Container) []corev1.Container {
	if cs == nil {
		return nil
	}
	out := make([]corev1.Container, len(cs))
	for i, c := range cs {
		out[i] = corev1.Container{Name: c.Name, Image: c.Image}
	}
	return out
}

// Namespace returns the listers of a watched namespace once its informers have synced: the
// status refresh reads the pods, ReplicaSets and Jobs there from memory
// (diagnose.PodCache) instead of listing them from the API each time.
func (pw *podWatch) Namespace(ns string) (diagnose.NamespaceListers, bool) {
	if pw == nil {
		return diagnose.NamespaceListers{}, false
	}
	pw.mu.Lock()
	nw := pw.namespaces[ns]
	pw.mu.Unlock()
	if nw == nil || !nw.synced() {
		return diagnose.NamespaceListers{}, false
	}
	return diagnose.NamespaceListers{Pods: nw.pods, ReplicaSets: nw.replicaSets, Jobs: nw.jobs}, true
}

// workloadChanged schedules the refresh of the version whose release holds a workload; a
// workload Helm did not create refreshes every deployed version in its namespace. A release no
// deployed version records yet belongs to a deploy in flight, which records its status itself
// (and the next resync or track makes the watch follow it): it schedules nothing, so that a
// burst of deploys into one namespace does not refresh every other version over and over.
func (pw *podWatch) workloadChanged(ns string, o metav1.Object) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	pw.releaseChangedLocked(ns, o.GetAnnotations()[helmReleaseAnnotation])
}

// releaseChangedLocked schedules the refresh for a change of an object of release rel in ns
// ("" for an object of no known release: every deployed version in ns); pw.mu is held.
func (pw *podWatch) releaseChangedLocked(ns, rel string) {
	if rel != "" {
		if v, ok := pw.releases[ns+"/"+rel]; ok {
			pw.scheduleLocked(v)
		}
		return
	}
	for v := range pw.versions[ns] {
		pw.scheduleLocked(v)
	}
}

// podChanged schedules the refresh of the version a pod belongs to: known from an earlier
// refresh, or found through the pod's controller (ReplicaSet → Deployment, StatefulSet) and
// the release named on it. A pod whose workload the watch has not seen yet belongs to a
// workload just created — a deploy in flight, which records its status itself, and whose own
// add event follows — and schedules nothing: in a burst of deploys into one namespace, the
// new pods would otherwise refresh every deployed version there again and again. Any other
// pod of no known release (no controller, another kind of controller, a workload Helm did not
// create) refreshes every deployed version in its namespace.
func (pw *podWatch) podChanged(nw *nsWatch, p *corev1.Pod) {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	if v, ok := pw.podVersion[p.Namespace+"/"+p.Name]; ok {
		pw.scheduleLocked(v)
		return
	}
	rel, unseen := releaseOfPod(nw, p)
	if unseen {
		return
	}
	pw.releaseChangedLocked(p.Namespace, rel)
}

// releaseOfPod names the Helm release of a pod's controlling workload, "" when it is unknown;
// unseen is true when the pod's controller leads to a Deployment or StatefulSet that is not in
// the watch's cache (yet).
func releaseOfPod(nw *nsWatch, p *corev1.Pod) (rel string, unseen bool) {
	owner := metav1.GetControllerOf(p)
	if owner == nil {
		return "", false
	}
	var o metav1.Object
	switch owner.Kind {
	case "ReplicaSet":
		// A Deployment's ReplicaSet is named after it plus the pod template's hash.
		hash := p.Labels[appsv1.DefaultDeploymentUniqueLabelKey]
		name, ok := strings.CutSuffix(owner.Name, "-"+hash)
		if hash == "" || !ok {
			return "", false
		}
		d, err := nw.deployments.Get(name)
		if err != nil {
			return "", true
		}
		o = d
	case "StatefulSet":
		s, err := nw.statefulSets.Get(owner.Name)
		if err != nil {
			return "", true
		}
		o = s
	default:
		return "", false
	}
	return o.GetAnnotations()[helmReleaseAnnotation], false
}

// scheduleLocked refreshes a version podRefreshDelay from now unless a refresh is due; pw.mu
// is held.
func (pw *podWatch) scheduleLocked(versionID string) {
	if pw.timers[versionID] != nil || pw.ctx == nil {
		return
	}
	ctx := pw.ctx
	pw.timers[versionID] = time.AfterFunc(podRefreshDelay, func() {
		select {
		case pw.running <- struct{}{}:
		case <-ctx.Done():
			return
		}
		defer func() { <-pw.running }()
		// The timer stays in pw.timers until the refresh starts: changes while it waits for
		// a token join it instead of scheduling another.
		pw.mu.Lock()
		delete(pw.timers, versionID)
		pw.mu.Unlock()
		pw.refreshVersion(ctx, versionID)
	})
}

// refreshVersion refreshes the status of one deployed version, as the periodic refresh does.
func (pw *podWatch) refreshVersion(ctx context.Context, versionID string) {
	if ctx.Err() != nil {
		return
	}
	v, err := pw.store.GetVersionByID(ctx, versionID)
	if err != nil {
		pw.log.Debug("cannot read a version to refresh", "version", versionID, "err", err)
		return
	}
	if v.DesiredState != model.Deployed || !deploy.Refreshable(v) {
		return
	}
	if _, err := pw.refresh.refreshOne(ctx, pw.log, v); err != nil {
		pw.log.Warn("cannot refresh the status of a version after a pod changed", "version", versionID, "err", err)
	}
}

// seen remembers which pods a refresh found for a version.
func (pw *podWatch) seen(versionID string, pods []string) {
	if pw == nil {
		return
	}
	pw.mu.Lock()
	defer pw.mu.Unlock()
	for _, k := range pw.versionPod[versionID] {
		if pw.podVersion[k] == versionID {
			delete(pw.podVersion, k)
		}
	}
	pw.versionPod[versionID] = pods
	for _, p := range pods {
		pw.podVersion[p] = versionID
	}
}

// stopAll stops every informer and pending refresh.
func (pw *podWatch) stopAll() {
	pw.mu.Lock()
	defer pw.mu.Unlock()
	for ns, nw := range pw.namespaces {
		close(nw.stop)
		delete(pw.namespaces, ns)
	}
	for v, t := range pw.timers {
		t.Stop()
		delete(pw.timers, v)
	}
	pw.ctx = nil
}
