package localkube

import (
	"fmt"
	"strconv"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// contextName names the cluster, user and context in the kubeconfig.
const contextName = "oneko-local"

// restConfig returns the admin client configuration of the cluster. Its rate limits are
// high because the cluster is local and tests create many objects quickly.
func (c *Cluster) restConfig() *rest.Config {
	return &rest.Config{
		Host:            "https://127.0.0.1:" + strconv.Itoa(c.ports.apiserver),
		BearerToken:     c.creds.token,
		TLSClientConfig: rest.TLSClientConfig{CAData: c.creds.caPEM},
		QPS:             100,
		Burst:           200,
	}
}

// kubeconfigFor renders cfg (host, CA data and bearer token) as a kubeconfig file.
func kubeconfigFor(cfg *rest.Config) ([]byte, error) {
	kc := clientcmdapi.NewConfig()
	kc.Clusters[contextName] = &clientcmdapi.Cluster{
		Server:                   cfg.Host,
		CertificateAuthorityData: cfg.CAData,
	}
	kc.AuthInfos[contextName] = &clientcmdapi.AuthInfo{Token: cfg.BearerToken}
	kc.Contexts[contextName] = &clientcmdapi.Context{Cluster: contextName, AuthInfo: contextName}
	kc.CurrentContext = contextName
	data, err := clientcmd.Write(*kc)
	if err != nil {
		return nil, fmt.Errorf("localkube: render kubeconfig: %w", err)
	}
	return data, nil
}
