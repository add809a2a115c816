package localkube

import (
	"path/filepath"
	"strconv"
)

// The command lines of the programs. They keep each program lean (no profiling, no
// leader election, no priority and fairness) and raise client rate limits, so that a
// test creating many objects is limited by the CPU, not by a client-side throttle.

// serviceClusterIPRange is the range Services get their ClusterIP from.
const serviceClusterIPRange = "10.96.0.0/16"

// podCIDR is the range kwok gives Pod IPs from.
const podCIDR = "10.0.0.1/16"

// kwokNodeAnnotation marks the Nodes kwok plays; kwok manages Nodes that carry it.
const kwokNodeAnnotation = "kwok.x-k8s.io/node"

// disabledAdmissionPlugins are default admission plugins that have nothing to act on
// without real storage, certificate signers or ingress controllers, and
// TaintNodesByCondition: it taints every new Node not-ready, and only the node lifecycle
// controller, which does not run here, would take that taint off again.
const disabledAdmissionPlugins = "TaintNodesByCondition,DefaultStorageClass,StorageObjectInUseProtection," +
	"PersistentVolumeClaimResize,RuntimeClass,CertificateApproval,CertificateSigning," +
	"ClusterTrustBundleAttest,CertificateSubjectRestriction,DefaultIngressClass"

func (c *Cluster) etcdArgs() []string {
	client := c.ports.etcdURL()
	peer := "http://127.0.0.1:" + strconv.Itoa(c.ports.etcdPeer)
	return []string{
		"--name=localkube",
		"--data-dir=" + filepath.Join(c.dir, "etcd"),
		"--listen-client-urls=" + client,
		"--advertise-client-urls=" + client,
		"--listen-peer-urls=" + peer,
		"--initial-advertise-peer-urls=" + peer,
		"--initial-cluster=localkube=" + peer,
		"--initial-cluster-state=new",
		// The data dies with the cluster: skip fsync, which is most of etcd's write latency.
		"--unsafe-no-fsync=true",
		"--quota-backend-bytes=" + strconv.Itoa(2<<30),
		"--log-level=warn",
	}
}

func (c *Cluster) apiserverArgs() []string {
	return []string{
		"--etcd-servers=" + c.ports.etcdURL(),
		"--bind-address=127.0.0.1",
		"--advertise-address=127.0.0.1",
		// The lease reconciler refuses a loopback address, and no Pod could reach the
		// "kubernetes" Service anyway: leave that Service without endpoints.
		"--endpoint-reconciler-type=none",
		"--secure-port=" + strconv.Itoa(c.ports.apiserver),
		"--cert-dir=" + filepath.Join(c.dir, "apiserver-certs"),
		"--tls-cert-file=" + c.creds.certFile,
		"--tls-private-key-file=" + c.creds.keyFile,
		"--token-auth-file=" + c.creds.tokenFile,
		"--authorization-mode=RBAC",
		"--service-account-issuer=" + c.creds.serviceIssuer,
		"--service-account-key-file=" + c.creds.saPubKeyFile,
		"--service-account-signing-key-file=" + c.creds.saKeyFile,
		"--service-cluster-ip-range=" + serviceClusterIPRange,
		"--disable-admission-plugins=" + disabledAdmissionPlugins,
		"--allow-privileged=true",
		"--enable-priority-and-fairness=false",
		"--profiling=false",
		// Logs are proxied to the Node's kubelet endpoint: kwok's server on 127.0.0.1 (the
		// Nodes' Hostname does not resolve). Its certificate is not verified, as no
		// --kubelet-certificate-authority is given.
		"--kubelet-preferred-address-types=InternalIP",
	}
}

func (c *Cluster) controllerManagerArgs() []string {
	return []string{
		"--kubeconfig=" + c.kubePath,
		"--authentication-kubeconfig=" + c.kubePath,
		"--authorization-kubeconfig=" + c.kubePath,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.ports.cm),
		"--cert-dir=" + filepath.Join(c.dir, "controller-manager-certs"),
		"--leader-elect=false",
		// Every default controller but the node lifecycle one: kwok's Nodes have no
		// kubelet, and a Node judged unreachable would get tainted and its Pods evicted
		// whenever kwok falls behind on a busy machine.
		"--controllers=*,-node-lifecycle-controller",
		"--service-account-private-key-file=" + c.creds.saKeyFile,
		"--root-ca-file=" + c.creds.certFile,
		"--service-cluster-ip-range=" + serviceClusterIPRange,
		"--kube-api-qps=200",
		"--kube-api-burst=400",
		"--profiling=false",
	}
}

func (c *Cluster) schedulerArgs() []string {
	return []string{
		"--kubeconfig=" + c.kubePath,
		"--authentication-kubeconfig=" + c.kubePath,
		"--authorization-kubeconfig=" + c.kubePath,
		"--bind-address=127.0.0.1",
		"--secure-port=" + strconv.Itoa(c.ports.scheduler),
		"--cert-dir=" + filepath.Join(c.dir, "scheduler-certs"),
		"--leader-elect=false",
		"--kube-api-qps=200",
		"--kube-api-burst=400",
		"--profiling=false",
	}
}

// kwokArgs makes kwok play the Nodes and serve their kubelet endpoint (container logs)
// on 127.0.0.1, the address every Node reports, over TLS with the API server's certificate.
func (c *Cluster) kwokArgs(stagesPath, logsPath string) []string {
	port := strconv.Itoa(c.ports.kwok)
	return []string{
		"--kubeconfig=" + c.kubePath,
		"--config=" + stagesPath,
		"--config=" + logsPath,
		"--manage-nodes-with-annotation-selector=" + kwokNodeAnnotation + "=fake",
		"--cidr=" + podCIDR,
		"--node-ip=127.0.0.1",
		"--node-port=" + port,
		"--server-address=127.0.0.1:" + port,
		"--tls-cert-file=" + c.creds.certFile,
		"--tls-private-key-file=" + c.creds.keyFile,
	}
}
