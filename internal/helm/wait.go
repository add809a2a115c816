package helm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/kube"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/cli-runtime/pkg/resource"
	"k8s.io/client-go/dynamic"
)

// Back-off of the readiness wait after a failed list or watch of a resource.
const (
	waitRetryMin = 100 * time.Millisecond
	waitRetryMax = time.Second
)

// readyWaitClient is Helm's kube client with its readiness wait replaced: Helm's Wait checks
// the resources once and then every 2 seconds, so a release whose pods are Ready within a
// second still costs 2 seconds. This one watches each resource and returns as soon as the
// last one is ready. Everything else (apply, hooks, deletes) is Helm's own, and so is what
// the actions do around the wait: the revision stays pending while it runs, and a failed
// wait is recorded by Helm as a failed revision with its error as the description.
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
		state, err := w.waitOne(ctx, info, jobs)
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

// waitOne waits until one resource is ready: it lists the resource by name, then watches it
// from the list's resource version, checking every version it sees; it lists again when the
// watch ends. It returns the resource's last known state (why it is not ready) with the
// error; ctx ending is returned as ctx.Err(). Errors that may pass (throttling, 5xx, network)
// are retried with back-off; a Job that failed, or any other error, ends the wait.
func (w *readyWaitClient) waitOne(ctx context.Context, info *resource.Info, jobs bool) (string, error) {
	if info.Mapping == nil {
		return "", fmt.Errorf("wait for %s: no REST mapping", info.ObjectName())
	}
	gk := info.Mapping.GroupVersionKind.GroupKind()
	id := resourceID(gk, info.Namespace, info.Name)
	var ri dynamic.ResourceInterface = w.dyn.Resource(info.Mapping.Resource)
	if info.Mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		ri = w.dyn.Resource(info.Mapping.Resource).Namespace(info.Namespace)
	}
	byName := fields.OneTermEqualSelector("metadata.name", info.Name).String()
	state := id + ": not found"
	retry := waitRetryMin
	pause := func(err error) error {
		if !retryable(err) {
			return fmt.Errorf("wait for %s: %w", id, err)
		}
		w.log("wait for %s: %v; retrying in %s", id, err, retry)
		t := time.NewTimer(retry)
		defer t.Stop()
		retry = min(2*retry, waitRetryMax)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return state, err
		}
		list, err := ri.List(ctx, metav1.ListOptions{FieldSelector: byName})
		if err != nil {
			if ctx.Err() != nil {
				return state, ctx.Err()
			}
			if err := pause(err); err != nil {
				return state, err
			}
			continue
		}
		state = id + ": not found"
		if len(list.Items) > 0 {
			ready, why, err := resourceReady(gk, &list.Items[0], jobs)
			if err != nil || ready {
				return why, err
			}
			state = id + ": " + why
		}
		wi, err := ri.Watch(ctx, metav1.ListOptions{FieldSelector: byName, ResourceVersion: list.GetResourceVersion()})
		if err != nil {
			if ctx.Err() != nil {
				return state, ctx.Err()
			}
			if err := pause(err); err != nil {
				return state, err
			}
			continue
		}
		ready, why, err := watchUntilReady(ctx, wi, gk, jobs)
		wi.Stop()
		if why != "" {
			state = id + ": " + why
		}
		if err != nil || ready {
			return state, err
		}
		retry = waitRetryMin // the watch ended (expired, or an error event): list again
	}
}

// watchUntilReady checks every version of the resource that wi delivers. It returns ready, or
// not ready with a nil error when the watch ended and the resource should be listed again,
// or ctx's error; why is the resource's last state ("" when no event said anything).
func watchUntilReady(ctx context.Context, wi watch.Interface, gk schema.GroupKind, jobs bool) (ready bool, why string, err error) {
	for {
		select {
		case <-ctx.Done():
			return false, why, ctx.Err()
		case ev, ok := <-wi.ResultChan():
			if !ok {
				return false, why, nil
			}
			switch ev.Type {
			case watch.Added, watch.Modified:
				u, ok := ev.Object.(*unstructured.Unstructured)
				if !ok {
					continue
				}
				r, state, err := resourceReady(gk, u, jobs)
				if err != nil || r {
					return r, state, err
				}
				why = state
			case watch.Deleted:
				why = "deleted"
			case watch.Error:
				return false, why, nil
			}
		}
	}
}

// retryable reports whether an error of a list or watch may pass on its own.
func retryable(err error) bool {
	return Unreachable(err) || apierrors.IsTimeout(err) || apierrors.IsResourceExpired(err) || apierrors.IsGone(err)
}

// resourceID names a resource in errors: "deployment on-x/web", "customresourcedefinition x".
func resourceID(gk schema.GroupKind, ns, name string) string {
	kind := strings.ToLower(gk.Kind)
	if ns == "" {
		return kind + " " + name
	}
	return kind + " " + ns + "/" + name
}

// resourceReady reports whether a resource is ready and, when not, why. Deployments,
// StatefulSets, DaemonSets and ReplicaSets are ready once their controller observed the
// current generation and every replica is updated and available (or Ready); Pods once Ready;
// PersistentVolumeClaims once Bound; LoadBalancer Services once they have an address;
// CustomResourceDefinitions once Established; Jobs, with jobs, once complete (a failed Job is
// an error). Other resources are ready as soon as they exist.
func resourceReady(gk schema.GroupKind, u *unstructured.Unstructured, jobs bool) (bool, string, error) {
	switch gk {
	case schema.GroupKind{Group: "apps", Kind: "Deployment"}:
		var d appsv1.Deployment
		if err := fromUnstructured(u, &d); err != nil {
			return false, "", err
		}
		ready, why := deploymentReady(&d)
		return ready, why, nil
	case schema.GroupKind{Group: "apps", Kind: "StatefulSet"}:
		var s appsv1.StatefulSet
		if err := fromUnstructured(u, &s); err != nil {
			return false, "", err
		}
		ready, why := statefulSetReady(&s)
		return ready, why, nil
	case schema.GroupKind{Group: "apps", Kind: "DaemonSet"}:
		var d appsv1.DaemonSet
		if err := fromUnstructured(u, &d); err != nil {
			return false, "", err
		}
		ready, why := daemonSetReady(&d)
		return ready, why, nil
	case schema.GroupKind{Group: "apps", Kind: "ReplicaSet"}:
		var r appsv1.ReplicaSet
		if err := fromUnstructured(u, &r); err != nil {
			return false, "", err
		}
		want := replicas(r.Spec.Replicas)
		switch {
		case r.Status.ObservedGeneration < r.Generation:
			return false, "generation not yet observed", nil
		case r.Status.ReadyReplicas < want:
			return false, fmt.Sprintf("%d of %d replicas ready", r.Status.ReadyReplicas, want), nil
		}
		return true, "", nil
	case schema.GroupKind{Kind: "Pod"}:
		var p corev1.Pod
		if err := fromUnstructured(u, &p); err != nil {
			return false, "", err
		}
		if p.Status.Phase == corev1.PodSucceeded || podReady(&p) {
			return true, "", nil
		}
		return false, fmt.Sprintf("pod not ready (phase %s)", p.Status.Phase), nil
	case schema.GroupKind{Kind: "PersistentVolumeClaim"}:
		var c corev1.PersistentVolumeClaim
		if err := fromUnstructured(u, &c); err != nil {
			return false, "", err
		}
		if c.Status.Phase == corev1.ClaimBound {
			return true, "", nil
		}
		return false, fmt.Sprintf("claim not bound (phase %s)", c.Status.Phase), nil
	case schema.GroupKind{Kind: "Service"}:
		var s corev1.Service
		if err := fromUnstructured(u, &s); err != nil {
			return false, "", err
		}
		if s.Spec.Type == corev1.ServiceTypeLoadBalancer && len(s.Spec.ExternalIPs) == 0 && len(s.Status.LoadBalancer.Ingress) == 0 {
			return false, "load balancer has no address yet", nil
		}
		return true, "", nil
	case schema.GroupKind{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}:
		if conditionTrue(u, "Established") {
			return true, "", nil
		}
		return false, "not established", nil
	case schema.GroupKind{Group: "batch", Kind: "Job"}:
		if !jobs {
			return true, "", nil
		}
		var j batchv1.Job
		if err := fromUnstructured(u, &j); err != nil {
			return false, "", err
		}
		for _, c := range j.Status.Conditions {
			switch {
			case c.Type == batchv1.JobComplete && c.Status == corev1.ConditionTrue:
				return true, "", nil
			case c.Type == batchv1.JobFailed && c.Status == corev1.ConditionTrue:
				why := "failed: " + c.Reason
				return false, why, fmt.Errorf("%s: %s", resourceID(batchv1.SchemeGroupVersion.WithKind("Job").GroupKind(), j.Namespace, j.Name), why)
			}
		}
		return false, fmt.Sprintf("%d succeeded, not complete", j.Status.Succeeded), nil
	}
	return true, "", nil
}

// deploymentReady: the controller observed the current generation and every replica is
// updated and available, with no old replica left. A paused Deployment is ready (as Helm has it).
func deploymentReady(d *appsv1.Deployment) (bool, string) {
	want := replicas(d.Spec.Replicas)
	switch {
	case d.Spec.Paused:
		return true, ""
	case d.Status.ObservedGeneration < d.Generation:
		return false, "generation not yet observed"
	case d.Status.UpdatedReplicas < want:
		return false, fmt.Sprintf("%d of %d replicas updated", d.Status.UpdatedReplicas, want)
	case d.Status.Replicas > d.Status.UpdatedReplicas:
		return false, fmt.Sprintf("%d old replicas pending termination", d.Status.Replicas-d.Status.UpdatedReplicas)
	case d.Status.AvailableReplicas < want:
		return false, fmt.Sprintf("%d of %d replicas available", d.Status.AvailableReplicas, want)
	}
	return true, ""
}

// statefulSetReady: the controller observed the current generation, the replicas the update
// strategy updates are updated, and every replica is Ready. OnDelete updates nothing itself.
func statefulSetReady(s *appsv1.StatefulSet) (bool, string) {
	want := replicas(s.Spec.Replicas)
	if s.Status.ObservedGeneration < s.Generation {
		return false, "generation not yet observed"
	}
	if s.Spec.UpdateStrategy.Type != appsv1.OnDeleteStatefulSetStrategyType {
		var partition int32
		if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
			partition = *ru.Partition
		}
		if s.Status.UpdatedReplicas < want-partition {
			return false, fmt.Sprintf("%d of %d replicas updated", s.Status.UpdatedReplicas, want-partition)
		}
		if partition == 0 && s.Status.UpdateRevision != "" && s.Status.CurrentRevision != s.Status.UpdateRevision {
			return false, "rollout not complete"
		}
	}
	if s.Status.ReadyReplicas < want {
		return false, fmt.Sprintf("%d of %d replicas ready", s.Status.ReadyReplicas, want)
	}
	return true, ""
}

// daemonSetReady: the controller observed the current generation and every scheduled pod is
// updated and available. OnDelete updates nothing itself.
func daemonSetReady(d *appsv1.DaemonSet) (bool, string) {
	want := d.Status.DesiredNumberScheduled
	switch {
	case d.Status.ObservedGeneration < d.Generation:
		return false, "generation not yet observed"
	case d.Spec.UpdateStrategy.Type != appsv1.OnDeleteDaemonSetStrategyType && d.Status.UpdatedNumberScheduled < want:
		return false, fmt.Sprintf("%d of %d pods updated", d.Status.UpdatedNumberScheduled, want)
	case d.Status.NumberAvailable < want:
		return false, fmt.Sprintf("%d of %d pods available", d.Status.NumberAvailable, want)
	}
	return true, ""
}

// podReady reports whether a pod's Ready condition is true.
func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// conditionTrue reports whether the object's status condition of type t is "True".
func conditionTrue(u *unstructured.Unstructured, t string) bool {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	for _, c := range conds {
		m, ok := c.(map[string]any)
		if ok && m["type"] == t {
			return m["status"] == "True"
		}
	}
	return false
}

// fromUnstructured converts a watched object into its typed form.
func fromUnstructured(u *unstructured.Unstructured, into any) error {
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(u.Object, into); err != nil {
		return fmt.Errorf("read %s %s/%s: %w", u.GetKind(), u.GetNamespace(), u.GetName(), err)
	}
	return nil
}
