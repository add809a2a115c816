package helm

import (
	"context"
	"errors"
	"fmt"

	"helm.sh/helm/v3/pkg/storage/driver"
	"k8s.io/client-go/kubernetes"
)

// Revisions reads Helm's release storage (its Secrets) through a clientset, without the
// actions of a Client: every stored revision in namespace ns ("" = every namespace) whose
// labels include selector, in no particular order. None found is no error. It is for readers
// that only look, such as the diagnostics (internal/diagnose); the Kubernetes API's errors are
// wrapped, so that apierrors.IsForbidden and the like still answer.
func Revisions(ctx context.Context, kube kubernetes.Interface, ns string, selector map[string]string) ([]*Info, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read releases: %w", err)
	}
	q := map[string]string{"owner": "helm"}
	for k, v := range selector {
		q[k] = v
	}
	rels, err := driver.NewSecrets(kube.CoreV1().Secrets(ns)).Query(q)
	if errors.Is(err, driver.ErrReleaseNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read releases in namespace %q: %w", ns, err)
	}
	out := make([]*Info, len(rels))
	for i, r := range rels {
		out[i] = infoOf(r)
	}
	return out, nil
}
