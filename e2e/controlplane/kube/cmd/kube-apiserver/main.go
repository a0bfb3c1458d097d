// Command kube-apiserver is a thin wrapper around the upstream kube-apiserver
// command, built from Go modules for the e2e tests (see e2e/build-controlplane.sh).
package main

import (
	"os"
	_ "time/tzdata" // time zone data for CronJob time zones

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"          // --logging-format=json
	_ "k8s.io/component-base/metrics/prometheus/clientgo" // client-go metrics
	_ "k8s.io/component-base/metrics/prometheus/version"  // version metric
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func main() {
	os.Exit(cli.Run(app.NewAPIServerCommand()))
}
