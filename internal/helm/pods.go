package helm

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// manifestObject is the part of a rendered manifest that PodCounts reads.
type manifestObject struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// PodCounts sums the desired and ready replicas of the Deployments and StatefulSets in the
// release's manifest, as the cluster reports them now. A workload missing from the cluster
// counts as desired with none ready.
func (c *Client) PodCounts(ctx context.Context, rel *Info) (ready, desired int, err error) {
	for _, doc := range SplitManifest(rel.Manifest) {
		var o manifestObject
		if err := yaml.Unmarshal([]byte(doc), &o); err != nil || o.Metadata.Name == "" {
			continue
		}
		ns := o.Metadata.Namespace
		if ns == "" {
			ns = rel.Namespace
		}
		var r, d int32
		switch o.Kind {
		case "Deployment":
			dep, err := c.kube.AppsV1().Deployments(ns).Get(ctx, o.Metadata.Name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				desired++
				continue
			}
			if err != nil {
				return 0, 0, fmt.Errorf("pods of release %s/%s: %w", rel.Namespace, rel.Name, err)
			}
			d, r = replicas(dep.Spec.Replicas), dep.Status.ReadyReplicas
		case "StatefulSet":
			sts, err := c.kube.AppsV1().StatefulSets(ns).Get(ctx, o.Metadata.Name, metav1.GetOptions{})
			if apierrors.IsNotFound(err) {
				desired++
				continue
			}
			if err != nil {
				return 0, 0, fmt.Errorf("pods of release %s/%s: %w", rel.Namespace, rel.Name, err)
			}
			d, r = replicas(sts.Spec.Replicas), sts.Status.ReadyReplicas
		default:
			continue
		}
		ready += int(r)
		desired += int(d)
	}
	return ready, desired, nil
}

func replicas(p *int32) int32 {
	if p == nil {
		return 1
	}
	return *p
}
