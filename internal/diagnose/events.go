package diagnose

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/oneko/oneko/internal/helm"
)

// Event is a Kubernetes event about one of a version's objects.
type Event struct {
	Type    string    `json:"type"`
	Reason  string    `json:"reason"`
	Message string    `json:"message"`
	Count   int32     `json:"count"`
	Object  ObjectRef `json:"object"`
	Time    time.Time `json:"time"`
}

// ObjectRef names the object an event is about.
type ObjectRef struct {
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
}

// Events returns the events of a version's objects (the releases' objects, the ReplicaSets
// and Jobs they own, and their pods), newest first.
func (r *Reader) Events(ctx context.Context, versionID string) ([]Event, error) {
	rels, err := r.current(ctx, versionID)
	if err != nil {
		return nil, err
	}
	return r.EventsOf(ctx, rels)
}

// EventsOf returns the events of the objects of releases read already, newest first.
func (r *Reader) EventsOf(ctx context.Context, rels []*helm.Info) ([]Event, error) {
	objs := objects(rels)
	if len(objs) == 0 {
		return []Event{}, nil
	}
	byKey := map[string]string{}
	namespaces := map[string]bool{}
	for _, o := range objs {
		byKey[o.Kind+"/"+o.Namespace+"/"+o.Name] = o.Release
		namespaces[o.Namespace] = true
	}
	pods, err := r.podsOf(ctx, rels)
	if err != nil {
		return nil, err
	}
	wanted := map[string]bool{}
	for k := range byKey {
		wanted[k] = true
	}
	for _, p := range pods {
		wanted["Pod/"+p.pod.Namespace+"/"+p.pod.Name] = true
	}
	out := []Event{}
	for ns := range namespaces {
		owners, err := r.owners(ctx, ns)
		if err != nil {
			return nil, err
		}
		for key, refs := range owners { // ReplicaSets and Jobs of the releases' workloads
			parts := strings.SplitN(key, "/", 3)
			if _, ok := owningRelease(byKey, owners, parts[0], ns, parts[2], refs); ok {
				wanted[key] = true
			}
		}
		list, err := r.kube.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
		if err != nil {
			return nil, fmt.Errorf("events in %s: %w", ns, err)
		}
		for _, e := range list.Items {
			o := e.InvolvedObject
			if !wanted[o.Kind+"/"+ns+"/"+o.Name] {
				continue
			}
			out = append(out, Event{
				Type: e.Type, Reason: e.Reason, Message: e.Message, Count: max(e.Count, 1),
				Object: ObjectRef{Kind: o.Kind, Namespace: ns, Name: o.Name}, Time: eventTime(&e),
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// eventTime is when an event last happened.
func eventTime(e *corev1.Event) time.Time {
	switch {
	case !e.LastTimestamp.IsZero():
		return e.LastTimestamp.Time.UTC()
	case !e.EventTime.IsZero():
		return e.EventTime.Time.UTC()
	case e.Series != nil && !e.Series.LastObservedTime.IsZero():
		return e.Series.LastObservedTime.Time.UTC()
	}
	return e.CreationTimestamp.Time.UTC()
}

// failureReasons are the warning reasons that explain why a deployment fails or stays pending.
var failureReasons = map[string]bool{
	"FailedScheduling": true, "Failed": true, "BackOff": true, "FailedMount": true, "FailedAttachVolume": true,
	"ProgressDeadlineExceeded": true, "FailedCreate": true, "ErrImagePull": true, "ImagePullBackOff": true, "CrashLoopBackOff": true,
}

// Explain returns a one-line reason from the newest warning that explains a failure (image
// pull errors, crash loops, unschedulable pods, progress deadline exceeded, failed mounts),
// or "" when there is none. events are newest first.
func Explain(events []Event) string {
	for _, e := range events {
		if e.Type == corev1.EventTypeWarning && failureReasons[e.Reason] {
			return fmt.Sprintf("%s %s: %s: %s", e.Object.Kind, e.Object.Name, e.Reason, e.Message)
		}
	}
	return ""
}

// warningMark starts the part of a status message that a lifted warning wrote.
const warningMark = "\nWhy: "

// WithWarning returns a status message with the warning that explains it in place of the
// one lifted before (if any): message's own text is kept, a warning is never repeated, and
// an empty warning removes the lifted one.
func WithWarning(message, warning string) string {
	base, _, _ := strings.Cut(message, warningMark)
	base = strings.TrimSpace(base)
	switch {
	case warning == "":
		return base
	case base == "":
		return strings.TrimPrefix(warningMark, "\n") + warning
	}
	return base + warningMark + warning
}
