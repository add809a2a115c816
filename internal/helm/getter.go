package helm

import (
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// sharedGetter hands Helm the parts every operation shares: the REST configuration, the
// memory-cached discovery client and the REST mapper built on it.
type sharedGetter struct {
	config    *rest.Config
	discovery discovery.CachedDiscoveryInterface
	mapper    meta.RESTMapper
}

// namespaceGetter is a sharedGetter that reports one namespace as its default, which is
// where Helm's kube client puts the resources of a release.
type namespaceGetter struct {
	*sharedGetter
	namespace string
}

var _ genericclioptions.RESTClientGetter = namespaceGetter{}

// ToRESTConfig returns a copy of the shared configuration (callers may change their copy).
func (g namespaceGetter) ToRESTConfig() (*rest.Config, error) { return rest.CopyConfig(g.config), nil }

// ToDiscoveryClient returns the shared memory-cached discovery client.
func (g namespaceGetter) ToDiscoveryClient() (discovery.CachedDiscoveryInterface, error) {
	return g.discovery, nil
}

// ToRESTMapper returns the shared REST mapper.
func (g namespaceGetter) ToRESTMapper() (meta.RESTMapper, error) { return g.mapper, nil }

// ToRawKubeConfigLoader returns a loader that knows nothing but the namespace: oneko is
// configured with a rest.Config, not a kubeconfig file.
func (g namespaceGetter) ToRawKubeConfigLoader() clientcmd.ClientConfig {
	return namespaceConfig{config: g.config, namespace: g.namespace}
}

// namespaceConfig is the clientcmd.ClientConfig of a namespaceGetter.
type namespaceConfig struct {
	config    *rest.Config
	namespace string
}

var _ clientcmd.ClientConfig = namespaceConfig{}

func (c namespaceConfig) RawConfig() (clientcmdapi.Config, error) { return clientcmdapi.Config{}, nil }

func (c namespaceConfig) ClientConfig() (*rest.Config, error) { return rest.CopyConfig(c.config), nil }

func (c namespaceConfig) Namespace() (string, bool, error) {
	return c.namespace, c.namespace != "", nil
}

func (c namespaceConfig) ConfigAccess() clientcmd.ConfigAccess {
	return &clientcmd.ClientConfigLoadingRules{}
}
