package helm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/kube"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/resource"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
	kstatus "sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

// readyWaitClient is Helm's kube client with its readiness wait replaced: Helm's Wait checks
// the resources once and then every 2 seconds, so a release whose pods are Ready within a
// second still costs 2 seconds, and it waits out the whole timeout for a rollout that cannot
// succeed. This one watches each resource (client-go's watch tools), judges it with kstatus
// (sigs.k8s.io/cli-utils: the built-in kinds, and any resource with Ready or Stalled
// conditions), returns as soon as the last one is ready, and fails early with the reason when
// one cannot become ready: a Deployment past its progress deadline, a Job that failed, or a
// workload whose new pods crash-loop or cannot pull their image. Everything else (apply, hooks,
// deletes) is Helm's own, and so is what the actions do around the wait: the revision stays
// pending while it runs, and a failed wait is recorded by Helm as a failed revision with its
// error as the description.
type readyWaitClient struct {
	*kube.Client
	// ctx bounds every wait of the operation; the SDK's kube interface takes none.
	ctx context.Context
	dyn dynamic.Interface
	log func(format string, v ...any)
	// confine, when set, checks every object before it is created or updated.
	confine *confiner
}

// Create checks the resources against the release's confinement, then creates them.
func (w *readyWaitClient) Create(resources kube.ResourceList) (*kube.Result, error) {
	if w.confine != nil {
		if err := w.confine.checkResources(resources); err != nil {
			return nil, err
		}
	}
	return w.Client.Create(resources)
}

// Update checks the target resources against the release's confinement, then updates.
func (w *readyWaitClient) Update(original, target kube.ResourceList, force bool) (*kube.Result, error) {
	if w.confine != nil {
		if err := w.confine.checkResources(target); err != nil {
			return nil, err
		}
	}
	return w.Client.Update(original, target, force)
}

// waitReady makes cfg's actions wait for readiness with a readyWaitClient bound to ctx.
// It leaves cfg as it is when its kube client is not Helm's (nothing to wrap).
func (c *Client) waitReady(ctx context.Context, cfg *action.Configuration, ol *opLog) {
	kc, ok := cfg.KubeClient.(*kube.Client)
	if !ok {
		return
	}
	cfg.KubeClient = &readyWaitClient{Client: kc, ctx: ctx, dyn: c.dyn, log: ol.printf}
}

// Wait waits up to timeout until every resource is ready (see resourceReady); Jobs count as
// ready once they exist.
func (w *readyWaitClient) Wait(resources kube.ResourceList, timeout time.Duration) error {
	return w.wait(resources, timeout, false)
}

// WaitWithJobs is Wait, with Jobs ready only once complete.
func (w *readyWaitClient) WaitWithJobs(resources kube.ResourceList, timeout time.Duration) error {
	return w.wait(resources, timeout, true)
}

// wait waits for the resources one after the other: they progress in the cluster meanwhile,
// so the wait lasts as long as the slowest one. A timeout is reported as the state of the
// resource that was not ready; it does not wrap context.DeadlineExceeded, which would make
// the release's failure look like an unreachable cluster (see Unreachable).
func (w *readyWaitClient) wait(resources kube.ResourceList, timeout time.Duration, jobs bool) error {
	w.log("waiting up to %s for %d resources to be ready", timeout, len(resources))
	ctx, cancel := context.WithTimeout(w.ctx, timeout)
	defer cancel()
	start := time.Now()
	for _, info := range resources {
		state, err := w.waitOne(ctx, info, jobs, start)
		if err == nil {
			continue
		}
		if ctx.Err() == nil {
			return err
		}
		if perr := w.ctx.Err(); perr != nil {
			return fmt.Errorf("wait for resources: %s: %w", state, perr)
		}
		return fmt.Errorf("resources not ready after %s: %s", timeout, state)
	}
	w.log("%d resources ready after %s", len(resources), time.Since(start).Round(time.Millisecond))
	return nil
}

// waitOne waits until one resource is ready: client-go's UntilWithSync lists and watches it by
// name (listing again whenever a watch ends or fails) and resourceReady judges every version
// it sees. For a workload it also watches the pods the wait's rollout created (since start):
// one that crash-loops or cannot pull its image ends the wait at once (see podFailure). It
// returns the resource's last known state (why it is not ready) with the error; ctx ending is
// returned as ctx.Err().
func (w *readyWaitClient) waitOne(ctx context.Context, info *resource.Info, jobs bool, start time.Time) (string, error) {
	if info.Mapping == nil {
		return "", fmt.Errorf("wait for %s: no REST mapping", info.ObjectName())
	}
	gk := info.Mapping.GroupVersionKind.GroupKind()
	id := resourceID(gk, info.Namespace, info.Name)
	var ri dynamic.ResourceInterface = w.dyn.Resource(info.Mapping.Resource)
	if info.Mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		ri = w.dyn.Resource(info.Mapping.Resource).Namespace(info.Namespace)
	}
	waitCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	if sel, ok := podSelector(gk, info.Object); ok {
		go w.watchPods(waitCtx, stop, id, info.Namespace, sel, start)
	}
	state := id + ": not found"
	_, err := watchtools.UntilWithSync(waitCtx, byName(ri, info.Name), &unstructured.Unstructured{}, nil, func(ev watch.Event) (bool, error) {
		if ev.Type == watch.Deleted {
			state = id + ": deleted"
			return false, nil
		}
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok {
			return false, nil
		}
		ready, why, err := resourceReady(gk, u, jobs)
		if err != nil {
			return false, err
		}
		if !ready {
			state = id + ": " + why
		}
		return ready, nil
	})
	if err == nil {
		return state, nil
	}
	if cause := context.Cause(waitCtx); cause != nil && ctx.Err() == nil && !errors.Is(cause, context.Canceled) {
		return cause.Error(), cause // a pod of the rollout failed
	}
	if ctx.Err() != nil {
		return state, ctx.Err()
	}
	return state, err
}

// byName lists and watches one object by name.
func byName(ri dynamic.ResourceInterface, name string) *cache.ListWatch {
	sel := fields.OneTermEqualSelector("metadata.name", name).String()
	return &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = sel
			return ri.List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = sel
			return ri.Watch(ctx, o)
		},
	}
}

// watchPods watches the pods of a workload (selector sel in ns) until ctx ends, and stops the
// wait with the reason when one created since start cannot run (see podFailure).
func (w *readyWaitClient) watchPods(ctx context.Context, stop context.CancelCauseFunc, id, ns, sel string, start time.Time) {
	pods := w.dyn.Resource(corev1.SchemeGroupVersion.WithResource("pods")).Namespace(ns)
	lw := &cache.ListWatch{
		ListWithContextFunc: func(ctx context.Context, o metav1.ListOptions) (runtime.Object, error) {
			o.LabelSelector = sel
			return pods.List(ctx, o)
		},
		WatchFuncWithContext: func(ctx context.Context, o metav1.ListOptions) (watch.Interface, error) {
			o.LabelSelector = sel
			return pods.Watch(ctx, o)
		},
	}
	// Creation times have a resolution of one second.
	since := start.Add(-time.Second)
	_, _ = watchtools.UntilWithSync(ctx, lw, &unstructured.Unstructured{}, nil, func(ev watch.Event) (bool, error) {
		u, ok := ev.Object.(*unstructured.Unstructured)
		if !ok || ev.Type == watch.Deleted || u.GetCreationTimestamp().Time.Before(since) {
			return false, nil
		}
		var p corev1.Pod
		if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, &p); err != nil {
			return false, nil
		}
		if why := podFailure(&p); why != "" {
			stop(fmt.Errorf("%s: pod %s: %s", id, p.Name, why))
			return true, nil
		}
		return false, nil
	})
}

// podFailures are the reasons a container waits for that mean the rollout cannot succeed
// without a change: the image cannot be pulled, the container cannot be created, or it
// crashes again and again.
var podFailures = []string{"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "CreateContainerConfigError", "CreateContainerError"}

// podFailure says why a pod cannot become ready ("" when it may): a container waiting for one
// of podFailures, or what kstatus judges failed (a crash loop) — except an unschedulable pod,
// which a cluster that scales up may still place.
func podFailure(p *corev1.Pod) string {
	for _, cs := range append(slices.Clone(p.Status.InitContainerStatuses), p.Status.ContainerStatuses...) {
		if wt := cs.State.Waiting; wt != nil && slices.Contains(podFailures, wt.Reason) {
			why := fmt.Sprintf("container %s: %s", cs.Name, wt.Reason)
			if wt.Message != "" {
				why += " (" + wt.Message + ")"
			}
			return why
		}
	}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(p)
	if err != nil {
		return ""
	}
	res, err := kstatus.Compute(&unstructured.Unstructured{Object: obj})
	if err != nil || res.Status != kstatus.FailedStatus || stalledReason(res) == "PodUnschedulable" {
		return ""
	}
	return res.Message
}

// podSelector returns the label selector of a workload's pods (Deployment, StatefulSet,
// DaemonSet, ReplicaSet), read from the object Helm applies.
func podSelector(gk schema.GroupKind, obj runtime.Object) (string, bool) {
	if gk.Group != "apps" || obj == nil {
		return "", false
	}
	switch gk.Kind {
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
	default:
		return "", false
	}
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return "", false
	}
	m, ok, _ := unstructured.NestedMap(u, "spec", "selector")
	if !ok {
		return "", false
	}
	var ls metav1.LabelSelector
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(m, &ls); err != nil {
		return "", false
	}
	sel, err := metav1.LabelSelectorAsSelector(&ls)
	if err != nil || sel.Empty() {
		return "", false
	}
	return sel.String(), true
}

// resourceID names a resource in errors: "deployment on-x/web", "customresourcedefinition x".
func resourceID(gk schema.GroupKind, ns, name string) string {
	kind := strings.ToLower(gk.Kind)
	if ns == "" {
		return kind + " " + name
	}
	return kind + " " + ns + "/" + name
}

// resourceReady reports whether a resource is ready and, when not, why, as kstatus judges it:
// Current is ready; InProgress is not yet; Failed (a Deployment past its progress deadline, a
// failed Job, a resource whose Stalled condition is true) is an error with the reason. Jobs
// count as ready once they exist unless jobs is set (Helm's Wait and WaitWithJobs). Errors
// name the resource.
func resourceReady(gk schema.GroupKind, u *unstructured.Unstructured, jobs bool) (bool, string, error) {
	if gk == (schema.GroupKind{Group: "batch", Kind: "Job"}) && !jobs {
		return true, "", nil
	}
	id := resourceID(gk, u.GetNamespace(), u.GetName())
	res, err := kstatus.Compute(u)
	if err != nil {
		return false, "", fmt.Errorf("%s: compute the status: %w", id, err)
	}
	why := res.Message
	if r := stalledReason(res); r != "" && !strings.Contains(why, r) {
		why += " (" + r + ")"
	}
	switch res.Status {
	case kstatus.CurrentStatus:
		return true, "", nil
	case kstatus.FailedStatus:
		return false, "failed: " + why, fmt.Errorf("%s: failed: %s", id, why)
	}
	if why == "" {
		why = string(res.Status)
	}
	return false, why, nil
}

// stalledReason is the reason of kstatus's Stalled condition, "" without one.
func stalledReason(res *kstatus.Result) string {
	for _, c := range res.Conditions {
		if c.Type == kstatus.ConditionStalled && c.Status == corev1.ConditionTrue {
			return c.Reason
		}
	}
	return ""
}
