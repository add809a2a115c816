package helm

import (
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
)

var deploymentGK = schema.GroupKind{Group: "apps", Kind: "Deployment"}

// toUnstructured converts a typed object, with its apiVersion and kind, as a watch delivers it.
func toUnstructured(t *testing.T, obj runtime.Object, apiVersion, kind string) *unstructured.Unstructured {
	t.Helper()
	m, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		t.Fatal(err)
	}
	u := &unstructured.Unstructured{Object: m}
	u.SetAPIVersion(apiVersion)
	u.SetKind(kind)
	return u
}

func TestDeploymentReady(t *testing.T) {
	done := []appsv1.DeploymentCondition{
		{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue},
		{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionTrue, Reason: "NewReplicaSetAvailable"},
	}
	dep := func(gen int64, st appsv1.DeploymentStatus) *appsv1.Deployment {
		return &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Name: "web", Namespace: "ns", Generation: gen},
			Spec:       appsv1.DeploymentSpec{Replicas: ptr.To[int32](2), ProgressDeadlineSeconds: ptr.To[int32](600)},
			Status:     st,
		}
	}
	for _, tc := range []struct {
		name  string
		d     *appsv1.Deployment
		ready bool
		why   string // part of the reason when not ready
		fails bool
	}{
		{"not observed", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2, ReadyReplicas: 2, Conditions: done}), false, "generation", false},
		{"rolling", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 3, UpdatedReplicas: 1, AvailableReplicas: 2, ReadyReplicas: 2}), false, "Updated: 1/2", false},
		{"old pods left", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 3, UpdatedReplicas: 2, AvailableReplicas: 2, ReadyReplicas: 2}), false, "Pending termination: 1", false},
		{"unavailable", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 1, ReadyReplicas: 1}), false, "Available: 1/2", false},
		{"ready", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2, ReadyReplicas: 2, Conditions: done}), true, "", false},
		{"progress deadline exceeded", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 0,
			Conditions: []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded", Message: "ReplicaSet web-1 has timed out progressing."}}}),
			false, "Progress deadline exceeded (ProgressDeadlineExceeded)", true},
	} {
		ready, why, err := resourceReady(deploymentGK, toUnstructured(t, tc.d, "apps/v1", "Deployment"), false)
		if ready != tc.ready || (err != nil) != tc.fails || !strings.Contains(why, tc.why) {
			t.Errorf("%s: resourceReady = %v %q %v, want ready %v, a reason with %q, failed %v", tc.name, ready, why, err, tc.ready, tc.why, tc.fails)
		}
		if tc.fails && !strings.Contains(err.Error(), "deployment ns/web: failed: "+tc.why) {
			t.Errorf("%s: error %q does not name the Deployment and the reason", tc.name, err)
		}
	}
}

func TestResourceReadyOtherKinds(t *testing.T) {
	cm := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap"}}
	if ready, _, err := resourceReady(schema.GroupKind{Kind: "ConfigMap"}, cm, false); !ready || err != nil {
		t.Errorf("a ConfigMap that exists: ready %v, %v", ready, err)
	}
	job := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "batch/v1", "kind": "Job",
		"metadata": map[string]any{"name": "j", "namespace": "n"},
		"status":   map[string]any{"conditions": []any{map[string]any{"type": "Failed", "status": "True", "reason": "BackoffLimitExceeded"}}}}}
	gk := schema.GroupKind{Group: "batch", Kind: "Job"}
	if ready, _, err := resourceReady(gk, job, false); !ready || err != nil {
		t.Errorf("a Job without waiting for Jobs: ready %v, %v", ready, err)
	}
	if _, _, err := resourceReady(gk, job, true); err == nil || !strings.Contains(err.Error(), "job n/j") {
		t.Errorf("a failed Job while waiting for Jobs: %v, want an error naming it", err)
	}
	sts := &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Replicas: ptr.To[int32](2)},
		Status: appsv1.StatefulSetStatus{Replicas: 2, UpdatedReplicas: 2, ReadyReplicas: 1, CurrentReplicas: 2, CurrentRevision: "a", UpdateRevision: "a"}}
	if ready, why, err := resourceReady(schema.GroupKind{Group: "apps", Kind: "StatefulSet"}, toUnstructured(t, sts, "apps/v1", "StatefulSet"), false); ready || err != nil || !strings.Contains(why, "1/2") {
		t.Errorf("a StatefulSet with one Ready replica of 2: %v %q %v", ready, why, err)
	}
	// A custom resource is judged by its Ready condition.
	cr := func(ready string) *unstructured.Unstructured {
		return &unstructured.Unstructured{Object: map[string]any{"apiVersion": "example.com/v1", "kind": "Database",
			"metadata": map[string]any{"name": "db", "namespace": "n", "generation": int64(1)},
			"status": map[string]any{"observedGeneration": int64(1), "conditions": []any{
				map[string]any{"type": "Ready", "status": ready, "reason": "Provisioning", "message": "creating the volume"}}}}}
	}
	crGK := schema.GroupKind{Group: "example.com", Kind: "Database"}
	if ready, why, err := resourceReady(crGK, cr("False"), false); ready || err != nil || !strings.Contains(why, "creating the volume") {
		t.Errorf("a custom resource not Ready: %v %q %v", ready, why, err)
	}
	if ready, _, err := resourceReady(crGK, cr("True"), false); !ready || err != nil {
		t.Errorf("a custom resource Ready: %v %v", ready, err)
	}
}

func TestPodFailure(t *testing.T) {
	pod := func(phase corev1.PodPhase, waiting string, conds ...corev1.PodCondition) *corev1.Pod {
		p := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "web-1", Namespace: "ns", CreationTimestamp: metav1.NewTime(time.Now().Add(-time.Minute))},
			Status: corev1.PodStatus{Phase: phase, Conditions: conds}}
		if waiting != "" {
			p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "app", State: corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: waiting, Message: "back-off pulling image"}}}}
		}
		return p
	}
	unschedulable := corev1.PodCondition{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable"}
	for _, tc := range []struct {
		name string
		pod  *corev1.Pod
		want string
	}{
		{"pulling its image fails", pod(corev1.PodPending, "ImagePullBackOff"), "container app: ImagePullBackOff (back-off pulling image)"},
		{"crash loop", pod(corev1.PodRunning, "CrashLoopBackOff"), "container app: CrashLoopBackOff"},
		{"still creating", pod(corev1.PodPending, "ContainerCreating"), ""},
		{"running", pod(corev1.PodRunning, ""), ""},
		{"unschedulable: a cluster may still scale up", pod(corev1.PodPending, "", unschedulable), ""},
	} {
		if got := podFailure(tc.pod); !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
			t.Errorf("%s: podFailure = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestPodSelector(t *testing.T) {
	d := &appsv1.Deployment{Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}}
	if sel, ok := podSelector(deploymentGK, d); !ok || sel != "app=web" {
		t.Errorf("podSelector of a Deployment = %q, %v", sel, ok)
	}
	if _, ok := podSelector(schema.GroupKind{Kind: "ConfigMap"}, &corev1.ConfigMap{}); ok {
		t.Error("a ConfigMap has a pod selector")
	}
}
