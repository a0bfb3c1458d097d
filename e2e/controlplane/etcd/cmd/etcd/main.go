// Command etcd is a thin wrapper around go.etcd.io/etcd/server/v3/etcdmain,
// built from Go modules for the e2e tests (see e2e/build-controlplane.sh).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
