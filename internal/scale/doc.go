// Package scale runs oneko as a cluster runs it: separate processes of the real binary — two
// `oneko api`, three `oneko worker` — on one shared MongoDB-wire server (`oneko store`) and one
// redis-server, deploying to the local control plane (kwok runs the Pods). Its test injects
// faults (SIGKILL of a worker mid-upgrade and of an api mid-request, SIGTERM of each worker in
// turn) and checks what must survive them; its benchmark prints the pool's figures
// (docs/scaling.md). It has no code of its own outside tests.
package scale
