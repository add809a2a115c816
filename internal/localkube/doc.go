// Package localkube runs a real Kubernetes control plane on the loopback interface, for
// integration tests and for oneko's local mode, without Docker and without kubelets.
//
// # What runs
//
// Start runs five programs as child processes, each in its own process group, with its
// output in <name>.log in the cluster's folder:
//
//   - etcd on two free ports, fsync off (the data dies with the cluster);
//   - kube-apiserver on a free port with a self-signed serving certificate (SANs
//     127.0.0.1 and localhost), a static token file holding one admin token in
//     system:masters, a service-account key pair, RBAC, and the admission plugins that
//     matter for workloads (those for storage, certificates and ingress classes are off);
//   - kube-controller-manager with its default controllers except the node lifecycle
//     controller (no kubelet renews the fake Nodes' status), so Deployments, ReplicaSets,
//     ServiceAccounts, namespace deletion and garbage collection work;
//   - kube-scheduler;
//   - kwok, which plays the fake Nodes and their Pods by the "fast" stages shipped with
//     kwok (embedded under stages/): a Node becomes Ready at once, a scheduled Pod
//     becomes Running and Ready at once, a deleted Pod goes away. No container runs;
//     kwok serves simulated container logs (see below).
//
// Start creates Options.Nodes Nodes (3 by default) annotated kwok.x-k8s.io/node=fake,
// with no taints and room for 500 Pods each, and returns once the API server answers
// /readyz, every Node is Ready, the scheduler answers /healthz and the controller-manager
// has made the default ServiceAccount. A warm start takes a few seconds.
//
// # Where the programs come from
//
// The programs are built from Go modules by "make kube-bins" (module tools/kube: pinned
// k8s.io/kubernetes, etcd and kwok) into a cache outside the repository,
// $XDG_CACHE_HOME/oneko/kube-<KubeVersion> (see DefaultBinDir); ONEKO_KUBE_BIN_DIR or
// Options.BinDir names another folder. When a program is missing Start fails with an
// error wrapping ErrBinariesMissing that says to run "make kube-bins".
//
// # Using the cluster
//
// RESTConfig and KubeconfigPath give admin access. Stop ends every process (SIGTERM to
// its process group, SIGKILL after a grace period; clients first, etcd last) and removes
// the cluster's folder. If the parent process dies without calling Stop, the kernel
// kills the programs (PR_SET_PDEATHSIG), so no control plane is left behind, and the
// next Start under the same WorkDir removes the folder that process left.
//
// A failure to start names the component and shows the end of its log. After start, a
// component that exits is reported on Options.Logger.
//
// # Container logs
//
// kwok also serves the Nodes' kubelet endpoint on a free port of 127.0.0.1 (the address
// every Node reports; the API server prefers it to the Nodes' host names), so
// GET …/pods/{pod}/log works through kube-apiserver as on a real cluster: plain, with
// tailLines, sinceTime, timestamps, previous, and followed. Every container shares one
// simulated log (kwok's ClusterLogs, files in the container runtime's format in the
// cluster's folder): two start-up lines, then a line every second; the previous instance
// logged a crash. AppendLog adds a line of the caller's, which tests use to see a line
// arrive on a followed stream.
//
// There is no kubelet otherwise: exec, port-forward and anything about real containers,
// volumes or networking do not work. Service ClusterIPs are allocated, but nothing
// routes to them.
//
// Integration tests elsewhere should use internal/testenv, which also honours
// KUBECONFIG to run against an existing cluster.
package localkube
