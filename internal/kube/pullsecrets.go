package kube

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"

	"github.com/oneko/oneko/internal/model"
)

// RegistryLabel holds the id of the docker registry whose credentials a pull secret carries.
// With ManagedByLabel and InstallationLabel it is how oneko finds a registry's pull secrets
// again: a Secret without all three is never changed or deleted by the sync.
const RegistryLabel = "oneko.io/docker-registry"

var nonDNS = regexp.MustCompile(`[^a-z0-9-]+`)

// PullSecretName is the name of the pull secret of a docker registry.
func PullSecretName(r *model.DockerRegistry) string {
	n := strings.Trim(nonDNS.ReplaceAllString(strings.ToLower(r.Name), "-"), "-")
	if len(n) > 40 {
		n = strings.TrimRight(n[:40], "-")
	}
	return "oneko-pull-" + n + "-" + r.ID[len(r.ID)-6:]
}

// DockerConfig is the content (.dockerconfigjson) of a docker registry's pull secret, nil when
// the registry has no credentials (then it has no pull secret). The same registry always gives
// the same bytes, so a stored secret can be compared with it.
func DockerConfig(r *model.DockerRegistry) ([]byte, error) {
	if r.Username == "" || r.Password == "" {
		return nil, nil
	}
	auth := base64.StdEncoding.EncodeToString([]byte(r.Username + ":" + r.Password))
	cfg, err := json.Marshal(map[string]any{"auths": map[string]any{r.Host(): map[string]string{"username": r.Username, "password": r.Password, "auth": auth}}})
	if err != nil {
		return nil, fmt.Errorf("pull secret of %s: %w", r.Name, err)
	}
	return cfg, nil
}

// pullSecretLabels are the labels of the pull secret of registryID.
func (c *Client) pullSecretLabels(registryID string) map[string]string {
	l := c.labels()
	l[RegistryLabel] = registryID
	return l
}

func (c *Client) ensurePullSecret(ctx context.Context, namespace string, r *model.DockerRegistry) error {
	cfg, err := DockerConfig(r)
	if err != nil || cfg == nil {
		return err
	}
	sec := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: PullSecretName(r), Namespace: namespace, Labels: c.pullSecretLabels(r.ID)},
		Type:       corev1.SecretTypeDockerConfigJson,
		Data:       map[string][]byte{corev1.DockerConfigJsonKey: cfg},
	}
	secrets := c.cs.CoreV1().Secrets(namespace)
	if _, err := secrets.Create(ctx, sec, metav1.CreateOptions{}); err != nil {
		if !apierrors.IsAlreadyExists(err) {
			return fmt.Errorf("create pull secret %s/%s: %w", namespace, sec.Name, err)
		}
		if _, err := secrets.Update(ctx, sec, metav1.UpdateOptions{}); err != nil {
			return fmt.Errorf("update pull secret %s/%s: %w", namespace, sec.Name, err)
		}
	}
	return nil
}

// PullSecret is a pull secret of this installation as read from the cluster.
type PullSecret struct {
	Namespace  string
	Name       string
	RegistryID string
	// Config is its .dockerconfigjson.
	Config []byte
	// secret is the object read, written back (with its resourceVersion) by an update.
	secret *corev1.Secret
}

// PullSecrets lists the pull secrets of this installation: Secrets of type
// kubernetes.io/dockerconfigjson labelled managed by oneko, with this installation's id and a
// docker registry's id — of registryID only, or of every registry when registryID is "". It
// lists every namespace at once; where the cluster refuses that (rights in some namespaces
// only: the chart's namespaced RBAC scope), it lists each of namespaces instead.
func (c *Client) PullSecrets(ctx context.Context, registryID string, namespaces ...string) ([]PullSecret, error) {
	sel := labels.SelectorFromSet(c.labels())
	req, err := labels.NewRequirement(RegistryLabel, selection.Exists, nil)
	if registryID != "" {
		req, err = labels.NewRequirement(RegistryLabel, selection.Equals, []string{registryID})
	}
	if err != nil {
		return nil, fmt.Errorf("list pull secrets: %w", err)
	}
	opts := metav1.ListOptions{LabelSelector: sel.Add(*req).String(), FieldSelector: "type=" + string(corev1.SecretTypeDockerConfigJson)}
	list, err := c.cs.CoreV1().Secrets("").List(ctx, opts)
	var items []corev1.Secret
	switch {
	case err == nil:
		items = list.Items
	case apierrors.IsForbidden(err) && len(namespaces) > 0:
		seen := map[string]bool{}
		for _, ns := range namespaces {
			if seen[ns] || ns == "" {
				continue
			}
			seen[ns] = true
			in, err := c.cs.CoreV1().Secrets(ns).List(ctx, opts)
			if err != nil {
				return nil, fmt.Errorf("list pull secrets in %s: %w", ns, err)
			}
			items = append(items, in.Items...)
		}
	default:
		return nil, fmt.Errorf("list pull secrets: %w", err)
	}
	out := make([]PullSecret, 0, len(items))
	for i := range items {
		s := &items[i]
		out = append(out, PullSecret{Namespace: s.Namespace, Name: s.Name, RegistryID: s.Labels[RegistryLabel],
			Config: s.Data[corev1.DockerConfigJsonKey], secret: s})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Namespace != out[j].Namespace {
			return out[i].Namespace < out[j].Namespace
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// PullSecretChange is one write that brings a pull secret in line with its registry: an
// update to Config, or a deletion (Delete).
type PullSecretChange struct {
	Secret PullSecret
	Delete bool
	// Config is the new .dockerconfigjson of an update.
	Config []byte
	// Why says why, for the log: "credentials changed", "registry deleted", "registry has no credentials".
	Why string
}

// PlanPullSecrets decides what to do with the pull secrets found (see PullSecrets), given the
// docker registries as stored, by id: a secret whose registry is stored with other
// credentials or host than the secret holds is updated; one whose registry is stored without
// credentials, or whose registry is missing from registries (deleted) and allowDelete says
// deleting is safe, is deleted; the others are left alone. It decides only.
func PlanPullSecrets(found []PullSecret, registries map[string]*model.DockerRegistry, allowDelete bool) ([]PullSecretChange, error) {
	var out []PullSecretChange
	for _, s := range found {
		r, ok := registries[s.RegistryID]
		if !ok {
			if allowDelete {
				out = append(out, PullSecretChange{Secret: s, Delete: true, Why: "registry deleted"})
			}
			continue
		}
		cfg, err := DockerConfig(r)
		if err != nil {
			return nil, err
		}
		switch {
		case cfg == nil:
			out = append(out, PullSecretChange{Secret: s, Delete: true, Why: "registry has no credentials"})
		case !bytes.Equal(cfg, s.Config):
			out = append(out, PullSecretChange{Secret: s, Config: cfg, Why: "credentials changed"})
		}
	}
	return out, nil
}

// ApplyPullSecretChanges carries out changes (see PlanPullSecrets) and returns those it made.
// An update writes over the secret as it was read (a secret changed meanwhile is not
// overwritten: the conflict is returned); a secret already gone is skipped, no error.
func (c *Client) ApplyPullSecretChanges(ctx context.Context, changes []PullSecretChange) ([]PullSecretChange, error) {
	var done []PullSecretChange
	for _, ch := range changes {
		s := ch.Secret
		secrets := c.cs.CoreV1().Secrets(s.Namespace)
		var err error
		switch {
		case ch.Delete:
			var pre metav1.Preconditions
			if s.secret != nil {
				pre.UID = &s.secret.UID
			}
			err = secrets.Delete(ctx, s.Name, metav1.DeleteOptions{Preconditions: &pre})
		case s.secret == nil:
			err = fmt.Errorf("not read from the cluster")
		default:
			up := s.secret.DeepCopy()
			up.Data = map[string][]byte{corev1.DockerConfigJsonKey: ch.Config}
			_, err = secrets.Update(ctx, up, metav1.UpdateOptions{})
		}
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			verb := "update"
			if ch.Delete {
				verb = "delete"
			}
			return done, fmt.Errorf("%s pull secret %s/%s: %w", verb, s.Namespace, s.Name, err)
		}
		done = append(done, ch)
	}
	return done, nil
}
