// Package kube holds oneko's thin client-go adapters: namespaces and the image pull secrets
// that let them pull from the configured docker registries.
package kube

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/oneko/oneko/internal/model"
)

// ManagedByLabel marks what oneko created.
const ManagedByLabel = "app.kubernetes.io/managed-by"

// ManagedBy is the value of ManagedByLabel.
const ManagedBy = "oneko"

// InstallationLabel holds the id of the oneko installation that created a namespace (the
// same label marks its Helm releases).
const InstallationLabel = "oneko.io/installation"

// Client manages the namespaces and pull secrets of one oneko installation.
type Client struct {
	cs           kubernetes.Interface
	installation string
}

// New returns a Client for a cluster that labels what it creates with installationID (a
// valid label value).
func New(cfg *rest.Config, installationID string) (*Client, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return &Client{cs: cs, installation: installationID}, nil
}

// NewForClientset wraps an existing clientset.
func NewForClientset(cs kubernetes.Interface, installationID string) *Client {
	return &Client{cs: cs, installation: installationID}
}

// labels are the labels of what the client creates.
func (c *Client) labels() map[string]string {
	return map[string]string{ManagedByLabel: ManagedBy, InstallationLabel: c.installation}
}

// EnsureNamespace creates the namespace if missing, labelled with the installation, and
// writes one image pull secret for each of registries that has credentials (labelled with
// the installation and the registry's id, see RegistryLabel). It can be called
// again at any time (it converges). A namespace that exists already is used as it is. With
// rights in some namespaces only (the chart's namespaced RBAC scope) creating one is
// forbidden even when it exists: then an existing namespace that it may read is used.
func (c *Client) EnsureNamespace(ctx context.Context, name string, registries []model.DockerRegistry) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: c.labels()}}
	if _, err := c.cs.CoreV1().Namespaces().Create(ctx, ns, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		if !apierrors.IsForbidden(err) {
			return fmt.Errorf("create namespace %s: %w", name, err)
		}
		if _, gerr := c.cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{}); gerr != nil {
			return fmt.Errorf("namespace %s: oneko may not create it and cannot read it (%v); create it and grant oneko rights in it: %w", name, gerr, err)
		}
	}
	for _, r := range registries {
		if err := c.ensurePullSecret(ctx, name, &r); err != nil {
			return err
		}
	}
	return nil
}

// DeleteNamespace deletes a namespace this installation created: one labelled with its id, or
// managed by oneko with no installation label (created before installations had ids). A
// namespace created by another installation or by someone else is left alone, and one that
// is already gone is not an error: neither is reported.
func (c *Client) DeleteNamespace(ctx context.Context, name string) error {
	ns, err := c.cs.CoreV1().Namespaces().Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read namespace %s: %w", name, err)
	}
	if !c.owns(ns.Labels) {
		return nil
	}
	err = c.cs.CoreV1().Namespaces().Delete(ctx, name, metav1.DeleteOptions{Preconditions: &metav1.Preconditions{UID: &ns.UID}})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %w", name, err)
	}
	return nil
}

// owns reports whether labels mark an object of this installation.
func (c *Client) owns(labels map[string]string) bool {
	if labels[ManagedByLabel] != ManagedBy {
		return false
	}
	inst, ok := labels[InstallationLabel]
	return !ok || inst == c.installation
}
