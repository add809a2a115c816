package diagnose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Errors of Logs: the pod or container is not one of the version's, or several containers
// could be meant.
var (
	ErrNoPod             = errors.New("no such pod")
	ErrNoContainer       = errors.New("no such container")
	ErrContainerRequired = errors.New("the pod has several containers")
)

// LogOptions select the lines of a container's log.
type LogOptions struct {
	// Container is required when the pod has more than one regular container.
	Container    string
	TailLines    *int64
	SinceSeconds *int64
	// SinceTime starts after a moment (a resumed stream); it wins over SinceSeconds.
	SinceTime  *time.Time
	Previous   bool
	Timestamps bool
	Follow     bool
}

// Pod returns one pod of a version: ErrNoPod when the version has no pod of that name.
func (r *Reader) Pod(ctx context.Context, versionID, name string) (*Pod, error) {
	pods, err := r.pods(ctx, versionID)
	if err != nil {
		return nil, err
	}
	for _, p := range pods {
		if p.pod.Name == name {
			d := describePod(p.pod, p.release)
			return &d, nil
		}
	}
	return nil, fmt.Errorf("%w %q among the pods of this version", ErrNoPod, name)
}

// ResolveContainer picks the container a log request means: the named one, or the pod's only
// regular container.
func ResolveContainer(p *Pod, name string) (string, error) {
	var regular, all []string
	for _, c := range p.Containers {
		all = append(all, c.Name)
		if c.Kind == ContainerRegular {
			regular = append(regular, c.Name)
		}
	}
	switch {
	case name != "" && slices.Contains(all, name):
		return name, nil
	case name != "":
		return "", fmt.Errorf("%w %q in pod %s (it has %s)", ErrNoContainer, name, p.Name, strings.Join(all, ", "))
	case len(regular) == 1:
		return regular[0], nil
	}
	return "", fmt.Errorf("%w (%s): name one with container", ErrContainerRequired, strings.Join(all, ", "))
}

// Logs opens the log of a container of one of the version's pods. The caller closes it; a
// followed log ends when the container ends or ctx is done.
func (r *Reader) Logs(ctx context.Context, versionID, pod string, o LogOptions) (io.ReadCloser, error) {
	p, err := r.Pod(ctx, versionID, pod)
	if err != nil {
		return nil, err
	}
	container, err := ResolveContainer(p, o.Container)
	if err != nil {
		return nil, err
	}
	opts := &corev1.PodLogOptions{
		Container: container, Follow: o.Follow, Previous: o.Previous, Timestamps: o.Timestamps,
		TailLines: o.TailLines, SinceSeconds: o.SinceSeconds,
	}
	if o.SinceTime != nil {
		opts.SinceSeconds = nil
		opts.SinceTime = &metav1.Time{Time: *o.SinceTime}
	}
	rc, err := r.kube.CoreV1().Pods(p.Namespace).GetLogs(p.Name, opts).Stream(ctx)
	if err != nil {
		return nil, fmt.Errorf("log of %s/%s container %s: %w", p.Namespace, p.Name, container, err)
	}
	return rc, nil
}
