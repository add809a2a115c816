package localkube

import (
	"errors"
	"fmt"
	"net"
	"strconv"
)

// ports are the loopback TCP ports the cluster listens on.
type ports struct {
	etcdClient int
	etcdPeer   int
	apiserver  int
	cm         int // kube-controller-manager's secure port
	scheduler  int
	kwok       int // kwok's kubelet server (container logs)
}

// etcdURL returns the URL of etcd's client endpoint.
func (p ports) etcdURL() string { return "http://127.0.0.1:" + strconv.Itoa(p.etcdClient) }

// all returns every port.
func (p ports) all() []int {
	return []int{p.etcdClient, p.etcdPeer, p.apiserver, p.cm, p.scheduler, p.kwok}
}

// pickPorts asks the kernel for distinct free ports on 127.0.0.1. They are released
// before the programs bind them, so another process could take one in between; that
// shows up as a component failing to listen.
func pickPorts() (ports, error) {
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			_ = l.Close()
		}
	}()
	var nums []int
	for range 6 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ports{}, fmt.Errorf("localkube: pick a free port: %w", err)
		}
		listeners = append(listeners, l)
		addr, ok := l.Addr().(*net.TCPAddr)
		if !ok {
			return ports{}, errors.New("localkube: pick a free port: listener has no TCP address")
		}
		nums = append(nums, addr.Port)
	}
	return ports{etcdClient: nums[0], etcdPeer: nums[1], apiserver: nums[2], cm: nums[3], scheduler: nums[4], kwok: nums[5]}, nil
}
