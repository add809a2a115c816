package helm

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/utils/ptr"
)

func TestDeploymentReady(t *testing.T) {
	dep := func(gen int64, st appsv1.DeploymentStatus) *appsv1.Deployment {
		return &appsv1.Deployment{
			ObjectMeta: metav1.ObjectMeta{Generation: gen},
			Spec:       appsv1.DeploymentSpec{Replicas: ptr.To[int32](2)},
			Status:     st,
		}
	}
	for _, tc := range []struct {
		name  string
		d     *appsv1.Deployment
		ready bool
		why   string
	}{
		{"not observed", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2}), false, "generation not yet observed"},
		{"rolling", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 3, UpdatedReplicas: 1, AvailableReplicas: 2}), false, "1 of 2 replicas updated"},
		{"old pods left", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 3, UpdatedReplicas: 2, AvailableReplicas: 2}), false, "1 old replicas pending termination"},
		{"unavailable", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 1}), false, "1 of 2 replicas available"},
		{"ready", dep(2, appsv1.DeploymentStatus{ObservedGeneration: 2, Replicas: 2, UpdatedReplicas: 2, AvailableReplicas: 2}), true, ""},
	} {
		ready, why := deploymentReady(tc.d)
		if ready != tc.ready || why != tc.why {
			t.Errorf("%s: deploymentReady = %v %q, want %v %q", tc.name, ready, why, tc.ready, tc.why)
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
		Status: appsv1.StatefulSetStatus{UpdatedReplicas: 2, ReadyReplicas: 1, CurrentRevision: "a", UpdateRevision: "a"}}
	obj, err := runtime.DefaultUnstructuredConverter.ToUnstructured(sts)
	if err != nil {
		t.Fatal(err)
	}
	if ready, why, err := resourceReady(schema.GroupKind{Group: "apps", Kind: "StatefulSet"}, &unstructured.Unstructured{Object: obj}, false); ready || err != nil || why != "1 of 2 replicas ready" {
		t.Errorf("a StatefulSet with one Ready replica of 2: %v %q %v", ready, why, err)
	}
}
